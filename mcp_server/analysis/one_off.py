"""Code that runs once or only for developers: a per-item query there is real but nobody's cost to fix.

The default configuration already leaves out tests and migrations by path; the same kinds of code also live
outside those folders: a data migration's helper (`def reparent(apps, schema_editor)` in `utils/migrations.py`),
an Alembic revision or a Django migration kept in a folder of another name (`db/revisions/tenant/versions/`,
`db_migrations/`: what they import says what they are) and the helpers in a folder named for them (`migration_utils/`),
developer scripts (`dev/`, `tools/`, `.github/`, `docs/`) and operators' scripts (any `scripts/` or `*_scripts/`
folder), Python fixtures (`fixtures/demo.py`), South migrations, backfills and data fixes (`backfill_changelog.py`,
`data_fix/`), a seed or demo-data script (`populate.py`, a
`create_demo_data` command, anything that imports Faker or factory_boy) and test support packages (`myapp/testing/`).
Read on real applications, every N+1 finding in them was true and none worth acting on, so the N+1 rules skip them.
So is a loop over the lines of a file a person names on the command line (a revocation list given to a command),
unless the code imports those lines.
"""

from __future__ import annotations

import ast
import re

from .facts import Function, ModuleFacts
from .loop_size import handful_arg
from .nodes import dotted

_FAKE_DATA_IMPORTS = frozenset({"faker", "factory", "mimesis"})  # fake-data generators: seed scripts and test factories
# not `unittest.mock`: production code uses it too; Django's and DRF's test cases (AirOne's `lib/test.py` base case)
_TEST_IMPORTS = frozenset({"pytest", "unittest", "unittest.TestCase", "django.test.TestCase", "django.test.TransactionTestCase",
                           "rest_framework.test.APITestCase"})
# a seed or demo-data script by its name, and a test-data generator (Kids First's `util/data_gen/data_generator.py`,
# which only its `populate_db` command runs, round 174: 8 judged N RARE)
_SEED_STEM = re.compile(r"(^|_)(populate|seed|seeds|loaddata|(demo|fake|dummy|sample)_?data|data_?gen(erator)?)(_|$)"
                        r"|^(create|make|generate|gen|load|add)_?(fake|dummy|demo|sample|random)|^fake"  # createfakeusers
                        r"|(^|_)(fake|dummy)(_|$)", re.I)  # load_np_fake_articles
# a folder of seed scripts: `seed_data/`, `seeds/`, `seeders/`, `seed_scripts/`, `demo_data/` (not `*_populate`, which
# may be a production job filling a table)
_SEED_DIR = re.compile(r"^(seeds?|seeders?|seed_\w+|\w+_seeds?|(demo|fake|dummy|sample)_?data|data_?gen(erator)?s?)$", re.I)
# a project's own fake-data helpers (`from myapp.utils.fakers import ...`, `from .fake import name`)
_FAKE_MODULE = re.compile(r"^(fake|fakes|faker|fakers|fake_?data|dummy_?data|demo_?data|sample_?data|fake_\w+|\w+_fakers?)$", re.I)
_TEST_DIRS = frozenset({"test", "testing", "testutils", "test_utils"})  # `api/report/test/util.py`
# top-level folders of developer tooling, run by hand or by CI, never by the application: `dev/scripts/x.py`,
# `.github/scripts/digest.py`, `docs/poc/prices.py`, `tools/migrators/splunk.py`; and a `scripts` folder at any
# depth (`server/scripts/`, a Django app's `scripts/` for runscript): backfills and repairs an operator runs by hand
# (issue 15, rounds 11 and 12: of 28 findings judged in such folders, 25 were not worth anyone's time, 3 false, none T)
# `12_13.py`, `1_3_8.py`, and rotki's `db/upgrades/v26_v27.py` (round 114: 22 findings judged N RARE), `v3_to_v4.py`
_VERSION_STEM = re.compile(r"^v?\d+(_(to_)?v?\d+)+$")
_DEVELOPER_DIRS = frozenset({".github", ".gitlab", ".circleci", "dev", "docs", "doc", "tools"})
# a folder of migration code by its name: `migration_utils`, `data_migrations`, `custom_migrations`, `migration_tool`
# (a `migrations/` folder is left to the default exclusions, and to what its modules import)
# (and an Alembic environment's own folder: Mycodo's `alembic_db/alembic_post.py`, the data fixes its upgrade runs after
# the revisions, round 174)
_MIGRATION_DIR = re.compile(r"^\w+_migrations?$|^migrations?_\w+$|^alembic(_\w+)?$")
# a module of migration code by its name: `migration_utils_pd`, `migration_helpers`, `db_migration`, `db_migrate`
# (GNUKhata's schema upgrade steps, round 174) (not `migrations_report`, which may report on them)
_MIGRATION_MODULE = re.compile(r"^\w+_migrations?$|^migrations?_(utils?|helpers?|tools?|steps?)(_\w+)?$|^\w+_migrate$")
# a backfill (`backfill_changelog.py`, `utils/backfill.py`) or a folder of data fixes (`services/data_fix/`): code that
# repairs or completes past rows once (rounds 157 to 164: 6 findings judged N RARE, none true)
_BACKFILL = re.compile(r"(^|_)backfill(s|ing)?(_|$)", re.I)
_DATA_FIX_DIR = re.compile(r"^(backfills?|data_?fix(es|ups?)?|datafixes)$", re.I)


# a developer's timing script (Nyaa's `utils/simple_bench.py`, judged false: gathering its requests would spoil what
# it measures), a load or stress test
_BENCH = re.compile(r"(^|_)(bench|benchmarks?)(_|$)|^((load|stress)_?tests?|loadtesting|locustfile)$", re.I)


def module_reason(module: ModuleFacts) -> str:
    """Why per-item queries anywhere in this module are not worth a finding ("" when they are)."""
    parts = module.path.split("/")
    stem = parts[-1].rsplit(".", 1)[0]
    if _SEED_STEM.search(stem):
        return "a seed or demo-data script"
    if (folder := next((p for p in parts[:-1] if _SEED_DIR.match(p)), None)):
        # 360 Ghar's `seed_data/loaders/02_hardcoded_loader.py` (round 164: 8 judged N RARE)
        return f"a seed or demo-data script (under a `{folder}/` folder)"
    if any(t.split(".")[0] in _FAKE_DATA_IMPORTS for t in module.imports.values()):
        return "fake-data generation (imports Faker or factory_boy)"
    if any(_FAKE_MODULE.match(p) for t in module.imports.values() for p in t.split(".")):
        return "fake-data generation (imports the project's own fake-data helpers)"
    if any(_FAKE_MODULE.match(p) for p in parts[:-1]):
        return "fake-data generation (a module of the project's fake-data package)"
    if "alembic.op" in module.imports.values():
        return "an Alembic migration script (imports `alembic.op`)"
    if "django.db.migrations" in module.imports.values():
        return "a Django migration (imports `django.db.migrations`)"
    if any(t.startswith(("south.v2", "south.db")) for t in module.imports.values()):  # HyperKitty's `south_migrations/`
        return "a South migration (imports `south`)"
    if len(parts) > 1 and parts[-2] == "versions" and "upgrade" in module.functions:
        # sqlalchemy-migrate's `versions/016_version_2_0_0.py` (RhodeCode, round 134: 8 judged N RARE), or an Alembic
        # data migration that needs no `op`
        return "a schema migration script (a top-level `upgrade()` in a `versions/` folder, as Alembic and sqlalchemy-migrate keep them)"
    # (or a module so named: Disturbance's `utils/migration_utils_pd.py`, the legacy import one command runs, round 165)
    folder = next((p for p in parts[:-1] if _MIGRATION_DIR.match(p)), None) or (stem if _MIGRATION_MODULE.match(stem) else None)
    if folder:
        # Specify's `migration_utils/migration_helpers/` (round 137: 10 judged N RARE, 8 false in a copy nothing imports),
        # rotki's `data_migrations/`: the steps a migration or an upgrade runs once
        return f"code that migrations run once (under a `{folder}/` folder)" if folder != stem else \
            f"code that migrations run once (a `{folder}` module)"
    if version_upgrade(module):
        # Janeway's `utils/upgrade/12_13.py` (round 90: 6 judged false, its steps switched off): a name no import can spell,
        # loaded by an upgrade command for that one version
        return UPGRADE_SCRIPT
    if _BACKFILL.search(stem) or any(_DATA_FIX_DIR.match(p) for p in parts[:-1]):
        return "a backfill or data fix (it completes or repairs past rows once)"
    if module.deprecated:  # Helios's `load_voter_files` command, "DEPRECATED" since 2010 (3 findings judged false)
        return "a module its own docstring marks deprecated"
    if any(_BENCH.search(p) for p in [*parts[:-1], stem]):
        return "a benchmark or load test (it times its calls one after another on purpose)"
    if len(parts) > 1 and parts[0] in _DEVELOPER_DIRS:
        return f"a developer script (under `{parts[0]}/`, which the application does not run)"
    # ESP's `useful_scripts/`, Zimfarm's `maint-scripts/`
    folder = next((p for p in parts[:-1] if p == "scripts" or p.endswith(("_scripts", "-scripts"))), None)
    if folder:
        return f"a script an operator runs by hand (under a `{folder}/` folder)"
    if "fixtures" in parts[:-1]:  # Lino's `lib/ledger/fixtures/demo.py` (round 73): `loaddata` or an install runs it once
        return "a Python fixture (under a `fixtures/` folder: data loaded once, at install or for a demo)"
    if len(parts) > 1 and parts[0] == "bin":  # a report or repair run from a checkout (issue 15, round 15)
        return "a script an operator runs by hand (under the top-level `bin/` folder)"
    if any(p in _TEST_DIRS for p in parts[:-1]) or any(t in _TEST_IMPORTS for t in module.imports.values()):
        return "test support code"
    if any((name := base.rpartition(".")[2]).endswith("TestCase") and name != "TestCase" for cls in module.classes.values()
           for base in cls.bases):
        # Pombola's `feedback/seltests/` Selenium tests (round 86). Not a class merely named so (DMOJ's `SubmissionTestCase`
        # model, a problem's test case), nor a base called `TestCase` alone, which may be any project class
        return "test code (its classes extend a test case class)"
    if any(p.startswith("pytest_") or p.endswith("_pytest") for p in parts[:-1]):
        return "test support code (a pytest plugin package)"  # Pootle's `pytest_pootle/env.py` (round 33)
    return ""


UPGRADE_SCRIPT = "a version upgrade script (named for the versions it moves between, run once on upgrade)"


def version_upgrade(module: ModuleFacts) -> bool:
    return bool(_VERSION_STEM.match(module.path.rpartition("/")[2].rsplit(".", 1)[0]))


def data_migration(module: ModuleFacts, fn: Function) -> bool:
    """A RunPython function, wherever it is kept: Django passes it the historical app registry as `apps`; or a step a
    migration decorator registers (`@db_schema.upgrade("series")`: FlexGet's twelve judged RARE in round 28)."""
    return fn.migration or (fn.params[:1] == ("apps",) and ("schema_editor" in fn.params or "migration" in module.path))


# A file a person names on the command line (a revocation list, say) is read once, by hand: the N+1 rules treat a
# loop over its lines as a one-off (n_plus_one_common.handful_param), unless the code imports it.
_READERS = frozenset({"reader", "DictReader", "readlines", "splitlines", "read", "enumerate", "list"})


def opened_path(node: ast.AST, small: dict[str, str], params) -> str | None:
    """Who names the file `open(path)` reads: "" when it is what the command line passes (a file a person names
    running a command by hand), the parameter's name when it is one of `params` (its callers name it), else None."""
    if type(node) is not ast.Call or dotted(node.func) not in ("open", "io.open", "codecs.open") or not node.args:
        return None
    arg = node.args[0]
    if (small.get(arg.id, "") if type(arg) is ast.Name else handful_arg(arg, small)).startswith("what the command line"):
        return ""
    return arg.id if type(arg) is ast.Name and arg.id in params else None


def file_of(node: ast.AST) -> str | None:
    """The name of the open file whose lines `node` walks: `f`, `f.readlines()[2:]`, `csv.reader(f)`, `enumerate(f)`."""
    while True:
        t = type(node)
        if t is ast.Subscript and isinstance(node.slice, ast.Slice):
            node = node.value
        elif t is ast.Call and (dotted(node.func) or "").rpartition(".")[2] in _READERS:
            name = dotted(node.func) or ""
            if type(node.func) is ast.Attribute and not name.startswith("csv."):
                node = node.func.value  # `f.readlines()`, `f.read().splitlines()`
            elif node.args:
                node = node.args[0]  # `csv.reader(f)`, `enumerate(f)`
            else:
                return None
        else:
            return node.id if t is ast.Name else None

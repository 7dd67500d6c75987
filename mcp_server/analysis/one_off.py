"""Code that runs once or only for developers: a per-item query there is real but nobody's cost to fix.

The default configuration already leaves out tests and migrations by path; the same kinds of code also live
outside those folders: a data migration's helper (`def reparent(apps, schema_editor)` in `utils/migrations.py`),
a seed or demo-data script (`populate.py`, a `create_demo_data` command, anything that imports Faker or
factory_boy) and test support packages (`myapp/testing/`). Read on real applications, every N+1 finding in
them was true and none worth acting on, so the N+1 rules skip them.
"""

from __future__ import annotations

import re

from .facts import Function, ModuleFacts

_FAKE_DATA_IMPORTS = frozenset({"faker", "factory", "mimesis"})  # fake-data generators: seed scripts and test factories
_TEST_IMPORTS = frozenset({"pytest", "unittest", "unittest.TestCase"})  # not `unittest.mock`: production code uses it too
_SEED_STEM = re.compile(r"(^|_)(populate|seed|seeds|(demo|fake|dummy|sample)_?data)(_|$)"
                        r"|^(create|make|generate|gen|load|add)_?(fake|dummy|demo|sample|random)|^fake", re.I)  # createfakeusers
# a project's own fake-data helpers (`from myapp.utils.fakers import ...`, `from .fake import name`)
_FAKE_MODULE = re.compile(r"^(fake|fakes|faker|fakers|fake_?data|dummy_?data|demo_?data|sample_?data|fake_\w+|\w+_fakers?)$", re.I)
_TEST_DIRS = frozenset({"testing", "testutils", "test_utils"})


def module_reason(module: ModuleFacts) -> str:
    """Why per-item queries anywhere in this module are not worth a finding ("" when they are)."""
    parts = module.path.split("/")
    if _SEED_STEM.search(parts[-1].rsplit(".", 1)[0]):
        return "a seed or demo-data script"
    if any(t.split(".")[0] in _FAKE_DATA_IMPORTS for t in module.imports.values()):
        return "fake-data generation (imports Faker or factory_boy)"
    if any(_FAKE_MODULE.match(p) for t in module.imports.values() for p in t.split(".")):
        return "fake-data generation (imports the project's own fake-data helpers)"
    if any(p in _TEST_DIRS for p in parts[:-1]) or any(t in _TEST_IMPORTS for t in module.imports.values()):
        return "test support code"
    return ""


def data_migration(module: ModuleFacts, fn: Function) -> bool:
    """A RunPython function, wherever it is kept: Django passes it the historical app registry as `apps`."""
    return fn.params[:1] == ("apps",) and ("schema_editor" in fn.params or "migration" in module.path)

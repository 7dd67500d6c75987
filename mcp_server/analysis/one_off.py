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
_SEED_STEM = re.compile(r"(^|_)(populate|seed|seeds|(demo|fake|dummy|sample)_?data)(_|$)", re.I)
_TEST_DIRS = frozenset({"testing", "testutils", "test_utils"})


def reason(module: ModuleFacts, fn: Function) -> str:
    """Why per-item queries in `fn` are not worth a finding ("" when they are)."""
    if fn.params[:1] == ("apps",) and ("schema_editor" in fn.params or "migration" in module.path):
        return "a data migration: runs once, at upgrade"
    parts = module.path.split("/")
    stem = parts[-1].rsplit(".", 1)[0]
    if _SEED_STEM.search(stem):
        return "a seed or demo-data script"
    roots = {target.split(".")[0] for target in module.imports.values()}
    if roots & _FAKE_DATA_IMPORTS:
        return "fake-data generation (imports Faker or factory_boy)"
    if any(p in _TEST_DIRS for p in parts[:-1]) or any(t in _TEST_IMPORTS for t in module.imports.values()):
        return "test support code"
    return ""

"""The N+1 development set is well formed: every case's sources parse, its expected lines exist and are loops,
and its fix changes something. (Recall itself is printed by `python -m devset`, not asserted.)"""

import ast
import sys

import pytest

from conftest import REPO

sys.path.insert(0, str(REPO))
from devset.__main__ import cases  # noqa: E402

CASES = cases()


def test_the_set_is_large_and_covers_every_framework():
    assert len(CASES) >= 40
    assert {c.framework for c in CASES} >= {"django", "drf", "sqlalchemy", "flask-sqlalchemy", "dbapi"}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case_is_well_formed(case):
    assert case.source and case.kind and case.expect
    assert case.fixed and any(case.files.get(p) != t for p, t in case.fixed.items())  # a fix may add a module
    for path, text in {**case.files, **{f"{p} (fixed)": t for p, t in case.fixed.items()}}.items():
        ast.parse(text, filename=path)
    for path, line in case.expect:
        assert 1 <= line <= len(case.files[path].splitlines()), (path, line)

"""The bundled example is a real application: each flavour runs on SQLite in a child process, and each fixed
twin returns exactly the same result (Decimal-exact) with a constant number of queries."""

import json
import subprocess
import sys

import pytest

from conftest import REPO, cli_env

MEASURE = REPO / "examples" / "accounting" / "measure.py"


def measure(flavour: str, clients: int) -> dict:
    p = subprocess.run([sys.executable, str(MEASURE), flavour, "--clients", str(clients)], capture_output=True, text=True,
                       env=cli_env(), timeout=300)
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout)


@pytest.mark.parametrize("flavour", ["dbapi", "django", "sqlalchemy"])
def test_fixed_twins_return_the_same_result_with_constant_queries(flavour):
    small, large = measure(flavour, 5), measure(flavour, 20)
    assert set(small) == {"client_statements", "tax_report", "outstanding"}
    for report in small:
        assert small[report]["same_result"] and large[report]["same_result"], report
        # the N+1 version grows with the data, the fixed twin does not
        assert large[report]["slow_queries"] > small[report]["slow_queries"] > small[report]["fast_queries"], report
        assert large[report]["fast_queries"] == small[report]["fast_queries"] <= 4, report

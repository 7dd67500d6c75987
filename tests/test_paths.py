"""One rule for every path: relative to the working directory at the shell (or to the root over MCP), absolute
paths accepted, and nothing read or run outside the project root (issue 18, defects 4 and 9), and what
`explain --analyze` measured shown in the text (defect 10)."""

import sqlite3
import subprocess
import sys

import pytest

from conftest import cli_env
from mcp_server.config import load_config
from mcp_server.errors import InputError
from mcp_server.tools.suggest_fix import apply_fix, suggest_fix

WRITES = 'def load(conn, rows):\n    for row in rows:\n        conn.execute("INSERT INTO t VALUES (?)", (row,))\n'


def run(cwd, *args):
    return subprocess.run([sys.executable, "-m", "mcp_server.cli", *args], capture_output=True, text=True, cwd=cwd, env=cli_env(), timeout=60)


def test_suggest_and_apply_fix_take_absolute_paths_as_claude_code_sends_them(project):
    (project / "load.py").write_text(WRITES)
    config = load_config(project)
    absolute = str(project / "load.py")
    shown = suggest_fix(absolute, 3, "PF201", config=config)
    assert shown.path == "load.py" and "+    conn.executemany(" in shown.patch
    assert suggest_fix("load.py", 3, "PF201", config=config).patch == shown.patch
    applied = apply_fix(absolute, 3, shown.sha256, "PF201", config=config)
    assert applied.applied and "executemany" in (project / "load.py").read_text()


def test_a_bogus_rule_blames_rule_not_line(project):
    (project / "load.py").write_text(WRITES)
    with pytest.raises(InputError) as err:
        suggest_fix(str(project / "load.py"), 3, "BOGUS", config=load_config(project))
    assert err.value.field == "rule" and "unknown rule code 'BOGUS'" in str(err.value)


def test_an_absolute_path_outside_the_root_is_refused(project, tmp_path_factory):
    outside = tmp_path_factory.mktemp("elsewhere") / "load.py"
    outside.write_text(WRITES)
    with pytest.raises(InputError) as err:
        suggest_fix(str(outside), 3, config=load_config(project))
    assert err.value.field == "path" and "outside the project root" in str(err.value)


@pytest.mark.parametrize("args", [
    ["profile", "{x}"],
    ["profile", "1 + 1", "--setup", "@{x}"],
    ["sla", "--measurements", "{j}"],
    ["sla", "--measurements", "{j}", "--targets", "{j}"],
    ["explain", "SELECT 1", "--table-rows", "{j}"],
    ["compare", "m:f", "m:g", "--targets", "{j}"],
])
def test_no_file_outside_the_root_is_read_or_run(project, tmp_path_factory, args):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    script = elsewhere / "x.py"
    script.write_text(f"open({str(elsewhere / 'written')!r}, 'w').write('ran')\n")
    data = elsewhere / "m.json"
    data.write_text('{"m": [1]}')
    argv = [a.replace("{x}", str(script)).replace("{j}", str(data)) for a in args]
    p = run(project, *argv)
    assert p.returncode == 2 and "outside the project root" in p.stderr and "Traceback" not in p.stderr, p.stderr
    assert not (elsewhere / "written").exists()


def test_explain_analyze_shows_what_it_measured_in_the_text(project):
    with sqlite3.connect(project / "app.db") as conn:
        conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, a INT)")
        conn.executemany("INSERT INTO t (a) VALUES (?)", [(i % 7,) for i in range(700)])
    plain = run(project, "explain", "SELECT id FROM t WHERE a = 3", "--database", "app.db", "--exit-zero")
    analyzed = run(project, "explain", "SELECT id FROM t WHERE a = 3", "--database", "app.db", "--analyze", "--exit-zero")
    assert "measured" not in plain.stdout
    (line,) = [l for l in analyzed.stdout.splitlines() if l.startswith("measured (analyze): ")]
    assert line.startswith("measured (analyze): 100 row(s) in ") and line.endswith(" ms")

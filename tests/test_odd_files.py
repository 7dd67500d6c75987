"""Files that are not what they seem: a named pipe called x.py, a binary or broken file, a 3 MB generated one.
Every tool skips them the same way and says why (issue 18, defects 2, 6 and 11)."""

import json
import os
import subprocess
import sys

from conftest import cli_env

N_PLUS_ONE = 'def f(rows, cur):\n    for r in rows:\n        cur.execute("SELECT * FROM t WHERE id = ?", (r,))\n'
TOO_LARGE = ("skipped: 2.9 MB is over the 2.0 MB limit for one file (generated code?); "
             "raise [tool.performance-optimizer.thresholds] max_file_kb to scan it")
NOT_REGULAR = "not a regular file (a named pipe, socket or device); skipped"


def run(root, *args, stdin=None):
    return subprocess.run([sys.executable, "-m", "mcp_server.cli", *args], input=stdin, capture_output=True, text=True, cwd=root,
                          env=cli_env(CLAUDE_PROJECT_DIR=str(root)), timeout=30)  # a hang is the bug: fail in 30 s, not forever


def odd_project(project):
    (project / "app.py").write_text(N_PLUS_ONE)
    os.mkfifo(project / "pipe.py")
    (project / "blob.py").write_bytes(b"x = 1\x00\x01")
    (project / "broken.py").write_text("x = (\n")
    (project / "big.py").write_text("#" * 3_000_000)
    (project / "schema.sql").write_text("CREATE TABLE t (id int, a int);")
    return project


def errors(stdout):
    return {e["input"]: e["message"] for e in json.loads(stdout)["errors"]}


def test_scan_and_indexes_skip_the_same_files_with_the_same_reasons(project):
    odd_project(project)
    expected = {"pipe.py": NOT_REGULAR, "blob.py": "binary file (contains NUL bytes); skipped",
                "broken.py": "syntax error at line 1, column 5: '(' was never closed; skipped", "big.py": TOO_LARGE}
    scan = run(project, "scan", "--format", "json", "--no-ruff")
    assert scan.returncode == 1 and errors(scan.stdout) == expected
    indexes = run(project, "indexes", "--schema", "schema.sql", "--format", "json")
    assert {k: v for k, v in errors(indexes.stdout).items() if k.endswith(".py")} == expected


def test_a_named_pipe_given_by_name_is_skipped_not_read(project):
    odd_project(project)
    p = run(project, "scan", "pipe.py", "--format", "json")
    assert p.returncode == 0 and errors(p.stdout) == {"pipe.py": NOT_REGULAR}
    (project / "load.py").write_text('def load(conn, rows):\n    for row in rows:\n        conn.execute("INSERT INTO t VALUES (?)", (row,))\n')
    fixed = run(project, "fix", ".")  # fix scans the folder and gets past the pipe
    assert fixed.returncode == 1 and "+    conn.executemany(" in fixed.stdout


def test_the_hook_skips_a_file_over_the_limit(project):
    odd_project(project)
    payload = json.dumps({"tool_name": "Write", "cwd": str(project), "tool_input": {"file_path": str(project / "big.py")}})
    p = run(project, "hook", "post-tool-use", stdin=payload)
    assert (p.returncode, p.stdout, p.stderr) == (0, "", f"performance-optimizer hook: big.py: {TOO_LARGE}\n")

"""Every codemod's own before/after examples, through the real engine on files on disk; and apply_fix's guards."""

import hashlib

import pytest

from mcp_server.config import load_config
from mcp_server.errors import InputError
from mcp_server.fixes.base import all_codemods
from mcp_server.tools.suggest_fix import apply_fix, suggest_fix

EXAMPLES = [(m, i, e) for m in all_codemods() for i, e in enumerate(m.examples)]


def write(root, files):
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)


@pytest.mark.parametrize("codemod, i, example", EXAMPLES, ids=[f"{m.id}-{i}" for m, i, _ in EXAMPLES])
def test_codemod_examples(project, codemod, i, example):
    write(project, example.files)
    report = suggest_fix(example.path, example.line, example.rule, config=load_config(project))
    if example.after is None:
        assert report.patch is None and "no safe automatic fix" in report.explanation
        return
    assert report.patch, report.explanation
    (changed, expected), = example.after.items()
    assert report.path == changed
    applied = apply_fix(example.path, example.line, report.sha256, example.rule, config=load_config(project))
    assert (project / changed).read_text() == expected
    assert applied.applied and open(applied.backup).read() == example.files[changed]
    rescan = suggest_fix.__module__  # the finding is gone: asking again names no finding at that line
    with pytest.raises(InputError, match="no finding"):
        suggest_fix(example.path, example.line, example.rule, config=load_config(project))
    del rescan


def test_every_codemod_has_a_positive_example():
    for codemod in all_codemods():
        assert any(e.after for e in codemod.examples), codemod.id


def test_apply_refuses_a_file_changed_since_the_diff(project):
    write(project, {"imports.py": 'def load(conn, rows):\n    for row in rows:\n        conn.execute("INSERT INTO t VALUES (?)", (row,))\n'})
    report = suggest_fix("imports.py", 3, config=load_config(project))
    (project / "imports.py").write_text((project / "imports.py").read_text() + "# edited meanwhile\n")
    with pytest.raises(InputError, match="expected_sha256: imports.py changed since the diff was made"):
        apply_fix("imports.py", 3, report.sha256, config=load_config(project))
    assert (project / "imports.py").read_text().endswith("# edited meanwhile\n")


@pytest.mark.parametrize("kwargs, message", [
    ({"path": "../outside.py", "line": 1}, "outside the project root"),
    ({"path": "nothing.py", "line": 0}, "line: expected a line number >= 1, got 0"),
    ({"path": "clean.py", "line": 1}, "line: no finding at clean.py:1; clean.py has no finding"),
])
def test_bad_requests_name_the_problem(project, kwargs, message):
    (project / "clean.py").write_text("x = 1\n")
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        suggest_fix(**kwargs, config=load_config(project))
    with pytest.raises(InputError, match="expected_sha256"):
        apply_fix("clean.py", 1, "abc", config=load_config(project))
    assert hashlib.sha256((project / "clean.py").read_bytes()).hexdigest()


def test_cli_fix_shows_then_applies(project):
    import subprocess
    import sys

    from conftest import cli_env

    source = 'def load(conn, rows):\n    for row in rows:\n        conn.execute("INSERT INTO t VALUES (?)", (row,))\n'
    write(project, {"imports.py": source})
    run = lambda *a: subprocess.run([sys.executable, "-m", "mcp_server.cli", "fix", *a, "--root", str(project)], capture_output=True,
                                    text=True, env=cli_env(), timeout=120)
    shown = run("imports.py")
    assert shown.returncode == 1 and "+    conn.executemany(" in shown.stdout and (project / "imports.py").read_text() == source
    applied = run("imports.py", "--apply")
    assert applied.returncode == 0 and applied.stdout.startswith("fixed PF201 at imports.py:3")
    assert (project / "imports.py").read_text() == 'def load(conn, rows):\n    conn.executemany("INSERT INTO t VALUES (?)", [(row,) for row in rows])\n'
    assert run("imports.py").stdout.strip() == "no finding here has an automatic fix"

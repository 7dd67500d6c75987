"""Turning the scanner on in an existing codebase: a baseline of today's findings, `--since REF`, and the
repository's pre-commit hook run by the real `pre-commit` in a throwaway git repository (issue 18)."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO, cli_env

LOOKUPS = 'def totals(rows, cur):\n    for r in rows:\n        cur.execute("SELECT * FROM t WHERE id = ?", (r,))\n'
WRITES = 'def import_rows(rows, cur):\n    for r in rows:\n        cur.execute("INSERT INTO u VALUES (?)", (r,))\n'
GIT = ["git", "-c", "user.email=dev@example.com", "-c", "user.name=dev", "-c", "commit.gpgsign=false"]


def run(root, *args):
    return subprocess.run([sys.executable, "-m", "mcp_server.cli", *args], capture_output=True, text=True, cwd=root,
                          env=cli_env(), timeout=60)


def git(root, *args):
    return subprocess.run([*GIT, "-C", str(root), *args], capture_output=True, text=True, check=True, timeout=60).stdout


def found(root, *args):
    p = run(root, "scan", "--format", "json", "--no-ruff", *args)
    assert p.returncode in (0, 1), p.stderr
    return p.returncode, [(f["rule"], f["location"]["path"], f["location"]["line"]) for f in json.loads(p.stdout)["findings"]]


@pytest.fixture
def repo_project(project):
    (project / "app.py").write_text(LOOKUPS)
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "five years of code")
    return project


def test_baseline_survives_shifted_lines_and_reformatting_and_reports_what_is_new(repo_project):
    root = repo_project
    p = run(root, "scan", "--write-baseline", "baseline.json")
    assert (p.returncode, p.stdout) == (0, "wrote 1 finding(s) (1 distinct id(s)) to baseline.json; "
                                           "`scan --baseline baseline.json` reports only new ones\n")
    (entry,) = json.loads((root / "baseline.json").read_text())["findings"]
    assert {k: entry[k] for k in ("count", "rule", "path", "line")} == {"count": 1, "rule": "NP101", "path": "app.py", "line": 3}
    # lines inserted above, and the statement reformatted: still the accepted finding
    (root / "app.py").write_text('"""Totals."""\n\nimport os\n\n\n' + LOOKUPS.replace('(r,))', '(\n            r,\n        ),\n    )'))
    assert found(root, "--baseline", "baseline.json") == (0, [])
    assert found(root) == (1, [("NP101", "app.py", 8)])
    # a second, identical loop in the same function is the same id once more: the extra one is new (a second
    # lookup in the same loop is part of the accepted finding: one loop, one finding)
    (root / "app.py").write_text(LOOKUPS + '    for r in rows:\n        cur.execute("SELECT * FROM t WHERE id = ?", (r,))\n' + WRITES)
    assert found(root, "--baseline", "baseline.json") == (1, [("NP101", "app.py", 5), ("PF201", "app.py", 8)])


def test_the_config_names_the_baseline(repo_project):
    root = repo_project
    run(root, "scan", "--write-baseline", "baseline.json")
    (root / "pyproject.toml").write_text('[tool.performance-optimizer]\nbaseline = "baseline.json"\n')
    assert found(root) == (0, [])
    assert found(root, "--no-baseline") == (1, [("NP101", "app.py", 3)])


def test_bad_baselines_are_one_line_errors(repo_project):
    root = repo_project
    assert run(root, "scan", "--baseline", "nope.json").stderr == (
        "performance-optimizer: error: --baseline: no such file: nope.json (write one with scan --write-baseline nope.json)\n")
    (root / "b.json").write_text('{"findings": []}')
    assert run(root, "scan", "--baseline", "b.json").stderr == (
        "performance-optimizer: error: --baseline: b.json is not a performance-optimizer baseline (version 1, with a findings list)\n")


def test_since_reports_only_findings_on_changed_lines_committed_or_not(repo_project):
    root = repo_project
    git(root, "checkout", "-qb", "feature")
    (root / "app.py").write_text("import os\n" + LOOKUPS + WRITES)  # the old N+1 moved down a line; a new per-row write
    git(root, "commit", "-qam", "save rows")
    (root / "report.py").write_text(LOOKUPS)  # new, not even staged
    assert found(root, "--since", "main") == (1, [("PF201", "app.py", 7), ("NP101", "report.py", 3)])
    assert found(root) == (1, [("NP101", "app.py", 4), ("PF201", "app.py", 7), ("NP101", "report.py", 3)])
    assert run(root, "scan", "--since", "nosuch").stderr == (
        f"performance-optimizer: error: --since: 'nosuch' is not a revision git knows in {root} (or has no common history with HEAD)\n")


def test_since_keeps_a_finding_whose_loop_changed(repo_project):
    root = repo_project
    (root / "app.py").write_text(LOOKUPS.replace("for r in rows:", "for r in sorted(rows):"))
    assert found(root, "--since", "HEAD") == (1, [("NP101", "app.py", 3)])


def _hook_definition(language: str) -> dict:
    (hook,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    return {**hook, "language": language}


def _commit_with_pre_commit(root: Path, config: dict, home: Path):
    pre_commit = shutil.which("pre-commit") or pytest.skip("pre-commit is not installed (pip install -e '.[test]')")
    (root / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    env = {**cli_env(), "PRE_COMMIT_HOME": str(home)}
    subprocess.run([pre_commit, "install"], cwd=root, env=env, check=True, capture_output=True, timeout=60)
    (root / "ok.py").write_text("X = 1\n")
    git(root, "add", "-A")
    clean = subprocess.run([*GIT, "commit", "-qm", "config and a clean file"], cwd=root, env=env, capture_output=True, text=True, timeout=600)
    (root / "tests").mkdir()
    (root / "tests" / "test_x.py").write_text(LOOKUPS)  # excluded by the project's config: never blocks a commit
    (root / "billing.py").write_text(LOOKUPS)
    git(root, "add", "-A")
    blocked = subprocess.run([*GIT, "commit", "-qm", "an N+1"], cwd=root, env=env, capture_output=True, text=True, timeout=600)
    blocked.stdout += blocked.stderr  # git shows a hook's output on stderr
    return clean, blocked


def test_the_pre_commit_hook_fails_a_commit_that_adds_an_n_plus_one(repo_project, tmp_path_factory):
    """The real pre-commit, with the repository's hook definition; `language: system` runs the performance-optimizer
    installed here (the test below installs it the way users do, and is slow)."""
    hook = _hook_definition("system")
    clean, blocked = _commit_with_pre_commit(repo_project, {"repos": [{"repo": "local", "hooks": [hook]}]}, tmp_path_factory.mktemp("pc"))
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert blocked.returncode == 1 and "billing.py:3:9: NP101 [medium] `cur.execute` runs a query once per item of the loop at line 2" in blocked.stdout
    assert "tests/test_x.py" not in blocked.stdout
    assert git(repo_project, "log", "--format=%s") == "config and a clean file\nfive years of code\n"


@pytest.mark.slow
def test_the_pre_commit_hook_installed_from_this_repository(repo_project, tmp_path_factory):
    """pre-commit clones this repository at HEAD and pip-installs it into its own environment, as for a user."""
    head = git(REPO, "rev-parse", "HEAD").strip()
    config = {"repos": [{"repo": str(REPO), "rev": head, "hooks": [{"id": "performance-optimizer"}]}]}
    clean, blocked = _commit_with_pre_commit(repo_project, config, tmp_path_factory.mktemp("pc"))
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert blocked.returncode == 1 and "billing.py:3:9: NP101" in blocked.stdout

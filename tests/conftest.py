from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

from pg_cluster import postgres_dsn  # noqa: E402,F401  (the throwaway PostgreSQL cluster fixture)

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "accounting"


def expected_markers(root: Path, prefix: str = "") -> set[tuple[str, int, str]]:
    """(path, line, rule) of every `# expect: RULE [RULE...]` comment under root (`{# expect: ... #}` in templates),
    for rules starting with prefix."""
    import re

    found = set()
    for path in [*root.rglob("*.py"), *root.rglob("templates/**/*.html")]:
        for i, line in enumerate(path.read_text().splitlines(), start=1):
            m = re.search(r"# expect: ([A-Z0-9 ]+)$", line) or re.search(r"\{# expect: ([A-Z0-9 ]+?) #\}$", line)
            if m:
                found |= {(path.relative_to(root).as_posix(), i, rule) for rule in m.group(1).split() if rule.startswith(prefix)}
    return found


def fast_twin_lines(root: Path) -> set[tuple[str, int]]:
    """Every line of every `*_fast` function: the fixed twins must have no finding at all."""
    import ast

    lines = set()
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.endswith("_fast"):
                rel = path.relative_to(root).as_posix()
                lines |= {(rel, n) for n in range(node.lineno, node.end_lineno + 1)}
    for path in root.rglob("templates/**/*_fast.html"):  # a fast view's template, whole
        lines |= {(path.relative_to(root).as_posix(), n) for n in range(1, len(path.read_text().splitlines()) + 1)}
    return lines


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test gets its own facts cache, so none reads another's (or the developer's) cache."""
    monkeypatch.setenv("PERFORMANCE_OPTIMIZER_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture
def repo() -> Path:
    return REPO


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty analysed project: its own root, no CLAUDE_PROJECT_DIR leaking in from the session."""
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'demo'\n")
    monkeypatch.delenv("CLAUDE_PROJECT_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def cli_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "CLAUDE_PROJECT_DIR"}
    env.update(extra)
    return env


PYTHON = sys.executable

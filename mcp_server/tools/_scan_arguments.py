"""The arguments every scanning tool shares, checked once: what to read, which rules, which limits."""

from __future__ import annotations

from pathlib import Path

from ..analysis.files import PathFilter
from ..analysis.plan import ScanPlan
from ..analysis.ruff import identity as ruff_identity, missing as ruff_missing
from ..config import SEVERITIES, TABLE, ProjectConfig
from ..errors import InputError
from ..rule_codes import check_codes
from ..table_rows import check as check_table_rows, from_file


def plan_scan(
    paths: list[str] | None = None,
    include: list[str] | None = None,
    exclude: list[str] | None = None,
    min_severity: str | None = None,
    max_findings: int | None = None,
    *,
    config: ProjectConfig,
    select: list[str] | None = None,
    ignore: list[str] | None = None,
    use_cache: bool = True,
    jobs: int | None = None,
    only: tuple[str, ...] | None = None,
    table_rows: dict[str, int] | None = None,
    database: str | None = None,
) -> ScanPlan:
    """Check the arguments and decide what to read, without reading it yet."""
    if paths is not None and (not isinstance(paths, list) or not all(isinstance(p, str) for p in paths)):
        raise InputError("paths", "expected a list of paths relative to the project root")
    for name, value in (("include", include), ("exclude", exclude), ("rules" if only is None else "select", select), ("ignore", ignore)):
        if value is not None and (not isinstance(value, list) or not all(isinstance(v, str) and v for v in value)):
            raise InputError(name, "expected a list of non-empty strings")
    check_codes(select, "rules" if only is None else "select")
    check_codes(ignore, "ignore")
    if min_severity is not None and min_severity not in SEVERITIES:
        raise InputError("min_severity", f"expected one of {', '.join(SEVERITIES)}, got {min_severity!r}")
    if max_findings is not None and (isinstance(max_findings, bool) or not isinstance(max_findings, int) or max_findings < 1):
        raise InputError("max_findings", f"expected a whole number >= 1, got {max_findings!r}")
    if jobs is not None and jobs < 1:
        raise InputError("jobs", f"expected a whole number >= 1, got {jobs!r}")
    check_table_rows(table_rows)
    if table_rows is None and config.table_rows:
        table_rows = from_file(config.root, config.table_rows, f"pyproject.toml [{TABLE}].table-rows")
    selection = list(select if select is not None else config.select)
    if only is not None:  # a tool of one rule family: keep the selection inside it
        selection = [s for s in selection if s.startswith(only)] or list(only)
    ignored = tuple(ignore if ignore is not None else config.ignore)
    given, read_from, notes = tuple(table_rows or ()), "", ruff_missing(tuple(selection), ignored, config.ruff)
    sizing = database if database is not None else config.table_rows_from
    if sizing is not None:
        try:
            table_rows, read_from, said = _read_sizes(config, sizing, table_rows or {})
        except InputError as exc:
            if database is not None:
                raise
            raise InputError(f"pyproject.toml [{TABLE}].table-rows-from", exc.problem) from None  # the configuration's: its key
        notes = (*notes, said)
    return ScanPlan(
        root=config.root, paths=_whole_tree(config.root, paths),
        flt=PathFilter(tuple(include) if include is not None else config.include, tuple(exclude) if exclude is not None else config.exclude),
        select=tuple(selection), ignore=ignored, ruff=ruff_identity(tuple(selection), ignored, config.ruff),
        notes=notes,
        min_severity=min_severity if min_severity is not None else config.min_severity, max_findings=max_findings, use_cache=use_cache, jobs=jobs,
        max_bytes=int(config.threshold("max_file_kb") * 1024), table_rows=tuple(sorted((table_rows or {}).items())),
        sizes_read_from=read_from, sizes_given=given,
    )


def _read_sizes(config: ProjectConfig, database: str, given: dict[str, int]) -> tuple[dict[str, int], str, str]:
    """The database's rows per table under the user's own table_rows (theirs win), where they were read, and a note."""
    if not isinstance(database, str) or not database.strip():
        raise InputError("database", "expected a SQLite file in the project, a PostgreSQL DSN or a configured name")
    from ..sql.table_counts import read

    counts, shown = read(config, database)
    sized = {t: n for t, n in counts.items() if t not in given}
    said = (f"findings sized with the rows of {len(sized)} table{'s' if len(sized) != 1 else ''} read from {shown}" if sized else
            f"{shown} gave no table sizes (a PostgreSQL table never analysed has none: run ANALYZE)")
    return {**counts, **given}, shown, said


def _whole_tree(root: Path, paths: list[str] | None) -> tuple[str, ...]:
    """The paths as given, or `.` when one of them is the root itself (`scan .`, the root's absolute path): a scan of
    the whole project, which may then judge unused modules and started commands, whatever way it was named."""
    if not paths:
        return (".",)
    try:
        if any(Path(p if Path(p).is_absolute() else root / p).resolve() == root.resolve() for p in paths):
            return (".",)
    except OSError:
        pass  # an unreadable path keeps its own error, reported where the plan is read
    return tuple(paths)

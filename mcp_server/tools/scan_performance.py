"""scan_performance: every static rule (N+1 and the seed's other proactive triggers) in one Report, with ruff's
performance checks merged when ruff is installed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from ..config import ProjectConfig
from ._scan_arguments import plan_scan

if TYPE_CHECKING:
    from ..models import Report


def scan_performance(
    paths: list[str] | None = None,
    rules: list[str] | None = None,
    include: list[str] | None = None,
    exclude: list[str] | None = None,
    min_severity: str | None = None,
    max_findings: int | None = None,
    *,
    config: ProjectConfig,
    ignore: list[str] | None = None,
    use_cache: bool = True,
    jobs: int | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    table_rows: dict[str, int] | None = None,
    database: str | None = None,
) -> Report:
    from ..analysis.scan import scan_paths

    plan = plan_scan(paths, include, exclude, min_severity, max_findings, config=config, select=rules, ignore=ignore,
                     use_cache=use_cache, jobs=jobs, table_rows=table_rows, database=database)
    return scan_paths(plan, progress, tool="scan_performance")

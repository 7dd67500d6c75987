"""detect_n_plus_one: static, model-aware, cross-module N+1 detection with the evidence chain."""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from ..config import ProjectConfig
from ._scan_arguments import plan_scan

if TYPE_CHECKING:  # the scan and the models load only when a scan runs (see plan.py)
    from ..models import Report

N_PLUS_ONE_RULES = ("NP1",)


def detect_n_plus_one(
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
    progress: Callable[[int, int, str], None] | None = None,
    table_rows: dict[str, int] | None = None,
    database: str | None = None,
) -> Report:
    from ..analysis.scan import scan_paths

    plan = plan_scan(paths, include, exclude, min_severity, max_findings, config=config, select=select, ignore=ignore, use_cache=use_cache,
                     jobs=jobs, only=N_PLUS_ONE_RULES, table_rows=table_rows, database=database)
    return scan_paths(plan, progress)

"""detect_n_plus_one: static, model-aware, cross-module N+1 detection with the evidence chain."""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from ..analysis.files import PathFilter
from ..analysis.plan import ScanPlan
from ..config import SEVERITIES, ProjectConfig
from ..errors import InputError

if TYPE_CHECKING:  # the scan and the models load only when a scan runs (see plan.py)
    from ..models import Report

N_PLUS_ONE_RULES = ("NP1",)


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
) -> ScanPlan:
    """Check the arguments and decide what to read, without reading it yet."""
    if paths is not None and (not isinstance(paths, list) or not all(isinstance(p, str) for p in paths)):
        raise InputError("paths", "expected a list of paths relative to the project root")
    for name, value in (("include", include), ("exclude", exclude), ("select", select), ("ignore", ignore)):
        if value is not None and (not isinstance(value, list) or not all(isinstance(v, str) and v for v in value)):
            raise InputError(name, "expected a list of non-empty strings")
    if min_severity is not None and min_severity not in SEVERITIES:
        raise InputError("min_severity", f"expected one of {', '.join(SEVERITIES)}, got {min_severity!r}")
    if max_findings is not None and (isinstance(max_findings, bool) or not isinstance(max_findings, int) or max_findings < 1):
        raise InputError("max_findings", f"expected a whole number >= 1, got {max_findings!r}")
    if jobs is not None and jobs < 1:
        raise InputError("jobs", f"expected a whole number >= 1, got {jobs!r}")
    selection = [s for s in (select if select is not None else list(config.select)) if s.startswith("NP")] or list(N_PLUS_ONE_RULES)
    return ScanPlan(
        root=config.root, paths=tuple(paths or ["."]),
        flt=PathFilter(tuple(include) if include is not None else config.include, tuple(exclude) if exclude is not None else config.exclude),
        select=tuple(selection), ignore=tuple(ignore if ignore is not None else config.ignore),
        min_severity=min_severity, max_findings=max_findings, use_cache=use_cache, jobs=jobs,
        max_bytes=int(config.threshold("max_file_kb") * 1024),
    )


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
) -> Report:
    from ..analysis.scan import scan_paths

    plan = plan_scan(paths, include, exclude, min_severity, max_findings, config=config, select=select, ignore=ignore, use_cache=use_cache, jobs=jobs)
    return scan_paths(plan, progress)

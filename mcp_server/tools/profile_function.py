"""profile_function: run code in a contained child process and report what it cost, measured: time, hotspots,
memory, resources, and every database query with runtime N+1 findings."""

from __future__ import annotations

import os
import time
from typing import Any, Literal

from pydantic import BaseModel, Field

from ..config import ProjectConfig, resolve_inside
from ..errors import InputError
from ..models import Report, Stats
from ..runtime.analysis import leak_findings, merge_groups, n_plus_one_findings, repeated_findings
from ..runtime.runner import check_setup, project_interpreter, run_child

Status = Literal["ok", "exception", "timeout", "memory_limit", "crashed"]
SHOWN_GROUPS = 10  # an agent's default answer: the query groups and hotspots that matter, not every frame
SHOWN_HOTSPOTS = 10


class Timing(BaseModel):
    runs: int
    median_wall_ms: float
    min_wall_ms: float
    max_wall_ms: float
    median_cpu_ms: float
    wall_ms: list[float] = Field(description="Every uninstrumented run, in order.")


class QueryGroup(BaseModel):
    fingerprint: str = Field(description="The statement with literals and parameters replaced by ?, IN lists collapsed.")
    count: int
    total_ms: float
    share_of_run: float = Field(description="Query time of this group / wall time of the capture run, 0-1.")
    call_site: str | None = Field(description="path:line of the innermost application frame that ran it.")
    stack: list[str] = Field(description="Application frames, innermost first: path:line function().")
    sample: str
    distinct_params: int
    layer: str = Field(description="Where it was captured: sqlite3, psycopg, psycopg2, sqlalchemy or django.")
    static_rule: str | None = Field(default=None, description="The static finding at the same call site, when the scanner reported one (confirmed_by_runtime).")


class Queries(BaseModel):
    total: int
    total_ms: float
    run_ms: float = Field(description="Wall time of the capture run, for the shares.")
    groups: list[QueryGroup] = Field(description="By count, largest first (at most 50).")


class ProfileReport(Report):
    tool: str = "profile_function"
    status: Status
    message: str = ""
    target: str
    traceback: str | None = None
    timing: Timing | None = None
    hotspots: dict[str, Any] | None = Field(default=None, description="by_self and by_cumulative (top functions with calls, self and "
                                                                       "cumulative ms, kind app/library/stdlib), heaviest_path.")
    peak_rss_mb: float | None = Field(default=None, description="Peak resident memory of the child over its whole life (wait4).")
    memory: dict[str, Any] | None = Field(default=None, description="tracemalloc peak and the top allocation sites of one call.")
    resources: dict[str, Any] | None = Field(default=None, description="Open files and sockets before and after one call.")
    queries: Queries | None = None
    overhead: dict[str, float] = Field(default_factory=dict, description="Instrumented run time / uninstrumented median, per instrument.")
    result_repr: str | None = None
    stdout_tail: str = ""
    stderr_tail: str = ""
    wall_s: float = Field(default=0.0, description="The whole child process, start to end.")

    def summary_lines(self) -> list[str]:
        lines = [f"status: {self.status}{' (' + self.message + ')' if self.message else ''}"]
        if self.timing:
            lines.append(f"time: median {self.timing.median_wall_ms:.2f} ms wall, {self.timing.median_cpu_ms:.2f} ms CPU over {self.timing.runs} runs")
        if self.queries:
            lines.append(f"queries: {self.queries.total} in {self.queries.total_ms:.1f} ms")
            for g in self.queries.groups[:SHOWN_GROUPS]:
                lines.append(f"  {g.count:>6} x {g.total_ms:8.1f} ms  {g.fingerprint[:120]}  at {g.call_site or '-'}")
        for row in ((self.hotspots or {}).get("by_cumulative") or [])[:5]:
            if isinstance(row, dict):
                lines.append(f"  hotspot {row.get('function', '?')} ({row.get('file', '?')}:{row.get('line', '?')}): "
                             f"{row.get('cumulative_ms', 0):.1f} ms cumulative, {row.get('calls', '?')} calls")
        if self.peak_rss_mb is not None:
            lines.append(f"peak RSS: {self.peak_rss_mb:.1f} MB")
        return lines

    def summarised(self, frames: int = 5) -> ProfileReport:
        """What an agent reads by default: the top query groups and hotspots, each stack cut to its innermost frames."""
        short = self.model_copy(deep=True)
        if short.queries:
            for g in short.queries.groups:
                g.stack = g.stack[:frames]
                g.sample = g.sample[:300]
            short.queries.groups = short.queries.groups[:SHOWN_GROUPS]
        if isinstance(short.hotspots, dict):
            short.hotspots = {k: v[:SHOWN_HOTSPOTS] if isinstance(v, list) else v for k, v in short.hotspots.items()}
        if short.timing and len(short.timing.wall_ms) > 20:
            short.timing.wall_ms = short.timing.wall_ms[:20]
        return short


def profile_function(
    target: str,
    args: list[Any] | None = None,
    kwargs: dict[str, Any] | None = None,
    setup: str | None = None,
    repeat: int = 5,
    timeout_s: float = 30,
    memory_limit_mb: int = 1024,
    python: str | None = None,
    cwd: str | None = None,
    env: dict[str, str] | None = None,
    n_plus_one_threshold: int = 5,
    *,
    config: ProjectConfig,
) -> ProfileReport:
    started = time.perf_counter()
    _check(target, args, kwargs, setup, repeat, timeout_s, memory_limit_mb, env, n_plus_one_threshold)
    root = config.root
    workdir = resolve_inside(root, cwd, "cwd") if cwd else root
    if not workdir.is_dir():
        raise InputError("cwd", f"{cwd} is not a directory")
    if target.strip().endswith(".py") and "\n" not in target:  # a script runs only from inside the root, like every path read
        script = resolve_inside(root, target if os.path.isabs(target) else workdir / target, "target")
        if not script.is_file():
            raise InputError("target", f"no such script: {target}")
    interpreter = project_interpreter(python, root)
    child_env = {**os.environ, **(env or {})}
    child_env.pop("PYTHONSTARTUP", None)
    spec = {"target": target, "args": args, "kwargs": kwargs, "setup": setup, "repeat": repeat, "root": str(root),
            "memory_limit_mb": memory_limit_mb, "cpu_limit_s": int(timeout_s) + 1}
    child = run_child(spec, interpreter, str(workdir), child_env, timeout_s)
    data = child.data
    report = ProfileReport(
        status=child.status, message=child.message, target=target, traceback=data.get("traceback"), peak_rss_mb=child.peak_rss_mb,
        stdout_tail=child.stdout_tail, stderr_tail=child.stderr_tail, wall_s=child.wall_s, result_repr=data.get("result_repr"),
        memory=data.get("memory"), hotspots=data.get("hotspots"),
    )
    if child.stdout_bytes > len(child.stdout_tail.encode()):
        report.notes.append(f"stdout: {child.stdout_bytes:,} bytes, the last {len(child.stdout_tail.encode()):,} kept")
    timing = data.get("timing")
    if timing:
        walls = timing["wall_ms"]
        report.timing = Timing(runs=timing["runs"], median_wall_ms=timing["median_wall_ms"], min_wall_ms=min(walls), max_wall_ms=max(walls),
                               median_cpu_ms=timing["median_cpu_ms"], wall_ms=walls)
        median = max(timing["median_wall_ms"], 1e-3)
        for name, key in (("query_capture", "queries"), ("cprofile", "profile_run_ms"), ("tracemalloc", "tracemalloc_run_ms")):
            value = data.get(key, {}).get("run_ms") if key == "queries" else data.get(key)
            if value is not None:
                report.overhead[name] = round(value / median, 2)
    if data.get("resources"):
        report.resources = data["resources"]
        report.findings += leak_findings(data["resources"]["before"], data["resources"]["after"])
    if data.get("queries"):
        report.queries, findings = _queries(data["queries"], n_plus_one_threshold, config)
        report.findings = findings + report.findings
    report.stats = Stats(duration_ms=(time.perf_counter() - started) * 1000)
    return report


def _queries(raw: dict, threshold: int, config: ProjectConfig) -> tuple[Queries, list]:
    groups = merge_groups(raw["groups"])
    run_ms = raw.get("run_ms", 0.0)
    static = _static_sites(config, groups, threshold)
    findings = n_plus_one_findings(groups, run_ms, threshold, static) + repeated_findings(groups, threshold)
    shown = []
    for g in groups[:50]:
        rule = next((static[(p, ln)] for p, ln, _ in g.stack if (p, ln) in static), None)
        shown.append(QueryGroup(
            fingerprint=g.fingerprint, count=g.count, total_ms=g.seconds * 1000, share_of_run=(g.seconds * 1000 / run_ms) if run_ms else 0.0,
            call_site=f"{g.stack[0][0]}:{g.stack[0][1]}" if g.stack else None, stack=[f"{p}:{ln} {fn}()" for p, ln, fn in g.stack],
            sample=g.sample[:1000], distinct_params=g.distinct_params, layer=g.layer, static_rule=rule,
        ))
    return Queries(total=raw["total"], total_ms=raw["seconds"] * 1000, run_ms=run_ms, groups=shown), findings


def _static_sites(config: ProjectConfig, groups, threshold: int) -> dict[tuple[str, int], str]:
    """(path, line) -> rule of the static N+1 findings in the files the repeated queries came from."""
    files = sorted({p for g in groups if g.count >= threshold for p, _, _ in g.stack if not p.startswith("<") and (config.root / p).is_file()})
    if not files:
        return {}
    from .detect_n_plus_one import detect_n_plus_one

    try:
        report = detect_n_plus_one(config=config, include=["**/*.py"], exclude=[])
    except InputError:
        return {}
    wanted = set(files)
    return {(f.location.path, f.location.line): f.rule for f in report.findings if f.location and f.location.path in wanted}


def _check(target, args, kwargs, setup, repeat, timeout_s, memory_limit_mb, env, threshold) -> None:
    if not isinstance(target, str) or not target.strip():
        raise InputError("target", "expected `module:function`, `module:Class.method`, a script path or a code snippet")
    if args is not None and not isinstance(args, list):
        raise InputError("args", f"expected a JSON list of positional arguments, got {type(args).__name__}")
    if kwargs is not None and not (isinstance(kwargs, dict) and all(isinstance(k, str) for k in kwargs)):
        raise InputError("kwargs", "expected a JSON object of keyword arguments")
    check_setup(setup)
    for name, value, low, high in (("repeat", repeat, 1, 1000), ("n_plus_one_threshold", threshold, 2, 1_000_000),
                                   ("memory_limit_mb", memory_limit_mb, 64, 1_048_576)):
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise InputError(name, f"expected a whole number from {low} to {high}, got {value!r}")
    if isinstance(timeout_s, bool) or not isinstance(timeout_s, (int, float)) or not 0 < timeout_s <= 3600:
        raise InputError("timeout_s", f"expected seconds, more than 0 and at most 3600, got {timeout_s!r}")
    if env is not None and not (isinstance(env, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in env.items())):
        raise InputError("env", "expected an object of string names to string values")


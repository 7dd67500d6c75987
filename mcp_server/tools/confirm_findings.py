"""confirm_findings: run the project's own test suite with query capture, scan statically, and join the two.

Every finding whose rule means "a statement per item" gets a runtime status (confirmed, not_repeated,
not_exercised); repeated SELECTs no finding explains become RT101 runtime_only findings. The command's exit
status and output stay its own; nothing is written into the project (see mcp_server/confirm/run.py).
"""

from __future__ import annotations

import time
from collections import Counter
from typing import IO, Callable

from pydantic import Field

from ..config import ProjectConfig
from ..errors import InputError
from ..models import BaseModel, InputProblem, Report, ReportPage

DEFAULT_THRESHOLD = 5  # the pytest plugin's (pytest_plugin.DEFAULT_THRESHOLD; a test keeps them equal), Sentry's
DEFAULT_TIMEOUT_S = 900.0
TAIL_CHARS = 2000  # of the command's output, when it is captured rather than passed through


class ConfirmRun(BaseModel):
    """How the command ran, and what the capture saw."""

    command: list[str] = Field(default_factory=list, description="The command run in the project root.")
    run_status: str = Field(default="passed", description="passed, failed (non-zero exit or a signal), timeout (process group killed), "
                                                          "not_found (the command could not start) or no_python (it ran no Python process).")
    exit_code: int | None = Field(default=None, description="The command's exit status (None when it did not end by itself).")
    duration_s: float = Field(default=0.0, description="The command's wall time.")
    processes: int = Field(default=0, description="Python processes the capture ran in.")
    tests: int = Field(default=0, description="Tests (pytest ids, unittest cases) that ran at least one query.")
    queries: int = Field(default=0, description="Queries captured.")
    threshold: int = Field(default=DEFAULT_THRESHOLD, description="Repeats of one statement in one test that confirm an N+1.")
    by_status: dict[str, int] = Field(default_factory=dict, description="Findings per runtime status.")
    output_tail: str = Field(default="", description="The end of the command's output (when it was captured, not passed through).")

    def summary_lines(self) -> list[str]:
        counts = ", ".join(f"{n} {s}" for s, n in self.by_status.items()) or "no finding a query count can confirm"
        how = f"exit status {self.exit_code}" if self.exit_code is not None else self.run_status
        return [f"confirm: {counts}; `{' '.join(self.command)}` {self.run_status} ({how}) in {self.duration_s:.1f} s, "
                f"{self.processes} Python process(es), {self.tests} test(s) with queries, {self.queries} queries (threshold {self.threshold})"] \
            + ([f"the command's output ended with:\n{self.output_tail[-800:]}"] if self.output_tail and self.run_status != "passed" else [])


class ConfirmReport(ConfirmRun, Report):
    pass


class ConfirmPage(ConfirmRun, ReportPage):
    """confirm_findings as an agent reads it: how the suite ran, and a page of findings, confirmed first."""

    @staticmethod
    def extras(report: ConfirmReport) -> dict:
        return report.model_dump(include=set(ConfirmRun.model_fields))


def check_arguments(command: object, threshold: object, timeout_s: object) -> None:
    if not isinstance(command, list) or not command or not all(isinstance(c, str) for c in command) or not command[0].strip():
        raise InputError("command", "expected the command as a non-empty list of strings, e.g. [\"python\", \"-m\", \"pytest\", \"-q\"]")
    if threshold is not None and (isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < 2):
        raise InputError("threshold", f"expected a whole number >= 2, got {threshold!r}")
    if isinstance(timeout_s, bool) or not isinstance(timeout_s, (int, float)) or not timeout_s > 0:
        raise InputError("timeout_s", f"expected a number of seconds > 0, got {timeout_s!r}")


def confirm_findings(
    command: list[str],
    paths: list[str] | None = None,
    threshold: int | None = None,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    select: list[str] | None = None,
    ignore: list[str] | None = None,
    *,
    config: ProjectConfig,
    output: int | IO | None = None,
    progress: Callable[[float, float, str], None] | None = None,
    use_cache: bool = True,
) -> ConfirmReport:
    """`output`: where the command's output goes (None: passed through; subprocess.PIPE: its end kept in the report)."""
    import subprocess

    from ..analysis.plan import inventory
    from ..analysis.engine import selected
    from ..analysis.scan import scan_paths
    from ..confirm.join import annotate, merge, order, runtime_only
    from ..confirm.run import run_suite
    from ._scan_arguments import plan_scan

    check_arguments(command, threshold, timeout_s)
    threshold = threshold or DEFAULT_THRESHOLD
    started = time.perf_counter()
    plan = plan_scan(paths, min_severity="info", config=config, select=select, ignore=ignore, use_cache=use_cache)  # a run can confirm a low one
    inv = inventory(plan)
    shown = _Monotonic(progress)
    static = scan_paths(plan, (lambda d, t, m: shown(10 * d / max(t, 1), m)) if progress else None, tool="confirm", inv=inv)
    run = run_suite(command, config.root, float(timeout_s), output,
                    (lambda elapsed, limit, m: shown(10 + 89 * min(1.0, elapsed / limit), m)) if progress else None)
    report = ConfirmReport(tool="confirm", findings=static.findings, errors=static.errors, notes=static.notes, stats=static.stats,
                           command=command, run_status=run.status, exit_code=run.exit_code, duration_s=round(run.seconds, 3),
                           processes=run.processes, threshold=threshold)
    if output == subprocess.PIPE:
        report.output_tail = run.output_tail[-TAIL_CHARS:]
    if run.status == "not_found":
        report.errors.append(InputProblem(input="command", message=run.message))
        report.notes.append("nothing was confirmed: the command did not run; the findings are the static scan's alone")
    elif run.processes == 0:
        report.run_status = "no_python"
        report.errors.append(InputProblem(input="command", message=(
            f"{command[0]} started no Python process we could measure (not Python, or run with -I / -S): nothing was confirmed; "
            "give a command that runs the tests with Python, e.g. python -m pytest")))
    else:
        runs = merge(run.groups)
        explained = annotate(report.findings, runs, threshold, config.root)
        extra: list = []
        if selected("RT101", plan.select, plan.ignore):
            extra, outside = runtime_only(runs, explained, threshold, {s[0] for s in inv.stamps}, config.root)
            if outside:
                report.notes.append(f"{outside} repeated query group(s) ran only from tests or files outside the scan, or outside any test "
                                        "(database setup, class-level fixtures): not reported")
            from ..analysis.identity import assign_ids, file_reader

            assign_ids(extra, file_reader(config.root))
        report.findings = order([*report.findings, *extra])
        report.tests = len({r.test for r in runs if r.test})
        report.queries = sum(r.count for r in runs)
        if run.status != "passed":
            report.errors.append(InputProblem(input="command", message=run.message))
            report.notes.append("the statuses come from what ran before the command " + ("was stopped" if run.status == "timeout" else "failed")
                                + ": a finding not_exercised may sit on a path a failed or unreached test would have run")
        unmeasured = sum(1 for f in report.findings if f.runtime is None)
        if unmeasured:
            report.notes.append(f"{unmeasured} finding(s) of rules a query count cannot confirm (memory, leaks, money, async, commits) have no runtime status")
    report.by_status = dict(Counter(f.runtime.status for f in report.findings if f.runtime).most_common())
    report.stats.duration_ms = (time.perf_counter() - started) * 1000
    return report


class _Monotonic:
    """Progress as one rising number from 0 to 100 over both phases (MCP wants it never to go back)."""

    def __init__(self, progress):
        self.progress = progress
        self.last = 0.0

    def __call__(self, value: float, message: str) -> None:
        self.last = max(self.last, value)
        if self.progress is not None:
            self.progress(self.last, 100.0, message)


_RECENT: dict[tuple, ConfirmReport] = {}  # the last few runs, so the next page or one finding does not rerun the suite
_KEEP = 4


def remembered(key: tuple, reuse: bool, run: Callable[[], ConfirmReport]) -> ConfirmReport:
    """The report of an earlier call with the same arguments when `reuse` (a cursor or finding_id was passed), else a new run."""
    if reuse and key in _RECENT:
        return _RECENT[key]
    report = run()
    _RECENT.pop(key, None)
    _RECENT[key] = report
    while len(_RECENT) > _KEEP:
        _RECENT.pop(next(iter(_RECENT)))
    return report

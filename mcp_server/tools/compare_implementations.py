"""compare_implementations: prove an optimisation. Both sides run in fresh, contained child processes,
interleaved, calibrated so one sample lasts min_sample_ms, with identical results checked (Decimal-exact by
default) and a verdict that needs both statistical significance and a minimum effect."""

from __future__ import annotations

import math
import os
import statistics
import time
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

from ..compare import revisions
from ..compare.results import first_difference, parse_mode
from ..compare.stats import mann_whitney_p, ratio_ci, summarise
from ..config import ProjectConfig, resolve_inside
from ..errors import InputError
from ..models import Report, Stats
from ..runtime.analysis import merge_groups
from ..runtime.runner import check_setup, project_interpreter, run_child
from ..sla.defaults import metric_unit
from .check_sla import SlaReport, check_sla

Verdict = Literal["faster", "slower", "no_significant_difference", "results_differ", "failed"]
ALPHA = 0.01  # Mann-Whitney significance level (asv uses 0.002 on far more runs)
VALUES_PER_PROCESS = 3  # samples taken in each child, as pyperf takes a few values per worker
MIN_PROCESSES = 5  # from this many children per side, the test runs on one value per child


class SideStats(BaseModel):
    median_ms: float
    mad_ms: float
    p95_ms: float | None = Field(description="Only with >= 20 samples.")
    min_ms: float
    max_ms: float
    samples: int
    loops: int = Field(description="Calls per sample, calibrated so one sample lasts at least min_sample_ms.")
    queries_per_call: int | None = None
    n_plus_one_groups: int = Field(default=0, description="Query groups repeated >= 5 times from one call stack in one call.")
    peak_rss_mb: float | None = None


class Difference(BaseModel):
    path: str
    baseline: str
    candidate: str


class InputComparison(BaseModel):
    label: str
    baseline: SideStats | None = None
    candidate: SideStats | None = None
    ratio: float | None = Field(default=None, description="median(candidate) / median(baseline): below 1 is faster.")
    ci_low: float | None = Field(default=None, description="95% bootstrap confidence interval of the ratio.")
    ci_high: float | None = None
    p_value: float | None = Field(default=None, description="Mann-Whitney U, two-sided.")
    results_equal: bool | None = None
    first_difference: Difference | None = None
    verdict: Verdict
    reason: str = ""


class CompareReport(Report):
    tool: str = "compare_implementations"
    verdict: Verdict = Field(description="results_differ or failed on any input wins; else the verdict on the last (largest) input.")
    baseline: str
    candidate: str
    compare_results: str
    inputs: list[InputComparison] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    failures: dict[str, str] = Field(default_factory=dict, description="Side -> why it could not be measured.")
    sla: SlaReport | None = None
    elapsed_s: float = 0.0

    def summary_lines(self) -> list[str]:
        lines = []
        for c in self.inputs:
            if c.baseline and c.candidate and c.ratio is not None:
                lines.append(f"{c.label}: {c.baseline.median_ms:.3f} ms -> {c.candidate.median_ms:.3f} ms, ratio {c.ratio:.3f} "
                             f"[{c.ci_low:.3f}, {c.ci_high:.3f}], p={c.p_value:.2g}, queries {c.baseline.queries_per_call} -> "
                             f"{c.candidate.queries_per_call}: {c.verdict}")
            else:
                lines.append(f"{c.label}: {c.verdict} {c.reason}")
        lines += [f"warning: {w}" for w in self.warnings]
        lines += [f"{side} failed: {why}" for side, why in self.failures.items()]
        if self.sla is not None:
            detail = ", ".join(f"{r.metric} {r.expression}: {r.status}" for r in self.sla.results)
            lines.append(f"SLA ({self.sla.targets_source} targets, candidate's ms per call at the largest input): {detail}")
        lines.append(f"verdict: {self.verdict}")
        return lines


def compare_implementations(
    baseline: str,
    candidate: str,
    args: list[Any] | None = None,
    kwargs: dict[str, Any] | None = None,
    setup: str | None = None,
    inputs: list[Any] | str | None = None,
    min_samples: int = 20,
    max_time_s: float = 60,
    min_effect: float = 0.05,
    compare_results: str = "exact",
    targets: dict[str, str | list[str]] | None = None,
    python: str | None = None,
    cwd: str | None = None,
    timeout_s: float = 120,
    min_sample_ms: float = 100,
    *,
    config: ProjectConfig,
) -> CompareReport:
    started = time.perf_counter()
    mode, rel = _check(baseline, candidate, args, kwargs, setup, inputs, min_samples, max_time_s, min_effect, compare_results, timeout_s,
                       min_sample_ms)
    workdir = resolve_inside(config.root, cwd, "cwd") if cwd else config.root
    interpreter = project_interpreter(python, config.root)
    report = CompareReport(verdict="failed", baseline=baseline, candidate=candidate, compare_results=compare_results)
    sides = {}
    try:
        sides["baseline"] = revisions.resolve("baseline", baseline, config.root)
        sides["candidate"] = revisions.resolve("candidate", candidate, config.root)
        runs = _measure(sides, workdir, config.root, interpreter, setup, args, kwargs, inputs, min_samples, max_time_s, timeout_s, min_sample_ms,
                        report)
    finally:
        for side in sides.values():
            if side.cleanup is not None:
                side.cleanup.cleanup()
    if not report.failures:
        _judge(runs, report, mode, rel, min_effect, min_samples, min_sample_ms)
        if report.verdict not in ("failed", "results_differ"):
            report.sla = _sla(runs, targets, config)
    report.elapsed_s = time.perf_counter() - started
    report.stats = Stats(duration_ms=report.elapsed_s * 1000)
    return report


def _measure(sides, workdir: Path, root: Path, python: str, setup, args, kwargs, inputs, min_samples, max_time_s, timeout_s, min_sample_ms,
             report: CompareReport) -> dict:
    """Interleaved rounds of one fresh child per side (A B, then B A, ...) until min_samples or max_time_s."""
    rel = workdir.relative_to(root)
    runs: dict[str, dict] = {name: {"inputs": {}, "rss": None} for name in sides}
    loops: dict[str, dict[str, int] | None] = {name: None for name in sides}
    deadline = time.perf_counter() + max_time_s
    round_no = 0
    # fewer values per child when few samples are asked for, so that the test still has MIN_PROCESSES children a side
    values = min(VALUES_PER_PROCESS, max(1, min_samples // MIN_PROCESSES))
    env = {**os.environ}
    while True:
        order = list(sides) if round_no % 2 == 0 else list(reversed(sides))
        for name in order:
            side = sides[name]
            first = round_no == 0
            spec = {"mode": "compare", "target": side.target, "setup": setup, "args": args, "kwargs": kwargs, "inputs": inputs,
                    "values": values, "loops": loops[name], "min_sample_ms": min_sample_ms, "capture": first, "result": first,
                    "root": str(side.root), "memory_limit_mb": 4096, "cpu_limit_s": int(timeout_s) + 1}
            child = run_child(spec, python, str(side.root / rel), env, timeout_s)
            if child.status != "ok":
                report.failures[name] = f"{child.status}: {child.message}".strip(": ") + (f"\n{child.data['traceback'][-1500:]}" if child.data.get("traceback") else "")
                return runs
            runs[name]["rss"] = max(runs[name]["rss"] or 0, child.peak_rss_mb or 0)
            if first:
                loops[name] = {e["label"]: e["loops"] for e in child.data["inputs"]}
            for entry in child.data["inputs"]:
                slot = runs[name]["inputs"].setdefault(entry["label"], {"samples": [], "loops": entry["loops"], "processes": []})
                slot["samples"] += entry["samples_ms"]
                slot["processes"].append(statistics.median(entry["samples_ms"]))
                for key in ("result", "result_error", "queries"):
                    if key in entry:
                        slot[key] = entry[key]
        round_no += 1
        enough = all(len(slot["samples"]) >= min_samples for run in runs.values() for slot in run["inputs"].values())
        if enough or time.perf_counter() >= deadline:
            if not enough:
                report.warnings.append(f"stopped at max_time_s={max_time_s:g} before min_samples={min_samples} were taken")
            return runs


def _judge(runs: dict, report: CompareReport, mode: str, rel: float, min_effect: float, min_samples: int, min_sample_ms: float) -> None:
    verdicts = []
    for label, base in runs["baseline"]["inputs"].items():
        cand = runs["candidate"]["inputs"].get(label)
        if cand is None:
            report.inputs.append(InputComparison(label=label, verdict="failed", reason="the candidate produced no such input"))
            verdicts.append("failed")
            continue
        comparison = InputComparison(label=label, verdict="no_significant_difference",
                                     baseline=_side(base, runs["baseline"]["rss"]), candidate=_side(cand, runs["candidate"]["rss"]))
        errors = [f"{side}: {slot['result_error']}" for side, slot in (("baseline", base), ("candidate", cand)) if slot.get("result_error")]
        if errors:
            comparison.verdict, comparison.reason = "failed", "; ".join(errors)
        else:
            diff = first_difference(base.get("result"), cand.get("result"), mode, rel)
            comparison.results_equal = diff is None
            if diff is not None:
                comparison.first_difference = Difference(path=diff[0], baseline=diff[1], candidate=diff[2])
                comparison.verdict = "results_differ"
                comparison.reason = f"{diff[0]}: baseline {diff[1]}, candidate {diff[2]}"
        b, c = base["samples"], cand["samples"]
        comparison.ratio = summarise(c).median / summarise(b).median if summarise(b).median > 0 else math.inf
        comparison.ci_low, comparison.ci_high = ratio_ci(b, c)
        # samples taken in one process share its luck (memory layout, frequency): with enough processes, test one value per
        # process, so that a difference between two processes of identical code is not mistaken for a difference of code
        bp, cp = base["processes"], cand["processes"]
        tested = (bp, cp) if min(len(bp), len(cp)) >= MIN_PROCESSES else (b, c)
        comparison.p_value = mann_whitney_p(*tested)
        # the test cannot beat its own best case: with 3 samples a side, even a 23x speed-up has p = 0.081
        best = mann_whitney_p(list(range(len(tested[0]))), list(range(len(tested[0]), len(tested[0]) + len(tested[1]))))
        if best >= ALPHA and comparison.verdict == "no_significant_difference":
            comparison.reason = (f"{len(tested[0])} and {len(tested[1])} samples cannot reach significance: even with every sample of one side "
                                 f"faster than every sample of the other, p = {best:.3f} (needs p < {ALPHA}); "
                                 f"take at least {_samples_for_significance()} a side (min_samples)")
            report.warnings.append(f"{label}: {comparison.reason}")
        if comparison.verdict == "no_significant_difference" and comparison.p_value < ALPHA:
            if comparison.ratio <= 1 - min_effect and comparison.ci_high < 1:
                comparison.verdict = "faster"
            elif comparison.ratio >= 1 + min_effect and comparison.ci_low > 1:
                comparison.verdict = "slower"
        for side, samples, slot in (("baseline", b, base), ("candidate", c, cand)):
            s = summarise(samples)
            if s.mean > 0 and s.stdev >= 0.10 * s.mean:
                report.warnings.append(f"{label}, {side}: high variance (standard deviation {s.stdev / s.mean:.0%} of the mean); the machine may be busy")
            if slot["loops"] * s.median < min_sample_ms / 2:
                report.warnings.append(f"{label}, {side}: samples last {slot['loops'] * s.median:.1f} ms, shorter than min_sample_ms={min_sample_ms:g}")
            if len(samples) < min_samples:
                report.warnings.append(f"{label}, {side}: {len(samples)} samples, fewer than min_samples={min_samples}")
        report.inputs.append(comparison)
        verdicts.append(comparison.verdict)
    if "failed" in verdicts:
        report.verdict = "failed"
    elif "results_differ" in verdicts:
        report.verdict = "results_differ"
    elif verdicts:
        report.verdict = verdicts[-1]
        slower = [c.label for c in report.inputs[:-1] if c.verdict == "slower"]
        if slower and report.verdict == "faster":
            report.warnings.append(f"faster on the largest input but slower on {', '.join(slower)}")


def _samples_for_significance() -> int:
    """The fewest samples a side for which a complete separation is significant at ALPHA."""
    n = 2
    while mann_whitney_p(list(range(n)), list(range(n, 2 * n))) >= ALPHA:
        n += 1
    return n


def _side(slot: dict, rss: float | None) -> SideStats:
    s = summarise(slot["samples"])
    queries = slot.get("queries")
    groups = merge_groups(queries["groups"]) if queries else []
    return SideStats(
        median_ms=s.median, mad_ms=s.mad, p95_ms=s.p95, min_ms=s.min, max_ms=s.max, samples=s.samples, loops=slot["loops"],
        queries_per_call=queries["total"] if queries else None,
        n_plus_one_groups=sum(1 for g in groups if g.count >= 5 and not g.many and g.fingerprint.lower().startswith(("select", "with"))),
        peak_rss_mb=rss or None,
    )


def _sla(runs: dict, targets, config: ProjectConfig) -> SlaReport | None:
    """The candidate's samples (ms per call, largest input) against the targets given, else the project's time targets."""
    inputs = runs["candidate"]["inputs"]
    if not inputs:
        return None
    samples = list(inputs.values())[-1]["samples"]
    chosen = dict(targets) if targets else {m: e for m, e in config.sla.items() if metric_unit(m) == "ms"}
    if not chosen:
        return None
    return check_sla({metric: samples for metric in chosen}, chosen, config)


def _check(baseline, candidate, args, kwargs, setup, inputs, min_samples, max_time_s, min_effect, compare_results, timeout_s, min_sample_ms):
    for name, value in (("baseline", baseline), ("candidate", candidate)):
        target = value[4:].partition(":")[2] if isinstance(value, str) and value.startswith("rev:") else value
        if not isinstance(target, str) or ":" not in target or not all(target.partition(":")[::2]):
            raise InputError(name, f"expected module:function or rev:REVISION:module:function, got {value!r}")
    if args is not None and not isinstance(args, list):
        raise InputError("args", "expected a JSON list of positional arguments")
    if kwargs is not None and not isinstance(kwargs, dict):
        raise InputError("kwargs", "expected a JSON object of keyword arguments")
    if inputs is not None and not isinstance(inputs, (list, str)):
        raise InputError("inputs", "expected a list of argument sets (lists, or objects with args / kwargs / label) or module:function")
    if isinstance(inputs, list) and not inputs:
        raise InputError("inputs", "expected at least one argument set")
    check_setup(setup)
    if isinstance(min_samples, bool) or not isinstance(min_samples, int) or not 3 <= min_samples <= 10_000:
        raise InputError("min_samples", f"expected a whole number from 3 to 10000, got {min_samples!r}")
    for name, value, high in (("max_time_s", max_time_s, 3600), ("timeout_s", timeout_s, 3600), ("min_sample_ms", min_sample_ms, 10_000)):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= high:
            raise InputError(name, f"expected a number more than 0 and at most {high}, got {value!r}")
    if isinstance(min_effect, bool) or not isinstance(min_effect, (int, float)) or not 0 <= min_effect < 1:
        raise InputError("min_effect", f"expected a fraction from 0 to 1 (0.05 = 5%), got {min_effect!r}")
    try:
        return parse_mode(compare_results)
    except (ValueError, AttributeError) as exc:
        raise InputError("compare_results", str(exc)) from None

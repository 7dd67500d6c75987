"""check_sla: do measured numbers meet the project's performance targets?"""

from __future__ import annotations

import time
from typing import Any, Literal, Mapping

from pydantic import BaseModel, Field

from ..config import ProjectConfig
from ..errors import InputError
from ..models import Confidence, Evidence, Finding, Report, Severity, Stats
from ..sla.defaults import SEED_TARGETS, metric_unit
from ..sla.expressions import Target, parse_target
from ..sla.measurements import normalise
from ..sla.stats import PERCENTILE_METHOD, min_samples_for, percentile

Status = Literal["pass", "fail", "not_measured", "insufficient_samples"]


class SlaResult(BaseModel):
    metric: str
    expression: str
    status: Status
    passed: bool
    observed: float | None = Field(description="The aggregate the expression names (e.g. the p95), None when it could not be computed.")
    n: int = Field(description="Number of samples the aggregate was computed from.")
    margin: float | None = Field(
        description="Headroom in the metric's unit: positive means met with room to spare, negative means missed by that much. None for == and !=."
    )
    direction: Literal["ceiling", "floor", "equality"]
    unit: str | None = None
    required_samples: int | None = Field(default=None, description="For percentiles: the samples needed before the verdict counts.")


class SlaReport(Report):
    tool: str = "check_sla"
    passed: bool = Field(description="True only when every target passed; not_measured and insufficient_samples count as not passed.")
    targets_source: Literal["call", "config", "defaults"]
    percentile_method: str = PERCENTILE_METHOD
    results: list[SlaResult]
    unchecked_metrics: list[str] = Field(default_factory=list, description="Measured metrics that no target names.")

    def summary_lines(self) -> list[str]:
        lines = []
        for r in self.results:
            observed = "-" if r.observed is None else f"{_fmt(r.observed)}{' ' + r.unit if r.unit else ''}"
            lines.append(f"{r.status.upper():<21} {r.metric} {r.expression}  observed={observed} n={r.n}")
        verdict = "PASSED" if self.passed else "FAILED"
        lines.append(f"SLA {verdict} ({sum(r.passed for r in self.results)}/{len(self.results)} targets met, targets from {self.targets_source})")
        return lines


def check_sla(
    measurements: Mapping[str, Any],
    targets: Mapping[str, str | list[str]] | None = None,
    config: ProjectConfig | None = None,
) -> SlaReport:
    started = time.perf_counter()
    samples = normalise(measurements)
    parsed, source = _targets(targets, config)
    sorted_cache: dict[str, list[float]] = {}
    results = [_evaluate(t, samples.get(t.metric), sorted_cache) for t in parsed]
    findings = [_finding(r) for r in results if r.status != "pass"]
    named = {t.metric for t in parsed}
    return SlaReport(
        passed=all(r.passed for r in results),
        targets_source=source,
        results=results,
        findings=findings,
        unchecked_metrics=sorted(set(samples) - named),
        stats=Stats(duration_ms=(time.perf_counter() - started) * 1000),
    )


def _targets(targets: Mapping[str, Any] | None, config: ProjectConfig | None) -> tuple[list[Target], str]:
    if targets is not None:
        if not isinstance(targets, Mapping):
            raise InputError("targets", f"expected an object mapping metric names to expressions, got {type(targets).__name__}")
        if not targets:
            raise InputError("targets", "no targets given; omit the field to use the project's or the default targets")
        source, table = "call", targets
    elif config is not None and config.sla:
        source, table = "config", config.sla
    else:
        source, table = "defaults", {m: list(info.targets) for m, info in SEED_TARGETS.items()}
    parsed: list[Target] = []
    for metric, exprs in table.items():
        if isinstance(exprs, str):
            exprs = [exprs]
        if not isinstance(exprs, (list, tuple)) or not exprs:
            raise InputError(f"targets.{metric}", "expected an expression string or a non-empty list of them, e.g. \"p(95)<200\"")
        parsed.extend(parse_target(str(metric), e) for e in exprs)
    return parsed, source


def _evaluate(target: Target, values: list[float] | None, sorted_cache: dict[str, list[float]]) -> SlaResult:
    unit = metric_unit(target.metric)
    direction = "ceiling" if target.is_ceiling else "floor" if target.is_floor else "equality"
    base = dict(metric=target.metric, expression=target.text, direction=direction, unit=unit)
    if values is None:
        return SlaResult(**base, status="not_measured", passed=False, observed=None, n=0, margin=None)
    n = len(values)
    required = None
    if target.aggregate == "p":
        required = min_samples_for(target.percentile)
        if n < required:
            return SlaResult(**base, status="insufficient_samples", passed=False, observed=None, n=n, margin=None, required_samples=required)
    observed = _aggregate(target, values, sorted_cache)
    ok = target.holds(observed)
    return SlaResult(
        **base, status="pass" if ok else "fail", passed=ok, observed=observed, n=n,
        margin=target.margin(observed), required_samples=required,
    )


def _aggregate(target: Target, values: list[float], sorted_cache: dict[str, list[float]]) -> float:
    agg = target.aggregate
    if agg == "avg":
        return sum(values) / len(values)
    if agg == "min":
        return float(min(values))
    if agg == "max":
        return float(max(values))
    if agg == "value":
        if len(values) != 1:
            raise InputError(f"targets.{target.metric}", f"{target.text!r} uses 'value', which needs one measurement; got {len(values)} samples (use avg, med, min, max or p(N))")
        return float(values[0])
    if agg == "rate":
        return _rate(target, values)
    ordered = sorted_cache.get(target.metric)
    if ordered is None:
        ordered = sorted_cache[target.metric] = sorted(values)
    return percentile(ordered, 50.0 if agg == "med" else target.percentile)


def _rate(target: Target, values: list[float]) -> float:
    """k6's Rate: the share of non-zero samples. One number in [0, 1] is taken as the rate itself."""
    if len(values) == 1 and 0 <= values[0] <= 1:
        return float(values[0])
    if all(v == 0 or v == 1 for v in values):
        return sum(values) / len(values)
    raise InputError(f"measurements.{target.metric}", f"{target.text!r} uses 'rate', which needs 0/1 samples or one fraction in [0, 1]")


_RULE_OF_STATUS = {
    "fail": ("SLA001", "SLA target missed", Severity.high),
    "not_measured": ("SLA002", "SLA target not measured", Severity.medium),
    "insufficient_samples": ("SLA003", "Too few samples for an SLA percentile", Severity.low),
}


def _finding(r: SlaResult) -> Finding:
    rule, title, severity = _RULE_OF_STATUS[r.status]
    unit = f" {r.unit}" if r.unit else ""
    if r.status == "fail":
        message = f"{r.metric}: {r.expression} failed, observed {_fmt(r.observed)}{unit} over {r.n} sample(s), missed by {_fmt(abs(r.margin)) if r.margin is not None else '?'}{unit}"
        suggestion = "Profile the code behind this metric, fix the largest cost, then measure again with the same workload."
    elif r.status == "not_measured":
        message = f"{r.metric}: {r.expression} has no measurement, so it cannot pass"
        suggestion = f"Measure {r.metric} (or drop the target from the configuration if it does not apply)."
    else:
        message = f"{r.metric}: {r.expression} needs at least {r.required_samples} samples, got {r.n}"
        suggestion = f"Collect at least {r.required_samples} samples before judging this percentile."
    evidence = [Evidence(role="target", message=f"{r.metric} {r.expression} ({r.direction})")]
    if r.observed is not None:
        evidence.append(Evidence(role="measurement", message=f"observed {_fmt(r.observed)}{unit} from {r.n} sample(s)"))
    elif r.n:
        evidence.append(Evidence(role="measurement", message=f"{r.n} sample(s)"))
    return Finding(rule=rule, title=title, severity=severity, confidence=Confidence.high, message=message, evidence=evidence, suggestion=suggestion)


def _fmt(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.6g}"

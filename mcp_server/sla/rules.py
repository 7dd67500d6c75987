"""The SLA rules. Their examples are (measurements, targets) pairs run through check_sla."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..findings import Severity
from ..rules import Rule

if TYPE_CHECKING:  # the registry needs no pydantic: the hook looks rules up on every edit
    from ..models import Finding


class _SlaRule(Rule):
    @classmethod
    def run_example(cls, example: dict[str, Any]) -> list[Finding]:
        from ..tools.check_sla import check_sla

        report = check_sla(example["measurements"], example.get("targets"))
        return [f for f in report.findings if f.rule == cls.id]


class SlaTargetMissed(_SlaRule):
    id = "SLA001"
    name = "sla-target-missed"
    title = "SLA target missed"
    severity = Severity.high
    what = "Flags a performance target whose measured aggregate is on the wrong side of its threshold."
    why = "A missed target is a measured regression or an unmet requirement, not an opinion: users wait, batches overrun."
    example = 'targets {"database_query": "p(95)<=100"}; 20 samples whose p95 is 140 ms -> missed by 40 ms'
    fix = "Profile the code behind the metric (profile_function), fix the largest cost, and measure again before claiming a win."
    positive = [
        {"measurements": {"database_query": [140.0] * 20}, "targets": {"database_query": "p(95)<=100"}},
        {"measurements": {"batch_processing": 850}, "targets": {"batch_processing": "avg>=1000"}},
    ]
    negative = [
        {"measurements": {"database_query": [40.0] * 20}, "targets": {"database_query": "p(95)<=100"}},
        {"measurements": {"batch_processing": 1200}, "targets": {"batch_processing": "avg>=1000"}},
    ]


class SlaTargetNotMeasured(_SlaRule):
    id = "SLA002"
    name = "sla-target-not-measured"
    title = "SLA target not measured"
    severity = Severity.medium
    what = "Flags a target for which no measurement was supplied."
    why = "A target nobody measured is not met; treating silence as a pass hides regressions."
    example = 'targets {"memory_usage": "max<=512"}; measurements have no memory_usage'
    fix = "Measure the metric (profile_function reports peak memory), or remove the target if it does not apply."
    positive = [{"measurements": {"cpu_usage": 10}, "targets": {"memory_usage": "max<=512"}}]
    negative = [{"measurements": {"memory_usage": 100}, "targets": {"memory_usage": "max<=512"}}]


class SlaInsufficientSamples(_SlaRule):
    id = "SLA003"
    name = "sla-insufficient-samples"
    title = "Too few samples for an SLA percentile"
    severity = Severity.low
    what = "Flags a percentile target computed from too few samples to mean anything: p(95) needs 20, p(99) 100."
    why = "The 99th percentile of ten samples is just their maximum; calling it a pass is a guess."
    example = 'targets {"api_response_time": "p(99)<=400"}; 10 samples'
    fix = "Collect more samples (at least 1 / (1 - q) for p(q)), or use a target that fits the sample size such as med or max."
    positive = [{"measurements": {"api_response_time": [100.0] * 10}, "targets": {"api_response_time": "p(99)<=400"}}]
    negative = [{"measurements": {"api_response_time": [100.0] * 100}, "targets": {"api_response_time": "p(99)<=400"}}]

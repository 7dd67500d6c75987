"""Default targets: the seed agent's PERFORMANCE_TARGETS, each with the direction it really has.

The seed checks every metric as `actual > target` except names ending in `_rate`, which makes
`batch_processing` (records per second, more is better) a ceiling. Here throughput and hit rate
are floors; times, memory and CPU are ceilings.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MetricInfo:
    unit: str
    kind: str  # duration | memory | cpu | throughput | ratio
    targets: tuple[str, ...]
    why: str


SEED_TARGETS: dict[str, MetricInfo] = {
    "api_response_time": MetricInfo("ms", "duration", ("p(95)<=200",), "API response time ceiling (seed: 200 ms), judged on the 95th percentile"),
    "database_query": MetricInfo("ms", "duration", ("p(95)<=100",), "database query time ceiling (seed: 100 ms), judged on the 95th percentile"),
    "batch_processing": MetricInfo("records/s", "throughput", ("avg>=1000",), "batch throughput floor (seed: 1,000 records/s)"),
    "memory_usage": MetricInfo("MB", "memory", ("max<=512",), "peak memory ceiling (seed: 512 MB)"),
    "cpu_usage": MetricInfo("%", "cpu", ("avg<=80",), "CPU use ceiling (seed: 80 %), judged on the average"),
    "cache_hit_rate": MetricInfo("%", "ratio", ("avg>=90",), "cache hit rate floor (seed: 90 %), in percent as the seed states it"),
}

_NON_NEGATIVE_KINDS = {"duration", "memory", "cpu", "throughput", "ratio"}
_DURATION_HINTS = ("_ms", "_s", "_seconds", "time", "latency", "duration")


def metric_kind(metric: str) -> str | None:
    """The kind of a metric, from the seed's table or from its name; None when we cannot tell."""
    if metric in SEED_TARGETS:
        return SEED_TARGETS[metric].kind
    name = metric.lower()
    if any(name.endswith(h) or h in name for h in _DURATION_HINTS):
        return "duration"
    if "memory" in name or name.endswith(("_mb", "_bytes", "rss")):
        return "memory"
    return None


_UNIT_SUFFIXES = (("_ms", "ms"), ("_seconds", "s"), ("_s", "s"), ("_mb", "MB"), ("_bytes", "bytes"), ("_pct", "%"), ("_percent", "%"))


def metric_unit(metric: str) -> str | None:
    if metric in SEED_TARGETS:
        return SEED_TARGETS[metric].unit
    name = metric.lower()
    return next((unit for suffix, unit in _UNIT_SUFFIXES if name.endswith(suffix)), None)


def must_be_non_negative(metric: str) -> bool:
    return metric_kind(metric) in _NON_NEGATIVE_KINDS

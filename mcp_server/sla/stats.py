"""Aggregates over a sorted sample, and how many samples a percentile needs before it means anything."""

from __future__ import annotations

import math

PERCENTILE_METHOD = (
    "linear interpolation between closest ranks (Hyndman & Fan type 7, the default of numpy and R): "
    "p(q) = x[floor(h)] + (h - floor(h)) * (x[floor(h)+1] - x[floor(h)]), h = (n - 1) * q / 100 over sorted samples"
)


def percentile(sorted_values: list[float], q: float) -> float:
    n = len(sorted_values)
    h = (n - 1) * q / 100.0
    lo = math.floor(h)
    hi = min(lo + 1, n - 1)
    return sorted_values[lo] + (h - lo) * (sorted_values[hi] - sorted_values[lo])


def min_samples_for(q: float) -> int:
    """p(95) needs 20 samples, p(99) 100, p(99.9) 1000, p(5) 20: one sample beyond the tail at least."""
    tail = min(q, 100.0 - q) / 100.0
    return max(2, math.ceil(round(1.0 / tail, 9)))


def median(sorted_values: list[float]) -> float:
    return percentile(sorted_values, 50.0)

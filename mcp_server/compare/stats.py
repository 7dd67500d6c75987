"""The statistics of a comparison, in the habits of pyperf and asv: median and MAD, a bootstrap confidence
interval of the ratio of medians, and the Mann-Whitney U test (normal approximation with tie correction)."""

from __future__ import annotations

import math
import random
import statistics
from dataclasses import dataclass

from ..sla.stats import percentile

BOOTSTRAP = 2000


@dataclass
class Summary:
    median: float
    mad: float
    p95: float | None
    min: float
    max: float
    mean: float
    stdev: float
    samples: int


def summarise(values: list[float]) -> Summary:
    med = statistics.median(values)
    return Summary(
        median=med, mad=statistics.median(abs(v - med) for v in values), p95=percentile(sorted(values), 95) if len(values) >= 20 else None,
        min=min(values), max=max(values), mean=statistics.fmean(values), stdev=statistics.stdev(values) if len(values) > 1 else 0.0,
        samples=len(values),
    )


def ratio_ci(baseline: list[float], candidate: list[float], seed: int = 7) -> tuple[float, float]:
    """95% bootstrap interval of median(candidate) / median(baseline), deterministic for the same samples."""
    rng = random.Random(seed)
    ratios = []
    nb, nc = len(baseline), len(candidate)
    for _ in range(BOOTSTRAP):
        b = statistics.median(rng.choices(baseline, k=nb))
        c = statistics.median(rng.choices(candidate, k=nc))
        ratios.append(c / b if b > 0 else math.inf)
    ratios.sort()
    return ratios[int(0.025 * BOOTSTRAP)], ratios[int(0.975 * BOOTSTRAP) - 1]


def mann_whitney_p(a: list[float], b: list[float]) -> float:
    """Two-sided p-value of the Mann-Whitney U test (normal approximation, continuity and tie corrected)."""
    n1, n2 = len(a), len(b)
    if n1 == 0 or n2 == 0:
        return 1.0
    pooled = sorted([(v, 0) for v in a] + [(v, 1) for v in b])
    ranks = [0.0] * len(pooled)
    ties = 0.0
    i = 0
    while i < len(pooled):
        j = i
        while j + 1 < len(pooled) and pooled[j + 1][0] == pooled[i][0]:
            j += 1
        rank = (i + j) / 2 + 1
        for k in range(i, j + 1):
            ranks[k] = rank
        t = j - i + 1
        ties += t**3 - t
        i = j + 1
    r1 = sum(r for r, (_, side) in zip(ranks, pooled) if side == 0)
    u = r1 - n1 * (n1 + 1) / 2
    mean = n1 * n2 / 2
    n = n1 + n2
    var = n1 * n2 / 12 * ((n + 1) - ties / (n * (n - 1)))
    if var <= 0:
        return 1.0
    z = (abs(u - mean) - 0.5) / math.sqrt(var)
    return max(0.0, min(1.0, math.erfc(max(z, 0.0) / math.sqrt(2))))

"""check_sla on 100,000 samples across 10 metrics (target: <= 200 ms, the seed's API target).

Peer in the same run: the standard library computing the same p95s alone
(`statistics.quantiles(method="inclusive")`, which is the same type-7 interpolation),
so the ratio shows what validation, every aggregate and the report cost on top.

    python benchmarks/bench_check_sla.py [--runs 15]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from mcp_server.tools.check_sla import check_sla

METRICS = 10
SAMPLES = 10_000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    rng = random.Random(42)
    measurements = {f"endpoint_{i}_ms": [rng.lognormvariate(4, 0.5) for _ in range(SAMPLES)] for i in range(METRICS)}
    targets = {m: ["p(95)<=200", "p(99)<=400", "avg<=80", "med<=60", "max<=2000"] for m in measurements}
    ours, peer = [], []
    for _ in range(runs):
        t = time.perf_counter()
        report = check_sla(measurements, targets)
        ours.append(time.perf_counter() - t)
        t = time.perf_counter()
        stdlib = {m: statistics.quantiles(v, n=100, method="inclusive")[94] for m, v in measurements.items()}
        peer.append(time.perf_counter() - t)
    # the two agree on the p95, so the comparison is like for like
    for r in report.results:
        if r.expression.startswith("p(95)"):
            assert abs(r.observed - stdlib[r.metric]) < 1e-9 * max(1.0, abs(r.observed))
    med = statistics.median
    print(f"{METRICS} metrics x {SAMPLES:,} samples, {len(report.results)} targets, {runs} runs")
    print(f"check_sla:                      median {med(ours) * 1000:.1f} ms (min {min(ours) * 1000:.1f}, max {max(ours) * 1000:.1f})")
    print(f"statistics.quantiles p95 only:  median {med(peer) * 1000:.1f} ms")
    print(f"ratio check_sla / stdlib p95: {med(ours) / med(peer):.2f}x; target <= 200 ms: {'met' if med(ours) <= 0.2 else 'MISSED'}")


if __name__ == "__main__":
    main()

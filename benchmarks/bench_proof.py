"""The seed's before/after pairs, proved with compare_implementations at 10, 100 and 1,000 records.

    python benchmarks/bench_proof.py [--min-samples 10] [--sizes 10,100,1000]

Prints a markdown table: per pair and size, the medians, the ratio with its 95% interval, queries per call
and the verdict; the float-rates "optimisation" must come out `results_differ`.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from mcp_server.config import load_config  # noqa: E402
from mcp_server.tools.compare_implementations import compare_implementations  # noqa: E402

PAIRS = [
    ("invoices per client: N+1 vs one batched query", "dbapi_app.reports:client_statements_slow", "dbapi_app.reports:client_statements_fast", "proof:clients"),
    ("tax rates: per-row lookups vs preloaded", "dbapi_app.reports:tax_report_slow", "dbapi_app.reports:tax_report_fast", "proof:clients"),
    ("bank CSV: whole file vs streaming", "batch.totals:totals_by_state_slow", "batch.totals:totals_by_state_fast", "proof:transactions"),
    ("bank API: sequential vs 10 concurrent (2 ms latency)", "erp.bankapi:balances_slow", "erp.bankapi:balances_fast", "proof:accounts"),
    ("tax rates in floats (the wrong optimisation)", "dbapi_app.reports:tax_report_fast", "dbapi_app.reports:tax_report_float", "proof:clients"),
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--min-samples", type=int, default=10)
    parser.add_argument("--sizes", default="10,100,1000")
    args = parser.parse_args()
    os.environ["PROOF_SIZES"] = args.sizes  # read by examples/accounting/proof.py in the children
    config = load_config(REPO / "examples" / "accounting")
    print("| pair | size | baseline median | candidate median | ratio [95% CI] | queries per call | verdict |")
    print("|---|---|---|---|---|---|---|")
    for title, baseline, candidate, inputs in PAIRS:
        started = time.perf_counter()
        report = compare_implementations(baseline, candidate, inputs=inputs, min_samples=args.min_samples, max_time_s=300, config=config)
        for c in report.inputs:
            if c.baseline is None or c.candidate is None:
                print(f"| {title} | {c.label} | | | | | {c.verdict} {c.reason} |")
                continue
            queries = f"{c.baseline.queries_per_call} -> {c.candidate.queries_per_call}"
            verdict = c.verdict + (f" ({c.first_difference.path}: {c.first_difference.baseline} vs {c.first_difference.candidate})"
                                   if c.first_difference else "")
            print(f"| {title} | {c.label} | {c.baseline.median_ms:.3f} ms | {c.candidate.median_ms:.3f} ms | {c.ratio:.3f} "
                  f"[{c.ci_low:.3f}, {c.ci_high:.3f}] | {queries} | {verdict} |")
        print(f"<!-- {title}: overall {report.verdict}, {time.perf_counter() - started:.0f} s, warnings: {report.warnings} -->", flush=True)


if __name__ == "__main__":
    main()

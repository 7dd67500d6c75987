"""profile_function's own costs, each against a peer measured in the same run.

    python benchmarks/bench_profile.py [--queries 10000] [--runs 7]

1. Query capture overhead per query (target <= 20 us): 10,000 trivial sqlite3 queries (`SELECT ?` on an in-memory
   database, plus `fetchone`) with the capture started, against the same loop with no capture at all.
2. profile_function round trip on a trivial target (target <= 1 s), child start included, against `python -c pass`.
3. The same for the bundled example's N+1 report (61 queries), to show what a real target adds.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from mcp_server.config import load_config  # noqa: E402
from mcp_server.runtime.capture import Capture  # noqa: E402
from mcp_server.tools.profile_function import profile_function  # noqa: E402


def query_loop(n: int) -> float:
    conn = sqlite3.connect(":memory:")
    started = time.perf_counter()
    for i in range(n):
        conn.execute("SELECT ?", (i,)).fetchone()
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--queries", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    med = statistics.median

    plain, captured = [], []
    for _ in range(args.runs):  # interleaved, so noise hits both alike
        plain.append(query_loop(args.queries))
        capture = Capture(str(REPO)).install()
        capture.start()
        try:
            captured.append(query_loop(args.queries))
        finally:
            capture.stop()
            capture.uninstall()
        assert capture.total == args.queries, capture.total
    per_query = (med(captured) - med(plain)) / args.queries * 1e6
    print(f"query capture: {args.queries:,} sqlite3 queries, median {med(plain) * 1000:.1f} ms plain, {med(captured) * 1000:.1f} ms captured")
    print(f"  overhead {per_query:.2f} us per query (target <= 20 us); plain query {med(plain) / args.queries * 1e6:.2f} us")

    config = load_config(REPO / "examples" / "accounting")
    trivial, bare = [], []
    for _ in range(args.runs):
        started = time.perf_counter()
        report = profile_function("pass", repeat=1, config=config)
        trivial.append(time.perf_counter() - started)
        assert report.status == "ok", report.message
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        bare.append(time.perf_counter() - started)
    print(f"profile_function round trip, trivial target: median {med(trivial) * 1000:.0f} ms, max {max(trivial) * 1000:.0f} ms "
          f"(target <= 1 s); python -c pass: {med(bare) * 1000:.0f} ms ({med(trivial) / med(bare):.1f}x)")

    setup = ("import os, sqlite3, tempfile\nfrom seed import create_database\npath = os.path.join(tempfile.mkdtemp(), 'a.db')\n"
             "create_database(path, clients=12)\nargs = [sqlite3.connect(path)]\n")
    real = []
    for _ in range(args.runs):
        started = time.perf_counter()
        report = profile_function("dbapi_app.reports:client_statements_slow", setup=setup, repeat=5, config=config)
        real.append(time.perf_counter() - started)
    print(f"profile_function on the example's N+1 report ({report.queries.total} queries, 5 timing runs): median "
          f"{med(real) * 1000:.0f} ms, of which the target's own runs {sum(report.timing.wall_ms):.1f} ms")


if __name__ == "__main__":
    main()

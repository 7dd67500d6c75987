"""Run a report twice (the N+1 version and its fixed twin) on a fresh database and print what each cost.

    python measure.py dbapi|django|sqlalchemy [--clients 30]

Prints JSON: per report and version, the number of SQL statements executed, the wall time, and whether
the fixed twin returned exactly the same result (Decimal-exact).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from seed import create_database  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("flavour", choices=("dbapi", "django", "sqlalchemy"))
    parser.add_argument("--clients", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "accounting.sqlite3")
        create_database(path, clients=args.clients)
        if args.flavour == "dbapi":
            from dbapi_app.measure import runner
        elif args.flavour == "django":
            from django_app.measure import runner
        else:
            from sqlalchemy_app.measure import runner
        run, reports = runner(path)
        out = {}
        for name, (slow, fast) in reports.items():
            results = {}
            for label, fn in (("slow", slow), ("fast", fast)):
                started = time.perf_counter()
                value, queries = run(fn)
                results[label] = {"queries": queries, "seconds": round(time.perf_counter() - started, 4), "value": value}
            out[name] = {
                "slow_queries": results["slow"]["queries"], "fast_queries": results["fast"]["queries"],
                "slow_seconds": results["slow"]["seconds"], "fast_seconds": results["fast"]["seconds"],
                "same_result": results["slow"]["value"] == results["fast"]["value"],
            }
        print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()

"""explain_query and the SQL lint, timed, each against a peer measured in the same run.

    python benchmarks/bench_sql.py [--runs 50]

1. explain_query on the embedded SQLite with a 20-table schema, production table sizes and index proof
   (target p95 <= 100 ms, the seed's database-query target); peer: sqlite3 EXPLAIN QUERY PLAN alone.
2. The sqlglot lint of one statement (target p95 <= 5 ms); peer: sqlglot.parse_one alone.
3. find_missing_indexes over the bundled example's code with its schema.sql and table sizes.
4. find_missing_indexes over the held-out Django project (tests/fixtures/ledger_project): models read through the
   project's settings in a child process, every ORM call translated, planned and proven at production sizes.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import sqlglot  # noqa: E402

from mcp_server.config import load_config  # noqa: E402
from mcp_server.sql.lint import lint  # noqa: E402
from mcp_server.sql.schema import from_ddl  # noqa: E402
from mcp_server.sql.statement import parse  # noqa: E402
from mcp_server.tools.explain_query import explain_query  # noqa: E402
from mcp_server.tools.find_missing_indexes import find_missing_indexes  # noqa: E402

SQL = ("SELECT i.id, i.total, c.name FROM t07 i JOIN t03 c ON c.id = i.ref_id "
       "WHERE i.status = ? AND i.created_on >= ? ORDER BY i.created_on DESC LIMIT 50")


def schema_20() -> str:
    return "\n".join(f"CREATE TABLE t{n:02d} (id INTEGER PRIMARY KEY, ref_id INTEGER, name TEXT, status TEXT, created_on TEXT, "
                     f"total DECIMAL(12, 2));\nCREATE INDEX ix_t{n:02d}_ref ON t{n:02d} (ref_id);" for n in range(1, 21))


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    config = load_config(REPO / "examples" / "accounting")
    ddl = schema_20()
    rows = {f"t{n:02d}": 1_000_000 for n in range(1, 21)}
    ours, peer = [], []
    for _ in range(args.runs):
        started = time.perf_counter()
        report = explain_query(SQL, schema=ddl, table_rows=rows, config=config)
        ours.append((time.perf_counter() - started) * 1000)
        mem = sqlite3.connect(":memory:")
        mem.executescript(ddl)
        started = time.perf_counter()
        mem.execute("EXPLAIN QUERY PLAN " + SQL.replace("?", "NULL")).fetchall()
        peer.append((time.perf_counter() - started) * 1000)
    proven = [r.create_index for r in report.recommendations if r.proven]
    print(f"explain_query, 20-table schema, 1M rows each, with index proof: p95 {p95(ours):.1f} ms, median {statistics.median(ours):.1f} ms "
          f"(target p95 <= 100 ms); proven: {proven}")
    print(f"  peer: EXPLAIN QUERY PLAN alone on a built database: median {statistics.median(peer):.2f} ms")
    schema = from_ddl(ddl)
    lints, parses = [], []
    for _ in range(args.runs * 4):
        started = time.perf_counter()
        lint(parse(SQL, "sqlite").tree, schema, "sqlite")
        lints.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        sqlglot.parse_one(SQL, read="sqlite")
        parses.append((time.perf_counter() - started) * 1000)
    print(f"lint of one statement (parse + checks): p95 {p95(lints):.2f} ms, median {statistics.median(lints):.2f} ms (target p95 <= 5 ms); "
          f"peer sqlglot.parse_one alone: median {statistics.median(parses):.2f} ms")
    started = time.perf_counter()
    rows = json.loads((REPO / "examples" / "accounting" / "table_rows.json").read_text())
    report = find_missing_indexes(schema="schema.sql", table_rows=rows, config=config)
    print(f"find_missing_indexes over the bundled example: {report.statements} statements, {len(report.recommendations)} proven indexes, "
          f"{(time.perf_counter() - started) * 1000:.0f} ms")
    ledger = REPO / "tests" / "fixtures" / "ledger_project"
    started = time.perf_counter()
    report = find_missing_indexes(schema="django:billing", table_rows=json.loads((ledger / "table_rows.json").read_text()),
                                  config=load_config(ledger))
    print(f"find_missing_indexes over the held-out Django project: {report.statements} statements, {len(report.errors)} not planned, "
          f"{len(report.recommendations)} proven indexes, {(time.perf_counter() - started) * 1000:.0f} ms (Django's setup in a child included)")


if __name__ == "__main__":
    main()

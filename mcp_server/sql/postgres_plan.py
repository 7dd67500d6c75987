"""PostgreSQL: EXPLAIN (FORMAT JSON) in a read-only transaction that is always rolled back, with a statement
timeout and the extended protocol (one statement per call, whatever the text says); ANALYZE only for a SELECT;
the plan's issues with pev2's thresholds; index proof with HypoPG's hypothetical indexes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ..errors import InputError

MISESTIMATE = ((1000, "high"), (100, "medium"), (10, "low"))
REMOVED = ((0.9, "high"), (0.5, "medium"))
LARGE_TABLE = 10_000
MANY_OUTER = 1_000
HYPO_MIN_DROP = 0.5  # Dexter's rule: recommend when the planner's cost drops by half


@contextmanager
def session(dsn: str, timeout_s: float) -> Iterator[Any]:
    try:
        import psycopg
    except ImportError:
        raise InputError("database", "PostgreSQL needs psycopg: pip install 'psycopg[binary]'") from None
    try:
        conn = psycopg.connect(dsn, connect_timeout=10, autocommit=False)
    except psycopg.OperationalError as exc:
        host = re.sub(r"//[^@/]*@", "//", dsn.split("?")[0]) if "://" in dsn else "the server"
        reason = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
        reason = re.sub(r"password[^\s]*", "password ***", reason)
        raise InputError("database", f"cannot connect to {host}: {reason}") from None
    try:
        conn.read_only = True
        with conn.cursor() as cur:
            cur.execute(f"SET LOCAL statement_timeout = {int(timeout_s * 1000)}")
            yield cur
    finally:
        conn.rollback()
        conn.close()


def explain(cur, sql_numbered: str, placeholders: int, params: list | None, analyze: bool) -> dict:
    import psycopg

    options = "FORMAT JSON, ANALYZE, BUFFERS" if analyze else "FORMAT JSON"
    try:
        if placeholders == 0:
            cur.execute(f"EXPLAIN ({options}) {sql_numbered}", None, prepare=True)
        elif params is not None:
            text = re.sub(r"\$\d+", "%s", sql_numbered.replace("%", "%%"))
            cur.execute(f"EXPLAIN ({options}) {text}", params, prepare=True)
        else:  # no values: the generic plan, the one a prepared statement gets
            cur.execute("SET LOCAL plan_cache_mode = force_generic_plan")
            cur.execute(f"PREPARE po_stmt AS {sql_numbered}", None, prepare=True)  # extended protocol: one statement, whatever the text
            try:
                cur.execute(f"EXPLAIN ({options}) EXECUTE po_stmt({', '.join(['NULL'] * placeholders)})")
                return cur.fetchone()[0][0]
            finally:
                try:
                    cur.execute("DEALLOCATE po_stmt")
                except psycopg.Error:
                    pass  # the transaction already failed: the error above is the one to report
        return cur.fetchone()[0][0]
    except psycopg.errors.QueryCanceled:
        raise InputError("sql", "timed_out: the statement ran past its time limit and was cancelled") from None
    except psycopg.Error as exc:
        message = str(exc).strip().splitlines()[0]
        raise InputError("sql", f"PostgreSQL cannot plan it: {message}") from None


def walk(node: dict, depth: int = 0) -> Iterator[tuple[dict, int]]:
    yield node, depth
    for child in node.get("Plans", []):
        yield from walk(child, depth + 1)


def tree(node: dict) -> dict:
    keep = ("Node Type", "Relation Name", "Index Name", "Filter", "Index Cond", "Total Cost", "Plan Rows", "Actual Rows", "Actual Loops",
            "Actual Total Time", "Rows Removed by Filter", "Sort Space Type", "Hash Batches", "Shared Hit Blocks", "Shared Read Blocks")
    return {**{k: node[k] for k in keep if k in node}, "children": [tree(c) for c in node.get("Plans", [])]}


KEPT_NOT_HIGH = 0.10  # a scan that keeps this share of the rows or more is reading what it returns: not high severity


def issues(root: dict, table_rows: dict[str, int], stale: dict[str, str] | None = None) -> list[tuple[str, str, str, str | None]]:
    """(rule, message, confidence, severity or None for the rule's own) of each costly node. With ANALYZE, rows are
    counted over every loop (PostgreSQL prints per-loop averages). stale: table -> why its statistics are stale."""
    out = []
    stale = stale or {}
    for node, _ in walk(root):
        kind = node.get("Node Type", "")
        rel = node.get("Relation Name")
        loops = max(1, node.get("Actual Loops", 1))
        kept = node.get("Actual Rows", 0) * loops
        read = kept + node.get("Rows Removed by Filter", 0) * loops
        if kind == "Seq Scan" and rel and node.get("Filter"):
            rows = table_rows.get(rel)
            if rows is None or rows >= LARGE_TABLE:
                severity = "low" if "Actual Rows" in node and read and kept / read >= KEPT_NOT_HIGH else None
                share = f"; it keeps {kept / read:.0%} of the rows it reads, so an index would save little" if severity else ""
                out.append(("SQL101", f"Seq Scan on {rel} filtered by `{node['Filter']}`" + (f" ({rows:,} rows)" if rows else "") + share,
                            "high" if rows else "medium", severity))
        if node.get("Sort Space Type") == "Disk":
            out.append(("SQL103", f"Sort spilled to disk ({node.get('Sort Space Used')} kB): work_mem is too small for it, or an index could return the order",
                        "high", None))
        if node.get("Hash Batches", 1) > 1:
            out.append(("SQL104", f"Hash with {node['Hash Batches']} batches: the hash table did not fit in work_mem", "medium", None))
        if "Actual Rows" in node and node.get("Plan Rows"):
            actual = node["Actual Rows"] * loops
            planned = node["Plan Rows"] * loops
            ratio = max(actual, 1) / max(planned, 1)
            factor = max(ratio, 1 / ratio)
            level = next((lvl for limit, lvl in MISESTIMATE if factor >= limit), None)
            if level:
                cause = (f"the statistics of {rel} are stale ({stale[rel]}): ANALYZE {rel}" if rel in stale else
                         "the statistics are fresh, so the estimate itself is off: correlated columns (CREATE STATISTICS on them) "
                         "or a predicate the planner cannot estimate (an expression, a function)")
                out.append(("SQL105", f"{kind}{' on ' + rel if rel else ''}: planned {planned:,} rows, got {actual:,} ({factor:,.0f}x off); {cause}",
                            level, None))
        removed = node.get("Rows Removed by Filter")
        if removed and "Actual Rows" in node:
            share = 1 - kept / max(1, read)
            level = next((lvl for limit, lvl in REMOVED if share >= limit), None)
            if level:
                out.append(("SQL106", f"{kind}{' on ' + rel if rel else ''} read {read:,} rows to keep {kept:,} ({share:.0%} removed by the filter"
                                      f"{f', over {loops:,} loops' if loops > 1 else ''})", level, None))
        if kind == "Nested Loop" and node.get("Plans"):
            outer = node["Plans"][0]
            rows = outer.get("Actual Rows", outer.get("Plan Rows", 0)) * max(1, outer.get("Actual Loops", 1))
            if rows >= MANY_OUTER:
                out.append(("SQL107", f"Nested Loop over {rows:,} outer rows: the inner side runs once per row", "medium", None))
    return out


def stale_statistics(cur) -> dict[str, str]:
    """Tables whose statistics cannot be trusted: never analysed, or more than a tenth of the rows changed since."""
    cur.execute("SELECT relname, coalesce(last_analyze, last_autoanalyze) IS NULL, n_mod_since_analyze, n_live_tup "
                "FROM pg_stat_user_tables WHERE schemaname = current_schema()")
    out = {}
    for table, never, changed, live in cur.fetchall():
        if never:
            out[table] = "never analysed"
        elif changed and changed > 0.1 * max(1, live):
            out[table] = f"{changed:,} rows changed since the last ANALYZE"
    return out


@contextmanager
def savepoint(cur) -> Iterator[None]:
    """One statement's failure must not abort the transaction every later statement plans in."""
    import psycopg

    cur.execute("SAVEPOINT po_statement")
    try:
        yield
    except (psycopg.Error, InputError):
        cur.execute("ROLLBACK TO SAVEPOINT po_statement")
        raise
    else:
        cur.execute("RELEASE SAVEPOINT po_statement")


def hypothetical_safely(cur, ddl: str, sql_for_explain: str, placeholders: int, params: list | None = None) -> tuple[float, int] | str:
    """hypothetical() in its own savepoint: an index HypoPG refuses is a reason, and the transaction lives on."""
    import psycopg

    try:
        with savepoint(cur):
            return hypothetical(cur, ddl, sql_for_explain, placeholders, params)
    except InputError as exc:
        return f"the index could not be tried: {exc.problem}"
    except psycopg.Error as exc:
        return f"the index could not be tried: {str(exc).strip().splitlines()[0]}"


def hypothetical(cur, ddl: str, sql_for_explain: str, placeholders: int, params: list | None = None) -> tuple[float, int] | str:
    """Cost of the statement with a hypothetical index, and the index's estimated size; or why it cannot be proven."""
    import psycopg

    cur.execute("SELECT count(*) FROM pg_extension WHERE extname = 'hypopg'")
    if not cur.fetchone()[0]:
        return "HypoPG is not installed in this database (CREATE EXTENSION hypopg)"
    try:
        cur.execute("SELECT indexrelid FROM hypopg_create_index(%s)", (ddl.replace(" CONCURRENTLY", ""),))
    except psycopg.Error as exc:
        raise InputError("index", f"HypoPG cannot create it: {str(exc).strip().splitlines()[0]}") from None
    oid = cur.fetchone()[0]
    try:
        plan = explain(cur, sql_for_explain, placeholders, params, analyze=False)
        cur.execute("SELECT hypopg_relation_size(%s)", (oid,))
        size = cur.fetchone()[0]
        return plan["Plan"]["Total Cost"], size
    finally:
        cur.execute("SELECT hypopg_reset()")


def real_index(dsn: str, ddl: str, sql_numbered: str, placeholders: int, timeout_s: float, params: list | None = None) -> tuple[float, int] | str:
    """Only for a database the project marks disposable: build the index for real in a transaction, plan, roll back."""
    import psycopg

    try:
        with psycopg.connect(dsn, connect_timeout=10, autocommit=False) as conn:
            try:
                with conn.cursor() as cur:
                    cur.execute(f"SET LOCAL statement_timeout = {int(timeout_s * 1000)}")
                    cur.execute(ddl.replace(" CONCURRENTLY", ""), prepare=False)
                    cost = explain(cur, sql_numbered, placeholders, params, analyze=False)["Plan"]["Total Cost"]
                    name = ddl.replace(" CONCURRENTLY", "").split()[2]
                    cur.execute("SELECT pg_relation_size(%s::regclass)", (name,))
                    return cost, cur.fetchone()[0]
            finally:
                conn.rollback()
    except (psycopg.Error, InputError) as exc:
        return f"the real index could not be tried: {str(exc).strip().splitlines()[0]}"

"""SQLite: the real EXPLAIN QUERY PLAN as a tree, the plan's issues, and index proof.

The user's file is opened read-only (`mode=ro` URI, `PRAGMA query_only`, an authorizer that denies every
write and ATTACH, a progress handler that stops at the timeout). Plans with production sizes and every index
proof run on an in-memory database holding the same schema and planner statistics (`sqlite_stat1`, from the
file or from `table_rows`), never on the file: a plan depends on the schema and the statistics, not the data.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from ..errors import InputError
from .proof_rules import distinct_guess, rows_per_key
from .schema import Schema, from_sqlite

LARGE_TABLE = 10_000  # rows from which a full scan under a filter is worth an index

_READ_ACTIONS = {sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_FUNCTION, sqlite3.SQLITE_RECURSIVE}


def _authorizer(action, arg1, arg2, db, trigger):
    if action in _READ_ACTIONS or (action == sqlite3.SQLITE_PRAGMA and arg1 in ("table_info", "index_list", "index_info", "query_only")):
        return sqlite3.SQLITE_OK
    return sqlite3.SQLITE_DENY


def open_file(path: Path) -> sqlite3.Connection:
    if not path.is_file():
        raise InputError("database", f"{path} is not a SQLite file")
    try:
        conn = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True, timeout=1)
        conn.execute("PRAGMA query_only = ON")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        raise InputError("database", f"{path} cannot be read as SQLite: {exc}") from None
    conn.set_authorizer(_authorizer)
    return conn


def guard(conn: sqlite3.Connection, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    conn.set_progress_handler(lambda: 1 if time.monotonic() > deadline else 0, 10_000)


@dataclass
class PlanNode:
    id: int
    detail: str
    children: list[PlanNode] = field(default_factory=list)

    def dump(self) -> dict:
        return {"detail": self.detail, "children": [c.dump() for c in self.children]}


def planner_copy(schema: Schema, stats: dict[str, int]) -> sqlite3.Connection:
    """An in-memory database with the schema and planner statistics (rows per table) of the one analysed."""
    mem = sqlite3.connect(":memory:", isolation_level=None)
    for stmt in schema.ddl:
        try:
            mem.execute(stmt)
        except sqlite3.DatabaseError as exc:
            # one index (md5(), a cast) or table SQLite cannot build must not sink every statement: leave it out and say so
            if stmt.lstrip().upper().startswith(("CREATE INDEX", "CREATE UNIQUE INDEX")):
                name = stmt.split(" ON ")[0].split()[-1].strip('"')
                schema.indexes[:] = [ix for ix in schema.indexes if ix.name != name]
                schema.notes.append(f"index {name} skipped: SQLite cannot build it ({exc}); plans here are without it")
            else:
                schema.notes.append(f"skipped, SQLite cannot build it ({exc}): {stmt[:120]}")
    if stats:
        mem.execute("ANALYZE")
        mem.execute("DELETE FROM sqlite_stat1")
        for table, rows in stats.items():
            if table not in schema.tables:
                raise InputError("table_rows", f"unknown table {table!r}; the schema has {', '.join(sorted(schema.tables)) or 'no tables'}")
            mem.execute("INSERT INTO sqlite_stat1 VALUES (?, NULL, ?)", (table, str(int(rows))))
            for ix in schema.indexes:
                if ix.table == table and not ix.name.endswith(("_pkey", "_unique", "_key")):
                    # the same guesses as a proposed index gets (proof_rules), so old and new compete fairly
                    per_key = rows_per_key(int(rows), [distinct_guess(schema, table, c, stats) for c in ix.columns])
                    if ix.unique:
                        per_key[-1] = 1
                    # noskipscan: the per-key numbers are guesses, and a skip-scan chosen on a guess is no plan production gets
                    mem.execute("INSERT INTO sqlite_stat1 VALUES (?, ?, ?)", (table, ix.name, " ".join(map(str, [int(rows), *per_key])) + " noskipscan"))
        mem.execute("ANALYZE sqlite_schema")
    return mem


def schema_of_file(conn: sqlite3.Connection, path: str) -> tuple[Schema, dict[str, int]]:
    schema = from_sqlite(conn, path)
    schema.ddl = [sql for (sql,) in conn.execute("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' "
                                                 "ORDER BY type = 'index'")]
    stats: dict[str, int] = {}
    try:
        for table, stat in conn.execute("SELECT tbl, stat FROM sqlite_stat1 WHERE idx IS NULL OR idx = tbl"):
            stats[table] = int(stat.split()[0])
    except sqlite3.DatabaseError:
        pass  # never analysed: estimate from the largest rowid
    for table in schema.tables:
        if table not in stats:
            try:
                stats[table] = conn.execute(f'SELECT coalesce(max(rowid), 0) FROM "{table}"').fetchone()[0]
            except sqlite3.DatabaseError:
                pass
    return schema, stats


def plan(conn: sqlite3.Connection, sql: str, placeholders: int, params: list | None) -> list[PlanNode]:
    values = list(params) if params is not None else [None] * placeholders
    try:
        rows = conn.execute("EXPLAIN QUERY PLAN " + sql, values).fetchall()
    except sqlite3.ProgrammingError as exc:
        raise InputError("params", str(exc)) from None
    except sqlite3.DatabaseError as exc:  # OperationalError, and the authorizer's "not authorized"
        raise InputError("sql", f"SQLite cannot plan it: {exc}") from None
    nodes: dict[int, PlanNode] = {}
    roots: list[PlanNode] = []
    for node_id, parent, _, detail in rows:
        node = nodes[node_id] = PlanNode(node_id, detail)
        (nodes[parent].children if parent in nodes else roots).append(node)
    return roots


def flat(nodes: list[PlanNode]) -> list[str]:
    out = []
    for n in nodes:
        out.append(n.detail)
        out += flat(n.children)
    return out


def issues(details: list[str], filtered: set[str], stats: dict[str, int]) -> list[tuple[str, str, str]]:
    """(rule, message, confidence) for the plan lines that cost: scans of big filtered tables, automatic indexes, temp B-trees."""
    out = []
    for d in details:
        words = d.split()
        if words[:1] == ["SCAN"] and len(words) > 1 and "INDEX" not in d:
            table = words[1]
            rows = stats.get(table)
            if table in filtered and (rows is None or rows >= LARGE_TABLE):
                size = f"{rows:,} rows" if rows is not None else "a table of unknown size"
                out.append(("SQL101", f"`{d}`: a full scan of {table} ({size}) although the query filters or joins it", "high" if rows else "medium"))
        if "AUTOMATIC" in d:
            out.append(("SQL102", f"`{d}`: SQLite builds a temporary index for this join on every run; the join column has no index", "high"))
        if "USE TEMP B-TREE" in d:
            out.append(("SQL103", f"`{d}`: the rows are sorted in a temporary B-tree; an index in that order would return them sorted", "medium"))
    return out

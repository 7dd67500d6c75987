"""Schemas: tables, column types and indexes, read from DDL text, a .sql file, a live database, or the project's
Django / SQLAlchemy models (imported in a child process, never in the server), and turned into the SQLite DDL
of the embedded database."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError

from ..errors import InputError


@dataclass(frozen=True)
class Index:
    name: str
    table: str
    columns: tuple[str, ...]  # key parts: column names, or expressions normalised by key_part (upper(email), md5(body))
    unique: bool = False
    where: str | None = None  # a partial index's predicate, normalised

    @property
    def expression(self) -> bool:
        return any("(" in c for c in self.columns)


def key_part(sql: str) -> str:
    """One spelling for an index key part or predicate, whichever database printed it: `UPPER("email")`,
    `upper((email)::text)` and `upper(email)` are the same key."""
    s = re.sub(r"::[a-z ]+(\(\d+\))?", "", sql.lower())
    s = re.sub(r'[\s"`]', "", s)
    while True:
        t = re.sub(r"(?<![\w])\((\w+)\)", r"\1", s)
        if t == s:
            return s
        s = t


def _parts(params) -> tuple[tuple[str, ...], str | None]:
    cols = []
    for c in (params.args.get("columns") if params else []) or []:
        node = c.this if isinstance(c, exp.Ordered) else c
        cols.append(node.name if isinstance(node, exp.Column) else key_part(node.sql(dialect="postgres")))
    where = params.args.get("where") if params else None
    return tuple(cols), (key_part(where.this.sql(dialect="postgres")) if where is not None else None)


@dataclass
class Schema:
    tables: dict[str, dict[str, str]] = field(default_factory=dict)  # table -> column -> type
    indexes: list[Index] = field(default_factory=list)
    ddl: list[str] = field(default_factory=list)  # SQLite statements that build it
    source: str = ""
    notes: list[str] = field(default_factory=list)  # what could not be built (and was left out), for the report
    avg_width: dict[tuple[str, str], float] = field(default_factory=dict)  # PostgreSQL statistics: (table, column) -> bytes
    references: dict[tuple[str, str], str] = field(default_factory=dict)
    distinct: dict[tuple[str, str], float] = field(default_factory=dict)  # PostgreSQL pg_stats.n_distinct (negative: a share of the rows)  # (table, column) -> the table its foreign key references
    few_values: set[tuple[str, str]] = field(default_factory=set)  # (table, column) declared with a handful of values (choices)

    def covered(self, table: str, columns: tuple[str, ...]) -> Index | None:
        """An existing full (not partial) index whose leading parts are these (it already serves the lookup)."""
        want = tuple(key_part(c) if "(" in c else c for c in columns)
        for ix in self.indexes:
            if ix.table == table and ix.where is None and ix.columns[: len(want)] == want:
                return ix
        return None


def from_ddl(text: str, dialect: str = "sqlite", source: str = "ddl") -> Schema:
    schema = Schema(source=source)
    try:
        statements = [s for s in sqlglot.parse(text, read=dialect) if s is not None]
    except ParseError as exc:
        first = exc.errors[0] if exc.errors else {}
        raise InputError("schema", f"cannot parse the DDL: line {first.get('line')}, column {first.get('col')}: {first.get('description') or exc}") from None
    for stmt in statements:
        if not isinstance(stmt, exp.Create):
            continue
        kind = (stmt.args.get("kind") or "").upper()
        if kind == "TABLE" and isinstance(stmt.this, exp.Schema):
            table = stmt.this.this.name
            cols = {}
            for col in stmt.this.expressions:
                if isinstance(col, exp.ColumnDef):
                    # the type as written (BOOL stays BOOL: the SQLite spelling, INTEGER, would hide a flag)
                    cols[col.name] = (col.args["kind"].sql() if col.args.get("kind") else "")
                    ref = next((c.kind for c in col.constraints if isinstance(c.kind, exp.Reference)), None)
                    if ref is not None and isinstance(ref.this, exp.Schema) and isinstance(ref.this.this, exp.Table):
                        schema.references[(table, col.name)] = ref.this.this.name
                    if any(isinstance(c.kind, exp.PrimaryKeyColumnConstraint) for c in col.constraints):
                        schema.indexes.append(Index(f"{table}_pkey", table, (col.name,), True))
                    elif any(isinstance(c.kind, exp.UniqueColumnConstraint) for c in col.constraints):  # a column's UNIQUE is an index too
                        schema.indexes.append(Index(f"{table}_{col.name}_key", table, (col.name,), True))
                elif isinstance(col, exp.PrimaryKey):
                    schema.indexes.append(Index(f"{table}_pkey", table, tuple(e.name for e in col.expressions), True))
                elif isinstance(col, exp.UniqueColumnConstraint) and col.this is not None:
                    schema.indexes.append(Index(f"{table}_unique", table, tuple(e.name for e in col.this.expressions), True))
            schema.tables[table] = cols
        elif kind == "INDEX":
            index = stmt.this
            table = index.args.get("table")
            columns, where = _parts(index.args.get("params"))
            if table is not None and columns:
                schema.indexes.append(Index(index.name, table.name, columns, bool(stmt.args.get("unique")), where))
        schema.ddl.append(stmt.sql(dialect="sqlite"))
    return schema


def from_sqlite(conn: sqlite3.Connection, source: str) -> Schema:
    schema = Schema(source=source)
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").fetchall():
        schema.tables[name] = {row[1]: row[2] for row in conn.execute(f'PRAGMA table_info("{name}")')}
        for row in conn.execute(f'PRAGMA table_info("{name}")'):
            if row[5] == 1:
                schema.indexes.append(Index(f"{name}_pkey", name, (row[1],), True))
        for _, index, unique, *_ in conn.execute(f'PRAGMA index_list("{name}")').fetchall():
            sql = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", (index,)).fetchone()
            parsed = None
            if sql and sql[0]:  # written by hand: its expressions and WHERE count (PRAGMA index_info shows them as NULL)
                try:
                    parsed = _parts(sqlglot.parse_one(sql[0], read="sqlite").this.args.get("params"))
                except (ParseError, AttributeError):
                    parsed = None
            cols, where = parsed or (tuple(r[2] for r in conn.execute(f'PRAGMA index_info("{index}")')), None)
            schema.indexes.append(Index(index, name, cols, bool(unique), where))
    return schema


def from_postgres(cur, source: str) -> Schema:
    schema = Schema(source=source)
    cur.execute("SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() "
                "ORDER BY table_name, ordinal_position")
    for table, column, kind in cur.fetchall():
        schema.tables.setdefault(table, {})[column] = kind
    # key parts as PostgreSQL prints them (a column name, or an expression), and a partial index's predicate
    # a non-default operator class is part of the key: Django's `_like` index (varchar_pattern_ops) serves LIKE 'x%',
    # which the plain index on the same column cannot
    cur.execute("SELECT i.relname, t.relname, ix.indisunique, array(SELECT pg_get_indexdef(ix.indexrelid, k, true) || "
                "coalesce((SELECT CASE WHEN o.opcdefault THEN '' ELSE ' ' || o.opcname END FROM pg_opclass o "
                "WHERE o.oid = ix.indclass[k - 1]), '') "
                "FROM generate_series(1, ix.indnkeyatts) k ORDER BY k), pg_get_expr(ix.indpred, ix.indrelid) "
                "FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid "
                "JOIN pg_class t ON t.oid = ix.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = current_schema()")
    for name, table, unique, cols, where in cur.fetchall():
        parts = tuple(c if c in schema.tables.get(table, {}) or " " in c else key_part(c) for c in cols)
        schema.indexes.append(Index(name, table, parts, unique, key_part(where) if where else None))
    cur.execute("SELECT tablename, attname, avg_width, n_distinct FROM pg_stats WHERE schemaname = current_schema()")
    for t, c, w, n in cur.fetchall():
        schema.avg_width[(t, c)] = float(w)
        schema.distinct[(t, c)] = float(n)
    return schema

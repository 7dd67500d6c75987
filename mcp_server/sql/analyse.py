"""One statement against one database: lint, the real plan, its issues, and recommendations proven by the
planner. Shared by explain_query (one statement) and find_missing_indexes (the code base's workload)."""

from __future__ import annotations

import re
import sqlite3
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any

from ..config import ProjectConfig, resolve_inside
from ..errors import InputError
from ..table_rows import check as check_table_rows
from . import postgres_plan, proof_rules, sqlite_plan
from .candidates import Candidate
from .orm_schema import from_models
from .schema import Schema, from_ddl, from_postgres
from .statement import Statement, to_numbered, to_qmark


@dataclass
class Proof:
    candidate: Candidate
    proven: bool
    reason: str
    before: Any = None  # plan lines (SQLite) or total cost (PostgreSQL)
    after: Any = None
    size_bytes: int | None = None


@dataclass
class Target:
    """Where statements are planned: an embedded SQLite built from a schema, a SQLite file, or PostgreSQL."""

    engine: str  # sqlite | postgres
    shown: str  # what to call it in reports (never a password)
    schema: Schema
    stats: dict[str, int] = field(default_factory=dict)
    file_conn: sqlite3.Connection | None = None
    pg: Any = None  # a cursor in a read-only transaction
    memory: sqlite3.Connection | None = None
    timeout_s: float = 10.0
    dsn: str | None = None  # PostgreSQL: for a disposable database's real-index proof
    disposable: bool = False

    def planner(self) -> sqlite3.Connection:
        if self.memory is None:
            self.memory = sqlite_plan.planner_copy(self.schema, self.stats)
        return self.memory


def is_postgres(database: str) -> bool:
    return database.startswith(("postgres://", "postgresql://")) or bool(re.search(r"\bhost=|\bdbname=", database))


def open_target(stack: ExitStack, config: ProjectConfig, database: str | None, schema: str | None, table_rows: dict[str, int] | None,
                timeout_s: float, python: str | None = None) -> Target:
    check_table_rows(table_rows)
    if database:
        database = config.databases.get(database, database)
        if is_postgres(database):
            cur = stack.enter_context(postgres_plan.session(database, timeout_s))
            loaded = from_postgres(cur, "postgres")
            cur.execute("SELECT c.relname, c.reltuples::bigint FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                        "WHERE n.nspname = current_schema() AND c.relkind = 'r'")
            stats = {t: int(n) for t, n in cur.fetchall() if n >= 0}  # -1: never analysed, the size is unknown
            stats.update(table_rows or {})
            shown = re.sub(r"//[^@/]*@", "//", database.split("?")[0])
            return Target("postgres", shown, loaded, stats, pg=cur, timeout_s=timeout_s, dsn=database, disposable=database in config.disposable)
        path = resolve_inside(config.root, database, "database")
        if not path.is_file():  # also a name too long for the file system: the OS says so by raising, and we say it plainly
            raise InputError("database", f"{_short(database)} is not a SQLite file, a PostgreSQL DSN (postgresql://...), "
                                         f"or a name in [tool.performance-optimizer.databases] ({', '.join(sorted(config.databases)) or 'none configured'})")
        conn = sqlite_plan.open_file(path)
        stack.callback(conn.close)
        loaded, stats = sqlite_plan.schema_of_file(conn, str(path))
        stats.update(table_rows or {})
        target = Target("sqlite", path.relative_to(config.root).as_posix(), loaded, stats, file_conn=conn, timeout_s=timeout_s)
        sqlite_plan.guard(conn, timeout_s)
        return target
    loaded = load_schema(config, schema, python)
    unknown = sorted(set(table_rows or {}) - set(loaded.tables)) if loaded.tables else []
    if unknown:  # said once, up front: not once per statement planned
        raise InputError("table_rows", f"unknown table(s) {', '.join(map(repr, unknown))}; the schema has {', '.join(sorted(loaded.tables))}")
    return Target("sqlite", "embedded SQLite (schema only)", loaded, dict(table_rows or {}))


def load_schema(config: ProjectConfig, schema: str | None, python: str | None) -> Schema:
    if not schema:
        return Schema(source="none")
    if schema.startswith(("django:", "sqlalchemy:")):
        from ..runtime.runner import project_interpreter

        return from_models(schema, project_interpreter(python, config.root), config.root)
    one_word = "\n" not in schema.strip() and " " not in schema.strip()
    if schema.strip().endswith(".sql") or (one_word and _looks_like_path(schema.strip())):
        # a single word with a dot or a slash is a file name (a typo like schema.sqll included), never DDL
        path = resolve_inside(config.root, schema.strip(), "schema")
        if not path.is_file():
            raise InputError("schema", f"{_short(schema)} does not exist (expected DDL text, a .sql file, django:APP or sqlalchemy:MODULE)")
        return from_ddl(path.read_text(encoding="utf-8"), "sqlite", path.name)
    return from_ddl(schema, "sqlite", "ddl")


def _looks_like_path(word: str) -> bool:
    return "/" in word or "." in word


def _short(text: str) -> str:
    return text if len(text) <= 80 else f"{text[:60]}... ({len(text):,} characters)"


def filtered_tables(stmt: Statement) -> set[str]:
    """Tables the statement filters or joins on: a full scan of those is the one an index could avoid."""
    from sqlglot import exp

    out = set()
    aliases = {t.alias_or_name: t.name for t in stmt.tree.find_all(exp.Table)}
    for node in stmt.tree.find_all(exp.Where, exp.Join):
        cond = node.args.get("on") if isinstance(node, exp.Join) else node.this
        for col in (cond.find_all(exp.Column) if cond is not None else []):
            out.add(aliases.get(col.table, col.table) if col.table else next(iter(aliases.values()), ""))
    return out


def plan_sqlite(target: Target, stmt: Statement, params: list | None, on_file: bool) -> list[sqlite_plan.PlanNode]:
    conn = target.file_conn if on_file and target.file_conn is not None else target.planner()
    return sqlite_plan.plan(conn, to_qmark(stmt), stmt.placeholders, params)


def prove_sqlite(target: Target, stmt: Statement, cand: Candidate, before: list[str]) -> Proof:
    rows = target.stats.get(cand.table)
    if not rows:
        return Proof(cand, False, f"no size is known for {cand.table}: pass table_rows (or plan against the database) to prove an index",
                     before)
    if rows < proof_rules.MIN_TABLE_ROWS:
        return Proof(cand, False, f"{cand.table} has {rows:,} rows: under {proof_rules.MIN_TABLE_ROWS:,} a scan costs less than keeping "
                                  "an index up to date", before)
    if cand.expressions and any(not proof_rules.sqlite_can_index(e) for e in cand.columns):
        return Proof(cand, False, "SQLite cannot build this expression index; prove it on PostgreSQL", before)
    mem = target.planner()
    name = f"po_proof_{cand.table}_{abs(hash(cand.columns)) % 10**8}"
    mem.execute("BEGIN")
    try:
        mem.execute(f'CREATE INDEX "{name}" ON "{cand.table}" ({cand.key_sql()})')
        per_key = proof_rules.rows_per_key(rows, [proof_rules.distinct_guess(target.schema, cand.table, c, target.stats) for c in cand.columns])
        mem.execute("INSERT INTO sqlite_stat1 SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1')",
                    (cand.table, name, " ".join(str(n) for n in [rows, *per_key]) + " noskipscan"))
        mem.execute("ANALYZE sqlite_schema")
        after = sqlite_plan.flat(sqlite_plan.plan(mem, to_qmark(stmt), stmt.placeholders, None))
    except (sqlite3.DatabaseError, InputError) as exc:
        return Proof(cand, False, f"the index could not be tried: {getattr(exc, 'problem', exc)}", before)
    finally:
        mem.execute("ROLLBACK")
        mem.execute("ANALYZE sqlite_schema")
    uses = any(name in line for line in after)  # (checked before the proof's name is replaced by the real one)
    gone = [b for b in before if ("SCAN " + cand.table in b or "AUTOMATIC" in b or "TEMP B-TREE" in b) and b not in after]
    final = cand.ddl("sqlite").split()[2]
    after = [a.replace(name, final) for a in after]
    if not uses:
        return Proof(cand, False, "SQLite does not use this index for the statement", before, after)
    if not gone:
        return Proof(cand, False, "SQLite would use the index, but the plan has no scan, automatic index or sort that it removes", before, after)
    read_after = rows * proof_rules.selectivity(per_key, rows, cand)
    if any(a.startswith(f"SCAN {cand.table} ") for a in after if final in a):
        read_after = rows  # a full scan in the index's order: every row is still read, now at random
    change = f"the plan changes from {'; '.join(gone)} to {'; '.join(a for a in after if final in a)}"
    scanned = any(("SCAN " + cand.table in b and "USING" not in b) or "AUTOMATIC" in b for b in gone)
    if not scanned and read_after < rows:  # the table was searched already: what the index saves is the sort of the rows that search returns
        if read_after < proof_rules.MIN_TABLE_ROWS:
            return Proof(cand, False, f"{change}, but it only saves sorting about {read_after:,.0f} rows per run (under "
                                      f"{proof_rules.MIN_TABLE_ROWS:,})", before, after)
        return Proof(cand, True, f"{change}; it saves sorting about {read_after:,.0f} rows per run", before, after)
    drop = 1 - read_after / rows
    if drop < proof_rules.MIN_ROWS_DROP:
        return Proof(cand, False, f"{change}, but the rows read only drop from {rows:,} to about {read_after:,.0f} ({drop:.0%}; "
                                  f"{proof_rules.MIN_ROWS_DROP:.0%} needed): {proof_rules.why_weak(cand, target.schema)}", before, after)
    return Proof(cand, True, f"{change}; rows read drop from {rows:,} to about {read_after:,.0f} ({drop:.0%})", before, after)


def prove_postgres(target: Target, stmt: Statement, cand: Candidate, cost_before: float, params: list | None = None) -> Proof:
    """HypoPG (or a rolled-back real index on a disposable database); with params both plans are for those values."""
    rows = target.stats.get(cand.table)
    if rows is None:
        return Proof(cand, False, f"PostgreSQL has no statistics for {cand.table} (never analysed): ANALYZE {cand.table}, or pass "
                                  "table_rows, to prove an index", cost_before)
    if rows < proof_rules.MIN_TABLE_ROWS:
        return Proof(cand, False, f"{cand.table} has about {rows:,} rows (planner statistics): under {proof_rules.MIN_TABLE_ROWS:,} a scan "
                                  "costs less than keeping an index up to date", cost_before)
    long = [c for c in cand.columns if "(" not in c and proof_rules.is_long_text(target.schema.tables.get(cand.table, {}).get(c, ""),
                                                                                  target.schema.avg_width.get((cand.table, c)))]
    if long:
        existing = [ix.name for ix in target.schema.indexes if ix.table == cand.table
                    and any(f"({c})" in p or p.startswith(("md5(", "left(", "substr(")) and c in p for p in ix.columns for c in long)]
        avoided = f"; {', '.join(existing)} already indexes {'it' if len(long) == 1 else 'them'} through an expression" if existing else ""
        return Proof(cand, False, f"{', '.join(long)} {'is' if len(long) == 1 else 'are'} unbounded text: a btree entry over "
                                  f"~2.7 kB fails on insert. Index an expression instead, CREATE INDEX CONCURRENTLY ON {cand.table} "
                                  f"(md5({long[0]})) for equality (the query must compare md5({long[0]}) = md5($1)) or "
                                  f"(left({long[0]}, 100)) for prefixes{avoided}", cost_before)
    result = postgres_plan.hypothetical_safely(target.pg, cand.ddl("postgres"), to_numbered(stmt), stmt.placeholders, params)
    if isinstance(result, str) and target.disposable:
        result = postgres_plan.real_index(target.dsn, cand.ddl("postgres"), to_numbered(stmt), stmt.placeholders, target.timeout_s, params)
        how = "a real index in a rolled-back transaction (disposable database)"
    else:
        how = "HypoPG"
    if isinstance(result, str):
        return Proof(cand, False, result + "; mark the database disposable in [tool.performance-optimizer.databases] to prove with a real index "
                                           "in a rolled-back transaction", cost_before)
    cost_after, size = result
    drop = (cost_before - cost_after) / cost_before if cost_before > 0 else 0.0
    plan = "the plan for those values" if params is not None else "the generic plan"
    if drop >= postgres_plan.HYPO_MIN_DROP:
        return Proof(cand, True, f"{how}: the planner's cost drops from {cost_before:,.1f} to {cost_after:,.1f} ({drop:.0%}, {plan})",
                     cost_before, cost_after, size)
    return Proof(cand, False, f"{how}: the cost only drops {drop:.0%} ({cost_before:,.1f} -> {cost_after:,.1f}, {plan}); under the "
                              f"{postgres_plan.HYPO_MIN_DROP:.0%} that earns an index", cost_before, cost_after, size)

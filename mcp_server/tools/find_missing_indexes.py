"""find_missing_indexes: the workload view. Every SQL statement the code runs (string literals reaching execute /
text() / raw(), and Django ORM filter / exclude / get / order_by lookups turned into the SQL they mean), planned
against the schema; a small set of indexes, each proven by the planner, with the statements it serves; and the
existing indexes that are redundant."""

from __future__ import annotations

import ast
import time
from contextlib import ExitStack
from typing import TYPE_CHECKING

from pydantic import Field

from ..analysis.files import PathFilter, discover, read_source
from ..analysis.identity import assign_ids, file_reader
from ..config import ProjectConfig
from ..errors import InputError
from ..models import BaseModel, Evidence, Finding, InputProblem, Location, Report, ReportPage, Stats
from ..rules import finding
from .explain_query import Recommendation

if TYPE_CHECKING:  # sqlglot loads on the first call, not when the server starts
    from ..sql.schema import Schema

_SQL_START = ("select", "update", "delete", "with")
_RANGE = {"gt": ">", "gte": ">=", "lt": "<", "lte": "<="}


class IndexAdvice(BaseModel):
    """What find_missing_indexes found, in the full report and on every page of it alike."""

    tool: str = "find_missing_indexes"
    engine: str
    database: str
    statements: int = Field(description="Statements found in the code and planned.")
    recommendations: list[Recommendation] = Field(default_factory=list, description="Proven indexes, each with the statements it serves.")

    def summary_lines(self) -> list[str]:
        lines = [f"{self.statements} statement(s) planned against {self.database}"]
        for r in self.recommendations:
            lines.append(f"{r.create_index}  -- serves {', '.join(r.serves[:4])}{' ...' if len(r.serves) > 4 else ''}; {r.proof}")
        return lines


class IndexReport(IndexAdvice, Report):
    unproven: list[Recommendation] = Field(default_factory=list, description="Candidates the planner did not confirm, and why.")


class IndexPage(IndexAdvice, ReportPage):
    """find_missing_indexes as an agent reads it: a page of findings, and the indexes to create."""

    unproven: int = Field(default=0, description="Candidates the planner did not confirm (`performance-optimizer indexes --format json` lists them).")

    @staticmethod
    def extras(report: IndexReport) -> dict:
        return {**report.model_dump(include=set(IndexAdvice.model_fields) - {"tool"}), "unproven": len(report.unproven)}


def find_missing_indexes(paths: list[str] | None = None, database: str | None = None, schema: str | None = None, timeout_s: float = 10,
                         *, config: ProjectConfig) -> IndexReport:
    from ..sql.analyse import open_target, plan_sqlite, prove_postgres, prove_sqlite
    from ..sql.candidates import candidates
    from ..sql.statement import parse

    started = time.perf_counter()
    if paths is not None and (not isinstance(paths, list) or not all(isinstance(p, str) for p in paths)):
        raise InputError("paths", "expected a list of paths relative to the project root")
    files, skipped = discover(config.root, paths or ["."], PathFilter(config.include, config.exclude))
    with ExitStack() as stack:
        target = open_target(stack, config, database, schema, None, timeout_s)
        if not target.schema.tables:
            raise InputError("schema", "no tables to plan against: pass `database`, or `schema` (DDL, a .sql file, django:APP, sqlalchemy:MODULE)")
        workload, problems = _workload(config, files, target.schema)
        report = IndexReport(engine=target.engine, database=target.shown, statements=0,
                             errors=[InputProblem(input=p, message=m) for p, m in skipped])
        proven: dict[tuple[str, tuple[str, ...]], Recommendation] = {}
        unproven: dict[tuple[str, tuple[str, ...]], Recommendation] = {}
        for where, sql in workload:
            try:
                stmt = parse(sql, "postgres" if target.engine == "postgres" and "%s" in sql else target.engine)
                if target.engine == "sqlite":
                    before = [line for n in plan_sqlite(target, stmt, None, False) for line in _flat(n)]
                    proofs = [prove_sqlite(target, stmt, c, before) for c in candidates(stmt.tree, target.schema, "sqlite")]
                else:
                    from ..sql import postgres_plan
                    from ..sql.statement import to_numbered

                    cost = postgres_plan.explain(target.pg, to_numbered(stmt), stmt.placeholders, None, False)["Plan"]["Total Cost"]
                    proofs = [prove_postgres(target, stmt, c, cost) for c in candidates(stmt.tree, target.schema, "postgres")]
            except InputError as exc:
                problems.append((where, f"not planned: {exc.problem}"))
                continue
            report.statements += 1
            for proof in proofs:
                c = proof.candidate
                key = (c.table, c.columns)
                book = proven if proof.proven else unproven
                rec = book.get(key) or Recommendation(table=c.table, columns=list(c.columns), create_index=c.ddl(target.engine), reasons=c.reasons,
                                                      proven=proof.proven, proof=proof.reason, plan_before=proof.before, plan_after=proof.after,
                                                      size_bytes=proof.size_bytes)
                if where not in rec.serves:
                    rec.serves.append(where)
                book[key] = rec
        report.recommendations = _smallest_set(list(proven.values()))
        report.unproven = [r for k, r in unproven.items() if k not in proven][:50]
        for rec in report.recommendations:
            path, _, line = rec.serves[0].rpartition(":")
            report.findings.append(finding(
                "SQL201", f"`{rec.create_index}` serves {len(rec.serves)} statement(s): {rec.proof}",
                location=Location(path=path, line=int(line)) if line.isdigit() else None,
                evidence=[Evidence(role="statement", message=s) for s in rec.serves[:10]], suggestion=f"Create it: `{rec.create_index}`."))
        report.findings += redundant_findings(target.schema)
        report.errors += [InputProblem(input=w, message=m) for w, m in problems]
    assign_ids(report.findings, file_reader(config.root))
    report.stats = Stats(files=len(files), duration_ms=(time.perf_counter() - started) * 1000)
    return report


def redundant_findings(schema: Schema) -> list[Finding]:
    out = []
    for ix in schema.indexes:
        if ix.unique:
            continue  # uniqueness is a constraint, not only a speed-up
        longer = next((o for o in schema.indexes if o is not ix and o.table == ix.table and len(o.columns) > len(ix.columns)
                       and o.columns[: len(ix.columns)] == ix.columns), None)
        if longer is not None:
            out.append(finding(
                "SQL202", f"index {ix.name} ({', '.join(ix.columns)}) is the leading part of {longer.name} ({', '.join(longer.columns)}) on {ix.table}",
                suggestion=f"Drop it: `DROP INDEX {ix.name}` (every lookup it serves, {longer.name} serves too)."))
    return out


def _smallest_set(recs: list[Recommendation]) -> list[Recommendation]:
    """An index that is the leading part of another proposed index adds nothing: the longer one serves both."""
    out = []
    for rec in sorted(recs, key=lambda r: -len(r.columns)):
        longer = next((o for o in out if o.table == rec.table and o.columns[: len(rec.columns)] == rec.columns), None)
        if longer is not None:
            longer.serves += [s for s in rec.serves if s not in longer.serves]
        else:
            out.append(rec)
    return sorted(out, key=lambda r: (-len(r.serves), r.table))


def _workload(config: ProjectConfig, files: list[str], schema: Schema) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(file:line, SQL) for every statement found in the code."""
    found: list[tuple[str, str]] = []
    problems: list[tuple[str, str]] = []
    tables = _django_tables(config, files, schema)
    for rel in files:
        tree, problem = _parse_file(config, rel)
        if tree is None:
            problems.append((rel, problem))  # the same reason scan_performance gives, so neither says "0 skipped" alone
            continue
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
                continue
            method = node.func.attr
            if method in ("execute", "executemany", "raw", "text", "fetch", "fetchrow", "fetchval") and node.args:
                text = _literal(node.args[0])
                if text and text.lstrip().lower().startswith(_SQL_START):
                    found.append((f"{rel}:{node.lineno}", text))
            elif method in ("filter", "exclude", "get", "order_by"):
                sql = _orm_sql(node, tables, schema)
                if sql:
                    found.append((f"{rel}:{node.lineno}", sql))
    return found, problems


def _parse_file(config: ProjectConfig, rel: str) -> tuple[ast.Module | None, str | None]:
    """A file's tree under scan's limits (size, regular files only, encoding), or the reason scan would give."""
    text, problem = read_source(config.root, rel, int(config.threshold("max_file_kb") * 1024))
    if text is None:
        return None, problem
    try:
        return ast.parse(text, filename=rel), None
    except SyntaxError as exc:
        return None, f"syntax error at line {exc.lineno}, column {exc.offset}: {exc.msg}; skipped"
    except (RecursionError, MemoryError, ValueError):
        return None, "cannot be parsed (too deeply nested, or invalid); skipped"


def _literal(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "text" and node.args:
        return _literal(node.args[0])
    return None


def _django_tables(config: ProjectConfig, files: list[str], schema: Schema) -> dict[str, str]:
    """Model class name -> table: Meta.db_table, else Django's app_model convention matched against the schema."""
    out: dict[str, str] = {}
    for rel in files:
        if not rel.endswith("models.py"):
            continue
        tree, _ = _parse_file(config, rel)  # its problem is reported once, by _workload
        if tree is None:
            continue
        for cls in (n for n in tree.body if isinstance(n, ast.ClassDef)):
            table = None
            for stmt in cls.body:
                if isinstance(stmt, ast.ClassDef) and stmt.name == "Meta":
                    for s in stmt.body:
                        if isinstance(s, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "db_table" for t in s.targets) \
                                and isinstance(s.value, ast.Constant):
                            table = s.value.value
            table = table or next((t for t in schema.tables if t == cls.name.lower() or t.endswith("_" + cls.name.lower())), None)
            if table in schema.tables:
                out[cls.name] = table
    return out


def _orm_sql(call: ast.Call, tables: dict[str, str], schema: Schema) -> str | None:
    """`Invoice.objects.filter(client_id=..., status__in=...).order_by("-issued_on")` -> the SQL shape it runs."""
    chain = []
    cur: ast.AST = call
    while isinstance(cur, ast.Call) and isinstance(cur.func, ast.Attribute):
        chain.append(cur)
        cur = cur.func.value
    if not (isinstance(cur, ast.Attribute) and cur.attr == "objects" and isinstance(cur.value, ast.Name) and cur.value.id in tables):
        return None
    if call is not chain[0]:
        return None
    table = tables[cur.value.id]
    where, order = [], []
    for c in reversed(chain):
        if c.func.attr in ("filter", "get", "exclude"):
            for kw in c.keywords:
                if kw.arg is None:
                    continue
                field, _, op = kw.arg.partition("__")
                column = "id" if field == "pk" else field
                if column not in schema.tables[table] and f"{column}_id" in schema.tables[table]:
                    column = f"{column}_id"  # a ForeignKey's column
                if column not in schema.tables[table]:
                    continue  # a lookup across a relation (client__state): another table's column
                if op in _RANGE:
                    where.append(f"{column} {_RANGE[op]} ?")
                elif op == "in":
                    where.append(f"{column} IN (?)")
                elif op in ("", "exact"):
                    where.append(f"{column} = ?")
        elif c.func.attr == "order_by":
            for a in c.args:
                if isinstance(a, ast.Constant) and isinstance(a.value, str):
                    order.append(a.value.lstrip("-"))
    if not where and not order:
        return None
    sql = f"SELECT * FROM {table}"
    if where:
        sql += " WHERE " + " AND ".join(where)
    if order:
        sql += " ORDER BY " + ", ".join(order)
    return sql


def _flat(node) -> list[str]:
    return [node.detail] + [line for child in node.children for line in _flat(child)]

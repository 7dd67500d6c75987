"""explain_query: one statement's lint, its real plan (SQLite or PostgreSQL), the plan's issues, and index
recommendations each proven by the planner."""

from __future__ import annotations

import sqlite3
import time
from contextlib import ExitStack
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

from ..config import ProjectConfig
from ..errors import InputError
from ..models import Evidence, Report, Severity, Stats
from ..rules import finding

if TYPE_CHECKING:  # sqlglot and the SQL engine load on the first call, not when the server starts
    from ..sql.analyse import Proof, Target


class Recommendation(BaseModel):
    table: str
    columns: list[str]
    create_index: str = Field(description="The statement to run (CONCURRENTLY on PostgreSQL).")
    reasons: list[str] = Field(description="Which parts of the query the columns serve: equality, range, sort, join.")
    proven: bool = Field(description="True only when the planner showed the gain (plan shape on SQLite, HypoPG cost on PostgreSQL).")
    proof: str
    plan_before: Any = None
    plan_after: Any = None
    size_bytes: int | None = Field(default=None, description="HypoPG's size estimate (PostgreSQL).")
    serves: list[str] = Field(default_factory=list, description="The statements it helps (file:line for find_missing_indexes).")


class ExplainReport(Report):
    tool: str = "explain_query"
    engine: str = Field(description="sqlite or postgres")
    database: str = Field(description="What was planned against (no password).")
    dialect: str
    plan: Any = Field(default=None, description="The plan as a tree: SQLite EXPLAIN QUERY PLAN rows, or PostgreSQL's JSON nodes.")
    plan_text: list[str] = Field(default_factory=list, description="The plan, one line per node, indented.")
    analyzed: bool = False
    actual: dict[str, Any] | None = Field(default=None, description="With analyze: rows returned and milliseconds.")
    recommendations: list[Recommendation] = Field(default_factory=list)

    def summary_lines(self) -> list[str]:
        lines = [f"plan ({self.engine}, {self.database}):", *("  " + line for line in self.plan_text)]
        if self.analyzed and self.actual:  # what --analyze measured belongs in the text too, not only in the JSON
            lines.append(f"measured (analyze): {self.actual['rows']:,} row(s) in {self.actual['ms']:.2f} ms")
        elif self.analyzed:
            lines.append("measured (analyze): actual rows and times are in the plan lines above")
        for r in self.recommendations:
            lines.append(f"{'PROVEN' if r.proven else 'not proven'}: {r.create_index}  -- {r.proof}")
        return lines


def summarised(report: ExplainReport) -> ExplainReport:
    """What an agent reads by default: the plan as text lines, without the tree and each index's plans before and after."""
    if report.plan is None and not any(r.plan_before or r.plan_after for r in report.recommendations):
        return report
    short = report.model_copy(deep=True)
    short.plan = None
    for r in short.recommendations:
        r.plan_before = r.plan_after = None
    short.notes.append("plan tree and each index's plans before and after omitted: call with full_plan=true for them")
    return short


def explain_query(
    sql: str,
    database: str | None = None,
    schema: str | None = None,
    dialect: str | None = None,
    params: list[Any] | None = None,
    analyze: bool = False,
    table_rows: dict[str, int] | None = None,
    timeout_s: float = 10,
    *,
    config: ProjectConfig,
) -> ExplainReport:
    from ..sql.analyse import open_target
    from ..sql.lint import lint
    from ..sql.statement import parse

    started = time.perf_counter()
    if params is not None and not isinstance(params, list):
        raise InputError("params", "expected a JSON list of values, one per placeholder")
    if isinstance(timeout_s, bool) or not isinstance(timeout_s, (int, float)) or not 0 < timeout_s <= 600:
        raise InputError("timeout_s", f"expected seconds, more than 0 and at most 600, got {timeout_s!r}")
    with ExitStack() as stack:
        target = open_target(stack, config, database, schema, table_rows, timeout_s)
        stmt = parse(sql, dialect or target.engine)
        if analyze and stmt.writes:
            raise InputError("analyze", "ANALYZE runs the statement; it is refused for INSERT/UPDATE/DELETE/MERGE (ask for the plan only)")
        if params is not None and len(params) != stmt.placeholders:
            raise InputError("params", f"the statement has {stmt.placeholders} placeholder(s), got {len(params)} value(s)")
        report = ExplainReport(engine=target.engine, database=target.shown, dialect=stmt.dialect)
        report.findings += lint(stmt.tree, target.schema if target.schema.tables else None, stmt.dialect)
        if target.engine == "sqlite":
            _sqlite(report, target, stmt, params, analyze, table_rows)
        else:
            _postgres(report, target, stmt, params, analyze)
        report.notes += target.schema.notes
    report.stats = Stats(duration_ms=(time.perf_counter() - started) * 1000)
    return report


def _sqlite(report: ExplainReport, target: Target, stmt, params, analyze: bool, table_rows) -> None:
    from ..sql import sqlite_plan
    from ..sql.analyse import filtered_tables, plan_sqlite, prove_sqlite
    from ..sql.candidates import candidates

    # a write is planned on the in-memory copy: its statement is never even prepared against the user's file
    on_file = target.file_conn is not None and not table_rows and not stmt.writes
    if target.file_conn is None and not target.schema.tables:  # nothing to plan against: the lint stands alone
        report.notes.append("no schema: lint only; pass `schema` (DDL, a .sql file, django:APP or sqlalchemy:MODULE) or `database` for the plan")
        return
    nodes = plan_sqlite(target, stmt, params, on_file)
    report.plan = [n.dump() for n in nodes]
    report.plan_text = _indent(nodes)
    details = sqlite_plan.flat(nodes)
    filtered = filtered_tables(stmt)
    for rule, message, confidence in sqlite_plan.issues(details, filtered, target.stats):
        report.findings.append(finding(rule, message, confidence, evidence=[Evidence(role="plan", message=line) for line in details]))
    if analyze and target.file_conn is not None:
        started = time.perf_counter()
        try:
            rows = target.file_conn.execute(stmt.sql, params or [None] * stmt.placeholders).fetchall()
        except sqlite3.OperationalError as exc:
            if "interrupt" in str(exc):
                raise InputError("sql", f"timed_out: the statement ran past {report_timeout(target)} and was stopped") from None
            raise InputError("sql", f"SQLite cannot run it: {exc}") from None
        report.analyzed, report.actual = True, {"rows": len(rows), "ms": (time.perf_counter() - started) * 1000}
    proof_details = sqlite_plan.flat(plan_sqlite(target, stmt, params, False)) if on_file else details
    for cand in candidates(stmt.tree, target.schema, "sqlite", target.stats):
        _recommend(report, prove_sqlite(target, stmt, cand, proof_details), "sqlite")


def report_timeout(target: Target) -> str:
    return f"its time limit ({target.timeout_s:g} s)"


def _postgres(report: ExplainReport, target: Target, stmt, params, analyze: bool) -> None:
    from ..sql import postgres_plan
    from ..sql.analyse import prove_postgres
    from ..sql.candidates import candidates
    from ..sql.statement import to_numbered

    plan = postgres_plan.explain(target.pg, to_numbered(stmt), stmt.placeholders, params, analyze and not stmt.writes)
    report.analyzed = analyze and not stmt.writes
    if report.analyzed and "Actual Rows" in plan["Plan"]:
        root = plan["Plan"]
        report.actual = {"rows": root["Actual Rows"], "ms": plan.get("Execution Time", root.get("Actual Total Time", 0.0))}
    report.plan = postgres_plan.tree(plan["Plan"])
    report.plan_text = [f"{'  ' * depth}{n['Node Type']}{' on ' + n['Relation Name'] if n.get('Relation Name') else ''}"
                        f"{' using ' + n['Index Name'] if n.get('Index Name') else ''} (cost {n.get('Total Cost')}, rows {n.get('Plan Rows')}"
                        f"{', actual ' + str(n['Actual Rows']) if 'Actual Rows' in n else ''})" for n, depth in postgres_plan.walk(plan["Plan"])]
    stale = postgres_plan.stale_statistics(target.pg) if analyze else {}
    for rule, message, confidence, severity in postgres_plan.issues(plan["Plan"], target.stats, stale):
        f = finding(rule, message, confidence, evidence=[Evidence(role="plan", message=line) for line in report.plan_text[:20]])
        if severity:
            f.severity = Severity(severity)
        report.findings.append(f)
    # the HypoPG plan is made with the same values (or none: the generic plan), so the plan above is the one to compare
    # with; ANALYZE keeps the planner's estimated cost
    cost = plan["Plan"]["Total Cost"]
    for cand in candidates(stmt.tree, target.schema, "postgres", target.stats):
        _recommend(report, prove_postgres(target, stmt, cand, cost, params), "postgres")


def _recommend(report: ExplainReport, proof: Proof, dialect: str) -> None:
    c = proof.candidate
    rec = Recommendation(table=c.table, columns=list(c.columns), create_index=c.ddl(dialect), reasons=c.reasons, proven=proof.proven,
                         proof=proof.reason, plan_before=proof.before, plan_after=proof.after, size_bytes=proof.size_bytes)
    report.recommendations.append(rec)
    if proof.proven:
        report.findings.append(finding("SQL201", f"`{rec.create_index}` is missing: {proof.reason}", "high",
                                       evidence=[Evidence(role="proof", message=proof.reason)], suggestion=f"Create it: `{rec.create_index}`."))


def _indent(nodes, depth: int = 0) -> list[str]:
    out = []
    for n in nodes:
        out.append("  " * depth + n.detail)
        out += _indent(n.children, depth + 1)
    return out

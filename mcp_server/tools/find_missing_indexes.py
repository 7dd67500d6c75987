"""find_missing_indexes: the workload view. Every SQL statement the code runs (string literals reaching execute /
text() / raw(), and Django ORM filter / exclude / get / order_by lookups turned into the SQL they mean), planned
against the schema; a small set of indexes, each proven by the planner, with the statements it serves; and the
existing indexes that are redundant."""

from __future__ import annotations

import time
from contextlib import ExitStack

from pydantic import Field

from ..analysis.files import PathFilter, discover
from ..analysis.identity import assign_ids, file_reader
from ..config import ProjectConfig
from ..errors import InputError
from ..models import (
    BaseModel,
    Evidence,
    InputProblem,
    Location,
    Report,
    ReportPage,
    Stats,
)
from ..rules import finding
from ..sql.redundant import redundant_findings
from .explain_query import Recommendation


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
                         table_rows: dict[str, int] | None = None, *, config: ProjectConfig) -> IndexReport:
    from ..sql.analyse import open_target
    from ..sql.workload import read_workload

    started = time.perf_counter()
    if paths is not None and (not isinstance(paths, list) or not all(isinstance(p, str) for p in paths)):
        raise InputError("paths", "expected a list of paths relative to the project root")
    files, skipped = discover(config.root, paths or ["."], PathFilter(config.include, config.exclude))
    with ExitStack() as stack:
        target = open_target(stack, config, database, schema, table_rows, timeout_s)
        if not target.schema.tables:
            raise InputError("schema", "no tables to plan against: pass `database`, or `schema` (DDL, a .sql file, django:APP, sqlalchemy:MODULE)")
        workload = read_workload(config.root, files, target.schema.tables, target.engine, int(config.threshold("max_file_kb") * 1024))
        target.schema.few_values |= workload.few_values
        for key, ref in workload.references.items():
            target.schema.references.setdefault(key, ref)
        report = IndexReport(engine=target.engine, database=target.shown, statements=0,
                             errors=[InputProblem(input=p, message=m) for p, m in [*skipped, *workload.unreadable]])
        proven: dict[tuple[str, tuple[str, ...]], Recommendation] = {}
        unproven: dict[tuple[str, tuple[str, ...]], Recommendation] = {}
        wanted: dict[str, list[tuple[str, tuple[str, ...]]]] = {}  # statement -> the (table, key) of each of its candidates
        problems = list(workload.not_planned)
        for where, sql in workload.statements:
            try:
                proofs = _plan_one(target, sql)
            except InputError as exc:  # one statement's failure is that statement's, never the run's
                problems.append((where, f"not planned: {exc.problem}"))
                continue
            report.statements += 1
            for proof in proofs:
                c = proof.candidate
                key = (c.table, tuple(c.columns))
                wanted.setdefault(where, []).append(key)
                book = proven if proof.proven else unproven
                rec = book.get(key) or Recommendation(table=c.table, columns=list(c.columns), create_index=c.ddl(target.engine), reasons=c.reasons,
                                                      proven=proof.proven, proof=proof.reason, plan_before=proof.before, plan_after=proof.after,
                                                      size_bytes=proof.size_bytes)
                if where not in rec.serves:
                    rec.serves.append(where)
                book[key] = rec
        report.recommendations = _smallest_set(list(proven.values()))
        for rec in report.recommendations:  # every statement the index leads for, not only those it was proven on
            for where, keys in wanted.items():
                if where not in rec.serves and any(t == rec.table and 0 < len(k) <= len(rec.columns) and tuple(rec.columns[: len(k)]) == k
                                                   for t, k in keys):
                    rec.serves.append(where)
        report.unproven = [r for k, r in unproven.items() if k not in proven][:50]
        for rec in report.recommendations:
            path, _, line = rec.serves[0].rpartition(":")
            report.findings.append(finding(
                "SQL201", f"`{rec.create_index}` serves {len(rec.serves)} statement(s): {rec.proof}",
                location=Location(path=path, line=int(line)) if line.isdigit() else None,
                evidence=[Evidence(role="statement", message=s) for s in rec.serves[:10]], suggestion=f"Create it: `{rec.create_index}`."))
        report.findings += redundant_findings(target.schema, workload.project, config.root if schema else None, schema)
        report.errors += [InputProblem(input=w, message=m) for w, m in problems]
        report.notes += target.schema.notes
    assign_ids(report.findings, file_reader(config.root))
    report.stats = Stats(files=len(files), duration_ms=(time.perf_counter() - started) * 1000)
    return report


def _plan_one(target, sql: str) -> list:
    """The proofs of one statement's candidates. On PostgreSQL the statement runs in its own savepoint, so a failure
    (an unknown column, a refused index) leaves the transaction usable for the next one."""
    from ..sql.analyse import plan_sqlite, prove_postgres, prove_sqlite
    from ..sql.candidates import candidates
    from ..sql.statement import parse

    stmt = parse(sql, "postgres" if target.engine == "postgres" and "%s" in sql else target.engine)
    if target.engine == "sqlite":
        before = [line for n in plan_sqlite(target, stmt, None, False) for line in _flat(n)]
        return [prove_sqlite(target, stmt, c, before) for c in candidates(stmt.tree, target.schema, "sqlite", target.stats)]
    from ..sql import postgres_plan
    from ..sql.statement import to_numbered

    with postgres_plan.savepoint(target.pg):
        cost = postgres_plan.explain(target.pg, to_numbered(stmt), stmt.placeholders, None, False)["Plan"]["Total Cost"]
    return [prove_postgres(target, stmt, c, cost) for c in candidates(stmt.tree, target.schema, "postgres", target.stats)]


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


def _flat(node) -> list[str]:
    return [node.detail] + [line for child in node.children for line in _flat(child)]

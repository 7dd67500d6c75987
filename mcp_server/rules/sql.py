"""The SQL rules of explain_query and find_missing_indexes. Lint examples are statements (or (statement, DDL));
plan examples are {schema, sql, table_rows} planned on the embedded SQLite for real, or PostgreSQL EXPLAIN JSON
documents for the rules only PostgreSQL's plans show; index examples are schemas."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..findings import Severity
from . import Rule

if TYPE_CHECKING:  # the registry needs no pydantic: the hook looks rules up on every edit
    from ..models import Finding

LEDGER = """
CREATE TABLE clients (id INTEGER PRIMARY KEY, name TEXT NOT NULL, state TEXT NOT NULL);
CREATE TABLE invoices (id INTEGER PRIMARY KEY, client_id INTEGER NOT NULL REFERENCES clients(id), issued_on TEXT NOT NULL,
                       status TEXT NOT NULL, total DECIMAL(12, 2) NOT NULL);
"""
BIG = {"clients": 50_000, "invoices": 2_000_000}


class SqlRule(Rule):
    example_lang = "sql"

    @classmethod
    def run_example(cls, example: Any) -> list[Finding]:
        if isinstance(example, dict) and "Plan" in example:
            from ..sql.postgres_plan import issues
            from . import finding

            return [finding(rule, message, level) for rule, message, level, _ in issues(example["Plan"], {}) if rule == cls.id]
        if isinstance(example, dict) and "redundant" in example:
            from ..sql.schema import from_ddl
            from ..tools.find_missing_indexes import redundant_findings

            return [f for f in redundant_findings(from_ddl(example["redundant"])) if f.rule == cls.id]
        if isinstance(example, dict):
            import tempfile
            from pathlib import Path

            from ..config import load_config
            from ..tools.explain_query import explain_query

            with tempfile.TemporaryDirectory() as tmp:
                (Path(tmp) / "pyproject.toml").write_text("[project]\nname = 'x'\n")
                report = explain_query(example["sql"], schema=example.get("schema", LEDGER), table_rows=example.get("table_rows", BIG),
                                       config=load_config(Path(tmp)))
            return [f for f in report.findings if f.rule == cls.id]
        from ..sql.lint import lint
        from ..sql.schema import from_ddl
        from ..sql.statement import parse

        sql, ddl = example if isinstance(example, tuple) else (example, LEDGER)
        stmt = parse(sql, "sqlite")
        return [f for f in lint(stmt.tree, from_ddl(ddl), "sqlite") if f.rule == cls.id]


class SelectStar(SqlRule):
    id, name, title, severity = "SQL001", "select-star", "SELECT *", Severity.low
    what = "Finds `SELECT *` (and `t.*`)."
    why = "Every column travels, the ones nobody reads too, and no index can cover the query; a new column changes what callers get."
    example = "SELECT * FROM invoices WHERE client_id = ?"
    fix = "Name the columns the caller uses: `SELECT id, total FROM invoices WHERE client_id = ?`."
    positive = ["SELECT * FROM invoices WHERE client_id = ?", "SELECT i.* FROM invoices i"]
    negative = ["SELECT id, total FROM invoices WHERE client_id = ?", "SELECT count(*) FROM invoices"]


class LeadingWildcard(SqlRule):
    id, name, title, severity = "SQL002", "leading-wildcard-like", "LIKE starting with a wildcard", Severity.medium
    what = "Finds `LIKE` / `ILIKE` patterns that start with `%` or `_`."
    why = "A B-tree index is ordered from the first character: a pattern that starts anywhere reads every row."
    example = "SELECT id FROM clients WHERE name LIKE '%silva%'"
    fix = "Search by prefix (`LIKE 'silva%'`), or use a trigram index (pg_trgm) or full-text search for substring searches."
    positive = ["SELECT id FROM clients WHERE name LIKE '%silva%'", "SELECT id FROM clients WHERE name LIKE '_ilva'"]
    negative = ["SELECT id FROM clients WHERE name LIKE 'silva%'"]


class FunctionOnColumn(SqlRule):
    id, name, title, severity = "SQL003", "function-on-filtered-column", "Function or cast on a filtered column", Severity.medium
    what = "Finds a function or cast applied to a column inside WHERE / JOIN / HAVING comparisons (`lower(name) = ?`, `date(issued_on) = ?`)."
    why = "The index on the column stores the column's values, not the function's: the database evaluates it for every row instead."
    example = "SELECT id FROM invoices WHERE date(issued_on) = '2026-01-31'"
    fix = "Compare the bare column with a transformed value (`issued_on >= '2026-01-31' AND issued_on < '2026-02-01'`), or index the expression."
    positive = ["SELECT id FROM invoices WHERE date(issued_on) = '2026-01-31'", "SELECT id FROM clients WHERE lower(name) = ?"]
    negative = ["SELECT id FROM invoices WHERE issued_on >= ? AND issued_on < ?", "SELECT lower(name) FROM clients WHERE id = ?"]


class OrAcrossColumns(SqlRule):
    id, name, title, severity = "SQL004", "or-across-columns", "OR across different columns", Severity.low
    what = "Finds `OR` whose branches test different columns."
    why = "One index serves one column order: the planner often falls back to a full scan (or needs a bitmap OR on PostgreSQL)."
    example = "SELECT id FROM invoices WHERE client_id = ? OR status = 'overdue'"
    fix = "Split it into a `UNION ALL` of two indexed queries, or make sure each column has an index the planner can combine."
    positive = ["SELECT id FROM invoices WHERE client_id = ? OR status = 'overdue'"]
    negative = ["SELECT id FROM invoices WHERE status = 'open' OR status = 'overdue'"]


class NotInSubquery(SqlRule):
    id, name, title, severity = "SQL005", "not-in-subquery", "NOT IN (subquery)", Severity.medium
    what = "Finds `NOT IN (SELECT ...)`."
    why = "If the subquery returns one NULL, `NOT IN` is never true (rows silently vanish), and it plans worse than an anti-join."
    example = "SELECT id FROM clients WHERE id NOT IN (SELECT client_id FROM invoices)"
    fix = "Use `NOT EXISTS (SELECT 1 FROM invoices i WHERE i.client_id = c.id)`."
    positive = ["SELECT id FROM clients WHERE id NOT IN (SELECT client_id FROM invoices)"]
    negative = ["SELECT id FROM clients c WHERE NOT EXISTS (SELECT 1 FROM invoices i WHERE i.client_id = c.id)", "SELECT id FROM clients WHERE id NOT IN (1, 2)"]


class LargeOffset(SqlRule):
    id, name, title, severity = "SQL006", "large-offset", "Large OFFSET pagination", Severity.medium
    what = "Finds `OFFSET n` with n >= 1,000."
    why = "The database reads and discards n rows on every page: page 1,000 of an export reads 1,000 pages' worth of rows."
    example = "SELECT id FROM invoices ORDER BY id LIMIT 50 OFFSET 50000"
    fix = "Page by key: `WHERE id > :last_seen_id ORDER BY id LIMIT 50`."
    positive = ["SELECT id FROM invoices ORDER BY id LIMIT 50 OFFSET 50000"]
    negative = ["SELECT id FROM invoices ORDER BY id LIMIT 50 OFFSET 100", "SELECT id FROM invoices WHERE id > ? ORDER BY id LIMIT 50"]


class OrderByRandom(SqlRule):
    id, name, title, severity = "SQL007", "order-by-random", "ORDER BY RANDOM()", Severity.medium
    what = "Finds `ORDER BY RANDOM()` / `RAND()`."
    why = "The whole table is read and sorted to return a few rows."
    example = "SELECT id FROM invoices ORDER BY RANDOM() LIMIT 10"
    fix = "Sample by key (`WHERE id >= ? ORDER BY id LIMIT 10` with a random start), or `TABLESAMPLE` on PostgreSQL."
    positive = ["SELECT id FROM invoices ORDER BY RANDOM() LIMIT 10"]
    negative = ["SELECT id FROM invoices ORDER BY issued_on DESC LIMIT 10"]


class WriteWithoutWhere(SqlRule):
    id, name, title, severity = "SQL008", "write-without-where", "UPDATE or DELETE without WHERE", Severity.critical
    what = "Finds `UPDATE` and `DELETE` with no `WHERE` clause."
    why = "It changes every row of the table: usually a bug, and on a big table a long lock and a huge transaction."
    example = "UPDATE invoices SET status = 'paid'"
    fix = "Add the condition; if every row is meant, say so in a comment and batch it by key ranges."
    positive = ["UPDATE invoices SET status = 'paid'", "DELETE FROM invoices"]
    negative = ["UPDATE invoices SET status = 'paid' WHERE id = ?", "DELETE FROM invoices WHERE issued_on < ?"]


class ImplicitCrossJoin(SqlRule):
    id, name, title, severity = "SQL009", "implicit-cross-join", "Tables joined without a condition", Severity.high
    what = "Finds tables listed in FROM (`FROM a, b`) or joined with no ON / USING and no join condition in WHERE."
    why = "Every row of one table is paired with every row of the other: 50,000 clients x 2,000,000 invoices."
    example = "SELECT c.name, i.total FROM clients c, invoices i WHERE i.status = 'open'"
    fix = "Join on the relation: `FROM clients c JOIN invoices i ON i.client_id = c.id`."
    positive = ["SELECT c.name, i.total FROM clients c, invoices i WHERE i.status = 'open'"]
    negative = ["SELECT c.name, i.total FROM clients c, invoices i WHERE i.client_id = c.id",
                "SELECT c.name, i.total FROM clients c JOIN invoices i ON i.client_id = c.id"]


class CorrelatedSelectSubquery(SqlRule):
    id, name, title, severity = "SQL010", "correlated-subquery-in-select", "Correlated subquery in the SELECT list", Severity.medium
    what = "Finds a subquery in the SELECT list that refers to the outer query's tables."
    why = "It runs once per outer row: an N+1 inside one statement."
    example = "SELECT c.id, (SELECT sum(total) FROM invoices i WHERE i.client_id = c.id) FROM clients c"
    fix = "Join an aggregate once: `LEFT JOIN (SELECT client_id, sum(total) AS total FROM invoices GROUP BY client_id) t ON t.client_id = c.id`."
    positive = ["SELECT c.id, (SELECT sum(total) FROM invoices i WHERE i.client_id = c.id) FROM clients c"]
    negative = ["SELECT c.id, t.total FROM clients c LEFT JOIN (SELECT client_id, sum(total) AS total FROM invoices GROUP BY client_id) t "
                "ON t.client_id = c.id"]


class TypeMismatch(SqlRule):
    id, name, title, severity = "SQL011", "comparison-type-mismatch", "Comparison whose types disagree with the schema", Severity.medium
    what = "Finds a column compared with a literal of another type (a TEXT column with a number, a numeric column with a string)."
    why = "The database converts on every row, which can hide the index, and compares in an order nobody expected ('10' < '9')."
    example = "SELECT id FROM invoices WHERE status = 1"
    fix = "Compare with a value of the column's type (`status = 'open'`, `client_id = 42`)."
    positive = ["SELECT id FROM invoices WHERE status = 1", "SELECT id FROM invoices WHERE client_id = '42'"]
    negative = ["SELECT id FROM invoices WHERE status = 'open' AND client_id = 42"]


class FullScanUnderFilter(SqlRule):
    id, name, title, severity = "SQL101", "full-scan-under-filter", "Full scan of a large table under a filter", Severity.high
    what = ("Finds in the real plan a full scan (SQLite `SCAN t`, PostgreSQL `Seq Scan` with a Filter) of a table of at least 10,000 rows "
            "that the statement filters or joins on.")
    why = "Every row is read to keep a few; the time grows with the table, which is what production tables do."
    example = "SELECT id FROM invoices WHERE status = ?   -- SCAN invoices (2,000,000 rows)"
    fix = "Index the filtered columns (see SQL201: explain_query proposes the index and shows the plan it produces)."
    positive = [{"sql": "SELECT id, total FROM invoices WHERE status = ?"}]
    negative = [{"sql": "SELECT id, total FROM invoices WHERE id = ?"}, {"sql": "SELECT id FROM clients WHERE state = ?", "table_rows": {"clients": 500}}]


class AutomaticIndex(SqlRule):
    id, name, title, severity = "SQL102", "automatic-index", "Automatic index for a join", Severity.high
    what = "Finds `AUTOMATIC (COVERING) INDEX` in a SQLite plan: SQLite builds a temporary index on every run because the join column has none."
    why = "Building the index costs a pass over the table each time the statement runs."
    example = "SELECT c.name, i.total FROM clients c JOIN invoices i ON i.client_id = c.id   -- AUTOMATIC INDEX ON invoices(client_id)"
    fix = "Create the index on the join column (`CREATE INDEX ix_invoices_client_id ON invoices (client_id)`)."
    positive = [{"sql": "SELECT c.name, i.total FROM invoices i JOIN clients c ON c.state = i.status WHERE i.total > ?"}]
    negative = [{"sql": "SELECT c.name, i.total FROM invoices i JOIN clients c ON c.state = i.status WHERE i.total > ?",
                 "schema": LEDGER + "CREATE INDEX ix_clients_state ON clients (state); CREATE INDEX ix_invoices_status ON invoices (status);"}]


class TempSort(SqlRule):
    id, name, title, severity = "SQL103", "sort-without-index", "Sort in a temporary B-tree or on disk", Severity.medium
    what = "Finds `USE TEMP B-TREE FOR ORDER BY / GROUP BY` (SQLite) and sorts spilled to disk (PostgreSQL `Sort Space Type: Disk`)."
    why = "The whole result is sorted before the first row comes back; on disk it also pays I/O."
    example = "SELECT id FROM invoices WHERE client_id = ? ORDER BY issued_on"
    fix = "An index that filters and orders together (`(client_id, issued_on)`), or more work_mem on PostgreSQL."
    positive = [{"sql": "SELECT id FROM invoices WHERE client_id = ? ORDER BY issued_on DESC"}]
    negative = [{"sql": "SELECT id FROM invoices WHERE client_id = ? ORDER BY issued_on DESC",
                 "schema": LEDGER + "CREATE INDEX ix_inv ON invoices (client_id, issued_on);"}]


def _plan(**node) -> dict:
    return {"Plan": node}


class HashBatches(SqlRule):
    id, name, title, severity = "SQL104", "hash-batches", "Hash join in several batches", Severity.medium
    what = "Finds PostgreSQL Hash nodes with `Hash Batches` > 1 (EXPLAIN ANALYZE)."
    why = "The hash table did not fit in work_mem and was written to disk in pieces."
    example = "Hash (Hash Batches: 8)"
    fix = "Raise work_mem for this query, or reduce the rows hashed (filter earlier, select fewer columns)."
    positive = [_plan(**{"Node Type": "Hash Join", "Plans": [{"Node Type": "Hash", "Hash Batches": 8}]})]
    negative = [_plan(**{"Node Type": "Hash Join", "Plans": [{"Node Type": "Hash", "Hash Batches": 1}]})]


class RowMisestimate(SqlRule):
    id, name, title, severity = "SQL105", "row-misestimate", "Planner row estimate far off", Severity.medium
    what = "Finds PostgreSQL nodes whose actual rows differ from the planned rows by 10x (low), 100x (medium) or 1,000x (high)."
    why = "The planner chose its join order and methods for a different amount of data: stale statistics or correlated columns."
    example = "Seq Scan on invoices (rows=10) (actual rows=250000)"
    fix = "ANALYZE the table; for correlated columns, CREATE STATISTICS; then look at the plan again."
    positive = [_plan(**{"Node Type": "Seq Scan", "Relation Name": "invoices", "Plan Rows": 10, "Actual Rows": 250_000, "Actual Loops": 1})]
    negative = [_plan(**{"Node Type": "Seq Scan", "Relation Name": "invoices", "Plan Rows": 240_000, "Actual Rows": 250_000, "Actual Loops": 1})]


class RowsRemovedByFilter(SqlRule):
    id, name, title, severity = "SQL106", "rows-removed-by-filter", "Most rows read are thrown away", Severity.medium
    what = "Finds PostgreSQL nodes where the filter removed more than 50% (medium) or 90% (high) of the rows read (EXPLAIN ANALYZE)."
    why = "Reading rows to throw them away is the work an index avoids."
    example = "Seq Scan on invoices, Rows Removed by Filter: 1990000, actual rows 10000"
    fix = "Index the filter's columns so the database reads only the rows it keeps."
    positive = [_plan(**{"Node Type": "Seq Scan", "Relation Name": "invoices", "Plan Rows": 10_000, "Actual Rows": 10_000, "Actual Loops": 1,
                         "Rows Removed by Filter": 1_990_000})]
    negative = [_plan(**{"Node Type": "Seq Scan", "Relation Name": "invoices", "Plan Rows": 10_000, "Actual Rows": 10_000, "Actual Loops": 1,
                         "Rows Removed by Filter": 100})]


class NestedLoopManyOuter(SqlRule):
    id, name, title, severity = "SQL107", "nested-loop-many-outer", "Nested loop over many outer rows", Severity.medium
    what = "Finds PostgreSQL Nested Loop nodes whose outer side has 1,000 rows or more."
    why = "The inner side runs once per outer row: without an index on the inner join column that is a scan per row."
    example = "Nested Loop (outer: Seq Scan on clients, 50000 rows)"
    fix = "Index the inner side's join column, or let the planner hash-join (check the estimates first: see SQL105)."
    positive = [_plan(**{"Node Type": "Nested Loop", "Plans": [{"Node Type": "Seq Scan", "Plan Rows": 50_000}, {"Node Type": "Index Scan"}]})]
    negative = [_plan(**{"Node Type": "Nested Loop", "Plans": [{"Node Type": "Index Scan", "Plan Rows": 12}, {"Node Type": "Index Scan"}]})]


class MissingIndex(SqlRule):
    id, name, title, severity = "SQL201", "missing-index", "Missing index, proven by the planner", Severity.high
    what = ("Proposes an index from the columns of WHERE, JOIN, ORDER BY and GROUP BY (equality first, then a range, then the sort), "
            "skipping those an existing index already leads with, and reports it only when the planner proves it: on SQLite the plan "
            "before and after the index on an in-memory copy inside a rolled-back transaction; on PostgreSQL a HypoPG hypothetical "
            "index that cuts the planner's cost by at least 50%.")
    why = "An index that the plan does not use is pure write cost; one that it does use turns a scan into a search."
    example = "SELECT id FROM invoices WHERE client_id = ? AND status = ?   -- CREATE INDEX ix_invoices_client_id_status ON invoices (client_id, status)"
    fix = "Create the index the finding names (CONCURRENTLY on PostgreSQL), then explain the query again to see the plan use it."
    positive = [{"sql": "SELECT id, total FROM invoices WHERE client_id = ? AND status = ?"}]
    negative = [{"sql": "SELECT id, total FROM invoices WHERE client_id = ? AND status = ?",
                 "schema": LEDGER + "CREATE INDEX ix_inv ON invoices (client_id, status);"}]


class RedundantIndex(SqlRule):
    id, name, title, severity = "SQL202", "redundant-index", "Redundant index", Severity.low
    what = "Finds an index whose columns are a leading part of another index on the same table."
    why = "Every write maintains both, and the longer one already serves every lookup the shorter one does."
    example = "CREATE INDEX a ON invoices (client_id); CREATE INDEX b ON invoices (client_id, status);"
    fix = "Drop the shorter index (unless it is unique: uniqueness is a constraint, not only a speed-up)."
    positive = [{"redundant": LEDGER + "CREATE INDEX a ON invoices (client_id); CREATE INDEX b ON invoices (client_id, status);"}]
    negative = [{"redundant": LEDGER + "CREATE INDEX a ON invoices (status); CREATE INDEX b ON invoices (client_id, status);"}]

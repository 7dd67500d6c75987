"""explain_query and find_missing_indexes on real databases: the embedded SQLite, the example's SQLite file and a
throwaway PostgreSQL cluster with HypoPG; exact plans, issues and proven recommendations; and an attack suite
that proves no row, table or sequence changed on either database."""

import hashlib
import json
import sqlite3
import sys
from pathlib import Path

import pytest

from pg_cluster import fresh_database

from conftest import EXAMPLE
from mcp_server.config import load_config
from mcp_server.errors import InputError
from mcp_server.tools.explain_query import explain_query
from mcp_server.tools.find_missing_indexes import find_missing_indexes

ROWS = json.loads((EXAMPLE / "table_rows.json").read_text())


def rules(report):
    return sorted({f.rule for f in report.findings})


def test_embedded_plan_issue_and_proven_index_on_the_example_schema():
    report = explain_query("SELECT id FROM invoices WHERE client_id = ? ORDER BY id", schema="schema.sql", table_rows=ROWS,
                           config=load_config(EXAMPLE))
    assert (report.engine, report.plan_text) == ("sqlite", ["SCAN invoices"])
    assert rules(report) == ["SQL101", "SQL201"]
    (rec,) = report.recommendations
    assert (rec.create_index, rec.proven) == ("CREATE INDEX ix_invoices_client_id ON invoices (client_id)", True)
    assert rec.plan_after == ["SEARCH invoices USING COVERING INDEX ix_invoices_client_id (client_id=?)"]


def test_lint_works_without_any_database():
    report = explain_query("SELECT * FROM invoices WHERE lower(status) = 'open' OR client_id = 3 ORDER BY RANDOM() LIMIT 5 OFFSET 5000",
                           config=load_config(EXAMPLE))
    assert {"SQL001", "SQL003", "SQL004", "SQL006", "SQL007"} <= set(rules(report))
    assert report.notes and "no schema" in report.notes[0]


def test_small_tables_get_no_index(project):
    report = explain_query("SELECT id FROM tax_rates WHERE tax = ? AND key = ?", schema=(EXAMPLE / "schema.sql").read_text(),
                           table_rows={"tax_rates": 40}, config=load_config(project))
    assert rules(report) == [] and report.plan_text == ["SEARCH tax_rates USING COVERING INDEX sqlite_autoindex_tax_rates_1 (tax=? AND key=?)"]


@pytest.fixture
def example_db(tmp_path):
    sys.path.insert(0, str(EXAMPLE))
    from seed import create_database

    path = EXAMPLE / ".test-accounting.sqlite3"
    create_database(str(path), clients=30)
    yield path
    path.unlink(missing_ok=True)


def test_sqlite_file_is_read_only_and_unchanged(example_db):
    before = hashlib.sha256(example_db.read_bytes()).hexdigest()
    report = explain_query("SELECT id FROM payments WHERE invoice_id = ?", database=example_db.name, analyze=True, params=[1],
                           config=load_config(EXAMPLE))
    assert report.plan_text == ["SCAN payments"] and report.actual["rows"] == 1
    assert report.recommendations[0].create_index == "CREATE INDEX ix_payments_invoice_id ON payments (invoice_id)"
    # 60 rows: a change of plan is no proof on a table this small, and the scan is no issue yet
    assert not report.recommendations[0].proven and "SQL101" not in rules(report)
    assert report.recommendations[0].proof == "payments has 60 rows: under 1,000 a scan costs less than keeping an index up to date"
    big = explain_query("SELECT id FROM payments WHERE invoice_id = ?", database=example_db.name, table_rows={"payments": 1_500_000},
                        config=load_config(EXAMPLE))
    assert big.recommendations[0].proven and "SQL101" in rules(big)
    attacks = [
        ("DELETE FROM payments", "analyze"),
        ("SELECT 1; DELETE FROM payments", "sql"),
        ("PRAGMA query_only = OFF", "sql"),
        ("ATTACH DATABASE ':memory:' AS other", "sql"),
        ("WITH d AS (DELETE FROM payments RETURNING id) SELECT * FROM d", "analyze"),
    ]
    for sql, field in attacks:
        with pytest.raises(InputError) as err:
            explain_query(sql, database=example_db.name, analyze=True, config=load_config(EXAMPLE))
        assert err.value.field == field, (sql, str(err.value))
    with pytest.raises(InputError, match="timed_out: the statement ran past its time limit"):
        explain_query("WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r) SELECT count(*) FROM r", database=example_db.name,
                      analyze=True, timeout_s=0.3, config=load_config(EXAMPLE))
    plan_only = explain_query("DELETE FROM payments WHERE invoice_id = 3", database=example_db.name, config=load_config(EXAMPLE))
    assert plan_only.plan_text == ["SCAN payments"]
    assert hashlib.sha256(example_db.read_bytes()).hexdigest() == before
    with sqlite3.connect(example_db) as conn:
        assert conn.execute("SELECT count(*) FROM payments").fetchone()[0] == 60


@pytest.mark.parametrize("sql, field, message", [
    ("SELEC id FROM invoices", "sql", "cannot parse the SQL (sqlite): line 1, column 13: Invalid expression"),
    ("SELECT id FROM no_such_table", "sql", "SQLite cannot plan it: no such table: no_such_table"),
    ("SELECT id FROM invoices WHERE id = ?", "params", "the statement has 1 placeholder(s), got 2 value(s)"),
    ("BEGIN", "sql", "transaction control is not accepted"),
])
def test_bad_input_is_named(sql, field, message):
    params = [1, 2] if field == "params" else None
    with pytest.raises(InputError) as err:
        explain_query(sql, schema="schema.sql", params=params, config=load_config(EXAMPLE))
    assert err.value.field == field and message in str(err.value)


def test_unreachable_postgres_names_the_host_and_never_the_password():
    with pytest.raises(InputError) as err:
        explain_query("SELECT 1", database="postgresql://app:s3cret@127.0.0.1:1/ledger", config=load_config(EXAMPLE))
    assert err.value.field == "database" and "127.0.0.1:1/ledger" in str(err.value) and "s3cret" not in str(err.value)


def test_find_missing_indexes_on_the_example_code():
    report = find_missing_indexes(schema="schema.sql", table_rows=ROWS, config=load_config(EXAMPLE))
    assert report.statements >= 15
    got = {r.create_index: sorted(r.serves) for r in report.recommendations}
    assert got["CREATE INDEX ix_invoice_items_invoice_id ON invoice_items (invoice_id)"] == ["dbapi_app/reports.py:22", "dbapi_app/reports.py:97"]
    assert got["CREATE INDEX ix_payments_invoice_id ON payments (invoice_id)"] == ["dbapi_app/reports.py:83"]
    assert "CREATE INDEX ix_invoices_client_id ON invoices (client_id)" in got
    assert all(r.proven for r in report.recommendations)


def test_redundant_indexes_are_reported(project):
    ddl = (EXAMPLE / "schema.sql").read_text() + "CREATE INDEX a ON invoices (client_id); CREATE INDEX b ON invoices (client_id, status);"
    (project / "app.py").write_text("def f(cur):\n    cur.execute('SELECT id FROM invoices WHERE client_id = ? AND status = ?', (1, 'open'))\n")
    report = find_missing_indexes(schema=ddl, config=load_config(project))
    assert [f.message for f in report.findings if f.rule == "SQL202"] == [
        "index a (client_id) is the leading part of b (client_id, status) on invoices"]


# -- PostgreSQL, on the throwaway cluster ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def ledger_pg(postgres_dsn):
    import psycopg

    with psycopg.connect(postgres_dsn, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS payments, invoices, clients CASCADE")
        conn.execute("CREATE TABLE clients (id serial PRIMARY KEY, name text NOT NULL, state text NOT NULL)")
        conn.execute("CREATE TABLE invoices (id serial PRIMARY KEY, client_id int NOT NULL REFERENCES clients(id), status text NOT NULL, "
                     "total numeric(12, 2) NOT NULL)")
        conn.execute("INSERT INTO clients (name, state) SELECT 'c' || g, (ARRAY['SP','RJ','MG'])[1 + g % 3] FROM generate_series(1, 5000) g")
        conn.execute("INSERT INTO invoices (client_id, status, total) SELECT 1 + g % 5000, CASE WHEN g % 50 = 0 THEN 'overdue' ELSE 'paid' END, "
                     "(g % 997) * 1.5 FROM generate_series(1, 200000) g")
        conn.execute("ANALYZE")
    return postgres_dsn


def hypopg_missing(dsn) -> str | None:
    """Why HypoPG cannot be used on this server, or None. Asked of the server, not assumed: PostgreSQL without the
    postgresql-15-hypopg package is a normal machine, and its tests must skip, not error."""
    import psycopg

    with psycopg.connect(dsn) as conn:
        if conn.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'hypopg'").fetchone() is None:
            return "HypoPG is not installed on this PostgreSQL (apt-get install postgresql-15-hypopg)"
    return None


@pytest.fixture(scope="module")
def hypopg_pg(ledger_pg):
    import psycopg

    reason = hypopg_missing(ledger_pg)
    if reason:
        pytest.skip(reason)
    with psycopg.connect(ledger_pg, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS hypopg")
    return ledger_pg


def test_hypopg_is_asked_of_the_server(ledger_pg):
    import psycopg

    with psycopg.connect(ledger_pg) as conn:
        control = conn.execute("SELECT setting FROM pg_config WHERE name = 'SHAREDIR'").fetchone()
    installed = control is not None and (Path(control[0]) / "extension" / "hypopg.control").exists()
    assert hypopg_missing(ledger_pg) == (None if installed else "HypoPG is not installed on this PostgreSQL (apt-get install postgresql-15-hypopg)")


def checksum(dsn):
    import psycopg

    with psycopg.connect(dsn) as conn:
        tables = conn.execute("SELECT md5(string_agg(i::text, ',' ORDER BY i.id)) FROM invoices i").fetchone()[0]
        names = conn.execute("SELECT string_agg(relname, ',' ORDER BY relname) FROM pg_class WHERE relnamespace = 'public'::regnamespace").fetchone()[0]
        seq = conn.execute("SELECT last_value FROM invoices_id_seq").fetchone()[0]
        return tables, names, seq


def test_postgres_plan_issue_and_hypopg_proof(hypopg_pg, project):
    ledger_pg = hypopg_pg
    report = explain_query("SELECT id, total FROM invoices WHERE client_id = $1 AND status = 'overdue'", database=ledger_pg, config=load_config(project))
    assert report.engine == "postgres" and report.plan["Node Type"] in ("Seq Scan", "Gather")
    assert "SQL101" in rules(report)
    (rec,) = [r for r in report.recommendations if r.table == "invoices"]
    # status holds two values (pg_stats): it does not pay for its place in the key once client_id leads
    assert rec.create_index == "CREATE INDEX CONCURRENTLY ix_invoices_client_id ON invoices (client_id)"
    assert rec.proven and rec.plan_after < rec.plan_before / 2 and rec.size_bytes > 0
    analyzed = explain_query("SELECT id FROM invoices WHERE status = 'overdue'", database=ledger_pg, analyze=True, config=load_config(project))
    assert analyzed.analyzed and "SQL106" in rules(analyzed)  # 98% of the rows read are removed by the filter


def test_postgres_attack_suite_changes_nothing(ledger_pg, project):
    before = checksum(ledger_pg)
    refused = [
        ("SELECT 1; DROP TABLE invoices", False),
        ("DROP TABLE invoices", False),
        ("COMMIT", False),
        ("SET transaction_read_only = off", False),
        ("COPY invoices TO STDOUT", False),
        ("DELETE FROM invoices", True),
        ("WITH d AS (DELETE FROM invoices RETURNING id) SELECT count(*) FROM d", True),
        ("UPDATE invoices SET total = 0 WHERE id = 1", True),
    ]
    for sql, analyze in refused:
        with pytest.raises(InputError):
            explain_query(sql, database=ledger_pg, analyze=analyze, config=load_config(project))
    plan_only = explain_query("DELETE FROM invoices WHERE status = 'paid'", database=ledger_pg, config=load_config(project))
    assert plan_only.plan["Node Type"] == "ModifyTable" and plan_only.analyzed is False
    with pytest.raises(InputError, match="read-only transaction"):
        explain_query("SELECT nextval('invoices_id_seq')", database=ledger_pg, analyze=True, config=load_config(project))
    with pytest.raises(InputError, match="timed_out"):
        explain_query("SELECT pg_sleep(5)", database=ledger_pg, analyze=True, timeout_s=0.5, config=load_config(project))
    assert checksum(ledger_pg) == before


def test_without_hypopg_a_disposable_database_proves_with_a_real_index(ledger_pg, project):
    import psycopg

    scratch = fresh_database(ledger_pg, "scratch")
    with psycopg.connect(scratch, autocommit=True) as conn:
        conn.execute("CREATE TABLE invoices (id serial PRIMARY KEY, client_id int NOT NULL, total numeric(12, 2) NOT NULL)")
        conn.execute("INSERT INTO invoices (client_id, total) SELECT g % 3000, g FROM generate_series(1, 100000) g")
        conn.execute("ANALYZE")
    sql = "SELECT total FROM invoices WHERE client_id = 42"
    plain = explain_query(sql, database=scratch, config=load_config(project))
    assert not plain.recommendations[0].proven and plain.recommendations[0].proof.startswith("HypoPG is not installed")
    (project / "pyproject.toml").write_text(f'[tool.performance-optimizer.databases]\nscratch = {{url = "{scratch}", disposable = true}}\n')
    report = explain_query(sql, database="scratch", config=load_config(project))
    (rec,) = report.recommendations
    assert rec.proven and rec.proof.startswith("a real index in a rolled-back transaction (disposable database)") and rec.size_bytes > 0
    with psycopg.connect(scratch) as conn:  # and it was rolled back
        assert conn.execute("SELECT count(*) FROM pg_indexes WHERE tablename = 'invoices'").fetchone()[0] == 1

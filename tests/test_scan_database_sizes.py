"""Issue 15: a scan sized with the rows of the user's own database (`scan --database`, the tools' `database`), read
read-only, as `table_rows` sizes it by hand; and a whole table read into memory (PF401) is `low` until a size says
it is large (whole_tables.py)."""

import hashlib
import json
import sqlite3
import sys

import anyio
import pytest
from mcp import Client, StdioServerParameters

from conftest import cli_env
from mcp_server.analysis.table_sizes import WHOLE_WHY
from mcp_server.cli import main
from mcp_server.config import load_config
from mcp_server.errors import InputError
from mcp_server.tools.scan_performance import scan_performance

MODELS = '''from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class Client(Base):
    __tablename__ = "clients"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80))


class Invoice(Base):
    __tablename__ = "invoices"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"))
    client: Mapped[Client] = relationship()
'''

REPORTS = '''from sqlalchemy import select

from billing.models import Invoice


def ledger_by_state(conn):
    rows = conn.execute("SELECT state, amount FROM ledger_entries ORDER BY id").fetchall()
    totals = {}
    for state, amount in rows:
        totals[state] = totals.get(state, 0) + amount
    return totals


def names(session):
    return {invoice.id: invoice.client.name for invoice in session.scalars(select(Invoice))}
'''

FETCHALL = "`fetchall()` loads every row of a query with no LIMIT into memory, then the loop walks the list"
LAZY = "`invoice.client.name` is lazy-loaded in the loop at line 15"


@pytest.fixture
def ledger(project):
    """The project above, and a SQLite file of its data: 20,000 ledger entries, 12 invoices of 5 clients."""
    (project / "billing").mkdir()
    (project / "billing" / "__init__.py").write_text("")
    (project / "billing" / "models.py").write_text(MODELS)
    (project / "billing" / "reports.py").write_text(REPORTS)
    conn = sqlite3.connect(project / "ledger.db")
    conn.executescript("CREATE TABLE clients (id INTEGER PRIMARY KEY, name TEXT);"
                       "CREATE TABLE invoices (id INTEGER PRIMARY KEY, client_id INTEGER REFERENCES clients(id));"
                       "CREATE TABLE ledger_entries (id INTEGER PRIMARY KEY, state TEXT, amount NUMERIC);")
    conn.executemany("INSERT INTO clients VALUES (?, ?)", [(i, f"c{i}") for i in range(1, 6)])
    conn.executemany("INSERT INTO invoices VALUES (?, ?)", [(i, 1 + i % 5) for i in range(1, 13)])
    conn.executemany("INSERT INTO ledger_entries VALUES (?, ?, ?)", [(i, "SP", "1.00") for i in range(1, 20_001)])
    conn.commit()
    conn.close()
    return project


def _found(root, **options):
    report = scan_performance(rules=["PF401", "NP104"], min_severity="low", use_cache=False, config=load_config(root), **options)
    assert not report.errors, report.errors
    return report, {f.rule: (f.location.line, f.severity.value, f.message) for f in report.findings}


def test_unsized_a_whole_table_is_low_and_says_what_would_size_it(ledger):
    _report, found = _found(ledger)
    assert found["PF401"] == (7, "low", FETCHALL + WHOLE_WHY.format(what="`ledger_entries`", table="`ledger_entries`"))
    line, severity, message = found["NP104"]
    assert (line, severity) == (15, "high") and message.startswith(LAZY)


def test_the_rows_of_a_sqlite_file_size_the_findings_and_the_file_is_left_unchanged(ledger):
    before = hashlib.sha256((ledger / "ledger.db").read_bytes()).hexdigest()
    report, found = _found(ledger, database="ledger.db")
    assert found["PF401"] == (7, "medium", FETCHALL + "; the table `ledger_entries` holds 20,000 rows (in ledger.db)")
    line, severity, message = found["NP104"]
    assert (line, severity) == (15, "low")
    assert message.startswith(LAZY) and message.endswith("; the table `invoices` holds 12 rows (in ledger.db), so the loop is a handful")
    assert "findings sized with the rows of 3 tables read from ledger.db" in report.notes
    assert hashlib.sha256((ledger / "ledger.db").read_bytes()).hexdigest() == before
    assert not (ledger / "ledger.db-journal").exists() and not (ledger / "ledger.db-wal").exists()


def test_table_rows_win_over_the_database_for_the_tables_they_name(ledger):
    report, found = _found(ledger, database="ledger.db", table_rows={"invoices": 50_000})
    assert found["NP104"][1] == "high" and found["NP104"][2].endswith("; the table `invoices` holds 50,000 rows (table_rows)")
    assert found["PF401"][2].endswith("; the table `ledger_entries` holds 20,000 rows (in ledger.db)")
    assert "findings sized with the rows of 2 tables read from ledger.db" in report.notes


@pytest.mark.parametrize(("database", "message"), [
    ("missing.db", "missing.db is not a SQLite file, a PostgreSQL DSN (postgresql://...), or a name in "
                   "[tool.performance-optimizer.databases] (none configured)"),
    ("../elsewhere.db", "outside the project root"),
    ("  ", "expected a SQLite file in the project, a PostgreSQL DSN or a configured name"),
])
def test_a_database_that_cannot_be_read_is_named(ledger, database, message):
    with pytest.raises(InputError) as caught:
        _found(ledger, database=database)
    assert caught.value.field == "database" and message in str(caught.value)


def test_the_command_line_reads_the_sizes_with_database(ledger, capsys):
    assert main(["scan", "--root", str(ledger), "--database", "ledger.db", "--select", "PF401", "--format", "json", "--exit-zero",
                 "--no-ruff", "--no-cache"]) == 0
    body = json.loads(capsys.readouterr().out)
    [finding] = body["findings"]
    assert (finding["rule"], finding["severity"]) == ("PF401", "medium")
    assert "findings sized with the rows of 3 tables read from ledger.db" in body["notes"]


def test_a_real_mcp_client_sizes_a_scan_with_the_database(ledger):
    params = StdioServerParameters(command=sys.executable, args=["-m", "mcp_server"], cwd=str(ledger), env=cli_env())

    async def go():
        async with Client(params) as client:
            r = await client.call_tool("scan_performance", {"rules": ["PF401"], "database": "ledger.db"})
            assert not r.is_error, r.content
            [finding] = r.structured_content["findings"]
            assert (finding["rule"], finding["severity"]) == ("PF401", "medium")
            bad = await client.call_tool("detect_n_plus_one", {"database": "missing.db"})
            assert bad.is_error and "database: missing.db is not a SQLite file" in bad.content[0].text

    anyio.run(go)


def test_the_rows_of_a_postgresql_database_size_the_findings(ledger, postgres_dsn):
    import psycopg

    with psycopg.connect(postgres_dsn, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS ledger_entries")
        conn.execute("CREATE TABLE ledger_entries (id serial PRIMARY KEY, state text NOT NULL, amount numeric(12, 2) NOT NULL)")
        conn.execute("INSERT INTO ledger_entries (state, amount) SELECT 'SP', 1.00 FROM generate_series(1, 30000)")
        conn.execute("ANALYZE ledger_entries")
    try:
        report, found = _found(ledger, database=postgres_dsn)
        line, severity, message = found["PF401"]
        assert (line, severity) == (7, "medium")
        assert message.startswith(FETCHALL + "; the table `ledger_entries` holds 30,000 rows (in postgresql://")
        assert "password" not in message
        assert found["NP104"][1] == "high"  # invoices is not in that database: its finding keeps its severity
    finally:
        with psycopg.connect(postgres_dsn, autocommit=True) as conn:
            conn.execute("DROP TABLE ledger_entries")


def test_a_whole_table_of_a_few_thousand_rows_stays_low_and_says_its_size(ledger):
    _report, found = _found(ledger, table_rows={"ledger_entries": 5_000})
    assert found["PF401"] == (7, "low", FETCHALL + "; the table `ledger_entries` holds 5,000 rows (table_rows), too few to matter")


def test_the_configuration_names_the_database_scans_read_sizes_from(ledger):
    (ledger / "pyproject.toml").write_text('[tool.performance-optimizer]\ntable-rows-from = "books"\n\n'
                                           '[tool.performance-optimizer.databases]\nbooks = "ledger.db"\n')
    report, found = _found(ledger)
    assert found["PF401"] == (7, "medium", FETCHALL + "; the table `ledger_entries` holds 20,000 rows (in ledger.db)")
    assert "findings sized with the rows of 3 tables read from ledger.db" in report.notes
    (ledger / "pyproject.toml").write_text('[tool.performance-optimizer]\ntable-rows-from = "gone.db"\n')
    with pytest.raises(InputError) as caught:
        _found(ledger)
    assert caught.value.field == "pyproject.toml [tool.performance-optimizer].table-rows-from"
    assert "gone.db is not a SQLite file" in caught.value.problem

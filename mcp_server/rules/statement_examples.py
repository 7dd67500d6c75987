"""What a statement or a connection really is (issue 15, round 100): an upsert built into a name before it runs (agenta's
event ingestion, reported as a query per item with a lookup's fix), many rows in one statement per item (Phoenix's enum
tables), a connection the `with` closes through SQLAlchemy's `execution_options()` (onyx's tenant sessions), and an HTTP
client a class's `from_*` constructor keeps (Phoenix's MCP server); and, from round 103, a value formatted into a
statement's structure (a table's or a column's place), which no bound parameter can take (Feast's offline stores:
PF601 `low`), beside one formatted into a value's place, which one can (`high`)."""

# agenta's events (judged WRONGFIX as NP101: "SELECT ... IN before the loop" is no fix for an upsert)
PF201_UPSERT_BY_NAME = '''
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Payment(Base):
    __tablename__ = "payments"
    id: Mapped[int] = mapped_column(primary_key=True)
    amount: Mapped[str]


async def ingest(session, payments):
    for p in payments:
        stmt = insert(Payment).values(id=p["id"], amount=p["amount"])
        stmt = stmt.on_conflict_do_update(index_elements=["id"], set_={"amount": stmt.excluded.amount})
        await session.execute(stmt)
    await session.commit()
'''

# Phoenix's `_ensure_enums` (judged false): one executemany per table, of that table's missing values
PF201_ROWS_PER_TABLE = '''
import sqlalchemy as sa


async def ensure_codes(session, tables, wanted):
    for table in tables:
        existing = set(await session.scalars(sa.select(table.c.code)))
        missing = wanted[table.name] - existing
        if missing:
            await session.execute(sa.insert(table), [{"code": code} for code in missing])
'''

# Karbor's purge (judged WRONGFIX): each table the body reflects from the item's name gets one DELETE of its old rows;
# statements on different tables cannot be one
PF201_REFLECTED_PER_TABLE = '''
import datetime

from sqlalchemy import MetaData, Table


def purge_deleted(engine, session, tables, days):
    metadata = MetaData()
    cutoff = datetime.datetime.utcnow() - datetime.timedelta(days=days)
    for name in tables:
        t = Table(name, metadata, autoload_with=engine)
        session.execute(t.delete().where(t.c.deleted_at < cutoff))
'''

# onyx's `get_session_with_tenant` (judged false): `execution_options()` returns the connection, which the `with` closes
PF501_OPTIONS_IN_WITH = '''
from sqlalchemy import create_engine, text

engine = create_engine("postgresql://ledger")


def tenant_invoices(schema):
    with engine.connect().execution_options(schema_translate_map={None: schema}) as conn:
        return conn.execute(text("SELECT id, total FROM invoices")).all()
'''

# Phoenix's MCP server (judged WRONGFIX: closing the client would break every tool call)
PF501_KEPT_BY_CONSTRUCTOR = '''
import httpx
from fastmcp import FastMCP


def ledger_tools(spec):
    client = httpx.AsyncClient(base_url="http://ledger.internal")
    return FastMCP.from_openapi(openapi_spec=spec, client=client)
'''

# Feast's offline stores (16 judged false): the table comes from the caller's definitions and goes where no parameter
# binds; the state goes in quotes, where a bound parameter belongs
PF601_STRUCTURE_AND_VALUE = '''
import sqlite3


def latest_rates(conn: sqlite3.Connection, source, state):
    return conn.execute(f"SELECT rate FROM {source} WHERE state = '{state}' ORDER BY valid_from DESC").fetchall()
'''

# funnel's account merge and CodeChecker's severity upgrade (rounds 113 and 111, judged false): the body only sends
# statements, so the flush after each has nothing pending; the statement per column is still reported. A body that
# changes a row's attribute leaves it pending, and the flush per row sends it alone
PF201_FLUSH_AFTER_STATEMENTS = '''
def repoint(session, table, columns, old_id, new_id):
    for column in columns:
        session.execute(table.update().where(column == old_id).values({column.name: new_id}))
        session.flush()
'''
PF201_FLUSH_AFTER_CHANGES = '''
def rename(session, clients, names):
    for client in clients:
        client.name = names[client.id]
        session.flush()
'''
# a helper handed the row may change it: its flush per row is kept
PF201_FLUSH_AFTER_HELPER = '''
def reprice(session, invoices, apply_discount):
    for invoice in invoices:
        apply_discount(invoice)
        session.flush()
'''

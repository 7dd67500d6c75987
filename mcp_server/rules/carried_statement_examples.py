"""Work per item that no batch replaces, read from round 131 (Data Act Broker's and USAspending's validation and ETL):
a loop whose items carry their own SQL (NP101), a value inside the query text `dblink()` sends to another server
(PF601), and a connection per coroutine that runs alongside the others (PF502). tests/test_rule_precision_132.py
checks each at its line, severity and message."""

# each validation rule runs its own query against the submission: one statement per rule is the validation itself
NP101_RULE_SQL_NEGATIVE = '''
from sqlalchemy import text


def failed_rules(sess, rules, submission_id):
    failures = {}
    for rule in rules:
        sql = rule.rule_sql.format(submission_id)
        failures[rule.query_name] = sess.execute(text(sql)).fetchall()
    return failures


def run_checks(conn, checks, period):
    return [conn.execute(check["sql"], {"period": period}).fetchone() for check in checks]
'''

# ... while the rules' own text filled with each invoice's id is one statement, run once per invoice
NP101_SHARED_TEMPLATE_POSITIVE = '''
from sqlalchemy import text

OPEN_LINES = "SELECT * FROM invoice_lines WHERE invoice_id = {} AND paid = false"


def open_lines(sess, invoices):
    out = {}
    for invoice in invoices:
        sql = OPEN_LINES.format(invoice.id)
        out[invoice.id] = sess.execute(text(sql)).fetchall()
    return out
'''

_BROKER_COPY = """
def copy_{name}(cursor, chunks, {param}):
    for low, high in chunks:
        cursor.execute(
            f'''
            INSERT INTO tax_lines (invoice_id, icms, pis, cofins)
            SELECT * FROM dblink('broker', 'SELECT invoice_id, icms, pis, cofins FROM tax_lines
                                  WHERE id BETWEEN {{low}} AND {{high}} AND kind = ''{{{param}}}'' ')
            AS broker(invoice_id int, icms numeric, pis numeric, cofins numeric)
            '''
        )
"""
# `low`: the values sit inside the text dblink() sends to the broker's server, where no bound parameter reaches
PF601_DBLINK_LOWERED = _BROKER_COPY.format(name="tax_lines", param="kind")
# `high`: the same copy filtering the local side by a caller's value, after the dblink text has closed
PF601_AFTER_DBLINK_KEPT = '''
def copy_client(cursor, client_id):
    cursor.execute(
        f"""
        INSERT INTO tax_lines (invoice_id, icms)
        SELECT b.invoice_id, b.icms FROM dblink('broker', 'SELECT invoice_id, client_id, icms FROM tax_lines')
        AS b(invoice_id int, client_id int, icms numeric) WHERE b.client_id = {client_id}
        """
    )
'''

_CONNECT = '''
import asyncio

import asyncpg


async def refresh(view):
    conn = await asyncpg.connect(dsn="postgresql://ledger@127.0.0.1/ledger")
    try:
        await conn.execute(f"REFRESH MATERIALIZED VIEW {view}")
    finally:
        await conn.close()
'''
# `low`: each coroutine runs alongside the others under gather, and one asyncpg connection runs one statement at a time
PF502_GATHERED_LOWERED = _CONNECT + '''

def refresh_all(views):
    loop = asyncio.new_event_loop()
    tasks = []
    for view in views:
        tasks.append(asyncio.ensure_future(refresh(view), loop=loop))
    loop.run_until_complete(asyncio.gather(*tasks))
'''
# `high`: awaited in turn, each view opens and closes a connection one after another
PF502_AWAITED_KEPT = _CONNECT + '''

async def refresh_each(views):
    for view in views:
        await refresh(view)
'''

# each scenario is a database of its own: `.using(scenario.name)` sends the query there, which no one statement reaches
# (frePPLe's scheduler over its scenario databases, round 133: judged WRONGFIX). `.using("default")` per item is NP101.
_SCENARIO_MODELS = '''
from django.db import models


class Scenario(models.Model):
    name = models.CharField(max_length=20)
    status = models.CharField(max_length=10)


class Invoice(models.Model):
    number = models.CharField(max_length=20)
    due = models.DateField(null=True)
'''
_DUE = '''
from .models import Invoice, Scenario


def next_due(request):
    return [Invoice.objects.using(sc.name).filter(due__isnull=False).order_by("due").first()
            for sc in Scenario.objects.filter(status="in use")]
'''
NP101_OWN_DATABASE_NEGATIVE = {"manage.py": "", "plans/__init__.py": "", "plans/models.py": _SCENARIO_MODELS, "plans/views.py": _DUE,
                               "plans/urls.py": "from .views import next_due\nurlpatterns = [next_due]\n"}
NP101_ONE_DATABASE_POSITIVE = {**NP101_OWN_DATABASE_NEGATIVE, "plans/views.py": _DUE.replace(".using(sc.name).filter(", '.using("default").filter(number=sc.name, ')}

# each company keeps its ledger in a SQLite file of its own: the connection the company's method returns is that
# file's, so one query per company is the work and no one statement reaches them all (NextGIS Web's tile caches, one
# SQLite file each, round 156: 2 judged WRONGFIX); the twin asks one shared connection per company: positive
NP101_OWN_STORE_NEGATIVE = '''
import sqlite3
from decimal import Decimal


class Company:
    def __init__(self, ledger_path):
        self.ledger_path = ledger_path

    def ledger(self):
        return sqlite3.connect(self.ledger_path), None


def open_balances(companies):
    totals = {}
    for company in companies:
        conn, _lock = company.ledger()
        row = conn.execute("SELECT coalesce(sum(amount), 0) FROM entry WHERE paid = 0").fetchone()
        totals[company.ledger_path] = Decimal(str(row[0]))
    return totals
'''
NP101_SHARED_STORE_POSITIVE = NP101_OWN_STORE_NEGATIVE.replace("def open_balances(companies):", "def open_balances(companies, conn):").replace(
    "        conn, _lock = company.ledger()\n", "").replace('WHERE paid = 0").fetchone()', 'WHERE paid = 0 AND company = ?", (company.ledger_path,)).fetchone()')

# a count over each ledger's own table in the `ledgers` schema, its name formatted into a `text()` bound first: one
# statement per table, which no WHERE can merge (NextGIS Web's `tile_cache."<uuid>"`, round 156: judged WRONGFIX)
NP101_SCHEMA_TABLE_NEGATIVE = '''
import sqlalchemy as sa

from .models import DBSession, Ledger


def ledger_sizes():
    for ledger in DBSession.query(Ledger).filter_by(enabled=True).all():
        query = sa.text('SELECT count(1) FROM ledgers."{}"'.format(ledger.uuid.hex))
        yield ledger.id, DBSession.execute(query).scalar()
'''

"""What the callers, the call site and the project's layout say (issue 15, round 99): a parameter formatted into SQL
that every call in the project fills with text the code wrote (TaMaTo's nightly export, EnvErgo's spatial joins:
`low`, saying so); SQL a helper returns beside the values it binds (EnvErgo); a context manager entered per item (h's
read-only transaction per message), a scope each time rather than one answer to keep; a click command in a
`commands/` folder (h's developer seeding command: `low`, as commands are); a local file opened in a coroutine (Prefect's
command line and storage blocks: `low`); SQL composed from what other code returns, no caller's or request's value in it as
it is (Datasette's permission and search queries, round 101: `low`); a blocking call in the branch of a coroutine that runs
without a thread pool (Datasette's non-threaded mode: `low`)."""

from .row_examples import billing_app

# TaMaTo's schema reader (judged false at `high`): the type is always one of two words the class itself passes
PF601_WRITTEN_BY_CALLERS = '''
import sqlite3


class LedgerExport:
    def __init__(self, path):
        self.db = sqlite3.connect(path)

    def _schema(self, kind):
        cursor = self.db.cursor()
        cursor.execute(f"SELECT name, sql FROM sqlite_master WHERE type = '{kind}' AND name NOT LIKE 'sqlite_%'")
        return cursor.fetchall()

    def tables(self):
        return self._schema("table")

    def indexes(self):
        return self._schema(kind="index")
'''

# EnvErgo's VALUES list (judged false): the helper writes a `%s` template per row and returns the values beside it
PF601_SQL_WITH_PARAMS = '''
from django.db import connection

ROW = "(%s, %s)"


def _values(invoices):
    rows, params = [], []
    for invoice in invoices:
        rows.append(ROW)
        params += [invoice.pk, invoice.state]
    return ", ".join(rows), params


def icms_rates(invoices):
    values_sql, params = _values(invoices)
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH i(id, state) AS (VALUES {values_sql}) SELECT i.id, r.icms FROM i JOIN tax_rate r ON r.state = i.state",
            params,
        )
        return cursor.fetchall()
'''

# h's streamer (judged WRONGFIX: "call it once before the loop"): each message gets a transaction of its own
PF301_SCOPE_PER_ITEM = '''
from contextlib import contextmanager

from sqlalchemy import text


@contextmanager
def read_only(session):
    session.execute(text("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE READ ONLY DEFERRABLE"))
    try:
        yield
        session.commit()
    finally:
        session.close()


def post_payments(session, queue, post):
    for message in queue:
        with read_only(session):
            post(session, message)
'''

# h's `devdata` command (judged N RARE at `high`): a developer's command that click runs, its loop in a helper class
NP101_CLICK_COMMAND = billing_app("", **{"billing/cli/__init__.py": "", "billing/cli/commands/__init__.py": "",
                                        "billing/cli/commands/check.py": '''
import click

from billing.models import Client, Invoice


class Checker:
    def run(self):
        for invoice in Invoice.objects.all():
            Client.objects.get(pk=invoice.client_id)


@click.command()
def check_clients():
    Checker().run()
'''})

# Prefect's `work-pool create --base-job-template` (judged N RARE) and storage uploads (N CHEAP): one small local file
PF801_LOCAL_FILE = '''
import json


async def create_pool(client, name, template_path):
    with open(template_path) as f:
        template = json.load(f)
    return await client.create_work_pool(name=name, base_job_template=template)
'''

# Datasette's stored queries (12 judged false at `high`): the permission clause comes from a helper that binds its values
PF601_COMPOSED_HERE = '''
import sqlite3


def visible_sql(actor):
    return "SELECT id FROM invoices WHERE owner = :actor", {"actor": actor}


def invoices(db: sqlite3.Connection, actor, status):
    allowed, params = visible_sql(actor)
    where = "status = :status" if status else "1 = 1"
    return db.execute(f"SELECT * FROM invoices WHERE id IN ({allowed}) AND {where}", {**params, "status": status}).fetchall()
'''

# a search box's text formatted into the statement: an injection, listed as it was
PF601_FROM_REQUEST = '''
from django.db import connection


def search(request):
    q = request.GET.get("q", "").strip()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, name FROM billing_client WHERE name LIKE '%{q}%'")
        return cursor.fetchall()
'''

# Datasette's non-threaded mode (4 judged WRONGFIX): without an executor the coroutine runs the query itself, on purpose
PF801_NO_THREAD_BRANCH = '''
import asyncio
import sqlite3


class Ledger:
    def __init__(self, path, executor=None):
        self.path = path
        self.executor = executor

    def _totals(self):
        return sqlite3.connect(self.path).execute("SELECT state, SUM(total) FROM invoices GROUP BY state").fetchall()

    async def totals(self):
        if self.executor is None:
            return self._totals()
        return await asyncio.get_running_loop().run_in_executor(self.executor, self._totals)
'''

# edx-when's schedule (judged CACHED): Open edX's RequestCache answers every row of one user and course after the first
NP102_REQUEST_CACHE = billing_app('''
from edx_django_utils.cache import RequestCache

from .models import Client, Invoice


def client_of(client_id):
    cache = RequestCache("billing")
    found = cache.get_cached_response(f"client::{client_id}")
    if found.is_found:
        return found.value
    client = Client.objects.get(pk=client_id)
    cache.set(f"client::{client_id}", client)
    return client


def names(client_id):
    return [client_of(client_id).name for invoice in Invoice.objects.filter(client_id=client_id)]
''')

# GovReady's statements (2 judged PREFETCHED): django-auto-prefetch's ForeignKey loads the producer for every row at once
NP103_AUTO_PREFETCH = {"books/__init__.py": "", "books/models.py": '''
import auto_prefetch
from django.db import models


class Client(auto_prefetch.Model):
    name = models.CharField(max_length=100)


class Invoice(auto_prefetch.Model):
    client = auto_prefetch.ForeignKey(Client, on_delete=models.CASCADE)
    total = models.DecimalField(max_digits=12, decimal_places=2)
''', "books/views.py": '''
from .models import Invoice


def client_names():
    return [invoice.client.name for invoice in Invoice.objects.filter(total__gt=0)]
'''}

# JupyterHub's handlers (21 judged WRONGFIX): a Tornado application with one synchronous SQLAlchemy session and no async
# driver anywhere; its coroutines query in between awaits by design
PF801_SYNC_ONLY_PROJECT = {"hub/__init__.py": "", "hub/orm.py": '''
from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class Group(Base):
    __tablename__ = "groups"
    id = Column(Integer, primary_key=True)
    name = Column(String(255), unique=True)

    @classmethod
    def find(cls, db, name):
        return db.query(cls).filter(cls.name == name).first()
''', "hub/handlers.py": '''
from .orm import Group


class GroupHandler:
    def __init__(self, db):
        self.db = db

    async def get(self, name):
        group = Group.find(self.db, name)
        return {"name": group.name}
'''}

# NP101: a method whose loop walks a parameter, called from other modules through an object the scanner does not type
# (rotki's `self.db.add_tokens_to_spam(tokens)`, round 114: judged N, and the old message's "nothing in the project calls
# it" judged wrong four times): its callers are in the project, passing what the scanner does not follow. `low`, saying
# so. Named by no other module, the method may be an API for code outside it: `medium`, as before.
_LEDGER_DB = '''
from billing.models import Client


class LedgerDB:
    def client_names(self, client_ids):
        return [Client.objects.get(pk=client_id).name for client_id in client_ids]
'''
_REPORT = '''
def header(ledger, client_ids):
    return ", ".join(ledger.client_names(client_ids))
'''
NP101_CALLED_UNTYPED = billing_app("", **{"billing/ledger.py": _LEDGER_DB, "billing/report.py": _REPORT})
NP101_CALLED_FROM_NOWHERE = {**NP101_CALLED_UNTYPED, "billing/report.py": _REPORT.replace("ledger.client_names(", "ledger.names(")}

# NP102: a helper that queries only when the caller leaves its lookup tables out, after
# `if by_line is not None and by_kind is not None: return ...` (rotki's accounting rules, round 114: judged PREFETCHED,
# the caller loads both tables before the loop and hands them in). A caller passing one of them still reaches the query.
NP102_TABLES_HANDED_IN = '''
import sqlite3


def treatment_of(cursor, line, by_line=None, by_kind=None):
    if by_line is not None and by_kind is not None:
        found = by_line.get(line[0])
        if found is None:
            found = by_kind.get(line[1])
        return found
    row = cursor.execute("SELECT treatment FROM rules WHERE line_id=?", (line[0],)).fetchone()
    return row[0] if row else None


def treatments(path):
    conn = sqlite3.connect(path)
    try:
        cursor = conn.cursor()
        by_line = dict(cursor.execute("SELECT line_id, treatment FROM rules").fetchall())
        by_kind = dict(cursor.execute("SELECT kind, treatment FROM kind_rules").fetchall())
        return [treatment_of(cursor, line, by_line=by_line, by_kind=by_kind)
                for line in cursor.execute("SELECT id, kind FROM lines").fetchall()]
    finally:
        conn.close()
'''
NP102_ONE_TABLE_HANDED_IN = NP102_TABLES_HANDED_IN.replace("by_line=by_line, by_kind=by_kind)", "by_line=by_line)")

# the Citizens Police Data Project's latest documents (round 181, judged false at `high`): the view turns the request's
# `limit` into a number before handing it on, so the SQL holds digits whatever was sent; handed the text, it is a value
_LATEST = '''from django.db import connection


def latest_documents(limit):
    cur = connection.cursor()
    cur.execute(f"SELECT id, title FROM attachment ORDER BY created DESC LIMIT {limit}")
    return cur.fetchall()
'''
_LATEST_VIEW = '''from .queries import latest_documents


def latest(request):
    limit = {value}
    return latest_documents(limit)
'''


def _latest(value: str) -> dict[str, str]:
    return {"manage.py": "", "records/__init__.py": "", "records/queries.py": _LATEST, "records/views.py": _LATEST_VIEW.format(value=value)}


PF601_NUMBER_BY_CALLERS = _latest('int(request.GET.get("limit", 40))')
PF601_TEXT_BY_CALLERS = _latest('request.GET.get("limit", "40")')

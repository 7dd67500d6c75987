"""Per-item work that is the point of the loop, read on real applications (issue 15): a helper that deletes,
uploads, creates or imports one thing per item (its lookup on the way is a fraction of that work; a per-row
write is PF201's), a statement per item that is no lookup (a savepoint, DDL, a grant, an advisory lock), and statements that exist
once per table or per server process (identifiers cannot be
bound, so there is nothing to batch). The positives are the same shapes where a query picks rows per item.
Also a relation read under `if key not in seen:` (NP103): once per distinct key, like NP101's memoised lookups."""

from .row_examples import billing_app

HELPERS = '''
from .models import Client, Invoice

def delete_file(file_id):
    row = Invoice.objects.get(pk=file_id)
    storage.delete(row.path)
    row.delete()

def import_client(data):
    client = Client.objects.filter(name=data["name"]).first()
    client.name = data["name"]
    client.save()
'''

NP102_WRITES_NEGATIVE = [
    billing_app("from .helpers import delete_file, import_client\n\ndef purge(ids, rows):\n    for i in ids:\n        delete_file(i)\n"
         "    for data in rows:\n        import_client(data)\n", **{"billing/helpers.py": HELPERS}),
]

_SAVEPOINTS = {"txn/__init__.py": "", "txn/db.py": '''
def _dml(conn, sql, values):
    conn.execute(sql, values)


class Savepoint:
    def __init__(self, conn, name):
        self.conn = conn
        _dml(conn, "SAVEPOINT %s" % name, {})
''', "txn/calls.py": '''
from .db import Savepoint


def post_all(conn, entries, post):
    for entry in entries:
        Savepoint(conn, "entry")
        post(entry)
'''}
# a statement per item that no IN list batches: a savepoint (Koji's multicall, one per call so that a failing call rolls
# back alone), a grant, DDL (round 73: judged WRONGFIX as a query to batch)
NP102_WRITES_NEGATIVE.append(_SAVEPOINTS)

NP102_WRITES_POSITIVE = [
    # the same helper running a lookup per item
    {**_SAVEPOINTS, "txn/db.py": _SAVEPOINTS["txn/db.py"].replace('"SAVEPOINT %s" % name, {}', '"SELECT id FROM entries WHERE name = ?", (name,)')},
    # a lookup helper is not a write, whatever module it shares with them
    billing_app("from .helpers import client_name\n\ndef names(invoices):\n    return [client_name(inv.client_id) for inv in invoices]\n",
         **{"billing/helpers.py": HELPERS + "\ndef client_name(pk):\n    return Client.objects.get(pk=pk).name\n"}),
]

NP101_PER_OBJECT_NEGATIVE = ['''
def reset_sequences(engine, tables):
    for table_name in tables:
        engine.execute(f"SELECT setval(pg_get_serial_sequence('{table_name}', 'id'), coalesce(max(id) + 1, 1), false) FROM \\"{table_name}\\"")

def kill_queries(session, processes):
    for proc in processes:
        session.execute("KILL %s", (proc.id,))
''']

# an advisory lock per item, so that two workers never run the same schedule (Cloudify's execution scheduler, round 173:
# judged WRONGFIX as a query to batch), through a helper or written in the loop
_LOCKS = {"jobs/__init__.py": "", "jobs/locks.py": '''
from sqlalchemy import text


def try_lock(session, number):
    return session.execute(text("{sql}"), {{"n": number}}).scalar()
''', "jobs/scheduler.py": '''
from .locks import try_lock


def run_due(session, schedules, run):
    for schedule in schedules:
        if try_lock(session, schedule.lock_number):
            run(schedule)
'''}
NP102_ADVISORY_LOCK = {path: text.format(sql="SELECT pg_try_advisory_lock(:n)") for path, text in _LOCKS.items()}
NP102_LOCK_ROW_LOOKUP = {path: text.format(sql="SELECT id FROM locks WHERE number = :n") for path, text in _LOCKS.items()}
NP102_WRITES_NEGATIVE.append(NP102_ADVISORY_LOCK)
NP102_WRITES_POSITIVE.append(NP102_LOCK_ROW_LOOKUP)  # (the same helper looking a row up: batched by an IN list)
NP101_PER_OBJECT_NEGATIVE.append('''
def run_due(conn, schedules, run):
    for schedule in schedules:
        if conn.execute("SELECT GET_LOCK(%s, 0)", (schedule.name,)).fetchone()[0]:
            run(schedule)
''')

NP101_PER_OBJECT_POSITIVE = ['''
def rows(conn, ids, table):
    return [conn.execute(f"SELECT * FROM {table} WHERE id = ?", (i,)).fetchone() for i in ids]
''']

NP103_MEMO_NEGATIVE = [
    billing_app('''
from .models import Invoice

def payments_by_client():
    by_client = {}
    for inv in Invoice.objects.all():
        if inv.client_id not in by_client:
            by_client[inv.client_id] = list(inv.client.invoices.filter(total__gt=0))
    return by_client
'''),
]

NP103_MEMO_POSITIVE = [
    # the same read outside the memo runs per row
    billing_app('''
from .models import Invoice

def payments_by_client():
    by_client = {}
    for inv in Invoice.objects.all():
        by_client[inv.client_id] = list(inv.client.invoices.filter(total__gt=0))
    return by_client
'''),
]

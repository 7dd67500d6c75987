"""Examples of resources a function drops as it returns (issue 15, round 112): CPython closes a local connection or
socket when the function's frame goes, so a `with` that only commits, or a socket shut down on the normal path, holds
it a statement or two longer, not for the life of the process (PF501 lowers those, with the reason)."""

# `with psycopg2.connect(...)` commits but does not close; the function returns right after, dropping the connection
# (ListenBrainz's views and API helpers, round 112: 21 judged not worth anyone's time): `low`
PF501_WITH_DROPPED_AT_RETURN = '''
import psycopg2

DSN = "dbname=ledger"


def open_invoices(client_id):
    with psycopg2.connect(DSN) as conn, conn.cursor() as cur:
        cur.execute("SELECT id, total FROM invoices WHERE client_id = %s AND paid = false", (client_id,))
        rows = cur.fetchall()
    return [{"id": r[0], "total": r[1]} for r in rows]
'''

# the same `with` before a worker's polling loop: the connection stays open, idle, for as long as the worker runs
PF501_WITH_BEFORE_POLLING = '''
import time

import psycopg2


def watch_payments(dsn, handle):
    with psycopg2.connect(dsn) as conn:
        cur = conn.cursor()
        cur.execute("SELECT max(id) FROM payments")
        last = cur.fetchone()[0]
    while True:
        last = handle(last)
        time.sleep(60)
'''

# in a generator: its frame, and the connection, live for as long as the consumer takes between rows
PF501_WITH_IN_GENERATOR = '''
import sqlite3


def invoice_rows(path):
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT id, total FROM invoices").fetchall()
    yield from rows
'''

# a socket shut down on the normal path only: an exception leaves it to the frame, which goes as the function returns
# (psiTurk's port check, round 112: judged false at `medium`): `low`
PF501_SOCKET_DROPPED_AT_RETURN = '''
import socket


def port_in_use(host, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(1)
    try:
        s.connect((host, port))
        s.shutdown(socket.SHUT_RDWR)
        return True
    except OSError:
        return False
'''

# a connection of an engine the function creates itself, invalidated on the normal path (FormShare's task handlers,
# round 125: 3 judged false): an exception drops engine and connection together as the function returns: `low`. The
# same connection of the module's shared engine stays checked out of its pool until the garbage collector runs: kept.
ENGINE_CONNECTION = '''
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

DB_URL = "postgresql://ledger"
{shared}

def record_failure(task_id, notify):
    {engine}
    connection = engine.connect()
    connection.execute(text("INSERT INTO failed_task (task_id) VALUES (:id)"), {{"id": task_id}})
    notify(task_id)
    connection.invalidate()
    engine.dispose()
'''
PF501_OWN_ENGINE_LOWERED = ENGINE_CONNECTION.format(shared="", engine="engine = create_engine(DB_URL, poolclass=NullPool)")
PF501_SHARED_ENGINE_KEPT = ENGINE_CONNECTION.format(shared="engine = create_engine(DB_URL)\n", engine="# the module's engine")

# a reference list read from a file never closed, in a plain function (Kids First's data generator, round 174: 7 judged
# not worth anyone's time), and a MySQL connection a report helper never closes (Digital Green, 2 judged CHEAP): CPython
# closes both as the function returns: `low`. The same file read in a generator, which keeps it open between the rows it
# hands out, or written and read back, stays `medium`.
PF501_FILE_READ_DROPPED = '''
import csv


def tax_codes(path):
    source = open(path, "r")
    codes = [row[0] for row in csv.reader(source)]
    return codes
'''
PF501_FILE_READ_IN_GENERATOR = '''
import csv


def tax_codes(path):
    source = open(path, "r")
    for row in csv.reader(source):
        yield row[0]
'''
PF501_FILE_WRITTEN_KEPT = PF501_FILE_READ_DROPPED.replace('''source = open(path, "r")
    codes = [row[0] for row in csv.reader(source)]
    return codes''', '''out = open(path, "w")
    csv.writer(out).writerow(["ICMS", "PIS", "COFINS"])
    return path''')
PF501_SERVER_CONNECTION_DROPPED = '''
import MySQLdb


def unpaid_count(settings):
    conn = MySQLdb.connect(host=settings["host"], user=settings["user"], db=settings["name"])
    cur = conn.cursor()
    cur.execute("SELECT count(*) FROM invoices WHERE paid = 0")
    return cur.fetchone()[0]
'''

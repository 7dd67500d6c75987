"""The examples of resources.py's rules: each a source file (or {path: source} for several modules); the positive ones
must be flagged by the rule, the negative ones must not. Imported when a test first reads them (rules.Examples)."""

from __future__ import annotations

from .served_apps_and_connections_examples import (PF501_OPTIONS_CONNECTION_CLOSED, PF501_OPTIONS_CONNECTION_LEFT_OPEN,
                                                   PF502_CONNECTIONS_IN_A_ROUTE, PF502_CONNECTIONS_IN_A_SCRIPT)
from .coroutines_and_handles_examples import (PF501_LOG_FILE_LEFT_OPEN, PF501_NULL_DEVICE, PF502_ENGINE_IN_GLOBALS, PF502_ENGINE_PER_CALL,
                                              PF502_ENGINE_PER_URI, PF502_ENGINE_STORED_ELSEWHERE)
from .singletons_and_coroutines_examples import PF501_CLOSED_BY_A_METHOD, PF501_LEFT_OPEN_BY_THE_METHOD
from .blueprints_and_branches_examples import PF502_LOADED_ON_EVERY_READ, PF502_LOADED_ONCE
from .contexts_and_literals_examples import PF502_RETRIED_AFTER_A_PAUSE, PF502_TRIED_WITHOUT_A_PAUSE
from .kept_once_examples import PF502_CONNECTED_EVERY_TIME, PF502_CONNECTED_ONCE
from .background_examples import PF501_COMMAND_LOWERED, PF501_SERVED_KEPT
from .dropped_examples import (PF501_FILE_READ_DROPPED, PF501_FILE_READ_IN_GENERATOR, PF501_FILE_WRITTEN_KEPT, PF501_OWN_ENGINE_LOWERED,
                               PF501_SERVER_CONNECTION_DROPPED, PF501_SHARED_ENGINE_KEPT, PF501_SOCKET_DROPPED_AT_RETURN, PF501_WITH_BEFORE_POLLING,
                               PF501_WITH_DROPPED_AT_RETURN, PF501_WITH_IN_GENERATOR)
from .intent_examples import PF501_READ_AND_DROPPED
from .carried_statement_examples import PF502_AWAITED_KEPT, PF502_GATHERED_LOWERED
from .kept_holder_examples import (PF502_GLOBAL_FILLED_EACH_CALL, PF502_GLOBAL_FILLED_ONCE, PF502_KEPT_ON_HOLDER_NEGATIVE, PF502_NEW_HOLDER_POSITIVE,
                                  PF502_OPENED_EVERY_CALL, PF502_OPENED_WHEN_CLOSED)
from .event_and_page_examples import (PF502_CONNECTS_ON_CLICK, PF502_CONNECTS_PER_BUTTON,
                                      PF502_EACH_FILE_ITS_OWN_DATABASE, PF502_ONE_DATABASE_EACH_TIME)
from .module_globals_examples import PF502_GLOBAL_MADE_BY_INIT, PF502_GLOBAL_MADE_EVERY_CALL
from .own_database_examples import PF502_OWN_DATABASE_NEGATIVE, PF502_OWN_DATABASE_POSITIVE
from .recovery_examples import PF502_CONNECT_ON_DUPLICATE_KEPT, PF502_RECONNECT_ON_FAILURE
from .statement_examples import PF501_KEPT_BY_CONSTRUCTOR, PF501_OPTIONS_IN_WITH

# a helper that connects anew only when asked to (`new_connection=True`) and opens nothing otherwise
_BUS = '''
import psycopg
def bus(new_connection=False):
    if new_connection:
        return psycopg.connect("postgresql://app@db/ledger")
    return None
'''

# a connection kept on the object (`if self.conn: return self.conn`) and closed after each query unless the caller
# says otherwise: per item only for callers that leave `close_conn` on (judged false on a real application, round 36)
_KEPT = '''
import psycopg
class Ledger:
    def __init__(self, dsn):
        self.dsn, self.conn = dsn, None
    def connection(self):
        if self.conn:
            return self.conn
        self.conn = psycopg.connect(self.dsn)
        return self.conn
    def close(self):
        if self.conn:
            self.conn.close()
            self.conn = None
    def rows(self, sql, args=(), close_conn=True):
        try:
            return self.connection().execute(sql, args).fetchall()
        finally:
            if close_conn:
                self.close()
'''

_POOL = '''
import queue
import psycopg


class LedgerPool:
    def __init__(self, dsn, size=4):
        self.dsn, self.idle, self.by_slot = dsn, queue.Queue(), {{}}
        for slot in range(size):
            {keep}

    def _connect(self):
        return psycopg.connect(self.dsn)
'''


# a PID file held open for the daemon's life: the advisory lock lasts as long as the file does (NIPAP, round 136: the
# close offered judged WRONGFIX, it would let a second daemon start); the same file only synced, never locked, is reported
_PID_FILE = '''
import fcntl
import os
import sys


def hold_pid_file(path):
    lock = open(path, "a+")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        sys.exit("already running")
    lock.truncate(0)
    lock.write(str(os.getpid()))
    lock.flush()
'''
PF501_PID_FILE_UNLOCKED = _PID_FILE.replace("fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)", "os.fsync(lock.fileno())")

# a file handed out inside the stream that reads it (Distro Tracker's cached downloads, round 140: judged WRONGFIX);
# read whole and dropped (`json.load(f)`), it is reported
_CACHED = '''
import gzip
import json


def decompressed_stream(f):
    return gzip.GzipFile(fileobj=f)


def cached_rates(path):
    f = open(path, "rb")
    return {call}
'''
PF501_HANDED_IN_A_STREAM = _CACHED.format(call="decompressed_stream(f)")
PF501_READ_WHOLE = _CACHED.format(call="json.load(f)")

# a connection handed out in the session built on it (the Palace Project's `return cls.session_from_connection(
# connection)`, round 148: judged WRONGFIX); used for one statement and dropped, it is reported
_SESSIONS = '''
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session


class SessionManager:
    @classmethod
    def engine(cls, url):
        return create_engine(url, pool_pre_ping=True)

    @classmethod
    def session_from_connection(cls, connection):
        return Session(connection, future=True)

    @classmethod
    def session(cls, url):
        engine = cls.engine(url)
        connection = engine.connect()
        return {call}
'''
PF501_HANDED_IN_A_SESSION = _SESSIONS.format(call="cls.session_from_connection(connection)")
# closed first thing in the `else` of the `try` that opened it (Euphrosyne's branch database check, round 148: judged
# false): nothing runs in between; a query before the close may raise and leave it open
_PROBE = '''
import psycopg2


def database_name(base, branch):
    try:
        conn = psycopg2.connect(database=f"{{base}}_{{branch}}")
    except psycopg2.OperationalError:
        return base
    else:
        {body}
        return f"{{base}}_{{branch}}"
'''
PF501_CLOSED_FIRST_IN_ELSE = _PROBE.format(body="conn.close()")
PF501_QUERIED_BEFORE_CLOSE = _PROBE.format(body="conn.cursor().execute(\"SELECT 1\")\n        conn.close()")
PF501_ONE_STATEMENT = _SESSIONS.format(call="connection.execute(text(\"SELECT 1\")).scalar()")

# a connection an inner generator closes when the caller has read its batches, the generator returned (OpenHEXA's query
# stream, round 140: judged false); the generator closing only the cursor leaves the connection to CPython: `low`
_BATCHES = '''
import sqlite3


def stream_invoices(path):
    conn = sqlite3.connect(path)
    cursor = conn.execute("SELECT id, total FROM invoices")

    def batches():
        try:
            rows = cursor.fetchmany(500)
            while rows:
                yield rows
                rows = cursor.fetchmany(500)
        finally:
            {close}
    return batches()
'''
PF501_CLOSED_BY_RETURNED_GENERATOR = _BATCHES.format(close="conn.close()")
PF501_CURSOR_CLOSED_ONLY = _BATCHES.format(close="cursor.close()")

PF501_POSITIVE = [
        PF501_PID_FILE_UNLOCKED,
        PF501_READ_WHOLE, PF501_CURSOR_CLOSED_ONLY, PF501_ONE_STATEMENT, PF501_QUERIED_BEFORE_CLOSE,
        PF501_READ_AND_DROPPED,
        PF501_COMMAND_LOWERED, PF501_SERVED_KEPT,
        # found at `low` when the function drops the connection or socket as it returns; `medium` before a polling loop or in a generator
        PF501_WITH_DROPPED_AT_RETURN, PF501_WITH_BEFORE_POLLING, PF501_WITH_IN_GENERATOR, PF501_SOCKET_DROPPED_AT_RETURN,
        # `low`: a file read, or a server's connection, never closed in a plain function; `medium` in a generator, or written
        PF501_FILE_READ_DROPPED, PF501_SERVER_CONNECTION_DROPPED, PF501_FILE_READ_IN_GENERATOR, PF501_FILE_WRITTEN_KEPT,
        # `low` for a connection of an engine the function creates itself; `medium` for the module's shared engine's
        PF501_OWN_ENGINE_LOWERED, PF501_SHARED_ENGINE_KEPT,
        # a temporary file written and never closed: its descriptor stays open until the garbage collector runs
        '''
from tempfile import NamedTemporaryFile
def export_pdf(rows, render):
    out = NamedTemporaryFile(mode="wb", delete=False, suffix=".pdf")
    render(out, rows)
    return out.name
''',
        '''
import sqlite3
def balance(path, account):
    conn = sqlite3.connect(path)
    return conn.execute("SELECT balance FROM accounts WHERE id = ?", (account,)).fetchone()[0]
''',
        '''
import sqlite3
def totals(path):
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT sum(total) FROM invoices").fetchone()[0]
''',
        '''
def first_line(path):
    f = open(path)
    line = f.readline()
    f.close()
    return line
''',
        '''
import requests
def rates(url):
    session = requests.Session()
    return session.get(url, timeout=10).json()
''',
        # a client used once in place: nobody can close it
        '''
import httpx
def bank_status(url):
    return httpx.Client().get(url, timeout=10).json()
''',
    ]

PF501_NEGATIVE = [
        _PID_FILE,
        PF501_HANDED_IN_A_STREAM, PF501_CLOSED_BY_RETURNED_GENERATOR, PF501_HANDED_IN_A_SESSION, PF501_CLOSED_FIRST_IN_ELSE,
        # a file handed to a nested generator that reads it and closes it when done (Elmo's build logs, round 67: judged
        # false; `with` around it would close the file before the caller reads a line)
        '''
def statement_lines(path):
    f = open(path, "rb")

    def lines(f):
        for raw in f:
            yield raw.decode("utf-8")
        f.close()
    return lines(f)
''',
        # an HTTP client entered by the owner's `__enter__` and left by its `__exit__` (les emplois's API clients, round 62)
        '''
import httpx
class ErpClient:
    def __enter__(self):
        self._client = httpx.Client().__enter__()
        return self
    def __exit__(self, *exc):
        self._client.__exit__(*exc)
''',
        # a factory handing out a cursor: the cursor keeps its connection for the caller (OpenCraft's
        # `get_admin_cursor`, round 64: judged WRONGFIX)
        '''
import sqlite3
def ledger_cursor(path):
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA query_only = ON")
    return conn.cursor()
''',
        # a connection handed to the object a class method builds (`return cls(connection, ...)`): the object keeps it
        # open for its queries (OpenPrescribing's MatrixStore, one per process; judged false in round 48)
        '''
import sqlite3
class RateStore:
    def __init__(self, connection, name):
        self.connection = connection
        self.name = name
    @classmethod
    def from_file(cls, path):
        connection = sqlite3.connect(path)
        connection.execute("PRAGMA query_only = ON")
        return cls(connection, name=path)
''',
        # a listening socket handed to the server as `sock=`: the server owns it and closes it when it stops (Modoboa's
        # policy daemon, judged false)
        '''
import asyncio
import socket
def serve(handler, fileno):
    listen_sock = socket.socket(fileno=fileno)
    listen_sock.set_inheritable(False)
    return asyncio.start_server(handler, sock=listen_sock)
''',
        # a temporary file closed by the very next statement (only its name is wanted): nothing in between can raise
        '''
import tempfile
def scratch_path(run):
    temp = tempfile.NamedTemporaryFile()

    # close and delete it, so the tool can write there
    temp.close()
    return run(temp.name)
''',
        # the file is handed to a function of the module that closes what it is given
        '''
def attach_logo(message, path):
    logo = open(path, "rb")
    return _attach(message, logo, "logo.png")
def _attach(message, file_obj, name):
    message.attach(name, file_obj.read())
    file_obj.close()
    return message
''',
        # the file is handed to the server's file wrapper, which the response keeps and the server closes after sending
        '''
class Response:
    def send_file(self, path):
        fileobj = open(path, "rb")
        file_wrapper = self.environ.get("wsgi.file_wrapper")
        self._body = file_wrapper(fileobj, 4096)
''',
        # a stream factory returns the open file, typed with `cast`, for the framework to write the upload into
        '''
import tempfile
import typing as t
def stream_factory(total_length, content_type):
    upload = tempfile.NamedTemporaryFile("rb+")
    return t.cast(t.IO[bytes], upload)
''',
        # the file is handed to the base class, which owns it from now on (Django's upload file closes it when done)
        '''
import tempfile
from django.core.files.uploadedfile import UploadedFile
class SpooledUpload(UploadedFile):
    def __init__(self, name, content_type, size, charset):
        file = tempfile.NamedTemporaryFile(suffix=".upload", delete=False)
        super().__init__(file, name, content_type, size, charset)
''',
        # the archive reads a file object an enclosing `with` opened and closes; ZipFile does not own it
        '''
import zipfile
def members(path):
    with open(path, "rb") as f:
        archive = zipfile.ZipFile(f)
        return archive.namelist()
''',
        '''
import sqlite3
from contextlib import closing
def balance(path, account):
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute("SELECT balance FROM accounts WHERE id = ?", (account,)).fetchone()[0]
''',
        '''
import sqlite3
def balance(path, account):
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT balance FROM accounts WHERE id = ?", (account,)).fetchone()[0]
    finally:
        conn.close()
''',
        # the socket is handed to the TLS wrapper, which owns it: closing the wrapper in `finally` closes the socket
        '''
import socket
import ssl
def fetch_banner(host, port, context: ssl.SSLContext):
    raw = socket.create_connection((host, port), timeout=5)
    conn = context.wrap_socket(raw, server_hostname=host)
    try:
        return conn.recv(1024)
    finally:
        conn.close()
def serve_one(listener):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    conn = ssl.wrap_socket(sock)
    try:
        conn.connect(listener)
    finally:
        conn.close()
''',
        '''
import sqlite3
def connect(path):
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    return conn
''',
        '''
import sqlite3
class Repo:
    def __init__(self, path):
        self.conn = sqlite3.connect(path)
''',
        '''
def names(conn):
    cur = conn.cursor()
    cur.execute("SELECT name FROM clients")
    return [r[0] for r in cur]
''',
        # a connection `with` closes through `execution_options()`; a client a `from_*` constructor keeps (round 100)
        PF501_OPTIONS_IN_WITH,
        PF501_KEPT_BY_CONSTRUCTOR,
    ]

# the wait for the ledger database to come up: forty tries, leaving on the first that connects (Wazo's call-log
# service, round 157: judged WRONGFIX); without the break it connects forty times, reported
_WAIT_FOR_DB = '''
import sys
import time

import psycopg2


def wait_for_ledger(uri):
    for _ in range(40):
        try:
            conn = psycopg2.connect(uri)
            break
        except psycopg2.OperationalError:
            time.sleep(0.25)
    else:
        sys.exit("the ledger database did not come up")
    return conn
'''
PF502_WAIT_FOR_DATABASE_NEGATIVE = _WAIT_FOR_DB
PF502_CONNECT_EVERY_TRY_POSITIVE = _WAIT_FOR_DB.replace("            break\n", "            conn.close()\n")


PF502_POSITIVE = [
        PF502_CONNECT_EVERY_TRY_POSITIVE,  # the retry loop below without its break: it connects forty times
        PF502_CONNECT_ON_DUPLICATE_KEPT,  # connecting in a handler of a duplicate row, the usual path (recovery_examples.py)
        '''
import sqlite3
def totals(path, ids):
    out = {}
    for i in ids:
        with sqlite3.connect(path) as conn:
            out[i] = conn.execute("SELECT total FROM invoices WHERE id = ?", (i,)).fetchone()[0]
    return out
''',
        '''
import psycopg
DSN = "postgresql://app@db/ledger"
def invoice_total(invoice_id):
    with psycopg.connect(DSN) as conn:
        return conn.execute("SELECT total FROM invoices WHERE id = %s", (invoice_id,)).fetchone()[0]
def report(ids):
    return [invoice_total(i) for i in ids]
''',
        # the helper connects anew when asked to, and this caller asks on every item
        _BUS + '''
def notify_all(channels):
    for channel in channels:
        bus(new_connection=True).execute("NOTIFY " + channel)
''',
        # ... while a pool whose slots each connect once and use it at once throws each connection away
        _POOL.format(keep="self._connect().execute(\"SELECT 1\")"),
        # the helper closes the connection it keeps after every query, and this caller lets it
        _KEPT + '''
def balances(ledger: Ledger, account_ids):
    return [ledger.rows("SELECT sum(amount) FROM entries WHERE account_id = %s", (a,)) for a in account_ids]
''',
        PF502_NEW_HOLDER_POSITIVE,
        PF502_OPENED_EVERY_CALL,  # a transaction helper connecting on every call (kept_holder_examples.py)
        PF502_GLOBAL_FILLED_EACH_CALL,  # `if "engine" not in locals():` fills nothing that outlives the call
        PF502_GATHERED_LOWERED,  # `low`: a connection per coroutine run alongside the others (carried_statement_examples.py)
        PF502_AWAITED_KEPT,
        *PF502_OWN_DATABASE_POSITIVE,
    ]

PF502_NEGATIVE = [
        PF502_WAIT_FOR_DATABASE_NEGATIVE,  # tries until the database is up, leaving on the first connection
        PF502_RECONNECT_ON_FAILURE,  # a reconnect in the handler of a failed query (recovery_examples.py)
        PF502_KEPT_ON_HOLDER_NEGATIVE,  # a connection kept on `flask.g` or the class (kept_holder_examples.py)
        PF502_GLOBAL_FILLED_ONCE,  # `if "engine" not in globals():` of a `global`: once per process (kept_holder_examples.py)
        PF502_OPENED_WHEN_CLOSED,  # opened again only when closed: `if self._connection is not None and ...: return`
        *PF502_OWN_DATABASE_NEGATIVE,  # connection parameters the loop fills from the item (own_database_examples.py)
        # each item is its own database (a file per tenant): no connection to reuse across items (Nutshell's wallets,
        # one SQLite file per folder, round 51: judged WRONGFIX)
        '''
import sqlite3


def tenant_sizes(paths):
    out = {}
    for path in paths:
        conn = sqlite3.connect(path)
        out[path] = conn.execute("SELECT count(*) FROM invoices").fetchone()[0]
        conn.close()
    return out
''',
        # ... while one passing `close_conn=False` reuses the one connection the first call opened
        _KEPT + '''
def balances(ledger: Ledger, account_ids):
    return [ledger.rows("SELECT sum(amount) FROM entries WHERE account_id = %s", (a,), close_conn=False) for a in account_ids]
''',
        # a pool filled: each connection is kept for later, one per slot (Aether's producer, round 123: judged WRONGFIX)
        _POOL.format(keep="self.idle.put(self._connect())"),
        _POOL.format(keep="self.by_slot[slot] = self._connect()"),
        # ... while a caller leaving `new_connection` to its default False reuses the one connection
        _BUS + '''
def notify_all(channels):
    for channel in channels:
        bus()
''',
        '''
import psycopg
DSN = "postgresql://app@db/ledger"
def report(ids):
    with psycopg.connect(DSN) as conn:
        return [conn.execute("SELECT total FROM invoices WHERE id = ANY(%s)", (ids,)).fetchall()]
''',
        '''
import sqlite3
def check(paths):
    for path in ("a.db", "b.db"):
        with sqlite3.connect(path) as conn:
            conn.execute("PRAGMA integrity_check")
''',
    ]

# an engine made once behind `if not self.is_connected():`; the same service connecting on every call (kept_once_examples.py)
PF502_NEGATIVE.append(PF502_CONNECTED_ONCE)
PF502_POSITIVE.append(PF502_CONNECTED_EVERY_TIME)

# an engine kept in module globals, made by `init()` while they are empty; the accessors calling `init()` every time
# (module_globals_examples.py)
PF502_NEGATIVE.append(PF502_GLOBAL_MADE_BY_INIT)
PF502_POSITIVE.append(PF502_GLOBAL_MADE_EVERY_CALL)
# (round 244) each database file locked through its own connection while copied; one database connected anew per item
# (event_and_page_examples.py)
PF502_NEGATIVE.append(PF502_EACH_FILE_ITS_OWN_DATABASE)
PF502_POSITIVE.append(PF502_ONE_DATABASE_EACH_TIME)
# (round 247) a button per volume whose click connects; the connection made for every volume while wiring them
PF502_NEGATIVE.append(PF502_CONNECTS_ON_CLICK)
PF502_POSITIVE.append(PF502_CONNECTS_PER_BUTTON)
# (round 257) a connection tried again after a pause until it opens; the same loop with no pause between attempts
PF502_NEGATIVE.append(PF502_RETRIED_AFTER_A_PAUSE)
PF502_POSITIVE.append(PF502_TRIED_WITHOUT_A_PAUSE)
# (round 269) a zip file a method of another object closes; the method leaving it open
PF501_NEGATIVE.append(PF501_CLOSED_BY_A_METHOD)
PF501_POSITIVE.append(PF501_LEFT_OPEN_BY_THE_METHOD)
# (round 294) a connection made below `if self._loaded: return` on the module's one store; the store loading on every read
PF502_NEGATIVE.append(PF502_LOADED_ONCE)
PF502_POSITIVE.append(PF502_LOADED_ON_EVERY_READ)
# (round 286, low) the null device handed to a subprocess and never closed; (medium) a log file the same
PF501_POSITIVE += [PF501_NULL_DEVICE, PF501_LOG_FILE_LEFT_OPEN]
# (round 305) an engine made once per URI, kept in the module's dict; the same dict made anew on every call
PF502_NEGATIVE.append(PF502_ENGINE_PER_URI)
PF502_POSITIVE.append(PF502_ENGINE_PER_CALL)
# (round 298) an engine kept among the module's globals, read back by name; the same stored under a name never read back
PF502_NEGATIVE.append(PF502_ENGINE_IN_GLOBALS)
PF502_POSITIVE.append(PF502_ENGINE_STORED_ELSEWHERE)
# (round 331) the connection `execution_options()` hands back, closed in a `finally`; never closed
PF501_NEGATIVE.append(PF501_OPTIONS_CONNECTION_CLOSED)
PF501_POSITIVE.append(PF501_OPTIONS_CONNECTION_LEFT_OPEN)
# (round 348, found at low) two helpers connecting per photo in code only a script's main block reaches: one finding;
# (high) the same behind a route
PF502_POSITIVE += [PF502_CONNECTIONS_IN_A_SCRIPT, PF502_CONNECTIONS_IN_A_ROUTE]

"""PF501 and PF502: a connection, file or socket left open, and a connection opened once per item of a loop."""

from __future__ import annotations

from ..findings import Severity
from . import Examples
from .static import StaticRule


class ResourceLeak(StaticRule):
    id = "PF501"
    name = "resource-leak"
    title = "Resource not closed on every path"
    severity = Severity.medium
    what = ("Finds a file (temporary files too), database connection, HTTP session, socket or server-side cursor opened in a function and not "
            "closed on every path: not in `with`, no `close()` in `finally`, not returned or stored for later. Also `with "
            "sqlite3.connect(...)` and `with psycopg2.connect(...)`, whose `with` commits but never closes. Plain cursors "
            "are left alone: closing the connection closes them, and so is a socket handed to `wrap_socket(...)`: the TLS "
            "wrapper owns it, or to a server as `sock=` (`asyncio.start_server(handler, sock=s)`). A `requests` or `httpx` session or a "
            "socket, or an SQLite file's connection, that is simply never closed, or closed only on the normal path, is `low`: CPython closes it when the function "
            "drops its last reference; so are a file opened to read and a psycopg2, MySQLdb, PyMySQL or mysql-connector connection "
            "never closed, and `with psycopg2.connect(...)`, in a function that returns soon after (not a generator, no "
            "`while` loop around or after it); so is `open(os.devnull, \"w\")`, which holds nothing to lose.")
    why = ("A leaked connection holds a server slot and its locks until the garbage collector runs; a batch job leaking "
           "one per call exhausts `max_connections` or the file-descriptor limit and fails hours into a run.")
    example = '''
def balance(dsn, account):
    conn = psycopg.connect(dsn)
    return conn.execute("SELECT balance FROM accounts WHERE id = %s", (account,)).fetchone()[0]
'''
    fix = ("Use `with` (for sqlite3: `with contextlib.closing(sqlite3.connect(path)) as conn:`), or close in `finally`; better, "
           "open the connection once and pass it in (or use a pool).")
    positive = Examples("resources_examples", "PF501_POSITIVE")
    negative = Examples("resources_examples", "PF501_NEGATIVE")


class ConnectionPerItem(StaticRule):
    id = "PF502"
    name = "connection-per-item"
    title = "New connection per item"
    severity = Severity.high
    what = ("Finds a database connection opened on every iteration of a loop, directly (`sqlite3.connect` in the loop) or "
            "through a project function that connects and is called per item. The helpers one iteration calls that each "
            "connect are one finding, the first leading and the others its evidence; in code only a command or a script's "
            "main block reaches, it is `low`, as a query per item there is.")
    why = ("Connecting costs a TCP and TLS handshake, authentication and a server process (PostgreSQL forks one): often "
           "5-50 ms, far more than the query it serves.")
    example = '''
for invoice_id in invoice_ids:
    total = invoice_total(invoice_id)   # def invoice_total(i): conn = psycopg.connect(DSN) ...
'''
    fix = ("Open one connection before the loop and pass it in, or take connections from a pool (psycopg_pool, "
           "SQLAlchemy's engine pool, pgbouncer).")
    positive = Examples("resources_examples", "PF502_POSITIVE")
    negative = Examples("resources_examples", "PF502_NEGATIVE")

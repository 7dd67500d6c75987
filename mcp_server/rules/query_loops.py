"""NP101 and NP102: a query run once per item of a loop, written in the loop or inside a function the loop calls."""

from __future__ import annotations

from ..findings import Severity
from . import Examples
from .static import StaticRule


class QueryInLoop(StaticRule):
    id = "NP101"
    name = "query-in-loop"
    title = "Query in a loop"
    severity = Severity.high
    what = ("Finds a database query executed once per item of a loop or comprehension: DB-API `execute`, SQLAlchemy "
            "`session.execute/scalars/get/query`, asyncpg `fetch*`, Django `Model.objects.get/filter/count/...`. When each "
            "item of the same loop also does I/O that costs far more (an HTTP or cloud API call, a socket or LDAP connection, "
            "a subprocess, a file read or copied, an archive opened, an e-mail sent), in the loop or at most two project "
            "calls down, this N+1 finding (NP101-NP104) is `low`, with that call named.")
    why = ("Every query pays a round trip, parsing and planning. 1,000 invoices make 1,000 queries where one would do; "
           "at 1 ms each that is a second of pure overhead, and far more against a remote database.")
    example = '''
for client_id in client_ids:
    cur.execute("SELECT * FROM invoices WHERE client_id = ?", (client_id,))
    rows.extend(cur.fetchall())
'''
    fix = ("Query once for all keys: `WHERE client_id IN (?, ?, ...)` (PostgreSQL `= ANY(%s)`), with bound parameters, and "
           "group the rows in a dict; in Django `in_bulk` / `filter(x__in=...)`, in SQLAlchemy `where(Model.x.in_(keys))`.")
    positive = Examples("query_loops_examples", "NP101_POSITIVE")
    negative = Examples("query_loops_examples", "NP101_NEGATIVE")


class QueryInLoopViaCall(StaticRule):
    id = "NP102"
    name = "query-in-loop-via-call"
    title = "Query in a loop through a call"
    severity = Severity.high
    what = ("Finds a loop that calls a function or method of this project which, directly or through further calls "
            "(followed through imports, `self.`, base classes and local instances), runs a database query. The finding "
            "shows the whole chain: loop, each call, the query.")
    why = ("The query hides behind a helper such as `get_icms_rate(state)`, so the loop looks innocent while it makes one "
           "round trip per item. This is the most common N+1 in service code and the one reviewers miss.")
    example = '''
# rates.py
def get_icms_rate(conn, state):
    return conn.execute("SELECT rate FROM icms_rates WHERE state = ?", (state,)).fetchone()[0]

# taxes.py
for t in transactions:
    icms = t.value * get_icms_rate(conn, t.state)
'''
    fix = ("Load what the loop needs once before it (all rates into a dict keyed by state, as Decimal), or give the helper "
           "a batch variant that takes every key at once.")
    positive = Examples("query_loops_examples", "NP102_POSITIVE")
    negative = Examples("query_loops_examples", "NP102_NEGATIVE")

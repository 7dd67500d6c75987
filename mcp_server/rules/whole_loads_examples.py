"""The examples of whole_loads.py's rules: each a source file (or {path: source} for several modules); the positive ones
must be flagged by the rule, the negative ones must not. Imported when a test first reads them (rules.Examples)."""

from __future__ import annotations

from .kept_once_examples import NP101_LOADED_AT_IMPORT, NP101_RELOADED_ON_COMMAND
from .hand_run_examples import ONCE_PER_RUN_POSITIVE
from .not_data_examples import PF401_POLLED_STREAM, PF401_SMALL_TEXT
from .static import DJANGO_MODELS

# rooms read with their joined assignments for a report (Ubersystem's hotel and game exports, round 140: 2 judged
# WRONGFIX): SQLAlchemy streams no rows whose collection is joined in, so the whole load is the price of the join;
# without the joined load, the rows could stream, and the loop is reported
_ROOMS = '''
from sqlalchemy.orm import joinedload


def room_report(session, out):
    for room in session.query(Room){options}.all():
        out.writerow([room.number, len(room.assignments)])
'''
PF401_JOINED_COLLECTION = _ROOMS.format(options=".options(joinedload(Room.assignments))")
PF401_NO_JOINED_LOAD = _ROOMS.format(options="")

_SESSION_INFO = '''
def log_session(connection):
    cursor = connection.cursor()
    cursor.execute("SELECT sys_context('USERENV', 'NETWORK_PROTOCOL') AS protocol FROM {table}")
    results = cursor.fetchall()
    for result in results:
        log(result[0])
'''
# Oracle's one-row `dual` (bcgov's NRIS ETL, round 143, judged false); the same loop over a real table keeps its finding
PF401_ONE_ROW_TABLE = _SESSION_INFO.format(table="dual")
PF401_REAL_TABLE = _SESSION_INFO.format(table="sessions")

# the loop's work queries the session whose rows it walks (RomM's smart collections, each matched and refreshed through
# `session=session`, round 169: `yield_per` judged WRONGFIX): a streamed result holds that session's cursor, which
# MySQL's unbuffered drivers refuse to share; the same loop whose work leaves the session alone is reported
PF401_SESSION_USED_PER_ROW = '''
from sqlalchemy import select


def refresh_rates(session, rates_handler):
    for rate in session.scalars(select(TaxRate)).all():
        rates_handler.recompute(rate.id, session=session)
'''
PF401_SESSION_LEFT_ALONE = PF401_SESSION_USED_PER_ROW.replace("rate.id, session=session", "rate.id")

# rows walked twice, a second pass after a computation over them all (BigPanDA's obsolete-tasks report clusters the
# timestamps, then walks the rows again beside the clusters, round 172: judged WRONGFIX): a cursor streams once
PF401_WALKED_TWICE = '''
def post_all(conn):
    rows = conn.execute("SELECT id, amount FROM transactions ORDER BY id").fetchall()
    total = 0
    for row in rows:
        total += row[1]
    for row in rows:
        post(row, total)
'''
# the same name bound again to other rows, each walked once: both reported (a migration script reusing `orgs`, the
# regression check of round 172's fix)
PF401_NAME_REUSED = '''
def post_all(conn):
    rows = conn.execute("SELECT id, amount FROM transactions ORDER BY id").fetchall()
    for row in rows:
        post(row)
    rows = conn.execute("SELECT id, amount FROM refunds ORDER BY id").fetchall()
    for row in rows:
        post(row)
'''

PF401_POSITIVE = [
        PF401_NO_JOINED_LOAD,
        '''
def process_large_file_bad(filepath):
    with open(filepath, 'r') as f:
        data = f.read()
        lines = data.split('\\n')
    results = []
    for line in lines:
        results.append(line.upper())
    return results
''',
        '''
def import_file(path):
    with open(path) as f:
        for line in f.readlines():
            handle(line)
''',
        '''
def post_all(conn):
    rows = conn.execute("SELECT id, amount FROM transactions ORDER BY id").fetchall()
    for row in rows:
        post(row)
''',
        '''
from pathlib import Path
def count_lines(path):
    return sum(1 for line in Path(path).read_text().splitlines() if line)
''',
        {"billing/models.py": DJANGO_MODELS, "billing/export.py": '''
from .models import Invoice
def export(writer):
    for invoice in list(Invoice.objects.all()):
        writer.writerow([invoice.id, invoice.total])
'''},
        '''
from sqlalchemy import select
def ids(session):
    return [inv.id for inv in session.scalars(select(Invoice)).all()]
''',
        # `low`: a small text read whole, split into lines (tests/test_rule_precision_94.py)
        PF401_SMALL_TEXT,
        # one SELECT of the UNION returns every row of its table
        '''
def log_counts(conn):
    cursor = conn.cursor()
    cursor.execute("""
        select 'invoices', count(*) from invoices
        union select name, 1 from payments
        order by 1""")
    for table, rows in cursor.fetchall():
        log(f"{table}: {rows} rows")
''',
        # `low` in a management command nothing starts, `medium` when a crontab runs it (hand_run_examples.py)
        *ONCE_PER_RUN_POSITIVE,
        PF401_REAL_TABLE,
        PF401_SESSION_LEFT_ALONE,
        PF401_NAME_REUSED,  # (twice: each binding walked once)
    ]

PF401_NEGATIVE = [
        PF401_WALKED_TWICE,
        PF401_SESSION_USED_PER_ROW,
        PF401_ONE_ROW_TABLE,
        PF401_POLLED_STREAM,
        PF401_JOINED_COLLECTION,
        # a loop that commits per row needs its rows in hand: a streamed result reads through a cursor the commit ends
        # (Security Monkey's purge of old revisions, round 70: `yield_per` judged WRONGFIX)
        '''
def purge_drafts(session):
    for draft in session.query(Draft).all():
        session.delete(draft)
        session.commit()
''',
        # the file rewritten from its own lines (`open(path, "w")` truncates it first), or the list sliced: every line
        # must be in hand (Ironic's and Review Board's rewrites, rounds 55 and 58: streaming judged WRONGFIX)
        '''
def renumber_series(path, old, new):
    with open(path) as f:
        lines = f.readlines()
    with open(path, "w") as f:
        for line in lines:
            f.write(line.replace(old, new))


def ledger_tail(path):
    with open(path) as f:
        lines = f.readlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("# closing"))
    return lines[start:]
''',
        # the lines of an in-memory buffer a command wrote to (ArchiveBox's `out = StringIO()` handed to
        # `call_command(..., stdout=out)`): already in memory, nothing to stream (2 judged false in round 49)
        '''
from io import StringIO
from django.core.management import call_command
def pending_migrations():
    out = StringIO()
    call_command("showmigrations", list=True, stdout=out)
    out.seek(0)
    return [line.strip() for line in out.readlines() if line.strip().startswith("[ ]")]
''',
        # a response split into its `key=value` pairs, not its lines: reading it line by line would not give them
        # (Zeus's OAuth token exchange, judged a wrong fix in round 48)
        '''
import urllib.request
def token_from(url):
    response = urllib.request.urlopen(url, timeout=10)
    data = response.read()
    for pair in data.split(b"&"):
        if pair.startswith(b"access_token="):
            return pair.partition(b"=")[2]
''',
        # a settings file's lines edited in place and written back: the whole list is what the code needs
        '''
def enable_module(path, wanted):
    lines = path.read_text().splitlines()
    for i, line in enumerate(lines):
        if line == "# " + wanted:
            lines[i] = wanted
    path.write_text("\\n".join(lines))
''',
        # each row becomes an object kept in the list the function returns: as long as the rows, so a streamed cursor
        # would save at most half
        '''
def all_clients(conn):
    out = []
    for row in conn.execute("SELECT id, name FROM clients ORDER BY name").fetchall():
        out.append({"id": row[0], "name": row[1].title()})
    return out
''',
        # a system catalog read whole for a form's choices: a few hundred rows of metadata, not the application's data
        '''
def collation_choices(connection):
    with connection.cursor() as cursor:
        cursor.execute("SELECT collname, collcollate FROM pg_collation")
        rows = cursor.fetchall()
        return ((name, f"{name} ({collate})") for name, collate in rows)
''',
        # one row per SELECT: literals and counts without GROUP BY, joined by UNION (frePPLe's table counts, round 133,
        # judged false)
        '''
def log_counts(conn):
    cursor = conn.cursor()
    cursor.execute("""
        select 'invoices', count(*) from invoices
        union select 'payments', count(*) from payments
        order by 1""")
    for table, rows in cursor.fetchall():
        log(f"{table}: {rows} rows")
''',
        # a dict of every row object by name: it keeps what the query loaded, so streaming saves nothing (Assembl's roles
        # and permissions, round 134: 3 judged N SMALL); `[r.id for r in ...]` keeps far less, and is a positive
        '''
def roles_by_name(session):
    return {role.name: role for role in session.query(Role).all()}
''',
        # small data files shipped inside the package (a list of codes, a bundled schema): read whole on purpose
        '''
import json
import os
from importlib import resources
from pathlib import Path
HERE = os.path.dirname(os.path.abspath(__file__))
def currency_codes():
    with open(os.path.join(HERE, "data", "currencies.txt")) as f:
        return [line.strip() for line in f.readlines() if line.strip()]
def account_types():
    return [t for t in Path(__file__).parent.joinpath("types.txt").read_text().splitlines() if t]
def default_rules():
    with resources.files("billing").joinpath("rules.json").open() as f:
        data = json.load(f)
    for rule in data:
        register(rule)
''',
        '''
def context(path, lineno):
    with open(path) as f:
        lines = f.read().splitlines()
    return lines[max(0, lineno - 5):lineno + 5]
''',
        '''
def import_file(path):
    with open(path) as f:
        for line in f:
            handle(line)
''',
        '''
def one_client(conn, client_id):
    rows = conn.execute("SELECT id, amount FROM invoices WHERE client_id = ?", (client_id,)).fetchall()
    for row in rows:
        post(row)
''',
        '''
def latest(conn):
    for row in conn.execute("SELECT id FROM invoices ORDER BY id DESC LIMIT 50").fetchall():
        post(row)
''',
        '''
def stream(conn):
    for row in conn.execute("SELECT id, amount FROM transactions"):
        post(row)
''',
    ]

# (found at low) a whole table loaded as its module loads, once; (medium) the same loader run on a command too
# (kept_once_examples.py)
PF401_POSITIVE += [NP101_LOADED_AT_IMPORT, NP101_RELOADED_ON_COMMAND]

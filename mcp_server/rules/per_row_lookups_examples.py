"""The examples of per_row_lookups.py's rules: each a source file (or {path: source} for several modules); the positive ones
must be flagged by the rule, the negative ones must not. Imported when a test first reads them (rules.Examples)."""

from __future__ import annotations

from .memos_and_view_rows_examples import PF301_KEYS_TABLE_WALKED, PF301_KEY_OF_MANY_ROWS
from .schemas_and_rates_examples import PF301_PER_TENANT_SCHEMA, PF301_SAME_SCHEMA
from .singletons_and_coroutines_examples import PF301_BY_A_FIELD_OF_EACH_ROW, PF301_BY_EACH_KEY
from .routers_and_lookups_examples import PF301_QUERY_BUILT_FOR_THE_CALLER, PF301_QUERY_RUN_BY_THE_HELPER
from .contexts_and_literals_examples import (PF301_FRAME_VARIABLES, PF301_HEADERS_OF_A_LITERAL,
                                             PF301_HEADERS_OF_A_QUERY, PF301_IN_THE_ITEMS_CONTEXT, PF301_KEPT_BY_THE_LOADER,
                                             PF301_NO_FRAME_VARIABLES, PF301_OUTSIDE_ANY_CONTEXT, PF301_READS_A_FILE,
                                             PF301_WRITES_A_FILE)
from .caller_examples import PF301_SCOPE_PER_ITEM
from .module_globals_examples import PF301_LINKED_IN_TURN, PF301_NOTHING_LINKED
from .changing_answers_examples import (PF301_GET_EACH_POSITIVE, PF301_OTHER_MODEL_SAVED_POSITIVE, PF301_OWN_CLASS_SAVED_NEGATIVE,
                                        PF301_POST_EACH_NEGATIVE, PF301_QUERY_HANDED_BACK_NEGATIVE, PF301_QUERY_RUN_IN_HELPER_POSITIVE,
                                        PF301_STATUS_ASKED_AGAIN_POSITIVE, PF301_UNLOCK_NEGATIVE)
from .converters_examples import PF301_LAMBDAS_HANDED_BACK, PF301_LOOKUP_IN_BUILDER
from .framework_callers_examples import PF301_COMMAND_LOWERED, PF301_VIEW_KEPT
from .handful_examples import PF301_PACED_NEGATIVE, PF301_UNPACED_POSITIVE
from .identity_map_examples import PF301_SAME_FILTER_AGAIN, PF301_SAME_KEY_FROM_SESSION
from .import_examples import PF301_IMPORT_BY_KEY, PF301_LOOKUP_BY_KEY
from .intent_examples import PF301_FED_RECEIVER
from .io_examples import PF301_CLASS_MAP, PF301_IO_POSITIVE, PF301_UNSIZED, PF301_VERSIONED_CACHE
from .kept_answers_examples import PF301_EVENTS_COUNTED_PER_SURVEY, PF301_SCHEDULE_REBUILT_PER_SURVEY
from .row_examples import PF301_HOIST_POSITIVE
from .selection_examples import NP102_PAGES_POSITIVE
from .side_effect_statements_examples import PF301_SESSION_SETTINGS, PF301_SETTING_READ_AGAIN
from .static import DJANGO_MODELS
from .visited_examples import PF301_ASKED_AGAIN, PF301_VISITED_ONCE
from .walked_keys_examples import (PF301_ATTEMPT_LIMIT, PF301_ATTEMPTS_XRANGE, PF301_CHANGING_CALLS, PF301_COUNTING_CALL, PF301_KEY_OF_EACH_ROW, PF301_KEY_OF_WHOLE_ITEM, PF301_PERIOD_OF_ONE_PART,
                                   PF301_PERIOD_OF_WHOLE_ITEM, PF301_REPEATED_POST, PF301_RETRIED_POST,
                                   PF301_TILE_COUNT)

RATES_MODULE = '''
from decimal import Decimal

def get_icms_rate(conn, state):
    row = conn.execute("SELECT rate FROM icms_rates WHERE state = ?", (state,)).fetchone()
    return Decimal(row[0])
'''


PF301_COPY = '''
from .models import Invoice


def copy_to_clients(invoice_id, clients):
    copies = []
    for client in clients:
        copy = Invoice.objects.get(pk=invoice_id)
        copy.pk = None
        copy.client = client
        copy.save()
        copies.append(copy)
    return copies
'''
# the same fetch whose row is only changed and saved again, never copied: the same row each time, and hoisting it is right
PF301_SAME_ROW_SAVED = PF301_COPY.replace("        copy.pk = None\n", "")

# configuration loaded once per request onto flask's `g` (LinOTP's realms, round 137: 2 judged CACHED); the same test
# of an object made on every call fills nothing that lasts, and is reported
PF301_ON_FLASK_G = '''
import sqlite3

from flask import g


def load_config():
    with sqlite3.connect("app.db") as conn:
        return dict(conn.execute("SELECT key, value FROM config").fetchall())


def get_config():
    if not hasattr(g, "config"):
        g.config = load_config()
    return g.config


def realms_of(users):
    return [(user, get_config()["realm"]) for user in users]
'''
PF301_ON_A_NEW_HOLDER = PF301_ON_FLASK_G.replace('''    if not hasattr(g, "config"):
        g.config = load_config()
    return g.config''', '''    holder = type("Holder", (), {})()
    if not hasattr(holder, "config"):
        holder.config = load_config()
    return holder.config''')

# the loop sets the state a method of `self` reads, then calls it with no arguments: a new answer each time (UK
# Polling Stations' importer, `self.council = council` before `self.import_stations()`, round 139: judged false);
# `Checkout` among the positives sets `self.last`, which `settings()` never reads, and stays flagged
PF301_SELF_STATE = '''
class StationImporter:
    def __init__(self, conn, councils):
        self.conn, self.councils = conn, councils

    def bounds(self):
        return self.conn.execute("SELECT area FROM councils WHERE id = ?", (self.council_id,)).fetchone()

    def import_stations(self):
        return self.bounds()

    def run(self):
        for council_id in self.councils:
            self.council_id = council_id
            self.import_stations()
'''

# a method of the object asked after the loop sets each item on one of its parts (`self.context.set_value(item)`):
# Keep's workflow steps, round 152, the hoist judged WRONGFIX. Only logged there, the item changes nothing it reads.
_FED_PART = '''
class Step:
    def __init__(self, conn, context):
        self.conn, self.context = conn, context

    def run_single(self):
        return self.conn.execute("SELECT rate FROM rates WHERE code = ?", (self.context.value,)).fetchone()

    def run_each(self, items):
        for item in items:
            self.context.{fed}(item)
            self.run_single()
'''
PF301_FED_PART = _FED_PART.format(fed="set_value")
PF301_LOGGED_PART = _FED_PART.format(fed="log")

PF301_POSITIVE = [
        PF301_KEY_OF_EACH_ROW, PF301_REPEATED_POST, PF301_TILE_COUNT, PF301_PERIOD_OF_ONE_PART, PF301_COUNTING_CALL,  # (walked_keys_examples.py)
        PF301_LOGGED_PART,
        {"billing/models.py": DJANGO_MODELS, "billing/copies.py": PF301_SAME_ROW_SAVED},
        {"auth/__init__.py": "", "auth/config.py": PF301_ON_A_NEW_HOLDER},
        PF301_UNPACED_POSITIVE, PF301_LOOKUP_BY_KEY,
        PF301_COMMAND_LOWERED, PF301_VIEW_KEPT,  # (low) in a command a person runs; (medium) behind a URL
        *PF301_IO_POSITIVE,
        *PF301_HOIST_POSITIVE,
        # over a list nothing sizes (a document's lines): `low`, as NP102 says of the same call
        PF301_UNSIZED,
        '''
class Checkout:
    def __init__(self, path):
        self.path = path
    def settings(self):
        with open(self.path) as f:
            return f.read()
    def run(self, items):
        for item in items:
            self.last = item
            item.terms = self.settings()
''',
        {"fiscal/__init__.py": "", "fiscal/rates.py": RATES_MODULE, "fiscal/taxes.py": '''
from .rates import get_icms_rate
def icms(conn, transactions):
    return [t.value * get_icms_rate(conn, t.state) for t in transactions]
'''},
        '''
import json
def load_settings(path):
    with open(path) as f:
        return json.load(f)
def fees(path, payments):
    out = []
    for p in payments:
        out.append(p.amount * load_settings(path)["fee"])
    return out
''',
        '''
def convert(cur, entries):
    for e in entries:
        cur.execute("SELECT rate FROM fx WHERE currency = ?", (e.currency,))
        e.converted = e.amount * cur.fetchone()[0]
''',
        # the loop stores another entry of the dict; the one the call reads is the same on every iteration
        '''
def read_source(path):
    with open(path) as f:
        return f.read()
def import_all(job, paths):
    for path in paths:
        job["current"] = path
        job["header"] = read_source(job["source"])
''',
    ]

PF301_NEGATIVE = [
        PF301_KEY_OF_WHOLE_ITEM, PF301_RETRIED_POST, PF301_ATTEMPT_LIMIT, PF301_PERIOD_OF_WHOLE_ITEM,  # (walked_keys_examples.py)
        PF301_ATTEMPTS_XRANGE, *PF301_CHANGING_CALLS,
        PF301_PACED_NEGATIVE,
        PF301_SELF_STATE, PF301_FED_PART,
        PF301_FED_RECEIVER,
        # a huey task called in a loop queues one job per call on purpose: none of its body runs here (OpenCraft's
        # `spawn_appserver`, one call per server wanted: round 64, the hoist judged WRONGFIX)
        '''
from huey.contrib.djhuey import db_task
def build_server(conn, instance_id):
    return conn.execute("SELECT name FROM instances WHERE id = ?", (instance_id,)).fetchone()
@db_task()
def check_server(conn, instance_id):
    return build_server(conn, instance_id)
def check_all(conn, instance_id, count):
    for _ in range(count):
        check_server(conn, instance_id)
''',
        # a file fetched only when it is not on disk yet: the first call downloads it, the others read it from disk
        # (Tilavarauspalvelu's test-data images, round 62: judged CACHED)
        '''
from pathlib import Path
import requests
def logo_path(url, name):
    path = Path("media") / name
    if not path.exists():
        download(url, path)
    return str(path)
def download(url, path):
    path.write_bytes(requests.get(url, timeout=10).content)
def branches(rows):
    return [(row, logo_path("https://example.com/logo.png", "logo.png")) for row in rows]
''',
        # the lookup finds what an earlier iteration created (GlitchTip's debug files, round 57): hoisted, it would answer
        # "none yet" for every item and create one row per item instead of one
        {"billing/models.py": DJANGO_MODELS, "billing/attach.py": '''
from .models import Invoice
def attach_opening_invoice(client, months):
    for month in months:
        if Invoice.objects.filter(client=client, status="opening").first() is not None:
            continue
        Invoice(client=client, status="opening", total=0).save()
'''},
        PF301_IMPORT_BY_KEY,  # by a key of the item, an import writing each state's row, found or made: no state repeats
        # a row fetched afresh to be copied (`pk = None`, then saved as a new row) for each client (MuckRock's communication
        # clones, round 137: the hoist judged WRONGFIX, it would save one object over and over)
        {"billing/models.py": DJANGO_MODELS, "billing/copies.py": PF301_COPY},
        {"auth/__init__.py": "", "auth/config.py": PF301_ON_FLASK_G},  # filled once per request on flask's `g`
        # a generator called as a statement of its own: only the generator object is made, none of its body runs
        # (pgAdmin's preference save, round 56: judged NOTQUERY)
        '''
class RateTree:
    def nodes(self, conn):
        for state, rate in conn.execute("SELECT state, rate FROM icms_rates"):
            yield {"state": state, "rate": rate}


def save_rates(conn, tree: RateTree, rates):
    for rate in rates:
        conn.execute("UPDATE icms_rates SET rate = ? WHERE state = ?", (rate["rate"], rate["state"]))
        tree.nodes(conn)
''',
        # a loop that runs until stopped: a sampling thread reads the same file each cycle, on purpose (Frigate's stats
        # and cleanup threads, round 54: the hoist judged WRONGFIX twice)
        '''
import itertools
import threading


def read_load():
    with open("/proc/loadavg") as f:
        return f.read()


class Stats(threading.Thread):
    def __init__(self, stop_event):
        super().__init__()
        self.stop_event = stop_event
        self.history = []

    def run(self):
        for counter in itertools.cycle(range(60)):
            if self.stop_event.wait(10):
                break
            self.history.append(read_load())
''',
        # a project's own per-request cache, by its decorator's name (oioioi's `@request_cached`): one query per request
        {"billing/models.py": DJANGO_MODELS, "billing/utils.py": '''
import functools
from .models import Client, Invoice


def request_cached(fn):
    @functools.wraps(fn)
    def cacher(request):
        if not hasattr(request, "_cache"):
            request._cache = {}
        if fn not in request._cache:
            request._cache[fn] = fn(request)
        return request._cache[fn]
    return cacher


@request_cached
def visible_client_ids(request):
    return set(Client.objects.filter(state=request.user.state).values_list("id", flat=True))


def shown(request):
    return [inv for inv in Invoice.objects.all() if inv.client_id in visible_client_ids(request)]
'''},
        # a cache kept on the class, filled again only when its version changes: read once per version
        PF301_VERSIONED_CACHE,
        # ... or filled when it is not a dict yet: read once per process
        PF301_CLASS_MAP,
        # the same arguments, yet a new random code on every call (meinberlin's voting tokens, judged WRONGFIX: hoisted,
        # every code of the batch would be the same); the salt query per code is another matter
        {"billing/__init__.py": "", "billing/models.py": DJANGO_MODELS, "billing/codes.py": '''
import secrets
from .models import Client


def code_for(client_id):
    code = "".join(secrets.choice("ABCDEF0123") for _ in range(8))
    return f"{Client.objects.get(pk=client_id).name}-{code}"


def codes(client_id, n):
    return [code_for(client_id) for _ in range(n)]
'''},
        # a worklist: each turn takes a new item (`todo.pop()`), so the arguments change; NP102 reports the query per item
        *NP102_PAGES_POSITIVE,
        # the dict handed to the helper gets a new entry under a key named at run time (`params[key("name")] = term`)
        {"billing/__init__.py": "", "billing/models.py": DJANGO_MODELS, "billing/search.py": '''
from .models import Client

def fetch(params):
    return list(Client.objects.filter(**params))

def key(name):
    return name

def search(terms):
    params = {"active": True}
    out = []
    for term in terms:
        params[key("name")] = term
        out += fetch(params)
    return out
'''},
        # the list handed to the helper grows on every turn (`taken.append(...)`): a new argument each time, and hoisting
        # the call would hand out one name twice (OpenWISP RADIUS's generated usernames)
        {"billing/__init__.py": "", "billing/models.py": DJANGO_MODELS, "billing/names.py": '''
from .models import Client

def available(name, taken):
    n = 1
    while Client.objects.filter(name=f"{name}{n}").exists() or f"{name}{n}" in taken:
        n += 1
    return f"{name}{n}"

def generate(prefix, count):
    taken = []
    for i in range(count):
        taken.append(available(prefix, taken))
    return taken
'''},
        # a filter dict given the row's key before each query: new arguments every time; and a stream re-read per
        # language, which hoisting would leave exhausted after the first
        {"billing/__init__.py": "", "billing/models.py": DJANGO_MODELS, "billing/fix.py": '''
from .models import Invoice, InvoiceItem
def fix_counts():
    filters = {"amount__gt": 0}
    for inv in Invoice.objects.all().iterator():
        filters["invoice_id"] = inv.pk
        print(InvoiceItem.objects.filter(**filters).count())
def summaries(languages):
    for lang in languages:
        for inv in Invoice.objects.iterator():
            print(lang, inv.pk)
'''},
        # a helper that adds a row on every call (`add_source()` makes a new codename and a new row): the same
        # arguments, a different answer each time; memoising it would be wrong
        {"fiscal/__init__.py": "", "fiscal/rates.py": RATES_MODULE, "fiscal/sources.py": '''
import secrets
from fiscal.rates import get_icms_rate
def add_source(conn):
    return {"codename": secrets.token_hex(8), "rate": get_icms_rate(conn, "SP")}
def add_sources(conn, count):
    sources = []
    for i in range(1, count + 1):
        sources.append(add_source(conn))
    return sources
'''},
        # Django's fixture command by its name (`loaddata.py`): a seed script, nobody's cost to fix
        {"fiscal/__init__.py": "", "fiscal/rates.py": RATES_MODULE, "loaddata.py": '''
from fiscal.rates import get_icms_rate
def main(conn, users):
    for u in users:
        u.rate = get_icms_rate(conn, "SP")
'''},
        # `cutoff` gets a new value on each pass of the `while` (an assignment expression): not the same arguments
        {"billing/__init__.py": "", "billing/models.py": """
from django.db import models
class Invoice(models.Model):
    client_id = models.IntegerField()
    issued = models.DateField()
    due = models.DateField()
""", "billing/periods.py": '''
from .models import Invoice
def paid_invoices(client_id):
    return Invoice.objects.filter(client_id=client_id)
def next_paid(client_id, step):
    out = []
    for invoice in Invoice.objects.filter(client_id=client_id):
        current = invoice.issued
        while (cutoff := current + step) < invoice.due:
            current = cutoff
            out.append(paid_invoices(client_id).filter(issued__gt=cutoff).first())
    return out
'''},
        # a fake-data command (one_off.py): the same lookup per user is real, and nobody's cost to fix
        {"fiscal/__init__.py": "", "fiscal/rates.py": RATES_MODULE, "fiscal/management/commands/createfaketaxes.py": '''
from fiscal.rates import get_icms_rate
def handle(conn, users):
    for u in users:
        u.rate = get_icms_rate(conn, "SP")
'''},
        # the receiver gets new parameters on every iteration (Koji's `query.values["tagID"] = tag_id`, round 73): each
        # `execute()` runs another query
        {"fiscal/__init__.py": "", "fiscal/queries.py": '''
class RateQuery:
    def __init__(self, conn):
        self.conn = conn
        self.values = {}

    def execute(self):
        return self.conn.execute("SELECT rate FROM icms_rates WHERE state = :state", self.values).fetchall()
''', "fiscal/rates.py": '''
from .queries import RateQuery
def rates(conn, states):
    query = RateQuery(conn)
    out = {}
    for state in states:
        query.values["state"] = state
        out[state] = query.execute()
    return out
'''},
        # a heartbeat written on every message (Firefox Relay's `write_healthcheck()`, round 77: hoisting it judged WRONGFIX)
        '''
import datetime


def write_healthcheck(path):
    with open(path, "w") as f:
        f.write(datetime.datetime.now().isoformat())


def poll(messages, handle, path):
    for message in messages:
        write_healthcheck(path)
        handle(message)
''',
        # after the `continue` guard the body always returns: the lookup runs once, for the first matching rule (the US DOJ's
        # civil rights portal, round 82: hoisting it judged false twice, since it would then run when nothing matches)
        {"fiscal/__init__.py": "", "fiscal/models.py": RATES_MODULE, "fiscal/rules.py": '''
from fiscal.models import get_icms_rate
def first_matching_rate(conn, rules, invoice):
    for rule in rules:
        if rule["state"] != invoice["state"]:
            continue
        rate = get_icms_rate(conn, "SP")
        invoice["rate"] = rate
        return invoice
    return None
'''},
        # a call named for launching something: each iteration starts another server (Atmosphere's `_launch_machine()` per
        # requested instance, round 79: hoisting it judged WRONGFIX)
        {"fiscal/__init__.py": "", "fiscal/models.py": RATES_MODULE, "fiscal/workers.py": '''
from fiscal.models import get_icms_rate
def launch_worker(conn, state):
    rate = get_icms_rate(conn, state)
    return {"state": state, "rate": rate}
def start(conn, count):
    return [launch_worker(conn, "SP") for _ in range(count)]
'''},
        # the dict handed to the call gets new entries on every iteration: each call imports another file
        '''
def import_file(options):
    with open(options["source"]) as f:
        return f.read()
def import_all(options, files):
    for item in files:
        options["source"] = item["path"]
        import_file(options)
''',
        '''
def rates(cur, states):
    out = {}
    for state in states:
        cur.execute("SELECT rate FROM icms_rates WHERE state = ?", (state,))
        out[state] = cur.fetchone()[0]
    return out
''',
        {"fiscal/__init__.py": "", "fiscal/rates.py": '''
from decimal import Decimal
def load_icms_rates(conn):
    return {state: Decimal(rate) for state, rate in conn.execute("SELECT state, rate FROM icms_rates")}
''', "fiscal/taxes.py": '''
from .rates import load_icms_rates
def icms(conn, transactions):
    rates = load_icms_rates(conn)
    return [t.value * rates[t.state] for t in transactions]
'''},
        {"fiscal/__init__.py": "", "fiscal/rates.py": RATES_MODULE, "fiscal/taxes.py": '''
from .rates import get_icms_rate
def icms(conn, transactions):
    return [get_icms_rate(conn, t.id) for t in transactions]
'''},
        '''
def next_numbers(conn, invoices):
    for inv in invoices:
        inv.number = next_invoice_number(conn)
def next_invoice_number(conn):
    return conn.execute("UPDATE seq SET n = n + 1 RETURNING n").fetchone()[0]
''',
        # the loop's row is in a call chained on the query: each iteration asks for other rows
        '''
from sqlalchemy.orm import Session
def tag_totals(session: Session, tags):
    return {tag.name: session.query(Entry).filter(Entry.tag_id == tag.id).count() for tag in tags}
''',
        # a builder makes a new object on every call (test data, a fresh voucher): memoising it would be wrong
        {"fiscal/__init__.py": "", "fiscal/fakes.py": '''
def build_fake_invoice(conn):
    client = conn.execute("SELECT id FROM clients ORDER BY random() LIMIT 1").fetchone()[0]
    return {"client": client}
''', "fiscal/seed.py": '''
from .fakes import build_fake_invoice
def seed(conn, n):
    return [build_fake_invoice(conn) for _ in range(n)]
'''},
        # only the one provider the user picked runs the lookup: not the same call on every iteration
        '''
def checkout(conn, providers, chosen):
    for p in providers:
        if p.name == chosen:
            total = conn.execute("SELECT sum(amount) FROM cart").fetchone()[0]
            p.prepare(total)
''',
        # the loop stores the entry the call reads (`job["source"] = path`): a different argument on every iteration
        '''
def read_source(path):
    with open(path) as f:
        return f.read()
def import_all(job, paths):
    for path in paths:
        job["source"] = path
        job["text"] = read_source(job["source"])
''',
        # a retry loop repeats the same statement on purpose
        '''
def lock_ledger(conn, retries):
    for attempt in range(retries):
        row = conn.execute("SELECT locked FROM ledger_lock").fetchone()
        if not row[0]:
            return True
    return False
''',
        # a context manager entered per item: a scope each time (h's read-only transaction per message, round 99)
        PF301_SCOPE_PER_ITEM,
    ]

# statements run for their effect (a session setting set and reset per sheet), lambdas a builder hands back and a walk
# that visits each value once: not lookups to hoist; a setting read again per sheet, a builder that queries itself and
# the walk without its visited list are (rounds 161 and 162)
PF301_POSITIVE += [PF301_SETTING_READ_AGAIN, PF301_LOOKUP_IN_BUILDER, PF301_ASKED_AGAIN]
PF301_NEGATIVE += [PF301_SESSION_SETTINGS, PF301_LAMBDAS_HANDED_BACK, PF301_VISITED_ONCE]
# (round 164) the same primary key asked of SQLAlchemy's session again: its identity map answers; a filter queries again
PF301_POSITIVE.append(PF301_SAME_FILTER_AGAIN)
PF301_NEGATIVE.append(PF301_SAME_KEY_FROM_SESSION)
# (rounds 184 and 185) a class method saving `cls()` rows its lookup then finds, an advisory unlock asked until it
# answers false: answers that change; the same lookup while saving another model's rows, a plain SELECT asked again
PF301_POSITIVE += [PF301_OTHER_MODEL_SAVED_POSITIVE, PF301_STATUS_ASKED_AGAIN_POSITIVE]
PF301_NEGATIVE += [PF301_OWN_CLASS_SAVED_NEGATIVE, PF301_UNLOCK_NEGATIVE]
# (round 195) a POST per item sends, it asks nothing; the same URL asked with GET per item is a lookup to hoist
PF301_POSITIVE.append(PF301_GET_EACH_POSITIVE)
PF301_NEGATIVE.append(PF301_POST_EACH_NEGATIVE)
# (round 194) a Query not yet run, handed on to what filters and runs it per item; the same Query walked whole per item
PF301_POSITIVE.append(PF301_QUERY_RUN_IN_HELPER_POSITIVE)
PF301_NEGATIVE.append(PF301_QUERY_HANDED_BACK_NEGATIVE)
# (round 218) the first store not yet linked, asked again after each pass links one; the same lookup while nothing is
# linked (module_globals_examples.py)
PF301_NEGATIVE.append(PF301_LINKED_IN_TURN)
PF301_POSITIVE.append(PF301_NOTHING_LINKED)
# (round 238) the study's schedule rebuilt after each survey added: a call for its effect; a count of rows the loop
# never adds, asked per survey, is a lookup to hoist (kept_answers_examples.py)
PF301_NEGATIVE.append(PF301_SCHEDULE_REBUILT_PER_SURVEY)
PF301_POSITIVE.append(PF301_EVENTS_COUNTED_PER_SURVEY)
# (rounds 253 to 258) the items of a literal a function returns, Pony's SQL reading the loop's variables from the frame,
# settings kept per key by their loader, a helper that writes a file, a lookup in the item's own context: not lookups
# to hoist; the rows of a query, a statement naming no variable, the loader asked directly, a helper reading the file,
# the lookup outside the item's context are (contexts_and_literals_examples.py)
PF301_NEGATIVE += [PF301_HEADERS_OF_A_LITERAL, PF301_FRAME_VARIABLES, PF301_WRITES_A_FILE, PF301_IN_THE_ITEMS_CONTEXT]
PF301_POSITIVE += [PF301_HEADERS_OF_A_QUERY, PF301_NO_FRAME_VARIABLES, PF301_KEPT_BY_THE_LOADER, PF301_READS_A_FILE,
                   PF301_OUTSIDE_ANY_CONTEXT]
# (round 259) a Query a helper builds for its caller to refine with the item's filter; a helper that runs its query
PF301_NEGATIVE.append(PF301_QUERY_BUILT_FOR_THE_CALLER)
PF301_POSITIVE.append(PF301_QUERY_RUN_BY_THE_HELPER)
# (round 266) a lookup by each key of a mapping the loop walks, one key per pass; the same lookup by a field of each row
PF301_NEGATIVE.append(PF301_BY_EACH_KEY)
PF301_POSITIVE.append(PF301_BY_A_FIELD_OF_EACH_ROW)
# (round 313) the same statement after `SET search_path TO {schema}`: another tenant's tables on each pass; without it
PF301_NEGATIVE.append(PF301_PER_TENANT_SCHEMA)
PF301_POSITIVE.append(PF301_SAME_SCHEMA)
# (round 352) a lookup by a unique field of the loop's own rows, the keys' table walked itself; by a field many rows share
PF301_NEGATIVE.append(PF301_KEYS_TABLE_WALKED)
PF301_POSITIVE.append(PF301_KEY_OF_MANY_ROWS)

"""Loops that run a handful of times, or that build one query rather than run one per item, read on real
applications (issue 15, second round): what a person types on a command line (click/typer options, argparse,
a management command's `options`, `sys.argv`), the application's configuration, a helper handed a one-item
list, querysets combined with `|` (lazy), pages of a query walked by a `while` loop, a helper that caches its
result on its object. Each negative is silent; each positive is the same shape over rows of a table, which
must stay reported."""

from .row_examples import billing_app

PER_ITEM = "        Invoice.objects.filter(client_id=i).count()\n"

COMMAND = """from django.core.management.base import BaseCommand
from billing.models import Invoice


class Command(BaseCommand):
    def _invoices(self, names):
        return [Invoice.objects.get(number=name) for name in names]

    def handle(self, *args, **options):
        self._invoices(%s)
"""

NP101_HANDFUL_NEGATIVE = [
    # a helper whose every caller hands it what the command line passes (a management command's args or options)
    billing_app("", **{"billing/management/commands/fix.py": COMMAND % "args"}),
    billing_app("", **{"billing/management/commands/fix.py": COMMAND % "options['numbers']"}),
    # click: the ids a person passes with `--ids 1 --ids 2`
    billing_app("import click\nfrom .models import Invoice\n\n@click.command()\n@click.option('--ids', multiple=True)\ndef recount(ids):\n"
         "    for i in ids:\n" + PER_ITEM),
    billing_app("import click\nfrom .models import Invoice\n\n@click.command()\n@click.argument('client_ids', nargs=-1)\ndef recount(client_ids):\n"
         "    for i in client_ids:\n" + PER_ITEM),
    # typer: a list option in the parameter's default
    billing_app("import typer\nfrom .models import Invoice\n\ndef recount(ids: list[int] = typer.Option([])):\n    for i in ids:\n" + PER_ITEM),
    # argparse's namespace and sys.argv
    billing_app("from .models import Invoice\n\ndef main(args):\n    for i in args.client_ids:\n" + PER_ITEM),
    billing_app("import sys\nfrom .models import Invoice\n\ndef main():\n    for i in sys.argv[1:]:\n" + PER_ITEM),
    # a Django management command's options
    billing_app("", **{"billing/management/commands/recount.py":
                "from django.core.management.base import BaseCommand\nfrom billing.models import Invoice\n\n\nclass Command(BaseCommand):\n"
                "    def handle(self, *args, **options):\n        for i in options['client_ids']:\n    " + PER_ITEM}),
    billing_app("", **{"billing/management/commands/recount.py":
                "from django.core.management.base import BaseCommand\nfrom billing.models import Invoice\n\n\nclass Command(BaseCommand):\n"
                "    def handle(self, *args, **options):\n        for i in options.get('client_ids'):\n    " + PER_ITEM}),
    # the application's configuration (Flask's config, a component's own config)
    billing_app("from flask import current_app\nfrom .models import Invoice\n\ndef notify():\n    for i in current_app.config['AUDITED_CLIENTS']:\n" + PER_ITEM),
    billing_app("from flask import current_app\nfrom .models import Invoice\n\ndef notify():\n    for i in current_app.config.get('AUDITED_CLIENTS', []):\n" + PER_ITEM),
    billing_app("from .models import Invoice\n\nclass Audit:\n    def run(self):\n        for i in self.config['clients']:\n    " + PER_ITEM),
    # a one-item list literal, and a helper handed one item in a list: it runs once
    billing_app("from .models import Invoice\n\ndef recount(client_id):\n    for i in [client_id]:\n" + PER_ITEM),
    billing_app("from .models import Invoice\n\ndef pending(ids):\n    return Invoice.objects.filter(client_id__in=ids)\n\n"
         "def recount(client_id):\n    for inv in pending([client_id]):\n        Invoice.objects.filter(client_id=inv.client_id).count()\n"),
    # querysets combined with `|` / `|=`: one lazy query built, run once after the loop
    billing_app("from .models import Invoice\n\ndef of_clients(ids):\n    qs = Invoice.objects.none()\n    for i in ids:\n"
         "        qs |= Invoice.objects.filter(client_id=i)\n    return list(qs)\n"),
    billing_app("from .models import Invoice\n\ndef of_clients(ids):\n    qs = Invoice.objects.none()\n    for i in ids:\n"
         "        qs = qs | Invoice.objects.filter(client_id=i).exclude(total=0)\n    return list(qs)\n"),
    # a while loop that pages through a query: SQLAlchemy limit/offset, Flask-SQLAlchemy paginate, a Django slice
    billing_app("from sqlalchemy.orm import Session\nfrom .models import Invoice\n\ndef walk(session: Session):\n    offset = 0\n    while True:\n"
         "        rows = session.query(Invoice).order_by(Invoice.id).limit(500).offset(offset).all()\n        if not rows:\n"
         "            break\n        offset += 500\n"),
    billing_app("from sqlalchemy import select\nfrom sqlalchemy.orm import Session\nfrom .models import Invoice\n\ndef walk(session: Session):\n"
         "    offset = 0\n    while True:\n        rows = session.scalars(select(Invoice).limit(100).offset(offset)).all()\n"
         "        if not rows:\n            break\n        offset += len(rows)\n"),
    billing_app("from .models import Invoice\n\ndef walk():\n    last = 0\n    while True:\n"
         "        batch = list(Invoice.objects.filter(pk__gt=last).order_by('pk')[:500])\n        if not batch:\n            break\n"
         "        last = batch[-1].pk\n"),
    billing_app("from .models import Invoice\n\ndef walk():\n    page = 1\n    while True:\n        p = Invoice.query.paginate(page=page, per_page=50)\n"
         "        if not p.items:\n            break\n        page += 1\n"),
    billing_app("from .models import Invoice\n\ndef walk():\n    start, size = 0, 500\n    while True:\n"
         "        chunk = list(Invoice.objects.order_by('pk')[start:start + size])\n        if not chunk:\n            break\n        start += size\n"),
]

NP101_HANDFUL_POSITIVE = [
    # the same helper handed a query's values: as many as the table holds
    billing_app("", **{"billing/management/commands/fix.py": COMMAND % "Invoice.objects.values_list('number', flat=True)"}),
    # the rows of a query filtered by what the command line passes: as many rows as the table holds
    billing_app("import click\nfrom .models import Client, Invoice\n\n@click.command()\n@click.option('--ids', multiple=True)\ndef recount(ids):\n"
         "    for inv in Invoice.objects.filter(client_id__in=ids):\n        Client.objects.get(pk=inv.client_id)\n"),
    # a helper handed a list that is not one item
    billing_app("from .models import Invoice\n\ndef pending(ids):\n    return Invoice.objects.filter(client_id__in=ids)\n\n"
         "def recount(ids):\n    for inv in pending(ids):\n        Invoice.objects.filter(client_id=inv.client_id).count()\n"),
    # a query filtered by a one-item list is still a whole table's rows
    billing_app("from .models import Client, Invoice\n\ndef recount():\n    for inv in Invoice.objects.filter(status__in=['open']):\n"
         "        Client.objects.get(pk=inv.client_id)\n"),
    # each page's rows, with a query per row: the pages are fine, the inner loop is the N+1
    billing_app("from .models import Client, Invoice\n\ndef walk():\n    start = 0\n    while True:\n"
         "        chunk = list(Invoice.objects.order_by('pk')[start:start + 500])\n        if not chunk:\n            break\n"
         "        for inv in chunk:\n            Client.objects.get(pk=inv.client_id)\n        start += 500\n"),
    # a combined queryset evaluated per item is a query per item
    billing_app("from .models import Invoice\n\ndef counts(ids):\n    return [(Invoice.objects.filter(client_id=i) | Invoice.objects.filter(total=0)).count() for i in ids]\n"),
]

CACHED = '''
from .models import Client, Invoice


class Tree:
    def children(self):
        if getattr(self, "_children", None) is None:
            self._children = {c.id: c for c in Client.objects.all()}
        return self._children

    def plain(self):
        return {c.id: c for c in Client.objects.all()}

    def run(self):
        for inv in Invoice.objects.all():
            self.%s()
'''

FILLED_ON_MISS = '''
from .models import Client, Invoice


class Tree:
    def children(self):
%s

    def run(self):
        for inv in Invoice.objects.all():
            self.children()
'''

NP102_FILLED_ONCE_NEGATIVE = [  # filled on the first call, read on every other
    billing_app(CACHED % "children"),
    billing_app(FILLED_ON_MISS % "        try:\n            return self._children\n        except AttributeError:\n"
                          "            self._children = list(Client.objects.all())\n            return self._children"),
    billing_app(FILLED_ON_MISS % "        if '_children' not in self.__dict__:\n            self.__dict__['_children'] = list(Client.objects.all())\n"
                          "        return self.__dict__['_children']"),
]
# a module dict filled item by item on the first call (`if not _types: ... _types[oid] = name`), read on every other
MODULE_FILLED = '''
from .models import Client, Invoice

_names = {}


def _load_names():
    if not _names:
        for c in Client.objects.all():
            _names[c.id] = c.name


def name_of(client_id):
    _load_names()
    return _names[client_id]


def labels():
    return [name_of(inv.client_id) for inv in Invoice.objects.all()]
'''
NP102_FILLED_ONCE_NEGATIVE.append(billing_app(MODULE_FILLED))
NP102_FILLED_ONCE_POSITIVE = [
    # the twin of the filled-once cache: each row's client looked up anew (with no argument at all, the call would move
    # out of the loop: PF301 says so, not NP102)
    billing_app(CACHED.replace("def plain(self):\n        return {c.id: c for c in Client.objects.all()}",
                               "def plain(self, client_id):\n        return Client.objects.get(pk=client_id)")
                .replace("self.%s()", "self.%s(inv.client_id)") % "plain"),
    # a per-key memo filled on a miss is still a query per distinct key
    billing_app(FILLED_ON_MISS.replace("def children(self):", "def children(self, key):").replace("self.children()", "self.children(inv.client_id)")
                % ("        try:\n            return self._by_id[key]\n        except KeyError:\n"
                   "            self._by_id[key] = Client.objects.get(pk=key)\n            return self._by_id[key]")),
]

# a bulk write flushed once per batch (`if len(bucket) >= BATCH: ...; bucket = []`): its re-fetch runs per batch
NP101_HANDFUL_NEGATIVE.append(billing_app('''
from .models import Invoice
BATCH = 500


def close_all():
    bucket = []
    for inv in Invoice.objects.filter(total__gt=0):
        inv.total = 0
        bucket.append(inv)
        if len(bucket) >= BATCH:
            Invoice.objects.bulk_update(bucket, ["total"])
            closed = list(Invoice.objects.filter(pk__in=[b.pk for b in bucket]))
            bucket = []
'''))
# ... and a size the caller passes (djangopackages' search index, `batch_size=500`), flushed through a helper: NP102 too
NP102_FILLED_ONCE_NEGATIVE.append(billing_app('''
from .models import Invoice


def _flush(bucket):
    existing = set(Invoice.objects.filter(pk__in=[b.pk for b in bucket]).values_list("pk", flat=True))
    return len(existing)


def rebuild(batch_size=500):
    count, bucket = 0, []
    for inv in Invoice.objects.iterator(chunk_size=batch_size):
        bucket.append(inv)
        if len(bucket) >= batch_size:
            count += _flush(bucket)
            bucket = []
    return count
'''))
# ... and a counter of the batch, reset with it (ma cantine's purchase import, round 96: judged false)
NP102_COUNTED_BATCH = billing_app('''
from .models import Invoice
CHUNK = 1000


def _save_chunk(chunk):
    known = set(Invoice.objects.filter(pk__in=[pk for pk, _ in chunk]).values_list("pk", flat=True))
    return len(known)


def import_rows(rows):
    chunk, count = [], 0
    for row in rows:
        chunk.append(row)
        count += 1
        if count == CHUNK:
            _save_chunk(chunk)
            chunk = []
            count = 0
''')
NP102_FILLED_ONCE_NEGATIVE.append(NP102_COUNTED_BATCH)
# ... and a table kept on the function itself (CarbuRe's countries, round 96: 7 findings judged CACHED)
NP102_FUNCTION_ATTRIBUTE = billing_app('''
from .models import Client, Invoice


def client_named(name):
    if not hasattr(client_named, "_cache"):
        client_named._cache = {
            "by_name": {c.name: c for c in Client.objects.all()},
            "by_id": {str(c.pk): c for c in Client.objects.all()},
        }
    return client_named._cache["by_name"].get(name, client_named._cache["by_id"].get(name))


def import_rows(rows):
    found = []
    for row in rows:
        client = client_named(row["client"])
        found.append(Invoice(client=client, total=row["total"]))
    return found
''')
NP102_FILLED_ONCE_NEGATIVE.append(NP102_FUNCTION_ATTRIBUTE)
# ... and rows collected for one multi-row INSERT every thousand (Recosanté's newsletters, round 97: PF201 judged false)
PF201_COLLECTED_ROWS = '''
def store(engine, table, rows):
    batch = []
    for row in rows:
        batch.append({"client": row["client"], "total": row["total"]})
        if len(batch) % 1000 == 0:
            engine.execute(table.insert(), batch)
            batch = []
    if batch:
        engine.execute(table.insert(), batch)
'''
# pages of rows (ureport's RapidPro sync): a generator yielding one list per chunk, and an API client's `iterfetches()`;
# the helper is the batch lookup for one page
PAGES = '''
from .models import Client, Invoice


def _clients_of(page):
    return {c.pk: c for c in Client.objects.filter(pk__in=[r["client"] for r in page])}


def _runs_of_archive():
    for chunk in chunked(Invoice.objects.values("client").iterator(), 1000):
        yield [r for r in chunk if r["client"]]


def import_archive():
    for fetch in _runs_of_archive():
        _clients_of(fetch)


def sync(api):
    fetches = api.get_runs().iterfetches(retry_on_rate_exceed=True)
    for fetch in fetches:
        _clients_of(fetch)
'''
NP102_FILLED_ONCE_NEGATIVE.append(billing_app(PAGES))
# the same test on a list never emptied holds for every item after the first batch: a query per item
NP101_HANDFUL_POSITIVE.append(billing_app('''
from .models import Invoice
BATCH = 500


def close_all():
    seen = []
    for inv in Invoice.objects.filter(total__gt=0):
        seen.append(inv)
        if len(seen) >= BATCH:
            Invoice.objects.filter(pk__in=[b.pk for b in seen]).count()
'''))

# a form field's own `clean`: Django hands it what one submission holds for the field, the client names a person typed
# (Air Mozilla's tag and e-mail fields, round 109: judged N SMALL); `low`, saying so. The same loop in a plain
# function nothing in the project calls may be an API for code outside it: `medium`, as before.
FORM_FIELD = '''
from django import forms

from .models import Client


class ClientNamesField(forms.MultipleChoiceField):
    def clean(self, value):
        return [Client.objects.get(name=name).pk for name in value]
'''
NP101_FORM_FIELD_LOWERED = billing_app("", **{"billing/forms.py": FORM_FIELD})
NP101_OUTSIDE_KEPT = billing_app("", **{"billing/forms.py": FORM_FIELD.replace("forms.MultipleChoiceField", "object")})

# Dallinger's launch (round 111): a retry loop counted down over `sorted(range(attempts), reverse=True)`; the same
# POST each pass is the point (PF301's hoist and NP105's batching judged WRONGFIX). Over `range(count)` it is a loop.
RETRY_COUNTDOWN = '''
import requests


def launch(url, log, attempts=4):
    launched = None
    for remaining in sorted(range(attempts), reverse=True):
        try:
            launched = requests.post(url, timeout=10)
        except requests.RequestException as err:
            log(f"{url} not up yet ({remaining} tries left): {err}")
    return launched
'''
NP105_RETRY_COUNTDOWN_NEGATIVE = {"app.py": RETRY_COUNTDOWN}
NP105_COUNTED_POSITIVE = {"app.py": RETRY_COUNTDOWN.replace("attempts", "count")}

# Nylas' bulk delete (round 111): `if replica_busy(): time.sleep(60)` before each batch asks again after each pause
PACED = '''
import time

import requests


def replica_busy():
    return requests.get("http://monitor.internal/lag", timeout=5).json()["lag"] > 10


def purge_archived(cur, batches):
    for _ in range(batches):
        if replica_busy():
            time.sleep(60)
        cur.execute("DELETE FROM invoice_log WHERE archived = 1 LIMIT 2000")
'''
PF301_PACED_NEGATIVE = {"app.py": PACED}
PF301_UNPACED_POSITIVE = {"app.py": PACED.replace("            time.sleep(60)\n", "            print('busy')\n")}

# a remote call per row with a pause after each, in the branch that makes the call (turnout's ActionNetwork sync,
# `time.sleep(settings.ACTIONNETWORK_SYNC_DELAY)`, round 148: judged WRONGFIX): spaced on purpose, `low`; without the
# pause, `high`
_LEADS_MODELS = ("from django.db import models\n\n\nclass Lead(models.Model):\n    email = models.EmailField()\n"
                 "    pushed = models.BooleanField(default=False)\n")
_PUSH = '''
import time
import requests
from .models import Lead


def _push(lead):
    return requests.post("https://actionnetwork.example/forms/1/submissions", json={{"email": lead.email}}, timeout=10)


def push_leads(delay, queued):
    for lead in Lead.objects.filter(pushed=False):
        if queued:
            print(lead.pk)
        else:
            _push(lead)
            {after}
'''
NP105_PAUSED_LOWERED = {"movers/__init__.py": "", "movers/models.py": _LEADS_MODELS, "movers/sync.py": _PUSH.format(after="time.sleep(delay)")}
NP105_UNPAUSED_KEPT = {"movers/__init__.py": "", "movers/models.py": _LEADS_MODELS, "movers/sync.py": _PUSH.format(after="print(lead.email)")}
# the call written in the loop itself, a pause after it (the ANHD council's cache warmers, `time.sleep(sleep)` after each
# council's page, round 187: 4 judged SMALL)
_PUSH_HERE = _PUSH.replace("            _push(lead)\n", "            requests.post(\"https://actionnetwork.example/forms/1/submissions\", json={{\"email\": lead.email}}, timeout=10)\n")
NP105_PAUSED_HERE_LOWERED = {"movers/__init__.py": "", "movers/models.py": _LEADS_MODELS, "movers/sync.py": _PUSH_HERE.format(after="time.sleep(delay)")}
NP105_UNPAUSED_HERE_KEPT = {"movers/__init__.py": "", "movers/models.py": _LEADS_MODELS, "movers/sync.py": _PUSH_HERE.format(after="print(lead.email)")}

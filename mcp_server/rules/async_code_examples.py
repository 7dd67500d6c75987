"""The examples of async_code.py's rules: each a source file (or {path: source} for several modules); the positive ones
must be flagged by the rule, the negative ones must not. Imported when a test first reads them (rules.Examples)."""

from __future__ import annotations

from .served_apps_and_connections_examples import PF801_MODULE_OF_SYNC_QUERIES
from .coroutines_and_handles_examples import PF801_ONE_COROUTINE, PF801_TWO_COROUTINES
from .records_sets_and_packages_examples import (PF801_ROUTER_IN_A_FOLDER_NOTHING_IMPORTS,
                                                 PF801_ROUTER_IN_A_NAMESPACE_PACKAGE)
from .singletons_and_coroutines_examples import (PF801_COROUTINE_KEPT, PF801_EITHER_SESSION, PF801_SESSION_BOUND_ASYNC,
                                                PF801_OWN_METHOD_NOT_AWAITED, PF801_SESSION_BOUND_SYNC,
                                                PF801_SYNC_SESSION)
from .routers_and_lookups_examples import (PF801_ROUTER_INCLUDED, PF801_ROUTER_INCLUDED_FROM_A_SOURCE_ROOT,
                                           PF801_ROUTER_NOTHING_INCLUDES)
from .cache_refresh_examples import PF801_KEYS_FETCHED_EACH_TIME, PF801_KEYS_KEPT
from .background_examples import PF801_HANDED_CONNECTION, PF801_STARTUP_HELPER_KEPT, PF801_STARTUP_HELPER_LOWERED
from .caller_examples import PF801_LOCAL_FILE, PF801_NO_THREAD_BRANCH, PF801_SYNC_ONLY_PROJECT
from .run_alone_examples import PF801_BEFORE_THE_GATHER, PF801_BOT_COMMAND_KEPT, PF801_CLI_COMMAND_ALONE, PF801_RUN_ALONE
from .static import DJANGO_MODELS

# a store's coroutine that sets it up once (LangBot's vector store manager, round 181: 2 judged N RARE): `low`; the
# same blocking query in the coroutine that serves each search: kept
_STORE = '''
import sqlite3


class VectorStore:
    def __init__(self, path):
        self.path = path
        self.conn = None

    async def {name}(self, *terms):
        self.conn = sqlite3.connect(self.path)
        return self.conn.execute("SELECT id FROM vectors WHERE term IN (?, ?)", terms).fetchall()
'''
PF801_SET_UP_LOWERED = _STORE.format(name="initialize")
PF801_SERVING_KEPT = _STORE.format(name="search")

PF801_POSITIVE = [
        PF801_SET_UP_LOWERED, PF801_SERVING_KEPT,
        '''
import requests
async def balance(account):
    return requests.get(f"https://bank.example/accounts/{account}", timeout=10).json()
''',
        # the twin of Django's async API: `list()` of a queryset runs it synchronously, in the event loop
        {"billing/__init__.py": "", "billing/models.py": DJANGO_MODELS, "billing/views.py": '''
from .models import Invoice

async def ids(client_id):
    return list(Invoice.objects.filter(client_id=client_id).values_list("id", flat=True))
'''},
        '''
import time
async def retry(fetch):
    for attempt in range(3):
        try:
            return await fetch()
        except OSError:
            time.sleep(1)
''',
        '''
def load_rates(conn):
    return dict(conn.execute("SELECT state, rate FROM icms_rates").fetchall())
async def handler(conn, request):
    rates = load_rates(conn)
    return rates[request.state]
''',
        PF801_STARTUP_HELPER_LOWERED,
        PF801_STARTUP_HELPER_KEPT,
        # `low`: a project that serves nothing from an event loop runs this coroutine under `asyncio.run()` in synchronous
        # code, on the transaction its caller hands it (Balrog's release writes, round 75: 15 judged WRONGFIX)
        PF801_HANDED_CONNECTION,
        # a local file in a coroutine: `low`, saying why (Prefect's command line, round 99)
        PF801_LOCAL_FILE,
        # the branch a coroutine takes with no thread pool: `low`, saying why (Datasette, round 101)
        PF801_NO_THREAD_BRANCH,
        # a synchronous query in a coroutine of a project with no async driver: `low` (JupyterHub, round 103)
        PF801_SYNC_ONLY_PROJECT,
        # `low` where the coroutine runs alone on the loop `asyncio.run()` starts; kept beside a pool or gathered (Nominatim)
        PF801_RUN_ALONE,
        # `low` before the coroutine's first gather or task, kept after it (sbc-auth, round 139)
        PF801_BEFORE_THE_GATHER,
        PF801_CLI_COMMAND_ALONE, PF801_BOT_COMMAND_KEPT,  # (low) an asyncclick group and command; (high) a chat bot's command
    ]

PF801_NEGATIVE = [
        # a lazy queryset handed to a helper that runs it in a thread (`sync_to_async`): nothing is queried in the coroutine
        {"billing/__init__.py": "", "billing/models.py": DJANGO_MODELS, "billing/chat.py": '''
from asgiref.sync import sync_to_async
from .models import Invoice


@sync_to_async
def totals(ids):
    return [inv.total for inv in Invoice.objects.filter(pk__in=ids)]


async def client_totals(client_id):
    return await totals(ids=Invoice.objects.filter(client_id=client_id).values_list("id", flat=True))
'''},
        '''
from django.contrib.auth.models import Permission
async def names(user):
    perms = Permission.objects.all()
    return [p.codename async for p in perms]
''',
        '''
import asyncio
import httpx
async def balance(client: httpx.AsyncClient, account):
    await asyncio.sleep(0.1)
    return (await client.get(f"/accounts/{account}")).json()
''',
        '''
import asyncio
def load_rates(conn):
    return dict(conn.execute("SELECT state, rate FROM icms_rates").fetchall())
async def handler(conn, request):
    rates = await asyncio.to_thread(load_rates, conn)
    return rates[request.state]
''',
        # the query runs on the process's first call only: a module global filled once
        '''
default_rates = None
def load_rates(conn):
    global default_rates
    if default_rates is None:
        default_rates = dict(conn.execute("SELECT state, rate FROM icms_rates").fetchall())
    return default_rates
async def handler(conn, request):
    return load_rates(conn)[request.state]
''',
        # Django's async API: `async for` over a queryset (bound before, or a helper's lazy one), `aiterator()`,
        # `afirst()`, and `sync_to_async(list)(...)` run the query off the event loop (CourtListener: seven findings)
        {"billing/__init__.py": "", "billing/models.py": DJANGO_MODELS, "billing/views.py": '''
from asgiref.sync import sync_to_async
from .models import Invoice

def open_invoices(client_id):
    return Invoice.objects.filter(client_id=client_id).only("id")

async def ids(client_id):
    rows = Invoice.objects.filter(client_id=client_id).values_list("id", flat=True)
    return [i async for i in rows]

async def more_ids(client_id):
    return [i async for i in open_invoices(client_id).exclude(total=0)]

async def streamed(client_id):
    out = []
    async for pk in Invoice.objects.filter(client_id=client_id).values_list("pk", flat=True).aiterator():
        out.append(pk)
    return out

async def first(pk):
    return await Invoice.objects.filter(pk=pk).values("id", "total").afirst()

async def in_a_thread(client_id):
    return await sync_to_async(list)(Invoice.objects.filter(client_id=client_id).values("id"))
'''},
        # the helper only builds an async generator: its remote call runs as the coroutine iterates it, awaited
        '''
import httpx
def statement_lines(url):
    async def lines():
        async with httpx.AsyncClient() as client:
            async with client.stream("GET", url) as resp:
                async for line in resp.aiter_lines():
                    yield line
    return lines()
async def import_statement(url, ledger):
    async for line in statement_lines(url):
        ledger.append(line)
''',
    ]

PF802_POSITIVE = [
        # the project's own coroutine that reaches no query or remote call the scanner can follow (an in-memory decode:
        # Tracecat's event decoding, round 51, judged false at `medium`)
        {"ledger/__init__.py": "", "ledger/codec.py": '''
import json

KEYS = {"current": b"k1"}


async def keyring():
    return KEYS


async def decode(event):
    keys = await keyring()
    return json.loads(event), keys["current"]
''', "ledger/replay.py": '''
from .codec import decode


async def replay(events):
    out = []
    for event in events:
        out.append(await decode(event))
    return out
'''},
        '''
async def statements(accounts, fetch_statement):
    out = []
    for account in accounts:
        out.append(await fetch_statement(account))
    return out
''',
    ]

PF802_NEGATIVE = [
        # the service layer's calls share the request's AsyncSession, which runs one statement at a time: `gather` would
        # fail (Tracecat's `registry_svc`, `self.folder_service`: round 51, judged WRONGFIX); so do a row's
        # `awaitable_attrs` loads (Spoolman)
        '''
async def import_folders(folder_service, registry_svc, paths, names):
    for path in paths:
        await folder_service.create_folder(path)
    return [await registry_svc.get_action(name) for name in names]
''',
        '''
async def export(rows, names):
    for row in rows:
        for name in names:
            await getattr(row.awaitable_attrs, name)
''',
        # the project's own coroutine that the index follows to a query (on the session its object holds), and one that
        # never waits (it only schedules a send with `create_task`): gathering either gains nothing (round 51)
        {"ledger/__init__.py": "", "ledger/models.py": "from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column\n\n\n"
         "class Base(DeclarativeBase):\n    pass\n\n\nclass Entry(Base):\n    __tablename__ = \"entries\"\n"
         "    id: Mapped[int] = mapped_column(primary_key=True)\n", "ledger/store.py": '''
import asyncio
from sqlalchemy import select
from .models import Entry


class Store:
    def __init__(self, session):
        self.session = session

    async def entry(self, key):
        return (await self.session.execute(select(Entry).where(Entry.id == key))).scalar_one()


class Events:
    async def submit(self, event):
        asyncio.get_running_loop().create_task(self.send(event))

    async def send(self, event):
        await asyncio.sleep(0)
''', "ledger/post.py": '''
from .store import Events, Store


async def post(session, keys):
    store = Store(session)
    events = Events()
    for key in keys:
        await store.entry(key)
    for key in keys:
        await events.submit(key)
'''},
        # a coroutine of the module that never waits itself (it only schedules a task): awaiting it per item costs nothing
        # to gather (ArchiveBox's `enqueue_snapshot`, 2 judged false in round 49)
        '''
import asyncio


class Runner:
    def __init__(self):
        self.tasks = {}

    async def enqueue(self, job_id):
        if job_id in self.tasks:
            return
        self.tasks[job_id] = asyncio.create_task(self.run(job_id))

    async def run(self, job_id):
        await asyncio.sleep(0)

    async def enqueue_all(self, job_ids):
        for job_id in job_ids:
            await self.enqueue(job_id)
''',
        # Django's async ORM runs every call on one thread, one after another: `gather` would change nothing (Fidus
        # Writer's image updates, judged WRONGFIX)
        {"billing/models.py": DJANGO_MODELS, "billing/lines.py": '''
from .models import InvoiceItem


async def add_items(invoice, amounts):
    for amount in amounts:
        await InvoiceItem.objects.acreate(invoice=invoice, amount=amount)
'''},
        # lines shown to the one reader of a terminal, in their order (JumpServer's telnet check, judged false)
        '''
async def show_totals(totals, display):
    await display("----- totals -----")
    for account, total in totals.items():
        await display(f"{account}: {total}")
''',
        # the same session or connection for every item: one statement at a time, so `gather` would be wrong (the
        # N+1 rules report such per-item queries when they can follow the call)
        '''
async def grant_all(session, product_repository, product_ids, grant):
    for product_id in product_ids:
        product = await product_repository.get_by_id(product_id)
        await grant(session, product)
''',
        '''
async def has_perms(user, perms):
    for perm in perms:
        if not await user.ahas_perm(perm):
            return False
    return True
''',
        '''
import asyncio
async def statements(accounts, fetch_statement):
    return await asyncio.gather(*(fetch_statement(a) for a in accounts))
''',
        '''
async def first_ok(accounts, fetch_statement):
    for account in accounts:
        if await fetch_statement(account):
            break
''',
        '''
async def send_all(writer, lines):
    for line in lines:
        await writer.write(line)
''',
        # log and progress notifications of a tool must arrive in order
        '''
async def reconcile(ctx, accounts):
    for i, account in enumerate(accounts):
        await ctx.info(f"reconciling {account}")
        await ctx.report_progress(i, len(accounts))
''',
        # each hook takes the value the previous one returned: in order by nature (Bitcart's filters)
        '''
async def apply_filters(plugins, hooks, value):
    for hook in hooks:
        try:
            value = await plugins.run(hook, value)
        except ValueError:
            continue
    return value
''',
        # asgiref runs `sync_to_async` calls on one thread by default (`thread_sensitive=True`): one after another anyway
        '''
from asgiref.sync import sync_to_async
async def tag_all(tag, invoices):
    for invoice in invoices:
        await sync_to_async(tag.apply)(invoice)
''',
        # paced on purpose: a pause every ten mails keeps under the mail server's limit, which `gather` would defeat
        '''
import asyncio
async def mail_statements(mailer, clients):
    for i, client in enumerate(clients):
        await mailer.send_statement(client.email)
        if (i + 1) % 10 == 0:
            await asyncio.sleep(1)
''',
        # a websocket consumer answers its one client: each message, and each of its own methods that sends one, in
        # order (c3nav's mesh UI); `gather` would scramble the frames and overlap nothing
        '''
from channels.generic.websocket import AsyncJsonWebsocketConsumer
class StatementsConsumer(AsyncJsonWebsocketConsumer):
    async def receive_json(self, content):
        for statement in content["statements"]:
            await self.send_json({"id": statement})
        for event in content["events"]:
            await self.event_received(event)

    async def event_received(self, event):
        await self.send_json(event)
''',
    ]

# an AsyncSession's statements collected as coroutines and gathered (the Low Carbon Fuel Standard's report deletion,
# round 147: 11 judged false): awaited by asyncio, not run synchronously; the same list never gathered is still reported
# (`low` here: the project imports no async driver)
_DELETES = '''
import asyncio
from sqlalchemy import delete
from .models import Invoice, Payment


class ReportRepository:
    def __init__(self, db):
        self.db = db

    async def delete_report(self, report_id):
        operations = [
            self.db.execute(delete(Payment).where(Payment.invoice_id == report_id)),
            self.db.execute(delete(Invoice).where(Invoice.id == report_id)),
        ]
        {run}
'''
PF801_GATHERED = {"books/__init__.py": "", "books/repo.py": _DELETES.format(run="await asyncio.gather(*operations)")}
PF801_NOT_GATHERED = {"books/__init__.py": "", "books/repo.py": _DELETES.format(run="return len(operations)")}
PF801_POSITIVE.append(PF801_NOT_GATHERED)
PF801_NEGATIVE.append(PF801_GATHERED)

# a lazy queryset a coroutine only hands on (to django-cte's `With`), then reads with `async for`: MapSwipe's
# contribution map (round 150: judged false). The same local read by a plain comprehension runs the query right there.
_HANDED_ON = '''
from django.db import models
from django_cte import With


class Client(models.Model):
    name = models.CharField(max_length=80)


async def client_names():
    rows = Client.objects.filter(name__gt="").values("id", "name")
    named = With(rows, name="named")
    return [name async for _id, name in named.queryset().with_cte(named).values_list("id", "name")]
'''
PF801_HANDED_ON = {"billing/__init__.py": "", "billing/models.py": _HANDED_ON}
PF801_READ_HERE = {"billing/__init__.py": "", "billing/models.py": _HANDED_ON.replace(
    "    named = With(rows, name=\"named\")\n    return [name async for _id, name in named.queryset().with_cte(named).values_list(\"id\", \"name\")]",
    "    return [name for _id, name in rows]")}
PF801_POSITIVE.append(PF801_READ_HERE)
PF801_NEGATIVE.append(PF801_HANDED_ON)
# a key set kept in a global unless a refresh is asked for; fetched on every call (cache_refresh_examples.py)
PF801_NEGATIVE.append(PF801_KEYS_KEPT)
PF801_POSITIVE.append(PF801_KEYS_FETCHED_EACH_TIME)
# (round 261, found at low) a FastAPI router nothing includes looks unused; (high) the same router included, and
# included by an import no one module answers (the application and an old copy of it side by side)
PF801_POSITIVE += [PF801_ROUTER_NOTHING_INCLUDES, PF801_ROUTER_INCLUDED, PF801_ROUTER_INCLUDED_FROM_A_SOURCE_ROOT]
# (round 267) an async session's `execute` kept as a coroutine and awaited later; a synchronous session's, which blocks
PF801_NEGATIVE.append(PF801_COROUTINE_KEPT)
PF801_POSITIVE += [PF801_SYNC_SESSION, PF801_EITHER_SESSION]
# (round 273) a session bound by `async with ... as session`: an async one; bound by a plain `with`, synchronous
PF801_NEGATIVE.append(PF801_SESSION_BOUND_ASYNC)
PF801_POSITIVE += [PF801_SESSION_BOUND_SYNC, PF801_OWN_METHOD_NOT_AWAITED]
# (round 279, low) a router in a namespace package the application imports other modules of, which nothing includes;
# (high) the same in a folder nothing imports, a script's for all the scan knows
PF801_POSITIVE += [PF801_ROUTER_IN_A_NAMESPACE_PACKAGE, PF801_ROUTER_IN_A_FOLDER_NOTHING_IMPORTS]
# (round 299) two blocking queries in one coroutine, one finding; one in each of two coroutines, two
PF801_POSITIVE += [PF801_ONE_COROUTINE, PF801_TWO_COROUTINES]
# (rounds 334 and 336) two coroutines of one module querying through a synchronous session: one finding; a remote call
# beside them: its own
PF801_POSITIVE.append(PF801_MODULE_OF_SYNC_QUERIES)

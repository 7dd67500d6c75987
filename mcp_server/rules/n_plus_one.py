"""The N+1 rules. Each example is a source file (or {path: source} for several modules); the positive
ones must be flagged by the rule, the negative ones must not."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..findings import Severity
from . import Rule
from .declared_examples import DECLARED_NEGATIVE, DECLARED_POSITIVE
from .staff_examples import STAFF_POSITIVE
from .cached_list_examples import NP103_CACHED_LIST_POSITIVE
from .schedule_examples import NP101_NIGHTLY_IMPORT, NP103_SCHEDULE_POSITIVE
from .shared_cache_examples import NP102_SHARED_CACHE_NEGATIVE
from .object_memo_examples import NP102_FILLED_LOCALLY, NP102_FILLED_WHOLE_ON_OBJECT
from .context_examples import NP103_CONTEXT_NEGATIVE, NP103_CONTEXT_POSITIVE
from .listed_rows_examples import NP103_LISTED_NEGATIVE, NP103_LISTED_POSITIVE
from .answered_examples import NP102_ANSWERED_NEGATIVE, NP102_ANSWERED_POSITIVE, NP103_ANSWERED_NEGATIVE, NP103_ANSWERED_POSITIVE
from .caller_examples import (NP101_CALLED_FROM_NOWHERE, NP101_CALLED_UNTYPED, NP101_CLICK_COMMAND, NP102_ONE_TABLE_HANDED_IN, NP102_REQUEST_CACHE,
                              NP102_TABLES_HANDED_IN, NP103_AUTO_PREFETCH)
from .remote_examples import (NP105_CHAINED_STEPS, NP105_DICT_KEY_MATCH, NP105_ONE_MATCH, NP105_PAGES, NP105_PAIR_KEY_MATCH,
                              NP105_RATE_LIMITED)
from .carried_examples import NP102_CARRIED_NEGATIVE, NP102_CARRIED_POSITIVE, NP103_CARRIED_NEGATIVE, NP103_CARRIED_POSITIVE
from .handful_examples import (NP101_FORM_FIELD_LOWERED, NP101_HANDFUL_NEGATIVE, NP101_HANDFUL_POSITIVE, NP101_OUTSIDE_KEPT, NP102_FILLED_ONCE_NEGATIVE,
                               NP102_FILLED_ONCE_POSITIVE, NP105_COUNTED_POSITIVE, NP105_RETRY_COUNTDOWN_NEGATIVE)
from .path_examples import NP102_PATH_NEGATIVE, NP102_PATH_POSITIVE, NP103_PATH_NEGATIVE, NP103_PATH_POSITIVE
from .helper_rows_examples import NP103_HELPER_NEGATIVE, NP103_HELPER_POSITIVE, NP104_HELPER_NEGATIVE, NP104_HELPER_POSITIVE
from .unloaded_sides_examples import UNLOADED_NEGATIVE, UNLOADED_POSITIVE
from .handed_prefetch_examples import HANDED_PREFETCH_POSITIVE
from .jsonapi_examples import JSONAPI_NEGATIVE, JSONAPI_POSITIVE, TENANT_NEGATIVE, TENANT_POSITIVE
from .dynamic_fields_examples import (NP102_DYNAMIC_FIELDS_NEGATIVE, NP102_DYNAMIC_FIELDS_POSITIVE, NP103_DEFAULT_FIELDS_NEGATIVE,
                                      NP103_DEFAULT_FIELDS_POSITIVE)
from .tree_examples import NP103_TREE_POSITIVE
from .lazy_examples import NP102_EXPRESSION_NEGATIVE, NP102_EXPRESSION_POSITIVE, NP103_LAZY_NEGATIVE, NP103_LAZY_POSITIVE
from .lock_examples import NP101_LOCK_NEGATIVE, NP101_LOCK_POSITIVE
from .io_examples import NP101_IO_POSITIVE, NP102_IO_POSITIVE, NP103_IO_POSITIVE
from .background_examples import NP101_BACKGROUND_POSITIVE, NP102_BACKGROUND_POSITIVE, NP104_BACKGROUND_POSITIVE, NP105_BACKGROUND_POSITIVE
from .prefetch_examples import (NP101_COUNTED_QUERYSET_POSITIVE, NP101_PREFETCH_QUERYSET_NEGATIVE,
                                NP103_CLASS_PREFETCH_NEGATIVE, NP103_CLASS_PREFETCH_POSITIVE, NP103_NOT_PREFETCHED,
                                NP103_ORDERED_FIRST_NEGATIVE, NP103_ORDERED_FIRST_POSITIVE, NP103_PREFETCHED_ELSEWHERE,
                                NP103_READ_THEN_WRITTEN_POSITIVE, NP103_WRITTEN_THEN_READ_NEGATIVE)
from .payload_examples import NP102_PAYLOAD_LOWERED, NP102_PLAIN_CLASS_KEPT, NP103_BASE_FIELDS_POSITIVE, NP103_LEAN_FIELDS_NEGATIVE
from .intent_examples import (NP101_DEPRECATED, NP101_MANAGER_METHOD, NP101_MEMOISED, NP101_MEMOISED_BRIEFLY, NP101_UPGRADE_SCRIPT,
                              NP102_MEMO_IN_ELSE, NP103_CREATE_SERIALIZER, NP103_CUSTOM_ACTION_ONLY, NP103_OPTION_LIST_COMMAND,
                              NP103_MATCH_THEN_RETURN, NP103_NARROWED_ALIAS, NP103_OWN_LIST_ROWS, NP103_SORT_KEY, NP103_UNION)
from .joined_parent_examples import (NP104_ASYNC_KEPT, NP104_ASYNC_LOWERED, NP104_COMMIT_EACH_LOWERED, NP104_COMMIT_ONCE_KEPT,
                                     NP104_NOT_WARMED_KEPT, NP104_ONE_PARENT_NEGATIVE, NP104_ONE_PARENT_POSITIVE, NP104_WARMED_LOWERED)
from .one_off_examples import NP104_ONE_OFF_NEGATIVE, NP104_ONE_OFF_POSITIVE, ONE_OFF_NEGATIVE, ONE_OFF_POSITIVE, books_app
from .selection_examples import (NP101_HANDFUL_MORE_NEGATIVE, NP101_HANDFUL_MORE_POSITIVE, NP101_SELECTION_NEGATIVE, NP101_SELECTION_POSITIVE,
                                 NP102_PAGES_NEGATIVE, NP102_PAGES_POSITIVE)
from .per_object_examples import NP101_PER_OBJECT_NEGATIVE, NP101_PER_OBJECT_POSITIVE, NP102_WRITES_NEGATIVE, NP102_WRITES_POSITIVE, NP103_MEMO_NEGATIVE, NP103_MEMO_POSITIVE
from .template_examples import NP107_PRINTED_POSITIVE, TEMPLATE_NEGATIVE, TEMPLATE_POSITIVE, with_models
from .handed_rows_examples import NP107_HANDED_NEGATIVE, NP107_HANDED_POSITIVE
from .many_init_examples import NP103_MANY_INIT_NEGATIVE, NP103_MANY_INIT_POSITIVE
from .fallback_examples import NP102_FALLBACK_NEGATIVE, NP102_FALLBACK_POSITIVE
from .queryset_method_examples import CUSTOM_METHOD_NEGATIVE, CUSTOM_METHOD_POSITIVE
from .default_manager_examples import NP103_MANAGER_NEGATIVE, NP103_MANAGER_POSITIVE
from .row_examples import ROW_MODELS, billing_app, DRF_NEGATIVE, DRF_POSITIVE, NP101_NEGATIVE, NP102_NEGATIVE, NP104_NEGATIVE, NP104_POSITIVE, NP102_POSITIVE, NP103_NEGATIVE, NP103_POSITIVE

if TYPE_CHECKING:  # the registry needs no pydantic: the hook looks rules up on every edit
    from ..models import Finding

DJANGO_MODELS = '''
from django.db import models

class Client(models.Model):
    name = models.CharField(max_length=100)
    state = models.CharField(max_length=2)

class Invoice(models.Model):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="invoices")
    total = models.DecimalField(max_digits=12, decimal_places=2)

class InvoiceItem(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="items")
    amount = models.DecimalField(max_digits=12, decimal_places=2)
'''

SQLA_MODELS = '''
from sqlalchemy import ForeignKey
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

class Base(DeclarativeBase):
    pass

class Client(Base):
    __tablename__ = "clients"
    id: Mapped[int] = mapped_column(primary_key=True)
    invoices: Mapped[list["Invoice"]] = relationship(back_populates="client")

class Invoice(Base):
    __tablename__ = "invoices"
    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"))
    client: Mapped["Client"] = relationship(back_populates="invoices")
    items: Mapped[list["Item"]] = relationship(lazy="selectin")
'''


class StaticRule(Rule):
    example_lang = "python"
    @classmethod
    def run_example(cls, example: Any) -> list[Finding]:
        from ..analysis.scan import scan_sources

        files = example if isinstance(example, dict) else {"app.py": example}
        report = scan_sources(files)  # every rule, as a scan runs: what another rule reports at the line is not this one's
        assert not report.errors, report.errors  # an example that does not parse is a broken test
        return [f for f in report.findings if f.rule == cls.id]


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
    positive = [
        NP101_COUNTED_QUERYSET_POSITIVE,
        NP101_CALLED_UNTYPED, NP101_CALLED_FROM_NOWHERE,
        # each row locked for its own slow work (MIT Learn's content summariser, round 65): low, saying why
        {"billing/__init__.py": "", "billing/models.py": DJANGO_MODELS, "billing/summaries.py": '''
from django.db import transaction
from .models import Invoice
def summarise(llm):
    for draft in Invoice.objects.filter(total__gt=0):
        with transaction.atomic():
            invoice = Invoice.objects.select_for_update().get(pk=draft.pk)
            invoice.total = llm(invoice.total)
            invoice.save()
'''},
        *ONE_OFF_POSITIVE,
        *STAFF_POSITIVE["NP101"],
        NP101_NIGHTLY_IMPORT,
        *NP101_PER_OBJECT_POSITIVE,
        *NP101_LOCK_POSITIVE,
        *NP101_HANDFUL_POSITIVE,
        NP101_FORM_FIELD_LOWERED,  # (found at low: one submission's values)
        NP101_OUTSIDE_KEPT,
        *NP101_SELECTION_POSITIVE,
        *NP101_HANDFUL_MORE_POSITIVE,
        *NP101_IO_POSITIVE,
        *NP101_BACKGROUND_POSITIVE,
        *TENANT_POSITIVE,
        '''
import sqlite3
def invoices_by_client(conn: sqlite3.Connection, client_ids):
    cur = conn.cursor()
    rows = []
    for client_id in client_ids:
        cur.execute("SELECT * FROM invoices WHERE client_id = ?", (client_id,))
        rows.extend(cur.fetchall())
    return rows
''',
        '''
async def totals(pool, ids):
    async with pool.acquire() as conn:
        return [await conn.fetchval("SELECT sum(total) FROM invoices WHERE client_id = $1", i) for i in ids]
''',
        {"billing/models.py": DJANGO_MODELS, "billing/report.py": '''
from .models import Client
def names(invoice_rows):
    return [Client.objects.get(pk=row["client_id"]).name for row in invoice_rows]
'''},
        '''
from sqlalchemy.orm import Session
def load(session: Session, ids):
    return [session.get(Invoice, i) for i in ids]
''',
        # one finding, where the query runs: the queryset bound per client runs nothing itself, each `get()` on it
        # queries (pydici's monthly timesheet export)
        {"billing/models.py": DJANGO_MODELS, "billing/export.py": '''
from .models import Invoice


def invoice_grid(clients, totals):
    rows = []
    for client in clients:
        invoices = Invoice.objects.filter(client=client)
        for total in totals:
            rows.append(invoices.get(total=total).id)
    return rows
'''},
        NP101_MEMOISED, NP101_MEMOISED_BRIEFLY, NP101_DEPRECATED, NP101_MANAGER_METHOD,
        # a click command in a `commands/` folder, its loop in a helper class: `low`, as commands are (h's devdata, round 99)
        NP101_CLICK_COMMAND,
    ]
    negative = [
        NP101_PREFETCH_QUERYSET_NEGATIVE,
        *TENANT_NEGATIVE,
        NP101_UPGRADE_SCRIPT,
        # a memo in one dict of a dict of memos (`cache[kind]`): once per kind and key (Peering Manager's webhooks, round 64)
        {"billing/models.py": DJANGO_MODELS, "billing/notify.py": '''
from .models import Client
def recipients(events):
    cache = {"created": {}, "paid": {}}
    out = []
    for event in events:
        if event.client_id not in cache[event.kind]:
            cache[event.kind][event.client_id] = Client.objects.filter(pk=event.client_id).first()
        out.append(cache[event.kind][event.client_id])
    return out
'''},
        # the loop after an unconditional `return`: switched off, it never runs (SimpleLogin's rate limiter, round 50)
        {"billing/models.py": DJANGO_MODELS, "billing/limits.py": '''
from .models import Client
def over_limit(client_ids):
    return False  # todo: re-enable once the limits are agreed

    for client_id in client_ids:
        if Client.objects.get(pk=client_id).name == "blocked":
            return True
'''},
        # a memo filled in the `else` of `if key in cache:`: one query per distinct client, not per invoice
        {"billing/models.py": DJANGO_MODELS, "billing/report.py": '''
from .models import Client, Invoice
def client_names():
    names, out = {}, []
    for inv in Invoice.objects.all():
        if inv.client_id in names:
            out.append(names[inv.client_id])
        else:
            names[inv.client_id] = Client.objects.get(pk=inv.client_id).name
            out.append(names[inv.client_id])
    return out
'''},
        # ... or after `name = names.get(key)` finds nothing, the usual two-line memo
        {"billing/models.py": DJANGO_MODELS, "billing/report.py": '''
from .models import Client, Invoice
def client_names():
    names, out = {}, []
    for inv in Invoice.objects.all():
        name = names.get(inv.client_id)
        if name is None:
            name = names[inv.client_id] = Client.objects.get(pk=inv.client_id).name
        out.append(name)
    return out
'''},
        # a write through a dialect's insert imported under an alias (`pg_insert`, `mysql_insert`) is a write, not a
        # query whose rows a SELECT ... IN would fetch (SpiffWorkflow's one-by-one MySQL inserts, judged WRONGFIX)
        '''
from sqlalchemy.dialects.mysql import insert as mysql_insert
def insert_or_ignore(session, model, values):
    for value in values:
        session.execute(mysql_insert(model).values(value).prefix_with("IGNORE"))
''',
        # a SQLAlchemy Core write per item is PF201's (here one per table, which it leaves alone), not a query
        '''
def empty(session, metadata):
    for table in reversed(metadata.sorted_tables):
        session.execute(table.delete())
''',
        '''
def invoices_by_client(conn, client_ids):
    marks = ",".join("?" * len(client_ids))
    return conn.execute(f"SELECT * FROM invoices WHERE client_id IN ({marks})", client_ids).fetchall()
''',
        '''
def insert_all(conn, rows):
    conn.executemany("INSERT INTO ledger VALUES (?, ?)", rows)
''',
        '''
def rates(cur):
    for tax in ("icms", "pis", "cofins"):
        cur.execute("SELECT rate FROM rates WHERE tax = ?", (tax,))
''',
        '''
def all_rows(conn):
    offset = 0
    while True:
        page = conn.execute("SELECT * FROM invoices ORDER BY id LIMIT 500 OFFSET ?", (offset,)).fetchall()
        if not page:
            break
        offset += len(page)
''',
        '''
from typing import TYPE_CHECKING
if TYPE_CHECKING:
    from sqlite3 import Cursor
def tally(cur, ids):
    for i in ids:  # perf: ignore[NP101]
        cur.execute("SELECT 1 FROM t WHERE id = ?", (i,))
''',
        '''
def totals(cur, ids):
    for i in ids:
        cur.execute("SELECT total FROM t WHERE id = ?", (i,))  # noqa: NP101
''',
        # a branch switched off (`if False:  # dd.is_installed("addresses")`, Lino XL, round 73: judged DEAD)
        billing_app('''from .models import Client, Invoice


def names():
    if False:
        for inv in Invoice.objects.all():
            inv.client_name = Client.objects.get(pk=inv.client_id).name
'''),
        # a memo whose miss test has a second condition: still once per distinct code (MapIt's imports, round 78: CACHED)
        billing_app('''from .models import Client


def owners(rows):
    by_code = {}
    for code, amount in rows:
        if code not in by_code and len(code) == 3:
            by_code[code] = Client.objects.get(name=code)
    return by_code
'''),
        *NP101_NEGATIVE,
        *ONE_OFF_NEGATIVE,
        *NP101_PER_OBJECT_NEGATIVE,
        *NP101_LOCK_NEGATIVE,
        *NP101_HANDFUL_NEGATIVE,
        *NP101_SELECTION_NEGATIVE,
        *NP101_HANDFUL_MORE_NEGATIVE,
    ]


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
    positive = [
        NP102_FILLED_LOCALLY,
        {"app.py": NP102_ONE_TABLE_HANDED_IN},
        NP102_PAYLOAD_LOWERED,
        NP102_PLAIN_CLASS_KEPT,
        *NP102_DYNAMIC_FIELDS_POSITIVE,
        *NP102_PAGES_POSITIVE,
        *NP102_BACKGROUND_POSITIVE,
        {
            "fiscal/__init__.py": "",
            "fiscal/rates.py": '''
from decimal import Decimal
def _row(conn, state):
    return conn.execute("SELECT rate FROM icms_rates WHERE state = ?", (state,)).fetchone()
def get_icms_rate(conn, state):
    return Decimal(_row(conn, state)[0])
''',
            "fiscal/taxes.py": '''
from .rates import get_icms_rate
def icms_per_transaction(conn, transactions):
    return [t.value * get_icms_rate(conn, t.state) for t in transactions]
''',
        },
        '''
class InvoiceRepository:
    def __init__(self, conn):
        self.conn = conn
    def client_name(self, client_id):
        return self.conn.execute("SELECT name FROM clients WHERE id = ?", (client_id,)).fetchone()[0]
    def names(self, invoices):
        return {inv.id: self.client_name(inv.client_id) for inv in invoices}
''',
        *NP102_POSITIVE,
        *NP102_ANSWERED_POSITIVE,
        *NP102_CARRIED_POSITIVE,
        *NP102_EXPRESSION_POSITIVE,
        *NP102_PATH_POSITIVE,
        *NP102_WRITES_POSITIVE, *NP102_FALLBACK_POSITIVE,
        *NP102_FILLED_ONCE_POSITIVE,
        *NP102_IO_POSITIVE,
    ]
    negative = [
        NP102_FILLED_WHOLE_ON_OBJECT,
        {"app.py": NP102_TABLES_HANDED_IN},
        *NP102_DYNAMIC_FIELDS_NEGATIVE,
        # a helper's queryset inside `Subquery(...)`, handed `OuterRef(...)`: SQL of each per-client query, never a query
        # of its own (AstroBin's review queues, round 68: 2 judged false)
        {"billing/__init__.py": "", "billing/models.py": ROW_MODELS, "billing/queues.py": '''
from django.db.models import OuterRef, Subquery

from .models import Client, Invoice


def last_invoice(client):
    return Invoice.objects.filter(client=client).order_by("-id")[:1]


def open_queues():
    return {client.pk: Invoice.objects.filter(client=client).annotate(
        previous=Subquery(last_invoice(OuterRef("client")).values("total"))) for client in Client.objects.all()}
'''},
        # a loop over a generator that yields once: the session a dependency hands out, used for one run of the job
        # (Spoolman's metrics, round 51, judged false)
        '''
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

sessions = async_sessionmaker()


async def get_db_session():
    async with sessions() as session:
        yield session


async def invoice_total(session: AsyncSession):
    return (await session.execute(select(func.count()))).scalar()


async def collect_metrics():
    async for session in get_db_session():
        await invoice_total(session)
''',
        # a module-level dict checked first and filled after the query: once per distinct client, not per invoice
        {"billing/models.py": DJANGO_MODELS, "billing/names.py": '''
from .models import Client

_client_names = {}


def client_name(client_id, refresh=False):
    if client_id in _client_names and not refresh:
        return _client_names[client_id]
    name = Client.objects.get(pk=client_id).name
    _client_names[client_id] = name
    return name


def labels(invoices):
    return [f"{client_name(inv.client_id)}: {inv.total}" for inv in invoices]
'''},
        *NP102_PAGES_NEGATIVE,
        *NP102_SHARED_CACHE_NEGATIVE,
        # a row's method behind the project's own cache decorator (pydici's `@cacheable(key % self.__dict__, timeout)`,
        # kept in memcached): read from the cache, not queried, on every row after the first page view
        {"billing/__init__.py": "", "billing/utils.py": '''
from django.core.cache import cache


def cacheable(cache_key, timeout=3600):
    def decorator(func):
        def decorated(self):
            key = cache_key % self.__dict__
            res = cache.get(key)
            if res is None:
                res = func(self)
                cache.set(key, res, timeout)
            return res
        return decorated
    return decorator
''', "billing/models.py": '''
from django.db import models
from .utils import cacheable


class Client(models.Model):
    name = models.CharField(max_length=100)

    @cacheable("Client.billed%(id)s", 600)
    def billed(self):
        return self.invoices.aggregate(models.Sum("total"))["total__sum"]


class Invoice(models.Model):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="invoices")
    total = models.DecimalField(max_digits=12, decimal_places=2)
''', "billing/report.py": '''
from .models import Client


def billed_per_client():
    return [(c.name, c.billed()) for c in Client.objects.all()]
'''},
        {
            "fiscal/rates.py": '''
from decimal import Decimal
def load_icms_rates(conn):
    return {state: Decimal(rate) for state, rate in conn.execute("SELECT state, rate FROM icms_rates")}
''',
            "fiscal/taxes.py": '''
from .rates import load_icms_rates
def icms_per_transaction(conn, transactions):
    rates = load_icms_rates(conn)
    return [t.value * rates[t.state] for t in transactions]
''',
        },
        '''
def fmt(value):
    return f"{value:.2f}"
def lines(invoices):
    return [fmt(inv.total) for inv in invoices]
''',
        '''
def depth(conn, node):
    return depth(conn, node.parent) + 1 if node.parent else 0
def walk(conn, nodes):
    return [depth(conn, n) for n in nodes]
''',
        *NP102_NEGATIVE,
        *NP102_ANSWERED_NEGATIVE,
        *NP102_CARRIED_NEGATIVE,
        # a helper that answers from Open edX's RequestCache before querying (edx-when, round 101)
        NP102_REQUEST_CACHE,
        *NP102_EXPRESSION_NEGATIVE,
        *NP102_PATH_NEGATIVE,
        *NP102_WRITES_NEGATIVE, *NP102_FALLBACK_NEGATIVE,
        *NP102_FILLED_ONCE_NEGATIVE,
        NP102_MEMO_IN_ELSE,
    ]


class DjangoRelationInLoop(StaticRule):
    id = "NP103"
    name = "django-relation-in-loop"
    title = "Django relation loaded per row in a loop"
    severity = Severity.high
    what = ("Reads the project's Django models (ForeignKey, OneToOneField, ManyToManyField, GenericForeignKey, reverse "
            "accessors and related_name, inherited fields) and flags a relation used on the rows of a queryset inside a "
            "loop or comprehension when the queryset (also one built in another function or a manager method) lacks the "
            "matching select_related / prefetch_related, nested lookups included; and related-manager calls such as "
            "`.filter()` that query per row even when prefetched. It follows the row into what the loop runs on it: "
            "methods, properties and cached_properties of its model, helpers the row is handed to (with the chain as "
            "evidence), key functions (`sorted(rows, key=lambda r: r.client.name)`), and untyped parameters whose "
            "callers all pass rows of one model; and Django REST framework serializers (nested serializers, dotted "
            "`source`, related fields, to-many `Meta.fields`, SerializerMethodField, to_representation) over the rows of a "
            "list view's queryset or of `XSerializer(rows, many=True)`, located at the serializer's line.")
    why = "Each access to an unloaded relation runs one query per row: 500 invoices, 501 queries."
    example = '''
for invoice in Invoice.objects.filter(paid=False):
    print(invoice.client.name)          # one query per invoice
'''
    fix = ('Add the exact lookup to the queryset: `.select_related("client")` for to-one relations, '
           '`.prefetch_related("items")` for to-many ones (or `Prefetch(...)` with a filtered queryset), '
           '`annotate(Count(...))` for per-row counts.')
    positive = [
        *NP103_MANAGER_POSITIVE,
        # the inner loop's rows come from a new query per ledger (`.filter()` on the related manager): the fix is that
        # query's own select_related, which a prefetch on the outer queryset never reaches (Coldfront, judged WRONGFIX)
        {"ledger/models.py": '''
from django.db import models

class Person(models.Model):
    name = models.CharField(max_length=100)

class Ledger(models.Model):
    owner = models.ForeignKey(Person, on_delete=models.CASCADE)

class Entry(models.Model):
    ledger = models.ForeignKey(Ledger, on_delete=models.CASCADE, related_name="entries")
    author = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    amount = models.DecimalField(max_digits=12, decimal_places=2)
''', "ledger/report.py": '''
from .models import Ledger


def authors(owner):
    names = set()
    for ledger in Ledger.objects.filter(owner=owner):
        for entry in ledger.entries.filter(amount__gt=0).order_by("id"):
            names.add(entry.author.name)
    return names
'''},
        *NP103_PREFETCHED_ELSEWHERE,
        NP103_NOT_PREFETCHED,
        NP103_CLASS_PREFETCH_POSITIVE,
        NP103_READ_THEN_WRITTEN_POSITIVE,
        *NP103_DEFAULT_FIELDS_POSITIVE,
        *NP103_ORDERED_FIRST_POSITIVE,
        *NP103_MANY_INIT_POSITIVE,
        CUSTOM_METHOD_POSITIVE,
        *NP103_IO_POSITIVE,
        {"billing/models.py": DJANGO_MODELS, "billing/views.py": '''
from .models import Invoice
def unpaid():
    return [(inv.client.name, inv.total) for inv in Invoice.objects.filter(total__gt=0)]
'''},
        {"billing/models.py": DJANGO_MODELS, "billing/queries.py": '''
from .models import Invoice
def open_invoices():
    return Invoice.objects.select_related("client").order_by("id")
''', "billing/report.py": '''
from .queries import open_invoices
def item_totals():
    out = {}
    for inv in open_invoices():
        out[inv.id] = sum(i.amount for i in inv.items.all())
    return out
'''},
        {"billing/models.py": DJANGO_MODELS, "billing/report.py": '''
from .models import Client
def big_invoices():
    for client in Client.objects.prefetch_related("invoices"):
        print(client.invoices.filter(total__gt=1000).count())
'''},
        *NP103_POSITIVE,
        *NP103_BASE_FIELDS_POSITIVE,
        *NP103_ANSWERED_POSITIVE,
        *NP103_CARRIED_POSITIVE,
        *NP103_LISTED_POSITIVE,
        *NP103_CONTEXT_POSITIVE,
        *STAFF_POSITIVE["NP103"],
        *NP103_SCHEDULE_POSITIVE,
        *NP103_CACHED_LIST_POSITIVE,
        *NP103_LAZY_POSITIVE,
        *NP103_TREE_POSITIVE,
        *NP103_HELPER_POSITIVE,
        *JSONAPI_POSITIVE,
        *UNLOADED_POSITIVE,
        *HANDED_PREFETCH_POSITIVE,
        *NP103_PATH_POSITIVE,
        *NP103_MEMO_POSITIVE,
        *DRF_POSITIVE,
        *DECLARED_POSITIVE,
        NP103_SORT_KEY,
        NP103_UNION,
        NP103_OPTION_LIST_COMMAND,
        NP103_OWN_LIST_ROWS,
        NP103_NARROWED_ALIAS,
    ]
    negative = [
        *NP103_MANAGER_NEGATIVE,  # the related model's default manager select_related()s what the rows read
        # a bare select_related() follows every non-null foreign key and theirs: the item's invoice and that invoice's
        # client come in the same query (pydici's risk report, judged false)
        {"billing/models.py": DJANGO_MODELS, "billing/report.py": '''
from .models import InvoiceItem


def item_clients():
    return [(item.amount, item.invoice.client.name) for item in InvoiceItem.objects.select_related()]
'''},
        # the related rows bound to a name only ever used as an `__in` lookup's value: a subquery of the query built
        # after the loop, never loaded by itself (Squad's metric thresholds, judged false)
        {"billing/models.py": DJANGO_MODELS, "billing/report.py": '''
from django.db.models import Q
from .models import InvoiceItem


def items_of_same_clients(minimum):
    where = Q()
    for item in InvoiceItem.objects.filter(invoice__total__gte=minimum).select_related("invoice__client"):
        invoices = item.invoice.client.invoices.all() if item.amount else [item.invoice]
        where |= Q(invoice__in=invoices)
    return InvoiceItem.objects.filter(where)
'''},
        {"billing/models.py": DJANGO_MODELS, "billing/views.py": '''
from .models import Invoice
def unpaid():
    return [(inv.client.name, inv.total) for inv in Invoice.objects.select_related("client")]
'''},
        # a loop whose body leaves on every path: the first row only (Packit's status handler)
        {"billing/models.py": DJANGO_MODELS, "billing/status.py": '''
from .models import Invoice


def report_first(status):
    for inv in Invoice.objects.filter(total__gt=0):
        if inv.client.state == status:
            return "already reported"
        return f"reported for {inv.client.name}"
    return "nothing to report"
'''},
        # a property that stores its answer in the row's own column and saves it: a query once per row ever
        {"billing/__init__.py": "", "billing/models.py": '''
from django.db import models


class Invoice(models.Model):
    _paid_on = models.DateField(null=True)

    @property
    def paid_on(self):
        if self._paid_on is not None:
            return self._paid_on
        last = self.payments.order_by("-created").first()
        if last:
            self._paid_on = last.created
            self.save()
        return self._paid_on


class Payment(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="payments")
    created = models.DateField()
''', "billing/views.py": '''
from .models import Invoice


def paid_dates():
    return [inv.paid_on for inv in Invoice.objects.all()]
'''},
        # the lookups a class keeps in an annotated attribute (`fields: Tuple[str, ...] = (...)`), spelled with `*`
        {"billing/models.py": DJANGO_MODELS, "billing/export.py": '''
from typing import Tuple
from .models import Invoice
class ClientColumn:
    fields: Tuple[str, ...] = ("client",)

    def __init__(self):
        self.names = {}
        for inv in Invoice.objects.filter(total__gt=0).select_related(*self.fields):
            self.names[inv.pk] = inv.client.name
'''},
        {"billing/models.py": DJANGO_MODELS, "billing/views.py": '''
from .models import Client
def per_client():
    for client in Client.objects.prefetch_related("invoices__items"):
        for inv in client.invoices.all():
            print(sum(i.amount for i in inv.items.all()))
'''},
        {"billing/models.py": DJANGO_MODELS, "billing/views.py": '''
from .models import Invoice
def ids():
    return [inv.client_id for inv in Invoice.objects.all()]
'''},
        *NP103_NEGATIVE,
        *NP103_LEAN_FIELDS_NEGATIVE,
        *NP103_ANSWERED_NEGATIVE,
        *NP103_CARRIED_NEGATIVE,
        # django-auto-prefetch's ForeignKey loads the relation for every row fetched together (GovReady, round 102)
        NP103_AUTO_PREFETCH,
        *NP103_LISTED_NEGATIVE,
        *NP103_CONTEXT_NEGATIVE,
        *NP103_CLASS_PREFETCH_NEGATIVE,
        NP103_WRITTEN_THEN_READ_NEGATIVE,
        *NP103_DEFAULT_FIELDS_NEGATIVE,
        *NP103_ORDERED_FIRST_NEGATIVE,
        *NP103_MANY_INIT_NEGATIVE,
        *CUSTOM_METHOD_NEGATIVE,
        *NP103_LAZY_NEGATIVE,
        *NP103_HELPER_NEGATIVE,
        *JSONAPI_NEGATIVE,
        *UNLOADED_NEGATIVE,
        *NP103_PATH_NEGATIVE,
        *NP103_MEMO_NEGATIVE,
        *DRF_NEGATIVE,
        *DECLARED_NEGATIVE,
        NP103_CREATE_SERIALIZER,
        NP103_CUSTOM_ACTION_ONLY,
        NP103_MATCH_THEN_RETURN,
    ]


class SqlalchemyLazyLoadInLoop(StaticRule):
    id = "NP104"
    name = "sqlalchemy-lazy-load-in-loop"
    title = "SQLAlchemy lazy load in a loop"
    severity = Severity.high
    what = ("Flags a `relationship()` attribute with a lazy loader (the default `lazy=\"select\"`, or `dynamic`) used on the "
            "rows of a `select()` / `session.query()` inside a loop when the statement lacks `joinedload`, `selectinload`, "
            "`subqueryload` or `contains_eager` for it.")
    why = "Each first access to a lazy relationship emits a SELECT for that one row: the classic N+1 of SQLAlchemy."
    example = '''
for inv in session.scalars(select(Invoice)):
    print(inv.client.name)              # one SELECT per invoice
'''
    fix = "Add a loader option to the statement: `.options(joinedload(Invoice.client))` (many-to-one) or `.options(selectinload(Client.invoices))` (collections)."
    positive = [
        # a many-to-one the other side declares with `backref=`, whose key column is named for the table, not the
        # relation (`tech_id`): once per distinct parent, as the message says (Security Monkey's items, round 70)
        {"shop/__init__.py": "", "shop/models.py": '''
from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import DeclarativeBase, relationship


class Base(DeclarativeBase):
    pass


class TaxRegime(Base):
    __tablename__ = "tax_regime"
    id = Column(Integer, primary_key=True)
    name = Column(String)
    invoices = relationship("Invoice", backref="regime")


class Invoice(Base):
    __tablename__ = "invoice"
    id = Column(Integer, primary_key=True)
    regime_code = Column(Integer, ForeignKey("tax_regime.id"))
''', "shop/report.py": '''
from sqlalchemy import select
from .models import Invoice


def regimes(session):
    return [inv.regime.name for inv in session.scalars(select(Invoice))]
'''},
        {"shop/models.py": SQLA_MODELS, "shop/report.py": '''
from sqlalchemy import select
from sqlalchemy.orm import Session
from .models import Invoice
def names(session: Session):
    return [inv.client.id for inv in session.scalars(select(Invoice))]
'''},
        {"shop/models.py": SQLA_MODELS, "shop/report.py": '''
from sqlalchemy import select
from .models import Client
def counts(session):
    stmt = select(Client).where(Client.id > 0)
    for client in session.execute(stmt).scalars():
        print(len(client.invoices))
'''},
        *NP104_POSITIVE,
        *NP104_ONE_OFF_POSITIVE,
        *NP104_BACKGROUND_POSITIVE,
        *STAFF_POSITIVE["NP104"],
        *NP104_HELPER_POSITIVE,
        *NP104_ONE_PARENT_POSITIVE,
        *NP104_WARMED_LOWERED,  # (found at low: the rows loaded before serve most lazy loads)
        *NP104_NOT_WARMED_KEPT,
        *NP104_COMMIT_EACH_LOWERED,  # (found at low: the commit per pass is the cost to fix first)
        *NP104_COMMIT_ONCE_KEPT,
        *NP104_ASYNC_LOWERED,  # (found at low: an unloaded read raises on the asyncio session, so working code has it loaded)
        *NP104_ASYNC_KEPT,
    ]
    negative = [
        # a plain class that shares a model's name (Octavia's `data_models.Listener` beside `db.models.Listener`, round
        # 57: judged NOTQUERY): its attributes are what its constructor was given, no relationship lazy-loads
        books_app(**{"books/domain.py": '''
class Client:
    def __init__(self, invoices):
        self.invoices = invoices

    def typed_totals(self):
        return [(inv.invoice_type, inv.total) for inv in self.invoices]
'''}),
        # rows of columns (`with_entities(...)`): `row.creator` is whatever column the tuple holds, nothing lazy-loads
        # (IRIS's `member.user`, a username column: round 54, judged NOTQUERY 5 times)
        books_app(**{"books/report.py": '''
from .models import Invoice, User


def creators():
    rows = Invoice.query.with_entities(Invoice.id, User.name).join(Invoice.creator).all()
    return {row.id: row.creator for row in rows}
'''}),
        {"shop/models.py": SQLA_MODELS, "shop/report.py": '''
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from .models import Invoice
def names(session):
    return [inv.client.id for inv in session.scalars(select(Invoice).options(joinedload(Invoice.client)))]
'''},
        {"shop/models.py": SQLA_MODELS, "shop/report.py": '''
from sqlalchemy import select
from .models import Invoice
def item_counts(session):
    return [len(inv.items) for inv in session.scalars(select(Invoice))]
'''},
        # the helper returns one row (`.one()`), so the list branch over its answer never runs
        {"shop/models.py": SQLA_MODELS, "shop/report.py": '''
from sqlalchemy.orm import Session
from .models import Client
def get_client(session: Session, client_id):
    return session.query(Client).filter_by(id=client_id).one()
def client_json(session, client_id):
    found = get_client(session, client_id)
    return [len(c.invoices) for c in found] if isinstance(found, list) else len(found.invoices)
'''},
        *NP104_NEGATIVE,
        *NP104_ONE_OFF_NEGATIVE,
        *NP104_HELPER_NEGATIVE,
        *NP104_ONE_PARENT_NEGATIVE,
    ]


class RemoteCallInLoop(StaticRule):
    id = "NP105"
    name = "remote-call-in-loop"
    title = "Remote call in a loop"
    severity = Severity.high
    what = ("Finds an HTTP call (requests, httpx, urllib, aiohttp, or a client object of these) made once per item of a "
            "loop, directly or through project functions; in async code, awaits that run one after another.")
    why = ("A remote call costs tens to hundreds of milliseconds. Per item, sequentially, 1,000 clients times three ERP "
           "and bank calls is minutes of waiting that could overlap or be one batch request.")
    example = '''
for client_id in client_ids:
    data = requests.get(f"{ERP}/clients/{client_id}", timeout=5).json()
'''
    fix = ("Use the API's batch endpoint if it has one; otherwise overlap the calls with a bound: `asyncio.gather` under an "
           "`asyncio.Semaphore`, or `ThreadPoolExecutor(max_workers=N)` for blocking clients, with per-call timeouts.")
    positive = [
        {"app.py": NP105_PAIR_KEY_MATCH},
        NP105_COUNTED_POSITIVE,
        *NP105_BACKGROUND_POSITIVE,
        '''
import requests
def fetch_all(client_ids):
    return [requests.get(f"https://erp.example/clients/{c}", timeout=5).json() for c in client_ids]
''',
        '''
import httpx
async def statements(account_ids):
    async with httpx.AsyncClient() as client:
        out = []
        for a in account_ids:
            out.append((await client.get(f"/accounts/{a}/statement")).json())
        return out
''',
        {"erp/calima.py": '''
import requests
def fetch_client(client_id):
    return requests.get(f"https://calima.example/api/clients/{client_id}", timeout=10).json()
''', "erp/sync.py": '''
from erp.calima import fetch_client
def sync(ids):
    for i in ids:
        store(fetch_client(i))
def store(data):
    pass
'''},
        # through a method a rate limit decorates: `low`, saying so (onyx's connectors, round 100)
        NP105_RATE_LIMITED,
    ]
    negative = [
        NP105_RETRY_COUNTDOWN_NEGATIVE,
        # tenacity's retry iterator: the same call tried again, not a call per item (Tracecat's audit sink, round 51)
        '''
import httpx
from tenacity import AsyncRetrying, stop_after_attempt


async def send(client: httpx.AsyncClient, event):
    async for attempt in AsyncRetrying(stop=stop_after_attempt(3)):
        with attempt:
            await client.post("https://audit.example/events", json=event)
''',
        # the class's two fallback endpoints, read through `cls` in a classmethod: a loop over a literal pair (NEMO's
        # interlocks, judged false)
        '''
import requests


class BankFeed:
    endpoints = ["statements/v2", "statements"]

    @classmethod
    def statement(cls, base, account):
        for endpoint in cls.endpoints:
            response = requests.get(f"{base}/{endpoint}/{account}", timeout=5)
            if response.ok:
                return response.json()
        return None
''',
        # a retry loop bounded by the client's attempts: the same request again only when the last one failed
        '''
import time
import requests
class ErpClient:
    connection_attempts = 3

    def send(self, params):
        for i in range(1, self.connection_attempts + 1):
            try:
                response = requests.request(**params)
                if response.status_code == 401 and i < self.connection_attempts:
                    params["auth"] = self.login()
                    continue
                return response
            except requests.exceptions.ConnectionError:
                time.sleep(5)
        raise RuntimeError("ERP unreachable")

    def login(self):
        return ("erp", "secret")
''',
        # a mutable default filled on the first call and handed back after: a cache for the process (LITE's bank holidays,
        # round 84: judged CACHED four times)
        '''
import requests


def bank_holidays(data=[]):
    if data:
        return data
    for event in requests.get("https://www.gov.uk/bank-holidays.json", timeout=5).json()["events"]:
        data.append(event["date"])
    return data


def due_dates(invoices):
    return [(invoice, invoice["due"] in bank_holidays()) for invoice in invoices]
''',
        # a back-off over delays: each iteration sleeps and tries again until one attempt succeeds (Zaqar's webhook
        # delivery, round 80: batching or hoisting the attempt was judged WRONGFIX)
        '''
import time
import requests


def post_ok(url, payload):
    return requests.post(url, json=payload, timeout=5).ok


def deliver(url, payload, delays):
    if post_ok(url, payload):
        return True
    for delay in delays:
        time.sleep(delay)
        if post_ok(url, payload):
            return True
    return False
''',
        # the peers a deployment configures, read through the project's own configuration helper
        '''
import requests
class Forwarder:
    def get_config(self, key, default=None):
        return default

    def forward(self, alert):
        for peer in self.get_config("FORWARD_DESTINATIONS", default=[]):
            requests.post(f"{peer}/alert", json=alert, timeout=5)
''',
        '''
import requests
def fetch_pages(url):
    out = []
    while url:
        resp = requests.get(url, timeout=5).json()
        out.extend(resp["results"])
        url = resp["next"]
    return out
''',
        '''
import asyncio, httpx
async def statements(account_ids):
    sem = asyncio.Semaphore(10)
    async with httpx.AsyncClient() as client:
        async def one(a):
            async with sem:
                return (await client.get(f"/accounts/{a}/statement")).json()
        return await asyncio.gather(*(one(a) for a in account_ids))
''',
        '''
import requests
def health():
    for url in ("https://a.example/health", "https://b.example/health"):
        requests.get(url, timeout=2)
''',
        # the pages of one listing, each asked for after the last (onyx's Docker Hub tags, round 100), and steps of one
        # chain, each taking the last answer (Skyvern's folder path and redirects, round 102)
        NP105_PAGES,
        NP105_CHAINED_STEPS,
        # the branch for the one folder whose full name matches (Cinder's Nimble driver, round 104)
        NP105_ONE_MATCH,
        {"app.py": NP105_DICT_KEY_MATCH},
    ]


class QuerysetEvaluatedTwice(StaticRule):
    id = "NP106"
    name = "queryset-evaluated-twice"
    title = "Queryset evaluated twice"
    severity = Severity.medium
    what = ("Flags a Django queryset held in a variable on which `.count()` or `.exists()` is called before the same "
            "queryset is iterated, listed or measured with `len()`.")
    why = ("`count()` and `exists()` each run their own query when the rows are not fetched yet, and fetching the rows "
           "runs another: two round trips where the rows alone answer both. One extra query per call is `low` (on real "
           "applications, 0 of 20 judged were worth a fix); inside a loop it is one per item, `medium`.")
    example = '''
invoices = Invoice.objects.filter(status="open")
if invoices.count() > 0:            # one query
    for inv in invoices:            # and another
        send(inv)
'''
    fix = ("Fetch once: `rows = list(invoices)` and use `len(rows)` / `if rows:`; or fetch first and call `count()` "
           "afterwards, which Django answers from the result cache. Keep `count()` alone when the rows are not needed.")
    positive = [
        {"billing/models.py": DJANGO_MODELS, "billing/mail.py": '''
from .models import Invoice
def remind():
    invoices = Invoice.objects.filter(total__gt=0)
    if invoices.exists():
        return [inv.total for inv in invoices]
    return []
'''},
    ]
    negative = [
        {"billing/models.py": DJANGO_MODELS, "billing/mail.py": '''
from .models import Invoice
def remind():
    invoices = list(Invoice.objects.filter(total__gt=0))
    return len(invoices), [inv.total for inv in invoices]
'''},
        {"billing/models.py": DJANGO_MODELS, "billing/mail.py": '''
from .models import Invoice
def total_open():
    invoices = Invoice.objects.filter(total__gt=0)
    rows = [inv.total for inv in invoices]
    return invoices.count(), rows
'''},
        {"billing/models.py": DJANGO_MODELS, "billing/mail.py": '''
from .models import Invoice
def how_many():
    return Invoice.objects.filter(total__gt=0).count()
'''},
    ]


class DjangoTemplateRelationInLoop(StaticRule):
    id = "NP107"
    name = "django-template-relation-in-loop"
    title = "Django template reads a relation per row"
    severity = Severity.high
    what = ("Reads the project's Django templates (files below a `templates/` folder) and binds each to the views that "
            "render it: `render()`, `TemplateResponse`, `render_to_string`, `get_template().render()` with a context dict "
            "(literal, `dict(...)`, or a variable filled with `context[\"x\"] = qs`), and class-based views' `template_name` "
            "(or the default `<app>/<model>_list.html` / `_detail.html`) with `model` / `queryset` / `get_queryset()`, "
            "`get_context_data()` and the context names `object_list`, `<model>_list`, `context_object_name`, `object`. "
            "It follows `{% for %}` (nested, and over `object.items.all`), `{% with %}`, `{% include %}` (the row handed to "
            "the included template) and `{% extends %}`, and flags a relation read per row (`{{ inv.client.name }}`, "
            "`inv.items.all`, `.count`) that the view's queryset does not load. The finding is at the template's line, with "
            "the render call and the queryset as evidence; the fix goes on the view's queryset.")
    why = ("In a Django project most N+1s live in templates, where no Python loop shows them: a list page of 50 invoices "
           "that prints each client's name runs 51 queries.")
    example_lang = "django"
    example = '''
{# views.py: render(request, "billing/invoices.html", {"invoices": Invoice.objects.all()}) #}
{% for inv in invoices %}
  {{ inv.client.name }}                {# one query per invoice #}
{% endfor %}
'''
    fix = ('Add the exact lookup to the queryset the view puts in the context: `.select_related("client")` for to-one '
           'relations, `.prefetch_related("items")` for to-many ones; the template stays as it is. When the project '
           'declares Django 6.1 or newer, `.fetch_mode(models.FETCH_PEERS)` on that queryset is offered beside it for '
           'to-one relations (and counts as loading them).')
    positive = [*with_models(DJANGO_MODELS, TEMPLATE_POSITIVE), CUSTOM_METHOD_POSITIVE, *STAFF_POSITIVE["NP107"], *NP107_HANDED_POSITIVE,
                NP107_PRINTED_POSITIVE]
    negative = [*with_models(DJANGO_MODELS, TEMPLATE_NEGATIVE), *CUSTOM_METHOD_NEGATIVE, *NP107_HANDED_NEGATIVE]

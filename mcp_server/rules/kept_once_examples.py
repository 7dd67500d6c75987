"""Rounds 199 to 204: what runs once where it looked per item, and code that looked used.

- an engine made once behind `if not self.is_connected():` (Tux's database service: 2 PF502 judged CACHED);
- a QuerySet method called on a query bound to a name keeps its eager loading (Metaculus' comments: 2 NP103 PREFETCHED);
- a project decorator that only wraps registers nothing (Makerspace Leiden's terminal views: 3 DEAD);
- a SQLAlchemy row's many-to-one back to the object whose collection the loop walks (cubers.io: 1 NP104 CACHED);
- a write on a miss of the dict the loop fills (Colossus' subscriber import: 1 PF201 CACHED);
- a comment above the function saying it is not used (Ultimate Poll Bot's priority results: 1 DEAD).
"""

# PF502: the engine and its pool are made on the first call; later ones reuse them
_SERVICE = '''from sqlalchemy import text
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from ledger.settings import DATABASE_URL


class Database:
    def __init__(self):
        self._engine = None
        self._sessions = None

    def is_connected(self):
        return self._engine is not None

    async def connect(self, url):
        self._engine = create_async_engine(url)
        self._sessions = async_sessionmaker(self._engine)

    async def session(self):
        if not self.is_connected() or not self._sessions:
            await self.connect(DATABASE_URL)
        return self._sessions()


db = Database()


async def count_rows(table):
    async with await db.session() as session:
        result = await session.execute(text("SELECT count(*) FROM invoice WHERE ledger = :t"), {"t": table})
        return result.scalar()


async def check_ledgers(ledgers):
    counts = {}
    for ledger in ledgers:
        counts[ledger] = await count_rows(ledger)
    return counts
'''
PF502_CONNECTED_ONCE = {"ledger/__init__.py": "", "ledger/settings.py": 'DATABASE_URL = "sqlite+aiosqlite:///ledger.db"\n',
                        "ledger/service.py": _SERVICE}
# the same service asking nothing first: a new engine, and a new pool, per ledger
PF502_CONNECTED_EVERY_TIME = {**PF502_CONNECTED_ONCE, "ledger/service.py": _SERVICE.replace(
    "        if not self.is_connected() or not self._sessions:\n            await self.connect(DATABASE_URL)\n",
    "        await self.connect(DATABASE_URL)\n")}

# NP103: `qs.with_totals()`, a method of the model's QuerySet, runs on `qs`: its select_related("client") stays
_BILLING_MODELS = '''from django.db import models
from django.db.models import Sum


class Client(models.Model):
    name = models.CharField(max_length=100)


class InvoiceQuerySet(models.QuerySet):
    def with_totals(self):
        self = self.annotate(paid=Sum("payments__amount"))
        return self


class Invoice(models.Model):
    client = models.ForeignKey(Client, on_delete=models.CASCADE)
    number = models.CharField(max_length=20)

    objects = InvoiceQuerySet.as_manager()


class Payment(models.Model):
    invoice = models.ForeignKey(Invoice, related_name="payments", on_delete=models.CASCADE)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
'''
_BILLING_VIEWS = '''from django.http import JsonResponse

from billing.models import Invoice


def open_invoices(request):
    qs = Invoice.objects.filter(number__startswith=request.GET["series"]){loads}
    qs = qs.with_totals()
    rows = list(qs.all())
    return JsonResponse({{"clients": [invoice.client.name for invoice in rows]}})
'''
_URLS = '''from django.urls import path

from billing import views

urlpatterns = [path("open/", views.open_invoices)]
'''


def _billing(loads: str) -> dict[str, str]:
    return {"manage.py": "", "billing/__init__.py": "", "billing/models.py": _BILLING_MODELS, "billing/urls.py": _URLS,
            "billing/views.py": _BILLING_VIEWS.format(loads=loads)}


NP103_QUERYSET_METHOD_KEEPS_LOADS = _billing('.select_related("client")')
NP103_QUERYSET_METHOD_NOTHING_LOADED = _billing("")

# NP101: views behind the project's own `@terminal_required`, which only wraps; the URL configuration routes one of them
_DECORATORS = '''from functools import wraps

from django.http import HttpResponse


def terminal_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if "X-Terminal" not in request.headers:
            return HttpResponse("no terminal", status=400)
        return view(request, *args, **kwargs)

    return wrapper


def registered(view):
    REGISTRY.append(view)
    return view


REGISTRY = []
'''
_TERMINAL_VIEWS = '''from django.http import JsonResponse

from billing.models import Client, Invoice
from terminal.decorators import {decorator}


@{decorator}
def open_counts(request):
    return JsonResponse({{c.name: Invoice.objects.filter(client=c).count() for c in Client.objects.all()}})


@{decorator}
def old_open_counts(request):
    return JsonResponse({{c.name: Invoice.objects.filter(client=c).count() for c in Client.objects.all()}})
'''
_TERMINAL_URLS = '''from django.urls import path

from terminal import views

urlpatterns = [path("counts/", views.open_counts)]
'''


def _terminal(decorator: str) -> dict[str, str]:
    return {**_billing('.select_related("client")'), "terminal/__init__.py": "", "terminal/decorators.py": _DECORATORS,
            "terminal/views.py": _TERMINAL_VIEWS.format(decorator=decorator), "terminal/urls.py": _TERMINAL_URLS}


NP101_WRAPPED_VIEW_UNROUTED = _terminal("terminal_required")  # old_open_counts: low, nothing routes it
NP101_REGISTERED_VIEW = _terminal("registered")  # a decorator that keeps the view: both stay listed

# NP104: each payment's `invoice` is the invoice whose `payments` the loop walks, held by the session
_SQLA_MODELS = '''from sqlalchemy import ForeignKey, Numeric, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class Invoice(Base):
    __tablename__ = "invoice"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20))
    payments = relationship("Payment")


class Payment(Base):
    __tablename__ = "payment"
    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoice.id"))
    amount = mapped_column(Numeric(12, 2))
    invoice = relationship("Invoice")
{more}'''
_SQLA_REPORT = '''from sqlalchemy import select

from books.models import Invoice


def receipts(session):
    lines = []
    for invoice in session.scalars(select(Invoice).where(Invoice.number.like("2026-%"))).all():
        for payment in invoice.payments:
            lines.append(f"{{payment.{attr}.number}}: {{payment.amount}}")
    return lines
'''
_REFUND = '''    refunded_from_id: Mapped[int] = mapped_column(ForeignKey("invoice.id"), nullable=True)
'''


def _books(more: str = "", attr: str = "invoice") -> dict[str, str]:
    return {"books/__init__.py": "", "books/models.py": _SQLA_MODELS.format(more=more),
            "books/report.py": _SQLA_REPORT.format(attr=attr)}


NP104_PARENT_IN_SESSION = _books()  # only invoice.payments is lazy-loaded per invoice: payment.invoice is the invoice
NP104_TWO_KEYS_TO_PARENT = _books(_REFUND)  # two foreign keys to invoice: which one `invoice` follows is not known

# PF201: a domain is created once per distinct name, on a miss of the dict the import fills
_IMPORT = '''import csv

from billing.models import Client, Domain


def import_clients(path):
    domains = {{}}
    with open(path) as f:
        for row in csv.DictReader(f):
            name = row["email"].rsplit("@", 1)[1]
{lookup}
            yield Client(name=row["name"], domain=domain)
'''
_TRIED = '''            try:
                domain = domains[name]
            except KeyError:
                domain, _ = Domain.objects.get_or_create(name=name)
                domains[name] = domain'''
_ASKED = '''            if name not in domains:
                domain, _ = Domain.objects.get_or_create(name=name)
                domains[name] = domain
            domain = domains[name]'''
_UPLOAD_VIEW = '''from django.http import JsonResponse

from billing.imports import import_clients


def upload(request):
    return JsonResponse({"clients": len(list(import_clients(request.GET["path"])))})
'''
_UNKEPT = '''            domain, _ = Domain.objects.get_or_create(name=name)'''


def _clients(lookup: str) -> dict[str, str]:
    models = _BILLING_MODELS + '''

class Domain(models.Model):
    name = models.CharField(max_length=100, unique=True)
'''
    return {"manage.py": "", "billing/__init__.py": "", "billing/models.py": models,
            "billing/imports.py": _IMPORT.format(lookup=lookup),
            "billing/views.py": _UPLOAD_VIEW, "billing/urls.py": _URLS.replace("open_invoices", "upload")}


PF201_WRITTEN_ON_A_MISS = [_clients(_TRIED), _clients(_ASKED)]
PF201_WRITTEN_PER_ROW = _clients(_UNKEPT)

# NP101: the comment above says nothing uses the function any more
_REPORTS = '''from billing.models import Client, Invoice


{comment}def client_counts():
    return {{c.name: Invoice.objects.filter(client=c).count() for c in Client.objects.all()}}
'''
NP101_SAID_UNUSED = {**_billing('.select_related("client")'),
                     "billing/reports.py": _REPORTS.format(comment="# this is not used at the moment, kept for the next release\n"),
                     "billing/tasks.py": "from billing.reports import client_counts\n\n\ndef nightly():\n    return client_counts()\n"}
NP101_SAID_USED = {**NP101_SAID_UNUSED, "billing/reports.py": _REPORTS.format(comment="# used by the nightly task\n")}

# NP102 (serializer): a list that pages its rows, and serialises them whole only when no paginator is set: one problem,
# reported once, at the page's loop
_CLIENT_SERIALIZER = '''from rest_framework import serializers

from billing.models import Client, Invoice


class ClientSerializer(serializers.ModelSerializer):
    open_invoices = serializers.SerializerMethodField()

    class Meta:
        model = Client
        fields = ["id", "name", "open_invoices"]

    def get_open_invoices(self, client):
        return Invoice.objects.filter(client=client).count()
'''
_CLIENT_LIST = '''from rest_framework.response import Response
from rest_framework.views import APIView

from billing.models import Client
from billing.serializers import ClientSerializer


class ClientList(APIView):
    def get(self, request):
        queryset = Client.objects.order_by("name")
        page = self.paginate_queryset(queryset)
        if page is not None:
            serializer = ClientSerializer(page, many=True)
            return self.get_paginated_response(serializer.data)
        serializer = ClientSerializer({rows}, many=True)
        return Response(serializer.data)
'''
_CLIENT_URLS = '''from django.urls import path

from billing.api import ClientList

urlpatterns = [path("clients/", ClientList.as_view())]
'''


def _client_list(rows: str) -> dict[str, str]:
    return {**_billing(""), "billing/serializers.py": _CLIENT_SERIALIZER, "billing/api.py": _CLIENT_LIST.format(rows=rows),
            "billing/urls.py": _CLIENT_URLS}


NP102_PAGED_AND_FALLBACK = _client_list("queryset")  # one finding: the page's loop (line 13)
NP102_TWO_LISTS = _client_list("Client.objects.all()")  # the second loop serialises other rows than the page's: two findings

# NP101 and PF401: caches a bot fills from whole tables as their modules load; the same loader also called per request
_BANS = '''from bot.db import SESSION
from bot.models import Ban, Chat

BANNED = set()
CHAT_TITLES = {{}}


def _load_bans():
    global BANNED
    BANNED = {{ban.user_id for ban in SESSION.query(Ban).all()}}
    for chat in SESSION.query(Chat).filter(Chat.active.is_(True)):
        CHAT_TITLES[chat.id] = SESSION.query(Chat).get(chat.parent_id).title


_load_bans()
{more}'''
_BOT = '''from bot import bans


def is_banned(user_id):
    return user_id in bans.BANNED
'''
_BOT_MODELS = '''from sqlalchemy import Boolean, Column, Integer, String
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class Ban(Base):
    __tablename__ = "ban"
    user_id = Column(Integer, primary_key=True)


class Chat(Base):
    __tablename__ = "chat"
    id = Column(Integer, primary_key=True)
    parent_id = Column(Integer)
    title = Column(String(100))
    active = Column(Boolean)
'''


def _bot(more: str = "", imported: bool = True) -> dict[str, str]:
    files = {"bot/__init__.py": "", "bot/db.py": "SESSION = None\n", "bot/models.py": _BOT_MODELS, "bot/bans.py": _BANS.format(more=more)}
    return {**files, "bot/handlers.py": _BOT} if imported else files


NP101_LOADED_AT_IMPORT = _bot()  # NP101 and PF401 at low: the module's top level, once as other code imports it
# kept: the loader also runs on each refresh command; a module nothing imports (a script: its run is the job)
NP101_RELOADED_ON_COMMAND = _bot("\n\ndef refresh(update):\n    _load_bans()\n")
NP101_SCRIPT_TOP_LEVEL = _bot(imported=False)

"""Rounds 217 to 228: what the module keeps, what the caller hands in, and URL configurations nothing includes.

- an engine and a session factory kept in module globals, made by the module's `init()` the first time they are asked
  for (`if _sessionmaker is None: init()`, `_engine if _engine is not None else init()`): volunteerdb's database
  module, 9 PF502 judged false;
- a keyword-only parameter whose default is a sentinel (`existing=_UNSET`), tested before the lookup: a caller that
  passes it never queries (volunteerdb's importer, which hands in the membership it loaded before the loop: 1 NP102
  judged PREFETCHED);
- a URL configuration that only an unincluded one includes (ksg-nett's `internal.urls` -> `quotes.urls`): its views,
  and the templates they render, are reached by no request (5 NP107 judged DEAD);
- a fifth of a count named `total_products` is no money (POS desktop's low performers: 1 PF701 judged false);
- a lookup whose rows the loop's writes change, through a relation it filters by (POS desktop's Stripe sync: 1 PF301
  judged WRONGFIX);
- Django apps the settings install under the package the repository's root is (`regluit.frontend` for `frontend/`),
  and a root URL configuration only a framework names (Evennia's `web.urls`): both served;
- Render's blueprint (`render.yaml`) deploys a service, which makes it an application whose uncalled functions are
  unused (Workmate's CSV imports, 3 judged DEAD in round 211);
- a write on one position of an enumerated loop (`if line_i == 1:`, majora's QC loader, round 225: 1 PF201 false);
- a viewset whose `list()` sets `self.serializer_class` (Saskatoon, round 227: 4 findings of the detail serializer false);
- a comment above the queryset saying not to eager-load the relation (Fight Health Insurance, round 224: 1 WRONGFIX);
- a memo dict the caller hands in (docassemble's chat log, round 228: 2 CACHED);
- rows a dict comprehension keeps whole stay in the session (Chellow's MDD import, round 229: 1 PREFETCHED);
- a manager handed to a wrapper (`objects = money_manager(InvoiceManager())`) keeps its prefetches (Cerberus, round
  233: 2 PREFETCHED);
- energy summed in kWh is no money (MyElectricalData's sensors, round 229: 2 PF701 false);
- a helper's queryset bound and bound again by the next line, unread (Civic Tech Exchange's tag counts: 1 NP102 judged
  NOTQUERY there through a row's method, which this does not yet follow; a helper called with the row, it does).
"""

# PF502: the engine is made once per process, by the module function the accessors call while the globals are empty
_DB = '''from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

_engine = None
_sessionmaker = None


def init(url="sqlite+aiosqlite:///ledger.db"):
    global _engine, _sessionmaker
    _engine = create_async_engine(url)
    _sessionmaker = async_sessionmaker(_engine)
    return _engine


def engine():
    return _engine if _engine is not None else init()


def sessionmaker():
    if _sessionmaker is None:
        init()
    return _sessionmaker
'''
_JOBS = '''from sqlalchemy import text

from ledger.db import engine, sessionmaker


async def stamp(event_id):
    async with sessionmaker()() as session:
        await session.execute(text("UPDATE event SET synced = 1 WHERE id = :id"), {"id": event_id})
        await session.commit()


async def lock(name):
    async with engine().connect() as conn:
        await conn.execute(text("SELECT pg_advisory_lock(hashtext(:n))"), {"n": name})


async def sync(events, jobs):
    for event in events:
        await stamp(event.id)
    for job in jobs:
        await lock(job)
'''
PF502_GLOBAL_MADE_BY_INIT = {"ledger/__init__.py": "", "ledger/db.py": _DB, "ledger/jobs.py": _JOBS}
# the same accessors without the test: a new engine, and a new pool, on every call
PF502_GLOBAL_MADE_EVERY_CALL = {**PF502_GLOBAL_MADE_BY_INIT, "ledger/db.py": _DB.replace(
    "    return _engine if _engine is not None else init()\n", "    return init()\n").replace(
    "    if _sessionmaker is None:\n        init()\n", "    init()\n")}

# NP102: `existing` is looked up only when the caller leaves it at its sentinel default
_MEMBERS = '''from sqlalchemy import select

from clubs.models import Membership

_UNSET = object()


def find(session, member_id, team_id):
    return session.scalars(select(Membership).where(Membership.member_id == member_id, Membership.team_id == team_id)).first()


def assign(session, member_id, team_id, role, *, existing=_UNSET):
    membership = find(session, member_id, team_id) if existing is _UNSET else existing
    if membership is None:
        membership = Membership(member_id=member_id, team_id=team_id)
        session.add(membership)
    membership.role = role
    return membership
'''
_IMPORTER = '''from sqlalchemy import select

from clubs.members import assign
from clubs.models import Membership


def import_roster(session, rows):
    by_pair = {(m.member_id, m.team_id): m for m in session.scalars(select(Membership))}
    for row in rows:
        assign(session, row.member_id, row.team_id, row.role, existing=by_pair.get((row.member_id, row.team_id)))


def promote_all(session, rows):
    for row in rows:
        assign(session, row.member_id, row.team_id, "lead")
'''
# the declarative base the SQLAlchemy examples below share
_SQLA_BASE = '''from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass
'''
_CLUB_MODELS = _SQLA_BASE + '''

class Membership(Base):
    __tablename__ = "membership"
    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int]
    team_id: Mapped[int]
    role: Mapped[str]
'''
# line 10 hands in what it loaded (no finding), line 15 leaves it out (a lookup per row)
NP102_SENTINEL_HANDED_IN = {"clubs/__init__.py": "", "clubs/models.py": _CLUB_MODELS, "clubs/members.py": _MEMBERS,
                            "clubs/importer.py": _IMPORTER}

# NP107: quotes.urls is included only by internal.urls, which the root URL configuration leaves out
_QUOTE_MODELS = '''from django.db import models


class Author(models.Model):
    name = models.CharField(max_length=80)


class Quote(models.Model):
    author = models.ForeignKey(Author, on_delete=models.CASCADE)
    text = models.TextField()
'''
_QUOTE_VIEWS = '''from django.shortcuts import render

from quotes.models import Quote


def quotes_list(request):
    return render(request, "quotes/list.html", {"quotes": Quote.objects.order_by("-id")})
'''
_QUOTE_TEMPLATE = '''<ul>
{% for quote in quotes %}
  <li>{{ quote.text }} ({{ quote.author.name }})</li>
{% endfor %}
</ul>
'''
_QUOTES_APP = {"quotes/__init__.py": "", "quotes/models.py": _QUOTE_MODELS, "quotes/views.py": _QUOTE_VIEWS,
               "quotes/templates/quotes/list.html": _QUOTE_TEMPLATE}
_QUOTES_URLS = 'from django.urls import path\n\nfrom {views} import views\n\nurlpatterns = [path("", views.quotes_list)]\n'
_ROOT_URLS = '''from django.urls import include, path

urlpatterns = [
    path("", include("common.urls")),
]
'''
NP107_INCLUDED_BY_UNWIRED_URLS = {
    "manage.py": "", "site/__init__.py": "", "site/settings.py": 'ROOT_URLCONF = "site.urls"\nINSTALLED_APPS = ["common", "internal", "quotes"]\n',
    "site/urls.py": _ROOT_URLS,
    "common/__init__.py": "", "common/models.py": "", "common/urls.py": "urlpatterns = []\n",
    "internal/__init__.py": "", "internal/models.py": "",
    "internal/urls.py": 'from django.urls import include, path\n\nurlpatterns = [path("quotes/", include("quotes.urls"))]\n',
    **_QUOTES_APP, "quotes/urls.py": _QUOTES_URLS.format(views="quotes"),
}
# the root configuration includes internal.urls: the quotes page is served, its finding stays `high`
NP107_INCLUDED_BY_WIRED_URLS = {**NP107_INCLUDED_BY_UNWIRED_URLS, "site/urls.py": _ROOT_URLS.replace(
    '    path("", include("common.urls")),\n', '    path("", include("common.urls")),\n    path("internal/", include("internal.urls")),\n')}

# PF701: a fifth of a count is no money, whatever `total_` says; a fifth of the summed revenue is
_LOW_PERFORMERS = '''from django.db import models


class Sale(models.Model):
    product = models.CharField(max_length=80)
    price = models.DecimalField(max_digits=10, decimal_places=2)


def low_performers():
    sales = Sale.objects.order_by("price")
    total_products = sales.count()
    return sales[:max(1, int(total_products * 0.2))]
'''
PF701_FIFTH_OF_A_COUNT = {"shop/__init__.py": "", "shop/reports.py": _LOW_PERFORMERS}
PF701_FIFTH_OF_REVENUE = {"shop/__init__.py": "", "shop/reports.py": _LOW_PERFORMERS.replace(
    "    total_products = sales.count()\n", "    total_products = sum(s.price for s in sales)\n")}

# PF301: the first store not yet linked, asked again after each pass links one; the same lookup while the body writes
# nothing it filters by stays a repeated lookup
_STORES = '''from django.db import models


class Store(models.Model):
    name = models.CharField(max_length=80)


class Terminal(models.Model):
    remote_id = models.CharField(max_length=40, unique=True)
    store = models.OneToOneField(Store, on_delete=models.CASCADE)


def link_terminals(remote_terminals):
    for remote in remote_terminals:
        store = Store.objects.filter(terminal__isnull=True).first()
        if store:
            Terminal.objects.update_or_create(remote_id=remote.id, defaults={"store": store})
'''
PF301_LINKED_IN_TURN = {"shop/__init__.py": "", "shop/terminals.py": _STORES}
PF301_NOTHING_LINKED = {"shop/__init__.py": "", "shop/terminals.py": _STORES.replace(
    '            Terminal.objects.update_or_create(remote_id=remote.id, defaults={"store": store})\n',
    '            print(remote.id, store.name)\n')}

# NP102: a helper's queryset bound, then bound again by the next line before anything reads it: never run
_POSITION_MODELS = '''from django.db import models


class Project(models.Model):
    name = models.CharField(max_length=80)


class Position(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE)
    hidden = models.BooleanField(default=False)
'''
_TAG_COUNTS = '''from staffing.models import Position, Project


def positions_of(project):
    return Position.objects.filter(project=project).order_by("id")


def position_counts():
    counts = []
    for project in Project.objects.all():
        positions = positions_of(project)
        positions = Position.objects.filter(project=project, hidden=False)
        counts.append(len(positions))
    return counts
'''
# line 11's queryset is replaced unread (only line 12's query, NP101); without line 12, line 11's is counted (NP102)
NP102_OVERWRITTEN_UNREAD = {"staffing/__init__.py": "", "staffing/models.py": _POSITION_MODELS, "staffing/reports.py": _TAG_COUNTS}
NP102_BOUND_AND_READ = {**NP102_OVERWRITTEN_UNREAD, "staffing/reports.py": _TAG_COUNTS.replace(
    "        positions = Position.objects.filter(project=project, hidden=False)\n", "")}

# NP107: the repository's root is the project's package (`regluit/`): `INSTALLED_APPS` names `shop.quotes` for `quotes/`,
# and the root configuration includes `shop.quotes.urls`; the app is installed and served (Unglue.it's apps)
NP107_ROOT_IS_THE_PACKAGE = {
    "manage.py": "", "settings.py": 'ROOT_URLCONF = "shop.urls"\nINSTALLED_APPS = ["django.contrib.auth", "shop.quotes"]\n',
    "urls.py": 'from django.urls import include, path\n\nurlpatterns = [path("quotes/", include("shop.quotes.urls"))]\n',
    **_QUOTES_APP, "quotes/urls.py": _QUOTES_URLS.format(views="shop.quotes"),
}
# the root configuration a framework names (Evennia's `web.urls`): nothing in the project names it, so it is the root
NP107_FRAMEWORK_ROOT = {
    "manage.py": "", "web/__init__.py": "",
    "web/urls.py": 'from django.urls import include, path\n\nurlpatterns = [path("quotes/", include("quotes.urls"))]\n',
    **_QUOTES_APP, "quotes/urls.py": _QUOTES_URLS.format(views="quotes"),
}

# NP101: a Flask service that Render's blueprint deploys is an application: a function nothing calls is unused
_SERVICE_APP = '''from flask import Flask

from ledger.models import Client, Invoice, db

app = Flask(__name__)


@app.get("/invoices")
def invoices():
    return {"ids": [i.id for i in Invoice.query.all()]}


def backfill_names():
    for invoice in Invoice.query.all():
        invoice.client_name = Client.query.get(invoice.client_id).name
    db.session.commit()
'''
_SERVICE_MODELS = '''from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Client(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(80))


class Invoice(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    client_id = db.Column(db.Integer, db.ForeignKey("client.id"))
    client_name = db.Column(db.String(80))
'''
NP101_RENDER_DEPLOYED = {"render.yaml": "services:\n  - type: web\n    startCommand: gunicorn ledger.app:app\n",
                         "ledger/__init__.py": "", "ledger/models.py": _SERVICE_MODELS, "ledger/app.py": _SERVICE_APP}
NP101_NOT_DEPLOYED = {path: text for path, text in NP101_RENDER_DEPLOYED.items() if path != "render.yaml"}

# PF201: `if line_i == 1:` of `for line_i, line in enumerate(fh)` runs on one pass, the file's header line; a write
# on every other line is one per row
_QC_LOADER = '''from django.db import models


class Test(models.Model):
    name = models.CharField(max_length=80)


class Rule(models.Model):
    test = models.ForeignKey(Test, on_delete=models.CASCADE)
    text = models.CharField(max_length=200)


def load_rules(fh):
    for line_i, line in enumerate(fh):
        fields = line.strip().split("\\t")
        if line_i == 1:
            test, _ = Test.objects.get_or_create(name=fields[0])
        elif line_i > 2:
            Rule.objects.create(test=test, text=fields[0])
'''
PF201_HEADER_LINE = {"qc/__init__.py": "", "qc/loader.py": _QC_LOADER}

# NP103: `list()` sets the serializer its rows are read with; the detail serializer's relations are not the list's
_DRF_MODELS = '''from django.db import models


class Owner(models.Model):
    name = models.CharField(max_length=80)


class Property(models.Model):
    owner = models.ForeignKey(Owner, on_delete=models.CASCADE)
    street = models.CharField(max_length=80)
'''
_DRF_VIEWS = '''from rest_framework import serializers, viewsets

from estates.models import Property


class PropertySerializer(serializers.ModelSerializer):
    owner_name = serializers.CharField(source="owner.name")

    class Meta:
        model = Property
        fields = ["id", "street", "owner_name"]


class PropertyListSerializer(serializers.ModelSerializer):
    class Meta:
        model = Property
        fields = ["id", "street"]


class PropertyViewSet(viewsets.ModelViewSet):
    queryset = Property.objects.order_by("-id")
    serializer_class = PropertySerializer

    def list(self, request, *args, **kwargs):
        self.serializer_class = PropertyListSerializer
        return super().list(request, *args, **kwargs)
'''
NP103_LIST_SETS_ITS_SERIALIZER = {"estates/__init__.py": "", "estates/models.py": _DRF_MODELS, "estates/api.py": _DRF_VIEWS}
# without its own `list()`, the list serialises with the class's serializer: the owner is read per row
NP103_LIST_KEEPS_THE_CLASS_SERIALIZER = {**NP103_LIST_SETS_ITS_SERIALIZER, "estates/api.py": _DRF_VIEWS.replace(
    "\n    def list(self, request, *args, **kwargs):\n        self.serializer_class = PropertyListSerializer\n"
    "        return super().list(request, *args, **kwargs)\n", "")}

# NP103: a comment above the queryset says not to select_related the relation: the finding stays, at low, quoting it
_RULE_MODELS = '''from django.db import models


class Company(models.Model):
    name = models.CharField(max_length=80)


class Requirement(models.Model):
    company = models.ForeignKey(Company, on_delete=models.CASCADE)
    code = models.CharField(max_length=20)
'''
_RULES = '''from rules.models import Requirement


def requirements(code):
    # Avoid select_related on company: some seed rows carry a NULL regex the field library rejects
    return list(Requirement.objects.filter(code=code))


def company_names(code):
    return [r.company.name for r in requirements(code)]
'''
NP103_EAGER_LOAD_VETOED = {"rules/__init__.py": "", "rules/models.py": _RULE_MODELS, "rules/lookups.py": _RULES}
NP103_EAGER_LOAD_ALLOWED = {**NP103_EAGER_LOAD_VETOED, "rules/lookups.py": _RULES.replace(
    "    # Avoid select_related on company: some seed rows carry a NULL regex the field library rejects\n", "")}

# NP102: a lookup memoised in a dict the caller hands in and keeps across the loop
_PEOPLE = '''from sqlalchemy import select

from chat.models import User


def get_person(user_id, cache):
    if user_id in cache:
        return cache[user_id]
    for user in session.scalars(select(User).filter_by(id=user_id)):
        cache[user.id] = user
        return user
    return None


def chat_log(session, messages):
    people = {}
    return [(get_person(m.user_id, people), m.text) for m in messages]
'''
_CHAT_MODELS = _SQLA_BASE + '''

class User(Base):
    __tablename__ = "user"
    id: Mapped[int] = mapped_column(primary_key=True)
'''
NP102_MEMO_HANDED_IN = {"chat/__init__.py": "", "chat/models.py": _CHAT_MODELS, "chat/people.py": _PEOPLE}
NP102_NO_MEMO = {**NP102_MEMO_HANDED_IN, "chat/people.py": _PEOPLE.replace("    if user_id in cache:\n        return cache[user_id]\n", "")}

# PF701: energy summed in kWh is measured, not money, whatever `total` says; the cost of it is money
_SENSORS = '''from decimal import Decimal

PRICE_PER_KWH = Decimal("0.2516")


def sensor_states(readings):
    total_kwh = sum(r.kwh for r in readings)
    total_cost = total_kwh * PRICE_PER_KWH
    return {"energy": float(total_kwh), "cost": float(total_cost)}
'''
PF701_ENERGY_AND_ITS_COST = {"meters/__init__.py": "", "meters/sensors.py": _SENSORS}

# NP104: rows a dict comprehension keeps whole stay in the session: a many-to-one to them reads the identity map
_METER_MODELS = _SQLA_BASE + '''

from sqlalchemy import ForeignKey
from sqlalchemy.orm import relationship


class Mtc(Base):
    __tablename__ = "mtc"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str]


class MtcSsc(Base):
    __tablename__ = "mtc_ssc"
    id: Mapped[int] = mapped_column(primary_key=True)
    mtc_id: Mapped[int] = mapped_column(ForeignKey("mtc.id"))
    mtc = relationship("Mtc")
'''
_MDD = '''from sqlalchemy import select

from mdd.models import Mtc, MtcSsc


def import_combinations(sess, rows):
    mtcs = {v.code: v for v in sess.execute(select(Mtc)).scalars()}
    combos = {(v.mtc.code, v.id): v for v in sess.execute(select(MtcSsc)).scalars()}
    return [combos.get((mtcs[code].code, key)) for code, key in rows]
'''
NP104_KEPT_IN_A_DICT = {"mdd/__init__.py": "", "mdd/models.py": _METER_MODELS, "mdd/importer.py": _MDD}
NP104_NOT_KEPT = {**NP104_KEPT_IN_A_DICT, "mdd/importer.py": _MDD.replace(
    "    mtcs = {v.code: v for v in sess.execute(select(Mtc)).scalars()}\n", "    mtcs = {}\n")}

# NP103: a manager handed to a wrapper (`money_manager(InvoiceManager())`) keeps its get_queryset's prefetches
_WRAPPED_MANAGER = '''from django.db import models


def money_manager(manager):
    return manager


class Customer(models.Model):
    name = models.CharField(max_length=80)


class InvoiceManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().prefetch_related("customer")


class Invoice(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE)
    objects = money_manager(InvoiceManager())


def customer_names():
    return [invoice.customer.name for invoice in Invoice.objects.all()]
'''
NP103_WRAPPED_MANAGER_PREFETCHES = {"billing/__init__.py": "", "billing/models.py": _WRAPPED_MANAGER}
NP103_PLAIN_MANAGER = {"billing/__init__.py": "", "billing/models.py": _WRAPPED_MANAGER.replace(
    "    objects = money_manager(InvoiceManager())\n", "")}

"""Examples of N+1s hidden in what a loop does with each row (methods, properties, helpers, untyped parameters,
per-item lambdas), shared by NP102, NP103 and NP104: each positive must be flagged, each negative must not."""

ROW_MODELS = '''
from functools import cached_property

from django.core.cache import cache
from django.db import models


class Client(models.Model):
    name = models.CharField(max_length=100)

    def balance(self):
        return Invoice.objects.filter(client=self).aggregate(total=models.Sum("total"))["total"]

    def cached_balance(self):
        value = cache.get(f"balance:{self.pk}")
        if value is None:
            value = Invoice.objects.filter(client=self).aggregate(total=models.Sum("total"))["total"]
            cache.set(f"balance:{self.pk}", value)
        return value


class Invoice(models.Model):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="invoices")
    total = models.DecimalField(max_digits=12, decimal_places=2)

    def label(self):
        return f"{self.client.name}: {self.total}"

    def __str__(self):
        return f"{self.client.name} #{self.pk}"

    @property
    def paid(self):
        return sum(p.amount for p in self.payments.all())

    @cached_property
    def client_name(self):
        return self.client.name

    def save(self, *args, **kwargs):
        self.total = self.total or 0
        self.client.name
        super().save(*args, **kwargs)


class Payment(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="payments")
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    paid_on = models.DateField()
'''


NULL_PARENT_READ = '''
from .models import Payment
def unmatched():
    return [p.invoice.client.name if p.invoice is not None else "-" for p in Payment.objects.filter({})]
'''


def billing_app(code: str, **more: str) -> dict[str, str]:
    return {"billing/__init__.py": "", "billing/models.py": ROW_MODELS, "billing/views.py": code, **more}


NP103_POSITIVE = [
    # a method of the row's model reads a relation the queryset did not load
    billing_app('''
from .models import Invoice
def labels():
    return [inv.label() for inv in Invoice.objects.filter(total__gt=0)]
'''),
    # a property reads a to-many relation per row
    billing_app('''
from .models import Invoice
def paid():
    for inv in Invoice.objects.all():
        print(inv.id, inv.paid)
'''),
    # a cached_property caches per row, so it still queries once per row
    billing_app('''
from .models import Invoice
def names():
    return {inv.id: inv.client_name for inv in Invoice.objects.all()}
'''),
    # the row handed to a helper that reads its relation
    billing_app('''
from .models import Invoice
def describe(invoice):
    return invoice.client.name
def report():
    return [describe(inv) for inv in Invoice.objects.all()]
'''),
    # an untyped parameter: every caller passes Invoice rows without the relation
    billing_app('''
def export(invoices):
    return [(i.client.name, i.total) for i in invoices]
''', **{"billing/api.py": '''
from .models import Invoice
from .views import export
def csv():
    return export(Invoice.objects.filter(total__gt=0))
'''}),
    # str() and f-strings of a row run its model's __str__
    billing_app('''
from .models import Invoice
def lines():
    return [f"{inv}: {inv.total}" for inv in Invoice.objects.all()]
'''),
    # a relation whose key column `.only()` leaves out: the fix names `.only(...)` too, since Django refuses
    # select_related on a deferred field (HydroShare's listings, round 56: the bare select_related judged WRONGFIX)
    billing_app('''
from .models import Invoice
def totals_by_client():
    out = {}
    for inv in Invoice.objects.only("total"):
        out.setdefault(inv.client.name, []).append(inv.total)
    return out
'''),
    # a column `.only()` left out, read per row (here through a method)
    billing_app('''
from .models import Invoice
def labels():
    return [inv.label() for inv in Invoice.objects.select_related("client").only("id", "client")]
'''),
    # a key function runs once per row
    billing_app('''
from .models import Invoice
def by_client():
    return sorted(Invoice.objects.all(), key=lambda inv: inv.client.name)
'''),
]

# a list's serializer reading the client's name from each invoice (shared by the list examples)
CLIENT_NAME_SERIALIZER = '''
from rest_framework import serializers
from .models import Invoice


class InvoiceSerializer(serializers.ModelSerializer):
    client_name = serializers.CharField(source="client.name")

    class Meta:
        model = Invoice
        fields = ["id", "total", "client_name"]
'''

SERIALIZERS = '''
from rest_framework import serializers

from .models import Client, Invoice


class ClientSerializer(serializers.ModelSerializer):
    class Meta:
        model = Client
        fields = ["id", "name"]


class InvoiceSerializer(serializers.ModelSerializer):
    client = ClientSerializer()
    paid = serializers.SerializerMethodField()

    class Meta:
        model = Invoice
        fields = ["id", "total", "client", "paid", "payments"]

    def get_paid(self, obj):
        return sum(p.amount for p in obj.payments.all())


class TotalsSerializer(serializers.ModelSerializer):
    class Meta:
        model = Invoice
        fields = ["id", "total", "client"]  # a foreign key serialises its id: no query
'''

DRF_POSITIVE = [
    # the twin of the retrieve-only viewset: the module's own base adds the list mixin
    billing_app('''
from rest_framework import mixins, viewsets
from .models import Invoice
from .serializers import InvoiceSerializer
class ListRetrieveViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A viewset that provides `list` and `retrieve`."""
class InvoiceViewSet(ListRetrieveViewSet):
    queryset = Invoice.objects.all()
    serializer_class = InvoiceSerializer
''', **{"billing/serializers.py": SERIALIZERS}),
    # a viewset whose queryset lacks what its serializer reads per row (the nested client, the payments)
    billing_app('''
from rest_framework import viewsets
from .models import Invoice
from .serializers import InvoiceSerializer
class InvoiceViewSet(viewsets.ModelViewSet):
    queryset = Invoice.objects.all()
    serializer_class = InvoiceSerializer
''', **{"billing/serializers.py": SERIALIZERS}),
    # a serializer run over rows by hand
    billing_app('''
from .models import Invoice
from .serializers import InvoiceSerializer
def export():
    return InvoiceSerializer(Invoice.objects.filter(total__gt=0), many=True).data
''', **{"billing/serializers.py": SERIALIZERS}),
    # the list's own branch of get_queryset() loads nothing; only retrieve's does
    billing_app('''
from rest_framework import viewsets
from .models import Invoice
from .serializers import InvoiceSerializer
class InvoiceViewSet(viewsets.ModelViewSet):
    serializer_class = InvoiceSerializer

    def get_queryset(self):
        if self.action == "retrieve":
            return Invoice.objects.select_related("client").prefetch_related("payments")
        return Invoice.objects.all()
''', **{"billing/serializers.py": SERIALIZERS}),
]

DRF_NEGATIVE = [
    # a viewset the module builds from the retrieve mixin alone: one row per request, whatever its name ends with
    billing_app('''
from rest_framework import mixins, viewsets
from .models import Invoice
from .serializers import InvoiceSerializer
class RetrieveViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A viewset that provides only `retrieve`."""
class InvoiceViewSet(RetrieveViewSet):
    queryset = Invoice.objects.all()
    serializer_class = InvoiceSerializer
''', **{"billing/serializers.py": SERIALIZERS}),
    billing_app('''
from rest_framework import viewsets
from .models import Invoice
from .serializers import InvoiceSerializer
class InvoiceViewSet(viewsets.ModelViewSet):
    queryset = Invoice.objects.select_related("client").prefetch_related("payments")
    serializer_class = InvoiceSerializer
''', **{"billing/serializers.py": SERIALIZERS}),
    billing_app('''
from rest_framework import generics
from .models import Invoice
from .serializers import TotalsSerializer
class Totals(generics.ListAPIView):
    queryset = Invoice.objects.all()
    serializer_class = TotalsSerializer
''', **{"billing/serializers.py": SERIALIZERS}),
    # eager loading declared on the viewset, applied by the project's base viewset in another module
    billing_app('''
from .base import EagerViewSet
from .models import Invoice
from .serializers import InvoiceSerializer
class InvoiceViewSet(EagerViewSet):
    queryset = Invoice.objects.all()
    serializer_class = InvoiceSerializer
    select_related = ["client"]
    prefetch_related = ("payments",)
''', **{"billing/serializers.py": SERIALIZERS, "billing/base.py": '''
from rest_framework import viewsets
class EagerViewSet(viewsets.ModelViewSet):
    select_related = []
    prefetch_related = []
    def get_queryset(self):
        return super().get_queryset().select_related(*self.select_related).prefetch_related(*self.prefetch_related)
'''}),
    # get_queryset() narrows `super().get_queryset()`: DRF's returns the class's own `queryset`, eager loading included
    billing_app('''
from rest_framework import viewsets
from .models import Invoice
from .serializers import InvoiceSerializer
class ClientInvoices(viewsets.ModelViewSet):
    queryset = Invoice.objects.select_related("client").prefetch_related("payments")
    serializer_class = InvoiceSerializer

    def get_queryset(self):
        queryset = super().get_queryset()
        client_id = self.kwargs.get("client_pk")
        if client_id:
            return queryset.filter(client_id=client_id)
        return Invoice.objects.none()
''', **{"billing/serializers.py": SERIALIZERS}),
    # the detail serializer is the class default; the list action gets a light one from get_serializer_class()
    billing_app('''
from rest_framework import viewsets
from .models import Invoice
from .serializers import InvoiceSerializer, TotalsSerializer
class InvoiceViewSet(viewsets.ModelViewSet):
    queryset = Invoice.objects.all()
    serializer_class = InvoiceSerializer

    def get_queryset(self):
        if self.action == "list":
            return self.queryset
        return self.queryset.select_related("client").prefetch_related("payments")

    def get_serializer_class(self):
        if self.action == "list":
            return TotalsSerializer
        return super().get_serializer_class()
''', **{"billing/serializers.py": SERIALIZERS}),
    # get_queryset() loads for the list in its own branch; the plain `else` serves writes, which serialise one row
    billing_app('''
from rest_framework import viewsets
from .models import Invoice
from .serializers import InvoiceSerializer
class InvoiceViewSet(viewsets.ModelViewSet):
    serializer_class = InvoiceSerializer

    def get_queryset(self):
        if self.action in ("list", "overdue"):
            queryset = Invoice.objects.select_related("client").prefetch_related("payments")
        elif self.action == "retrieve":
            queryset = Invoice.objects.select_related("client")
        else:
            queryset = Invoice.objects.all()
        return queryset
''', **{"billing/serializers.py": SERIALIZERS}),
    # PrimaryKeyRelatedField serialises the foreign key column: the related row is never loaded
    billing_app('''
from rest_framework import generics, serializers
from .models import Invoice
class InvoiceKeys(serializers.ModelSerializer):
    client = serializers.PrimaryKeyRelatedField(read_only=True)
    class Meta:
        model = Invoice
        fields = ["id", "client"]
class Keys(generics.ListAPIView):
    queryset = Invoice.objects.all()
    serializer_class = InvoiceKeys
'''),
    # a link to the client built from its primary key (`lookup_field` left at "pk") needs only the key column too
    billing_app('''
from rest_framework import generics, serializers
from .models import Invoice
class InvoiceLinks(serializers.ModelSerializer):
    client = serializers.HyperlinkedRelatedField(view_name="client-detail", read_only=True)
    class Meta:
        model = Invoice
        fields = ["id", "client"]
class Links(generics.ListAPIView):
    queryset = Invoice.objects.all()
    serializer_class = InvoiceLinks
'''),
    # an admin's display method runs on rows of the admin's get_queryset(), which prefetches what it reads
    billing_app('''
from django.contrib import admin
from .models import Invoice
@admin.register(Invoice)
class InvoiceAdmin(admin.ModelAdmin):
    list_display = ["id", "payers"]
    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("payments__payer")
    def payers(self, obj):
        return ", ".join(p.payer.name for p in obj.payments.all())
''', **{"billing/models.py": '''
from django.db import models
class Client(models.Model):
    name = models.CharField(max_length=100)
class Invoice(models.Model):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="invoices")
class Payment(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="payments")
    payer = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="paid")
'''}),
]

NP103_NEGATIVE = [
    billing_app('''
from .models import Invoice
def labels():
    return [inv.label() for inv in Invoice.objects.select_related("client")]
'''),
    billing_app('''
from .models import Invoice
def paid():
    for inv in Invoice.objects.prefetch_related("payments"):
        print(inv.id, inv.paid)
'''),
    # a save per row is a write per row (PF201), not the relation its save() reads on the way
    billing_app('''
from .models import Invoice
def touch():
    for inv in Invoice.objects.all():
        inv.save()
'''),
    # every caller loads what the helper reads
    billing_app('''
def export(invoices):
    return [(i.client.name, i.total) for i in invoices]
''', **{"billing/api.py": '''
from .models import Invoice
from .views import export
def csv():
    return export(Invoice.objects.select_related("client"))
'''}),
    # callers pass rows of different models: no guess
    billing_app('''
def names(rows):
    return [r.client.name for r in rows]
''', **{"billing/api.py": '''
from .models import Client, Invoice
from .views import names
def a():
    return names(Invoice.objects.all())
def b():
    return names(Client.objects.all())
'''}),
    billing_app('''
from .models import Invoice
def lines():
    return [str(inv) for inv in Invoice.objects.select_related("client")]
'''),
    # every column read is loaded
    billing_app('''
from .models import Invoice
def labels():
    return [inv.label() for inv in Invoice.objects.select_related("client").only("id", "client", "total")]
'''),
    # a slice of five rows is a handful of queries, not an N+1 worth a reader's time
    billing_app('''
from .models import Invoice
def top():
    return [inv.label() for inv in Invoice.objects.order_by("-total")[:5]]
'''),
]

NP103_NEGATIVE += [
    # the relation is assigned in the loop: set, not loaded
    billing_app('''
from .models import Invoice
def relabel(client):
    for inv in Invoice.objects.all():
        inv.client = client
        print(inv.label())
'''),
    # rows of a related manager have their owner cached: `payment.invoice` is the one invoice
    billing_app('''
from .models import Invoice
def payments(invoice_id):
    invoice = Invoice.objects.get(pk=invoice_id)
    return [(p.amount, p.invoice.client.name) for p in invoice.payments.filter(amount__gt=0)]
'''),
    # the loop mails each row: that is the cost, not the relation its helper reads on the way
    billing_app('''
from .models import Invoice
def remind():
    for inv in Invoice.objects.all():
        send_reminder(inv)
def send_reminder(invoice):
    print(invoice.client.name)
'''),
    # a read inside a callback that may never run
    billing_app('''
from .models import Invoice
def render(invoice, fallback):
    return invoice.total or fallback()
def totals():
    return [render(inv, lambda: inv.client.name) for inv in Invoice.objects.all()]
'''),
]

NP101_NEGATIVE = [
    # memoised per key: one query per distinct client, not per invoice
    billing_app('''
from .models import Client, Invoice
def names():
    seen = {}
    for inv in Invoice.objects.all():
        if inv.client_id not in seen:
            seen[inv.client_id] = Client.objects.get(pk=inv.client_id).name
    return seen
'''),
    # a handler that leaves the loop runs once
    billing_app('''
from .models import Client
def first_client(ids):
    for i in ids:
        try:
            return int(i)
        except ValueError:
            return Client.objects.first()
'''),
    # one get_or_create per row is a write per row: PF201 reports it, with the batch-write fix
    billing_app('''
from .models import Client
def import_clients(names):
    for name in names:
        Client.objects.get_or_create(name=name)
'''),
    # loops the code bounds (loop size "small"): the members of an enum, a model's choices, a settings list, a
    # constant slice, a loop that stops after a count; a query per item is a constant handful, not one per row
    billing_app('''
import enum
from django.conf import settings
from .models import Invoice

class Status(enum.Enum):
    DRAFT = "draft"
    SENT = "sent"
    PAID = "paid"

def per_status():
    return {s.value: Invoice.objects.filter(status=s.value).count() for s in Status}

def per_choice():
    return {key: Invoice.objects.filter(status=key).count() for key, _ in Invoice.STATUS_CHOICES}

def per_currency():
    return {c: Invoice.objects.filter(currency=c).count() for c in settings.LEDGER_CURRENCIES}

def latest_totals(invoices):
    return [Invoice.objects.get(pk=i.pk).total for i in invoices[:5]]

def first_overdue(ids):
    found = []
    for i in ids:
        if len(found) >= 20:
            break
        found.append(Invoice.objects.get(pk=i))
    return found

def compare_two(ids):
    if len(ids) > 2:
        raise ValueError("compare two invoices at most")
    return [Invoice.objects.get(pk=i).total for i in ids]
'''),
]

NP102_POSITIVE = [
    # a model method that queries, called on each row
    billing_app('''
from .models import Client
def balances():
    return {c.name: c.balance() for c in Client.objects.all()}
'''),
    # a tree extension's API queries on every call
    {"tree/__init__.py": "", "tree/models.py": '''
from django.db import models
from mptt.models import MPTTModel, TreeForeignKey

class Account(MPTTModel):
    name = models.CharField(max_length=50)
    parent = TreeForeignKey("self", null=True, on_delete=models.CASCADE, related_name="children")
''', "tree/views.py": '''
from .models import Account
def sizes():
    return [(a.name, len(a.get_descendants())) for a in Account.objects.filter(level=0)]
'''},
]

NP102_NEGATIVE = [
    # cache-aside: the query runs on a miss, not once per row
    billing_app('''
from .models import Client
def balances():
    return {c.name: c.cached_balance() for c in Client.objects.all()}
'''),
    # a helper that opens a connection per row: PF502 reports it (reuse the connection first)
    {"ledger/__init__.py": "", "ledger/store.py": '''
import sqlite3
def balance_of(path, account_id):
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT sum(amount) FROM entries WHERE account_id = ?", (account_id,)).fetchone()[0]
    finally:
        conn.close()
''', "ledger/report.py": '''
from .store import balance_of
def balances(path, account_ids):
    return {a: balance_of(path, a) for a in account_ids}
'''},
]


SQLA_MIXIN_MODELS = '''
from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import declarative_base, declared_attr, relationship

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(64))


class Created:
    @declared_attr
    def creator_id(cls):
        return Column(Integer, ForeignKey("users.id"))

    @declared_attr
    def creator(cls):
        return relationship("User")


class InvoiceType(Base):
    __tablename__ = "invoice_types"
    id = Column(Integer, primary_key=True)
    name = Column(String(64))


class Invoice(Created, Base):
    __tablename__ = "invoices"
    id = Column(Integer, primary_key=True)
    client = relationship("Client", backref="invoices")
    client_id = Column(Integer, ForeignKey("clients.id"))
    invoice_type_id = Column(Integer, ForeignKey("invoice_types.id"))
    invoice_type = relationship("InvoiceType")


class Client(Base):
    __tablename__ = "clients"
    id = Column(Integer, primary_key=True)
    name = Column(String(64))
'''

NP104_POSITIVE = [
    # a relationship a mixin declares with @declared_attr
    {"books/__init__.py": "", "books/models.py": SQLA_MIXIN_MODELS, "books/report.py": '''
from sqlalchemy import select
from .models import Invoice
def creators(session):
    return [inv.creator.name for inv in session.scalars(select(Invoice))]
'''},
    # the reverse side a backref= declares
    {"books/__init__.py": "", "books/models.py": SQLA_MIXIN_MODELS, "books/report.py": '''
from sqlalchemy import select
from .models import Client
def counts(session):
    return {c.name: len(c.invoices) for c in session.scalars(select(Client))}
'''},
]

# one client's invoices (`filter(Invoice.client_id == client.id)`): each row's `client` is that client, which the lazy
# many-to-one load finds in the session's identity map, so it is loaded once at most; another relation, per row
_ONE_CLIENTS = '''
from .models import Client, Invoice
def names(session, client_id):
    client = session.get(Client, client_id)
    rows = session.query(Invoice).filter(Invoice.client_id == client.id).all()
    return [inv.{path}.name for inv in rows]
'''
NP104_POSITIVE.append({"books/__init__.py": "", "books/models.py": SQLA_MIXIN_MODELS, "books/report.py": _ONE_CLIENTS.format(path="creator")})
# a session the function opens itself and binds to a name: a handle, not rows (the rows are what it queries)
NP104_POSITIVE.append({"books/__init__.py": "", "books/models.py": SQLA_MIXIN_MODELS, "books/report.py": '''
from sqlalchemy.orm import Session
from .models import Client
def counts(engine):
    session = Session(engine)
    return {c.name: len(c.invoices) for c in session.query(Client)}
'''})

# one client's invoices through the relationship a backref declares (`client.invoices`): each row's `client` is that
# client, in the session already; another relation, per row
_CLIENTS_INVOICES = '''
from .models import Client
def names(session, client_id):
    client = session.get(Client, client_id)
    return [inv.{path}.name for inv in client.invoices]
'''
NP104_POSITIVE.append({"books/__init__.py": "", "books/models.py": SQLA_MIXIN_MODELS, "books/report.py": _CLIENTS_INVOICES.format(path="creator")})

# the rows a model's class method returns, called through the models module (`models.Project.all(session)`), built
# by another class method and a module helper that each refine the query they are handed
_CATALOGUE = '''
import sqlalchemy as sa
from sqlalchemy.orm import relationship, selectinload
from project_base import Base

def _paginate(query, page):
    if page:
        query = query.offset((page - 1) * 50).limit(50)
    return query

class Package(Base):
    __tablename__ = "packages"
    id = sa.Column(sa.Integer, primary_key=True)
    project_id = sa.Column(sa.Integer, sa.ForeignKey("projects.id"))
    name = sa.Column(sa.String(200))

class Project(Base):
    __tablename__ = "projects"
    id = sa.Column(sa.Integer, primary_key=True)
    name = sa.Column(sa.String(200))
    packages = relationship("Package")

    @classmethod
    def all(cls, session, page=None):
        query = cls.sorted(session.query(Project){eager})
        query = _paginate(query, page)
        return query.all()

    @classmethod
    def sorted(cls, query):
        return query.order_by(Project.name)
'''
_CATALOGUE_API = '''
from catalogue import models
def wiki(session):
    return [f"{{project.name}} {{package.name}}" for project in models.Project.all(session) for package in project.packages]
'''
NP104_POSITIVE.append({"catalogue/__init__.py": "", "catalogue/models.py": _CATALOGUE.format(eager=""), "catalogue/api.py": _CATALOGUE_API.format()})

NP104_NEGATIVE = [
    # `lazy=False`, the older spelling of `lazy="joined"`: loaded with every row
    {"books/__init__.py": "", "books/models.py": '''
from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import declarative_base, relationship
Base = declarative_base()

class Release(Base):
    __tablename__ = "releases"
    id = Column(Integer, primary_key=True)
    name = Column(String(64))

class Build(Base):
    __tablename__ = "builds"
    id = Column(Integer, primary_key=True)
    release_id = Column(Integer, ForeignKey("releases.id"))
    release = relationship("Release", lazy=False)
''', "books/report.py": '''
from sqlalchemy import select
from .models import Build
def names(session):
    return [build.release.name for build in session.scalars(select(Build))]
'''},
    {"catalogue/__init__.py": "", "catalogue/models.py": _CATALOGUE.format(eager=".options(selectinload(Project.packages))"),
     "catalogue/api.py": _CATALOGUE_API.format()},
    {"books/__init__.py": "", "books/models.py": SQLA_MIXIN_MODELS, "books/report.py": _ONE_CLIENTS.format(path="client")},
    # the relation is read only when the caller leaves a keyword out (`client = kwargs.pop("client", None)`, then `if
    # client is None:`); this caller, over several lines, passes it (Copr's `BuildChrootsLogic.new`)
    {"books/__init__.py": "", "books/models.py": SQLA_MIXIN_MODELS, "books/logic.py": '''
from .models import Client


def find_client(session, client):
    return session.get(Client, client.id)


def copy_line(session, invoice, **kwargs):
    client = kwargs.pop("client", None)
    if client is None:
        client = find_client(session, invoice.client)
    return client
''', "books/report.py": '''
from sqlalchemy import select
from .models import Invoice
from .logic import copy_line


def copy_all(session, client):
    for inv in session.scalars(select(Invoice)):
        copy_line(
            session,
            inv,
            client=client,
        )
'''},
    # a sub-option hung on a loader (`joinedload(A.b).load_only(...).options(selectinload(B.c))`) continues its path
    {"books/__init__.py": "", "books/models.py": SQLA_MIXIN_MODELS, "books/report.py": '''
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload
from .models import Client, Invoice
def sibling_counts(session):
    statement = select(Invoice).options(
        joinedload(Invoice.client).load_only(Client.name).options(selectinload(Client.invoices)))
    return [len(inv.client.invoices) for inv in session.scalars(statement)]
'''},
    # rows of one client, filtered by its key column beside a joined table's column: every row's `client` is that one,
    # which a many-to-one lazy load takes from the session's identity map after the first (Copr's webhook rebuilds)
    {"books/__init__.py": "", "books/models.py": SQLA_MIXIN_MODELS, "books/report.py": '''
from .models import Client, Invoice
def open_totals(session, client_id, api_token):
    rows = (session.query(Invoice).join(Client).filter(Invoice.client_id == client_id)
            .filter(Client.api_token == api_token))
    return [(inv.client.name, inv.total) for inv in rows]
'''},
    {"books/__init__.py": "", "books/models.py": SQLA_MIXIN_MODELS, "books/report.py": _CLIENTS_INVOICES.format(path="client")},
    {"books/__init__.py": "", "books/models.py": SQLA_MIXIN_MODELS, "books/report.py": '''
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from .models import Client
def counts(session):
    return {c.name: len(c.invoices) for c in session.scalars(select(Client).options(selectinload(Client.invoices)))}
'''},
]

# Eager loading spelled elsewhere: a module constant of lookups, a helper's list of Prefetch objects (class 2 of
# the precision issue); the relations they name are loaded, and the file cannot say which others are not.
NP103_NEGATIVE += [
    billing_app('''
from .models import Invoice
STATEMENT_PREFETCH = ("payments",)
def paid():
    return {inv.pk: inv.paid for inv in Invoice.objects.prefetch_related(*STATEMENT_PREFETCH)}
'''),
    billing_app('''
from django.db.models import Prefetch
from .models import Invoice, Payment
def _statement_prefetch():
    return [Prefetch("payments", queryset=Payment.objects.order_by("paid_on"))]
def paid():
    return {inv.pk: inv.paid for inv in Invoice.objects.prefetch_related(*_statement_prefetch())}
'''),
    # a list the function builds for the call (one relation or two, by a flag)
    billing_app('''
from .models import Invoice
def paid(with_client=False):
    lookups = ["payments"]
    if with_client:
        lookups.append("client")
    return {inv.pk: inv.paid for inv in Invoice.objects.prefetch_related(*lookups)}
'''),
]

# A helper run per row that filters the row's related rows (directly, or through a local holding them): the
# filter queries per row even when the relation is prefetched; an annotation on the loop's queryset fixes it
NP103_POSITIVE += [
    billing_app('''
from .models import Invoice
def large_payments(inv):
    payments = inv.payments.all()
    return payments.filter(amount__gt=1000).count()
def report():
    return [(inv.pk, large_payments(inv)) for inv in Invoice.objects.prefetch_related("payments")]
'''),
    # a clone of the related rows (`.all().select_related(...)`) drops the prefetched ones and queries anew
    billing_app('''
from .models import Invoice
def report():
    return [[p.pk for p in inv.payments.all().select_related("invoice")] for inv in Invoice.objects.prefetch_related("payments")]
'''),
]
# ... while related rows combined with others (`payments |= ...`) are one new query, which no prefetch serves: the
# relation is never loaded as such
NP103_NEGATIVE += [
    billing_app('''
from .models import Invoice, Payment
def touched(inv, refunds=False):
    payments = inv.payments.all()
    if refunds:
        payments |= Payment.objects.filter(refund_of__invoice=inv)
    return payments.exists()
def report():
    return [(inv.pk, touched(inv, refunds=True)) for inv in Invoice.objects.all()]
'''),
]

# A helper that fetches its row only when given a key (`if isinstance(inv, int): inv = Invoice.objects.get(pk=inv)`),
# called per row with the row itself: that branch never runs; called with ids, it is a query per id
_FETCH_IF_KEY = '''
from .models import Invoice
def reindex(inv):
    if isinstance(inv, int):
        inv = Invoice.objects.get(pk=inv)
    return (inv.pk, inv.total)
'''
NP102_NEGATIVE += [billing_app(_FETCH_IF_KEY + '''
def reindex_all():
    return [reindex(inv) for inv in Invoice.objects.filter(total__gt=0)]
''')]
NP102_POSITIVE += [billing_app(_FETCH_IF_KEY + '''
def reindex_ids():
    return [reindex(pk) for pk in Invoice.objects.values_list("pk", flat=True)]
''')]

# A to-one relation tested by a branch that leaves the loop: a null key reads nothing, a set one finds its row and
# leaves, so the loop loads it once at most (read on a real "first component with an owner" helper).
NP103_NEGATIVE += [
    billing_app('''
from .models import Invoice
def first_client():
    for inv in Invoice.objects.all():
        if inv.client:
            return inv.client
    return None
def first_named(invoices):
    found = None
    for inv in Invoice.objects.filter(total__gt=0):
        if inv.client:
            found = inv.client.name
            break
    return found
'''),
    # rows filtered on a null key: each row's relation is None, read without a query (an admin filter's top-level
    # categories, whose `__str__` names the parent when there is one)
    billing_app('''
from .models import Invoice
def unassigned():
    return [(inv.pk, inv.client.name if inv.client else "-") for inv in Invoice.objects.filter(client__isnull=True)]
def orphans():
    return [str(inv.client) for inv in Invoice.objects.filter(client=None).iterator()]
'''),
    # ... and so is whatever is read through it (djing2's `customer.current_service.service` behind a `None` check, over
    # customers filtered `current_service=None`: round 167, judged NOTQUERY)
    billing_app(NULL_PARENT_READ.format("invoice__isnull=True")),
]
# ... but rows filtered on a key that is set do load it, and what is read through it
NP103_POSITIVE.append(billing_app(NULL_PARENT_READ.format("invoice__isnull=False")))
# ... but a longer path in the test reads the relation on every row whose client is set, and the loop goes on
NP103_POSITIVE += [
    billing_app('''
from .models import Invoice
def first_named():
    for inv in Invoice.objects.filter(total__gt=0):
        if inv.client.name:
            return inv.client.name
    return None
'''),
]

# a module global handed back when already set, the rest of the function filling it on the first call (Open Library's
# Solr URL, round 132: judged CACHED)
NP102_KEPT_GLOBAL_RETURNED = billing_app('''
from .models import Client
default_client = None

def get_default_client():
    global default_client
    if default_client is not None:
        return default_client
    default_client = Client.objects.get(code="default")
    return default_client

def lines(invoices):
    return [(get_default_client().name, inv.total) for inv in invoices]
''')

# Callees that fill a cache once (class 1): an instance attribute or a module global loaded on the first call
# answers every later one; one query per statement or per process, not per row. A memo per key kept between calls
# (`if k not in self._by_key:`) is read like an lru_cache.
NP102_NEGATIVE += [
    billing_app('''
from .models import Client
class Statement:
    def __init__(self):
        self._clients = None

    def clients(self):
        if self._clients is None:
            self._clients = {c.pk: c for c in Client.objects.all()}
        return self._clients

    def lines(self, invoices):
        return [(self.clients()[inv.client_id].name, inv.total) for inv in invoices]
'''),
    billing_app('''
from .models import Client
_NAMES = None

def client_names():
    global _NAMES
    if not _NAMES:
        _NAMES = dict(Client.objects.values_list("pk", "name"))
    return _NAMES

def lines(invoices):
    return [(client_names()[inv.client_id], inv.total) for inv in invoices]
'''),
    # ids kept in a variable only to be embedded as a subquery: the helper builds a filter and runs nothing
    billing_app('''
from django.db.models import Q
from .models import Client, Payment
def unpaid(client):
    paid = Payment.objects.filter(invoice__client=client).values_list("invoice_id", flat=True)
    return Q(client=client) & ~Q(id__in=paid)

def filters():
    return [unpaid(c) for c in Client.objects.all()]
'''),
    # a module global named like any other, declared `global` where it is filled (a default object loaded once)
    billing_app('''
from .models import Client
default_client = None

def get_default_client():
    global default_client
    if default_client is None:
        default_client = Client.objects.get(code="default")
    return default_client

def lines(invoices):
    return [(get_default_client().name, inv.total) for inv in invoices]
'''),
    NP102_KEPT_GLOBAL_RETURNED,  # ... or handed back when set, filled below on the first call (Open Library, round 132)
    # a class attribute filled on the first instance: `Rates._by_code` is shared by every instance
    billing_app('''
from .models import Client
class Directory:
    _by_code = None

    def __init__(self):
        if Directory._by_code is None:
            Directory._by_code = {c.code: c for c in Client.objects.all()}
        self.by_code = Directory._by_code

def lines(invoices):
    return [(Directory().by_code[inv.client_code].name, inv.total) for inv in invoices]
'''),
    # a class-level memo per key, stored inside a `try:` that gives up on a missing key
    billing_app('''
from .models import Client
class Names:
    memo = {}

    def name(self, code):
        if code not in self.memo:
            try:
                self.memo[code] = Client.objects.get(code=code).name
            except Client.DoesNotExist:
                return None
        return self.memo[code]

    def lines(self, invoices):
        return [(self.name(inv.client_code), inv.total) for inv in invoices]
'''),
    # a loop that fills the object's cache through a method of its own when it is empty: once per object
    billing_app('''
from .models import Client
class Statement:
    def __init__(self):
        self._names = {}

    def _load_names(self):
        self._names = {c.pk: c.name for c in Client.objects.all()}

    def lines(self, invoices):
        out = []
        for inv in invoices:
            if not self._names:
                self._load_names()
            out.append((self._names[inv.client_id], inv.total))
        return out
'''),
    # the cache read or filled in one expression (`load() if self._names is None else self._names`)
    billing_app('''
from .models import Client
class Statement:
    def __init__(self):
        self._names = None

    def names(self):
        names = {c.pk: c.name for c in Client.objects.all()} if self._names is None else self._names
        self._names = names
        return names

    def lines(self, invoices):
        return [(self.names()[inv.client_id], inv.total) for inv in invoices]
'''),
    # the same memo tested with `.get(key) is None` (an instance's dict, filled per distinct code)
    billing_app('''
from .models import Client
class Names:
    def __init__(self):
        self._by_code = {}

    def name(self, code):
        if self._by_code.get(code) is None:
            self._by_code[code] = Client.objects.get(code=code).name
        return self._by_code[code]

    def lines(self, invoices):
        return [(self.name(inv.client_code), inv.total) for inv in invoices]
'''),
    # a caching library's decorator named for what it does (argcache's `cache_function`)
    billing_app('''
from argcache import cache_function
from .models import Client

@cache_function
def client_by_code(code):
    return Client.objects.get(code=code)

def lines(invoices):
    return [(client_by_code(inv.client_code).name, inv.total) for inv in invoices]
'''),
    # a project's own wrapper of a memoising decorator (Flask-Caching's memoize behind `memoize_function`)
    billing_app('''
from . import cache
from .models import Client

@cache.memoize_function(240)
def client_by_code(code):
    return Client.objects.get(code=code)

def lines(invoices):
    return [(client_by_code(inv.client_code).name, inv.total) for inv in invoices]
'''),
    # a dict memo kept between calls (an enclosing function's dict): one query per distinct client, like an lru_cache
    billing_app('''
from .models import Client
def lines(invoices, names=None):
    names = names or {}

    def client_name(client_id):
        if client_id not in names:
            names[client_id] = Client.objects.get(pk=client_id).name
        return names[client_id]

    return [(client_name(inv.client_id), inv.total) for inv in invoices]
'''),
]
# ... but a dict the callee makes anew on each call keeps nothing: one query per invoice
NP102_POSITIVE += [
    billing_app('''
from .models import Client
def client_name(client_id):
    names = {}
    if client_id not in names:
        names[client_id] = Client.objects.get(pk=client_id).name
    return names[client_id]

def lines(invoices):
    return [(client_name(inv.client_id), inv.total) for inv in invoices]
'''),
]

REINDEX = '''
from .models import Invoice
def reindex(client_id=None):
    if client_id:
        return [client_id]
    else:
        return list(Invoice.objects.values_list("client_id", flat=True))
'''

# A callee that queries only under a flag this caller turns off (class 4): `refresh(inv, full=False)` reads
# nothing from the database.
NP102_NEGATIVE += [
    billing_app('''
from .models import Payment
def refresh(invoice, full=True):
    invoice.total = invoice.total or 0
    if full:
        invoice.paid_total = sum(p.amount for p in Payment.objects.filter(invoice=invoice))
    return invoice

def quick_totals(invoices):
    return [refresh(inv, full=False).total for inv in invoices]

def slow_totals(invoices):
    return [refresh(inv, False).total for inv in invoices]
'''),
    # ... and one whose flag is off unless a caller turns it on: left out, it stays off
    billing_app('''
from .models import Payment
def refresh(invoice, with_payments=False):
    if with_payments:
        invoice.paid_total = sum(p.amount for p in Payment.objects.filter(invoice=invoice))
    return invoice

def totals(invoices):
    return [refresh(inv).total for inv in invoices]
'''),
    # the whole-table query runs only in the `else` of `if client_id:`, and this caller always passes one
    billing_app(REINDEX + '''
def reindex_each(invoices):
    for inv in invoices:
        reindex(inv.client_id)
'''),
]
# the name is looked up only when the caller passes no map of names (`if names is not None:`), and this caller always
# passes one, built with one query before the loop (privacyIDEA's remembered devices)
_NAMES_OR_QUERY = '''
from .models import Client, Invoice
def label(inv, names=None):
    if names is not None:
        return names.get(inv.client_id)
    return Client.objects.get(pk=inv.client_id).name

def labels(invoices):
    names = {c.id: c.name for c in Client.objects.all()}
    return [label(inv%s) for inv in invoices]
'''
NP102_NEGATIVE.append(billing_app(_NAMES_OR_QUERY % ", names=names"))
NP102_POSITIVE.append(billing_app(_NAMES_OR_QUERY % ""))

# the same helper left without its argument runs the whole-table query on every call, with the same arguments: the
# fix is to call it once before the loop (PF301), not a batch keyed by the loop (NP102 leaves it to PF301)
PF301_HOIST_POSITIVE = [
    billing_app(REINDEX + '''
def reindex_all(invoices):
    for inv in invoices:
        reindex()
'''),
]

# A module constant that lists its items in the code (every tax of the ledger, a dict of kinds by report column)
# is as long as the code makes it, whatever the tables hold: a query per item is a fixed handful.
NP101_NEGATIVE += [
    billing_app('''
from . import taxes
from .models import Invoice
LEDGER_TAXES = (taxes.ICMS, taxes.IPI, taxes.PIS, taxes.COFINS, taxes.ISS, taxes.IRPJ, taxes.CSLL, taxes.INSS, taxes.FGTS, taxes.IOF, taxes.CIDE)
REPORT_KINDS: dict[str, str] = {"sales": "sale", "refunds": "refund", "credit notes": "credit"}

def audit_counts():
    counts = {t: Invoice.objects.filter(tax=t).count() for t in LEDGER_TAXES}
    for column, kind in REPORT_KINDS.items():
        counts[column] = Invoice.objects.filter(kind=kind).count()
    return counts
'''),
]

# Read against real applications: a lookup redone only when the key changes (rows ordered by client), a
# SQLAlchemy subquery built per filter clause (part of one statement, not run), and a cache that loads only the
# keys it lacks.
NP101_NEGATIVE += [
    billing_app('''
from .models import Client, Invoice
def statement_lines():
    last_client, discount = None, None
    lines = []
    for inv in Invoice.objects.order_by("client_id"):
        if inv.client_id != last_client or discount is None:
            last_client = inv.client_id
            discount = Client.objects.filter(pk=inv.client_id).values_list("name", flat=True).first()
        lines.append((discount, inv.total))
    return lines
'''),
    {"ledger/__init__.py": "", "ledger/search.py": '''
from sqlalchemy.orm import Session
def entries_matching(session: Session, tags):
    subqueries = []
    for tag in tags:
        subqueries.append(session.query(EntryTag.entry_id).filter(EntryTag.name == tag).subquery())
    return subqueries
'''},
]

NP102_NEGATIVE += [
    billing_app('''
from .models import Client
class Statement:
    def __init__(self):
        self._clients = {}

    def _load_clients(self, ids):
        self._clients.update({c.pk: c for c in Client.objects.filter(pk__in=[i for i in ids if i not in self._clients])})

    def lines(self, invoices):
        out = []
        for inv in invoices:
            self._load_clients([inv.client_id])
            out.append((self._clients[inv.client_id].name, inv.total))
        return out
'''),
]

# More causes read in real findings: a Query object kept for later (an EXISTS), the one item a loop picks by
# name, and a list of at most a constant's number of rows.
NP101_NEGATIVE += [
    {"ledger/__init__.py": "", "ledger/search.py": '''
def unposted_filters(session, clauses):
    pending = []
    for clause in clauses:
        q = session.query(Entry.id).filter(Entry.account == clause.account)
        pending.append(q)
    return pending
'''},
    billing_app('''
from .models import Invoice
def bulk_edit(form, invoice_ids):
    for name in form.fields:
        if name == "client":
            Invoice.objects.filter(pk__in=invoice_ids).values_list("client_id", flat=True).first()
'''),
    billing_app('''
from .models import Invoice
MAX_REMINDERS = 5
def remind(rows):
    latest = [r for r in rows[:MAX_REMINDERS]]
    return [Invoice.objects.get(pk=r.pk).total for r in latest]
'''),
]

# A helper that builds a subquery (joined into the caller's statement) runs nothing per item.
NP102_NEGATIVE += [
    {"ledger/__init__.py": "", "ledger/search.py": '''
def latest_balance_subquery(session, account):
    return session.query(Balance.account_id).filter(Balance.account == account).subquery()

def search(session, base, accounts):
    for account in accounts:
        base = base.outerjoin(latest_balance_subquery(session, account))
    return base
'''},
]

# SQLAlchemy: a many-to-one to a lookup table by its name (`invoice_type_id` on the row): the identity map answers
# all but one lazy load per distinct type, so it is listed at low with that reason; each invoice's client, per row
INVOICE_TYPES = {"books/__init__.py": "", "books/models.py": SQLA_MIXIN_MODELS, "books/export.py": '''
from .models import Invoice
def rows(session):
    return [(inv.invoice_type.name, inv.client.name) for inv in session.query(Invoice)]
'''}
NP104_POSITIVE.append(INVOICE_TYPES)

# A local filled on the loop's first item (`if not client: client = client_of(inv)`, bound before the loop): once per
# run of the loop; set back to None on every item, it is fetched per item
_FIRST_ITEM = '''
from .models import Client, Invoice


def client_of(inv):
    return Client.objects.get(pk=inv.client_id)


def totals():
    client = None
    out = []
    for inv in Invoice.objects.filter(total__gt=0):
        {reset}if not client:
            client = client_of(inv)
        out.append((client.name, inv.total))
    return out
'''
NP102_NEGATIVE.append(billing_app(_FIRST_ITEM.format(reset="")))
NP102_POSITIVE.append(billing_app(_FIRST_ITEM.format(reset="client = None\n        ")))


# an async repository the service builds with an alternate constructor (`from_session`), whose base class a package
# re-exports (`from .base import RepositoryBase` in `repository/__init__.py`): each name is a query
NP102_POSITIVE.append({"books/__init__.py": "", "books/repository/__init__.py": "from .base import RepositoryBase\n",
                       "books/repository/base.py": '''
class RepositoryBase:
    def __init__(self, session):
        self.session = session

    @classmethod
    def from_session(cls, session):
        return cls(session)

    async def get_one_or_none(self, statement):
        result = await self.session.execute(statement)
        return result.scalar_one_or_none()
''', "books/clients.py": '''
from sqlalchemy import select
from books.models import Client
from books.repository import RepositoryBase


class ClientRepository(RepositoryBase):
    async def get_by_name(self, name):
        return await self.get_one_or_none(select(Client).where(Client.name == name))


async def clients(session, names):
    repository = ClientRepository.from_session(session)
    return [await repository.get_by_name(name) for name in names]
''', "books/models.py": SQLA_MIXIN_MODELS})


# a loop over windows of ids, each a range query of its own in its own transaction: chunking on purpose (a one-off
# reindex walks a big table 100 rows at a time); merging the windows would undo it
_WINDOWS = '''
from .models import Invoice


def id_{windows}(size):
    ids = list(Invoice.objects.values_list("id", flat=True).order_by("id"))
    return [(ids[i], ids[min(i + size, len(ids)) - 1]) for i in range(0, len(ids), size)]


def reindex_window(window):
    return [inv.pk for inv in Invoice.objects.filter(id__range=window)]


def reindex():
    for {var} in id_{windows}(100):
        reindex_window({var})
'''
NP102_NEGATIVE.append(billing_app(_WINDOWS.format(windows="windows", var="window")))
NP102_POSITIVE.append(billing_app(_WINDOWS.format(windows="ranges", var="pair")))


# a loop over chunks of keys, each loaded with one query: batching on purpose (a cache rebuild keeps memory bounded)
_KEY_CHUNKS = '''
from .models import Invoice


def grouped_invoice_ids(size):
    ids = list(Invoice.objects.values_list("id", flat=True))
    return [ids[i:i + size] for i in range(0, len(ids), size)]


def batch(size, items):
    return [items[i:i + size] for i in range(0, len(items), size)]


def load(ids):
    return list(Invoice.objects.filter(id__in=ids))


def rebuild():
    {loop}
        load({arg})
'''
NP102_NEGATIVE += [
    billing_app(_KEY_CHUNKS.format(loop="for invoice_ids in grouped_invoice_ids(200):", arg="invoice_ids")),
    billing_app(_KEY_CHUNKS.format(loop="for index, ids in enumerate(batch(200, list(Invoice.objects.values_list('id', flat=True)))):", arg="ids")),
]
# the twin: one key per item, one query per key
NP102_POSITIVE.append(billing_app(_KEY_CHUNKS.format(loop="for invoice_id in Invoice.objects.values_list('id', flat=True):", arg="[invoice_id]")))

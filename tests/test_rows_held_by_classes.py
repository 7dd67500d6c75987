"""Rows and calls that real code routes through classes: a serializer built on one row in a loop, models held in
class attributes (`self.model.objects`, `session.query(self.model_class)`, a constructor's `sql_model`), abstract
methods that one subclass implements, and SQLAlchemy deferred columns. Each mechanism: the exact finding (rule,
line, evidence chain) and the code that must stay silent (the fixed version, the ambiguous case)."""

from mcp_server.analysis.scan import scan_sources

DJANGO_MODELS = '''
from django.db import models


class Client(models.Model):
    name = models.CharField(max_length=100)


class Invoice(models.Model):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="invoices")
    number = models.CharField(max_length=20)


class Line(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    amount = models.DecimalField(max_digits=12, decimal_places=2)
'''

SERIALIZERS = '''
from rest_framework import serializers

from .models import Invoice, Line


class LineSerializer(serializers.ModelSerializer):
    class Meta:
        model = Line
        fields = ["id", "amount"]


class InvoiceSerializer(serializers.ModelSerializer):
    lines = LineSerializer(many=True, read_only=True)
    total = serializers.SerializerMethodField()

    class Meta:
        model = Invoice
        fields = ["id", "number", "lines", "total"]

    def get_total(self, obj):
        return Line.objects.filter(invoice_id=obj.pk).count()
'''


def _django(code: str, **more: str) -> dict[str, str]:
    return {"billing/__init__.py": "", "billing/models.py": DJANGO_MODELS, "billing/serializers.py": SERIALIZERS,
            "billing/tasks.py": code, **more}


def found(files: dict[str, str]) -> list:
    return scan_sources(files, select=["NP", "PF201"]).findings


def chain(f) -> list[tuple[str, str, int]]:
    return [(e.role, e.location.path, e.location.line) for e in f.evidence]


# -- a serializer built on one row in a loop ---------------------------------------------------------------------
def test_a_serializer_built_per_row_runs_its_fields_per_row():
    files = _django('''
from django.core.files.storage import default_storage

from .models import Invoice
from .serializers import InvoiceSerializer


def export(days):
    for statement in Invoice.objects.filter(number__startswith="2026"):
        data = InvoiceSerializer(statement).data
        default_storage.save(f"{statement.pk}.json", data)
''')
    by_rule = {f.rule: f for f in found(files)}
    assert sorted(by_rule) == ["NP102", "NP103"]
    query = by_rule["NP102"]  # the SerializerMethodField's query
    assert (query.location.path, query.location.line) == ("billing/tasks.py", 10)
    # the file stored per row does not hide the query, nor lower it: a stored file costs about what a query does
    assert chain(query) == [("loop", "billing/tasks.py", 9), ("call", "billing/tasks.py", 10), ("call", "billing/serializers.py", 15),
                            ("query", "billing/serializers.py", 22)]
    assert query.severity.value == "high"
    lines = by_rule["NP103"]  # the nested many=True serializer reads the relation per row
    assert (lines.location.path, lines.location.line) == ("billing/tasks.py", 10)
    assert '.prefetch_related("lines")' in lines.suggestion
    assert [e.role for e in lines.evidence][:3] == ["loop", "call", "read"]
    assert ("read", "billing/serializers.py", 14) in chain(lines)


def test_a_serializer_per_row_stays_silent_when_fixed_or_validating():
    prefetched = _django('''
from .models import Invoice
from .serializers import LineSerializer


def export():
    for invoice in Invoice.objects.prefetch_related("lines"):
        print(LineSerializer(invoice.lines.all(), many=True).data)
''')
    assert found(prefetched) == []
    # validating a payload reads the payload, not a row's relations or method fields
    validating = _django('''
from .serializers import InvoiceSerializer


def load(payloads):
    for payload in payloads:
        s = InvoiceSerializer(data=payload)
        s.is_valid(raise_exception=True)
''')
    assert found(validating) == []


def test_rows_named_like_sql_are_still_rows_but_statements_are_not():
    files = _django('''
from .models import Invoice


def show(statement):
    return statement.client.name


def report():
    for statement in Invoice.objects.all():
        print(show(statement))


def run(cursor, statements):
    for sql in statements:
        cursor.execute(sql)
''')
    (f,) = found(files)
    assert (f.rule, f.location.line) == ("NP103", 11)
    assert 'select_related("client")' in f.suggestion


# -- models held in class attributes ----------------------------------------------------------------------------
ACCESS = '''
from .models import Invoice


class InvoiceAccess:
    model = Invoice
    select = ()

    def __init__(self, user):
        self.user = user

    def get_queryset(self):
        return self.model.objects.all().select_related(*self.select)


class GoodAccess(InvoiceAccess):
    pass
'''


def test_a_model_held_in_a_class_attribute_types_the_rows():
    files = _django('''
from .access import InvoiceAccess


def names(user):
    return [inv.client.name for inv in InvoiceAccess(user).get_queryset()]
''', **{"billing/access.py": ACCESS})
    (f,) = found(files)
    assert (f.rule, f.location.path, f.location.line) == ("NP103", "billing/tasks.py", 6)
    assert chain(f) == [("loop", "billing/tasks.py", 6), ("queryset", "billing/tasks.py", 6), ("queryset", "billing/access.py", 13),
                        ("relation", "billing/models.py", 10)]
    assert 'select_related("client")' in f.suggestion
    # the class's own tuple of lookups, spread into select_related: loaded
    fixed = {**files, "billing/access.py": ACCESS.replace("select = ()", 'select = ("client",)')}
    assert found(fixed) == []


SQLA_MODELS = '''
from sqlalchemy import Column, ForeignKey, Integer, String, func, select
from sqlalchemy.orm import column_property, declarative_base, declared_attr, deferred, relationship

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    username = Column(String(64))


class Audited(Base):
    __abstract__ = True

    @declared_attr
    def creator_id(cls):
        return Column(Integer, ForeignKey("users.id"))

    @declared_attr
    def creator(cls):
        return relationship("User", foreign_keys=[cls.creator_id])


class Invoice(Audited):
    __tablename__ = "invoices"
    id = Column(Integer, primary_key=True)
    notes = deferred(Column(String(4000)))
    line_count = column_property(select(func.count(User.id)).scalar_subquery(), deferred=True)


class Payment(Audited):
    __tablename__ = "payments"
    id = Column(Integer, primary_key=True)


class Receipt(Base):
    __tablename__ = "receipts"
    id = Column(Integer, primary_key=True)
'''

GENERIC_VIEW = '''
from sqlalchemy.orm import joinedload


class GenericView:
    model_class = None

    def __init__(self, session):
        self.session = session

    def _query(self):
        return self.session.query(self.model_class)

    def index(self):
        return [{"id": o.id, "by": o.creator.username} for o in self._query().all()]
'''


def _sqla(**files: str) -> dict[str, str]:
    return {"books/__init__.py": "", "books/models.py": SQLA_MODELS, **files}


def test_subclasses_assigning_models_with_one_mapped_base_type_the_rows():
    views = '''
from .base import GenericView
from .models import Invoice, Payment


class InvoiceView(GenericView):
    model_class = Invoice


class PaymentView(GenericView):
    model_class = Payment
'''
    files = _sqla(**{"books/base.py": GENERIC_VIEW, "books/views.py": views})
    (f,) = found(files)
    assert (f.rule, f.location.path, f.location.line) == ("NP104", "books/base.py", 15)
    assert "Audited.creator" in f.evidence[-1].message
    assert "joinedload(Audited.creator)" in f.suggestion or "selectinload(Audited.creator)" in f.suggestion
    fixed = GENERIC_VIEW.replace("return self.session.query(self.model_class)",
                                 'return self.session.query(self.model_class).options(joinedload(getattr(self.model_class, "creator")))')
    assert found({**files, "books/base.py": fixed}) == []
    # a subclass holding a model without that base: no one model stands for the rows, no guess
    mixed = views + '''

class ReceiptView(GenericView):
    model_class = Receipt
'''
    assert found({**files, "books/views.py": mixed.replace("import Invoice, Payment", "import Invoice, Payment, Receipt")}) == []


def test_a_model_passed_to_the_constructor_types_select_self_model():
    repo = '''
from sqlalchemy import select


class Repository:
    def __init__(self, session, sql_model):
        self.session = session
        self.model = sql_model

    def names(self):
        return [row.creator.username for row in self.session.scalars(select(self.model))]


def invoices(session):
    return Repository(session, Invoice).names()
'''
    files = _sqla(**{"books/repo.py": "from .models import Invoice\n" + repo})
    (f,) = found(files)
    assert (f.rule, f.location.path, f.location.line) == ("NP104", "books/repo.py", 12)
    # a constructor call passing something that is not a project model: the attribute's model is not known
    other = _sqla(**{"books/repo.py": "from .models import Invoice\nfrom .forms import InvoiceForm\n" + repo
                     + "\n\ndef forms(session):\n    return Repository(session, InvoiceForm).names()\n"})
    assert found(other) == []


# -- an abstract method one subclass implements ------------------------------------------------------------------
MANAGER = '''
class BaseManager:
    def grants_of(self, role_id):
        raise NotImplementedError

    def names(self, role_id):
        return [g.creator.username for g in self.grants_of(role_id)]
'''

SQLA_MANAGER = '''
from .manager import BaseManager
from .models import Invoice


class SqlaManager(BaseManager):
    def __init__(self, session):
        self.session = session

    def grants_of(self, role_id):
        return self.session.query(Invoice).filter(Invoice.id == role_id).all()
'''


def test_an_abstract_method_returns_what_its_one_override_returns():
    files = _sqla(**{"books/manager.py": MANAGER, "books/sqla.py": SQLA_MANAGER})
    (f,) = found(files)
    assert (f.rule, f.location.path, f.location.line) == ("NP104", "books/manager.py", 7)
    assert chain(f)[:2] == [("loop", "books/manager.py", 7), ("queryset", "books/manager.py", 7)]
    assert ("queryset", "books/sqla.py", 11) in chain(f)
    eager = SQLA_MANAGER.replace("self.session.query(Invoice)", "self.session.query(Invoice).options(joinedload(Invoice.creator))")
    assert found({**files, "books/sqla.py": "from sqlalchemy.orm import joinedload\n" + eager}) == []


def test_an_abstract_method_with_several_or_overriding_implementations_is_no_guess():
    second = SQLA_MANAGER.replace("class SqlaManager", "class OtherManager")
    files = _sqla(**{"books/manager.py": MANAGER, "books/sqla.py": SQLA_MANAGER, "books/other.py": second})
    assert found(files) == []
    # the subclass overrides the calling method too: the base's loop never runs for it
    batched = SQLA_MANAGER + '''
    def names(self, role_id):
        return []
'''
    assert found(_sqla(**{"books/manager.py": MANAGER, "books/sqla.py": batched})) == []


def test_a_call_per_item_through_an_abstract_method_reaches_the_override_query():
    manager = '''
class BaseManager:
    def grants_of(self, role_id):
        raise NotImplementedError

    def all_grants(self, role_ids):
        out = []
        for role_id in role_ids:
            out.extend(self.grants_of(role_id))
        return out
'''
    (f,) = found(_sqla(**{"books/manager.py": manager, "books/sqla.py": SQLA_MANAGER}))
    assert (f.rule, f.location.path, f.location.line) == ("NP102", "books/manager.py", 9)
    assert chain(f) == [("loop", "books/manager.py", 8), ("call", "books/manager.py", 9), ("query", "books/sqla.py", 11)]


# -- SQLAlchemy deferred columns -----------------------------------------------------------------------------------
def test_a_deferred_column_read_per_row():
    report = '''
from sqlalchemy import select
from sqlalchemy.orm import undefer

from .models import Invoice


def notes(session):
    return [(i.id, i.notes, i.line_count) for i in session.scalars(select(Invoice))]


def notes_fast(session):
    rows = session.scalars(select(Invoice).options(undefer(Invoice.notes), undefer(Invoice.line_count)))
    return [(i.id, i.notes, i.line_count) for i in rows]


def ids(session):
    return [i.id for i in session.scalars(select(Invoice))]
'''
    findings = found(_sqla(**{"books/report.py": report}))
    assert [(f.rule, f.location.line) for f in findings] == [("NP104", 9), ("NP104", 9)]
    assert {f.message.partition(" ")[0] for f in findings} == {"`i.notes`", "`i.line_count`"}
    assert all(f.suggestion.startswith("Add `.options(undefer(Invoice.") for f in findings)
    assert chain(findings[0]) == [("loop", "books/report.py", 9), ("queryset", "books/report.py", 9)]


def test_a_deferred_column_in_a_handful_or_an_undefer_group_is_not_reported():
    report = '''
from sqlalchemy import select
from sqlalchemy.orm import undefer_group

from .models import Invoice


def grouped(session):
    return [i.notes for i in session.scalars(select(Invoice).options(undefer_group("text")))]


def first_three(session):
    return [i.notes for i in session.scalars(select(Invoice))[:3]]
'''
    assert found(_sqla(**{"books/report.py": report})) == []


# -- a default queryset for a parameter is not the callers' rows -----------------------------------------------------
def test_a_parameters_default_queryset_does_not_stand_for_what_callers_pass():
    files = _django('''
from .models import Invoice


def narrowed(queryset=None):
    if queryset is None:
        queryset = Invoice.objects.all()
    return queryset.filter(number__startswith="2026")


def names():
    return [inv.client.name for inv in narrowed(Invoice.objects.select_related("client"))]
''')
    assert found(files) == []


def test_a_parameters_default_queryset_stands_when_no_caller_passes_known_rows():
    files = _django('''
from .models import Invoice


def names(numbers=None, queryset=None):
    if queryset is None:
        queryset = Invoice.objects.filter(number__in=numbers)
    return [inv.client.name for inv in queryset]


def first(cached):
    return names(["1"], queryset=cached)
''')
    (f,) = found(files)
    assert (f.rule, f.location.line) == ("NP103", 8)
    assert chain(f)[-2] == ("queryset", "billing/tasks.py", 7)


# -- a polymorphic row's `specific` fetches the subclass row --------------------------------------------------------
SPECIFIC = '''
from functools import cached_property

from django.contrib.contenttypes.models import ContentType
from django.db import models


class Typed(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)

    @cached_property
    def specific_class(self):
        return ContentType.objects.get_for_id(self.content_type_id).model_class()

    @cached_property
    def specific(self):
        content_type = ContentType.objects.get_for_id(self.content_type_id)
        return content_type.get_object_for_this_type(id=self.id)
'''


def test_a_polymorphic_rows_specific_queries_per_row():
    files = {"core/__init__.py": "", "core/models.py": SPECIFIC, "core/views.py": '''
from .models import Typed


def describe(row):
    return str(row.specific)


def listing():
    return [describe(t) for t in Typed.objects.select_related("content_type")]


def classes():
    return [t.specific_class for t in Typed.objects.all()]
'''}
    (f,) = found(files)
    assert (f.rule, f.location.path, f.location.line) == ("NP102", "core/views.py", 10)
    assert chain(f) == [("loop", "core/views.py", 10), ("call", "core/views.py", 10), ("read", "core/views.py", 6),
                        ("query", "core/models.py", 18)]


# -- functions kept in a table and called per row ---------------------------------------------------------------------
def test_functions_from_a_table_called_per_row():
    files = _django('''
from .models import Client, Invoice


def client_link(invoice):
    return Client.objects.filter(pk=invoice.client_id).exists()


def number_link(invoice):
    return f"/invoices/{invoice.number}/"


class InvoiceTable:
    links = {"client": client_link, "number": number_link}

    def render(self):
        out = []
        for invoice in Invoice.objects.all():
            for column, link in self.links.items():
                out.append(link(invoice))
        return out

    def header(self):
        return [link(None) for link in self.links.values()]
''')
    (f,) = found(files)
    assert (f.rule, f.location.path, f.location.line) == ("NP102", "billing/tasks.py", 20)
    assert f.message.startswith("`link()` is called once per item of the loop at line 18 and reaches a query: client_link -> ")
    assert chain(f) == [("loop", "billing/tasks.py", 18), ("call", "billing/tasks.py", 20), ("query", "billing/tasks.py", 6)]


def test_a_table_of_functions_that_do_not_query_is_silent():
    files = _django('''
from .models import Invoice


def number_link(invoice):
    return f"/invoices/{invoice.number}/"


HANDLERS = [number_link, str]


def render():
    return [[h(invoice) for h in HANDLERS] for invoice in Invoice.objects.all()]
''')
    assert found(files) == []


# -- lists built from rows, and one row picked from them ----------------------------------------------------------------
def test_rows_kept_through_a_filtering_comprehension_and_a_picked_row():
    files = _django('''
from .models import Client, Invoice


def big(min_total):
    invoices = [inv for inv in Invoice.objects.all() if inv.number]
    return [inv.client.name for inv in invoices]


def per_client(ids):
    clients = list(Client.objects.filter(pk__in=ids))
    ordered = [next(c for c in clients if c.pk == i) for i in ids]
    out = []
    for i in range(len(ids)):
        for inv in ordered[i].invoices.all():
            out.append((inv.client.name, inv.lines.count()))
    return out


def big_fast(min_total):
    invoices = [inv for inv in Invoice.objects.select_related("client") if inv.number]
    return [inv.client.name for inv in invoices]
''')
    first, picked = found(files)
    assert (first.rule, first.location.line) == ("NP103", 7)
    assert 'select_related("client")' in first.suggestion
    # the invoices of one client picked from the list: each counts its lines (`client` is that client, cached by Django)
    assert (picked.rule, picked.location.line) == ("NP103", 16)
    assert picked.message.startswith("`inv.lines.count()` loads Invoice.lines once per row in the loop at line 15")


def test_later_loops_over_the_same_row_objects_read_what_the_first_loaded():
    files = _django('''
from .models import Invoice


def check(numbers):
    rows = list(Invoice.objects.filter(number__in=numbers))
    names = [inv.client.name for inv in rows]
    rows = [inv for inv in rows if inv.number]
    for inv in rows:
        print(inv.client.name)
    return names, [inv.client.pk for inv in Invoice.objects.filter(number__in=numbers)]
''')
    assert [(f.rule, f.location.line) for f in found(files)] == [("NP103", 7), ("NP103", 11)]


def test_an_enumerated_later_loop_over_the_same_rows_is_not_reported_again():
    files = _django('''
from .models import Invoice


def check(numbers):
    rows = list(Invoice.objects.filter(number__in=numbers))
    for inv in rows:
        print(inv.client.name)
    for i, inv in enumerate(rows):
        print(i, inv.client.name)
''')
    assert [(f.rule, f.location.line) for f in found(files)] == [("NP103", 8)]


# -- a schema class given to a generic repository, and the statement its helper builds ------------------------------------
REPO = '''
from sqlalchemy import select


class Repository:
    def __init__(self, session, sql_model, schema):
        self.session = session
        self.model = sql_model
        self.schema = schema

    def _query(self):
        return select(self.model)

    def loader_options(self):
        return []

    def page(self, override=None):
        out_schema = override or self.schema
        q = self._query().limit(50)
        rows = self.session.execute(q).scalars().all()
        return [out_schema.dump(r) for r in rows]
'''

SCHEMA = '''
class InvoiceOut:
    @classmethod
    def dump(cls, row):
        return {"id": row.id, "by": row.creator.username}
'''

CALLER = '''
from .models import Invoice
from .repo import Repository
from .schemas import InvoiceOut


def invoices(session):
    return Repository(session, Invoice, InvoiceOut).page()
'''


def test_a_schema_class_given_to_a_repository_reads_each_row():
    files = _sqla(**{"books/repo.py": REPO, "books/schemas.py": SCHEMA, "books/api.py": CALLER})
    (f,) = found(files)
    assert (f.rule, f.location.path, f.location.line) == ("NP104", "books/repo.py", 21)
    assert [e.role for e in f.evidence] == ["loop", "call", "read", "queryset", "queryset", "relation"]
    assert ("read", "books/schemas.py", 5) in chain(f)
    # eager loading the file does not spell out (`*self.loader_options()`): no finding contradicts it
    spread = REPO.replace("q = self._query().limit(50)", "q = self._query().options(*self.loader_options()).limit(50)")
    assert found({**files, "books/repo.py": spread}) == []
    # two schema classes handed to the same attribute: which one runs is not known
    two = CALLER + "\n\nclass Other:\n    @classmethod\n    def dump(cls, row):\n        return row.id\n\n\ndef others(session):\n" \
                   "    return Repository(session, Invoice, Other).page()\n"
    assert found({**files, "books/api.py": two}) == []


def test_a_content_types_object_fetched_in_a_loop_directly():
    files = {"core/__init__.py": "", "core/models.py": SPECIFIC, "core/views.py": '''
from django.contrib.contenttypes.models import ContentType


def objects(pairs):
    return [ContentType.objects.get_for_id(ct).get_object_for_this_type(pk=pk) for ct, pk in pairs]
'''}
    (f,) = found(files)
    assert (f.rule, f.location.line, f.confidence.value) == ("NP101", 6, "medium")
    assert f.message.startswith("`ContentType.get_object_for_this_type` runs a query once per item of the loop at line 6")


_COUNTS_VIEW = '''
from .models import Invoice
from .tables import InvoiceTable


class InvoiceListView:
    queryset = Invoice.objects.select_related("client").prefetch_related("lines")

    def get(self, request):
        return InvoiceTable(self.queryset.all()).rows()

    def numbers(self, request):
        return [(inv.number, inv.lines.filter(amount__gt=0).count()) for inv in self.queryset.all()]
'''

_COUNTS_TABLE = '''
class InvoiceTable:
    def __init__(self, data):
        self.data = data

    def render_lines(self, record):
        lines = record.lines.all()
        return f"{lines.filter(amount__gt=0).count()}/{lines.filter(amount__lt=0).count()}"

    def rows(self):
        return [(r.number, self.render_lines(r)) for r in self.data]
'''


def test_a_class_body_queryset_and_the_table_it_is_handed_to_are_a_querys_rows():
    # `self.queryset` is the class body's queryset: a query's rows (high), not one object's related rows; the table
    # holds what its constructor was given, and its method filters each row's prefetched lines through a local
    # (`lines = record.lines.all()`), which queries per row all the same (the fix is an annotation)
    files = {"billing/__init__.py": "", "billing/models.py": DJANGO_MODELS, "billing/views.py": _COUNTS_VIEW,
             "billing/tables.py": _COUNTS_TABLE}
    found = sorted((f.location.path, f.location.line, f.severity.value, f.message.split(":")[0])
                   for f in scan_sources(files).findings if f.rule == "NP103")
    assert found == [
        ("billing/tables.py", 11, "high", "`r.lines` runs a query per Invoice in the loop at line 11"),
        ("billing/views.py", 13, "high", "`inv.lines.filter()` runs a query per Invoice in the loop at line 13"),
    ]
    fixed = _COUNTS_VIEW.replace('.prefetch_related("lines")', '.annotate(n=Count("lines"))').replace(
        "inv.lines.filter(amount__gt=0).count()", "inv.n")
    fixed_table = _COUNTS_TABLE.replace("lines = record.lines.all()\n        ", "").replace(
        'return f"{lines.filter(amount__gt=0).count()}/{lines.filter(amount__lt=0).count()}"', "return str(record.n)")
    assert [f for f in scan_sources({**files, "billing/views.py": fixed, "billing/tables.py": fixed_table}).findings
            if f.rule.startswith("NP")] == []


def test_rows_a_class_holds_are_sized_as_a_whole_table():
    # `self.queryset` and `self.data` hold a query's rows, not one object's related rows: the user's size of the
    # table is the loop's size, with no parent table to divide it by
    files = {"billing/__init__.py": "", "billing/models.py": DJANGO_MODELS, "billing/views.py": _COUNTS_VIEW,
             "billing/tables.py": _COUNTS_TABLE}
    report = scan_sources(files, table_rows={"billing_invoice": 250_000})
    got = sorted((f.location.path, f.location.line, f.data["loop_rows"], f.message.rpartition("; ")[2])
                 for f in report.findings if f.rule == "NP103")
    said = "the table `billing_invoice` holds 250,000 rows (table_rows)"
    assert got == [("billing/tables.py", 11, {"table": "billing_invoice"}, said),
                   ("billing/views.py", 13, {"table": "billing_invoice"}, said)]


_PAGER = '''
class Pager:
    def __init__(self, rows, *, offset=0):
        self.rows = rows
        self.offset = offset

    def named(self, name):
        rows = list(self.rows)
        rows = [r for r in rows if r.number == name]
        return Pager(rows, offset=0)

    def names(self):
        return [r.client.name for r in self.rows]
'''


def test_a_class_handed_its_own_held_rows_ends_the_search_instead_of_recursing():
    # `Pager(rows)` inside Pager, where `rows = list(self.rows)`: typing `self.rows` asks Pager's callers, one of
    # which passes rows read from `self.rows` again. The search must stop at its depth bound and say nothing, not crash on the recursion limit.
    files = {"billing/__init__.py": "", "billing/models.py": DJANGO_MODELS, "billing/pager.py": _PAGER}
    assert [f for f in scan_sources(files).findings if f.rule.startswith("NP")] == []
    typed = _PAGER + '''

def first_page():
    from .models import Invoice
    return Pager(Invoice.objects.all()).names()
'''
    got = [(f.rule, f.location.line) for f in scan_sources({**files, "billing/pager.py": typed}).findings if f.rule.startswith("NP")]
    assert got == [("NP103", 13)]

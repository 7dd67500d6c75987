"""Findings judged on five applications nobody here had read (stop 25), each cause fixed with its true twin, exact."""

from mcp_server.analysis.scan import scan_sources
from mcp_server.rules.row_examples import SERIALIZERS, billing_app


def _found(files: dict[str, str], rule: str) -> list[tuple[str, int, str]]:
    return sorted((f.location.path, f.location.line, f.message) for f in scan_sources(files).findings if f.rule == rule)


_FIRST_CLIENT = '''
from .models import Invoice
def first_client():
    for inv in Invoice.objects.all():
        if inv.client:
            return inv.client
    return None
def first_client_name():
    name = None
    for inv in Invoice.objects.all():
        if inv.client:
            name = inv.client.name
            break
    return name
def first_named():
    for inv in Invoice.objects.filter(total__gt=0):
        if inv.client.name:
            return inv.client.name
    return None
'''


def test_np103_a_relation_tested_by_a_branch_that_leaves_the_loop_is_read_once():
    # `if inv.client: return ...` reads at most one client; `if inv.client.name:` reads one per row until a name is set
    found = _found(billing_app(_FIRST_CLIENT), "NP103")
    assert [(path, line) for path, line, _ in found] == [("billing/views.py", 17)]
    assert found[0][2].startswith("`inv.client.name` loads Invoice.client once per row in the loop at line 16")


_REORDER = '''
def reorder_statuses(cur, orders):
    cur.execute("PREPARE set_order AS UPDATE invoice_status SET position = $1 WHERE id = $2")
    for status_id, position in orders:
        cur.execute("EXECUTE set_order (%s, %s)", (position, status_id))
    cur.execute("DEALLOCATE set_order")
'''


def test_pf201_a_prepared_update_executed_per_row_is_a_write_not_a_read():
    # the batch-write rule names the right fix (executemany / one UPDATE ... FROM VALUES), not NP101's SELECT ... IN
    files = {"billing/__init__.py": "", "billing/order.py": _REORDER}
    assert _found(files, "NP101") == []
    found = _found(files, "PF201")
    assert [(path, line, message.split(":")[0]) for path, line, message in found] == [
        ("billing/order.py", 5, "one UPDATE per item of the loop at line 4")]


_VIEWSET = '''
from rest_framework import viewsets
from .models import Invoice
from .serializers import InvoiceSerializer
class InvoiceViewSet(viewsets.ModelViewSet):
    serializer_class = InvoiceSerializer
    def get_queryset(self):
        if self.request.user.is_anonymous:
            return Invoice.objects.none()
        return Invoice.objects.filter(client__owner=self.request.user)
'''


def test_drf_rows_are_those_of_the_return_that_has_rows_not_of_none():
    found = _found(billing_app(_VIEWSET, **{"billing/serializers.py": SERIALIZERS}), "NP103")
    assert found and all("the queryset at billing/views.py:10 " in message for _, _, message in found), found


_SHARED_BILLS = '''
from sqlalchemy import Column, ForeignKey, Integer, Numeric, Table
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()

bill_owers = Table("bill_owers", Base.metadata, Column("bill_id", ForeignKey("bill.id")), Column("person_id", ForeignKey("person.id")))


class Person(Base):
    __tablename__ = "person"
    id = Column(Integer, primary_key=True)
    bills = relationship("Bill", backref="payer")


class Category(Base):
    __tablename__ = "category"
    id = Column(Integer, primary_key=True)
    bills = relationship("Bill", backref="category")


class Bill(Base):
    __tablename__ = "bill"
    id = Column(Integer, primary_key=True)
    payer_id = Column(Integer, ForeignKey("person.id"))
    category_id = Column(Integer, ForeignKey("category.id"))
    amount = Column(Numeric(12, 2))
    owers = relationship(Person, secondary=bill_owers)
'''

_BALANCES = '''
from collections import defaultdict
from sqlalchemy import select
from sqlalchemy.orm import subqueryload
from .models import Bill
def balances(session):
    paid = defaultdict(int)
    for bill in session.scalars(select(Bill).options(subqueryload(Bill.owers))):
        paid[bill.payer.id] += bill.amount
        paid[bill.category.id] += 0
    return paid
'''


def test_np104_a_many_to_one_whose_rows_the_statement_loads_another_way_comes_from_the_identity_map():
    # the owers load every Person the bills name, so bill.payer mostly finds its row in the session: low, with why;
    # no eager load brings Category rows, so bill.category stays a query per bill
    report = scan_sources({"split/__init__.py": "", "split/models.py": _SHARED_BILLS, "split/shares.py": _BALANCES})
    found = sorted((f.location.line, f.severity.value, f.message) for f in report.findings if f.rule == "NP104")
    assert [(line, severity) for line, severity, _ in found] == [(9, "low"), (10, "high")]
    assert found[0][2].endswith("; the statement loads Person rows through `owers` too, and a many-to-one lazy load takes its row "
                                "from the session's identity map before it queries, so it queries only for those not loaded")


_FILTERED_ONLY = '''
from .models import Invoice
def big(inv):
    payments = inv.payments.all()
    return payments.filter(amount__gt=1000).count()
def summed(inv):
    payments = inv.payments.all()
    return sum(p.amount for p in payments)
def report():
    return [(inv.pk, big(inv), summed(inv)) for inv in Invoice.objects.all()]
'''


def test_np103_a_local_holding_related_rows_that_are_only_filtered_is_not_a_prefetch_case():
    # `big` only filters what it holds: a query per row that no prefetch serves (the fix is an annotation);
    # `summed` iterates it: the rows load once per row, and prefetch_related("payments") is the fix
    found = sorted((f.location.line, f.message.split(" (")[0], f.suggestion.split(":")[0]) for f in
                   scan_sources(billing_app(_FILTERED_ONLY)).findings if f.rule == "NP103")
    assert found == [
        (10, "`inv.payments` loads Invoice.payments once per row in the loop at line 10: the queryset at billing/views.py:10 has "
             'no prefetch_related("payments")', 'Add `.prefetch_related("payments")` to the queryset at billing/views.py'),
        (10, "`inv.payments` runs a query per Invoice in the loop at line 10: `.payments.filter()` queries even when the relation "
             "is prefetched", "Prefetch the subset once"),
    ]

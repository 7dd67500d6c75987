"""Read on real applications (issue 15): one loop with several queries, one serializer field reached from many
list views and one helper called per item from many loops are one problem each; a loop not shown to walk rows
is reported below `high`, with the reason."""

from mcp_server.analysis.scan import scan_sources
from mcp_server.rules.row_examples import ROW_MODELS

API = '''
from rest_framework import serializers, viewsets
from .models import Invoice

class InvoiceSerializer(serializers.ModelSerializer):
    client_name = serializers.SerializerMethodField()
    class Meta:
        model = Invoice
        fields = ["id", "client_name"]
    def get_client_name(self, obj):
        return obj.client.name

class InvoiceViewSet(viewsets.ModelViewSet):
    queryset = Invoice.objects.all()
    serializer_class = InvoiceSerializer

class OpenInvoiceViewSet(viewsets.ModelViewSet):
    queryset = Invoice.objects.filter(total__gt=0)
    serializer_class = InvoiceSerializer
'''

VIEWS = '''
from .models import Client, Invoice

def rate(client_id):
    return Client.objects.get(pk=client_id).name

def a():
    return [rate(inv.client_id) for inv in Invoice.objects.all()]

def b():
    out = []
    for inv in Invoice.objects.filter(total__gt=0):
        out.append(rate(inv.client_id))
    return out

def c(names):
    for n in names:
        qs = Client.objects.filter(name=n)
        if qs.exists():
            qs.first()

def d(request):
    for key in request.GET.getlist("k"):
        Client.objects.get(name=key)
'''


def findings():
    files = {"billing/__init__.py": "", "billing/models.py": ROW_MODELS, "billing/api.py": API, "billing/views.py": VIEWS}
    report = scan_sources(files, select=["NP"])
    assert not report.errors
    return {(f.rule, f.location.path, f.location.line): f for f in report.findings}


def test_one_finding_per_loop_with_every_query_in_its_evidence():
    f = findings()
    per_loop = [k for k in f if k[1] == "billing/views.py" and 17 <= k[2] <= 21]
    assert per_loop == [("NP101", "billing/views.py", 18)]
    lead = f[per_loop[0]]
    # the queryset built in the loop, its exists() and its first(): one place to restructure, not three findings
    assert "(3 queries or calls per iteration of this loop)" in lead.message
    assert [(e.role, e.location.line) for e in lead.evidence] == [("loop", 17), ("query", 18), ("query", 19), ("query", 20)]
    # `names` is a parameter that no function of the project calls with the rows of a query: medium, with the reason
    assert lead.severity.value == "medium"
    assert "the loop walks the parameter `names`, and no caller in the project is shown to pass it the rows of a query" in lead.message


def test_a_serializer_field_reached_from_two_list_views_is_one_finding():
    f = findings()
    np103 = [k for k in f if k[0] == "NP103"]
    assert np103 == [("NP103", "billing/api.py", 11)]
    lead = f[np103[0]]
    assert "the same read runs per row in 1 more loop (in the evidence, with its rows)" in lead.message
    assert [e.location.line for e in lead.evidence if e.role == "loop"] == [14, 18]
    assert [e.message for e in lead.evidence if e.role == "queryset"] == [
        "rows come from: queryset = Invoice.objects.all()", "rows come from: queryset = Invoice.objects.filter(total__gt=0)"]


def test_a_helper_called_per_item_from_two_loops_says_one_fix_covers_both():
    f = findings()
    calls = [k for k in f if k[0] == "NP102"]
    assert calls == [("NP102", "billing/views.py", 8), ("NP102", "billing/views.py", 13)]
    for k in calls:
        assert f[k].message.endswith("; 2 loops in the project call `rate()` per item: one batch variant of it (or a cache in it) fixes them all")


def test_a_loop_not_shown_to_walk_rows_is_low_with_the_reason():
    f = findings()
    unsized = f[("NP101", "billing/views.py", 24)]
    assert unsized.severity.value == "low"
    assert unsized.message.endswith("; the loop does not walk rows of a query (its size is unknown), so it matters only when it runs over many items")
    assert f[("NP102", "billing/views.py", 8)].severity.value == "high"


def test_rows_filtered_on_one_parent_are_sized_like_its_related_rows():
    files = {"billing/__init__.py": "", "billing/models.py": ROW_MODELS, "billing/views.py": '''
from .models import Client, Invoice, Payment

def one_client(client):
    for inv in Invoice.objects.filter(client=client):
        Payment.objects.filter(invoice_id=inv.id).count()

def every_client():
    for client in Client.objects.all():
        for inv in Invoice.objects.filter(client=client):
            Payment.objects.filter(invoice_id=inv.id).count()
'''}
    report = scan_sources(files, select=["NP101"])
    got = {f.location.line: f for f in report.findings}
    assert got[6].severity.value == "medium"
    assert got[6].message.endswith("; the loop walks the rows of one client, often a handful, so it matters when that object has many")
    # the parent is an outer loop's row: in the end the loop walks every client's invoices
    assert got[11].severity.value == "high"
    assert [e.message for e in got[11].evidence if e.role == "loop"] == [
        "for loop (large: rows of a database query): for inv in Invoice.objects.filter(client=client):"]


def test_rows_filtered_on_a_longer_key_name_or_on_the_objects_own_key_are_one_parents_rows():
    files = {"billing/__init__.py": "", "billing/models.py": ROW_MODELS, "billing/views.py": '''
from .models import Invoice, Payment

def billed_client(client):
    for inv in Invoice.objects.filter(billed_client_id=client.id):
        Payment.objects.filter(invoice_id=inv.id).count()

class Statement:
    def lines(self):
        for inv in Invoice.objects.filter(client_id=self.client_id):
            Payment.objects.filter(invoice_id=inv.id).count()
'''}
    got = {f.location.line: f for f in scan_sources(files, select=["NP101"]).findings}
    assert got[6].severity.value == "medium"
    assert got[6].message.endswith("; the loop walks the rows of one billed_client, often a handful, so it matters when that object has many")
    assert got[11].severity.value == "medium"
    assert got[11].message.endswith("; the loop walks the rows of one client, often a handful, so it matters when that object has many")


def test_rows_filtered_on_the_id_a_url_names_are_one_parents_rows():
    # `filter(client=client_id)`, `filter(client=cid)`: the one client a view's URL names; the same filter with a
    # status or with an outer loop's client is not one parent's rows
    files = {"billing/__init__.py": "", "billing/models.py": ROW_MODELS, "billing/views.py": '''
from .models import Client, Invoice, Payment

def by_id(request, client_id):
    for inv in Invoice.objects.filter(client=client_id):
        Payment.objects.filter(invoice_id=inv.id).count()

def by_cid(request, cid):
    for inv in Invoice.objects.filter(client=cid):
        Payment.objects.filter(invoice_id=inv.id).count()

def by_status(request, status_id):
    for inv in Invoice.objects.filter(client=status_id):
        Payment.objects.filter(invoice_id=inv.id).count()

def every_client():
    for client_id in Client.objects.values_list("id", flat=True):
        for inv in Invoice.objects.filter(client=client_id):
            Payment.objects.filter(invoice_id=inv.id).count()
'''}
    got = {f.location.line: f for f in scan_sources(files, select=["NP101"]).findings}
    assert [(line, got[line].severity.value) for line in (6, 10, 14, 19)] == [(6, "medium"), (10, "medium"), (14, "high"), (19, "high")]
    assert got[6].message.endswith("; the loop walks the rows of one client, often a handful, so it matters when that object has many")


def test_rows_filtered_on_a_name_bound_to_one_row_are_one_parents_rows():
    # `new_hire = self.object`, `owner = Client.objects.get(...)`: one row, whatever the name; but one fetched per
    # item of an outer loop is every parent in turn
    files = {"billing/__init__.py": "", "billing/models.py": ROW_MODELS, "billing/views.py": '''
from .models import Client, Invoice, Payment

class ClientPage:
    def context(self):
        owner = self.object
        for inv in Invoice.objects.filter(client=owner):
            Payment.objects.filter(invoice_id=inv.id).count()

def by_code(code):
    owner = Client.objects.get(code=code)
    for inv in Invoice.objects.filter(client=owner):
        Payment.objects.filter(invoice_id=inv.id).count()

def by_codes(codes):
    for code in Client.objects.values_list("code", flat=True):
        owner = Client.objects.get(code=code)
        for inv in Invoice.objects.filter(client=owner):
            Payment.objects.filter(invoice_id=inv.id).count()
'''}
    got = {f.location.line: f.severity.value for f in scan_sources(files, select=["NP101"]).findings}
    assert got[8] == "medium" and got[13] == "medium"
    assert got[19] == "high"


def test_rows_of_a_signals_instance_or_of_a_grandparent_are_one_parents_rows():
    files = {"billing/__init__.py": "", "billing/models.py": ROW_MODELS, "billing/views.py": '''
from .models import Invoice, Payment

def on_client_deleted(sender, instance, **kwargs):
    for inv in Invoice.objects.filter(client=instance):
        Payment.objects.filter(invoice_id=inv.id).count()

def payments_of(invoice):
    for pay in Payment.objects.filter(invoice__client=invoice.client):
        Invoice.objects.get(pk=pay.invoice_id)

class ClientInvoices:
    def get_queryset(self):
        return Invoice.objects.filter(client_id=self.kwargs["client_pk"])

    def totals(self):
        for inv in Invoice.objects.filter(client_id=self.kwargs["client_pk"]):
            Payment.objects.filter(invoice_id=inv.id).count()

def payments_over(amount):
    for pay in Payment.objects.filter(invoice__total=amount):
        Invoice.objects.get(pk=pay.invoice_id)
'''}
    got = {f.location.line: f for f in scan_sources(files, select=["NP101"]).findings}
    assert got[6].severity.value == "medium" and "the loop walks the rows of one client" in got[6].message
    assert got[10].severity.value == "medium" and "the loop walks the rows of one client" in got[10].message
    # the one object a URL names (`self.kwargs[...]`)
    assert got[18].severity.value == "medium" and "the loop walks the rows of one client" in got[18].message
    # a value compared through a relation is not one parent: every payment of invoices of that total
    assert got[22].severity.value == "high"


def test_a_recursive_walk_of_a_tree_is_medium_with_the_reason():
    files = {"billing/__init__.py": "", "billing/models.py": ROW_MODELS, "billing/views.py": '''
from .models import Client, Invoice

def totals(client_ids):
    for pk in client_ids:
        Invoice.objects.filter(client_id=pk).count()

class Node:
    def walk(self, rows):
        for row in rows:
            Client.objects.get(pk=row.client_id)
            row.walk(row.children)
'''}
    got = {f.location.line: f for f in scan_sources(files, select=["NP101"]).findings}
    # `client_ids` is a parameter nothing in the project fills from a query: medium, with that reason instead
    assert got[6].severity.value == "medium"
    assert "the loop walks the parameter `client_ids`, and no caller in the project is shown" in got[6].message
    assert got[11].severity.value == "medium"
    assert got[11].message.endswith(
        "; the loop walks a tree recursively (it runs its own function again per item), so it matters when the tree is large")


def test_a_filterset_method_over_the_filtered_values_is_medium_but_over_the_queryset_stays_high():
    files = {"billing/__init__.py": "", "billing/models.py": ROW_MODELS, "billing/filters.py": '''
import django_filters
from .models import Client, Invoice

class InvoiceFilterSet(django_filters.FilterSet):
    def filter_client(self, queryset, name, value):
        clients = Client.objects.filter(pk__in=[v.pk for v in value])
        ids = []
        for client in clients:
            ids += list(Invoice.objects.filter(client=client).values_list("id", flat=True))
        return queryset.filter(pk__in=ids)

    def filter_paid(self, queryset, name, value):
        return [inv.pk for inv in queryset if Invoice.objects.filter(pk=inv.pk, total__gt=value).exists()]
'''}
    got = {f.location.line: f for f in scan_sources(files, select=["NP101"]).findings}
    assert got[10].severity.value == "medium"
    assert got[10].message.endswith("; the loop walks the values one request filters by (a FilterSet method's `value`), usually a handful")
    assert got[14].severity.value == "high"


_LEDGER_MODELS = '''
from django.db import models
class Client(models.Model):
    name = models.CharField(max_length=100)
class Account(models.Model):
    code = models.CharField(max_length=20)
class Entry(models.Model):
    client = models.ForeignKey(Client, on_delete=models.CASCADE)
    account = models.ForeignKey(Account, on_delete=models.CASCADE)
    tags = models.ManyToManyField(Client, related_name="tagged")
'''

_LEDGER = '''
from .models import Entry
def ledger():
    for e in Entry.objects.filter(account__code="1.1"):
        print(e.client.name, e.account.code, e.tags.all())
'''


def test_relations_one_select_related_loads_are_one_finding_and_a_prefetch_is_its_own():
    report = scan_sources({"books/__init__.py": "", "books/models.py": _LEDGER_MODELS, "books/views.py": _LEDGER})
    found = sorted((f.location.line, f.location.column, f.suggestion) for f in report.findings if f.rule == "NP103")
    assert found == [(5, 15, 'Add `.select_related("client", "account")` to the queryset at books/views.py:4.'),
                     (5, 46, 'Add `.prefetch_related("tags")` to the queryset at books/views.py:4.')]
    both = next(f for f in report.findings if f.data and f.data.get("lookups"))
    assert both.data["lookups"] == ["client", "account"]
    assert both.message.endswith("; the loop also loads `account` once per row, which the same select_related() loads with it")
    assert [(e.role, e.location.line, e.message) for e in both.evidence if e.role == "read"] == [("read", 5, "also loads account per row")]

"""The order an agent reads a scan's pages in: within high and medium together, per-row work a list endpoint's
serializer does comes first, then a comprehension's or a template's, then a plain loop's."""

from mcp_server.analysis.scan import scan_sources
from mcp_server.paging import ranked
from mcp_server.rules.row_examples import SERIALIZERS, billing_app

_VIEWS = '''
from rest_framework import viewsets
from .models import Invoice
from .serializers import InvoiceSerializer
def names():
    for inv in Invoice.objects.all():
        print(inv.client.name)
def labels():
    return [inv.client.name for inv in Invoice.objects.filter(total__gt=0)]
class InvoiceViewSet(viewsets.ModelViewSet):
    queryset = Invoice.objects.all()
    serializer_class = InvoiceSerializer
'''


def test_a_serializer_s_per_row_query_ranks_before_a_comprehension_s_before_a_plain_loop_s():
    report = scan_sources(billing_app(_VIEWS, **{"billing/serializers.py": SERIALIZERS}))
    order = [(f.location.path, f.location.line, f.severity.value) for f in ranked(report.findings) if f.rule == "NP103"]
    assert order == [("billing/serializers.py", 13, "high"), ("billing/serializers.py", 14, "high"),
                     ("billing/views.py", 9, "high"), ("billing/views.py", 7, "high")], order


_MIXED = '''
from .models import Invoice, Payment
def names():
    for inv in Invoice.objects.all():
        print(inv.client.name)
def one_clients_payments(client):
    return [p.invoice.total for p in Payment.objects.filter(invoice__client=client)]
'''


def test_a_medium_comprehension_ranks_before_a_high_plain_loop():
    # high and medium are one band: on judged code, where the work runs told worth from noise, high from medium did not
    report = scan_sources(billing_app(_MIXED))
    order = [(f.location.line, f.severity.value) for f in ranked(report.findings) if f.rule == "NP103"]
    assert order == [(7, "medium"), (5, "high")], order

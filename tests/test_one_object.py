"""Per-row work over one object's related rows is `low` (analysis/one_object.py): in Python and in a detail page's
template; a loop nested in a loop over a table, and a tree walked recursively, keep `medium`."""

from mcp_server.analysis.loop_size import HANDFUL
from mcp_server.analysis.scan import scan_sources

_MODELS = '''
from django.db import models


class Client(models.Model):
    name = models.CharField(max_length=100)


class Invoice(models.Model):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="invoices")
    parent = models.ForeignKey("self", null=True, on_delete=models.CASCADE, related_name="children")
    number = models.CharField(max_length=20)


class Line(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    payer = models.ForeignKey(Client, on_delete=models.CASCADE)
'''

_CODE = '''
from .models import Client, Invoice


def payers(invoice):
    return [line.payer.name for line in invoice.lines.all()]


def all_payers():
    out = []
    for client in Client.objects.all():
        for invoice in client.invoices.all():
            out += [line.payer.name for line in invoice.lines.all()]
    return out


def per_number(numbers):
    out = []
    for number in numbers:
        invoice = Invoice.objects.get(number=number)
        out += [line.payer.name for line in invoice.lines.all()]
    return out


def tree(invoice):
    return {"payers": [l.payer.name for l in invoice.lines.all()], "children": [tree(c) for c in invoice.children.all()]}
'''

_DETAIL = '''
from django.views.generic import DetailView
from .models import Invoice


class InvoiceDetail(DetailView):
    model = Invoice
'''

_TEMPLATE = '''{% for line in invoice.lines.all %}
  {{ line.payer.name }}
{% endfor %}
'''


def _found(files, rule):
    report = scan_sources({"billing/__init__.py": "", "billing/models.py": _MODELS, **files}, select=[rule])
    assert not report.errors, report.errors
    return sorted((f.location.path, f.location.line, f.severity.value, HANDFUL in f.message) for f in report.findings)


def test_one_objects_rows_are_low_unless_nested_in_an_unbounded_loop_or_walking_a_tree():
    assert _found({"billing/report.py": _CODE}, "NP103") == [
        ("billing/report.py", 6, "low", True),  # one invoice's lines
        # per invoice of each client of the table: the outer loop's N+1, high
        ("billing/report.py", 12, "high", False), ("billing/report.py", 13, "high", False), ("billing/report.py", 13, "high", False),
        # one invoice's lines, per number a caller passes: medium, still saying one object's rows
        ("billing/report.py", 21, "medium", True),
        # `tree()` runs again per child: every node of the tree, not one object's few
        ("billing/report.py", 26, "medium", True), ("billing/report.py", 26, "medium", True),
    ]


def test_a_detail_pages_template_loop_over_its_objects_rows_is_low():
    [f] = _found({"billing/views.py": _DETAIL, "billing/templates/billing/invoice_detail.html": _TEMPLATE}, "NP107")
    assert f == ("billing/templates/billing/invoice_detail.html", 2, "low", True)

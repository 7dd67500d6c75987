"""Loop size classes: what a loop iterates decides whether per-item work is reported, and at which severity."""

import ast

import pytest

from mcp_server.analysis import loop_size
from mcp_server.analysis.scan import scan_sources

MODELS = '''
from django.db import models

class Client(models.Model):
    name = models.CharField(max_length=100)

class Invoice(models.Model):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="invoices")
    total = models.DecimalField(max_digits=12, decimal_places=2)
    STATUSES = ("draft", "sent", "paid")

class Line(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    payer = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="paid_lines")
    amount = models.DecimalField(max_digits=12, decimal_places=2)
'''


@pytest.mark.parametrize("expr, size, why", [
    ("(1, 2, 3)", "small", "a literal of 3 items"),
    ("Invoice.STATUS_CHOICES", "small", "the choices Invoice.STATUS_CHOICES"),
    ("settings.LEDGER_CURRENCIES", "small", "the setting settings.LEDGER_CURRENCIES"),
    ("self.PHASES", "small", "the constant self.PHASES"),
    ("InvoiceStatus", "small", "the members of InvoiceStatus"),
    ("rows[:5]", "small", "at most 5 rows (a slice)"),
    ("rows[:MAX_ROWS]", "small", "at most MAX_ROWS rows (a slice by a constant)"),
    ("enumerate(form.cleaned_data.items())", "small", "the forms or fields of one submission (form.cleaned_data)"),
    ("DEFAULT_ROLES.items()", "unknown", ""),  # an imported constant may be any size
    ("rows[:500]", "unknown", ""),
    ("invoice.lines.all()", "unknown", "related rows of one object"),
    ("self.repo.list_all()", "unknown", ""),
])
def test_size_classes(expr, size, why):
    assert loop_size.classify(ast.parse(expr).body[0].value) == (size, why)


def test_a_loop_that_breaks_after_a_count_is_small():
    loop = ast.parse("for i in ids:\n    if len(found) >= 20:\n        break\n    found.append(i)\n").body[0]
    assert loop_size.classify(loop.iter, loop.body) == ("small", "stops after 20 items")


def test_severity_and_evidence_follow_the_loop_size():
    report = scan_sources({"billing/__init__.py": "", "billing/models.py": MODELS, "billing/views.py": '''
from .models import Invoice, Line

def all_lines():
    return [(line.invoice.total, line.amount) for line in Line.objects.all()]

def lines_of(invoice_id):
    invoice = Invoice.objects.get(pk=invoice_id)
    return [(line.payer.name, line.amount) for line in invoice.lines.all()]

def per_status():
    return {s: Invoice.objects.filter(status=s).count() for s in Invoice.STATUSES}
'''})
    found = sorted((f.rule, f.location.line, f.severity.value, f.evidence[0].message) for f in report.findings)
    assert found == [
        ("NP103", 5, "high", "comprehension loop (large: rows of a database query): "
                             "return [(line.invoice.total, line.amount) for line in Line.objects.all()]"),
        ("NP103", 9, "medium", "comprehension loop (unknown: related rows of one object): "
                               "return [(line.payer.name, line.amount) for line in invoice.lines.all()]"),
    ]
    medium = next(f for f in report.findings if f.location.line == 9)
    assert "often a handful" in medium.message


def test_a_loop_after_a_length_guard_that_returns_is_small():
    report = scan_sources({"billing/__init__.py": "", "billing/models.py": MODELS, "billing/views.py": '''
from .models import Invoice

def totals(ids):
    if len(ids) > 3:
        raise ValueError("pick at most three invoices")
    return [Invoice.objects.get(pk=i).total for i in ids]

def all_totals(ids):
    if len(ids) > 3:
        print("many")
    return [Invoice.objects.get(pk=i).total for i in ids]
'''})
    found = {(f.location.line, f.rule) for f in report.findings if f.location.path == "billing/views.py" and f.rule.startswith("NP")}
    assert found == {(12, "NP101")}  # only the loop the guard does not bound
    assert loop_size.length_guard(ast.parse("if 2 <= len(ids):\n    return\n").body[0]) == (
        "ids", "at most 1 items (the code returns before the loop when there are more)")

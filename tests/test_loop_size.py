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
    # what a person types on the command line, and the application's configuration (issue 15, second round)
    ("args.client_ids", "small", "what the command line passes (args.client_ids), a handful typed by a person"),
    ("options['ids']", "small", "what the command line passes (options['ids']), a handful typed by a person"),
    ("options.get('ids', [])", "small", "what the command line passes (options.get('ids')), a handful typed by a person"),
    ("sys.argv[1:]", "small", "what the command line passes (sys.argv), a handful typed by a person"),
    ("current_app.config['ADMINS']", "small", "the setting current_app.config['ADMINS']"),
    ("app.config.get('ADMINS', [])", "small", "the setting app.config.get('ADMINS')"),
    ("self.config.plugins", "small", "the setting self.config.plugins"),
    ("pending([cert_id])", "small", "at most the rows of one item (pending is called with a one-item list)"),
    ("pending([a, b])", "unknown", ""),
    ("Invoice.objects.filter(id__in=[cert_id])", "unknown", ""),
    ("self.args", "unknown", ""),  # a class-based view's URL arguments are not a command line
    ("row.options['ids']", "unknown", ""),
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
        ("NP103", 9, "low", "comprehension loop (unknown: related rows of one object): "
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


def test_a_relation_read_after_refresh_from_db_is_not_fixed_by_select_related():
    """`row.refresh_from_db()` drops the relations cached on the row: the finding stays (a query per row) but neither
    its text nor its automatic fix offers a select_related that would change nothing."""
    models = MODELS.replace("    STATUSES = (", "    def recompute(self):\n        self.refresh_from_db()\n        return self.client.name\n\n    STATUSES = (")
    for body in ("        inv.refresh_from_db()\n        print(inv.client.name)\n", "        inv.recompute()\n"):
        files = {"billing/__init__.py": "", "billing/models.py": models,
                 "billing/views.py": "from .models import Invoice\n\ndef main():\n    for inv in Invoice.objects.all():\n" + body}
        [f] = scan_sources(files, select=["NP103"]).findings
        assert f.rule == "NP103" and f.severity.value == "medium" and f.data == {"loop_rows": {"table": "billing_invoice"}}  # no fix, only the table to size
        assert "refresh_from_db" in f.message and "select_related" not in f.suggestion.split(":")[0]
        assert f.suggestion.startswith("Eager loading on the loop's queryset cannot serve this read")
    # without the reload, the usual fix
    files = {"billing/__init__.py": "", "billing/models.py": MODELS,
             "billing/views.py": "from .models import Invoice\n\ndef main():\n    for inv in Invoice.objects.all():\n        print(inv.client.name)\n"}
    [f] = scan_sources(files, select=["NP103"]).findings
    assert f.severity.value == "high" and f.data["call"] == "select_related" and "refresh_from_db" not in f.message


BATCH_LOCKS = '''
from django.db import transaction
from .models import Invoice

def close(batches):
    for {target} in {iterable}:
        with transaction.atomic():
            rows = list(Invoice.objects.select_for_update().filter({lookup}))
            for r in rows:
                r.total = 0
            Invoice.objects.bulk_update(rows, ["total"])
'''


@pytest.mark.parametrize("target, iterable, lookup, found", [
    ("batch", "batches", "id__in=batch", []),  # issue 15: a lock per batch, each in its own transaction
    ("group", "batches", "id__in=group", []),  # the loop's item is a set of keys: one query per batch, whatever its name
    ("ids", "id_batches", "pk__in=ids", []),
    ("invoice_id", "invoice_ids", "pk=invoice_id", [("NP101", 8)]),  # one row per item: the N+1 stays
])
def test_a_lock_taken_once_per_batch_is_not_a_query_per_item(target, iterable, lookup, found):
    files = {"billing/__init__.py": "", "billing/models.py": MODELS, "billing/jobs.py": BATCH_LOCKS.format(
        target=target, iterable=iterable, lookup=lookup)}
    report = scan_sources(files, select=["NP"])
    assert [(f.rule, f.location.line) for f in report.findings if f.location.path == "billing/jobs.py"] == found

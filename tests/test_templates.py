"""Django templates and DRF serializers: N+1s bound to the views that feed them, on real files through the real engine,
the hook, the fixes and the cache."""

import json
import textwrap

from mcp_server.analysis.scan import scan_sources
from mcp_server.config import load_config
from mcp_server.hook import post_tool_use
from mcp_server.rules.static import DJANGO_MODELS
from mcp_server.tools.detect_n_plus_one import detect_n_plus_one
from mcp_server.tools.suggest_fix import apply_fix, suggest_fix

MODELS = {"billing/__init__.py": "", "billing/models.py": DJANGO_MODELS}


def write(project, files):
    for rel, text in files.items():
        path = project / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n") if rel.endswith(".py") else text)


def found(report):
    return sorted((f.location.path, f.location.line, f.rule) for f in report.findings)


def test_template_finding_names_the_view_queryset_and_the_exact_fix():
    report = scan_sources({**MODELS, "billing/views.py": '''
from django.shortcuts import render
from .models import Invoice
def invoices(request):
    rows = Invoice.objects.filter(total__gt=0)
    return render(request, "billing/list.html", {"invoices": rows})
''', "billing/templates/billing/list.html": "<h1>x</h1>\n{% for inv in invoices %}\n  {{ inv.client.name|upper }} {{ inv.total }}\n{% endfor %}\n"})
    (f,) = report.findings
    assert (f.rule, f.location.path, f.location.line) == ("NP107", "billing/templates/billing/list.html", 3)
    assert f.message == ("`inv.client.name` loads Invoice.client once per row in the loop at line 2: the queryset at billing/views.py:5 "
                         "has no select_related(\"client\")")
    assert [(e.role, e.location.path, e.location.line) for e in f.evidence] == [
        ("loop", "billing/templates/billing/list.html", 2),
        ("queryset", "billing/templates/billing/list.html", 2),
        ("view", "billing/views.py", 6),  # the render call
        ("queryset", "billing/views.py", 5),  # the rows it hands over: where the fix goes
        ("relation", "billing/models.py", 9),
    ]
    assert f.suggestion == 'Add `.select_related("client")` to the queryset at billing/views.py:5.'
    assert f.data == {"call": "select_related", "lookup": "client", "path": "billing/views.py", "line": 5, "loop_rows": {"table": "billing_invoice"}}


def test_a_loop_that_includes_another_template_is_no_tree_walk():
    # `{% include %}` per row calls the included template, not the template itself: the loop is a plain list's (the
    # message said "walks a tree recursively" on python.org's events page); a template including itself still is
    views = '''
from django.shortcuts import render
from .models import Invoice
def invoices(request):
    return render(request, "billing/list.html", {"invoices": Invoice.objects.all()})
'''
    page = "{% for inv in invoices %}{% include \"billing/stamp.html\" %}{{ inv.client.name }}{% endfor %}\n"
    report = scan_sources({**MODELS, "billing/views.py": views, "billing/templates/billing/list.html": page,
                           "billing/templates/billing/stamp.html": "<hr>\n"})
    (f,) = report.findings
    assert (f.rule, f.severity.value, f.location.line) == ("NP107", "high", 1) and "tree" not in f.message
    report = scan_sources({**MODELS, "billing/views.py": views, "billing/templates/billing/list.html": page.replace("stamp", "list")})
    assert [(f.rule, "walks a tree recursively" in f.message) for f in report.findings] == [("NP107", True)]


def test_a_template_loop_over_one_parents_rows_is_medium_and_says_why():
    # the view hands the template one client's invoices: the rows of one object, often a handful, like a Python
    # loop over them (the template's own `{% for %}` does not say so); the whole table's rows stay `high`
    view = """
from django.shortcuts import get_object_or_404, render
from .models import Client, Invoice
def invoices(request, pk):
    client = get_object_or_404(Client, pk=pk)
    return render(request, "billing/list.html", {{"invoices": {rows}}})
"""
    page = "{% for inv in invoices %}\n  {{ inv.client.name }}\n{% endfor %}\n"
    [one] = scan_sources({**MODELS, "billing/views.py": view.format(rows="Invoice.objects.filter(client=client)"),
                          "billing/templates/billing/list.html": page}).findings
    assert (one.rule, one.severity.value, one.location.line) == ("NP107", "medium", 2)
    assert one.message.endswith("; the loop walks the rows of one client, often a handful, so it matters when that object has many")
    [table] = scan_sources({**MODELS, "billing/views.py": view.format(rows="Invoice.objects.filter(total__gt=0)"),
                            "billing/templates/billing/list.html": page}).findings
    assert (table.rule, table.severity.value, table.location.line) == ("NP107", "high", 2)
    assert "often a handful" not in table.message


def test_extends_include_with_and_detail_views():
    files = {**MODELS, "billing/views.py": '''
from django.views.generic import DetailView, ListView
from .models import Client, Invoice
class InvoiceList(ListView):
    queryset = Invoice.objects.order_by("id")
    template_name = "billing/page.html"
class ClientDetail(DetailView):
    model = Client
''', "templates/base.html": "{% block content %}{% endblock %}\n{% for inv in object_list %}{{ inv.client }}{% endfor %}\n",
        "billing/templates/billing/page.html": '{% extends "base.html" %}\n{% block content %}\n'
                                               '{% for inv in invoice_list %}{% include "billing/row.html" with row=inv %}{% endfor %}\n{% endblock %}\n',
        "billing/templates/billing/row.html": "{% with c=row.client %}\n<td>{{ c.name }}</td>\n{% endwith %}\n",
        "billing/templates/billing/client_detail.html": "{% for inv in object.invoices.all %}\n{{ inv.items.count }}\n{% endfor %}\n"}
    report = scan_sources(files)
    assert found(report) == [
        ("billing/templates/billing/client_detail.html", 2, "NP107"),  # the detail view's object: its invoices' items, per invoice
        ("billing/templates/billing/page.html", 3, "NP107"),  # the row handed to the included template, which reads it through {% with %}
        ("templates/base.html", 2, "NP107"),  # the parent template reads the child's context
    ]
    included = next(f for f in report.findings if "page" in f.location.path)
    assert [(e.role, e.location.path, e.location.line) for e in included.evidence][1:3] == [
        ("call", "billing/templates/billing/page.html", 3), ("read", "billing/templates/billing/row.html", 1)]  # `{% with c=row.client %}` loads it
    detail = next(f for f in report.findings if "client_detail" in f.location.path)
    assert detail.suggestion == 'Add `.prefetch_related("invoices__items")` to the queryset at billing/views.py:8.'


def test_fast_views_unused_names_and_unbound_templates_are_silent():
    report = scan_sources({**MODELS, "billing/views.py": '''
from django.shortcuts import render
from django.views.generic import ListView
from .models import Invoice
def invoices(request):
    context = {"invoices": Invoice.objects.select_related("client").prefetch_related("items")}
    return render(request, "billing/list.html", context)
class Mixin:
    def get_queryset(self):
        return Invoice.objects.select_related("client")
class InvoiceList(Mixin, ListView):
    model = Invoice
''', "billing/templates/billing/list.html": "{% for inv in invoices %}{{ inv.client.name }}{{ inv.items.count }}{% endfor %}\n",
        "billing/templates/billing/invoice_list.html": "{% for inv in object_list %}{{ inv.client.name }}{% endfor %}\n",
        "billing/templates/billing/orphan.html": "{% for inv in nobody_renders_me %}{{ inv.client.name }}{% endfor %}\n",
        "billing/templates/billing/comment.html": "{% comment %}{% for inv in invoices %}{{ inv.client.name }}{% endfor %}{% endcomment %}\n"})
    assert report.findings == [] and report.errors == []


def test_drf_get_serializer_class_and_a_per_row_aggregate():
    report = scan_sources({**MODELS, "billing/api.py": '''
from django.db.models import Sum
from rest_framework import serializers, viewsets
from .models import Invoice
class InvoiceSerializer(serializers.ModelSerializer):
    client_name = serializers.CharField(source="client.name")
    items_total = serializers.SerializerMethodField()
    class Meta:
        model = Invoice
        fields = ["id", "client_name", "items_total"]
    def get_items_total(self, obj):
        return obj.items.aggregate(t=Sum("amount"))["t"]
class InvoiceViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Invoice.objects.all()
    def get_serializer_class(self):
        return InvoiceSerializer
    def get_queryset(self):
        return super().get_queryset().filter(total__gt=0)
'''})
    assert found(report) == [("billing/api.py", 6, "NP103"), ("billing/api.py", 12, "NP103")]
    name, total = report.findings
    # DRF's get_queryset() returns the class's `queryset`, which super() then filters: the fix goes there
    assert name.suggestion == 'Add `.select_related("client")` to the queryset at billing/api.py:14.'
    assert "annotate" in total.suggestion and "billing/api.py:14" in total.suggestion and total.data == {"loop_rows": {"table": "billing_invoice"}}  # no fix


def test_suggest_and_apply_fix_change_the_view_not_the_template(project):
    write(project, {**MODELS, "billing/views.py": '''
from django.shortcuts import render
from .models import Invoice
def invoices(request):
    return render(request, "billing/list.html", {"invoices": Invoice.objects.filter(total__gt=0)})
''', "billing/templates/billing/list.html": "{% for inv in invoices %}\n{{ inv.client.name }}\n{% endfor %}\n"})
    config = load_config(project)
    fix = suggest_fix("billing/templates/billing/list.html", 2, "NP107", config=config)
    assert fix.path == "billing/views.py" and '+    return render(request, "billing/list.html", {"invoices": Invoice.objects.filter(total__gt=0).select_related("client")})' in fix.patch
    apply_fix("billing/templates/billing/list.html", 2, fix.sha256, "NP107", config=config)
    assert 'Invoice.objects.filter(total__gt=0).select_related("client")' in (project / "billing/views.py").read_text()
    assert detect_n_plus_one(config=config).findings == []


def test_templates_are_cached_like_python_files(project):
    write(project, {**MODELS, "billing/views.py": '''
from django.shortcuts import render
from .models import Invoice
def invoices(request):
    return render(request, "billing/list.html", {"invoices": Invoice.objects.all()})
''', "billing/templates/billing/list.html": "{% for inv in invoices %}\n{{ inv.total }}\n{% endfor %}\n"})
    config = load_config(project)
    cold = detect_n_plus_one(config=config)
    assert cold.findings == [] and cold.stats.files == 4 and cold.stats.cache_misses == 4
    (project / "billing/templates/billing/list.html").write_text("{% for inv in invoices %}\n{{ inv.client.name }}\n{% endfor %}\n")
    warm = detect_n_plus_one(config=config)
    assert warm.stats.cache_misses == 1 and warm.stats.cache_hits == 3  # only the edited template is parsed again
    assert found(warm) == [("billing/templates/billing/list.html", 2, "NP107")]


def test_the_hook_runs_when_a_template_is_edited(project):
    write(project, {**MODELS, "billing/views.py": '''
from django.shortcuts import render
from .models import Invoice
def invoices(request):
    return render(request, "billing/list.html", {"invoices": Invoice.objects.all()})
''', "billing/templates/billing/list.html": "{% for inv in invoices %}\n<td>{{ inv.total }}</td>\n{% endfor %}\n"})
    path = project / "billing/templates/billing/list.html"
    old, new = "<td>{{ inv.total }}</td>", "<td>{{ inv.total }}</td><td>{{ inv.client.name }}</td>"
    path.write_text(path.read_text().replace(old, new))
    payload = {"session_id": "s", "hook_event_name": "PostToolUse", "cwd": str(project), "tool_name": "Edit",
               "tool_input": {"file_path": str(path), "old_string": old, "new_string": new}, "tool_response": {"success": True}}
    out = json.loads(post_tool_use(json.dumps(payload), now=1000.0))
    assert "- NP107 line 2: `inv.client.name` loads Invoice.client once per row in the loop at line 1: the queryset at billing/views.py:4" in out["reason"]


def test_subclass_querysets_prefetched_owners_and_one_finding_per_path():
    report = scan_sources({**MODELS, "billing/views.py": '''
from django.db.models import Prefetch
from django.views.generic import ListView
from .models import Client, Invoice, InvoiceItem
class BaseItems(ListView):
    model = InvoiceItem
    template_name = "billing/items.html"
    context_object_name = "items"
class ClientItems(BaseItems):
    def get_queryset(self):
        return InvoiceItem.objects.filter(amount__gt=0).select_related("invoice")
class ClientList(ListView):
    template_name = "billing/clients.html"
    def get_queryset(self):
        client = Client.objects.get(pk=1)
        return Client.objects.prefetch_related(Prefetch("invoices", queryset=client.invoices.all()))
''', "billing/templates/billing/items.html": "{% for it in items %}\n{{ it.invoice.total }}\n{% if it.invoice.client %}{{ it.invoice.client.name }}{% endif %}\n{% endfor %}\n",
        "billing/templates/billing/clients.html": "{% for c in object_list %}{% for inv in c.invoices.all %}{{ inv.client.name }}{% endfor %}{% endfor %}\n"})
    # the subclass's get_queryset() brings the rows; `it.invoice.client` and `it.invoice.client.name` are one fix
    (f,) = report.findings
    assert (f.location.path, f.location.line) == ("billing/templates/billing/items.html", 3)
    assert f.suggestion == 'Add `.select_related("invoice__client")` to the queryset at billing/views.py:11.'


def test_a_viewset_without_a_list_action_serialises_no_rows():
    serializer = '''
from rest_framework import mixins, serializers, viewsets
from .models import Invoice
class InvoiceSerializer(serializers.ModelSerializer):
    client = serializers.SlugRelatedField(slug_field="name", read_only=True)
    class Meta:
        model = Invoice
        fields = ["id", "client"]
class InvoiceViewSet({bases}):
    queryset = Invoice.objects.all()
    serializer_class = InvoiceSerializer
'''
    create_only = scan_sources({**MODELS, "billing/api.py": serializer.format(bases="mixins.CreateModelMixin, viewsets.GenericViewSet")})
    listing = scan_sources({**MODELS, "billing/api.py": serializer.format(bases="mixins.ListModelMixin, viewsets.GenericViewSet")})
    assert create_only.findings == [] and found(listing) == [("billing/api.py", 5, "NP103")]


def test_fetch_peers_is_offered_on_django_6_1_and_counts_as_loading(project):
    view = '''
from django.db import models
from django.shortcuts import render
from .models import Invoice
def invoices(request):
    return render(request, "billing/list.html", {"invoices": Invoice.objects.all()})
'''
    write(project, {**MODELS, "billing/views.py": view,
                    "billing/templates/billing/list.html": "{% for inv in invoices %}\n{{ inv.client.name }}\n{% endfor %}\n"})
    (project / "pyproject.toml").write_text('[project]\nname = "demo"\ndependencies = ["django>=5.2"]\n')
    (before,) = detect_n_plus_one(config=load_config(project)).findings
    assert before.suggestion == 'Add `.select_related("client")` to the queryset at billing/views.py:5.'
    (project / "pyproject.toml").write_text('[project]\nname = "demo"\ndependencies = ["django>=6.1", "djangorestframework>=3.16"]\n')
    (after,) = detect_n_plus_one(config=load_config(project)).findings  # a new Django is a new answer, not the cached one
    assert after.suggestion == before.suggestion + (" Or, on Django 6.1+, `.fetch_mode(models.FETCH_PEERS)` on that queryset: the first row's "
                                                    "access loads the relation for every row in one query.")
    write(project, {"billing/views.py": view.replace("Invoice.objects.all()", "Invoice.objects.fetch_mode(models.FETCH_PEERS)")})
    assert detect_n_plus_one(config=load_config(project)).findings == []


def test_first_in_a_template_and_views_in_a_views_package():
    report = scan_sources({**MODELS, "billing/views/__init__.py": "", "billing/views/lists.py": '''
from django.views.generic import ListView
from billing.models import Invoice
class InvoiceList(ListView):
    model = Invoice
''', "billing/templates/billing/invoice_list.html": "{% for inv in object_list %}\n{{ inv.items.first.amount }}\n{% endfor %}\n"})
    (f,) = report.findings
    assert (f.rule, f.location.line) == ("NP107", 2)
    assert "`.items.first()` queries even when the relation is prefetched" in f.message


def test_first_defeats_a_prefetch_and_the_template_filter_does_not():
    files = {**MODELS, "billing/views.py": '''
from django.shortcuts import render
from .models import Invoice
def invoices(request):
    return render(request, "billing/list.html", {"invoices": Invoice.objects.prefetch_related("items")})
''', "billing/templates/billing/list.html": "{% for inv in invoices %}\n{{ inv.items.first.amount }}\n{% endfor %}\n"}
    (f,) = scan_sources(files).findings
    assert f.message == ("`inv.items.first()` runs a query per Invoice in the loop at line 1: `.items.first()` queries even when the "
                         "relation is prefetched")
    assert f.suggestion == ("In the template, read `inv.items.all|first` instead of `inv.items.first`: the `first` filter takes the row "
                            "from the prefetched list, `.first()` queries anew.")
    files["billing/templates/billing/list.html"] = "{% for inv in invoices %}\n{% with it=inv.items.all|first %}{{ it.amount }}{% endwith %}\n{% endfor %}\n"
    assert scan_sources(files).findings == []


def test_a_template_line_is_suppressed_like_a_python_line():
    files = {**MODELS, "billing/views.py": '''
from django.shortcuts import render
from .models import Invoice
def invoices(request):
    return render(request, "billing/list.html", {"invoices": Invoice.objects.all()})
'''}
    for mark, silenced in (("{# noqa: NP107 #}", True), ("{# perf: ignore[NP107] #}", True), ("{# noqa: NP101 #}", False)):
        files["billing/templates/billing/list.html"] = "{% for inv in invoices %}\n{{ inv.client.name }}" + mark + "\n{% endfor %}\n"
        assert (scan_sources(files).findings == []) is silenced, mark


def test_a_folder_whose_name_ends_in_templates_is_an_ordinary_folder_below_templates():
    # `report-templates/` inside `templates/` once made the file "not a template" and the scan reported it as "skipped"
    report = scan_sources({**MODELS, "billing/views.py": '''
from django.shortcuts import render
from .models import Invoice
def invoices(request):
    return render(request, "views/report-templates/list.htm", {"invoices": Invoice.objects.all()})
''', "billing/templates/views/report-templates/list.htm": "{% for inv in invoices %}{{ inv.client.name }}{% endfor %}\n"})
    assert report.errors == []
    assert found(report) == [("billing/templates/views/report-templates/list.htm", 1, "NP107")]

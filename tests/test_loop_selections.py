"""Loops over few items by construction (issue 15, third round): a user's selection, command-line values handed
on through helpers or named in a file, the configuration, a literal list kept as written, pages asked of a helper.
Each test scans a small project and asserts exactly what is reported, with a truly large loop beside the small one
that must stay reported."""

import ast

import pytest

from mcp_server.analysis import loop_size
from mcp_server.analysis.extract import Extractor
from mcp_server.analysis.scan import scan_sources

MODELS = '''
from django.db import models

class Client(models.Model):
    name = models.CharField(max_length=100)

class Invoice(models.Model):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="invoices")
    total = models.DecimalField(max_digits=12, decimal_places=2)
'''


def _found(files, path, select=("NP", "PF")):
    report = scan_sources({"billing/__init__.py": "", "billing/models.py": MODELS, **files}, select=list(select))
    return sorted((f.rule, f.location.line, f.severity.value) for f in report.findings if f.location.path == path)


def _loops(path, source):
    facts = Extractor(path, source, ".").run(ast.parse(source))
    return {(fn, lp.span.line): (lp.size, lp.size_why) for fn, f in facts.functions.items() for lp in f.loops.values()}


ADMIN = '''from django.contrib import admin
from .models import Client, Invoice


class InvoiceAdmin(admin.ModelAdmin):
    actions = ["remind"]

    def remind(self, request, queryset):
        for inv in queryset:
            Client.objects.get(pk=inv.client_id)

    def audit(self, request, queryset):
        for inv in queryset:
            Client.objects.get(pk=inv.client_id)


def close(modeladmin, request, queryset):
    for inv in queryset:
        inv.total = 0
        inv.save()


def nightly():
    for inv in Invoice.objects.all():
        Client.objects.get(pk=inv.client_id)
'''


def test_an_admin_actions_queryset_is_a_users_selection():
    assert _loops("billing/admin.py", ADMIN)[("InvoiceAdmin.remind", 9)] == (
        "small", "a user's selection (an admin action's `queryset`: the objects a person picked on one page)")
    # `audit` is no registered action, yet only staff reach it in the admin (staff_only.py); the nightly job walks the
    # whole table: reported
    assert _found({"billing/admin.py": ADMIN}, "billing/admin.py") == [("NP101", 14, "low"), ("NP101", 25, "high")]


POSTED = '''from .models import Client, Invoice


def remind(request):
    picked = [int(i) for i in request.POST.getlist("selected")]
    for inv in Invoice.objects.filter(pk__in=picked):
        Client.objects.get(pk=inv.client_id)


def listed(request):
    for inv in Invoice.objects.filter(pk__in=request.GET.getlist("selected")):
        Client.objects.get(pk=inv.client_id)
'''


def test_rows_filtered_by_posted_ids_are_a_selection_and_a_query_strings_are_not():
    sizes = _loops("billing/views.py", POSTED)
    assert sizes[("remind", 6)] == ("small", "a user's selection (the ids it submits: request.POST['selected'])")
    assert sizes[("listed", 11)] == ("large", "rows of a database query")
    assert _found({"billing/views.py": POSTED}, "billing/views.py") == [("NP101", 12, "high")]


CHAIN = '''import click
from .models import Client


def check(labels):
    for label in labels:
        Client.objects.get(name=label)


def sync(labels):
    check(labels)


@click.command()
@click.option("-l", "--labels", "labels", multiple=True)
def sync_command(labels):
    sync(labels)


def hourly():
    check("all")
    check([%s])
'''


@pytest.mark.parametrize("other, found", [
    ("'ops'", []),  # every caller passes a handful: the command line's values (two steps up), a keyword, a one-item list
    # one caller spreads a whole table's values: a query's rows, as many as the table holds (calls.py query_args)
    ("*Client.objects.values_list('name', flat=True)", [("NP101", 7, "high")]),
])
def test_command_line_values_handed_on_through_helpers(other, found):
    # (not named cli.py: a module of that name is a command-line one, whose medium findings are low, test_background.py)
    assert _found({"billing/sync.py": CHAIN % other}, "billing/sync.py") == found


FLASK = '''from flask import current_app
from .models import Client


class Directory:
    def __init__(self):
        self.groups = current_app.config.get("GROUPS_TO_CLIENTS", {})

    def sync(self):
        for group, client in self.groups.items():
            Client.objects.get(name=client)


def remind(name, days=None):
    if days is None:
        days = current_app.config.get("REMINDER_DAYS", [30, 7])
    for d in days:
        Client.objects.filter(name=f"{name}_{d}").first()


def setup():
    remind("default")
    remind("ops", current_app.config.get("OPS_DAYS"))


def everyone():
    remind("all", Client.objects.values_list("name", flat=True))
'''


def test_configuration_kept_on_an_object_or_as_a_parameters_fallback():
    assert _loops("billing/conf.py", FLASK)[("Directory.sync", 10)] == (
        "small", "the setting current_app.config.get('GROUPS_TO_CLIENTS')")
    # `remind`'s loop is small for the callers that leave `days` to the configuration; `everyone` passes a query's
    # values, so the loop is reported, at `high`: those values are as many as the table's rows
    assert _found({"billing/conf.py": FLASK}, "billing/conf.py", ("NP",)) == [("NP101", 18, "high")]
    assert _found({"billing/conf.py": FLASK.rsplit("\n\ndef everyone", 1)[0] + "\n"}, "billing/conf.py", ("NP",)) == []


FILES = '''import click
from .models import Client


@click.command()
@click.option("-p", "--path", "path")
def revoke_command(path):
    revoke(path)


def revoke(path):
    with open(path) as f:
        for line in f.readlines()[1:]:
            Client.objects.get(name=line.strip())


def upload(request):
    with open(request.FILES["list"].temporary_file_path()) as f:
        for line in f:
            Client.objects.get(name=line.strip())


@click.command()
@click.option("-p", "--path", "path")
def import_invoices(path):
    with open(path) as f:
        for line in f:
            Client.objects.get(name=line.strip())
'''


def test_a_file_named_on_the_command_line_is_a_one_off_run_by_hand():
    # an upload's lines, and an import's: the rows of a file, as many as it holds
    assert _found({"billing/cli.py": FILES}, "billing/cli.py", ("NP",)) == [("NP101", 20, "high"), ("NP101", 28, "high")]


LITERALS = '''from .models import Client


def sides():
    wanted = ["front", "back"]
    return [Client.objects.filter(name=s).first() for s in wanted]


def grown(more):
    wanted = ["front"]
    wanted.extend(more)
    return [Client.objects.filter(name=s).first() for s in wanted]
'''


def test_a_literal_list_the_function_never_grows_is_small():
    sizes = _loops("billing/views.py", LITERALS)
    assert sizes[("sides", 6)] == ("small", "a literal of 2 items")
    assert sizes[("grown", 12)] == ("unknown", "")
    assert _found({"billing/views.py": LITERALS}, "billing/views.py", ("NP",)) == [("NP101", 12, "low")]


PAGES = '''from .models import Client


def fetch(page, before):
    return list(Client.objects.filter(name__lt=before).order_by("pk")[(page - 1) * 100:page * 100])


def walk(now):
    page, more = 1, True
    while more:
        rows = fetch(page=page, before=now.shift(days=-1))
        more = len(rows) == 100
        page += 1
        for row in rows:
            Client.objects.get(pk=row.pk)
'''


def test_a_while_loop_asking_a_helper_for_page_after_page_is_not_a_query_per_item():
    # the pages are asked for on purpose; each page's rows, with a query per row, are the N+1
    assert _found({"billing/views.py": PAGES}, "billing/views.py", ("NP",)) == [("NP101", 15, "high")]


def test_selection_and_setting_readings():
    assert loop_size.classify(ast.parse("InvoiceStatus.values").body[0].value) == ("small", "the members of InvoiceStatus")
    assert loop_size.classify(ast.parse("invoice.values").body[0].value) == ("unknown", "")
    assert loop_size.setting_reason(ast.parse("getattr(settings, 'AUDITED', ())").body[0].value) == "the setting settings.AUDITED"
    assert loop_size.setting_reason(ast.parse("current_app.config.get('X') or {}").body[0].value) == "the setting current_app.config.get('X')"
    assert loop_size.setting_reason(ast.parse("self.repo.get('X')").body[0].value) == ""
    assert loop_size.classify(ast.parse("form.cleaned_data['users']").body[0].value) == (
        "small", "a user's selection (the ids it submits: form.cleaned_data['users'])")
    assert loop_size.classify(ast.parse("request.data['items']").body[0].value) == ("unknown", "")  # a bulk upload may be large


HELPED = '''from .access import restrict
from .models import Client, Invoice


def tag(form, user):
    for client in restrict(queryset=form.cleaned_data["clients"], user=user):
        Client.objects.get(pk=client.pk)


def invoices_of(form):
    for inv in Invoice.objects.filter(client__in=form.cleaned_data["clients"]):
        Client.objects.get(pk=inv.client_id)
'''


def test_a_helper_keeping_part_of_a_selection_and_the_rows_of_what_was_picked():
    files = {"billing/access.py": "def restrict(queryset, user):\n    return queryset.filter(owner=user)\n", "billing/views.py": HELPED}
    assert _loops("billing/views.py", HELPED)[("tag", 6)][1] == (
        "a user's selection (the ids it submits: form.cleaned_data['clients']), as restrict keeps it")
    # the invoices of the picked clients are as many as those clients have
    assert _found(files, "billing/views.py", ("NP",)) == [("NP101", 12, "high")]


@pytest.mark.parametrize("source, params", [
    ("@admin.action(description='x')\ndef f(self, request, queryset): pass", {"queryset"}),
    ("@transition_action(label='x')\ndef f(cls, instances, **kwargs): pass", {"instances"}),
    ("@action(detail=True)\ndef f(self, request, pk=None): pass", set()),  # a DRF view action: no selection
    ("@non_atomic_transaction\ndef f(self, request, rows): pass", set()),  # a name that merely ends in "action"
    ("def f(self, request, rows): pass", set()),
])
def test_which_functions_are_actions(source, params):
    from mcp_server.analysis.selections import action_params
    assert set(action_params(ast.parse(source).body[0], frozenset())) == params

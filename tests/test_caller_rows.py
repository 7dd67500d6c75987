"""Severity of per-item work over a parameter (issue 15): `high` only when a caller in the project is shown to pass
the rows of a query; callers passing a selection or a list built from request input give `low` (listed with
`--min-severity low`), with the reason in the message; no caller at all, or a remote call per item (NP105), `medium`.
The findings themselves are the same."""

from mcp_server.analysis.batch_context import REQUEST_SIZED
from mcp_server.analysis.scan import scan_sources
from mcp_server.rules.row_examples import REINDEX, ROW_MODELS

HELPERS = '''
from .models import Client, Invoice

def names_of(invoices):
    for inv in invoices:
        Client.objects.get(pk=inv.client_id)

def close(invoices):
    for inv in invoices:
        Invoice.objects.filter(pk=inv.pk).update(total=0)
'''

WHOLE_QUERY = '''
from .models import Invoice
from .helpers import close, names_of

def nightly():
    names_of(Invoice.objects.all())
    close(Invoice.objects.all())
'''

SELECTION = '''
from .helpers import close, names_of

def bulk_action(request):
    picked = [int(i) for i in request.GET.getlist("ids")]  # a query string's ids (posted ids are a user's selection: silent)
    names_of(picked)
    close(picked)
'''

REASON = "the loop walks the parameter `invoices`, and no caller in the project is shown to pass it the rows of a query"


def _scan(callers: dict[str, str], rule: str):
    files = {"billing/__init__.py": "", "billing/models.py": ROW_MODELS, "billing/helpers.py": HELPERS, **callers}
    report = scan_sources(files, select=[rule])
    assert not report.errors
    return [(f.rule, f.location.path, f.location.line, f.severity.value, f.message) for f in report.findings
            if f.location.path == "billing/helpers.py"]


def test_a_loop_over_a_parameter_whose_only_caller_passes_a_whole_query_stays_high():
    found = _scan({"billing/jobs.py": WHOLE_QUERY}, "NP101")
    assert [f[:4] for f in found] == [("NP101", "billing/helpers.py", 6, "high")]
    assert REASON not in found[0][4]


def test_a_loop_over_a_parameter_filled_from_request_input_is_low_with_the_reason():
    found = _scan({"billing/views.py": SELECTION}, "NP101")
    assert [f[:4] for f in found] == [("NP101", "billing/helpers.py", 6, "low")]
    assert found[0][4].endswith(REASON + " (they pass a selection or a list built from their input), so it matters only when "
                                          "they pass many")


def test_a_loop_over_a_parameter_nobody_in_the_project_calls_stays_medium_with_the_reason():
    """The seed's `get_client_invoices_bad(client_ids)`: an API for callers outside the project, as far as anyone can see."""
    found = _scan({}, "NP101")
    assert [f[:4] for f in found] == [("NP101", "billing/helpers.py", 6, "medium")]
    assert found[0][4].endswith(REASON + " (nothing in the project calls it: its callers are outside the project), so it "
                                          "matters only when they pass many")


def test_a_loop_over_a_parameter_of_a_function_reached_only_through_a_dispatch_table_is_low_with_the_reason():
    """Murano's `calculate = {"tags": _get_tags}` then `calculate[path](value)` (round 79): its callers are in the
    project, passing one request's few names, not outside it."""
    table = HELPERS + '''

ACTIONS = {"names": names_of, "close": close}


def apply(action, values):
    return ACTIONS[action](values)
'''
    found = _scan({"billing/helpers.py": table}, "NP101")
    assert [f[:4] for f in found] == [("NP101", "billing/helpers.py", 6, "low")]
    assert found[0][4].endswith(REASON + " (the project reaches it only as a value (a dispatch table, a callback), with "
                                          "arguments the scanner does not follow), so it matters only when they pass many")


def test_a_remote_call_per_item_of_a_parameter_callers_fill_from_input_stays_medium():
    """An ERP's API asked once per client id: 10 to 1000 ms each, worth listing though nothing sizes the ids."""
    files = {"erp/__init__.py": "", "erp/sync.py": '''
import requests


def sync_clients(client_ids):
    return [requests.get(f"https://erp.example/clients/{client_id}", timeout=10).json() for client_id in client_ids]


def sync_view(request):
    return sync_clients([int(i) for i in request.GET.getlist("ids")])
'''}
    found = [(f.rule, f.location.line, f.severity.value) for f in scan_sources(files, select=["NP105"]).findings]
    assert found == [("NP105", 6, "medium")]


def test_one_caller_with_a_whole_query_is_enough_for_high():
    found = _scan({"billing/jobs.py": WHOLE_QUERY, "billing/views.py": SELECTION}, "NP101")
    assert [f[:4] for f in found] == [("NP101", "billing/helpers.py", 6, "high")]


def test_a_write_per_row_of_a_parameter_follows_the_same_rule():
    # (the helper is no bulk code: a write per row there is low, saying so, once every caller is weighed)
    [whole] = _scan({"billing/jobs.py": WHOLE_QUERY}, "PF201")
    assert whole[:4] == ("PF201", "billing/helpers.py", 10, "low") and whole[4].endswith(REQUEST_SIZED) and REASON not in whole[4]
    found = _scan({"billing/views.py": SELECTION}, "PF201")
    assert [f[:4] for f in found] == [("PF201", "billing/helpers.py", 10, "low")]
    assert REASON in found[0][4]


def test_a_loop_over_a_parameter_of_an_import_stays_high_without_callers():
    files = {"billing/__init__.py": "", "billing/models.py": ROW_MODELS, "billing/imports.py": '''
from .models import Client

def load_rows(rows):
    for row in rows:
        Client.objects.get(name=row["client"])
'''}
    report = scan_sources(files, select=["NP101"])
    assert [(f.rule, f.location.line, f.severity.value) for f in report.findings] == [("NP101", 6, "high")]


def test_a_loop_over_what_a_project_function_returns_is_high_only_when_that_function_runs_a_query():
    files = {"billing/__init__.py": "", "billing/models.py": ROW_MODELS, "billing/names.py": '''
from django.db import connection


def parse_names(text):
    return [part.strip() for part in text.split(";") if part.strip()]


def totals_by_client():
    with connection.cursor() as cur:
        cur.execute("SELECT client_id, SUM(total) FROM billing_invoice GROUP BY client_id")
        return cur.fetchall()
''', "billing/views.py": '''
from .models import Client
from .names import parse_names, totals_by_client


def clients_named(text):
    for name in parse_names(text):
        Client.objects.filter(name=name).first()


def client_totals():
    for client_id, total in totals_by_client():
        Client.objects.get(pk=client_id)
'''}
    got = {f.location.line: f for f in scan_sources(files, select=["NP101"]).findings}
    parsed = got[8]  # names parsed from one string: not shown to be many
    assert parsed.severity.value == "low"
    assert parsed.message.endswith("; the loop walks what `parse_names()` returns, which the scanner does not see to be the "
                                   "rows of a query, so it matters only when that is many")
    grouped = got[13]  # a helper that runs a grouped query: its rows, as many as there are clients
    assert grouped.severity.value == "high" and "does not see" not in grouped.message


def test_a_branch_the_callers_argument_skips_runs_no_query_for_that_call():
    views = '''
from .models import Invoice
from .search import reindex


def each_client():
    for inv in Invoice.objects.all():
        reindex(inv.client_id)


def everything():
    for inv in Invoice.objects.all():
        reindex(None)
'''
    files = {"billing/__init__.py": "", "billing/models.py": ROW_MODELS, "billing/search.py": REINDEX, "billing/views.py": views}
    got = [(f.rule, f.location.path, f.location.line) for f in scan_sources(files, select=["NP102"]).findings]
    # each_client passes an id: only `if client_id:` runs; everything() passes None: the else queries per invoice
    assert got == [("NP102", "billing/views.py", 13)]

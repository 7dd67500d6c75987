"""Findings judged false on applications nobody here had read (stop 36: rounds 40 to 43), each cause fixed, exact."""

from mcp_server.analysis.scan import scan_sources
from mcp_server.rules import all_rules
from mcp_server.rules.row_examples import billing_app
from rule_cases import example, found_after


def _found(files):
    return [(f.rule, f.location.line) for f in scan_sources(files).findings]


def test_a_loop_over_one_side_of_an_unpacked_pair_is_not_the_views_rows_of_that_name():
    # zds-site's sidebar: `{% for period, topics in followedtopics.items %}` then `{% for topic in topics %}`, whose
    # `topics` is a filter's dict value, not the list view's `topics` (2 NP107 judged false)
    sidebar = example(all_rules()["NP107"].negative, "recent.items")
    path = "billing/templates/billing/invoices.html"
    assert _found(sidebar) == []
    # the inner loop walking the view's own rows: each invoice's client loaded per row
    assert found_after(sidebar, path, "{% for month, invoices in recent.items %}", "{% for month in recent %}") == [("NP107", 3)]


def test_a_lazy_queryset_only_ever_run_by_its_methods_is_reported_where_they_run():
    # pydici's timesheet export: `timesheets = Timesheet.objects.filter(...)` per mission, then `timesheets.get(day=d)`
    # per day; the binding was a second finding for the same queries (judged false: it runs nothing)
    grid = example(all_rules()["NP101"].positive, "invoice_grid")
    path = "billing/export.py"
    assert _found(grid) == [("NP101", 10)]
    # the rows walked as well: the binding's query runs per client
    assert found_after(grid, path, "rows.append(invoices.get(total=total).id)", "rows.append([inv.id for inv in invoices])") == [("NP101", 8)]


def test_a_rows_method_behind_the_projects_cache_decorator_is_not_a_query_per_row():
    # pydici's `@cacheable("Mission.done_work%(id)s", 10)`, kept in memcached (2 NP102 judged false); undecorated, the
    # aggregate it runs on each client is reported where the loop calls it
    cached = example(all_rules()["NP102"].negative, "cacheable(")
    path = "billing/models.py"
    assert _found(cached) == []
    assert found_after(cached, path, '    @cacheable("Client.billed%(id)s", 600)\n', "") == [("NP103", 6)]
    # kept for seconds only (pydici's `done_work`, 10 s): cold again at the next page view, a query per row
    assert found_after(cached, path, '"Client.billed%(id)s", 600', '"Client.billed%(id)s", 10') == [("NP103", 6)]


def test_a_bare_select_related_loads_the_non_null_foreign_keys_of_its_foreign_keys():
    # pydici's risk report: `leads.select_related()` then `lead.client.organisation.company` (judged false)
    bare = example(all_rules()["NP103"].negative, "InvoiceItem.objects.select_related()]")
    path = "billing/models.py"
    assert _found(bare) == []
    # a nullable key is not followed, nor anything behind it
    assert found_after(bare, path, 'client = models.ForeignKey(Client, on_delete=models.CASCADE,',
                       'client = models.ForeignKey(Client, null=True, on_delete=models.CASCADE,') == [("NP103", 6)]


def test_a_field_named_by_its_class_that_counts_days_off_is_not_money():
    # pydici's `HolidayBalance.balance = FloatField()` counts days (PF701 judged false); a `balance_date` is a date and a
    # `min_charge_multiple_per_day` a multiplier
    days = example(all_rules()["PF701"].negative, "class HolidayBalance")
    path = "ledger/store.py"
    assert _found({path: days}) == []
    assert found_after({path: days}, path, "class HolidayBalance", "class AccountBalance") == [("PF701", 7)]


def test_a_query_only_under_a_flag_every_caller_leaves_off_is_low():
    # VulnerableCode's `get_advisories_from_groups(...)`: the query per group runs under `if include_ssvc_trees:`, and
    # both calls in the project leave it at its default False (judged false)
    utils = """from billing.models import Invoice


def groups(rows, include_trees=False):
    out = []
    for r in rows:
        out.append(r.id)
        if include_trees:
            out.append(Invoice.objects.filter(client_id=r.id).first())
    return out
"""
    # (the view hands on the rows of a query: a parameter nothing in an application fills would be low for that alone)
    app = billing_app("from .models import Client\nfrom .utils import groups\n\n\ndef view(request):\n    return groups(Client.objects.all())\n", **{
        "manage.py": "", "billing/urls.py": "from .views import view\nurlpatterns = [view]\n", "billing/utils.py": utils})
    [f] = scan_sources(app).findings
    assert (f.rule, f.location.line, f.severity.value) == ("NP101", 9, "low")
    assert f.message.endswith("it runs only under `include_trees`, which every call in the project leaves switched off, so it looks unreached")
    # one call turning it on: reported as before
    on = {**app, "billing/views.py": app["billing/views.py"].replace("groups(Client.objects.all())", "groups(Client.objects.all(), include_trees=True)")}
    assert [(f.rule, f.location.line, f.severity.value) for f in scan_sources(on).findings] == [("NP101", 9, "high")]


def test_a_helper_drawing_a_random_value_is_not_hoisted():
    # meinberlin's `get_token_and_hash(module, package)` per token of a batch: a new `secrets.choice` token each time
    codes = example(all_rules()["PF301"].negative, "def code_for(client_id)")
    path = "billing/codes.py"
    assert [f for f in scan_sources(codes).findings if f.rule == "PF301"] == []
    assert [r for r in found_after(codes, path, 'secrets.choice("ABCDEF0123")', '"A"') if r[0] == "PF301"] == [("PF301", 12)]


def test_a_helper_called_once_per_batch_a_parameter_sizes_is_not_per_item():
    # djangopackages' search index: `if len(batch) >= batch_size: count += self._upsert_batch(batch=batch); batch = []`
    flushed = example(all_rules()["NP102"].negative, "def rebuild(batch_size=500)")
    path = "billing/views.py"
    assert scan_sources(flushed).findings == []
    # never emptied: after the first batch the helper runs for every item
    assert found_after(flushed, path, "            bucket = []\n", "") == [("NP102", 15)]


def test_a_loop_over_pages_a_generator_or_an_api_iterator_yields_walks_batches():
    # ureport: `for fetch in self._iter_poll_record_runs(...)`, which yields one list per chunk of 1000 records, and
    # `fetches = query.iterfetches(...)`; `_initiate_lookup_maps(fetch)` is the page's batch lookup (4 NP102 judged false)
    pages = example(all_rules()["NP102"].negative, "def _runs_of_archive()")
    path = "billing/views.py"
    assert scan_sources(pages).findings == []
    # a generator yielding row by row: a lookup per row
    assert found_after(pages, path, 'for chunk in chunked(Invoice.objects.values("client").iterator(), 1000):\n        yield [r for r in chunk',
                       'for r in Invoice.objects.values("client").iterator():\n        yield [r for r in [r]') == [("NP102", 16)]
    # an iterator over rows nothing sizes: reported, at `low`
    assert [r for r in found_after(pages, path, ".iterfetches(retry_on_rate_exceed=True)", ".all()")] == [("NP102", 22)]


def test_a_template_count_spelled_all_count_is_counted_in_the_query():
    # SODAR's `{{ o.terms.all.count }}` per ontology: the fix offered was `prefetch_related("terms")`, loading tens of
    # thousands of terms to count them (judged WRONGFIX); the count belongs in the query
    counted = example(all_rules()["NP107"].positive, "c.invoices.all.count")
    [f] = scan_sources(counted).findings
    assert (f.rule, f.location.line) == ("NP107", 1)
    assert f.message.startswith("`c.invoices.count()` counts Client.invoices with a query per row")
    assert f.suggestion.startswith('Count in the queryset at billing/views.py:5: `.annotate(invoices_count=Count("invoices", distinct=True))`')

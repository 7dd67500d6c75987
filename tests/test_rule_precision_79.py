"""Rounds 79 and 80 (issue 15): exact findings on what those rounds' applications showed."""

from mcp_server.analysis.pattern_money import LITERAL_LOWERED
from mcp_server.rules.row_examples import billing_app
from rule_cases import found_by, rule_example


def test_a_back_off_over_delays_is_one_call_retried_not_a_call_per_item():
    files = rule_example("NP105", "negative", "def deliver(url, payload, delays):")
    assert found_by(files, "NP105") == []
    assert found_by(files, "PF301") == []
    # without the pause it is a call per item of what the loop walks
    plain = {"app.py": files["app.py"].replace("        time.sleep(delay)\n", "")}
    [(path, line, severity, message, _fix)] = found_by(plain, "NP105")
    assert (path, line, severity) == ("app.py", 14, "medium")
    assert message.startswith("`post_ok()` is called once per item of the loop at line 13 and reaches a remote call")


def test_a_call_named_for_launching_something_is_never_hoisted():
    files = rule_example("PF301", "negative", "def launch_worker(conn, state):")
    assert found_by(files, "PF301") == []
    loaded = {path: text.replace("launch_worker", "load_worker") for path, text in files.items()}
    [(path, line, _sev, message, _fix)] = found_by(loaded, "PF301")
    assert (path, line) == ("fiscal/workers.py", 7)
    assert message.startswith("`load_worker()` is called with the same arguments on every iteration of the loop at line 7")


_REVIEWS = '''
from django.db import models


class Proposal(models.Model):
    title = models.CharField(max_length=100)


class Review(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="review_set")
    score = models.IntegerField()


class Vote(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="votes", related_query_name="vote")
'''


def test_a_count_annotation_names_the_relation_as_its_related_name_or_related_query_name_says():
    from mcp_server.analysis.scan import scan_sources

    views = '''
from .models import Proposal


def counts():
    return [(p, p.review_set.count(), p.votes.count()) for p in Proposal.objects.all()]
'''
    report = scan_sources({"cfp/__init__.py": "", "cfp/models.py": _REVIEWS, "cfp/views.py": views}, select=["NP103"])
    # `related_name="review_set"` is what a query calls it too (PyCon Korea, round 80: `Count("review")` raised FieldError)
    assert sorted(f.suggestion.partition(", and")[0] for f in report.findings) == [
        'Count in the queryset at cfp/views.py:6: `.annotate(review_count=Count("review_set", distinct=True))`',
        'Count in the queryset at cfp/views.py:6: `.annotate(votes_count=Count("vote", distinct=True))`',
    ]


def test_a_total_of_durations_is_no_money_and_a_total_of_amounts_is():
    files = rule_example("PF701", "negative", "def usage_in_hours(report):")
    assert found_by(files, "PF701") == []
    amounts = {"app.py": files["app.py"].replace('data["applicable_duration"]', 'data["amount"]')}
    assert [(line, message) for _path, line, _sev, message, _fix in found_by(amounts, "PF701")] == [
        (6, "`total_allocation = 0.0` holds money in a binary float" + LITERAL_LOWERED),
        (9, "`round(total_allocation / 3600.0, 2)` rounds money held in a binary float (round(2.675, 2) == 2.67)"),
    ]


def test_a_branch_that_tests_djangos_prefetch_cache_reads_the_prefetched_rows():
    files = rule_example("NP103", "negative", 'if "taxes" in getattr(self, "_prefetched_objects_cache", ()):')
    assert found_by(files, "NP103") == []
    # rows loaded without the prefetch take the aggregate, once per invoice
    bare = {**files, "billing/views.py": files["billing/views.py"].replace('prefetch_related("lines__taxes")', "all()")}
    [(path, line, _sev, message, _fix)] = found_by(bare, "NP103")
    assert (path, line) == ("billing/views.py", 6)
    assert message.startswith("`invoice.lines` runs a query per Invoice in the loop at line 6")


def test_a_helpers_queryset_combined_with_or_in_a_loop_runs_once_after_it():
    files = rule_example("NP102", "negative", "cards |= open_cards(board)")
    assert found_by(files, "NP102") == []
    counted = rule_example("NP102", "positive", "cards |= open_card_count(board)")
    [(path, line, _sev, message, _fix)] = found_by(counted, "NP102")
    assert (path, line) == ("kanban/tasks.py", 9)
    assert message.startswith("`open_card_count()` is called once per item of the loop at line 8 and reaches a query")


def test_a_method_walking_a_tree_by_calling_itself_is_offered_the_whole_subtree_not_a_prefetch():
    from mcp_server.analysis.n_plus_one import TREE_FIX

    files = rule_example("NP103", "positive", "[child.tree() for child in children]")
    found = {(path, line): (severity, message, fix) for path, line, severity, message, fix in found_by(files, "NP103")}
    severity, message, fix = found[("ledger/models.py", 16)]
    assert severity == "medium" and fix == TREE_FIX
    assert message.endswith("the loop walks a tree recursively (it runs its own function again per item), so it matters when the tree is large")
    # the roots' own loop keeps the one-level prefetch that serves it
    assert found[("ledger/views.py", 6)][2] == ('Add `.prefetch_related("children")` to the queryset at ledger/views.py:6. Also '
                                               '`select_related("ledger")` for the other relations it reads.')


def test_a_model_method_whose_only_call_is_its_own_recursion_runs_for_nobody():
    files = rule_example("NP103", "positive", "[child.tree() for child in children]")
    del files["ledger/views.py"], files["ledger/urls.py"]
    [(path, line, severity, message, _fix)] = found_by(files, "NP103")
    assert (path, line, severity) == ("ledger/models.py", 16, "low")
    assert message.endswith("nothing in the project names `Account.tree()` but its definition and imports (no call, schedule or "
                            "setting), so it looks unused")


def test_a_view_behind_the_projects_own_admin_decorator_is_staff_only():
    from mcp_server.rules.staff_examples import NP101_ADMIN_ROLE_KEPT, NP101_ADMIN_ROLE_LOWERED

    [(path, line, severity, message, _fix)] = found_by(NP101_ADMIN_ROLE_LOWERED, "NP101")
    assert (path, line, severity) == ("billing/views.py", 10, "low")
    assert "`@admin`" in message
    assert [f[:3] for f in found_by(NP101_ADMIN_ROLE_KEPT, "NP101")] == [("billing/views.py", 10, "high")]


def test_what_follows_the_continue_guard_of_a_body_that_always_returns_runs_once():
    files = rule_example("PF301", "negative", "def first_matching_rate(conn, rules, invoice):")
    assert found_by(files, "PF301") == []
    # without the return, each matching rule looks the rate up again
    each = {**files, "fiscal/rules.py": files["fiscal/rules.py"].replace("        return invoice\n", "")}
    [(path, line, _sev, message, _fix)] = found_by(each, "PF301")
    assert (path, line) == ("fiscal/rules.py", 7)
    assert message.startswith("`get_icms_rate()` is called with the same arguments on every iteration of the loop at line 4")


def test_a_slice_bound_to_a_name_then_rendered_is_a_handful_of_rows():
    files = rule_example("NP107", "negative", 'recent = Invoice.objects.order_by("-id")[:3]')
    assert found_by(files, "NP107") == []
    unsliced = {**files, "billing/views.py": files["billing/views.py"].replace('.order_by("-id")[:3]', '.order_by("-id")')}
    [(path, line, severity, message, _fix)] = found_by(unsliced, "NP107")
    assert (path, severity) == ("billing/templates/billing/invoices.html", "high")
    assert message.startswith("`inv.client.name` loads Invoice.client once per row")


def test_a_related_object_a_template_prints_is_loaded_with_what_its_str_reads():
    from mcp_server.rules.template_examples import NP107_PRINTED_POSITIVE

    [(path, line, severity, message, fix)] = found_by(NP107_PRINTED_POSITIVE, "NP107")
    assert (path, line, severity) == ("billing/templates/billing/invoices.html", 1, "high")
    assert message.startswith("`inv.client` loads Invoice.client.city once per row in the loop at line 1")
    assert fix == 'Add `.select_related("client__city")` to the queryset at billing/views.py:5.'
    # a field of the client, not the client printed: its own relation alone
    named = {**NP107_PRINTED_POSITIVE, "billing/templates/billing/invoices.html": "{% for inv in invoices %}<p>{{ inv.client.name }}</p>{% endfor %}\n"}
    assert found_by(named, "NP107")[0][4] == 'Add `.select_related("client")` to the queryset at billing/views.py:5.'


def test_a_mutable_default_filled_once_and_handed_back_is_a_cache():
    files = rule_example("NP105", "negative", "def bank_holidays(data=[]):")
    assert found_by(files, "NP105") == []
    # a list made anew on each call asks the API for every invoice
    fresh = {"app.py": files["app.py"].replace("def bank_holidays(data=[]):\n    if data:\n        return data\n",
                                                "def bank_holidays():\n    data = []\n")}
    [(path, line, _sev, message, _fix)] = found_by(fresh, "NP105")
    assert (path, line) == ("app.py", 13)
    assert message.startswith("`bank_holidays()` is called once per item of the loop at line 13 and reaches a remote call")


def test_a_serializer_handed_the_fields_to_keep_reads_only_those():
    from mcp_server.rules.dynamic_fields_examples import NP102_DYNAMIC_FIELDS_NEGATIVE, NP102_DYNAMIC_FIELDS_POSITIVE

    assert found_by(NP102_DYNAMIC_FIELDS_NEGATIVE[0], "NP102") == []
    # without `fields=`, the list, the cards and the nested client each count every client's open invoices
    found = found_by(NP102_DYNAMIC_FIELDS_POSITIVE[0], "NP102")
    assert [(path, line, severity) for path, line, severity, _m, _f in found] == [
        ("billing/views.py", 7, "high"), ("billing/views.py", 11, "high"), ("billing/views.py", 15, "high")]
    assert all(message.startswith("`ClientSerializer` serializes each item") or message.startswith("`InvoiceSerializer` serializes")
               for _p, _l, _s, message, _f in found)


_VISITS = '''
from rest_framework import serializers
from .models import Client, Invoice


class ClientVisitsSerializer(serializers.ModelSerializer):
    visits = serializers.SerializerMethodField()

    def __init__(self, *args, **kwargs):
        super(ClientVisitsSerializer, self).__init__(*args, **kwargs)

    class Meta:
        model = Client
        fields = ["name", "visits"]

    def get_visits(self, obj):
        return [invoice.client.name for invoice in Invoice.objects.filter(total__gt=0)]
'''


def test_a_serializer_nothing_names_but_its_own_super_call_runs_for_nobody():
    from mcp_server.rules.row_examples import ROW_MODELS

    # the module runs (the views import it) but nothing names the class
    files = {"manage.py": "", "billing/__init__.py": "", "billing/models.py": ROW_MODELS,
             "billing/serializers.py": _VISITS + "\nPAGE_SIZE = 50\n",
             "billing/views.py": "from .serializers import PAGE_SIZE\nVIEWS = [PAGE_SIZE]\n",
             "billing/urls.py": "from .views import VIEWS\nurlpatterns = VIEWS\n"}
    [(path, line, severity, message, _fix)] = found_by(files, "NP103")
    assert (path, line, severity) == ("billing/serializers.py", 17, "low")
    assert message.endswith("so it looks unused")
    named = {**files, "billing/views.py": "from .serializers import ClientVisitsSerializer\nVIEWS = [ClientVisitsSerializer]\n"}
    assert [f[2] for f in found_by(named, "NP103")] == ["high"]


def test_a_module_importing_a_test_case_class_is_test_code():
    files = rule_example("NP101", "negative", "from billing.testing import BillingSeleniumTestCase")
    assert found_by(files, "NP101") == []
    kept = {**files, "billing/seltests/invoices.py": files["billing/seltests/invoices.py"].replace(
        "(BillingSeleniumTestCase)", "")}
    [(path, _line, severity, _message, _fix)] = found_by(kept, "NP101")
    assert (path, severity) == ("billing/seltests/invoices.py", "high")

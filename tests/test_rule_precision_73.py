"""Round 73 (issue 15): exact findings on what round 73's applications showed."""

from mcp_server.analysis.batch_context import REQUEST_SIZED
from mcp_server.analysis.scan import scan_sources
from mcp_server.rules import all_rules
from mcp_server.rules.row_examples import billing_app
from rule_cases import found_by, rule_example


def _rule(rule):
    return all_rules()[rule]

_SERIALIZER = '''from rest_framework import serializers
from .models import Invoice, Payment


def last_payment(invoice):
    return Payment.objects.filter(invoice_id=invoice.pk).order_by("-id").first()


class InvoiceSerializer(serializers.ModelSerializer):
    last_paid = serializers.SerializerMethodField()

    class Meta:
        model = Invoice
        fields = ["id", "total", "last_paid"]

    def get_last_paid(self, obj):
        payment = last_payment(obj)
        return payment.amount if payment else None
'''
_LIST = '''from .models import Invoice
from .serializers import InvoiceSerializer


def invoices():
    return InvoiceSerializer(Invoice.objects.all(), many=True).data
'''


def test_a_serializer_reaching_a_query_is_named_by_its_class_not_by_its_synthetic_function():
    # Mediathread printed "`<rows>()` is called once per item ... <rows> -> <rows> -> get_primary_source"
    files = billing_app(_LIST, **{"billing/serializers.py": _SERIALIZER})
    [(path, line, severity, message, _fix)] = found_by(files, "NP102")
    assert (path, line, severity) == ("billing/views.py", 6, "high")
    assert message == ("`InvoiceSerializer` serializes each item of the loop at line 6 and reaches a query: InvoiceSerializer -> "
                       "get_last_paid -> last_payment -> `Payment.objects.first` (billing/serializers.py:6)")
    [finding] = scan_sources(files, select=["NP102"]).findings
    assert [e.message for e in finding.evidence if e.role == "call"] == [
        "serializes with billing.serializers.InvoiceSerializer", "calls billing.serializers.InvoiceSerializer.get_last_paid",
        "calls billing.serializers.last_payment"]


def test_a_python_fixture_is_demo_data_and_the_same_module_elsewhere_is_not():
    files = rule_example("NP101", "negative", "def objects():")
    assert found_by(files, "NP101") == []
    moved = {("billing/demo_rows.py" if p == "billing/fixtures/demo.py" else p): s for p, s in files.items() if p != "billing/fixtures/__init__.py"}
    assert [f[:3] for f in found_by(moved, "NP101")] == [("billing/demo_rows.py", 5, "high")]


def test_a_branch_switched_off_is_not_read_and_its_else_branch_is():
    code = rule_example("NP101", "negative", "    if False:\n")["billing/views.py"]
    both = code + "    else:\n        for inv in Invoice.objects.all():\n            inv.total = Client.objects.get(pk=inv.client_id).pk\n"
    assert [f[:3] for f in found_by(billing_app(both), "NP101")] == [("billing/views.py", 10, "high")]
    assert [f[:2] for f in found_by(billing_app(both.replace("if False:", "if True:")), "NP101")] == [("billing/views.py", 7), ("billing/views.py", 10)]


def test_a_query_object_given_new_parameters_on_each_item_is_not_the_same_call():
    files = rule_example("PF301", "negative", 'query.values["state"] = state')
    assert found_by(files, "PF301") == []
    # it is a query per item, which NP102 reports; without the assignment the call is the same on every item
    assert [f[:3] for f in found_by(files, "NP102")] == [("fiscal/rates.py", 8, "medium")]
    same = {**files, "fiscal/rates.py": files["fiscal/rates.py"].replace('        query.values["state"] = state\n', "")}
    [(path, line, _sev, message, _fix)] = found_by(same, "PF301")
    assert (path, line) == ("fiscal/rates.py", 7)
    assert message.startswith("`execute()` is called with the same arguments on every iteration of the loop at line 6")


def test_first_of_related_rows_ordered_by_meta_reads_the_prefetched_rows():
    files = rule_example("NP103", "negative", 'ordering = ["-issued"]')
    assert found_by(files, "NP103") == []
    unloaded, unordered = (e for e in _rule("NP103").positive if isinstance(e, dict) and "billing/views.py" in e
                           and "c.invoices.first()" in e["billing/views.py"])
    [(path, line, severity, message, fix)] = found_by(unloaded, "NP103")
    assert (path, line, severity) == ("billing/views.py", 5, "high")
    assert message.endswith('has no prefetch_related("invoices")') and fix == 'Add `.prefetch_related("invoices")` to the queryset at billing/views.py:5.'
    [(_p, _l, _s, message, _f)] = found_by(unordered, "NP103")
    assert message.endswith("`.invoices.first()` queries even when the relation is prefetched")


def test_rows_handed_to_a_sorting_helper_keep_what_the_chain_on_its_result_loads():
    files = rule_example("NP107", "negative", "def sort_queryset(self, qs, field):")
    assert found_by(files, "NP107") == []
    bare = {**files, "billing/views.py": files["billing/views.py"].replace('return qs.select_related("client")', "return qs")}
    [(path, line, severity, message, _fix)] = found_by(bare, "NP107")
    assert (path, line, severity) == ("billing/templates/billing/invoices.html", 1, "high")
    assert message == ('`inv.client.name` loads Invoice.client once per row in the loop at line 1: the queryset at billing/views.py:20 '
                       'has no select_related("client")')


_READ = '''def {name}(path):
    with open(path) as f:
        for line in f.readlines():
            handle(line)
'''
_SMALL = ("; nothing here says how large the file is, and files read this way are mostly small (a configuration, a list of names, "
          "a /proc entry), so this matters only for large inputs such as an import")


def test_a_file_read_whole_is_low_unless_the_code_is_named_for_bulk_input_or_reads_csv():
    whole = "`readlines()` reads the whole file into a list of lines, then the loop walks it"
    assert [f[:4] for f in found_by({"app.py": _READ.format(name="read_hosts")}, "PF401")] == [("app.py", 3, "low", whole + _SMALL)]
    assert [f[:4] for f in found_by({"app.py": _READ.format(name="import_statements")}, "PF401")] == [("app.py", 3, "medium", whole)]
    assert [f[:3] for f in found_by({"app.py": "import csv\n" + _READ.format(name="read_hosts")}, "PF401")] == [("app.py", 4, "medium")]
    # `split()` splits on whitespace: the words of the file, and the fix splits each line
    words = "def fields(path):\n    with open(path) as f:\n        return [int(x) for x in f.read().split()]\n"
    [(_p, line, severity, message, fix)] = found_by({"app.py": words}, "PF401")
    assert (line, severity) == (3, "low")
    assert message == "`read().split()` reads the whole file and copies it into a list of words, then the loop walks it" + _SMALL
    assert fix.startswith("Iterate the file object itself and split each line")


def test_a_blocking_session_never_closed_is_low_and_a_connection_is_not():
    session = "import requests\n\n\ndef rates(url):\n    session = requests.Session()\n    return session.get(url, timeout=10).json()\n"
    assert [f[:4] for f in found_by({"app.py": session}, "PF501")] == [("app.py", 5, "low", (
        "the HTTP session `session` from `requests.Session(...)` is never closed in this function; CPython closes it when this "
        "function drops its last reference, so it stays open only until the function returns (longer on PyPy, or when a "
        "reference cycle holds it)"))]
    # a server's connection holds its slot until then (an SQLite file's is `low` since stop 60: test_rule_precision_134.py),
    # and from round 174 it is `low` too where a plain function drops it; a connection a worker polls with stays
    conn = "import psycopg2\n\n\ndef total(dsn):\n    conn = psycopg2.connect(dsn)\n    return conn.cursor().execute('SELECT 1').fetchone()\n"
    assert [f[:3] for f in found_by({"app.py": conn}, "PF501")] == [("app.py", 5, "low")]
    polled = conn.replace("    return conn", "    while True:\n        conn")
    assert [f[:3] for f in found_by({"app.py": polled}, "PF501")] == [("app.py", 5, "medium")]


def test_a_statement_per_item_that_is_no_lookup_is_not_a_query_to_batch():
    files = rule_example("NP102", "negative", '"SAVEPOINT %s" % name')
    assert found_by(files, "NP102") == []
    lookup = {**files, "txn/db.py": files["txn/db.py"].replace('"SAVEPOINT %s" % name, {}', '"SELECT id FROM entries WHERE name = ?", (name,)')}
    [(path, line, severity, message, _fix)] = found_by(lookup, "NP102")
    assert (path, line, severity) == ("txn/calls.py", 7, "medium")
    assert message.startswith("`Savepoint()` is called once per item of the loop at line 6 and reaches a query: __init__ -> _dml")
    # a helper named for DDL or a privilege (Trove's `alter_user`, `revoke_access`): one statement per object
    helper = {"ops.py": "def alter_user(cur, user):\n    cur.execute('SELECT 1 FROM users WHERE name = %s', (user,))\n\n\n"
                        "def rename_all(cur, users):\n    for user in users:\n        alter_user(cur, user)\n"}
    assert found_by(helper, "NP102") == []
    assert [f[:2] for f in found_by({"ops.py": helper["ops.py"].replace("alter_user", "user_row")}, "NP102")] == [("ops.py", 7)]


_CLIENTS = '''from django.db import models


class Client(models.Model):
    name = models.CharField(max_length=80)

    def overdue_counts(self):
        return [Reminder.objects.filter(invoice_id=inv.pk).count() for inv in Invoice.objects.all()]


class Invoice(models.Model):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="invoices")


class Reminder(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE)
'''
_PAGE = "from .models import Client\n\n\ndef page(request, pk):\n    return Client.objects.get(pk=pk).{}()\n"
_URLS = "from django.urls import path\nfrom . import views\n\nurlpatterns = [path('c/<int:pk>/', views.page)]\n"


def test_a_model_method_nothing_in_the_application_names_is_low_and_says_so():
    files = {"manage.py": "", "billing/__init__.py": "", "billing/models.py": _CLIENTS, "billing/urls.py": _URLS}
    [(path, line, severity, message, _fix)] = found_by({**files, "billing/views.py": _PAGE.format("get_absolute_url")}, "NP101")
    assert (path, line, severity) == ("billing/models.py", 8, "low")
    assert message.endswith("; nothing in the project names `Client.overdue_counts()` but its definition and imports (no call, "
                            "schedule or setting), so it looks unused")
    # a view calls it: a query per invoice on every page
    assert [f[:3] for f in found_by({**files, "billing/views.py": _PAGE.format("overdue_counts")}, "NP101")] == [
        ("billing/models.py", 8, "high")]
    # a hook the ORM calls by itself is never unused, whatever the project spells
    hook = _CLIENTS.replace("def overdue_counts(self):", "def clean(self):")
    assert [f[:3] for f in found_by({**files, "billing/models.py": hook, "billing/views.py": _PAGE.format("get_absolute_url")},
                                    "NP101")] == [("billing/models.py", 8, "high")]


def test_many_true_serialises_the_child_a_many_init_swaps_in():
    files = rule_example("NP103", "negative", 'kwargs["child"] = InvoiceRowSerializer()')
    assert found_by(files, "NP103") == []
    # a list serializer over the full serializer: each row's client is read
    plain = {**files, "billing/serializers.py": files["billing/serializers.py"].split("    @classmethod")[0].rstrip() + "\n"}
    assert [f[:3] for f in found_by(plain, "NP103")] == [("billing/serializers.py", 16, "high")]
    # a single row still writes out the full serializer's fields
    one = {**files, "billing/views.py": files["billing/views.py"].replace("InvoiceSerializer(Invoice.objects.all(), many=True).data",
                                                                          "[InvoiceSerializer(inv).data for inv in Invoice.objects.all()]")}
    assert [f[:3] for f in found_by(one, "NP103")] == [("billing/views.py", 6, "high")]


def test_select_related_offered_over_only_of_columns_named_from_a_variable_says_what_to_check():
    code = '''from .models import Invoice

FIELDS = {"Invoice": ["id", "total"]}


def labels():
    rows = Invoice.objects.filter(total__gt=0).only(*FIELDS["Invoice"]).order_by("id")
    return [inv.client.name for inv in rows]
'''
    [(_path, line, _sev, _message, fix)] = found_by(billing_app(code), "NP103")
    assert line == 8
    assert fix == ('Add `.select_related("client")` to the queryset at billing/views.py:8. The queryset\'s `.only(...)` names its '
                   "columns from a variable: if they leave `client` out, add it there too, since Django refuses to follow a "
                   "deferred field with select_related.")
    # columns the code spells: no note when they hold the key, the plain note when they leave it out
    assert found_by(billing_app(code.replace('*FIELDS["Invoice"]', '"id", "total", "client"')), "NP103")[0][4] == (
        'Add `.select_related("client")` to the queryset at billing/views.py:8.')


def test_a_row_saved_through_the_loop_rows_relation_is_of_the_relations_model():
    files = rule_example("PF201", "negative", "payer = invoice.payer")
    assert found_by(files, "PF201") == []  # Client.save() normalises the name: bulk_update would skip it
    [(path, line, severity, message, _fix)] = found_by(rule_example("PF201", "positive", "payer = invoice.payer"), "PF201")
    assert (path, line, severity, message) == ("billing/views.py", 8, "low", "`payer.save()` writes one row per item of the loop at line 5"
                                               + REQUEST_SIZED)


def test_a_coroutine_querying_on_its_callers_connection_where_nothing_serves_from_a_loop_is_low():
    # (with an async driver in the project, so that its synchronous queries are not the design: run_loops.sync_by_design)
    files = {**rule_example("PF801", "positive", "return asyncio.run(both(trans))"), "ledger/aio.py": "import aiosqlite\n"}
    [(path, line, severity, message, fix)] = found_by(files, "PF801")
    assert (path, line, severity) == ("ledger/jobs.py", 6, "low")
    assert message.endswith("it queries on the connection its caller hands it (`trans`): the wait holds up only what that run gathered")
    assert fix.startswith("Run these queries before starting the coroutines")
    # an ASGI application in the project: its coroutines may be request handlers, and the finding keeps its severity
    assert [f[:3] for f in found_by({**files, "ledger/app.py": "from fastapi import FastAPI\n\napp = FastAPI()\n"}, "PF801")] == [
        ("ledger/jobs.py", 6, "high")]


def test_a_top_level_admin_project_with_its_own_settings_is_a_staff_site():
    loop = "from billing.models import Client, Invoice\n\n\ndef page(request):" + (
        "\n    for inv in Invoice.objects.all():\n        inv.client_name = Client.objects.get(pk=inv.client_id).name\n")
    files = billing_app("def home(request):\n    return None\n", **{"admin/__init__.py": "", "admin/base/__init__.py": "",
                                                                   "admin/base/settings/__init__.py": "DEBUG = False\n",
                                                                   "admin/invoices/__init__.py": "", "admin/invoices/views.py": loop})
    [(path, line, severity, message, _fix)] = found_by(files, "NP101")
    assert (path, line, severity) == ("admin/invoices/views.py", 6, "low")
    assert "; only staff reach it (a staff site of its own: the top-level `admin/` project, with its own settings)" in message
    # an `admin/` package without settings of its own is part of the application
    plain = {p: s for p, s in files.items() if "settings" not in p}
    assert [f[:3] for f in found_by(plain, "NP101")] == [("admin/invoices/views.py", 6, "high")]


def test_a_query_that_is_the_fallback_of_an_or_on_a_passed_parameter_does_not_run():
    files = rule_example("NP102", "negative", "client = client or Client.objects.get(pk=invoice.client_id)")
    assert found_by(files, "NP102") == []
    left_out = {**files, "billing/views.py": files["billing/views.py"].replace("client_of(inv, client)", "client_of(inv)")}
    [(path, line, severity, message, _fix)] = found_by(left_out, "NP102")
    assert (path, line, severity) == ("billing/views.py", 10, "medium")
    assert message.startswith("`client_of()` is called once per item of the loop at line 10 and reaches a query: client_of -> "
                              "`Client.objects.get` (billing/views.py:5)")


def test_a_heartbeat_written_on_every_item_is_not_a_lookup_to_hoist():
    files = rule_example("PF301", "negative", "def write_healthcheck(path):")
    assert found_by(files, "PF301") == []
    # the same file read on every item is one to hoist
    read = {"app.py": files["app.py"].replace('open(path, "w") as f:\n        f.write(datetime.datetime.now().isoformat())',
                                              "open(path) as f:\n        return f.read()").replace("write_healthcheck", "read_settings")}
    [(path, line, _sev, message, _fix)] = found_by(read, "PF301")
    assert (path, line) == ("app.py", 12)
    assert message.startswith("`read_settings()` is called with the same arguments on every iteration of the loop at line 11")


def test_a_memo_whose_miss_test_has_a_second_condition_still_runs_once_per_key():
    files = rule_example("NP101", "negative", "if code not in by_code and len(code) == 3:")
    assert found_by(files, "NP101") == []
    # nothing stored under the code: a query for every row
    unstored = billing_app(files["billing/views.py"].replace("by_code[code] = Client", "found = Client"))
    [(path, line, severity, message, _fix)] = found_by(unstored, "NP101")
    assert (path, line, severity) == ("billing/views.py", 8, "medium")
    assert message.startswith("`Client.objects.get` runs a query once per item of the loop at line 6")

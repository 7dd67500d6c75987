"""Stop 65: a file the parser refuses no longer turns the whole-project reading off (analysis/unparsed.py), and a script
no import can name is run, not dead (unused_modules._root)."""
from rule_cases import HANDED_ON_FLOAT

from mcp_server.analysis.scan import scan_sources
from mcp_server.analysis.unparsed import stand_in
from mcp_server.rules import hand_run_examples as hr
from mcp_server.rules.row_examples import billing_app

_IMPORT = "billing/management/commands/import_invoices.py"
_PY2 = "syntax error at line {0}, column {1}: Missing parentheses in call to 'print'. Did you mean print(...)?; skipped"


def _scan(files, rule="NP101"):
    report = scan_sources(files, select=[rule])
    return ([(f.location.path, f.location.line, f.severity.value) for f in report.findings],
            [(p.input, p.message) for p in report.errors])


def test_a_python_2_file_beside_a_hand_run_import_still_lets_it_be_run_by_hand():
    found, errors = _scan(hr.IMPORT_BESIDE_PYTHON2_LOWERED)
    assert found == [(_IMPORT, 17, "low")]
    assert errors == [("billing/legacy_report.py", _PY2.format(4, 1))]  # still said: the file was not analysed
    [f] = scan_sources(hr.IMPORT_BESIDE_PYTHON2_LOWERED, select=["NP101"]).findings
    assert f.message.endswith(hr.BY_HAND.format("import_invoices", "imports large files"))


def test_a_python_2_task_that_starts_the_import_keeps_it():
    found, errors = _scan(hr.IMPORT_FROM_PYTHON2_TASK_KEPT)
    assert found == [(_IMPORT, 17, "high")]
    assert errors == [("billing/old_tasks.py", _PY2.format(6, 5))]


ROWS = "from billing.models import Invoice\n\n\ndef rows():\n    return [inv.client.name for inv in Invoice.objects.all()]\n"
ROUTED = {"manage.py": "", "billing/urls.py": "from .views import rows\nurlpatterns = [rows]\n"}


def test_a_module_only_an_unparsed_file_imports_is_live_and_one_nothing_imports_is_not():
    base = billing_app(ROWS, **ROUTED, **{"billing/api_v1.py": ROWS})
    for importer in ('from billing import api_v1\nprint "exported", api_v1.rows()\n',
                     'from .api_v1 import (\n    rows,\n)\nprint rows()\n',
                     'import billing.api_v1 as old\nprint old.rows()\n'):
        found, _errors = _scan({**base, "billing/export.py": importer}, "NP103")
        assert ("billing/api_v1.py", 5, "high") in found, importer
    found, _errors = _scan({**base, "billing/export.py": 'import csv\nprint "nothing here"\n'}, "NP103")
    assert ("billing/api_v1.py", 5, "low") in found


def test_what_an_unparsed_file_imports_and_names():
    facts = stand_in("billing/reports/old.py", 'import os, billing.models as m\nfrom ..views import (a,\n  b as c)\n'
                                               'from . import x  # why\n# import commented\nprint "total_due"\n')
    assert facts.imported == ("os", "billing.models", "billing.views.a", "billing.views.b", "billing.reports.x")
    assert facts.imports == {"os": "os", "m": "billing.models", "a": "billing.views.a", "c": "billing.views.b",
                             "x": "billing.reports.x"}
    assert "total_due" in facts.words and "commented" not in facts.words
    assert facts.unparsed and not facts.functions and facts.lines == 0


def test_a_script_no_import_can_name_is_run_and_what_it_calls_is_used():
    # Spoken Tutorial's `cron/youtube-tasks.py`, run by cron beside the app's own `__init__.py`: not a dead module, and
    # the task it calls is not unused
    tasks = "from billing.models import Invoice\n\n\ndef refresh():\n    return [inv.client.name for inv in Invoice.objects.all()]\n"
    files = billing_app(ROWS, **ROUTED, **{"billing/tasks.py": tasks, "billing/cron-refresh.py": ROWS.replace("def rows", "def all_rows")
                                           + "\n\nfrom billing.tasks import refresh\nrefresh()\nall_rows()\n"})
    found, _errors = _scan(files, "NP103")
    assert ("billing/tasks.py", 5, "high") in found
    assert ("billing/cron-refresh.py", 5, "high") in found


def test_raw_sql_on_a_connection_the_items_method_returns_is_the_items_own_database():
    from rule_cases import found_by
    from mcp_server.rules.carried_statement_examples import NP101_OWN_STORE_NEGATIVE, NP101_SHARED_STORE_POSITIVE

    assert found_by({"ledgers.py": NP101_OWN_STORE_NEGATIVE}, "NP101") == []
    [(path, line, severity, message, _fix)] = found_by({"ledgers.py": NP101_SHARED_STORE_POSITIVE}, "NP101")
    assert (path, line, severity) == ("ledgers.py", 17, "medium")
    assert message.startswith("`conn.execute` runs a query once per item of the loop at line 16")


def test_a_class_method_of_a_namespace_the_project_calls_through_its_class_is_unused_when_nothing_names_it():
    from rule_cases import found_by
    from mcp_server.rules import own_object_examples as oo

    [(path, line, severity, message, _fix)] = found_by(oo.NP103_CLASS_METHODS_UNUSED_LOWERED, "NP103")
    assert (path, line, severity) == ("billing/queue.py", 12, "low")
    assert message.endswith("; nothing in the project names `InvoiceQueue.drain()` but its definition and imports (no call, "
                            "schedule or setting), so it looks unused")
    assert [f[:3] for f in found_by(oo.NP103_CLASS_METHODS_CALLED_KEPT, "NP103")] == [("billing/queue.py", 12, "high")]


def test_a_statement_over_each_items_own_table_in_a_schema_is_no_query_per_item():
    from rule_cases import found_by
    from mcp_server.rules.carried_statement_examples import NP101_SCHEMA_TABLE_NEGATIVE

    files = {"ledgers/__init__.py": "", "ledgers/sizes.py": NP101_SCHEMA_TABLE_NEGATIVE}
    assert found_by(files, "NP101") == []
    # the same count over one shared table, the ledger picked by a WHERE: one query per ledger
    shared = {**files, "ledgers/sizes.py": NP101_SCHEMA_TABLE_NEGATIVE.replace(
        """'SELECT count(1) FROM ledgers."{}"'.format(ledger.uuid.hex)""", """'SELECT count(1) FROM ledgers.entry WHERE ledger = {}'.format(ledger.id)""")}
    assert [f[:3] for f in found_by(shared, "NP101")] == [("ledgers/sizes.py", 10, "high")]


def test_routes_behind_admin_login_required_and_an_import_view_kept_in_admin_py_are_staff_only():
    from rule_cases import found_by
    from mcp_server.rules import staff_examples as st

    staff = ("; only staff reach it ({0}), which few people use: worth fixing when it walks a large table (`table_rows` "
             "with the table's size raises it)")
    [(path, line, severity, message, _fix)] = found_by(st.NP101_ADMIN_LOGIN_LOWERED, "NP101")
    assert (path, line, severity) == ("billing/views.py", 13, "low")
    assert message.endswith(staff.format("`@admin_login_required`"))
    [(path, line, severity, message, _fix)] = found_by(st.NP101_ADMIN_IMPORT_VIEW_LOWERED, "NP101")
    assert (path, line, severity) == ("billing/admin.py", 25, "low")
    assert message.endswith(staff.format("reached only from the Django admin on `ImportInvoicesView.form_valid`"))
    assert [f[:3] for f in found_by(st.NP101_IMPORT_VIEW_KEPT, "NP101")] == [("billing/views.py", 25, "high")]


def test_rows_of_an_object_further_away_keep_what_their_query_prefetched():
    from rule_cases import found_by
    from mcp_server.rules import handed_prefetch_examples as hp

    assert found_by(hp.NP103_FAR_PREFETCH_NEGATIVE, "NP103") == []
    [(path, line, severity, message, _fix)] = found_by(hp.NP103_FAR_PREFETCH_POSITIVE, "NP103")
    assert (path, line, severity) == ("grants/review.py", 14, "high")
    assert message == ("`r.category.name` loads Reimbursement.category once per row in the loop at line 13: the queryset at "
                       "grants/review.py:11 has no prefetch_related(\"reimbursements__category\")")


def test_a_retry_loop_that_leaves_on_the_first_connection_is_no_connection_per_item():
    from rule_cases import found_by
    from mcp_server.rules import resources_examples as rx

    assert found_by({"db.py": rx.PF502_WAIT_FOR_DATABASE_NEGATIVE}, "PF502") == []
    [(path, line, severity, message, _fix)] = found_by({"db.py": rx.PF502_CONNECT_EVERY_TRY_POSITIVE}, "PF502")
    assert (path, line, severity) == ("db.py", 11, "high")
    assert message == "`psycopg2.connect` connects to the database anew on every iteration of the loop at line 9"


def test_a_method_the_object_calls_by_a_name_it_builds_is_used():
    from rule_cases import found_by
    from mcp_server.rules import own_object_examples as oo

    assert [f[:3] for f in found_by(oo.NP103_DISPATCHED_STEP_KEPT, "NP103")] == [("billing/importer.py", 11, "high")]
    [(path, line, severity, message, _fix)] = found_by(oo.NP103_UNDISPATCHED_STEP_LOWERED, "NP103")
    assert (path, line, severity) == ("billing/importer.py", 11, "low")
    assert message.endswith("; nothing in the project names `Importer._create_invoices()` but its definition and imports "
                            "(no call, schedule or setting), so it looks unused")


def test_rows_of_a_model_named_through_its_module_are_still_its_managers_rows():
    # `manage.Netbox.objects.all().prefetch_related("info_set")` (NAV's API): the model's rows, not an object's relation
    src = ("from billing import models\n\n\ndef names():\n    return [inv.client.name for inv in "
           "models.Invoice.objects.all().prefetch_related(\"payments\")]\n")
    found, errors = _scan(billing_app(src), "NP103")
    assert (found, errors) == ([("billing/views.py", 5, "high")], [])


def test_a_float_hint_over_a_numeric_column_is_no_float_money():
    from rule_cases import found_by
    from mcp_server.rules import money_examples as mx

    assert found_by({"models.py": mx.PF701_NUMERIC_BEHIND_FLOAT_HINT}, "PF701") == []
    [(path, line, severity, message, _fix)] = found_by({"models.py": mx.PF701_FLOAT_BEHIND_FLOAT_HINT}, "PF701")
    assert (path, line) == ("models.py", 14)
    assert message.startswith("`award_amount` is declared as a `Float` column")


def test_a_float_formatted_back_to_two_places_into_decimal_is_exact():
    from rule_cases import found_by
    from mcp_server.rules import money_examples as mx

    assert found_by({"refunds.py": mx.PF701_TWO_PLACES_AGAIN}, "PF701") == []
    [(path, line, severity, message, _fix)] = found_by({"refunds.py": mx.PF701_FLOAT_KEPT_FOR_SUMS}, "PF701")
    assert (path, line, message) == ("refunds.py", 8, "`float(txn['total_amount'])` turns money into a binary float" + HANDED_ON_FLOAT)


def test_a_query_after_a_string_choice_in_an_and_runs_only_for_that_choice():
    from rule_cases import found_by
    from mcp_server.rules import chosen_level_examples as cl

    assert found_by(cl.NP103_FAILED_STATUS_PASSED, "NP103") == []
    [(path, line, severity, message, _fix)] = found_by(cl.NP103_DEFAULT_STATUS, "NP103")
    assert (path, line, severity) == ("ledger/jobs.py", 7, "high")
    assert message.startswith("`invoice.payments.count()` counts Invoice.payments with a query per row in the loop at line 6")

"""Per-item work nobody waits on (analysis/background.py), on the rules' own examples
(mcp_server/rules/background_examples.py): the exact severity, line and reason of each finding, and what keeps its
severity (a request's path, an import's file rows)."""

from mcp_server.analysis.scan import scan_sources
from mcp_server.rules import background_examples as ex

COMMAND_NP105 = ("; it runs in a management command, where nobody waits on each call and one call after another is often on "
                 "purpose (rate limits, one server per item): worth changing only where the service offers a batch call")
COMMAND_QUERY = ("; it runs in a management command, by hand, over a loop nothing in the code sizes: worth changing only when "
                 "the command is run over many items")


def _found(files, rule):
    report = scan_sources(files, select=[rule])
    assert not report.errors, report.errors
    return sorted(report.findings, key=lambda f: (f.location.path, f.location.line))


def test_a_remote_call_per_item_in_a_command_or_a_task_is_low_and_says_why():
    [command] = _found(ex.NP105_COMMAND_LOWERED, "NP105")
    assert (command.severity.value, command.location.path, command.location.line) == (
        "low", "payables/management/commands/refresh_suppliers.py", 10)
    assert command.message.endswith(COMMAND_NP105)
    [task] = _found(ex.NP105_TASK_LOWERED, "NP105")
    assert (task.severity.value, task.location.path, task.location.line) == ("low", "payables/tasks.py", 10)
    assert "; it runs in a background task, where nobody waits" in task.message


def test_a_remote_call_per_item_on_a_requests_path_keeps_its_severity():
    [view] = _found(ex.NP105_REQUEST_KEPT, "NP105")
    assert (view.severity.value, view.location.path, view.location.line) == ("high", "payables/tasks.py", 7)
    assert "nobody waits" not in view.message


def test_a_query_per_item_in_a_command_is_lowered_unless_it_walks_a_file():
    found = _found(ex.NP101_COMMAND, "NP101")
    got = [(f.location.line, f.severity.value, f.message.endswith(COMMAND_QUERY)) for f in found]
    # the JSON spec's entries handed to a helper: low, for what its callers pass (caller_rows.py) before the command
    # is asked; the CSV file's rows (an import, however named): high; the table's rows: low too, since commands over a
    # table were judged worth acting on 3 times in 167 (issue 15)
    assert got == [(10, "low", False), (18, "high", False), (20, "low", False)]
    assert found[0].message.endswith("(they pass a selection or a list built from their input), so it matters only when they pass many")
    assert found[2].message.endswith("; it runs in a management command, which a person or a schedule starts, not a request: "
                                     "it matters when the command runs often over a large table (`table_rows` with the "
                                     "table's size raises it)")


def test_a_query_per_item_over_one_objects_rows_in_a_command_is_lowered_with_the_reason():
    from mcp_server.rules.row_examples import ROW_MODELS

    files = {"billing/__init__.py": "", "billing/models.py": ROW_MODELS, "billing/management/__init__.py": "",
             "billing/management/commands/__init__.py": "", "billing/management/commands/recount.py": '''
from django.core.management.base import BaseCommand

from billing.models import Client, Invoice


class Command(BaseCommand):
    def handle(self, *args, **options):
        client = Client.objects.get(pk=options["client"])
        for invoice in client.invoices.all():
            Invoice.objects.filter(total=invoice.total).count()
'''}
    [found] = _found(files, "NP101")
    assert (found.location.line, found.severity.value) == (11, "low")
    assert found.message.endswith(COMMAND_QUERY)


def test_the_rest_of_a_management_package_serves_its_commands_and_is_lowered_alike():
    found = _found(ex.NP101_COMMAND_BASE, "NP101")
    assert [(f.location.path, f.location.line, f.severity.value) for f in found] == [
        ("payables/management/suppliercmd.py", 10, "low"), ("payables/management/suppliercmd.py", 18, "high"),
        ("payables/management/suppliercmd.py", 20, "low")]
    assert found[2].message.endswith("; it runs in a management command, which a person or a schedule starts, not a request: "
                                     "it matters when the command runs often over a large table (`table_rows` with the "
                                     "table's size raises it)")


def test_the_users_row_counts_raise_a_commands_loop_over_a_large_table():
    # a nightly job over 250,000 suppliers is worth a fix: the size the user gives says so, as anywhere else
    report = scan_sources(ex.NP101_COMMAND, select=["NP101"], table_rows={"payables_supplier": 250_000})
    by_line = {f.location.line: f for f in report.findings}
    assert (by_line[20].severity.value, by_line[10].severity.value) == ("high", "low")
    assert by_line[20].message.endswith("the table `payables_supplier` holds 250,000 rows (table_rows)")
    small = scan_sources(ex.NP101_COMMAND, select=["NP101"], table_rows={"payables_supplier": 40})
    assert [f.severity.value for f in small.findings if f.location.line == 20] == ["low"]


def test_an_import_command_keeps_its_findings():
    got = [(f.location.line, f.severity.value) for f in _found(ex.NP101_IMPORT_COMMAND, "NP101")]
    assert got == [(10, "high"), (18, "high"), (20, "high")]


def test_a_remote_call_per_item_in_a_command_line_command_is_low_too():
    # a function decorated as a click command, and a function in a module named cli.py (pybossa's one-off migrations)
    found = [(f.location.path, f.location.line, f.severity.value) for f in _found(ex.NP105_CLI_LOWERED, "NP105")]
    assert found == [("cli.py", 8, "low"), ("payables/commands.py", 10, "low")]
    assert all("; it runs in a command-line command, where nobody waits" in f.message for f in _found(ex.NP105_CLI_LOWERED, "NP105"))


def test_a_query_per_item_in_code_only_the_startup_hook_runs_is_low():
    # fix_counts <- fix_all <- FastAPI's lifespan: a data fix paid once, as the application starts
    [startup] = _found(ex.NP104_STARTUP_LOWERED, "NP104")
    assert (startup.severity.value, startup.location.path, startup.location.line) == ("low", "books/fixes.py", 9)
    assert startup.message.endswith("; it runs only from `lifespan()`, the application's startup, so the per-item cost is paid once")
    # a request's handler calls the same helper: the loop runs on a request's path too
    [kept] = _found(ex.NP104_REQUEST_KEPT, "NP104")
    assert (kept.severity.value, kept.location.line) == ("high", 9)


def test_a_commit_per_row_in_a_command_is_low():
    files = {"payables/__init__.py": "", "payables/models.py": ex._SUPPLIER, "payables/management/__init__.py": "",
             "payables/management/commands/__init__.py": "", "payables/management/commands/rename_suppliers.py": '''
from django.db import connection
from payables.models import Supplier


def handle():
    for supplier in Supplier.objects.all():
        supplier.name = supplier.name.strip()
        supplier.save()
        connection.commit()
'''}
    [commit] = _found(files, "PF202")
    assert (commit.location.line, commit.severity.value) == (10, "low")
    assert commit.message.endswith("; it runs in a management command, where a commit per item is often how a long run keeps its "
                                   "progress")


def test_a_helper_only_a_command_reaches_is_lowered_as_in_the_command():
    # tally_all <- the tally_suppliers command: the table loop two calls down is low, saying which command reaches it
    [helper] = _found(ex.NP102_COMMAND_HELPER_LOWERED, "NP102")
    assert (helper.severity.value, helper.location.path, helper.location.line) == ("low", "payables/tallies.py", 10)
    assert helper.message.endswith("; it runs in code that only a management command (`tally_suppliers`) reaches, which a person "
                                   "or a schedule starts, not a request: it matters when the command runs often over a large table "
                                   "(`table_rows` with the table's size raises it)")
    # a view calls the same helper: a request waits on it
    [kept] = _found(ex.NP102_COMMAND_HELPER_KEPT, "NP102")
    assert (kept.severity.value, kept.location.line) == ("high", 10)
    assert "only a management command" not in kept.message


def test_a_resource_a_command_leaves_open_is_low_and_the_same_in_served_code_is_not():
    [lowered] = _found(ex.PF501_COMMAND_LOWERED, "PF501")
    assert (lowered.location.path, lowered.location.line, lowered.severity.value) == (
        "payables/management/commands/fetch_statements.py", 6, "low")
    assert lowered.message.endswith("; it runs in a management command, whose process ends when the run does and releases it then")
    [kept] = _found(ex.PF501_SERVED_KEPT, "PF501")
    assert (kept.location.line, kept.severity.value) == (6, "medium")


def test_a_job_a_crontab_starts_by_name_is_a_command():
    [f] = _found(ex.NP101_CRON_LOWERED, "NP101")
    assert (f.location.path, f.location.line, f.severity.value) == ("payables/cron.py", 7, "low")
    assert f.message.endswith("; it runs in a cron job, which a person or a schedule starts, not a request: it matters when "
                              "the command runs often over a large table (`table_rows` with the table's size raises it)")


def test_a_script_in_a_commands_folder_is_a_command_and_a_package_of_command_handlers_is_not():
    [script] = _found(ex.NP101_COMMANDS_FOLDER_SCRIPT, "NP101")
    assert (script.location.path, script.location.line, script.severity.value) == ("commands/recount_suppliers.py", 8, "low")
    assert "; it runs in a command-line command, which a person or a schedule starts" in script.message
    [handler] = _found(ex.NP101_COMMANDS_PACKAGE_KEPT, "NP101")
    assert (handler.location.path, handler.location.line, handler.severity.value) == ("payables/commands/recount.py", 7, "high")


def test_a_helper_only_a_script_reaches_and_a_script_no_import_can_name_are_low():
    [helper] = _found(ex.NP101_SCRIPT_HELPER_LOWERED, "NP101")
    assert (helper.location.path, helper.location.line, helper.severity.value) == ("payables/recounts.py", 7, "low")
    assert "; it runs in code that only a command-line command (`recount_all`) reaches" in helper.message
    [dashed] = _found(ex.NP101_DASHED_SCRIPT, "NP101")
    assert (dashed.location.path, dashed.location.line, dashed.severity.value) == ("contrib/recount-suppliers.py", 7, "low")
    assert "; it runs in a command-line command, which a person or a schedule starts" in dashed.message
    # the same helper that a view calls too: kept
    viewed = {**ex.NP101_SCRIPT_HELPER_LOWERED, "payables/views.py": "from .recounts import recount\n\n\ndef page(request):\n    recount()\n"}
    assert [(f.location.path, f.severity.value) for f in _found(viewed, "NP101")] == [("payables/recounts.py", "high")]


def test_a_receiver_of_a_user_accounts_deletion_is_low_and_one_of_a_suppliers_is_not():
    [account] = _found(ex.NP101_ACCOUNT_DELETION_LOWERED, "NP101")
    assert (account.location.path, account.location.line, account.severity.value) == ("payables/signals.py", 12, "low")
    assert account.message.endswith("; it runs only when a user account is deleted (a `pre_delete` receiver of `User`), which is rare")
    [supplier] = _found(ex.NP101_SUPPLIER_DELETION_KEPT, "NP101")
    assert (supplier.location.path, supplier.location.line, supplier.severity.value) == ("payables/signals.py", 12, "high")


def test_a_coroutine_only_the_startup_hook_awaits_is_low_and_one_a_request_awaits_is_not():
    # Fides' `run_database_startup`, awaited only by `lifespan` (round 52: judged RARE)
    [helper] = [f for f in _found(ex.PF801_STARTUP_HELPER_LOWERED, "PF801") if f.location.path == "books/rates.py"]
    assert (helper.location.line, helper.severity.value) == (7, "low")
    assert helper.message.endswith("; only the application's startup or shutdown hook (`lifespan`) reaches it, as the "
                                   "application starts or stops, while no request waits on the event loop")
    [kept] = [f for f in _found(ex.PF801_STARTUP_HELPER_KEPT, "PF801") if f.location.path == "books/rates.py"]
    assert (kept.location.line, kept.severity.value) == (7, "high") and "startup" not in kept.message

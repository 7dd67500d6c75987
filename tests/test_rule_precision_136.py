"""Round 136 and the management commands of rounds 100 to 135: a command named only in a docstring is still run by
hand; a whole load, a formatted statement or a repeated lookup in a command nothing starts is paid once per hand run."""

from rule_cases import found_by

from mcp_server.analysis.table_sizes import WHOLE_WHY

from mcp_server.rules import hand_run_examples as hr

_BY_HAND = hr.BY_HAND
_EXPORT = "billing/management/commands/archive_invoices.py"


def test_a_command_named_only_in_docstrings_is_still_run_by_hand():
    [(path, line, severity, message, _fix)] = found_by(hr.IMPORT_NAMED_IN_A_DOCSTRING_LOWERED, "NP101")
    assert (path, line, severity) == ("billing/management/commands/import_invoices.py", 17, "low")
    assert message.endswith(_BY_HAND.format("import_invoices", "imports large files"))
    # an import that keeps track of when it last ran is built to run again and again: kept
    assert [f[:3] for f in found_by(hr.IMPORT_SINCE_LAST_LOAD_KEPT, "NP101")] == [
        ("billing/management/commands/import_invoices.py", 19, "high")]
    # a task importing the command's own class starts it
    assert [f[:3] for f in found_by(hr.IMPORT_CLASS_FROM_TASK_KEPT, "NP101")] == [
        ("billing/management/commands/import_invoices.py", 17, "high")]


def test_a_whole_load_and_a_formatted_statement_in_a_hand_run_command_are_low():
    [(path, line, severity, message, _fix)] = found_by(hr.EXPORT_BY_HAND_LOWERED, "PF401")
    assert (path, line, severity) == (_EXPORT, 16, "low")
    assert message == ("`fetchall()` loads every row of a query with no LIMIT into memory, then the loop walks the list"
                       + _BY_HAND.format("archive_invoices", "runs"))
    [(path, line, severity, message, _fix)] = found_by(hr.EXPORT_BY_HAND_LOWERED, "PF601")
    assert (path, line, severity) == (_EXPORT, 20, "low")
    assert message == ("the statement is built by string formatting from `options['before']` and run as SQL"
                       + _BY_HAND.format("archive_invoices", "runs"))


def test_the_same_export_a_crontab_runs_keeps_its_severity():
    # not lowered for where it runs; for the size nobody gave, `low` (whole_tables.py), and `medium` once it is given
    [(path, line, severity, message, _fix)] = found_by(hr.EXPORT_IN_CRONTAB_KEPT, "PF401")
    assert (path, line, severity) == (_EXPORT, 16, "low")
    assert message.endswith(WHOLE_WHY.format(what="`billing_invoice`", table="`billing_invoice`"))
    assert [f[:4] for f in found_by(hr.EXPORT_IN_CRONTAB_KEPT, "PF401", {"billing_invoice": 250_000})] == [
        (_EXPORT, 16, "medium", "`fetchall()` loads every row of a query with no LIMIT into memory, then the loop walks the list; "
                                "the table `billing_invoice` holds 250,000 rows (table_rows)")]
    # a hand-run command's load stays `low` whatever the size: it is lowered for where it runs
    assert [f[2] for f in found_by(hr.EXPORT_BY_HAND_LOWERED, "PF401", {"billing_invoice": 250_000})] == ["low"]
    assert [f[:4] for f in found_by(hr.EXPORT_IN_CRONTAB_KEPT, "PF601")] == [
        (_EXPORT, 20, "high", "the statement is built by string formatting from `options['before']` and run as SQL")]


def test_a_coroutine_alone_on_the_loop_asyncio_run_starts_is_low_and_kept_beside_a_pool_or_gathered():
    from mcp_server.rules.run_alone_examples import PF801_RUN_ALONE

    alone = ("; but this coroutine runs alone on the event loop `asyncio.run(...)` in `ImportCommand.run` starts, awaited one "
             "step at a time with no task or gathered coroutine beside it, so the wait holds up nothing else")
    found = {(path, line): (severity, message) for path, line, severity, message, _fix in found_by(PF801_RUN_ALONE, "PF801")}
    assert found[("geo/cli.py", 14)] == ("low", "`async def async_run` calls the synchronous `analyse_tables()`, which reaches a "
                                         "query: analyse_tables -> `cur.execute` (geo/db.py:9); the event loop stops for its "
                                         "whole duration" + alone)
    assert found[("geo/cli.py", 15)] == ("low", "blocking call inside `async def async_run`: `time.sleep` blocks the event "
                                         "loop; use `await asyncio.sleep(...)`" + alone)
    # inside `async with` (a pool's workers may run beside it), and in a coroutine `gather` runs with another: kept, as one
    # finding for the module's two coroutines (grouping.one_per_module_on_the_database, stop 80)
    assert {k: v[0] for k, v in found.items()} == {("geo/cli.py", 14): "low", ("geo/cli.py", 15): "low", ("geo/db.py", 15): "high"}
    assert found[("geo/db.py", 15)][1].endswith("; 1 more coroutine of this module blocks on synchronous queries the same way "
                                                 "(in the evidence): one fix for all")


def test_a_reconnect_in_the_handler_of_a_failed_query_is_no_connection_per_item():
    from mcp_server.rules import recovery_examples as rx

    assert found_by(rx.PF502_RECONNECT_ON_FAILURE, "PF502") == []
    # the INSERT per entry is still there, reported once, by the query rule
    assert [f[:3] for f in found_by(rx.PF502_RECONNECT_ON_FAILURE, "NP102")] == [("ledger/store.py", 25, "medium")]
    # a duplicate row is a query's usual outcome, not a failure: connecting in its handler is per item
    assert [f[:4] for f in found_by(rx.PF502_CONNECT_ON_DUPLICATE_KEPT, "PF502")] == [
        ("ledger/store.py", 25, "high", "`_execute()` opens a new database connection (_execute -> _connect -> `psycopg2.connect` "
         "(ledger/store.py:11)) and is called on every iteration of the loop at line 24")]


def test_a_file_held_for_its_lock_is_not_left_open_by_mistake():
    from mcp_server.rules import resources_examples as rs

    assert found_by({"daemon.py": rs._PID_FILE}, "PF501") == []
    assert [f[:4] for f in found_by({"daemon.py": rs.PF501_PID_FILE_UNLOCKED}, "PF501")] == [
        ("daemon.py", 8, "medium", "the file `lock` from `open(...)` is never closed in this function")]


def test_a_value_int_accepted_in_the_functions_own_body_formats_only_digits():
    from mcp_server.rules import sql_formatting_examples as sf

    assert found_by({"stats.py": sf._INT_CHECKED}, "PF601") == []
    assert [f[:4] for f in found_by({"stats.py": sf.PF601_INT_CHECKED_IN_A_BRANCH}, "PF601")] == [
        ("stats.py", 6, "high", "the statement is built by string formatting from `year` and run as SQL")]

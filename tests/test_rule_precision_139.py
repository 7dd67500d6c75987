"""Rounds 139 to 142 (issue 15, stop 62): each cause fixed this stop, with the twin that keeps its finding."""

import pytest

from mcp_server.rules import staff_examples
from rule_cases import found_by

from mcp_server.analysis.table_sizes import WHOLE_WHY


@pytest.mark.parametrize(("lowered", "kept", "decorator"), [
    ("NP101_MODERATOR_RANK_LOWERED", "NP101_MEMBER_RANK_KEPT", "`@rank_required(UserRank.MODERATOR)`"),
    ("NP101_ADMIN_PERMISSION_LOWERED", "NP101_USER_PERMISSION_KEPT", "`@authorized(ADMIN_PERMISSION)`"),
])
def test_a_route_requiring_a_staff_rank_by_its_constant_is_staff_only(lowered, kept, decorator):
    [(path, line, severity, message, _fix)] = found_by(getattr(staff_examples, lowered), "NP101")
    assert (path, line, severity) == ("billing/views.py", 12, "low")
    assert f"only staff reach it ({decorator})" in message
    assert [f[:3] for f in found_by(getattr(staff_examples, kept), "NP101")] == [("billing/views.py", 12, "high")]


def test_a_blocking_call_before_the_coroutines_first_gather_holds_up_nothing():
    from mcp_server.rules.run_alone_examples import PF801_BEFORE_THE_GATHER

    [before, after] = found_by(PF801_BEFORE_THE_GATHER, "PF801")
    assert before[:3] == ("groups/sync.py", 16, "low")
    assert before[3].endswith("starts, awaited one step at a time with no task or gathered coroutine beside it, so the wait holds up nothing else")
    assert after[:3] == ("groups/sync.py", 22, "high")


def test_a_base_class_beside_the_commands_runs_only_in_the_commands_deriving_from_it():
    from mcp_server.rules.hand_run_examples import BASE_CLASSES_BESIDE_COMMANDS, BY_HAND

    [nightly, rates] = found_by(BASE_CLASSES_BESIDE_COMMANDS, "PF201")
    assert nightly[:3] == ("billing/management/commands/base_importers.py", 13, "high")
    assert rates[:3] == ("billing/management/commands/base_importers.py", 20, "low")
    assert rates[3].endswith(BY_HAND.format("import_rates", "imports large files"))


def test_a_self_method_reading_what_the_loop_sets_on_self_is_not_called_with_the_same_arguments():
    from mcp_server.rules.per_row_lookups_examples import PF301_SELF_STATE

    importer = {"app.py": PF301_SELF_STATE}
    assert found_by(importer, "PF301") == []
    unread = {"app.py": PF301_SELF_STATE.replace("self.council_id = council_id", "self.last = council_id")}
    [(path, line, severity, message, _fix)] = found_by(unread, "PF301")
    assert (path, line, severity) == ("app.py", 15, "medium")
    assert message.startswith("`import_stations()` is called with the same arguments on every iteration of the loop at line 13")


@pytest.mark.parametrize(("example", "unused"), [
    ("NP103_COMMENTED_CALL_LOWERED", True), ("NP103_TWIN_METHOD_LOWERED", True), ("NP103_VIEW_CALL_KEPT", False)])
def test_a_commented_out_call_or_a_twin_definition_names_no_caller(example, unused):
    from mcp_server.rules import own_object_examples

    [(path, line, severity, message, _fix)] = found_by(getattr(own_object_examples, example), "NP103")
    assert (path, line, severity) == ("ledger/models.py", 23, "low")  # (one client's bills: low either way)
    assert message.endswith("nothing in the project names `Client.amount_owed()` but its definition, its tests and imports "
                            "(no call, schedule or setting), so it looks unused") is unused


def test_a_services_copy_of_a_package_nothing_in_that_service_uses_looks_unused():
    from mcp_server.rules.own_object_examples import NP105_COPIED_SERVICES

    [used, copy] = found_by(NP105_COPIED_SERVICES, "NP105")
    assert used[:3] == ("billing-api/ledger/directory.py", 9, "medium") and "looks unused" not in used[3]
    assert copy[:3] == ("reports-api/ledger/directory.py", 9, "low")
    assert copy[3].endswith("nothing in its service `reports-api/` names the class `Directory` but its definition and imports (no "
                            "call, schedule or setting), so it looks unused")


def test_a_file_handed_out_in_the_stream_that_reads_it_or_closed_by_a_returned_generator_is_not_left_open():
    from mcp_server.rules import resources_examples as rx

    assert found_by({"app.py": rx.PF501_HANDED_IN_A_STREAM}, "PF501") == []
    assert [f[:4] for f in found_by({"app.py": rx.PF501_READ_WHOLE}, "PF501")] == [
        ("app.py", 11, "medium", "the file `f` from `open(...)` is never closed in this function")]
    assert found_by({"app.py": rx.PF501_CLOSED_BY_RETURNED_GENERATOR}, "PF501") == []
    [(path, line, severity, message, _fix)] = found_by({"app.py": rx.PF501_CURSOR_CLOSED_ONLY}, "PF501")
    assert (path, line, severity) == ("app.py", 6, "low")
    assert message.startswith("the connection `conn` from `sqlite3.connect(...)` is never closed in this function; CPython closes it")


def test_rows_read_with_a_joined_collection_cannot_stream():
    from mcp_server.rules.whole_loads_examples import PF401_JOINED_COLLECTION, PF401_NO_JOINED_LOAD

    assert found_by({"app.py": PF401_JOINED_COLLECTION}, "PF401") == []
    assert [f[:4] for f in found_by({"app.py": PF401_NO_JOINED_LOAD}, "PF401")] == [
        ("app.py", 6, "low", "the loop iterates an unfiltered query's `.all()`: every row is loaded and kept before the first iteration"
         + WHOLE_WHY.format(what="Room's table", table="its table"))]


def test_an_item_handed_down_to_the_helper_connecting_to_its_own_database_needs_its_own_connection():
    from mcp_server.rules.own_database_examples import PF502_HELPER_ITEMS_DATABASE, PF502_HELPER_ONE_DATABASE

    assert found_by({"app.py": PF502_HELPER_ITEMS_DATABASE}, "PF502") == []
    assert found_by({"app.py": PF502_HELPER_ITEMS_DATABASE}, "NP102") == []  # nor one query for them all
    [(path, line, severity, message, _fix)] = found_by({"app.py": PF502_HELPER_ONE_DATABASE}, "PF502")
    assert (path, line, severity) == ("app.py", 18, "high")
    assert message == ("`table_names()` opens a new database connection (table_names -> workspace_connection -> `psycopg2.connect` "
                       "(app.py:6)) and is called on every iteration of the loop at line 18")


def test_a_caller_passing_another_string_never_reaches_the_query_a_chosen_level_guards():
    from mcp_server.rules import chosen_level_examples as cx

    assert found_by(cx.NP102_OTHER_LEVEL_PASSED, "NP102") == []
    for kept in (cx.NP102_FULL_LEVEL_PASSED, cx.NP102_DEFAULT_LEVEL):
        [(path, line, severity, message, _fix)] = found_by(kept, "NP102")
        assert (path, line, severity) == ("ror/views.py", 6, "high")
        assert message.endswith("runs for each row of the loop at line 6 and reaches a query: it -> `Acronym.objects.values_list` "
                                "(ror/models.py:16)")


@pytest.mark.parametrize(("test", "passed", "off"), [
    ('level == "full"', "minimum", True), ('level == "full"', "full", False), ('level in ("full", "all")', "all", False),
    ('level != "minimum"', "minimum", True), ('level not in ("minimum", "ids")', "ids", True), ('level != "minimum"', "full", False)])
def test_a_chosen_flag_refuses_the_strings_its_test_lets_through_only(test, passed, off):
    import ast

    from mcp_server.analysis import chosen
    from mcp_server.analysis.facts import Function, Span
    from mcp_server.analysis.flow import _chosen_flag
    from mcp_server.analysis.reader import Scope

    scope = Scope.__new__(Scope)
    scope.roots = {"level"}
    flag = _chosen_flag(ast.parse(test, mode="eval").body, scope)
    assert chosen.parameter(flag) == "level"
    assert chosen.refused(flag, passed) is off
    to_dict = Function("Row.to_dict", Span(1, 1, 1, 1), False, "Row", params=("self", "level"))
    assert chosen.written_string(f'row.to_dict("{passed}")', "to_dict", to_dict, "level") == passed


def test_a_connection_opened_again_only_when_closed_is_kept_on_the_object():
    from mcp_server.rules.kept_holder_examples import PF502_OPENED_EVERY_CALL, PF502_OPENED_WHEN_CLOSED

    assert found_by({"app.py": PF502_OPENED_WHEN_CLOSED}, "PF502") == []
    assert [f[:3] for f in found_by({"app.py": PF502_OPENED_WHEN_CLOSED}, "NP102")] == [("app.py", 25, "medium")]  # the query per user
    [(path, line, severity, message, _fix)] = found_by({"app.py": PF502_OPENED_EVERY_CALL}, "PF502")
    assert (path, line, severity) == ("app.py", 23, "high")
    assert message == ("`fetch_one()` opens a new database connection (fetch_one -> _open_connection -> `psycopg2.connect` "
                       "(app.py:10)) and is called on every iteration of the loop at line 23")


def test_a_function_the_comment_above_deprecates_is_kept_for_old_callers():
    from mcp_server.rules.intent_examples import NP101_COMMENTED_KEPT, NP101_DEPRECATED_BY_COMMENT

    [(path, line, severity, message, _fix)] = found_by(NP101_DEPRECATED_BY_COMMENT, "NP101")
    assert (path, line, severity) == ("journals/views.py", 7, "low")
    assert message.endswith("; `counts()` says it is deprecated (its docstring, a comment above it, or a warning to its callers), "
                            "kept for old callers")
    assert [f[:3] for f in found_by(NP101_COMMENTED_KEPT, "NP101")] == [("journals/views.py", 7, "high")]

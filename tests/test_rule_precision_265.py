"""Rounds 265 to 270 (issue 15, stop 76): each cause fixed this stop, with the twin that keeps its finding."""

from rule_cases import HANDED_ON_FLOAT, found_by as _found_by

from mcp_server.rules import singletons_and_coroutines_examples as sc


def found_by(example, rule):
    """What `rule` finds on a rule example: a module's source (scanned as app.py) or files by path."""
    return _found_by(example if isinstance(example, dict) else {"app.py": example}, rule)


def test_an_async_sessions_execute_kept_for_later_blocks_nothing():
    assert found_by(sc.PF801_COROUTINE_KEPT, "PF801") == []
    blocking = ("blocking call inside `async def run_check`: `session.execute` is not awaited: a synchronous driver call that "
                "blocks the event loop")
    # (its two calls, one coroutine: one finding, the other call in its evidence)
    assert [f[:4] for f in found_by(sc.PF801_SYNC_SESSION, "PF801")] == [
        ("app.py", 10, "high", blocking + "; 1 more blocking call in this coroutine (in the evidence)")]
    # `AsyncSession | Session`: a synchronous session in some calls, whose `execute` blocks
    assert [f[:4] for f in found_by(sc.PF801_EITHER_SESSION, "PF801")] == [("app.py", 10, "high", blocking)]


def test_a_bare_select_related_on_rows_a_caller_hands_over_follows_every_key():
    assert found_by(sc.NP103_BARE_SELECT_ON_HANDED_ROWS, "NP103") == []
    assert [f[:4] for f in found_by(sc.NP103_HANDED_ROWS_NOT_JOINED, "NP103")] == [
        ("app.py", 20, "high", "`visit.patient` loads Visit.patient once per row in the loop at line 20: the queryset at "
                               "app.py:24 has no select_related(\"patient\")")]


def test_a_lookup_by_each_key_of_a_mapping_asks_for_other_rows_each_time():
    assert found_by(sc.PF301_BY_EACH_KEY, "PF301") == []
    assert [f[:4] for f in found_by(sc.PF301_BY_A_FIELD_OF_EACH_ROW, "PF301")] == [
        ("app.py", 19, "medium", "`MessageType.objects.get` looks up by `language` on every iteration of the loop at line 18; "
                                 "there are few distinct values of `language`, so the same rows are fetched again and again")]


def test_a_singletons_constructor_queries_once_per_process():
    assert found_by(sc.NP102_SINGLETON_BUILT_PER_FILE, "NP102") == []
    [(path, line, severity, message, _fix)] = found_by(sc.NP102_PLAIN_CLASS_BUILT_PER_FILE, "NP102")
    assert (path, line, severity) == ("app/config.py", 19, "low")
    assert message.startswith("`SystemConfigOper()` is called once per item of the loop at line 19 and reaches a query: "
                              "__init__ -> `SystemConfig.objects.all` (app/config.py:15)")


def test_a_file_a_method_of_another_object_closes_is_closed():
    assert found_by(sc.PF501_CLOSED_BY_A_METHOD, "PF501") == []
    assert [f[:4] for f in found_by(sc.PF501_LEFT_OPEN_BY_THE_METHOD, "PF501")] == [
        ("app.py", 13, "medium", "the file `zip_file` from `zipfile.ZipFile(...)` is never closed in this function")]


def test_a_float_of_money_only_printed_is_low():
    shown = ("`float(total_fc)` turns money into a binary float only to hand it out (a JSON number, a value shown): nothing "
             "here computes with the float, and a Decimal of two places converts to the float that prints the same")
    assert [f[:4] for f in found_by(sc.PF701_FORMATTED_FOR_A_PAGE, "PF701")] == [("app.py", 10, "low", shown)] * 2
    assert [f[:4] for f in found_by(sc.PF701_ADDED_AS_FLOATS, "PF701")] == [
        ("app.py", 10, "low", "`float(total_fc)` turns money into a binary float" + HANDED_ON_FLOAT),
        ("app.py", 10, "low", "`float(lines[0].fee)` turns money into a binary float" + HANDED_ON_FLOAT)]


def test_a_session_bound_by_async_with_is_an_async_one():
    assert found_by(sc.PF801_SESSION_BOUND_ASYNC, "PF801") == []
    assert [f[:4] for f in found_by(sc.PF801_SESSION_BOUND_SYNC, "PF801")] == [
        ("app.py", 11, "high", "blocking call inside `async def unread`: `session.execute` is not awaited: a synchronous "
                               "driver call that blocks the event loop")]
    # a method of `self` not awaited, though another of its methods is: still reported
    assert [f[:3] for f in found_by(sc.PF801_OWN_METHOD_NOT_AWAITED, "PF801")] == [("app.py", 16, "low")]

"""Rounds 295 to 312 (issue 15, stop 78): each cause fixed this stop, with the twin that keeps its finding."""

from mcp_server.analysis.pattern_money import HINT_LOWERED
from rule_cases import HANDED_ON_FLOAT, found_by as _found_by

from mcp_server.rules import coroutines_and_handles_examples as ch

_BLOCKING = "blocking call inside `async def member_summary`: `db.query` is not awaited: a synchronous driver call that blocks the event loop"


def found_by(example, rule):
    """What `rule` finds on a rule example: a module's source (scanned as app.py) or files by path."""
    return _found_by(example if isinstance(example, dict) else {"app.py": example}, rule)


def test_the_blocking_calls_of_one_coroutine_are_one_finding():
    [(path, line, severity, message, _fix)] = found_by(ch.PF801_ONE_COROUTINE, "PF801")
    assert (path, line, severity, message) == ("app.py", 32, "high", _BLOCKING + "; 1 more blocking call in this coroutine (in the evidence)")
    # two coroutines of one module querying through the synchronous session: one finding too (stop 80)
    assert [f[1:4] for f in found_by(ch.PF801_TWO_COROUTINES, "PF801")] == [
        (32, "high", _BLOCKING + "; 1 more coroutine of this module blocks on synchronous queries the same way (in the evidence): one "
                                 "fix for all")]


def test_the_null_device_left_open_loses_nothing():
    freed = ("; CPython closes it when this function drops its last reference, so it stays open only until the function returns "
             "(longer on PyPy, or when a reference cycle holds it)")
    assert [f[:4] for f in found_by(ch.PF501_NULL_DEVICE, "PF501")] == [
        ("app.py", 6, "low", "the file `out` from `open(...)` is never closed in this function" + freed)]
    assert [f[:4] for f in found_by(ch.PF501_LOG_FILE_LEFT_OPEN, "PF501")] == [
        ("app.py", 6, "medium", "the file `out` from `open(...)` is never closed in this function")]


def test_a_parameter_handed_on_from_the_constructor_is_asked_of_its_caller():
    assert found_by(ch.NP102_PAUSES_HANDED_ON, "NP102") == []
    assert [f[:4] for f in found_by(ch.NP102_PAUSES_LEFT_OUT, "NP102")] == [
        ("app.py", 26, "high", "`AgentActivity()` is called once per item of the loop at line 26 and reaches a query: __init__ -> "
                               "_pauses_by_id -> `Pause.objects.all` (app.py:20)")]


def test_a_relation_read_after_a_flag_in_the_same_test_needs_the_flag():
    assert found_by(ch.NP104_FLAG_LEFT_AT_DEFAULT, "NP104") == []
    [(path, line, severity, message, _fix)] = found_by(ch.NP104_FLAG_PASSED, "NP104")
    assert (path, line, severity) == ("app.py", 29, "high")
    assert message.startswith("`e.user` is lazy-loaded in the loop at line 29") and "reads `if include_email and ev.user:`" in message


def test_a_sum_of_units_is_no_money_whatever_its_name():
    assert found_by(ch.PF701_UNITS_SUMMED, "PF701") == []
    assert [f[:4] for f in found_by(ch.PF701_PRICES_SUMMED, "PF701")] == [
        ("app.py", 13, "low", "`float(total_sold)` turns money into a binary float" + HANDED_ON_FLOAT)]


def test_a_module_a_package_of_its_name_shadows_never_runs():
    assert found_by(ch.NP101_SHADOWED_BY_PACKAGE, "NP101") == []
    assert [f[:4] for f in found_by(ch.NP101_SERVICES_FILE_RUNS, "NP101")] == [
        ("billing/services.py", 6, "high", "`Line.objects.count` runs a query once per item of the loop at line 6")]


def test_a_router_nothing_includes_in_an_application_a_root_script_serves_looks_unused():
    unused = ("; nothing the application runs imports this module (no route, registry, setting or task names it; tests aside), "
              "so it looks unused")
    query = "`db.query` runs a query once per item of the loop at line 23"
    assert [f[:4] for f in found_by(ch.NP101_ROUTER_LEFT_OUT_OF_A_SERVED_APP, "NP101")] == [
        ("app/routes/bank.py", 24, "low", query + unused)]
    assert [f[:4] for f in found_by(ch.NP101_ROUTER_LEFT_OUT_NOTHING_SERVES, "NP101")] == [("app/routes/bank.py", 24, "high", query)]
    assert [f[:4] for f in found_by(ch.NP101_ROUTER_INCLUDED, "NP101")] == [("app/routes/bank.py", 24, "high", query)]


def test_an_amount_a_class_measures_and_a_quantity_sold_are_no_money():
    assert found_by(ch.PF701_AMOUNT_OF_AN_IMPACT, "PF701") == []
    assert [f[:4] for f in found_by(ch.PF701_AMOUNT_OF_A_PRICE, "PF701")] == [
        ("app.py", 10, "low", "`amount` stores money as a `float` annotation" + HINT_LOWERED)]
    assert found_by(ch.PF701_QUANTITY_SOLD, "PF701") == []
    assert [f[:3] for f in found_by(ch.PF701_SUM_PAID, "PF701")] == [("app.py", 7, "low")]


def test_an_engine_made_in_the_else_of_a_test_of_the_modules_dict_is_made_once_per_uri():
    assert found_by(ch.PF502_ENGINE_PER_URI, "PF502") == []
    assert [f[:4] for f in found_by(ch.PF502_ENGINE_PER_CALL, "PF502")] == [
        ("app.py", 18, "high", "`SQLSession()` opens a new database connection (__init__ -> `sqlalchemy.create_engine` (app.py:11)) "
                               "and is called on every iteration of the loop at line 17")]


def test_a_decorator_named_memo_something_memoises():
    assert found_by(ch.NP102_MEMODICT, "NP102") == []
    assert [f[:4] for f in found_by(ch.NP102_NOT_MEMOISED, "NP102")] == [
        ("app.py", 25, "high", "`test_info()` is called once per item of the loop at line 25 and reaches a query: test_info -> "
                               "`Test.objects.get` (app.py:21)")]


def test_a_float_of_money_nothing_decides_on_is_low():
    assert [f[:4] for f in found_by(ch.PF701_FLOAT_HANDED_ON, "PF701")] == [
        ("app.py", 7, "low", "`float(invoice.amount_due)` turns money into a binary float" + HANDED_ON_FLOAT)]
    decided = [("app.py", 7, "high", "`float(invoice.amount_due)` turns money into a binary float")]
    assert [f[:4] for f in found_by(ch.PF701_FLOAT_COMPARED, "PF701")] == decided
    assert [f[:4] for f in found_by(ch.PF701_FLOAT_TO_CENTS, "PF701")] == decided


def test_a_service_only_a_router_nothing_includes_imports_looks_unused():
    query = ("`open_tickets()` is called once per item of the loop at line 23 and reaches a query: open_tickets -> `session.scalars` "
             "(app/services/capacity.py:19)")
    assert [f[:4] for f in found_by(ch.NP102_SERVICE_ONLY_A_DEAD_ROUTER_IMPORTS, "NP102")] == [
        ("app/services/capacity.py", 23, "low", query + "; nothing in the project names `team_loads()` but its definition and "
                                                        "imports (no call, schedule or setting), so it looks unused")]
    assert [f[:4] for f in found_by(ch.NP102_SERVICE_OF_AN_INCLUDED_ROUTER, "NP102")] == [("app/services/capacity.py", 23, "high", query)]


def test_an_engine_kept_among_the_modules_globals_is_made_once():
    assert found_by(ch.PF502_ENGINE_IN_GLOBALS, "PF502") == []
    assert [f[:4] for f in found_by(ch.PF502_ENGINE_STORED_ELSEWHERE, "PF502")] == [
        ("app.py", 22, "high", "`valid_engine()` opens a new database connection (valid_engine -> make_engine -> "
                               "`sqlalchemy.create_engine` (app.py:14)) and is called on every iteration of the loop at line 21")]

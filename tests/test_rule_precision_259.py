"""Rounds 259 to 264 (issue 15, stop 76): each cause fixed this stop, with the twin that keeps its finding."""

from rule_cases import found_by as _found_by

from mcp_server.rules import routers_and_lookups_examples as rl


def found_by(example, rule):
    """What `rule` finds on a rule example: a module's source (scanned as app.py) or files by path."""
    return _found_by(example if isinstance(example, dict) else {"app.py": example}, rule)


def test_a_count_the_views_extra_select_adds_is_read_from_the_row():
    assert found_by(rl.NP103_COUNT_FROM_EXTRA_SELECT, "NP103") == []
    assert [f[:4] for f in found_by(rl.NP103_COUNT_WITHOUT_EXTRA, "NP103")] == [
        ("shop/options.py", 24, "high", "`obj.boughtitem_set` runs a query per ItemOption in the loop at line 28: "
                                        "`.boughtitem_set.exclude()` queries even when the relation is prefetched (serialising "
                                        "each row reads `return obj.boughtitem_set.exclude(status=\"refunded\").count()`)")]


def test_a_query_a_helper_builds_for_its_caller_is_run_where_it_is_refined():
    assert found_by(rl.PF301_QUERY_BUILT_FOR_THE_CALLER, "PF301") == []
    assert [f[:4] for f in found_by(rl.PF301_QUERY_RUN_BY_THE_HELPER, "PF301")] == [
        ("app.py", 27, "medium", "`get_all_disks()` is called with the same arguments on every iteration of the loop at line 26 "
                                 "and reaches a query: get_all_disks -> `session.query` (app.py:20)")]


def test_a_fastapi_router_nothing_includes_looks_unused():
    blocking = ("blocking call inside `async def upload_resume`: `requests.get` is a blocking HTTP call; use httpx.AsyncClient "
                "or aiohttp and await it")
    assert [f[:4] for f in found_by(rl.PF801_ROUTER_NOTHING_INCLUDES, "PF801")] == [
        ("app/api/uploaded_candidates.py", 9, "low", blocking + "; nothing the application runs imports this module (no route, "
                                                     "registry, setting or task names it; tests aside), so it looks unused")]
    assert [f[:4] for f in found_by(rl.PF801_ROUTER_INCLUDED, "PF801")] == [("app/api/uploaded_candidates.py", 9, "high", blocking)]
    # imported by its name, though `from app.api import ...` answers to two copies of the application: still included
    assert [f[:3] for f in found_by(rl.PF801_ROUTER_INCLUDED_FROM_A_SOURCE_ROOT, "PF801")] == [
        ("backend/app/api/uploaded_candidates.py", 9, "high"), ("old/backend/app/api/uploaded_candidates.py", 9, "high")]


def test_a_lookup_list_picking_a_prefetch_from_a_module_dict():
    assert found_by(rl.NP103_PICKED_FROM_A_DICT, "NP103") == []
    assert [f[:3] for f in found_by(rl.NP103_PICKED_SOMETHING_ELSE, "NP103")] == [("app.py", 31, "high")]


def test_rows_a_helper_sorted_by_a_relation_come_back_loaded():
    # the sort's own lazy loads are the N+1; the page reading `user` after it reads loaded objects
    assert [f[:3] for f in found_by(rl.NP104_LOADED_BY_THE_SORT, "NP104")] == [("app.py", 28, "high")]
    assert [f[:3] for f in found_by(rl.NP104_SORTED_BY_A_COLUMN, "NP104")] == [("app.py", 33, "high")]
    # a sort in one branch of an `if` says nothing of the other branch's: each loads the users itself
    assert [f[:3] for f in found_by(rl.NP104_SORTED_IN_EACH_BRANCH, "NP104")] == [
        ("app.py", 29, "high"), ("app.py", 31, "high"), ("app.py", 36, "high")]

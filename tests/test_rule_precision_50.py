"""Rounds 50 and 51 (issue 15): exact findings on each rule's own examples for the causes fixed after them."""

from rule_cases import STRUCTURE, found_by, rule_example as _example


def _found(files, rule):
    return [f[:4] for f in found_by(files, rule)]


def test_an_awaited_coroutine_that_reaches_no_io_is_low_and_says_so():
    assert _found(_example("PF802", "positive", "async def keyring()"), "PF802") == [
        ("ledger/replay.py", 8, "low", "`await decode(...)` runs once per item of the loop at line 7, each waiting for the "
         "previous one to finish; whether they may run together is not shown (their order, a session, client or stream "
         "they share), nor that each waits on a remote call")]


def test_awaits_on_one_session_or_of_a_coroutine_that_never_waits_are_not_reported():
    for needle in ("class Store:", "folder_service.create_folder", "awaitable_attrs"):
        assert _found(_example("PF802", "negative", needle), "PF802") == [], needle
    # the same loop over a client the caller hands in: the textbook case, kept
    assert [line for _p, line, _s, _m in _found(_example("PF802", "positive", "fetch_statement(account)"), "PF802")] == [5]


def test_a_table_named_by_a_helper_from_a_literal_is_not_sql_built_from_values():
    assert _found(_example("PF601", "negative", "table_with_schema('proofs_used')"), "PF601") == []
    [(path, line, severity, message)] = _found(_example("PF601", "positive", "table_with_schema(kind)"), "PF601")
    assert (path, line, severity, message) == ("app.py", 3, "low", "the statement is built by string formatting from "
                                               "`db.table_with_schema(kind)` and run as SQL" + STRUCTURE)  # a table's place


def test_a_retry_iterator_is_not_a_loop_over_items():
    assert _found(_example("NP105", "negative", "AsyncRetrying(stop=stop_after_attempt(3))"), "NP105") == []


def test_a_list_view_that_serves_its_page_from_the_cache_is_low_and_says_so():
    from mcp_server.rules import cached_list_examples as ex

    [(path, line, severity, message)] = _found(ex.NP103_CACHED_LIST_LOWERED, "NP103")
    assert (path, line, severity) == ("billing/serializers.py", 7, "low")
    assert message.endswith("; the view's `list()` keeps the serialised page in the cache (`cache.get` before serialising), "
                            "so these queries run when the cache misses, not on every request")
    assert [(p, l, s) for p, l, s, _m in _found(ex.NP103_UNCACHED_LIST_KEPT, "NP103")] == [("billing/serializers.py", 7, "high")]

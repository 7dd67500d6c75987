"""Round 150's causes and the rounds after it (issue 15, stop 64): each cause fixed, with the twin that keeps its finding."""

from rule_cases import found_by


def test_a_managers_constructor_builds_the_select_related_list_its_queryset_spells():
    from mcp_server.rules.prefetch_examples import NP103_MANAGER_BUILT_LIST, NP103_MANAGER_EMPTY_LIST

    assert found_by(NP103_MANAGER_BUILT_LIST, "NP103") == []
    [(path, line, severity, message, _fix)] = found_by(NP103_MANAGER_EMPTY_LIST, "NP103")
    assert (path, line, severity) == ("billing/views.py", 5, "high")
    assert message.startswith("`inv.client.name` loads Invoice.client once per row in the loop at line 5: the queryset at "
                              "billing/views.py:5 has no select_related(\"client\")")


def test_a_project_select_related_variant_names_the_relation_it_joins_first():
    from mcp_server.rules.prefetch_examples import NP103_SELECT_RELATED_ONLY

    assert found_by(NP103_SELECT_RELATED_ONLY, "NP103") == []


def test_a_lazy_queryset_only_handed_on_in_a_coroutine_is_run_by_whoever_reads_it():
    from mcp_server.rules.async_code_examples import PF801_HANDED_ON, PF801_READ_HERE

    assert found_by(PF801_HANDED_ON, "PF801") == []
    [(path, line, severity, message, _fix)] = found_by(PF801_READ_HERE, "PF801")
    assert (path, line, severity) == ("billing/models.py", 11, "high")
    assert message.startswith("blocking call inside `async def client_names`: `Client.objects.values` runs a synchronous "
                              "Django query")


def test_a_loop_bounded_by_an_attempt_limit_is_a_retry_loop():
    from mcp_server.rules.walked_keys_examples import PF301_ATTEMPT_LIMIT, PF301_TILE_COUNT

    assert found_by(PF301_ATTEMPT_LIMIT, "PF301") == []
    [(path, line, severity, message, _fix)] = found_by(PF301_TILE_COUNT, "PF301")
    assert (path, line, severity) == ("tiles.py", 22, "medium")
    assert message.startswith("`get_tile()` is called with the same arguments on every iteration of the loop at line 20")

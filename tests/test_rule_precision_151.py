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


def test_iterating_what_first_returns_walks_the_columns_of_one_row():
    from mcp_server.rules.commits_examples import PF202_COLUMNS_OF_ONE_ROW, PF202_ROWS_OF_A_QUERY

    assert found_by(PF202_COLUMNS_OF_ONE_ROW, "PF202") == []
    [(path, line, severity, message, _fix)] = found_by(PF202_ROWS_OF_A_QUERY, "PF202")
    assert (path, line, severity) == ("etl/runs.py", 13, "medium")
    assert message == "`session.commit()` on every iteration of the loop at line 11: one transaction (and one disk sync) per row"


def test_a_total_qualified_by_a_period_is_money_only_beside_a_field_that_says_so():
    from mcp_server.rules.money_examples import PF701_MONTHLY_MEASURE, PF701_MONTHLY_MONEY

    assert found_by({"flows.py": PF701_MONTHLY_MEASURE}, "PF701") == []
    [(path, line, severity, message, _fix)] = found_by({"billing.py": PF701_MONTHLY_MONEY}, "PF701")
    assert (path, line, severity) == ("billing.py", 13, "high")
    assert message == ("`monthly_total` is declared as a `Float` column: the ORM reads it into binary floats, whatever the "
                       "database column is")


def test_a_loader_named_by_a_local_alias_loads_the_relation():
    from mcp_server.rules.loader_variants_examples import NP104_LOADER_ALIAS, NP104_LOADER_ALIAS_LAZY

    assert found_by(NP104_LOADER_ALIAS, "NP104") == []
    [(path, line, severity, message, _fix)] = found_by(NP104_LOADER_ALIAS_LAZY, "NP104")
    assert (path, line, severity) == ("shop/report.py", 9, "high")
    assert message.startswith("`client.invoices` is lazy-loaded once per Client in the loop at line 9")


def test_rows_filtered_by_a_key_column_equal_to_one_value_share_that_parent():
    from mcp_server.rules.joined_parent_examples import BY_KEY_VALUE, tax_app

    assert found_by(tax_app(BY_KEY_VALUE.format(path="client")), "NP104") == []
    [(path, line, severity, message, _fix)] = found_by(tax_app(BY_KEY_VALUE.format(path="tax_rate")), "NP104")
    assert (path, line, severity) == ("books/report.py", 7, "high")
    assert message.startswith("`line.tax_rate.name` is lazy-loaded in the loop at line 7, once per distinct TaxRate")


def test_the_list_takes_the_serializer_returned_past_the_branches_of_other_actions():
    from mcp_server.rules.action_serializers_examples import NP103_HEAVY_PAST_CREATE, NP103_LIGHT_PAST_CREATE

    assert found_by(NP103_LIGHT_PAST_CREATE, "NP103") == []
    [payments, client] = found_by(NP103_HEAVY_PAST_CREATE, "NP103")
    assert payments[:3] == ("billing/serializers.py", 13, "high") and client[:3] == ("billing/serializers.py", 14, "high")
    assert client[3].startswith("`obj.client` loads Invoice.client once per row in the loop at line 6: the queryset at "
                                "billing/views.py:6 has no select_related(\"client\")")


def test_a_row_saved_unchanged_is_saved_for_what_save_itself_does():
    from mcp_server.rules.intent_examples import PF201_SAVED_CHANGED, PF201_SAVED_UNCHANGED

    assert found_by(PF201_SAVED_UNCHANGED, "PF201") == []
    [(path, line, severity, message, _fix)] = found_by(PF201_SAVED_CHANGED, "PF201")
    assert (path, line, severity) == ("journals/tasks.py", 8, "high")
    assert message == "`sub.save()` writes one row per item of the loop at line 6"


def test_a_method_of_self_asked_after_the_loop_sets_the_item_on_one_of_its_parts_reads_the_item():
    from mcp_server.rules.per_row_lookups_examples import PF301_FED_PART, PF301_LOGGED_PART

    assert found_by({"steps.py": PF301_FED_PART}, "PF301") == []
    [(path, line, severity, message, _fix)] = found_by({"steps.py": PF301_LOGGED_PART}, "PF301")
    assert (path, line, severity) == ("steps.py", 12, "medium")
    assert message.startswith("`run_single()` is called with the same arguments on every iteration of the loop at line 10")


def test_float_of_a_whole_amount_or_of_a_float_already_converts_nothing():
    from mcp_server.rules.money_examples import PF701_PRICE_WITH_CENTS, PF701_WHOLE_CONSTANTS

    assert found_by(PF701_WHOLE_CONSTANTS, "PF701") == []
    [(path, line, severity, message, _fix)] = found_by(PF701_PRICE_WITH_CENTS, "PF701")
    assert (path, line, severity) == ("coop/shares.py", 9, "high")
    assert message == "`float(SHARE_PRICE)` turns money into a binary float"


def test_a_column_read_only_under_a_flag_the_call_leaves_at_its_default_is_not_read():
    from mcp_server.rules.left_off_examples import NP104_FLAG_LEFT_OFF, NP104_FLAG_SET

    assert found_by(NP104_FLAG_LEFT_OFF, "NP104") == []
    [(path, line, severity, message, _fix)] = found_by(NP104_FLAG_SET, "NP104")
    assert (path, line, severity) == ("books/views.py", 7, "high")
    assert message.startswith("`p.documentation` is a deferred column of Project: the statement at books/views.py:7 does not "
                              "undefer it")


def test_what_a_call_leaves_at_its_default_reads_nothing_under_that_flag():
    from mcp_server.analysis.facts import Function, Span
    from mcp_server.analysis.receivers import left_off

    dump = Function("Project.dump", Span(1, 1, 1, 1), False, "Project", params=("self", "with_documentation"),
                    off_by_default=("with_documentation",))
    assert left_off("with_documentation", dump, "return [p.dump() for p in rows]")
    assert left_off("with_documentation", dump, "p.dump(request=request)")
    assert not left_off("with_documentation", dump, "p.dump(True)")  # a positional argument may be the flag
    assert not left_off("with_documentation", dump, "p.dump(with_documentation=show)")
    assert not left_off("with_documentation", dump, "p.dump(**options)")
    assert not left_off("!with_documentation", dump, "p.dump()")  # what runs when it is off does run

"""Rounds 143 to 149 (issue 15, stop 63): each cause fixed this stop, with the twin that keeps its finding."""

from mcp_server.analysis.pattern_money import HINT_LOWERED, LITERAL_LOWERED
from rule_cases import HANDED_ON_FLOAT, found_by


def test_a_fetchall_from_oracles_one_row_dual_is_bounded():
    from mcp_server.rules.whole_loads_examples import PF401_ONE_ROW_TABLE, PF401_REAL_TABLE

    assert found_by({"etl/sessions.py": PF401_ONE_ROW_TABLE}, "PF401") == []
    [(path, line, severity, message, _fix)] = found_by({"etl/sessions.py": PF401_REAL_TABLE}, "PF401")
    assert (line, severity) == (5, "low")  # no size given for it (whole_tables.py)
    assert message.startswith("`fetchall()` loads every row of a query with no LIMIT into memory")


def test_the_list_takes_the_serializer_a_class_dict_names_for_the_list_action():
    from mcp_server.rules.action_serializers_examples import NP103_HEAVY_LIST, NP103_LIGHT_LIST

    assert found_by(NP103_LIGHT_LIST, "NP103") == []
    [payments, client] = found_by(NP103_HEAVY_LIST, "NP103")
    assert payments[:3] == ("billing/serializers.py", 13, "high")
    assert client[:3] == ("billing/serializers.py", 14, "high")
    assert client[3].startswith("`obj.client` loads Invoice.client once per row in the loop at line 9: the queryset at "
                                "billing/views.py:9 has no select_related(\"client\")")


def test_another_action_running_the_list_serialises_its_rows_with_the_serializer_the_dict_gives_it():
    from mcp_server.rules.action_serializers_examples import NP103_LISTING_ACTION

    [payments, client] = found_by(NP103_LISTING_ACTION, "NP103")
    assert payments[:3] == ("billing/serializers.py", 13, "high") and client[:3] == ("billing/serializers.py", 14, "high")
    assert client[3].startswith("`obj.client` loads Invoice.client once per row in the loop at line 17: the queryset at "
                                "billing/views.py:10 has no select_related(\"client\")")


def test_what_a_serializer_does_only_for_other_http_methods_never_runs_for_a_list():
    from mcp_server.rules.verb_examples import VERB_GET_KEPT, VERB_WRITES_ONLY

    assert found_by(VERB_WRITES_ONLY, "NP102") == [] and found_by(VERB_WRITES_ONLY, "NP103") == []
    [query] = found_by(VERB_GET_KEPT, "NP102")
    assert query[:3] == ("billing/views.py", 6, "high")
    assert query[3].endswith("reaches a query: InvoiceSerializer -> get_overlapping -> `Invoice.objects.count` (billing/serializers.py:18)")
    [read] = found_by(VERB_GET_KEPT, "NP103")
    assert read[:3] == ("billing/serializers.py", 22, "high")


def test_the_rest_of_an_and_after_a_local_still_unset_runs_until_an_item_fills_it_elif_too():
    from mcp_server.rules.first_fill_examples import NP103_FILLED_FIRST, NP103_TESTED_FIRST

    assert found_by(NP103_FILLED_FIRST, "NP103") == []  # (nor its `elif not client and ...:`, which fills it too)
    [client, payments] = found_by(NP103_TESTED_FIRST, "NP103")
    assert client[:3] == ("billing/views.py", 10, "high")
    assert client[3].startswith("`inv.client.name` loads Invoice.client once per row in the loop at line 8")
    assert payments[:3] == ("billing/views.py", 12, "high")


def test_money_rounded_to_whole_units_through_a_float_is_the_decimals_integer():
    from mcp_server.rules.money_examples import PF701_ROUNDED_TO_CENTS, PF701_ROUNDED_TO_UNITS

    assert found_by({"fees.py": PF701_ROUNDED_TO_UNITS}, "PF701") == []
    [(path, line, severity, message, _fix)] = found_by({"fees.py": PF701_ROUNDED_TO_CENTS}, "PF701")
    assert (path, line, severity) == ("fees.py", 10, "high")
    assert message == "`round(float(fee_item.amount) * 3, 2)` rounds money held in a binary float (round(2.675, 2) == 2.67)"


def test_a_loop_over_a_classs_subclasses_walks_python_classes_not_rows():
    from mcp_server.rules.few_items_examples import NP102_ROWS_KEPT, NP102_SUBCLASSES_NEGATIVE

    assert found_by(NP102_SUBCLASSES_NEGATIVE, "NP102") == []
    assert [f[:3] for f in found_by(NP102_ROWS_KEPT, "NP102")] == [("billing/views.py", 10, "high")]


def test_a_key_made_from_the_whole_item_is_one_per_key_the_loop_walks():
    from mcp_server.rules.walked_keys_examples import PF301_KEY_OF_EACH_ROW, PF301_KEY_OF_WHOLE_ITEM

    assert found_by(PF301_KEY_OF_WHOLE_ITEM, "PF301") == []
    [(path, line, severity, message, _fix)] = found_by(PF301_KEY_OF_EACH_ROW, "PF301")
    assert (path, line, severity) == ("billing/views.py", 13, "medium")
    assert message.endswith("there are few distinct values of `locale`, so the same rows are fetched again and again")


def test_tenacitys_retry_iterator_bound_elsewhere_repeats_the_call_only_after_a_failure():
    from mcp_server.rules.walked_keys_examples import PF301_REPEATED_POST, PF301_RETRIED_POST

    assert found_by(PF301_RETRIED_POST, "PF301") == []
    assert [f[:4] for f in found_by(PF301_REPEATED_POST, "PF301")] == [
        ("jobs.py", 10, "medium", "`session.post` is called with the same arguments on every iteration of the loop at line 9")]


def test_an_amount_of_production_is_a_quantity_and_its_cost_is_money():
    from mcp_server.rules.money_examples import PF701_PRODUCTION_AMOUNT, PF701_PRODUCTION_COST

    assert found_by({"reporting/schema.py": PF701_PRODUCTION_AMOUNT}, "PF701") == []
    assert [f[:4] for f in found_by({"reporting/schema.py": PF701_PRODUCTION_COST}, "PF701")] == [
        ("reporting/schema.py", 9, "low", "`production_cost` stores money as a `float` annotation" + HINT_LOWERED)]


def test_a_services_own_package_nothing_in_that_service_uses_looks_unused_unless_another_service_imports_it():
    from mcp_server.rules.own_object_examples import NP105_OWN_PACKAGE_SERVICES, NP105_SHARED_PACKAGE_KEPT

    [used, alone] = found_by(NP105_OWN_PACKAGE_SERVICES, "NP105")
    assert used[:3] == ("billing-api/billing_api/directory.py", 9, "medium") and "looks unused" not in used[3]
    assert alone[:3] == ("reports-api/reports_api/directory.py", 9, "low")
    assert alone[3].endswith("nothing in its service `reports-api/` names the class `Directory` but its definition and imports (no "
                             "call, schedule or setting), so it looks unused")
    assert [f[:3] for f in found_by(NP105_SHARED_PACKAGE_KEPT, "NP105")] == [
        ("billing-api/billing_api/directory.py", 9, "medium"), ("reports-api/reports_api/directory.py", 9, "medium")]


def test_a_fallback_after_getattr_of_a_prefetch_kept_under_a_name_never_runs_for_rows_prefetched_so():
    from mcp_server.rules.probed_examples import NP102_PROBED_MISSING, NP102_PROBED_PREFETCH

    assert found_by(NP102_PROBED_PREFETCH, "NP102") == []
    assert [f[:4] for f in found_by(NP102_PROBED_MISSING, "NP102")] == [
        ("billing/views.py", 7, "high", "`InvoiceSerializer` serializes each item of the loop at line 7 and reaches a query: InvoiceSerializer "
         "-> get_paid -> `Payment.objects.order_by` (billing/serializers.py:16)")]


def test_a_relation_read_only_in_the_handler_of_a_failure_is_no_load_per_row():
    from mcp_server.rules.failure_reads_examples import NP103_READ_IN_TRY, NP103_READ_ON_FAILURE

    assert found_by(NP103_READ_ON_FAILURE, "NP103") == []
    [(path, line, severity, message, _fix)] = found_by(NP103_READ_IN_TRY, "NP103")
    assert (path, line, severity) == ("billing/views.py", 6, "high")
    assert message.startswith("`invoice.client` loads Invoice.client once per row in the loop at line 6")


def test_a_crawlers_request_per_url_is_its_job():
    from mcp_server.rules.background_examples import NP105_CRAWLER_LOWERED, NP105_SYNC_KEPT

    [(path, line, severity, message, _fix)] = found_by(NP105_CRAWLER_LOWERED, "NP105")
    assert (path, line, severity) == ("site/pages.py", 13, "low")
    assert message.endswith("; `FrontEndCrawler` crawls or warms a cache: a request per URL is the job itself, which no batch call replaces")
    assert [f[:3] for f in found_by(NP105_SYNC_KEPT, "NP105")] == [("site/pages.py", 13, "medium")]


def test_a_route_of_a_flask_blueprint_named_for_the_admin_is_staff_only():
    from mcp_server.rules.staff_examples import NP101_ADMIN_BLUEPRINT_LOWERED, NP101_SHOP_BLUEPRINT_KEPT

    [(path, line, severity, message, _fix)] = found_by(NP101_ADMIN_BLUEPRINT_LOWERED, "NP101")
    assert (path, line, severity) == ("billing/views.py", 10, "low")
    assert "only staff reach it (a route of `admin`)" in message
    assert [f[:3] for f in found_by(NP101_SHOP_BLUEPRINT_KEPT, "NP101")] == [("billing/views.py", 10, "high")]


def test_statements_whose_coroutines_a_coroutine_gathers_are_awaited():
    from mcp_server.rules.async_code_examples import PF801_GATHERED, PF801_NOT_GATHERED

    assert found_by(PF801_GATHERED, "PF801") == []
    assert [f[:3] for f in found_by(PF801_NOT_GATHERED, "PF801")] == [("books/repo.py", 13, "low"), ("books/repo.py", 14, "low")]


def test_money_started_as_a_float_is_one_finding_at_its_first_line_not_another_at_each_float():
    from mcp_server.rules.money_examples import PF701_FLOAT_AT_THE_END, PF701_FLOAT_FROM_THE_START

    assert [f[:4] for f in found_by({"p.py": PF701_FLOAT_FROM_THE_START}, "PF701")] == [
        ("p.py", 6, "low", "`penalty_total = 0.0` holds money in a binary float" + LITERAL_LOWERED)]
    assert [f[:4] for f in found_by({"p.py": PF701_FLOAT_AT_THE_END}, "PF701")] == [
        ("p.py", 9, "low", "`float(penalty_total)` turns money into a binary float" + HANDED_ON_FLOAT)]


def test_a_flag_handed_on_in_a_local_only_ever_false_is_passed_false():
    from mcp_server.rules.flag_and_examples import NP102_FLAG_HELD_FALSE, NP102_FLAG_HELD_TRUE

    assert found_by(NP102_FLAG_HELD_FALSE, "NP102") == []
    assert [f[:3] for f in found_by(NP102_FLAG_HELD_TRUE, "NP102")] == [("storage/usage.py", 14, "medium")]


def test_a_statement_per_window_of_rows_is_the_batching_itself():
    from mcp_server.rules.unsized_writes_examples import PF201_PER_ITEM, PF201_PER_WINDOW

    assert found_by(PF201_PER_WINDOW, "PF201") == []
    assert [f[:4] for f in found_by(PF201_PER_ITEM, "PF201")] == [
        ("imports/actions.py", 10, "high", "one INSERT statement per item of the loop at line 7")]


def test_next_of_a_generator_expression_reads_its_first_items_element_only():
    from mcp_server.rules.first_fill_examples import NP103_ALL_OF_GENERATOR, NP103_FIRST_OF_GENERATOR

    assert found_by(NP103_FIRST_OF_GENERATOR, "NP103") == []
    assert [f[:3] for f in found_by(NP103_ALL_OF_GENERATOR, "NP103")] == [("billing/views.py", 6, "high")]


def test_a_remote_call_per_item_of_a_loop_that_pauses_on_every_item_is_paced_on_purpose():
    from mcp_server.rules.handful_examples import NP105_PAUSED_LOWERED, NP105_UNPAUSED_KEPT

    [(path, line, severity, message, _fix)] = found_by(NP105_PAUSED_LOWERED, "NP105")
    assert (path, line, severity) == ("movers/sync.py", 16, "low")
    assert message.endswith("; the loop pauses on every item (`time.sleep`, line 17), spacing the calls on purpose, so running "
                            "them together would defeat it")
    assert [f[:3] for f in found_by(NP105_UNPAUSED_KEPT, "NP105")] == [("movers/sync.py", 16, "high")]


def test_a_connection_handed_out_in_the_session_built_on_it_is_the_callers():
    from mcp_server.rules import resources_examples as rx

    assert found_by({"db.py": rx.PF501_HANDED_IN_A_SESSION}, "PF501") == []
    assert [f[:4] for f in found_by({"db.py": rx.PF501_ONE_STATEMENT}, "PF501")] == [
        ("db.py", 18, "medium", "the connection `connection` from `engine.connect(...)` is never closed in this function")]


def test_a_connection_closed_first_thing_in_the_else_of_the_try_that_opened_it_is_closed():
    from mcp_server.rules import resources_examples as rx

    assert found_by({"settings.py": rx.PF501_CLOSED_FIRST_IN_ELSE}, "PF501") == []
    # (`low` since round 174: a plain function drops the connection as the exception leaves it)
    assert [f[:4] for f in found_by({"settings.py": rx.PF501_QUERIED_BEFORE_CLOSE}, "PF501")] == [
        ("settings.py", 7, "low", "the connection `conn` is closed only when no exception is raised before `conn.close()`; until "
         "then an exception leaves it to the garbage collector, so this matters in long loops or for many connections")]


def test_a_global_filled_when_not_in_globals_is_one_connection_per_process():
    from mcp_server.rules.kept_holder_examples import PF502_GLOBAL_FILLED_EACH_CALL, PF502_GLOBAL_FILLED_ONCE

    assert found_by(PF502_GLOBAL_FILLED_ONCE, "PF502") == []
    assert [f[:3] for f in found_by(PF502_GLOBAL_FILLED_EACH_CALL, "PF502")] == [("ledger/db.py", 15, "high")]

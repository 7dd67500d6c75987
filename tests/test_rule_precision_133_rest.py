"""Round 133's causes left open at stop 59 (issue 15, stop 60): what the list's rows carry read inside an expression
of a `try`, a viewset that answers no GET, the same rows walked twice, an item's own database, and a UNION of counts."""

from mcp_server.analysis.batch_context import REQUEST_SIZED
from mcp_server.rules import carried_examples as cx
from mcp_server.rules import own_database_examples as ox
from mcp_server.rules import rewalked_examples as rx
from mcp_server.rules.whole_loads_examples import PF401_NEGATIVE, PF401_POSITIVE
from rule_cases import example, found_by, swapped

PREFETCHED = "runs a query per Client in the loop at line 29: `.invoices.filter()` queries even when the relation is prefetched"


def test_an_annotation_and_a_to_attr_read_inside_an_expression_of_the_try_leave_no_query_per_row():
    assert found_by(cx.NP103_TRIED_IN_EXPRESSION, "NP103") == []


def test_a_to_attr_the_list_does_not_set_leaves_the_fallback_query_per_row():
    files = swapped(cx.NP103_TRIED_IN_EXPRESSION, 'to_attr="open_invoices"', 'to_attr="unpaid"')
    [(path, line, severity, message, _fix)] = found_by(files, "NP103")
    assert (path, line, severity) == ("billing/views.py", 25, "high")
    assert message.startswith(f"`obj.invoices` {PREFETCHED}")


def test_an_annotation_the_list_does_not_set_leaves_the_fallback_query_per_row():
    files = swapped(cx.NP103_TRIED_IN_EXPRESSION, "qs.annotate(open_total=", "qs.annotate(unpaid_total=")
    [(path, line, severity, _message, _fix)] = found_by(files, "NP103")
    assert (path, line, severity) == ("billing/views.py", 19, "high")


def test_a_viewset_without_get_in_its_http_method_names_lists_no_rows():
    assert found_by(cx.NP103_NO_GET, "NP103") == []
    files = swapped(cx.NP103_NO_GET, '["post", "head", "patch"]', '["get", "post", "head", "patch"]')
    [(path, line, severity, message, _fix)] = found_by(files, "NP103")
    assert (path, line, severity) == ("billing/serializers.py", 7, "high")
    assert message.startswith("`obj.client` loads Invoice.client once per row in the loop at line 8: the queryset at "
                              'billing/views.py:8 has no select_related("client")')


def test_a_second_walk_of_rows_whose_first_walk_loaded_the_relation_deeper_is_not_reported():
    [(path, line, severity, message, _fix)] = found_by(rx.NP103_REWALKED_ONCE, "NP103")
    assert (path, line, severity) == ("billing/views.py", 8, "high")
    assert message.startswith("`inv.client.name.upper()` loads Invoice.client once per row in the loop at line 7")


def test_a_second_walk_is_reported_where_the_first_read_no_relation_or_it_walks_a_query_of_its_own():
    _once, first_reads_nothing, own_query = rx.NP103_REWALKED_POSITIVE
    assert [(p, line) for p, line, *_ in found_by(first_reads_nothing, "NP103")] == [("billing/views.py", 12)]
    assert [(p, line) for p, line, *_ in found_by(own_query, "NP103")] == [("billing/views.py", 8), ("billing/views.py", 12)]


def test_a_connection_whose_parameters_the_loop_fills_from_the_item_is_not_reusable():
    source = ox.PF502_OWN_DATABASE_NEGATIVE[0]
    assert found_by({"app.py": source}, "PF502") == []
    source = ox.PF502_OWN_DATABASE_POSITIVE[0]
    [(path, line, severity, message, _fix)] = found_by({"app.py": source}, "PF502")
    assert (path, line, severity) == ("app.py", 13, "high")
    assert message == "`psycopg2.connect` connects to the database anew on every iteration of the loop at line 8"


def test_an_insert_through_a_cursor_of_the_items_own_database_is_not_one_statement_per_row():
    [files] = ox.PF201_OWN_DATABASE_NEGATIVE
    assert found_by(files, "PF201") == []
    [files] = ox.PF201_OWN_DATABASE_POSITIVE
    [(path, line, severity, message, _fix)] = found_by(files, "PF201")
    assert (path, line, severity) == ("planning/rates.py", 9, "low")
    assert message == "one INSERT per item of the loop at line 7: a round trip and a statement per row" + REQUEST_SIZED


def test_a_union_of_counts_returns_one_row_per_select():
    assert found_by({"app.py": example(PF401_NEGATIVE, "select 'payments', count(*)")}, "PF401") == []
    [(path, line, severity, message, _fix)] = found_by({"app.py": example(PF401_POSITIVE, "union select name, 1")}, "PF401",
                                                       {"payments": 40_000})
    assert (path, line, severity) == ("app.py", 8, "medium")
    assert message == ("`fetchall()` loads every row of a query with no LIMIT into memory, then the loop walks the list; the table "
                       "`payments` holds 40,000 rows (table_rows)")

"""Round 112 (issue 15): a connection or socket a function drops as it returns (mcp_server/analysis/pattern_resources.py),
a list filtered by a one-to-one field, which holds at most one row (n_plus_one_common.one_object_origin), a zero
default read only through `Decimal(...)` (pattern_money.into_decimal_only), an import that finds or makes each key's
row (loops._loop_key), and, from round 113, a flush after statements only (pattern_writes._pends)."""

from mcp_server.analysis.pattern_money import LITERAL_LOWERED
from mcp_server.rules import (dropped_examples as dx, import_examples as ix, listed_rows_examples as lx, not_data_examples as nx,
                               statement_examples as sx)
from rule_cases import found_by

FREED = ("; CPython closes it when this function drops its last reference, so it stays open only until the function returns "
         "(longer on PyPy, or when a reference cycle holds it)")


def test_a_with_connection_the_function_drops_as_it_returns_is_low():
    [(path, line, severity, message, fix)] = found_by({"app.py": dx.PF501_WITH_DROPPED_AT_RETURN}, "PF501")
    assert (path, line, severity) == ("app.py", 8, "low")
    assert message == ("`with psycopg2.connect(...) as conn` commits or rolls back at the end of the block but never closes the "
                       "connection" + FREED)
    assert fix == ("Close it: `with contextlib.closing(psycopg2.connect(...)) as conn, conn:` (the second `with` keeps the "
                   "transaction handling), or call `conn.close()` in a `finally`.")


def test_a_with_connection_kept_by_a_polling_loop_or_a_generator_stays_medium():
    for source, line in ((dx.PF501_WITH_BEFORE_POLLING, 8), (dx.PF501_WITH_IN_GENERATOR, 6)):
        [(path, got, severity, message, _fix)] = found_by({"app.py": source}, "PF501")
        assert (path, got, severity) == ("app.py", line, "medium")
        assert message.endswith("commits or rolls back at the end of the block but never closes the connection")


def test_a_socket_shut_down_on_the_normal_path_only_is_low():
    [(path, line, severity, message, _fix)] = found_by({"app.py": dx.PF501_SOCKET_DROPPED_AT_RETURN}, "PF501")
    assert (path, line, severity) == ("app.py", 6, "low")
    assert message == ("the socket `s` is closed only when no exception is raised before `s.shutdown()`; until then an exception "
                       "leaves it to the garbage collector, so this matters in long loops or for many sockets")


def test_a_list_filtered_by_a_one_to_one_field_holds_at_most_one_row():
    [(path, line, severity, message, _fix)] = found_by(lx.NP103_ONE_TO_ONE_ROW, "NP103")
    assert (path, line, severity) == ("shop/serializers.py", 14, "low")
    assert message.startswith("`obj.items` loads Basket.items once per row in the loop at line 8: the queryset at shop/views.py:11 "
                              "has no prefetch_related(\"items\")")
    assert message.endswith("; the loop walks at most one row (a query by a one-to-one field)")
    [(path, line, severity, message, _fix)] = found_by(lx.NP103_FOREIGN_KEY_ROWS, "NP103")  # a user's baskets: a handful
    assert (path, line, severity) == ("shop/serializers.py", 14, "medium")
    assert message.endswith("the loop walks the rows of one user, often a handful, so it matters when that object has many")


def test_a_zero_default_read_only_through_decimal_is_not_money_in_a_float():
    assert found_by({"app.py": nx.PF701_ZERO_INTO_DECIMAL}, "PF701") == []
    [(path, line, severity, message, _fix)] = found_by({"app.py": nx.PF701_ZERO_ADDED_TO}, "PF701")
    assert (path, line, message) == ("app.py", 6, "`discount = 0.0` holds money in a binary float" + LITERAL_LOWERED)


def test_an_import_that_finds_or_makes_each_keys_row_is_not_a_lookup_of_a_few():
    assert found_by(ix.PF301_IMPORT_BY_KEY, "PF301") == []
    [(path, line, severity, message, _fix)] = found_by(ix.PF301_LOOKUP_BY_KEY, "PF301")
    assert (path, line, severity) == ("billing/states.py", 6, "medium")
    assert message == ("`Client.objects.get` looks up by `state` on every iteration of the loop at line 4; there are few distinct "
                       "values of `state`, so the same rows are fetched again and again")


def test_a_flush_after_statements_only_has_nothing_to_send():
    [(path, line, _severity, message, _fix)] = found_by({"app.py": sx.PF201_FLUSH_AFTER_STATEMENTS}, "PF201")
    assert (path, line) == ("app.py", 4) and message.startswith("one UPDATE statement per item of the loop at line 3")
    for kept in (sx.PF201_FLUSH_AFTER_CHANGES, sx.PF201_FLUSH_AFTER_HELPER):  # a row changed here, or by a helper handed it
        [(path, line, _severity, message, _fix)] = found_by({"app.py": kept}, "PF201")
        assert (path, line) == ("app.py", 5) and message.startswith("`session.flush()` per item of the loop at line 3 sends each pending row")

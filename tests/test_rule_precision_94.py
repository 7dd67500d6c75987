"""Rounds 94 and 95 (issue 15): exact findings on what those rounds' applications showed
(mcp_server/rules/carried_examples.py, mcp_server/rules/not_data_examples.py)."""

from mcp_server.analysis.batch_context import REQUEST_SIZED
from mcp_server.rules import carried_examples as ex
from mcp_server.rules import not_data_examples as text
from rule_cases import STRUCTURE, found_by, swapped as _swap



_CLIENT = ("billing/serializers.py", 7, "high",
           '`obj.client` loads Invoice.client once per row in the loop at line 8: the queryset at billing/views.py:8 has no '
           'select_related("client") (serialising each row reads `client_name = serializers.CharField(source="client.name")`)')


def test_the_list_serializer_a_viewset_names_through_a_class_attribute_is_the_one_it_lists_with():
    assert found_by(ex.NP103_BY_ATTRIBUTE, "NP103") == []
    detail = _swap(ex.NP103_BY_ATTRIBUTE, "list_serializer_class = InvoiceRowSerializer", "list_serializer_class = InvoiceSerializer")
    assert [f[:4] for f in found_by(detail, "NP103")] == [_CLIENT]


def test_a_grandchild_serializer_writes_only_the_fields_its_own_meta_lists():
    assert found_by(ex.NP103_GRANDPARENT_FIELD, "NP103") == []
    listing = _swap(ex.NP103_GRANDPARENT_FIELD, 'fields = ["id", "due"]', 'fields = ["id", "due", "client_name"]')
    assert [f[:4] for f in found_by(listing, "NP103")] == [_CLIENT]


def test_a_role_the_lists_queryset_annotates_is_read_before_the_fallback_query():
    assert found_by(ex.NP103_ROLE_ANNOTATED, "NP103") == []
    # the same guard written as `hasattr`
    tested = _swap(ex.NP103_ROLE_ANNOTATED, '''        try:
            role = self.user_role
        except AttributeError:
            role = ''', '''        if hasattr(self, "user_role"):
            role = self.user_role
        else:
            role = ''')
    assert found_by(tested, "NP103") == []
    other = _swap(ex.NP103_ROLE_ANNOTATED, "annotate(user_role=", "annotate(my_role=")
    [(path, line, severity, message, fix)] = found_by(other, "NP103")
    assert (path, line, severity) == ("billing/views.py", 15, "high")
    assert message.startswith("`obj.ledger` loads LedgerAccess.ledger once per row in the loop at line 20")
    assert fix == 'Add `.select_related("ledger")` to the queryset at billing/views.py:19.'


def test_a_serializer_method_reads_what_the_view_prefetched_into_the_row():
    assert found_by(ex.NP102_PREFETCHED_INTO, "NP102") == []
    other = _swap(ex.NP102_PREFETCHED_INTO, 'to_attr="open_invoices"', 'to_attr="unpaid"')
    [(path, line, severity, message, _fix)] = found_by(other, "NP102")
    assert (path, line, severity) == ("billing/views.py", 24, "high")
    assert message == ("`ClientSerializer` serializes each item of the loop at line 24 and reaches a query: ClientSerializer -> "
                       "get_open_invoice -> `Invoice.objects.first` (billing/views.py:18)")


def test_a_count_of_rows_locked_for_update_is_low_saying_why():
    [(path, line, severity, message, _fix)] = found_by(ex.NP103_LOCKED_COUNT, "NP103")
    assert (path, line, severity) == ("events/tasks.py", 13, "low")
    assert message.endswith("; the rows are locked with `select_for_update()`, which PostgreSQL refuses with the GROUP BY an "
                            "annotated count needs (and a count read under the lock is current when the loop acts on it)")
    unlocked = _swap(ex.NP103_LOCKED_COUNT, "event.pools.select_for_update().all()", "event.pools.all()")
    assert [f[:3] for f in found_by(unlocked, "NP103")] == [("events/tasks.py", 13, "medium")]


def test_lines_polled_from_a_running_process_are_no_file_read_whole():
    assert found_by({"app.py": text.PF401_POLLED_STREAM}, "PF401") == []
    once = {"app.py": text.PF401_POLLED_STREAM.replace("while group.is_pending():", "while True:")}
    assert [f[:3] for f in found_by(once, "PF401")] == [("app.py", 9, "low")]


def test_a_text_read_whole_then_split_is_low_outside_bulk_input():
    [(path, line, severity, message, _fix)] = found_by({"app.py": text.PF401_SMALL_TEXT}, "PF401")
    assert (path, line, severity) == ("app.py", 5, "low")
    assert message.startswith("the whole file is read into `text` and split into lines before the loop; nothing here says how large")
    bulk = {"app.py": text.PF401_SMALL_TEXT.replace("def cookie_jar", "def import_cookie_jar")}
    assert [f[:4] for f in found_by(bulk, "PF401")] == [
        ("app.py", 5, "medium", "the whole file is read into `text` and split into lines before the loop")]


def test_a_table_name_quoted_as_an_identifier_is_no_formatted_value():
    assert found_by({"app.py": text.PF601_QUOTED_IDENTIFIER}, "PF601") == []
    stripped = {"app.py": text.PF601_QUOTED_IDENTIFIER.replace("""table.replace('"', '""')""", "table.strip()")}
    # unquoted, a table's name the database's catalog gave: in the statement's structure, which no parameter binds
    assert [f[:4] for f in found_by(stripped, "PF601")] == [
        ("app.py", 10, "low", "the statement is built by string formatting from `quoted` and run as SQL" + STRUCTURE)]


def test_a_helper_called_when_a_counter_reaches_the_batch_size_runs_once_per_batch():
    from mcp_server.rules.handful_examples import NP102_COUNTED_BATCH

    assert found_by(NP102_COUNTED_BATCH, "NP102") == []
    never_reset = _swap(NP102_COUNTED_BATCH, "            count = 0\n", "")
    [(path, line, severity, message, _fix)] = found_by(never_reset, "NP102")
    assert (path, line, severity) == ("billing/views.py", 17, "high")
    assert message.startswith("`_save_chunk()` is called once per item of the loop at line 13 and reaches a query")


def test_a_table_kept_on_the_function_itself_is_loaded_on_its_first_call():
    from mcp_server.rules.handful_examples import NP102_FUNCTION_ATTRIBUTE

    assert found_by(NP102_FUNCTION_ATTRIBUTE, "NP102") == []
    # an attribute of another object: nothing says it outlives the call
    other = _swap(NP102_FUNCTION_ATTRIBUTE, 'if not hasattr(client_named, "_cache"):', 'if not hasattr(import_rows, "_cache"):')
    [(path, line, severity, message, _fix)] = found_by(other, "NP102")
    assert (path, line, severity) == ("billing/views.py", 17, "high")
    assert message.startswith("`client_named()` is called once per item of the loop at line 16 and reaches a query")


def test_a_project_queryset_method_chained_on_the_base_views_rows_loads_what_it_says():
    assert found_by(ex.NP103_QUERYSET_METHOD_ON_SUPER, "NP103") == []
    ordered = _swap(ex.NP103_QUERYSET_METHOD_ON_SUPER, "qs.with_client()", 'qs.order_by("total")')
    [(path, line, severity, message, _fix)] = found_by(ordered, "NP103")
    assert (path, line, severity) == ("billing/serializers.py", 7, "high")
    assert message.startswith("`obj.client` loads Invoice.client once per row in the loop at line 9: the queryset at billing/views.py:8")


def test_rows_collected_for_one_insert_per_thousand_are_no_write_per_row():
    from mcp_server.rules.handful_examples import PF201_COLLECTED_ROWS

    assert found_by({"app.py": PF201_COLLECTED_ROWS}, "PF201") == []
    each = {"app.py": PF201_COLLECTED_ROWS.replace("engine.execute(table.insert(), batch)\n            batch = []",
                                                   "engine.execute(table.insert(), dict(row))")}
    assert [(*f[:3], f[3].endswith(REQUEST_SIZED)) for f in found_by(each, "PF201")] == [("app.py", 7, "low", True)]


def test_a_queryset_method_applied_under_a_request_flag_leaves_the_fix_on_the_views_query():
    [(path, line, severity, message, fix)] = found_by(ex.NP103_FLAGGED_METHOD, "NP103")
    assert (path, line, severity) == ("billing/serializers.py", 7, "high")
    assert "the queryset at billing/views.py:15 has no select_related(\"client\")" in message
    assert fix == 'Add `.select_related("client")` to the queryset at billing/views.py:15.'
    # applied on every request, the method is where the rows are built: the fix goes at its call
    always = _swap(ex.NP103_FLAGGED_METHOD, '        if self.request.query_params.get("large") == "true":\n            qs = qs.large()',
                   "        qs = qs.large()")
    [(_path, _line, _severity, _message, fix)] = found_by(always, "NP103")
    assert "billing/views.py:15" not in fix


def test_an_integer_read_through_a_decimal_is_no_money():
    assert found_by({"app.py": text.PF701_INTEGER_THROUGH_DECIMAL}, "PF701") == []
    kept = {"app.py": text.PF701_INTEGER_THROUGH_DECIMAL.replace("return int(Decimal(float(value)))", "return Decimal(float(value))")}
    assert [f[:4] for f in found_by(kept, "PF701")] == [
        ("app.py", 6, "high", "`Decimal(float(...))` goes through a binary float and keeps its error")]


def test_related_rows_asked_anew_then_replaced_by_a_list_are_never_loaded_themselves():
    from mcp_server.rules.lazy_examples import NP103_REBOUND_AFTER_QUERIES

    assert found_by(NP103_REBOUND_AFTER_QUERIES, "NP103") == []
    # the name kept: the rows `board.cards.all()` holds are read by the last loop
    kept = _swap(NP103_REBOUND_AFTER_QUERIES, '        cards = [*cards.exclude(title=""), *cards.filter(title="")]\n', "")
    assert [f[:3] for f in found_by(kept, "NP103")][:1] == [("kanban/tasks.py", 8, "high")]

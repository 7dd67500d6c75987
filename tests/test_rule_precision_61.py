"""Round 61 (issue 15): which rows a DRF list view serialises, exact findings on NP103's own examples."""

from rule_cases import STRUCTURE, found_by as _found, rule_example as _example


def _client_read(loop_line: int, at: str) -> tuple[str, str]:
    return (f"`obj.client` loads Invoice.client once per row in the loop at line {loop_line}: the queryset at {at} has no "
            "select_related(\"client\") (serialising each row reads `client_name = serializers.CharField(source=\"client.name\")`)",
            f"Add `.select_related(\"client\")` to the queryset at {at}.")


def test_a_mixins_get_queryset_that_starts_anew_is_what_the_list_serialises():
    found = _found(_example("NP103", "positive", "class OwnInvoicesMixin"), "NP103")
    # the fix goes on the mixin's query, not on the class queryset (which already loads the client and is never used)
    assert found == [("billing/serializers.py", 7, "high", *_client_read(13, "billing/views.py:9"))]
    assert _found(_example("NP103", "negative", 'return Invoice.objects.select_related("client").filter('), "NP103") == []


def test_a_subclass_in_another_module_lists_its_own_class_queryset_under_its_bases_get_queryset():
    # the base's get_queryset() narrows `super().get_queryset()`: DRF's, which reads the subclass's own queryset
    assert _found(_example("NP103", "negative", 'serializer_class = InvoiceSerializer\n    queryset = Invoice.objects.select_related("client")'), "NP103") == []


def test_a_filter_queryset_that_never_reads_its_queryset_lists_its_own_query():
    found = _found(_example("NP103", "positive", "return Invoice.objects.filter(pk=number)"), "NP103")
    assert found == [("billing/serializers.py", 7, "high", *_client_read(8, "billing/views.py:14"))]
    # one that narrows the queryset it is handed keeps the class queryset's eager loading
    assert _found(_example("NP103", "negative", "return queryset.filter(pk=number)"), "NP103") == []


def test_a_field_the_list_serializer_drops_in_get_fields_is_not_serialised():
    assert _found(_example("NP103", "negative", 'fields.pop("client_name")'), "NP103") == []
    found = _found(_example("NP103", "positive", 'fields.pop("total")'), "NP103")
    assert found == [("billing/views.py", 7, "high", *_client_read(22, "billing/views.py:22"))]


def test_an_annotation_read_first_with_or_answers_the_count():
    assert _found(_example("NP103", "negative", 'getattr(instance, "payment_count", None) or'), "NP103") == []
    # rows without the annotation: the count runs for each
    [(path, line, severity, message, _)] = _found(_example("NP103", "positive", "or instance.payments.count()"), "NP103")
    assert (path, line, severity) == ("billing/views.py", 15, "high")
    assert message.startswith("`obj.payments.count()` counts Invoice.payments with a query per row in the loop at line 19")


def test_a_task_only_a_management_command_starts_through_delay_and_si_is_lowered_as_the_command():
    from mcp_server.rules.background_examples import NP102_COMMAND_TASK_LOWERED, NP102_SCHEDULED_TASK_KEPT

    found = [f for f in _found(NP102_COMMAND_TASK_LOWERED, "NP102") if f[0] == "payables/tasks.py"]
    assert [f[:3] for f in found] == [("payables/tasks.py", 10, "low")]
    assert found[0][3].endswith("; it runs in code that only a management command (`tally_suppliers`) reaches, which a person or a "
                                "schedule starts, not a request: it matters when the command runs often over a large table "
                                "(`table_rows` with the table's size raises it)")
    # a beat schedule names the task: it runs every ten minutes, whatever the command does
    assert [f[:3] for f in _found(NP102_SCHEDULED_TASK_KEPT, "NP102") if f[0] == "payables/tasks.py"] == [("payables/tasks.py", 10, "high")]


def test_a_write_only_field_is_never_written_out():
    assert _found(_example("NP103", "negative", "write_only=True)"), "NP103") == []
    found = _found(_example("NP103", "positive", 'client = serializers.SlugRelatedField(slug_field="name", queryset=Client.objects.all())'), "NP103")
    assert [f[:3] for f in found] == [("billing/views.py", 7, "high")]
    assert found[0][3].startswith("`obj.client` loads Invoice.client once per row in the loop at line 15")


def test_a_list_serializer_of_another_module_reads_only_the_fields_it_lists_of_its_base():
    assert _found(_example("NP103", "negative", "class InvoiceListSerializer(InvoiceSerializer):\n    class Meta"), "NP103") == []
    found = _found(_example("NP103", "positive", 'class Meta(InvoiceSerializer.Meta):\n        fields = ["id", "total", "client_name"]'), "NP103")
    assert found == [("billing/serializers.py", 7, "high", *_client_read(8, "office/views.py:8"))]


def test_a_client_entered_by_its_owners_enter_is_left_by_its_exit():
    assert _found(_example("PF501", "negative", "httpx.Client().__enter__()"), "PF501") == []
    found = _found(_example("PF501", "positive", "httpx.Client().get(url"), "PF501")
    # `low` since stop 60, as the same client bound to a name is: CPython closes it when the function returns
    assert [f[:4] for f in found] == [("app.py", 4, "low", "the HTTP client from `httpx.Client(...)` is used once and never closed; CPython "
                                       "closes it when this function drops its last reference, so it stays open only until the "
                                       "function returns (longer on PyPy, or when a reference cycle holds it)")]


def test_a_view_behind_any_decorator_handed_a_test_of_the_staff_flag_is_staff_only():
    from mcp_server.rules.staff_examples import NP101_STAFF_TEST_KEPT, NP101_STAFF_TEST_LOWERED

    [(path, line, severity, message, _)] = _found(NP101_STAFF_TEST_LOWERED, "NP101")
    assert (path, line, severity) == ("billing/views.py", 9, "low")
    assert "staff reach it (`@check_user` on the staff flag)" in message
    assert [f[:3] for f in _found(NP101_STAFF_TEST_KEPT, "NP101")] == [("billing/views.py", 9, "high")]


def test_a_file_fetched_only_when_it_is_missing_is_read_from_disk_after_the_first_call():
    files = _example("PF301", "negative", "if not path.exists():")
    assert _found(files, "PF301") == []
    # fetched on every call: the same download each iteration
    files = {"app.py": files["app.py"].replace("    if not path.exists():\n        download(url, path)", "    download(url, path)")}
    assert [f[:3] for f in _found(files, "PF301")] == [("app.py", 11, "medium")]
    # a folder made when missing, before work done on every call, caches nothing
    files = {"app.py": _example("PF301", "negative", "if not path.exists():")["app.py"].replace(
        "        download(url, path)\n    return str(path)", "        os.makedirs(path)\n    download(url, path)\n    return str(path)").replace(
        "from pathlib import Path", "import os\nfrom pathlib import Path")}
    assert [f[:3] for f in _found(files, "PF301")] == [("app.py", 14, "medium")]


def test_an_attribute_returned_in_a_try_over_rows_a_custom_queryset_method_annotates():
    assert _found(_example("NP102", "negative", "return [(c.name, c.open_total) for c in Client.objects.filter(name__gt=\"\").with_open_total()]"), "NP102") == []
    [(path, line, severity, message, _)] = _found(_example("NP102", "positive", 'for c in Client.objects.filter(name__gt="")]'), "NP102")
    assert (path, line, severity) == ("billing/views.py", 6, "high")
    assert message.startswith("`return [(c.name, c.open_total) for c in Client.objects.filter(name__gt=\"\")]` runs for each row of "
                              "the loop at line 6 and reaches a query")


def test_a_model_whose_history_simple_history_keeps_is_not_offered_the_bulk_api():
    files = _example("PF201", "negative", "history = HistoricalRecords()")
    assert _found(files, "PF201") == []
    files = {**files, "billing/models.py": files["billing/models.py"].replace("    history = HistoricalRecords()\n", "")}
    assert [f[:3] for f in _found(files, "PF201")] == [("billing/grants.py", 5, "medium")]


def test_a_command_with_fake_as_a_word_of_its_name_makes_test_data():
    from mcp_server.rules.one_off_examples import ONE_OFF_NEGATIVE

    [files] = [f for f in ONE_OFF_NEGATIVE if "billing/management/commands/load_erp_fake_invoices.py" in f]
    assert _found(files, "NP101") == []
    renamed = {k.replace("load_erp_fake_invoices", "load_erp_invoices"): v for k, v in files.items()}
    renamed["deploy/crontab"] = "0 1 * * * python manage.py load_erp_invoices\n"
    # named as a load, without the word, and run by a schedule: an import, kept as it is
    assert [f[:3] for f in _found(renamed, "NP101")] == [("billing/management/commands/load_erp_invoices.py", 5, "high")]


def test_a_name_checked_against_an_allow_list_before_it_is_formatted_into_sql():
    files = _example("PF601", "negative", 'if kind not in ("product_code", "category_tag"):')
    assert _found(files, "PF601") == []
    # the check removed: whatever the caller passes goes into the statement
    files = {"app.py": files["app.py"].replace('    if kind not in ("product_code", "category_tag"):\n        raise ValueError(kind)\n', "")}
    # (a column's place, which no parameter binds: listed on request, saying so; round 103)
    assert [f[:4] for f in _found(files, "PF601")] == [("app.py", 3, "low", "the statement is built by string formatting from `kind` and run as SQL" + STRUCTURE)]


def test_money_matched_for_equality_against_a_given_float_is_not_money_math():
    files = _example("PF701", "negative", "return float(price) == predicted_price")
    assert _found(files, "PF701") == []
    # the same values added: money computed in binary floats
    files = {"app.py": files["app.py"].replace("float(price) == predicted_price", "float(price) + predicted_price > 0")}
    assert [f[:4] for f in _found(files, "PF701")] == [
        ("app.py", 3, "high", "parameter `predicted_price` holds money but is typed `float`"),
        ("app.py", 4, "high", "`float(price)` turns money into a binary float")]


def test_a_list_serializer_reads_only_what_it_lists_of_a_base_serializer_named_as_such_two_modules_up():
    assert _found(_example("NP103", "negative", 'class OfficeInvoiceListSerializer(OfficeInvoiceSerializer):\n    class Meta(OfficeInvoiceSerializer.Meta):\n        fields = ["id", "note"]\n'), "NP103") == []
    found = _found(_example("NP103", "positive", 'fields = ["id", "note", "client_name"]'), "NP103")
    assert found == [("billing/serializers.py", 13, "high",
                      "`obj.client` loads Invoice.client once per row in the loop at line 8: the queryset at office/views.py:8 has no "
                      "select_related(\"client\") (serialising each row reads `client_name = serializers.CharField(source=\"client.name\")`)",
                      "Add `.select_related(\"client\")` to the queryset at office/views.py:8.")]


def test_a_project_generic_viewset_of_another_module_lists_nothing_without_the_list_mixin():
    assert _found(_example("NP103", "negative", "class InvoiceViewSet(mixins.CreateModelMixin, CompatGenericViewSet)"), "NP103") == []
    found = _found(_example("NP103", "positive", "(mixins.CreateModelMixin, mixins.ListModelMixin, CompatGenericViewSet)"), "NP103")
    assert found == [("billing/serializers.py", 7, "high", *_client_read(9, "billing/views.py:9"))]


def test_a_list_view_whose_get_queryset_filters_on_the_primary_key_walks_at_most_one_row():
    files = _example("NP103", "positive", "return Invoice.objects.filter(id=self.request.user.invoice_id)")
    [(path, line, severity, message, _)] = _found(files, "NP103")
    assert (path, line, severity) == ("billing/serializers.py", 7, "low")
    assert message.endswith("; the loop walks at most one row (a query by primary key)")
    # the same list over every invoice keeps its severity
    files = {**files, "billing/views.py": files["billing/views.py"].replace("filter(id=self.request.user.invoice_id)", "filter(total__gt=0)")}
    assert [f[:3] for f in _found(files, "NP103")] == [("billing/serializers.py", 7, "high")]


def test_a_huey_task_called_in_a_loop_queues_a_job_per_call():
    files = _example("PF301", "negative", "@db_task()")
    assert _found(files, "PF301") == []
    # the same function undecorated runs its query on every call, with the same arguments
    files = {"app.py": files["app.py"].replace("@db_task()\n", "")}
    assert [f[:3] for f in _found(files, "PF301")] == [("app.py", 9, "medium")]


def test_a_connection_whose_cursor_a_factory_returns_is_the_callers():
    files = _example("PF501", "negative", "return conn.cursor()")
    assert _found(files, "PF501") == []
    # the same function handing out a row instead: nothing closes the connection; an SQLite file's goes when the
    # function returns (stop 60), so `low`, saying so
    files = {"app.py": files["app.py"].replace("return conn.cursor()", "return conn.cursor().fetchone()")}
    assert [f[:4] for f in _found(files, "PF501")] == [("app.py", 4, "low", "the connection `conn` from `sqlite3.connect(...)` is never closed in this "
                                                        "function; CPython closes it when this function drops its last reference, so it "
                                                        "stays open only until the function returns (longer on PyPy, or when a reference "
                                                        "cycle holds it)")]


def test_the_select_related_fix_stops_before_a_generic_foreign_key():
    files = _example("NP103", "positive", "return [str(d.reference.target) for d in Deployment.objects.all()]")
    found = _found(files, "NP103")
    assert [f[:3] for f in found] == [("billing/views.py", 6, "high")]
    assert found[0][4].startswith("Add `.select_related(\"reference\")` to the queryset at billing/views.py:6")


def test_a_memo_in_one_dict_of_a_dict_of_memos_queries_once_per_key():
    files = _example("NP101", "negative", "if event.client_id not in cache[event.kind]:")
    assert _found(files, "NP101") == []
    # stored elsewhere than the dict it looks in: no memo
    files = {**files, "billing/notify.py": files["billing/notify.py"].replace(
        "cache[event.kind][event.client_id] = Client", "cache[event.client_id] = Client")}
    assert [f[:3] for f in _found(files, "NP101")] == [("billing/notify.py", 8, "medium")]


def test_a_row_locked_for_its_own_work_is_low_saying_why():
    files = _example("NP101", "positive", "invoice = Invoice.objects.select_for_update().get(pk=draft.pk)")
    [(path, line, severity, message, _)] = _found(files, "NP101")
    assert (path, line, severity) == ("billing/summaries.py", 7, "low")
    assert message.endswith("; it locks each row with `select_for_update()` for the work on it, one at a time on purpose: loading "
                            "them all at once would hold every lock for the whole loop")
    files = {**files, "billing/summaries.py": files["billing/summaries.py"].replace(".select_for_update()", "")}
    assert [f[:3] for f in _found(files, "NP101")] == [("billing/summaries.py", 7, "high")]


def test_a_lookup_list_a_model_class_declares_is_the_querysets_eager_loading():
    assert _found(_example("NP103", "negative", "select_related(*Invoice.related_selects)"), "NP103") == []
    found = _found(_example("NP103", "positive", "select_related(*Invoice.plain_fields)"), "NP103")
    assert [f[:3] for f in found] == [("billing/models.py", 18, "high")]

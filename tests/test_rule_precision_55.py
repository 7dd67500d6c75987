"""Rounds 55 to 60 (issue 15): exact findings on each rule's own examples for the causes fixed after them."""

from rule_cases import found_by as _found, rule_example as _example

from mcp_server.analysis.scan import scan_sources


def test_related_ids_read_only_as_an_in_lookup_are_a_subquery_not_a_query_per_row():
    assert _found(_example("NP103", "negative", 'mine = board.cards.values_list("id", flat=True)'), "NP103") == []


def test_related_rows_asked_anew_get_their_own_eager_loading_whatever_the_outer_prefetch():
    files = _example("NP103", "positive", "unpaid = client.invoices.filter(total__gt=0)")
    found = _found(files, "NP103")
    assert [f[:3] for f in found] == [("billing/views.py", 7, "high"), ("billing/views.py", 9, "high")]
    assert found[1][3] == ("`inv.payments.all()` loads Invoice.payments once per row in the loop at line 8: the query that loop walks "
                           "(billing/views.py:8) runs anew for each outer row and has no prefetch_related(\"payments\")")
    assert found[1][4] == ("Add `.prefetch_related(\"payments\")` to the query the loop at line 8 walks (billing/views.py:8): it runs "
                           "anew for each outer row, so a prefetch on the outer queryset would not reach it.")


def test_checksums_and_parameters_typed_as_numbers_carry_no_sql():
    assert _found(_example("PF601", "negative", "zlib.crc32(series"), "PF601") == []
    found = _found(_example("PF601", "positive", "def numbered(cur, series: str | None = None)"), "PF601")
    assert [f[:4] for f in found] == [("app.py", 3, "high", "the statement is built by string formatting from `series` and run as SQL")]


def test_a_generator_called_as_a_statement_runs_none_of_its_body():
    files = _example("PF301", "negative", "tree.nodes(conn)")
    assert _found(files, "PF301") == []
    # the same generator iterated in the loop: its query runs on every iteration
    files = {"app.py": files["app.py"].replace("        tree.nodes(conn)", "        print(list(tree.nodes(conn)))")}
    assert [f[:3] for f in _found(files, "PF301")] == [("app.py", 11, "medium")]


def test_select_related_on_a_key_only_leaves_out_names_only_too_and_offers_no_patch():
    report = scan_sources(_example("NP103", "positive", 'Invoice.objects.only("total")'), select=["NP103"])
    [f] = report.findings
    assert (f.location.path, f.location.line, f.severity.value) == ("billing/views.py", 6, "high")
    assert f.suggestion == ("Add `.select_related(\"client\")` to the queryset at billing/views.py:5. The queryset's `.only(...)` "
                            "leaves `client` out: add \"client\" to it as well, since Django refuses to follow a deferred field "
                            "with select_related.")
    assert "call" not in (f.data or {}) and f.patch is None  # a patch would add select_related alone, which Django refuses


def test_a_migration_a_registry_decorator_keeps_writes_at_low():
    found = _found(_example("PF201", "positive", "@RegisterMigration(24, MIGRATIONS)"), "PF201")
    assert [f[:3] for f in found] == [("app.py", 6, "low")]
    assert found[0][3].endswith("; it runs once (a data migration, an upgrade step or a management command), so the per-row "
                                "cost is paid once per run")


def test_a_lookup_whose_model_the_loop_creates_rows_of_is_not_the_same_answer_each_time():
    files = _example("PF301", "negative", "def attach_opening_invoice(client, months)")
    assert _found(files, "PF301") == []
    # nor a query per item worth batching: it re-checks what an earlier iteration wrote
    [(path, line, severity, message, _)] = _found(files, "NP101")
    assert (path, line, severity) == ("billing/attach.py", 5, "low")
    assert message.endswith("; its arguments never change and the loop creates the rows it looks for, so it re-checks what an "
                            "earlier iteration wrote")
    # the same loop creating another model's rows: the lookup's answer cannot change, so hoisting it is right
    files = {**files, "billing/attach.py": files["billing/attach.py"].replace(
        'Invoice(client=client, status="opening", total=0).save()', 'print(month)')}
    assert [f[:3] for f in _found(files, "PF301")] == [("billing/attach.py", 5, "medium")]


def test_a_relation_filtered_on_values_of_each_row_is_not_offered_one_prefetch():
    found = _found(_example("NP103", "positive", "def large_invoice_counts(limits)"), "NP103")
    assert [f[:3] for f in found] == [("billing/views.py", 9, "high")]
    assert found[0][4].startswith("Its arguments change with each row (line 9), so no single `Prefetch` serves them all: fetch "
                                  "the Invoice rows of every Client in one query")


def test_a_plain_class_named_like_a_model_is_not_that_model():
    files = _example("NP104", "negative", "def typed_totals(self)")
    assert _found(files, "NP104") == []
    # the model itself, walked the same way: its relationship lazy-loads per row
    files = {**files, "books/domain.py": "from .models import Client\n\n\ndef typed_totals(client: Client):\n"
                                        "    return [(inv.invoice_type, inv.total) for inv in client.invoices]\n"}
    assert [f[:2] for f in _found(files, "NP104")] == [("books/domain.py", 5)]


def test_lines_a_function_rewrites_its_file_from_or_slices_are_not_a_stream_to_offer():
    files = _example("PF401", "negative", "def renumber_series(path, old, new)")
    assert _found(files, "PF401") == []
    # the same lines only walked once: reported (`low`: nothing says the file is large)
    walked = {"app.py": files["app.py"].replace('    with open(path, "w") as f:\n        for line in lines:\n            f.write(line.replace(old, new))',
                                                '    for line in lines:\n        print(line.replace(old, new))')}
    assert [f[:3] for f in _found(walked, "PF401")] == [("app.py", 4, "low")]


def test_save_per_row_where_the_project_declares_no_django_model_is_low_and_says_why():
    files = _example("PF201", "positive", "def cancel_plan(context, plan_id)")
    [(path, line, severity, message, _)] = _found(files, "PF201")
    assert (path, line, severity) == ("plans/api.py", 8, "low")
    assert message.endswith("; the project declares no Django model, so `save()` is its own objects' method (which may do more "
                            "than write the row) and Django's bulk API is not there: batch through the ORM it does use")


def test_a_decimal_from_a_float_that_holds_a_weight_is_low_and_says_so():
    files = _example("PF701", "positive", "initial_weight = Decimal(0.01)  # in kg")
    [(path, line, severity, message, _)] = _found(files, "PF701")
    assert (path, line, severity) == ("app.py", 6, "low")
    assert message.endswith("; it holds a weight, not money, so the error reaches only what is computed from it")
    # the same constant named as a fee: money, high
    fee = {"app.py": files["app.py"].replace("initial_weight = Decimal(0.01)  # in kg", "handling_fee = Decimal(0.01)")}
    assert [f[:3] for f in _found(fee, "PF701")] == [("app.py", 6, "high")]


def test_a_loop_below_the_return_of_a_cache_hit_runs_on_a_miss_and_is_low():
    files = _example("NP103", "positive", "def client_names(key)")
    [(path, line, severity, message, _)] = _found(files, "NP103")
    assert (path, line, severity) == ("billing/names.py", 10, "low")
    assert message.endswith("; the function first returns the answer it keeps in the cache (line 8), so this runs only when the "
                            "cache misses")
    # the cache only read beside the loop, its answer never returned first: kept
    beside = {**files, "billing/names.py": files["billing/names.py"].replace("    if names is not None:\n        return names\n", "")}
    assert [f[:3] for f in _found(beside, "NP103")] == [("billing/names.py", 8, "high")]

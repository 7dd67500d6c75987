"""Rounds 178 and after: each cause of a false, useless or incomplete finding judged on real applications, as an exact case."""

from rule_cases import found_by

_WHOLE_PATH = 'Add `.select_related("client__owner__user")` to the queryset at billing/{}.'


def test_a_related_row_printed_loads_what_its_str_reads():
    from mcp_server.rules import printed_examples as px

    # DRF's StringRelatedField: the client's __str__ prints its owner, whose __str__ prints its user
    [(path, line, severity, message, fix)] = found_by(px.NP103_PRINTED_FIELD, "NP103")
    assert (path, line, severity, fix) == ("billing/api.py", 8, "high", _WHOLE_PATH.format("api.py:17"))
    assert message.startswith("`obj.client.owner.user` loads Invoice.client.owner.user once per row in the loop at line 17")
    # the client joined: printing it still reads the owner and the owner's user
    [(path, line, severity, message, fix)] = found_by(px.NP103_PRINTED_FIELD_JOINED, "NP103")
    assert (path, line, severity, fix) == ("billing/api.py", 8, "high", _WHOLE_PATH.format("api.py:17"))
    assert message.endswith('(serialising each row reads `return f"{self.owner}/{self.name}"`)')
    assert found_by(px.NP103_PRINTED_FIELD_LOADED, "NP103") == []


def test_a_related_row_formatted_in_a_loop_loads_what_its_str_reads():
    from mcp_server.rules import printed_examples as px

    [(path, line, severity, message, fix)] = found_by(px.NP103_PRINTED_IN_LOOP, "NP103")
    assert (path, line, severity, fix) == ("billing/report.py", 10, "high", _WHOLE_PATH.format("report.py:9"))
    assert message.startswith("`invoice.client.owner.user` loads Invoice.client.owner.user once per row in the loop at line 9")
    assert message.endswith('(it runs inside `lines.append(f"{invoice.client}: {invoice.total}")`, which reads '
                            '`return f"{self.owner}/{self.name}"`)')
    [(path, line, severity, message, fix)] = found_by(px.NP103_STR_IN_LOOP, "NP103")
    assert (path, line, fix) == ("billing/report.py", 10, _WHOLE_PATH.format("report.py:9"))
    assert "it runs inside `lines.append(str(invoice.client))`" in message
    # not joined at all: one fix for the client and what printing it reads
    [(path, line, severity, message, fix)] = found_by(px.NP103_PRINTED_UNJOINED, "NP103")
    assert (path, line, severity, fix) == ("billing/report.py", 10, "high", _WHOLE_PATH.format("report.py:9"))
    assert message.startswith("`invoice.client` loads Invoice.client.owner.user once per row")
    assert found_by(px.NP103_COLUMN_IN_LOOP, "NP103") == []


def test_one_fix_names_only_the_deepest_lookups():
    from mcp_server.rules.printed_examples import NP103_READ_THEN_PRINTED

    # the client's column, then the client printed: `client__owner__user` loads the client too
    [(path, line, severity, message, fix)] = found_by(NP103_READ_THEN_PRINTED, "NP103")
    assert (path, line, severity, fix) == ("billing/report.py", 10, "high", _WHOLE_PATH.format("report.py:9"))
    assert message.endswith("the loop also loads `client.owner.user` once per row, which the same select_related() loads with it")


def test_a_count_of_the_relation_the_query_filters_on_is_prefetched_not_annotated():
    from mcp_server.rules.filtered_count_examples import NP103_COUNT_FILTERED_ELSEWHERE, NP103_COUNT_FILTERED_ON

    [(path, line, severity, message, fix)] = found_by(NP103_COUNT_FILTERED_ON, "NP103")
    assert (path, line, severity) == ("ihub/reports.py", 11, "medium")
    assert fix == ('Add `.prefetch_related("organizations")` to the queryset at ihub/reports.py:10: `entry.organizations.count()` '
                   'then counts the prefetched rows. Not `.annotate(Count("organizations"))`: the queryset filters on '
                   '`organizations`, so the count would see only the rows that filter matched.')
    [(path, line, severity, message, fix)] = found_by(NP103_COUNT_FILTERED_ELSEWHERE, "NP103")
    assert (path, line, severity) == ("ihub/reports.py", 11, "high")
    assert fix.startswith('Count in the queryset at ihub/reports.py:10: `.annotate(organizations_count=Count("organizations", '
                          'distinct=True))`')
    assert "where the rows are filtered on `organizations` itself, as the related rows of one Organization are, the count " \
           "would see only the matching rows: prefetch there" in fix


def test_code_after_a_return_is_not_reported():
    from mcp_server.rules.unreachable_examples import PF201_AFTER_RETURN, PF201_BEFORE_RETURN

    assert found_by(PF201_AFTER_RETURN, "PF201") == []
    [(path, line, severity, message, _fix)] = found_by(PF201_BEFORE_RETURN, "PF201")
    assert (path, line, severity) == ("permits/views.py", 11, "low")  # (a view's rows: not bulk code)
    assert message.startswith("`Compliance.objects.create()` writes one row per item of the loop at line 10")


def test_the_empty_generator_idiom_keeps_its_yield():
    import ast

    from mcp_server.analysis.unreachable import prune

    tree = prune(ast.parse("def rows():\n    return\n    yield\n\n\ndef f():\n    return 1\n    g()\n    yield from h()\n"))
    rows, f = tree.body
    assert [type(s).__name__ for s in rows.body] == ["Return", "Expr"]
    assert [type(s).__name__ for s in f.body] == ["Return", "Expr"] and isinstance(f.body[1].value, ast.YieldFrom)


def test_a_flask_sqlalchemy_model_of_the_applications_own_db_is_a_model():
    from mcp_server.rules.flask_models_examples import NP102_MODEL_METHOD_ONLY_TESTED, NP102_MODEL_METHOD_ROUTED

    [(path, line, severity, message, _fix)] = found_by(NP102_MODEL_METHOD_ONLY_TESTED, "NP102")
    assert (path, line, severity) == ("app/models.py", 19, "low")
    assert message.endswith("nothing in the project names `Entry.integrity_find_orphans()` but its definition, its tests and "
                            "imports (no call, schedule or setting), so it looks unused")
    [(path, line, severity, message, _fix)] = found_by(NP102_MODEL_METHOD_ROUTED, "NP102")
    assert (path, line, severity) == ("app/models.py", 19, "high")
    assert message.startswith("`return [e for e in Entry.query.all() if not e.ledger()]` runs for each row of the loop at line 19 "
                              "and reaches a query: it -> `Ledger.query.first` (app/models.py:15)")


def test_a_power_or_a_division_of_numbers_formatted_into_sql_is_a_number():
    from mcp_server.rules.subquery_examples import PF601_ARITHMETIC_BESIDE_TEXT, PF601_ARITHMETIC_NUMBER

    assert found_by({"tiles.py": PF601_ARITHMETIC_NUMBER}, "PF601") == []
    [(path, line, severity, message, _fix)] = found_by({"tiles.py": PF601_ARITHMETIC_BESIDE_TEXT}, "PF601")
    assert (path, line, severity) == ("tiles.py", 9, "high")
    assert message == "`sql` is built by string formatting from `layer` and run as SQL"


def test_a_wagtail_page_type_kept_to_one_and_its_children_as_a_subquery():
    from mcp_server.rules.wagtail_pages_examples import WAGTAIL_PAGES, WAGTAIL_PAGES_UNBOUNDED

    [(path, line, severity, message, _fix)] = found_by(WAGTAIL_PAGES, "NP103")
    assert (path, line, severity) == ("cms/views.py", 8, "low")
    assert message.endswith("; Notice declares `max_count = 1` (Wagtail creates at most 1 such page), so the loop walks at "
                            "most 1 row")
    [(path, line, severity, message, _fix)] = found_by(WAGTAIL_PAGES_UNBOUNDED, "NP103")
    assert (path, line, severity) == ("cms/views.py", 8, "high") and "max_count" not in message
    # one query per bulletin, the page's children a subquery of it: no second finding for `get_children()`
    [(path, line, severity, message, _fix)] = found_by(WAGTAIL_PAGES, "NP101")
    assert (path, line, severity, message) == ("cms/views.py", 14, "high",
                                               "`SubPage.objects.values_list` runs a query once per item of the loop at line 13")
    assert found_by(WAGTAIL_PAGES, "NP102") == []


def test_a_range_per_item_is_not_offered_an_in_list():
    from mcp_server.rules.range_query_examples import NP101_KEY_PER_ITEM, NP101_RANGE_PER_ITEM

    [(path, line, severity, message, fix)] = found_by(NP101_RANGE_PER_ITEM, "NP101")
    assert (path, line, severity) == ("bank/views.py", 13, "high")
    assert fix == ("Each item queries a range of its own (`booked_on__gte`, `booked_on__lte`), which no `__in` list replaces: "
                   "where the items' ranges overlap or lie close, load the rows of their union once before the loop (one "
                   "`filter()` between the lowest and the highest bound) and match each item in Python; otherwise keep one "
                   "query per item, with an index on the range's columns.")
    [(path, line, severity, message, fix)] = found_by(NP101_KEY_PER_ITEM, "NP101")
    assert (path, line, severity) == ("bank/views.py", 13, "high")
    assert fix.startswith("Load once before the loop: `Model.objects.in_bulk(keys)`")


def test_eager_loading_from_a_from_queryset_manager_and_a_named_prefetch():
    from mcp_server.rules.loaded_elsewhere_examples import LOADED_ELSEWHERE, LOADED_NOWHERE

    # (the package's Country is not the project's: `c.name` reads the one relation the country manager joins)
    assert found_by(LOADED_ELSEWHERE, "NP103") == []
    found = [(path, line, fix) for path, line, _severity, _message, fix in found_by(LOADED_NOWHERE, "NP103")]
    assert found == [("work/views.py", 9, 'Add `.select_related("reviewer")` to the queryset at work/managers.py:7.'),
                     ("work/views.py", 14, 'Add `.prefetch_related("references")` to the queryset at work/views.py:14.')]


def test_a_key_field_that_only_narrows_its_choices_writes_the_key():
    from mcp_server.rules.key_fields_examples import NP103_KEY_FIELD_NARROWED, NP103_KEY_FIELD_WRITTEN

    assert found_by(NP103_KEY_FIELD_NARROWED, "NP103") == []
    [(path, line, severity, message, fix)] = found_by(NP103_KEY_FIELD_WRITTEN, "NP103")
    assert (path, line, severity, fix) == ("books/api.py", 16, "high", 'Add `.select_related("owner")` to the queryset at books/api.py:25.')


def test_a_manager_method_returning_super_filter_returns_its_models_rows():
    from mcp_server.rules.manager_rows_examples import NP101_MANAGER_METHOD_ROWS

    # (a guard: the managers a model imports are read now, and what this one's method returns must stay a query's rows)
    [(path, line, severity, message, _fix)] = found_by(NP101_MANAGER_METHOD_ROWS, "NP101")
    assert (path, line, severity, message) == ("members/views.py", 10, "high",
                                               "`Function.objects.count` runs a query once per item of the loop at line 10")

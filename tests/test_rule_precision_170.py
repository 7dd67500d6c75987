"""Rounds 170 and after: each cause of a false or useless finding judged on real applications, as an exact case."""

from rule_cases import HANDED_ON_FLOAT, found_by

from mcp_server.analysis.table_sizes import WHOLE_WHY

_UNUSED = ("; nothing in the project names `Client.amount_owed` but its definition, its tests and imports (no call, schedule "
           "or setting), so it looks unused")


def test_a_property_another_template_engine_reads_is_used():
    from mcp_server.rules.own_object_examples import NP103_OTHER_ENGINE_READ_KEPT

    for files in NP103_OTHER_ENGINE_READ_KEPT:
        [(path, line, severity, message, _fix)] = found_by(files, "NP103")
        assert (path, line, severity) == ("ledger/models.py", 23, "low"), files  # (low: one client's bills)
        assert message.endswith("the loop walks related rows of one object, often a handful, so it matters when that object has many")


def test_a_word_in_a_templates_markup_or_text_calls_nothing():
    from mcp_server.rules.own_object_examples import NP103_TEMPLATE_TEXT_LOWERED

    [(path, line, severity, message, _fix)] = found_by(NP103_TEMPLATE_TEXT_LOWERED, "NP103")
    assert (path, line, severity) == ("ledger/models.py", 23, "low")
    assert message.endswith(_UNUSED)


def test_a_key_made_from_every_part_of_an_unpacked_item_is_one_per_item():
    from mcp_server.rules.walked_keys_examples import PF301_PERIOD_OF_ONE_PART, PF301_PERIOD_OF_WHOLE_ITEM

    assert found_by(PF301_PERIOD_OF_WHOLE_ITEM, "PF301") == []
    [(path, line, severity, message, _fix)] = found_by(PF301_PERIOD_OF_ONE_PART, "PF301")
    assert (path, line, severity) == ("billing/views.py", 21, "medium")
    assert message.startswith("`invoiced_in()` looks up by `period` on every iteration of the loop at line 19")


def test_a_function_another_module_defines_and_calls_as_its_own_looks_unused():
    from mcp_server.rules.own_object_examples import NP103_TWIN_FUNCTION_CALLED_KEPT, NP103_TWIN_FUNCTION_LOWERED, NP103_TWIN_IMPORTING_KEPT

    found = found_by(NP103_TWIN_FUNCTION_LOWERED, "NP103")
    [(line, severity, message)] = [(line, severity, message) for path, line, severity, message, _fix in found if path == "ledger/exports.py"]
    assert (line, severity) == (5, "low")
    assert message.endswith("nothing in the project names `line_labels()` but its definition and imports (no call, schedule or "
                            "setting), so it looks unused")
    for kept in (NP103_TWIN_FUNCTION_CALLED_KEPT, *NP103_TWIN_IMPORTING_KEPT):
        found = found_by(kept, "NP103")
        [(line, severity, message)] = [(line, severity, message) for path, line, severity, message, _fix in found if path == "ledger/exports.py"]
        assert (line, severity) == (5, "high") and "looks unused" not in message


def test_one_amounts_share_of_another_is_no_money():
    from mcp_server.rules.money_examples import PF701_AMOUNT_PER_ITEM, PF701_SHARE_OF_AMOUNTS

    assert found_by({"app.py": PF701_SHARE_OF_AMOUNTS}, "PF701") == []
    [(path, line, severity, message, _fix)] = found_by({"app.py": PF701_AMOUNT_PER_ITEM}, "PF701")
    assert (path, line, severity, message) == ("app.py", 15, "low", "`float(plan['total'])` turns money into a binary float" + HANDED_ON_FLOAT)


def test_what_follows_an_early_return_for_one_string_runs_only_for_the_others():
    from mcp_server.rules.chosen_level_examples import NP103_RAW_FORMAT_PASSED, NP103_RENDERED_FORMAT

    assert found_by(NP103_RAW_FORMAT_PASSED, "NP103") == []
    [(path, line, severity, message, _fix)] = found_by(NP103_RENDERED_FORMAT, "NP103")
    assert (path, line, severity) == ("lab/jobs.py", 6, "high")
    assert message.startswith("`device.device_type` loads Device.device_type once per row in the loop at line 6: the queryset at "
                              "lab/jobs.py:6 has no select_related(\"device_type\")")


def test_an_amount_written_to_a_spreadsheet_cell_is_output():
    from mcp_server.rules.money_output_examples import PF701_SHEET_CELL_LOWERED, PF701_SHEET_SUM_KEPT

    [(path, line, severity, message, _fix)] = found_by({"app.py": PF701_SHEET_CELL_LOWERED}, "PF701")
    assert (path, line, severity) == ("app.py", 18, "low")
    assert message.startswith("`float(collection.amount_received)` turns money into a binary float only to hand it out")
    [(path, line, severity, message, _fix)] = found_by({"app.py": PF701_SHEET_SUM_KEPT}, "PF701")
    assert (path, line, severity, message) == ("app.py", 18, "high", "`float(collection.amount_received)` turns money into a binary float")


def test_a_django_system_check_runs_as_a_command_starts():
    from mcp_server.rules.system_check_examples import NP103_OWN_REGISTER_KEPT, NP103_SYSTEM_CHECK_LOWERED

    [(path, line, severity, message, _fix)] = found_by(NP103_SYSTEM_CHECK_LOWERED, "NP103")
    assert (path, line, severity) == ("billing/checks.py", 9, "low")
    assert message.endswith("; it runs only from a Django system check (`@register`), which runs as a management command starts "
                            "(`check --deploy` alone, with `deploy=True`), so the per-item cost is paid once")
    [(path, line, severity, message, _fix)] = found_by(NP103_OWN_REGISTER_KEPT, "NP103")
    assert (path, line, severity) == ("billing/checks.py", 9, "high") and "system check" not in message


def test_python_2s_xrange_bounds_a_retry_loop_as_range_does():
    from mcp_server.rules.walked_keys_examples import PF301_ATTEMPTS_XRANGE

    assert found_by(PF301_ATTEMPTS_XRANGE, "PF301") == []


def test_rows_walked_twice_are_kept_in_a_list_on_purpose():
    from mcp_server.rules.whole_loads_examples import PF401_NAME_REUSED, PF401_POSITIVE, PF401_WALKED_TWICE

    assert found_by({"app.py": PF401_WALKED_TWICE}, "PF401") == []
    once = next(e for e in PF401_POSITIVE if isinstance(e, str) and "def post_all(conn):" in e)
    [(path, line, severity, message, _fix)] = found_by({"app.py": once}, "PF401")
    assert (path, line, message) == ("app.py", 3, "`fetchall()` loads every row of a query with no LIMIT into memory, then the loop walks "
                                     "the list" + WHOLE_WHY.format(what="`transactions`", table="`transactions`"))
    assert [(path, line) for path, line, *_ in found_by({"app.py": PF401_NAME_REUSED}, "PF401")] == [("app.py", 3), ("app.py", 6)]


def test_an_advisory_lock_per_item_is_no_lookup_to_batch():
    from mcp_server.rules.per_object_examples import NP101_PER_OBJECT_NEGATIVE, NP102_ADVISORY_LOCK, NP102_LOCK_ROW_LOOKUP

    assert found_by(NP102_ADVISORY_LOCK, "NP102") == []
    assert found_by({"app.py": NP101_PER_OBJECT_NEGATIVE[-1]}, "NP101") == []
    [(path, line, severity, message, _fix)] = found_by(NP102_LOCK_ROW_LOOKUP, "NP102")
    assert (path, line, severity) == ("jobs/scheduler.py", 7, "medium")
    assert message.startswith("`try_lock()` is called once per item of the loop at line 6 and reaches a query")


def test_a_call_named_for_a_change_is_not_hoisted_in_snake_or_camel_case():
    from mcp_server.rules.walked_keys_examples import PF301_CHANGING_CALLS, PF301_COUNTING_CALL

    for files in PF301_CHANGING_CALLS:
        assert found_by(files, "PF301") == [], files
    [(path, line, severity, message, _fix)] = found_by(PF301_COUNTING_CALL, "PF301")
    assert (path, line, severity) == ("jobs.py", 12, "medium")
    assert message.startswith("`count_interventions()` is called with the same arguments on every iteration of the loop at line 11")

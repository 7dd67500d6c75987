"""Rounds 174 and after: each cause of a false or useless finding judged on real applications, as an exact case."""

from rule_cases import found_by


def test_a_relation_to_a_polymorphic_model_is_prefetched_not_joined():
    from mcp_server.rules.polymorphic_examples import NP103_PLAIN_JOINED, NP103_POLYMORPHIC_LOADED, NP103_POLYMORPHIC_PREFETCHED

    [plain, polymorphic] = found_by(NP103_POLYMORPHIC_PREFETCHED, "NP103")
    assert plain[:3] == ("shipping/api.py", 8, "high")
    assert plain[4] == 'Add `.select_related("client")` to the queryset at shipping/api.py:18.'
    assert polymorphic[:3] == ("shipping/api.py", 9, "high")
    assert polymorphic[3].endswith('has no prefetch_related("item__product") (serialising each row reads `product = '
                                   'serializers.CharField(source="item.product.description", read_only=True)`)')
    assert polymorphic[4].startswith('Add `.prefetch_related("item__product")` to the queryset at shipping/api.py:18. Not '
                                     '`select_related`: OrderItem is a django-polymorphic model')
    [(path, line, severity, message, fix)] = found_by(NP103_PLAIN_JOINED, "NP103")
    assert (path, line, severity, fix) == ("shipping/api.py", 8, "high", 'Add `.select_related("client", "item__product")` to the queryset at shipping/api.py:18.')
    assert found_by(NP103_POLYMORPHIC_LOADED, "NP103") == []


def test_a_subquery_formatted_into_an_in_list_is_sql_text_not_a_value():
    from mcp_server.rules.subquery_examples import PF601_SCHEMA_SUBQUERY, PF601_VALUE_IN_SUBQUERY

    assert found_by({"billing/lines.py": PF601_SCHEMA_SUBQUERY}, "PF601") == []
    [(path, line, severity, message, _fix)] = found_by({"billing/lines.py": PF601_VALUE_IN_SUBQUERY}, "PF601")
    assert (path, line, severity) == ("billing/lines.py", 13, "high")
    assert message == "the statement is built by string formatting from `tenant.schema`, `invoice_number` and run as SQL"


def test_a_module_importing_the_name_from_another_definer_calls_that_one():
    from mcp_server.rules.own_object_examples import NP103_TWIN_IMPORTED_KEPT, NP103_TWIN_IMPORTED_LOWERED

    def exports(files):
        return [(line, severity, message) for path, line, severity, message, _fix in found_by(files, "NP103") if path == "ledger/exports.py"]

    [(line, severity, message)] = exports(NP103_TWIN_IMPORTED_LOWERED)
    assert (line, severity) == (5, "low")
    assert message.endswith("nothing in the project names `line_labels()` but its definition and imports (no call, schedule or "
                            "setting), so it looks unused")
    [(line, severity, message)] = exports(NP103_TWIN_IMPORTED_KEPT)
    assert (line, severity) == (5, "high") and "looks unused" not in message


def test_a_safe_name_lower_cased_stays_safe():
    from mcp_server.rules.subquery_examples import PF601_CASED_CALLER_VALUE, PF601_CASED_MODEL_NAMES

    assert found_by({"billing/ids.py": PF601_CASED_MODEL_NAMES}, "PF601") == []
    [(path, line, severity, message, _fix)] = found_by({"billing/ids.py": PF601_CASED_CALLER_VALUE}, "PF601")
    assert (path, line, severity) == ("billing/ids.py", 7, "high")
    assert message == "the statement is built by string formatting from `name.lower()` and run as SQL"


def test_a_file_read_or_a_server_connection_dropped_as_the_function_returns_is_low():
    from mcp_server.rules import dropped_examples as dx

    freed = ("; CPython closes it when this function drops its last reference, so it stays open only until the function "
             "returns (longer on PyPy, or when a reference cycle holds it)")
    [(path, line, severity, message, _fix)] = found_by({"app.py": dx.PF501_FILE_READ_DROPPED}, "PF501")
    assert (path, line, severity, message) == ("app.py", 6, "low", "the file `source` from `open(...)` is never closed in this function" + freed)
    [(path, line, severity, message, _fix)] = found_by({"app.py": dx.PF501_SERVER_CONNECTION_DROPPED}, "PF501")
    assert (line, severity, message) == (6, "low", "the connection `conn` from `MySQLdb.connect(...)` is never closed in this function" + freed)
    for kept, name in ((dx.PF501_FILE_READ_IN_GENERATOR, "source"), (dx.PF501_FILE_WRITTEN_KEPT, "out")):
        [(path, line, severity, message, _fix)] = found_by({"app.py": kept}, "PF501")
        assert (line, severity, message) == (6, "medium", f"the file `{name}` from `open(...)` is never closed in this function")


def test_a_scripts_main_block_and_what_only_it_calls_run_by_hand():
    from mcp_server.rules.background_examples import NP101_MAIN_BLOCK_LOWERED, NP102_MAIN_BLOCK_HELPER_KEPT

    block = ("; it runs in a script's `if __name__ == \"__main__\":` block, which a person or a schedule starts, not a request: it "
             "matters when the command runs often over a large table (`table_rows` with the table's size raises it)")
    [(path, line, severity, message, _fix)] = found_by(NP101_MAIN_BLOCK_LOWERED, "NP101")
    assert (path, line, severity) == ("payables/tallies.py", 15, "low") and message.endswith(block)
    [(path, line, severity, message, _fix)] = found_by(NP101_MAIN_BLOCK_LOWERED, "NP102")
    assert (path, line, severity) == ("payables/tallies.py", 10, "low")
    assert "it runs in code that only a script's `if __name__ == \"__main__\":` block (`tallies`) reaches" in message
    [(path, line, severity, message, _fix)] = found_by(NP102_MAIN_BLOCK_HELPER_KEPT, "NP102")  # a view calls it too
    assert (path, line, severity) == ("payables/tallies.py", 10, "high") and "__main__" not in message


def test_schema_upgrades_alembic_data_fixes_and_test_data_generators_run_once():
    from mcp_server.rules.one_off_examples import ONE_OFF_NEGATIVE, ONE_OFF_POSITIVE
    from rule_cases import example

    for marker in ("def upgrade_tax_codes", "def fix_rates", "def make_clients", "def make_invoices"):
        assert found_by(example(ONE_OFF_NEGATIVE, marker), "NP101") == [], marker
    [(path, line, severity, _message, _fix)] = found_by(example(ONE_OFF_POSITIVE, "def migrated_page"), "NP101")
    assert (path, line, severity) == ("billing/migrated_clients.py", 5, "high")
    [(path, line, severity, _message, _fix)] = found_by(example(ONE_OFF_POSITIVE, "def issue_reports"), "NP101")
    assert (path, line, severity) == ("billing/report_generator.py", 5, "high")


def test_a_command_line_librarys_coroutine_runs_alone_and_a_bots_does_not():
    from mcp_server.rules.run_alone_examples import PF801_BOT_COMMAND_KEPT, PF801_CLI_COMMAND_ALONE

    alone = ("; but this coroutine runs alone on the event loop asyncclick's command runner starts, awaited one step at a "
             "time with no task or gathered coroutine beside it, so the wait holds up nothing else")
    found = found_by(PF801_CLI_COMMAND_ALONE, "PF801")
    assert [(path, line, severity) for path, line, severity, _m, _f in found] == [("admin/manage.py", 9, "low"), ("admin/manage.py", 14, "low")]
    assert all(message.endswith(alone) for _p, _l, _s, message, _f in found)
    [(path, line, severity, message, _fix)] = found_by(PF801_BOT_COMMAND_KEPT, "PF801")
    assert (path, line, severity, message) == ("admin/bot.py", 9, "high", "blocking call inside `async def regrade`: `subprocess.call` "
                                                "blocks the event loop; use `asyncio.create_subprocess_exec`")


def test_a_method_only_an_uncalled_method_calls_looks_unused():
    from mcp_server.rules.own_object_examples import NP103_CALLED_BY_UNUSED_METHOD_LOWERED, NP103_CALLED_BY_USED_METHOD_KEPT

    [(path, line, severity, message, _fix)] = found_by(NP103_CALLED_BY_UNUSED_METHOD_LOWERED, "NP103")
    assert (path, line, severity) == ("ledger/models.py", 23, "low")
    assert message.endswith("; only `owed_report()` of its own cycle calls `Client.amount_owed()`, and nothing in the project "
                            "names them but their definitions, their tests and imports (no call, schedule or setting), so they "
                            "look unused")
    [(path, line, severity, message, _fix)] = found_by(NP103_CALLED_BY_USED_METHOD_KEPT, "NP103")
    assert (path, line) == ("ledger/models.py", 23) and "look unused" not in message


def test_sqlalchemy_13_path_loaders_and_a_parent_of_the_same_key():
    from mcp_server.rules import joined_parent_examples as jx

    for loaded in (*jx.NP104_PATH_LOADER_NEGATIVE, jx.tax_app(jx.BY_SAME_KEY.format(path="client"))):
        assert found_by(loaded, "NP104") == []
    [(path, line, severity, message, _fix)] = found_by(jx.NP104_PATH_LOADER_POSITIVE[0], "NP104")
    assert (path, line, severity) == ("books/report.py", 9, "high")
    assert message.endswith("has no `selectinload(TaxRate.lines).joinedload(TaxLine.client)`")
    [(path, line, severity, message, _fix)] = found_by(jx.tax_app(jx.BY_SAME_KEY.format(path="tax_rate")), "NP104")
    assert (path, line, severity) == ("books/report.py", 7, "high") and message.startswith("`line.tax_rate.name` is lazy-loaded")


def test_a_commit_per_pass_that_releases_the_rows_lock_is_on_purpose():
    from mcp_server.rules.commits_examples import PF202_COMMIT_RELEASES_LOCK, PF202_COMMIT_WITHOUT_LOCK

    assert found_by({"billing/numbering.py": PF202_COMMIT_RELEASES_LOCK}, "PF202") == []
    [(path, line, severity, message, _fix)] = found_by({"billing/numbering.py": PF202_COMMIT_WITHOUT_LOCK}, "PF202")
    assert (path, line, severity) == ("billing/numbering.py", 6, "medium")
    assert message == "`session.commit()` on every iteration of the loop at line 3: one transaction (and one disk sync) per row"


def test_a_short_named_caller_and_an_object_handed_to_a_library_keep_their_methods_used():
    from mcp_server.rules.own_object_examples import NP103_SHORT_NAMED_CALLER_KEPT, NP105_HANDED_OBJECT_KEPT

    [(path, line, _severity, message, _fix)] = found_by(NP103_SHORT_NAMED_CALLER_KEPT, "NP103")
    assert (path, line) == ("ledger/models.py", 23) and "unused" not in message
    [(path, line, severity, message, _fix)] = found_by(NP105_HANDED_OBJECT_KEPT, "NP105")
    assert (path, line, severity) == ("payables/bank.py", 12, "high") and "unused" not in message

"""Rounds 199 to 204: each cause of a false finding judged on real applications, as an exact case, with its counterpart
that stays reported."""

from rule_cases import HANDED_ON_FLOAT, found_by, swapped


def test_an_engine_made_behind_is_connected_is_made_once():
    from mcp_server.rules import kept_once_examples as kx

    assert found_by(kx.PF502_CONNECTED_ONCE, "PF502") == []
    # the attribute asked directly, as `if not self._engine:`, is the same guard
    assert found_by(swapped(kx.PF502_CONNECTED_ONCE, "if not self.is_connected() or", "if not self._engine or"), "PF502") == []
    [(path, line, severity, message, _fix)] = found_by(kx.PF502_CONNECTED_EVERY_TIME, "PF502")
    assert (path, line, severity) == ("ledger/service.py", 36, "high")
    assert message == ("`count_rows()` opens a new database connection (count_rows -> session -> connect -> "
                       "`sqlalchemy.ext.asyncio.create_async_engine` (ledger/service.py:16)) and is called on every iteration of "
                       "the loop at line 35")
    # a predicate that answers something else is no guard of the engine
    other = swapped(kx.PF502_CONNECTED_ONCE, "        return self._engine is not None\n", "        return self._sessions is not None and False\n")
    assert [(line, severity) for _p, line, severity, _m, _f in found_by(other, "PF502")] == [(37, "high")]


def test_a_queryset_method_on_a_bound_query_keeps_its_eager_loading():
    from mcp_server.rules import kept_once_examples as kx

    assert found_by(kx.NP103_QUERYSET_METHOD_KEEPS_LOADS, "NP103") == []
    # `return self.annotate(...)` spelled in one line too
    one_line = swapped(kx.NP103_QUERYSET_METHOD_KEEPS_LOADS, "        self = self.annotate(paid=Sum(\"payments__amount\"))\n        return self\n",
                       "        return self.annotate(paid=Sum(\"payments__amount\"))\n")
    assert found_by(one_line, "NP103") == []
    assert [(p, line, sev, msg) for p, line, sev, msg, _f in found_by(kx.NP103_QUERYSET_METHOD_NOTHING_LOADED, "NP103")] == [
        ("billing/views.py", 10, "high", "`invoice.client.name` loads Invoice.client once per row in the loop at line 10: the queryset "
                                         "at billing/views.py:10 has no select_related(\"client\")")]


def test_a_view_behind_a_decorator_that_only_wraps_is_unused_when_nothing_routes_it():
    from mcp_server.rules import kept_once_examples as kx

    query = "`Invoice.objects.count` runs a query once per item of the loop at line {}"
    assert [(p, line, sev, msg) for p, line, sev, msg, _f in found_by(kx.NP101_WRAPPED_VIEW_UNROUTED, "NP101")] == [
        ("terminal/views.py", 9, "high", query.format(9)),
        ("terminal/views.py", 14, "low", query.format(14) + "; nothing in the project names `old_open_counts()` but its definition "
                                                            "and imports (no call, schedule or setting), so it looks unused")]
    # a decorator that keeps the view it is given may register it: both stay listed
    assert [(line, sev) for _p, line, sev, _m, _f in found_by(kx.NP101_REGISTERED_VIEW, "NP101")] == [(9, "high"), (14, "high")]


def test_a_many_to_one_back_to_the_object_whose_collection_the_loop_walks_is_in_the_session():
    from mcp_server.rules import kept_once_examples as kx

    lazy = ("`invoice.payments` is lazy-loaded once per Invoice in the loop at line 8: the statement at books/report.py:8 has no "
            "`selectinload(Invoice.payments)`")
    assert [(p, line, sev, msg) for p, line, sev, msg, _f in found_by(kx.NP104_PARENT_IN_SESSION, "NP104")] == [
        ("books/report.py", 9, "high", lazy)]
    # two foreign keys to the invoice table: `payment.invoice` may be the refunded one
    assert [(line, sev) for _p, line, sev, _m, _f in found_by(kx.NP104_TWO_KEYS_TO_PARENT, "NP104")] == [(9, "high"), (10, "high")]


def test_a_write_on_a_miss_of_the_dict_the_loop_fills_runs_once_per_key():
    from mcp_server.rules import kept_once_examples as kx

    for files in kx.PF201_WRITTEN_ON_A_MISS:
        assert found_by(files, "PF201") == []
        assert found_by(files, "NP101") == []
    assert [(p, line, sev, msg) for p, line, sev, msg, _f in found_by(kx.PF201_WRITTEN_PER_ROW, "PF201")] == [
        ("billing/imports.py", 11, "high", "`Domain.objects.get_or_create()` writes one row per item of the loop at line 9")]
    # a handler of another error fills nothing on a miss
    other = swapped(kx.PF201_WRITTEN_ON_A_MISS[0], "except KeyError:", "except ValueError:")
    assert [(line, sev) for _p, line, sev, _m, _f in found_by(other, "PF201")] == [(14, "high")]


def test_a_function_its_comment_calls_unused_is_low():
    from mcp_server.rules import kept_once_examples as kx

    query = "`Invoice.objects.count` runs a query once per item of the loop at line 6"
    assert [(p, line, sev, msg) for p, line, sev, msg, _f in found_by(kx.NP101_SAID_UNUSED, "NP101")] == [
        ("billing/reports.py", 6, "low", query + "; `client_counts()` says it is deprecated (its docstring, a comment above it, or a "
                                                 "warning to its callers), kept for old callers")]
    assert [(line, sev) for _p, line, sev, _m, _f in found_by(kx.NP101_SAID_USED, "NP101")] == [(6, "high")]


def test_a_list_that_pages_its_rows_is_reported_once():
    from mcp_server.rules import kept_once_examples as kx

    serializes = ("`ClientSerializer` serializes each item of the loop at line {} and reaches a query: ClientSerializer -> "
                  "get_open_invoices -> `Invoice.objects.count` (billing/serializers.py:14)")
    assert [(p, line, sev, msg) for p, line, sev, msg, _f in found_by(kx.NP102_PAGED_AND_FALLBACK, "NP102")] == [
        ("billing/api.py", 13, "high", serializes.format(13))]
    # the second loop serialises rows no paginator was handed: its own finding
    assert [(line, sev) for _p, line, sev, _m, _f in found_by(kx.NP102_TWO_LISTS, "NP102")] == [(13, "high"), (15, "high")]


def test_a_cache_filled_as_its_module_is_imported_is_paid_once():
    from mcp_server.rules import kept_once_examples as kx

    once = "; it runs only from the top level of `bot/bans.py`, once as the module is imported, so {} paid once"
    assert [(p, line, sev, msg) for p, line, sev, msg, _f in found_by(kx.NP101_LOADED_AT_IMPORT, "NP101")] == [
        ("bot/bans.py", 12, "low", "`SESSION.query` runs a query once per item of the loop at line 11" + once.format("the per-item cost is"))]
    assert [(p, line, sev, msg) for p, line, sev, msg, _f in found_by(kx.NP101_LOADED_AT_IMPORT, "PF401")] == [
        ("bot/bans.py", 10, "low", "the loop iterates an unfiltered query's `.all()`: every row is loaded and kept before the first "
                                   "iteration" + once.format("its cost is"))]
    # reloaded on a command, or a script's top level nothing imports: the cost is paid on each run
    for files in (kx.NP101_RELOADED_ON_COMMAND, kx.NP101_SCRIPT_TOP_LEVEL):
        assert [(line, sev) for _p, line, sev, _m, _f in found_by(files, "NP101")] == [(12, "high")]
        assert [(line, sev) for _p, line, sev, _m, _f in found_by(files, "PF401")] == [(10, "low")]  # unsized (whole_tables.py)
        assert [(line, sev) for _p, line, sev, _m, _f in found_by(files, "PF401", {"ban": 20_000})] == [(10, "medium")]
    # a call under `if __name__ == "__main__":` runs the module as a script (`low` as a command's, not as a start-up's)
    guarded = swapped(kx.NP101_LOADED_AT_IMPORT, "\n_load_bans()\n", "\nif __name__ == \"__main__\":\n    _load_bans()\n")
    [(_p, line, sev, message, _f)] = found_by(guarded, "NP101")
    assert (line, sev) == (12, "low") and "imported" not in message and "a script's `if __name__ == \"__main__\":` block" in message


def test_a_lookup_reached_by_the_models_own_key_is_loaded_once_per_row_of_the_lookup():
    from mcp_server.rules import held_rows_examples as hx

    assert [(p, line, sev, msg) for p, line, sev, msg, _f in found_by(hx.NP104_LOOKUP_BY_OWN_KEY, "NP104")] == [
        ("purchasing/users.py", 5, "low", "`u.role.name` is lazy-loaded in the loop at line 5 (the statement at purchasing/users.py:5 has "
                                          "no `joinedload(User.role)`), once per distinct Role, not once per User: Role is a lookup table "
                                          "by its name, which an administrator keeps to a handful, and a many-to-one lazy load takes its "
                                          "row from the session's identity map before it queries")]
    [(_p, line, sev, message, _f)] = found_by(hx.NP104_PARENT_BY_OWN_KEY, "NP104")
    assert (line, sev) == (5, "high") and "once per distinct Manager not already in the session" in message
    # named like a lookup, but keyed to a contract: a row per contract and stage, not a handful
    [(_p, line, sev, message, _f)] = found_by(hx.NP104_ROW_PER_CONTRACT, "NP104")
    assert (line, sev) == (5, "high") and "once per distinct ContractStage not already in the session" in message


def test_rows_of_a_list_the_function_holds_come_from_the_identity_map():
    from mcp_server.rules import held_rows_examples as hx

    [(path, line, sev, message, _f)] = found_by(hx.NP104_HELD_QUESTIONS, "NP104")
    assert (path, line, sev) == ("course/assign.py", 12, "low")
    assert message.endswith("; the Question rows that `loaded` (loaded at line 5) loaded stay in the session's identity map while that "
                            "name holds them, and a many-to-one lazy load takes its row from there before it queries, so it queries "
                            "only for a Question that statement did not load")
    assert [(line, sev) for _p, line, sev, _m, _f in found_by(hx.NP104_HELD_OTHER_ROWS, "NP104")] == [(12, "medium")]


def test_a_template_loop_in_a_cached_fragment_runs_on_a_miss():
    from mcp_server.rules import held_rows_examples as hx

    loads = ("`item.feed.website` loads FeedItem.feed once per row in the loop at line {}: the queryset at planet/views.py:7 has no "
             "select_related(\"feed\")")
    assert [(p, line, sev, msg) for p, line, sev, msg, _f in found_by(hx.NP107_IN_CACHED_FRAGMENT, "NP107")] == [
        ("planet/templates/planet/index.html", 5, "low", loads.format(4) + "; the template caches this part (`{% cache 62 "
         "planet-page-left %}`, lines 2 to 8), so these queries run on a cache miss, once per key and timeout")]
    assert [(p, line, sev, msg) for p, line, sev, msg, _f in found_by(hx.NP107_OUTSIDE_FRAGMENT, "NP107")] == [
        ("planet/templates/planet/index.html", 4, "high", loads.format(3))]


def test_a_float_of_a_count_is_no_money():
    from mcp_server.rules import held_rows_examples as hx

    assert found_by(hx.PF701_COUNTED_TOTAL, "PF701") == []
    assert [(p, line, sev, msg) for p, line, sev, msg, _f in found_by(hx.PF701_SUMMED_TOTAL, "PF701")] == [
        ("grades/reports.py", 11, "low", "`float(total)` turns money into a binary float" + HANDED_ON_FLOAT)]


def test_a_module_its_docstring_calls_unused_is_not_reported():
    from mcp_server.rules import held_rows_examples as hx

    assert found_by(hx.PF201_ARCHIVED_MODULE, "PF201") == []
    assert [(p, line) for p, line, _s, _m, _f in found_by(hx.PF201_LIVE_MODULE, "PF201")] == [("clients/legacy.py", 10)]


def test_a_share_of_two_amounts_is_no_money_and_an_average_amount_is():
    from mcp_server.rules import held_rows_examples as hx

    assert found_by(hx.PF701_VIREMENT_SHARE, "PF701") == []
    assert [(p, line, sev, msg) for p, line, sev, msg, _f in found_by(hx.PF701_AMOUNT_PER_INVOICE, "PF701")] == [
        ("budget/shares.py", 9, "low", "`float(moved_amount)` turns money into a binary float" + HANDED_ON_FLOAT)]
    # the percentage in brackets, scaled after the division
    bracketed = swapped(hx.PF701_VIREMENT_SHARE, "100 * float(moved_amount) / float(voted_amount)",
                        "(float(moved_amount) / float(voted_amount)) * 100")
    assert found_by(bracketed, "PF701") == []


def test_an_openapi_document_beside_the_module_it_routes_to_is_read():
    from mcp_server.rules import openapi_examples as ox

    # (the document's stand-in took the module's name, and the scan failed with a KeyError)
    assert [(p, line, sev) for p, line, sev, _m, _f in found_by(ox.NP101_SPEC_BESIDE_ITS_MODULE, "NP101")] == [
        ("billing/handlers.py", 9, "high")]


def test_a_global_cache_refreshed_only_on_request_is_no_call_per_request():
    from mcp_server.rules import cache_refresh_examples as cx

    assert found_by(cx.PF801_KEYS_KEPT, "PF801") == []
    [(path, line, sev, message, _f)] = found_by(cx.PF801_KEYS_FETCHED_EACH_TIME, "PF801")
    assert (path, line, sev) == ("erp/auth.py", 14, "high")
    assert message.startswith("`async def current_user` calls the synchronous `signing_keys()`, which reaches a remote call")


def test_format_without_a_field_puts_no_argument_in_the_sql():
    from mcp_server.rules.sql_formatting_examples import _CHROM

    assert found_by({"app.py": _CHROM.format(field="%s")}, "PF601") == []
    assert [(p, line, sev, msg) for p, line, sev, msg, _f in found_by({"app.py": _CHROM.format(field="'{}'")}, "PF601")] == [
        ("app.py", 3, "high", "the statement is built by string formatting from `chrom` and run as SQL")]


def test_a_route_parameter_its_converter_makes_a_number_is_safe_in_sql():
    from mcp_server.rules.sql_formatting_examples import _ROUTED_DELETE

    assert found_by({"app.py": _ROUTED_DELETE.format(part="<int:tag_id>")}, "PF601") == []
    assert found_by({"app.py": _ROUTED_DELETE.format(part="/<uuid:tag_id>")}, "PF601") == []
    assert [(p, line, sev, msg) for p, line, sev, msg, _f in found_by({"app.py": _ROUTED_DELETE.format(part="<tag_id>")}, "PF601")] == [
        ("app.py", 12, "high", "the statement is built by string formatting from `tag_id` and run as SQL")]

"""Rounds 331 to 338 (issue 15, stop 80): each cause fixed this stop, with the twin that keeps its finding."""

from rule_cases import found_by as _found_by

from mcp_server.rules import memos_and_view_rows_examples as mv
from mcp_server.rules import served_apps_and_connections_examples as sc


def found_by(example, rule):
    """What `rule` finds on a rule example: a module's source (scanned as app.py) or files by path."""
    return _found_by(example if isinstance(example, dict) else {"app.py": example}, rule)


def test_a_lookup_after_a_miss_of_the_dict_the_loop_fills_runs_once_per_key():
    assert found_by(mv.NP101_LOOKUP_ON_A_MISS, "NP101") == []
    assert found_by(mv.NP101_LOOKUP_ON_A_MISS, "PF201") == []
    assert [f[:4] for f in found_by(mv.NP101_LOOKUP_EVERY_ROW, "NP101")] == [
        ("app.py", 23, "high", "`Hotel.objects.first` runs a query once per item of the loop at line 19")]
    assert [f[:4] for f in found_by(mv.NP101_LOOKUP_EVERY_ROW, "PF201")] == [
        ("app.py", 24, "high", "`Hotel.objects.create()` writes one row per item of the loop at line 19")]


def test_a_scripts_own_function_of_a_methods_name_does_not_call_the_method():
    query = ("`event.performances.all()` loads Event.performances once per row in the loop at line 11: the queryset at "
             'events/capacity.py:11 has no prefetch_related("performances")')
    assert [f[:4] for f in found_by(sc.NP103_METHOD_NAMED_BY_A_SCRIPTS_OWN_FUNCTION, "NP103")] == [
        ("events/capacity.py", 12, "low", query + "; nothing in the project names `CapacityManager.validate_migration()` but its "
                                                  "definition and imports (no call, schedule or setting), so it looks unused")]
    [(path, line, severity, message)] = [f[:4] for f in found_by(sc.NP103_METHOD_CALLED_BY_A_SCRIPT, "NP103")]
    assert (path, line, severity) == ("events/capacity.py", 12, "low")
    assert message.startswith(query + "; it runs in code that only a script's `if __name__ == \"__main__\":` block (`migrate_capacity`)")
    # an object's method of that name called beside the module's own function: not unused
    assert [f[:4] for f in found_by(sc.NP103_METHOD_CALLED_BESIDE_ITS_TWIN, "NP103")] == [("events/capacity.py", 12, "high", query)]


def test_the_connection_execution_options_hands_back_is_the_one_closed():
    assert found_by(sc.PF501_OPTIONS_CONNECTION_CLOSED, "PF501") == []
    assert [f[:4] for f in found_by(sc.PF501_OPTIONS_CONNECTION_LEFT_OPEN, "PF501")] == [
        ("app.py", 10, "medium", "the connection `conn` from `engine.connect(...)` is never closed in this function")]


def test_a_viewset_actions_own_object_carries_what_get_queryset_prefetches():
    assert found_by(mv.NP103_VIEW_OBJECT_PREFETCHED, "NP103") == []
    assert [f[:4] for f in found_by(mv.NP103_VIEW_OBJECT_PREFETCHED_SHORT, "NP103")] == [
        ("shop/views.py", 19, "high", "`section.ticket_types.all()` loads Section.ticket_types once per row in the loop at line 18: "
                                      'the queryset at shop/views.py:17 has no prefetch_related("sections__ticket_types")')]


def test_a_root_script_serving_a_flask_app_makes_it_an_application():
    query = "`Category.query.count` runs a query once per item of the loop at line 5"
    assert [f[:4] for f in found_by(sc.NP101_FUNCTION_OF_A_SERVED_FLASK_APP, "NP101")] == [
        ("app/stats.py", 5, "low", query + "; nothing in the project names `category_counts()` but its definition and imports "
                                           "(no call, schedule or setting), so it looks unused")]
    assert [f[:4] for f in found_by(sc.NP101_FUNCTION_OF_A_PACKAGE, "NP101")] == [("app/stats.py", 5, "high", query)]
    # a Makefile in the code's folder that starts the server serves it too; one that only installs does not
    assert [f[:3] for f in found_by(sc.NP101_FUNCTION_OF_A_MAKEFILE_SERVED_APP, "NP101")] == [("app/stats.py", 5, "low")]
    assert [f[:4] for f in found_by(sc.NP101_FUNCTION_BESIDE_AN_INSTALLING_MAKEFILE, "NP101")] == [("app/stats.py", 5, "high", query)]
    # PM2's ecosystem file naming uvicorn serves it; one running Node does not
    assert [f[:3] for f in found_by(sc.NP101_FUNCTION_OF_A_PM2_SERVED_APP, "NP101")] == [("app/stats.py", 5, "low")]
    assert [f[:4] for f in found_by(sc.NP101_FUNCTION_BESIDE_A_NODE_PM2, "NP101")] == [("app/stats.py", 5, "high", query)]


def test_which_makefiles_start_a_server():
    from mcp_server.analysis.suffixes import deployed

    code = ["server/app/main.py", "manage.py"]
    assert deployed(["server/Makefile"], code, lambda rel: "dev:\n\tuvicorn app.main:app --reload\n")
    assert deployed(["Makefile"], code, lambda rel: "run:\n\tgunicorn app:app\n")
    assert not deployed(["server/Makefile"], code, lambda rel: "install:\n\tpip install uvicorn\n")
    assert not deployed(["docs/Makefile"], code, lambda rel: "serve:\n\tuvicorn docs:app\n")  # no code there: a tool's


def test_a_viewset_routed_through_a_dict_constant_serves_only_its_actions():
    assert found_by(mv.NP103_VIEWSET_MAPPED_TO_ONE_ROW, "NP103") == []
    assert [f[:4] for f in found_by(mv.NP103_VIEWSET_MAPPED_TO_ITS_LIST, "NP103")] == [
        ("orders/views.py", 7, "high", "`obj.customer` loads Order.customer once per row in the loop at line 15: the queryset at "
                                       'orders/views.py:15 has no select_related("customer") (serialising each row reads '
                                       '`customer_name = serializers.CharField(source="customer.name")`)')]


def test_the_coroutines_of_a_module_querying_through_a_synchronous_session_are_one_finding():
    assert [f[:4] for f in found_by(sc.PF801_MODULE_OF_SYNC_QUERIES, "PF801")] == [
        ("feedback/routes.py", 12, "high", "blocking call inside `async def get_feedback`: `session.get` is not awaited: a synchronous driver "
                                           "call that blocks the event loop; 1 more coroutine of this module blocks on synchronous queries "
                                           "the same way (in the evidence): one fix for all"),
        ("feedback/routes.py", 23, "high", "blocking call inside `async def avatar`: `requests.get` is a blocking HTTP call; use "
                                           "httpx.AsyncClient or aiohttp and await it")]


def test_a_relation_read_through_a_filter_and_plainly_on_one_line_is_one_finding():
    query = "`obj.contacts` runs a query per Party in the loop at line {loop}: `.contacts.filter()` queries even when the relation is prefetched"
    assert [f[:4] for f in found_by(mv.NP103_FILTER_OR_PLAIN_ON_ONE_LINE, "NP103")] == [
        ("app.py", 25, "high", query.format(loop=30) + " (serialising each row reads `contact = obj.contacts.filter(main=True).first() or "
                                                        "obj.contacts.first()`)")]
    assert [f[:4] for f in found_by(mv.NP103_FILTER_AND_PLAIN_ON_TWO_LINES, "NP103")] == [
        ("app.py", 25, "high", query.format(loop=31) + " (serialising each row reads `main = obj.contacts.filter(main=True).first()`)"),
        ("app.py", 26, "high", "`obj.contacts` loads Party.contacts once per row in the loop at line 31: the queryset at app.py:31 has no "
                               'prefetch_related("contacts") (serialising each row reads `first = obj.contacts.first()`)')]


def test_helpers_connecting_per_item_of_one_loop_are_one_finding_low_where_only_a_script_runs_them():
    opens = ("`reading_exists()` opens a new database connection (reading_exists -> get_connection -> `psycopg2.connect` "
             "(readings/db.py:5)) and is called on every iteration of the loop at line 7")
    more = "; 1 more call in this loop opens one too (in the evidence)"
    assert [f[:4] for f in found_by(sc.PF502_CONNECTIONS_IN_A_SCRIPT, "PF502")] == [
        ("readings/photos.py", 9, "low", opens + "; it runs in code that only a script's `if __name__ == \"__main__\":` block (`photos`) "
                                         "reaches, which a person or a schedule starts, not a request: it matters when the command runs "
                                         "often over many items" + more)]
    assert [f[:4] for f in found_by(sc.PF502_CONNECTIONS_IN_A_ROUTE, "PF502")] == [("readings/photos.py", 9, "high", opens + more)]


def test_a_queryset_whose_select_related_names_no_field_walks_no_rows():
    assert found_by(mv.NP103_SELECT_RELATED_OF_NO_FIELD, "NP103") == []
    message = ("`t.booking.user.email` loads Ticket.booking.user once per row in the loop at line {0}: the queryset at app.py:{0} has no "
               'select_related("booking__user")')
    assert [f[:4] for f in found_by(mv.NP103_SELECT_RELATED_ONE_SHORT, "NP103")] == [("app.py", 17, "high", message.format(17))]
    assert [f[:4] for f in found_by(mv.NP103_SELECT_RELATED_PAST_A_PACKAGES_BASE, "NP103")] == [("app.py", 18, "high", message.format(18))]
    assert [f[:4] for f in found_by(mv.NP103_SELECT_RELATED_OF_A_PACKAGES_FIELD, "NP103")] == [("app.py", 19, "high", message.format(19))]


def test_a_serializer_helper_that_hands_back_the_prefetch_cache_probes_it():
    assert found_by(mv.NP103_HELPER_READS_THE_PREFETCH, "NP103") == []
    [(path, line, severity, message)] = [f[:4] for f in found_by(mv.NP103_HELPER_READS_ANOTHER_RELATION, "NP103")]
    assert (path, line, severity) == ("app.py", 32, "high")
    assert message.startswith("`obj.items` runs a query per Stock in the loop at line 36: `.items.aggregate()` queries even when the relation "
                              "is prefetched")


def test_a_serializer_context_filled_on_the_first_row_is_a_memo():
    assert found_by(mv.NP102_CONTEXT_MEMO, "NP102") == []
    assert [f[:4] for f in found_by(mv.NP102_CONTEXT_NOT_STORED, "NP102")] == [
        ("app.py", 30, "high", "`ProductSerializer` serializes each item of the loop at line 30 and reaches a query: ProductSerializer -> "
                               "get_prices -> `PriceList.objects.filter` (app.py:24)")]


def test_a_lookup_by_a_unique_field_of_the_loops_own_rows_asks_a_new_key_each_time():
    assert found_by(mv.PF301_KEYS_TABLE_WALKED, "PF301") == []
    assert [f[:4] for f in found_by(mv.PF301_KEY_OF_MANY_ROWS, "PF301")] == [
        ("app.py", 18, "medium", "`is_used()` looks up by `route_type` on every iteration of the loop at line 18 and reaches a query: "
                                 "is_used -> `Route.objects.exists` (app.py:14); there are few distinct values of `route_type`, so the "
                                 "same rows are fetched again and again")]

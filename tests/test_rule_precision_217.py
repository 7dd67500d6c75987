"""Rounds 217 to 222 (issue 15, stop 74): each cause fixed this stop, with the twin that keeps its finding."""

from rule_cases import found_by

from mcp_server.rules import module_globals_examples as mg

ENGINE = "sqlalchemy.ext.asyncio.create_async_engine"


def test_an_engine_kept_in_module_globals_is_made_once():
    assert found_by(mg.PF502_GLOBAL_MADE_BY_INIT, "PF502") == []
    # the accessors calling init() every time: a new engine per event and per job
    found = found_by(mg.PF502_GLOBAL_MADE_EVERY_CALL, "PF502")
    assert [(path, line, severity) for path, line, severity, _m, _f in found] == [("ledger/jobs.py", 19, "high"), ("ledger/jobs.py", 21, "high")]
    assert found[0][3].startswith(f"`stamp()` opens a new database connection (stamp -> sessionmaker -> init -> `{ENGINE}`")
    assert found[1][3].startswith(f"`lock()` opens a new database connection (lock -> engine -> init -> `{ENGINE}`")


def test_a_lookup_behind_a_sentinel_default_runs_only_for_callers_that_leave_it_out():
    [(path, line, severity, message, _fix)] = found_by(mg.NP102_SENTINEL_HANDED_IN, "NP102")
    # line 10 hands in the membership loaded before its loop: no finding there
    assert (path, line, severity) == ("clubs/importer.py", 15, "high")
    assert message == ("`assign()` is called once per item of the loop at line 14 and reaches a query: assign -> find -> "
                       "`session.scalars` (clubs/members.py:9)")


def test_a_template_only_an_unincluded_url_configuration_reaches_is_low():
    [(path, line, severity, message, _fix)] = found_by(mg.NP107_INCLUDED_BY_UNWIRED_URLS, "NP107")
    assert (path, line, severity) == ("quotes/templates/quotes/list.html", 3, "low")
    assert message.endswith("; nothing in the project names `quotes_list()` but its definition and imports (no call, schedule or "
                            "setting), so it looks unused")
    assert [f[:4] for f in found_by(mg.NP107_INCLUDED_BY_WIRED_URLS, "NP107")] == [
        ("quotes/templates/quotes/list.html", 3, "high", '`quote.author.name` loads Quote.author once per row in the loop at line 2: '
                                                         'the queryset at quotes/views.py:7 has no select_related("author")')]


def test_a_fifth_of_a_count_is_no_money():
    assert found_by(mg.PF701_FIFTH_OF_A_COUNT, "PF701") == []
    assert [f[:4] for f in found_by(mg.PF701_FIFTH_OF_REVENUE, "PF701")] == [
        ("shop/reports.py", 12, "high", "`total_products * 0.2` computes money with the binary float 0.2")]


def test_a_lookup_the_loops_writes_answer_anew_is_not_the_same_every_time():
    assert found_by(mg.PF301_LINKED_IN_TURN, "PF301") == []
    assert [f[:4] for f in found_by(mg.PF301_NOTHING_LINKED, "PF301")] == [
        ("shop/terminals.py", 15, "medium", "`Store.objects.first` is called with the same arguments on every iteration of the loop at line 14")]


def test_a_helpers_queryset_replaced_unread_is_never_run():
    # NP102 finds nothing at line 11 (the queryset is replaced unread); NP101 still finds line 12's own query
    assert found_by(mg.NP102_OVERWRITTEN_UNREAD, "NP102") == []
    assert [f[:3] for f in found_by(mg.NP102_OVERWRITTEN_UNREAD, "NP101")] == [("staffing/reports.py", 12, "high")]
    assert [f[:4] for f in found_by(mg.NP102_BOUND_AND_READ, "NP102")] == [
        ("staffing/reports.py", 11, "high", "`positions_of()` is called once per item of the loop at line 10 and reaches a query: "
                                            "positions_of -> `Position.objects.order_by` (staffing/reports.py:5)")]


def test_an_app_installed_under_the_package_the_root_is_is_served():
    assert [f[:3] for f in found_by(mg.NP107_ROOT_IS_THE_PACKAGE, "NP107")] == [("quotes/templates/quotes/list.html", 3, "high")]
    # neither installed nor included by the root configuration: an app nothing serves
    other = {**mg.NP107_ROOT_IS_THE_PACKAGE, "settings.py": mg.NP107_ROOT_IS_THE_PACKAGE["settings.py"].replace('"shop.quotes"', '"shop.other"'),
             "urls.py": mg.NP107_ROOT_IS_THE_PACKAGE["urls.py"].replace('path("quotes/", include("shop.quotes.urls"))', "")}
    assert [f[:3] for f in found_by(other, "NP107")] == [("quotes/templates/quotes/list.html", 3, "low")]
    # a root configuration nothing in the project names (a framework's default) includes its apps' configurations
    assert [f[:3] for f in found_by(mg.NP107_FRAMEWORK_ROOT, "NP107")] == [("quotes/templates/quotes/list.html", 3, "high")]


def test_a_service_renders_blueprint_deploys_is_an_application():
    [(path, line, severity, message, _fix)] = found_by(mg.NP101_RENDER_DEPLOYED, "NP101")
    assert (path, line, severity) == ("ledger/app.py", 15, "low")
    assert message.endswith("; nothing in the project names `backfill_names()` but its definition and imports (no call, schedule or "
                            "setting), so it looks unused")
    assert [f[:4] for f in found_by(mg.NP101_NOT_DEPLOYED, "NP101")] == [
        ("ledger/app.py", 15, "high", "`Client.query.get` runs a query once per item of the loop at line 14")]


def test_a_write_on_one_position_of_an_enumerated_loop_runs_once():
    # line 17's get_or_create runs on the header line only; line 19's create, on every line after the third
    assert [f[:4] for f in found_by(mg.PF201_HEADER_LINE, "PF201")] == [
        ("qc/loader.py", 19, "high", "`Rule.objects.create()` writes one row per item of the loop at line 14")]


def test_a_list_reads_its_rows_with_the_serializer_its_list_method_sets():
    assert found_by(mg.NP103_LIST_SETS_ITS_SERIALIZER, "NP103") == []
    assert [f[:3] for f in found_by(mg.NP103_LIST_KEEPS_THE_CLASS_SERIALIZER, "NP103")] == [("estates/api.py", 7, "high")]


def test_a_relation_a_comment_says_not_to_eager_load_is_low_quoting_it():
    [(path, line, severity, message, _fix)] = found_by(mg.NP103_EAGER_LOAD_VETOED, "NP103")
    assert (path, line, severity) == ("rules/lookups.py", 10, "low")
    assert message.endswith('; a comment above the queryset (rules/lookups.py:5) says not to eager-load it: "Avoid select_related on '
                            'company: some seed rows carry a NULL regex the field library rejects"')
    assert [f[:3] for f in found_by(mg.NP103_EAGER_LOAD_ALLOWED, "NP103")] == [("rules/lookups.py", 9, "high")]


def test_a_lookup_memoised_in_a_dict_the_caller_hands_in_runs_once_per_key():
    assert found_by(mg.NP102_MEMO_HANDED_IN, "NP102") == []
    assert [f[:3] for f in found_by(mg.NP102_NO_MEMO, "NP102")] == [("chat/people.py", 15, "medium")]


def test_energy_summed_in_kwh_is_no_money():
    # line 9 hands out both: only the cost is money (at low: only handed out)
    [(path, line, severity, message, _fix)] = found_by(mg.PF701_ENERGY_AND_ITS_COST, "PF701")
    assert (path, line, severity) == ("meters/sensors.py", 9, "low")
    assert message.startswith("`float(total_cost)` turns money into a binary float only to hand it out")


def test_rows_a_dict_comprehension_keeps_stay_in_the_session():
    [(path, line, severity, message, _fix)] = found_by(mg.NP104_KEPT_IN_A_DICT, "NP104")
    assert (path, line, severity) == ("mdd/importer.py", 8, "low")
    assert message.endswith("so it queries only for a Mtc that statement did not load")
    assert [f[:3] for f in found_by(mg.NP104_NOT_KEPT, "NP104")] == [("mdd/importer.py", 8, "high")]


def test_a_manager_handed_to_a_wrapper_keeps_its_prefetches():
    assert found_by(mg.NP103_WRAPPED_MANAGER_PREFETCHES, "NP103") == []
    assert [f[:3] for f in found_by(mg.NP103_PLAIN_MANAGER, "NP103")] == [("billing/models.py", 22, "high")]

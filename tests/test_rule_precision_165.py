"""Rounds 165 and after (issue 15): exact findings on what those rounds' applications showed, each cause with its twin."""

from mcp_server.rules.one_off_examples import ONE_OFF_NEGATIVE, ONE_OFF_POSITIVE
from rule_cases import example, found_by

from mcp_server.analysis.table_sizes import WHOLE_WHY


def test_backfills_data_fixes_maintenance_scripts_and_migration_modules_run_once():
    for marker in ("def complete_old_names", "def repair_names", "def rename_all", "def import_legacy_names"):
        assert found_by(example(ONE_OFF_NEGATIVE, marker), "NP101") == [], marker
    [(path, line, severity, _message, _fix)] = found_by(example(ONE_OFF_POSITIVE, "def backfiller_page"), "NP101")
    assert (path, line, severity) == ("billing/backfiller_status.py", 5, "high")
    [(path, line, severity, _message, _fix)] = found_by(example(ONE_OFF_POSITIVE, "def report_migrated"), "NP101")
    assert (path, line, severity) == ("billing/migrations_report.py", 5, "high")


def test_twin_helpers_of_two_models_name_no_caller_of_each_other():
    from mcp_server.rules import own_object_examples as own

    [(path, line, severity, message, _fix)] = found_by(own.NP103_TWIN_HELPERS_LOWERED, "NP103")
    assert (path, line, severity) == ("ledger/models.py", 9, "low")
    assert message.endswith("nothing in the project names `Client.label_missing()` but its definition and imports "
                            "(no call, schedule or setting), so it looks unused")
    [(path, line, severity, message, _fix)] = found_by(own.NP103_TWIN_HELPER_CALLED_KEPT, "NP103")
    assert (path, line, severity) == ("ledger/models.py", 9, "high") and "looks unused" not in message


def test_a_getter_handed_its_own_instance_returns_it_without_a_query():
    from mcp_server.rules import own_instance_examples as own

    assert found_by(own.NP102_OWN_INSTANCE_PASSED, "NP102") == []
    [(path, line, severity, message, _fix)] = found_by(own.NP102_KEY_PASSED, "NP102")
    assert (path, line, severity) == ("market/views.py", 9, "high")
    assert message == ("`get()` is called once per item of the loop at line 9 and reaches a query: get -> `Pair.objects.get` "
                       "(market/models.py:11)")  # (no "tree walked recursively": the view's `get` calls another class's)


def test_a_helper_only_an_uncalled_function_calls_looks_unused():
    from mcp_server.rules import own_object_examples as own

    found = [f for f in found_by(own.NP103_LEFT_BEHIND_LOWERED, "NP103") if f[0] == "ledger/schema.py"]
    assert [f[:3] for f in found] == [("ledger/schema.py", 5, "low")]
    assert found[0][3].endswith("only `schema_original()` of its own cycle calls `line_labels()`, and nothing in the project names "
                                "them but their definitions and imports (no call, schedule or setting), so they look unused")
    kept = [f for f in found_by(own.NP103_OLD_BUILDER_CALLED_KEPT, "NP103") if f[0] == "ledger/schema.py"]
    assert [f[:3] for f in kept] == [("ledger/schema.py", 5, "high")] and "look unused" not in kept[0][3]


def test_a_queryset_walked_again_holds_what_its_first_walk_loaded():
    from mcp_server.rules import walked_again_examples as walked

    assert [f[:3] for f in found_by(walked.NP103_QUERYSET_WALKED_AGAIN, "NP103")] == [("lab/views.py", 8, "high")]
    assert [f[:3] for f in found_by(walked.NP103_NEW_QUERY_WALKED, "NP103")] == [("lab/views.py", 8, "high"), ("lab/views.py", 10, "high")]
    assert [f[:3] for f in found_by(walked.NP103_WALKED_IN_EITHER_BRANCH, "NP103")] == [("lab/views.py", 7, "high"), ("lab/views.py", 9, "high")]


def test_a_commit_after_a_write_that_may_roll_back_keeps_the_rows_before():
    from mcp_server.rules import commits_examples as commits

    assert found_by({"app.py": commits.PF202_ROLLED_BACK_WRITE}, "PF202") == []
    [(path, line, severity, message, _fix)] = found_by({"app.py": commits.PF202_OTHER_ERROR}, "PF202")
    assert (path, line, severity, message) == ("app.py", 12, "medium", "`session.commit()` on every iteration of the loop at line 6: "
                                               "one transaction (and one disk sync) per row")


def test_what_is_read_through_a_relation_the_query_leaves_empty_runs_no_query():
    from mcp_server.rules.row_examples import NULL_PARENT_READ, billing_app

    assert found_by(billing_app(NULL_PARENT_READ.format("invoice__isnull=True")), "NP103") == []
    assert found_by(billing_app(NULL_PARENT_READ.format("invoice=None")), "NP103") == []
    [(path, line, severity, message, _fix)] = found_by(billing_app(NULL_PARENT_READ.format("invoice__isnull=False")), "NP103")
    assert (path, line, severity) == ("billing/views.py", 4, "high") and 'select_related("invoice__client")' in message


def test_an_app_no_url_configuration_wires_runs_for_nobody():
    from mcp_server.rules import unwired_examples as unwired

    [(path, line, severity, message, _fix)] = found_by(unwired.NP103_UNWIRED_APP_LOWERED, "NP103")
    assert (path, line, severity) == ("reports/views.py", 7, "low") and message.endswith("so it looks unused")
    [(path, line, severity, message, _fix)] = found_by(unwired.NP103_WIRED_APP_KEPT, "NP103")
    assert (path, line, severity) == ("reports/views.py", 7, "high") and "unused" not in message


def test_what_wires_a_url_configuration_without_naming_it_keeps_it():
    from mcp_server.rules import unwired_examples as unwired

    def severity(files):
        [(_path, _line, severity, _message, _fix)] = found_by(files, "NP103")
        return severity

    site = unwired.NP103_WIRED_APP_KEPT
    # the root configuration beside the settings, named by a deployment outside the repository (no ROOT_URLCONF)
    direct = ('from django.urls import include, path\n\nfrom reports.views import reports\n\n'
              'urlpatterns = [path("billing/", include("billing.urls")), path("reports/", reports)]\n')
    assert severity({**site, "site_conf/settings.py": 'INSTALLED_APPS = ["billing", "reports"]\n', "site_conf/urls.py": direct}) == "high"
    # every app's configuration included by a name built at run time
    built = ('from django.urls import include, path\n\nAPPS = ["billing", "reports"]\n'
             'urlpatterns = [path(f"{app}/", include(f"{app}.urls")) for app in APPS]\n')
    assert severity({**unwired.NP103_UNWIRED_APP_LOWERED, "site_conf/urls.py": built}) == "high"
    # a monorepo's services, each with its own `site_conf.urls`: the one name wires both
    other = {f"admin_service/{path}": text for path, text in site.items() if path != "manage.py"}
    assert {(f[0], f[2]) for f in found_by({"manage.py": "", **{f"api_service/{p}": t for p, t in site.items() if p != "manage.py"}, **other},
                                           "NP103")} == {("api_service/reports/views.py", "high"), ("admin_service/reports/views.py", "high")}


def test_no_streaming_advice_for_a_loop_whose_work_queries_the_same_session():
    from mcp_server.rules import whole_loads_examples as whole

    assert found_by({"app.py": whole.PF401_SESSION_USED_PER_ROW}, "PF401") == []
    [(path, line, severity, message, _fix)] = found_by({"app.py": whole.PF401_SESSION_LEFT_ALONE}, "PF401")
    assert (path, line, severity, message) == ("app.py", 6, "low", "the loop iterates an unfiltered query's `.all()`: every "
                                               "row is loaded and kept before the first iteration"
                                               + WHOLE_WHY.format(what="TaxRate's table", table="its table"))

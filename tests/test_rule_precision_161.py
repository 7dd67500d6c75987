"""Rounds 161 to 164 (issue 15): exact findings on what those rounds' applications showed, each cause with its twin."""

from mcp_server.analysis.scan import scan_sources
from mcp_server.rules import converters_examples as converters
from mcp_server.rules import handed_back_examples as handed
from mcp_server.rules import handled_examples as handled
from mcp_server.rules import identity_map_examples as identity
from mcp_server.rules import left_at_default_examples as defaults
from mcp_server.rules import money_examples as money
from mcp_server.rules.one_off_examples import ONE_OFF_NEGATIVE, ONE_OFF_POSITIVE
from mcp_server.rules import one_to_one_examples as one
from mcp_server.rules import side_effect_statements_examples as statements
from mcp_server.rules import unique_order_examples as unique
from mcp_server.rules import visited_examples as visited
from rule_cases import STRUCTURE, example, found_by

_DRAINED = ("; each row leaves the query once handled (the loop's work sets `{}`), so a run walks only the rows that arrived "
            "since the last, and each row costs this once in its life, not on every run")
_CARD = ('`card.person.name` loads Card.person once per row in the loop at line 8: the queryset at tab/views.py:8 has no '
         'select_related("person")')


def test_a_filter_on_a_unique_field_walks_at_most_one_row():
    [(path, line, severity, message, _fix)] = found_by(one.NP103_UNIQUE_FIELD, "NP103")
    assert (path, line, severity, message) == ("tab/views.py", 8, "low", _CARD + "; the loop walks at most one row (a query by a unique field)")
    assert [f[:4] for f in found_by(one.NP103_SHARED_FIELD, "NP103")] == [("tab/views.py", 8, "high", _CARD)]


def test_a_work_queue_whose_loop_changes_the_state_it_selects_is_low():
    [(path, line, severity, message, _fix)] = found_by(handled.HANDLED_ROWS, "NP102")
    assert (path, line, severity) == ("billing/tasks.py", 16, "low")
    assert message == ("`_remind()` is called once per item of the loop at line 15 and reaches a query: _remind -> `Client.objects.get` "
                       "(billing/tasks.py:28)" + _DRAINED.format("reminded"))
    [(path, line, severity, message, _fix)] = found_by(handled.HANDLED_ROWS, "PF201")
    assert (path, line, severity, message) == ("billing/tasks.py", 19, "low", "`invoice.save()` writes one row per item of the loop at "
                                               "line 17" + _DRAINED.format("status"))
    # the helper leaves the flag alone, the second loop selects by a date: those rows come back on every run
    assert [f[:3] for f in found_by(handled.WALKED_AGAIN, "NP102")] == [("billing/tasks.py", 16, "high")]
    assert [f[:4] for f in found_by(handled.WALKED_AGAIN, "PF201")] == [
        ("billing/tasks.py", 19, "high", "`invoice.save()` writes one row per item of the loop at line 17")]
    # a loop that only sets the state and saves: one UPDATE, however its rows come
    assert [f[:4] for f in found_by(handled.STATE_ONLY, "PF201")] == [
        ("billing/tasks.py", 19, "high", "`invoice.save()` writes one row per item of the loop at line 17")]


def test_statements_run_for_their_effect_are_no_lookup_to_hoist():
    assert found_by({"data/export.py": statements.PF301_SESSION_SETTINGS}, "PF301") == []
    assert [f[:4] for f in found_by({"data/export.py": statements.PF301_SETTING_READ_AGAIN}, "PF301")] == [
        ("data/export.py", 9, "medium", "`session.execute` is called with the same arguments on every iteration of the loop at line 6")]


def test_lambdas_a_function_hands_back_run_no_query_when_it_is_called():
    assert found_by(converters.PF301_LAMBDAS_HANDED_BACK, "PF301") == []
    [(path, line, severity, message, _fix)] = found_by(converters.PF301_LOOKUP_IN_BUILDER, "PF301")
    assert (path, line, severity, message) == (
        "customs/payments.py", 14, "medium", "`converters()` is called with the same arguments on every iteration of the loop at line 14 "
        "and reaches a query: converters -> `Declaration.objects.get` (customs/payments.py:6)")


def test_a_walk_that_visits_each_value_once_repeats_no_lookup():
    assert found_by(visited.PF301_VISITED_ONCE, "PF301") == []
    assert [f[:4] for f in found_by(visited.PF301_ASKED_AGAIN, "PF301")] == [
        ("flow/walk.py", 11, "medium", "`walk()` looks up by `from_state` on every iteration of the loop at line 10 and reaches a query: "
         "walk -> `Transition.objects.filter` (flow/walk.py:10); there are few distinct values of `from_state`, so the same rows are "
         "fetched again and again")]


def test_sql_formatted_from_what_a_helper_hands_back_of_written_text_is_safe():
    assert found_by({"trades/migrations.py": handed.PF601_CODE_CHOSEN_COLUMN}, "PF601") == []
    # a caller's default goes through the same helper: it may come from outside
    [(path, line, severity, message, _fix)] = found_by({"trades/migrations.py": handed.PF601_CALLER_CHOSEN_DEFAULT}, "PF601")
    assert (path, line, severity, message) == ("trades/migrations.py", 15, "low",
                                               "the statement is built by string formatting from `fee` and run as SQL" + STRUCTURE)


def test_a_precision_beside_a_price_is_no_money():
    assert found_by({"exchange/ticks.py": money.PF701_PRECISION_NOT_MONEY}, "PF701") == []
    assert [f[:4] for f in found_by({"exchange/ticks.py": money.PF701_PRICE_BESIDE_PRECISION}, "PF701")] == [
        ("exchange/ticks.py", 4, "high", "parameter `price` holds money but is typed `float`")]


def test_a_class_body_branching_on_a_setting_is_read_without_error():
    # Amsterdam's DSO API and Greenland's customs service: `if not settings.DEBUG:` in a class body crashed the reader
    source = ("from django.conf import settings\n\n\nclass SchemaGenerator:\n    overrides = {}\n    if not settings.DEBUG:\n"
              "        overrides['servers'] = [settings.API_URL]\n")
    report = scan_sources({"api/openapi.py": source})
    assert report.errors == [] and report.findings == []


def test_a_flush_per_row_that_keeps_a_unique_constraint_is_low():
    [(path, line, severity, message, _fix)] = found_by(unique.PF201_RENUMBERED_IN_ORDER, "PF201")
    flushed = ("`session.flush()` per item of the loop at line 6 sends each pending row on its own; the loop walks the rows of one "
               "contest, often a handful, so it matters when that object has many")
    assert (path, line, severity, message) == ("contests/handlers.py", 8, "low", flushed + (
        "; the loop changes `num`, which a unique constraint of the rows' model names, so each row is flushed in turn to keep it "
        "unique at every step: batching could break it"))
    assert [f[:4] for f in found_by(unique.PF201_RENAMED_ONE_BY_ONE, "PF201")] == [("contests/handlers.py", 8, "medium", flushed)]


def test_sql_formatted_from_a_parameter_every_caller_leaves_at_its_default_is_low():
    [(path, line, severity, message, _fix)] = found_by(defaults.PF601_LEFT_AT_DEFAULT, "PF601")
    formatted = "`query` is built by string formatting from `dept_code` and run as SQL"
    assert (path, line, severity, message) == ("app/reports.py", 9, "low", formatted + (
        "; every call in the project passes `dept_code` a value written in the code (app/controller.py:11 leaving it at its default), "
        "so no outside input reaches it"))
    assert [f[:4] for f in found_by(defaults.PF601_PASSED_BY_A_CALLER, "PF601")] == [("app/reports.py", 9, "high", formatted)]
    # a call of that name the index cannot follow (through a package it cannot read) may pass its own value: kept
    unfollowed = {**defaults.PF601_LEFT_AT_DEFAULT, "app/other.py": "import legacy\n\n\ndef other(dept):\n    return legacy.note_count(dept)\n"}
    assert [f[:3] for f in found_by(unfollowed, "PF601")] == [("app/reports.py", 9, "high")]
    # without the root `application.py`, the module may be a library's, called from outside: kept
    library = {k: v for k, v in defaults.PF601_LEFT_AT_DEFAULT.items() if k != "application.py"}
    assert [f[:3] for f in found_by(library, "PF601")] == [("app/reports.py", 9, "high")]


def test_the_same_primary_key_asked_again_is_answered_by_the_session():
    files = {"ledger/commissions.py": identity.PF301_SAME_KEY_FROM_SESSION}
    assert found_by(files, "PF301") == [] and found_by(files, "NP102") == []
    again = {"ledger/commissions.py": identity.PF301_SAME_FILTER_AGAIN}  # a filter queries every time
    assert [f[:4] for f in found_by(again, "PF301")] == [
        ("ledger/commissions.py", 27, "medium", "`current_user()` is called with the same arguments on every iteration of the loop at line "
         "26 and reaches a query: current_user -> `session.query` (ledger/commissions.py:22)")]


def test_a_loader_in_a_folder_of_seed_scripts_is_no_finding():
    assert found_by(example(ONE_OFF_NEGATIVE, "def load_seed_clients"), "NP101") == []
    # a production job named for the table it fills is no seed folder
    [(path, line, _severity, _message, _fix)] = found_by(example(ONE_OFF_POSITIVE, "def fill_geolocations"), "NP101")
    assert (path, line) == ("jobs/reverse_geolocation_populate/main.py", 5)

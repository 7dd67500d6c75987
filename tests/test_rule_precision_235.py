"""Rounds 235 to 252 (issue 15, stop 75): each cause fixed this stop, with the twin that keeps its finding."""

from mcp_server.analysis.pattern_money import LITERAL_LOWERED
from rule_cases import HANDED_ON_FLOAT, found_by

from mcp_server.rules import event_and_page_examples as ep
from mcp_server.rules import kept_answers_examples as ka


def test_an_answer_the_service_keeps_and_hands_back_is_asked_for_once():
    assert found_by(ka.NP102_ANSWER_KEPT_ON_THE_SERVICE, "NP102") == []
    # the attribute filled, but never read before the query: one query per game
    assert [f[:4] for f in found_by(ka.NP102_ANSWER_STORED_NOT_READ, "NP102")] == [
        ("schedule/placeholders.py", 22, "medium",
         "`label()` is called once per item of the loop at line 22 and reaches a query: label -> template -> "
         "`TemplateUse.objects.first` (schedule/placeholders.py:10); the loop walks the rows of one gameday, often a "
         "handful, so it matters when that object has many")]
    # a model's method keeps its answer on the row: asked of each row of the loop, a query per row
    assert [f[:4] for f in found_by(ka.NP102_ROW_KEEPS_ITS_ANSWER, "NP102")] == [
        ("club/models.py", 24, "high", '`return [m.name for m in Member.objects.all() if m.can("editor")]` runs for each row '
                                       "of the loop at line 24 and reaches a query: roles -> `Role.objects.values_list` "
                                       "(club/models.py:11)")]


def test_an_else_that_stores_and_returns_runs_once():
    assert found_by(ka.NP102_ELSE_STORES_AND_RETURNS, "NP102") == []
    # the same `else:` going on to the next rule: a write for every rule that matches
    assert [f[:4] for f in found_by(ka.NP102_ELSE_STORES_AND_GOES_ON, "NP102")] == [
        ("devices/checks.py", 19, "high",
         "`store()` is called once per item of the loop at line 12 and reaches a query: store -> "
         "`Binding.objects.update_or_create` (devices/checks.py:7)")]


def test_a_drf_function_view_no_url_names_is_low():
    found = found_by(ka.NP101_API_VIEW_UNROUTED, "NP101")
    assert [(path, line, severity) for path, line, severity, _m, _f in found] == [
        ("scores/views.py", 11, "high"), ("scores/views.py", 17, "low")]
    assert found[1][3].endswith("; nothing in the project names `import_counts()` but its definition and imports (no call, "
                                "schedule or setting), so it looks unused")


def test_a_pyramid_applications_exported_function_nothing_calls_is_low():
    [(path, line, severity, message, _fix)] = found_by(ka.NP101_EXPORTED_UNCALLED_IN_PYRAMID_APP, "NP101")
    assert (path, line, severity) == ("trials/phrases.py", 13, "low")
    assert message.endswith("; nothing in the project names `all_translations()` but its definition and imports (no call, "
                            "schedule or setting), so it looks unused")
    # a library's public function is there for others to call; the application's scanned view calls it
    for files in (ka.NP101_EXPORTED_BY_A_LIBRARY, ka.NP101_EXPORTED_AND_CALLED):
        assert [f[:4] for f in found_by(files, "NP101")] == [
            ("trials/phrases.py", 13, "medium", "`dbsession.query` runs a query once per item of the loop at line 12; the loop "
                                                "walks the rows of one user, often a handful, so it matters when that object has many")]


def test_a_call_made_for_its_effect_is_no_lookup_to_hoist():
    assert found_by(ka.PF301_SCHEDULE_REBUILT_PER_SURVEY, "PF301") == []
    assert [f[:4] for f in found_by(ka.PF301_EVENTS_COUNTED_PER_SURVEY, "PF301")] == [
        ("surveys/copy.py", 17, "medium", "`event_count()` is called with the same arguments on every iteration of the loop at "
                                          "line 15 and reaches a query: event_count -> `Event.objects.count` (surveys/copy.py:11)")]


def test_a_view_only_active_superusers_may_call_is_low():
    [(path, line, severity, message, _fix)] = found_by(ka.NP101_ACTIVE_SUPERUSERS_ONLY, "NP101")
    assert (path, line, severity) == ("donations/views.py", 17, "low")
    assert "only staff reach it (`permission_classes` with `IsActiveSuperUser`)" in message
    assert [f[:4] for f in found_by(ka.NP101_EVERY_SIGNED_IN_USER, "NP101")] == [
        ("donations/views.py", 17, "high", "`Donation.objects.count` runs a query once per item of the loop at line 17")]


# rounds 241 to 246

def test_a_connection_per_item_that_names_its_own_database_is_no_finding():
    assert found_by(ep.PF502_EACH_FILE_ITS_OWN_DATABASE, "PF502") == []
    assert [f[:4] for f in found_by(ep.PF502_ONE_DATABASE_EACH_TIME, "PF502")] == [
        ("gateway/backup.py", 16, "high", "`backup()` opens a new database connection (backup -> `sqlite3.connect` "
                                          "(gateway/backup.py:8)) and is called on every iteration of the loop at line 15")]


def test_a_row_an_included_template_caches_by_its_key_is_low():
    read = ('`replay.map` loads Replay.map once per row in the loop at line 2: the queryset at replays/views.py:7 has no '
            'select_related("map") (it runs inside `{% include "replays/row.html" %}`, which reads `<tr><td>{{ replay.score }}'
            '</td><td>{{ replay.map.title }}</td></tr>`)')
    assert [f[:4] for f in found_by(ep.NP107_ROW_CACHED_IN_INCLUDE, "NP107")] == [
        ("replays/templates/replays/latest.html", 3, "low", read + "; the template caches this part (`{% cache 3600 'replay_row' "
                                                            "replay.pk %}`, lines 2 to 4), so these queries run on a cache miss, "
                                                            "once per key and timeout")]
    assert [f[:4] for f in found_by(ep.NP107_ROW_NOT_CACHED, "NP107")] == [("replays/templates/replays/latest.html", 3, "high", read)]


def test_a_template_tag_no_template_uses_is_low():
    found = found_by(ep.NP103_TAG_NO_TEMPLATE_USES, "NP103")
    assert [(path, line, severity) for path, line, severity, _m, _f in found] == [
        ("replays/templatetags/replay_tags.py", 10, "high"), ("replays/templatetags/replay_tags.py", 15, "low")]
    assert found[1][3].endswith("; nothing in the project names `old_scores()` but its definition and imports (no call, schedule "
                                "or setting), so it looks unused")
    # a template that uses it: both stay listed
    assert [(path, line, severity) for path, line, severity, _m, _f in found_by(ep.NP103_TAG_ALL_USED, "NP103")] == [
        ("replays/templatetags/replay_tags.py", 10, "high"), ("replays/templatetags/replay_tags.py", 15, "high")]


def test_a_total_of_scores_is_no_money():
    assert found_by(ep.PF701_TOTAL_OF_SCORES, "PF701") == []
    assert [f[:4] for f in found_by(ep.PF701_TOTAL_OF_PRICES, "PF701")] == [
        ("plans/scores.py", 7, "low", "`total = 0.0` holds money in a binary float" + LITERAL_LOWERED),
        ("plans/scores.py", 9, "high", "`float(district.price)` turns money into a binary float")]


def test_ids_a_private_helper_quotes_are_no_formatted_values():
    assert found_by(ep.PF601_PRIVATE_QUOTING_HELPER, "PF601") == []
    assert [f[:4] for f in found_by(ep.PF601_IDS_UNQUOTED, "PF601")] == [
        ("graph/edges.py", 8, "high", "`query` is built by string formatting from `source`, `target` and run as SQL")]


def test_a_check_on_the_loops_first_pass_runs_once():
    assert found_by(ep.NP101_CHECKED_ON_THE_FIRST_PASS, "NP101") == []
    assert [f[:4] for f in found_by(ep.NP101_CHECKED_ON_EVERY_PASS, "NP101")] == [
        ("ballots/models.py", 21, "high", "`Receipt.objects.exists` runs a query once per item of the loop at line 19")]


# rounds 247 to 252

def test_weights_and_energy_are_no_money():
    assert found_by(ep.PF701_WEIGHT_IN_TONS, "PF701") == []
    assert [f[:3] for f in found_by(ep.PF701_FREIGHT_PRICE, "PF701")] == [("ladings/models.py", 12, "low")]
    assert found_by(ep.PF701_TOTAL_OF_ENERGY, "PF701") == []
    assert [f[:4] for f in found_by(ep.PF701_TOTAL_OF_FEES, "PF701")] == [
        ("plans/week.py", 8, "low", "`float(total)` turns money into a binary float" + HANDED_ON_FLOAT)]


def test_a_commit_per_page_of_rows_is_no_commit_per_row():
    assert found_by(ep.PF202_COMMIT_PER_PAGE, "PF202") == []
    assert [f[:4] for f in found_by(ep.PF202_COMMIT_PER_ROW, "PF202")] == [
        ("staff/weights.py", 14, "medium", "`session.commit()` on every iteration of the loop at line 12: one transaction (and one "
                                           "disk sync) per row")]


def test_a_lambda_a_click_runs_is_not_run_per_item():
    assert found_by(ep.PF502_CONNECTS_ON_CLICK, "PF502") == []
    assert [f[:4] for f in found_by(ep.PF502_CONNECTS_PER_BUTTON, "PF502")] == [
        ("bar/selection.py", 15, "high", "`prepare()` opens a new database connection (prepare -> __init__ -> "
                                         "`sqlalchemy.create_engine` (bar/selection.py:6)) and is called on every iteration of the loop "
                                         "at line 14")]

"""Rounds 253 to 258 (issue 15, stop 76): each cause fixed this stop, with the twin that keeps its finding."""

from rule_cases import found_by as _found_by

from mcp_server.rules import contexts_and_literals_examples as cl



def found_by(example, rule):
    """What `rule` finds on a rule example: a module's source (scanned as app.py) or files by path."""
    return _found_by(example if isinstance(example, dict) else {"app.py": example}, rule)


LOOKUP = "is called with the same arguments on every iteration of the loop at line"


def test_a_literal_a_function_returns_is_walked_a_few_times():
    assert found_by(cl.PF301_HEADERS_OF_A_LITERAL, "PF301") == []
    assert found_by(cl.PF301_HEADERS_OF_A_LITERAL, "NP102") == []
    assert [f[:4] for f in found_by(cl.PF301_HEADERS_OF_A_QUERY, "PF301")] == [
        ("app.py", 20, "medium", "`_header_total()` looks up by `kind` on every iteration of the loop at line 20 and reaches a "
                                 "query: _header_total -> `Header.objects.get` (app.py:15); there are few distinct values of "
                                 "`kind`, so the same rows are fetched again and again")]


def test_pony_sql_naming_the_loops_variables_changes_per_item():
    assert found_by(cl.PF301_FRAME_VARIABLES, "PF301") == []
    assert [f[:4] for f in found_by(cl.PF301_NO_FRAME_VARIABLES, "PF301")] == [
        ("app.py", 9, "medium", "`db.execute` is called with the same arguments on every iteration of the loop at line 8")]


def test_a_db_session_function_nothing_calls_looks_unused():
    [uncalled] = found_by(cl.PF201_UNCALLED_DB_SESSION, "PF201")
    [called] = found_by(cl.PF201_CALLED_DB_SESSION, "PF201")
    assert uncalled[:3] == called[:3] == ("app.py", 9, "low")
    unused = ("; nothing in the project names `_inject_statements()` but its definition and imports (no call, schedule or "
              "setting), so it looks unused")
    assert uncalled[3].endswith(unused) and not called[3].endswith(unused)


def test_a_connection_tried_again_after_a_pause_is_a_retry():
    assert found_by(cl.PF502_RETRIED_AFTER_A_PAUSE, "PF502") == []
    assert [f[:4] for f in found_by(cl.PF502_TRIED_WITHOUT_A_PAUSE, "PF502")] == [
        ("app.py", 9, "high", "`psycopg2.connect` connects to the database anew on every iteration of the loop at line 7")]


def test_settings_their_loader_keeps_per_key_are_loaded_once():
    # `get_var` (line 27) fills SERVER_CONFIGS through load_config on a miss; `fresh_var` loads every time
    assert [f[:4] for f in found_by(cl.PF301_KEPT_BY_THE_LOADER, "PF301")] == [
        ("bot/config.py", 34, "medium", f"`fresh_var()` {LOOKUP} 33 and reaches a file read: fresh_var -> load_config -> "
                                        "`open` (bot/config.py:10)")]


def test_a_querysets_sql_handed_to_another_query_runs_nothing():
    assert found_by(cl.NP103_VALUES_AS_SUBQUERY_SQL, "NP103") == []
    assert [f[:4] for f in found_by(cl.NP103_VALUES_READ, "NP103")] == [
        ("app.py", 15, "high", "`release.resources.values()` runs a query per Release in the loop at line 14: "
                               "`.resources.values()` queries even when the relation is prefetched")]


def test_a_fallback_behind_a_walrus_probe_of_an_annotation():
    assert found_by(cl.NP103_WALRUS_PROBE_ANNOTATED, "NP103") == []
    assert [f[:3] for f in found_by(cl.NP103_WALRUS_PROBE_NOT_ANNOTATED, "NP103")] == [("users/serializers.py", 16, "high")]


def test_a_helper_that_writes_a_file_is_no_lookup():
    assert found_by(cl.PF301_WRITES_A_FILE, "PF301") == []
    assert [f[:4] for f in found_by(cl.PF301_READS_A_FILE, "PF301")] == [
        ("app/providers.py", 19, "medium", f"`get_providers()` {LOOKUP} 18 and reaches a file read: get_providers -> "
                                           "note_throttled -> `open` (app/providers.py:7)")]


def test_a_lookup_in_a_context_entered_for_the_item_asks_something_new():
    assert found_by(cl.PF301_IN_THE_ITEMS_CONTEXT, "PF301") == []
    assert [f[:4] for f in found_by(cl.PF301_OUTSIDE_ANY_CONTEXT, "PF301")] == [
        ("snoop/collections.py", 9, "medium", f"`root()` {LOOKUP} 7 and reaches a query: root -> `Directory.objects.first` "
                                              "(snoop/models.py:13)")]


def test_the_one_session_a_dependency_yields_is_no_loop():
    assert found_by(cl.NP101_ONE_SESSION_YIELDED, "NP101") == []
    assert [f[:4] for f in found_by(cl.NP101_ROWS_YIELDED, "NP101")] == [
        ("app/logs.py", 9, "high", "`session.execute` runs a query once per item of the loop at line 8")]


def test_the_terms_of_a_ratio_are_no_money():
    assert found_by(cl.PF701_RATIO_TERMS, "PF701") == []
    assert [f[:4] for f in found_by(cl.PF701_PAYMENT_TERMS, "PF701")] == [
        ("app.py", 9, "high", "`amount` stores money as a `FloatField`; so do 2 more of `PaymentUsage`'s fields: `amount2`, `total`")]


def test_a_generator_lambda_does_not_stop_the_files_pattern_rules():
    assert [f[:4] for f in found_by(cl.PF601_BESIDE_A_YIELDING_LAMBDA, "PF601")] == [
        ("app.py", 9, "high", "the statement is built by string formatting from `name` and run as SQL")]

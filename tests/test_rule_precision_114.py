"""Round 114 (issue 15): a schema upgrade named `v26_v27.py` and the helpers only such upgrades call
(one_off.version_upgrade, own_saves.runs_once), a loop over a list of steps the module spells out (loops.spelled_out),
a method other modules call through objects the scanner does not type (caller_rows._named_elsewhere), and a query a
caller switches off by handing in every table it would read (flow._all_passed); from round 116, a branch for one key
of a dict's items (one_match.dict_key) and an object's cache filled for every key at once (flow._returns_a_hit); from
round 117, a queryset handed to `Prefetch(...)` (queries._sink) and a context queryset refined by reassignment
(views._context_data)."""

from mcp_server.analysis.batch_context import REQUEST_SIZED
from mcp_server.rules import (caller_examples as cx, object_memo_examples as mx, prefetch_examples as px, remote_examples as rx,
                              template_examples as tx, upgrade_examples as ux)
from mcp_server.rules.static import DJANGO_MODELS
from mcp_server.rules.template_examples import with_models
from rule_cases import found_by

ROW_WRITE = "one UPDATE per item of the loop at line {}: a round trip and a statement per row"


def test_an_upgrade_named_for_the_versions_it_moves_between_runs_once():
    assert found_by(ux.PF201_VERSIONED_UPGRADE, "PF201") == []
    [(path, line, severity, message, _fix)] = found_by(ux.PF201_UNVERSIONED_UPGRADE, "PF201")
    assert (path, line, severity, message) == ("ledger/db/upgrades/rates.py", 6, "high", ROW_WRITE.format(5))
    renamed = {**ux.PF201_UNVERSIONED_UPGRADE}
    renamed["ledger/db/upgrades/v3_to_v4.py"] = renamed.pop("ledger/db/upgrades/rates.py")
    assert found_by(renamed, "PF201") == []
    api = {**ux.PF201_UNVERSIONED_UPGRADE}
    api["ledger/db/upgrades/v2.py"] = api.pop("ledger/db/upgrades/rates.py")  # one version is a module's name, not a move
    assert [(p, ln, s) for p, ln, s, _m, _f in found_by(api, "PF201")] == [("ledger/db/upgrades/v2.py", 6, "high")]


def test_a_helper_only_upgrades_call_pays_its_per_row_cost_once():
    [(path, line, severity, message, _fix)] = found_by(ux.PF201_HELPER_OF_UPGRADES, "PF201")
    assert (path, line, severity) == ("ledger/db/utils.py", 5, "low")
    assert message == (ROW_WRITE.format(4) + "; it runs only from a version upgrade script (named for the versions it moves "
                       "between, run once on upgrade), so the per-row cost is paid once, over a table such code keeps small "
                       "(defaults, a registry, a backfill)")
    [(path, line, severity, message, _fix)] = found_by(ux.PF201_HELPER_OF_OTHER_CODE, "PF201")
    assert (path, line, severity, message) == ("ledger/db/utils.py", 5, "low", ROW_WRITE.format(4) + REQUEST_SIZED)


def test_a_checkpoint_per_step_of_a_spelled_out_list_is_not_a_write_per_row():
    assert found_by(ux.PF201_STEPS_SPELLED_OUT, "PF201") == []
    [(path, line, severity, message, _fix)] = found_by(ux.PF201_STEPS_QUERIED, "PF201")
    # what `pending_steps()` returns is not shown to be rows: found at low, with the reason (row_writes.unsized_statement)
    assert (path, line, severity) == ("app/migrate.py", 39, "low")
    assert message == ("one INSERT per item of the loop at line 33: a round trip and a statement per row; the loop does not walk "
                       "rows of a query (its size is unknown), so it matters only when it runs over many items")


def test_a_method_other_modules_call_through_untyped_objects_is_low_and_says_so():
    [(path, line, severity, message, _fix)] = found_by(cx.NP101_CALLED_UNTYPED, "NP101")
    assert (path, line, severity) == ("billing/ledger.py", 7, "low")
    assert message == ("`Client.objects.get` runs a query once per item of the loop at line 7; the loop walks the parameter "
                       "`client_ids`, and no caller in the project is shown to pass it the rows of a query (other modules name "
                       "`client_names`: calls, as far as can be told, through objects the scanner does not tie to its class, "
                       "passing what it does not follow), so it matters only when they pass many")
    [(path, line, severity, message, _fix)] = found_by(cx.NP101_CALLED_FROM_NOWHERE, "NP101")
    assert (path, line, severity) == ("billing/ledger.py", 7, "medium")
    assert "(nothing in the project calls it: its callers are outside the project)" in message


def test_a_query_after_a_guard_on_every_table_the_caller_hands_in_never_runs():
    assert found_by({"app.py": cx.NP102_TABLES_HANDED_IN}, "NP102") == []
    [(path, line, severity, message, _fix)] = found_by({"app.py": cx.NP102_ONE_TABLE_HANDED_IN}, "NP102")
    assert (path, line, severity) == ("app.py", 21, "high")
    assert message == ("`treatment_of()` is called once per item of the loop at line 21 and reaches a query: treatment_of -> "
                       "`cursor.execute` (app.py:11)")


def test_a_branch_for_one_key_of_a_dict_runs_once_not_per_item():
    # round 116 (cosinnus): `for key, value in data.items(): if key == "avatar"`: a dict's keys are unique
    assert found_by({"app.py": rx.NP105_DICT_KEY_MATCH}, "NP105") == []
    [(path, line, severity, message, _fix)] = found_by({"app.py": rx.NP105_PAIR_KEY_MATCH}, "NP105")
    assert (path, line, severity) == ("app.py", 13, "medium")
    assert message.startswith("`download_avatar()` is called once per item of the loop at line 11 and reaches a remote call")


def test_a_method_that_fills_its_object_cache_for_every_key_queries_once_per_object():
    # round 116 (aleph): `if action in self._clients: return ...`, then `self._clients = {READ: ..., WRITE: ...}`
    assert found_by(mx.NP102_FILLED_WHOLE_ON_OBJECT, "NP102") == []
    [(path, line, severity, message, _fix)] = found_by(mx.NP102_FILLED_LOCALLY, "NP102")
    assert (path, line, severity) == ("ledger/access.py", 31, "high")
    assert message == ("`can()` is called once per item of the loop at line 30 and reaches a query: can -> clients -> "
                       "`session.query` (ledger/access.py:18)")


def test_the_queryset_handed_to_prefetch_is_no_query_of_its_own():
    # round 117 (YourNextRepresentative): `Prefetch("payments", Payment.objects.select_related(...))` per client
    assert found_by(px.NP101_PREFETCH_QUERYSET_NEGATIVE, "NP101") == []
    [(path, line, severity, message, _fix)] = found_by(px.NP101_PREFETCH_QUERYSET_NEGATIVE, "NP103")
    assert (path, line, severity) == ("billing/views.py", 10, "high")  # the related manager's query per client stays
    [(path, line, severity, message, _fix)] = found_by(px.NP101_COUNTED_QUERYSET_POSITIVE, "NP101")
    assert (path, line, severity, message) == ("billing/views.py", 6, "high",
                                               "`Payment.objects.count` runs a query once per item of the loop at line 6")


def test_a_context_queryset_refined_by_reassignment_keeps_its_eager_loading():
    # round 117 (YourNextRepresentative): `qs = qs.select_related("post")` in get_context_data
    assert found_by(with_models(DJANGO_MODELS, [tx.NP107_REFINED_NEGATIVE])[0], "NP107") == []
    [(path, line, severity, message, _fix)] = found_by(with_models(DJANGO_MODELS, [tx.NP107_UNREFINED_POSITIVE])[0], "NP107")
    assert (path, line, severity) == ("billing/templates/billing/invoices.html", 4, "high")
    assert message == ('`inv.client.name` loads Invoice.client once per row in the loop at line 3: the queryset at '
                       'billing/views.py:13 has no select_related("client")')

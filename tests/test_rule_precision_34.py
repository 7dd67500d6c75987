"""Findings judged on applications nobody here had read (stop 34, round 32), each cause fixed, exact."""

import ast

from mcp_server.analysis.loop_size import classify
from mcp_server.analysis.scan import scan_sources
from mcp_server.rules import all_rules
from mcp_server.rules.io_examples import PF301_UNSIZED
from rule_cases import found_after

def _example(examples, path, marker):
    """The rule example whose file `path` holds `marker`."""
    return next(e for e in examples if isinstance(e, dict) and marker in e.get(path, ""))


_UNSIZED = "; the loop does not walk rows of a query (its size is unknown), so it matters only when it runs over many items"


def test_a_small_key_looked_up_per_item_of_a_list_nothing_sizes_is_low_as_np102_says():
    # WebODM's five asset types, Tandoor's one recipe's ingredients: 1 of 10 such PF301 findings judged was worth a fix
    found = [(f.rule, f.location.line, f.severity.value, f.message.endswith(_UNSIZED))
             for f in scan_sources(PF301_UNSIZED).findings if f.rule == "PF301"]
    # over the rows a parameter holds (an import's transactions) it keeps its severity
    assert found == [("PF301", 12, "low", True), ("PF301", 16, "medium", False)]


def test_a_loop_over_what_the_projects_configuration_reader_returns_is_a_handful():
    # Alerta's forwarder: `self.get_config("FWD_DESTINATIONS", default=[])`, a deployment's few peer servers
    node = ast.parse('self.get_config("FWD_DESTINATIONS", default=[], type=list)', mode="eval").body
    assert classify(node) == ("small", "the configured list FWD_DESTINATIONS (get_config())")
    assert classify(ast.parse('settings_service.get_setting("MIRRORS")', mode="eval").body)[0] == "small"
    # a key that is no setting's name, or a reader of something else: not bounded by this
    assert classify(ast.parse('self.get_config(key)', mode="eval").body)[0] == "unknown"
    assert classify(ast.parse('self.get_rows("MIRRORS")', mode="eval").body)[0] == "unknown"


def test_lookups_a_class_keeps_in_an_annotated_attribute_are_loaded():
    # doccano's export: `fields: Tuple[str, ...] = ("example", "user")` then `select_related(*self.fields)`
    annotated = _example(all_rules()["NP103"].negative, "billing/export.py", "fields:")
    assert scan_sources(annotated).findings == []
    # the same class without the lookups in its tuple: the per-row load is reported (a relation of the model's, not
    # `("payments",)`, which names no field: that query raises FieldError before any row, invalid_lookups.py)
    plain = {**annotated, "billing/export.py": annotated["billing/export.py"].replace('("client",)', '("items",)')}
    assert [(f.rule, f.location.line) for f in scan_sources(plain).findings] == [("NP103", 10)]


def test_a_range_bounded_by_a_clients_attempts_is_a_retry_loop():
    # Copr's client: `for i in range(1, self.connection_attempts + 1)`, one request again only after a failure (2 F)
    node = ast.parse("range(1, self.connection_attempts + 1)", mode="eval").body
    assert classify(node) == ("small", "a retry loop: the same work repeated on purpose")
    assert classify(ast.parse("range(1, self.page_count + 1)", mode="eval").body)[0] == "unknown"


def test_rows_filtered_by_their_key_column_beside_a_joined_column_are_one_parents_in_the_session():
    # Copr's webhook rebuild: `Copr.webhook_secret == secret` then `Package.copr_id == copr_id`; every `package.copr` is
    # that one Copr, taken from the identity map after the first
    from mcp_server.rules.row_examples import NP104_NEGATIVE
    files = _example(NP104_NEGATIVE, "books/report.py", "open_totals")
    assert scan_sources(files).findings == []
    # without the key column's filter each invoice may have its own client: reported
    assert found_after(files, "books/report.py", "Invoice.client_id == client_id", "Invoice.id > client_id") == [("NP104", 6)]


def test_a_property_that_saves_its_answer_in_the_rows_column_queries_once_per_row_ever():
    # Mozilla Experimenter's start and end dates (2 F CACHED): `if self._start_date is not None: return ...`, else
    # query the changelog, store the date and `self.save()`
    files = _example(all_rules()["NP103"].negative, "billing/models.py", "_paid_on")
    assert scan_sources(files).findings == []
    # kept on the instance only, it is asked again on the next request's rows: one query per row (views.py:6), reported
    assert found_after(files, "billing/models.py", "            self.save()\n", "") == [("NP103", 6)]


def test_a_module_dict_checked_before_the_query_is_a_memo():
    # Sefaria's `public_user_data` (4 F CACHED): `if uid in cache and not refresh: return cache[uid]` ... `cache[uid] = data`
    files = next(e for e in all_rules()["NP102"].negative if isinstance(e, dict) and "billing/names.py" in e)
    assert scan_sources(files).findings == []
    # a dict made anew on every call remembers nothing
    moved = {**files, "billing/names.py": files["billing/names.py"].replace("_client_names = {}\n", "")}
    assert found_after(moved, "billing/names.py", "def client_name(client_id, refresh=False):\n",
                        "def client_name(client_id, refresh=False):\n    _client_names = {}\n") == [("NP102", 16)]


def test_a_loop_whose_body_always_leaves_walks_one_row():
    # Packit's VM image handler: both branches of the body return, so `model.runs` loads once, not per row (F)
    files = _example(all_rules()["NP103"].negative, "billing/status.py", "report_first")
    assert scan_sources(files).findings == []
    # a `continue` moves on to the next row: every row may reach the relation
    assert found_after(files, "billing/status.py", '            return "already reported"', "            continue") == [("NP103", 7)]


def test_a_lazy_queryset_handed_to_a_helper_is_not_run_in_the_coroutine():
    # venueless (round 35, 2 F): `await get_public_users(ids=Membership.objects.filter(...).values_list(...))`, the
    # helper wrapped in `database_sync_to_async` runs it as a subquery
    files = _example(all_rules()["PF801"].negative, "billing/chat.py", "client_totals")
    assert scan_sources(files).findings == []
    # `list(...)` runs it right there, in the coroutine
    run_here = files["billing/chat.py"] + '''

async def client_ids(client_id):
    return list(Invoice.objects.filter(client_id=client_id).values_list("id", flat=True))
'''
    assert [(f.rule, f.location.line) for f in scan_sources({**files, "billing/chat.py": run_here}).findings] == [("PF801", 16)]


def test_a_keyword_the_caller_passes_switches_off_the_branch_that_reads_the_relation():
    # Copr's rawhide-to-release command passes `copr_chroot=...` over several lines; `new()` reads `build.copr` only
    # under `if copr_chroot is None:` after `copr_chroot = kwargs.pop("copr_chroot", None)` (F DEAD)
    from mcp_server.rules.row_examples import NP104_NEGATIVE
    files = _example(NP104_NEGATIVE, "books/logic.py", "kwargs.pop")
    assert scan_sources(files).findings == []
    # a caller that leaves it out reaches the relation for every row
    assert found_after(files, "books/report.py", "            client=client,\n", "") == [("NP104", 9)]

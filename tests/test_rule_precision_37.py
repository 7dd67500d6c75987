"""Findings judged false on applications nobody here had read (stop 35: round 36's leftovers and rounds 37 to 39),
each cause fixed, exact."""

from mcp_server.analysis.scan import scan_sources
from mcp_server.rules import all_rules
from rule_cases import example, found_after


def _found(source, rule=None):
    return [(f.rule, f.location.line, f.severity.value) for f in scan_sources({"ledger/store.py": source}).findings
            if rule is None or f.rule == rule]


def test_a_connection_kept_on_the_object_is_reused_by_a_caller_that_does_not_let_the_helper_close_it():
    # Archery's engines: `if self.conn: return self.conn`, a query closing it `finally: if close_conn: self.close()`,
    # and per-table loops passing `close_conn=False` (3 F at `high`)
    rule = all_rules()["PF502"]
    reused = example(rule.negative, "close_conn=False) for a")
    assert _found(reused, "PF502") == []
    # a caller that leaves `close_conn` on connects on every item: reported
    closed = example(rule.positive, "(a,)) for a in account_ids")
    assert _found(closed, "PF502") == [("PF502", 23, "high")]
    # and with no close at all, the first call's connection serves every item
    never_closed = closed.replace("                self.close()\n", "                pass\n")
    assert _found(never_closed, "PF502") == []


def test_a_write_or_query_after_a_dict_lookup_finds_nothing_and_stored_back_runs_once_per_key():
    # Archery's data masking: `rule = rules.get(kind)`, `if not rule and kind == 100:` creates the default rule and
    # stores it in `rules` (PF201 judged false at `high`); the usual `x = cache.get(k)` / `if x is None:` memo too
    masking = example(all_rules()["PF201"].negative, "clients.get(column")
    path = "billing/masking.py"
    assert scan_sources(masking).findings == []
    assert found_after(masking, path, '            clients["default"] = client\n', "") == [("PF201", 10)]
    memo = example(all_rules()["NP101"].negative, "names.get(inv.client_id)")
    path = "billing/report.py"
    assert scan_sources(memo).findings == []
    # never stored back: a query per invoice
    assert found_after(memo, path, "name = names[inv.client_id] = Client", "name = Client") == [("NP101", 8)]


def test_related_rows_bound_to_a_name_used_only_as_an_in_lookups_value_are_a_subquery():
    # Squad's thresholds: `environments = threshold.project.environments.all() if ... else [...]`, then
    # `filter(environment__in=environments)`: the relation is read by that query's SQL (judged false)
    embedded = example(all_rules()["NP103"].negative, "where |= Q(invoice__in=invoices)")
    path = "billing/report.py"
    assert scan_sources(embedded).findings == []
    # loaded by itself first (`list(invoices)`): a query per item
    assert found_after(embedded, path, "Q(invoice__in=invoices)", "Q(invoice__in=list(invoices))") == [("NP103", 9)]


def test_rows_a_related_manager_queries_anew_per_outer_row_take_their_own_select_related():
    # Coldfront's PI's users: `for au in allocation.allocationuser_set.filter(...).order_by(...)`, then `au.user`;
    # the fix named the outer queryset's prefetch, which that new query never reads (judged WRONGFIX)
    nested = example(all_rules()["NP103"].positive, "ledger.entries.filter(amount__gt=0)")
    found = scan_sources(nested).findings
    assert [(f.rule, f.location.line) for f in found] == [("NP103", 8), ("NP103", 9)]  # the query per ledger, then per entry
    f = found[1]
    assert "call" not in f.data  # no patch: the outer queryset's would not help
    assert f.message == ("`entry.author.name` loads Entry.author once per row in the loop at line 8: the query that loop walks "
                         "(ledger/report.py:8) runs anew for each outer row and has no select_related(\"author\")")
    assert f.suggestion == ("Add `.select_related(\"author\")` to the query the loop at line 8 walks (ledger/report.py:8): it runs "
                            "anew for each outer row, so a prefetch on the outer queryset would not reach it.")


def test_a_map_kept_on_the_class_built_when_it_is_not_a_dict_yet_is_read_once_and_a_reshaped_value_is_not_a_cache():
    # JumpServer's organisations: `if not isinstance(cls.orgs_mapping, dict): cls.orgs_mapping = cls.construct()`
    from mcp_server.rules.io_examples import PF301_CLASS_MAP
    assert _found(PF301_CLASS_MAP) == []
    # `if not isinstance(cls.by_code, list): cls.by_code = [cls.by_code]` reshapes what is there: no cache, and the file
    # read below it runs on every call
    reshaped = PF301_CLASS_MAP.replace(
        "        if not isinstance(cls.by_code, dict):\n            with open(\"branches.json\") as f:\n                cls.by_code = json.load(f)\n"
        "        return cls.by_code.get(code)\n",
        "        if not isinstance(cls.by_code, list):\n            cls.by_code = [cls.by_code]\n        with open(\"branches.json\") as f:\n"
        "            return json.load(f).get(code)\n")
    assert reshaped != PF301_CLASS_MAP
    assert _found(reshaped, "PF301") == [("PF301", 17, "medium")]


_MARKED = '''
async def stamp(db, key, value, checking_id):
    await db.execute(
        # the placeholder helper returns `to_timestamp(:value)`: no value is formatted in
        f"""
        UPDATE payments SET {key} = {db.timestamp_placeholder("value")}
        WHERE checking_id = :checking_id
        """,  MARK
        {"value": value, "checking_id": checking_id},
    )
'''


def test_another_tools_mark_for_the_same_injection_alarm_lowers_pf601_as_nosec_does():
    # LNbits marks its formatted statements `# noqa: S608` after the string, as ruff wants (3 PF601 judged false at
    # `high`): the project reviewed them for injection, as bandit's `# nosec` says (round 14: `low`, with the mark)
    found = {mark: _found(_MARKED.replace("MARK", mark), "PF601")
             for mark in ("# noqa: S608", "# noqa: E501,S608", "# nosec", "# noqa: E501", "")}
    assert found == {"# noqa: S608": [("PF601", 3, "low")], "# noqa: E501,S608": [("PF601", 3, "low")], "# nosec": [("PF601", 3, "low")],
                     "# noqa: E501": [("PF601", 3, "low")], "": [("PF601", 3, "low")]}  # (`SET {key}`: a column's place, round 103)
    [f] = scan_sources({"ledger/store.py": _MARKED.replace("MARK", "# noqa: S608")}).findings
    assert f.message.endswith("; the statement is marked `# noqa: S608`, so someone reviewed what it formats")
    # a mark naming the rule itself anywhere in the statement silences it, as ruff's does
    assert _found(_MARKED.replace("MARK", "# noqa: PF601")) == []


def test_a_streamed_responses_events_and_a_class_attributes_pair_are_a_handful():
    import ast

    from mcp_server.analysis.loop_size import classify
    # LNbits' paid-invoice stream: one lookup per event as it arrives, nothing to batch (NP105 judged WRONGFIX)
    assert classify(ast.parse("r.aiter_lines()", mode="eval").body) == \
        ("small", "a stream's events, handled one at a time as they arrive (`aiter_lines()`)")
    assert classify(ast.parse("r.json()", mode="eval").body)[0] == "unknown"
    # NEMO's interlock's two fallback URLs, read as `cls.state_xml_names` in a classmethod
    assert _found(example(all_rules()["NP105"].negative, "cls.endpoints")) == []


_TIMED = '''
import requests


def timings(base, paths):
    out = {}
    for path in paths:
        response = requests.get(base + path, timeout=10)
        out[path] = response.headers.get("X-Timer")
    return out
'''


def test_a_benchmark_script_times_its_calls_one_after_another_on_purpose():
    # Nyaa's `utils/simple_bench.py` (NP105 judged WRONGFIX: gathering the requests would spoil the timing)
    from mcp_server.analysis.facts import ModuleFacts
    from mcp_server.analysis.one_off import module_reason
    assert scan_sources({"app/utils/simple_bench.py": _TIMED}).findings == []
    assert scan_sources({"loadtests/invoices.py": _TIMED}).findings == []
    assert module_reason(ModuleFacts(path="app/utils/simple_bench.py", module="app.utils.simple_bench", lines=10)) == \
        "a benchmark or load test (it times its calls one after another on purpose)"
    # the same loop in the application's own module keeps its severity
    assert [(f.rule, f.severity.value) for f in scan_sources({"app/utils/feeds.py": _TIMED}).findings] == [("NP105", "medium")]

"""Findings judged on applications nobody here had read (stop 34, round 32), each cause fixed, exact."""

import ast

from mcp_server.analysis.loop_size import classify
from mcp_server.analysis.scan import scan_sources
from mcp_server.rules import all_rules
from mcp_server.rules.io_examples import PF301_UNSIZED

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
    annotated = next(e for e in all_rules()["NP103"].negative if isinstance(e, dict) and "billing/export.py" in e)
    assert scan_sources(annotated).findings == []
    # the same class without the lookups in its tuple: the per-row load is reported
    plain = {**annotated, "billing/export.py": annotated["billing/export.py"].replace('("client",)', '("payments",)')}
    assert [(f.rule, f.location.line) for f in scan_sources(plain).findings] == [("NP103", 10)]

"""Rounds 143 and on (issue 15, stop 63): each cause fixed this stop, with the twin that keeps its finding."""

from rule_cases import found_by


def test_a_fetchall_from_oracles_one_row_dual_is_bounded():
    from mcp_server.rules.whole_loads_examples import PF401_ONE_ROW_TABLE, PF401_REAL_TABLE

    assert found_by({"etl/sessions.py": PF401_ONE_ROW_TABLE}, "PF401") == []
    [(path, line, severity, message, _fix)] = found_by({"etl/sessions.py": PF401_REAL_TABLE}, "PF401")
    assert (line, severity) == (5, "medium")
    assert message.startswith("`fetchall()` loads every row of a query with no LIMIT into memory")


def test_the_list_takes_the_serializer_a_class_dict_names_for_the_list_action():
    from mcp_server.rules.action_serializers_examples import NP103_HEAVY_LIST, NP103_LIGHT_LIST

    assert found_by(NP103_LIGHT_LIST, "NP103") == []
    [payments, client] = found_by(NP103_HEAVY_LIST, "NP103")
    assert payments[:3] == ("billing/serializers.py", 13, "high")
    assert client[:3] == ("billing/serializers.py", 14, "high")
    assert client[3].startswith("`obj.client` loads Invoice.client once per row in the loop at line 9: the queryset at "
                                "billing/views.py:9 has no select_related(\"client\")")


def test_what_a_serializer_does_only_for_other_http_methods_never_runs_for_a_list():
    from mcp_server.rules.verb_examples import VERB_GET_KEPT, VERB_WRITES_ONLY

    assert found_by(VERB_WRITES_ONLY, "NP102") == [] and found_by(VERB_WRITES_ONLY, "NP103") == []
    [query] = found_by(VERB_GET_KEPT, "NP102")
    assert query[:3] == ("billing/views.py", 6, "high")
    assert query[3].endswith("reaches a query: InvoiceSerializer -> get_overlapping -> `Invoice.objects.count` (billing/serializers.py:18)")
    [read] = found_by(VERB_GET_KEPT, "NP103")
    assert read[:3] == ("billing/serializers.py", 22, "high")

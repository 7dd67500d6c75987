"""Round 118 (issue 15): a related manager read after the loop wrote it on the same row (n_plus_one_relations._written_first)
and a dynamic-fields serializer's default fields (serializers.default_fields). Round 119's recursive helper only tests
call is in test_unused.py."""

from mcp_server.rules import dynamic_fields_examples as dx, prefetch_examples as px
from rule_cases import found_by


def test_a_relation_read_after_the_row_wrote_it_is_not_a_missing_prefetch():
    assert found_by(px.NP103_WRITTEN_THEN_READ_NEGATIVE, "NP103") == []
    [(path, line, severity, message, fix)] = found_by(px.NP103_READ_THEN_WRITTEN_POSITIVE, "NP103")
    assert (path, line, severity) == ("billing/views.py", 7, "high")
    assert message == ("`client.invoices.exists()` loads Client.invoices once per row in the loop at line 6: the queryset at "
                       "billing/views.py:6 has no prefetch_related(\"invoices\")")
    assert fix == 'Add `.prefetch_related("invoices")` to the queryset at billing/views.py:6.'


def test_a_serializer_keeping_default_fields_reads_only_those_for_a_list_view():
    [negative] = dx.NP103_DEFAULT_FIELDS_NEGATIVE
    assert found_by(negative, "NP103") == []
    message = ("`obj.client` loads Invoice.client once per row in the loop at line 24: the queryset at billing/views.py:24 has no "
               "select_related(\"client\") (serialising each row reads `return obj.client.name`)")
    for positive in dx.NP103_DEFAULT_FIELDS_POSITIVE:  # every field by default, or a default that keeps `client`
        assert found_by(positive, "NP103") == [("billing/views.py", 20, "high", message,
                                                 'Add `.select_related("client")` to the queryset at billing/views.py:24.')]

"""Round 110 (issue 15): a serializer's `Meta.fields` written from its base's (mcp_server/analysis/meta_fields.py,
mcp_server/rules/payload_examples.py)."""

import ast

from mcp_server.analysis.meta_fields import listed_fields, meta_of
from mcp_server.rules import payload_examples as ex
from rule_cases import found_by


def test_fields_a_subclass_leaves_out_of_its_bases_list_are_not_read():
    for fields in ex.LEAN_FIELDS:
        assert found_by(ex.lean_app(fields), "NP103") == [], fields
    [(path, line, severity, message, _fix)] = found_by(ex.lean_app(ex.FULL_FIELDS), "NP103")
    assert (path, line, severity) == ("billing/serializers.py", 7, "high")
    assert message.startswith('`obj.client` loads Invoice.client once per row in the loop at line 8: the queryset at '
                              'billing/views.py:8 has no select_related("client")')


def test_what_a_meta_fields_expression_lists():
    def listed(expr):
        module = ast.parse(f"class Base:\n    class Meta:\n        fields = ['id', 'total', 'client_name']\n"
                           f"class Lean(Base):\n    class Meta:\n        fields = {expr}\n")
        classes = {c.name: c for c in module.body}
        return listed_fields(meta_of(classes["Lean"]), classes)

    assert listed("['id', 'total']") == ["id", "total"]
    assert listed("Base.Meta.fields + ('number',)") == ["id", "total", "client_name", "number"]
    assert listed("list(set(Base.Meta.fields) - {'client_name'})") == ["id", "total"]
    assert listed("[f for f in Base.Meta.fields if f not in ('client_name',)]") == ["id", "total"]
    assert listed("[f for f in Base.Meta.fields if f in SLOW]") == []  # a name of another module: not read
    assert listed("'__all__'") == [] and listed("Other.Meta.fields") == [] and listed("fields_of(Base)") == []

"""Round 105 (issue 15): a page behind Django's own permission to change or delete any row is a staff page
(mcp_server/analysis/staff_only.py, mcp_server/rules/staff_examples.py)."""

import ast

from mcp_server.analysis import staff_only
from mcp_server.rules import staff_examples as ex
from rule_cases import found_by, swapped

_LOADS = "`inv.client.name` loads Invoice.client once per row in the loop at line 9"


def _reason(code):
    return staff_only.decorator_reason(ast.parse(code + "\ndef f(): pass").body[0].decorator_list)


def _class(code, *bases):
    return staff_only.class_reason(ast.parse(code).body[0], bases)


def test_a_view_behind_a_permission_to_change_any_row_is_low_and_names_it():
    [(path, line, severity, message, _fix)] = found_by(ex.NP103_MODEL_PERMISSION_LOWERED, "NP103")
    assert (path, line, severity) == ("billing/views.py", 9, "low")
    assert message.startswith(_LOADS)
    assert "(`@permission_required('billing.change_invoice')`)" in message
    # a permission to add one's own rows is every user's: kept
    added = swapped(ex.NP103_MODEL_PERMISSION_LOWERED, "billing.change_invoice", "billing.add_invoice")
    assert [f[:3] for f in found_by(added, "NP103")] == [("billing/views.py", 9, "high")]


def test_the_same_permission_checked_against_one_row_is_its_owners_and_kept():
    assert [f[:3] for f in found_by(ex.NP103_ROW_PERMISSION_KEPT, "NP103")] == [("billing/views.py", 9, "high")]
    assert _reason('@permission_required("forum.delete_post")') == "`@permission_required('forum.delete_post')`"
    assert _reason('@permission_required("forum.change_post", (Post, "pk", "pk"))') == ""  # guardian's row lookup
    assert _reason('@permission_required("change_post")') == ""  # no application's model permission


def test_a_mixin_with_a_permission_to_change_any_row_unless_it_checks_the_views_own_row():
    code = 'class Q(PermissionRequiredMixin, ListView):\n    permission_required = "tutorialv2.change_validation"\n'
    django = ("django.contrib.auth.mixins.PermissionRequiredMixin", "django.views.generic.ListView")
    assert _class(code, *django) == "`permission_required = 'tutorialv2.change_validation'`"
    assert _class(code, "guardian.mixins.PermissionRequiredMixin", "django.views.generic.ListView") == ""
    assert _class(code + "\n    def get_permission_object(self):\n        return self.get_object()\n", *django) == ""


def test_a_loop_whose_body_targets_each_items_own_database_is_no_n_plus_one():
    # Nova's cells: `with target_cell(context, cell):` per cell (judged WRONGFIX: one query per cell's database)
    from mcp_server.rules.jsonapi_examples import CELL_NEGATIVE

    assert found_by(CELL_NEGATIVE, "NP101") == []
    same = swapped(CELL_NEGATIVE, "with target_cell(client.cell):", "if client.cell:")
    assert [f[:3] for f in found_by(same, "NP101")] == [("billing/views.py", 10, "high")]

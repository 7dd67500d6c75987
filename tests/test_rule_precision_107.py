"""Round 107 (issue 15): a statement per table the loop reflects from each item's name, and rows saved one by one
for their save signals as the docstring says, are no row-by-row writes (mcp_server/analysis/pattern_writes.py,
mcp_server/analysis/row_writes.py; examples in mcp_server/rules/statement_examples.py and intent_examples.py); a
Pyramid view behind an admin's permission is staff-only (mcp_server/analysis/staff_only.py, staff_examples.py)."""

from mcp_server.analysis.batch_context import REQUEST_SIZED
import ast

from mcp_server.analysis import staff_only
from mcp_server.rules import staff_examples as ex
from mcp_server.rules.intent_examples import PF201_SAVED_FOR_SIGNALS
from mcp_server.rules.statement_examples import PF201_REFLECTED_PER_TABLE
from rule_cases import found_by, swapped

_PURGE = {"ops/purge.py": PF201_REFLECTED_PER_TABLE}


def test_one_delete_per_table_reflected_from_the_items_name_is_no_row_by_row_write():
    assert found_by(_PURGE, "PF201") == []
    # the same DELETE on one fixed table, per item: a statement per row
    fixed = swapped(_PURGE, "Table(name, metadata", 'Table("journal", metadata')
    [(path, line, severity, message, _fix)] = found_by(fixed, "PF201")
    assert (path, line, severity) == ("ops/purge.py", 12, "low")  # `tables`: a parameter no caller shows, outside bulk code
    assert message.endswith(REQUEST_SIZED)
    assert message.startswith("one DELETE statement per item of the loop at line 10")


def test_rows_saved_one_by_one_for_their_signals_as_the_docstring_says_are_kept():
    assert found_by(PF201_SAVED_FOR_SIGNALS, "PF201") == []
    said = "so\n    post-save hooks still fire for the consumers that rely on them."
    plain = swapped(PF201_SAVED_FOR_SIGNALS, said, "to keep\n    the list short.")
    [(path, line, severity, message, _fix)] = found_by(plain, "PF201")
    assert (path, line, severity) == ("journals/tasks.py", 10, "high")
    assert message.startswith("`sub.save()` writes one row per item of the loop at line 8")
    # a docstring that says nothing of signals, or that they are not wanted, keeps the finding
    nightly = swapped(PF201_SAVED_FOR_SIGNALS, said, "and\n    saved, run by the nightly job.")
    assert [f[1] for f in found_by(nightly, "PF201")] == [10]
    unwanted = swapped(PF201_SAVED_FOR_SIGNALS, said, "so\n    post-save hooks do not fire twice.")
    assert [f[1] for f in found_by(unwanted, "PF201")] == [10]


def _view_reason(decorator):
    return staff_only.decorator_reason(ast.parse(f"{decorator}\ndef f(request): pass").body[0].decorator_list)


def test_a_pyramid_view_behind_an_admins_permission_is_staff_only_and_low():
    [(path, line, severity, message, _fix)] = found_by(ex.NP104_PYRAMID_ADMIN_LOWERED, "NP104")
    assert (path, line, severity) == ("books/views.py", 9, "low")
    assert "only staff reach it (`@view_config(permission=Permission.AdminPage.HIGH_RISK)`)" in message
    assert [f[:3] for f in found_by(ex.NP104_PYRAMID_READER_KEPT, "NP104")] == [("books/views.py", 9, "high")]
    assert _view_reason('@view_defaults(route_name="admin.users", permission="admin")') == "`@view_defaults(permission='admin')`"
    assert _view_reason('@view_config(route_name="admin.users", permission="edit")') == ""  # a route's name is no permission
    assert _view_reason('@view_config(route_name="groups.read", permission=Permission.Group.READ)') == ""

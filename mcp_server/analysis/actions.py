"""What a DRF viewset's test of `self.action` says of the `list` action, the one that serialises many rows.

`get_queryset()` and `get_serializer_class()` often branch on the action: the list gets its eager loading (or a
light serializer) in one branch, retrieve or update in another. Read as if every branch could run, the list's rows
would be judged by a branch that never serves it (`else: queryset = Event.objects.all()` for updates)."""

from __future__ import annotations

import ast

from .nodes import dotted


def for_list(test: ast.AST) -> bool | None:
    """True when `test` holds for the list action (`self.action == "list"`, `self.action in ("list", "upcoming")`),
    False when it does not (`self.action == "retrieve"`, `!= "list"`), None when it is not a test of the action. So for
    `self.action == "update" or self.action == "partial_update"`, whose parts all test the action (a psychology clinic's
    profiles, round 325: the update serializer taken for the list's, judged false)."""
    if type(test) is ast.BoolOp:
        parts = [for_list(v) for v in test.values]
        if None in parts:
            return None
        return any(parts) if type(test.op) is ast.Or else all(parts)
    if not (type(test) is ast.Compare and len(test.ops) == 1 and _action(test.left)):
        return None
    op, right = type(test.ops[0]), test.comparators[0]
    if op in (ast.Eq, ast.NotEq) and type(right) is ast.Constant and isinstance(right.value, str):
        return (right.value == "list") == (op is ast.Eq)
    if op in (ast.In, ast.NotIn) and type(right) in (ast.Tuple, ast.List, ast.Set) \
            and all(type(e) is ast.Constant and isinstance(e.value, str) for e in right.elts):
        return any(e.value == "list" for e in right.elts) == (op is ast.In)
    return None


def _action(node: ast.AST) -> bool:
    if dotted(node) == "self.action":
        return True
    return type(node) is ast.Call and dotted(node.func) == "getattr" and len(node.args) >= 2 and dotted(node.args[0]) == "self" \
        and type(node.args[1]) is ast.Constant and node.args[1].value == "action"

"""A function that hands back a value its row may already carry before it queries: `if hasattr(self, "_completion_date"):
return self._completion_date`, or a serializer's `count = getattr(instance, "apartment_count", None); if count is not None:
return count` before `instance.apartments.count()`, or `return getattr(instance, "item_count", None) or
instance.items.count()`, or `try: return self._average_creepiness` with `except AttributeError:`. When the loop's
queryset annotates that name on every row (`.annotate(_completion_date=...)`), the function returns it and never
queries (Hitas: 4 NP102 and 1 NP103 judged false in round 44's sequel, round 45)."""

from __future__ import annotations

import ast

from .nodes import dotted

_LOOK = 4  # the guard comes first: a docstring, an early exit, the getattr binding, the test


def answered_by(node: ast.FunctionDef | ast.AsyncFunctionDef) -> tuple[str, str] | None:
    """(parameter, attribute) when the function first returns `<parameter>.<attribute>` if the row has it."""
    params = [a.arg for a in (*node.args.posonlyargs, *node.args.args)]
    got: dict[str, tuple[str, str]] = {}  # `count = getattr(instance, "apartment_count", None)`
    for stmt in node.body[:_LOOK + 1]:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            read = attribute_probe(stmt.value, params)
            if read:
                got[stmt.targets[0].id] = read
        elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.value is not None:
            read = attribute_probe(stmt.value, params)
            if read:
                got[stmt.target.id] = read
        elif isinstance(stmt, ast.Try) and len(stmt.body) == 1 and isinstance(stmt.body[0], ast.Return) \
                and isinstance(ret := stmt.body[0].value, ast.Attribute) and isinstance(ret.value, ast.Name) \
                and ret.value.id in params and any(dotted(h.type) == "AttributeError" for h in stmt.handlers if h.type is not None):
            # `try: return self._average_creepiness` / `except AttributeError:` (the Mozilla Foundation's buyer's guide)
            return ret.value.id, ret.attr
        elif isinstance(stmt, ast.Return) and isinstance(stmt.value, ast.BoolOp) and isinstance(stmt.value.op, ast.Or):
            # `return getattr(instance, "item_count", None) or instance.items.count()` (open-discussions, round 61)
            return attribute_probe(stmt.value.values[0], params, ("getattr",))
        elif isinstance(stmt, ast.If) and stmt.body and isinstance(stmt.body[-1], (ast.Return, ast.Raise)) and not stmt.orelse:
            read = _tested(stmt.test, params, got)
            if read:
                return read
            # another early exit (`if not obj.is_upgradable: return None`): the answer may still come before the query
        elif not (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant)):
            return None
    return None


def attribute_probe(node: ast.AST, params, probes=("getattr", "hasattr")) -> tuple[str, str] | None:
    """`getattr(instance, "name", None)` or `hasattr(instance, "name")` on a parameter: (parameter, "name")."""
    if isinstance(node, ast.Call) and dotted(node.func) in probes and len(node.args) >= 2 \
            and isinstance(node.args[0], ast.Name) and node.args[0].id in params \
            and isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str):
        return node.args[0].id, node.args[1].value
    return None


def _tested(test: ast.AST, params: list[str], got: dict[str, tuple[str, str]]) -> tuple[str, str] | None:
    """`hasattr(self, "x")`, `getattr(self, "x", None) is not None`, `count is not None` or `count` of a getattr binding."""
    if isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.IsNot) \
            and isinstance(test.comparators[0], ast.Constant) and test.comparators[0].value is None:
        test = test.left
    if isinstance(test, ast.Name):
        return got.get(test.id)
    return attribute_probe(test, params)

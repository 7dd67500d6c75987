"""Statements that never run: those after a `return`, `raise`, `continue` or `break` in the same block, or after a call
that always raises: Flask's `abort(...)`, `sys.exit(...)`, or a function named for raising (`raise_deprecation_error
(request)` opening MetaboLights' deprecated handlers, round 183: three findings judged DEAD), not one named for a
condition (`raise_for_status()`, `raise_if_locked()`).

Code left behind an early `return` (`return False  # todo: re-enable`: SimpleLogin's rate limiter, round 50; statdev's
compliance creation, "now handled by a cron script", round 178: three findings judged DEAD) is still in the file but runs
for no one; a finding in it wastes a reader's time. Every rule reads the tree without them, but for a bare `yield` after
the `return` (the idiom of an empty generator), which still makes its function a generator.
"""

from __future__ import annotations

import ast
import re

_ENDS = (ast.Return, ast.Raise, ast.Continue, ast.Break)
_BLOCKS = ("body", "orelse", "finalbody")
_RAISING = re.compile(r"^_*raise_(?!(\w*_)?(if|unless|for|when|on)(_|$))\w+$")
_ABORT_MODULES = ("flask", "werkzeug", "werkzeug.exceptions", "flask_restful", "flask_smorest", "quart")
_EXITS = frozenset({"sys.exit", "os._exit", *(f"{m}.abort" for m in _ABORT_MODULES)})


def prune(tree: ast.Module) -> ast.Module:
    """Drop, in place, every statement after the one that ends its block; the tree, for chaining."""
    aborts = {"exit"} | {a.asname or a.name for s in tree.body if type(s) is ast.ImportFrom and s.module in _ABORT_MODULES
                         for a in s.names if a.name == "abort"}
    todo: list[ast.AST] = [tree]
    while todo:  # statements only: expressions hold no blocks
        node = todo.pop()
        for name in _BLOCKS:
            block = getattr(node, name, None)
            if type(block) is not list:
                continue
            end = next((i for i, stmt in enumerate(block) if isinstance(stmt, _ENDS) or _always_raises(stmt, aborts)), len(block))
            if end + 1 < len(block):
                block[end + 1:] = [stmt for stmt in block[end + 1:] if _bare_yield(stmt)]
            todo.extend(block)
        todo.extend(getattr(node, "handlers", ()))
        todo.extend(getattr(node, "cases", ()))
    return tree


def _always_raises(stmt: ast.stmt, aborts: set[str]) -> bool:
    """`abort(404)` of Flask's, `sys.exit(1)`, `raise_deprecation_error(request)`: a statement of a call that never returns."""
    if type(stmt) is not ast.Expr or type(call := stmt.value) is not ast.Call:
        return False
    func = call.func
    if type(func) is ast.Name:
        return func.id in aborts or _RAISING.match(func.id) is not None
    if type(func) is ast.Attribute and type(func.value) is ast.Name:
        return f"{func.value.id}.{func.attr}" in _EXITS or (func.value.id not in ("self", "cls") and _RAISING.match(func.attr) is not None)
    return False


def _bare_yield(stmt: ast.stmt) -> bool:
    return type(stmt) is ast.Expr and isinstance(stmt.value, (ast.Yield, ast.YieldFrom))

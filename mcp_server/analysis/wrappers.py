"""The project's own decorators that only wrap: `@is_paired_terminal` defined as `def is_paired_terminal(function):
@wraps(function) def wrap(...): ... return function(...); return wrap`. Such a decorator registers the function with
nothing, so it does not make the function reachable without its name (unused.py): a view it guards still serves only
where a URL configuration names it.

Read on real applications (issue 15, round 202): Makerspace Leiden's terminal views behind `@is_paired_terminal` that
no `urls.py` routes any more (3 findings judged DEAD) were taken as registered by the decorator and kept listed.
A decorator that hands the function to anything but a call of it or `functools.wraps` (a registry's `append`, a
dict, another framework's decorator) may register it, and still counts as one that does.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from .nodes import dotted

if TYPE_CHECKING:
    from .facts import Function, ModuleFacts
    from .index import ProjectIndex

_WRAPS = frozenset({"wraps", "functools.wraps", "update_wrapper", "functools.update_wrapper"})


def only_wraps(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """`node` is a decorator that only wraps its one parameter, or a factory of one (`def role_required(role):` whose
    body returns such a decorator)."""
    inner = _returned_def(node)
    if inner is None:
        return False
    if len(node.args.args) == 1 and not node.args.vararg and _wraps(inner, node.args.args[0].arg, node):
        return True
    return only_wraps(inner) and not any(isinstance(n, ast.Yield) for n in ast.walk(node))


def _returned_def(node: ast.FunctionDef | ast.AsyncFunctionDef) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    """The nested function `node` ends by returning (`return wrap`)."""
    last = node.body[-1] if node.body else None
    if not (isinstance(last, ast.Return) and isinstance(last.value, ast.Name)):
        return None
    return next((s for s in node.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)) and s.name == last.value.id), None)


def _wraps(inner: ast.FunctionDef | ast.AsyncFunctionDef, param: str, outer: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Every use of the decorated function `param` in `outer` is a call of it or `functools.wraps(param)`."""
    allowed: set[int] = set()
    for n in ast.walk(outer):
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == param:
            allowed.add(id(n.func))
        elif isinstance(n, ast.Call) and dotted(n.func) in _WRAPS and n.args and isinstance(n.args[0], ast.Name):
            allowed.add(id(n.args[0]))
    uses = [n for n in ast.walk(outer) if isinstance(n, ast.Name) and n.id == param and isinstance(n.ctx, ast.Load)]
    return bool(uses) and all(id(n) in allowed for n in uses) and any(id(n) in allowed for n in ast.walk(inner))


def only_wrapped(index: ProjectIndex, module: ModuleFacts, fn: Function) -> bool:
    """Every decorator of `fn` that may register it is one of the project's that only wraps."""
    if not fn.wrapped_by:
        return False
    for name in fn.wrapped_by:
        key = index.resolve_function(name, module)
        found = index.functions.get(key) if key else None
        if found is None or found[1].qualname not in found[0].wrapping:
            return False
    return True

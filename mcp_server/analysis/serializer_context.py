"""What a DRF serializer does only when its context holds a key: `if self.context.get("include_programs"):` runs for the
views that put that key in the context (their `get_serializer_context()`, or `context={...}` where the serializer is
built), never for a list view that leaves DRF's default context (request, format, view) as it is. MITx Online's course
runs list and Bootcamp's runs list serialised rows through such branches that their views never switch on (judged
false in round 47): the per-row query there does not run.

Likewise what runs only for some HTTP methods: after `if request.method != "PATCH": return None`, a list (a GET) never
gets there (eTools' overlapping activities, round 143: two findings judged false)."""

from __future__ import annotations

import ast
import functools
from typing import TYPE_CHECKING

from .nodes import dotted

if TYPE_CHECKING:
    from .facts import Function, ModuleFacts
    from .index import ProjectIndex

CTX = "ctx:"  # the flag of what runs when the serializer's context holds a key
VERB = "verb:"  # the flag of what runs only for some HTTP methods ("verb:PATCH|PUT"), "!verb:..." for the others
_DEFAULT = frozenset({"request", "format", "view"})  # what DRF's views always put in it (WebODM's `'request' in self.context`)


def context_flag(test: ast.AST) -> str | None:
    """`self.context.get("k")` (also `... is True`, `.get("k", False)`), `self.context["k"]`, `"k" in self.context`:
    "ctx:k"."""
    if isinstance(test, ast.Compare) and len(test.ops) == 1:
        if isinstance(test.ops[0], ast.Is) and isinstance(test.comparators[0], ast.Constant) and test.comparators[0].value is True:
            test = test.left
        elif isinstance(test.ops[0], ast.In) and dotted(test.comparators[0]) == "self.context" \
                and isinstance(test.left, ast.Constant) and isinstance(test.left.value, str):
            return f"{CTX}{test.left.value}" if test.left.value not in _DEFAULT else None
    key = None
    if isinstance(test, ast.Call) and isinstance(test.func, ast.Attribute) and test.func.attr == "get" \
            and dotted(test.func.value) == "self.context" and test.args:
        key = test.args[0]
    elif isinstance(test, ast.Subscript) and dotted(test.value) == "self.context":
        key = test.slice
    return f"{CTX}{key.value}" if isinstance(key, ast.Constant) and isinstance(key.value, str) and key.value not in _DEFAULT else None


def verb_flag(test: ast.AST, negated: bool = False) -> str | None:
    """`request.method == "PATCH"` (`!=`, `in (...)`, `not in`; `self.request.method`, `self.context["request"].method`):
    "verb:PATCH", or "!verb:..." for the other methods; for the test's `not` when `negated` (what follows `if ...:
    return`). A part of `if a and b:` decides the body, a part of `if a or b: return` what follows."""
    if isinstance(test, ast.BoolOp):
        if isinstance(test.op, ast.Or) is not negated:
            return None
        return next((f for f in (verb_flag(v, negated) for v in test.values) if f), None)
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.left, ast.Attribute)
            and test.left.attr == "method" and "request" in ast.unparse(test.left.value).lower()):
        return None
    op, right = test.ops[0], test.comparators[0]
    values = [right] if isinstance(op, (ast.Eq, ast.NotEq)) else right.elts if isinstance(op, (ast.In, ast.NotIn)) \
        and isinstance(right, (ast.Tuple, ast.List, ast.Set)) else []
    if not values or not all(isinstance(v, ast.Constant) and isinstance(v.value, str) for v in values):
        return None
    other = isinstance(op, (ast.NotEq, ast.NotIn)) is not negated
    return f"{'!' if other else ''}{VERB}{'|'.join(v.value.upper() for v in values)}"


def switched_off(index: ProjectIndex, module: ModuleFacts, fn: Function, flag: str | None, loop_text: str) -> bool:
    """Whether what runs under `flag` (a "ctx:" one) never runs for the rows the loop in `fn` serialises: the loop is a
    list view's (DRF's own loop) whose `get_serializer_context()` (its class's, or a project base's) never spells the
    key, or that has none (DRF's default context: request, format, view). A "verb:" flag without GET: never for a list."""
    listed = fn.cls is not None and fn.qualname.endswith(">")  # a list view's synthetic loop (anything else: any context, any method)
    if flag and flag.lstrip("!").startswith(VERB):
        return listed and ("GET" in flag.lstrip("!")[len(VERB):].split("|")) is flag.startswith("!")
    if not flag or not flag.startswith(CTX) or not listed:
        return False
    if "context" in loop_text:
        return False  # `XSerializer(rows, many=True, context={...})`: it may pass the key
    own = index.find_method(module.key(fn.cls), "get_serializer_context")
    return own is None or flag[len(CTX):] not in index.functions[own][1].context_keys


def context_keys(node: ast.FunctionDef | ast.AsyncFunctionDef) -> frozenset[str]:
    """The strings a `get_serializer_context()` spells: every key it may add is one of them."""
    return frozenset(n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str))


@functools.lru_cache(maxsize=4)  # asked for each return of one get_queryset(): its tree is walked once
def swapped_serializer_returns(tree: ast.AST | None) -> frozenset[int]:
    """`if statistics: self.serializer_class = StatisticsSerializer` then `return Variable.objects.filter(...)`: the returns
    of a get_queryset() that follow, in the same block, a swap of the view's serializer. Those rows are serialised by the
    other serializer, not by the class's (ddionrails' variable list, round 67: judged false), so they are not the rows
    the class's serializer walks. Ids of the Return nodes."""
    out: set[int] = set()
    for node in ast.walk(tree) if tree is not None else ():
        for block in (getattr(node, "body", None), getattr(node, "orelse", None), getattr(node, "finalbody", None)):
            if not isinstance(block, list):
                continue
            swapped = False
            for stmt in block:
                if isinstance(stmt, ast.Assign) and any(dotted(t) == "self.serializer_class" for t in stmt.targets):
                    swapped = True
                elif swapped and isinstance(stmt, ast.Return):
                    out.add(id(stmt))
    return frozenset(out)

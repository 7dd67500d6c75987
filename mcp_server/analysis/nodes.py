"""Where a node is and the names an expression spells, shared by extraction and the modules it calls (it imports
only facts.py, so loop_size.py, views.py and serializers.py use them without a cycle through extract.py)."""

from __future__ import annotations

import ast
from typing import Iterator

from .facts import Span

# wrap an iterable to draw a progress bar, yielding the same items: `tqdm(rows)`, rich's `track(rows)`
PROGRESS_BARS = frozenset({"tqdm", "track", "progressbar", "alive_it"})


def dotted(node: ast.AST) -> str | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "super":
        parts.append("super()")
    else:
        return None
    return ".".join(reversed(parts))


def on_self(call: ast.Call) -> bool:
    """`self.method(...)`: a call on the object the method belongs to."""
    return type(call.func) is ast.Attribute and type(call.func.value) is ast.Name and call.func.value.id == "self"


def cache_method(node: ast.AST, methods: tuple[str, ...]) -> bool:
    """`cache.get(key)`, `self.cache.set(...)`: one of `methods` called on something named a cache."""
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in methods \
        and "cache" in (last_name(node.func.value) or "").lower()


def last_name(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Call):
        return last_name(node.func)
    return None


def through_method_decorator(decorators: list[ast.expr]) -> Iterator[ast.expr]:
    """The decorators as they act: `@method_decorator(cache_page(60))` (or a list of them) stands for what it wraps."""
    for d in decorators:
        if type(d) is ast.Call and last_name(d.func) == "method_decorator" and d.args:
            inner = d.args[0]
            yield from through_method_decorator(list(inner.elts) if isinstance(inner, (ast.List, ast.Tuple)) else [inner])
        else:
            yield d


def unchained(node: ast.AST, methods) -> ast.AST:
    """What a chain of calls to `methods` starts from: `rows` for `rows.filter(...).values("id")` (methods: the lazy
    queryset ones), the node itself when it is no such call."""
    while type(node) is ast.Call and type(node.func) is ast.Attribute and node.func.attr in methods:
        node = node.func.value
    return node


def method_chain(node: ast.AST) -> list[str]:
    """`a.b(x).c().d()` -> ["b", "c", "d"]: the methods called, innermost first."""
    out = []
    cur = node
    while isinstance(cur, ast.Call) and isinstance(cur.func, ast.Attribute):
        out.append(cur.func.attr)
        cur = cur.func.value
    out.reverse()
    return out


def chain_root(node: ast.AST) -> ast.AST:
    """What a chain of method calls starts from: `a` of `a.b(x).c()`."""
    cur = node
    while isinstance(cur, ast.Call) and isinstance(cur.func, ast.Attribute):
        cur = cur.func.value
    return cur


def param_defaults(args: ast.arguments) -> dict[str, ast.expr]:
    """Each parameter that has a default, by name, with that default (positional, then keyword-only)."""
    positional = [*args.posonlyargs, *args.args]
    pairs = [*zip(positional[len(positional) - len(args.defaults):], args.defaults), *zip(args.kwonlyargs, args.kw_defaults)]
    return {a.arg: d for a, d in pairs if d is not None}


def written_out(node: ast.AST) -> bool:
    """A value the code itself writes: a string or a number, or a CONSTANT (`"table"`, `20`, `DBT.ENRICH`)."""
    if type(node) is ast.Constant:
        return isinstance(node.value, (str, int, float)) and not isinstance(node.value, bool)
    name = node.id if type(node) is ast.Name else node.attr if type(node) is ast.Attribute else ""
    return len(name) > 1 and name.isupper()


def span(node: ast.AST) -> Span:
    return Span(node.lineno, node.col_offset + 1, node.end_lineno or node.lineno, (node.end_col_offset or node.col_offset) + 1)


def equalities(call: ast.Call) -> list[tuple[ast.Attribute, ast.expr]]:
    """`filter(Item.tech_id == technology.id, ...)`: each positional argument that is one `==` with an attribute on
    its left, as (that attribute, what it is compared with): SQLAlchemy's spelling of Django's `tech_id=...`."""
    return [(c.left, c.comparators[0]) for c in _conjuncts(call.args)
            if type(c) is ast.Compare and len(c.ops) == 1 and type(c.ops[0]) is ast.Eq and type(c.left) is ast.Attribute]


def _conjuncts(args: list[ast.expr]) -> list[ast.expr]:
    """The conditions of `filter(a, b)` and of `filter(and_(a, b))`: every one holds for every row."""
    out: list[ast.expr] = []
    for a in args:
        if type(a) is ast.Call and (dotted(a.func) or "").rpartition(".")[2] == "and_" and not a.keywords:
            out += _conjuncts(a.args)
        else:
            out.append(a)
    return out


def no_rows(value: ast.AST) -> bool:
    """`Model.objects.none()`, `qs.none()`: an empty queryset, whose rows nobody reads."""
    return type(value) is ast.Call and type(value.func) is ast.Attribute and value.func.attr == "none" and not value.args


def calls_if_named(source: str, tree: ast.Module, *words: str) -> Iterator[ast.Call]:
    """Every call in a module whose source spells one of `words`; none otherwise (most modules: no walk at all)."""
    if not any(w in source for w in words):
        return
    for node in ast.walk(tree):
        if type(node) is ast.Call:
            yield node


_EVALUATING = frozenset({"list", "sorted", "set", "tuple", "dict", "reversed"})


def evaluated_rows(value: ast.AST) -> bool:
    """A value that is no queryset any more: a list built from one (`list(qs)`, a comprehension), or a slice of one."""
    if isinstance(value, ast.Call):
        return isinstance(value.func, ast.Name) and value.func.id in _EVALUATING
    return isinstance(value, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.List)) or (
        isinstance(value, ast.Subscript) and isinstance(value.slice, ast.Slice))


def own_method(node: ast.ClassDef, name: str) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    """The class body's own method of that name."""
    return next((s for s in node.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)) and s.name == name), None)


def class_assign(node: ast.ClassDef, name: str) -> ast.Assign | None:
    """The class body's (last) `name = ...`."""
    return next((s for s in reversed(node.body) if isinstance(s, ast.Assign) and len(s.targets) == 1
                 and isinstance(s.targets[0], ast.Name) and s.targets[0].id == name), None)


def overwritten_call(stmt: ast.stmt, following: ast.stmt) -> ast.Call | None:
    """The call `stmt` binds to a name (`x = f()`) when `following` binds that name again without reading it: the
    value is dropped unread."""
    if not (type(stmt) is ast.Assign and len(stmt.targets) == 1 and type(name := stmt.targets[0]) is ast.Name and type(stmt.value) is ast.Call):
        return None
    if not (type(following) is ast.Assign and len(following.targets) == 1 and type(again := following.targets[0]) is ast.Name
            and again.id == name.id):
        return None
    return None if any(type(n) is ast.Name and n.id == name.id for n in ast.walk(following.value)) else stmt.value

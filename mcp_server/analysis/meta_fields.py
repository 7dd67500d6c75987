"""The names a DRF serializer's `Meta.fields` lists, also when it writes them from another serializer's:
`fields = BaseSerializer.Meta.fields + ("total",)`, `list(set(AppSerializer.Meta.fields) - set(["upsold", "tags"]))`,
`[f for f in AppSerializer.Meta.fields if f not in SLOW]`. DRF serialises only those, so the fields a subclass
leaves out of its base's are never read (Zamboni's `SimpleAppSerializer`, round 110: a relation of a field it drops
judged false). Anything else written there (a function's answer, a name of another module) is not read: []."""

from __future__ import annotations

import ast

_COPIES = frozenset({"list", "tuple", "set", "sorted", "frozenset"})


def meta_of(node: ast.ClassDef) -> ast.ClassDef | None:
    """The class body's own `class Meta`."""
    return next((s for s in node.body if isinstance(s, ast.ClassDef) and s.name == "Meta"), None)


def listed_fields(meta: ast.ClassDef | None, classes: dict[str, ast.ClassDef], depth: int = 0) -> list[str]:
    """The field names `meta` lists ([] when it lists none, or `"__all__"`); `classes`: the module's serializers by name."""
    for stmt in meta.body if meta is not None else ():
        if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "fields" for t in stmt.targets):
            return _names(stmt.value, classes, depth) or []
    return []


def _names(node: ast.expr, classes: dict[str, ast.ClassDef], depth: int) -> list[str] | None:
    kind = type(node)
    if kind in (ast.List, ast.Tuple, ast.Set):
        return [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
    if kind is ast.Call and isinstance(node.func, ast.Name) and node.func.id in _COPIES and len(node.args) == 1 and not node.keywords:
        return _names(node.args[0], classes, depth)
    if kind is ast.BinOp and type(node.op) in (ast.Add, ast.BitOr, ast.Sub):
        left, right = _names(node.left, classes, depth), _names(node.right, classes, depth)
        if left is None or right is None:
            return None
        return [n for n in left if n not in right] if type(node.op) is ast.Sub else left + [n for n in right if n not in left]
    if kind in (ast.ListComp, ast.GeneratorExp) and len(node.generators) == 1:
        return _kept(node, classes, depth)
    if kind is ast.Attribute and node.attr == "fields" and isinstance(node.value, ast.Attribute) and node.value.attr == "Meta" \
            and depth < 3 and (owner := classes.get(ast.unparse(node.value.value))) is not None:
        return listed_fields(meta_of(owner), classes, depth + 1) or None
    return None


def _kept(node: ast.ListComp | ast.GeneratorExp, classes: dict[str, ast.ClassDef], depth: int) -> list[str] | None:
    """`[f for f in Base.Meta.fields if f not in ("upsold", "tags")]`: the names each condition keeps."""
    gen = node.generators[0]
    if not (isinstance(node.elt, ast.Name) and isinstance(gen.target, ast.Name) and node.elt.id == gen.target.id):
        return None
    names = _names(gen.iter, classes, depth)
    for cond in gen.ifs:
        if names is None or not (isinstance(cond, ast.Compare) and len(cond.ops) == 1 and type(cond.ops[0]) in (ast.In, ast.NotIn)
                                 and isinstance(cond.left, ast.Name) and cond.left.id == gen.target.id):
            return None
        other = _names(cond.comparators[0], classes, depth)
        if other is None:
            return None
        names = [n for n in names if (n in other) == (type(cond.ops[0]) is ast.In)]
    return names

"""The lookups a project prefetches anywhere: `prefetch_related("dependencies__package")`,
`Prefetch("vulnerability_id_set", queryset=Vulnerability_Id.objects.select_related("vulnerability"))`.

A method or a serializer that walks one object's related rows (`for d in self.dependencies.all(): d.package`) runs a
query per row only for callers that did not prefetch the relation it reads. Read on real applications (issue 15,
round 11), where the project prefetches exactly that path somewhere (`dependencies__package`), the views and tasks
that hand those objects on were the ones doing it: of the 11 judged findings this lowers, 9 were false and 2 not worth
a fix, none true. So the relation finding over one object's rows is `low` there, naming the prefetch. Read per module (a leaf of the extractor: only `ast`), linked
over the project in n_plus_one_relations.py.
"""

from __future__ import annotations

import ast

from .nodes import calls_if_named

_PREFETCHING = frozenset({"prefetch_related", "prefetch_related_objects"})


def _strings(node: ast.AST) -> list[str]:
    """The lookups a call argument spells: "a__b", a list or tuple of them, or the end of an f-string that puts a
    prefix before a lookup (`f"{prefix}vulnerability_references"`: the same path, below some other)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr) and node.values and isinstance(tail := node.values[-1], ast.Constant) and isinstance(tail.value, str):
        return [tail.value.strip("_")] if tail.value.strip("_") else []
    if isinstance(node, (ast.List, ast.Tuple)):
        return [s for e in node.elts for s in _strings(e)]
    return []


def _queryset_lookups(node: ast.AST | None, named: dict[str, ast.Call], depth: int = 3, built: dict | None = None) -> list[str]:
    """What a `Prefetch(..., queryset=...)` queryset loads with its rows: its select_related / prefetch_related, and
    the Prefetch objects it is handed by name (`prefetch_related(runs_prefetch)`, MIT xPRO's nested viewset prefetches).
    A queryset handed by name or built by a function of the module (`criteria = self.get_criteria()`, EnvErgo's
    criteria and their templates, round 97: judged PREFETCHED) is read where the module builds it (`built`)."""
    out: list[str] = []
    if built and depth and (key := _built_key(node)) is not None:
        return [s for value in built.get(key, ()) for s in _queryset_lookups(value, named, depth - 1, built)]
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        if node.func.attr in ("select_related", "prefetch_related"):
            for a in node.args:
                out += _strings(a)
                if isinstance(a, ast.Name) and a.id in named and depth:
                    out += _prefetch_lookups(named[a.id], named, depth - 1)
        node = node.func.value
    return out


def _prefetch_lookups(node: ast.Call, named: dict[str, ast.Call], depth: int = 3, built: dict | None = None) -> list[str]:
    """A `Prefetch("a", queryset=...)`: "a", and each path its queryset loads below it ("a__b")."""
    first = _strings(node.args[0]) if node.args else []
    if not first:
        return []
    queryset = next((k.value for k in node.keywords if k.arg == "queryset"), node.args[1] if len(node.args) > 1 else None)
    return [first[0], *(f"{first[0]}__{s}" for s in _queryset_lookups(queryset, named, depth, built))]


def _built_key(node: ast.AST | None) -> str | None:
    """"name" for a queryset handed by name, "name()" for `self.name()` or `name()` called bare."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Call) and not node.args and not node.keywords:
        func = node.func
        if isinstance(func, ast.Name) or (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in ("self", "cls")):
            return f"{func.id if isinstance(func, ast.Name) else func.attr}()"
    return None


def _built(tree: ast.Module) -> dict[str, list[ast.AST]]:
    """What the module binds to each name, and what each of its functions returns (as "name()")."""
    out: dict[str, list[ast.AST]] = {}
    for n in ast.walk(tree):
        if type(n) is ast.Assign and len(n.targets) == 1 and type(n.targets[0]) is ast.Name:
            out.setdefault(n.targets[0].id, []).append(n.value)
        elif type(n) in (ast.FunctionDef, ast.AsyncFunctionDef):
            out.setdefault(f"{n.name}()", []).extend(r.value for r in ast.walk(n) if type(r) is ast.Return and r.value is not None)
    return out


def _named_prefetches(tree: ast.Module) -> dict[str, ast.Call]:
    """`runs_prefetch = Prefetch(...)` anywhere in the module (a class body, a function): the object by its name."""
    return {n.targets[0].id: n.value for n in ast.walk(tree)
            if type(n) is ast.Assign and len(n.targets) == 1 and type(n.targets[0]) is ast.Name and type(n.value) is ast.Call
            and (type(n.value.func) is ast.Name and n.value.func.id == "Prefetch" or type(n.value.func) is ast.Attribute and n.value.func.attr == "Prefetch")}


def lookups(source: str, tree: ast.Module) -> tuple[str, ...]:
    """Every lookup this module prefetches, with the paths a Prefetch's queryset adds below it (`a__b`)."""
    found: list[str] = []
    named = _named_prefetches(tree) if "Prefetch(" in source else {}
    built = _built(tree) if "queryset=" in source else {}
    for node in calls_if_named(source, tree, "prefetch_related", "Prefetch("):
        func = node.func
        name = func.attr if type(func) is ast.Attribute else func.id if type(func) is ast.Name else ""  # on a chain too: `qs.filter().prefetch_related()`
        if name in _PREFETCHING:
            found += [s for a in node.args for s in _strings(a)]
        elif name == "Prefetch":
            found += _prefetch_lookups(node, named, built=built)
    if "prefetch" in source:
        found += _declared(tree)
    return tuple(dict.fromkeys(found))


def _declared(tree: ast.Module) -> list[str]:
    """A list of lookups named for prefetching (`common_prefetch_fields = ("projects__funding", ...)` in a model, which
    the views spell `prefetch_related(*Dataset.common_prefetch_fields)`: Fairdata Metax, round 155, 4 judged PREFETCHED)."""
    return [s for n in ast.walk(tree) if type(n) is ast.Assign and len(n.targets) == 1 and type(n.targets[0]) is ast.Name
            and "prefetch" in n.targets[0].id.lower() and type(n.value) in (ast.List, ast.Tuple) for s in _strings(n.value)]


def every_path(modules) -> frozenset[str]:
    """Each stretch of relations any module prefetches: `latest__dependencies__package` loads `latest`, and for the
    versions it reaches, `dependencies__package` (which a method of such a version walks as `self.dependencies`)."""
    out: set[str] = set()
    for m in modules:
        for lookup in m.prefetched:
            parts = lookup.split("__")
            out.update("__".join(parts[i:j]) for i in range(len(parts)) for j in range(i + 1, len(parts) + 1))
    return frozenset(out)

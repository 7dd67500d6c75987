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


def _queryset_lookups(node: ast.AST | None) -> list[str]:
    """What a `Prefetch(..., queryset=...)` queryset loads with its rows: its select_related / prefetch_related."""
    out: list[str] = []
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        if node.func.attr in ("select_related", "prefetch_related"):
            out += [s for a in node.args for s in _strings(a)]
        node = node.func.value
    return out


def lookups(source: str, tree: ast.Module) -> tuple[str, ...]:
    """Every lookup this module prefetches, with the paths a Prefetch's queryset adds below it (`a__b`)."""
    found: list[str] = []
    for node in calls_if_named(source, tree, "prefetch_related", "Prefetch("):
        func = node.func
        name = func.attr if type(func) is ast.Attribute else func.id if type(func) is ast.Name else ""  # on a chain too: `qs.filter().prefetch_related()`
        if name in _PREFETCHING:
            found += [s for a in node.args for s in _strings(a)]
        elif name == "Prefetch" and node.args and (first := _strings(node.args[0])):
            found.append(first[0])
            queryset = next((k.value for k in node.keywords if k.arg == "queryset"), node.args[1] if len(node.args) > 1 else None)
            found += [f"{first[0]}__{s}" for s in _queryset_lookups(queryset)]
    return tuple(dict.fromkeys(found))


def every_path(modules) -> frozenset[str]:
    """Each stretch of relations any module prefetches: `latest__dependencies__package` loads `latest`, and for the
    versions it reaches, `dependencies__package` (which a method of such a version walks as `self.dependencies`)."""
    out: set[str] = set()
    for m in modules:
        for lookup in m.prefetched:
            parts = lookup.split("__")
            out.update("__".join(parts[i:j]) for i in range(len(parts)) for j in range(i + 1, len(parts) + 1))
    return frozenset(out)

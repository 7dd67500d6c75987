"""Django admin: the rows a ModelAdmin's display methods are handed were loaded by its changelist queryset.

`def payers(self, obj): ... for p in obj.payments.all()` in a ModelAdmin runs on rows of `get_queryset()`
(the changelist's and the change form's queryset), so what that queryset loads below `payments` is loaded
for the loop over `obj.payments`: `prefetch_related("payments__payer")` makes `p.payer` no query per row.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from .nodes import span

if TYPE_CHECKING:
    from .extract import Extractor


def is_admin(bases: tuple[str, ...]) -> bool:
    return any(b.rpartition(".")[2].endswith("ModelAdmin") for b in bases)


def admin_rows(ex: Extractor, node: ast.ClassDef, qual: str) -> None:
    """Add the admin's eager loading, below the accessor, to loops over `obj.<accessor>` in its display methods."""
    getter = ex.facts.functions.get(f"{qual}.get_queryset")
    if getter is None or not getter.returns:
        return  # `list_select_related` loads to-one relations of the row, never the to-many rows a loop walks
    loaded = set.intersection(*(set(r.select) | set(r.prefetch) for r in getter.returns))
    if not loaded:
        return
    for stmt in node.body:
        if not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) or stmt.name == "get_queryset" or len(stmt.args.args) != 2:
            continue
        fn = ex.facts.functions.get(f"{qual}.{stmt.name}")
        if fn is None:
            continue
        row = stmt.args.args[1].arg
        accessors = {span(n): n.attr for n in ast.walk(stmt) if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id == row}
        for loop in fn.loops.values():
            src = loop.source
            if src is None or src.kind != "accessor" or not src.parent_path:
                continue
            if not any(at.line == src.span.line and attr == src.parent_path[0] for at, attr in accessors.items()):
                continue
            head = f"{src.parent_path[0]}__"
            below = {p[len(head):] for p in loaded if p.startswith(head)}
            src.prefetch = tuple(sorted({*src.prefetch, *below}))

"""One row fetched with its relations prefetched (`Invoice.objects.prefetch_related("lines__product").get(pk=pk)`,
`.first()`, `get_object_or_404(qs, ...)`): a loop over that row's related rows (`inv.lines.all()`) reads Django's
prefetch cache, each row with what the lookups under that relation loaded. IFRC GO's PER view loops over the latest
assessment's area responses and their component responses, both prefetched through nested `Prefetch` objects (round
132: judged PREFETCHED). The binding keeps what the row's query loaded (bindings._row_loads, Scope.row_loads); the
loop's source takes the part under its relation here. A `.filter()` on the relation queries anew and takes nothing."""

from __future__ import annotations

import ast
from dataclasses import replace

from .facts import IterSource

Loads = tuple[tuple[str, ...], tuple[str, ...]]  # (select_related, prefetch_related) lookups of the row's query


def served(source: IterSource, iter_node: ast.AST | None, loads: dict[str, Loads]) -> IterSource:
    """The loop's source with what the row's query loaded under the relation it walks (`lines__product` -> `product`)."""
    row = _row_name(iter_node)
    if row not in loads:
        return source
    under = "__".join(source.parent_path) + "__"
    select, prefetch = ([lookup.removeprefix(under) for lookup in group if lookup.startswith(under)] for group in loads[row])
    return replace(source, select=(*source.select, *select), prefetch=(*source.prefetch, *prefetch)) if select or prefetch else source


def _row_name(node: ast.AST | None) -> str | None:
    """`inv` of `inv.lines.all()` (not of `inv.lines.filter(...)`, which queries anew whatever was prefetched)."""
    if not (type(node) is ast.Call and type(node.func) is ast.Attribute and node.func.attr == "all" and not node.args):
        return None
    cur = node.func.value
    while type(cur) is ast.Attribute:
        cur = cur.value
    return cur.id if type(cur) is ast.Name else None

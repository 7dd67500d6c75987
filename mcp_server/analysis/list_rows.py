"""Which rows a DRF list view serialises when its class `queryset` is not the whole story (round 61): a project mixin's
or base's get_queryset() that the view inherits, and a filter_queryset() that never reads the queryset it is handed.
`super().get_queryset()` in a base, reading the `queryset` of the view being listed, is views.view_rows (with
`ProjectIndex.view_class`)."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from . import list_views, serializers
from .facts import UNKNOWN_LOOKUP
from .views import owner_backs

if TYPE_CHECKING:
    from .facts import Function, ModuleFacts
    from .index import ProjectIndex
    from .index_model import Model, ResolvedSource


def inherited_rows(index: ProjectIndex, module: ModuleFacts, fn: Function, model: Model, depth: int) -> ResolvedSource | None:
    """A list view's class `queryset` under a project mixin's or base's get_queryset(): DRF lists what that method
    returns, which may start anew (`Disbursement.objects.all()`: the class queryset's eager loading is never used)
    or from `super().get_queryset()`, the class queryset (views.view_rows). Money to Prisoners, round 60."""
    if not fn.qualname.endswith(f".{serializers.LIST}") or fn.cls is None:
        return None
    cls_key = module.key(fn.cls)
    inherited = index.find_method(cls_key, "get_queryset") if cls_key in index.classes else None
    if inherited is None or inherited == f"{cls_key}.get_queryset":
        return None
    found = index.returned(inherited, model, depth)
    if found is None:
        return None
    # what it unpacks from the view (`select_related(*self.select_related)`) is the view's declared lists
    declared = list_views.view_lists(index, module, fn, found.model)
    return dataclasses.replace(found, select=found.select - {UNKNOWN_LOOKUP} | declared[0],
                               prefetch=owner_backs(index, found.model, found.prefetch - {UNKNOWN_LOOKUP} | declared[1]))


def filtered_anew(index: ProjectIndex, module: ModuleFacts, fn: Function) -> ResolvedSource | None:
    """A list view whose `filter_queryset(self, queryset)` never reads the queryset it is handed and returns a query of
    its own (`KeywordSet.objects.filter(...)`): DRF lists those rows, not get_queryset()'s (Linked Events, round 61)."""
    cls_key = module.key(fn.cls)
    key = index.find_method(cls_key, "filter_queryset") if cls_key in index.classes else None
    if key is None:
        return None
    own = index.functions[key][1]
    given = own.params[1] if len(own.params) > 1 else None
    if given is None or not own.returns or own.passes_on or any(r.root == given for r in own.reads) \
            or any(given in c.args for c in own.calls):
        return None
    return index.returned(key, None, 0)

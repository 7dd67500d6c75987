"""Tables only staff fill: a Django model registered in the admin whose rows no code of the project creates.

Most true N+1 findings judged not worth acting on walk a handful of rows, and the commonest handful is a table
staff keep by hand in the admin: a site's tax rates, a bank's branches, a form's few question types. The code says
so when nothing outside the admin and the migrations ever makes a row of it: no `Rate(...)`, no
`Rate.objects.create(...)` (nor `get_or_create`, `update_or_create`, `bulk_create`), no `.create()` on a relation
that holds such rows, no model form, import resource or writable serializer of it, no formset of it. A loop over
such a table is `low`, saying why (table_sizes.tag); `table_rows` raises it again when the table is in fact large.

Anything unread counts as a creation (a serializer a view may write with, a short name that may be the model's): a
table is called curated only when the whole project shows nothing that could fill it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .name_refs import is_migration
from .serializers import is_serializer

if TYPE_CHECKING:
    from .facts import ModuleFacts
    from .index import ProjectIndex

CREATES = frozenset({"create", "bulk_create", "get_or_create", "update_or_create",
                     "acreate", "abulk_create", "aget_or_create", "aupdate_or_create"})
MIN_WRITTEN = 3  # models the project's code is seen creating rows of, before the absence of one means anything
_FACTORIES = ("formset_factory", "modelform_factory")
# views that only read: a serializer named only by these writes nothing (DRF's read-only generic views)
_READ_ONLY_VIEWS = ("ReadOnlyModelViewSet", "ListAPIView", "RetrieveAPIView", "ListView", "DetailView", "TemplateView")
# what a model's manager or queryset answers without making a row; any other method of it may make one
_READS = frozenset({"all", "filter", "exclude", "get", "first", "last", "count", "exists", "values", "values_list", "order_by",
                    "select_related", "prefetch_related", "annotate", "aggregate", "only", "defer", "distinct", "none", "using",
                    "in_bulk", "iterator", "latest", "earliest", "dates", "datetimes", "select_for_update", "raw", "union",
                    "intersection", "difference", "update", "delete", "get_queryset", "contains", "reverse", "alias",
                    "afirst", "alast", "acount", "aexists", "aget", "aaggregate", "aupdate", "adelete", "aiterator",
                    "DoesNotExist", "MultipleObjectsReturned", "_meta", "pk"})
_WRITERS = ("Form", "Resource", "Mutation", "Factory", "Schema", "Input")
_TO_MANY = frozenset({"reverse_fk", "m2m", "reverse_m2m", "relationship"})


def curated(index: ProjectIndex) -> frozenset[str]:
    """Model keys of Django models the admin registers and no project code creates. Built once per scan:
    `ProjectIndex.curated_tables`."""
    if not index.whole:
        return frozenset()  # some of the project's files (the hook's, a scan of a folder): its writes may be in the rest
    models = index.models()
    listed = {key for m in index.modules.values() for name in m.admin_models
              if (key := index.resolve_class(name, m)) in models and models[key].framework == "django"}
    if not listed:
        return frozenset()
    created = _created(index, models)
    if len(created) < MIN_WRITTEN:
        return frozenset()  # a project that shows almost none of its writes cannot show which tables staff alone fill
    return frozenset(listed - created)


def _created(index: ProjectIndex, models: dict) -> set[str]:
    by_short: dict[str, set[str]] = {}
    for key in models:
        by_short.setdefault(key.rpartition(".")[2], set()).add(key)
    holders: dict[str, set[str]] = {}  # a to-many relation's name -> the models it holds
    for model in models.values():
        for rel in model.relations.values():
            if rel.kind in _TO_MANY and rel.target:
                holders.setdefault(rel.name, set()).add(rel.target)
    writers = _writing_serializers(index)
    out: set[str] = set()
    for m in index.modules.values():
        if is_migration(m) or "/migrations/" in f"/{m.path}":
            continue  # seed rows a migration writes once are the handful staff then keep
        for fn in m.functions.values():
            for callee in [c.callee for c in fn.calls] + [s.api for s in fn.sinks]:
                if fn.cls and callee.startswith(("cls.", "self.__class__.")):  # a model's class method: its own rows
                    callee = f"{m.key(fn.cls)}.{callee.removeprefix('self.__class__.').removeprefix('cls.')}"
                out |= _made_by(callee, m, index, models, by_short, holders)
            for c in fn.calls:
                if c.callee.rpartition(".")[2].endswith(_FACTORIES):
                    out.update(k for a in c.args if a for k in _model_named(a, m, index, models, by_short))
            out.update(t for r in fn.reads if r.method in CREATES and r.path for t in holders.get(r.path[-1], ()))
        out.update(t for name in m.creates_through for t in holders.get(name, ()))
        for qual, cls in m.classes.items():
            if cls.meta_model and (m.key(qual) in writers if is_serializer(cls.bases) else _writes(cls.bases)):
                out |= _model_named(cls.meta_model, m, index, models, by_short)
            if "model" in cls.class_refs and any(b.rpartition(".")[2].startswith(("Create", "Form")) or b.endswith("CreateView")
                                                 for b in cls.bases):
                out |= _model_named(cls.class_refs["model"], m, index, models, by_short)
    return out


def _made_by(callee: str, m: ModuleFacts, index: ProjectIndex, models: dict, by_short: dict, holders: dict) -> set[str]:
    """The models a call may make a row of: `Rate(...)`, `Rate.objects.create(...)`, `invoice.lines.create(...)`, and
    any method of the model or its manager that is not a read (`LibPrepare.objects.create_lib_preparation(...)`, a
    manager's own constructor: iSkyLIMS)."""
    head, _, last = callee.rpartition(".")
    if last in CREATES:
        return _model_named(head.rpartition(".")[0], m, index, models, by_short) | _model_named(head, m, index, models, by_short) \
            | holders.get(head.rpartition(".")[2], set())
    if last[:1].isupper():
        return _model_named(callee, m, index, models, by_short)
    if head and last not in _READS:
        return _model_named(head.rpartition(".")[0], m, index, models, by_short, exact=True) \
            | _model_named(head, m, index, models, by_short, exact=True)
    return set()


def _model_named(name: str, m: ModuleFacts, index: ProjectIndex, models: dict, by_short: dict, exact: bool = False) -> set[str]:
    """The model `name` spells; unresolved, any model of its last name may be meant (`exact`: only a capitalised one,
    not `self.lines` read as a model named `lines`)."""
    if not name:
        return set()
    if name in models:
        return {name}
    key = index.resolve_class(name, m)
    if key is not None:
        return {key} if key in models else set()
    short = name.rpartition(".")[2]
    return set(by_short.get(short, ())) if not exact or short[:1].isupper() else set()


def _writes(bases: tuple[str, ...]) -> bool:
    """A class whose `Meta.model` it saves rows of: a model form, an import resource, a mutation, a factory, a schema
    that loads rows; not a filter set, a table, a GraphQL object type, which only read."""
    return any(w in b.rpartition(".")[2] for b in bases for w in _WRITERS)


def _writing_serializers(index: ProjectIndex) -> set[str]:
    """Serializer keys that may write: handed `data=`, or named by a view that is not read-only, or never named by a
    view at all (a `get_serializer_class()` may return it)."""
    named: dict[str, bool] = {}  # serializer key -> named by a view that may write
    handed_data: set[str] = set()
    for m in index.modules.values():
        for qual, cls in m.classes.items():
            ref = cls.class_refs.get("serializer_class")
            key = index.resolve_class(ref, m) if ref else None
            if key:
                writes = not any(b.rpartition(".")[2] in _READ_ONLY_VIEWS for b in cls.bases)
                named[key] = named.get(key, False) or writes
        for fn in m.functions.values():
            for c in fn.calls:
                if "data" in c.given[1] and c.callee.rpartition(".")[2].endswith("Serializer"):
                    key = index.resolve_class(c.callee, m)
                    handed_data.add(key or c.callee.rpartition(".")[2])
    every = {m.key(q) for m in index.modules.values() for q, cls in m.classes.items() if is_serializer(cls.bases)}
    return {k for k in every if named.get(k, True) or k in handed_data or k.rpartition(".")[2] in handed_data}

"""Django admin: the rows a ModelAdmin's display methods are handed were loaded by its changelist queryset.

`def payers(self, obj): ... for p in obj.payments.all()` in a ModelAdmin runs on rows of `get_queryset()`
(the changelist's and the change form's queryset), so what that queryset loads below `payments` is loaded
for the loop over `obj.payments`: `prefetch_related("payments__payer")` makes `p.payer` no query per row.
Whether a class is an admin is known once the project is read: its base may be the project's own admin base
(`class InvoiceAdmin(CompanyAdmin)`, `class CompanyAdmin(admin.ModelAdmin)`), and get_queryset may be that base's.

Extraction records each (self, obj) method's loops over `obj.<accessor>` and the admins registered per model
(`@admin.register(Invoice)`, `site.register(Invoice, InvoiceAdmin)`); the index applies the queryset.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from . import lookup_lists
from .nodes import dotted, span

if TYPE_CHECKING:
    from .extract import Extractor
    from .facts import Function, IterSource, ModuleFacts
    from .index import ProjectIndex


def is_admin(bases: tuple[str, ...]) -> bool:
    return any(b.rpartition(".")[2].endswith("ModelAdmin") for b in bases)


def note_row_loops(ex: Extractor, node: ast.ClassDef, qual: str) -> None:
    """Loops over `obj.<accessor>` in the class's (self, obj) methods: candidates for the admin's queryset."""
    for stmt in node.body:
        if not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) or stmt.name == "get_queryset" or len(stmt.args.args) != 2:
            continue
        fn = ex.facts.functions.get(f"{qual}.{stmt.name}")
        if fn is None or not fn.loops:
            continue
        row = stmt.args.args[1].arg
        accessors = {(span(n).line, n.attr) for n in ast.walk(stmt) if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id == row}
        for loop in fn.loops.values():
            src = loop.source
            if src is not None and src.kind == "accessor" and src.parent_path and (src.span.line, src.parent_path[0]) in accessors:
                ex.facts.classes[qual].row_loops[f"{fn.qualname}:{src.span.line}"] = src.parent_path[0]


def note_registration(stmt: ast.stmt, ex: Extractor) -> None:
    """`@admin.register(Invoice)` on a class, or `admin.site.register(Invoice, InvoiceAdmin)`: the admin of a model."""
    if isinstance(stmt, ast.ClassDef):
        for d in stmt.decorator_list:
            if isinstance(d, ast.Call) and (dotted(d.func) or "").rpartition(".")[2] == "register":
                for a in d.args:
                    if isinstance(a, (ast.Name, ast.Attribute)) and dotted(a):
                        ex.facts.admin_models[ex.expand(dotted(a))] = stmt.name
    elif isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call) and isinstance(stmt.value.func, ast.Attribute) \
            and stmt.value.func.attr == "register" and len(stmt.value.args) in (1, 2):
        first, admin = stmt.value.args[0], dotted(stmt.value.args[1]) if len(stmt.value.args) == 2 else ""
        # `site.register(Rate)` and `site.register([Rate, Region])`: the default ModelAdmin ("" here), which only
        # says staff edit the table there (curated_tables.py)
        for a in (first.elts if isinstance(first, (ast.List, ast.Tuple)) and not admin else [first]):
            model = dotted(a) if isinstance(a, (ast.Name, ast.Attribute)) else None
            if model and admin is not None:
                ex.facts.admin_models[ex.expand(model)] = ex.expand(admin) if admin else ""


# -- the index ----------------------------------------------------------------------------------------------
def derives_admin(index: ProjectIndex, cls_key: str) -> bool:
    """The class or one of its project bases derives from a ModelAdmin (whatever the project calls its base)."""
    return any(is_admin(index.classes[k][1].bases) for k in lookup_lists.lineage(index, cls_key))


def row_prefetch(index: ProjectIndex, module: ModuleFacts, fn: Function, src: IterSource) -> frozenset[str]:
    """What the admin's get_queryset loads below `obj.<accessor>`, for a loop over it in a display method; for a per-row
    method of an import-export resource, what the export queryset of the admins using it loads."""
    if fn.cls is None or src.kind != "accessor":
        return frozenset()
    cls_key = module.key(fn.cls)
    held = index.classes.get(cls_key)
    accessor = held[1].row_loops.get(f"{fn.qualname}:{src.span.line}") if held else None
    if accessor is None:
        return frozenset()
    if derives_admin(index, cls_key):
        loaded = _returned(index, cls_key, "get_queryset")
    else:  # an import-export resource's per-row method: the rows of the export queryset of the admins that use it
        admins = index.exporters.get(cls_key, [])
        found = [_returned(index, a, "get_export_queryset") or _returned(index, a, "get_queryset") for a in admins]
        loaded = set.intersection(*found) if found else set()
    head = f"{accessor}__"
    return frozenset(p[len(head):] for p in loaded if p.startswith(head))


def _returned(index: ProjectIndex, cls_key: str, method: str) -> set[str]:
    """The lookups every query the class's `method` returns loads (`list_select_related` loads to-one relations of the
    row, never the to-many rows a loop walks, so a class without the method loads nothing below an accessor)."""
    key = index.find_method(cls_key, method)
    fn = index.functions[key][1] if key else None
    if fn is None or not fn.returns:
        return set()
    return set.intersection(*(set(r.select) | set(r.prefetch) for r in fn.returns))


def exporters(index: ProjectIndex) -> dict[str, list[str]]:
    """Resource class -> the admin classes naming it as `resource_class` (django-import-export exports their rows with
    it). Built once per scan: `ProjectIndex.exporters`."""
    table: dict[str, list[str]] = {}
    for key, (module, cls) in index.classes.items():
        named = cls.class_refs.get("resource_class")
        resource = index.resolve_class(named, module) if named else None
        if resource and derives_admin(index, key):
            table.setdefault(resource, []).append(key)
    return table


def registrations(index: ProjectIndex) -> dict[str, str]:
    """Model key -> the project admin class registered for it. Built once per scan: `ProjectIndex.registered_admins`."""
    table = {}
    for m in index.modules.values():
        for model, admin in m.admin_models.items():
            model_key = index.resolve_class(model, m)
            admin_key = index.resolve_class(admin, m) if admin else None
            if model_key and admin_key:
                table[model_key] = admin_key
    return table


def merges_admin(node: ast.ClassDef) -> bool:
    """A method reads `<other>.list_select_related` (not its own): a view mixin merging the registered admin's list
    into the lookups it applies (`admin_site._registry.get(self.queryset.model).list_select_related`)."""
    return any(isinstance(n, ast.Attribute) and n.attr == "list_select_related" and not (isinstance(n.value, ast.Name) and n.value.id in ("self", "cls"))
               for stmt in node.body if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) for n in ast.walk(stmt))

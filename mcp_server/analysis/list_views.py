"""Django REST framework's list views: the loop DRF runs over a view's rows, serialising each with the list's serializer.

A list view (`queryset` or `get_queryset()`, with `serializer_class`, or what get_serializer_class() picks for the list)
becomes a synthetic function `<View>.<list>` whose one loop hands each row to the serializer's `<many>`; the eager
loading the view declares or its own `list()` adds is the loop's. The serializer's side is serializers.py.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from . import actions, lookup_lists
from .facts import UNKNOWN_LOOKUP, Function
from .nodes import class_assign, dotted, own_method, span
from .reader import Scope
from .serializers import LIST, MANY

if TYPE_CHECKING:
    from .extract import Extractor
    from .facts import ModuleFacts
    from .index import ProjectIndex
    from .index_model import Model

_LIST_VIEWS = ("ViewSet", "ListAPIView", "ListCreateAPIView", "ListModelMixin", "ReadOnlyModelViewSet", "ModelViewSet")
_NO_LIST = frozenset({"GenericViewSet", "ViewSet", "ViewSetMixin"})  # DRF's bare viewsets: a list only with ListModelMixin


def _base_names(ex: Extractor, bases: tuple[str, ...], depth: int = 3) -> list[str]:
    """The bases' last names, with a base this module defines replaced by its own bases: `class RetrieveViewSet(
    mixins.RetrieveModelMixin, viewsets.GenericViewSet)` is a retrieve-only viewset, whatever its name ends with."""
    out: list[str] = []
    for b in bases:
        short = b.rpartition(".")[2]
        own = ex.facts.classes.get(short) if "." not in b else None
        out += _base_names(ex, own.bases, depth - 1) if own is not None and depth else [short]
    return out


def list_view(ex: Extractor, node: ast.ClassDef, qual: str, bases: tuple[str, ...], scope: Scope) -> None:
    """A list view (`queryset` or `get_queryset()`, with `serializer_class`): DRF serialises each row of the queryset."""
    names = _base_names(ex, bases)
    # (a project's `CompatGenericViewSet(GenericViewSet)` of another module lists nothing either: the Civil Legal Aid
    # backend's checker, round 60)
    if not any(n.endswith(_LIST_VIEWS) and n not in _NO_LIST and not n.endswith("GenericViewSet") for n in names):
        return  # a GenericViewSet with create/destroy mixins only serialises one row per request
    if _no_get(node):
        return  # `http_method_names = ["post", "patch"]`: DRF answers no GET, so no list (Lotus's add-on versions, round 133)
    queryset = class_assign(node, "queryset")
    custom = own_method(node, "get_queryset") is not None
    own_list = own_method(node, "list")
    if own_list is not None and (not _uses_class_serializer(own_list) or not _uses_class_rows(own_list)):
        # `def list(...)` serialising with a serializer of its own: its `XSerializer(rows, many=True)` is the loop; or
        # serialising rows it queries itself (`self.get_serializer(ExportRun.objects.filter(job__uid=uid), many=True)`):
        # get_queryset() does not serve the list, so eager loading there changes nothing (HOT's OSM Export Tool,
        # round 91: two such fixes judged WRONGFIX)
        return
    own_get = own_method(node, "get")
    if own_get is not None and not _uses_class_serializer(own_get) and not _calls_super_get(own_get):
        # a generic list view's own `get()` answering with what it builds itself (`Response(qs.values(...))`): the class's
        # serializer serialises no list (the Land Matrix's deal scores, round 328: judged DEAD)
        return
    serializer = _list_serializer(node)
    if serializer is None or (queryset is None and not custom):
        return
    if queryset is not None and isinstance(queryset.value, ast.Call) and isinstance(queryset.value.func, ast.Attribute) \
            and queryset.value.func.attr == "none":
        return  # `queryset = X.objects.none()`: a create-only view, no list serialised
    name = ast.unparse(serializer.value) if isinstance(serializer.value, (ast.Name, ast.Attribute)) else None
    if name is None:
        return
    fn = Function(f"{qual}.{LIST}", span(node), False, qual, params=("self",))
    ex.facts.functions[fn.qualname] = fn
    inner = Scope(fn, qual, scope)
    # the list's own loop, and one per other action that runs the list with a serializer of its own
    listed = queryset if queryset is not None and not custom else serializer
    for served, at in ((name, listed), *_listing_actions(node, name)):
        rows = ast.Call(func=ast.Attribute(value=ast.Name(id="self", ctx=ast.Load()), attr="get_queryset", ctx=ast.Load()), args=[], keywords=[])
        ast.copy_location(rows, at)
        rows.end_lineno, rows.end_col_offset = at.end_lineno, at.end_col_offset
        before = set(fn.loops)
        ex.serialize_rows(queryset.value if queryset is not None and not custom else rows, f"{ex.expand(served)}.{MANY}", at, inner)
        loop = fn.loops[max(set(fn.loops) - before)] if set(fn.loops) - before else None
        if loop is not None and loop.source is not None:
            _declared_eager(ex, qual, loop.source)
            if own_list is not None:
                _own_list_eager(own_list, loop.source)
        if custom and queryset is not None and loop is not None and loop.source is not None and loop.source.model is None:
            # `super().get_queryset()` inside get_queryset() starts from the class's `queryset`: its model is the rows' model
            base = ex.iter_source(queryset.value, inner)
            if base is not None and base.kind == "django":
                loop.source.model = base.model


def _no_get(node: ast.ClassDef) -> bool:
    """The class's own `http_method_names`, a literal list of method names without "get"."""
    declared = class_assign(node, "http_method_names")
    value = declared.value if declared is not None else None
    if not isinstance(value, (ast.List, ast.Tuple)):
        return False
    names = [e.value for e in value.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
    return len(names) == len(value.elts) and "get" not in names


def _declared_eager(ex: Extractor, qual: str, source) -> None:
    """`select_related = ["client"]` / `prefetch_related = ("payments", Prefetch(...))` on the view itself: DRF gives
    these names no meaning, so they are there for a project base class's get_queryset() to apply
    (`qs.select_related(*self.select_related)`); the rows serialised are loaded with them."""
    select, prefetch = list(source.select), list(source.prefetch)
    for key, lookups in ex.string_tuples.items():
        owner, _, attr = key.rpartition(".")
        if owner != qual:
            continue
        if attr.endswith("select_related"):
            select += lookups
        elif attr.endswith("prefetch_related"):
            prefetch += lookups
    source.select, source.prefetch = tuple(select), tuple(prefetch)


def _own_list_eager(method: ast.FunctionDef | ast.AsyncFunctionDef, source) -> None:
    """`qs = self.get_queryset().select_related("parent_folder")` in the view's own list(), which serialises the class's
    rows with the class's serializer: those rows are loaded with it (Obico's GCodeFolderViewSet, round 122: judged
    PREFETCHED). Only chains from the class's rows count, directly or through a name bound to them."""
    bound: set[str] = set()
    assigns = [n for n in ast.walk(method) if isinstance(n, ast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], ast.Name)]
    for _ in range(3):  # (`qs = self.get_queryset()`, then `qs = qs.filter(...)`: a few rebinds at most)
        bound |= {a.targets[0].id for a in assigns if _rows_root(a.value, bound)}
    select, prefetch = list(source.select), list(source.prefetch)
    for node in ast.walk(method):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and _rows_root(node.func.value, bound):
            lookups = [x for a in node.args for x in _loaded(a)]
            if node.func.attr == "select_related":
                select += lookups
            elif node.func.attr == "prefetch_related":
                prefetch += lookups
    source.select, source.prefetch = tuple(select), tuple(prefetch)


def _rows_root(expr: ast.AST, bound: set[str]) -> bool:
    """The chain starts from the class's rows: `self.get_queryset()`, `self.filter_queryset(...)`, `self.queryset`,
    or a name bound to them."""
    while True:
        if isinstance(expr, ast.Name):
            return expr.id in bound
        if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name) and expr.value.id == "self":
            return expr.attr in ("get_queryset", "filter_queryset", "queryset")
        if isinstance(expr, ast.Call):
            expr = expr.func
        elif isinstance(expr, ast.Attribute):
            expr = expr.value
        else:
            return False


def _loaded(node: ast.AST) -> list[str]:
    """A literal lookup, or a Prefetch's with the lookups its queryset adds below it; nothing for a Prefetch with
    `to_attr`, which leaves its lookup unloaded (its rows go to a list under another name)."""
    return [x for x in lookup_lists.element(node) or () if x != UNKNOWN_LOOKUP]


def _listed_serializer(node: ast.ClassDef, listing_only: bool = False) -> ast.Assign | None:
    """get_serializer_class(): the one serializer it returns, or the one it returns for the `list` action (only that
    one when `listing_only`)."""
    method = own_method(node, "get_serializer_class")
    if method is None:
        return None
    found: list[tuple[ast.AST, bool]] = []

    def walk(stmts: list[ast.stmt], listing: bool) -> None:
        for s in stmts:
            value = _own_attr(node, s.value) if isinstance(s, ast.Return) else None
            if isinstance(value, (ast.Name, ast.Attribute)) and ast.unparse(value).endswith("Serializer"):
                found.append((value, listing))
            elif isinstance(s, ast.If):
                test = actions.for_list(s.test)
                test = test if test is not None else True if "list" in ast.unparse(s.test) else None
                # a branch another action takes is not the list's, however the branches around it read (License
                # Manager's `elif self.action == "partial_update":` inside the `else` of `== "create"`: round 87)
                walk(s.body, listing if test is None else test)
                walk(s.orelse, listing if test is None else not test)
    walk(method.body, False)
    names = {ast.unparse(v) for v, _ in found}
    listed = next((v for v, listing in found if listing), None) or _past_other_actions(node, method)
    pick = listed if listing_only or len(names) > 1 else (found[0][0] if found else None)
    if pick is None:
        return None
    stmt = ast.Assign(targets=[ast.Name(id="serializer_class", ctx=ast.Store())], value=pick)
    return ast.copy_location(stmt, method)


def _past_other_actions(node: ast.ClassDef, method: ast.FunctionDef | ast.AsyncFunctionDef) -> ast.AST | None:
    """`if self.action == "create": return CreateSerializer` then `return InvoiceSerializer`: the list passes every
    branch only other actions take and gets the return after them (São Paulo's school-meal entries, round 151: the
    create serializer's relation judged never read by a list)."""
    for s in method.body:
        if isinstance(s, ast.If) and actions.for_list(s.test) is False and not s.orelse \
                or isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant):  # (or its docstring)
            continue
        value = _own_attr(node, s.value) if isinstance(s, ast.Return) else None
        return value if isinstance(value, (ast.Name, ast.Attribute)) and ast.unparse(value).endswith("Serializer") else None
    return None


def view_lists(index: ProjectIndex, module: ModuleFacts, fn: Function, model: Model | None) -> tuple[frozenset[str], frozenset[str]]:
    """The lists a list view declares, read over the project: inherited from a project base viewset or mixin, built
    from other lists (`AssetAdmin.list_select_related + [...]`), and the registered admin's `list_select_related`
    when a base merges it (a method reading `.list_select_related`). Only for the loop of a view's `<list>`."""
    if fn.cls is None or not fn.qualname.endswith(f".{LIST}"):
        return frozenset(), frozenset()
    cls_key = module.key(fn.cls)
    if cls_key not in index.classes:
        return frozenset(), frozenset()
    select = set(lookup_lists.class_list(index, cls_key, "select_related") or ())
    prefetch = set(lookup_lists.class_list(index, cls_key, "prefetch_related") or ())
    if model is not None and any(index.classes[k][1].merges_admin for k in lookup_lists.lineage(index, cls_key)):
        registered = index.registered_admins.get(model.key)
        select |= set(lookup_lists.class_list(index, registered, "list_select_related") or ()) if registered else set()
    if any(_auto_prefetching(b) for k in lookup_lists.lineage(index, cls_key) for b in index.classes[k][1].bases):
        prefetch.add(UNKNOWN_LOOKUP)  # DJA prefetches what the serializer's JSONAPIMeta includes, read at run time
    inherited = index.find_method(cls_key, "get_queryset")
    if inherited is not None and inherited != f"{cls_key}.get_queryset" and (base := index.returned(inherited, model, 1)) is not None:
        # `queryset = FileDistribution.objects.all()` under a project base viewset whose get_queryset() starts from
        # `super().get_queryset()` (this class's queryset) and adds the list's eager loading; what it spells out only:
        # `select_related(*self.select_related)` is the lists above
        select |= base.select - {UNKNOWN_LOOKUP}
        prefetch |= base.prefetch - {UNKNOWN_LOOKUP}
    return frozenset(select), frozenset(prefetch)


def _auto_prefetching(base: str) -> bool:
    """django-rest-framework-json-api's `AutoPrefetchMixin`, alone or in its `ModelViewSet` / `ReadOnlyModelViewSet`:
    its get_queryset() prefetches every relation the request or the serializer's `included_resources` names
    (Bluebottle, round 20: eleven of seventeen false findings)."""
    short = base.rpartition(".")[2]
    return short == "AutoPrefetchMixin" or (base.startswith("rest_framework_json_api.") and short.endswith("ModelViewSet"))


def own_rows_serializer(node: ast.ClassDef | None, fn) -> str | None:
    """The serializer a view's own `list()` hands rows it queries itself (`self.get_serializer(ExportRun.objects.filter(...),
    many=True)`): the class's `serializer_class`, or the one `get_serializer_class()` returns for the list."""
    if node is None or fn.qualname != f"{fn.cls}.list":
        return None
    method = own_method(node, "list")
    if method is None or _uses_class_rows(method):
        return None  # the class's rows: the view's list loop (list_view) serialises them already
    stmt = _list_serializer(node)
    return ast.unparse(stmt.value) if stmt is not None and isinstance(stmt.value, (ast.Name, ast.Attribute)) else None


def _list_serializer(node: ast.ClassDef) -> ast.Assign | None:
    """The serializer the `list` action takes: what get_serializer_class() picks for it, which overrides the class
    default (often the detail one), else `serializer_class`."""
    declared = class_assign(node, "serializer_class")
    listed = _listed_serializer(node, listing_only=declared is not None) or _by_action(node) or _set_by_list(node) or _list_attribute(node)
    if listed is not None and declared is not None and ast.unparse(listed.value) == ast.unparse(declared.value):
        return declared  # `return self.serializer_class` past the other actions: the class's own line says it
    return listed or declared


def _list_attribute(node: ast.ClassDef) -> ast.Assign | None:
    """`list_serializer_class = ListSeasonSerializer` beside `serializer_class`, in a view whose get_serializer_class()
    is a base's: nothing but such a base reads the attribute, for the list (Touch Technology's competition API, its
    `SlugViewSet` in another module: round 279, 2 findings of the detail serializer's nested rows judged false)."""
    if own_method(node, "get_serializer_class") is not None:
        return None
    stmt = class_assign(node, "list_serializer_class")
    return stmt if stmt is not None and isinstance(stmt.value, (ast.Name, ast.Attribute)) else None


def _set_by_list(node: ast.ClassDef) -> ast.Assign | None:
    """`def list(self, request): self.serializer_class = PropertyListSerializer; return super().list(request)`: the list
    serialises with what its own method sets (Saskatoon's properties and harvests, round 227: 4 findings of the detail
    serializer's fields judged false)."""
    method = own_method(node, "list")
    for stmt in method.body if method is not None and own_method(node, "get_serializer_class") is None else ():
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and dotted(stmt.targets[0]) == "self.serializer_class" \
                and isinstance(stmt.value, (ast.Name, ast.Attribute)):
            return ast.copy_location(ast.Assign(targets=[ast.Name(id="serializer_class", ctx=ast.Store())], value=stmt.value), stmt)
    return None


def _listing_actions(node: ast.ClassDef, listed: str) -> list[tuple[str, ast.AST]]:
    """Other actions that run the list (`@action(...) def paginated(self, request): return super().list(request)`), each
    with the serializer a per-action dict gives it (its own entry, else `"default"`, else `serializer_class`) when that
    is not the list's: TFRS's documents page posts to `paginated`, whose rows the default serializer reads (round 142)."""
    actions = _action_serializers(node)
    if actions is None:
        return []
    declared = class_assign(node, "serializer_class")
    fallback = actions.get("default", declared.value if declared is not None else None)
    out = []
    for method in node.body:
        if isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef)) and method.name != "list" and _runs_list(method):
            chosen = actions.get(method.name, fallback)
            name = ast.unparse(chosen) if isinstance(chosen, (ast.Name, ast.Attribute)) else None
            if name and name != listed and name not in (n for n, _ in out):
                out.append((name, method))
    return out


def _runs_list(method: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """`super().list(request)` or `self.list(request, ...)` in the method."""
    return any(isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "list"
               and (isinstance(n.func.value, ast.Call) and dotted(n.func.value.func) == "super"
                    or isinstance(n.func.value, ast.Name) and n.func.value.id == "self") for n in ast.walk(method))


def _action_serializers(node: ast.ClassDef) -> dict[str, ast.AST] | None:
    """The class body's dict of serializers by action (one with a `"list"` entry naming a serializer), as a dict."""
    for s in reversed(node.body):
        if isinstance(s, ast.Assign) and isinstance(s.value, ast.Dict):
            found = {k.value: v for k, v in zip(s.value.keys, s.value.values) if isinstance(k, ast.Constant) and isinstance(k.value, str)}
            if "list" in found and ast.unparse(found["list"]).endswith("Serializer"):
                return found
    return None


def _by_action(node: ast.ClassDef) -> ast.Assign | None:
    """`serializer_action_classes = {"list": TPMVisitLightSerializer, ...}`: the per-action serializers a project mixin's
    get_serializer_class() looks up by `self.action` (eTools' visits, round 143, judged false: the detail serializer's
    field was not the list's). Any class-body dict whose `"list"` key names a serializer."""
    actions = _action_serializers(node)
    if actions is None:
        return None
    stmt = ast.Assign(targets=[ast.Name(id="serializer_class", ctx=ast.Store())], value=actions["list"])
    return ast.copy_location(stmt, actions["list"])


def _own_attr(node: ast.ClassDef, value: ast.AST | None) -> ast.AST | None:
    """`self.list_serializer_class` read through the class body's own assignment (La Suite People's
    `list_serializer_class = MailDomainAccessReadOnlySerializer`: round 94); any other value as it is."""
    if isinstance(value, ast.Attribute) and isinstance(value.value, ast.Name) and value.value.id == "self":
        assigned = class_assign(node, value.attr)
        return assigned.value if assigned is not None else value
    return value


def _uses_class_rows(method: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """A view's own `list()` that starts from the class's rows: `self.get_queryset()`, `self.queryset`, `self.object_list`
    or `super().list(...)`."""
    return any(isinstance(n, ast.Attribute) and (n.attr in ("get_queryset", "queryset", "object_list") and isinstance(n.value, ast.Name)
                                                 and n.value.id == "self" or n.attr == "list" and isinstance(n.value, ast.Call)
                                                 and dotted(n.value.func) == "super") for n in ast.walk(method))


def _uses_class_serializer(method: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """A view's own `list()` that still serialises with the class's serializer: `self.get_serializer(...)`,
    `self.serializer_class(...)` or `super().list(...)`."""
    for n in ast.walk(method):
        if isinstance(n, ast.Attribute) and n.attr in ("get_serializer", "serializer_class", "get_serializer_class", "list") \
                and (isinstance(n.value, ast.Name) and n.value.id == "self" or isinstance(n.value, ast.Call) and dotted(n.value.func) == "super"):
            return True
    return False


def _calls_super_get(method: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """`return super().get(request, *args, **kwargs)`: DRF's own `get()`, which lists with the class's serializer."""
    return any(isinstance(n, ast.Attribute) and n.attr == "get" and isinstance(n.value, ast.Call) and dotted(n.value.func) == "super"
               for n in ast.walk(method))

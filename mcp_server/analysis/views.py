"""Django views as callers of their templates: what each context name holds, for the template's loops.

A view that renders a template (`render(request, "x.html", {"invoices": qs})`, `TemplateResponse`,
`render_to_string`, a class-based view's `template_name` or default `<app>/<model>_list.html`) becomes a call
of the template's synthetic function (templates.py) whose `kwarg_sources` name the querysets of its context:
`object_list`, `<model>_list`, `context_object_name`, `object`/`<model>` of detail views, and what
`get_context_data` adds. The index then resolves a template's rows through these calls (`context_rows`), with
the render call and the view's queryset as the evidence, and the queryset as the place of the fix.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from . import class_attrs, loop_size, lookup_lists
from .facts import Call, Function, IterSource
from .index_model import ResolvedSource
from .nodes import span, unchained
from .reader import Scope
from .templates import ALL, TEMPLATE, is_template, key_of

if TYPE_CHECKING:
    from .extract import Extractor
    from .facts import ModuleFacts
    from .index import ProjectIndex

RENDERERS = {"render": 1, "render_to_response": 0, "TemplateResponse": 1, "SimpleTemplateResponse": 0, "render_to_string": 0}
_LIST = ("ListView", "MultipleObjectMixin", "MultipleObjectTemplateResponseMixin", "ArchiveIndexView")
_DETAIL = ("DetailView", "SingleObjectMixin", "UpdateView", "DeleteView")
# the views that render a template by default: `SingleObjectMixin, View` only looks an object up (a download, a report)
_RENDERS = ("DetailView", "UpdateView", "DeleteView", "CreateView", "ListView", "ArchiveIndexView", "TemplateResponseMixin")
_TEMPLATE_VIEWS = ("TemplateView", "TemplateResponseMixin", "FormView", "CreateView", "View", *_LIST, *_DETAIL)
TEMPLATE_CALLS = frozenset({*RENDERERS, "render"})
MAX_HOPS = 6  # includes and extends followed from a template back to a view
SUPER = "<super>"  # IterSource.manager of `super().get_queryset()`
BACK = "<back:"  # a prefetch lookup's tail: the rows come from this related manager, so its owner is cached on each row


def _const(node: ast.AST | None) -> str | None:
    if isinstance(node, (ast.List, ast.Tuple)) and node.elts:
        node = node.elts[0]  # select_template's first choice
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def value_source(ex: Extractor, node: ast.AST, scope: Scope) -> IterSource | None:
    """The rows a context value holds: a queryset expression, or a variable bound to one."""
    if isinstance(node, ast.Name):
        # `recent = qs[:3]` then `{"recent": recent}`: bounded as the inline slice below (GetTogether, round 82)
        return None if node.id in scope.small else scope.queries.get(node.id)
    if isinstance(node, (ast.Call, ast.Subscript)):
        if loop_size.classify(node)[0] == loop_size.SMALL:
            return None  # `qs[:2]`: a handful of rows however large the table, as for a Python loop over it
        return ex.iter_source(node, scope)
    return None


def dict_sources(ex: Extractor, node: ast.AST | None, scope: Scope) -> dict[str, IterSource]:
    """{"invoices": qs, ...}, dict(invoices=qs), or a variable holding such a dict (see note_context)."""
    out: dict[str, IterSource] = {}
    if isinstance(node, ast.Name):
        return dict(scope.contexts.get(node.id, {}))
    if isinstance(node, ast.Dict):
        for k, v in zip(node.keys, node.values):
            if k is None:  # {**base, ...}
                out.update(dict_sources(ex, v, scope))
            elif (name := _const(k)) is not None and (src := value_source(ex, v, scope)) is not None:
                out[name] = src
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "dict":
        for kw in node.keywords:
            if kw.arg and (src := value_source(ex, kw.value, scope)) is not None:
                out[kw.arg] = src
    return out


def note_context(ex: Extractor, node: ast.Assign, scope: Scope) -> None:
    """`context = {...}` and `context["x"] = qs`: what a context variable holds by the time it is rendered."""
    if len(node.targets) != 1:
        return
    t = node.targets[0]
    if isinstance(t, ast.Name) and isinstance(node.value, (ast.Dict, ast.Call)):
        found = dict_sources(ex, node.value, scope)
        if found or isinstance(node.value, ast.Dict):
            scope.contexts[t.id] = found
    elif isinstance(t, ast.Subscript) and isinstance(t.value, ast.Name) and (key := _const(t.slice)) is not None:
        src = value_source(ex, node.value, scope)
        if src is not None:
            scope.contexts.setdefault(t.value.id, {})[key] = src


def render_call(ex: Extractor, node: ast.Call, scope: Scope, name: str) -> None:
    """render(request, "x.html", context) and its kin: a call of the template with the context's querysets."""
    last = name.rpartition(".")[2]
    position = RENDERERS.get(last)
    if position is None:
        if last == "render" and isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Call) \
                and ast.unparse(node.func.value.func).rpartition(".")[2] in ("get_template", "select_template"):
            template = _const(node.func.value.args[0]) if node.func.value.args else None
            context = node.args[0] if node.args else None
            if template:
                _call(ex, scope, node, template, dict_sources(ex, context, scope))
        return
    kw = {k.arg: k.value for k in node.keywords if k.arg}
    template = _const(node.args[position] if len(node.args) > position else kw.get("template_name") or kw.get("template"))
    context = node.args[position + 1] if len(node.args) > position + 1 else kw.get("context")
    if template:
        _call(ex, scope, node, template, dict_sources(ex, context, scope))


def _call(ex: Extractor, scope: Scope, node: ast.AST, template: str, sources: dict[str, IterSource]) -> None:
    call = Call(key_of(template), span(node), tuple(reversed(scope.loop_stack)), False, ex.text(node))
    call.kwarg_sources = tuple(sorted(sources.items()))
    scope.fn.calls.append(call)


def class_view(ex: Extractor, node: ast.ClassDef, qual: str, bases: tuple[str, ...], scope: Scope) -> None:
    """A class-based view: the template it renders and the rows its context names hold."""
    names = [b.rpartition(".")[2] for b in bases]
    if not any(n.endswith(_TEMPLATE_VIEWS) for n in names):
        return
    attrs: dict[str, ast.AST] = {}
    methods: dict[str, ast.FunctionDef | ast.AsyncFunctionDef] = {}
    for stmt in node.body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            attrs[stmt.targets[0].id] = stmt.value
        elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            methods[stmt.name] = stmt
    fn = Function(f"{qual}.<render>", span(node), False, qual, params=("self",))
    inner = Scope(fn, qual, scope)
    rows: IterSource | None = None
    model = ex.expand(ast.unparse(attrs["model"])) if isinstance(attrs.get("model"), (ast.Name, ast.Attribute)) else None
    if "get_queryset" in methods:
        at = methods["get_queryset"]
        rows = IterSource("call", span(at), ex.text(at), model=model, callee=f"{qual}.get_queryset")
    elif "queryset" in attrs:
        rows = ex.iter_source(attrs["queryset"], inner)
    elif model is not None:  # a base class's get_queryset() if the project has one, else model.objects.all()
        rows = IterSource("view", span(attrs["model"]), ex.text(attrs["model"]), model=model, manager="objects", callee=f"{qual}.get_queryset")
    if model is None and rows is not None and rows.kind == "django" and rows.model != "<self>":
        model = rows.model
    model_name = (model or "").rpartition(".")[2].lower()
    listing = any(n.endswith(_LIST) for n in names)
    detail = not listing and any(n.endswith(_DETAIL) for n in names)
    sources: dict[str, IterSource] = {}
    if rows is not None and (listing or detail):
        context_name = _const(attrs.get("context_object_name"))
        own = ["object_list", f"{model_name}_list"] if listing else ["object", model_name]
        for n in [*own, context_name]:
            if n and n != "_list":
                sources[n] = rows
    if "get_context_data" in methods:
        sources.update(_context_data(ex, methods["get_context_data"], inner))
    template = _const(attrs.get("template_name"))
    # (not a view that only overrides post(): an action over the selected rows that keeps ListView for its queryset
    # helpers, and answers with a redirect or a file; its default template goes with a GET no page sends, scancode.io)
    if template is None and model_name and (listing or detail) and any(n.endswith(_RENDERS) for n in names) \
            and not ("post" in methods and "get" not in methods):
        # the app label Django uses: the package of the model's module (`billing.models.Invoice` -> billing)
        owner = (model or "").rpartition(".models")[0] if ".models" in (model or "") else ex.package
        app = owner.rpartition(".")[2] if owner else ""
        template = f"{app}/{model_name}{'_list' if listing else '_detail'}.html"
    if template is None or not sources:
        return
    ex.facts.functions[fn.qualname] = fn
    at = attrs.get("template_name") or node
    _call(ex, inner, at, template, sources)


def _context_data(ex: Extractor, method: ast.FunctionDef | ast.AsyncFunctionDef, scope: Scope) -> dict[str, IterSource]:
    """What get_context_data adds: `context["x"] = qs`, `context.update(x=qs)`, `return {..., "x": qs}`. The method's
    own names are read as a function's are, so `qs = qs.select_related("post")` refines the rows `qs` held
    (YourNextRepresentative's constituency counts, round 117: judged PREFETCHED); they are dropped after it."""
    out: dict[str, IterSource] = {}
    saved, scope.queries = scope.queries, dict(scope.queries)
    try:
        for n in ast.walk(method):
            if isinstance(n, ast.Assign) and len(n.targets) == 1:
                t = n.targets[0]
                src = value_source(ex, n.value, scope)
                if src is None:
                    continue
                if isinstance(t, ast.Name):
                    scope.queries[t.id] = src
                elif isinstance(t, ast.Subscript) and (key := _const(t.slice)) is not None:
                    out[key] = src
            elif isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "update":
                for kw in n.keywords:
                    src = value_source(ex, kw.value, scope)
                    if kw.arg and src is not None:
                        out[kw.arg] = src
            elif isinstance(n, ast.Return) and isinstance(n.value, ast.Dict):
                out.update(dict_sources(ex, n.value, scope))
    finally:
        scope.queries = saved
    return out


def related_manager_rows(node: ast.AST | None) -> str | None:
    """`x.subevents.all()` (or `.filter(...)`...) as a Prefetch queryset: BACK + the accessor, resolved by the index."""
    node = unchained(node, ("all", "filter", "exclude", "order_by", "annotate"))
    if isinstance(node, ast.Attribute) and isinstance(node.value, (ast.Attribute, ast.Name)) and node.attr != "objects" and node.attr[:1].islower():
        owner = node.value.attr if isinstance(node.value, ast.Attribute) else node.value.id
        return f"{BACK}{node.attr}:{owner}>"
    return None


# -- the index side: a template's rows are what its views put in the context ----------------------------------
def view_rows(index: ProjectIndex, src: IterSource, module: ModuleFacts, depth: int, self_model=None) -> ResolvedSource | None:
    """A class-based view with `model = X` and no queryset of its own, or `super().get_queryset()`: what a project base
    class's get_queryset() returns, else X.objects.all(); plus the eager loading chained on it."""
    model = self_model if src.model == "<self>" else index.resolve_model(src.model, module)
    cls, _, method = (src.callee or "").rpartition(".")
    if src.manager == SUPER:
        cls_key = index.resolve_class(cls, module)
        key = next((k for b in (index.bases(cls_key) if cls_key else []) if (k := index.find_method(b, method))), None)
        if key is None and cls_key and method == "get_queryset":
            # DRF's and Django's own get_queryset() return the class's `queryset`, with the eager loading it declares
            # of the view being listed, when it is a subclass: its own `queryset` replaces the base's
            view = index.view_class if index.view_class and cls_key in lookup_lists.lineage(index, index.view_class) else cls_key
            key = next((k for c in lookup_lists.lineage(index, view) if (k := class_attrs.rows_attr(c, "queryset")) in index.functions), None)
    else:
        key = index.resolve_function(src.callee or "", module)
    if key is None and src.manager != SUPER and (cls_key := index.resolve_class(cls, module)):
        # a base view whose subclasses bring the rows (`get_queryset()` in each): the weakest of them
        keys = [f"{s}.{method}" for s in index.subclasses(cls_key) if f"{s}.{method}" in index.functions]
        found = [index.returned(k, model, depth) for k in keys]
        if keys and (None in found or len({r.model.key for r in found}) != 1):
            return None
        if keys:
            key, inner = None, min(found, key=lambda r: len(r.select) + len(r.prefetch) + r.all_select * 100)
            return ResolvedSource(inner.model, inner.select | frozenset(src.select), inner.prefetch, inner.all_select, [(module, src), *inner.origin],
                                  inner.prefix, inner.certain, inner.shared, annotated=inner.annotated | frozenset(src.annotated))
    if key is not None:
        inner = index.returned(key, model, depth)  # a project mixin decides; what it returns (or nothing we can read)
    elif model is not None:  # `Model._default_manager.all()`, with what that manager's get_queryset() loads (Indigo, round 180)
        base = index.default_rows(model)
        inner = ResolvedSource(model, base.select if base else frozenset(), base.prefetch if base else frozenset(), bool(base and base.all_select),
                               [(module, src)])
    else:
        return None
    if inner is None:
        return None
    select, prefetch, all_select = inner.select | frozenset(src.select), inner.prefetch | frozenset(src.prefetch), inner.all_select or src.all_select
    annotated = inner.annotated | frozenset(src.annotated)  # `super().get_queryset().annotate(user_role=...)` (La Suite People, round 94)
    for method in index.custom_methods(inner.model, src.methods):
        # `qs.select_foreign_keys()` on the rows of `super().get_queryset()`: what the project's queryset method adds
        # (Le marché de l'inclusion's tender list, round 97: judged PREFETCHED)
        more = index.returned(method, inner.model, depth)
        if more is not None:
            select, prefetch, all_select = select | more.select, prefetch | more.prefetch, all_select or more.all_select
            annotated |= more.annotated
    return ResolvedSource(inner.model, select, owner_backs(index, inner.model, prefetch), all_select,
                          [(module, src), *inner.origin] if key is not None else inner.origin, inner.prefix, inner.certain, inner.shared,
                          annotated=annotated)


def owner_backs(index: ProjectIndex, model, lookups: frozenset[str]) -> frozenset[str]:
    """Rewrite `subevent__<back:subevents>` into `subevent__event`: the forward key of the accessor the rows came from."""
    out = set()
    for lookup in lookups:
        head, sep, tail = lookup.partition(BACK)
        if not sep:
            out.add(lookup)
            continue
        accessor, _, owner = tail.rstrip(">").partition(":")
        found = {(m.key.rpartition(".")[2].lower(), r.back) for m in index.models().values() for r in m.relations.values() if r.name == accessor and r.back}
        backs = {b for _, b in found}
        if len(backs) > 1:  # `event.subevents` of Event and of SeatingPlan: the owner's name tells which
            backs = {b for m, b in found if owner in (m, b)}
        if len(backs) == 1:
            out.add(head + backs.pop())
    return frozenset(out)


def context_rows(index: ProjectIndex, module: ModuleFacts, src: IterSource, depth: int) -> ResolvedSource | None:
    """Rows of `{% for x in name %}` (or `name.relation.all`): what every view rendering the template passes as `name`."""
    name, *path = src.parent_path
    found: list[tuple[ResolvedSource, ModuleFacts, Call]] = []
    _passed(index, f"{module.module}.{TEMPLATE}", name, depth, found, 0)
    if not found or len({r.model.key for r, _, _ in found}) != 1:
        return None
    weakest, via_module, via = min(found, key=lambda f: len(f[0].select) + len(f[0].prefetch) + f[0].all_select * 100)
    select = frozenset.intersection(*(r.select for r, _, _ in found))
    prefetch = frozenset.intersection(*(r.prefetch for r, _, _ in found))
    rendered = IterSource("render", via.span, via.text)
    origin = [(module, src), (via_module, rendered), *weakest.origin]
    model, prefix = weakest.model, ""
    for seg in path:  # {% for item in object.items.all %}: the related rows of the view's object
        rel = model.relations.get(seg)
        model = index.models().get(rel.target or "") if rel is not None else None
        if model is None:
            return None
        prefix = f"{prefix}{seg}__"

    def below(lookups: frozenset[str]) -> frozenset[str]:
        return frozenset(s[len(prefix):] for s in lookups if s.startswith(prefix))

    back = frozenset({rel.back}) if path and rel.back else frozenset()
    annotated = frozenset.intersection(*(r.annotated for r, _, _ in found)) if not path else frozenset()
    return ResolvedSource(model, below(select) | back, below(prefetch), all(r.all_select for r, _, _ in found) and not path, origin,
                          weakest.prefix + prefix, certain=all(r.certain for r, _, _ in found), shared=back, annotated=annotated)


def _passed(index: ProjectIndex, key: str, name: str, depth: int, found: list, hops: int) -> None:
    if hops > MAX_HOPS:
        return
    for caller_module, caller, call in index.callers(key):
        given = dict(call.kwarg_sources)
        if name in given:
            resolved = index.resolve_source(given[name], caller_module, caller, depth=depth + 1)
            if resolved is not None:
                found.append((resolved, caller_module, call))
        elif is_template(caller_module):  # an including or extending template hands on its own context
            mapped = dict(call.kwargs)
            outer = mapped.get(name) or (name if ALL in mapped else None)
            if outer and "." not in outer and (outer in caller.params or ALL in mapped):
                _passed(index, f"{caller_module.module}.{TEMPLATE}", outer, depth, found, hops + 1)

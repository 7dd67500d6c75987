"""A user's selection: the objects a person ticked on one page and submitted to an action.

Read on real applications, loops over these were true but not worth anyone's time: an admin action's
`queryset` (the rows ticked in the change list), a mass action of a project's own admin list (misago's
`action_<name>(self, request, items)`), a transition run on the assets a user picked, and rows filtered by the
ids a form posts (`pk__in=request.POST.getlist("selected")`). A person picks a handful; a query per item there
costs a constant that does not grow with the table. Told apart by how the code says so (never by names of
applications): how the action is registered, and where the ids come from. The ids of a GET query string are
not a selection (a link can name any number of rows, a page that lists them is read on every refresh).
"""

from __future__ import annotations

import ast

from .nodes import dotted, last_name

SELECTION = "a user's selection"
_ACTION_RECEIVERS = frozenset({"self", "cls", "modeladmin", "model_admin", "admin", "request"})
_SUBMITTED_BASES = ("request.POST", "request.data")  # what a form or an API call posts (not request.GET: a link)
_ID_LOOKUPS = frozenset({"pk__in", "id__in"})


def listed_actions(node: ast.ClassDef) -> frozenset[str]:
    """The method names a class registers as actions: the strings of its `actions`, `mass_actions`, `bulk_actions`
    (a Django ModelAdmin's `actions = ["publish"]`, an admin list's `[{"action": "ban", ...}]`)."""
    out: set[str] = set()
    init = next((s for s in node.body if isinstance(s, ast.FunctionDef) and s.name == "__init__"), None)
    for stmt in (*node.body, *(init.body if init else ())):  # `self.actions = [...]` in `__init__` too
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.value, (ast.List, ast.Tuple)) \
                and (_name(stmt.targets[0]) or "").endswith("actions"):
            out |= {n.value for n in ast.walk(stmt.value) if isinstance(n, ast.Constant) and isinstance(n.value, str) and n.value.isidentifier()}
    return frozenset(out)


def _name(target: ast.AST) -> str | None:
    if isinstance(target, ast.Name):
        return target.id
    return target.attr if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == "self" else None


def action_params(node: ast.FunctionDef | ast.AsyncFunctionDef, actions: frozenset[str]) -> dict[str, str]:
    """The parameter of an action that holds what the user selected ({} when `node` is no action): the first one
    after the receiver and the request, in a function registered as an action (a decorator named `action` or
    `*_action`), one its class lists among its actions (`publish` or `action_publish`), or one with a Django admin
    action's signature `(modeladmin, request, queryset)`."""
    positional = [*node.args.posonlyargs, *node.args.args]
    params = [a.arg for a in positional[:len(positional) - len(node.args.defaults)]]  # not `pk=None` (a DRF `@action`'s)
    decorated = any(n == "action" or n.endswith("_action") for n in ((last_name(d) or "").lower() for d in node.decorator_list))
    listed = node.name in actions or (node.name.startswith("action_") and node.name[7:] in actions)
    signature = params[:2] in (["modeladmin", "request"], ["model_admin", "request"])
    if not (decorated or listed or signature):
        return {}
    rest = [p for p in params if p not in _ACTION_RECEIVERS]
    if not rest or rest[0] in ("pk", "id", "slug", "uuid"):
        return {}
    how = "an admin action's" if signature or listed else "a registered action's"
    return {rest[0]: f"{SELECTION} ({how} `{rest[0]}`: the objects a person picked on one page)"}


def submitted(node: ast.AST, small: dict[str, str], data: bool = True) -> str:
    """Why `node` holds ids a person submitted ("" when it does not): `request.POST.getlist("ids")`, a slice or
    comprehension of it, `request.data["ids"]`, a form's `cleaned_data["ids"]`, or a name bound to one. Without
    `data`, not an API's `request.data`: walked directly, it may be a bulk upload of any size; only the ids a query
    filters by are a selection there."""
    t = type(node)
    if t is ast.Name:
        why = small.get(node.id, "")
        return why if why.startswith(SELECTION) else ""
    if t in (ast.ListComp, ast.SetComp, ast.GeneratorExp):
        return submitted(node.generators[0].iter, small, data)
    if t is ast.Subscript and isinstance(node.slice, ast.Slice):
        return submitted(node.value, small, data)
    if t is ast.Call and (dotted(node.func) or "") in ("list", "set", "tuple", "map") and node.args:
        return submitted(node.args[-1], small, data)
    base, key = None, None
    if t is ast.Call and type(node.func) is ast.Attribute and node.func.attr in ("getlist", "get") and node.args:
        base, key = dotted(node.func.value) or "", node.args[0]
        if node.func.attr == "get" and not base.endswith(("request.data", "cleaned_data")):
            return ""  # `request.POST.get(...)` is one value
    elif t is ast.Subscript:
        base, key = dotted(node.value) or "", node.slice
    if base is None or type(key) is not ast.Constant or not isinstance(key.value, str):
        return ""
    if base.endswith(_SUBMITTED_BASES if data else "request.POST") or base.endswith("cleaned_data"):
        return f"{SELECTION} (the ids it submits: {base}[{key.value!r}])"
    return ""


def selected_rows(node: ast.Call, small: dict[str, str]) -> str:
    """`Model.objects.filter(pk__in=ids)` (or `in_bulk(ids)`) where the ids are a user's selection or what the command
    line passes: at most as many rows as ids ("" otherwise; a filter on any other field may match any number)."""
    while type(node) is ast.Call and type(node.func) is ast.Attribute:
        attr = node.func.attr
        values = [k.value for k in node.keywords if k.arg in _ID_LOOKUPS] if attr in ("filter", "filter_by") else \
            node.args[:1] if attr == "in_bulk" else []
        for value in values:
            why = submitted(value, small) or (small.get(value.id, "") if type(value) is ast.Name else "")
            if why.startswith((SELECTION, "what the command line")):
                return why
        node = node.func.value
    return ""


def handed_a_selection(node: ast.Call, small: dict[str, str]) -> str:
    """`restrict_queryset(queryset=form.cleaned_data["types"], user=user)`: a helper handed a user's selection and no
    other collection returns what it keeps of it, or the rows of those few items ("" otherwise)."""
    args = [*node.args, *(k.value for k in node.keywords)]
    whys = [submitted(a, small, data=False) for a in args]
    picked = next((w for w in whys if w), "")
    if not picked or any(type(a) in (ast.List, ast.Tuple, ast.Set, ast.Starred, ast.ListComp) for a, w in zip(args, whys) if not w):
        return ""
    return f"{picked}, as {dotted(node.func) or 'a helper'} keeps it"

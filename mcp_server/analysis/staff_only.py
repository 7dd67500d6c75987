"""Code only staff reach: the Django admin, and views behind a staff permission.

Judged on real applications (rounds 7 to 32), findings in the Django admin (`admin.py`) were 1 true and worth acting on
in 33 (29 true but not worth it, 3 false), and findings in views only staff or moderators open (DRF's `IsAdminUser`,
`@staff_member_required`, a project's `@moderator_required`) 3 in 57: a moderation queue a few people page through
costs them a second, not every user of the site. Such findings are `low`, with the reason, not dropped: an admin page
over a large table can still time out, and the user's `table_rows` raises a loop over one that large again.

What marks code as staff-only, read from its definition (extraction: `decorator_reason`, `class_reason`):
- a decorator named for it: `staff_member_required`, `superuser_required`, `<staff|admin|moderator>[_login]_required`,
  `only_admins` (Zeeguu, round 134), or
  `user_passes_test(lambda u: u.is_staff)` (`is_superuser` too; any decorator handed such a test, as a project's
  `@check_user(lambda user: user.is_staff)`), also through `method_decorator(...)` on a class;
- a decorator that requires a role or permission for them, named by its argument: Flask-Security's
  `@roles_required("admin")`, ContentDB's `@rank_required(UserRank.MODERATOR)`, RootTheBox's `@authorized(ADMIN_PERMISSION)`;
- a DRF `permission_classes` list that requires `IsAdminUser` (each listed class must pass; `A | B` is not read);
- Django's `@permission_required` or `PermissionRequiredMixin` with a permission for those who run the site: a word for
  them, or a model permission to change or delete any row (`"forum.change_post"`); not one checked against the view's
  own row (django-guardian, django-rules, `get_permission_object`), which the row's owner may hold;
- a staff mixin among the bases (django-braces' `StaffuserRequiredMixin`, `SuperuserRequiredMixin`, and kin);
- a Django admin class (`ModelAdmin`, an inline) or an admin action (`@admin.action`, `def f(modeladmin, request, queryset)`),
  and, in a module named `admin.py`, a class whose base is named `...Admin`, `...Inline` or `...View` and a function
  handed a `request` (a job kept there, `def nightly()`, is not lowered). Not the admin of a project that builds its own
  `AdminSite`: there the admin is the product;
- a module of a top-level `admin/` package that has settings of its own beside an application with views elsewhere: a
  staff site run as its own Django project (OSF's `admin/`);
- a FastAPI route whose dependency names an admin (`Depends(current_admin_user)`, `require_permission(Permission.
  FULL_ADMIN_PANEL_ACCESS)`), or a route of a router named for the admin (`@admin_router.get(...)`): onyx, round 100;
  likewise a Flask blueprint named for it (`@admin.route(...)`, `@admin_bp.get(...)`): EMF's admin pages, round 146;
- a Pyramid view whose permission names an admin (`@view_config(permission=Permission.AdminPage.HIGH_RISK)`): Hypothesis,
  round 107.
"""

from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING

from ..findings import Severity
from .nodes import dotted, last_name, through_method_decorator
from .walk import keyword_arg

if TYPE_CHECKING:
    from ..findings import Finding, Location
    from .index import ProjectIndex
    from .facts import ClassFacts, Function, ModuleFacts

# `@staff_member_required`, a project's `@moderator_required`, or the other word order (ESP's `@needs_admin`, gpodder's
# `@require_staff`, AirOne's `@check_superuser`)
# (fence's `@admin_login_required`: round 158, 5 judged RARE)
_DECORATOR = re.compile(r"^(staff_member|staff|staffuser|superuser|admin|moderator)(_login)?_required$"
                        r"|^(needs|requires?|check)_(staff|superuser|admin|moderator)$"
                        r"|^(staff|superuser|admin)(_only)?$"  # Adjutant's `@utils.admin` (round 80: judged RARE)
                        r"|^(only_(staff|superusers?|admins?|moderators?)|(superusers|admins|moderators)_only)$")  # Zeeguu's `@only_admins` (round 134)
# (and `IsActiveSuperUser`: News Revenue Hub's internal API, round 239, judged RARE)
_PERMISSION = re.compile(r"^Is(Active)?(Admin|Staff|Superuser|SuperUser)(User)?$")  # not IsAdminOrReadOnly: everyone reads
_MIXIN = re.compile(r"^(Staff|Staffuser|StaffMember|Superuser|SuperUser|Admin|Moderator)(Required|Only)Mixin$")
_FLAGS = frozenset({"is_staff", "is_superuser"})
_ADMIN_BASE = re.compile(r"(ModelAdmin|TabularInline|StackedInline|InlineModelAdmin)$")
_ADMIN_WORD = re.compile(r"admin|superuser|staff", re.I)
# onyx's `admin_router`; a Flask blueprint named for the admin (`@admin.route(...)`: EMF's admin pages, round 146)
_ADMIN_ROUTER = re.compile(r"^admin(_?\w*(router|bp|blueprint))?$", re.I)
_ROUTES = frozenset({"get", "post", "put", "patch", "delete", "api_route"})
DJANGO_ADMIN = "the Django admin"
FLASK_ADMIN = "Flask-Admin"


_ROUTE_DECORATORS = _ROUTES | {"route"}  # Flask's and Quart's `@app.route(...)` besides the method-named ones


def routed(decorators: list[ast.expr]) -> bool:
    """An HTTP route's handler: `@router.get("/x")`, `@app.route("/x")`, `@bp.post(...)`, DRF's `@api_view([...])`."""
    return any(type(d) is ast.Call and ((type(d.func) is ast.Attribute and d.func.attr in _ROUTE_DECORATORS)
                                        or last_name(d.func) == "api_view") for d in decorators)


def decorator_reason(decorators: list[ast.expr]) -> str:
    """Why a function (or a class, through `method_decorator`) is reached by staff only ("" when it is not)."""
    for d in through_method_decorator(decorators):
        call = d if isinstance(d, ast.Call) else None
        name = last_name(call.func if call else d) or ""
        if _DECORATOR.match(name):
            return f"`@{name}`"
        elif call and call.args and _tests_staff(call.args[0]):
            # Django's `@user_passes_test(lambda u: u.is_staff)`, or a project's (les emplois' `@check_user`, round 62)
            return f"`@{name}` on the staff flag"
        elif call and call.args and _REQUIRES.search(name) and not _per_object(call) and (all if name.endswith("accepted") else any)(
                _STAFF_WORD.search(_arg_text(a)) for a in call.args):
            # Flask-Security's `@roles_required("admin")` (`@roles_accepted` lets any of its roles in: each must be
            # staff), IRIS's `@ac_api_requires(Permissions.server_administrator)` (round 54: judged RARE)
            return f"`@{name}({', '.join(map(_arg_text, call.args))})`"
        elif name == "action" and (dotted(call.func if call else d) or "").endswith("admin.action"):
            return DJANGO_ADMIN
        elif name in ("view_config", "view_defaults") and call and (why := _pyramid_admin(call)):
            return why
    return ""


# Pyramid: a view whose permission is an admin's (`permission="admin"`, Hypothesis's `Permission.AdminPage.HIGH_RISK`,
# round 107: judged RARE); a route's name says nothing of who may open it, so it is not read
_PYRAMID_ADMIN = re.compile(r"(^|[._'\"])(admin|administrator|superuser|staff)", re.I)


def _pyramid_admin(call: ast.Call) -> str:
    perm = keyword_arg(call, "permission")
    text = _arg_text(perm) if perm is not None else ""
    return f"`@{last_name(call.func)}(permission={text})`" if text and _PYRAMID_ADMIN.search(text) else ""


# a decorator that requires something of the user, named by its argument: a role or permission for administrators
# (RootTheBox's `@authorized(ADMIN_PERMISSION)`, round 135: 5 judged RARE)
_REQUIRES = re.compile(r"requires?$|required$|accepted$|^authori[sz]ed$", re.I)
# a role or permission constant named for them (`ADMIN_PERMISSION`, ContentDB's `UserRank.MODERATOR`, round 137: judged RARE)
_STAFF_WORD = re.compile(r"(^|[_.'\"])(admin|administrator|server_administrator|superuser|staff|moderator)(_(permission|perm|role|rank))?(['\"]|$)"
                         r"|(^|[.'\"])manage_\w+(['\"]|$)"  # a shop's `core.manage_shop` (LFS's `lfs/manage`, round 60)
                         # Django's own model permissions to change or delete any row, `"forum.change_post"`, which the
                         # admin uses and a site gives its moderators (zds-site's moderation views, round 105: 6 judged RARE)
                         r"|^['\"]\w+\.(change|delete)_\w+['\"]$", re.I)
# who checks a permission against one row (django-guardian, django-rules), so its owner passes: no staff permission then
_PER_OBJECT = ("guardian.", "rules.")


def _per_object(call: ast.Call) -> bool:
    """`@permission_required("invoices.change_invoice", fn=objectgetter(Invoice, "pk"))` (django-rules), or guardian's
    `(Invoice, "pk", "pk")` lookup: a permission on one row, which its owner may hold."""
    return any(k.arg in ("fn", "accept_global_perms") for k in call.keywords) or any(isinstance(a, ast.Tuple) for a in call.args[1:])


def _arg_text(node: ast.expr) -> str:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return repr(node.value)
    return dotted(node) or ""


def guard_reason(node: ast.FunctionDef | ast.AsyncFunctionDef) -> str:
    """Why a view lets only staff past its first statements ("" when nothing says so): a call of a staff check
    (Helios's `user = require_admin(request)`) or `if not request.user.is_staff: raise PermissionDenied` (wafer)."""
    body = node.body[1:] if node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant) else node.body
    for stmt in body[:3]:
        value = stmt.value if isinstance(stmt, (ast.Expr, ast.Assign)) else None
        if isinstance(value, ast.Call) and _DECORATOR.match(last_name(value.func) or ""):
            return f"`{last_name(value.func)}()` first"
        if isinstance(stmt, ast.If) and isinstance(stmt.test, ast.UnaryOp) and isinstance(stmt.test.op, ast.Not) \
                and isinstance(stmt.test.operand, ast.Attribute) and stmt.test.operand.attr in _FLAGS \
                and stmt.body and isinstance(stmt.body[-1], (ast.Raise, ast.Return)):
            return f"`if not {dotted(stmt.test.operand)}:` turns the others away"
    return ""


def dependency_reason(node: ast.FunctionDef | ast.AsyncFunctionDef) -> str:
    """Why a FastAPI route admits admins only ("" when nothing says so): a dependency named for it (`user =
    Depends(current_admin_user)`, onyx's `Depends(require_permission(Permission.FULL_ADMIN_PANEL_ACCESS))`, also inside
    `Annotated[...]`), or a route of a router or blueprint named for the admin (`@admin_router.get(...)`,
    `@admin.route(...)`). Round 100: onyx's admin pages, 12 findings judged N RARE."""
    for d in node.decorator_list:
        if type(d) is ast.Call and type(d.func) is ast.Attribute and d.func.attr in _ROUTE_DECORATORS and _ADMIN_ROUTER.match(dotted(d.func.value) or ""):
            return f"a route of `{dotted(d.func.value)}`"
    if not node.decorator_list:
        return ""  # a route is always decorated
    args = (*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs)
    places = [*node.args.defaults, *(d for d in node.args.kw_defaults if d is not None), *(a.annotation for a in args if a.annotation)]
    for n in (n for place in places for n in ast.walk(place)):
        if type(n) is ast.Call and last_name(n.func) in ("Depends", "Security") and n.args and _ADMIN_WORD.search(text := ast.unparse(n.args[0])):
            return f"a dependency that admits admins only (`Depends({text[:60]})`)"
    return ""


def _tests_staff(test: ast.expr) -> bool:
    """`lambda u: u.is_staff`, `lambda u: u.is_active and u.is_superuser`: every way through needs a staff flag."""
    if not isinstance(test, ast.Lambda):
        return False
    body = test.body
    parts = body.values if isinstance(body, ast.BoolOp) and isinstance(body.op, ast.And) else [body]
    return any(isinstance(p, ast.Attribute) and p.attr in _FLAGS for p in parts)


def class_reason(node: ast.ClassDef, bases: tuple[str, ...]) -> str:
    """Why every method of a class is reached by staff only ("" when it is not)."""
    names = [b.rpartition(".")[2] for b in bases]
    if any(_ADMIN_BASE.search(n) for n in names):
        return DJANGO_ADMIN
    if any(b.startswith("flask_admin.") for b in bases):  # `flask_admin.contrib.sqla.ModelView`, `flask_admin.BaseView`
        return FLASK_ADMIN
    mixin = next((n for n in names if _MIXIN.match(n)), None)
    if mixin:
        return f"`{mixin}`"
    why = decorator_reason(node.decorator_list)
    if why:
        return why
    for stmt in node.body:
        if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "permission_classes" for t in stmt.targets) \
                and isinstance(stmt.value, (ast.List, ast.Tuple)):
            staff = next((last_name(e) for e in stmt.value.elts if _PERMISSION.match(last_name(e) or "")), None)
            if staff:
                return f"`permission_classes` with `{staff}`"
        if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "permission_required" for t in stmt.targets) \
                and "PermissionRequiredMixin" in names and not _checks_one_row(node, bases):
            # Django's `PermissionRequiredMixin` with a permission for those who run the site (`"core.manage_shop"`)
            perms = stmt.value.elts if isinstance(stmt.value, (ast.List, ast.Tuple)) else [stmt.value]
            if perms and all(_STAFF_WORD.search(_arg_text(p)) for p in perms):
                return f"`permission_required = {', '.join(map(_arg_text, perms))}`"
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name == "dispatch":
            why = decorator_reason(stmt.decorator_list)
            if why:
                return why
    return ""


def _checks_one_row(node: ast.ClassDef, bases: tuple[str, ...]) -> bool:
    """A permission checked against the view's own row: guardian's or django-rules' mixin, or one that names the row
    (`get_permission_object`), so the row's owner may hold it."""
    return any(b.startswith(_PER_OBJECT) for b in bases) or any(
        isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name == "get_permission_object" for stmt in node.body)


def admin_action(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """`def mark_paid(modeladmin, request, queryset)`: a Django admin action, whether or not it is decorated."""
    return [a.arg for a in node.args.args[:3]] == ["modeladmin", "request", "queryset"]


def _reason(index: ProjectIndex, where: Location) -> str:
    from .own_saves import class_at, function_at  # analysis only: extraction, which imports this module, never needs it

    module = index.by_path.get(where.path)
    if module is None:
        return ""
    inner, cls = function_at(module, where.line), class_at(module, where.line)
    if inner is not None and inner.staff_only:
        return inner.staff_only
    if cls is not None and (cls.staff_only or (why := _inherited(index, module.key(cls.name)))):
        return cls.staff_only or why
    return _in_admin_module(where.path, cls, inner)


def _in_admin_module(path: str, cls: ClassFacts | None, fn: Function | None) -> str:
    """In a module named `admin.py`: the project's own admin base (`class InvoiceAdmin(CompanyAdmin)`), a view kept
    there for the admin (`class ImportCSVView(FormView)`, which an admin action renders: the Observation Portal's
    proposal import, round 158: 4 judged RARE) and a function handed a `request`; not a job kept there."""
    if path.rpartition("/")[2] != "admin.py":
        return ""
    if cls is not None and any(b.endswith(("Admin", "Inline", "View")) for b in cls.bases):
        return DJANGO_ADMIN
    return DJANGO_ADMIN if fn is not None and "request" in fn.params else ""


def _inherited(index: ProjectIndex, cls_key: str) -> str:
    """What makes a base of the class staff-only, up to four classes up (SimpleLogin's `UserAdmin(SLModelView)`, whose
    own base is Flask-Admin's `ModelView`; a project's `CompanyAdmin(admin.ModelAdmin)` defined outside `admin.py`)."""
    from .class_attrs import ancestors  # analysis only, as above

    if cls_key not in index.classes:
        return ""
    return next((why for base in ancestors(index, cls_key, depth=4) if (why := index.classes[base][1].staff_only)), "")


def _reached_by_staff(index: ProjectIndex, where: Location, seen: dict[tuple[str, str], str]) -> str:
    """A helper only staff pages call, up to four calls up (ESP's page-move forms behind `@admin_required`, gpodder's
    podcast merge behind `@require_staff`, PonyConf's mailings behind `@staff_required`: judged RARE, rounds 44 to 46).
    `seen`: the answer per function, walked once for all the findings in it."""
    from .command_reach import only_reached_from  # analysis only, as above
    from .own_saves import function_at

    module = index.by_path.get(where.path)
    fn = function_at(module, where.line) if module is not None else None
    if fn is None or fn.qualname == "<module>":
        return ""
    key = (where.path, fn.qualname)
    if key not in seen:
        label = only_reached_from(index, module, fn, lambda m, c: _staff_caller(index, m, c), lambda m: False)
        seen[key] = f"reached only from {label}" if label else ""
    return seen[key]


def _staff_caller(index: ProjectIndex, module: ModuleFacts, caller: Function) -> str:
    cls = module.classes.get(caller.cls) if caller.cls else None
    why = caller.staff_only or (cls.staff_only or _inherited(index, module.key(cls.name)) if cls is not None else "") \
        or _in_admin_module(module.path, cls, caller)
    return f"{why} on `{caller.qualname}`" if why else ""


LOWERED = ("; only staff reach it ({why}), which few people use: worth fixing when it walks a large table (`table_rows` with the "
           "table's size raises it)")


def own_admin_site(index: ProjectIndex) -> bool:
    """The project builds its own `AdminSite` (Django-CRM's `CrmAdminSite`): the admin is the product its users work
    in, every page of it a request path (round 31: six true findings in such an admin, each worth a fix)."""
    return any(b.rpartition(".")[2].endswith("AdminSite") for _m, c in index.classes.values() for b in c.bases)


def staff_site(index: ProjectIndex) -> bool:
    """A top-level `admin/` package that is a Django project of its own (its own settings) beside an application with
    views elsewhere: the staff's site (OSF's `admin/`, round 76: 14 of its findings judged RARE)."""
    paths = index.by_path
    return any(p.startswith("admin/") and ("/settings/" in p or p.endswith("/settings.py")) for p in paths) \
        and any(not p.startswith("admin/") and "/" in p and p.endswith("views.py") for p in paths)


def lower_staff_only(index: ProjectIndex, findings: list[Finding]) -> list[Finding]:
    """Each finding whose loop, own line or rendering view sits in code only staff reach: `low`, saying why."""
    product_admin = None
    reached: dict[tuple[str, str], str] = {}
    site = None
    for f in findings:
        if f.severity in (Severity.low, Severity.info) or f.location is None:
            continue
        places = [f.loop_location(), f.location, *(e.location for e in f.evidence if e.role == "view" and e.location)]
        why = next((w for w in (_reason(index, p) for p in places if p is not None) if w), "") \
            or _reached_by_staff(index, f.loop_location() or f.location, reached)
        if not why and f.location.path.startswith("admin/"):
            site = staff_site(index) if site is None else site
            why = "a staff site of its own: the top-level `admin/` project, with its own settings" if site else ""
        if why == DJANGO_ADMIN:
            product_admin = own_admin_site(index) if product_admin is None else product_admin
            why = "" if product_admin else why
        if why:
            f.severity = Severity.low
            f.message += LOWERED.format(why=why)
    return findings

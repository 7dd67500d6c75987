"""Functions nothing in the project names: per-item work in them runs for nobody.

Judged out of sample (issue 15, rounds 13 and 16), 8 findings were false for this reason alone: celery tasks marked
"experimental - unused" that no schedule or caller names, a helper left behind by a refactor, a vendored library's
functions the project never calls. A module-level function is taken as unused when its name appears nowhere in the
project's text but its own definition (a recursive call included) and its tests (comments and strings count: a Celery
beat schedule or a settings path names a task as text) and no decorator registers it with a framework (a route, a signal
receiver, a template filter), and it is a task, a private helper (`_name`), or any function of an application (a project
with a `manage.py`, `wsgi.py` or `asgi.py`): a library's public functions are there for other code to call. Such
findings are lowered to `low`, with the reason, rather than dropped: the name may still be reached from outside the
project (a console script's entry point). A method is judged by its class, on the same terms, when the class is a plain
one (no base but `object`, no decorator: nothing registers it) that nothing names (Modoboa's old log parser, round 36);
a model's method by its own name, which no code, template or setting of the project spells but its definition (the ORM
calls only its own hooks: `save`, `clean`, `get_absolute_url`); so is a method of an object the project builds from its
own classes alone (`_own_object`: OSF's API client, round 128). An undecorated class-based view or viewset is judged like
a plain class: only a URL configuration naming it makes it serve (koalixcrm, round 127). Any other method is left
alone, since frameworks call the methods of their views and forms by name.
"""

from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING

from . import wrappers
from .command_reach import is_test
from .name_refs import is_migration, names_function
from .nodes import last_name
from .serializers import FIELD, is_serializer

if TYPE_CHECKING:
    from .facts import Function, ModuleFacts
    from .index import ProjectIndex

# a docstring saying its module or function is deprecated, on a line of its own (Helios's `load_voter_files`: "DEPRECATED";
# Janeway's `articles` view: "Deprecated in version 1.5.1"), not a mention of something else ("replaces the deprecated v1 API")
# (and "The migrations in this module are no longer being used": Lino Welfare's `migrate_old`, round 206, 2 judged DEAD)
DEPRECATED = re.compile(r"^\s*(deprecated\b|this (module|file|script|command|function|method|view) is (now )?deprecated"
                        r"|(the \w+ in )?this (module|file|script|command|function|method|view) (is|are) (now )?(no longer|not) (being )?used\b)",
                        re.I | re.M)
_DEPRECATION_WARNINGS = frozenset({"DeprecationWarning", "PendingDeprecationWarning"})


def deprecated(node: ast.FunctionDef | ast.AsyncFunctionDef, lines: list[str] = ()) -> bool:
    """Its docstring says it is deprecated, or the comment right above it (`# Deprecated, left for reference`: TFRS's
    `process_future_effective_dates`, round 142, judged DEAD twice), or its first statements warn whoever calls it
    (`warnings.warn(..., DeprecationWarning)`, `logger.warning("Using 'Issue.structure' will be deprecated")`: Janeway,
    round 90, judged DEAD): kept for old callers, run by few."""
    if DEPRECATED.search(ast.get_docstring(node, clean=False) or "") or _deprecated_above(node, lines):
        return True
    for stmt in node.body[:3]:
        call = stmt.value if type(stmt) is ast.Expr else None
        if type(call) is not ast.Call or (last_name(call.func) or "") not in ("warn", "warning", "warn_deprecated"):
            continue
        args = [*call.args, *(k.value for k in call.keywords)]
        if any(last_name(a) in _DEPRECATION_WARNINGS for a in args) or \
                any(type(a) is ast.Constant and isinstance(a.value, str) and "deprecat" in a.value.lower() for a in args[:1]):
            return True
    return False


# (and "this is not used at the moment": Ultimate Poll Bot's `get_priority_result`, round 203, judged DEAD)
_DEPRECATED_COMMENT = re.compile(r"^\s*#\s*(deprecated\b|this (function|method) is (now )?deprecated"
                                 r"|(this|it)( function| method)? is (currently |now )?(not|no longer) (used|in use)\b)", re.I)


def _deprecated_above(node: ast.FunctionDef | ast.AsyncFunctionDef, lines: list[str]) -> bool:
    """The comment lines right above its decorators or `def` say it is deprecated."""
    at = min([d.lineno for d in node.decorator_list] + [node.lineno]) - 2  # (the line above, 0-based)
    while 0 <= at < len(lines) and lines[at].lstrip().startswith("#"):
        if _DEPRECATED_COMMENT.match(lines[at]):
            return True
        at -= 1
    return False


def declares_option_list(node: ast.ClassDef, bases: tuple[str, ...]) -> bool:
    """A management command's `option_list = BaseCommand.option_list + (...)`: Django 1.10 removed it, and a command
    that still declares it fails as Django loads it (epcon's CSV exports on Django 2.2, round 91: 6 findings judged DEAD)."""
    return any(b.rpartition(".")[2].endswith("BaseCommand") for b in bases) and any(
        isinstance(s, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "option_list" for t in s.targets) for s in node.body)


def stale_command(module: ModuleFacts, django: tuple[int, int] | None) -> bool:
    """The module's command declares `option_list` and the project's Django (1.10 or later) no longer loads it."""
    return module.option_list and django is not None and django >= (1, 10)


# `getattr(self, name)` or `getattr(cls, f"...")`: a name built at run time, not a string written out
_DISPATCH = re.compile(r"getattr\(\s*(?:self|cls)\s*,\s*(?![\"'])")


def dispatch_lines(source: str) -> tuple[int, ...]:
    """The lines of `source` that call a method of `self` or `cls` by a name built at run time. Read from the text once
    per module (walking every class's tree for it cost a tenth of a cold scan of Django)."""
    if "getattr(" not in source:
        return ()
    return tuple(source.count("\n", 0, m.start()) + 1 for m in _DISPATCH.finditer(source))


# what Django and SQLAlchemy call on a model by themselves: every other method of a model runs only where the project's
# code, a template or a setting names it (round 74: Froide's `get_all_sub_regions`, SEED's `validate_measures`,
# MyTardis's `revert_to_draft`, which only tests call: judged DEAD)
_MODEL_HOOKS = frozenset({"save", "delete", "clean", "clean_fields", "full_clean", "validate_unique", "validate_constraints",
                          "get_absolute_url", "natural_key", "refresh_from_db", "from_db", "check", "get_deferred_fields",
                          "serializable_value", "prepare_database_save", "save_base", "asave", "adelete", "arefresh_from_db",
                          "get_queryset", "get_by_natural_key", "contribute_to_class", "deconstruct"})  # (a manager's)
_ENTRY_FILES = frozenset({"manage.py", "wsgi.py", "asgi.py"})  # an application's: a library's functions are for others to call
# at the project's root only: mod_wsgi's and Elastic Beanstalk's `application.py` (Berkeley's advising platform, round 163)
_ROOT_ENTRY_FILES = frozenset({"application.py"})


# the opening comment of a file a tool wrote (datamodel-codegen, protoc, OpenAPI generators); not Django's migrations,
# which say so too and which their own policy reads (one_off.py)
GENERATED = re.compile(r"^#.*\b(generated by|auto-?generated|code generated|do not edit|@generated)\b", re.I)


def generated_by(lines: list[str]) -> str:
    """The comment among a module's first five lines that says a tool wrote it, or "" (pfml's FINEOS client models,
    `# generated by datamodel-codegen:`, round 187: a leave balance in minutes judged not money)."""
    for line in lines[:5]:
        text = line.strip()
        if GENERATED.search(text) and "by django" not in text.lower():
            return text
    return ""


def unused(index: ProjectIndex, module: ModuleFacts, fn: Function | None, dead: frozenset[str] = frozenset()) -> str:
    """The name `fn` is judged unused by (its own, its plain class's, or a model method's), or "" when it is used.
    `dead`: the paths of modules nothing the application runs imports (unused_modules.py), whose naming a function
    does not count (VulnerableCode's `fetch_and_read_from_csv`, called only by an importer no registry lists)."""
    if not module.path.endswith(".py") or fn is None or fn.qualname in ("<module>", "main") \
            or (fn.registers and not wrappers.only_wrapped(index, module, fn)):
        return ""
    own = fn.cls is not None and fn.qualname in module.lone_methods and fn.qualname.count(".") == 1
    if own and fn.qualname not in module.recursive and _unserialized(index, module, fn):
        # (named by nothing at all: one that only its serializer's other methods call may be reached from a DRF hook,
        # `validate()` calling `self.get_district(attrs)`: AgroMap's contours, found by the regression)
        name = fn.qualname.rpartition(".")[2]  # a serializer's `get_<field>` for a method field nobody declares
    elif fn.cls is not None and fn.qualname.count(".") == 1 and fn.qualname.startswith(f"{fn.cls}.") and fn.cls in module.plain_classes \
            and not (own and _named_elsewhere(index, module, fn.cls, dead) and _own_object(index, module, fn.cls)):
        name = fn.cls  # a method of a class its module never names: no instance of it is made there (nor a class method called)
    elif fn.cls is None and "." not in fn.qualname and (fn.qualname not in module.called_here or fn.qualname in module.recursive):
        name = fn.qualname
    elif fn.qualname in module.lone_methods and fn.qualname.rpartition(".")[2] not in _MODEL_HOOKS \
            and (module.key(fn.cls) in index.models() or _manager(module, fn.cls)):
        name = fn.qualname.rpartition(".")[2]  # a model's method: only the project's code, its templates and settings call it
    elif own and _own_object(index, module, fn.cls):
        name = fn.qualname.rpartition(".")[2]  # a method of an object only the project's code makes and calls
    else:
        return ""
    if name.startswith("__") or len(name) < 4:
        return ""
    # a task runs only when something enqueues or schedules it, a private helper only when its module calls it; any
    # other function only in an application, where nothing outside the project calls in
    if not ((fn.task and fn.cls is None) or name.startswith("_") or index.application):
        return ""
    # a function only tests name runs for no user (LITE's `get_clc_child_nodes`, round 119: judged DEAD)
    cycle = module.recursive.get(name if name == fn.qualname else fn.qualname, (name,)) \
        if name in (fn.qualname, fn.qualname.rpartition(".")[2]) else (name,)
    if not index.application and any(not n.startswith("_") for n in cycle if n != name):
        return ""  # (a library's public function of the group may be what other code calls: rotki's `upgrade_v3_to_v4`)
    # (a task is sent by the name its decorator registers, `@shared_task(name="reminders.overdue")`, as much as by its own)
    sent = fn.task_name.rpartition(".")[2] if fn.task_name else ""
    top = fn.cls is None and name == fn.qualname
    return name if not any(_named_elsewhere(index, module, n, dead, top) for n in (*cycle, sent) if n) else ""


def _named_elsewhere(index: ProjectIndex, module: ModuleFacts, name: str, dead: frozenset[str], top: bool = False) -> bool:
    """Another module the application runs names it (an import, a call, a setting), tests and dead modules aside. In a
    service of a monorepo whose services share their package names (`request_api.services...` in each of foi-flow's
    folders, round 139: 3 judged DEAD), only the modules of its own service: the others import their own copy.
    `top`: a function of the module's top level, which another module defining its own function of that name does not
    call (the trade helpdesk's two `data_writer`s, of which only the scraper's runs: round 171, judged DEAD); nor does it
    call a method of that name (a tour operator's script defining and calling its own `validate_migration()` beside
    `CapacityManager.validate_migration`, round 336: 3 judged DEAD)."""
    def twin(m: ModuleFacts) -> bool:
        return m is not module and name in m.functions and name in m.words and not reaches_other(m, name) \
            and (top or name not in m.own_names_as_attributes)
    if (service := service_of(index, module)):
        return any(name in m.words and m is not module and m.path.startswith(service) and (is_test(module.path) or not is_test(m.path))
                   and m.path not in dead and not twin(m) for m in index.modules.values())
    tests = is_test(module.path)
    if top:
        twins = {d.module for d in index.modules_defining(name) if d is not module}
        return any(_may_call(index, m, module, name, twins) for m in index.modules_spelling(name)
                   if m is not module and m.path not in dead and (tests or not is_test(m.path)))
    naming = index.modules_naming(name, tests=tests) - sum(
        1 for path in dead if path != module.path and not is_test(path) and name in index.by_path[path].words) - sum(
        1 for m in index.modules_defining(name) if m.path not in dead and (tests or not is_test(m.path)) and twin(m))
    return naming > (1 if name in module.words else 0)


def _may_call(index: ProjectIndex, m: ModuleFacts, module: ModuleFacts, name: str, twins: set[str]) -> bool:
    """Module `m`, whose text spells `name`, may call `module`'s top-level function of that name: its code refers to
    the name (not only a column, a keyword, a row's attribute or a message spelling it: name_refs.py), and not only
    for a function of its own so named (a twin) nor for one it imports from such a twin, of the modules `twins` (Digital
    Green's coco and training `urls.py` route their own `send_updated_log` views: round 174, 2 judged DEAD)."""
    if m.refs is not None and name not in m.refs and (is_migration(m) or not any(
            names_function(p, module.module, name, index.module_parts) for p in m.quoted)):
        return False
    if name in m.functions:
        return reaches_other(m, name)
    return not (m.imports.get(name, "").rpartition(".")[0] in twins and not reaches_other(m, name, m.imports[name]))


def reaches_other(module: ModuleFacts, name: str, imported: str = "") -> bool:
    """Beside its own function `name` (or the one it imports from `imported`), the module reaches another's: it imports
    one, whatever it calls it here (cohiva's `from reservation.api_views import get_capabilities as
    reservation_capabilities`), or calls one through its module (`pdf_court_hearing_notice._create_pdf(...)` in Wildlife
    Compliance's `generate_pdf`, which has its own `_create_pdf`)."""
    dotted_name = f".{name}"
    return any((path == name or path.endswith(dotted_name)) and path != imported for path in module.imports.values()) \
        or any(call.callee.endswith(dotted_name) and call.callee != imported for fn in module.functions.values() for call in fn.calls)


def service_of(index: ProjectIndex, module: ModuleFacts) -> str:
    """The top folder of a module whose dotted name, that folder left out, another top folder's module has too, when
    that folder is no package (`request-management-api/`): no code imports across it ("" else: `billing/` beside
    `invoices/`, each with its `api/views.py`, may well import each other). Or, in a monorepo of services (two or more
    top folders that are no packages), a module whose package (`mhr_api` of `mhr-api/src/mhr_api/`) only its own
    folder imports: BC's registries keep `mhr-api/` and `ppr-api/`, each with its own `ClientCode` (round 145: 4 judged
    DEAD, called only by tests in their own service and named by the other's code)."""
    top, _, rest = module.module.partition(".")
    if not rest or not module.path.startswith(f"{top}/"):
        return ""
    if rest in index.ambiguous_aliases and top not in index.modules:
        return f"{top}/"
    if top not in index.service_tops:
        return ""
    package = rest.removeprefix("src.").partition(".")[0]
    return f"{top}/" if "." in rest.removeprefix("src.") and index.importing_tops.get(package, frozenset()) <= {top} else ""


def _own_object(index: ProjectIndex, module: ModuleFacts, cls: str) -> bool:
    """A class of the project's own making: it and every class it derives from are the project's, bare (no decorator,
    metaclass or `__call__`), with no base from a library that could call its methods by name, and the project's code
    builds its instances itself (`BitbucketClient(token)`), rather than handing it to a framework by its dotted path (a
    middleware, a router). Its methods run only where that code names them (OSF's `BitbucketClient.team_repos`, which
    only tests call, round 128: judged DEAD)."""
    key = module.key(cls)
    seen, todo = set(), [key]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        found = index.classes.get(current)
        if found is None or not found[1].bare:
            return False
        bases = [b for b in found[1].bases if b not in ("object", "builtins.object")]
        resolved = index.bases(current)
        if len(resolved) != len(bases):
            return False  # a base from a library, or one the index cannot find
        todo.extend(resolved)
    built = [call for m, _fn, call in index.calls_ending(cls) if not is_test(m.path)]
    if any(call.handed for call in built):
        # handed to other code as it is made (sapl's `BatchingServer(OAIServer(config))`, a library that calls its
        # `listRecords()` by the protocol's name: found while checking round 176's fix)
        return False
    if built:
        return True
    # never built, but a namespace of class methods the project calls through the class (`EventQ.post_event(event)`):
    # NAV's `EventQ.consume_events`, which nothing calls (round 156: judged DEAD). Not a mixin whose methods a subclass
    # calls through it (`Mixin.json_add_next(self, context)`): its subclass may dispatch by name (sapl's actions)
    if index.subclasses(key):
        return False
    methods = {q.rpartition(".")[2] for q in module.functions if q.startswith(f"{cls}.") and q.count(".") == 1}
    return any(not is_test(m.path) and c.callee.rpartition(".")[0].rpartition(".")[2] == cls and c.args[:1] != ("self",)
               for name in methods for m, _fn, c in index.calls_ending(name))


def _unserialized(index: ProjectIndex, module: ModuleFacts, fn: Function) -> bool:
    """A DRF serializer's `get_<field>` when neither its class nor a project base of it declares `<field>`: DRF calls
    such a method only for a `SerializerMethodField` of that name (an archive's `EntitySerializer.get_metadata`, its
    field commented out, round 319: 5 findings inside it judged DEAD)."""
    cls, _, method = fn.qualname.rpartition(".")
    facts = module.classes.get(cls)
    if not method.startswith("get_") or len(method) < 5 or "." in cls or facts is None or not is_serializer(facts.bases):
        return False
    field, todo, seen = FIELD.format(method[4:]), [(module, cls)], set()
    while todo:
        m, c = todo.pop()
        if (m.path, c) in seen:
            continue
        seen.add((m.path, c))
        if f"{c}.{field}" in m.functions or c not in m.classes:
            return False  # declared here, or a class the index cannot read
        for base in m.classes[c].bases:
            if base.startswith("rest_framework."):
                continue
            key = index.resolve_class(base, m)
            if key is None:
                return False  # a library's base serializer may declare the field
            owner, found = index.classes[key]
            todo.append((owner, found.name))
    return True


def _manager(module: ModuleFacts, cls: str) -> bool:
    """A model's manager or queryset class (`class P3ProfileManager(models.Manager)`): Django calls its own hooks on one
    (`get_queryset`, `get_by_natural_key`, among the model hooks above), every other method only the project's code
    (epcon's `by_tags`, round 91: judged DEAD)."""
    facts = module.classes.get(cls)
    return facts is not None and any(b.rpartition(".")[2].endswith(("Manager", "QuerySet")) for b in facts.bases)


def is_application(modules) -> bool:
    """An entry file of the project's own (`manage.py`, `wsgi.py`, a `run.py` serving the app), not one of the demo
    project a reusable app ships beside itself (`example/manage.py`): such an app's modules are named by its users'
    settings, which are not here (django-invoicing's exporters, round 131: 2 findings judged worth a fix were lowered as
    unused)."""
    return any((m.path.rpartition("/")[2] in _ENTRY_FILES or m.path in _ROOT_ENTRY_FILES or _app_factory(m) or _serves(m))
               and not _DEMO.search(m.path) for m in modules)


def _serves(module) -> bool:
    """A script at the root, or in a folder of it (`backend/run.py`), that starts the application's own server."""
    return module.serves and module.path.count("/") <= 1


def _app_factory(module) -> bool:
    """The project's `setup.py` declares the WSGI application Paste serves (`"paste.app_factory": ["main = climmob:main"]`):
    a Pyramid application, run from its `.ini` files by `pserve` (ClimMob, round 238: a function nothing calls, judged
    DEAD, was taken for a library's)."""
    return module.path == "setup.py" and "paste.app_factory" in module.quoted


_DEMO = re.compile(r"(^|/)(examples?|demo|demos|sandbox|sample|samples|testproject|test_project|example_project)/")

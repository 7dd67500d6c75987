"""Modules nothing an application runs imports: per-item work in them runs for nobody.

Judged out of sample (round 41), 39 of the 43 false findings in VulnerableCode's sample of 62 sat in code its own
history had left behind: the v1 and v2 REST APIs (the URL configuration routes only v3), importers and improvers no
registry lists any more, kept alive by nothing but their tests. A module is live when something the framework or the
process starts imports it, however many imports away: a discovered name (`models`, `admin`, `apps`, `urls`, `tasks`, a
settings module, `wsgi`...), a folder Django walks (`management/commands`, `migrations`, `templatetags`), a script (`if
__name__ == "__main__"`, a file outside any package, or one no import can name: `cron/youtube-tasks.py`), a dotted path
some module spells as a string (settings' lists, `include("x.urls")`, `"pkg.engines.oracle:OracleEngine"`), an import
built at run time (`import_module(f"pkg.{name}")`, `"pkg." + name`, `autodiscover_modules("routers")`), a package's
`__all__`, or an entry point in `pyproject.toml`, `setup.cfg` or setup.py's strings. Importing `a.b.c` runs `a` and
`a.b` too. Tests are no root: a module only tests import is not run by the application, nor a line commented out. In a
project that names its URL configurations by string, a `urls` module is a root only when one of those names ends with
its path, when it sits beside the settings or `wsgi.py`, or when the project builds such names (`f"{app}.urls"`).

Judged only where a wrong answer is unlikely: a whole scan (every file read, and parsed or read as text: a file the
parser refuses, Python 2 say, counts as run and imports what its import lines name: unparsed.py), an application
(unused.is_application: a library's modules are there for other code to import), and a module inside a Django
application's folder (elsewhere a process may start from a script without `.py`, which no scan reads). Findings in the
others are lowered to `low` with the reason, not dropped.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import TYPE_CHECKING

from .installed_apps import UNKNOWN, installs
from .nodes import dotted
from .suffixes import SPEC_SUFFIXES

if TYPE_CHECKING:
    from .facts import ModuleFacts
    from .index import ProjectIndex

# a quoted dotted path: `"billing.tasks.remind"`, an entry point's `"sql.engines.oracle:OracleEngine"`
_LOGGER_NAME = re.compile(r"""getLogger\(\s*(['"])[\w.]+\1\s*\)""")
_QUOTED = re.compile(r"""["']([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+)(?::[\w.]+)?["']""")
# a path with a placeholder: the package whose modules it names at run time (`"trac.upgrades.db%i" % i`)
_BUILT = re.compile(r"""["']([A-Za-z_]\w*\.[\w.]*)(?:%|\{)""")
# an import of a package's module named at run time (`import_module("squad.ci.backend." + name)`)
_JOINED = re.compile(r"""(?:import_module|__import__)\(\s*["']([A-Za-z_][\w.]*\.)["']\s*\+""")
# a built import whose path starts with the placeholder (`f"{app}.signals"`, `module_path + ".admin_rest"`: OpenCEX's
# registry of REST admin modules, round 165), or Django's `autodiscover_modules("routers")`
_SUFFIX = re.compile(r"""(?:import_module|__import__)\(\s*(?:f["']\{[^}]*\}\.|[\w.]+\s*\+\s*["']\.)([\w]+)|autodiscover_modules\(\s*["'](\w+)""")
# an entry point, in setup.py's strings or a configuration file: `name = scanpipe.pipelines.enrich:Enrich`
_ENTRY = re.compile(r"=\s*[\"']?([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+)\s*:")
_CONFIGS = ("pyproject.toml", "setup.cfg")  # where an application declares its entry points (scancode.io's pipelines)
_NAMES = re.compile(r"""["'](\w+)["']""")
_ALL = re.compile(r"^__all__\s*=\s*[\[(]([^\])]*)", re.M)
_URLS_BUILT = re.compile(r"""\}\.urls["']|\+\s*["']\.urls["']""")
_COMMENT_LINE = re.compile(r"^[ \t]*#.*$", re.M)
_MAIN = re.compile(r"""__name__\s*==\s*["']__main__["']""")
_WALKS = re.compile(r"\b(?:pkgutil|walk_packages|iter_modules)\b")
# Pyramid's `config.scan()` imports every module of the package for its `@view_config` decorators (venusian)
_PYRAMID_SCAN = re.compile(r"\b\w*config\w*\.scan\(", re.I)

# modules a framework imports by their name, or that a process starts from
DISCOVERED = frozenset({
    "__main__", "manage", "wsgi", "asgi", "setup", "conftest", "celery", "urls", "models", "admin", "apps", "tasks",
    "signals", "receivers", "handlers", "routing", "translation", "search_indexes", "cms_plugins", "cms_apps",
    "wagtail_hooks", "cli", "main", "app", "application", "server", "jobs", "cron", "checks", "context_processors",
    "middleware", "settings", "local_settings", "config", "gunicorn_config", "gunicorn", "fabfile", "tasks_celery",
})
# folders a framework walks: every module in them is run, or a person runs it
_WALKED = frozenset({"management", "migrations", "templatetags", "alembic", "scripts", "bin", "tools", "jobs"})
_TESTS = re.compile(r"(^|/)(tests?|testing)(/|$)|(^|/)test_[^/]*\.py$|_tests?\.py$|(^|/)conftest\.py$")


def module_refs(source: str) -> tuple[frozenset[str], tuple[str, ...], bool]:
    """What a module's text says of other modules: the dotted paths its strings hold (and, as `./name`, the names its
    `__all__` lists: `from pkg import *` imports those submodules), the packages (`pkg.`), name prefixes (`pkg.db`) or
    module names (`.signals`) of the imports it builds at run time, and whether it runs as a script. A line commented out
    names nothing (`# path("messenger/", include("messenger.urls"))`: djing2, round 167)."""
    source = _COMMENT_LINE.sub("", source)
    if "getLogger" in source:  # a logger named after a module imports nothing (Immpire's bank sync, its router commented
        source = _LOGGER_NAME.sub("getLogger()", source)  # out, its level set by name: round 297, 5 judged DEAD)
    quoted = set(_QUOTED.findall(source))
    if "entry_points" in source:
        quoted.update(_ENTRY.findall(source))
    dynamic = _BUILT.findall(source)
    # (each pattern only where its words occur: searching every file for them cost a tenth of a cold scan)
    if "import_module" in source or "__import__" in source or "autodiscover_modules" in source:
        dynamic += _JOINED.findall(source)
        dynamic += ["." + (a or b) for a, b in _SUFFIX.findall(source)]
    if ".urls" in source and _URLS_BUILT.search(source):
        dynamic.append(".urls")  # `include(f"{app}.urls")` for each of a list: every `urls` module may be wired
    if (("pkgutil" in source or "_modules" in source or "walk_packages" in source) and _WALKS.search(source)) \
            or (".scan(" in source and _PYRAMID_SCAN.search(source)):
        dynamic.append("*")  # it walks its own package's modules (a plugin folder, Pyramid's views)
    if "__all__" in source:
        for listed in _ALL.findall(source):
            quoted.update("./" + name for name in _NAMES.findall(listed))
    return frozenset(quoted), tuple(dynamic), "__main__" in source and bool(_MAIN.search(source))


def main_block(tree: ast.Module) -> tuple[int, int]:
    """The first and last lines of the module's top-level `if __name__ == "__main__":` block, (0, 0) when it has none."""
    for stmt in tree.body:
        if type(stmt) is ast.If and type(test := stmt.test) is ast.Compare and len(test.comparators) == 1 \
                and {_text(test.left), _text(test.comparators[0])} == {"__name__", "__main__"}:
            return stmt.lineno, stmt.end_lineno or stmt.lineno
    return 0, 0


# what a script's main block calls to serve the application itself: Flask's `app.run()`, Flask-SocketIO's
# `socketio.run(app)`, `uvicorn.run(...)`, aiohttp's `web.run_app(app)`
_SERVERS = frozenset({"app.run", "application.run", "socketio.run", "uvicorn.run", "web.run_app"})


def serves(tree: ast.Module, block: tuple[int, int]) -> bool:
    """The module's `if __name__ == "__main__":` block starts the application's server (a restaurant SaaS's `run.py`
    calling `create_app().run()` through `app.run(...)`, round 333: 6 functions nothing calls judged DEAD)."""
    return any(type(n) is ast.Call and dotted(n.func) in _SERVERS
               for stmt in tree.body if type(stmt) is ast.If and stmt.lineno == block[0] for n in ast.walk(stmt))


def _text(node: ast.AST) -> str:
    return node.id if type(node) is ast.Name else node.value if type(node) is ast.Constant and isinstance(node.value, str) else ""


def entry_points(root: Path) -> frozenset[str]:
    """The modules the project's own configuration names as entry points (plugins, console scripts)."""
    found: set[str] = set()
    for name in _CONFIGS:
        try:
            found.update(_ENTRY.findall((root / name).read_text(encoding="utf-8", errors="replace")))
        except OSError:
            continue
    return frozenset(found)


def is_test(path: str) -> bool:
    return bool(_TESTS.search(path))


def dead_modules(index: ProjectIndex) -> frozenset[str]:
    """The paths of the application's modules that nothing it runs imports (tests aside)."""
    if not (index.application and index.whole):
        return frozenset()
    modules = {name: m for name, m in index.modules.items() if m.path.endswith(".py")}
    paths = {m.path for m in modules.values()}

    def resolve(dotted: str) -> str | None:
        # (an alias may name a module that is no Python file: an OpenAPI document's stand-in, `api.yml` as `api.api`,
        # whose handlers were made roots above; Ship It's API, round 212, crashed the scan here)
        found = dotted if dotted in modules else index.module_alias.get(dotted)
        if found is None and "." in dotted and dotted.partition(".")[0] not in modules:
            # the repository's root is the project's package: `regluit.api.views` is `api/views.py` (Unglue.it)
            found = dotted.partition(".")[2]
        return found if found in modules else None

    roots: list[str] = [found for q in index.entry_points if (found := resolve(q)) is not None]
    # the modules of the handlers an OpenAPI document routes to (openapi_specs.py: a stand-in module, not a .py file)
    roots += [found for m in index.modules.values() if m.path.endswith(SPEC_SUFFIXES)
              for q in m.quoted if (found := resolve(q.rpartition(".")[0])) is not None]
    # a project that names its URL configurations (`ROOT_URLCONF = "djing2.urls"`, `include("billing.urls")`): a `urls`
    # module none of them names is wired to no request (djing2's messenger app, its `include` commented out: round 167).
    # A name may stand for several modules, one per service of a monorepo (`project.urls` in each of `rest/`, `ui/`)
    wired = _wired(modules, paths, resolve)
    apps = {m.path.rpartition("/")[0] for m in modules.values() if m.path.endswith(_APP_FILES)}
    uninstalled = _uninstalled(modules, apps)
    prefixes: list[str] = []
    suffixes: set[str] = set()
    # what a module's strings name counts as run (a settings module may be loaded by a path the scan cannot follow), but
    # for the strings of an app the settings leave out: its `patterns("sigi.apps.diagnosticos.views", ...)` names a
    # module only Django would run, had it installed the app (sigi, round 183)
    named: dict[str, list[str]] = {}
    # what each module's imports resolve to (`from a.b import c`: module a.b.c, or a name of a.b), read once
    imports = {name: [found for target in m.imported if (found := resolve(target) or resolve(target.rpartition(".")[0])) is not None]
               for name, m in modules.items()}
    # the packages the application's imports go through (`app.utils` of `from app.utils.auth import ...`)
    packages = {found.rpartition(".")[0] for name, m in modules.items() if not is_test(m.path) for found in imports[name]}
    for name, m in modules.items():
        if is_test(m.path):
            continue
        unwired = bool(wired) and name.rpartition(".")[2] == "urls" and not _named(name, wired, resolve) and not _beside_settings(m.path, paths)
        # (what an unwired URL configuration includes runs only if it does: followed from it, as an uninstalled app's)
        deferred = unwired or uninstalled(m)
        for q in m.quoted:
            if q.startswith("./"):
                continue  # its `__all__`: read when the module is live (below)
            parts = q.split(".")
            for n in range(len(parts), 0, -1):  # `billing.tasks.remind`: the module is a prefix of the path
                # (one word only when it is a module's whole name: `"api.slack.com"` names a host, not `vulnerabilities.api`)
                if (found := resolve(".".join(parts[:n])) if n > 1 else parts[0] if parts[0] in modules else None) is not None:
                    if deferred:
                        named.setdefault(name, []).append(found)
                    else:
                        roots.append(found)
                    break
        for d in m.dynamic:
            if d == "*":
                prefixes.append(name.rpartition(".")[0] + "." if "." in name else "")
            elif d.startswith("."):
                suffixes.add(d[1:])
            else:
                prefixes.append(resolve(d.rstrip(".")) + "." if d.endswith(".") and resolve(d.rstrip(".")) else d)
        # (what we could not parse may run, and import what it names)
        if (_root(m, paths, packages) and not deferred) or m.main_guard or m.unparsed:
            roots.append(name)
    for name, m in modules.items():
        if not is_test(m.path) and (any(name.startswith(p) for p in prefixes) or name.rpartition(".")[2] in suffixes):
            roots.append(name)
    live: set[str] = set()
    todo = roots
    while todo:
        name = todo.pop()
        if name in live:
            continue
        live.add(name)
        parts = name.split(".")
        todo += [p for n in range(1, len(parts)) if (p := resolve(".".join(parts[:n]))) is not None]  # its packages run first
        todo += imports[name]
        todo += named.get(name, ())
        if modules[name].path.endswith("__init__.py"):
            todo += [found for q in modules[name].quoted if q.startswith("./") and (found := resolve(f"{name}.{q[2:]}")) is not None]
    # a FastAPI router nothing imports, where a running module includes the others' (Timly's `uploaded_candidates`, its
    # import and `include_router` commented out, round 261: 3 PF801 judged DEAD): no request reaches its routes
    # so is a Flask blueprint, where a running module registers the others' (the WartungsManager's five API modules,
    # none imported by its `create_app`, round 283: 7 judged DEAD)
    routed = any("include_router" in modules[name].words or "register_blueprint" in modules[name].words for name in live)
    # (nor one any module imports by its name, whatever the import resolves to: a monorepo's copy of the application
    # leaves `from app.api import auth` ambiguous, and `auth` is still included)
    tails = {t.rpartition(".")[2] for m in modules.values() if not is_test(m.path) for t in m.imported} if routed else set()
    # and, there, a module of a package what runs imports others of, which no module imports at all, or which only such
    # dead modules import (an old copy of a service beside the one a router uses, imported by a router nothing includes:
    # a survey platform's routing analytics, round 308: 6 judged DEAD). Not one a module that merely looks unused imports:
    # a Celery app the worker's command line names, which the scan may not see, imports its tasks
    dead = {name for name, m in modules.items() if name not in live and not is_test(m.path)
            and (_in_app(m.path, apps) or (routed and _ROUTERS.intersection(m.imports.values()) and name.rpartition(".")[2] not in tails))}
    if routed and not index.ambiguous_aliases:  # (a monorepo's services sharing module names leave imports unresolved)
        importers: dict[str, set[str]] = {}  # the modules (tests aside) that import each module
        for name, found_names in imports.items():
            if not is_test(modules[name].path):
                for found in found_names:
                    if found != name:
                        importers.setdefault(found, set()).add(name)
        used = {found.rpartition(".")[0] for name in live for found in imports[name]}
        # (no import names it in any part, resolved or not: `from components.dealer_management import x` in a Streamlit
        # script may resolve to nothing here, and still imports it)
        parts = {p for m in modules.values() if not is_test(m.path) for t in m.imported for p in t.split(".")}
        dead |= {name for name, m in modules.items() if name not in live and not is_test(m.path) and name not in importers
                 and name.rpartition(".")[2] not in parts and name.rpartition(".")[0] in used}
        dead |= _imported_only_by(dead, importers, modules, live)
    return frozenset(modules[name].path for name in dead)


def _imported_only_by(dead: set[str], importers: dict[str, set[str]], modules: dict[str, ModuleFacts], live: set[str]) -> set[str]:
    """The modules every importer of which is dead, and so on: nothing that runs ever imports them."""
    more: set[str] = set()
    grown = True
    while grown:
        grown = False
        for name, by in importers.items():
            if name not in dead and name not in more and name not in live and not is_test(modules[name].path) and by <= dead | more:
                more.add(name)
                grown = True
    return more


_ROUTERS = frozenset({"fastapi.APIRouter", "flask.Blueprint"})


def _uninstalled(modules: dict[str, ModuleFacts], apps: set[str]):
    """Whether a module sits in a Django app no `INSTALLED_APPS` names (installed_apps.py): Django discovers nothing of
    it. Never, unless the settings spell every list out."""
    lists = [m.installed_apps for m in modules.values() if m.installed_apps and not is_test(m.path)]
    if not lists or any(entries == UNKNOWN for entries in lists):
        return lambda m: False
    entries = {e for entries in lists for e in entries}
    # Django's own apps: a FastAPI service's `models.py` beside them is no app the settings install (nl-kat's bytes/)
    django = {m.path.rpartition("/")[0] for m in modules.values() if m.path.endswith(_APP_FILES)
              and any(t.startswith("django.") for t in m.imports.values())}

    def uninstalled(m: ModuleFacts) -> bool:
        folder, depth = m.path.rpartition("/")[0], 0 if m.path.endswith("/__init__.py") else 1
        while folder and folder not in apps:
            folder, depth = folder.rpartition("/")[0], depth + 1
        if not folder or folder not in django:
            return False
        package = m.module.rsplit(".", depth)[0] if depth else m.module
        return not installs(entries, package)
    return uninstalled


# a Django application's folder: everything in it runs through Python imports from its URLs, admin, models, tasks and
# commands. Elsewhere a process may start from what this scan never reads (Copr's `run/copr-backend-process-build`
# scripts without `.py`, Archivematica's client scripts a configuration lists), so no module there is called unused.
_APP_FILES = ("/models.py", "/apps.py", "/models/__init__.py")


def _in_app(path: str, apps: set[str]) -> bool:
    folder = path.rpartition("/")[0]
    while folder:
        if folder in apps or folder.removesuffix("/models") in apps:
            return True
        folder = folder.rpartition("/")[0]
    return False


def _wired(modules: dict[str, ModuleFacts], paths: set[str], resolve) -> set[str]:
    """The URL configurations the project names, from its settings and other code (`ROOT_URLCONF`, a `urls.py`
    beside the settings), and from a URL configuration only once it is wired itself: ksg-nett's `internal.urls`,
    which nothing includes, includes `quotes.urls`, whose views no request reaches (round 222: 5 judged DEAD)."""
    quoted = {name: {q for q in m.quoted if q.endswith(".urls")} for name, m in modules.items() if not is_test(m.path)}
    wired = {q for name, qs in quoted.items() if name.rpartition(".")[2] != "urls" for q in qs}
    wired |= {name for name in quoted if name.rpartition(".")[2] == "urls" and _beside_settings(modules[name].path, paths)}
    todo = [name for name in quoted if name.rpartition(".")[2] == "urls"]
    tops = [name for name in todo if not any(_named(name, quoted[other], resolve) for other in todo if other != name)]
    if not any(_named(name, wired, resolve) for name in tops):
        # no root configuration is named in the project: a framework's default (Evennia's `web.urls`, Arx's site) or a
        # settings template names it, so each configuration that includes others and that nothing includes may be the
        # root; not one that includes nothing (iSkyLIMS' clinic app, its `include` commented out in the root's)
        wired |= {name for name in tops if quoted[name]}
    while True:  # a configuration named by a wired one is wired: until nothing more is
        grown = [name for name in todo if quoted[name] - wired and _named(name, wired, resolve)]
        if not grown:
            return wired
        for name in grown:
            wired |= quoted[name]


def _named(name: str, quoted: set[str], resolve) -> bool:
    """Module `name` is one of the `quoted` names: as written, as their tail (`project.urls` in each service of a
    monorepo), or below the package the project's root is (`regluit.frontend.urls` for `frontend/urls.py`)."""
    return any(name == q or name.endswith(f".{q}") or ("." in name and q.endswith(f".{name}")) or resolve(q) == name for q in quoted)


def _beside_settings(path: str, paths: set[str]) -> bool:
    """The project's own URL configuration, beside its settings or its `wsgi.py` (Varda's `webapps/urls.py`, which its
    deployment names outside the repository)."""
    folder = path.rpartition("/")[0]
    # (at the project's root too: BK-ITSM's `urls.py` beside its `settings.py` and `wsgi.py`)
    return any((f"{folder}/{name}" if folder else name) in paths for name in ("settings.py", "settings/__init__.py", "wsgi.py", "asgi.py"))


def _root(m: ModuleFacts, paths: set[str], packages: set[str]) -> bool:
    folder, _, file = m.path.rpartition("/")
    base = file.removesuffix(".py")
    if base == "__init__" and folder:
        base = folder.rpartition("/")[2]  # `judge/admin/__init__.py` is the app's admin, as `admin.py` would be
    if base in DISCOVERED or base.startswith(("settings", "wsgi", "asgi")) or m.main_guard:
        return True
    if not file.removesuffix(".py").isidentifier():
        return True  # no import statement can name `youtube-tasks.py`: it is run (Spoken Tutorial's cron scripts)
    if _WALKED.intersection(folder.split("/")):
        return True
    # a file outside any package is run by itself, not imported (a script, a config a tool reads)
    return not folder or (not file.startswith("__init__") and f"{folder}/__init__.py" not in paths and not _namespaced(m, folder, paths, packages))


def _namespaced(m: ModuleFacts, folder: str, paths: set[str], packages: set[str]) -> bool:
    """A folder of a package that lacks only its own `__init__.py`, which the module imports its neighbours through
    (`from peoplefinder.legacy_migration.legacy_models import ...`): a namespace package, imported like any other,
    not a script (Digital Workspace's archived migration command, round 99: 4 findings judged DEAD); so is one the
    application imports other modules of (`from app.utils.auth import ...`: Open Wearables' `app/utils`, whose
    `healthcheck` router only tests import, round 279: judged DEAD)."""
    parent, _, name = folder.rpartition("/")
    if bool(parent) and f"{parent}/__init__.py" in paths and any(f".{name}." in f".{target}" for target in m.imported):
        return True
    # (with no `__init__.py` anywhere above it: a FastAPI service of namespace packages, `from app.services.x import y`
    # in its routers, whose old copy of a service nothing imports: a survey platform's, round 308: 6 judged DEAD)
    return bool(parent) and m.module.rpartition(".")[0] in packages

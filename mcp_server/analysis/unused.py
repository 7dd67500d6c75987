"""Functions nothing in the project names: per-item work in them runs for nobody.

Judged out of sample (issue 15, rounds 13 and 16), 8 findings were false for this reason alone: celery tasks marked
"experimental - unused" that no schedule or caller names, a helper left behind by a refactor, a vendored library's
functions the project never calls. A module-level function is taken as unused when its name appears nowhere in the
project's text but its own definition (comments and strings count: a Celery beat schedule or a settings path names
a task as text) and no decorator registers it with a framework (a route, a signal receiver, a template filter),
and it is a task, a private helper (`_name`), or any function of an application (a project with a `manage.py`,
`wsgi.py` or `asgi.py`): a library's public functions are there for other code to call. Such findings are lowered to
`low`, with the reason, rather than dropped: the name may still be reached from outside the project (a console
script's entry point). Methods are left alone: templates and dynamic dispatch reach them without their name in Python.
"""

from __future__ import annotations

import ast
import re
import sys
from collections import Counter
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .facts import Function, ModuleFacts
    from .index import ProjectIndex

WORD = re.compile(r"[A-Za-z_]\w{3,}")  # names of four characters or more: shorter ones are never worth the space

# decorators that wrap a function without registering it anywhere: the function is still reached only by its name
PLAIN_DECORATORS = frozenset({
    "shared_task", "task", "db_task", "actor", "job", "background", "lru_cache", "cache", "cached", "wraps", "atomic",
    "login_required", "staff_member_required", "permission_required", "require_POST", "require_GET", "require_http_methods",
    "csrf_exempt", "never_cache", "staticmethod", "classmethod", "contextmanager", "asynccontextmanager", "retry",
})


def words(source: str, lines: list[str], top_level: list[ast.FunctionDef | ast.AsyncFunctionDef],
          body: list[ast.stmt] = ()) -> tuple[frozenset[str], frozenset[str]]:
    """The names a module's text holds, and those of its top-level functions it names again outside their own
    header (a call; not `@task(name="check_states")` above `def check_states`). A name only its top-level imports
    spell is not held: `from .abstract import cascade_to_list` that nothing below uses calls nobody (Sefaria)."""
    counts = Counter(WORD.findall(source))
    for stmt in body:
        if type(stmt) is ast.ImportFrom and stmt.module != "__future__":
            for alias in stmt.names:
                for part in {alias.name, alias.asname} - {None}:
                    if counts[part] == 1:
                        del counts[part]
    again = set()
    for node in top_level:
        first = min([d.lineno for d in node.decorator_list] + [node.lineno])
        header = WORD.findall("\n".join(lines[first - 1:node.lineno]))
        if counts[node.name] > header.count(node.name):
            again.add(node.name)
    return frozenset(sys.intern(w) for w in counts), frozenset(again)


_ENTRY_FILES = frozenset({"manage.py", "wsgi.py", "asgi.py"})  # an application's: a library's functions are for others to call


def unused(index: ProjectIndex, module: ModuleFacts, fn: Function | None) -> bool:
    if not module.path.endswith(".py") or fn is None or fn.cls is not None or "." in fn.qualname or fn.qualname in ("<module>", "main") or fn.registers:
        return False
    name = fn.qualname
    if name.startswith("__") or len(name) < 4 or name in module.called_here:
        return False
    # a task runs only when something enqueues or schedules it, a private helper only when its module calls it; any
    # other function only in an application, where nothing outside the project calls in
    if not (fn.task or name.startswith("_") or index.application):
        return False
    return index.modules_naming(name) <= (1 if name in module.words else 0)


def is_application(modules) -> bool:
    return any(m.path.rpartition("/")[2] in _ENTRY_FILES for m in modules)

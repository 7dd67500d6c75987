"""The names a module's code spells where they could reach another module's top-level function (unused.py).

A module's text words count every spelling: a column named like the function (`correct_timestamps = db.Column(...)`),
a keyword argument (`Survey(correct_timestamps=True)`), a row's attribute (`survey.correct_timestamps`) or a word of
a message (`"Project failed to migrate"`). None of these calls the function: TrapTagger's `correct_timestamps` and
Diffgram's `migrate` (round 180: 3 findings judged DEAD) were taken as used for them. Another module reaches a
top-level function only by importing it, by a bare name (after `import *`), through its module (`imports.f`), by a
call on an attribute, or by text naming it (`"app.tasks.f"` in a schedule, `getattr(module, "f")`): those count here.
"""

from __future__ import annotations

import ast
import re
import sys

from typing import TYPE_CHECKING

from .module_words import WORD
from .walk import CHILD_FIELDS

if TYPE_CHECKING:
    from .facts import ModuleFacts

_SPACE = re.compile(r"\s")
_DOTTED = re.compile(r"^[A-Za-z_]\w*(\.[A-Za-z_]\w*)+$")  # a dotted path: `billing.tasks.close_books`


def refs(tree: ast.Module, imported: frozenset[str] | set[str], migration: bool = False,
         attributes: set[str] | None = None) -> frozenset[str]:
    """Names loaded, imported, called as an attribute, reached through an imported module, or spelled by a string
    without spaces or dots (`getattr(module, "close_books")`). The dotted paths strings spell (`"billing.tasks.close_books"`)
    are the module's `quoted` paths (unused_modules.module_refs), read by names_function. Not keyword names, stored names,
    rows' attributes or prose. A migration's strings are its table and column names, never a function's. `attributes`, when
    given, is filled with every attribute name the code spells (`client.update_product`)."""
    found: set[str] = set()
    strings: list[str] = []
    # (a walk of the fields that can hold nodes, leaves read where their parent is: `ast.walk` costs twice as much)
    todo: list[ast.AST] = [tree]
    pop, push = todo.pop, todo.append
    while todo:
        node = pop()
        kind = type(node)
        if kind is ast.Attribute:
            if attributes is not None:
                attributes.add(node.attr)
            root = node.value
            while type(root) is ast.Attribute:
                root = root.value
            if type(root) is ast.Name and root.id in imported:
                found.add(node.attr)
        elif kind is ast.Call:
            if type(node.func) is ast.Attribute:
                found.add(node.func.attr)
        elif kind is ast.ImportFrom:
            found.update((node.module or "").split("."))
        for field in CHILD_FIELDS[kind]:
            value = getattr(node, field)
            for child in (value if type(value) is list else (value,)):
                ckind = type(child)
                if ckind is ast.Name:
                    if type(child.ctx) is not ast.Store:
                        found.add(child.id)
                elif ckind is ast.Constant:
                    if type(child.value) is str:
                        strings.append(child.value)
                elif ckind is ast.alias:
                    found.update(child.name.split("."))
                    if child.asname:
                        found.add(child.asname)
                elif isinstance(child, ast.AST):
                    push(child)
    if not migration:
        found.update(w for text in strings if not _SPACE.search(text) and not _DOTTED.match(text) for w in WORD.findall(text))
    return frozenset(sys.intern(w) for w in found)


_MIGRATIONS = frozenset({"alembic.op", "django.db.migrations"})


def is_migration(module: ModuleFacts) -> bool:
    """A schema migration, by what it imports: its strings are tables and columns."""
    return not _MIGRATIONS.isdisjoint(module.imports.values())


def names_function(path: str, module: str, name: str, project_parts: frozenset[str]) -> bool:
    """`"billing.tasks.close_books"` may name `close_books` of the project's module `billing.tasks` (or of another:
    a Celery task's registered name, `"contacts.check_counts"`, need not be its module's path); a path into an installed
    package names that package's function, not the project's namesake (sigi's own `dashboard` beside
    `"dashboard.context_processors.dashboard"`: round 183, judged DEAD). `project_parts`: every word of the project's
    module names."""
    owner, _, last = path.rpartition(".")
    return last == name and (module == owner or module.endswith(f".{owner}") or owner.partition(".")[0] in project_parts)


def _root(node: ast.Attribute) -> str | None:
    cur = node.value
    while type(cur) is ast.Attribute:
        cur = cur.value
    return cur.id if type(cur) is ast.Name else None

"""The Django applications a settings module installs (`INSTALLED_APPS`), read from its literal lists (unused_modules.py).

Django imports the models, admin, URLs, commands and signals of installed applications only: a folder of the project
with a `models.py` that no `INSTALLED_APPS` names, and that no installed code imports, runs for nobody (sigi's
`diagnosticos`, a Python 2 app left out of its settings: round 183, two findings judged DEAD). Read only where every
list is spelled out: a list built at run time (from an environment variable, a function) may install anything, and then
every application counts as installed.
"""

from __future__ import annotations

import ast

UNKNOWN = ("?",)  # a list the module builds at run time: anything may be installed
_UNREAD = ast.Name(id="?")  # a list a star import may have rebound


def installed(body: list[ast.stmt]) -> tuple[str, ...]:
    """The dotted paths the module's top-level `INSTALLED_APPS = [...]` (`+= [...]`, `+ LOCAL_APPS`, `[*BASE, ...]`)
    lists; UNKNOWN when one part is not spelled out; () when the module sets none."""
    lists: dict[str, ast.expr] = {}
    found: list[str] = []
    setting = False
    # (both branches of a top-level `if DEBUG:` or `try:`: what either installs may be installed)
    statements = []
    todo = list(reversed(body))
    while todo:
        stmt = todo.pop()
        if type(stmt) in (ast.If, ast.Try):
            handlers = [s for h in getattr(stmt, "handlers", ()) for s in h.body]
            todo += reversed([*stmt.body, *stmt.orelse, *getattr(stmt, "finalbody", ()), *handlers])
        else:
            statements.append(stmt)
    for stmt in statements:
        if type(stmt) is ast.ImportFrom and any(a.name == "*" for a in stmt.names):
            # `from .localsettings import *` may rebind any list named so far (cstock's `APPS`): unknown from here on
            lists = {name: _UNREAD for name in lists}
            continue
        if type(stmt) is ast.Assign and len(stmt.targets) == 1 and type(stmt.targets[0]) is ast.Name:
            name, value = stmt.targets[0].id, stmt.value
        elif type(stmt) is ast.AugAssign and type(stmt.target) is ast.Name and type(stmt.op) is ast.Add:
            name, value = stmt.target.id, stmt.value
        elif type(stmt) is ast.Expr and type(stmt.value) is ast.Call and type(stmt.value.func) is ast.Attribute \
                and type(stmt.value.func.value) is ast.Name and stmt.value.func.value.id == "INSTALLED_APPS":
            # `INSTALLED_APPS.append("x")`, `.extend([...])`, `.insert(0, "x")`
            parts = [_strings(a, lists) for a in stmt.value.args if not (type(a) is ast.Constant and type(a.value) is int)]
            if any(p is None for p in parts):
                return UNKNOWN
            found += [s for p in parts for s in p]
            continue
        else:
            continue
        if name == "INSTALLED_APPS":
            setting = True
            strings = _strings(value, lists)
            if strings is None:
                return UNKNOWN
            found += strings
        else:
            lists[name] = value
    return tuple(dict.fromkeys(found)) if setting else ()


def _strings(node: ast.expr, lists: dict[str, ast.expr], depth: int = 0) -> list[str] | None:
    if depth > 8:
        return None
    if type(node) is ast.Constant and type(node.value) is str:
        return [node.value]
    if type(node) in (ast.List, ast.Tuple, ast.Set):
        out: list[str] = []
        for e in node.elts:
            part = _strings(e.value if type(e) is ast.Starred else e, lists, depth + 1)
            if part is None:
                return None
            out += part
        return out
    if type(node) is ast.BinOp and type(node.op) is ast.Add:
        left, right = _strings(node.left, lists, depth + 1), _strings(node.right, lists, depth + 1)
        return None if left is None or right is None else left + right
    if type(node) is ast.Name and node.id in lists:
        return _strings(lists[node.id], lists, depth + 1)
    if type(node) is ast.Call and type(node.func) is ast.Name and node.func.id in ("list", "tuple") and len(node.args) == 1:
        return _strings(node.args[0], lists, depth + 1)
    return None


def installs(entries: set[str], package: str) -> bool:
    """An `INSTALLED_APPS` entry names the app package `package` (`sigi.apps.home`, `home`, `sigi.apps.home.apps.HomeConfig`),
    however deep the project's root sits (`src.sigi.apps.home`), or when the root is the project's package itself
    (`regluit.frontend` for `frontend/`, Unglue.it's apps)."""
    for entry in entries:
        base = entry
        if entry.rpartition(".")[2][:1].isupper():  # an AppConfig: `<app>.apps.HomeConfig`
            base = entry.rpartition(".")[0]
            base = base.rpartition(".")[0] if base.rpartition(".")[2] in ("apps", "app", "config", "configs") else base
        if package == base or package.endswith(f".{base}") or base.endswith(f".{package}"):
            return True
    return False

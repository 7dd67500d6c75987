"""Functions kept in a collection and called per item: `linkifiers = {"name": result_link}` in a class (or a
module constant), then `for column, linkify in self.linkifiers.items(): linkify(record)` inside a loop over rows.

Extraction records each literal dict, list or tuple of function names (`ModuleFacts.tables`) and types a loop
variable drawn from one (`for f in HANDLERS`, `.values()`, the value of `.items()`) as `MARK<module>:<name>/.<variable>`;
a call of that variable resolves to the first of those functions that reaches a query (every one of them runs
when the loop walks the whole collection). A loop over such a literal is a handful (loop_size): the loop that
repeats the calls is the one around it.
"""

from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING

from . import loop_size
from .nodes import dotted

if TYPE_CHECKING:
    from .extract import Extractor
    from .reader import Scope
    from .index import ProjectIndex

MARK = "table:"  # a loop variable holding one of a table's functions: "table:billing.tables:Table.linkifiers/.linkify"
_CAPWORD = re.compile(r"^_?[A-Z][A-Za-z0-9_]*$")


def functions_of(value: ast.AST, expand) -> tuple[str, ...]:
    """The function names a literal dict (its values), list or tuple holds, when it holds nothing else."""
    if isinstance(value, ast.Dict):
        items = value.values
    elif isinstance(value, (ast.List, ast.Tuple)):
        items = value.elts
    else:
        return ()
    names = [dotted(v) if isinstance(v, (ast.Name, ast.Attribute)) else None for v in items]
    if not names or any(n is None or _CAPWORD.match(n.rpartition(".")[2]) for n in names):
        return ()  # a class, a constant or an expression among them: not a table of functions
    return tuple(expand(n) for n in names)


def note_table(stmt: ast.stmt, prefix: str, ex: Extractor) -> None:
    """`NAME = {...: fn}` at module level or in a class body (prefix "Class."): record the table, and for a class
    attribute its size (a loop over `self.NAME` walks that literal)."""
    if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)):
        return
    found = functions_of(stmt.value, ex.expand)
    if found:
        ex.facts.tables[f"{prefix}{stmt.targets[0].id}"] = found
    if prefix:
        why = loop_size.small_reason(stmt.value, {}) if isinstance(stmt.value, (ast.Dict, ast.List, ast.Tuple)) else ""
        if why:  # read as `self.NAME`, or as `cls.NAME` in a classmethod (NEMO's interlock's two fallback URLs)
            kept = ex.class_constants.setdefault(prefix.rstrip("."), {})
            kept[f"self.{stmt.targets[0].id}"] = kept[f"cls.{stmt.targets[0].id}"] = f"the class attribute {stmt.targets[0].id}: {why}"


def bind_loop_variable(node: ast.For | ast.AsyncFor, scope: Scope, ex: Extractor) -> None:
    """`for column, linkify in self.linkifiers.items():` / `for handler in HANDLERS:`: type the variable holding a function."""
    it, target, pick = node.iter, node.target, None
    if isinstance(it, ast.Call) and isinstance(it.func, ast.Attribute) and it.func.attr in ("items", "values") and not it.args:
        holder = it.func.value
        if it.func.attr == "items" and isinstance(target, ast.Tuple) and len(target.elts) == 2 and isinstance(target.elts[1], ast.Name):
            pick = target.elts[1].id
        elif it.func.attr == "values" and isinstance(target, ast.Name):
            pick = target.id
    else:
        holder = it
        pick = target.id if isinstance(target, ast.Name) else None
    if pick is None:
        return
    name = dotted(holder)
    if name and name.startswith("self.") and scope.cls and name.count(".") == 1:
        key = f"{scope.cls}.{name[5:]}"
    elif name and "." not in name and name not in scope.locals:
        key = name
    else:
        return
    if key in ex.facts.tables:
        scope.types[pick] = f"{MARK}{ex.facts.module}:{key}/.{pick}"  # ends with the variable: what a finding calls it


def resolve(index: ProjectIndex, marker: str) -> str | None:
    """The function a call of a table's variable runs: the first that reaches a query, else the first."""
    module_name, _, key = marker[len(MARK):].partition("/")[0].partition(":")
    module = index.modules.get(module_name)
    if module is None or key not in module.tables:
        return None
    targets = [t for t in (index.resolve_function(ref, module) for ref in module.tables[key]) if t is not None]
    return next((t for t in targets if index.reach(t) is not None), targets[0] if targets else None)

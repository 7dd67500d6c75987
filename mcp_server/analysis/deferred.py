"""SQLAlchemy deferred columns: `deferred(Column(...))`, `column_property(..., deferred=True)`,
`mapped_column(..., deferred=True)`. Reading one on a row the statement loaded without it runs one SELECT per
row, as a lazy relationship does; `undefer(Model.col)` or `undefer_group(...)` in the statement's options loads
it with the rows. (Django's `.only()`/`.defer()` are read in extract.iter_source and checked in n_plus_one.)
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from .facts import UNKNOWN_LOOKUP
from .nodes import last_name

if TYPE_CHECKING:
    from .facts import ClassFacts
    from .index import ProjectIndex
    from .index_model import Model, ResolvedSource

_DEFERRING = frozenset({"column_property", "mapped_column", "Column"})


def note_deferred(name: str, value: ast.Call, facts: ClassFacts) -> None:
    """A class attribute declared deferred: remember its name."""
    short = last_name(value.func)
    if short == "deferred" or (short in _DEFERRING and any(
            k.arg == "deferred" and isinstance(k.value, ast.Constant) and k.value.value is True for k in value.keywords)):
        facts.deferred = (*facts.deferred, name)


def undeferred(opt: ast.AST) -> list[str]:
    """`undefer(Client.notes)` / `undefer("notes")`: the column it loads; `undefer_group(...)`: unknown columns."""
    if not isinstance(opt, ast.Call):
        return []
    loader = last_name(opt.func)
    if loader == "undefer_group":
        return [UNKNOWN_LOOKUP]
    if loader != "undefer" or not opt.args:
        return []
    arg = opt.args[0]
    if isinstance(arg, ast.Attribute):
        return [arg.attr]
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        return [arg.value]
    return [UNKNOWN_LOOKUP]


def unloaded(index: ProjectIndex, src: ResolvedSource, column: str) -> bool:
    """Is `column` a deferred column of the rows' model that the statement does not undefer?"""
    if src.model.framework != "sqlalchemy" or src.prefix or column not in columns(index, src.model):
        return False
    eager = src.select | src.prefetch
    return column not in eager and UNKNOWN_LOOKUP not in eager


def columns(index: ProjectIndex, model: Model) -> frozenset[str]:
    """The deferred columns of a model, its mapped bases' included."""
    out, todo, seen = set(model.cls.deferred), index.bases(model.key), set()
    while todo:
        key = todo.pop()
        if key in seen:
            continue
        seen.add(key)
        out |= set(index.classes[key][1].deferred)
        todo += index.bases(key)
    return frozenset(out)

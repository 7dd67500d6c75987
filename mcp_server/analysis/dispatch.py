"""Virtual dispatch to subclasses: a base class's abstract method (`raise NotImplementedError`, `pass`, `...`,
`@abstractmethod`) runs, at run time, as one of its subclasses' overrides. `self.get_grants(role.id)` in the
base's code is what the override does: its query, and the rows it returns. The first override that tells
(reaches a query, returns rows) answers; an abstract method no project class overrides stays silent.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from .nodes import last_name

if TYPE_CHECKING:
    from .index import ProjectIndex

_ABSTRACT_DECORATORS = frozenset({"abstractmethod", "abstractproperty"})


def is_abstract(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """A body that only says "a subclass does this": a docstring, then `raise NotImplementedError`, `pass` or `...`."""
    if any(last_name(d) in _ABSTRACT_DECORATORS for d in node.decorator_list):
        return True
    body = node.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
        body = body[1:]
    if len(body) != 1:
        return False
    stmt = body[0]
    if isinstance(stmt, ast.Pass) or (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant) and stmt.value.value is Ellipsis):
        return True
    if isinstance(stmt, ast.Raise) and stmt.exc is not None:
        return last_name(stmt.exc) == "NotImplementedError"
    return False


def overrides(index: ProjectIndex, key: str) -> list[str]:
    """The project subclasses' own definitions of abstract method `key` ("pkg.mod.Base.method")."""
    module, fn = index.functions[key]
    if not fn.abstract or not fn.cls:
        return []
    cls_key = key.rpartition(".")[0]
    method = key.rpartition(".")[2]
    return [f"{sub}.{method}" for sub in index.subclasses(cls_key) if f"{sub}.{method}" in index.functions]

"""Virtual dispatch to subclasses: a base class's abstract method (`raise NotImplementedError`, `pass`, `...`,
`@abstractmethod`) runs, at run time, as its subclass's override. `self.get_grants(role.id)` in the base's code
is what the override does: its query, and the rows it returns. Only when exactly one project subclass implements
it (and keeps the calling method): with several, which one runs is a deployment's choice, and guessing one
reported bulk actions of five different kinds as one query each (pretix's order actions).
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from .class_attrs import ancestors
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


def overrides(index: ProjectIndex, key: str, caller: str) -> list[str]:
    """The project subclasses' own definitions of abstract method `key` ("pkg.mod.Base.method") that run when
    `caller`, a method of the same class or of one of its bases, calls it on `self`: only subclasses that inherit
    `caller` (a subclass that overrides the caller itself never runs this code). A function outside the class
    hierarchy (an attribute typed by an abstract interface) gets none: which implementation runs is a
    deployment's choice, not the code's."""
    fn = index.functions[key][1]
    if not fn.abstract or not fn.cls or caller not in index.functions:
        return []
    cls_key, _, method = key.rpartition(".")
    caller_cls, _, caller_method = caller.rpartition(".")
    if caller_cls not in index.classes or (caller_cls != cls_key and caller_cls not in ancestors(index, cls_key)):
        return []
    found = [f"{sub}.{method}" for sub in index.subclasses(cls_key)
             if f"{sub}.{method}" in index.functions and index.find_method(sub, caller_method) == caller]
    return found if len(found) == 1 else []  # several implementations: which one runs is not the code's to say

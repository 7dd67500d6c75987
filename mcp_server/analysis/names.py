"""What a name stands for: imports, the callee of a call (project code or a library), and the type of a
value or receiver (`db`, `session`, `http`, `class:<dotted>`, one fetched row of a model)."""

from __future__ import annotations

import ast
import functools
import importlib.util
import os
import sys

from . import apis, callables, class_attrs
from .nodes import dotted, last_name
from .reader import Scope
from .walk import BUILTINS, CAPWORD, class_like


def module_name(path: str) -> tuple[str, bool]:
    parts = path[:-3].split("/") if path.endswith(".py") else path.split("/")
    is_package = parts[-1] == "__init__"
    if is_package:
        parts = parts[:-1]
    return ".".join(p for p in parts if p), is_package


def package_of(module: str, is_package: bool) -> str:
    """The package a module's relative imports start from: itself for an `__init__.py`, else its parent."""
    return module if is_package else module.rpartition(".")[0]


def import_base(package: str, level: int, module: str | None) -> str:
    """The module that `from <level dots><module> import ...` names, written inside `package`."""
    if not level:
        return module or ""
    pkg = package.split(".") if package else []
    if level > 1:
        pkg = pkg[: len(pkg) - (level - 1)]
    return ".".join([*pkg, *([module] if module else [])])


def imported_name(base: str, name: str) -> str:
    """What `from base import name` imports, dotted (`base` itself for `*`)."""
    return f"{base}.{name}" if base and name != "*" else base or name


class Names:
    # -- imports -----------------------------------------------------------------------------------------
    def _import(self, node: ast.Import, scope: Scope) -> None:
        self.facts.imported += tuple(alias.name for alias in node.names)
        for alias in node.names:
            if alias.asname:
                self.facts.imports[alias.asname] = alias.name
            else:
                top = alias.name.partition(".")[0]
                self.facts.imports.setdefault(top, top)

    def _import_from(self, node: ast.ImportFrom, scope: Scope) -> None:
        base = import_base(self.package, node.level, node.module)
        self.facts.imported += tuple(imported_name(base, alias.name) for alias in node.names)
        for alias in node.names:
            if alias.name != "*":
                self.facts.imports[alias.asname or alias.name] = imported_name(base, alias.name)

    def _callee(self, func: ast.AST, scope: Scope, name: str | None = None) -> str | None:
        name = name or dotted(func)
        if name is None:
            return None
        head, dot, rest = name.partition(".")
        kind = self._lookup_type(head, scope)
        if kind and kind.startswith("class:") and rest:
            return f"{kind[6:]}.{rest}"  # obj.method() where obj = SomeClass(...)
        if kind and kind.startswith(class_attrs.HELD) and rest and "." not in rest:
            return f"{kind}/.{rest}"  # schema.from_orm(row) where schema holds the class a constructor was given
        if kind and kind.startswith(callables.MARK) and not rest:
            return kind  # linkify(record) where linkify is drawn from a table of functions
        if not rest:
            nested = self._nested(head, scope)
            if nested:
                return nested  # a function defined in an enclosing function, called here (a closure per item)
        if rest and head in scope.locals and head not in ("self", "cls"):
            return None  # a method of a local value we cannot type (rows.append, cur.fetchall): never project code
        if not rest and head in BUILTINS and head not in self.facts.imports:
            return None
        if self.root is not None and head in self.facts.imports:
            target_head = self.facts.imports[head].partition(".")[0]
            if target_head and is_library(target_head, self.root):
                return None  # imported from the standard library or an installed package: never project code
        if head in ("self", "cls") and rest and scope.cls:
            attr, dot2, tail = rest.partition(".")
            cls = self.facts.classes.get(scope.cls)
            attr_kind = cls.attr_types.get(attr) if cls and dot2 else None
            if attr_kind and attr_kind.startswith("class:"):
                return f"{attr_kind[6:]}.{tail}"  # self.repo.load() where self.repo = Repo()
            return f"{scope.cls}.{rest}" if not dot2 else None
        return self.expand(name)

    @staticmethod
    def _row_path(node: ast.AST, scope: Scope) -> str | None:
        """`row.client` passed on: the dotted path when it starts at a loop's row or a parameter."""
        if type(node) is not ast.Attribute:
            return None
        path = dotted(node)
        head = path.partition(".")[0] if path else None
        return path if head and (head in scope.loop_vars or head in scope.roots) else None

    @staticmethod
    def _nested(name: str, scope: Scope) -> str | None:
        s: Scope | None = scope
        while s is not None:
            if name in s.nested:
                return s.nested[name]
            if name in s.locals:
                return None  # rebound to something else in between
            s = s.parent
        return None

    def _lookup_type(self, name: str, scope: Scope) -> str | None:
        s: Scope | None = scope
        while s is not None:
            if name in s.types:
                return s.types[name]
            s = s.parent
        return None

    # -- what a value is ---------------------------------------------------------------------------------
    def _type_of_annotation(self, node: ast.AST) -> str | None:
        name = dotted(node)
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            name = node.value
        if not name:
            return None
        full = self.expand(name)
        short = full.rpartition(".")[2]
        if full in apis.HTTP_CONSTRUCTORS or short in ("ClientSession", "AsyncClient") or full in ("httpx.Client",):
            return "http"
        if short in ("Session", "AsyncSession", "scoped_session") and "requests" not in full:
            return "session"
        if short in ("Connection", "Cursor", "AsyncConnection", "AsyncCursor", "Pool", "CursorWrapper") and not full.startswith(("multiprocessing", "http")):
            return "db"
        if CAPWORD.match(short):  # `service: InvoiceService`: its methods are project code the index can follow
            head = name.partition(".")[0]
            if head in self.facts.imports:
                if self.root is None or not is_library(full.partition(".")[0], self.root):
                    return f"class:{full}"
            elif "." not in name:
                return f"class:{full}"
        return None

    def _type_of_value(self, node: ast.AST, scope: Scope) -> str | None:
        if isinstance(node, ast.Await):
            node = node.value
        if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or) and scope.cls:
            # `schema = override or self.schema`: the class the attribute holds, when the caller overrides nothing
            return class_attrs.held_class_kind(node.values[-1], f"{self.facts.module}.{scope.cls}" if self.facts.module else scope.cls)
        if isinstance(node, ast.Name):
            return self._lookup_type(node.id, scope) or self._import_type(node.id)
        if isinstance(node, ast.Attribute):
            return self._expr_type(node, scope)
        if not isinstance(node, ast.Call):
            return None
        func = node.func
        name = dotted(func)
        full = self.expand(name) if name else None
        row = self._single_row(node, full)
        if row:
            return f"class:{row}"
        if full:
            if full in apis.DB_CONSTRUCTORS:
                return "db"
            if full in apis.HTTP_CONSTRUCTORS:
                return "http"
            if full in apis.CLOUD_CLIENT_FACTORIES:
                return "cloud"  # a boto3 client or resource: its API calls are round trips (dwarfing.py)
            if full in apis.SESSION_CONSTRUCTORS or full.endswith(("sessionmaker.begin",)):
                return "session"
            if full.rpartition(".")[2] in ("sessionmaker", "async_sessionmaker"):
                return "session_factory"
            kind = self._lookup_type(name, scope) if "." not in name else None
            if kind == "session_factory":
                return "session"
            short = full.rpartition(".")[2]
            if CAPWORD.match(short) and not full.startswith(("builtins.",)):
                return f"class:{full}"
            owner = full.rpartition(".")[0]
            if short.startswith("from_") and CAPWORD.match(owner.rpartition(".")[2]) and not full.startswith(("builtins.",)):
                return f"class:{owner}"  # `ProductRepository.from_session(session)`: an alternate constructor's instance
        if isinstance(func, ast.Attribute) and func.attr in apis.DB_HANDLE_METHODS:
            recv = self._expr_type(func.value, scope)
            if recv in ("db", "session") or (recv is None and apis.looks_like_db_name(last_name(func.value) or "")):
                return "db" if func.attr != "begin" or recv != "session" else "session"
        return None

    def _single_row(self, node: ast.Call, full: str | None) -> str | None:
        """The model of one row fetched: `Model.objects.get(...)`, `.first()`, `get_object_or_404(Model, ...)`,
        `session.get(Model, pk)`, `Model.query.get(pk)`: what `row.relation` and `row.method()` are then read on."""
        first = node.args[0] if node.args else None
        func = node.func
        if full and full.rpartition(".")[2] in ("get_object_or_404", "get_or_404"):
            if class_like(first):
                return self.expand(dotted(first))
            if not isinstance(first, ast.Call):
                return None
            cur: ast.AST = first  # `get_object_or_404(Invoice.objects.prefetch_related("lines"), pk=pk)`
        elif not isinstance(func, ast.Attribute) or func.attr not in _ONE_ROW:
            return None
        elif func.attr == "get" and class_like(first) and apis.looks_like_session_name(last_name(func.value) or ""):
            return self.expand(dotted(first))  # session.get(Model, pk)
        else:
            cur = func.value
        while isinstance(cur, ast.Call) and isinstance(cur.func, ast.Attribute):
            if cur.func.attr == "query" and len(cur.args) == 1 and class_like(cur.args[0]):
                return self.expand(dotted(cur.args[0]))  # session.query(Model).filter_by(...).one()
            cur = cur.func.value
        if isinstance(cur, ast.Attribute) and (cur.attr in ("objects", "query", "_default_manager") and class_like(cur.value)):
            return self.expand(dotted(cur.value))
        return None

    def _import_type(self, name: str) -> str | None:
        full = self.facts.imports.get(name)
        if full in ("django.db.connection",):
            return "db"
        return None

    def _expr_type(self, node: ast.AST, scope: Scope) -> str | None:
        if isinstance(node, ast.Name):
            return self._lookup_type(node.id, scope) or self._import_type(node.id)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self" and scope.cls:
            cls = self.facts.classes.get(scope.cls)
            return cls.attr_types.get(node.attr) if cls else None
        if isinstance(node, ast.Attribute):
            full = self.expand(dotted(node) or "")
            if full in ("django.db.connection",):
                return "db"
        if isinstance(node, ast.Call):
            return self._type_of_value(node, scope)
        return None

    @staticmethod
    def _model_name(node: ast.AST, scope: Scope) -> str | None:
        """`Invoice` in `Invoice.objects`, and the model itself in its classmethods (`cls.objects`)."""
        name = dotted(node)
        return scope.cls if name in ("cls", "self.__class__") and scope.cls else name

    @staticmethod
    def _picked_row(node: ast.AST, scope: Scope) -> str | None:
        """`firms[i]` where `firms` holds rows of a model: that model."""
        if isinstance(node, ast.Subscript) and not isinstance(node.slice, ast.Slice) and isinstance(node.value, ast.Name):
            rows = scope.queries.get(node.value.id)
            if rows is not None and rows.kind in ("django", "sqlalchemy") and rows.model:
                return rows.model
        return None

    def _held_model(self, node: ast.AST, scope: Scope) -> str | None:
        """`self.model` in a class: the model its class attribute (or constructor argument) holds, resolved by the index."""
        if not scope.cls:
            return None
        return class_attrs.self_attr(node, f"{self.facts.module}.{scope.cls}" if self.facts.module else scope.cls)

    def _owner_type(self, name: str, scope: Scope) -> str | None:
        if name == "self" and scope.cls:
            return f"{self.facts.module}.{scope.cls}" if self.facts.module else scope.cls
        kind = self._lookup_type(name, scope)
        return kind[6:] if kind and kind.startswith("class:") else None

    def _is_session(self, node: ast.AST, scope: Scope) -> bool:
        return self._expr_type(node, scope) == "session" or apis.looks_like_session_name(last_name(node) or "")


_ONE_ROW = frozenset({"get", "first", "last", "latest", "earliest", "one", "one_or_none", "first_or_404", "get_or_404"})


@functools.lru_cache(maxsize=4096)
def is_library(head: str, root: str) -> bool:
    """Is `import head...` the standard library or an installed package rather than the project's own code?

    Calls into libraries are not recorded: they cannot reach project queries, and dropping them keeps the
    facts small. A name the project itself has at its root (or under src/) is always the project's.
    """
    for candidate in (head, head + ".py", os.path.join("src", head), os.path.join("src", head + ".py")):
        if os.path.exists(os.path.join(root, candidate)):
            return False
    if head in sys.stdlib_module_names:
        return True
    try:
        spec = importlib.util.find_spec(head)
    except (ImportError, ValueError):
        return False
    return spec is not None

"""One pass over a module's `ast` that records its facts: imports, functions, loops, queries, calls,
ORM model fields, querysets and the relation accesses made on loop variables.

The stdlib parser is C and includes positions; libcst is kept for rewrites (see DESIGN.md for the
measured speeds). The walker dispatches on node type by hand rather than through NodeVisitor because it
visits every node of large trees.
"""

from __future__ import annotations

import ast
import builtins
import functools
import importlib.util
import logging
import os
import re
import sys
from dataclasses import dataclass, field
from typing import Callable

from . import apis, callables, class_attrs, dispatch, loop_size, serializers, views
from . import deferred as sqla_deferred
from .nodes import dotted, last_name, span
from .facts import UNKNOWN_LOOKUP, Call, ClassFacts, Function, IterSource, Loop, ModuleFacts, QueryUse, Read, RelationAccess, RelationField, Sink, Span

MAX_CONSTANT_ITEMS = 100  # a module-level tuple of literals this long is still a fixed, known handful
_SUPPRESS = re.compile(r"#\s*(?:perf:\s*ignore|noqa)\b(?:\s*\[([A-Za-z0-9_, ]+)\]|:\s*([A-Za-z0-9_, ]+))?")
_CAPWORD = re.compile(r"^_?[A-Z][A-Za-z0-9_]*$")


def module_name(path: str) -> tuple[str, bool]:
    parts = path[:-3].split("/") if path.endswith(".py") else path.split("/")
    is_package = parts[-1] == "__init__"
    if is_package:
        parts = parts[:-1]
    return ".".join(p for p in parts if p), is_package


@dataclass
class Scope:
    fn: Function
    cls: str | None  # qualname of the enclosing class, for self.
    parent: Scope | None
    loop_stack: list[int] = field(default_factory=list)
    loop_vars: dict[str, int] = field(default_factory=dict)
    types: dict[str, str] = field(default_factory=dict)  # name -> db | session | session_factory | http | class:<dotted>
    queries: dict[str, IterSource] = field(default_factory=dict)
    strings: dict[str, str] = field(default_factory=dict)  # name -> literal SQL assigned to it
    locals: set[str] = field(default_factory=set)  # names bound in this function (parameters, assignments, loops)
    bindings: dict[str, str] = field(default_factory=dict)  # queryset variable -> its current binding ("qs#2")
    roots: frozenset[str] = frozenset()  # the parameters (self included) whose uses make the function's summary
    nested: dict[str, str] = field(default_factory=dict)  # functions defined in this one: name -> qualname
    rebound_roots: set[str] = field(default_factory=set)
    read_keys: set[tuple[str, tuple[str, ...], str | None]] = field(default_factory=set)
    small: dict[str, str] = field(default_factory=dict)  # local names bound to a collection the code bounds -> why (loop_size)
    contexts: dict[str, dict[str, IterSource]] = field(default_factory=dict)  # template context dicts being built (views.py)


@dataclass
class _LoopState:
    loop: Loop
    assigned: set[str] = field(default_factory=set)
    sink_args: set[str] = field(default_factory=set)
    sqls: list[str] = field(default_factory=list)
    fetchmany: bool = False
    takes_items: bool = False  # pops or pulls items from a collection (a worklist), so it repeats per item
    target_names: frozenset[str] = frozenset()  # names the loop header binds
    rebound: set[str] = field(default_factory=set)  # names given a new value in the body (not `self.x = ...`, which keeps `self`)


class ModuleReader:
    """What both walks of a module need: its lines for evidence, and its imports to spell names in full."""

    facts: ModuleFacts
    lines: list[str]

    def text(self, node: ast.AST) -> str:
        line = self.lines[node.lineno - 1] if 0 < node.lineno <= len(self.lines) else ""
        return line.strip()[:200]

    def expand(self, name: str) -> str:
        head, dot, rest = name.partition(".")
        target = self.facts.imports.get(head)
        return f"{target}{dot}{rest}" if target else name


class Extractor(ModuleReader):
    def __init__(self, path: str, source: str, root: str | None = None):
        self.path = path
        self.root = root  # to tell the project's own imports from libraries'; None records every call
        self.lines = source.splitlines()
        module, is_package = module_name(path)
        self.package = module if is_package else module.rpartition(".")[0]
        self.facts = ModuleFacts(path=path, module=module, lines=len(self.lines))
        self.module_fn = Function("<module>", Span(1, 1, max(1, len(self.lines)), 1), False, None)
        self.facts.functions["<module>"] = self.module_fn
        self.module_scope = Scope(self.module_fn, None, None)
        self.small_constants: set[str] = set()
        self.class_constants: dict[str, dict[str, str]] = {}  # class -> {"self.attr": why}: literal collections in its body (loop_size)
        self.string_tuples: dict[str, tuple[str, ...]] = {}  # module constants of strings (PREFETCH = ("lines", "client"))
        self._next_loop = 0
        self._binding = 0
        self._inner_attrs: set[int] = set()
        self._consumed: set[int] = set()
        self._call_funcs: set[int] = set()
        self._awaited: set[int] = set()
        self._loop_states: list[_LoopState] = []
        self._dispatch: dict[type, Callable[[ast.AST, Scope], None]] = {
            ast.Import: self._import, ast.ImportFrom: self._import_from, ast.If: self._if,
            ast.FunctionDef: self._function, ast.AsyncFunctionDef: self._function, ast.ClassDef: self._class,
            ast.For: self._for, ast.AsyncFor: self._for, ast.While: self._while,
            ast.ListComp: self._comprehension, ast.SetComp: self._comprehension, ast.GeneratorExp: self._comprehension,
            ast.DictComp: self._comprehension, ast.Await: self._await, ast.Call: self._call,
            ast.Assign: self._assign, ast.AnnAssign: self._assign, ast.AugAssign: self._augassign,
            ast.With: self._with, ast.AsyncWith: self._with, ast.Attribute: self._attribute, ast.Return: self._return, ast.Raise: self._return,
            ast.Lambda: self._lambda, ast.ExceptHandler: self._except, ast.FormattedValue: self._formatted,
        }
        self._guarded = 0
        self._flags: list[str | None] = []  # per enclosing `if`: the parameter it tests, when it is a bare parameter
        self._deferred = 0
        self._consumed_lambdas: set[int] = set()
        # calls in loops whose arguments are classified once the outermost loop is left: by then every loop
        # knows all the names its body binds, including those bound after the call
        self._pending_keys: list[tuple[Sink | Call, list[ast.Call], list[_LoopState]]] = []
        self._outer: dict[int, ast.Call] = {}  # a call in a loop -> the call chained on it
        self._assigned: set[int] = set()  # calls in a loop whose value is assigned to a name (kept for later)

    # -- entry -------------------------------------------------------------------------------------------
    def run(self, tree: ast.Module) -> ModuleFacts:
        self._suppressions()
        for stmt in tree.body:  # names bound to short literal collections at module level
            if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.value is not None and _spelled_out(stmt.value):
                self.small_constants.add(stmt.target.id)
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
                if self._is_small_literal(stmt.value) or _literal_constants(stmt.value) or _spelled_out(stmt.value):
                    self.small_constants.add(stmt.targets[0].id)
                value = stmt.value
                if isinstance(value, (ast.Tuple, ast.List)) and value.elts and all(isinstance(e, ast.Constant) and isinstance(e.value, str) for e in value.elts):
                    self.string_tuples[stmt.targets[0].id] = tuple(e.value for e in value.elts)
            self._module_instance(stmt)
            callables.note_table(stmt, "", self)
        self._body(tree.body, self.module_scope)
        return self.facts

    def _module_instance(self, stmt: ast.stmt) -> None:
        """`registry = Registry()` or `security: SecurityManager = LocalProxy(...)` at module level: a singleton whose
        methods the functions above and below it, and other modules importing it, call."""
        if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            name, kind = stmt.target.id, self._type_of_annotation(stmt.annotation)
        elif isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name) and isinstance(stmt.value, ast.Call):
            name, kind = stmt.targets[0].id, self._type_of_value(stmt.value, self.module_scope)
        else:
            return
        if kind and kind.startswith("class:"):
            self.module_scope.types[name] = kind
            self.facts.instances[name] = kind[6:]

    def _suppressions(self) -> None:
        for i, line in enumerate(self.lines, start=1):
            if "#" not in line or ("noqa" not in line and "perf:" not in line):
                continue
            m = _SUPPRESS.search(line)
            if m:
                codes = m.group(1) or m.group(2)
                self.facts.suppressions[i] = frozenset(c.strip() for c in codes.split(",") if c.strip()) if codes else None

    # -- walking -----------------------------------------------------------------------------------------
    def visit(self, node: ast.AST, scope: Scope) -> None:
        handler = self._dispatch.get(type(node))
        if handler is not None:
            handler(node, scope)
        else:
            self._children(node, scope)

    def _children(self, node: ast.AST, scope: Scope) -> None:
        # ast.iter_child_nodes is a Python generator over every field; this walks only fields that can hold
        # nodes, and skips leaves, which halves the cost of the walk on large trees
        for name in _CHILD_FIELDS[type(node)]:
            value = getattr(node, name)
            if type(value) is list:
                for child in value:
                    if isinstance(child, ast.AST) and type(child) not in _LEAVES:
                        self.visit(child, scope)
            elif isinstance(value, ast.AST) and type(value) not in _LEAVES:
                self.visit(value, scope)

    def _body(self, stmts: list[ast.stmt], scope: Scope) -> None:
        for stmt in stmts:
            self.visit(stmt, scope)

    # -- imports -----------------------------------------------------------------------------------------
    def _import(self, node: ast.Import, scope: Scope) -> None:
        for alias in node.names:
            if alias.asname:
                self.facts.imports[alias.asname] = alias.name
            else:
                top = alias.name.partition(".")[0]
                self.facts.imports.setdefault(top, top)

    def _import_from(self, node: ast.ImportFrom, scope: Scope) -> None:
        base = node.module or ""
        if node.level:
            pkg = self.package.split(".") if self.package else []
            if node.level > 1:
                pkg = pkg[: len(pkg) - (node.level - 1)]
            base = ".".join([*pkg, *([node.module] if node.module else [])])
        for alias in node.names:
            if alias.name != "*":
                self.facts.imports[alias.asname or alias.name] = f"{base}.{alias.name}" if base else alias.name

    # -- statements --------------------------------------------------------------------------------------
    def _if(self, node: ast.If, scope: Scope) -> None:
        test = node.test
        name = test.id if isinstance(test, ast.Name) else test.attr if isinstance(test, ast.Attribute) else None
        if name == "TYPE_CHECKING":  # imports for type checkers only, never run
            self._body(node.orelse, scope)
            return
        self.visit(test, scope)
        self._flags.append(test.id if type(test) is ast.Name and test.id in scope.roots else None)  # `if full:` of a parameter
        self._guarded += 1  # what runs under a condition is not run on every call of the function
        if _fills_once(node):  # `if self._rates is None: self._rates = load()`: once per object or process, not per call
            scope.fn.cached = True
        fallback = _fallback_param(test, scope)
        kept = (scope.queries.get(fallback), scope.bindings.get(fallback), fallback in scope.rebound_roots) if fallback else None
        if _memoises(node) or self._picks_one(test):  # `if key not in seen: seen[key] = query(...)`: once per distinct key, not per item
            saved, scope.loop_stack = scope.loop_stack, []
            self._body(node.body, scope)
            scope.loop_stack = saved
        else:
            self._body(node.body, scope)
        if kept is not None:
            if scope.queries.get(fallback) is not None and scope.queries.get(fallback) is not kept[0]:
                scope.fn.query_vars[f"{fallback}#default"] = scope.queries[fallback]  # the rows when no caller passes any
            _keep_callers_rows(scope, fallback, kept)
        self._flags[-1] = None
        self._body(node.orelse, scope)
        self._flags.pop()
        self._guarded -= 1
        guard = loop_size.length_guard(node)
        if guard:  # `if len(ids) > 1: return`: what follows loops over a handful at most
            scope.small[guard[0]] = guard[1]

    def _picks_one(self, test: ast.AST) -> bool:
        """`for k in form.fields: if k == "itemvars": ...`: the body runs for the one item that matches, not per item."""
        return bool(self._loop_states) and type(test) is ast.Compare and len(test.ops) == 1 and type(test.ops[0]) is ast.Eq \
            and type(test.left) is ast.Name and test.left.id == self._loop_states[-1].loop.target \
            and type(test.comparators[0]) is ast.Constant and isinstance(test.comparators[0].value, str)

    @property
    def _flag(self) -> str | None:
        return next((f for f in reversed(self._flags) if f), None)

    def _formatted(self, node: ast.FormattedValue, scope: Scope) -> None:
        """`f"{row}"` runs the row's `__str__` (`!r`: `__repr__`): a method of its model, per row."""
        if type(node.value) is ast.Name:
            self._dunder(node.value.id, "__repr__" if node.conversion == ord("r") else "__str__", node, scope)
        self._children(node, scope)

    def _dunder(self, name: str, method: str, node: ast.AST, scope: Scope) -> None:
        if name in scope.loop_vars and not self._deferred:
            scope.fn.relations.append(RelationAccess(scope.loop_vars[name], (), method, span(node), self.text(node)))

    def _except(self, node: ast.ExceptHandler, scope: Scope) -> None:
        self._guarded += 1
        if node.body and isinstance(node.body[-1], (ast.Break, ast.Return, ast.Raise)):
            saved, scope.loop_stack = scope.loop_stack, []  # a handler that leaves the loop runs once, not per item
            self._children(node, scope)
            scope.loop_stack = saved
        else:
            self._children(node, scope)
        self._guarded -= 1

    @property
    def _unsure(self) -> bool:
        return self._guarded > 0 or self._deferred > 0

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef, scope: Scope) -> None:
        for d in node.decorator_list:
            self.visit(d, scope)
        prefix = scope.cls if scope.cls and scope.fn is self.module_fn else (scope.fn.qualname if scope.fn is not self.module_fn else "")
        qualname = f"{prefix}.{node.name}" if prefix else node.name
        fn = Function(qualname, span(node), isinstance(node, ast.AsyncFunctionDef), scope.cls if scope.fn is self.module_fn else None)
        decorators = {last_name(d.func if isinstance(d, ast.Call) else d) for d in node.decorator_list}
        fn.cached = bool(decorators & _MEMO_DECORATORS)
        fn.prop = bool(decorators & _PROPERTIES)
        fn.params = tuple(a.arg for a in (*node.args.posonlyargs, *node.args.args))
        fn.abstract = fn.cls is not None and dispatch.is_abstract(node)
        self.facts.functions[qualname] = fn
        if scope.fn is not self.module_fn:
            scope.nested[node.name] = qualname
        inner = Scope(fn, scope.cls, scope)
        inner.locals.update(a.arg for a in (*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs))
        inner.roots = frozenset(a.arg for a in (*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs))
        guarded, deferred, self._guarded, self._deferred = self._guarded, self._deferred, 0, 0  # a body runs whole on each call
        flags, self._flags = self._flags, []
        for arg in (*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs):
            if arg.annotation is not None:
                kind = self._type_of_annotation(arg.annotation)
                if kind:
                    inner.types[arg.arg] = kind
        self._body(node.body, inner)
        self._guarded, self._deferred = guarded, deferred
        self._flags = flags

    def _class(self, node: ast.ClassDef, scope: Scope) -> None:
        qual = f"{scope.cls}.{node.name}" if scope.cls else node.name
        # `BaseDAO[Invoice]`: the generic base's methods are the class's own
        bases = tuple(d for d in (dotted(b.value if isinstance(b, ast.Subscript) else b) for b in node.bases) if d)
        facts = ClassFacts(qual, tuple(self.expand(b) for b in bases), span(node))
        self.facts.classes[qual] = facts
        class_scope = Scope(self.module_fn, qual, scope)  # class attributes must not leak into module names
        for stmt in node.body:
            self._class_statement(stmt, facts)
            class_attrs.note_lookups(stmt, qual, self.string_tuples)
            callables.note_table(stmt, f"{qual}.", self)
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name in _SETUP_METHODS:
                self._self_attributes(stmt, facts)
        if serializers.is_serializer(facts.bases):
            serializers.serializer_summary(self, node, qual, facts.bases)
        serializers.list_view(self, node, qual, facts.bases, class_scope)
        views.class_view(self, node, qual, facts.bases, class_scope)
        self._body(node.body, class_scope)

    def _class_statement(self, stmt: ast.stmt, facts: ClassFacts) -> None:
        class_attrs.note_class_ref(stmt, facts, self.expand)
        if isinstance(stmt, ast.FunctionDef) and any(last_name(d) == "declared_attr" or (isinstance(d, ast.Attribute) and d.attr == "directive"
                                                                                         and last_name(d.value) == "declared_attr")
                                                     for d in stmt.decorator_list):
            ret = stmt.body[-1] if stmt.body else None  # a mixin's `@declared_attr def creator(cls): return relationship(...)`
            if isinstance(ret, ast.Return) and isinstance(ret.value, ast.Call):
                stmt = ast.copy_location(ast.Assign(targets=[ast.Name(id=stmt.name, ctx=ast.Store())], value=ret.value), stmt)
                stmt.end_lineno, stmt.end_col_offset = ret.end_lineno, ret.end_col_offset
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name) and isinstance(stmt.value, ast.Call):
            kind = self._type_of_value(stmt.value, self.module_scope)  # `schema = LedgerSchema()` in the class body
            if kind and kind.startswith("class:"):
                facts.attr_types.setdefault(stmt.targets[0].id, kind)
        if isinstance(stmt, ast.ClassDef) and stmt.name == "Meta":
            for s in stmt.body:
                if isinstance(s, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "abstract" for t in s.targets):
                    facts.abstract = isinstance(s.value, ast.Constant) and s.value.value is True
            return
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            name, value, annotation = stmt.targets[0].id, stmt.value, None
            if name == "__tablename__":
                facts.tablename = True
        elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            name, value, annotation = stmt.target.id, stmt.value, stmt.annotation
        else:
            return
        if not isinstance(value, ast.Call):
            return
        sqla_deferred.note_deferred(name, value, facts)
        callee = dotted(value.func)
        short = callee.rpartition(".")[2] if callee else None
        if callee and callee.startswith("models.") and short.endswith("Field"):
            facts.django_fields = True
            if short not in apis.DJANGO_SINGLE_FIELDS and short not in apis.DJANGO_MANY_FIELDS:
                facts.columns = (*facts.columns, name)
        if short in apis.DJANGO_SINGLE_FIELDS or short in apis.DJANGO_MANY_FIELDS:
            kind = apis.DJANGO_SINGLE_FIELDS.get(short) or apis.DJANGO_MANY_FIELDS[short]
            target = self._model_ref(value.args[0]) if value.args else self._model_ref(_keyword(value, "to"))
            related = _keyword(value, "related_name")
            related_name = related.value if isinstance(related, ast.Constant) and isinstance(related.value, str) else None
            facts.relations[name] = RelationField(name, kind, None if kind == "gfk" else target, related_name, span(stmt))
        elif short == "relationship":
            target = self._model_ref(value.args[0]) if value.args else self._model_ref(_keyword(value, "argument"))
            lazy = _keyword(value, "lazy")
            uselist = _keyword(value, "uselist")
            many = None
            if isinstance(uselist, ast.Constant) and isinstance(uselist.value, bool):
                many = uselist.value
            if annotation is not None:
                ann_target, ann_many = _mapped_annotation(annotation)
                target = target or ann_target
                many = ann_many if many is None else many
            backref, backref_lazy = _keyword(value, "backref"), None
            if isinstance(backref, ast.Call) and backref.args:  # backref("invoices", lazy="dynamic")
                blazy = _keyword(backref, "lazy")
                backref_lazy = blazy.value if isinstance(blazy, ast.Constant) and isinstance(blazy.value, str) else None
                backref = backref.args[0]
            facts.relations[name] = RelationField(
                name, "relationship", target, None, span(stmt),
                lazy=lazy.value if isinstance(lazy, ast.Constant) and isinstance(lazy.value, str) else "select", many=many,
                backref=backref.value if isinstance(backref, ast.Constant) and isinstance(backref.value, str) else None,
                backref_lazy=backref_lazy, secondary=_keyword(value, "secondary") is not None,
            )
        elif short in ("as_manager",) and isinstance(value.func, ast.Attribute):
            facts.managers[name] = dotted(value.func.value) or ""
        elif isinstance(value.func, ast.Call) and dotted(value.func.func) and dotted(value.func.func).endswith("from_queryset"):
            if value.func.args:
                facts.managers[name] = dotted(value.func.args[0]) or ""
        elif callee and _CAPWORD.match(short or "") and (short.endswith("Manager") or short.endswith("QuerySet")):
            facts.managers[name] = callee

    def _self_attributes(self, fn: ast.FunctionDef | ast.AsyncFunctionDef, facts: ClassFacts) -> None:
        params = [a.arg for a in (*fn.args.posonlyargs, *fn.args.args)]
        annotated = {a.arg: a.annotation for a in (*fn.args.posonlyargs, *fn.args.args, *fn.args.kwonlyargs) if a.annotation is not None}
        for stmt in fn.body:
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
                t = stmt.targets[0]
                if isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name) and t.value.id == "self":
                    value = stmt.value
                    kind = None
                    if isinstance(value, ast.Name) and value.id in annotated:
                        kind = self._type_of_annotation(annotated[value.id])  # self.pool = pool, with pool: DatabasePool
                    kind = kind or self._type_of_value(value, self.module_scope)
                    if kind:
                        facts.attr_types[t.attr] = kind
                    if fn.name == "__init__" and isinstance(value, ast.Name) and value.id in params[1:]:
                        facts.attr_params[t.attr] = params.index(value.id)  # the rows a table or exporter is built with

    def _model_ref(self, node: ast.AST | None) -> str | None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        d = dotted(node) if node is not None else None
        return self.expand(d) if d else None

    def _assign(self, node: ast.Assign | ast.AnnAssign, scope: Scope) -> None:
        value = node.value
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        # `manager: SecurityManager = LocalProxy(...)`: the annotation says what the value is better than its constructor
        declared = self._type_of_annotation(node.annotation) if isinstance(node, ast.AnnAssign) else None
        if value is not None:
            if self._loop_states and type(value) is ast.Call:
                self._assigned.add(id(value))
            self.visit(value, scope)
            kind = declared or self._type_of_value(value, scope)
            one_row = isinstance(value, ast.Call) and self._single_row(value, self.expand(dotted(value.func) or "")) is not None
            source = None if one_row else self.iter_source(value, scope) or self._filtered(value, scope)  # one fetched row is not rows to loop over
            sql = _literal_text(value)
            # a list, set or dict literal may grow afterwards (`found = [first]`, then appends): only tuples stay as written
            # (a comprehension keeping some rows of a bounded slice is as small as the slice, rows or not)
            small = loop_size.small_reason(value, scope.small) if (source is None or _same_rows(value) is not None) and type(value) in _MAY_BE_SMALL else ""
            for t in targets:
                if isinstance(t, ast.Name):
                    self._bind(scope, t.id, kind, source, sql)
                    if small:
                        scope.small[t.id] = small
                    else:
                        scope.small.pop(t.id, None)
            if isinstance(node, ast.Assign) and isinstance(value, (ast.Dict, ast.Call, ast.Name, ast.Subscript)):
                views.note_context(self, node, scope)
        elif declared and isinstance(node.target, ast.Name):
            self._bind(scope, node.target.id, declared, None, None)
        for t in targets:
            self._note_assigned(t)
            if not isinstance(t, ast.Name):
                self.visit(t, scope)

    def _augassign(self, node: ast.AugAssign, scope: Scope) -> None:
        self._note_assigned(node.target)
        self._children(node, scope)

    def _note_assigned(self, target: ast.AST) -> None:
        if self._loop_states:
            state = self._loop_states[-1]
            for n in ast.walk(target):
                if isinstance(n, ast.Name):
                    state.assigned.add(n.id)
            state.rebound |= _rebound(target)

    def _bind(self, scope: Scope, name: str, kind: str | None, source: IterSource | None, sql: str | None) -> None:
        scope.locals.add(name)
        if name in scope.roots:
            scope.rebound_roots.add(name)
        scope.types.pop(name, None)
        scope.queries.pop(name, None)
        scope.strings.pop(name, None)
        scope.loop_vars.pop(name, None)
        if kind:
            scope.types[name] = kind
        if source:
            scope.queries[name] = source
            if source.kind in ("django", "call"):
                self._binding += 1
                scope.fn.query_vars[f"{name}#{self._binding}"] = source
                scope.bindings[name] = f"{name}#{self._binding}"
        else:
            scope.bindings.pop(name, None)
        if sql:
            scope.strings[name] = sql

    def _with(self, node: ast.With | ast.AsyncWith, scope: Scope) -> None:
        for item in node.items:
            self.visit(item.context_expr, scope)
            if item.optional_vars is not None:
                self._note_assigned(item.optional_vars)
            if isinstance(item.optional_vars, ast.Name):
                self._bind(scope, item.optional_vars.id, self._type_of_value(item.context_expr, scope), None, None)
        self._body(node.body, scope)

    def serialize_rows(self, rows: ast.AST, callee: str, at: ast.AST, scope: Scope) -> None:
        """A loop DRF runs for us: each row of `rows` handed to the serializer's per-row summary."""
        target = ast.Name(id=serializers.ROW, ctx=ast.Store())
        loop = self._new_loop(at, "serializer", scope, rows, target)
        saved = self._enter(loop, scope)
        scope.fn.calls.append(Call(callee, span(at), tuple(reversed(scope.loop_stack)), False, self.text(at), args=(serializers.ROW,)))
        self._leave(scope, saved)

    def _per_item_lambda(self, node: ast.Call, scope: Scope, name: str | None) -> None:
        """`sorted(rows, key=lambda r: r.client.name)`, `map(lambda r: ..., rows)`: the lambda runs once per row, like
        a comprehension over the rows, with its parameter as the loop's variable. Only the builtins (and groupby) by
        their dotted `name`: `pool.map(...)` runs its calls concurrently, not in turn."""
        if name in ("sorted", "min", "max", "groupby", "itertools.groupby"):
            lam, rows = next((k.value for k in node.keywords if k.arg == "key"), None), node.args[0] if node.args else None
        elif isinstance(node.func, ast.Attribute) and node.func.attr == "sort" and not node.args:
            lam, rows = next((k.value for k in node.keywords if k.arg == "key"), None), node.func.value
        elif name in ("map", "filter") and len(node.args) == 2:
            lam, rows = node.args
        else:
            return
        if not isinstance(lam, ast.Lambda) or rows is None or len(lam.args.args) != 1:
            return
        target = ast.Name(id=lam.args.args[0].arg, ctx=ast.Store())
        loop = self._new_loop(lam, "comprehension", scope, rows, target)
        saved = self._enter(loop, scope)
        self._loop_states[-1].target_names = frozenset({target.id})
        self.visit(lam.body, scope)
        self._leave(scope, saved)
        self._consumed_lambdas.add(id(lam))

    def _lambda(self, node: ast.Lambda, scope: Scope) -> None:
        if id(node) in self._consumed_lambdas:
            return  # already walked as the body of a loop over rows
        self._deferred += 1
        self._children(node, scope)
        self._deferred -= 1

    def _return(self, node: ast.Return | ast.Raise, scope: Scope) -> None:
        value = node.value if isinstance(node, ast.Return) else node.exc
        if value is not None:
            # a return or raise inside a loop leaves it: what it evaluates runs once, not per item
            saved, scope.loop_stack = scope.loop_stack, []
            self.visit(value, scope)
            scope.loop_stack = saved
            if isinstance(node, ast.Raise):
                return
            source = self.iter_source(value, scope) or self._filtered(value, scope)
            if source and source.kind != "param":
                scope.fn.returns.append(source)

    # -- loops -------------------------------------------------------------------------------------------
    def _new_loop(self, node: ast.AST, kind: str, scope: Scope, iter_node: ast.AST | None, target: ast.AST | None) -> Loop:
        self._next_loop += 1
        var, source = None, None
        if iter_node is not None:
            source = self.iter_source(iter_node, scope)
            if isinstance(target, ast.Name):
                var = target.id
            elif isinstance(target, ast.Tuple) and len(target.elts) == 2 and isinstance(target.elts[1], ast.Name) \
                    and isinstance(iter_node, ast.Call) and dotted(iter_node.func) == "enumerate" and iter_node.args:
                var = target.elts[1].id
                source = self.iter_source(iter_node.args[0], scope)
        size, why = loop_size.classify(iter_node, node.body if isinstance(node, (ast.For, ast.AsyncFor)) else (),
                                       {**dict.fromkeys(self.small_constants, ""), **self.class_constants.get(scope.cls or "", {}), **scope.small},
                                       scope.locals, var)
        if size == loop_size.SMALL and source is not None and source.kind != "accessor" and not why.startswith(("at most", "stops")):
            size, why = loop_size.UNKNOWN, ""  # an upper-case name bound to a query is still the query's rows
        if size == loop_size.UNKNOWN and source is not None:
            size, why = (loop_size.UNKNOWN, source.one_parent) if source.one_parent else loop_size.SOURCE_SIZES.get(source.kind, (loop_size.UNKNOWN, ""))
        loop = Loop(
            id=self._next_loop, kind=kind, span=span(node), header=self.text(node),
            parent=scope.loop_stack[-1] if scope.loop_stack else None,
            small_literal=size == loop_size.SMALL,
            pagination=iter_node is not None and (_iterates_batches(iter_node) or bool(var and _BATCHING.search(var))), target=var,
            source=source, size=size, size_why=why,
        )
        scope.fn.loops[loop.id] = loop
        return loop

    def _enter(self, loop: Loop, scope: Scope) -> tuple[dict[str, int], dict[str, str], dict[str, IterSource]]:
        saved = (dict(scope.loop_vars), dict(scope.types), dict(scope.queries))
        scope.loop_stack.append(loop.id)
        self._loop_states.append(_LoopState(loop))
        if loop.target:
            scope.locals.add(loop.target)
            for d in (scope.types, scope.queries, scope.strings):
                d.pop(loop.target, None)
            if loop.source is not None:
                scope.loop_vars[loop.target] = loop.id
            else:
                scope.loop_vars.pop(loop.target, None)
        return saved

    def _leave(self, scope: Scope, saved) -> None:
        scope.loop_stack.pop()
        state = self._loop_states.pop()
        loop = state.loop
        if any(apis.sql_paginates(s) for s in state.sqls) and ("offset" in " ".join(state.sqls).lower() or loop.kind == "while"):
            loop.pagination = True
        elif loop.kind == "while" and (state.fetchmany or any(apis.PAGE_NAMES.search(n) for n in state.sink_args & state.assigned)):
            loop.pagination = True
        elif loop.kind == "while" and not state.takes_items:
            loop.pagination = True  # retry, polling or repeat-until-done: not once per item of a collection
        if self._loop_states:  # what the inner loop saw, the outer loop saw too
            outer = self._loop_states[-1]
            outer.assigned |= state.assigned
            outer.rebound |= state.rebound
            outer.sink_args |= state.sink_args
            outer.sqls += state.sqls
            outer.fetchmany |= state.fetchmany
        else:  # the outermost loop is left: every name its body binds is known
            for target, call, states in self._pending_keys:
                target.key = self._loop_key(call, states)
            self._pending_keys.clear()
            self._assigned.clear()
        scope.loop_vars, scope.types, scope.queries = saved

    def _for(self, node: ast.For | ast.AsyncFor, scope: Scope) -> None:
        self.visit(node.iter, scope)  # evaluated once, before the loop
        if isinstance(node.iter, ast.Name) and node.iter.id in scope.bindings:
            scope.fn.query_uses.append(QueryUse(scope.bindings[node.iter.id], "evaluate", span(node.iter), self.text(node)))
        loop = self._new_loop(node, "async for" if isinstance(node, ast.AsyncFor) else "for", scope, node.iter, node.target)
        saved = self._enter(loop, scope)
        callables.bind_loop_variable(node, scope, self)
        self._note_assigned(node.target)
        self._loop_states[-1].target_names = frozenset(n.id for n in ast.walk(node.target) if isinstance(n, ast.Name))
        self._body(node.body, scope)
        self._leave(scope, saved)
        self._body(node.orelse, scope)

    def _while(self, node: ast.While, scope: Scope) -> None:
        loop = self._new_loop(node, "while", scope, None, None)
        saved = self._enter(loop, scope)
        self.visit(node.test, scope)
        self._body(node.body, scope)
        self._leave(scope, saved)
        self._body(node.orelse, scope)

    def _comprehension(self, node: ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp, scope: Scope) -> None:
        first = node.generators[0]
        self.visit(first.iter, scope)
        if isinstance(first.iter, ast.Name) and first.iter.id in scope.bindings:
            scope.fn.query_uses.append(QueryUse(scope.bindings[first.iter.id], "evaluate", span(first.iter), self.text(node)))
        loop = self._new_loop(node, "comprehension", scope, first.iter, first.target)
        saved = self._enter(loop, scope)
        self._loop_states[-1].target_names = frozenset(n.id for g in node.generators for n in ast.walk(g.target) if isinstance(n, ast.Name))
        for i, gen in enumerate(node.generators):
            if i:
                self.visit(gen.iter, scope)
            for cond in gen.ifs:
                self.visit(cond, scope)
        if isinstance(node, ast.DictComp):
            self.visit(node.key, scope)
            self.visit(node.value, scope)
        else:
            self.visit(node.elt, scope)
        self._leave(scope, saved)

    def _is_small_literal(self, node: ast.AST) -> bool:
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            return len(node.elts) <= loop_size.MAX_SMALL_LITERAL and not any(isinstance(e, ast.Starred) for e in node.elts)
        if isinstance(node, ast.Dict):
            return len(node.keys) <= loop_size.MAX_SMALL_LITERAL
        if isinstance(node, ast.Name):
            return node.id in self.small_constants
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Slice):
            upper = node.slice.upper  # rows[:5]: at most a handful, whatever the rows are
            return isinstance(upper, ast.Constant) and isinstance(upper.value, int) and 0 <= upper.value <= loop_size.MAX_SMALL_LITERAL
        if isinstance(node, ast.Call):
            name = dotted(node.func)
            if name == "range" and len(node.args) == 1 and isinstance(node.args[0], ast.Constant):
                return isinstance(node.args[0].value, int) and node.args[0].value <= loop_size.MAX_SMALL_LITERAL
            if name in ("enumerate", "reversed", "sorted", "zip") and node.args:
                return all(self._is_small_literal(a) for a in node.args)
            if isinstance(node.func, ast.Attribute) and node.func.attr in ("items", "keys", "values"):
                return self._is_small_literal(node.func.value)
        return False

    # -- expressions -------------------------------------------------------------------------------------
    def _await(self, node: ast.Await, scope: Scope) -> None:
        self._awaited.add(id(node.value))
        self.visit(node.value, scope)

    def _attribute(self, node: ast.Attribute, scope: Scope) -> None:
        if type(node.ctx) is ast.Store:
            path = dotted(node)
            head, _, rest = path.partition(".") if path else ("", "", "")
            if head in scope.loop_vars and rest:  # `row.item.event = event`: that relation is set, not loaded
                loop = scope.fn.loops[scope.loop_vars[head]]
                loop.stored = (*loop.stored, rest.replace(".", "__"))
        # an assignment to the relation (`item.client = c`) loads nothing
        if id(node) not in self._inner_attrs and scope.loop_vars and not isinstance(node.ctx, (ast.Store, ast.Del)):
            attrs = []
            cur: ast.AST = node
            while isinstance(cur, ast.Attribute):
                attrs.append(cur.attr)
                cur = cur.value
            if isinstance(cur, ast.Name) and cur.id in scope.loop_vars:
                attrs.reverse()
                method = attrs.pop() if id(node) in self._call_funcs else None
                # `row.total()` too; not in a callback that may never run, nor under `if key not in seen:` (once per key)
                if (attrs or method) and not self._deferred and scope.loop_vars[cur.id] in scope.loop_stack:
                    scope.fn.relations.append(RelationAccess(
                        scope.loop_vars[cur.id], tuple(attrs), method, span(node), self.text(node)
                    ))
            elif isinstance(cur, ast.Name) and cur.id in scope.roots:
                self._read(node, cur.id, attrs, scope)
        elif id(node) not in self._inner_attrs and scope.roots and not isinstance(node.ctx, (ast.Store, ast.Del)):
            attrs = []
            cur = node
            while isinstance(cur, ast.Attribute):
                attrs.append(cur.attr)
                cur = cur.value
            if isinstance(cur, ast.Name) and cur.id in scope.roots:
                self._read(node, cur.id, attrs, scope)
        if isinstance(node.value, ast.Attribute):
            self._inner_attrs.add(id(node.value))
        self.visit(node.value, scope)

    def _read(self, node: ast.Attribute, root: str, attrs: list[str], scope: Scope) -> None:
        """Record a use of self or of a parameter, once per function: what the function's summary is made of."""
        if root in scope.rebound_roots:
            return  # `rows = list(rows)`: no longer what the caller passed
        attrs = attrs[::-1]
        method = attrs.pop() if id(node) in self._call_funcs else None
        key = (root, tuple(attrs), method)
        if key not in scope.read_keys:
            scope.read_keys.add(key)
            # only a callback makes a read unsure: a guard on the row (`if row.client:`) is how rows are read
            scope.fn.reads.append(Read(root, tuple(attrs), method, span(node), self.text(node), self._deferred > 0))

    def _call(self, node: ast.Call, scope: Scope) -> None:
        if id(node) in self._consumed:
            self._children(node, scope)
            return
        name = dotted(node.func)
        if len(node.args) == 1 and type(node.func) is ast.Name and node.func.id in ("str", "repr") and type(node.args[0]) is ast.Name:
            self._dunder(node.args[0].id, f"__{node.func.id}__", node, scope)  # str(row): its model's __str__, per row
        if node.keywords or len(node.args) > 1:
            self._per_item_lambda(node, scope, name)
            if node.args and any(k.arg == "many" and isinstance(k.value, ast.Constant) and k.value.value is True for k in node.keywords):
                if name and name.rpartition(".")[2].endswith("Serializer"):  # XSerializer(rows, many=True)
                    self.serialize_rows(node.args[0], f"{self.expand(name)}.{serializers.ROWS}", node, scope)
        if name and name.rpartition(".")[2] in views.TEMPLATE_CALLS:
            views.render_call(self, node, scope, name)
        self._call_funcs.add(id(node.func))
        self._note_query_use(node, scope)
        awaited = id(node) in self._awaited
        sink = self._classify(node, scope, awaited, name) or self._row_api_sink(node, scope, awaited)
        if sink is not None and any(type(c.func) is ast.Attribute and c.func.attr in _NOT_RUN for c in self._chain(node)[1:]):
            sink = None  # `session.query(...).filter(...).subquery()`: a piece of a larger statement, not a query run here
        elif sink is not None and self._loop_states and sink.api.endswith(".query") and sink.framework != "django":
            chain = self._chain(node)
            last = chain[-1].func.attr if type(chain[-1].func) is ast.Attribute else None
            if id(chain[-1]) in self._assigned and (last is None or last == "query" or last in _LAZY_QUERY):
                sink = None  # `pending = session.query(T).filter(...)`: a Query object kept for later (an EXISTS, a union), not run here
        if type(node.func) is ast.Attribute and node.func.attr == "update" and _fills_missing(node):
            scope.fn.cached = True  # `self._items.update(... id__in=[i for i in ids if i not in self._items])`: loads what is missing
        loops = tuple(reversed(scope.loop_stack))
        if loops and node.args and isinstance(node.args[0], ast.Name) and self._is_loop_target(node.args[0].id, sink is not None):
            # `for sql in statements: cursor.execute(sql)` runs a list of different statements, not one query per item
            self._children(node, scope)
            return
        if loops and sink is not None:
            self._pending_keys.append((sink, self._chain(node), list(self._loop_states)))
        if sink is None:
            io = self._io(node, scope, name or "", awaited)
            if io is not None:
                scope.fn.io.append(io)
        if sink is not None:
            sink.conditional = self._unsure
            sink.flag = self._flag
            scope.fn.sinks.append(sink)
            if self._loop_states:
                state = self._loop_states[-1]
                if sink.sql:
                    state.sqls.append(sink.sql)
                for arg in (*node.args, *(k.value for k in node.keywords)):
                    for n in ast.walk(arg):
                        if isinstance(n, ast.Name):
                            state.sink_args.add(n.id)
        else:
            callee = self._callee(node.func, scope, name) if name else None
            if callee:
                callee = serializers.one_row_callee(node, callee)
                # source text only where a finding can point: calls in loops and in coroutines (keeps the cache small)
                call = Call(callee, span(node), loops, awaited, self.text(node) if loops or scope.fn.is_async else "", None, self._deferred > 0)
                call.conditional = self._unsure
                call.flag = self._flag
                falsy = [f"#{i}" for i, a in enumerate(node.args) if type(a) is ast.Constant and (a.value is False or a.value is None)]
                falsy += [k.arg for k in node.keywords if k.arg and type(k.value) is ast.Constant and (k.value.value is False or k.value.value is None)]
                if falsy:
                    call.falsy = tuple(falsy)
                if any(type(a) in (ast.Name, ast.Attribute) for a in node.args):  # rows handed on: the callee's summary applies to them
                    call.args = tuple(a.id if type(a) is ast.Name else self._row_path(a, scope) for a in node.args)
                named = tuple((k.arg, k.value.id) for k in node.keywords if k.arg and type(k.value) is ast.Name)
                if named:
                    call.kwargs = named
                # querysets handed to project code: what an untyped parameter over there iterates
                sources = tuple((i, src) for i, a in enumerate(node.args)
                                if (src := (scope.queries.get(a.id) if type(a) is ast.Name else
                                            self.iter_source(a, scope) if type(a) is ast.Call and _orm_rooted(a, scope) else None)) is not None)
                if sources:
                    call.arg_sources = sources
                scope.fn.calls.append(call)
                if loops:  # only calls into project code, and queries, can be per-row lookups
                    self._pending_keys.append((call, self._chain(node), list(self._loop_states)))
            if self._loop_states:
                method = node.func.attr if isinstance(node.func, ast.Attribute) else name
                if method == "fetchmany":
                    self._loop_states[-1].fetchmany = True
                elif method in _TAKES_ITEMS:
                    self._loop_states[-1].takes_items = True
        if type(node.func) is ast.Attribute and type(node.func.value) is ast.Call:
            self._outer[id(node.func.value)] = node  # `.filter(tag_id=tag.id)` around `session.query(Tag)`: its arguments count too
        self._children(node, scope)

    def _chain(self, node: ast.Call) -> list[ast.Call]:
        """The call and the calls chained on it (`session.query(T)` then `.filter(...)`, `.first()`)."""
        out = [node]
        while id(out[-1]) in self._outer and len(out) < 20:
            out.append(self._outer[id(out[-1])])
        return out

    @staticmethod
    def _loop_key(chain: list[ast.Call], states: list[_LoopState]) -> str | None:
        """What the call's arguments depend on, per iteration: nothing ("invariant"), a small key of the item such
        as its state or tax type ("key:state"), or anything else (None): the per-row lookup rule needs this."""
        bound: set[str] = set()
        for state in states:
            bound |= state.rebound | state.target_names
        func = chain[0].func
        if isinstance(func, ast.Attribute) and any(isinstance(n, ast.Name) and n.id in bound for n in ast.walk(func.value)):
            return None  # a method of the item itself
        keys: list[str] = []
        for arg in (a for node in chain for a in (*node.args, *(k.value for k in node.keywords))):
            for part in (arg.elts if isinstance(arg, (ast.Tuple, ast.List)) else (arg,)):
                if isinstance(part, (ast.Starred, ast.Lambda)):
                    return None
                if not any(isinstance(n, ast.Name) and n.id in bound for n in ast.walk(part)):
                    continue
                key = _key_name(part)
                if key is None or (isinstance(part, ast.Name) and any(part.id == s.loop.target for s in states)):
                    return None  # not a small key, or the loop walks the keys themselves: each lookup is a different one
                keys.append(key)
        return f"key:{','.join(dict.fromkeys(keys))}" if keys else "invariant"

    def _io(self, node: ast.Call, scope: Scope, name: str, awaited: bool) -> Sink | None:
        """A file read or a new database connection: what the per-row lookup and connection-per-item rules follow."""
        short = node.func.attr if isinstance(node.func, ast.Attribute) else name
        if short not in _IO_NAMES:
            return None  # most calls: decided without expanding the name
        full = self.expand(name) if name else ""
        if (name == "open" and "open" not in self.facts.imports and not self._lookup_type("open", scope)) or full in ("io.open", "codecs.open") \
                or (short in ("read_text", "read_bytes") and isinstance(node.func, ast.Attribute)):
            return self._sink(node, scope, "file", full or short, "file", awaited, "high")
        if full in apis.DB_CONSTRUCTORS and not full.startswith("django."):
            return self._sink(node, scope, "connect", full, "connect", awaited, "high")
        return None

    def _is_loop_target(self, name: str, is_query: bool) -> bool:
        """Is `name` the statement the innermost loop hands out? Any name for a query call; for a call into
        project code only a name that says it is SQL (`for item in items: save(item)` is the N+1 itself)."""
        if not self._loop_states or name not in self._loop_states[-1].target_names:
            return False
        if _rows_of_a_model(self._loop_states[-1].loop):
            return False  # `for statement in Statement.objects...`: a row named like SQL is still a row
        return is_query or bool(re.search(r"sql|statement|stmt|query|ddl|command", name, re.I))

    def _note_query_use(self, node: ast.Call, scope: Scope) -> None:
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in ("get", "get_or_set", "get_many") and "cache" in (last_name(func.value) or "").lower():
            scope.fn.cached = scope.fn.cache_aside = True  # cache-aside: the queries below run on a miss, not on every call
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.attr in ("count", "exists"):
            binding = scope.bindings.get(func.value.id)
            if binding:
                scope.fn.query_uses.append(QueryUse(binding, "count", span(node), self.text(node)))
        elif isinstance(func, ast.Name) and func.id in ("list", "len", "tuple", "sorted") and node.args and isinstance(node.args[0], ast.Name):
            binding = scope.bindings.get(node.args[0].id)
            if binding:
                scope.fn.query_uses.append(QueryUse(binding, "evaluate", span(node), self.text(node)))

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
        if not rest and head in _BUILTINS and head not in self.facts.imports:
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
        if _CAPWORD.match(short):  # `service: InvoiceService`: its methods are project code the index can follow
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
            if full in apis.SESSION_CONSTRUCTORS or full.endswith(("sessionmaker.begin",)):
                return "session"
            if full.rpartition(".")[2] in ("sessionmaker", "async_sessionmaker"):
                return "session_factory"
            kind = self._lookup_type(name, scope) if "." not in name else None
            if kind == "session_factory":
                return "session"
            short = full.rpartition(".")[2]
            if _CAPWORD.match(short) and not full.startswith(("builtins.",)):
                return f"class:{full}"
        if isinstance(func, ast.Attribute) and func.attr in apis.DB_HANDLE_METHODS:
            recv = self._expr_type(func.value, scope)
            if recv in ("db", "session") or (recv is None and apis.looks_like_db_name(last_name(func.value) or "")):
                return "db" if func.attr != "begin" or recv != "session" else "session"
        return None

    def _single_row(self, node: ast.Call, full: str | None) -> str | None:
        """The model of one row fetched: `Model.objects.get(...)`, `.first()`, `get_object_or_404(Model, ...)`,
        `session.get(Model, pk)`, `Model.query.get(pk)`: what `row.relation` and `row.method()` are then read on."""
        first = node.args[0] if node.args else None
        if full and full.rpartition(".")[2] in ("get_object_or_404", "get_or_404") and _class_like(first):
            return self.expand(dotted(first))
        func = node.func
        if not isinstance(func, ast.Attribute) or func.attr not in _ONE_ROW:
            return None
        if func.attr == "get" and _class_like(first) and apis.looks_like_session_name(last_name(func.value) or ""):
            return self.expand(dotted(first))  # session.get(Model, pk)
        cur: ast.AST = func.value
        while isinstance(cur, ast.Call) and isinstance(cur.func, ast.Attribute):
            if cur.func.attr == "query" and len(cur.args) == 1 and _class_like(cur.args[0]):
                return self.expand(dotted(cur.args[0]))  # session.query(Model).filter_by(...).one()
            cur = cur.func.value
        if isinstance(cur, ast.Attribute) and (cur.attr in ("objects", "query", "_default_manager") and _class_like(cur.value)):
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

    # -- is this call a query or a remote call? ----------------------------------------------------------
    def _classify(self, node: ast.Call, scope: Scope, awaited: bool, name: str | None) -> Sink | None:
        func = node.func
        if name:
            full = self.expand(name)
            if full in apis.HTTP_FUNCTIONS:
                return self._sink(node, scope, "http", full, "http", awaited, "high")
        if not isinstance(func, ast.Attribute):
            return None
        method = func.attr
        recv = func.value
        rtype = self._expr_type(recv, scope)
        rname = last_name(recv) or ""
        if rtype == "http":
            return self._sink(node, scope, "http", f"{rname}.{method}", "http", awaited, "high") if method in apis.HTTP_METHODS else None
        orm = self._orm_chain_sink(node, scope, awaited)
        if orm is not None:
            return orm
        first = node.args[0] if node.args else None
        if rtype == "session" and method in apis.SESSION_QUERY_METHODS:
            if method == "get" and not _class_like(first):
                return None
            return self._sink(node, scope, "db", f"{rname}.{method}", "sqlalchemy", awaited, "high")
        if method in apis.DB_QUERY_METHODS:
            sql = self._sql_of(first, scope)
            if rtype == "db":
                return self._sink(node, scope, "db", f"{rname}.{method}", self._driver(method, awaited), awaited, "high", sql)
            if sql is not None and apis.looks_like_sql(sql):
                return self._sink(node, scope, "db", f"{rname}.{method}", self._driver(method, awaited), awaited, "high", sql)
            if rname and apis.looks_like_db_name(rname):
                if method in apis.ASYNC_DRIVER_METHODS and not awaited:
                    return None
                framework = "sqlalchemy" if _is_sqlalchemy_statement(first) else self._driver(method, awaited)
                confident = sql is not None or framework == "sqlalchemy" or (isinstance(first, ast.Name) and apis.looks_like_sql_variable(first.id))
                return self._sink(node, scope, "db", f"{rname}.{method}", framework, awaited, "high" if confident else "medium", sql)
            return None
        if method in apis.SESSION_QUERY_METHODS and apis.looks_like_session_name(rname) and rtype != "http":
            if method == "get" and not _class_like(first):
                return None
            if method == "execute":
                return None  # handled above as a DB query method
            return self._sink(node, scope, "db", f"{rname}.{method}", "sqlalchemy", awaited, "high" if _class_like(first) or _is_sqlalchemy_statement(first) else "medium")
        return None

    @staticmethod
    def _driver(method: str, awaited: bool) -> str:
        return "asyncpg" if awaited and method in apis.ASYNC_DRIVER_METHODS else "dbapi"

    def _sql_of(self, node: ast.AST | None, scope: Scope) -> str | None:
        if node is None:
            return None
        if isinstance(node, ast.Name):
            s: Scope | None = scope
            while s is not None:
                if node.id in s.strings:
                    return s.strings[node.id]
                s = s.parent
            return None
        if isinstance(node, ast.Call) and last_name(node.func) == "text" and node.args:
            return _literal_text(node.args[0])
        return _literal_text(node)

    def _sink(self, node: ast.Call, scope: Scope, kind: str, api: str, framework: str, awaited: bool, confidence: str, sql: str | None = None) -> Sink:
        return Sink(kind, api, framework, span(node), tuple(reversed(scope.loop_stack)), awaited, confidence, sql, self.text(node))

    def _orm_chain_sink(self, node: ast.Call, scope: Scope, awaited: bool) -> Sink | None:
        """`Model.objects.<...>.get()` (Django) or `Model.query.<...>.first()` (Flask-SQLAlchemy) as one query."""
        methods = []
        cur: ast.AST = node
        while isinstance(cur, ast.Call) and isinstance(cur.func, ast.Attribute):
            methods.append(cur.func.attr)
            cur = cur.func.value
        if methods and isinstance(cur, ast.Name) and cur.id in scope.queries:
            return self._variable_chain_sink(node, scope, awaited, cur.id, methods)
        if not methods or not isinstance(cur, ast.Attribute):
            return None
        model = self._model_name(cur.value, scope)
        if not model or not _CAPWORD.match(model.rpartition(".")[2]):
            return None
        manager = cur.attr
        outer = methods[0]
        if any(isinstance(sub, ast.Call) and last_name(sub.func) == "OuterRef" for sub in ast.walk(node)):
            return None  # a correlated subquery, composed into the outer query: no query of its own
        if outer in apis.DJANGO_WRITES:
            self._consume(node)  # writes per row are the batch-write rule's; the filter they run on is part of them
            return None
        if manager == "query":  # Flask-SQLAlchemy
            if outer not in ("get", "first", "one", "one_or_none", "all", "count", "scalar", "get_or_404", "first_or_404"):
                return None
            framework, confidence = "sqlalchemy", "high"
        elif manager in ("objects", "_default_manager", "_base_manager") or manager.endswith("objects"):
            if outer in apis.DJANGO_EVALUATING or outer in apis.DJANGO_ROWS:
                framework, confidence = "django", "high"
            elif outer == "none":
                return None  # an empty queryset: never queries
            elif outer in apis.DJANGO_LAZY:
                framework, confidence = "django", "medium"  # evaluated later, once per iteration
            else:
                return None  # a custom manager method: the index may resolve it as a call
        else:
            return None
        self._consume(node)
        return Sink("db", f"{model}.{manager}.{outer}", framework, span(node), tuple(reversed(scope.loop_stack)), awaited, confidence, None, self.text(node))

    def _variable_chain_sink(self, node: ast.Call, scope: Scope, awaited: bool, name: str, methods: list[str]) -> Sink | None:
        """`qs.filter(day=d).count()` where `qs` holds a Django queryset: one query each time it runs."""
        source = scope.queries[name]
        outer = methods[0]
        if source.kind == "sqlalchemy":  # Flask-SQLAlchemy: `invoices = Invoice.query.filter_by(...)`, then `invoices.all()`
            if outer not in _SQLA_RUNS or not all(m in _SQLA_BUILDS for m in methods[1:]):
                return None
        elif source.kind != "django" or outer not in apis.DJANGO_EVALUATING or not all(m in apis.DJANGO_LAZY for m in methods[1:]):
            return None
        if node.args:
            return None  # dict.get(key), list.count(x): the variable may hold a result or a list, and querysets take keywords
        self._consume(node)
        if not source.model:
            return None
        framework = "sqlalchemy" if source.kind == "sqlalchemy" else "django"
        manager = "query" if framework == "sqlalchemy" else source.manager or "objects"
        return Sink("db", f"{source.model}.{manager}.{outer}", framework, span(node), tuple(reversed(scope.loop_stack)),
                    awaited, "medium", None, self.text(node))

    def _consume(self, node: ast.Call) -> None:
        """The calls of one ORM chain, and querysets passed into it as subqueries, are one query: do not
        report them again. Other calls in its arguments (a helper that queries) still count."""
        cur: ast.AST = node
        while isinstance(cur, (ast.Call, ast.Attribute)):
            if isinstance(cur, ast.Call):
                if cur is not node:
                    self._consumed.add(id(cur))
                for arg in (*cur.args, *(k.value for k in cur.keywords)):
                    for sub in ast.walk(arg):
                        if isinstance(sub, ast.Call) and _manager_chain(sub):
                            self._consumed.add(id(sub))
                cur = cur.func
            else:
                cur = cur.value

    # -- what a loop iterates ----------------------------------------------------------------------------
    def iter_source(self, node: ast.AST, scope: Scope) -> IterSource | None:
        """Describe an ORM query expression: its model and eager loading, or the call that builds it."""
        if isinstance(node, ast.Await):
            node = node.value
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Slice):
            node = node.value  # qs[:limit]: the same rows, fewer of them
        picked = _same_rows(node)
        if picked is not None:
            return self.iter_source(picked, scope)
        methods: list[ast.Call] = []
        cur: ast.AST = node
        while isinstance(cur, ast.Call) and isinstance(cur.func, ast.Attribute):
            methods.append(cur)
            cur = cur.func.value
        methods.reverse()  # innermost first
        names = [m.func.attr for m in methods]
        if any(n in apis.DJANGO_ROWS for n in names) or (names and names[-1] in _EVALUATED):
            return None  # values() rows, or an aggregate / count / one row: not model rows to loop over
        base: IterSource | None = None
        if isinstance(cur, ast.Name) and cur.id in scope.queries:
            base = scope.queries[cur.id]
        elif isinstance(cur, ast.Name) and cur.id in scope.loop_vars and methods:
            return None  # a relation of a loop item: handled as a "relation" source below
        elif isinstance(cur, ast.Name) and methods and (kind := self._lookup_type(cur.id, scope) or "").startswith("class:"):
            # account.outgoing_transfers() where account is a fetched row or a typed instance: what that method returns
            base = IterSource("call", span(node), self.text(node), model=kind[6:], callee=f"{kind[6:]}.{names[0]}")
            methods = methods[1:]
        elif (isinstance(cur, ast.Name) and cur.id in scope.roots and cur.id not in ("self", "cls") and cur.id not in scope.rebound_roots
              and all(n in apis.DJANGO_LAZY or n in apis.RELATED_CACHEABLE for n in names)):
            # rows the caller passes (`param.children()` would be other rows): their model and loading come from the
            # call sites, which the index asks
            base = IterSource("param", span(node), self.text(node), parent_path=(cur.id,))
        elif isinstance(cur, ast.Attribute) and isinstance(cur.value, ast.Name) and cur.value.id in scope.loop_vars:
            # for item in order.items.all(): a relation of an outer loop's item
            path = [cur.attr]
            if names and names[0] not in apis.RELATED_CACHEABLE | apis.DJANGO_LAZY:
                return None
            base = IterSource("relation", span(node), self.text(node), parent_loop=scope.loop_vars[cur.value.id], parent_path=tuple(path))
        elif (isinstance(cur, ast.Attribute) and isinstance(cur.value, ast.Name) and not _CAPWORD.match(cur.value.id) and cur.value.id != "cls"
              and (names and all(n in apis.RELATED_CACHEABLE | apis.DJANGO_LAZY for n in names) or not names)):
            # for line in order.lines.all(): the related objects of one object; its type comes from `self`, an
            # annotation or a constructor, else (for a related-manager call only) from the accessor's name
            owner = self._owner_type(cur.value.id, scope)
            if owner is None and not names:
                return None  # a plain attribute we cannot type: not worth a guess
            base = IterSource("accessor", span(node), self.text(node), model=owner, parent_path=(cur.attr,))
        elif isinstance(cur, ast.Attribute) and cur.attr in ("objects", "_default_manager") and (held := self._held_model(cur.value, scope)):
            base = IterSource("django", span(node), self.text(node), model=held, manager=cur.attr)  # self.model.objects...
        elif isinstance(cur, ast.Attribute) and (owner := self._picked_row(cur.value, scope)) is not None \
                and (not names or all(n in apis.RELATED_CACHEABLE | apis.DJANGO_LAZY for n in names)):
            # for member in firms[i].members: a relation of one row picked from a list of rows of a known model
            base = IterSource("accessor", span(node), self.text(node), model=owner, parent_path=(cur.attr,))
        elif isinstance(cur, ast.Attribute) and (model := self._model_name(cur.value, scope)) and _CAPWORD.match(model.rpartition(".")[2]):
            if cur.attr == "query":
                base = IterSource("sqlalchemy", span(node), self.text(node), model=self.expand(model))
            elif cur.attr in ("objects", "_default_manager") or cur.attr.endswith("objects") or (names and all(n in apis.DJANGO_LAZY | apis.DJANGO_EVALUATING for n in names)):
                base = IterSource("django", span(node), self.text(node), model=self.expand(model), manager=cur.attr)
        elif isinstance(cur, ast.Name) and cur.id == "self" and scope.cls and names and names[0] not in apis.DJANGO_LAZY | apis.DJANGO_EVALUATING:
            # self._open_items().order_by(...): what that method of the class returns
            base = IterSource("call", span(node), self.text(node), callee=f"{scope.cls}.{names[0]}")
            methods = methods[1:]
        elif isinstance(cur, ast.Name) and cur.id == "self" and scope.cls and names:
            base = IterSource("django", span(node), self.text(node), model="<self>")
        elif isinstance(cur, ast.Call):
            inner = dotted(cur.func)
            if not methods and inner in _UNWRAP and cur.args:
                return self.iter_source(cur.args[0], scope)  # list(qs), sorted(qs, ...): the same rows
            if inner in ("super().get_queryset", "self.get_queryset") and scope.cls:
                base = IterSource("django", span(node), self.text(node), model="<self>")
            elif inner == "super" and names[:1] == ["get_queryset"] and scope.cls:  # super().get_queryset().filter(...)
                # what a project base class's get_queryset() returns, else the model's rows (views.view_rows)
                base = IterSource("view", span(node), self.text(node), model="<self>", manager=views.SUPER, callee=f"{scope.cls}.get_queryset")
                methods = methods[1:]
            else:
                sqla = self._sqlalchemy_source(node, scope)
                if sqla is not None:
                    return sqla
                callee = self._callee(cur.func, scope) if inner else None
                if callee and not _is_builtin(callee):
                    base = IterSource("call", span(node), self.text(node), callee=callee)
                    if methods and _CAPWORD.match(callee.rpartition(".")[2]) and names[0] not in apis.DJANGO_LAZY | apis.DJANGO_EVALUATING:
                        # Access(user).get_queryset(): what that method of the class returns
                        base = IterSource("call", span(node), self.text(node), callee=f"{callee}.{names[0]}")
                        methods = methods[1:]
        if base is None:
            return self._sqlalchemy_source(node, scope)
        if base.kind in ("django", "sqlalchemy") and base.span == span(node):
            base.one_parent = loop_size.one_parent(methods, scope.loop_vars)  # a fresh source: `X.objects.filter(order=order)`
        if base.kind == "django" and base.manager and names and names[0] not in apis.DJANGO_LAZY | apis.DJANGO_EVALUATING:
            # Model.objects.custom_method(...): built by a manager method the index resolves
            base = IterSource("call", base.span, base.text, model=base.model, manager=base.manager, callee=f"{base.model}.{base.manager}.{names[0]}")
            methods = methods[1:]
        select, prefetch, all_select = list(base.select), list(base.prefetch), base.all_select
        custom = list(base.methods)
        only, defer = base.only, list(base.defer)
        for call in methods:
            attr = call.func.attr
            if attr in ("only", "defer"):
                names = [a.value for a in call.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
                if len(names) != len(call.args):
                    only, defer = None, []  # `.only(*FIELDS)`: which columns is not known here, so no guess either way
                    continue
                if attr == "only":
                    only = tuple(n for n in names if "__" not in n)
                else:
                    defer += [n for n in names if "__" not in n]
            if attr not in apis.DJANGO_LAZY and attr not in apis.DJANGO_EVALUATING:
                custom.append(attr)
            if attr == "options" and base.kind in ("sqlalchemy", "call"):  # Model.query.filter(...).options(joinedload(...)), self._query().options(...)
                for opt in call.args:
                    self._loader_option(opt, select, prefetch)
            elif attr == "select_related" or (attr == "fetch_mode" and "FETCH_PEERS" in ast.unparse(call)):
                # Django 6.1's FETCH_PEERS loads a to-one relation for every row at the first access: no N+1 either
                if not call.args or attr == "fetch_mode":
                    all_select = True
                for a in call.args:
                    select += [a.value] if isinstance(a, ast.Constant) and isinstance(a.value, str) else self._lookups_of(a, scope)
            elif attr == "prefetch_related":
                for a in call.args:
                    if isinstance(a, ast.Constant) and isinstance(a.value, str):
                        prefetch.append(a.value)
                    elif not (isinstance(a, ast.Call) and last_name(a.func) == "Prefetch"):
                        prefetch += self._lookups_of(a, scope)
                    else:
                        lookup = a.args[0] if a.args else _keyword(a, "lookup")
                        if not (isinstance(lookup, ast.Constant) and isinstance(lookup.value, str)):
                            prefetch.append(UNKNOWN_LOOKUP)
                            continue
                        prefetch.append(lookup.value)
                        qs = a.args[1] if len(a.args) > 1 else _keyword(a, "queryset")
                        back = views.related_manager_rows(qs)
                        if back:  # Prefetch("subevent", queryset=event.subevents.all()): each row's `event` is that object
                            prefetch.append(f"{lookup.value}__{back}")
                        to_attr = _keyword(a, "to_attr")
                        if isinstance(to_attr, ast.Constant) and isinstance(to_attr.value, str):
                            prefetch.append(lookup.value.rpartition("__")[0] + ("__" if "__" in lookup.value else "") + to_attr.value)
                        inner_source = self.iter_source(qs, scope) if qs is not None else None
                        if inner_source is not None:
                            select += [f"{lookup.value}__{s}" for s in inner_source.select]
                            prefetch += [f"{lookup.value}__{p}" for p in inner_source.prefetch]
        if (select, prefetch, all_select, custom, only, defer) == (list(base.select), list(base.prefetch), base.all_select, list(base.methods),
                                                                  base.only, list(base.defer)) and base.span == span(node):
            return base
        return IterSource(base.kind, span(node), self.text(node), base.model, base.manager, tuple(select), tuple(prefetch), all_select,
                          base.callee, base.parent_loop, base.parent_path, tuple(custom), only, tuple(defer), base.one_parent or loop_size.one_parent(methods, scope.loop_vars))

    def _lookups_of(self, node: ast.AST, scope: Scope | None = None) -> list[str]:
        """`*PREFETCH_FIELDS` of a module constant of strings: those lookups; anything else (a class constant, a
        helper's list of Prefetch objects): UNKNOWN_LOOKUP, eager loading that no relation finding may contradict."""
        if isinstance(node, ast.Starred):
            node = node.value
        if isinstance(node, ast.Name) and node.id in self.string_tuples:
            return list(self.string_tuples[node.id])
        held = class_attrs.self_attr(node, scope.cls if scope is not None else None)
        if held is not None and held[1:] in self.string_tuples:  # `*self.prefetch_related`: the class's own tuple
            return list(self.string_tuples[held[1:]])
        name = dotted(node) if isinstance(node, (ast.Name, ast.Attribute)) else None
        if isinstance(node, ast.Call) or (name and name.rpartition(".")[2].lstrip("_").isupper()):
            return [UNKNOWN_LOOKUP]
        return []  # a parameter or an instance's setting (`*self.select_related_fields`, None by default): no promise

    def _filtered(self, node: ast.AST, scope: Scope) -> IterSource | None:
        """`qs = self.filter_form.filter_qs(qs)`, DRF's `self.filter_queryset(qs)`, `Model.annotate_x(qs)`: a helper
        that narrows or annotates the rows it is handed returns rows of the same query (model and eager loading)."""
        if isinstance(node, ast.Call) and node.args and _FILTERS.search(last_name(node.func) or ""):
            first = node.args[0]
            if isinstance(first, ast.Name):
                return scope.queries.get(first.id)
            return self.iter_source(first, scope) if isinstance(first, ast.Call) else None
        return None

    @staticmethod
    def _model_name(node: ast.AST, scope: Scope) -> str | None:
        """`Invoice` in `Invoice.objects`, and the model itself in its classmethods (`cls.objects`)."""
        name = dotted(node)
        return scope.cls if name in ("cls", "self.__class__") and scope.cls else name

    def _sqlalchemy_source(self, node: ast.AST, scope: Scope) -> IterSource | None:
        """session.scalars(select(M).options(...)), session.execute(stmt).scalars(), session.query(M)..."""
        if not self._may_be_sqlalchemy(node, scope):
            return None
        model = None
        select: list[str] = []
        prefetch: list[str] = []
        found = False
        for sub in ast.walk(node):
            if isinstance(sub, ast.Name) and sub.id in scope.queries and scope.queries[sub.id].kind == "sqlalchemy":
                q = scope.queries[sub.id]
                model, found = q.model, True
                select += q.select
                prefetch += q.prefetch
            if not isinstance(sub, ast.Call):
                continue
            fname = last_name(sub.func)
            is_query = fname == "query" and isinstance(sub.func, ast.Attribute) and self._is_session(sub.func.value, scope)
            if (fname == "select" or is_query) and len(sub.args) == 1 and _class_like(sub.args[0]):
                model, found = self.expand(dotted(sub.args[0])), True
            elif (fname == "select" or is_query) and len(sub.args) == 1 and (held := self._held_model(sub.args[0], scope)):
                model, found = held, True  # select(self.model): the model a class attribute holds
            elif fname == "options":
                for opt in sub.args:
                    self._loader_option(opt, select, prefetch)
        if not found or model is None:
            return self._built_statement(node, scope)
        return IterSource("sqlalchemy", span(node), self.text(node), model=model, select=tuple(select), prefetch=tuple(prefetch))

    def _built_statement(self, node: ast.AST, scope: Scope) -> IterSource | None:
        """`session.execute(q).scalars().all()` where `q = self._query().filter_by(...)`: the rows of the statement the
        helper builds (the index reads what it returns)."""
        cur = node
        while isinstance(cur, ast.Call) and isinstance(cur.func, ast.Attribute) and cur.func.attr in _ROWS_OF_STATEMENT:
            if cur.func.attr in ("execute", "scalars") and cur.args and isinstance(cur.args[0], ast.Name):
                q = scope.queries.get(cur.args[0].id)
                if q is not None and q.kind == "call" and self._is_session(cur.func.value, scope):
                    return IterSource("call", span(node), self.text(node), q.model, q.manager, q.select, q.prefetch, q.all_select, q.callee,
                                      methods=q.methods)
                return None
            cur = cur.func.value
        return None

    def _may_be_sqlalchemy(self, node: ast.AST, scope: Scope) -> bool:
        """A cheap look along the call chain before walking the whole expression."""
        cur = node
        while True:
            if isinstance(cur, ast.Call):
                name = last_name(cur.func)
                if name in _SQLA_CHAIN:
                    return True
                if cur.args and isinstance(cur.args[0], ast.Name) and cur.args[0].id in scope.queries:
                    return True
                cur = cur.func.value if isinstance(cur.func, ast.Attribute) else (cur.args[0] if cur.args else None)
            elif isinstance(cur, ast.Attribute):
                cur = cur.value
            elif isinstance(cur, ast.Name):
                return cur.id in scope.queries
            else:
                return False

    def _row_api_sink(self, node: ast.Call, scope: Scope, awaited: bool) -> Sink | None:
        """`content_type.get_object_for_this_type(id=...)`: a row API whose name says it queries, on whatever holds it."""
        if type(node.func) is ast.Attribute and node.func.attr in apis.QUERYING_ROW_APIS:
            return self._sink(node, scope, "db", f"ContentType.{node.func.attr}", "django", awaited, "medium")
        return None

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

    @staticmethod
    def _loader_option(opt: ast.AST, select: list[str], prefetch: list[str]) -> None:
        if isinstance(opt, ast.Starred):  # `.options(*self.loader_options())`: loading not spelled out here, no finding may contradict it
            select.append(UNKNOWN_LOOKUP)
            return
        select += sqla_deferred.undeferred(opt)  # undefer(Client.notes): that column is loaded with the rows
        chain: list[tuple[str, str]] = []
        cur = opt
        while isinstance(cur, ast.Call):
            loader = last_name(cur.func) or ""
            arg = cur.args[0] if cur.args else None
            arg = _getattr_name(arg) or arg
            attr = arg.attr if isinstance(arg, ast.Attribute) else arg.value if isinstance(arg, ast.Constant) and isinstance(arg.value, str) else None
            if attr and loader in _PATH_LOADERS:  # load_only(Client.id) in the chain names a column, not a step of the path
                chain.append((loader, attr))
            cur = cur.func.value if isinstance(cur.func, ast.Attribute) else None
        chain.reverse()
        path: list[str] = []
        for loader, attr in chain:
            path.append(attr)
            lookup = "__".join(path)
            if loader in apis.SQLA_LOADERS_JOINED:
                select.append(lookup)
            elif loader in apis.SQLA_LOADERS_SEPARATE:
                prefetch.append(lookup)


_ROWS_OF_STATEMENT = frozenset({"execute", "scalars", "all", "unique", "fetchall"})
_FILTERS = re.compile(r"filter|queryset|annotate|_qs$")


def _same_rows(node: ast.AST) -> ast.AST | None:
    """`[inv for inv in qs if inv.total]` and `[next(f for f in firms if f.id == i) for i in ids]`: a list of some of
    the rows another expression holds; that expression (its model and eager loading are these rows')."""
    if not isinstance(node, (ast.ListComp, ast.GeneratorExp)) or len(node.generators) != 1:
        return None
    gen, elt = node.generators[0], node.elt
    if isinstance(gen.target, ast.Name) and isinstance(elt, ast.Name) and elt.id == gen.target.id and not gen.is_async:
        return gen.iter
    if isinstance(elt, ast.Call) and isinstance(elt.func, ast.Name) and elt.func.id == "next" and elt.args:
        return _same_rows(elt.args[0])  # one of the rows, picked per key
    return None


def _fallback_param(test: ast.AST, scope: Scope) -> str | None:
    """`if queryset is None:` (or `if not queryset:`) of a parameter: what the body assigns is only a default."""
    if isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Is) and isinstance(test.left, ast.Name) \
            and isinstance(test.comparators[0], ast.Constant) and test.comparators[0].value is None:
        name = test.left.id
    elif isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not) and isinstance(test.operand, ast.Name):
        name = test.operand.id
    else:
        return None
    return name if name in scope.roots and name not in ("self", "cls") else None


def _keep_callers_rows(scope: Scope, name: str, kept: tuple) -> None:
    """After `if queryset is None: queryset = Model.objects.all()`, the rows are still whatever the callers pass (the
    default only when they pass none): the default must not stand for them (its missing select_related would be
    reported against callers that load it)."""
    query, binding, rebound = kept
    if query is None:
        scope.queries.pop(name, None)
        scope.bindings.pop(name, None)
    else:
        scope.queries[name] = query
        if binding is not None:
            scope.bindings[name] = binding
    if not rebound:
        scope.rebound_roots.discard(name)


def _getattr_name(node: ast.AST | None) -> ast.Constant | None:
    """`joinedload(getattr(self.model, "creator"))`: the attribute's name, as if written `Model.creator`."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "getattr" and len(node.args) == 2:
        name = node.args[1]
        if isinstance(name, ast.Constant) and isinstance(name.value, str):
            return name
    return None


def _rows_of_a_model(loop: Loop) -> bool:
    """The loop walks rows of an ORM query, whatever its variable is called."""
    return loop.source is not None and loop.source.kind in ("django", "sqlalchemy")


def _memoises(node: ast.If) -> bool:
    """`if key not in cache:` whose body stores `cache[key] = ...`: the body runs once per distinct key. Also
    `if org != last_org or ... or hooks is None:` whose body rebinds `hooks`: once per run of equal keys."""
    test = node.test
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.Or) and any(isinstance(v, ast.Compare) and isinstance(v.ops[0], ast.NotEq) for v in test.values):
        unset = {dotted(v.left) for v in test.values
                 if isinstance(v, ast.Compare) and len(v.ops) == 1 and isinstance(v.ops[0], ast.Is)
                 and isinstance(v.comparators[0], ast.Constant) and v.comparators[0].value is None}
        unset.discard(None)
        if unset and any(isinstance(stmt, ast.Assign) and any(dotted(t) in unset for t in stmt.targets) for stmt in node.body):
            return True
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.NotIn)):
        return False
    container = dotted(test.comparators[0])
    return bool(container) and any(
        isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Subscript) and dotted(t.value) == container for t in stmt.targets)
        for stmt in node.body)


_LAZY_QUERY = frozenset({"filter", "filter_by", "join", "outerjoin", "options", "order_by", "group_by", "having", "with_entities",
                         "select_from", "distinct", "limit", "offset", "correlate", "label"})
_NOT_RUN = frozenset({"subquery", "cte", "scalar_subquery", "as_scalar", "lateral", "alias", "correlate"})


def _fills_missing(node: ast.Call) -> bool:
    """`self._cache.update({...})` whose query asks only for keys `not in self._cache`: a cache filled with what it lacks."""
    cache = dotted(node.func.value)
    if not cache or not cache.startswith("self."):
        return False
    return any(isinstance(n, ast.Compare) and len(n.ops) == 1 and isinstance(n.ops[0], ast.NotIn) and dotted(n.comparators[0]) == cache
               for a in node.args for n in ast.walk(a))


_MAY_BE_SMALL = (ast.Tuple, ast.Attribute, ast.Call, ast.Subscript, ast.Name, ast.ListComp, ast.GeneratorExp)  # not list, set or dict literals: they may grow


def _fills_once(node: ast.If) -> bool:
    """`if not self._cache:` / `if _RATES is None:` / `if not hasattr(self, "_x"):` whose body assigns that same
    attribute or global: the body runs on the first call only (an instance or module cache filled once)."""
    test = node.test
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        test = test.operand
        if isinstance(test, ast.Call) and dotted(test.func) == "hasattr" and len(test.args) == 2 and isinstance(test.args[1], ast.Constant):
            target = f"{dotted(test.args[0])}.{test.args[1].value}"
        else:
            target = dotted(test)
    elif isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], (ast.Is, ast.Eq)) \
            and isinstance(test.comparators[0], ast.Constant) and test.comparators[0].value is None:
        target = dotted(test.left)
    else:
        return False
    if not target or not (target.startswith(("self.", "cls.")) or target.isupper() or target.startswith("_")):
        return False  # a local flag or a parameter is no cache
    return any(isinstance(stmt, (ast.Assign, ast.AnnAssign)) and any(dotted(t) == target for t in (stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]))
               for stmt in ast.walk(node) if isinstance(stmt, ast.stmt))


def _spelled_out(node: ast.AST) -> bool:
    """A module constant whose items are written out in the code (`MODELS = [Invoice, Payment, ...]`, a dict of
    queries by name): as many items as the code lists, however many rows the tables hold."""
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        items = node.elts
    elif isinstance(node, ast.Dict):
        if None in node.keys or not all(isinstance(k, ast.Constant) for k in node.keys):
            return False
        items = node.values
    else:
        return False
    return 0 < len(items) <= MAX_CONSTANT_ITEMS and all(isinstance(e, (ast.Constant, ast.Name, ast.Attribute, ast.Tuple)) for e in items) \
        and not any(isinstance(e, ast.Starred) for e in items)


def _literal_constants(node: ast.AST) -> bool:
    """A module constant spelled out in the code (`TABLES = ("a", "b", ... 40 names)`): its size is fixed and small."""
    return isinstance(node, (ast.Tuple, ast.List, ast.Set)) and len(node.elts) <= MAX_CONSTANT_ITEMS and all(
        isinstance(e, ast.Constant) for e in node.elts)


def _orm_rooted(node: ast.Call, scope: Scope) -> bool:
    """A cheap look before describing an argument as a query: `Model.objects...`, `Model.query...`, `qs.filter(...)`."""
    cur: ast.AST = node
    while type(cur) is ast.Call or type(cur) is ast.Attribute:
        cur = cur.func if type(cur) is ast.Call else cur.value
        if type(cur) is ast.Attribute and cur.attr in ("objects", "query", "_default_manager"):
            return True
    return type(cur) is ast.Name and (cur.id in scope.queries or cur.id in ("list", "sorted", "select"))


def _manager_chain(call: ast.Call) -> bool:
    """Model.objects.<...>(...): a Django queryset expression."""
    cur: ast.AST = call
    while isinstance(cur, ast.Call) and isinstance(cur.func, ast.Attribute):
        cur = cur.func.value
    return isinstance(cur, ast.Attribute) and (cur.attr in ("objects", "_default_manager", "_base_manager") or cur.attr.endswith("objects"))


def _iterates_batches(node: ast.AST) -> bool:
    """range(0, n, size) or batched(rows, size): each iteration handles a chunk, which is the batching fix itself."""
    if not isinstance(node, ast.Call):
        return False
    name = last_name(node.func)
    if name == "range" and len(node.args) == 3:
        step = node.args[2]
        return not (isinstance(step, ast.Constant) and step.value in (1, -1))
    return name in ("batched", "chunked", "chunks", "grouper", "batch", "batches", "paginate", "iter_chunks") or bool(name and _BATCHING.search(name))


# chunk_list(ids, 500), iter_batches(rows), for id_batch in ...: each iteration handles a chunk
_BATCHING = re.compile(r"(^|_)(chunk|chunks|chunked|batch|batches|batched|pages|paginated?)(_|$)", re.I)


_IO_NAMES = frozenset({"open", "read_text", "read_bytes"} | {c.rpartition(".")[2] for c in apis.DB_CONSTRUCTORS})
_KEY = re.compile(
    r"(^|_)(state|uf|estado|currency|country|type|kind|category|operation|cfop|ncm|cst|tax|region|status|branch|city|segment|"
    r"tier|regime|language|locale|channel|unit|uom|year|month|period)s?$", re.I,
)


def _rebound(target: ast.AST) -> set[str]:
    """The names an assignment target rebinds: `a`, `a, (b, *c)`; not the `self` of `self.x` or the `d` of `d[k]`."""
    if isinstance(target, ast.Name):
        return {target.id}
    if isinstance(target, (ast.Tuple, ast.List)):
        return set().union(*(_rebound(e) for e in target.elts)) if target.elts else set()
    if isinstance(target, ast.Starred):
        return _rebound(target.value)
    return set()


def _key_name(node: ast.AST) -> str | None:
    """`t.state`, `row["state"]`, `state`: the name when it says the value is one of few (a state, a tax type)."""
    if isinstance(node, ast.Attribute):
        name = node.attr
    elif isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str):
        name = node.slice.value
    elif isinstance(node, ast.Name):
        name = node.id
    else:
        return None
    return name if _KEY.search(name) else None


def _keyword(call: ast.Call, name: str) -> ast.AST | None:
    for k in call.keywords:
        if k.arg == name:
            return k.value
    return None


def _class_like(node: ast.AST | None) -> bool:
    name = dotted(node) if node is not None else None
    return bool(name and _CAPWORD.match(name.rpartition(".")[2]))


def _is_sqlalchemy_statement(node: ast.AST | None) -> bool:
    cur = node
    while isinstance(cur, ast.Call) and isinstance(cur.func, ast.Attribute):
        cur = cur.func.value
    return isinstance(cur, ast.Call) and last_name(cur.func) in ("select", "update", "delete", "insert", "text")


def _mapped_annotation(node: ast.AST) -> tuple[str | None, bool | None]:
    """Mapped[list["Item"]] -> ("Item", True); Mapped["Client"] -> ("Client", False)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        try:
            node = ast.parse(node.value, mode="eval").body
        except SyntaxError:
            return None, None
    if not (isinstance(node, ast.Subscript) and last_name(node.value) == "Mapped"):
        return None, None
    inner = node.slice
    many = False
    if isinstance(inner, ast.Subscript) and last_name(inner.value) in ("list", "List", "set", "Set", "WriteOnlyMapped", "DynamicMapped"):
        many, inner = True, inner.slice
    if isinstance(inner, ast.Subscript) and last_name(inner.value) == "Optional":
        inner = inner.slice
    if isinstance(inner, ast.BinOp):  # "Client | None"
        inner = inner.left
    if isinstance(inner, ast.Constant) and isinstance(inner.value, str):
        return inner.value, many
    return dotted(inner), many


def _literal_text(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "?" for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mod, ast.Add)):
        return _literal_text(node.left)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return _literal_text(node.func.value)
    return None


_BUILTINS = frozenset(dir(builtins))
_LEAVES = frozenset({ast.Constant, ast.Name, ast.Pass, ast.Break, ast.Continue, ast.alias, ast.Load, ast.Store, ast.Del})
_SKIP_FIELDS = frozenset({"ctx", "op", "ops", "type_comment", "type_ignores", "returns", "type_params"})


class _ChildFields(dict):
    def __missing__(self, cls: type) -> tuple[str, ...]:
        fields = tuple(f for f in cls._fields if f not in _SKIP_FIELDS)
        self[cls] = fields
        return fields


_CHILD_FIELDS = _ChildFields()
_MEMO_DECORATORS = frozenset({"lru_cache", "cache", "cached", "memoize", "memoized", "ttl_cache", "cached_function"})
_PROPERTIES = frozenset({"property", "cached_property", "cachedproperty", "hybrid_property"})
_TAKES_ITEMS = frozenset({"pop", "popleft", "popitem", "next", "get_nowait", "heappop", "dequeue", "shift"})
_SETUP_METHODS = frozenset({"__init__", "__post_init__", "setup", "setUp", "__enter__", "__aenter__", "open", "connect"})
_UNWRAP = frozenset({"list", "sorted", "reversed", "tuple", "iter", "set"})
_EVALUATED = frozenset({"aggregate", "count", "exists", "get", "first", "last", "latest", "earliest", "in_bulk",
                        "get_or_create", "update_or_create", "update", "delete", "create"})
_PATH_LOADERS = apis.SQLA_LOADERS_JOINED | apis.SQLA_LOADERS_SEPARATE | {"defaultload", "lazyload", "noload", "raiseload"}
_SQLA_RUNS = frozenset({"all", "first", "one", "one_or_none", "count", "scalar", "get", "first_or_404", "get_or_404", "paginate"})
_SQLA_BUILDS = frozenset({"filter", "filter_by", "order_by", "join", "outerjoin", "options", "limit", "offset", "group_by", "distinct",
                          "with_entities", "where"})
_ONE_ROW = frozenset({"get", "first", "last", "latest", "earliest", "one", "one_or_none", "first_or_404", "get_or_404"})
_SQLA_CHAIN = frozenset({"select", "query", "scalars", "options", "execute", "where", "filter", "filter_by", "order_by", "unique"})


def _is_builtin(name: str) -> bool:
    return "." not in name and name in _BUILTINS


def extract(path: str, source: str, tree: ast.Module, root: str | None = None) -> ModuleFacts:
    from .patterns import PatternFinder

    extractor = Extractor(path, source, root)
    facts = extractor.run(tree)
    extractor._dispatch.clear()  # its bound methods point back at it: freed by reference counting, not by the collector
    try:
        facts.hits = PatternFinder(facts, extractor.lines).run(tree)
    except Exception:  # a bug of ours in these rules must not cost the file's N+1 facts
        logging.getLogger("performance_optimizer").exception("the scan_performance rules failed on %s", path)
    return facts


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

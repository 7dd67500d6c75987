"""One pass over a module's `ast` that records its facts: imports, functions, loops, queries, calls,
ORM model fields, querysets and the relation accesses made on loop variables.

The stdlib parser is C and includes positions; libcst is kept for rewrites (see DESIGN.md for the
measured speeds). The walker dispatches on node type by hand rather than through NodeVisitor because it
visits every node of large trees.

The walk is one class, `Extractor`, composed of one mixin per concept; this module keeps its state, its entry
and the dispatch. See the README's architecture section for where each concept lives.
"""

from __future__ import annotations

import ast
import logging
from typing import Callable

from . import admin, callables, class_attrs, installed_apps, lookup_lists, loop_size, module_words, name_refs, prefetches, save_signals, schedules, unused, unused_modules
from .bindings import Bindings
from .calls import Calls
from .definitions import Definitions
from .facts import Call, Function, ModuleFacts, Sink, Span
from .flow import Flow, leaves_without
from .loops import TENANT_WORDS, Loops, literal_constants, spelled_out
from .names import Names, module_name, package_of
from .nodes import overwritten_call
from .eager_vetoes import eager_vetoes
from .pattern_money import whole_amount
from .patterns import PatternFinder
from .queries import Queries
from .querysets import Querysets
from .reader import SUPPRESS, ModuleReader, Scope, LoopState
from .reads import Reads
from .walk import CHILD_FIELDS, LEAVES


class Extractor(Names, Definitions, Flow, Bindings, Reads, Loops, Calls, Queries, Querysets, ModuleReader):
    def __init__(self, path: str, source: str, root: str | None = None):
        self.path = path
        self.root = root  # to tell the project's own imports from libraries'; None records every call
        self.lines = source.splitlines()
        self.source = source
        self.tenanted = any(w in source for w in TENANT_WORDS)  # only such modules' loops are read for a tenant switch
        module, is_package = module_name(path)
        self.package = package_of(module, is_package)
        self.facts = ModuleFacts(path=path, module=module, lines=len(self.lines))
        self.module_fn = Function("<module>", Span(1, 1, max(1, len(self.lines)), 1), False, None)
        self.facts.functions["<module>"] = self.module_fn
        self.module_scope = Scope(self.module_fn, None, None)
        self.small_constants: set[str] = set()
        self.class_constants: dict[str, dict[str, str]] = {}  # class -> {"self.attr": why}: literal collections in its body (loop_size)
        self.function_constants: dict[str, str] = {}  # "name()" -> why: the module's functions returning a few items' literal
        self.class_nodes: dict[str, ast.ClassDef] = {}  # class -> its statement: what its methods store (flow._fills_through_method)
        self.class_actions: dict[str, frozenset[str]] = {}  # class -> the method names it registers as actions (selections.py)
        self._dispatching: tuple[int, ...] | None = None  # lines calling `getattr(self, <built name>)` (unused.dispatch_lines)
        self.string_tuples: dict[str, tuple[str, ...]] = {}  # module constants of strings (PREFETCH = ("lines", "client"))
        self.prefetch_attrs: dict[str, ast.Call] = {}  # "<class>.<attr>" -> the Prefetch(...) a class body assigns it
        self._next_loop = 0
        self.module_tree: ast.Module | None = None
        self._module_functions: dict | None = None  # its top-level functions by name, on first need (handled_rows.py)
        self._binding = 0
        self._inner_attrs: set[int] = set()
        self._consumed: set[int] = set()
        self._combined_calls: set[int] = set()  # calls whose result `|` or `&` combines into a queryset (bindings.py)
        self._call_funcs: dict[int, ast.Call] = {}  # a call's `func` node -> the call (reads.py: what a relation's filter reads)
        self._requeried: dict[int, str] = {}  # `row.items.all` in `row.items.all().select_related(...)` -> the method that queries anew (calls.py)
        self._passed_lazy: set[int] = set()  # `row.items.all` in `job(row.items.all())`: a queryset handed on, not evaluated (calls.py)
        self._named_prefetches: dict[str, tuple[str, ...]] = {}  # module-level Prefetch objects by name (querysets.py)
        self._module_lists: set[str] = set()  # names the module binds to a list or tuple at its top: lookup lists, maybe
        self._rendered: dict[int, str] = {}  # `row.client` in `f"{row.client}"` or `str(row.client)`: printed through its __str__ (or __repr__) (reads.py)
        self._awaited: set[int] = set()
        self._discarded: set[int] = set()  # calls whose value their statement drops (`sgm.get_nodes(sgm)`)
        self._loop_states: list[LoopState] = []
        self._first_only: set[int] = set()  # generator expressions `next()` takes the first item of (loops.py)
        self._fill_elifs: dict[int, str] = {}  # `elif not x and ...:` after `if not x and ...:`, both filling x (flow.py)
        self._atomic_loops: list[int] = []  # per enclosing `with transaction.atomic()` in a loop: that loop's id
        self._switched = 0  # enclosing `with col.set_current():` blocks that switch state to the loop's item (bindings._with)
        self._txn_locks: list[tuple[Function, Sink]] = []  # locking queries in a loop's per-iteration transaction (queries.py)
        self._dispatch: dict[type, Callable[[ast.AST, Scope], None]] = {
            ast.Import: self._import, ast.ImportFrom: self._import_from, ast.If: self._if,
            ast.FunctionDef: self._function, ast.AsyncFunctionDef: self._function, ast.ClassDef: self._class,
            ast.For: self._for, ast.AsyncFor: self._for, ast.While: self._while,
            ast.ListComp: self._comprehension, ast.SetComp: self._comprehension, ast.GeneratorExp: self._comprehension,
            ast.DictComp: self._comprehension, ast.Await: self._await, ast.Call: self._call,
            ast.Assign: self._assign, ast.AnnAssign: self._assign, ast.AugAssign: self._augassign,
            ast.With: self._with, ast.AsyncWith: self._with, ast.Attribute: self._attribute, ast.Return: self._return, ast.Raise: self._return,
            ast.Lambda: self._lambda, ast.ExceptHandler: self._except, ast.FormattedValue: self._formatted,
            ast.NamedExpr: self._named_expr, ast.IfExp: self._ifexp, ast.Try: self._try,
            ast.Yield: self._yield, ast.YieldFrom: self._yield, ast.Expr: self._expr, ast.BoolOp: self._boolop,
        }
        self._guarded = 0
        self._recovering = 0  # failure handlers around the node (recovery.py)
        self._flags: list[str | None] = []  # per enclosing `if`: the parameter it tests, when it is a bare parameter
        self._deferred = 0
        self._composed = 0  # depth inside Subquery(...)/Exists(...) (calls.py)
        self._run_args: dict[int, str] = {}  # the call `asyncio.run(...)` in synchronous code is given: its runner (calls.py)
        self._consumed_lambdas: set[int] = set()
        self._callbacks: set[int] = set()  # lambdas handed to an event's registration: run on the event (calls.py)
        self._in_callback = 0
        # calls in loops whose arguments are classified once the outermost loop is left: by then every loop
        # knows all the names its body binds, including those bound after the call
        self._pending_keys: list[tuple[Sink | Call, list[ast.Call], list[LoopState]]] = []
        self._outer: dict[int, ast.Call] = {}  # a call in a loop -> the call chained on it
        self._as_args: set[int] = set()  # calls written as another call's argument (calls.py: Call.handed)
        self._assigned: set[int] = set()  # calls in a loop whose value is assigned to a name (kept for later)

    # -- entry -------------------------------------------------------------------------------------------
    def run(self, tree: ast.Module) -> ModuleFacts:
        self.module_tree = tree
        self._named_prefetches = self.facts.named_prefetches = lookup_lists.module_prefetches(tree)
        self._suppressions()
        for stmt in tree.body:  # names bound to short literal collections at module level
            if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.value is not None and spelled_out(stmt.value):
                self.small_constants.add(stmt.target.id)
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
                if type(stmt.value) in (ast.List, ast.Tuple, ast.BinOp):
                    self._module_lists.add(stmt.targets[0].id)
                if self._is_small_literal(stmt.value) or literal_constants(stmt.value) or spelled_out(stmt.value):
                    self.small_constants.add(stmt.targets[0].id)
            name, value = class_attrs.named_value(stmt)
            if name and isinstance(value, (ast.Tuple, ast.List)) and value.elts and all(isinstance(e, ast.Constant) and isinstance(e.value, str) for e in value.elts):
                self.string_tuples[name] = tuple(e.value for e in value.elts)
            if type(stmt) is ast.FunctionDef and (returned := loop_size.literal_returns(stmt, "")):
                self.function_constants[f"{stmt.name}()"] = returned
            self._module_instance(stmt)
            callables.note_table(stmt, "", self)
        self._body(tree.body, self.module_scope)
        dicts = None  # (the module's dict literals, read once a list may pick from them)
        for stmt in tree.body:  # after the walk: the imports its references name are known
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name) \
                    and isinstance(stmt.value, (ast.List, ast.Tuple, ast.BinOp, ast.ListComp)):
                if dicts is None and any(type(n) is ast.Subscript for n in ast.walk(stmt.value)):
                    dicts = lookup_lists.module_dicts(tree)
                found = lookup_lists.parts(stmt.value, self.expand, dicts)
                if found is not None:
                    self.facts.lookup_lists[stmt.targets[0].id] = found
            admin.note_registration(stmt, self)
        top = [n for n in tree.body if type(n) in (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)]
        (self.facts.words, self.facts.called_here, self.facts.plain_classes, self.facts.lone_methods,
         self.facts.recursive) = module_words.words(
            self.lines, top, tree.body)
        attributes: set[str] = set()
        self.facts.refs = name_refs.refs(tree, frozenset(self.facts.imports), name_refs.is_migration(self.facts), attributes)
        self.facts.own_names_as_attributes = frozenset(attributes.intersection(q for q in self.facts.functions if "." not in q))
        if "INSTALLED_APPS" in self.source:
            self.facts.installed_apps = installed_apps.installed(tree.body)
        self.facts.quoted, self.facts.dynamic, self.facts.main_guard = unused_modules.module_refs(self.source)
        if self.facts.main_guard:
            self.facts.main_block = unused_modules.main_block(tree)
            self.facts.serves = unused_modules.serves(tree, self.facts.main_block)
        self.facts.rare_jobs = schedules.rare_jobs(self.facts, tree, self.source)
        self.facts.deprecated = bool(unused.DEPRECATED.search(ast.get_docstring(tree, clean=False) or ""))
        self.facts.generated = unused.generated_by(self.lines)
        if "_related" in self.source or "load(" in self.source:
            self.facts.eager_vetoes = eager_vetoes(self.lines)
        self.facts.whole_amounts = frozenset(name for name, value in map(class_attrs.named_value, tree.body) if name and whole_amount(value))
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
            m = SUPPRESS.search(line)
            if m:
                codes = m.group(1) or m.group(2)
                self.facts.suppressions[i] = frozenset(c.strip() for c in codes.split(",") if c.strip()) if codes else None

    # -- walking -----------------------------------------------------------------------------------------
    def _yield(self, node: ast.Yield | ast.YieldFrom, scope: Scope) -> None:
        """Whether every `yield` of the function sits in a loop over batches (its innermost loop's `pagination`)."""
        batched = bool(scope.loop_stack) and scope.fn.loops[scope.loop_stack[-1]].pagination and type(node) is ast.Yield
        scope.fn.yields_batches = batched if scope.fn.yields_batches is None else scope.fn.yields_batches and batched
        # one `yield` outside any loop: a session or connection handed out once (`async for session in get_db_session()`)
        scope.fn.yields_once = scope.fn.yields_once is None and not scope.loop_stack and type(node) is ast.Yield
        self._children(node, scope)

    def _expr(self, node: ast.Expr, scope: Scope) -> None:
        if type(node.value) is ast.Call:
            self._discarded.add(id(node.value))
        self.visit(node.value, scope)

    def visit(self, node: ast.AST, scope: Scope) -> None:
        handler = self._dispatch.get(type(node))
        if handler is not None:
            handler(node, scope)
        else:
            self._children(node, scope)

    def _children(self, node: ast.AST, scope: Scope) -> None:
        # ast.iter_child_nodes is a Python generator over every field; this walks only fields that can hold
        # nodes, and skips leaves, which halves the cost of the walk on large trees
        for name in CHILD_FIELDS[type(node)]:
            value = getattr(node, name)
            if type(value) is list:
                for child in value:
                    if isinstance(child, ast.AST) and type(child) not in LEAVES:
                        self.visit(child, scope)
            elif isinstance(value, ast.AST) and type(value) not in LEAVES:
                self.visit(value, scope)

    def _body(self, stmts: list[ast.stmt], scope: Scope, once_from: int | None = None) -> None:
        """`once_from`: the index of a loop body's statements that run at most once per run of the loop (loops.py)."""
        depth = len(self._flags)
        saved = scope.loop_stack
        # (what follows a `return` in its block is gone from the tree: unreachable.py)
        for i, stmt in enumerate(stmts):
            if i == once_from:
                scope.loop_stack = saved[:-1]
            if i + 1 < len(stmts) and (dropped := overwritten_call(stmt, stmts[i + 1])) is not None:
                self._discarded.add(id(dropped))  # `x = f()` bound again by the next statement before any read of `x`
            self.visit(stmt, scope)
            guard = leaves_without(stmt, scope)
            if guard:  # `if not user: return False`: the rest of the block runs only for a caller passing `user`
                self._flags.append(guard)
        del self._flags[depth:]
        scope.loop_stack = saved


def extract(path: str, source: str, tree: ast.Module, root: str | None = None) -> ModuleFacts:
    extractor = Extractor(path, source, root)
    facts = extractor.run(tree)
    extractor._dispatch.clear()  # its bound methods point back at it: freed by reference counting, not by the collector
    facts.save_senders = save_signals.senders(source, tree)
    facts.prefetched = prefetches.lookups(source, tree)
    try:
        facts.hits = PatternFinder(facts, extractor.lines).run(tree)
    except Exception:  # a bug of ours in these rules must not cost the file's N+1 facts
        logging.getLogger("performance_optimizer").exception("the scan_performance rules failed on %s", path)
    return facts

"""The scan_performance rules that one module shows on its own: per-row writes and commits, whole-dataset
loads, resource leaks, SQL built by formatting, money as float, blocking work in coroutines, repeated work in
loops. One walk over the module's `ast`, after the extractor (whose sinks it reuses); the results are `Hit`s
stored in the module's facts, so they are computed in the worker processes and cached with the facts.

Rules that need other modules (a per-row lookup through a helper, a connection opened per item by a helper,
a coroutine calling sync code that queries) live in cross.py and work on the project index.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

from . import apis, loop_size, row_writes
from .extract import _CHILD_FIELDS, _LEAVES, ModuleReader, _iterates_batches, dotted, last_name, span
from .facts import Hit, ModuleFacts, Sink, Span
from .words import is_identifier_name, is_money, is_placeholder_name

_SQL_START = re.compile(r"^\s*(select|insert|update|delete|with|replace|merge|upsert)\b", re.I)
_BOUNDED = re.compile(r"\blimit\s+(\d+|\?|%s|:\w+|\$\d+)|\bfetch\s+(first|next)\b|\btop\s*\(?\d|^\s*select\s+(count|sum|avg|min|max)\s*\([^)]*\)\s*(,\s*(count|sum|avg|min|max)\s*\([^)]*\)\s*)*from\b(?!.*\bgroup\s+by\b)", re.I | re.S)
_KEYED = re.compile(r"\bwhere\b.*[\w\"'`\]]\s*(=|\bin\b|\blike\b)\s*\(?\s*(\?|%s|%\(\w+\)s|:\w+|\$\d+)", re.I | re.S)
_WHERE = re.compile(r"\bwhere\b", re.I)
_CATALOG = re.compile(r"\b(sqlite_master|sqlite_schema|information_schema|pg_catalog|pg_class|pg_index|pg_attribute|pg_constraint|"
                      r"user_tables|user_tab_cols|user_constraints|user_indexes|all_tables|all_constraints|pragma)\b", re.I)
_FORMS = re.compile(r"form|serializer", re.I)
_SAVEPOINTS = frozenset({"begin_nested", "atomic", "savepoint"})
_MONEY_TYPES = re.compile(r"DecimalField|MoneyField|\bNumeric\b|\bDECIMAL\b|\bNUMERIC\b|\bcondecimal\b|\bDecimal\b")
_PLACEHOLDER = re.compile(r"^[\s(),]*(\?|%s|:\w+|\$\d+|%\(\w+\)s)[\s(),]*$")

SQL_EXEC = frozenset({"execute", "executemany", "executescript", "mogrify", "raw", "fetch", "fetchrow", "fetchval", "read_sql", "read_sql_query",
                      "query"})  # `query` only counts with SQL text: session.query(Model) never builds a string
DB_CLOSE = frozenset({"close", "release", "aclose", "dispose", "terminate", "shutdown"})
MUTATORS = frozenset({"append", "extend", "insert", "remove", "pop", "clear", "sort", "reverse", "add", "discard", "update", "setdefault", "popitem", "__setitem__"})
ORDERED_AWAITS = frozenset({
    "sleep", "send", "sendall", "write", "drain", "put", "acquire", "wait", "join", "release", "close", "commit", "rollback",
    "flush", "send_message", "ack", "nack", "lock", "wait_for", "receive", "recv", "read", "readline", "get_nowait",
    # log and progress notifications (`await ctx.info(...)`, `await ctx.report_progress(...)`): their order is their meaning
    "debug", "info", "warning", "warn", "error", "exception", "critical", "log", "report_progress", "progress", "emit", "publish",
})
# a loop that publishes its progress commits each step on purpose, so that what is reported done is done
_PROGRESS = re.compile(r"progress|update_state|set_status|report_status|^(info|log|debug|warning|print|echo|write|emit|publish)$", re.I)
BLOCKING_CALLS = {
    "time.sleep": "`time.sleep` blocks the event loop; use `await asyncio.sleep(...)`",
    "subprocess.run": "`subprocess.run` blocks the event loop; use `asyncio.create_subprocess_exec`",
    "subprocess.call": "`subprocess.call` blocks the event loop; use `asyncio.create_subprocess_exec`",
    "subprocess.check_call": "`subprocess.check_call` blocks the event loop; use `asyncio.create_subprocess_exec`",
    "subprocess.check_output": "`subprocess.check_output` blocks the event loop; use `asyncio.create_subprocess_exec`",
    "os.system": "`os.system` blocks the event loop; use `asyncio.create_subprocess_shell`",
    "urllib.request.urlopen": "`urlopen` blocks the event loop; use an async HTTP client (httpx.AsyncClient, aiohttp)",
    "sqlite3.connect": "`sqlite3` is a synchronous driver: every query blocks the event loop; use aiosqlite or `asyncio.to_thread`",
    "psycopg2.connect": "`psycopg2` is a synchronous driver; use `psycopg.AsyncConnection` or asyncpg",
    "psycopg.connect": "`psycopg.connect` opens a synchronous connection; use `await psycopg.AsyncConnection.connect(...)`",
    "pymysql.connect": "`pymysql` is a synchronous driver; use aiomysql or `asyncio.to_thread`",
    "open": "`open()` and its reads block the event loop on slow disks; use `asyncio.to_thread` (or aiofiles) for large files",
}
# Constructors of resources that must be closed: (kind, what closes them).
RESOURCES = {
    "open": "file", "io.open": "file", "codecs.open": "file", "gzip.open": "file", "bz2.open": "file", "lzma.open": "file",
    "tarfile.open": "file", "zipfile.ZipFile": "file",
    "sqlite3.connect": "connection", "psycopg.connect": "connection", "psycopg2.connect": "connection", "pymysql.connect": "connection",
    "MySQLdb.connect": "connection", "mysql.connector.connect": "connection", "asyncpg.connect": "connection", "aiosqlite.connect": "connection",
    "psycopg.AsyncConnection.connect": "connection", "psycopg.Connection.connect": "connection",
    "requests.Session": "HTTP session", "requests.session": "HTTP session", "httpx.Client": "HTTP client", "httpx.AsyncClient": "HTTP client",
    "aiohttp.ClientSession": "HTTP session", "socket.socket": "socket", "socket.create_connection": "socket",
}
# `with` on these commits or rolls back but does not close (sqlite3, psycopg2): the connection stays open.
WITH_DOES_NOT_CLOSE = frozenset({"sqlite3.connect", "psycopg2.connect"})
ESCAPE_CALLS = frozenset({"closing", "enter_context", "enter_async_context", "push", "callback", "register", "finalize", "append", "add", "setdefault", "put"})
HOIST_CALLS = {
    "re.compile": "compiles the same pattern",
    "json.loads": "parses the same JSON",
    "json.load": "parses the same JSON",
    "datetime.strptime": "parses the same date",
    "datetime.datetime.strptime": "parses the same date",
    "datetime.date.fromisoformat": "parses the same date",
    "datetime.datetime.fromisoformat": "parses the same date",
    "sorted": "sorts the same collection",
    "copy.deepcopy": "copies the same collection",
    "copy.copy": "copies the same collection",
}


@dataclass
class LoopInfo:
    node: ast.AST
    kind: str  # for | async for | while | comprehension
    per_item: bool  # runs once per item of a collection (not a literal list, a batch loop or a retry loop)
    header: str
    parts: list[ast.AST]  # what runs per iteration: the body, or a comprehension's element and conditions
    targets: list[ast.AST]
    conditional: int = 0  # depth of `if` statements between the loop and the current node
    size: str = "unknown"  # loop_size class
    size_why: str = ""
    source: object = None  # the extractor's IterSource, when it knows what the loop walks
    _names: tuple[set[str], set[str]] | None = None

    @property
    def bound(self) -> set[str]:
        """Names the loop binds or rebinds: what may differ between iterations (walked when first asked)."""
        return self._walk()[0]

    @property
    def mutated(self) -> set[str]:
        """Names whose object the loop changes (append, sort, x[k] = ...)."""
        return self._walk()[1]

    def _walk(self) -> tuple[set[str], set[str]]:
        if self._names is None:
            bound: set[str] = set()
            mutated: set[str] = set()
            for t in self.targets:
                bound |= {n.id for n in ast.walk(t) if isinstance(n, ast.Name)}
            for stmt in self.parts:
                for n in ast.walk(stmt):
                    if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load):
                        bound.add(n.id)
                    elif isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr in MUTATORS and isinstance(n.func.value, ast.Name):
                        mutated.add(n.func.value.id)
                    elif isinstance(n, (ast.Subscript, ast.Attribute)) and isinstance(n.ctx, (ast.Store, ast.Del)) and isinstance(n.value, ast.Name):
                        mutated.add(n.value.id)
                    elif isinstance(n, ast.AugAssign) and isinstance(n.target, ast.Name):
                        mutated.add(n.target.id)
            self._names = (bound, mutated)
        return self._names


@dataclass
class FnState:
    node: ast.AST | None
    is_async: bool
    params: set[str] = field(default_factory=set)
    sql_text: dict[str, str] = field(default_factory=dict)  # name -> literal SQL assigned to it
    formatted: dict[str, tuple[Span, list[str]]] = field(default_factory=dict)  # name -> where SQL was formatted, dynamic parts
    safe: set[str] = field(default_factory=set)  # names holding placeholders or constant-only text
    decimals: set[str] = field(default_factory=set)
    last_sql: dict[str, str] = field(default_factory=dict)  # cursor name -> the SQL it last executed
    rows: dict[str, tuple[Span, str | None, str]] = field(default_factory=dict)  # name -> fetchall() site
    file_text: dict[str, Span] = field(default_factory=dict)  # name -> f.read() site
    file_lines: dict[str, ast.Call] = field(default_factory=dict)  # name -> f.readlines() / f.read().splitlines()
    json_data: dict[str, Span] = field(default_factory=dict)
    resources: dict[str, tuple[str, str, Span, str, bool]] = field(default_factory=dict)  # name -> (ctor, kind, where, text, with_no_close)
    closes: dict[str, list[tuple[bool, int]]] = field(default_factory=dict)  # name -> [(in finally or except?, line)]
    managed: set[str] = field(default_factory=set)
    escaped: set[str] = field(default_factory=set)


class PatternFinder(ModuleReader):
    def __init__(self, facts: ModuleFacts, lines: list[str]):
        self.facts = facts
        self.lines = lines
        self.hits: list[Hit] = []
        self.sinks: dict[tuple[int, int], Sink] = {(s.span.line, s.span.col): s for fn in facts.functions.values() for s in fn.sinks}
        self.uses_decimal = any(v == "decimal" or v.startswith("decimal.") for v in facts.imports.values())
        self._money_module: bool | None = None
        self.reported: set[tuple[str, int, int]] = set()
        self.module_sql: dict[str, str] = {}  # module constants holding SQL (INSERT = "INSERT INTO ...")
        self.loops_at = {(lp.span.line, lp.span.col): lp for f in facts.functions.values() for lp in f.loops.values()}
        self.savepoints = 0  # depth of `with session.begin_nested():` / `transaction.atomic()` inside a loop
        self.loosely_sized: dict[Span, str] = {}  # loops over the related rows of one object -> why
        self.harmless: set[int] = set()  # float() calls whose float loses nothing (a sign or zero test), copies made to be changed
        self.classes: list[str] = []  # the class statements around the current node, innermost last
        self.overridden_saves: set[str] = set()  # classes of this module that define their own save()
        self.commit_loops: set[int] = set()  # outermost loops that already have a PF202 finding
        self.other_branches: list[list[ast.stmt]] = []  # the other branch of each `if ... else` around the current node
        self.low_groups: dict[tuple, list] = {}  # (rule, function, reason) -> [its first low Hit, how many more like it]

    # -- plumbing ------------------------------------------------------------------------------------------
    def hit(self, rule: str, node: ast.AST, message: str, confidence: str, evidence=(), suggestion: str = "", severity: str | None = None) -> None:
        key = (rule, node.lineno, node.col_offset)
        if key not in self.reported:
            self.reported.add(key)
            why = next((self.loosely_sized[e[2]] for e in evidence if e[0] == "loop" and e[2] in self.loosely_sized), None)
            if why and severity is None:  # as the N+1 rules do (n_plus_one.sized): a handful of related rows is worth less than a table
                severity = loop_size.LOOSE_SEVERITY
                message += loop_size.loosely_sized(why)
            self.hits.append(Hit(rule, span(node), message, confidence, self.text(node), tuple(evidence), suggestion, severity))

    def money(self, name: str) -> bool:
        """A name that says money, in a module whose types say money too (Decimal, DecimalField, Numeric): a name
        alone (`total_submissions`, an LLM's `cost_usd`) is a guess, and a guess is not a finding."""
        if not is_money(name):
            return False
        if self._money_module is None:
            self._money_module = self.uses_decimal or any(_MONEY_TYPES.search(line) for line in self.lines)
        return self._money_module

    def loop_evidence(self, loop: LoopInfo) -> tuple[str, str, Span]:
        where = span(loop.node)
        if loop.size == loop_size.UNKNOWN and loop.size_why:
            self.loosely_sized[where] = loop.size_why
        return ("loop", f"{loop.kind} loop ({loop_size.describe(loop.size, loop.size_why)}): {loop.header}", where)

    def run(self, tree: ast.Module) -> list[Hit]:
        self.overridden_saves = {n.name for n in tree.body if type(n) is ast.ClassDef  # models are module-level classes
                                 and any(type(s) is ast.FunctionDef and s.name == "save" for s in n.body)}
        self.body(tree.body, None, ())
        for first, more in self.low_groups.values():
            if more:
                first.message += f" ({more} more like it in this function, one fix)"
        return self.hits

    def body(self, stmts: list[ast.stmt], fn: FnState | None, loops: tuple[LoopInfo, ...]) -> None:
        for stmt in stmts:
            self.visit(stmt, fn, loops)

    def children(self, node: ast.AST, fn: FnState | None, loops: tuple[LoopInfo, ...]) -> None:
        for name in _CHILD_FIELDS[type(node)]:
            value = getattr(node, name)
            if type(value) is list:
                for child in value:
                    if isinstance(child, ast.AST) and type(child) not in _LEAVES:
                        self.visit(child, fn, loops)
            elif isinstance(value, ast.AST) and type(value) not in _LEAVES:
                self.visit(value, fn, loops)

    def visit(self, node: ast.AST, fn: FnState | None, loops: tuple[LoopInfo, ...]) -> None:
        # dispatch by exact type, as the extractor does: this walk visits every node of large trees
        t = type(node)
        if t is ast.Attribute:
            value = node.value
            if type(value) not in _LEAVES:
                self.visit(value, fn, loops)
            return
        handler = _DISPATCH.get(t)
        if handler is None:
            self.children(node, fn, loops)
        else:
            handler(self, node, fn, loops)

    def _call_node(self, node: ast.Call, fn: FnState | None, loops: tuple[LoopInfo, ...]) -> None:
        self.call(node, fn, loops)
        self.children(node, fn, loops)

    def _lambda(self, node: ast.Lambda, fn: FnState | None, loops: tuple[LoopInfo, ...]) -> None:
        self.visit(node.body, FnState(node, False), ())  # runs when called, not per iteration here

    def _while(self, node: ast.While, fn: FnState | None, loops: tuple[LoopInfo, ...]) -> None:
        self.visit(node.test, fn, loops)
        inner = (*loops, self.loop_info(node, "while", None, node.body))
        self.body(node.body, fn, inner)
        self.body(node.orelse, fn, loops)

    def _if(self, node: ast.If, fn: FnState | None, loops: tuple[LoopInfo, ...]) -> None:
        self.visit(node.test, fn, loops)
        if loops:
            loops[-1].conditional += 1
        branches = not loops and node.orelse  # (the other branch is read only when a write per row is found: see django_write)
        if branches:
            self.other_branches.append(node.orelse)
        self.body(node.body, fn, loops)
        if branches:
            self.other_branches[-1] = node.body
        self.body(node.orelse, fn, loops)
        if branches:
            self.other_branches.pop()
        if loops:
            loops[-1].conditional -= 1

    def _return(self, node: ast.Return | ast.Yield | ast.YieldFrom, fn: FnState | None, loops: tuple[LoopInfo, ...]) -> None:
        if fn is not None and node.value is not None:
            fn.escaped |= _handed_out(node.value)
        self.children(node, fn, loops)

    def _binop(self, node: ast.BinOp, fn: FnState | None, loops: tuple[LoopInfo, ...]) -> None:
        self.binop(node, fn)
        self.children(node, fn, loops)

    def _compare(self, node: ast.Compare, fn: FnState | None, loops: tuple[LoopInfo, ...]) -> None:
        if any(isinstance(c, ast.Constant) and c.value == 0 for c in (node.left, *node.comparators)):
            self.harmless.update(id(c) for c in (node.left, *node.comparators) if isinstance(c, ast.Call))  # float(x) > 0
        self.children(node, fn, loops)

    def _global(self, node: ast.Global | ast.Nonlocal, fn: FnState | None, loops: tuple[LoopInfo, ...]) -> None:
        if fn is not None:
            fn.escaped.update(node.names)

    # -- scopes ----------------------------------------------------------------------------------------------
    def function(self, node: ast.FunctionDef | ast.AsyncFunctionDef, outer: FnState | None, loops=()) -> None:
        for d in node.decorator_list:
            self.visit(d, outer, ())
        fn = FnState(node, isinstance(node, ast.AsyncFunctionDef))
        args = (*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs)
        fn.params = {a.arg for a in args}
        for a in args:
            if a.annotation is not None and _is_float_annotation(a.annotation) and self.money(a.arg):
                self.hit("PF701", a, f"parameter `{a.arg}` holds money but is typed `float`", "medium")
        for default in (*node.args.defaults, *(d for d in node.args.kw_defaults if d is not None)):
            self.visit(default, outer, ())
        self.body(node.body, fn, ())
        self.leaks(fn)

    def class_def(self, node: ast.ClassDef, fn: FnState | None, loops: tuple[LoopInfo, ...]) -> None:
        for stmt in node.body:
            target = value = annotation = None
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
                target, value = stmt.targets[0].id, stmt.value
            elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                target, value, annotation = stmt.target.id, stmt.value, stmt.annotation
            if target is None or not self.money(target):
                continue
            kind = _float_column(value) if isinstance(value, ast.Call) else None
            if kind is None and annotation is not None and _is_float_annotation(annotation):
                kind = "a `float` annotation"
            if kind:
                self.hit("PF701", stmt, f"`{target}` stores money as {kind}", "high" if "Field" in kind or "Float" in kind else "medium")
        for d in node.decorator_list:
            self.visit(d, fn, loops)
        self.classes.append(node.name)
        self.body(node.body, None if fn is None else FnState(None, False), ())
        self.classes.pop()

    # -- loops -----------------------------------------------------------------------------------------------
    def loop_info(self, node: ast.AST, kind: str, iter_node: ast.AST | None, body: list[ast.AST], targets: list[ast.AST] = ()) -> LoopInfo:
        known = self.loops_at.get((node.lineno, node.col_offset + 1))  # the extractor's loop: its size knows the rows' source
        size, why = (known.size, known.size_why) if known is not None else loop_size.classify(iter_node, body if kind == "for" else (), target=targets[0].id if targets and isinstance(targets[0], ast.Name) else None)
        per_item = kind != "while" and iter_node is not None and size != loop_size.SMALL and not _iterates_batches(iter_node)
        return LoopInfo(node, kind, per_item, self.text(node), body, list(targets), size=size, size_why=why,
                        source=known.source if known is not None else None)

    def for_loop(self, node: ast.For | ast.AsyncFor, fn: FnState | None, loops: tuple[LoopInfo, ...]) -> None:
        self.visit(node.iter, fn, loops)
        kind = "async for" if isinstance(node, ast.AsyncFor) else "for"
        loop = self.loop_info(node, kind, node.iter, node.body, [node.target])
        if fn is not None:
            self.iterated(node.iter, fn, loop)
        self.body(node.body, fn, (*loops, loop))
        if fn is not None and isinstance(node, ast.For) and fn.is_async and loop.per_item:
            self.sequential_awaits(node, loop)
        self.body(node.orelse, fn, loops)

    def comprehension(self, node: ast.AST, fn: FnState | None, loops: tuple[LoopInfo, ...]) -> None:
        first = node.generators[0]
        self.visit(first.iter, fn, loops)
        parts = [node.key, node.value] if isinstance(node, ast.DictComp) else [node.elt]
        parts += [c for g in node.generators for c in g.ifs] + [g.iter for g in node.generators[1:]]
        loop = self.loop_info(node, "comprehension", first.iter, parts, [g.target for g in node.generators])
        if fn is not None:
            self.iterated(first.iter, fn, loop)
        inner = (*loops, loop)
        for part in parts:
            self.visit(part, fn, inner)

    @staticmethod
    def current(loops: tuple[LoopInfo, ...]) -> LoopInfo | None:
        """The innermost loop, when it repeats per item of a collection."""
        return loops[-1] if loops and loops[-1].per_item else None

    def bound_in(self, node: ast.AST, loops: tuple[LoopInfo, ...]) -> bool:
        bound = set().union(*(loop.bound for loop in loops)) if loops else set()
        return any(isinstance(n, ast.Name) and n.id in bound for n in ast.walk(node))

    # -- statements ------------------------------------------------------------------------------------------
    def assign(self, node: ast.Assign | ast.AnnAssign, fn: FnState | None, loops: tuple[LoopInfo, ...]) -> None:
        value = node.value
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        if value is not None:
            if isinstance(value, ast.Call) and (last_name(value.func) in ("copy", "deepcopy")):
                self.harmless.add(id(value))  # widget_attrs = attrs.copy(): a working copy for this iteration to change
            self.visit(value, fn, loops)
        for t in targets:
            if not isinstance(t, ast.Name):
                self.visit(t, fn, loops)
                if fn is not None and value is not None and fn.resources:  # self.conn = conn, d[k] = f: the object lives on
                    fn.escaped |= _handed_out(value)
        if value is None:
            return
        names = [t.id for t in targets if isinstance(t, ast.Name)]
        for name in names:
            if isinstance(value, ast.Constant) and isinstance(value.value, float) and self.money(name) and not isinstance(value.value, bool):
                self.hit("PF701", node, f"`{name} = {value.value!r}` holds money in a binary float", "medium")
            elif isinstance(value, ast.Call) and self.money(name) and self.expand(dotted(value.func) or "") in _NUMPY_ARRAYS \
                    and not _object_dtype(value):
                self.hit("PF701", value, f"`{name}` puts monetary values in a NumPy array, which holds them as binary floats", "medium",
                         suggestion=NUMPY_FIX)
        if fn is None:
            literal = _literal(value)
            for name in names:
                if literal is not None and _SQL_START.match(literal):
                    self.module_sql[name] = literal
            return
        for name in names:
            self.bind(fn, name, value, node)

    def bind(self, fn: FnState, name: str, value: ast.AST, node: ast.AST) -> None:
        for d in (fn.sql_text, fn.formatted, fn.rows, fn.file_text, fn.file_lines, fn.json_data):
            d.pop(name, None)
        fn.safe.discard(name)
        fn.decimals.discard(name)
        literal = _literal(value)
        if literal is not None:
            if _SQL_START.match(literal):
                fn.sql_text[name] = literal
            fn.safe.add(name)
        elif self.placeholder_expr(value, fn) or _orm_identifier(value) or _number(value):
            fn.safe.add(name)
        built = self.formatted_sql(value, fn)
        if built is not None:
            fn.formatted[name] = built
        if isinstance(value, ast.Name):
            fn.escaped.add(value.id)  # an alias: we no longer see every use of the object
            if value.id in fn.decimals:
                fn.decimals.add(name)
        if _is_decimal_expr(value, self):
            fn.decimals.add(name)
        chain = _method_chain(value)
        if chain and chain[-1] == "fetchall":
            sql = self.sql_of_fetch(value, fn)
            fn.rows[name] = (span(value), sql, self.text(value))
        elif chain and chain[-1] in ("read", "read_text") and isinstance(value, ast.Call) and not value.args:
            fn.file_text[name] = span(value)
        elif chain and (chain[-1] == "readlines" or chain[-2:] in (["read", "splitlines"], ["read", "split"], ["read_text", "splitlines"], ["read_text", "split"])):
            fn.file_lines[name] = value
        elif chain and chain[-1] in ("splitlines", "split") and isinstance(value.func.value, ast.Name) and value.func.value.id in fn.file_text:
            fn.file_lines[name] = value  # data = f.read(); lines = data.split("\n")
        elif isinstance(value, ast.Call) and self.expand(dotted(value.func) or "") in ("json.load",):
            fn.json_data[name] = span(value)
        resource = self.resource_ctor(value)
        if resource and name not in fn.resources:
            fn.resources[name] = (*resource, span(value), self.text(value), False)

    def augassign(self, node: ast.AugAssign, fn: FnState | None, loops: tuple[LoopInfo, ...]) -> None:
        self.children(node, fn, loops)
        if fn is None or not isinstance(node.target, ast.Name) or not isinstance(node.op, ast.Add):
            return
        name = node.target.id
        if name in fn.sql_text or name in fn.formatted:
            built = self.formatted_sql(node.value, fn, need_sql=False)
            if built is not None and name not in fn.formatted:
                fn.formatted[name] = built

    def with_stmt(self, node: ast.With | ast.AsyncWith, fn: FnState | None, loops: tuple[LoopInfo, ...]) -> None:
        for item in node.items:
            self.visit(item.context_expr, fn, loops)
            if fn is None:
                continue
            expr = item.context_expr
            for n in ast.walk(expr):
                if isinstance(n, ast.Name):
                    fn.managed.add(n.id)  # `with conn:` / `with closing(conn):`
            if isinstance(expr, ast.Call):
                ctor = self.expand(dotted(expr.func) or "")
                if ctor in WITH_DOES_NOT_CLOSE and isinstance(item.optional_vars, ast.Name):
                    name = item.optional_vars.id
                    fn.resources[name] = (ctor, "connection", span(expr), self.text(expr), True)
                    fn.managed.discard(name)
                elif isinstance(item.optional_vars, ast.Name) and self.resource_ctor(expr):
                    fn.managed.add(item.optional_vars.id)
                chain = _method_chain(expr)
                if isinstance(item.optional_vars, ast.Name) and chain and chain[-1] in ("read", "read_text"):
                    fn.file_text[item.optional_vars.id] = span(expr)
        savepoint = bool(loops) and any(isinstance(i.context_expr, ast.Call) and last_name(i.context_expr.func) in _SAVEPOINTS for i in node.items)
        self.savepoints += savepoint
        self.body(node.body, fn, loops)
        self.savepoints -= savepoint

    def try_stmt(self, node: ast.Try, fn: FnState | None, loops: tuple[LoopInfo, ...]) -> None:
        # `try: session.flush() except IntegrityError:` per row: each row's conflict is caught alone, on purpose
        per_row = bool(loops) and any(h.type is not None and any((last_name(n) or "") == "IntegrityError" for n in ast.walk(h.type)) for h in node.handlers)
        self.savepoints += per_row
        self.body(node.body, fn, loops)
        self.savepoints -= per_row
        for handler in node.handlers:
            self.body(handler.body, fn, loops)
        self.body(node.orelse, fn, loops)
        if fn is None:
            self.body(node.finalbody, fn, loops)
            return
        for stmt in node.finalbody:
            for n in ast.walk(stmt):
                name = _closed_name(n)
                if name:
                    fn.closes.setdefault(name, []).append((True, n.lineno))
        for handler in node.handlers:  # closed in the handler and after the try: every path is covered
            for stmt in handler.body:
                for n in ast.walk(stmt):
                    name = _closed_name(n)
                    if name:
                        fn.closes.setdefault(name, []).append((True, n.lineno))
        self.body(node.finalbody, fn, loops)

    # -- calls -----------------------------------------------------------------------------------------------
    def call(self, node: ast.Call, fn: FnState | None, loops: tuple[LoopInfo, ...]) -> None:
        func = node.func
        method = func.attr if isinstance(func, ast.Attribute) else None
        short = method or (func.id if isinstance(func, ast.Name) else "")
        # the dotted name is built only for the calls some rule looks at by name (most calls are not)
        named = short in _BY_NAME or (fn is not None and (fn.is_async or bool(fn.resources)))
        name = dotted(func) if named else None
        full = self.expand(name) if name else ""
        if fn is not None:
            if method in DB_CLOSE:
                closed = _closed_name(node)
                if closed:
                    fn.closes.setdefault(closed, []).append((False, node.lineno))
            if fn.resources and (method in ESCAPE_CALLS or (name and _capword(name))):
                into = fn.managed if method in ("closing", "enter_context", "enter_async_context") or name == "closing" else fn.escaped
                into.update(a.id for a in (*node.args, *(k.value for k in node.keywords)) if isinstance(a, ast.Name))
            if method in ("execute", "executemany") and isinstance(func.value, ast.Name) and node.args:
                sql = self.sql_text(node.args[0], fn)
                if sql:
                    fn.last_sql[func.value.id] = sql
            if short in SQL_EXEC or short == "text":
                self.sql_formatting(node, fn, method, full)
            if fn.is_async:
                self.blocking(node, fn, full, method)
            if method is not None and isinstance(func.value, ast.Call):
                self.inline_leak(node, method)
        if short in _MONEY_CALLS:
            self.money_call(node, full, method, fn)
        loop = self.current(loops)
        if loop is not None:
            self.per_row_write(node, fn, loop, method, full, loops)
            if short in _HOIST_NAMES:
                self.repeated_work(node, loops, loop, full, method)
            if full in apis.DB_CONSTRUCTORS and not full.startswith("django."):
                self.hit("PF502", node, f"`{full}` connects to the database anew on every iteration of the loop at line {loop.node.lineno}",
                         "high", [self.loop_evidence(loop)])

    # PF201 / PF202 ------------------------------------------------------------------------------------------
    def per_row_write(self, node: ast.Call, fn: FnState | None, loop: LoopInfo, method: str | None, full: str, loops=()) -> None:
        if method not in _WRITE_METHODS or any(isinstance(n, ast.Slice) for n in ast.walk(node)):
            return  # not a write, or writes a slice of the rows per iteration: already batched
        ev = [self.loop_evidence(loop)]
        if method in ("execute", "executescript") and node.args and fn is not None:
            sql = self.sql_text(node.args[0], fn)
            first = node.args[0]
            if sql and apis.is_write(sql):
                verb = sql.split(None, 1)[0].upper()
                self.hit("PF201", node, f"one {verb} per item of the loop at line {loop.node.lineno}: a round trip and a statement per row",
                         "high", ev + [("query", sql[:200], span(first))], suggestion=_write_fix(verb, "dbapi"))
            elif isinstance(first, ast.Call) and last_name(first.func) in ("insert", "update", "delete"):
                verb = last_name(first.func).upper()
                self.hit("PF201", node, f"one {verb} statement per item of the loop at line {loop.node.lineno}", "high", ev,
                         suggestion=_write_fix(verb, "sqlalchemy"))
            return
        if method in ("flush", "save") and self.savepoints:
            return  # inside a per-row savepoint (`with session.begin_nested():`, `transaction.atomic()`): one row may fail alone, on purpose
        if method == "flush" and loop.conditional == 0 and isinstance(node.func.value, (ast.Name, ast.Attribute)) \
                and apis.looks_like_session_name(last_name(node.func.value) or ""):
            self.hit("PF201", node, f"`session.flush()` per item of the loop at line {loop.node.lineno} sends each pending row on its own",
                     "high", ev, suggestion=_write_fix("INSERT", "sqlalchemy"))
            return
        if method == "commit" and not node.args and loop.conditional == 0 and not self.publishes_progress(loop):
            recv = last_name(node.func.value) or ""
            if (apis.looks_like_db_name(recv) or recv in ("transaction", "db", "session")) and self.first_commit_of(loops):
                self.hit("PF202", node, f"`{recv}.commit()` on every iteration of the loop at line {loop.node.lineno}: one transaction "
                         "(and one disk sync) per row", "high", ev)
            return
        if method is None:
            return
        chain = _method_chain(node)
        root = _chain_root(node)
        if method in ("create", "update", "delete", "get_or_create", "update_or_create") and isinstance(root, ast.Attribute) \
                and _capword(dotted(root.value) or "") and (root.attr == "objects" or root.attr.endswith("objects")):
            model = dotted(root.value)
            self.django_write(node, fn, method, loops, f"`{model}.{root.attr}.{'.'.join(chain)}()` writes one row per item of the loop at line "
                              f"{loop.node.lineno}", "high", ev)
        elif method == "save" and not node.args and loop.conditional == 0 and isinstance(node.func.value, ast.Name) \
                and node.func.value.id in loop.bound and not _FORMS.search(loop.header):
            # `column.save(obj)` is another save, a guarded save is no batch, and forms and serializers save one by one by design
            obj = node.func.value.id
            self.django_write(node, fn, method, loops, f"`{obj}.save()` writes one row per item of the loop at line {loop.node.lineno}", "medium", ev)

    def django_write(self, node: ast.Call, fn: FnState | None, method: str, loops: tuple[LoopInfo, ...], message: str, confidence: str, ev: list) -> None:
        """PF201 for a Django write per row, if row_writes.judge finds it worth a finding (at its severity, with its reason)."""
        severity, why = row_writes.judge(node, method, [lp for lp in loops if lp.per_item], self.facts.path, fn.node if fn else None,
                                         self.classes[-1] if self.classes else None, self.overridden_saves)
        if severity == row_writes.DROP or any(_bulk_write(b) for b in self.other_branches) \
                or (severity == row_writes.LOW and self.grouped("PF201", fn, why, node, ev)):  # (not reported, the fallback of a bulk write, counted)
            if method in ("get_or_create", "update_or_create"):  # also a query per row: NP101 must not report what PF201 judged
                self.hits.append(Hit("PF201", span(node), why, "low", self.text(node), (), "", row_writes.QUIET))
            return
        self.hit("PF201", node, message + why, confidence, ev, suggestion=_write_fix(method, "django"), severity=severity)
        if severity == row_writes.LOW:
            self.start_group("PF201", fn, why, node)

    def grouped(self, rule: str, fn: FnState | None, why: str, node: ast.AST, ev=()) -> bool:
        """A small problem repeated through one function (an event copied table by table, a record's amounts converted
        one by one) is one finding with one fix: the first is reported, the others counted on it, each place (and its
        loop) in its evidence."""
        group = self.low_groups.get((rule, id(fn.node) if fn else None, why))
        if group is not None:
            group[1] += 1
            first = group[0]
            first.evidence = (*first.evidence, ("call", f"also: {self.text(node)}", span(node)),
                              *(e for e in ev if e not in first.evidence))
        return group is not None

    def start_group(self, rule: str, fn: FnState | None, why: str, node: ast.AST) -> None:
        first = self.hits[-1] if self.hits else None
        if first is not None and first.rule == rule and first.span.line == node.lineno:  # (hit() reports a place once)
            self.low_groups[(rule, id(fn.node) if fn else None, why)] = [first, 0]

    def first_commit_of(self, loops: tuple[LoopInfo, ...]) -> bool:
        """One PF202 per outermost loop: commits in the loops nested in it are the same problem, with the same fix."""
        outer = id(next((lp for lp in loops if lp.per_item), loops[-1]).node)
        if outer in self.commit_loops:
            return False
        self.commit_loops.add(outer)
        return True

    @staticmethod
    def publishes_progress(loop: LoopInfo) -> bool:
        """A call in the loop that reports progress or logs a step (`job.update_state(...)`, `logger.info(...)`)."""
        return any(isinstance(n, ast.Call) and _PROGRESS.search(last_name(n.func) or "") for part in loop.parts for n in ast.walk(part))

    # PF901 ------------------------------------------------------------------------------------------------
    def repeated_work(self, node: ast.Call, loops: tuple[LoopInfo, ...], loop: LoopInfo, full: str, method: str | None) -> None:
        what = HOIST_CALLS.get(full)  # (a Decimal constant is ~100 ns and the money idiom: not worth a finding)
        args = [*node.args, *(k.value for k in node.keywords)]
        if what is None and method == "copy" and not args and isinstance(node.func.value, ast.Name):
            what, args = "copies the same collection", [node.func.value]
        if what is None or not args or id(node) in self.harmless:
            return
        if full in ("sorted", "copy.deepcopy", "copy.copy") or method == "copy":
            target = args[0]
            if not isinstance(target, ast.Name) or any(target.id in (lp.bound | lp.mutated) for lp in loops):
                return
        if self.bound_in(node, loops):
            return
        shown = (dotted(node.func) or method or "call") + "(...)"
        self.hit("PF901", node, f"`{shown}` {what} on every iteration of the loop at line {loop.node.lineno}; its arguments never change",
                 "high", [self.loop_evidence(loop)])

    # PF401 ------------------------------------------------------------------------------------------------
    def iterated(self, iter_node: ast.AST, fn: FnState, loop: LoopInfo) -> None:
        """The collection a loop walks: is it a whole file, a whole table, read into memory first?"""
        node = iter_node
        if isinstance(node, ast.Call) and (last_name(node.func) in ("reader", "DictReader") or dotted(node.func) == "enumerate") and node.args:
            node = node.args[0]  # csv.reader(lines), enumerate(rows): the same collection
        if isinstance(node, ast.Call) and dotted(node.func) in ("enumerate", "list", "sorted", "reversed", "tuple") and node.args:
            inner = node.args[0]
            if dotted(node.func) == "list" and self.unbounded_queryset(inner):
                self.hit("PF401", node, "`list(queryset)` loads every row into memory before the loop starts", "medium",
                         [self.loop_evidence(loop)], suggestion=WHOLE_FIXES["django"])
                return
            node = inner
        chain = _method_chain(node)
        if self.whole_file(node, loop):
            return
        if isinstance(node, ast.Name):
            if node.id in fn.file_lines:
                split = fn.file_lines[node.id]
                if not self.whole_file(split, loop):  # the file was read into a variable first, then split
                    self.hit("PF401", split, f"the whole file is read, then split into `{node.id}` before the loop walks it", "medium",
                             [self.loop_evidence(loop)], suggestion=WHOLE_FIXES["file"])
            elif node.id in fn.rows:  # reported where the rows are fetched: that is the line to change
                where, sql, text = fn.rows[node.id]
                self.unbounded_fetch(_Pos(where), sql, [self.loop_evidence(loop)], loop)
            elif node.id in fn.json_data:
                self.hit("PF401", node, f"`{node.id}` holds a whole JSON document parsed into memory, then iterated", "low",
                         [("read", "json.load(...)", fn.json_data[node.id]), self.loop_evidence(loop)], suggestion=WHOLE_FIXES["json"])
            return
        if chain and chain[-1] == "fetchall":
            self.unbounded_fetch(node, self.sql_of_fetch(node, fn), [self.loop_evidence(loop)], loop)
        elif chain and chain[-1] in ("splitlines", "split") and isinstance(node, ast.Call) and isinstance(node.func.value, ast.Name) \
                and node.func.value.id in fn.file_text:
            self.hit("PF401", node, f"the whole file is read into `{node.func.value.id}` and split into lines before the loop", "medium",
                     [("read", "read()", fn.file_text[node.func.value.id]), self.loop_evidence(loop)], suggestion=WHOLE_FIXES["file"])
        elif isinstance(node, ast.Call) and self.expand(dotted(node.func) or "") == "json.load":
            self.hit("PF401", node, "a whole JSON document is parsed into memory, then iterated", "low", [self.loop_evidence(loop)],
                     suggestion=WHOLE_FIXES["json"])
        elif self.unbounded_sqlalchemy(node):
            self.hit("PF401", node, "the loop iterates an unfiltered query's `.all()`: every row is loaded and kept before the first iteration",
                     "medium", [self.loop_evidence(loop)], suggestion=WHOLE_FIXES["sqlalchemy"])

    def whole_file(self, node: ast.AST, loop: LoopInfo) -> bool:
        """`f.readlines()`, `f.read().splitlines()`, `path.read_text().split("\\n")`: the whole file as a list, to be walked once."""
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            return False
        method = node.func.attr
        if method == "readlines" and not node.args:
            self.hit("PF401", node, "`readlines()` reads the whole file into a list of lines, then the loop walks it", "medium",
                     [self.loop_evidence(loop)], suggestion=WHOLE_FIXES["file"])
            return True
        inner = node.func.value
        if method in ("splitlines", "split") and isinstance(inner, ast.Call) and isinstance(inner.func, ast.Attribute) \
                and inner.func.attr in ("read", "read_text") and not inner.args:
            self.hit("PF401", node, f"`{inner.func.attr}().{method}()` reads the whole file and copies it into a list of lines, then the "
                     "loop walks it", "medium", [self.loop_evidence(loop)], suggestion=WHOLE_FIXES["file"])
            return True
        return False

    def unbounded_fetch(self, node: ast.AST, sql: str | None, evidence: list, loop: LoopInfo) -> None:
        if sql is None or _BOUNDED.search(sql) or _KEYED.search(sql) or _CATALOG.search(sql):
            return  # unknown SQL, a LIMIT, an aggregate, a lookup by key, the schema catalog: the size is bounded
        if isinstance(loop.node, (ast.ListComp, ast.SetComp, ast.DictComp)):
            return  # builds a collection of the same size anyway: streaming would save at most half
        confidence = "medium" if _WHERE.search(sql) else "high"
        self.hit("PF401", node, "`fetchall()` loads every row of a query with no LIMIT into memory, then the loop walks the list",
                 confidence, [*evidence, ("query", sql[:200], None)], suggestion=WHOLE_FIXES["dbapi"])

    def unbounded_queryset(self, node: ast.AST) -> bool:
        chain = _method_chain(node)
        root = _chain_root(node)
        if not chain or not isinstance(root, ast.Attribute) or not _capword(dotted(root.value) or ""):
            return False
        if not (root.attr == "objects" or root.attr.endswith("objects")):
            return False
        return set(chain) <= {"all", "order_by", "select_related", "prefetch_related", "only", "defer", "annotate", "distinct", "using"}

    def unbounded_sqlalchemy(self, node: ast.AST) -> bool:
        chain = _method_chain(node)
        if not chain or chain[-1] != "all":
            return False
        names = set(chain)
        if names & {"where", "filter", "filter_by", "limit", "offset", "slice", "yield_per", "execution_options", "join", "having", "group_by"}:
            return False
        cur = node
        while isinstance(cur, ast.Call) and isinstance(cur.func, ast.Attribute):
            for a in cur.args:
                if isinstance(a, ast.Call) and last_name(a.func) == "select":
                    inner = _method_chain(a)
                    if set(inner) & {"where", "filter", "filter_by", "limit", "offset", "join", "group_by"}:
                        return False
                    return bool(a.args) and _capword(dotted(a.args[0]) or "")
            if cur.func.attr == "query" and apis.looks_like_session_name(last_name(cur.func.value) or ""):
                return bool(cur.args) and _capword(dotted(cur.args[0]) or "")
            cur = cur.func.value
        return False

    def sql_of_fetch(self, node: ast.AST, fn: FnState) -> str | None:
        """The SQL behind `cur.fetchall()` (the cursor's last execute) or `conn.execute(sql).fetchall()`."""
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            return None
        recv = node.func.value
        if isinstance(recv, ast.Name):
            return fn.last_sql.get(recv.id)
        if isinstance(recv, ast.Call) and isinstance(recv.func, ast.Attribute) and recv.func.attr == "execute" and recv.args:
            return self.sql_text(recv.args[0], fn)
        return None

    # PF601 ------------------------------------------------------------------------------------------------
    def sql_formatting(self, node: ast.Call, fn: FnState, method: str | None, full: str) -> None:
        if method in SQL_EXEC or full in ("sqlalchemy.text", "sqlalchemy.sql.text", "sqlalchemy.sql.expression.text", "pandas.read_sql"):
            if not node.args:
                return
            first = node.args[0]
            if isinstance(first, ast.Name) and first.id in fn.formatted:
                where, parts = fn.formatted[first.id]
                self.report_sql(node, fn, where, parts, f"`{first.id}`")
                return
            built = self.formatted_sql(first, fn)
            if built is not None:
                self.report_sql(node, fn, built[0], built[1], "the statement")

    def report_sql(self, node: ast.Call, fn: FnState, where: Span, parts: list[str], what: str) -> None:
        roots = {p.split(".")[0].split("[")[0].split("(")[0] for p in parts}
        identifiers = all(is_identifier_name(re.split(r"[.\[(]", p)[-1] or p) for p in parts)
        if identifiers and not roots & fn.params:
            return  # identifiers from the code itself (a model's table name): nothing a caller controls
        confidence = "high" if roots & fn.params else "medium"
        shown = ", ".join(f"`{p}`" for p in parts[:3])
        message = f"{what} is built by string formatting from {shown} and run as SQL"
        suggestion = ""
        if identifiers:
            message += "; these look like identifiers (table or column names), which bound parameters cannot carry"
            suggestion = ("Check identifiers against an allow-list of known tables and columns, or compose them with "
                          "`psycopg.sql.Identifier` / SQLAlchemy `column()` / `table()`; pass every value as a bound parameter.")
        self.hit("PF601", node, message, confidence, [("built", "formatted here", where)], suggestion)

    def formatted_sql(self, node: ast.AST, fn: FnState, need_sql: bool = True) -> tuple[Span, list[str]] | None:
        """A string built by an f-string, `%`, `.format` or `+` with values that are not constants: (where, the values)."""
        literal, dynamic = "", []
        if isinstance(node, ast.JoinedStr):
            literal = "".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
            dynamic = [v.value for v in node.values if isinstance(v, ast.FormattedValue)]
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and isinstance(node.left, ast.Constant) and isinstance(node.left.value, str):
            literal = node.left.value
            dynamic = list(node.right.elts) if isinstance(node.right, ast.Tuple) else list(node.right.values) if isinstance(node.right, ast.Dict) else [node.right]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format" \
                and isinstance(node.func.value, ast.Constant) and isinstance(node.func.value.value, str):
            literal = node.func.value.value
            dynamic = [*node.args, *(k.value for k in node.keywords)]
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            pieces = _flatten_add(node)
            literal = "".join(p.value for p in pieces if isinstance(p, ast.Constant) and isinstance(p.value, str))
            if not literal and not any(isinstance(p, ast.Name) and p.id in fn.sql_text for p in pieces):
                return None
            literal = literal or next(fn.sql_text[p.id] for p in pieces if isinstance(p, ast.Name) and p.id in fn.sql_text)
            dynamic = [p for p in pieces if not (isinstance(p, ast.Constant) or (isinstance(p, ast.Name) and p.id in fn.sql_text))]
            formatted = [p for p in pieces if isinstance(p, ast.Name) and p.id in fn.formatted]
            if formatted:
                return fn.formatted[formatted[0].id]
        else:
            return None
        if need_sql and not _SQL_START.match(literal):
            return None
        unsafe = [d for d in dynamic if not self.safe_value(d, fn)]
        if not unsafe:
            return None
        return span(node), [_short(d) for d in unsafe]

    def safe_value(self, node: ast.AST, fn: FnState) -> bool:
        """Constants, CONSTANT names, placeholder lists and numbers cannot carry an injection."""
        if isinstance(node, ast.Constant):
            return True
        if isinstance(node, ast.Name):
            return node.id in fn.safe or node.id.isupper() or is_placeholder_name(node.id)
        root = _chain_root(node)
        while isinstance(root, (ast.Attribute, ast.Subscript)):
            root = root.value
        if isinstance(root, ast.Name) and root.id in ("self", "cls"):
            return True  # the object's own settings (an operator table, a suffix): not something a caller passes in
        if isinstance(node, ast.Call):
            name = last_name(node.func) or ""
            if dotted(node.func) in ("len", "int", "float", "range") or name in _QUOTING or _SQL_FRAGMENT.search(name):
                return True  # a number, a quoted identifier, or SQL text from a helper that builds statements
        if isinstance(node, ast.Attribute) and (node.attr.isupper() or node.attr == "db_table" or "._meta." in f".{dotted(node) or ''}."):
            return True  # CONSTANTS, and a Django model's own table and field names
        if _orm_identifier(node):
            return True  # SQLAlchemy's own table and column names (`Model.__tablename__`, `Model.col.name`)
        return self.placeholder_expr(node, fn)

    def placeholder_expr(self, node: ast.AST, fn: FnState) -> bool:
        """`",".join("?" * len(ids))`, `"VALUES " + ", ".join(["(%s)"] * n)`: the placeholders of an IN or VALUES list."""
        for call in _flatten_add(node):
            if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "join":
                if any(isinstance(n, ast.Constant) and isinstance(n.value, str) and _PLACEHOLDER.match(n.value) for n in ast.walk(call)):
                    return True
        return False

    def sql_text(self, node: ast.AST, fn: FnState) -> str | None:
        if isinstance(node, ast.Name):
            return fn.sql_text.get(node.id) or self.module_sql.get(node.id)
        if isinstance(node, ast.Call) and last_name(node.func) == "text" and node.args:
            return _literal(node.args[0])
        return _literal(node)

    # PF501 ------------------------------------------------------------------------------------------------
    def resource_ctor(self, value: ast.AST) -> tuple[str, str] | None:
        if isinstance(value, ast.Await):
            value = value.value
        if not isinstance(value, ast.Call):
            return None
        name = dotted(value.func)
        if not name:
            return None
        full = self.expand(name)
        if full == "open" and "open" in self.facts.imports:
            return None
        kind = RESOURCES.get(full)
        if kind:
            return full, kind
        method = name.rpartition(".")[2]
        recv = name.rpartition(".")[0].rpartition(".")[2]
        if method == "connect" and recv and ("engine" in recv.lower()):
            return name, "connection"
        if method == "acquire" and "pool" in recv.lower():
            return name, "connection"
        if method == "cursor" and (value.args and isinstance(value.args[0], ast.Constant) and isinstance(value.args[0].value, str)
                                   or any(k.arg == "name" for k in value.keywords)):
            return name, "server-side cursor"
        return None

    def leaks(self, fn: FnState) -> None:
        for name, (ctor, kind, where, text, with_no_close) in fn.resources.items():
            if name in fn.escaped or (name in fn.managed and not with_no_close):
                continue
            closes = fn.closes.get(name, [])
            node = _Pos(where)
            if with_no_close:
                if closes:
                    continue
                self.hit("PF501", node, f"`with {ctor}(...) as {name}` commits or rolls back at the end of the block but never closes "
                         "the connection", "high", suggestion=("Close it: `with contextlib.closing(sqlite3.connect(path)) as conn, conn:` "
                                                                "(the second `with` keeps the transaction handling), or call `conn.close()` in a `finally`."))
            elif any(in_finally for in_finally, _ in closes) or any(line <= where.end_line + 1 for _, line in closes):
                continue  # closed on every path, or on the very next line (nothing in between can raise)
            elif closes:
                # a file closed on the normal path: an exception in between leaves it to the garbage collector (CPython closes
                # it as soon as the frame goes), a connection or session it may keep open much longer
                small = kind == "file"
                self.hit("PF501", node, f"the {kind} `{name}` is closed only when no exception is raised before `{name}.close()`"
                         + ("; until then an exception leaves it to the garbage collector, so this matters in long loops or for "
                            "many files" if small else ""), "medium", severity="low" if small else None)
            else:
                self.hit("PF501", node, f"the {kind} `{name}` from `{ctor}(...)` is never closed in this function", "high")

    def inline_leak(self, node: ast.Call, method: str | None) -> None:
        """`sqlite3.connect(path).execute(...)`: a connection nobody can close."""
        if method is None or not isinstance(node.func.value, ast.Call) or method in DB_CLOSE:
            return
        found = self.resource_ctor(node.func.value)
        if found and found[1] != "file":
            self.hit("PF501", node.func.value, f"the {found[1]} from `{found[0]}(...)` is used once and never closed", "high")

    # PF701 ------------------------------------------------------------------------------------------------
    def money_call(self, node: ast.Call, full: str, method: str | None, fn: FnState | None = None) -> None:
        args = node.args
        if full == "float" and len(args) == 1 and id(node) not in self.harmless:
            name = _value_name(args[0])
            if name and self.money(name) and not (isinstance(args[0], ast.Constant)):
                self.hit("PF701", node, f"`float({_short(args[0])})` turns money into a binary float", "high")
        elif full in ("decimal.Decimal", "Decimal") and len(args) == 1 and self.uses_decimal:
            a = args[0]
            if isinstance(a, ast.Constant) and isinstance(a.value, float) and not a.value.is_integer():
                # (`Decimal(50.00)` is exactly Decimal(50): a whole number has no binary error to keep)
                exact = _exact(a.value)
                error = (f"keeps its binary error (Decimal({a.value!r}) == {exact})" if exact != repr(a.value).rstrip("0").rstrip(".") and "e" not in repr(a.value)
                         else "is exact here by luck, a habit that costs cents with values such as 0.1")
                self.hit("PF701", node, f"`Decimal({a.value!r})` is built from a float and {error}", "high",
                         suggestion=f'Build it from a string: `Decimal("{a.value!r}")`.')
            elif isinstance(a, ast.Call) and dotted(a.func) == "float":
                self.hit("PF701", node, "`Decimal(float(...))` goes through a binary float and keeps its error", "high",
                         suggestion="Build the Decimal from the string or the integer: `Decimal(str_value)`.")
        elif full == "round" and len(args) == 2 and isinstance(args[1], ast.Constant) and args[1].value == 2:
            value = args[0]
            floaty = any(isinstance(n, ast.Constant) and isinstance(n.value, float) for n in ast.walk(value)) or \
                any(isinstance(n, ast.Call) and dotted(n.func) == "float" for n in ast.walk(value))
            money = any(self.money(nm) for nm in _names(value))
            if money and floaty:
                self.float_round(node, value, fn)
                self.harmless.update(id(n) for n in ast.walk(value) if isinstance(n, ast.Call))  # one finding for `round(float(x), 2)`
        elif method == "astype" and args and dotted(args[0]) in ("float", "np.float64", "numpy.float64", "np.float32"):
            if any(self.money(nm) for nm in _names(node.func.value)):
                self.hit("PF701", node, "monetary values converted to a float array", "high")
        elif full in _NUMPY_ARRAYS and args and not _object_dtype(node):
            if any(self.money(nm) for nm in _names(args[0])):
                self.hit("PF701", node, "monetary values put in a NumPy array, which holds them as binary floats", "medium", suggestion=NUMPY_FIX)

    def float_round(self, node: ast.Call, value: ast.AST, fn: FnState | None) -> None:
        """`round(float(x) * 1.19, 2)` computes money in float; `round(float(net_value), 2)` only converts a Decimal computed
        exactly, for output (a JSON number): it loses a cent only when that Decimal has more than two places."""
        converted = isinstance(value, ast.Call) and dotted(value.func) == "float" and len(value.args) == 1 and not any(
            (isinstance(n, ast.Constant) and isinstance(n.value, float)) or (isinstance(n, ast.Call) and dotted(n.func) == "float")
            for n in ast.walk(value.args[0]))
        if converted:
            if self.grouped("PF701", fn, "output", node):
                return
            self.hit("PF701", node, f"`round({_short(value)}, 2)` converts a value computed in Decimal to a float for output; it "
                     "loses a cent only when that value has more than two decimal places (round(2.675, 2) == 2.67)", "medium",
                     suggestion="Quantize the Decimal first (`x.quantize(Decimal(\"0.01\"), ROUND_HALF_UP)`), then convert that, or emit it "
                     "as a string.", severity="low")
            self.start_group("PF701", fn, "output", node)
            return
        self.hit("PF701", node, f"`round({_short(value)}, 2)` rounds money held in a binary float (round(2.675, 2) == 2.67)", "high")

    def binop(self, node: ast.BinOp, fn: FnState | None) -> None:
        if not isinstance(node.op, (ast.Mult, ast.Add, ast.Sub, ast.Div)):
            return
        for lit, other in ((node.left, node.right), (node.right, node.left)):
            if isinstance(lit, ast.Constant) and isinstance(lit.value, float):
                decimal = _is_decimal_expr(other, self) or (isinstance(other, ast.Name) and fn is not None and other.id in fn.decimals)
                name = _value_name(other)
                if decimal:
                    self.hit("PF701", node, f"the float {lit.value!r} is mixed with a Decimal: Python raises TypeError, and converting "
                             "either side loses cents", "high", suggestion=f'Write the constant as `Decimal("{lit.value!r}")`.')
                elif name and self.money(name):
                    self.hit("PF701", node, f"`{_short(node)}` computes money with the binary float {lit.value!r}", "medium")
                return

    # PF801 / PF802 ------------------------------------------------------------------------------------------
    def blocking(self, node: ast.Call, fn: FnState, full: str, method: str | None) -> None:
        reason = BLOCKING_CALLS.get(full)
        if full == "open" and "open" in self.facts.imports:
            reason = None
        if reason is None and (full.startswith("requests.") and last_name(node.func) in apis.HTTP_METHODS):
            reason = f"`{full}` is a blocking HTTP call; use httpx.AsyncClient or aiohttp and await it"
        sink = self.sinks.get((node.lineno, node.col_offset + 1))
        if reason is None and sink is not None and not sink.awaited and sink.framework in ("dbapi", "django", "sqlalchemy") and sink.kind == "db" \
                and sink.confidence == "high":  # a lazy queryset built here may well be consumed with `async for`
            if sink.framework == "django":
                reason = f"`{sink.api}` runs a synchronous Django query (SynchronousOnlyOperation in async code); use the `a`-prefixed method (`aget`, `acount`...) or `sync_to_async`"
            else:
                reason = f"`{sink.api}` is not awaited: a synchronous driver call that blocks the event loop"
        if reason:
            self.hit("PF801", node, f"blocking call inside `async def {fn.node.name}`: {reason}", "high" if sink is None else sink.confidence)

    def sequential_awaits(self, node: ast.For, loop: LoopInfo) -> None:
        if any(isinstance(n, (ast.Break, ast.Return)) for n in ast.walk(node)):
            return  # stops at the first answer: each call depends on the previous one's result
        targets = {n.id for n in ast.walk(node.target) if isinstance(n, ast.Name)}
        for stmt in node.body:
            for n in ast.walk(stmt):
                if not (isinstance(n, ast.Await) and isinstance(n.value, ast.Call)):
                    continue
                call = n.value
                name = last_name(call.func) or ""
                if name in ORDERED_AWAITS or (call.lineno, call.col_offset + 1) in self.sinks:
                    continue  # ordered by nature, or a query / remote call that the N+1 rules report
                used = {m.id for a in (*call.args, *(k.value for k in call.keywords)) for m in ast.walk(a) if isinstance(m, ast.Name)}
                if used & targets:
                    self.hit("PF802", call, f"`await {name}(...)` runs once per item of the loop at line {node.lineno}, each waiting for "
                             "the previous one to finish", "medium", [self.loop_evidence(loop)])
                    return


# -- helpers --------------------------------------------------------------------------------------------------
@dataclass
class _Pos:
    """A Span dressed as a node, for hits reported after the walk."""

    span: Span

    @property
    def lineno(self) -> int:
        return self.span.line

    @property
    def col_offset(self) -> int:
        return self.span.col - 1

    @property
    def end_lineno(self) -> int:
        return self.span.end_line

    @property
    def end_col_offset(self) -> int:
        return self.span.end_col - 1


WHOLE_FIXES = {
    "file": "Iterate the file object itself (`for line in f:`) or `csv.reader(f)`: one line in memory at a time.",
    "json": "For large documents use JSON Lines (`for line in f: json.loads(line)`) or a streaming parser such as ijson.",
    "dbapi": "Iterate the cursor (`for row in cur:`) or read `cur.fetchmany(1000)` batches; on PostgreSQL use a server-side (named) "
             "cursor so the rows stay on the server.",
    "django": "Stream with `.iterator(chunk_size=2000)`, or aggregate in the database (`aggregate(Sum(...))`, `values(...).annotate(...)`) "
              "when only totals are needed.",
    "sqlalchemy": "Stream with `session.scalars(stmt.execution_options(yield_per=1000))` (or `query.yield_per(1000)`), or aggregate in SQL.",
}


def _write_fix(verb: str, framework: str) -> str:
    if framework == "django" and verb in ("get_or_create", "update_or_create"):
        return ("Read the existing rows once (`Model.objects.filter(key__in=keys)` into a dict), then write the missing ones with "
                "`bulk_create(objs, batch_size=1000)`; for update_or_create, `bulk_create(objs, update_conflicts=True, "
                "unique_fields=[...], update_fields=[...])` (PostgreSQL, SQLite) does both in one statement.")
    if framework == "django":
        if verb in ("create", "save"):
            return ("Collect the objects and write them at once: `Model.objects.bulk_create(objs, batch_size=1000)` for new rows, "
                    "`bulk_update(objs, fields, batch_size=1000)` for changed ones, or a single `filter(...).update(...)` when every row gets "
                    "the same change. These skip the model's save() and its pre/post_save signals (change logs, caches): when the "
                    "model relies on them, run that logic once for the batch, or keep the loop.")
        return "Do it in one statement: `Model.objects.filter(pk__in=keys).update(...)` / `.delete()`, or `bulk_update` for per-row values."
    if framework == "sqlalchemy":
        return ("Add every object and flush once, or send one statement for all rows: `session.execute(insert(Model), rows)` "
                "(executemany) / `update(Model)` with a list of dicts (bulk UPDATE by primary key).")
    return ("Send all rows in one call: `cursor.executemany(sql, rows)`, a multi-row `VALUES (...), (...)`, or on PostgreSQL "
            "`COPY ... FROM STDIN` (psycopg `cursor.copy`) or `execute_values`; commit once per batch.")


_MONEY_CALLS = frozenset({"float", "Decimal", "round", "astype", "array", "asarray", "fromiter"})  # NumPy's: see money_call
_HOIST_NAMES = frozenset({name.rpartition(".")[2] for name in HOIST_CALLS} | {"copy"})
_BY_NAME = _MONEY_CALLS | _HOIST_NAMES | frozenset({"text", "read_sql", "read_sql_query", "closing"}) \
    | frozenset(c.rpartition(".")[2] for c in apis.DB_CONSTRUCTORS)
_WRITE_METHODS = frozenset({"execute", "executescript", "flush", "commit", "create", "update", "delete", "get_or_create", "update_or_create", "save"})
_QUOTING = frozenset({"quote_name", "quote_ident", "quote_identifier", "Identifier", "escape_identifier", "quote_name_unless_alias"})
_SQL_FRAGMENT = re.compile(r"sql|cte|clause|where|join|columns|select", re.I)


_NUMPY_ARRAYS = frozenset({"numpy.array", "numpy.asarray", "numpy.fromiter"})
NUMPY_FIX = ("Keep money as Decimal (a NumPy array with `dtype=object` keeps Decimal, but loses the speed), or compute in integer "
             "cents (`np.int64`) and convert back to Decimal once.")


def _object_dtype(call: ast.Call) -> bool:
    dtype = next((k.value for k in call.keywords if k.arg == "dtype"), None)
    return dtype is not None and (dotted(dtype) == "object" or (isinstance(dtype, ast.Constant) and dtype.value in ("O", "object")))


def _bulk_write(stmts: list[ast.stmt]) -> bool:
    """`Model.objects.bulk_create(objs)` among these statements: `if backend_can_bulk: bulk_create(...) else: for o in objs: o.save()`."""
    return any(type(n) is ast.Call and isinstance(n.func, ast.Attribute) and n.func.attr in ("bulk_create", "bulk_update")
               for stmt in stmts for n in ast.walk(stmt))


def _number(value: ast.AST) -> bool:
    """`config_id = int(entry["id"])`: a number carries no SQL, whatever text it came from."""
    return isinstance(value, ast.Call) and dotted(value.func) in ("int", "float", "len")


def _short(node: ast.AST, limit: int = 60) -> str:
    text = ast.unparse(node)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _literal(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _flatten_add(node: ast.AST) -> list[ast.AST]:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _flatten_add(node.left) + _flatten_add(node.right)
    return [node]


def _method_chain(node: ast.AST) -> list[str]:
    """`a.b(x).c().d()` -> ["b", "c", "d"]: the methods called, innermost first."""
    out = []
    cur = node
    while isinstance(cur, ast.Call) and isinstance(cur.func, ast.Attribute):
        out.append(cur.func.attr)
        cur = cur.func.value
    out.reverse()
    return out


def _chain_root(node: ast.AST) -> ast.AST:
    cur = node
    while isinstance(cur, ast.Call) and isinstance(cur.func, ast.Attribute):
        cur = cur.func.value
    return cur


def _capword(name: str) -> bool:
    last = name.rpartition(".")[2].lstrip("_")  # `_CleanupFileWrapper(f)`: a private class is still a class
    return bool(last) and last[0].isupper() and not last.isupper()


def _handed_out(value: ast.AST) -> set[str]:
    """Names whose object a return or yield hands to the caller: `return conn`, `return conn, cur`, `yield Repo(conn)`;
    not `return conn.execute(...)`, which hands out a result and leaves the connection behind."""
    if isinstance(value, ast.Name):
        return {value.id}
    if isinstance(value, (ast.Tuple, ast.List, ast.Set)):
        return set().union(*(_handed_out(e) for e in value.elts)) if value.elts else set()
    if isinstance(value, ast.Dict):
        return set().union(*(_handed_out(v) for v in value.values if v is not None)) if value.values else set()
    if isinstance(value, ast.Call) and _capword(dotted(value.func) or ""):
        return {n.id for a in (*value.args, *(k.value for k in value.keywords)) for n in ast.walk(a) if isinstance(n, ast.Name)}
    if isinstance(value, ast.Await):
        return _handed_out(value.value)
    return set()


def _closed_name(node: ast.AST) -> str | None:
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in DB_CLOSE and isinstance(node.func.value, ast.Name):
        return node.func.value.id
    return None


def _orm_identifier(node: ast.AST) -> bool:
    """A table or column name the ORM's metadata holds: `Invoice.__tablename__`, `Invoice.__table__.name`,
    `Invoice.total.name` / `.key`, `table.c.total.name`: the application's own identifiers, not input."""
    name = dotted(node) if isinstance(node, ast.Attribute) else None
    if not name:
        return False
    parts = name.split(".")
    if parts[-1] in ("__tablename__", "fullname") or "__table__" in parts:
        return True
    return parts[-1] in ("name", "key") and len(parts) >= 3 and (_capword(parts[0]) or "c" in parts[1:-1] or "columns" in parts[1:-1])


def _value_name(node: ast.AST) -> str | None:
    """The name a value goes by: `t.amount` -> amount, `row["price"]` -> price, `get_total()` -> get_total."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str):
        return node.slice.value
    if isinstance(node, ast.Call):
        return _value_name(node.func)
    return None


def _names(node: ast.AST) -> list[str]:
    out = []
    for n in ast.walk(node):
        name = _value_name(n) if isinstance(n, (ast.Name, ast.Attribute, ast.Subscript)) else None
        if name:
            out.append(name)
    return out


def _is_decimal_expr(node: ast.AST, finder: PatternFinder) -> bool:
    if isinstance(node, ast.Call):
        name = dotted(node.func) or ""
        full = finder.expand(name)
        return full in ("decimal.Decimal",) or (name == "Decimal" and finder.uses_decimal) or (isinstance(node.func, ast.Attribute) and node.func.attr == "quantize")
    return False


def _is_float_annotation(node: ast.AST) -> bool:
    if any(isinstance(n, (ast.Name, ast.Attribute)) and (last_name(n) or "") == "Decimal" for n in ast.walk(node)):
        return False  # `amount: int | float | Decimal`: a lenient signature that takes Decimal too, not money kept in floats
    if isinstance(node, ast.Name):
        return node.id == "float"
    if isinstance(node, ast.Subscript):  # Mapped[float], Optional[float]
        return _is_float_annotation(node.slice)
    if isinstance(node, ast.BinOp):  # float | None
        return _is_float_annotation(node.left) or _is_float_annotation(node.right)
    return False


def _float_column(call: ast.Call) -> str | None:
    name = last_name(call.func)
    if name == "FloatField":
        return "a `FloatField`"
    if name in ("Column", "mapped_column") and any(last_name(a) in ("Float", "REAL", "Double", "DOUBLE_PRECISION") for a in call.args):
        return "a `Float` column"
    return None


def _exact(value: float) -> str:
    from decimal import Decimal

    text = str(Decimal(value))
    return text if len(text) <= 40 else text[:40] + "..."


def find_patterns(facts: ModuleFacts, lines: list[str], tree: ast.Module) -> list[Hit]:
    return PatternFinder(facts, lines).run(tree)


_DISPATCH = {
    ast.Call: PatternFinder._call_node, ast.FunctionDef: PatternFinder.function, ast.AsyncFunctionDef: PatternFinder.function,
    ast.Lambda: PatternFinder._lambda, ast.For: PatternFinder.for_loop, ast.AsyncFor: PatternFinder.for_loop, ast.While: PatternFinder._while,
    ast.ListComp: PatternFinder.comprehension, ast.SetComp: PatternFinder.comprehension, ast.GeneratorExp: PatternFinder.comprehension,
    ast.DictComp: PatternFinder.comprehension, ast.Assign: PatternFinder.assign, ast.AnnAssign: PatternFinder.assign,
    ast.AugAssign: PatternFinder.augassign, ast.With: PatternFinder.with_stmt, ast.AsyncWith: PatternFinder.with_stmt,
    ast.Try: PatternFinder.try_stmt, ast.TryStar: PatternFinder.try_stmt, ast.If: PatternFinder._if, ast.Return: PatternFinder._return,
    ast.Yield: PatternFinder._return, ast.YieldFrom: PatternFinder._return, ast.ClassDef: PatternFinder.class_def,
    ast.BinOp: PatternFinder._binop, ast.Compare: PatternFinder._compare, ast.Global: PatternFinder._global, ast.Nonlocal: PatternFinder._global,
}

"""What the pattern walk keeps per loop and per function, and small readings of call chains that
several rule families share."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from .facts import Span
from .nodes import chain_root, last_name, method_chain  # (shared with the extractor; imported from here by the pattern rules)

MUTATORS = frozenset({"append", "extend", "insert", "remove", "pop", "clear", "sort", "reverse", "add", "discard", "update", "setdefault", "popitem", "__setitem__"})


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
    _items: frozenset[str] | None = None  # item_names() with this loop innermost, walked when first asked

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
    formatted: dict[str, tuple[Span, list[str], bool]] = field(default_factory=dict)  # name -> where SQL was formatted, dynamic
    # parts, whether a caller's or a request's value goes in as it is (pattern_sql.handed_in)
    tainted: set[str] = field(default_factory=set)  # names bound to such a value (`q = request.GET["q"]`)
    safe: set[str] = field(default_factory=set)  # names holding placeholders or constant-only text
    keyed: dict[str, str] = field(default_factory=dict)  # name -> the dict whose keys it joins (`", ".join(row.keys())`)
    decimals: set[str] = field(default_factory=set)
    last_sql: dict[str, str] = field(default_factory=dict)  # cursor name -> the SQL it last executed
    rows: dict[str, tuple[Span, str | None, str]] = field(default_factory=dict)  # name -> fetchall() site
    file_text: dict[str, Span] = field(default_factory=dict)  # name -> f.read() site
    file_lines: dict[str, ast.Call] = field(default_factory=dict)  # name -> f.readlines() / f.read().splitlines()
    json_data: dict[str, Span] = field(default_factory=dict)
    packaged: set[str] = field(default_factory=set)  # names holding a file shipped in the package: its path, handle or text
    buffers: set[str] = field(default_factory=set)  # names holding an in-memory buffer (`out = StringIO()`): already in memory
    # name -> (ctor, kind, where, text, with_no_close, read_only)
    resources: dict[str, tuple[str, str, Span, str, bool, bool]] = field(default_factory=dict)
    closes: dict[str, list[tuple[bool, int]]] = field(default_factory=dict)  # name -> [(in finally or except?, line)]
    managed: set[str] = field(default_factory=set)
    escaped: set[str] = field(default_factory=set)
    additions: dict[str, list[list[str]]] | None = None  # what each `+=` adds to a name, by the names it spells (pattern_money)
    statements: dict[str, tuple[str, ast.AST]] = field(default_factory=dict)  # name -> a Core write's verb, the call it is built from


# -- helpers --------------------------------------------------------------------------------------------------
def core_write(node: ast.AST) -> str | None:
    """`table.delete().where(...)`, `insert(Invoice).values(...)`: the SQLAlchemy Core statement's verb."""
    if not isinstance(node, ast.Call):
        return None
    chain = method_chain(node) or [last_name(node.func)]
    root = chain_root(node)
    if isinstance(root, ast.Call) and last_name(root.func) in ("insert", "update", "delete"):
        chain = [last_name(root.func), *chain]  # `delete(Invoice).where(...)`
    return next((m.upper() for m in chain if m in ("insert", "update", "delete")), None)


@dataclass
class Pos:
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


def short(node: ast.AST, limit: int = 60) -> str:
    text = ast.unparse(node)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def string_literal(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def capword(name: str) -> bool:
    last = name.rpartition(".")[2].lstrip("_")  # `_CleanupFileWrapper(f)`: a private class is still a class
    return bool(last) and last[0].isupper() and not last.isupper()


def splits_lines(call: ast.AST) -> bool:
    """`text.splitlines()`, `text.split("\\n")` or `text.split()`: the lines (or words) of a text, which a file walked line by
    line gives one at a time. Not `data.split("&")`: a query string's pairs (Zeus's OAuth response, judged a wrong fix)."""
    if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)):
        return False
    if call.func.attr == "splitlines":
        return True
    sep = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "sep"), None)
    return call.func.attr == "split" and (sep is None or (isinstance(sep, ast.Constant) and isinstance(sep.value, (str, bytes))
                                                         and ("\n" if isinstance(sep.value, str) else b"\n") in sep.value))


def item_names(loops) -> frozenset[str]:
    """The loops' item names, and the names the innermost loop's body builds from them (assigned, filled by key or
    bound by `with`), to a fixed point: `params["host"] = databases[name]["HOST"]`, `with connections[sc.name].cursor()
    as cursor:`. Kept on the innermost loop: its enclosing loops are always the same."""
    if not loops:
        return frozenset()
    if loops[-1]._items is None:
        loops[-1]._items = frozenset(_built_from_items(loops))
    return loops[-1]._items


def _built_from_items(loops) -> set[str]:
    items = {t.id for lp in loops for target in lp.targets for t in ast.walk(target) if type(t) is ast.Name}
    stores = [(t, n.value) for n in ast.walk(loops[-1].node) if type(n) in (ast.Assign, ast.AugAssign, ast.AnnAssign) and n.value is not None
              for t in (n.targets if type(n) is ast.Assign else [n.target])]
    stores += [(w.optional_vars, w.context_expr) for n in ast.walk(loops[-1].node) if type(n) in (ast.With, ast.AsyncWith)
               for w in n.items if w.optional_vars is not None]
    grew = True
    while grew:
        grew = False
        for target, value in stores:
            name = target.value if type(target) is ast.Subscript else target
            if type(name) is ast.Name and name.id not in items and any(type(v) is ast.Name and v.id in items for v in ast.walk(value)):
                items.add(name.id)
                grew = True
    return items

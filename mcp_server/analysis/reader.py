"""What both walks of a module share: the scope of a function being read, the state of a loop being
read, and the reader base (source lines for evidence, imports to spell names in full)."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

from .facts import Function, IterSource, Loop, ModuleFacts
from .row_loads import Loads

SUPPRESS = re.compile(r"#\s*(?:perf:\s*ignore|noqa)\b(?:\s*\[([A-Za-z0-9_, ]+)\]|:\s*([A-Za-z0-9_, ]+))?")


@dataclass
class Scope:
    fn: Function
    cls: str | None  # qualname of the enclosing class, for self.
    parent: Scope | None
    loop_stack: list[int] = field(default_factory=list)
    branches: list[tuple[int, int, int]] = field(default_factory=list)  # the `if`s around (line, column, 0 body / 1 else)
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
    many: dict[str, str] = field(default_factory=dict)  # local names bound to a cursor's or a file's rows -> why (raw_rows)
    paged: set[str] = field(default_factory=set)  # local names bound to an iterator over pages (`query.iterfetches()`)
    one_rows: set[str] = field(default_factory=set)  # local names bound to one row outside any loop (`client = self.object`)
    keyword_args: set[str] = field(default_factory=set)  # `copr_chroot = kwargs.pop("copr_chroot", None)`: a keyword a caller passes
    contexts: dict[str, dict[str, IterSource]] = field(default_factory=dict)  # template context dicts being built (views.py)
    files: dict[str, str] = field(default_factory=dict)  # `with open(path) as f`: f -> the parameter `path` ("": the command line's)
    aliases: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)  # `entries = record.log_entries.all()`: entries -> (record, ("log_entries",))
    narrowed: dict[str, str] = field(default_factory=dict)  # an alias whose chain narrows the rows: `filter` of `self.sounds.filter(...)`
    row_attrs: dict[str, str] = field(default_factory=dict)  # `box = pallet_box.box` in a loop: box -> "pallet_box.box"
    probed: dict[str, tuple[str, str]] = field(default_factory=dict)  # `tasks = getattr(obj, "open_tasks", None)`: tasks -> (obj, "open_tasks")
    prefetch_objects: dict[str, ast.Call] = field(default_factory=dict)  # `with_items = Prefetch("items", ...)`, passed by name
    loaders: dict[str, str] = field(default_factory=dict)  # `joined = db.joinedload`: joined -> "joinedload"
    prefetched: dict[str, tuple[str, ...]] = field(default_factory=dict)  # `prefetch_related_objects(rows, "a", ...)`: rows -> lookups
    # `inv = Invoice.objects.prefetch_related("lines__product").get(pk=pk)`: one row -> (select, prefetch) lookups it loaded
    row_loads: dict[str, Loads] = field(default_factory=dict)  # (row_loads.py)
    listed: set[str] = field(default_factory=set)  # local names bound to rows already run (`rows = list(qs)`, `qs[:10]`)
    served: set[tuple[str, str]] = field(default_factory=set)  # (root, relation) Django's prefetch cache is tested to hold here
    tree: ast.AST | None = None  # the function's own node: what its body does to a literal list (bindings.py)
    mutated: frozenset[str] | None = None  # names its body appends to, extends or stores into (computed when first asked)


@dataclass
class LoopState:
    loop: Loop
    assigned: set[str] = field(default_factory=set)
    sink_args: set[str] = field(default_factory=set)
    sqls: list[str] = field(default_factory=list)
    fetchmany: bool = False
    takes_items: bool = False  # pops or pulls items from a collection (a worklist), so it repeats per item
    target_names: frozenset[str] = frozenset()  # names the loop header binds
    keys: frozenset[str] = frozenset()  # names bound to a mapping's keys (`for lang, rows in by_lang.items()`): distinct each time
    rebound: set[str] = field(default_factory=set)  # names given a new value in the body (not `self.x = ...`, which keeps `self`)
    items: set[str] = field(default_factory=set)  # `opts["src"]`, `ns.src` given a new value in the body (bindings.stored_item)
    statements: set[str] = field(default_factory=set)  # names bound to the item's own SQL (`sql = rule.sql.format(...)`)
    stores: set[str] = field(default_factory=set)  # names bound to what a method of the item returns (`conn, lock = tc.get_tilestor()`)
    body: list = field(default_factory=list)  # a `for` or `while` loop's statements
    grown: frozenset[str] | None = None  # names its body grows (`taken.append(...)`), read on first need (loops._grown)
    chained: frozenset[str] | None = None  # names each iteration takes from the one before, read on first need (chains.carried)
    before: frozenset[str] = frozenset()  # the names the function had bound when the loop began (chains.chained)
    # `qs |= Model.objects...prefetch_related(...)` onto an empty queryset bound before the loop: (name, before, after),
    # which outlives the loop's own bindings (bindings._augassign)
    combined: list[tuple[str, IterSource, IterSource]] = field(default_factory=list)


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

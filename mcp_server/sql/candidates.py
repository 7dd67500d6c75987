"""Index candidates of one statement: the columns its WHERE, JOIN, ORDER BY and GROUP BY use, mapped to their
tables through sqlglot's qualify and scopes, ordered equality first (the most selective first, flags last), then
one range column, then the sort; `UPPER(col) = ?` gives an expression candidate; a negation (NOT, <>, NOT IN)
gives none, since an index cannot find "every row but these"; each alias of a table is its own candidate; an
existing index whose leading parts already cover a candidate rules it out."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlglot import exp
from sqlglot.optimizer.qualify import qualify
from sqlglot.optimizer.scope import traverse_scope

from . import proof_rules
from .schema import Schema

_RANGE = (exp.GT, exp.GTE, exp.LT, exp.LTE, exp.Between)
_EXPRESSIONS = (exp.Upper, exp.Lower)  # lookups by a function of a column: iexact, case-insensitive e-mail


@dataclass
class Candidate:
    table: str
    columns: tuple[str, ...]  # key parts: a column name, or an expression such as upper(email)
    reasons: list[str] = field(default_factory=list)
    equalities: int = 0  # how many leading parts an equality or a join fixes
    has_range: bool = False

    @property
    def expressions(self) -> bool:
        return any("(" in c for c in self.columns)

    def key_sql(self) -> str:
        return ", ".join(c if "(" in c else f'"{c}"' for c in self.columns)

    def ddl(self, dialect: str, name: str | None = None) -> str:
        name = name or f"ix_{self.table}_{'_'.join(re.sub(r'[^a-z0-9]+', '_', c.lower()).strip('_') for c in self.columns)}"
        concurrently = " CONCURRENTLY" if dialect == "postgres" else ""
        return f"CREATE INDEX{concurrently} {name} ON {self.table} ({', '.join(self.columns)})"


def candidates(tree: exp.Expression, schema: Schema, dialect: str, stats: dict[str, int] | None = None) -> list[Candidate]:
    try:
        qualified = qualify(tree.copy(), schema=schema.tables or None, dialect=dialect, validate_qualify_columns=False, expand_stars=False,
                            quote_identifiers=False, identify=False)
    except Exception:  # an unknown table or column: plan what we can read
        qualified = tree.copy()
    found: dict[tuple[str, str], dict[str, list[str]]] = {}  # (alias, table): one table joined twice is two lookups
    for scope in traverse_scope(qualified):
        tables = {alias: src.name for alias, src in scope.sources.items() if isinstance(src, exp.Table)}

        def slot(col: exp.Column) -> dict[str, list[str]] | None:
            alias = col.table if col.table else (next(iter(tables)) if len(tables) == 1 else None)
            if alias is None or alias not in tables:
                return None
            return found.setdefault((alias, tables[alias]), {"eq": [], "range": [], "sort": [], "join": []})

        select = scope.expression
        where = select.args.get("where") if isinstance(select, exp.Select) else None
        if where is not None:
            for node in where.find_all(exp.EQ, exp.In, *_RANGE, exp.Like, exp.Is):
                if _under(node, where, (exp.Or, exp.Not)) or isinstance(node, exp.Is):
                    continue  # a negation or an alternative: no single index range finds those rows
                col = node.this if isinstance(node, (exp.In, exp.Between, exp.Like)) else node.left if _keyed(node.left) else node.right
                other = None if isinstance(node, (exp.In, exp.Between, exp.Like)) else (node.right if col is node.left else node.left)
                if not _keyed(col) or _keyed(other):
                    continue
                if isinstance(node, exp.Like) and not (isinstance(node.expression, exp.Literal) and not node.expression.this.startswith(("%", "_"))):
                    continue
                column = col if isinstance(col, exp.Column) else col.this
                s = slot(column)
                if s is not None:
                    part = column.name if isinstance(col, exp.Column) else f"{type(col).__name__.lower()}({column.name})"
                    kind = "eq" if isinstance(node, (exp.EQ, exp.In)) else "range"
                    if part not in s[kind]:
                        s[kind].append(part)
        for join in (select.args.get("joins") or []) if isinstance(select, exp.Select) else []:
            on = join.args.get("on")
            for eq in on.find_all(exp.EQ) if on is not None else []:
                if isinstance(eq.left, exp.Column) and isinstance(eq.right, exp.Column):
                    for col in (eq.left, eq.right):
                        s = slot(col)
                        if s is not None and col.name not in s["join"]:
                            s["join"].append(col.name)
        for key in ("order", "group"):
            node = select.args.get(key) if isinstance(select, exp.Select) else None
            for col in (node.find_all(exp.Column) if node is not None else []):
                s = slot(col)
                if s is not None and col.name not in s["sort"]:
                    s["sort"].append(col.name)
    out: list[Candidate] = []
    for (_, table), parts in found.items():
        def values(c: str, table: str = table) -> int:
            return proof_rules.distinct_guess(schema, table, c, stats)

        # the most selective equality leads; columns of a few values go last and are dropped when something better leads
        eq = sorted(parts["eq"], key=lambda c: -values(c))
        if len(eq) > 1:
            eq = [c for c in eq if values(c) > proof_rules.FEW_VALUES] or eq[:1]
        if any(ix.table == table and ix.unique and ix.where is None and set(ix.columns) <= set(parts["eq"]) for ix in schema.indexes):
            eq, parts = [], {**parts, "range": [], "sort": []}  # a unique key fixes one row already: nothing else pays
        columns = eq[: proof_rules.MAX_KEY_COLUMNS]
        reasons = [f"equality on {', '.join(columns)}"] if columns else []
        has_range = False
        if parts["range"] and len(columns) < proof_rules.MAX_KEY_COLUMNS:
            columns.append(parts["range"][0])
            reasons.append(f"range on {parts['range'][0]}")
            has_range = True
        elif parts["sort"] and not set(parts["sort"]) & set(columns):
            # SQLite keeps the rowid (an INTEGER PRIMARY KEY) in every index already: sorting by it needs no column
            sort = [c for c in parts["sort"] if not (dialect == "sqlite" and schema.covered(table, (c,)) and
                                                       any(ix.name == f"{table}_pkey" and ix.columns == (c,) for ix in schema.indexes))]
            sort = sort[: max(0, proof_rules.MAX_KEY_COLUMNS - len(columns))]
            if sort:
                columns += sort
                reasons.append(f"sort by {', '.join(sort)}")
        if columns:
            out.append(Candidate(table, tuple(columns), reasons, equalities=len(eq[: proof_rules.MAX_KEY_COLUMNS]), has_range=has_range))
        for col in parts["join"]:
            if col not in columns[:1]:
                out.append(Candidate(table, (col,), [f"join on {col}"], equalities=1))
    kept = []
    for c in out:
        if schema.covered(c.table, c.columns) is None and all((k.table, k.columns) != (c.table, c.columns) for k in kept):
            kept.append(c)
    return kept


def _keyed(node) -> bool:
    """A column, or UPPER/LOWER of one: what an index (plain or on the expression) can hold."""
    return isinstance(node, exp.Column) or (isinstance(node, _EXPRESSIONS) and isinstance(node.this, exp.Column))


def _under(node: exp.Expression, stop: exp.Expression, kinds) -> bool:
    cur = node.parent
    while cur is not None and cur is not stop:
        if isinstance(cur, kinds):
            return True
        cur = cur.parent
    return False

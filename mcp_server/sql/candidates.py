"""Index candidates of one statement: the columns its WHERE, JOIN, ORDER BY and GROUP BY use, mapped to their
tables through sqlglot's qualify and scopes, ordered equality first, then one range column, then the sort; an
existing index whose leading columns already cover a candidate rules it out."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlglot import exp
from sqlglot.optimizer.qualify import qualify
from sqlglot.optimizer.scope import traverse_scope

from .schema import Schema

_RANGE = (exp.GT, exp.GTE, exp.LT, exp.LTE, exp.Between)


@dataclass
class Candidate:
    table: str
    columns: tuple[str, ...]
    reasons: list[str] = field(default_factory=list)

    def ddl(self, dialect: str, name: str | None = None) -> str:
        name = name or f"ix_{self.table}_{'_'.join(self.columns)}"
        concurrently = " CONCURRENTLY" if dialect == "postgres" else ""
        return f"CREATE INDEX{concurrently} {name} ON {self.table} ({', '.join(self.columns)})"


def candidates(tree: exp.Expression, schema: Schema, dialect: str) -> list[Candidate]:
    try:
        qualified = qualify(tree.copy(), schema=schema.tables or None, dialect=dialect, validate_qualify_columns=False, expand_stars=False,
                            quote_identifiers=False, identify=False)
    except Exception:  # an unknown table or column: plan what we can read
        qualified = tree.copy()
    found: dict[str, dict[str, list[str]]] = {}
    for scope in traverse_scope(qualified):
        tables = {alias: src.name for alias, src in scope.sources.items() if isinstance(src, exp.Table)}

        def slot(col: exp.Column) -> tuple[str, dict[str, list[str]]] | None:
            table = tables.get(col.table) if col.table else (next(iter(tables.values())) if len(tables) == 1 else None)
            if table is None:
                return None
            return table, found.setdefault(table, {"eq": [], "range": [], "sort": [], "join": []})

        select = scope.expression
        where = select.args.get("where") if isinstance(select, exp.Select) else None
        if where is not None:
            for node in where.find_all(exp.EQ, exp.In, *_RANGE, exp.Like):
                if _under_or(node, where):
                    continue
                col = node.this if isinstance(node, (exp.In, exp.Between, exp.Like)) else node.left if isinstance(node.left, exp.Column) else node.right
                other = None if isinstance(node, (exp.In, exp.Between, exp.Like)) else (node.right if col is node.left else node.left)
                if not isinstance(col, exp.Column) or isinstance(other, exp.Column):
                    continue
                if isinstance(node, exp.Like) and not (isinstance(node.expression, exp.Literal) and not node.expression.this.startswith(("%", "_"))):
                    continue
                s = slot(col)
                if s:
                    kind = "eq" if isinstance(node, (exp.EQ, exp.In)) else "range"
                    if col.name not in s[1][kind]:
                        s[1][kind].append(col.name)
        for join in (select.args.get("joins") or []) if isinstance(select, exp.Select) else []:
            on = join.args.get("on")
            for eq in on.find_all(exp.EQ) if on is not None else []:
                if isinstance(eq.left, exp.Column) and isinstance(eq.right, exp.Column):
                    for col in (eq.left, eq.right):
                        s = slot(col)
                        if s and col.name not in s[1]["join"]:
                            s[1]["join"].append(col.name)
        for key in ("order", "group"):
            node = select.args.get(key) if isinstance(select, exp.Select) else None
            for col in (node.find_all(exp.Column) if node is not None else []):
                s = slot(col)
                if s and col.name not in s[1]["sort"]:
                    s[1]["sort"].append(col.name)
    out: list[Candidate] = []
    for table, parts in found.items():
        columns = list(parts["eq"])
        reasons = [f"equality on {', '.join(parts['eq'])}"] if parts["eq"] else []
        if parts["range"]:
            columns.append(parts["range"][0])
            reasons.append(f"range on {parts['range'][0]}")
        elif parts["sort"] and not set(parts["sort"]) & set(columns):
            # SQLite keeps the rowid (an INTEGER PRIMARY KEY) in every index already: sorting by it needs no column
            sort = [c for c in parts["sort"] if not (dialect == "sqlite" and schema.covered(table, (c,)) and
                                                       any(ix.name == f"{table}_pkey" and ix.columns == (c,) for ix in schema.indexes))]
            if sort:
                columns += sort
                reasons.append(f"sort by {', '.join(sort)}")
        if columns:
            out.append(Candidate(table, tuple(columns), reasons))
        for col in parts["join"]:
            if col not in columns[:1]:
                out.append(Candidate(table, (col,), [f"join on {col}"]))
    kept = []
    for c in out:
        if schema.covered(c.table, c.columns) is None and all((k.table, k.columns) != (c.table, c.columns) for k in kept):
            kept.append(c)
    return kept


def _under_or(node: exp.Expression, stop: exp.Expression) -> bool:
    cur = node.parent
    while cur is not None and cur is not stop:
        if isinstance(cur, exp.Or):
            return True
        cur = cur.parent
    return False

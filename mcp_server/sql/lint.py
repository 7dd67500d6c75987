"""Static lint of one statement with sqlglot, usable with no database. Each check is a documented rule
(rules/sql.py); this module finds them. Runs on the parsed (not optimised) tree: the optimiser rewrites
NOT IN and friends away."""

from __future__ import annotations

from sqlglot import exp

from ..models import Evidence, Finding
from .schema import Schema

LARGE_OFFSET = 1000  # OFFSET at or above this reads and throws away that many rows on every page

_TEXT = ("CHAR", "TEXT", "CLOB", "STRING", "VARCHAR", "CHARACTER")
_NUMBER = ("INT", "REAL", "FLOA", "DOUB", "NUMERIC", "DECIMAL", "BIGINT", "SMALLINT")


def lint(tree: exp.Expression, schema: Schema | None, dialect: str) -> list[Finding]:
    out: list[Finding] = []

    def add(rule: str, node: exp.Expression, message: str, confidence: str = "high") -> None:
        from ..rules import finding

        out.append(finding(rule, message, confidence, evidence=[Evidence(role="sql", message=node.sql(dialect=dialect)[:300])]))

    aliases = _aliases(tree)
    for select in tree.find_all(exp.Select):
        if any(isinstance(e, exp.Star) or (isinstance(e, exp.Column) and isinstance(e.this, exp.Star)) for e in select.expressions):
            add("SQL001", select, "`SELECT *` fetches every column, including those nobody reads, and defeats covering indexes", "high")
        for e in select.expressions:
            sub = e.find(exp.Subquery)
            if sub is not None and _correlated(sub, select):
                add("SQL010", sub, "a correlated subquery in the SELECT list runs once per row of the outer query")
        frm = _from(select)
        joins = select.args.get("joins") or []
        # `FROM a, b` parses as a CROSS join with no condition; only a join condition in WHERE makes it a join
        if frm is not None and isinstance(frm.this, exp.Table) and any(
                (j.args.get("kind") or "").upper() in ("", "CROSS") and not j.args.get("on") and not j.args.get("using") and not j.args.get("side")
                and isinstance(j.this, exp.Table) for j in joins):
            if not _joined_in_where(select):
                add("SQL009", select, "tables listed without a join condition: every row of one is paired with every row of the other")
    for like in tree.find_all(exp.Like, exp.ILike):
        pattern = like.expression
        if isinstance(pattern, exp.Literal) and pattern.is_string and pattern.this[:1] in ("%", "_"):
            add("SQL002", like, f"`LIKE '{pattern.this}'` starts with a wildcard: no B-tree index can serve it, every row is read")
    for cond in _conditions(tree):
        for cmp in cond.find_all(exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE):
            for side in (cmp.left, cmp.right):
                if isinstance(side, (exp.Func, exp.Cast)) and not isinstance(side, exp.AggFunc) and side.find(exp.Column) is not None:
                    col = side.find(exp.Column)
                    add("SQL003", cmp, f"`{side.sql(dialect=dialect)}` applies a function to the column `{col.name}`: an index on `{col.name}` cannot be used")
                    break
            col, lit = (cmp.left, cmp.right) if isinstance(cmp.left, exp.Column) else (cmp.right, cmp.left)
            if isinstance(col, exp.Column) and isinstance(lit, exp.Literal) and schema is not None:
                kind = _column_type(col, aliases, schema)
                if kind and ((lit.is_string and kind.upper().startswith(_NUMBER)) or (not lit.is_string and kind.upper().startswith(_TEXT))):
                    add("SQL011", cmp, f"`{col.name}` is {kind} but is compared with {'a string' if lit.is_string else 'a number'}: the database "
                                       "converts every row (and may skip the index) or compares the wrong way", "medium")
        for node in cond.find_all(exp.Or):
            if isinstance(node.parent, exp.Or):
                continue
            columns = {c.sql() for branch in _or_branches(node) for c in [branch.find(exp.Column)] if c is not None}
            if len(columns) > 1:
                add("SQL004", node, f"`OR` across different columns ({', '.join(sorted(columns))}): one index cannot serve both sides", "medium")
    for node in tree.find_all(exp.Not):
        if isinstance(node.this, exp.In) and node.this.args.get("query") is not None:
            add("SQL005", node, "`NOT IN (subquery)` is never true when the subquery returns a NULL, and plans poorly; use NOT EXISTS")
    for offset in tree.find_all(exp.Offset):
        value = offset.expression
        if isinstance(value, exp.Literal) and not value.is_string and int(float(value.this)) >= LARGE_OFFSET:
            add("SQL006", offset, f"`OFFSET {value.this}` reads and discards {value.this} rows on every call; pages get slower as they go")
    for order in tree.find_all(exp.Order):
        if any(isinstance(o.this, exp.Rand) or (isinstance(o.this, exp.Anonymous) and o.this.name.lower() in ("random", "rand", "newid"))
               for o in order.expressions):
            add("SQL007", order, "`ORDER BY RANDOM()` sorts the whole table to return a few rows")
    for write in tree.find_all(exp.Update, exp.Delete):
        if write.args.get("where") is None:
            add("SQL008", write, f"`{type(write).__name__.upper()}` without `WHERE` changes every row of the table")
    return out


def _conditions(tree: exp.Expression):
    for node in tree.find_all(exp.Where, exp.Join, exp.Having):
        target = node.args.get("on") if isinstance(node, exp.Join) else node.this
        if target is not None:
            yield target


def _or_branches(node: exp.Expression) -> list[exp.Expression]:
    if isinstance(node, exp.Or):
        return _or_branches(node.left) + _or_branches(node.right)
    if isinstance(node, exp.Paren):
        return _or_branches(node.this)
    return [node]


def _aliases(tree: exp.Expression) -> dict[str, str]:
    out = {}
    for table in tree.find_all(exp.Table):
        out[table.alias_or_name] = table.name
        out[table.name] = table.name
    return out


def _column_type(col: exp.Column, aliases: dict[str, str], schema: Schema) -> str | None:
    tables = [aliases.get(col.table, col.table)] if col.table else list(schema.tables)
    found = [schema.tables[t][col.name] for t in tables if t in schema.tables and col.name in schema.tables[t]]
    return found[0] if len(found) == 1 else None


def _correlated(sub: exp.Subquery, outer: exp.Select) -> bool:
    inner_tables = {t.alias_or_name for t in sub.find_all(exp.Table)}
    frm = _from(outer)
    outer_tables = {t.alias_or_name for t in frm.find_all(exp.Table)} if frm is not None else set()
    return any(c.table and c.table not in inner_tables and c.table in outer_tables for c in sub.find_all(exp.Column))


def _from(select: exp.Select) -> exp.From | None:
    return select.args.get("from_") or select.args.get("from")  # sqlglot 30 names it from_


def _joined_in_where(select: exp.Select) -> bool:
    where = select.args.get("where")
    if where is None:
        return False
    return any(isinstance(e.left, exp.Column) and isinstance(e.right, exp.Column) and e.left.table != e.right.table
               for e in where.find_all(exp.EQ))




"""SQLAlchemy rows that all share one parent: `filter(Item.tech_id == technology.id)` (a key column named short of
its relation) or `join(Technology).filter(Technology.name == name)` (a joined class's own key). Every row's
`technology` is then one row, which a lazy many-to-one load takes from the session's identity map after the first
(Security Monkey's watchers and auditors, round 106: 5 judged false). Unlike `filter(order=order)` this says nothing
of how many rows there are: a lookup table's one row (a tax rate, a technology) has most of the table."""

from __future__ import annotations

import ast
import re

from .nodes import dotted, equalities
from .walk import CAPWORD, class_like

_PICKS_ONE = frozenset({"id", "name", "slug", "uuid", "key", "code"})  # a lookup table's own key columns


def snake(name: str) -> str:
    """`TaxRate` -> `tax_rate`: how a relation to a class is named by convention."""
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def shared(methods: list[ast.Call], model: str | None, loop_vars=()) -> tuple[str, ...]:
    """The parents every row shares, by relation name as convention spells it (`technology`, `tax_rate`): for each
    filter that compares the rows' key column with one object's id (`Item.tech_id == technology.id`), or another
    class's key column with a value the loop does not change (a constant, or a name no outer loop binds)."""
    own = (model or "").rpartition(".")[2]
    found: list[str] = []
    for call in methods:
        if type(call.func) is not ast.Attribute or call.func.attr not in ("filter", "where", "filter_by"):
            continue  # a `join(TaxRate, TaxRate.id == TaxLine.tax_id)`'s condition picks no parent
        for left, given in equalities(call):
            cls = dotted(left.value) if class_like(left.value) else None
            if cls is None:
                continue
            parent = cls.rpartition(".")[2]
            if parent == own:
                found += _by_key(left.attr, given, loop_vars)
            elif left.attr in _PICKS_ONE and (_invariant(given, loop_vars) or _outer_row(left.attr, given, loop_vars)):
                found.append(snake(parent))
        for kw in call.keywords if call.func.attr == "filter_by" else ():
            found += _by_key(kw.arg or "", kw.value, loop_vars)
    return tuple(dict.fromkeys(found))


def _by_key(column: str, given: ast.AST, loop_vars) -> list[str]:
    """`tech_id` compared with `technology.id`: the object's name, when the column is its name or a prefix of it. An
    outer loop's row counts too: the session holds it, so every row's parent is that row."""
    if column.endswith("_id") and len(column) > 3 and type(given) is ast.Name and given.id not in loop_vars:
        # `Backup.assignment_id == assign_id`, a value the loop does not change: every row's `assignment` is that one
        # row (okpy's checkpoint job, round 152: judged CACHED)
        return [column[:-3]]
    name = dotted(given) if type(given) is ast.Attribute else None
    parts = (name or "").split(".")
    if column.endswith("_id") and len(column) > 3 and len(parts) >= 2 and parts[-1] == column and parts[0] not in loop_vars:
        # `Project.repository_id == diff.source.repository_id`: another object's key to the same parent (Dropbox's
        # Changes, round 176: the projects of one diff's repository)
        return [column[:-3]]
    if not column.endswith("_id") and len(parts) == 2 and parts[0] not in loop_vars and (parts == [column, "id"] or parts[1] == column):
        # `Data.form == form.id` or `Data.organisation == user.organisation`: a key column named as its parent (the
        # relationship is `form_detail`), compared with that parent's key (ISCO's submissions, round 278: judged PREFETCHED)
        return [column]
    if not column.endswith("_id") or len(parts) < 2 or parts[-1] not in ("id", "pk") or (parts[0] in loop_vars and len(parts) > 2):
        return []
    key, owner = column[:-3], parts[-2]
    return [owner] if owner == key or (len(key) >= 3 and owner.startswith(key)) else []


def _outer_row(column: str, given: ast.AST, loop_vars) -> bool:
    """`join(System).filter(System.id == system.id)` inside `for system in ...`: the parent is the outer loop's own
    row, which the session holds, so no row's load queries (Beaker's CSV export, round 134: 3 judged CACHED)."""
    name = dotted(given) if type(given) is ast.Attribute else None
    parts = (name or "").split(".")
    return column in ("id", "pk") and len(parts) == 2 and parts[0] in loop_vars and parts[1] in ("id", "pk")


def _invariant(given: ast.AST, loop_vars) -> bool:
    """A constant other than None or a bool, or a name no outer loop binds that is not another class's column (a
    join's `Item.tech_id`); a module's DEFAULT_TAX is a value."""
    if type(given) is ast.Constant:
        return given.value is not None and not isinstance(given.value, bool)
    name = dotted(given) if type(given) in (ast.Name, ast.Attribute) else None
    parts = (name or "").split(".")
    return bool(name) and parts[0] not in loop_vars and not any(CAPWORD.match(p) and not p.isupper() for p in parts)

"""One Django ORM call turned into the SQL it runs, exactly, or a reason why it is not planned.

`Invoice.objects.filter(client__name=x).exclude(status=None).order_by("-issued_on")` becomes
`SELECT ... FROM billing_invoice INNER JOIN billing_client ON ... WHERE billing_client.name = ? AND NOT
(billing_invoice.status IS NULL) ORDER BY billing_invoice.issued_on DESC`. A negation stays a negation, None is
IS NULL, a relation is a join, iexact is an expression. What cannot be rendered exactly (Q objects, F
expressions, annotations, custom queryset methods, many-to-many paths...) is a NotPlanned with the reason: an
index proven for a statement the code does not run is worse than none."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from .django_models import Model, ModelField, Project

_COMPARE = {"exact": "=", "gt": ">", "gte": ">=", "lt": "<", "lte": "<="}
_LIKE = {"contains", "icontains", "startswith", "istartswith", "endswith", "iendswith"}
_LOOKUPS = {*_COMPARE, *_LIKE, "iexact", "in", "isnull", "range"}
# methods that do not change which rows are read, nor their order
_NEUTRAL = {"all", "select_related", "prefetch_related", "only", "defer", "values", "values_list", "distinct", "using", "iterator",
            "select_for_update", "count", "exists", "in_bulk", "get_queryset"}
_STATEMENT = {"filter", "exclude", "get", "order_by", "first", "last", "latest", "earliest", "count", "exists", "update", "delete",
              "values", "values_list", "get_or_create", "update_or_create"}
_MANAGERS = {"objects", "_default_manager", "_base_manager"}


@dataclass
class NotPlanned:
    reason: str


@dataclass
class _Query:
    model: Model
    joins: list[str] = field(default_factory=list)
    aliases: dict[tuple[str, ...], str] = field(default_factory=dict)  # relation path -> alias of its table
    where: list[str] = field(default_factory=list)
    order: list[str] = field(default_factory=list)
    verb: str = "select"
    sets: list[str] = field(default_factory=list)
    shape: str = "rows"  # rows | count | exists
    methods: ast.ClassDef | None = None  # the custom manager / queryset class whose methods may be inlined


class _Refuse(Exception):
    pass


def is_statement_end(call: ast.Call) -> bool:
    return isinstance(call.func, ast.Attribute) and call.func.attr in _STATEMENT


def translate(call: ast.Call, project: Project, resolve_name, engine: str) -> str | NotPlanned | None:
    """SQL for the ORM call ending at `call`, NotPlanned, or None when the call is not an ORM call at all.
    resolve_name(name) -> the models a class name in this file may be."""
    chain: list[ast.Call] = []
    cur: ast.AST = call
    while isinstance(cur, ast.Call) and isinstance(cur.func, ast.Attribute):
        chain.append(cur)
        cur = cur.func.value
    chain.reverse()
    root = _root(cur, project, resolve_name)
    if root is None:
        return None
    if isinstance(root, NotPlanned):
        return root
    model, manager_filter, methods = root
    q = _Query(model, methods=methods)
    try:
        if model.table == "":
            raise _Refuse(f"the schema has no table for model {model.key}")
        if manager_filter:
            q.where.append(manager_filter)
        for c in chain:
            _apply(q, c, project, engine)
    except _Refuse as why:
        return NotPlanned(str(why))
    return _render(q)


def _root(node: ast.AST, project: Project, resolve_name):
    """(model, the related manager's condition, methods a custom manager adds) for `Model.objects`, `Model.<manager>`
    or `obj.<reverse accessor>`; None for anything else."""
    if not isinstance(node, ast.Attribute):
        return None
    attr = node.attr
    if isinstance(node.value, ast.Name):
        models = resolve_name(node.value.id)
        if models:
            if len(models) > 1:
                return NotPlanned(f"{node.value.id} names {len(models)} models ({', '.join(m.key for m in models)}); import it by its app")
            m = models[0]
            if attr in _MANAGERS or (attr in m.managers and not m.managers[attr]):
                return m, None, None
            if attr in m.managers and m.managers[attr] in project.querysets:
                cls = project.querysets.get(m.managers[attr])
                if cls is not None and any(isinstance(s, ast.FunctionDef) and s.name == "get_queryset" for s in cls.body):
                    return NotPlanned(f"manager {attr} of {m.name} overrides get_queryset(): its filter is not translated")
                return m, None, cls
            return None
    # a related manager: client.invoices / client.invoice_set, when only one relation in the project has that name
    hits = []
    for m in project.models.values():
        for f in m.fields.values():
            if f.target is None:
                continue
            target = project.target(m, f)
            if target is None:
                continue
            accessor = f.related_name or f"{m.name.lower()}_set"
            if attr == accessor:
                hits.append((m, f))
    if len(hits) != 1:
        return None
    m, f = hits[0]
    if f.many:
        return NotPlanned(f"{attr} is a many-to-many manager: its join through the link table is not translated")
    if m.abstract:
        return None
    return m, f'"{m.table}"."{f.column}" = ?', None


def _apply(q: _Query, c: ast.Call, project: Project, engine: str) -> None:
    method = c.func.attr
    if method in ("filter", "get", "exclude", "get_or_create", "update_or_create"):
        if c.args and method not in ("filter", "get", "exclude"):
            raise _Refuse(f"{method}() with positional arguments is not translated")
        if method in ("get_or_create", "update_or_create"):
            kws = [k for k in c.keywords if k.arg != "defaults"]
        else:
            kws = c.keywords
        if any(k.arg is None for k in kws):
            raise _Refuse(f"{method}(**kwargs): the lookups are not known before run time")
        parts = [_q(q, a, project, engine, method) for a in c.args]
        parts += [_lookup(q, k.arg, k.value, project, engine, negated=method == "exclude") for k in kws]
        if method == "exclude" and parts:
            q.where.append(f"NOT ({' AND '.join(parts)})")
        else:
            q.where += parts
    elif method == "order_by":
        q.order = []
        for a in c.args:
            if not isinstance(a, ast.Constant) or not isinstance(a.value, str):
                raise _Refuse("order_by() with expressions is not translated")
            if a.value == "?":
                q.order.append("RANDOM()")
                continue
            desc = a.value.startswith("-")
            col = _column(q, a.value.lstrip("-").split("__"), project, "order_by")
            q.order.append(col + (" DESC" if desc else ""))
    elif method in ("latest", "earliest"):
        if len(c.args) != 1 or not isinstance(c.args[0], ast.Constant) or not isinstance(c.args[0].value, str):
            raise _Refuse(f"{method}() without one field name uses Meta.get_latest_by, which is not translated")
        name = c.args[0].value
        desc = (method == "latest") != name.startswith("-")
        q.order = [_column(q, name.lstrip("-").split("__"), project, method) + (" DESC" if desc else "")]
    elif method in ("first", "last"):
        if not q.order:
            q.order = [f'"{q.model.table}"."{q.model.pk_column()}"' + (" DESC" if method == "last" else "")]
    elif method == "update":
        q.verb = "update"
        for k in c.keywords:
            f = q.model.fields.get(k.arg or "")
            if f is None or f.many:
                raise _Refuse(f"update({k.arg or '**kwargs'}=...) is not a column of {q.model.name}")
            q.sets.append(f'"{f.column}" = ?')
    elif method == "delete":
        q.verb = "delete"
    elif method in ("count", "exists"):
        q.shape = method
    elif method in _NEUTRAL:
        pass
    else:
        body = _inline(q, method)
        if body is None:
            raise _Refuse(f"{method}() is not translated")
        for inner in body:
            _apply(q, inner, project, engine)


def _q(q: _Query, node: ast.expr, project: Project, engine: str, method: str, negated: bool = False) -> str:
    """Q(a=1) | Q(b=2), Q(...) & Q(...), ~Q(...): the boolean expression Django builds from them."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.BitOr, ast.BitAnd)):
        glue = " OR " if isinstance(node.op, ast.BitOr) else " AND "
        return f"({_q(q, node.left, project, engine, method, negated)}{glue}{_q(q, node.right, project, engine, method, negated)})"
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Invert):
        return f"NOT ({_q(q, node.operand, project, engine, method, not negated)})"
    if isinstance(node, ast.Call) and isinstance(node.func, (ast.Name, ast.Attribute)) and \
            (node.func.id if isinstance(node.func, ast.Name) else node.func.attr) == "Q" and not node.args and node.keywords:
        if any(k.arg is None for k in node.keywords):
            raise _Refuse(f"{method}(Q(**kwargs)): the lookups are not known before run time")
        return " AND ".join(_lookup(q, k.arg, k.value, project, engine, negated=negated or method == "exclude") for k in node.keywords)
    raise _Refuse(f"{method}() with an expression other than Q objects is not translated")


def _inline(q: _Query, method: str) -> list[ast.Call] | None:
    """A custom manager or queryset method that is one `return self.filter(...)...` chain: its calls, in order."""
    fn = next((s for s in (q.methods.body if q.methods else []) if isinstance(s, ast.FunctionDef) and s.name == method), None)
    body = [s for s in fn.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))] if fn else []
    if len(body) != 1 or not isinstance(body[0], ast.Return) or not isinstance(body[0].value, ast.Call):
        return None
    chain: list[ast.Call] = []
    cur: ast.AST = body[0].value
    while isinstance(cur, ast.Call) and isinstance(cur.func, ast.Attribute):
        chain.append(cur)
        cur = cur.func.value
    is_self = isinstance(cur, ast.Name) and cur.id == "self"
    is_super = isinstance(cur, ast.Call) and isinstance(cur.func, ast.Name) and cur.func.id == "super"
    return chain[::-1] if is_self or is_super else None


def _walk(q: _Query, parts: list[str], project: Project, what: str) -> tuple[str, ModelField | None, list[str]]:
    """Follow relation names to the field; returns (table alias, field, the rest of the parts: lookups)."""
    model, alias, path = q.model, q.model.table, ()
    i = 0
    while i < len(parts):
        name = "id" if parts[i] == "pk" else parts[i]
        f = model.fields.get(name) or next((x for x in model.fields.values() if x.column == name), None)
        if f is None and (name == "id" or parts[i] == "pk"):
            f = ModelField("id", model.pk_column())
        if f is None and name in model.columns:  # a field of a third-party base class (treebeard's depth, path)
            f = ModelField(name, name)
        elif f is None and f"{name}_id" in model.columns:  # a ForeignKey of a third-party base: the column, no join
            f = ModelField(name, f"{name}_id")
        if f is None:
            reverse = _reverse(model, name, project)
            if reverse is None:
                raise _Refuse(f"{what}: {'__'.join(parts)} is not a column or relation of {model.name}")
            raise _Refuse(f"{what}: {'__'.join(parts)} follows the reverse relation {name} (a multi-valued join), which is not translated")
        rest = parts[i + 1:]
        if f.many:
            raise _Refuse(f"{what}: {'__'.join(parts)} goes through the many-to-many {f.name}, which is not translated")
        if f.target is not None and rest and rest[0] not in _LOOKUPS:
            target = project.target(model, f)
            if target is None or not target.table:
                raise _Refuse(f"{what}: the model {f.target} of {model.name}.{f.name} is not in the schema")
            if rest[0] in ("id", "pk", target.pk_column()) and (len(rest) == 1 or rest[1] in _LOOKUPS):
                return alias, f, rest[1:]  # client__id is client_id: Django needs no join
            path = (*path, f.name)
            if path not in q.aliases:
                taken = set(q.aliases.values()) | {q.model.table}
                new = target.table if target.table not in taken else f"T{len(q.aliases) + 2}"
                q.aliases[path] = new
                shown = f'"{target.table}"' + (f" {new}" if new != target.table else "")
                kind = "LEFT OUTER JOIN" if f.null and what == "order_by" else "INNER JOIN"
                q.joins.append(f'{kind} {shown} ON "{new}"."{target.pk_column()}" = "{alias}"."{f.column}"')
            model, alias = target, q.aliases[path]
            i += 1
            continue
        return alias, f, rest
    raise _Refuse(f"{what}: {'__'.join(parts)} names no column")


def _reverse(model: Model, name: str, project: Project):
    for m in project.models.values():
        for f in m.fields.values():
            if f.target is not None and project.target(m, f) is model and name in (f.related_name, m.name.lower()):
                return m, f
    return None


def _column(q: _Query, parts: list[str], project: Project, what: str) -> str:
    alias, f, rest = _walk(q, parts, project, what)
    if rest:
        raise _Refuse(f"{what}: {'__'.join(parts)} is not a column (an annotation or a transform)")
    return f'"{alias}"."{f.column}"'


def _lookup(q: _Query, key: str, value: ast.expr, project: Project, engine: str, negated: bool) -> str:
    parts = key.split("__")
    alias, f, rest = _walk(q, parts, project, "filter")
    if len(rest) > 1 or (rest and rest[0] not in _LOOKUPS):
        raise _Refuse(f"filter: the lookup {key} uses a transform ({'__'.join(rest)}) that is not translated")
    op = rest[0] if rest else "exact"
    col = f'"{alias}"."{f.column}"'
    is_none = isinstance(value, ast.Constant) and value.value is None
    if op == "isnull":
        if not isinstance(value, ast.Constant) or not isinstance(value.value, bool):
            raise _Refuse(f"filter: {key} needs True or False written in the code")
        return f"{col} IS NULL" if value.value else f"{col} IS NOT NULL"
    if is_none:
        if op not in ("exact", "iexact"):
            raise _Refuse(f"filter: {key}=None is not a valid lookup")
        return f"{col} IS NULL"
    if op in _COMPARE:
        cond = f"{col} {_COMPARE[op]} ?"
    elif op == "in":
        cond = f"{col} IN (?)"
    elif op == "range":
        cond = f"{col} BETWEEN ? AND ?"
    elif op == "iexact":
        cond = f"UPPER({col}) = UPPER(?)" if engine == "postgres" else f"{col} LIKE ? ESCAPE '\\'"
    else:  # the LIKE family: Django passes the pattern with its wildcards as the value
        cond = (f"UPPER({col}) LIKE UPPER(?)" if op.startswith("i") else f"{col} LIKE ?") if engine == "postgres" else f"{col} LIKE ? ESCAPE '\\'"
    if negated and f.null:
        cond = f"{cond} AND {col} IS NOT NULL"  # Django's exclude() keeps NULL rows out of the negation
    return cond


def _render(q: _Query) -> str:
    table = f'"{q.model.table}"'
    where = f" WHERE {' AND '.join(q.where)}" if q.where else ""
    if q.verb == "delete" and not q.joins:
        return f"DELETE FROM {table}{where}"
    if q.verb == "update" and not q.joins and q.sets:
        return f"UPDATE {table} SET {', '.join(q.sets)}{where}"
    joins = "".join(" " + j for j in q.joins)
    if q.shape == "count":
        return f"SELECT COUNT(*) FROM {table}{joins}{where}"
    if q.shape == "exists":
        return f"SELECT 1 FROM {table}{joins}{where} LIMIT 1"
    order = f" ORDER BY {', '.join(q.order)}" if q.order and q.verb == "select" else ""
    return f"SELECT {table}.* FROM {table}{joins}{where}{order}"

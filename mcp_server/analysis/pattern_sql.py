"""PF601: SQL built by string formatting from values that are not constants, placeholders or the
application's own identifiers."""

from __future__ import annotations

import ast
import re

from .facts import Span
from .handed_back import handed_args
from .nodes import dotted, last_name, span
from .pattern_state import FnState, capword, chain_root, string_literal, short
from .sql_positions import CONVERSION, flatten_add, in_remote_text, statement_positions, value_position
from .walk import keyword_arg
from .words import is_identifier_name, is_placeholder_name

SQL_START = re.compile(r"^\s*(select|insert|update|delete|with|replace|merge|upsert)\b", re.I)

_PLACEHOLDER = re.compile(r"^[\s(),]*(\?|%s|:\w+|\$\d+|%\(\w+\)s)[\s(),]*$")

SQL_EXEC = frozenset({"execute", "executemany", "executescript", "mogrify", "raw", "fetch", "fetchrow", "fetchval", "read_sql", "read_sql_query",
                      "query"})  # `query` only counts with SQL text: session.query(Model) never builds a string


_REVIEWED = re.compile(r"#\s*nosec\b|#\s*noqa:[\w, ]*\bS608\b")


class SqlBuilding:
    # PF601 ------------------------------------------------------------------------------------------------
    def sql_formatting(self, node: ast.Call, fn: FnState, method: str | None, full: str) -> None:
        if method in SQL_EXEC or full in ("sqlalchemy.text", "sqlalchemy.sql.text", "sqlalchemy.sql.expression.text", "pandas.read_sql"):
            if not node.args:
                return
            first = node.args[0]
            if isinstance(first, ast.Name) and first.id in fn.formatted:
                self.report_sql(node, fn, *fn.formatted[first.id], f"`{first.id}`")
                return
            built = self.formatted_sql(first, fn)
            if built is not None:
                self.report_sql(node, fn, *built, "the statement")
        elif method == "extra":  # Django's `qs.extra(select={"n": "SELECT ..."}, where=["..."])`: SQL fragments, as written
            for kw in node.keywords:
                if kw.arg in ("params", "select_params"):
                    continue  # the values bound to the fragments' placeholders (codecov's `params=[f"%{search}%"]`, round 147)
                pieces = kw.value.values if isinstance(kw.value, ast.Dict) else kw.value.elts if isinstance(kw.value, (ast.List, ast.Tuple)) else ()
                for built in filter(None, (self.formatted_sql(p, fn, need_sql=False) for p in pieces)):
                    self.report_sql(node, fn, *built, f"the `extra({kw.arg}=...)` SQL")

    def report_sql(self, node: ast.Call, fn: FnState, where: Span, parts: list[str], outside: bool, valued: bool, remote: bool,
                   what: str) -> None:
        roots = {p.split(".")[0].split("[")[0].split("(")[0] for p in parts}
        identifiers = all(is_identifier_name(re.split(r"[.\[(]", p)[-1] or p) for p in parts)
        if identifiers and not roots & fn.params:
            return  # identifiers from the code itself (a model's table name): nothing a caller controls
        confidence = "high" if roots & fn.params else "medium"
        shown = ", ".join(f"`{p}`" for p in list(dict.fromkeys(parts))[:3])  # each name once (`{kind}` formatted twice)
        message = f"{what} is built by string formatting from {shown} and run as SQL"
        suggestion, severity = "", None
        keys_of = {fn.keyed.get(p) for p in parts}
        if None not in keys_of and keys_of <= _bound_dicts(node):
            # `INSERT INTO t ({cols}) VALUES ({marks})` from the keys of the dict it binds: each value is a bound parameter
            shown = ", ".join(f"`{d}`" for d in sorted(keys_of))
            message += (f"; only the keys of {shown} are formatted (column names and their named placeholders), and "
                        "every value is bound: an injection only if those keys can come from outside the code")
            suggestion = "Check the keys against the table's known columns (an allow-list) if they can come from a request."
            severity = "low"
        elif identifiers:
            message += "; these look like identifiers (table or column names), which bound parameters cannot carry"
            suggestion = ("Check identifiers against an allow-list of known tables and columns, or compose them with "
                          "`psycopg.sql.Identifier` / SQLAlchemy `column()` / `table()`; pass every value as a bound parameter.")
            if not any(_SORTING.search(p) for p in parts):
                # a table or key column a caller passes is the code's choice, unlike a sort order a list page takes from
                # its query string: judged on a job server's cleanup and migration helpers (issue 15, round 14), false
                message += ", and the code chooses tables and key columns, not its users"
                severity = "low"
        elif mark := self._reviewed(where, node):
            message += f"; the statement is marked `{mark}`, so someone reviewed what it formats"
            severity = "low"
        elif not valued and remote:
            message += ("; it sits inside the query text handed to `dblink()`, which runs on another server and which no bound "
                        "parameter reaches: quote it there (`format('%L', ...)`, `quote_literal`) or check it is a number")
            suggestion = ("Pass the value to the remote query quoted by the server (`format('... %L ...', value)`), or convert it "
                          "to `int` first; bound parameters apply to the local statement only.")
            severity = "low"
        elif not valued:
            # Feast's table names and Datasette's clauses (round 101 and 103: 28 judged false): a statement's structure,
            # which no driver binds
            message += ("; it sits where a table, a column or a clause goes (not a value's place after `=`, in quotes or in an "
                        "`IN` list), which bound parameters cannot carry: check it against the names the code allows")
            severity = "low"
        elif not outside:
            # judged on real applications, 2 of 75 such findings were worth a change: fragments the code composes (a
            # helper's SQL, a clause built from bound placeholders, a quoted identifier), Datasette's 12 in round 101
            message += ("; what it formats is computed here by other code, not handed in by a caller or a request as it is: "
                        "an injection only if that code builds it from input")
            severity = "low"
        self.hit("PF601", node, message, confidence, [("built", "formatted here", where)], suggestion, severity, tuple(sorted(roots & fn.params)))

    def _reviewed(self, where: Span, node: ast.Call) -> str:
        """The mark of a line reviewed for injection on the string or the call that runs it: bandit's `# nosec`, or
        `# noqa: S608`, ruff's and flake8-bandit's code for the alarm PF601 raises (LNbits marks its statements so)."""
        lines = {*range(where.line, where.end_line + 1), *range(node.lineno, (node.end_lineno or node.lineno) + 1)}
        for i in sorted(lines):
            text = self.lines[i - 1] if 0 < i <= len(self.lines) else ""
            if "#" in text and (m := _REVIEWED.search(text)):
                return m.group(0)
        return ""

    def formatted_sql(self, node: ast.AST, fn: FnState, need_sql: bool = True) -> tuple[Span, list[str], bool, bool, bool] | None:
        """A string built by an f-string, `%`, `.format` or `+` with values that are not constants: (where, the values,
        whether one in a value's place is handed in by a caller or a request as it is, whether any sits in a value's place,
        whether any sits inside a `dblink()` query text)."""
        literal, dynamic, numbers = "", [], 0
        if isinstance(node, ast.JoinedStr):
            literal = "".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
            dynamic = [v.value for v in node.values if isinstance(v, ast.FormattedValue)]
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and isinstance(node.left, ast.Constant) and isinstance(node.left.value, str):
            literal = node.left.value
            dynamic = list(node.right.elts) if isinstance(node.right, ast.Tuple) else list(node.right.values) if isinstance(node.right, ast.Dict) else [node.right]
            numbers = len(dynamic)
            dynamic = _not_numbers(literal, node.right, dynamic)
            numbers -= len(dynamic)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format" \
                and isinstance(node.func.value, ast.Constant) and isinstance(node.func.value.value, str):
            literal = node.func.value.value
            # no `{}` field: the arguments never reach the text (Refinery's `"... WHERE chrom = %s".format(chrom)`, a
            # broken query, round 214: judged false as built from them)
            dynamic = [*node.args, *(k.value for k in node.keywords)] if "{" in literal else []
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            pieces = flatten_add(node)
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
        before = statement_positions(node, fn.sql_text)
        if need_sql and not SQL_START.match(literal):
            return None
        unsafe = [d for d in dynamic if not self.safe_value(d, fn)]
        # `IN ({subquery})` of a statement formatted above: SQL text, not a value; what that text formats counts, where it sits
        nested = [fn.formatted[d.id] for d in unsafe if type(d) is ast.Name and d.id in fn.formatted]
        unsafe = [d for d in unsafe if not (type(d) is ast.Name and d.id in fn.formatted)]
        if not unsafe and not nested:
            if dynamic or numbers:  # ruff's S608 on this string is the same alarm, answered (ruff.merge)
                self.answer("S608", node.lineno, node.end_lineno)
            return None
        for d in unsafe:  # `"UPDATE t SET " + ", ".join(f"{k} = :{k}" for k in data)`: the keys of `data`, inline
            if (keys_of := dict_keys_joined(d)) is not None:
                fn.keyed[short(d)] = keys_of
        # values where bound parameters go (`= {v}`, `'{q}'`, `IN ({ids})`), not a table, a column or a clause (`FROM {t}`);
        # a sort order or a request's own value counts wherever it goes: a list page takes it from its URL
        remote = [d for d in unsafe if id(d) in before and in_remote_text(before[id(d)])]
        valued = [d for d in unsafe if d not in remote and (id(d) not in before or value_position(before[id(d)]) or _SORTING.search(short(d))
                  or short(d).split(".")[0] in _OUTSIDE)]
        return (span(node), [*(short(d) for d in unsafe), *(p for n in nested for p in n[1])],
                any(self.handed_in(d, fn) for d in valued) or any(n[2] for n in nested), bool(valued) or any(n[3] for n in nested),
                bool(remote) or any(n[4] for n in nested))

    def handed_in(self, node: ast.AST, fn: FnState) -> bool:
        """A value a caller or a request hands in, through expressions that keep it as it is (`request.GET["q"]`,
        `f"{name}"`, `name.strip()`, `", ".join(columns)`), not through a call of other code (a helper that builds SQL)."""
        if type(node) is ast.Name:
            return node.id in fn.params or node.id in fn.tainted or node.id == "request"
        if type(node) in (ast.Attribute, ast.Subscript, ast.Starred, ast.Await, ast.FormattedValue):
            return self.handed_in(node.value, fn)
        if type(node) is ast.Call:
            # a helper named for the SQL it returns (`permissions_sql(actor)`) binds what it is given, as written beside it;
            # any other call given a caller's value may hand it back in its answer (`db.table_with_schema(kind)`)
            name = last_name(node.func) or ""
            given = any(self.handed_in(a, fn) for a in (*node.args, *(k.value for k in node.keywords)))
            if type(node.func) is ast.Attribute and name in _KEEPS_TEXT:
                return given or self.handed_in(node.func.value, fn)  # `", ".join(columns)`, `sort.strip()`
            return given and not _SQL_FRAGMENT.search(name)
        if type(node) in (ast.ListComp, ast.GeneratorExp, ast.SetComp):
            return self.handed_in(node.elt, fn) or any(self.handed_in(g.iter, fn) for g in node.generators)
        return any(self.handed_in(child, fn) for child in ast.iter_child_nodes(node)
                   if type(node) in (ast.JoinedStr, ast.BinOp, ast.BoolOp, ast.IfExp, ast.List, ast.Tuple))

    def safe_value(self, node: ast.AST, fn: FnState) -> bool:
        """Constants, CONSTANT names, placeholder lists and numbers cannot carry an injection."""
        if isinstance(node, ast.Constant):
            return True
        if isinstance(node, (ast.List, ast.Tuple)):  # `filters = []`, `["a.id = %s"]`: fragments the code wrote
            return all(self.safe_value(e, fn) for e in node.elts)
        if isinstance(node, ast.IfExp):  # `'true' if unique else 'false'`
            return self.safe_value(node.body, fn) and self.safe_value(node.orelse, fn)
        if isinstance(node, ast.BoolOp):  # `f.db_column or f.name`
            return all(self.safe_value(v, fn) for v in node.values)
        if isinstance(node, (ast.ListComp, ast.GeneratorExp)):
            # `[f.db_column or f.name for f in model._meta.fields]`: the model's own column names (OpenCodelists' bulk
            # INSERT, judged false in round 48), as safe as what each item is built from
            return self._safe_items(node, fn)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Constant):
            if node.func.attr == "format":  # `'RETURNING {cols}'.format(cols=identifier(c))`: a fragment of safe parts
                return all(self.safe_value(a, fn) for a in [*node.args, *(k.value for k in node.keywords)])
            if node.func.attr == "join" and len(node.args) == 1 and isinstance(node.args[0], (ast.GeneratorExp, ast.ListComp)):
                return self._safe_items(node.args[0], fn)  # `", ".join(identifier(c) for c in cols)`
            if node.func.attr == "join" and len(node.args) == 1 and type(node.args[0]) is ast.Name:
                return node.args[0].id in fn.safe  # `" OR ".join(filters)` of a list only literal fragments went into
            if node.func.attr == "join" and len(node.args) == 1 and type(arg := node.args[0]) is ast.Call and dotted(arg.func) == "map" \
                    and len(arg.args) == 2 and dotted(arg.args[0]) in ("str", "int") and self.safe_value(arg.args[1], fn):
                return True  # `",".join(map(str, ids))` of the keys the database gave
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
            # `["COUNT(CASE WHEN status=%s THEN 1 END)"] * len(states)`: the code's own fragment, repeated (MozTrap's
            # result counts, round 87: judged false, the states bound as parameters)
            return any(self.safe_value(side, fn) and _count(other) for side, other in ((node.left, node.right), (node.right, node.left)))
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub)):  # `db.quote(name) + '=%s'`, `int(year) - 1`
            return self.safe_value(node.left, fn) and self.safe_value(node.right, fn)
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Pow, ast.Div, ast.FloorDiv)):
            return True  # a number, or a TypeError: `(2**zoom - 1) - y` (Ocean Navigator's tile row, round 179)
        if isinstance(node, ast.JoinedStr):  # `f'"{col}" = %s'`: as safe as what it formats
            return all(self.safe_value(v.value, fn) for v in node.values if isinstance(v, ast.FormattedValue))
        if isinstance(node, ast.Name):
            return node.id in fn.safe or node.id.isupper() or is_placeholder_name(node.id)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _CASED \
                and self.safe_value(node.func.value, fn) and all(self.safe_value(a, fn) for a in node.args):
            return True  # `obj._meta.app_label.lower()`: a safe name, cased or trimmed (Penn Courses' sequence name, round 175)
        picked = node.value if isinstance(node, ast.Subscript) else node.func.value if isinstance(node, ast.Call) \
            and isinstance(node.func, ast.Attribute) and node.func.attr == "get" and len(node.args) == 1 else None
        if picked is not None and safe_mapping(picked, lambda v: self.safe_value(v, fn)):
            # `{"recent": "w.id DESC", ...}.get(order_by)`: one of the code's own fragments, or None (squiggy's
            # whiteboard order, round 185: judged false)
            return True
        root = chain_root(node)
        steps = []
        while isinstance(root, (ast.Attribute, ast.Subscript, ast.Call)):
            if isinstance(root, ast.Attribute):
                steps.append(root.attr)
            root = root.func if isinstance(root, ast.Call) else root.value
        if isinstance(root, ast.Name) and root.id in ("self", "cls") and not _OUTSIDE.intersection(steps):
            return True  # the object's own settings (an operator table, a suffix): not something a caller passes in
        if (isinstance(root, ast.Name) and root.id == "settings") or "settings_dict" in steps:
            return True  # the deployment's configuration (`connection.settings_dict["NAME"]`): the operator's, not a user's
        if isinstance(node, ast.Call):
            name = last_name(node.func) or ""
            if name == "values_list" and keys_only(node):
                return True  # `qs.values_list("id", flat=True)`: the rows' keys, numbers the database gave
            if is_number_call(node) or dotted(node.func) == "range" or _quoting(name) or _SQL_FRAGMENT.search(name):
                return True  # a number, a quoted identifier, or SQL text from a helper that builds statements
            if isinstance(node.func, ast.Name) and node.func.id in fn.safe:
                return True  # `qn("id")` after `qn = connection.ops.quote_name`
            if isinstance(node.func, ast.Name) and (at := self.handing_back.get(node.func.id)) is not None \
                    and (handed := handed_args(node, at)) is not None and all(self.safe_value(a, fn) for a in handed):
                return True  # `get_column_def(cols, "fee_open", "null")`: a module function handing back one of these
            if dotted(node.func) == "str" and len(node.args) == 1:
                return self.safe_value(node.args[0], fn)  # `str(user.pk)`: the text of a safe value
            if quoted_identifier(node):
                return True
            if _NAMES_A_TABLE.search(name) and all(self.safe_value(a, fn) for a in [*node.args, *(k.value for k in node.keywords)]):
                # `db.table_with_schema('proofs_used')`: a helper that spells a table's name from what the code wrote
                # (Nutshell's SQL layer, 18 findings judged false in round 51); not when a caller's value goes in
                return True
        if isinstance(node, ast.Attribute) and (node.attr.isupper() or node.attr == "db_table" or "._meta." in f".{dotted(node) or ''}."):
            return True  # CONSTANTS, and a Django model's own table and field names
        if isinstance(node, ast.Attribute) and node.attr in _FIELD_NAMES and isinstance(node.value, ast.Name) and node.value.id in fn.safe:
            return True  # `f.column` of a field taken from `_meta.fields`: the name the model declares
        if isinstance(node, ast.Attribute) and node.attr in ("pk", "id"):
            # a saved row's key (`user.pk`, `invoice.id`), which the database gave; not `*_id` fields, which may hold
            # outside text (a bank's `transaction_id`)
            return True
        if orm_identifier(node):
            return True  # SQLAlchemy's own table and column names (`Model.__tablename__`, `Model.col.name`)
        if isinstance(node, ast.Attribute) and of_a_constant(node):
            return True  # `ratings.EXPLICIT.code`, `Status.PAID.value`: what the code's own constant holds
        return self.placeholder_expr(node, fn)

    def _safe_items(self, comp: ast.GeneratorExp | ast.ListComp, fn: FnState) -> bool:
        """`f'"{col}" = %s' for col in squash_over`: each item, where the names taken from a safe collection (the
        class's own column list) are safe too."""
        bound = {n.id for g in comp.generators if self.safe_value(g.iter, fn) for n in ast.walk(g.target) if isinstance(n, ast.Name)}
        added = bound - fn.safe
        fn.safe |= added
        try:
            return self.safe_value(comp.elt, fn)
        finally:
            fn.safe -= added

    def placeholder_expr(self, node: ast.AST, fn: FnState) -> bool:
        """`",".join("?" * len(ids))`, `"VALUES " + ", ".join(["(%s)"] * n)`: the placeholders of an IN or VALUES list."""
        for call in flatten_add(node):
            if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "join":
                if any(isinstance(n, ast.Constant) and isinstance(n.value, str) and _PLACEHOLDER.match(n.value) for n in ast.walk(call)):
                    return True
        return False

    def sql_text(self, node: ast.AST, fn: FnState) -> str | None:
        if isinstance(node, ast.Name):
            return fn.sql_text.get(node.id) or self.module_sql.get(node.id)
        if isinstance(node, ast.Call) and last_name(node.func) == "text" and node.args:
            return string_literal(node.args[0])
        return string_literal(node)


# quoting helpers, by what their name says they return: Django's `quote_name`, psycopg's `sql.Identifier` /
# `sql.Literal`, PostgreSQL-style `quote_ident`, and a project's own `identifier(x)`, `literal_string(x)`,
# `escape_like(x)` (read on a real datastore backend)
_QUOTING_WORDS = frozenset({"quote", "quoted", "escape", "escaped", "identifier", "literal"})


def _quoting(name: str) -> bool:
    # (a private helper too: ApeRAG's `_quote_vid`, which escapes and quotes a graph vertex's id: round 245, judged false)
    words = name.lower().lstrip("_").split("_")
    return words[0] in _QUOTING_WORDS or (len(words) > 1 and words[-1] in ("identifier", "literal"))
_SORTING = re.compile(r"(^|_)(order|sort|direction|dir)(_|$)", re.I)  # what a list page's query string chooses
_SQL_FRAGMENT = re.compile(r"sql|cte|clause|where|join|columns|select", re.I)
_NAMES_A_TABLE = re.compile(r"(^|_)(tables?|schema|column|identifier)(_|$)", re.I)
_FIELD_NAMES = frozenset({"name", "column", "db_column", "attname", "db_table"})  # what a model field's own names are


_EXECUTE = re.compile(r"^\s*execute\s+(\w+)", re.I)


def prepared_statement(sql: str, scope: ast.AST | None) -> str:
    """`EXECUTE set_order (%s, %s)` runs what `PREPARE set_order AS UPDATE ...` in the same function prepared."""
    m = _EXECUTE.match(sql)
    if m is None or scope is None:
        return sql
    prepare = re.compile(rf"^\s*prepare\s+{re.escape(m.group(1))}\b[^;]*?\bas\s+(.*)", re.I | re.S)
    for node in ast.walk(scope):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and (found := prepare.match(node.value)):
            return found.group(1).strip()
    return sql


def compiled_sql(value: ast.AST, safe: set[str]) -> bool:
    """`qs.query.where.as_sql(compiler, connection)`, `qs.query.sql_with_params()`, `compiler.compile(node)` and the
    first item of what they return: SQL that Django compiled with placeholders, its values bound beside it."""
    if isinstance(value, ast.Subscript) and isinstance(value.value, ast.Name):
        return value.value.id in safe and isinstance(value.slice, ast.Constant) and value.slice.value == 0
    if not isinstance(value, ast.Call) or not isinstance(value.func, ast.Attribute):
        return False
    return value.func.attr in ("as_sql", "sql_with_params") or (
        value.func.attr == "compile" and (last_name(value.func.value) or "").endswith("compiler"))


# the values half of a (SQL, values) pair a helper returns: `values_sql, params = self._build_values(points)`
_BOUND_VALUES = frozenset({"params", "args", "values", "parameters", "bindings", "binds"})


def sql_with_params(target: ast.Tuple, value: ast.AST) -> bool:
    """`values_sql, params = self._build_centroid_values(centroids)`: a helper that returns SQL text with the values it
    binds beside it writes placeholders for them (EnvErgo's VALUES list of `%s` templates, round 97, judged false)."""
    return type(value) is ast.Call and len(target.elts) == 2 and all(type(e) is ast.Name for e in target.elts) \
        and _SQL_FRAGMENT.search(target.elts[0].id) is not None and target.elts[1].id in _BOUND_VALUES


# methods that hand back the text (or the item) they were called on, changed but not checked: a caller's value stays one
_KEEPS_TEXT = frozenset({"strip", "lstrip", "rstrip", "lower", "upper", "title", "replace", "format", "join", "split", "get",
                         "getlist", "removeprefix", "removesuffix"})
# methods that only case, trim or rewrite a text: a safe value, given safe arguments, stays safe through them
_CASED = frozenset({"strip", "lstrip", "rstrip", "lower", "upper", "title", "casefold", "replace", "removeprefix", "removesuffix"})


# what a view or a form holds from outside: `self.request.GET["q"]`, `self.kwargs["slug"]`, `self.cleaned_data[...]`
_OUTSIDE = frozenset({"request", "GET", "POST", "data", "query_params", "kwargs", "args", "cleaned_data", "params", "headers", "COOKIES", "json"})


def _not_numbers(literal: str, right: ast.AST, dynamic: list) -> list:
    """The values of a `%` format that are not converted to numbers: `%d` / `%(id)i` / `%f` print a number, whatever
    the value held (`"... WHERE id = %d" % invoice.id`)."""
    specs = [(name, kind) for name, kind in CONVERSION.findall(literal) if kind != "%"]
    numeric = "diouxXeEfFgG"
    if isinstance(right, ast.Dict):
        named = {name for name, kind in specs if name and kind in numeric} - {name for name, kind in specs if kind not in numeric}
        return [v for k, v in zip(right.keys, right.values) if not (isinstance(k, ast.Constant) and k.value in named)]
    if len(specs) != len(dynamic) or any(name for name, _ in specs):
        return dynamic
    return [v for (_, kind), v in zip(specs, dynamic) if kind not in numeric]


def quoted_identifier(node: ast.Call) -> bool:
    """`name.replace('"', '""')`: SQL's own escaping of a quoted identifier (a table's name read from `sqlite_master`,
    MobSF's SQLite viewer: round 94, judged false). An identifier cannot be a bound parameter."""
    return isinstance(node.func, ast.Attribute) and node.func.attr == "replace" and len(node.args) == 2 \
        and all(isinstance(a, ast.Constant) for a in node.args) and (node.args[0].value, node.args[1].value) == ('"', '""')


def quoting_function(value: ast.AST) -> bool:
    """`qn = connection.ops.quote_name`: a local name for a quoting function, whose calls are quoted identifiers."""
    return isinstance(value, ast.Attribute) and _quoting(value.attr)


def safe_mapping(value: ast.AST, safe) -> bool:
    """`{"user_id": str(user.pk), "table": Model._meta.db_table}`: a dict literal of safe values, formatted with `%`."""
    return isinstance(value, ast.Dict) and bool(value.values) and None not in value.keys and all(safe(v) for v in value.values)


# calls that return a number: `int(entry["id"])`, a checksum (Open Zaak's advisory lock id, `zlib.crc32(name)`)
_NUMBER_CALLS = frozenset({"int", "float", "len", "round", "abs", "ord", "hash", "zlib.crc32", "zlib.adler32", "binascii.crc32"})
# annotations of values whose text is digits (or a UUID's hex): `review_request_id: int | None` (Review Board's e-mail)
_NUMBER_TYPES = frozenset({"int", "float", "bool", "Decimal", "UUID"})


def keys_only(call: ast.Call) -> bool:
    """`values_list("id", flat=True)` (or `"pk"`): the primary keys alone."""
    return len(call.args) == 1 and isinstance(call.args[0], ast.Constant) and call.args[0].value in ("id", "pk") \
        and isinstance(flat := keyword_arg(call, "flat"), ast.Constant) and flat.value is True


def _count(node: ast.AST) -> bool:
    """How many times a fragment repeats: `len(values)`, a number written down."""
    return (isinstance(node, ast.Constant) and type(node.value) is int) or (isinstance(node, ast.Call) and dotted(node.func) == "len")


def is_number_call(value: ast.AST) -> bool:
    """`config_id = int(entry["id"])`: a number carries no SQL, whatever text it came from."""
    return isinstance(value, ast.Call) and dotted(value.func) in _NUMBER_CALLS


def number_annotation(node: ast.AST | None) -> bool:
    """`int`, `int | None`, `Optional[int]`, `uuid.UUID`: a parameter typed as a number (callers are checked against
    the hint by the project's type checker, not by us)."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return all(number_annotation(side) or (isinstance(side, ast.Constant) and side.value is None) for side in (node.left, node.right))
    if isinstance(node, ast.Subscript) and last_name(node.value) == "Optional":
        return number_annotation(node.slice)
    return (last_name(node) if isinstance(node, (ast.Name, ast.Attribute)) else None) in _NUMBER_TYPES


def _bound_dicts(call: ast.Call) -> set[str]:
    """The dicts whose values `execute(sql, params)` binds: `params` itself, or each `**d` of `{**d, "id": pk}`."""
    params = call.args[1] if len(call.args) > 1 else next((k.value for k in call.keywords if k.arg in ("params", "parameters", "values")), None)
    if isinstance(params, ast.Name):
        return {params.id}
    if isinstance(params, ast.Dict):
        return {v.id for k, v in zip(params.keys, params.values) if k is None and isinstance(v, ast.Name)}
    return set()


def dict_keys_joined(node: ast.AST) -> str | None:
    """`", ".join(data.keys())`, `", ".join(data)`, `", ".join(f":{k}" for k in data.keys())`: the column names of an
    INSERT or UPDATE, or their named placeholders, made of the keys of one dict (`data`), whose name is returned."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "join"
            and isinstance(node.func.value, ast.Constant) and len(node.args) == 1):
        return None
    arg, target = node.args[0], None
    if isinstance(arg, (ast.GeneratorExp, ast.ListComp)) and len(arg.generators) == 1 and isinstance(arg.generators[0].target, ast.Name):
        target = arg.generators[0].target.id
        formatted = [v.value for v in arg.elt.values if isinstance(v, ast.FormattedValue)] if isinstance(arg.elt, ast.JoinedStr) else [arg.elt]
        if not all(isinstance(v, ast.Name) and v.id == target for v in formatted):
            return None
        arg = arg.generators[0].iter
    if isinstance(arg, ast.Call) and isinstance(arg.func, ast.Attribute) and arg.func.attr == "keys" and not arg.args:
        arg = arg.func.value
    return arg.id if isinstance(arg, ast.Name) else None


def orm_identifier(node: ast.AST) -> bool:
    """A table or column name the ORM's metadata holds: `Invoice.__tablename__`, `Invoice.__table__.name`,
    `Invoice.total.name` / `.key`, `table.c.total.name`: the application's own identifiers, not input."""
    name = dotted(node) if isinstance(node, ast.Attribute) else None
    if not name:
        return False
    parts = name.split(".")
    if parts[-1] in ("__tablename__", "fullname") or "__table__" in parts:
        return True
    return parts[-1] in ("name", "key") and len(parts) >= 3 and (capword(parts[0]) or "c" in parts[1:-1] or "columns" in parts[1:-1])


def allow_listed(node: ast.If) -> str | None:
    """`if price_type not in (TYPE_PRODUCT, TYPE_CATEGORY): return` (or `raise`): the name checked against the code's own
    constants, which every statement after the `if` may use as one of them (Open Prices' duplicate clean-up, round 63)."""
    test = node.test
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.NotIn)
            and isinstance(test.left, ast.Name) and isinstance(test.comparators[0], (ast.Tuple, ast.List, ast.Set))):
        return None
    if node.orelse or not node.body or not isinstance(node.body[-1], (ast.Return, ast.Raise)):
        return None
    words = test.comparators[0].elts
    constant = all(isinstance(e, ast.Constant) and isinstance(e.value, str) or (dotted(e) or "").rpartition(".")[2].isupper()
                   for e in words)
    return test.left.id if words and constant else None


def of_a_constant(node: ast.Attribute) -> bool:
    """`ratings.EXPLICIT.code`, `Status.PAID.value`: an attribute chain through a CONSTANT the code names (Weasyl's rating
    codes formatted into a notification query, round 66: judged false); not the request's `GET` or `POST`."""
    parts = (dotted(node) or "").split(".")[:-1]
    return any(len(p) > 1 and p.isupper() for p in parts) and not _OUTSIDE.intersection(parts)


def int_checked(value: ast.AST) -> set[str]:
    """The names `int()` is given in a statement of the function's own body (not under an `if` or a `try`): `int(year)`
    raises ValueError for anything but an integer's digits, so every statement after it may format the name (SciPost's
    impact factor, `self.filter(publication_date__year=int(year))` before the SQL: round 136, 2 judged false)."""
    return {n.args[0].id for n in ast.walk(value) if type(n) is ast.Call and type(n.func) is ast.Name and n.func.id == "int"
            and len(n.args) == 1 and not n.keywords and type(n.args[0]) is ast.Name}


def dict_checked(value: ast.AST) -> str | None:
    """`code = {"shout": 4010, "submit": 4020}[feature]`: the name looked up in a dict of the code's own words, which
    raises KeyError for any other value, so every statement after it may use the name as one of them (Weasyl's comment
    removal formatting `feature` into a table's name, round 66: judged false)."""
    if not (isinstance(value, ast.Subscript) and isinstance(value.value, ast.Dict) and isinstance(value.slice, ast.Name)):
        return None
    keys = value.value.keys
    return value.slice.id if keys and all(isinstance(k, ast.Constant) and isinstance(k.value, str) for k in keys) else None


# a route's typed parts: Flask and Werkzeug `<int:id>`, `<float:x>`, `<uuid:key>`; Starlette and FastAPI `{id:int}`
_CONVERTED = re.compile(r"<(?:int|float|uuid)(?:\([^)]*\))?:(\w+)>|\{(\w+):(?:int|float|uuid)\}")


def converted_params(decorators: list[ast.expr]) -> set[str]:
    """The parameters a route's converters make numbers or UUIDs before the view runs (`@bp.route("/delete/<int:id>")`):
    their text is digits or hex, whatever formats them into SQL (Lute's tag deletion, round 212: PF601 judged false)."""
    return {name for d in decorators if isinstance(d, ast.Call) for a in d.args[:1]
            if isinstance(a, ast.Constant) and isinstance(a.value, str) for m in _CONVERTED.finditer(a.value) for name in m.groups() if name}

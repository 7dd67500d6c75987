"""What a function's names hold, for the rules: SQL text, formatted SQL, fetched rows, file
contents, JSON, Decimals, resources and how they are closed (assignments, `with`, `try`)."""

from __future__ import annotations

import ast

from .nodes import dotted, last_name, span
from .pattern_money import LITERAL_LOWERED, NUMPY_ARRAYS, NUMPY_FIX, added_without_money, into_decimal_only, is_decimal_expr, object_dtype
from .pattern_resources import ARCHIVES, WITH_DOES_NOT_CLOSE, closed_name, handed_out, read_only
from .pattern_sql import (SQL_START, compiled_sql, dict_checked, dict_keys_joined, int_checked, is_number_call, orm_identifier, quoting_function,
                          safe_mapping, sql_with_params)
from .pattern_state import FnState, LoopInfo, chain_root, core_write, method_chain, splits_lines, string_literal
from .words import RATE_LOWERED, is_rate

_SAVEPOINTS = frozenset({"begin_nested", "atomic", "savepoint"})


class PatternBindings:
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
                    fn.escaped |= handed_out(value)
                    if isinstance(value, ast.Call):  # `self._response = file_wrapper(fileobj, 4096)`: kept by what wraps it
                        fn.escaped |= {a.id for a in value.args if isinstance(a, ast.Name)}
                if isinstance(t, ast.Subscript) and fn is not None and value is not None:
                    self.formatted_sql(value, fn)  # `select["n"] = "SELECT ..." % {...}` for `.extra(select=...)`: S608's answer
                if isinstance(t, ast.Attribute) and value is not None and self.resource_ctor(value):
                    # `self.fp = open(lockfile, "w")`: a handle the object keeps (a lock held until released), closed elsewhere
                    self.answer("SIM115", value.lineno)
        if value is None:
            return
        names = [t.id for t in targets if isinstance(t, ast.Name)]
        for name in names:
            if isinstance(value, ast.Constant) and isinstance(value.value, float) and self.money(name, fn) and not _decimal_zero(node) \
                    and not into_decimal_only(fn.node if fn else None, name, value.value) and not added_without_money(fn, name):
                # `low`, saying why: a rate is no amount; `total = 0.0` sums floats made elsewhere (16 judged, none worth a fix)
                self.hit("PF701", node, f"`{name} = {value.value!r}` holds " + (f"a rate in a binary float{RATE_LOWERED}" if is_rate(name)
                                                                                 else f"money in a binary float{LITERAL_LOWERED}"),
                         "medium", severity="low")
            elif isinstance(value, ast.Call) and self.money(name) and self.expand(dotted(value.func) or "") in NUMPY_ARRAYS \
                    and not object_dtype(value):
                self.hit("PF701", value, f"`{name}` puts monetary values in a NumPy array, which holds them as binary floats", "medium",
                         suggestion=NUMPY_FIX)
        if fn is None:
            literal = string_literal(value)
            if self.from_package(value, None):
                self.packaged.update(names)
            for name in names:
                if literal is not None and SQL_START.match(literal):
                    self.module_sql[name] = literal
            return
        for name in names:
            self.bind(fn, name, value, node)
        if (checked := dict_checked(value)) is not None and checked not in names:
            fn.safe.add(checked)  # `code = {"shout": 4010, ...}[feature]`: below, `feature` is one of the dict's keys
        # (a statement of the function's own body, by its indentation: any block inside is indented further)
        if fn.node is not None and fn.node.body and node.col_offset == fn.node.body[0].col_offset:
            fn.safe.update(int_checked(value))  # `qs = self.filter(year=int(year))`: below, `year` is an integer's digits
        for t in targets:  # `where, params = ...as_sql(compiler, connection)`: the SQL half is compiled text
            if isinstance(t, ast.Tuple) and t.elts and isinstance(t.elts[0], ast.Name) and (compiled_sql(value, fn.safe) or sql_with_params(t, value)):
                fn.safe.add(t.elts[0].id)
            elif isinstance(t, ast.Tuple) and isinstance(value, ast.Tuple) and len(t.elts) == len(value.elts):
                for part, part_value in zip(t.elts, value.elts):  # `filters, args = ["a.id in %s"], [ids]`
                    if isinstance(part, ast.Name):
                        self.bind(fn, part.id, part_value, node)

    def bind(self, fn: FnState, name: str, value: ast.AST, node: ast.AST) -> None:
        root = chain_root(value) if type(value) is ast.Call else None
        # a Core write bound to a name, or built on one (`stmt = stmt.on_conflict_do_update(...)`): PF201's per_row_write
        written = (verb, value) if (verb := core_write(value)) else fn.statements.get(root.id) if type(root) is ast.Name else None
        for d in (fn.sql_text, fn.formatted, fn.rows, fn.file_text, fn.file_lines, fn.json_data, fn.statements):
            d.pop(name, None)
        if written:
            fn.statements[name] = written
        literal = string_literal(value)
        # judged before the name is forgotten: `where = f"({where})"` is as safe as the `where` it wraps
        safe = literal is not None or self.placeholder_expr(value, fn) or orm_identifier(value) or is_number_call(value) \
            or compiled_sql(value, fn.safe) or quoting_function(value) or safe_mapping(value, lambda v: self.safe_value(v, fn)) \
            or self.safe_value(value, fn)  # (`cols = cls.get_squash_over()`, `cond = " AND ".join(f'"{c}" = %s' for c in cols)`)
        fn.safe.discard(name)
        fn.decimals.discard(name)
        fn.keyed.pop(name, None)
        if (keys_of := dict_keys_joined(value)) is not None:
            fn.keyed[name] = keys_of
        if literal is not None and SQL_START.match(literal):
            fn.sql_text[name] = literal
        if safe:
            fn.safe.add(name)
        built = self.formatted_sql(value, fn)
        if built is not None:
            fn.formatted[name] = built
        if self.handed_in(value, fn):
            fn.tainted.add(name)
        else:
            fn.tainted.discard(name)
        if isinstance(value, ast.Name):
            fn.escaped.add(value.id)  # an alias: we no longer see every use of the object
            if value.id in fn.decimals:
                fn.decimals.add(name)
        if is_decimal_expr(value, self):
            fn.decimals.add(name)
        fn.packaged.discard(name)
        fn.buffers.discard(name)
        chain = method_chain(value)
        if isinstance(value, ast.Call) and (dotted(value.func) or "").rpartition(".")[2] in ("StringIO", "BytesIO"):
            fn.buffers.add(name)  # ArchiveBox's `out = StringIO()` handed to `call_command(..., stdout=out)`, then read back
        if self.from_package(value, fn):
            fn.packaged.add(name)  # a file the package ships: read whole, it is as small as the package keeps it
        elif chain and chain[-1] == "fetchall":
            sql = self.sql_of_fetch(value, fn)
            fn.rows[name] = (span(value), sql, self.text(value))
        elif chain and chain[-1] in ("read", "read_text") and isinstance(value, ast.Call) and not value.args:
            fn.file_text[name] = span(value)
        elif chain and (chain[-1] == "readlines" or (chain[-2:-1] in (["read"], ["read_text"]) and splits_lines(value))):
            fn.file_lines[name] = value
        elif chain and splits_lines(value) and isinstance(value.func.value, ast.Name) and value.func.value.id in fn.file_text:
            fn.file_lines[name] = value  # data = f.read(); lines = data.split("\n")
        elif isinstance(value, ast.Call) and self.expand(dotted(value.func) or "") in ("json.load",):
            fn.json_data[name] = span(value)
        resource = self.resource_ctor(value)
        if resource and resource[0] in ARCHIVES and self.wraps_managed(value, fn):
            resource = None
        if resource and name not in fn.resources:
            fn.resources[name] = (*resource, span(value), self.text(value), False, read_only(resource[0], value))

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
            self.entered.add(id(item.context_expr))
            self.visit(item.context_expr, fn, loops)
            if fn is None:
                continue
            expr = item.context_expr
            for n in ast.walk(expr):
                if isinstance(n, ast.Name):
                    fn.managed.add(n.id)  # `with conn:` / `with closing(conn):`
            if isinstance(item.optional_vars, ast.Name) and self.from_package(expr, fn):
                fn.packaged.add(item.optional_vars.id)  # `with open(os.path.join(HERE, "codes.txt")) as f:`
            if isinstance(expr, ast.Call):
                ctor = self.expand(dotted(expr.func) or "")
                if ctor in WITH_DOES_NOT_CLOSE and isinstance(item.optional_vars, ast.Name):
                    name = item.optional_vars.id
                    fn.resources[name] = (ctor, "connection", span(expr), self.text(expr), True, False)
                    fn.managed.discard(name)
                elif isinstance(item.optional_vars, ast.Name) and self.resource_ctor(expr):
                    fn.managed.add(item.optional_vars.id)
                chain = method_chain(expr)
                if isinstance(item.optional_vars, ast.Name) and chain and chain[-1] in ("read", "read_text") \
                        and item.optional_vars.id not in fn.packaged:
                    fn.file_text[item.optional_vars.id] = span(expr)
        savepoint = bool(loops) and any(isinstance(i.context_expr, ast.Call) and last_name(i.context_expr.func) in _SAVEPOINTS for i in node.items)
        self.savepoints += savepoint
        self.nested += savepoint
        self.body(node.body, fn, loops)
        self.savepoints -= savepoint
        self.nested -= savepoint

    def try_stmt(self, node: ast.Try, fn: FnState | None, loops: tuple[LoopInfo, ...]) -> None:
        # `try: session.flush() except IntegrityError:` per row: each row's conflict is caught alone, on purpose
        per_row = bool(loops) and any(h.type is not None and any((last_name(n) or "") == "IntegrityError" for n in ast.walk(h.type)) for h in node.handlers)
        self.savepoints += per_row
        # `try: ...; session.commit() except Exception: log; continue` per row: each row commits or fails alone, on
        # purpose; one commit for all would let one bad row undo the others
        alone = bool(loops) and bool(node.handlers) and not any(isinstance(n, ast.Raise) for h in node.handlers for n in ast.walk(h))
        self.committing_alone += alone
        self.trying.append(loops[-1].node if loops else None)  # a raise in this body may be caught inside that loop
        self.body(node.body, fn, loops)
        self.trying.pop()
        self.committing_alone -= alone
        self.savepoints -= per_row
        for handler in node.handlers:
            # a handler that leaves the loop (`except IntegrityError: ...; return row`) runs once, not per item; any other
            # runs for the items that fail, as an `if` would (SimpleLogin's commit after disabling a bad PGP key: round 50)
            leaves = bool(loops) and bool(handler.body) and type(handler.body[-1]) in (ast.Return, ast.Break)
            if loops:
                loops[-1].conditional += 1
            self.body(handler.body, fn, (loops[:-1] if type(handler.body[-1]) is ast.Break else ()) if leaves else loops)
            if loops:
                loops[-1].conditional -= 1
        self.body(node.orelse, fn, loops)
        if fn is None:
            self.body(node.finalbody, fn, loops)
            return
        for stmt in node.finalbody:
            for n in ast.walk(stmt):
                name = closed_name(n)
                if name:
                    fn.closes.setdefault(name, []).append((True, n.lineno))
        for handler in node.handlers:  # closed in the handler and after the try: every path is covered
            for stmt in handler.body:
                for n in ast.walk(stmt):
                    name = closed_name(n)
                    if name:
                        fn.closes.setdefault(name, []).append((True, n.lineno))
        self.body(node.finalbody, fn, loops)


def _decimal_zero(node: ast.Assign | ast.AnnAssign) -> bool:
    """`total_fuel_cost: Decimal = 0.0`: a field declared Decimal whose default is a whole number, which a float holds
    exactly (BARQ's vehicle statistics, round 277: judged false)."""
    return isinstance(node, ast.AnnAssign) and isinstance(node.value, ast.Constant) and float(node.value.value).is_integer() \
        and "Decimal" in ast.unparse(node.annotation)

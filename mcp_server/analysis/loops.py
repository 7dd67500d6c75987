"""Loops and collections: for, while, comprehensions, per-item lambdas and the loops DRF runs; their size
class, pagination, and what a call in a loop depends on per iteration (the per-row lookup key)."""

from __future__ import annotations

import ast
import re
from dataclasses import replace

from . import apis, callables, chains, class_attrs, handled_rows, item_statements, loop_size, one_off, raw_rows, row_loads, serializers
from .bindings import GROWS
from .facts import UNKNOWN_LOOKUP, WRITTEN, Call, IterSource, Loop, QueryUse
from .nodes import dotted, last_name, on_self, span
from .reader import Scope, LoopState
from .walk import BATCHING, MANY_KEYS, iterates_batches, stored_item

MAX_CONSTANT_ITEMS = 100  # a module-level tuple of literals this long is still a fixed, known handful


_DOLLAR = re.compile(r"\$\(?([A-Za-z_]\w*)")  # Pony's `$name` (or `$(expr)`) in raw SQL: a variable of the calling frame


def _frame_read(arg: ast.AST, bound: set[str]) -> bool:
    """An argument that hands the call the loop's own variables unnamed: `locals()` or `vars()`, or Pony's raw SQL naming
    them as `$name`, read from the caller's frame (Tribler's upgrade, `db.execute("... WHERE url=$url", globals(),
    locals())` per tracker, round 257: 6 PF301 judged ARGSCHANGE). Each iteration's values go in."""
    if type(arg) is ast.Call and type(arg.func) is ast.Name and arg.func.id in ("locals", "vars") and not arg.args:
        return True
    return type(arg) is ast.Constant and isinstance(arg.value, str) and "$" in arg.value \
        and any(name in bound for name in _DOLLAR.findall(arg.value))


class Loops:
    def serialize_rows(self, rows: ast.AST, callee: str, at: ast.AST, scope: Scope) -> None:
        """A loop DRF runs for us: each row of `rows` handed to the serializer's per-row summary. Not the fallback of a
        list that pages the same rows (`page = self.paginate_queryset(queryset)` ... `S(queryset, many=True)`): the
        paged loop reports the same reads, and one of the two branches never runs (aerobridge's component lists, round
        200: each reported twice, the fallback judged DEAD)."""
        if isinstance(rows, ast.Name) and _paged(scope.tree, rows.id):
            return
        target = ast.Name(id=serializers.ROW, ctx=ast.Store())
        loop = self._new_loop(at, "serializer", scope, rows, target)
        saved = self._enter(loop, scope)
        picked = serializers.picked_fields(at, callee, self.string_tuples) if isinstance(at, ast.Call) else []
        scope.fn.calls += [Call(one, span(at), tuple(reversed(scope.loop_stack)), False, self.text(at), args=(serializers.ROW,))
                           for one in picked or [callee]]
        self._leave(scope, saved)

    def _per_item_lambda(self, node: ast.Call, scope: Scope, name: str | None) -> None:
        """`sorted(rows, key=lambda r: r.client.name)`, `map(lambda r: ..., rows)`: the lambda runs once per row, like
        a comprehension over the rows, with its parameter as the loop's variable. Only the builtins (and groupby) by
        their dotted `name`: `pool.map(...)` runs its calls concurrently, not in turn."""
        if name in ("sorted", "min", "max", "groupby", "itertools.groupby"):
            lam, rows = next((k.value for k in node.keywords if k.arg == "key"), None), node.args[0] if node.args else None
        elif isinstance(node.func, ast.Attribute) and node.func.attr == "sort" and not node.args:
            lam, rows = next((k.value for k in node.keywords if k.arg == "key"), None), node.func.value
        elif name in ("map", "filter") and len(node.args) == 2:
            lam, rows = node.args
        else:
            return
        if not isinstance(lam, ast.Lambda) or rows is None or len(lam.args.args) != 1:
            return
        target = ast.Name(id=lam.args.args[0].arg, ctx=ast.Store())
        loop = self._new_loop(lam, "comprehension", scope, rows, target)
        saved = self._enter(loop, scope)
        self._loop_states[-1].target_names = frozenset({target.id})
        self.visit(lam.body, scope)
        self._leave(scope, saved)
        self._consumed_lambdas.add(id(lam))

    # -- loops -------------------------------------------------------------------------------------------
    def _new_loop(self, node: ast.AST, kind: str, scope: Scope, iter_node: ast.AST | None, target: ast.AST | None) -> Loop:
        self._next_loop += 1
        var, source = None, None
        if iter_node is not None:
            source = self.iter_source(iter_node, scope)
            if isinstance(target, ast.Name):
                var = target.id
            elif isinstance(target, ast.Tuple) and len(target.elts) == 2 and isinstance(target.elts[1], ast.Name) \
                    and isinstance(iter_node, ast.Call) and dotted(iter_node.func) == "enumerate" and iter_node.args:
                var = target.elts[1].id
                source = self.iter_source(iter_node.args[0], scope)
        size, why = loop_size.classify(iter_node, node.body if isinstance(node, (ast.For, ast.AsyncFor)) else (),
                                       {**dict.fromkeys(self.small_constants, ""), **self.function_constants,
                                        **self.class_constants.get(scope.cls or "", {}), **scope.small},
                                       scope.locals, var)
        if source is not None and type(iter_node) is ast.Name and iter_node.id in scope.prefetched:
            source = replace(source, prefetch=(*source.prefetch, *scope.prefetched[iter_node.id]))
        if source is not None and source.kind == "accessor" and scope.row_loads:
            source = row_loads.served(source, iter_node, scope.row_loads)
        if source is not None and scope.served and _served_rows(iter_node, scope):
            # `for line in self.lines.all()` under `if "lines" in self._prefetched_objects_cache:`: rows the caller
            # prefetched, with whatever deeper lookups it chose (django-orchestra's bills, round 79)
            source = replace(source, prefetch=(*source.prefetch, UNKNOWN_LOOKUP))
        if size == loop_size.SMALL and source is not None and source.kind != "accessor" \
                and not why.startswith((*loop_size.BOUNDS_ROWS, loop_size.RETURNED)) and why != loop_size.RETRY_LOOP:
            size, why = loop_size.UNKNOWN, ""  # an upper-case name bound to a query is still the query's rows
        if size == loop_size.UNKNOWN and source is not None:
            rows = self._held_rows(iter_node, scope) if source.kind == "accessor" else source.kind
            size, why = (loop_size.UNKNOWN, source.one_parent) if source.one_parent else loop_size.SOURCE_SIZES.get(rows, (loop_size.UNKNOWN, ""))
        elif size == loop_size.UNKNOWN and (many := raw_rows.many_rows(iter_node, scope.many)):
            size, why = loop_size.LARGE, many
        if var and size != loop_size.SMALL and source is not None and source.kind in ("django", "sqlalchemy") and type(node) in (ast.For, ast.AsyncFor):
            size, why = self._handled_rows(node, var, scope) or (size, why)
        opened = one_off.file_of(iter_node) if source is None and size != loop_size.SMALL and scope.files and iter_node is not None else None
        if opened in scope.files and size == loop_size.UNKNOWN:
            size, why = loop_size.LARGE, raw_rows.FILE_ROWS  # `for line in f` of a file the caller or an upload names
        loop = Loop(
            file_param=scope.files.get(opened) if opened else None,
            id=self._next_loop, kind=kind, span=span(node), header=self.text(node),
            parent=scope.loop_stack[-1] if scope.loop_stack else None,
            small_literal=size == loop_size.SMALL,
            pagination=iter_node is not None and (iterates_batches(iter_node) or bool(var and (BATCHING.search(var) or MANY_KEYS.search(var)))
                                                  or _BATCHES.search((dotted(iter_node) or "").rpartition(".")[2]) is not None
                                                  or (type(iter_node) is ast.Name and iter_node.id in scope.paged)
                                                  or (self.tenanted and _switches_tenant(node))),
            target=var,
            source=source, size=size, size_why=why,
            walks=_walked_name(iter_node), branches=tuple(scope.branches),
            names=tuple(n.id for n in ast.walk(target) if type(n) is ast.Name) if target is not None else (),
            switches_schema=self.tenanted and sets_search_path(node),
        )
        scope.fn.loops[loop.id] = loop
        return loop

    def _handled_rows(self, node: ast.For | ast.AsyncFor, var: str, scope: Scope) -> tuple[str, str] | None:
        """A work queue's loop (handled_rows.py): the rows its function selects by a state the loop's work changes."""
        # the function up to the loop: where its rows are selected
        field = handled_rows.state_field(node.body, var, lambda: "\n".join(self.lines[scope.fn.span.line - 1:node.lineno]), self.top_functions())
        return (loop_size.UNKNOWN, handled_rows.HANDLED.format(field=field)) if field else None

    def _held_rows(self, node: ast.AST | None, scope: Scope) -> str:
        """What `self.<attr>` holds, as a source kind: a class-body queryset is a query's rows (`django`), an attribute
        the constructor stores from a parameter holds what its callers pass (`param`); else the related rows of one
        object (`accessor`)."""
        if self.class_queryset(node, scope):
            return "django"
        attr = _self_attribute(node)
        held = self.facts.classes.get(scope.cls or "")
        return "param" if attr and held is not None and attr in held.attr_params else "accessor"

    def class_queryset(self, node: ast.AST | None, scope: Scope) -> bool:
        """`self.queryset.all()` where the class body says `queryset = X.objects...`: a query's rows, not the related
        rows of one object."""
        attr = _self_attribute(node)
        return bool(attr and scope.cls) and class_attrs.rows_attr(scope.cls, attr) in self.facts.functions

    def _enter(self, loop: Loop, scope: Scope) -> tuple[dict[str, int], dict[str, str], dict[str, IterSource]]:
        saved = (dict(scope.loop_vars), dict(scope.types), dict(scope.queries))
        scope.loop_stack.append(loop.id)
        self._loop_states.append(LoopState(loop, before=frozenset(scope.locals)))
        if loop.target:
            scope.locals.add(loop.target)
            for d in (scope.types, scope.queries, scope.strings):
                d.pop(loop.target, None)
            if loop.source is not None:
                scope.loop_vars[loop.target] = loop.id
            else:
                scope.loop_vars.pop(loop.target, None)
        return saved

    def _leave(self, scope: Scope, saved) -> None:
        scope.loop_stack.pop()
        state = self._loop_states.pop()
        loop = state.loop
        if any(apis.sql_paginates(s) for s in state.sqls) and ("offset" in " ".join(state.sqls).lower() or loop.kind == "while"):
            loop.pagination = True
        elif loop.kind == "while" and (state.fetchmany or any(apis.PAGE_NAMES.search(n) for n in state.sink_args & state.assigned)):
            loop.pagination = True
        elif loop.kind == "while" and not state.takes_items:
            loop.pagination = True  # retry, polling or repeat-until-done: not once per item of a collection
        if self._loop_states:  # what the inner loop saw, the outer loop saw too
            outer = self._loop_states[-1]
            outer.assigned |= state.assigned
            outer.rebound |= state.rebound
            outer.items |= state.items
            outer.sink_args |= state.sink_args
            outer.sqls += state.sqls
            outer.fetchmany |= state.fetchmany
        else:  # the outermost loop is left: every name its body binds is known
            for target, call, states in self._pending_keys:
                target.key = self._loop_key(call, states, (scope.cls or "").rpartition(".")[2])
                if target.key == "invariant" and type(target) is Call and on_self(call[0]):
                    target.self_set = _self_set(states)
            self._pending_keys.clear()
            for fn, sink in self._txn_locks:  # the same row locked in each iteration's own transaction (queries.py)
                if sink.key == "invariant" and sink in fn.sinks:
                    fn.sinks.remove(sink)
            self._txn_locks.clear()
            self._assigned.clear()
        scope.loop_vars, scope.types, scope.queries = saved
        for name, before, after in state.combined:
            if scope.queries.get(name) is before:
                scope.queries[name] = after

    def _async_iteration(self, iter_node: ast.AST, scope: Scope) -> None:
        """`async for row in qs.values_list(...)` (or over `rows` bound to one before): Django's async iteration, so
        the query runs awaited, not blocking the event loop."""
        self._awaited.add(id(iter_node))
        self.awaits_binding(iter_node, scope)

    @staticmethod
    def awaits_binding(node: ast.AST, scope: Scope) -> None:
        """`async for x in rows` / `await rows.afirst()` / `rows.aiterator()`, `rows` a Django queryset bound before: the
        query that binding was counted as runs here, awaited."""
        while isinstance(node, (ast.Call, ast.Attribute)):
            node = node.func if isinstance(node, ast.Call) else node.value
        if isinstance(node, ast.Name):
            bound = f"{node.id} = "
            if any(s.framework == "django" and s.text.startswith(bound) for s in scope.fn.sinks):  # (most awaits: none)
                scope.fn.sinks = [replace(s, awaited=True) if s.framework == "django" and s.text.startswith(bound) else s
                                  for s in scope.fn.sinks]

    def _for(self, node: ast.For | ast.AsyncFor, scope: Scope) -> None:
        if isinstance(node, ast.AsyncFor):
            self._async_iteration(node.iter, scope)
        self.visit(node.iter, scope)  # evaluated once, before the loop
        if isinstance(node.iter, ast.Name) and node.iter.id in scope.bindings:
            scope.fn.query_uses.append(QueryUse(scope.bindings[node.iter.id], "evaluate", span(node.iter), self.text(node)))
        loop = self._new_loop(node, "async for" if isinstance(node, ast.AsyncFor) else "for", scope, node.iter, node.target)
        saved = self._enter(loop, scope)
        self._loop_states[-1].body = node.body
        callables.bind_loop_variable(node, scope, self)
        self._note_assigned(node.target)
        self._loop_states[-1].target_names = frozenset(n.id for n in ast.walk(node.target) if isinstance(n, ast.Name))
        self._loop_states[-1].keys = _mapping_keys(node.iter, node.target)
        self._body(node.body, scope, _leaving_tail(node.body))
        self._leave(scope, saved)
        self._body(node.orelse, scope)

    def _while(self, node: ast.While, scope: Scope) -> None:
        loop = self._new_loop(node, "while", scope, None, None)
        saved = self._enter(loop, scope)
        self._loop_states[-1].body = node.body
        self.visit(node.test, scope)
        self._body(node.body, scope)
        self._leave(scope, saved)
        self._body(node.orelse, scope)

    def _comprehension(self, node: ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp, scope: Scope) -> None:
        first = node.generators[0]
        if first.is_async:
            self._async_iteration(first.iter, scope)
        self.visit(first.iter, scope)
        if isinstance(first.iter, ast.Name) and first.iter.id in scope.bindings:
            scope.fn.query_uses.append(QueryUse(scope.bindings[first.iter.id], "evaluate", span(first.iter), self.text(node)))
        loop = self._new_loop(node, "comprehension", scope, first.iter, first.target)
        saved = self._enter(loop, scope)
        self._loop_states[-1].target_names = frozenset(n.id for g in node.generators for n in ast.walk(g.target) if isinstance(n, ast.Name))
        for i, gen in enumerate(node.generators):
            if i:
                self.visit(gen.iter, scope)
            for cond in gen.ifs:
                self.visit(cond, scope)
        if isinstance(node, ast.DictComp):
            self.visit(node.key, scope)
            self.visit(node.value, scope)
        elif id(node) in self._first_only:
            # `next(addr.full_address for addr in addresses)`: the element of the first item that passes the filters,
            # once per run (turnout's contact info, round 148: judged false); the filters still run per item
            inside, scope.loop_stack = scope.loop_stack, scope.loop_stack[:-1]
            self.visit(node.elt, scope)
            scope.loop_stack = inside
        else:
            self.visit(node.elt, scope)
        self._leave(scope, saved)

    def _is_small_literal(self, node: ast.AST) -> bool:
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            return len(node.elts) <= loop_size.MAX_SMALL_LITERAL and not any(isinstance(e, ast.Starred) for e in node.elts)
        if isinstance(node, ast.Dict):
            return len(node.keys) <= loop_size.MAX_SMALL_LITERAL
        if isinstance(node, ast.Name):
            return node.id in self.small_constants
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Slice):
            upper = node.slice.upper  # rows[:5]: at most a handful, whatever the rows are
            return isinstance(upper, ast.Constant) and isinstance(upper.value, int) and 0 <= upper.value <= loop_size.MAX_SMALL_LITERAL
        if isinstance(node, ast.Call):
            name = dotted(node.func)
            if name in loop_size.RANGES and len(node.args) == 1 and isinstance(node.args[0], ast.Constant):
                return isinstance(node.args[0].value, int) and node.args[0].value <= loop_size.MAX_SMALL_LITERAL
            if name in ("enumerate", "reversed", "sorted", "zip") and node.args:
                return all(self._is_small_literal(a) for a in node.args)
            if isinstance(node.func, ast.Attribute) and node.func.attr in ("items", "keys", "values"):
                return self._is_small_literal(node.func.value)
        return False

    @staticmethod
    def _loop_key(chain: list[ast.Call], states: list[LoopState], own_class: str = "") -> str | None:
        """What the call's arguments depend on, per iteration: nothing ("invariant"), a small key of the item such
        as its state or tax type ("key:state"), or anything else (None): the per-row lookup rule needs this."""
        bound: set[str] = set()
        items: set[str] = set()
        for state in states:
            bound |= state.rebound | state.target_names
            items |= state.items
        if states and chains.chained(_chained_calls(chain), states[-1]):
            return chains.CHAINED  # `folder_id = find(folder_id, part)`, a redirect's next URL: each step takes the last answer
        func = chain[0].func
        if isinstance(func, ast.Attribute) and any(isinstance(n, ast.Name) and n.id in bound for n in ast.walk(func.value)):
            return None  # a method of the item itself
        receiver = dotted(func.value) if isinstance(func, ast.Attribute) else None
        if receiver not in (None, "self", "cls") and any(i.startswith((f"{receiver}[", f"{receiver}.")) for i in items):
            # Koji's `query.values["tagID"] = tag_id` then `query.execute()`: the object holds new parameters each time (not
            # `self`, which carries much else: `self.last = item` says nothing about what `self.settings()` reads)
            return None
        keys: list[str] = []
        passed: list[str] = []
        for arg in (a for node in _chained_calls(chain) for a in (*node.args, *(k.value for k in node.keywords))):
            for part in (arg.elts if isinstance(arg, (ast.Tuple, ast.List)) else (arg,)):
                if isinstance(part, (ast.Starred, ast.Lambda)) or _frame_read(part, bound):
                    return None
                if type(part) not in _PLAIN and any(isinstance(n, ast.Call) and (last_name(n.func) or "") in _FRESH for n in ast.walk(part)):
                    return None  # `load(todo.pop())`, `fetch(next(pages))`: each call takes a new value
                if type(part) is ast.Name:
                    passed.append(part.id)
                if items and any(stored_item(n) in items for n in ast.walk(part)):
                    return None  # `lookup(options["source"])` after `options["source"] = path` in the loop: a new value each time
                if items and isinstance(part, ast.Name) and any(i.startswith((f"{part.id}[", f"{part.id}.")) for i in items):
                    return None  # `run(options)` after `options["source"] = path`: the dict handed on holds new values each time
                if not any(isinstance(n, ast.Name) and n.id in bound for n in ast.walk(part)):
                    continue
                key = _key_name(part)
                if key is None or (isinstance(part, ast.Name) and any(part.id == s.loop.target or part.id in s.keys or _of_whole_item(part.id, s)
                                                                          for s in states)):
                    return None  # not a small key, or the loop walks the keys themselves: each lookup is a different one
                keys.append(key)
        if any(name in _grown(s) for name in passed for s in states):
            return None  # `available(name, taken)` while the loop does `taken.append(...)`: new contents each time
        if keys and states and _first_visit(chain[0], states[-1].body):
            return None  # `if t.from_state not in searched: searched.append(t.from_state); walk(t.from_state)`: once per value
        if not keys and receiver not in (None, "cls") and _fed(receiver, func.attr, states, bound):
            return None  # `importer.add_names(row.tags)` then `importer.import_tags()`: the object holds new state each time
        if _writes_its_model(chain, states, own_class):
            # `X.objects.filter(file=f).first()` while the body saves a new X for that file: a new answer after it; by a
            # key of the item (`get(country_code=row.country)`, then `X(country_code=...)` saved when missing), an import
            # writing each key's row, not a lookup of a few (MITx Online's income thresholds, round 112: judged false)
            return WRITTEN
        return f"key:{','.join(dict.fromkeys(keys))}" if keys else "invariant"

    def _is_loop_target(self, name: str, is_query: bool) -> bool:
        """Is `name` the statement the innermost loop hands out? Any name for a query call; for a call into
        project code only a name that says it is SQL (`for item in items: save(item)` is the N+1 itself)."""
        if not self._loop_states or name not in self._loop_states[-1].target_names:
            return False
        if _rows_of_a_model(self._loop_states[-1].loop):
            return False  # `for statement in Statement.objects...`: a row named like SQL is still a row
        return is_query or bool(item_statements.SQL_WORD.search(name))


def _chained_calls(chain: list[ast.Call]) -> list[ast.Call]:
    """The calls and every call their receiver chains on: `filter(**filters)` of `X.objects.filter(**filters).count()`."""
    out, seen = [], set()
    for node in chain:
        cur: ast.AST = node
        while type(cur) is ast.Call:
            if id(cur) not in seen:
                seen.add(id(cur))
                out.append(cur)
            cur = cur.func.value if type(cur.func) is ast.Attribute else None
    return out


_CHANGES = GROWS | {"remove", "discard", "clear"}  # what gives a collection new contents in place
_PLAIN = (ast.Name, ast.Constant, ast.Attribute)  # an argument with no call in it


def _grown(state: LoopState) -> frozenset[str]:
    """The names the loop's body grows (`taken.append(name)`), read once per loop and only when a call in it hands one
    of its names on: such a call gets new contents each time (`find_available(name, taken)`; loop_key)."""
    if state.grown is None:
        state.grown = frozenset(n.func.value.id for stmt in state.body for n in ast.walk(stmt)
                                if type(n) is ast.Call and type(n.func) is ast.Attribute and n.func.attr in _CHANGES and type(n.func.value) is ast.Name)
    return state.grown


def _first_visit(call: ast.Call, body: list) -> bool:
    """The call sits under `if <value> not in <seen>:` whose body adds that value to `seen`: each value is looked up
    once however many items share it (a graph walk's visited list: BlueKing ITSM's workflow routes, round 162, PF301
    judged false). Read only for a call keyed by a small key of the item."""
    for stmt in body:
        for node in ast.walk(stmt):
            if type(node) is not ast.If or type(node.test) is not ast.Compare or len(node.test.ops) != 1 \
                    or type(node.test.ops[0]) is not ast.NotIn or type(seen := node.test.comparators[0]) is not ast.Name:
                continue
            value = ast.dump(node.test.left)
            inside = [n for s in node.body for n in ast.walk(s)]
            if any(n is call for n in inside) and any(
                    type(n) is ast.Call and type(n.func) is ast.Attribute and n.func.attr in ("append", "add")
                    and type(n.func.value) is ast.Name and n.func.value.id == seen.id and n.args and ast.dump(n.args[0]) == value
                    for n in inside):
                return True
    return False


def _fed(receiver: str, method: str, states: list[LoopState], bound: set[str]) -> bool:
    """The loop's body hands the item to another method of the same object (`self.tag_importer.add_names(case,
    row["tags"])`), so a call of it without arguments reads what the item left there (MozTrap's importer, round 87:
    the hoist judged ARGSCHANGE: called once before the loop, `import_tags()` would import nothing)."""
    return any(type(n) is ast.Call and type(n.func) is ast.Attribute and n.func.attr != method and _feeds(dotted(n.func.value), n.func.attr, receiver)
               and any(type(m) is ast.Name and m.id in bound for a in (*n.args, *(k.value for k in n.keywords)) for m in ast.walk(a))
               for state in states for stmt in state.body for n in ast.walk(stmt))


_SETTER = re.compile(r"^_?(set|add|update|push|feed|append|register|put|bind|use|select|load|enter)", re.I)


def _feeds(fed: str | None, method: str, receiver: str) -> bool:
    """Another method of the receiver; for a method of `self`, a setter of `self` or of one of its parts only
    (`self.context.set_value(item)` before `self._run_single()`, which reads it there: Keep's workflow steps, round 152,
    the hoist judged WRONGFIX), since `self.process(row)` beside `self.rates()` changes nothing the second reads."""
    if receiver == "self":
        return (fed == "self" or (fed or "").startswith("self.")) and bool(_SETTER.match(method))
    return fed == receiver


def _writes_its_model(chain: list[ast.Call], states: list[LoopState], own_class: str = "") -> bool:
    """The query reads `Model.objects...` and the loop's body makes rows of that model (`Model(...)` then saved, or
    `Model.objects.create(...)`): the same lookup may answer differently after an iteration wrote one (GlitchTip's
    debug files, round 57: the hoist judged WRONGFIX, it would create a row per object instead of one). In a method of
    the model, `cls()` makes one too (shkeeper's `Transaction.add_outgoing`, round 184: judged WRONGFIX). So do rows of
    a model the query filters by through a relation: `StoreLocation.objects.filter(terminallocation__isnull=True)`
    while the body makes a `TerminalLocation` for the store it found (POS desktop's Stripe sync, round 218: the hoist
    judged WRONGFIX, it would link every location to one store)."""
    model = _objects_of(chain[0])
    if model is None:
        return False
    made = {model, "cls", "self.__class__"} if model == own_class else {model}
    related = {k.arg.partition("__")[0] for call in _chained_calls(chain) for k in call.keywords if k.arg and "__" in k.arg}
    for state in states:
        fetched: set[str] = set()  # names the body binds to rows of the model: `clone = Model.objects.get(pk=original_pk)`
        for stmt in state.body:
            for n in ast.walk(stmt):
                if type(n) is ast.Assign and len(n.targets) == 1:
                    target = n.targets[0]
                    if type(target) is ast.Name and type(n.value) is ast.Call and _objects_of(n.value) == model:
                        fetched.add(target.id)
                    elif type(target) is ast.Attribute and target.attr in ("pk", "id") and type(target.value) is ast.Name \
                            and target.value.id in fetched and type(n.value) is ast.Constant and n.value.value is None:
                        # `clone.pk = None` then `clone.save()`: a copy saved as a new row, so each pass needs its own fetch
                        # (MuckRock's communication clones, round 137: the hoist judged WRONGFIX)
                        return True
                if type(n) is not ast.Call:
                    continue
                if (dotted(n.func) or "") in made:
                    return True
                if type(n.func) is ast.Attribute and n.func.attr in _CREATES and type(n.func.value) is ast.Attribute \
                        and type(n.func.value.value) is ast.Name and (n.func.value.value.id == model or n.func.value.value.id.lower() in related):
                    return True
    return False


def _objects_of(call: ast.Call) -> str | None:
    """`Model` for a chain on `Model.objects` (`Model.objects.filter(...).first()`) or Flask-SQLAlchemy's `Model.query`."""
    root: ast.AST = call
    while type(root) is ast.Call and type(root.func) is ast.Attribute:
        root = root.func.value
    return root.value.id if type(root) is ast.Attribute and root.attr in ("objects", "query") and type(root.value) is ast.Name else None


_CREATES = frozenset({"create", "get_or_create", "update_or_create", "bulk_create"})

# calls whose answer differs on every call: an argument built with one changes per iteration
_FRESH = frozenset({"pop", "popleft", "popitem", "next", "get_nowait", "now", "utcnow", "time", "monotonic", "uuid4", "uuid1"})

# `for ids in id_batches:` walks batches; `for inv in chunk:` walks the rows of one chunk, one by one
_BATCHES = re.compile(r"(^|_)(chunks|batches|pages|windows)$", re.I)


def _rows_of_a_model(loop: Loop) -> bool:
    """The loop walks rows of an ORM query, whatever its variable is called."""
    return loop.source is not None and loop.source.kind in ("django", "sqlalchemy")


def spelled_out(node: ast.AST) -> bool:
    """A module constant whose items are written out in the code (`MODELS = [Invoice, Payment, ...]`, a dict of
    queries by name): as many items as the code lists, however many rows the tables hold."""
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        items = node.elts
    elif isinstance(node, ast.Dict):
        if None in node.keys or not all(isinstance(k, ast.Constant) for k in node.keys):
            return False
        items = node.values
    else:
        return False
    return 0 < len(items) <= MAX_CONSTANT_ITEMS and all(isinstance(e, (ast.Constant, ast.Name, ast.Attribute, ast.Tuple)) or _record(e) for e in items) \
        and not any(isinstance(e, ast.Starred) for e in items)


def _record(node: ast.AST) -> bool:
    """`MigrationRecord(version=1, function=data_migration_1)`: one item built of names and constants, as a constant list
    of steps spells each (rotki's MIGRATION_LIST, round 114: a checkpoint written per step judged WRONGFIX as a per-row write)."""
    return (type(node) is ast.Call and isinstance(node.func, (ast.Name, ast.Attribute))
            and all(isinstance(a, (ast.Constant, ast.Name, ast.Attribute)) for a in (*node.args, *(k.value for k in node.keywords))))


def literal_constants(node: ast.AST) -> bool:
    """A module constant spelled out in the code (`TABLES = ("a", "b", ... 40 names)`): its size is fixed and small."""
    return isinstance(node, (ast.Tuple, ast.List, ast.Set)) and len(node.elts) <= MAX_CONSTANT_ITEMS and all(
        isinstance(e, ast.Constant) for e in node.elts)


_KEY = re.compile(
    r"(^|_)(state|uf|estado|currency|country|type|kind|category|operation|cfop|ncm|cst|tax|region|status|branch|city|segment|"
    r"tier|regime|language|locale|channel|unit|uom|year|month|period)s?$", re.I,
)


def _mapping_keys(iter_node: ast.AST, target: ast.AST) -> frozenset[str]:
    """The name a loop over a mapping's `items()` binds to each key: no two iterations share one (txtalert's
    `for language, patients in group_by_language(patients).items():`, a message type per language, round 266: PF301
    judged ARGSCHANGE)."""
    # (`for k in d.keys():` binds the loop's own target, which `_loop_key` already takes as a new key each pass; the text
    # twin one_match.dict_key reads a header's single line, this the statement itself)
    if type(iter_node) is ast.Call and type(iter_node.func) is ast.Attribute and iter_node.func.attr == "items" and not iter_node.args \
            and type(target) is ast.Tuple and target.elts and type(target.elts[0]) is ast.Name:
        return frozenset({target.elts[0].id})
    return frozenset()


def _of_whole_item(name: str, state: LoopState) -> bool:
    """`locale = document.get_locale(lang)` in `for lang in langs:`: a value made from the whole item, one per key the
    loop walks (c2corg's locales of one document, round 145: PF301 judged false), not one of few shared by many rows
    (`state = invoice.state`)."""
    target = state.loop.target
    # `for year, month in months_between(start, end):` then `period = ReportPeriod(sp, datetime(year, month, 1))`: made
    # from every name the item unpacks to, one per item (cStock's monthly warehouse run, round 171: 2 PF301 judged WRONGFIX)
    unpacked = state.target_names if target is None and len(state.target_names) > 1 else None
    return any(type(stmt) is ast.Assign and len(stmt.targets) == 1 and type(stmt.targets[0]) is ast.Name
               and stmt.targets[0].id == name and type(stmt.value) is ast.Call
               and (any(type(a) is ast.Name and a.id == target for a in stmt.value.args) if target else
                    unpacked is not None and unpacked <= _bare_names(stmt.value)) for stmt in state.body)


def _bare_names(call: ast.Call) -> set[str]:
    """The names a call's arguments hand on as they are (`datetime(year, month, 1)`), not read through (`row.year`)."""
    nodes = [n for a in (*call.args, *(k.value for k in call.keywords)) for n in ast.walk(a)]
    through = {id(n.value) for n in nodes if type(n) in (ast.Attribute, ast.Subscript)}
    return {n.id for n in nodes if type(n) is ast.Name and id(n) not in through}


def _key_name(node: ast.AST) -> str | None:
    """`t.state`, `row["state"]`, `state`: the name when it says the value is one of few (a state, a tax type)."""
    if isinstance(node, ast.Attribute):
        name = node.attr
    elif isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str):
        name = node.slice.value
    elif isinstance(node, ast.Name):
        name = node.id
    else:
        return None
    return name if _KEY.search(name) else None


def _self_attribute(node: ast.AST | None) -> str | None:
    """`queryset` of `self.queryset.all().order_by(...)`: the attribute of `self` a call chain starts from."""
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        node = node.func.value
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self":
        return node.attr
    return None


# django-tenants' `schema_context(...)` / `tenant_context(...)`, a project's `LocalTenant(tenant)`, `set_tenant(...)`
# (Nova's `target_cell`: a database each.) The extractor reads a module's loops for a switch only when its source holds one
# of these as written: plain substrings, since a case-blind regex over every source costs 8%
TENANT_WORDS = ("tenant", "Tenant", "schema_context", "set_schema", "target_cell", "search_path")
_TENANT = re.compile("|".join(TENANT_WORDS[:-1]), re.I)  # (context managers: not `search_path`, which SQL text sets)
# `SET search_path TO {schema}` written with the item's schema: PostgreSQL resolves the next statements' tables there
_SETS_SCHEMA = re.compile(r"\s*set\s+(local\s+|session\s+)?search_path\b", re.I)


def _switches_tenant(node: ast.AST) -> bool:
    """A loop whose body switches to each item's tenant (its own schema or database): the queries in it read another
    tenant's rows on each pass, one per tenant by nature, and no query before the loop could serve them (Bluebottle,
    round 20: two findings whose offered hoist was wrong)."""
    if not isinstance(node, (ast.For, ast.AsyncFor)):
        return False
    for stmt in node.body:
        for n in ast.walk(stmt):
            if isinstance(n, (ast.With, ast.AsyncWith)) and any(
                    isinstance(i.context_expr, ast.Call) and _TENANT.search(last_name(i.context_expr.func) or "") for i in n.items):
                return True
            if isinstance(n, ast.Call) and (last_name(n.func) or "") in ("set_tenant", "set_schema", "activate_tenant"):
                return True
    return False


def sets_search_path(node: ast.AST) -> bool:
    """A `for` loop whose body formats `SET search_path TO {schema}` (a dental SaaS's token lookup across its clinics'
    schemas, round 313: 4 PF301 judged false; the loop's query per tenant, judged worth a fix, stays)."""
    return isinstance(node, (ast.For, ast.AsyncFor)) and any(
        isinstance(n, ast.JoinedStr) and n.values and isinstance(n.values[0], ast.Constant)
        and _SETS_SCHEMA.match(str(n.values[0].value)) is not None and any(isinstance(v, ast.FormattedValue) for v in n.values)
        for stmt in node.body for n in ast.walk(stmt))


def _served_rows(node: ast.AST | None, scope: Scope) -> bool:
    """`self.lines.all()` (or `self.lines`) where the branch tested that Django's prefetch cache holds `lines`."""
    if type(node) is ast.Call and type(node.func) is ast.Attribute and node.func.attr == "all" and not node.args:
        node = node.func.value
    root, _, rel = (dotted(node) or "").partition(".")
    return (root, rel) in scope.served


def _leaving_tail(body: list[ast.stmt]) -> int | None:
    """Where the statements start that run at most once per run of the loop: after the last statement that says
    `continue`, when the body ends by leaving the loop (`if not matches(x): continue` ... `return`). CRT's auto-close
    (round 82: PF301 judged false twice) takes the system user once, for the first saved search that matches."""
    if not body or type(body[-1]) not in (ast.Return, ast.Raise, ast.Break):
        return None
    last = max((i for i, stmt in enumerate(body) if any(type(n) is ast.Continue for n in ast.walk(stmt))), default=None)
    if last is None or last + 1 >= len(body) - 1:
        return None  # no guard (the whole body runs once: loop_size sizes it), or nothing between the guard and the exit
    if any(type(n) in (ast.For, ast.AsyncFor, ast.While) for stmt in body[:last + 1] for n in ast.walk(stmt)):
        return None  # (a `continue` that may belong to an inner loop)
    return last + 1


def _walked_name(node: ast.AST | None) -> str | None:
    """`rows` of `for inv in rows` or `for i, inv in enumerate(rows)`."""
    if isinstance(node, ast.Call) and dotted(node.func) == "enumerate" and node.args:
        node = node.args[0]
    return node.id if isinstance(node, ast.Name) else None


def _self_set(states: list[LoopState]) -> tuple[str, ...]:
    """The attributes of `self` the loop's body sets (`self.council = council`): a method called on `self` with the same
    arguments may still read a new value of them on each iteration (cross.py asks whether it does)."""
    return tuple(sorted({i[5:].split(".")[0].split("[")[0] for s in states for i in s.items if i.startswith("self.")}))


def _paged(tree: ast.AST | None, name: str) -> bool:
    """The function hands `name` to a paginator (`self.paginate_queryset(name)`, `paginator.paginate_queryset(name, ...)`)."""
    return tree is not None and any(
        isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "paginate_queryset"
        and n.args and isinstance(n.args[0], ast.Name) and n.args[0].id == name for n in ast.walk(tree))

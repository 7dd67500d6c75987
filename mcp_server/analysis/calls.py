"""Calls: a call into project code with the rows and querysets it hands on (what summaries apply to),
queries and I/O recorded as sinks, cache-aside and queryset uses."""

from __future__ import annotations

import ast
from dataclasses import replace

from . import apis, curated_tables, item_statements, list_views, loop_size, serializers, views
from .facts import UNKNOWN_LOOKUP, Call, QueryUse, Sink
from .nodes import cache_method, dotted, last_name, span, written_out
from .reader import Scope
from .walk import is_number, numeric_locals, states_no_lookup, switched_off_locals


class Calls:
    # -- expressions -------------------------------------------------------------------------------------
    def _batch_keys(self, node: ast.Call) -> None:
        """`for group in groups: Invoice.objects.select_for_update().filter(id__in=group)`: the loop's item is itself a set
        of keys, so each iteration is one query per batch (a batch loop, like `for batch in chunked(ids)`), not per item."""
        targets = {s.loop.target: s.loop for s in self._loop_states if s.loop.target}
        for call in self._chain(node):
            for k in call.keywords:
                if k.arg and k.arg.endswith("__in") and type(k.value) is ast.Name and k.value.id in targets:
                    targets[k.value.id].pagination = True

    def _await(self, node: ast.Await, scope: Scope) -> None:
        self._awaited.add(id(node.value))
        call = node.value
        if type(call) is ast.Call and type(call.func) is ast.Call and last_name(call.func.func) in _TO_THREAD:
            # `await sync_to_async(list)(qs.values(...))`: the query in its arguments runs in a thread, awaited
            self._awaited.update(id(a) for a in call.args)
        self.awaits_binding(call, scope)
        self.visit(node.value, scope)

    def _note_passed_along(self, node: ast.Call, name: str | None, scope: Scope) -> None:
        """`start_job(recount, project.tasks.all())`: a row's related queryset handed on unevaluated, not iterated
        here; what the callee does with it is the callee's (a prefetch here would load every related row for nothing)."""
        if (name or "").rpartition(".")[2] in _EVALUATES:
            return
        for arg in (*node.args, *(k.value for k in node.keywords)):
            chain: list[ast.Attribute] = []
            cur: ast.AST = arg
            while isinstance(cur, ast.Call) and isinstance(cur.func, ast.Attribute) and cur.func.attr in apis.DJANGO_LAZY:
                chain.append(cur.func)
                cur = cur.func.value
            if chain and isinstance(cur, ast.Attribute) and isinstance(cur.value, ast.Name) and cur.value.id in scope.loop_vars:
                self._passed_lazy.update(id(a) for a in chain)

    def _note_route(self, node: ast.Call) -> None:
        """`Videos.as_view({"get": "retrieve"})` routes only those actions; `router.register("videos", Videos)` all of
        them (cross.routed)."""
        if node.func.attr == "as_view":
            mapping = node.args[0] if node.args else None
            if type(mapping) is ast.Name:  # `as_view(GETRETRIEVE_PUTUPDATE)`, a dict the urls module spells once (a print shop's estimator)
                mapping = _module_dict(self.module_tree, mapping.id)
            mapping = mapping if type(mapping) is ast.Dict else None
            literal = mapping is not None and all(type(v) is ast.Constant and isinstance(v.value, str) for v in mapping.values)
            view, actions = dotted(node.func.value), tuple(v.value for v in mapping.values) if literal else ("*",)
        elif node.func.attr == "register" and len(node.args) >= 2 and (dotted(node.args[1]) or "").rpartition(".")[2][:1].isupper():
            view, actions = dotted(node.args[1]), ("*",)
        else:
            return
        if view:
            self.facts.routes = (*self.facts.routes, (self.expand(view), actions))

    def _call(self, node: ast.Call, scope: Scope) -> None:
        inner = node.func.value if type(node.func) is ast.Attribute else None
        if type(inner) is ast.Call and type(inner.func) is ast.Attribute and inner.func.attr == "all" \
                and type(node.func) is ast.Attribute and (requery := apis.related_chain_method(node.func.attr)):
            self._requeried[id(inner.func)] = requery  # `row.items.all().select_related("x")`: a new query, not the related rows
        if id(node) in self._consumed:
            if node.keywords:
                self._lazy_expression(node, None, scope)  # `Model.objects.exclude(id__in=row.blocks.all())`: a subquery
            self._children(node, scope)
            return
        name = dotted(node.func)
        if name == "next" and node.args and type(node.args[0]) is ast.GeneratorExp:
            self._first_only.add(id(node.args[0]))  # `next(a.full_address for a in rows)`: the first item's element only
        if name and (name.rpartition(".")[2] in apis.RANDOM_CALLS or self.expand(name).startswith(apis.RANDOM_MODULES)):
            scope.fn.random = True
        if type(node.func) is ast.Attribute and node.func.attr in ("as_view", "register"):
            self._note_route(node)
        elif type(inner) is ast.Attribute and node.func.attr in curated_tables.CREATES:
            self.facts.creates_through.add(inner.attr)  # `invoice.taxes.create(...)`: rows of what `taxes` holds (curated_tables.py)
        if type(node.func) is ast.Attribute and node.func.attr == "sort" and type(node.func.value) is ast.Name \
                and not scope.branches and not scope.loop_stack and (read := _sort_key_relations(node)):
            # `rows.sort(key=lambda u: u.user.is_admin)`: the sort loads each row's `user` (its own N+1), and what reads
            # the rows after it finds them loaded (Hush Line's directory, round 263: 9 NP104 judged PREFETCHED); one sort
            # of several `if` branches says nothing of the others (Cobalt's member list, sorted by the option picked)
            self._per_item_lambda(node, scope, name)  # (the sort's own loop first: it is the N+1)
            self._children(node, scope)
            held = node.func.value.id
            scope.prefetched[held] = (*scope.prefetched.get(held, ()), *read)
            return
        if name and name.rpartition(".")[2] == "prefetch_related_objects" and node.args and type(node.args[0]) is ast.Name:
            # Django's prefetch onto rows already loaded: a loop over them after this call reads them prefetched
            scope.prefetched[node.args[0].id] = tuple(a.value if type(a) is ast.Constant and isinstance(a.value, str) else UNKNOWN_LOOKUP
                                                      for a in node.args[1:])
        if len(node.args) == 1 and type(node.func) is ast.Name and node.func.id in ("str", "repr") and not node.keywords:
            if type(node.args[0]) is ast.Name:
                self._dunder(node.args[0].id, f"__{node.func.id}__", node, scope)  # str(row): its model's __str__, per row
            elif type(node.args[0]) is ast.Attribute:
                self._rendered[id(node.args[0])] = f"__{node.func.id}__"  # str(row.client): the client's
        if node.keywords or len(node.args) > 1:
            self._per_item_lambda(node, scope, name)
            if node.args and any(k.arg == "many" and isinstance(k.value, ast.Constant) and k.value.value is True for k in node.keywords):
                if name and name.rpartition(".")[2].endswith("Serializer"):  # XSerializer(rows, many=True)
                    self.serialize_rows(node.args[0], f"{self.expand(name)}.{serializers.MANY}", node, scope)
                elif name == "self.get_serializer" and (listed := list_views.own_rows_serializer(self.class_nodes.get(scope.cls or ""), scope.fn)):
                    # a viewset's own `list()` serialising rows it queries itself, with the class's serializer
                    self.serialize_rows(node.args[0], f"{self.expand(listed)}.{serializers.MANY}", node, scope)
        if name and name.rpartition(".")[2] in views.TEMPLATE_CALLS:
            views.render_call(self, node, scope, name)
        self._call_funcs[id(node.func)] = node
        self._lazy_expression(node, name, scope)
        if type(node.func) is ast.Attribute and node.func.attr in ("delete", "update"):
            # `self.api_keys.all().delete()`: one DELETE (or UPDATE) statement, which no prefetch replaces; not a read
            self._related_subquery(node.func.value)
        if scope.loop_vars and not self._deferred:
            self._note_passed_along(node, name, scope)
        self._note_query_use(node, scope)
        awaited = id(node) in self._awaited
        sink = self._classify(node, scope, awaited, name) or self._row_api_sink(node, scope, awaited)
        if sink is not None and any(type(c.func) is ast.Attribute and c.func.attr in _NOT_RUN for c in self._chain(node)[1:]):
            sink = None  # `session.query(...).filter(...).subquery()`: a piece of a larger statement, not a query run here
        elif sink is not None and self._loop_states and sink.api.endswith(".query") and sink.framework != "django":
            chain = self._chain(node)
            last = chain[-1].func.attr if type(chain[-1].func) is ast.Attribute else None
            if id(chain[-1]) in self._assigned and (last is None or last == "query" or last in _LAZY_QUERY):
                sink = None  # `pending = session.query(T).filter(...)`: a Query object kept for later (an EXISTS, a union), not run here
        if type(node.func) is ast.Attribute and node.func.attr == "update" and _fills_missing(node):
            scope.fn.cached = True  # `self._items.update(... id__in=[i for i in ids if i not in self._items])`: loads what is missing
        loops = tuple(reversed(scope.loop_stack))
        if loops and ((node.args and self._runs_items_statement(node.args[0], sink is not None))
                      or (sink is not None and self._items_database(node))):
            # `for sql in statements: cursor.execute(sql)` runs a list of different statements, not one query per item,
            # and so does `conn.execute(rule.rule_sql.format(job_id))`, and a query `.using()` the item's own database
            self._children(node, scope)
            return
        if loops and sink is not None:
            if not self._switched:  # (in a context switched to the item, the same arguments ask something new)
                self._pending_keys.append((sink, self._chain(node), list(self._loop_states)))
            self._batch_keys(node)
        if sink is None:
            io = self._io(node, scope, name or "", awaited)
            if io is not None:
                io.flag = self._flag  # `if new_connection: connect()`: a caller may switch it off
                scope.fn.io.append(io)
        if sink is not None:
            sink.conditional = self._unsure
            sink.flag = self._flag
            sink.recovery = self._recovering > 0
            scope.fn.sinks.append(sink)
            if self._loop_states:
                state = self._loop_states[-1]
                if sink.sql:
                    state.sqls.append(sink.sql)
                for arg in (*node.args, *(k.value for k in node.keywords)):
                    for n in ast.walk(arg):
                        if isinstance(n, ast.Name):
                            state.sink_args.add(n.id)
        else:
            callee = self._callee(node.func, scope, name) if name else None
            if callee:
                callee = serializers.one_row_callee(node, callee)
                # source text only where a finding can point: calls in loops and in coroutines (keeps the cache small)
                call = Call(callee, span(node), loops, awaited, self.text(node) if loops or scope.fn.is_async else "", None, self._deferred > 0)
                call.conditional = self._unsure
                call.flag = self._flag
                call.recovery = self._recovering > 0
                call.discarded = id(node) in self._discarded
                call.callback = self._in_callback > 0
                call.composed = self._composed > 0 or any(type(a) is ast.Call and last_name(a.func) == "OuterRef" for a in node.args)
                call.combined = id(node) in self._combined_calls
                call.handed = id(node) in self._as_args
                call.statement = states_no_lookup(node)
                call.run_by = self._run_args.get(id(node), "")
                handful = tuple(i for i, a in enumerate(node.args) if loop_size.handful_arg(a, scope.small))
                if handful:
                    call.handful = handful
                # which parameters it leaves to their defaults (n_plus_one_common.handful_parameter)
                starred = any(type(a) is ast.Starred for a in node.args) or any(k.arg is None for k in node.keywords)
                call.given = (255 if starred else len(node.args), tuple(k.arg for k in node.keywords if k.arg))
                held_off = switched_off_locals(scope.tree)  # `use_audit = False`, then `fetch(user, use_audit)`
                call.falsy = _slots(node, lambda a: type(a) is ast.Constant and (a.value is False or a.value is None)
                                    or type(a) is ast.Name and a.id in held_off)
                call.literals = _slots(node, written_out)
                numbers = numeric_locals(scope.tree)
                made = _slots(node, lambda a: is_number(a) or type(a) is ast.Name and a.id in numbers)
                if made:
                    call.numbers = made
                strings = [(slot, a.value) for slot, a in _slot_values(node) if type(a) is ast.Constant and isinstance(a.value, str)]
                if strings:
                    call.strings = tuple(strings)
                # `process(item, id_string)` inside `def parse(..., id_string=None)`: it may well pass None on
                off = scope.fn.off_by_default
                if off:
                    call.unset = _slots(node, lambda a: type(a) is ast.Name and a.id in off)
                if any(type(a) in (ast.Name, ast.Attribute) for a in node.args):  # rows handed on: the callee's summary applies to them
                    call.args = tuple(a.id if type(a) is ast.Name else self._row_path(a, scope) for a in node.args)
                named = tuple((k.arg, k.value.id) for k in node.keywords if k.arg and type(k.value) is ast.Name)
                if named:
                    call.kwargs = named
                # a loop row's attribute handed on, written out or by a name bound to it (`box = pallet_box.box`)
                related = [(slot, path) for slot, a in _slot_values(node)
                           if (path := scope.row_attrs.get(a.id) if type(a) is ast.Name else self._row_path(a, scope))
                           and path.partition(".")[0] in scope.loop_vars]
                if related:
                    call.row_attrs = tuple(related)
                fetched = _slots(node, lambda a: type(a) is ast.Name and a.id in scope.one_rows)
                if fetched:
                    call.one_rows = fetched
                # querysets handed to project code: what an untyped parameter over there iterates
                sources = tuple((i, src) for i, a in enumerate(node.args)
                                if (src := (scope.queries.get(a.id) if type(a) is ast.Name else
                                            self.iter_source(a, scope) if type(a) is ast.Call and (_orm_rooted(a, scope) or self.class_queryset(a, scope))
                                            else None)) is not None)
                if sources:
                    call.arg_sources = sources
                rows = tuple(i for i, a in enumerate(node.args) if _query_rows(a, scope))
                if rows:
                    call.query_args = rows
                # (a field picked with no summary of its own is a column: it reads nothing more)
                made = [replace(call, callee=field) for field in serializers.picked_fields(node, call.callee, self.string_tuples)] or [call]
                scope.fn.calls += made
                if self._loop_states and self._loop_states[-1].loop.kind == "while":
                    # `fetch(page=page)` then `page += 1`: a helper asked for page after page (loops.py: pagination)
                    self._loop_states[-1].sink_args.update(k.value.id for k in node.keywords if type(k.value) is ast.Name)
                    self._loop_states[-1].sink_args.update(a.id for a in node.args if type(a) is ast.Name)
                if loops and not self._switched:  # only calls into project code, and queries, can be per-row lookups
                    self._pending_keys += [(one, self._chain(node), list(self._loop_states)) for one in made]
            if self._loop_states:
                method = node.func.attr if isinstance(node.func, ast.Attribute) else name
                if method == "fetchmany":
                    self._loop_states[-1].fetchmany = True
                elif method in _TAKES_ITEMS and not node.keywords:  # not `now.shift(days=-1)`: a date moved, no item taken
                    self._loop_states[-1].takes_items = True
        self._as_args.update(id(a) for a in (*node.args, *(k.value for k in node.keywords)) if type(a) is ast.Call)
        if (type(node.func) is ast.Attribute and node.func.attr in _REGISTERS_CALLBACK) or any(k.arg in _CALLBACK_KEYWORDS for k in node.keywords):
            # `button.clicked.connect(lambda _, v=volume: self._prepare(v))`: the lambda runs when the event fires, not
            # once per item of the loop that wires the buttons (CocktailBerry's screens, round 247: 3 judged false)
            self._callbacks.update(id(a) for a in (*node.args, *(k.value for k in node.keywords)) if type(a) is ast.Lambda)
        if type(node.func) is ast.Attribute and type(node.func.value) is ast.Call:
            self._outer[id(node.func.value)] = node  # `.filter(tag_id=tag.id)` around `session.query(Tag)`: its arguments count too
        if name and name.rpartition(".")[2] in _COMPOSING:
            # `Subquery(IotdSubmission.last_for_image(OuterRef("pk")).values("date"))`: the helper's queryset becomes SQL of
            # the outer query; nothing in it runs once per row (AstroBin's review queues, round 68: 2 judged false)
            self._composed += 1
            self._children(node, scope)
            self._composed -= 1
            return
        if name and name.rpartition(".")[2] in _RUNNERS and not scope.fn.is_async and node.args and type(node.args[0]) is ast.Call:
            # `asyncio.run(self.async_run(args))`: the coroutine made here runs on a loop of its own (run_loops.runs_alone);
            # not what a `gather(...)` inside it runs side by side
            self._run_args[id(node.args[0])] = name
        if name == "getattr" and len(node.args) == 3:
            # `getattr(self, "current_round_set", self.round_set.filter(...))`: the fallback serves only rows that were
            # not prefetched under that name; what it reads may never run
            self.visit(node.args[0], scope)
            self._deferred += 1
            self.visit(node.args[2], scope)
            self._deferred -= 1
            return
        self._children(node, scope)

    def _chain(self, node: ast.Call) -> list[ast.Call]:
        """The call and the calls chained on it (`session.query(T)` then `.filter(...)`, `.first()`)."""
        out = [node]
        while id(out[-1]) in self._outer and len(out) < 20:
            out.append(self._outer[id(out[-1])])
        return out

    def _io(self, node: ast.Call, scope: Scope, name: str, awaited: bool) -> Sink | None:
        """A file read or a new database connection: what the per-row lookup and connection-per-item rules follow."""
        short = node.func.attr if isinstance(node.func, ast.Attribute) else name
        if short not in _IO_NAMES:
            # most calls: decided without expanding the name; an API call on a boto3 client by its receiver's type
            if type(node.func) is ast.Attribute and type(node.func.value) is ast.Name and short not in apis.CLOUD_LOCAL_METHODS \
                    and self._lookup_type(node.func.value.id, scope) == "cloud":
                return self._heavy(node, scope, f"{node.func.value.id}.{short}", "makes a cloud API call", awaited)
            return None
        full = self.expand(name) if name else ""
        if (name == "open" and "open" not in self.facts.imports and not self._lookup_type("open", scope)) or full in ("io.open", "codecs.open") \
                or (short in ("read_text", "read_bytes") and isinstance(node.func, ast.Attribute)):
            # a file opened to append (a log line) is not the per-item work that dwarfs a query (dwarfing.py)
            return self._sink(node, scope, "file", full or short, _file_mode(node), awaited, "high")
        if full in apis.DB_CONSTRUCTORS and not full.startswith("django."):
            sink = self._sink(node, scope, "connect", full, "connect", awaited, "high")
            params = set(scope.fn.params)
            sink.reads = tuple(sorted({n.id for a in (*node.args, *(k.value for k in node.keywords)) for n in ast.walk(a)
                                       if type(n) is ast.Name and n.id in params}))
            return sink
        what = apis.HEAVY_CALLS.get(full)
        if what is None and type(node.func) is ast.Attribute:
            kind = self._expr_type(node.func.value, scope)
            methods, does = apis.HEAVY_METHODS.get(kind[6:], ((), "")) if kind and kind.startswith("class:") else ((), "")
            what = does if short in methods else "makes a cloud API call" if kind == "cloud" else None  # s3.copy(...)
        return self._heavy(node, scope, full or short, what, awaited) if what else None

    def _runs_items_statement(self, first: ast.expr, is_query: bool) -> bool:
        """The call's first argument is the statement the loop's item is or carries (item_statements.py)."""
        if isinstance(first, ast.Name) and self._is_loop_target(first.id, is_query):
            return True
        state = self._loop_states[-1] if self._loop_states else None
        return is_query and state is not None and item_statements.carried(first, state.target_names, state.statements)

    def _items_database(self, node: ast.Call) -> bool:
        """The query runs on the database the loop's item names (`.using(db.name)` anywhere in its chain), or on a
        connection one of the item's methods returned."""
        state = self._loop_states[-1] if self._loop_states else None
        return state is not None and item_statements.own_database(self._chain(node)[-1], state.target_names, state.stores)

    def _heavy(self, node: ast.Call, scope: Scope, api: str, what: str, awaited: bool) -> Sink:
        """Per-item work that costs far more than a query (apis.HEAVY_CALLS): kind "io", what it does as its framework."""
        sink = self._sink(node, scope, "io", api, what, awaited, "high")
        sink.conditional = self._unsure
        sink.recovery = self._recovering > 0  # (a retry's back-off in a failure handler: n_plus_one._paced)
        return sink

    def _region_get(self, node: ast.Call) -> bool:
        """`REGION.get(key)` on a dogpile.cache region (Rucio's memcached `REGION`, checked against `NoValue` before it
        queries: round 138, 3 judged CACHED), in a module that imports dogpile or a cache module of its own."""
        func = node.func
        return type(func) is ast.Attribute and func.attr in ("get", "get_or_create", "get_multi") \
            and "region" in (last_name(func.value) or "").lower() \
            and any("dogpile" in t or "cache" in t.lower() for t in self.facts.imports.values())

    def _note_query_use(self, node: ast.Call, scope: Scope) -> None:
        func = node.func
        # (`get_cached_response`: Open edX's RequestCache and TieredCache, edx-when's schedule per user and course, round 101)
        if cache_method(node, ("get", "get_or_set", "get_many", "get_cached_response")) or self._region_get(node):
            scope.fn.cached = scope.fn.cache_aside = True  # cache-aside: the queries below run on a miss, not on every call
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.attr in ("count", "exists"):
            binding = scope.bindings.get(func.value.id)
            if binding:
                scope.fn.query_uses.append(QueryUse(binding, "count", span(node), self.text(node)))
        elif isinstance(func, ast.Name) and func.id in ("list", "len", "tuple", "sorted") and node.args and isinstance(node.args[0], ast.Name):
            binding = scope.bindings.get(node.args[0].id)
            if binding:
                scope.fn.query_uses.append(QueryUse(binding, "evaluate", span(node), self.text(node)))


_LAZY_QUERY = frozenset({"filter", "filter_by", "join", "outerjoin", "options", "order_by", "group_by", "having", "with_entities",
                         "select_from", "distinct", "limit", "offset", "correlate", "label"})
# calls that evaluate a queryset handed to them (builtins, and a list or set taking its rows)
_EVALUATES = frozenset({"list", "tuple", "set", "frozenset", "dict", "len", "sorted", "sum", "any", "all", "max", "min", "enumerate",
                        "iter", "next", "bool", "reversed", "zip", "map", "filter", "print", "str", "repr", "extend", "update",
                        "union", "join", "writerows", "bulk_update", "bulk_create", "in_bulk"})
_TO_THREAD = frozenset({"sync_to_async", "database_sync_to_async", "to_thread", "run_in_executor"})  # runs its callable off the event loop
_NOT_RUN = frozenset({"subquery", "cte", "scalar_subquery", "as_scalar", "lateral", "alias", "correlate"})


def _fills_missing(node: ast.Call) -> bool:
    """`self._cache.update({...})` whose query asks only for keys `not in self._cache`: a cache filled with what it lacks."""
    cache = dotted(node.func.value)
    if not cache or not cache.startswith("self."):
        return False
    return any(isinstance(n, ast.Compare) and len(n.ops) == 1 and isinstance(n.ops[0], ast.NotIn) and dotted(n.comparators[0]) == cache
               for a in node.args for n in ast.walk(a))


def _sort_key_relations(node: ast.Call) -> tuple[str, ...]:
    """What `sort(key=lambda u: (u.user.is_admin, u.id))` reads through an attribute of each row: `user`."""
    key = next((k.value for k in node.keywords if k.arg == "key"), None)
    if type(key) is not ast.Lambda or len(key.args.args) != 1:
        return ()
    row = key.args.args[0].arg
    return tuple(dict.fromkeys(n.value.attr for n in ast.walk(key.body) if type(n) is ast.Attribute and type(n.value) is ast.Attribute
                               and type(n.value.value) is ast.Name and n.value.value.id == row))


def _file_mode(node: ast.Call) -> str:
    """`open(path, "a")` appends ("append"), `open(path, "w+")` writes ("write"), any other reads ("file"): the mode as
    a literal second argument or `mode=`."""
    mode = node.args[1] if len(node.args) > 1 else next((k.value for k in node.keywords if k.arg == "mode"), None)
    if not (type(mode) is ast.Constant and isinstance(mode.value, str)):
        return "file"
    return "append" if "a" in mode.value else "write" if any(c in mode.value for c in "wx+") else "file"


# Django's expressions that embed a queryset in the outer query's SQL; and `Prefetch(lookup, queryset)`, whose queryset runs
# as part of the prefetch of the rows it is handed to (YourNextRepresentative's ballots API, round 117: judged NOTQUERY)
_COMPOSING = frozenset({"Subquery", "Exists", "Prefetch"})
# methods that keep a callback to call when an event fires (Qt's `signal.connect`, Tk's `bind`, a future's
# `add_done_callback`), and the keywords a widget takes one by (Tk's `command=`)
_REGISTERS_CALLBACK = frozenset({"connect", "bind", "bind_all", "add_done_callback", "add_callback", "trace_add", "register_callback",
                                 "set_callback", "add_listener", "add_event_listener"})
_CALLBACK_KEYWORDS = frozenset({"command", "callback", "on_click", "on_change", "on_press", "on_release", "on_submit"})
# what starts an event loop for a coroutine and runs it to the end: `asyncio.run`, `loop.run_until_complete`, a
# project's wrapper of either (Nominatim's `asyncio_run`)
_RUNNERS = frozenset({"run", "run_until_complete", "asyncio_run"})
_ROW_METHODS = apis.DJANGO_BUILDING  # a queryset's methods that keep it rows (`values_list`, `filter`)


def _query_rows(node: ast.AST, scope: Scope) -> bool:
    """`Client.objects.values_list("name", flat=True)`, `[*qs]`, `list(qs.values("id"))`: a query's rows, though not
    model instances to read relations of (those are arg_sources): as many as the table holds (caller_rows.py)."""
    if type(node) in (ast.List, ast.Tuple, ast.Set) and len(node.elts) == 1 and type(node.elts[0]) is ast.Starred:
        node = node.elts[0].value
    elif type(node) is ast.Call and type(node.func) is ast.Name and node.func.id in ("list", "tuple", "set", "sorted") and len(node.args) == 1:
        node = node.args[0]
    return type(node) is ast.Call and type(node.func) is ast.Attribute and \
        node.func.attr in _ROW_METHODS and _orm_rooted(node, scope)


def _orm_rooted(node: ast.Call, scope: Scope) -> bool:
    """A cheap look before describing an argument as a query: `Model.objects...`, `Model.query...`, `qs.filter(...)`."""
    cur: ast.AST = node
    while type(cur) is ast.Call or type(cur) is ast.Attribute:
        cur = cur.func if type(cur) is ast.Call else cur.value
        if type(cur) is ast.Attribute and cur.attr in ("objects", "query", "_default_manager"):
            return True
    return type(cur) is ast.Name and (cur.id in scope.queries or cur.id in ("list", "sorted", "select"))


_IO_NAMES = frozenset({"open", "read_text", "read_bytes"} | {c.rpartition(".")[2] for c in apis.DB_CONSTRUCTORS} | apis.HEAVY_SHORT_NAMES)

_TAKES_ITEMS = frozenset({"pop", "popleft", "popitem", "next", "get_nowait", "heappop", "dequeue", "shift"})


def _slots(node: ast.Call, test) -> tuple[str, ...]:
    """The arguments of `node` that pass `test`, named as `Call.falsy` names them: "#<i>" positionally, keywords by name."""
    return tuple(slot for slot, a in _slot_values(node) if test(a))


def _slot_values(node: ast.Call) -> list[tuple[str, ast.expr]]:
    return [*((f"#{i}", a) for i, a in enumerate(node.args)), *((k.arg, k.value) for k in node.keywords if k.arg)]


def _module_dict(tree: ast.Module | None, name: str) -> ast.Dict | None:
    """The dict literal a module's top level binds `name` to, once and nowhere else; None otherwise."""
    bound = [stmt.value for stmt in (tree.body if tree is not None else ())
             if type(stmt) is ast.Assign and any(type(t) is ast.Name and t.id == name for t in stmt.targets)]
    return bound[0] if len(bound) == 1 and type(bound[0]) is ast.Dict else None

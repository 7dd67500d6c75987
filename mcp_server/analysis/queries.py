"""Is this call a query or a remote call? DB-API, SQLAlchemy sessions, Django and Flask-SQLAlchemy chains,
querysets held in variables, HTTP; one ORM chain is one query."""

from __future__ import annotations

import ast

from . import apis
from .facts import QueryUse, Sink
from .nodes import last_name, span, unchained
from .reader import Scope
from .walk import CAPWORD, class_like, statement_text


class Queries:
    # -- is this call a query or a remote call? ----------------------------------------------------------
    def _classify(self, node: ast.Call, scope: Scope, awaited: bool, name: str | None) -> Sink | None:
        func = node.func
        if name and name.partition(".")[0] in self.facts.imports:  # (not a local `requests = {}`: navitia's, round 182)
            full = self.expand(name)
            if full in apis.HTTP_FUNCTIONS:
                return self._sink(node, scope, "http", full, "http", awaited, "high")
        if not isinstance(func, ast.Attribute):
            return None
        method = func.attr
        recv = func.value
        rtype = self._expr_type(recv, scope)
        rname = last_name(recv) or ""
        if rtype == "http":
            return self._sink(node, scope, "http", f"{rname}.{method}", "http", awaited, "high") if method in apis.HTTP_METHODS else None
        orm = self._orm_chain_sink(node, scope, awaited)
        if orm is not None:
            return orm
        first = node.args[0] if node.args else None
        if rtype == "session" and method in apis.SESSION_QUERY_METHODS:
            if method == "get" and not class_like(first):
                return None
            return self._sink(node, scope, "db", f"{rname}.{method}", "sqlalchemy", awaited, "high")
        if method in apis.DB_QUERY_METHODS:
            sql = self._sql_of(first, scope)
            if rtype == "db":
                return self._sink(node, scope, "db", f"{rname}.{method}", self._driver(method, awaited), awaited, "high", sql)
            if sql is not None and apis.looks_like_sql(sql):
                return self._sink(node, scope, "db", f"{rname}.{method}", self._driver(method, awaited), awaited, "high", sql)
            if rname and apis.looks_like_db_name(rname):
                if method in apis.ASYNC_DRIVER_METHODS and not awaited:
                    return None
                framework = "sqlalchemy" if _is_sqlalchemy_statement(first) else self._driver(method, awaited)
                confident = sql is not None or framework == "sqlalchemy" or (isinstance(first, ast.Name) and apis.looks_like_sql_variable(first.id))
                return self._sink(node, scope, "db", f"{rname}.{method}", framework, awaited, "high" if confident else "medium", sql)
            return None
        if method in apis.SESSION_QUERY_METHODS and apis.looks_like_session_name(rname) and rtype != "http":
            if method == "get" and not class_like(first):
                return None
            if method == "execute":
                return None  # handled above as a DB query method
            return self._sink(node, scope, "db", f"{rname}.{method}", "sqlalchemy", awaited, "high" if class_like(first) or _is_sqlalchemy_statement(first) else "medium")
        return None

    @staticmethod
    def _driver(method: str, awaited: bool) -> str:
        return "asyncpg" if awaited and method in apis.ASYNC_DRIVER_METHODS else "dbapi"

    def _sql_of(self, node: ast.AST | None, scope: Scope) -> str | None:
        if node is None:
            return None
        if isinstance(node, ast.Name):
            s: Scope | None = scope
            while s is not None:
                if node.id in s.strings:
                    return s.strings[node.id]
                s = s.parent
            return None
        return statement_text(node)

    def _sink(self, node: ast.Call, scope: Scope, kind: str, api: str, framework: str, awaited: bool, confidence: str, sql: str | None = None) -> Sink:
        return Sink(kind, api, framework, span(node), tuple(reversed(scope.loop_stack)), awaited, confidence, sql, self.text(node))

    def _orm_chain_sink(self, node: ast.Call, scope: Scope, awaited: bool) -> Sink | None:
        """`Model.objects.<...>.get()` (Django) or `Model.query.<...>.first()` (Flask-SQLAlchemy) as one query."""
        methods = []
        cur: ast.AST = node
        while isinstance(cur, ast.Call) and isinstance(cur.func, ast.Attribute):
            methods.append(cur.func.attr)
            cur = cur.func.value
        if methods and isinstance(cur, ast.Name) and cur.id in scope.queries:
            return self._variable_chain_sink(node, scope, awaited, cur.id, methods)
        if not methods or not isinstance(cur, ast.Attribute):
            return None
        model = self._model_name(cur.value, scope)
        if not model or not CAPWORD.match(model.rpartition(".")[2]):
            return None
        manager = cur.attr
        outer = methods[0]
        if outer in apis.DJANGO_ASYNC and manager != "query":
            outer = outer[1:]  # Django's async twin (`await qs.values("id").afirst()`): the same query, awaited
        if any(isinstance(sub, ast.Call) and last_name(sub.func) == "OuterRef" for sub in ast.walk(node)):
            self._consume(node)  # nor are the steps of its chain, below the OuterRef filter
            return None  # a correlated subquery, composed into the outer query: no query of its own
        if self._composed and outer in apis.DJANGO_LAZY:
            self._consume(node)  # `Prefetch("payments", Payment.objects.select_related(...))`: run by the prefetch it serves
            return None
        if outer in apis.DJANGO_WRITES:
            self._consume(node)  # writes per row are the batch-write rule's; the filter they run on is part of them
            return None
        lock = self._intended_lock(node, scope) if scope.loop_stack else ""
        if lock == "skip":
            self._consume(node)
            return None
        if manager == "query":  # Flask-SQLAlchemy
            if outer not in ("get", "first", "one", "one_or_none", "all", "count", "scalar", "get_or_404", "first_or_404"):
                return None
            framework, confidence = "sqlalchemy", "high"
        elif manager in ("objects", "_default_manager", "_base_manager") or manager.endswith("objects"):
            if outer in apis.DJANGO_EVALUATING or outer in apis.DJANGO_ROWS:
                framework, confidence = "django", "high"
            elif outer == "none":
                return None  # an empty queryset: never queries
            elif outer in apis.DJANGO_LAZY:
                framework, confidence = "django", "medium"  # evaluated later, once per iteration
            else:
                return None  # a custom manager method: the index may resolve it as a call
        else:
            return None
        self._consume(node)
        sink = Sink("db", f"{model}.{manager}.{outer}", framework, span(node), tuple(reversed(scope.loop_stack)), awaited, confidence, None, self.text(node))
        if lock == "transaction":
            self._txn_locks.append((scope.fn, sink))  # dropped once its key is known, if it locks the same row every time (loops.py)
        return sink

    def _intended_lock(self, node: ast.Call, scope: Scope) -> str:
        """"skip": `select_for_update(skip_locked=True)` (or nowait) per row, trying the rows' locks one by one and stopping
        at the first free one; "transaction": a locking query in a transaction the loop opens per item or batch, whose
        lock ends with it. The first is never an N+1 (locking all candidates at once is the wrong fix); the second is
        not when it locks the same row on every iteration (it must be taken again in each transaction), which only
        the loop's end tells. A lock per row of the item stays an N+1."""
        lock = next((c for c in ast.walk(node) if isinstance(c, ast.Call) and isinstance(c.func, ast.Attribute) and c.func.attr == "select_for_update"), None)
        if lock is None:
            return ""
        if any(k.arg in ("skip_locked", "nowait") and isinstance(k.value, ast.Constant) and k.value.value is True for k in lock.keywords):
            return "skip"
        return "transaction" if self._atomic_loops and self._atomic_loops[-1] == scope.loop_stack[-1] else ""

    def _variable_chain_sink(self, node: ast.Call, scope: Scope, awaited: bool, name: str, methods: list[str]) -> Sink | None:
        """`qs.filter(day=d).count()` where `qs` holds a Django queryset: one query each time it runs."""
        source = scope.queries[name]
        outer = methods[0]
        if source.kind == "sqlalchemy":  # Flask-SQLAlchemy: `invoices = Invoice.query.filter_by(...)`, then `invoices.all()`
            if outer not in _SQLA_RUNS or not all(m in _SQLA_BUILDS for m in methods[1:]):
                return None
        elif source.kind != "django" or outer not in apis.DJANGO_EVALUATING or not all(m in apis.DJANGO_LAZY for m in methods[1:]):
            return None
        if node.args:
            return None  # dict.get(key), list.count(x): the variable may hold a result or a list, and querysets take keywords
        self._consume(node)
        if not source.model:
            return None
        walked = self._iterated(name, node, scope) if source.kind == "django" and len(methods) == 1 and outer in ("count", "exists") else None
        if walked is not None:
            # `for p in qs: ...` then `qs.count()`: Django counts the rows it holds; the query is the loop's, where it
            # walks `qs`, unless the binding was counted as one already (`qs = Model.objects.filter(...)`)
            if any(s.framework == "django" and s.text.startswith(f"{name} = ") for s in scope.fn.sinks):
                return None
            return Sink("db", f"{source.model}.{source.manager or 'objects'}.filter", "django", walked.span,
                        tuple(reversed(scope.loop_stack)), awaited, "medium", None, walked.text)
        framework = "sqlalchemy" if source.kind == "sqlalchemy" else "django"
        manager = "query" if framework == "sqlalchemy" else source.manager or "objects"
        return Sink("db", f"{source.model}.{manager}.{outer}", framework, span(node), tuple(reversed(scope.loop_stack)),
                    awaited, "medium", None, self.text(node))

    @staticmethod
    def _iterated(name: str, node: ast.Call, scope: Scope) -> QueryUse | None:
        """Where the binding of `name` this call reads was iterated (or listed) earlier in the function: its rows are cached."""
        binding = scope.bindings.get(name)
        return next((u for u in scope.fn.query_uses if binding is not None and u.var == binding and u.kind == "evaluate"
                     and u.span.line < node.lineno), None)

    def _consume(self, node: ast.Call) -> None:
        """The calls of one ORM chain, and querysets passed into it as subqueries, are one query: do not
        report them again. Other calls in its arguments (a helper that queries) still count."""
        cur: ast.AST = node
        while isinstance(cur, (ast.Call, ast.Attribute)):
            if isinstance(cur, ast.Call):
                if cur is not node:
                    self._consumed.add(id(cur))
                for arg in (*cur.args, *(k.value for k in cur.keywords)):
                    for sub in ast.walk(arg):
                        if isinstance(sub, ast.Call) and _manager_chain(sub):
                            self._consumed.add(id(sub))
                cur = cur.func
            else:
                cur = cur.value

    def _lazy_expression(self, node: ast.Call, name: str | None, scope: Scope | None = None) -> None:
        """`Q(id__in=Invoice.objects.filter(...))`, `Exists(...)`, `Subquery(...)`: an expression that a query built
        later embeds; the querysets in its arguments are subqueries of that query and run nothing here. So is a
        related queryset given as an `__in` lookup (`exclude(id__in=user.blocks.all())`), and one built into a
        variable first (`rows = Model.objects.filter(...)`, then `Q(pk__in=rows.values("entity"))`)."""
        for k in node.keywords:
            if k.arg and k.arg.endswith("__in"):
                self._related_subquery(k.value)
                if scope is not None:
                    self._embedded_variable(k.value, scope)
        if (name or "").rpartition(".")[2] not in _EXPRESSIONS:
            return
        if scope is not None:
            for arg in node.args:
                self._embedded_variable(arg, scope)
        for arg in (*node.args, *(k.value for k in node.keywords)):
            for sub in ast.walk(arg):
                if isinstance(sub, ast.Call):
                    self._related_subquery(sub)
        todo: list[ast.AST] = [*node.args, *(k.value for k in node.keywords)]
        while todo:
            sub = todo.pop()
            if isinstance(sub, ast.Call) and _manager_chain(sub):
                if isinstance(sub.func, ast.Attribute) and (sub.func.attr in apis.DJANGO_LAZY or sub.func.attr in apis.DJANGO_ROWS):
                    self._consumed.add(id(sub))  # a queryset, embedded lazily
                    self._consume(sub)
                continue  # `.get()` / `.first()` in the arguments runs now: still a query
            todo += ast.iter_child_nodes(sub)

    def _embedded_variable(self, node: ast.AST, scope: Scope) -> None:
        """`rows` or `rows.values("id")` embedded in another query: the lazy queryset bound to `rows` runs as part of
        that query, so the query its binding was counted as (`_orm_chain_sink`, "evaluated later") is not one."""
        node = unchained(node, apis.DJANGO_LAZY | {"values", "values_list"})
        src = scope.queries.get(node.id) if isinstance(node, ast.Name) else None
        if src is None and isinstance(node, ast.Name):
            # `ids = X.objects.filter(...).values_list("id", flat=True)` counts as run at once (its rows are usually
            # read), unless the function only ever embeds it
            rows = [s for s in scope.fn.sinks if s.api.rpartition(".")[2] in apis.DJANGO_ROWS and s.text.startswith(f"{node.id} = ")]
            if rows and only_embedded(node.id, scope.tree):
                scope.fn.sinks = [s for s in scope.fn.sinks if not any(s is r for r in rows)]
            return
        if src is None or src.kind != "django":
            return
        # `cards = cards.filter(...)` refines the same lazy queryset: its first binding is the one counted
        bound = sorted((b for k, b in scope.fn.query_vars.items() if k.partition("#")[0] == node.id), key=lambda b: b.span.line)
        spans = {src.span}
        for earlier, later in zip(reversed(bound[:-1]), reversed(bound[1:])):
            if later.span in spans and later.text.startswith(f"{node.id} = {node.id}."):
                spans.add(earlier.span)
        scope.fn.sinks = [s for s in scope.fn.sinks if not (s.span in spans and s.confidence == "medium")]

    def _related_subquery(self, node: ast.AST) -> None:
        """`row.blocks.all()` embedded in another query: the relation is read by that query's SQL, not loaded here
        (reads.py skips what `_passed_lazy` holds)."""
        chain: list[ast.Attribute] = []
        cur = node
        while isinstance(cur, ast.Call) and isinstance(cur.func, ast.Attribute) and cur.func.attr in apis.DJANGO_LAZY | {"values", "values_list"}:
            chain.append(cur.func)
            cur = cur.func.value
        if chain and isinstance(cur, ast.Attribute):
            root = cur
            while isinstance(root, ast.Attribute):
                root = root.value
            if isinstance(root, ast.Name):
                self._passed_lazy.update(id(a) for a in chain)
        elif isinstance(cur, ast.Call) and isinstance(cur.func, ast.Attribute) and cur.func.attr in apis.TREE_QUERYSETS \
                and isinstance(cur.func.value, ast.Name):
            # `page.get_children()`: a tree's queryset (DriveBC's subpages, round 178)
            self._passed_lazy.update(id(a) for a in (*chain, cur.func))

    def _row_api_sink(self, node: ast.Call, scope: Scope, awaited: bool) -> Sink | None:
        """`content_type.get_object_for_this_type(id=...)`: a row API whose name says it queries, on whatever holds it."""
        if type(node.func) is ast.Attribute and node.func.attr in apis.QUERYING_ROW_APIS:
            return self._sink(node, scope, "db", f"ContentType.{node.func.attr}", "django", awaited, "medium")
        return None


_EXPRESSIONS = frozenset({"Q", "Exists", "Subquery", "OuterRef"})


def only_embedded(name: str, tree: ast.AST | None) -> bool:
    """Every read of `name` in the function is a subquery of another query: an `__in` lookup's value or an argument
    of `Q`/`Exists`/`Subquery`, as it is or narrowed (`rows.values("id")`)."""
    if tree is None:
        return False
    embedded, uses = set(), 0
    for n in ast.walk(tree):
        if type(n) is ast.Name and n.id == name and type(n.ctx) is ast.Load:
            uses += 1
        elif type(n) is ast.Call:
            values = [k.value for k in n.keywords if k.arg and k.arg.endswith("__in")]
            if (last_name(n.func) or "") in _EXPRESSIONS:
                values += n.args
            for v in values:
                v = unchained(v, apis.DJANGO_BUILDING)
                if type(v) is ast.Name and v.id == name:
                    embedded.add(id(v))
    return uses > 0 and uses == len(embedded)


def _manager_chain(call: ast.Call) -> bool:
    """Model.objects.<...>(...): a Django queryset expression."""
    cur: ast.AST = call
    while isinstance(cur, ast.Call) and isinstance(cur.func, ast.Attribute):
        cur = cur.func.value
    return isinstance(cur, ast.Attribute) and (cur.attr in ("objects", "_default_manager", "_base_manager") or cur.attr.endswith("objects"))


def _is_sqlalchemy_statement(node: ast.AST | None) -> bool:
    cur = node
    while isinstance(cur, ast.Call) and isinstance(cur.func, ast.Attribute):
        cur = cur.func.value
    return isinstance(cur, ast.Call) and last_name(cur.func) in ("select", "update", "delete", "insert", "text")


_SQLA_RUNS = frozenset({"all", "first", "one", "one_or_none", "count", "scalar", "get", "first_or_404", "get_or_404", "paginate"})
_SQLA_BUILDS = frozenset({"filter", "filter_by", "order_by", "join", "outerjoin", "options", "limit", "offset", "group_by", "distinct",
                          "with_entities", "where"})

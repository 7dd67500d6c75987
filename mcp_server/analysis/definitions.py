"""Functions and classes as they are defined: a function's facts and parameters, a class's bases, ORM
model fields and relations (Django fields, SQLAlchemy `relationship`, managers), typed attributes."""

from __future__ import annotations

import ast
import re

from . import admin, answered, apis, background, cached_responses, callables, class_attrs, dispatch, loop_size, lookup_lists, module_words, pattern_async, save_signals, \
    list_views, selections, serializer_context, serializers, staff_only, unused, views, wrappers, deferred as sqla_deferred
from .facts import AUTO_PREFETCH, UNKNOWN_LOOKUP, ClassFacts, Function, RelationField
from .nodes import dotted, last_name, param_defaults, span
from .reader import Scope
from .walk import CAPWORD, keyword_arg


class Definitions:
    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef, scope: Scope) -> None:
        for d in node.decorator_list:
            self.visit(d, scope)
        prefix = scope.cls if scope.cls and scope.fn is self.module_fn else (scope.fn.qualname if scope.fn is not self.module_fn else "")
        qualname = f"{prefix}.{node.name}" if prefix else node.name
        fn = Function(qualname, span(node), isinstance(node, ast.AsyncFunctionDef), scope.cls if scope.fn is self.module_fn else None)
        decorators = {last_name(d.func if isinstance(d, ast.Call) else d) for d in node.decorator_list}
        fn.cache_aside = any(_shared_cache(d) for d in node.decorator_list)
        memo = next((d for d in node.decorator_list if _shared_cache(d) or _memoising(last_name(d.func if isinstance(d, ast.Call) else d) or "")), None)
        fn.cached = memo is not None or (node.name == "__init__" and _singleton(self.class_nodes.get(scope.cls or "")))
        fn.memo = f"@{ast.unparse(memo)[:60]}" if memo is not None and not _brief(memo) else ""
        fn.deprecated = unused.deprecated(node, self.lines)
        fn.prop = bool(decorators & _PROPERTIES)
        fn.task = bool(decorators & _TASK_DECORATORS)
        fn.task_name = next((k.value.value for d in node.decorator_list if isinstance(d, ast.Call) and last_name(d.func) in _TASK_DECORATORS
                             for k in d.keywords if k.arg == "name" and isinstance(k.value, ast.Constant) and isinstance(k.value.value, str)), "")
        fn.queued = bool(decorators & _QUEUED) or any("huey" in (dotted(d.func if isinstance(d, ast.Call) else d) or "").lower()
                                                     for d in node.decorator_list)
        if isinstance(node, ast.AsyncFunctionDef):
            own = list(pattern_async.own_nodes(node))
            fn.awaitless = pattern_async.never_waits(node, own)
            fn.unthreaded = pattern_async.unthreaded(node, own)
            fn.beside = pattern_async.beside(node, own)
        # (and a click group's callback, which runs before each of its commands: Runestone's `rsmanage` `cli`)
        fn.command = "command" in decorators or ("group" in decorators and bool(background.command_line(self.facts.imports)))
        # a scope that hands nothing out (`yield` alone): a transaction or a lock per use; one that yields a client or a
        # session (`yield service`) may well be opened once for every item instead (Freshmaker's Koji session, judged T)
        fn.scoped = bool(decorators & {"contextmanager", "asynccontextmanager"}) and all(
            n.value is None for n in pattern_async.own_nodes(node) if type(n) is ast.Yield)
        # (the one that states the limit first: `@limits(calls=15, period=900)` rather than `@sleep_and_retry`)
        limit = next((d for d in sorted(node.decorator_list, key=lambda d: not isinstance(d, ast.Call))
                      if _RATE_LIMIT.search(last_name(d.func if isinstance(d, ast.Call) else d) or "")), None)
        fn.paced = f"@{ast.unparse(limit)[:60]}" if limit is not None else ""
        fn.migration = bool(decorators & _MIGRATIONS)
        fn.system_check = "register" in decorators and any(self._system_check(d) for d in node.decorator_list)
        if "receiver" in decorators:
            fn.account_deletion = save_signals.account_deletion(node.decorator_list)
        # `@shared_task(run_every=timedelta(hours=1))`: the schedule in its decorator registers it with the scheduler
        fn.registers = bool(decorators - module_words.PLAIN_DECORATORS - {None} - _template_library(node.decorator_list)) or any(
            isinstance(d, ast.Call) and any(k.arg == "run_every" for k in d.keywords) for d in node.decorator_list)
        wrapping = [dotted(d.func if isinstance(d, ast.Call) else d) for d in node.decorator_list
                    if last_name(d.func if isinstance(d, ast.Call) else d) not in module_words.PLAIN_DECORATORS]
        fn.wrapped_by = tuple(self.expand(w) for w in wrapping if w) if fn.registers and all(wrapping) else ()
        if wrappers.only_wraps(node):
            self.facts.wrapping |= {qualname}
        fn.route = staff_only.routed(node.decorator_list)
        fn.staff_only = staff_only.decorator_reason(node.decorator_list) or (staff_only.DJANGO_ADMIN if staff_only.admin_action(node) else "") \
            or staff_only.guard_reason(node) or staff_only.dependency_reason(node)
        fn.cached_response = cached_responses.decorator_reason(node.decorator_list)
        fn.params = tuple(a.arg for a in (*node.args.posonlyargs, *node.args.args))
        fn.off_by_default = _off_by_default(node.args)
        fn.abstract = fn.cls is not None and dispatch.is_abstract(node)
        fn.answered = answered.answered_by(node)
        if node.name == "get_serializer_context":
            fn.context_keys = serializer_context.context_keys(node)
        self.facts.functions[qualname] = fn
        if scope.fn is not self.module_fn:
            scope.nested[node.name] = qualname
            if self._loop_states:  # a function defined in a loop's body: a new one each iteration (chains.chained)
                self._loop_states[-1].rebound.add(node.name)
        inner = Scope(fn, scope.cls, scope)
        inner.tree = node
        inner.locals.update(a.arg for a in (*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs))
        inner.roots = frozenset(a.arg for a in (*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs))
        inner.small.update(cli_params(node, self.expand, self.facts.path if node.name == "handle" else ""))
        inner.small.update(selections.action_params(node, self.class_actions.get(scope.cls, frozenset()) if scope.cls else frozenset()))
        guarded, deferred, self._guarded, self._deferred = self._guarded, self._deferred, 0, 0  # a body runs whole on each call
        flags, self._flags = self._flags, []
        for arg in (*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs):
            if arg.annotation is not None:
                kind = self._type_of_annotation(arg.annotation)
                if kind:
                    inner.types[arg.arg] = kind
        self._body(node.body, inner)
        self._guarded, self._deferred = guarded, deferred
        self._flags = flags

    def _system_check(self, decorator: ast.expr) -> bool:
        """`@register(deploy=True)` or `@checks.register()` of `django.core.checks` (not any other `register`)."""
        head, _, rest = (dotted(decorator.func if isinstance(decorator, ast.Call) else decorator) or "").partition(".")
        full = self.facts.imports.get(head, "")
        return (f"{full}.{rest}" if rest else full) in ("django.core.checks.register", "django.core.checks.registry.register")

    def _class(self, node: ast.ClassDef, scope: Scope) -> None:
        qual = f"{scope.cls}.{node.name}" if scope.cls else node.name
        # `BaseDAO[Invoice]`: the generic base's methods are the class's own
        bases = tuple(d for d in (dotted(b.value if isinstance(b, ast.Subscript) else b) for b in node.bases) if d) \
            + tuple(d for b in node.bases for d in _from_queryset(b))
        facts = ClassFacts(qual, tuple(self.expand(b) for b in bases), span(node))
        facts.staff_only = staff_only.class_reason(node, facts.bases)
        # django-ordered-model's `OrderedModel` orders its rows by `order` (its Meta's `ordering`), which a model keeps
        # while it declares no Meta or one that extends `OrderedModel.Meta` (eScriptorium's pages, round 319)
        facts.ordered = any(b.rpartition(".")[2] == "OrderedModel" for b in facts.bases)
        facts.cached_response = cached_responses.class_reason(node)
        if self._dispatching is None:
            self._dispatching = unused.dispatch_lines(self.source)
        facts.bare = module_words.bare(node, any(node.lineno <= n <= (node.end_lineno or node.lineno) for n in self._dispatching))
        self.facts.option_list = self.facts.option_list or unused.declares_option_list(node, facts.bases)
        self.facts.classes[qual] = facts
        class_scope = Scope(self.module_fn, qual, scope)  # class attributes must not leak into module names
        self.class_actions[qual] = selections.listed_actions(node)
        self.class_nodes[qual] = node
        for stmt in node.body:
            self._class_statement(stmt, facts)
            class_attrs.note_lookups(stmt, qual, self.string_tuples)
            class_attrs.note_prefetch(stmt, qual, self.prefetch_attrs)
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name) \
                    and stmt.targets[0].id.endswith(("select_related", "prefetch_related")):
                found = lookup_lists.parts(stmt.value, self.expand)
                if found is not None:
                    facts.lookup_lists[stmt.targets[0].id] = found
            callables.note_table(stmt, f"{qual}.", self)
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name in _SETUP_METHODS:
                self._self_attributes(stmt, facts)
            elif isinstance(stmt, ast.FunctionDef) and (returned := loop_size.literal_returns(stmt)):
                self.class_constants.setdefault(qual, {})[f"self.{stmt.name}()"] = returned
        if serializers.is_serializer(facts.bases):
            serializers.serializer_summary(self, node, qual, facts.bases)
        list_views.list_view(self, node, qual, facts.bases, class_scope)
        views.class_view(self, node, qual, facts.bases, class_scope)
        self._class_querysets(node, qual, class_scope)
        self._body(node.body, class_scope)
        admin.note_row_loops(self, node, qual)
        facts.merges_admin = "list_select_related" in self.source and admin.merges_admin(node)  # most modules never name it

    def _class_querysets(self, node: ast.ClassDef, qual: str, scope: Scope) -> None:
        """`queryset = ImportResult.objects.defer("payload")` in a class body: what `self.queryset` holds in its
        methods, kept as a function that returns it (`<qual>.<attr:queryset>`, class_attrs.rows_attr)."""
        for stmt in node.body:
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name) \
                    and isinstance(stmt.value, ast.Call):
                source = self.iter_source(stmt.value, scope)
                if source is not None and source.kind in ("django", "sqlalchemy"):
                    fn = Function(class_attrs.rows_attr(qual, stmt.targets[0].id), span(stmt), False, qual)
                    fn.returns.append(source)
                    self.facts.functions[fn.qualname] = fn

    def _class_statement(self, stmt: ast.stmt, facts: ClassFacts) -> None:
        class_attrs.note_class_ref(stmt, facts, self.expand)
        if isinstance(stmt, ast.FunctionDef) and any(last_name(d) == "declared_attr" or (isinstance(d, ast.Attribute) and d.attr == "directive"
                                                                                         and last_name(d.value) == "declared_attr")
                                                     for d in stmt.decorator_list):
            ret = stmt.body[-1] if stmt.body else None  # a mixin's `@declared_attr def creator(cls): return relationship(...)`
            if isinstance(ret, ast.Return) and isinstance(ret.value, ast.Call):
                stmt = ast.copy_location(ast.Assign(targets=[ast.Name(id=stmt.name, ctx=ast.Store())], value=ret.value), stmt)
                stmt.end_lineno, stmt.end_col_offset = ret.end_lineno, ret.end_col_offset
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name) and isinstance(stmt.value, ast.Call):
            kind = self._type_of_value(stmt.value, self.module_scope)  # `schema = LedgerSchema()` in the class body
            if kind and kind.startswith("class:"):
                facts.attr_types.setdefault(stmt.targets[0].id, kind)
        if isinstance(stmt, ast.ClassDef) and stmt.name == "Meta":
            facts.ordered = any((dotted(b) or "").endswith("OrderedModel.Meta") for b in stmt.bases)  # (a Meta of its own drops the base's)
            for s in stmt.body:
                if isinstance(s, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "abstract" for t in s.targets):
                    facts.abstract = isinstance(s.value, ast.Constant) and s.value.value is True
                elif isinstance(s, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "ordering" for t in s.targets):
                    facts.ordered = isinstance(s.value, (ast.List, ast.Tuple)) and bool(s.value.elts)
                elif isinstance(s, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "proxy" for t in s.targets):
                    facts.proxy = isinstance(s.value, ast.Constant) and s.value.value is True
                elif isinstance(s, ast.Assign) and isinstance(s.value, (ast.Name, ast.Attribute)) and dotted(s.value) \
                        and any(isinstance(t, ast.Name) and t.id in ("model", "model_class") for t in s.targets):
                    facts.meta_model = self.expand(dotted(s.value))  # a form's, serializer's or resource's rows (curated_tables.py)
                elif isinstance(s, ast.Assign) and isinstance(s.value, ast.Constant) and isinstance(s.value.value, str):
                    names = {t.id for t in s.targets if isinstance(t, ast.Name)}
                    facts.table = s.value.value if "db_table" in names else facts.table
                    facts.app_label = s.value.value if "app_label" in names else facts.app_label
            return
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            name, value, annotation = stmt.targets[0].id, stmt.value, None
            if name == "__table_args__":  # SQLAlchemy's table arguments
                facts.constrained = (*facts.constrained, *_unique_together(value))
            if name == "__tablename__":
                facts.tablename = True
                facts.table = value.value if isinstance(value, ast.Constant) and isinstance(value.value, str) else facts.table
            elif name == "max_count" and isinstance(value, ast.Constant) and type(value.value) is int:
                facts.max_count = value.value  # Wagtail: at most this many pages of the type exist (table_sizes.py)
            elif name == "label" and any(b.endswith("AppConfig") for b in facts.bases) and isinstance(value, ast.Constant) \
                    and isinstance(value.value, str):
                facts.app_label = value.value  # an AppConfig's label names its models' tables (`pretixbase_order`)
        elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            name, value, annotation = stmt.target.id, stmt.value, stmt.annotation
        else:
            return
        if not isinstance(value, ast.Call):
            return
        facts.assigned = (*facts.assigned, name)  # a field of any class, read as one or not (invalid_lookups.py)
        sqla_deferred.note_deferred(name, value, facts)
        callee = dotted(value.func)
        short = callee.rpartition(".")[2] if callee else None
        if short == "relation" and (self.expand(callee).endswith(".relationship") or self.expand(callee) == "sqlalchemy.orm.relation"):
            short = "relationship"  # SQLAlchemy's old name, or `from sqlalchemy.orm import relationship as relation`
        if callee and callee.startswith("models.") and short.endswith("Field"):
            facts.django_fields = True
            if short not in apis.DJANGO_SINGLE_FIELDS and short not in apis.DJANGO_MANY_FIELDS:
                facts.columns = (*facts.columns, name)
                facts.unique = (*facts.unique, name) if _declared_unique(value) else facts.unique
        elif short in ("Column", "mapped_column") or _REFERENCE_COLUMN.match(short or ""):
            # SQLAlchemy: `session_type_id` says `session_type` is many-to-one; so does cookiecutter-flask's
            # `role_id = reference_col("roles")` (or `ReferenceCol`), a column with a foreign key to that table
            facts.columns = (*facts.columns, name)
            if _REFERENCE_COLUMN.match(short or "") and value.args and isinstance(value.args[0], ast.Constant) and isinstance(value.args[0].value, str):
                facts.foreign_tables = (*facts.foreign_tables, value.args[0].value)
            facts.unique = (*facts.unique, name) if _declared_unique(value) else facts.unique
            for arg in value.args:  # `Column(Integer, ForeignKey("technology.id"))`: a backref from `technology` is many-to-one
                if isinstance(arg, ast.Call) and last_name(arg.func) == "ForeignKey" and arg.args and isinstance(arg.args[0], ast.Constant) \
                        and isinstance(arg.args[0].value, str) and "." in arg.args[0].value:
                    facts.foreign_tables = (*facts.foreign_tables, arg.args[0].value.rpartition(".")[0])
        if short in apis.DJANGO_SINGLE_FIELDS or short in apis.DJANGO_MANY_FIELDS:
            kind = apis.DJANGO_SINGLE_FIELDS.get(short) or apis.DJANGO_MANY_FIELDS[short]
            target = self._model_ref(value.args[0]) if value.args else self._model_ref(keyword_arg(value, "to"))
            related = keyword_arg(value, "related_name")
            related_name = related.value if isinstance(related, ast.Constant) and isinstance(related.value, str) else None
            null = keyword_arg(value, "null")
            query = keyword_arg(value, "related_query_name")
            facts.relations[name] = RelationField(name, kind, None if kind == "gfk" else target, related_name, span(stmt),
                                                  # django-auto-prefetch's fields load the relation for every row fetched with this one
                                                  lazy=AUTO_PREFETCH if callee and callee.startswith("auto_prefetch.") else None,
                                                  null=isinstance(null, ast.Constant) and null.value is True,
                                                  related_query_name=query.value if isinstance(query, ast.Constant) and isinstance(query.value, str) else None)
        elif short == "relationship":
            target = self._model_ref(value.args[0]) if value.args else self._model_ref(keyword_arg(value, "argument"))
            lazy = keyword_arg(value, "lazy")
            uselist = keyword_arg(value, "uselist")
            # `foreign_keys=role_id`, a column of this class: the key is on this side, so many-to-one (Pittsburgh's
            # purchasing suite, `User.role`, round 209: judged CACHED, a handful of roles)
            keys = keyword_arg(value, "foreign_keys")
            many = False if isinstance(keys, ast.Name) and keys.id in facts.columns else None
            if isinstance(uselist, ast.Constant) and isinstance(uselist.value, bool):
                many = uselist.value
            if annotation is not None:
                ann_target, ann_many = _mapped_annotation(annotation)
                target = target or ann_target
                many = ann_many if many is None else many
            backref, backref_lazy = keyword_arg(value, "backref"), None
            if isinstance(backref, ast.Call) and backref.args:  # backref("invoices", lazy="dynamic")
                blazy = keyword_arg(backref, "lazy")
                backref_lazy = _lazy(blazy) if blazy is not None else None
                backref = backref.args[0]
            facts.relations[name] = RelationField(
                name, "relationship", target, None, span(stmt),
                lazy=_lazy(lazy), many=many,
                backref=backref.value if isinstance(backref, ast.Constant) and isinstance(backref.value, str) else None,
                backref_lazy=backref_lazy, secondary=keyword_arg(value, "secondary") is not None,
            )
        # (managers and querysets as the index knows them: often imported from a `managers.py`, DejaCode's `DataspacedManager`)
        elif short in ("as_manager",) and isinstance(value.func, ast.Attribute):
            facts.managers[name] = self.expand(dotted(value.func.value) or "")
        elif isinstance(value.func, ast.Call) and dotted(value.func.func) and dotted(value.func.func).endswith("from_queryset"):
            if value.func.args:
                facts.managers[name] = self.expand(dotted(value.func.args[0]) or "")
            manager = dotted(value.func.func).rpartition(".")[0]
            if manager.rpartition(".")[2] not in ("Manager", "BaseManager"):  # (Django's own: nothing of the project's)
                facts.from_queryset[name] = self.expand(manager)
        elif callee and CAPWORD.match(short or "") and (short.endswith("Manager") or short.endswith("QuerySet")):
            facts.managers[name] = self.expand(callee)
        elif len(value.args) == 1 and not value.keywords and isinstance(inner := value.args[0], ast.Call) \
                and (wrapped := dotted(inner.func)) and CAPWORD.match(wrapped.rpartition(".")[2]) and wrapped.endswith("Manager"):
            # `objects = money_manager(InvoiceManager())`: django-money's wrapper keeps the manager's get_queryset
            # (Cerberus' invoices, round 233: its prefetches judged PREFETCHED)
            facts.managers[name] = self.expand(wrapped)

    def _self_attributes(self, fn: ast.FunctionDef | ast.AsyncFunctionDef, facts: ClassFacts) -> None:
        params = [a.arg for a in (*fn.args.posonlyargs, *fn.args.args)]
        annotated = {a.arg: a.annotation for a in (*fn.args.posonlyargs, *fn.args.args, *fn.args.kwonlyargs) if a.annotation is not None}
        for stmt in fn.body:
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
                t = stmt.targets[0]
                if isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name) and t.value.id == "self":
                    value = stmt.value
                    kind = None
                    if isinstance(value, ast.Name) and value.id in annotated:
                        kind = self._type_of_annotation(annotated[value.id])  # self.pool = pool, with pool: DatabasePool
                    kind = kind or self._type_of_value(value, self.module_scope)
                    if kind:
                        facts.attr_types[t.attr] = kind
                    elif fn.name == "__init__":
                        setting = loop_size.setting_reason(value)  # `self.groups = current_app.config.get("GROUPS")`
                        if setting:
                            self.class_constants.setdefault(facts.name, {})[f"self.{t.attr}"] = setting
                    if fn.name == "__init__" and isinstance(value, ast.Name) and value.id in params[1:]:
                        facts.attr_params[t.attr] = params.index(value.id)  # the rows a table or exporter is built with
                    if fn.name == "__init__" and t.attr.endswith(("select_related", "prefetch_related")):
                        self._built_lookups(facts.name, t.attr, value)

    def _built_lookups(self, qual: str, attr: str, value: ast.AST) -> None:
        """`self.select_related = self.default_select_related + select_related or []` in a manager's constructor: the
        list `*self.select_related` spells is the one built here, not the class body's default (MGnify, round 150).
        Built from other lists or what callers hand in: UNKNOWN_LOOKUP, eager loading no finding may contradict."""
        built = value.values[0] if isinstance(value, ast.BoolOp) and isinstance(value.op, ast.Or) else value
        found = lookup_lists.parts(built, self.expand)
        if found:
            self.string_tuples[f"{qual}.{attr}"] = (UNKNOWN_LOOKUP,) if lookup_lists.has_refs(found) else found

    def _model_ref(self, node: ast.AST | None) -> str | None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        d = dotted(node) if node is not None else None
        return self.expand(d) if d else None


def _mapped_annotation(node: ast.AST) -> tuple[str | None, bool | None]:
    """Mapped[list["Item"]] -> ("Item", True); Mapped["Client"] -> ("Client", False)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        try:
            node = ast.parse(node.value, mode="eval").body
        except SyntaxError:
            return None, None
    if not (isinstance(node, ast.Subscript) and last_name(node.value) == "Mapped"):
        return None, None
    inner = node.slice
    many = False
    if isinstance(inner, ast.Subscript) and last_name(inner.value) in ("list", "List", "set", "Set", "WriteOnlyMapped", "DynamicMapped"):
        many, inner = True, inner.slice
    if isinstance(inner, ast.Subscript) and last_name(inner.value) == "Optional":
        inner = inner.slice
    if isinstance(inner, ast.BinOp):  # "Client | None"
        inner = inner.left
    if isinstance(inner, ast.Constant) and isinstance(inner.value, str):
        return inner.value, many
    return dotted(inner), many


# decorators whose function, when called, queues a job instead of running: huey's `@db_task` / `@huey.task()` and
# django-background-tasks' `@background` (OpenCraft's `spawn_appserver`, called once per server wanted: round 64).
# Celery's, Dramatiq's and RQ's run the body when called directly, and queue through `.delay()` / `.send()`.
_QUEUED = frozenset({"db_task", "db_periodic_task", "background"})
# Celery, Huey, Dramatiq, RQ, django-q and django-background-tasks
_TASK_DECORATORS = frozenset({"shared_task", "task", "periodic_task", "db_task", "db_periodic_task", "actor", "job", "background"})
# the first word of a memoising decorator's name: functools' `cache`, `@cached`, `@memoize`, and a project's own
# wrappers (`@cache.memoize_function(240)`, `@cached_query`, argcache's `@cache_function`); a later word but `cache`
# (oioioi's `@request_cached`, `@request_cached_complex`: once per request)
_MEMO_WORDS = frozenset({"memoize", "memoized", "memoise", "cached", "cache"})
# decorators keeping results in the shared cache (Django's), keyed by the arguments: a row's method so decorated is
# read from that cache on later requests, not queried per row (pydici's `@cacheable(key, timeout)`, django-cache-memoize's
# `@cache_memoize(timeout)`, django-argcache's `@cache_function` and `@cache_function_for(timeout)`, which keep them
# until a dependency's row changes), unless it keeps them only seconds, which the next page view outlives
_SHARED_CACHES = {"cacheable": 1, "cache_memoize": 0, "cache_function": None, "cache_function_for": 0}  # name -> position of the timeout
_SHORT = 60  # seconds
_NOT_MEMOS = frozenset({"cache_page", "cache_control", "never_cache", "cache_clear"})  # HTTP caching, or clearing one


def _shared_cache(node: ast.expr) -> bool:
    call = node if isinstance(node, ast.Call) else None
    name = last_name(call.func if call else node) or ""
    if name == "cached_method":
        # django-cachemodel's `@cachemodel.cached_method(auto_publish=True)`: in the Django cache per row, published
        # again when the row is saved (Badgr's evidence and badge classes, round 69: 2 judged CACHED); not another
        # library's in-memory `cached_method`, which is once per object like a `cached_property`
        return "cachemodel" in (dotted(call.func if call else node) or "") or (call is not None and keyword_arg(call, "auto_publish") is not None)
    if name not in _SHARED_CACHES:
        return False
    at = _SHARED_CACHES[name]
    timeout = keyword_arg(call, "timeout") if call else None
    if call and timeout is None and at is not None and len(call.args) > at:
        timeout = call.args[at]
    return not (isinstance(timeout, ast.Constant) and isinstance(timeout.value, (int, float)) and timeout.value < _SHORT)


_BRIEF = 600  # seconds: a memo kept less than ten minutes is refilled often enough that its misses are a page's cost


def _brief(node: ast.expr) -> bool:
    """A memo kept only minutes: `@cache(300)` (Janeway's press-wide COUNTER totals, round 90: the loop inside judged worth
    fixing; its ten-minute `@cache(600)` settings judged CACHED)."""
    if not isinstance(node, ast.Call):
        return False
    given = [k.value for k in node.keywords if k.arg in ("timeout", "seconds", "ttl", "expire", "expires", "expiry")] or node.args[:1]
    return any(isinstance(v, ast.Constant) and type(v.value) in (int, float) and v.value < _BRIEF for v in given)


def _memoising(name: str) -> bool:
    """A decorator that memoises, by its name: `lru_cache`, `ttl_cache` and the words above; not HTTP caching, and not
    a `cached_property`, which is once per row rather than once per process."""
    words = name.split("_")
    # (`@memodict`, a dict whose `__missing__` computes and keeps: the Aid Transparency Tracker's test info, round 309)
    first = words[0] in _MEMO_WORDS or words[0].startswith("memo")
    return ((first or not (_MEMO_WORDS - {"cache"}).isdisjoint(words[1:])) and name not in _PROPERTIES
            and name not in _NOT_MEMOS) or name.endswith(("lru_cache", "ttl_cache"))


_PROPERTIES = frozenset({"property", "cached_property", "cachedproperty", "hybrid_property"})
# a Django template library's tags and filters: a template calls them by their name (`{% steam_stats player %}`,
# `{{ value|money }}`), so one no template, code or setting of the project spells runs for nobody (Rocket League
# Replays' `steam_stats`, round 242: 2 judged DEAD). Not one registered under another name (`@register.filter("x")`).
_TEMPLATE_LIBRARY = frozenset({"simple_tag", "inclusion_tag", "filter", "tag", "assignment_tag"})


def _template_library(decorators: list[ast.expr]) -> frozenset[str]:
    """The decorators among these that register the function with a Django template library under its own name."""
    out = set()
    for d in decorators:
        call = d if isinstance(d, ast.Call) else None
        name = last_name(call.func if call else d)
        if name in _TEMPLATE_LIBRARY and (dotted(call.func if call else d) or "").startswith("register.") and not (
                call and (any(k.arg == "name" for k in call.keywords)
                          or (call.args and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str) and name != "inclusion_tag"))):
            out.add(name)
    return frozenset(out)


# a migration step registered by its decorator (`@db_schema.upgrade("series")`, `@migration(3)`): run once, on upgrade
# (MediaGoblin's `@RegisterMigration(24, MIGRATIONS)`: 18 per-row writes judged N RARE in round 57)
# a rate limit a function's calls pass through: onyx's `@rate_limit_builder(max_calls=60, period=60)`, the ratelimit
# package's `@limits(calls=15, period=900)` and `@sleep_and_retry`, a `@throttle(...)`
_RATE_LIMIT = re.compile(r"rate_?limit|throttl|^limits$|^sleep_and_retry$", re.I)
_MIGRATIONS = frozenset({"upgrade", "downgrade", "migration", "migrate", "data_migration", "RegisterMigration", "register_migration"})

_SETUP_METHODS = frozenset({"__init__", "__post_init__", "setup", "setUp", "__enter__", "__aenter__", "open", "connect"})


_CLI_DECORATORS = ("click.", "typer.", "asyncclick.")


def cli_params(node: ast.FunctionDef | ast.AsyncFunctionDef, expand, command_path: str = "") -> dict[str, str]:
    """The parameters a command gets from its command line (`@click.option("--ids", multiple=True)`,
    `@click.argument("names", nargs=-1)`, `ids: list[int] = typer.Option(...)`, a Django management command's
    `handle(self, *args, **options)`): what a person types, a handful."""
    out: dict[str, str] = {}
    if "management/commands/" in command_path:
        for arg in (node.args.vararg, node.args.kwarg):
            if arg is not None:
                out[arg.arg] = f"what the command line passes ({arg.arg} of handle()), a handful typed by a person"
    for d in node.decorator_list:
        # Flask-Script: `@manager.command` makes every parameter an option of the command line
        if (dotted(d.func if isinstance(d, ast.Call) else d) or "").endswith("manager.command"):
            out |= {a.arg: f"what the command line passes ({a.arg}), a handful typed by a person" for a in node.args.args if a.arg not in ("self", "cls")}
        if not isinstance(d, ast.Call) or (dotted(d.func) or "").rpartition(".")[2] not in ("option", "argument"):
            continue
        name = expand(dotted(d.func) or "")
        if not name.startswith(_CLI_DECORATORS) and not (dotted(d.func) or "").startswith(("cli.", "app.")) \
                and not (dotted(d.func) or "").rpartition(".")[0].endswith("manager"):  # Flask-Script's `@manager.option(...)`
            continue
        decls = [a.value for a in d.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
        bare = [x for x in decls if not x.startswith("-")]
        longest = max(decls, key=len) if decls else ""
        dest = next((k.value.value for k in d.keywords if k.arg == "dest" and isinstance(k.value, ast.Constant)), None)
        param = (dest or (bare[0] if bare else longest.lstrip("-"))).replace("-", "_")
        if param:
            out[param] = f"what the command line passes ({longest or param}), a handful typed by a person"
    for arg, default in zip(node.args.args[len(node.args.args) - len(node.args.defaults):], node.args.defaults):
        if isinstance(default, ast.Call) and expand(dotted(default.func) or "").startswith("typer."):
            out[arg.arg] = f"what the command line passes ({arg.arg}), a handful typed by a person"
    for arg in (*node.args.args, *node.args.kwonlyargs):  # `ids: Annotated[list[int], typer.Option()]`
        ann = arg.annotation
        if isinstance(ann, ast.Subscript) and any(isinstance(n, ast.Call) and expand(dotted(n.func) or "").startswith("typer.") for n in ast.walk(ann)):
            out[arg.arg] = f"what the command line passes ({arg.arg}), a handful typed by a person"
    return out


def _off_by_default(args: ast.arguments) -> tuple[str, ...]:
    """The parameters whose default is False or None: a caller leaving them out switches off what runs under them."""
    return tuple(name for name, d in param_defaults(args).items() if type(d) is ast.Constant and (d.value is False or d.value is None))


def _lazy(node: ast.AST | None) -> str:
    """A relationship's `lazy=`: its strategy's name; the older booleans are `lazy=False` (joined) and `lazy=True`
    (select), and `lazy=None` (noload)."""
    if isinstance(node, ast.Constant):
        if isinstance(node.value, str):
            return node.value
        return {False: "joined", True: "select", None: "noload"}.get(node.value, "select")
    return "select"


def _declared_unique(field: ast.Call) -> bool:
    """`CharField(unique=True)`, `Column(String, unique=True)`, `primary_key=True`: no two rows share the value."""
    return any(isinstance(value, ast.Constant) and value.value is True
               for value in (keyword_arg(field, "unique"), keyword_arg(field, "primary_key")))


def _unique_together(value: ast.AST) -> list[str]:
    """The columns a `UniqueConstraint("contest_id", "num")` among a model's table arguments names."""
    out: list[str] = []
    for node in ast.walk(value):
        if isinstance(node, ast.Call) and last_name(node.func) == "UniqueConstraint":
            out.extend(a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str))
    return out


def _from_queryset(base: ast.expr) -> tuple[str, ...]:
    """`class PostManager(models.Manager.from_queryset(PostQuerySet)):` derives from the manager and takes the QuerySet's
    methods: both are its bases, so `Post.objects.prefetch_questions()` is found (Metaculus, round 204)."""
    if not (isinstance(base, ast.Call) and isinstance(base.func, ast.Attribute) and base.func.attr == "from_queryset"):
        return ()
    return tuple(d for d in (dotted(base.func.value), *(dotted(a) for a in base.args[:1])) if d)


_REFERENCE_COLUMN = re.compile(r"^(ReferenceCol|reference_col|ReferenceColumn|reference_column)$")


_SINGLETON = re.compile(r"singleton", re.I)


def _singleton(cls: ast.ClassDef | None) -> bool:
    """`class SystemConfigOper(DbOper, metaclass=Singleton)`: the metaclass hands back the one instance, so `__init__`
    (and the query it runs) runs once per process (MoviePilot's configuration, read under every `MetaInfo()` of a loop,
    round 267: 8 judged CACHED)."""
    return cls is not None and any(k.arg == "metaclass" and _SINGLETON.search(dotted(k.value) or "") for k in cls.keywords)

"""Per-file facts: everything the rules need from one module, small and picklable so it can be cached
and shipped from worker processes. Names are kept as written (dotted); the index resolves them."""

from __future__ import annotations

from dataclasses import dataclass, field


UNKNOWN_LOOKUP = "*"  # in IterSource.select / prefetch: eager loading the file does not spell out (`*PREFETCH`, a helper's list)
UNKNOWN_COLUMNS = "*"  # in IterSource.defer: `.only(*FIELDS)` or `.defer(*FIELDS)`, columns the code names from a variable


WRITTEN = "written"  # a loop key (Sink.key): the same arguments each time, on a model the loop creates rows of
NAMED_PREFETCH = "@"  # in IterSource.prefetch, before a dotted name: a Prefetch object another module defines (index_sources.py)
STR = "__str__"  # Read.method of a related row printed (`f"{row.client}"`, DRF's StringRelatedField): its __str__ runs
AUTO_PREFETCH = "auto_prefetch"  # RelationField.lazy of django-auto-prefetch's `ForeignKey`: loaded for all the rows fetched together
CHAINED = "chained"  # a loop key: the arguments carry what an earlier iteration answered (chains.py)
CHOSEN = "is:"  # a flag for what runs when a parameter is one of some strings (`if level == "full":`), "!is:" when not


@dataclass(frozen=True)
class Span:
    line: int
    col: int  # 1-based
    end_line: int
    end_col: int  # 1-based, exclusive


@dataclass
class Loop:
    id: int
    kind: str  # "for", "async for", "while", "comprehension"
    span: Span
    header: str  # first line of source, for evidence
    parent: int | None  # enclosing loop in the same function
    small_literal: bool  # iterates a collection the code bounds (loop_size.SMALL: a literal, an enum, a setting, a slice): not an N+1
    pagination: bool  # pages of many rows, a retry/polling loop, or one pass per tenant's schema: not an N+1
    target: str | None  # the loop variable when it is a plain name
    source: IterSource | None = None  # what it iterates, when that is an ORM result
    stored: tuple[str, ...] = ()  # `row.client = c` in the body: that relation is set, not loaded
    size: str = "unknown"  # loop_size class: small | large | unknown
    size_why: str = ""  # where that class comes from ("the choices Order.STATUS_CHOICES", "rows of a database query")
    file_param: str | None = None  # walks the lines of a file whose path is this parameter ("": the command line's)
    walks: str | None = None  # the variable it iterates (`for inv in rows`, `enumerate(rows)`): the same row objects as another loop's
    branches: tuple[tuple[int, int, int], ...] = ()  # the `if`s it sits in (line, column, 0 body / 1 else): `exclusive()`
    names: tuple[str, ...] = ()  # every name its target binds (`for filename, source in dbs.items()`: both)
    # its body points PostgreSQL at each item's schema (`SET search_path TO {schema}`): the same statement reads another
    # tenant's tables on each pass, so a call with unchanged arguments is no repeated lookup (its queries still count)
    switches_schema: bool = False


def exclusive(a: Loop, b: Loop) -> bool:
    """The two loops sit in different branches of one `if`: at most one of them runs."""
    return any((line, col, 1 - side) in b.branches for line, col, side in a.branches)


@dataclass
class IterSource:
    """What a loop iterates, as far as the file alone can tell: an ORM query, a call, or a relation of an outer loop's item."""

    kind: str  # "django" | "sqlalchemy" | "call" | "relation" | "accessor" | "param" (rows a caller passes)
    span: Span
    text: str  # the expression as written, shortened
    model: str | None = None  # model as written (dotted), for django/sqlalchemy
    manager: str | None = None  # django manager attribute used ("objects")
    select: tuple[str, ...] = ()  # django select_related lookups / sqlalchemy joined paths ("a__b")
    prefetch: tuple[str, ...] = ()  # django prefetch_related lookups / sqlalchemy selectin/subquery paths
    all_select: bool = False  # select_related() with no arguments follows every non-null FK
    callee: str | None = None  # for "call": the function or manager method that builds the query
    parent_loop: int | None = None  # for "relation"
    parent_path: tuple[str, ...] = ()
    methods: tuple[str, ...] = ()  # custom queryset methods in the chain (with_client()), resolved by the index
    only: tuple[str, ...] | None = None  # django .only(...) columns (None: no .only, every column loaded)
    defer: tuple[str, ...] = ()  # django .defer(...) columns (UNKNOWN_COLUMNS: `.only(*names)`, which ones not known)
    one_parent: str = ""  # filtered on one parent row (`filter(order=order)`): "the rows of one order", like order.lines.all()
    annotated: tuple[str, ...] = ()  # django `.annotate(num_voters=...)` names: attributes set on each row, shadowing a property
    through: tuple[str, ...] = ()  # helpers the rows were handed to and returned from (`Model.annotate_x(qs)`), innermost first
    # "relation": its chain queries anew (`group.memberships.filter(...)`, bound to a name the loop walks): no prefetch
    # of the outer rows reaches these rows, so they are loaded as their own query says
    requeries: bool = False
    combined: bool = False  # django `.union()` / `.intersection()` / `.difference()`: no select_related or prefetch after it
    locked: bool = False  # django `.select_for_update()`: no GROUP BY (an annotated count) may join the lock
    shares: tuple[str, ...] = ()  # sqlalchemy: parents every row shares (`Technology.name == name`), see joined_parent


@dataclass
class Sink:
    """One database query or remote call."""

    kind: str  # "db" | "http"
    api: str  # e.g. "cursor.execute", "requests.get", "Invoice.objects.get"
    framework: str  # dbapi | sqlalchemy | django | asyncpg | http
    span: Span
    loops: tuple[int, ...]  # enclosing loops, innermost first
    awaited: bool
    confidence: str  # high | medium
    sql: str | None = None
    text: str = ""
    # in a loop: "invariant" (same arguments every time), "key:<names>" (a small key of the item), or "written" (the same
    # arguments on a model the loop creates rows of: a re-check of what an earlier iteration wrote)
    key: str | None = None
    conditional: bool = False  # under an `if`, in an `except` or a lambda: not run on every call of its function
    flag: str | None = None  # under `if <parameter>:`: runs only when the caller passes a true value for it
    recovery: bool = False  # in a broad `except` handler: runs only when the call before it failed (recovery.py)
    reads: tuple[str, ...] = ()  # a connection's: the parameters its arguments read (`dbname=workspace.db_name`)


@dataclass
class Call:
    callee: str  # dotted as written, after local aliases ("self.load", "helpers.rate", "Foo")
    span: Span
    loops: tuple[int, ...]
    awaited: bool
    text: str = ""
    key: str | None = None  # as Sink.key
    deferred: bool = False  # inside a lambda: runs when the lambda is called, not here
    args: tuple[str | None, ...] = ()  # positional arguments that are plain names (else None): where rows are passed on
    kwargs: tuple[tuple[str, str], ...] = ()  # keyword arguments that are plain names
    row_attrs: tuple[tuple[str, str], ...] = ()  # arguments that are a loop row's attribute (`row.box`, or a name bound to it), by slot
    one_rows: tuple[str, ...] = ()  # arguments that are names bound to one fetched row outside any loop (`location = X.objects.get(...)`), by slot
    arg_sources: tuple[tuple[int, IterSource], ...] = ()  # positional arguments that are ORM queries (or variables holding one)
    query_args: tuple[int, ...] = ()  # positional arguments that are a query's rows of any shape (`values_list(...)`, `[*qs]`)
    conditional: bool = False  # as Sink.conditional
    recovery: bool = False  # as Sink.recovery
    flag: str | None = None  # as Sink.flag
    falsy: tuple[str, ...] = ()  # arguments passed as False or None: keyword names, and "#<i>" for positional ones
    literals: tuple[str, ...] = ()  # arguments the code writes out (a string, a number, a CONSTANT), named as `falsy`
    numbers: tuple[str, ...] = ()  # arguments that are numbers `int()` or `float()` made (or locals only so bound), as `falsy`
    strings: tuple[tuple[str, str], ...] = ()  # string constants passed, by slot named as `falsy`: ("#0", "minimum")
    unset: tuple[str, ...] = ()  # arguments passed on from the caller's own parameters that default to None or False: either
    kwarg_sources: tuple[tuple[str, IterSource], ...] = ()  # a template's context names and the rows they hold (views.py)
    handful: tuple[int, ...] = ()  # positional arguments that hold a handful: command-line values, settings (loop_size)
    given: tuple[int, tuple[str, ...]] = (0, ())  # how many positional arguments, and the keywords (255: a `*args` or `**kw`)
    discarded: bool = False  # a statement of its own, its value dropped: a generator's body then never runs
    composed: bool = False  # inside `Subquery(...)`/`Exists(...)`, or handed `OuterRef(...)`: SQL of the outer query, never run
    combined: bool = False  # its result combined into a queryset by `|` or `&` (`qs |= helper(p)`): lazy if it returns one
    handed: bool = False  # written as another call's argument: its result goes to that code (`Server(OAIServer(config))`)
    statement: bool = False  # hands a statement that is no lookup, written out: `_dml(conn, "SAVEPOINT %s" % name)` (walk.py)
    run_by: str = ""  # inside `asyncio.run(...)` (or kin) in synchronous code: the loop it starts runs the coroutine it makes
    self_set: tuple[str, ...] = ()  # on `self`, in a loop whose body sets these attributes of `self`: state its answer may read
    callback: bool = False  # inside a lambda handed to an event's registration (`clicked.connect(lambda: ...)`): runs on the event


@dataclass
class Read:
    """What a function does with its receiver or a parameter: `self.entries.all()`, `invoice.client`, `row.total()`.

    Read per row, it is a query per row whenever the path is a relation the rows were not loaded with, or a
    method or property of the row's model that itself queries: the function's summary, parametric in `root`."""

    root: str  # "self" or a parameter's name
    path: tuple[str, ...]  # attribute names after the root
    method: str | None  # method called on the last attribute (or on the root itself when path is empty)
    span: Span
    text: str = ""
    conditional: bool = False  # in a lambda or callback passed elsewhere: it may never run
    flag: str | None = None  # as Sink.flag: after `if keys_only: return d`, "!keys_only"


@dataclass
class Hit:
    """A finding one module shows on its own (no other module needed), kept in the facts so it is cached."""

    rule: str
    span: Span
    message: str
    confidence: str  # high | medium | low
    text: str  # the source line, for the snippet
    evidence: tuple[tuple[str, str, Span | None], ...] = ()  # (role, message, where)
    suggestion: str = ""  # overrides the rule's own fix text when the case needs a specific one
    severity: str | None = None  # lowers the rule's severity when the loop is likely a handful (loop_size)
    # the names the finding's value comes from: PF601 the function's parameters formatted into SQL, PF701 the imported
    # constant `float()` converts (cross.py reads whether its module holds a whole amount)
    params: tuple[str, ...] = ()


@dataclass
class RelationAccess:
    loop: int  # the loop whose variable starts the chain
    path: tuple[str, ...]  # attribute names after the loop variable
    method: str | None  # method called on the last attribute ("all", "count"), if any
    span: Span
    text: str = ""
    keyed: bool = False  # the method's arguments change per iteration (`filter(updated_on__lte=cutoff)`, cutoff from the row)


@dataclass
class QueryUse:
    """One use of a local queryset variable: `count` (count()/exists()) or `evaluate` (iterate, list(), len())."""

    var: str  # "qs#2": the name and which binding of it
    kind: str
    span: Span
    text: str = ""


@dataclass
class Function:
    qualname: str  # "func", "Class.method", "<module>"
    span: Span
    is_async: bool
    cls: str | None
    awaitless: bool = False  # an `async def` that never awaits (it only schedules tasks): awaiting it is instant
    cached: bool = False  # memoised (lru_cache...) or cache-aside (cache.get before querying): not a query per call
    random: bool = False  # draws a random value (`secrets.choice`, `uuid4()`): a different answer on every call
    # a generator whose every `yield` sits in a loop over batches (`for chunk in chunk_list(records, 1000): yield ...`):
    # a loop over what it returns walks batches, not rows (loops.py, n_plus_one_common.relevant_loops)
    yields_batches: bool | None = None
    yields_once: bool | None = None  # its only `yield` sits outside any loop: a loop over what it yields runs once
    cache_aside: bool = False  # cache.get(...) before querying: cached across rows too (a memo keyed by the row is not)
    deprecated: bool = False  # its docstring or its first statements say it is deprecated: kept for old callers (unused.py)
    memo: str = ""  # the decorator that memoises it (`@cache(600)`): its own body runs only when that cache misses
    cache_first: int = 0  # the line of `if hit is not None: return hit` after `hit = cache.get(key)`: below it, a miss only
    prop: bool = False  # @property / @cached_property: reading the attribute runs it
    abstract: bool = False  # `raise NotImplementedError` / `pass` / @abstractmethod: a subclass's override runs instead
    task: bool = False  # a background task (@shared_task, @app.task, @periodic_task, @actor...): nobody waits on it
    task_name: str = ""  # the name its task decorator registers (`@shared_task(name="invoices.send_report")`), as beat entries spell it
    queued: bool = False  # calling it queues a job and runs none of its body (huey's @db_task, @background)
    command: bool = False  # a command-line command (@click.command, @app.cli.command, Flask-Script's @manager.command)
    account_deletion: str = ""  # a receiver of a user account's deletion ("a `pre_delete` receiver of `User`"): runs rarely
    unthreaded: tuple[tuple[int, int], ...] = ()  # a coroutine's branches taken with no thread to hand work to (pattern_async)
    beside: tuple[tuple[int, int], ...] = ()  # a coroutine's lines where other work may run on its loop (pattern_async.beside)
    paced: str = ""  # a rate limit in its decorators (`@rate_limit_builder(max_calls=60, period=60)`), as written
    scoped: bool = False  # `@contextmanager`: each call opens a scope of its own (a transaction, a lock), never one answer
    migration: bool = False  # a schema or data migration step (FlexGet's @db_schema.upgrade(...), @migration): runs once
    system_check: bool = False  # a Django system check (`@register(...)` of django.core.checks): runs as a command starts
    params: tuple[str, ...] = ()  # positional parameters, in order (self first for methods)
    fallbacks: tuple[str, ...] = ()  # parameters it sets to a bounded value of its own (`if ids is None: ids = settings.IDS`)
    off_by_default: tuple[str, ...] = ()  # parameters whose default is False or None (`new_connection=False`)
    # (parameter, attribute) it returns first when the row has it (`if hasattr(self, "_total"): return self._total`):
    # no query for rows whose queryset annotates that attribute (answered.py)
    answered: tuple[str, str] | None = None
    context_keys: frozenset[str] = frozenset()  # a `get_serializer_context()`'s strings: the keys it may add (serializer_context.py)
    keeps: str = ""  # the attribute it returns when set and fills otherwise (`if self.conn: return self.conn`): open until closed
    registers: bool = False  # a decorator that registers it with a framework (a route, a receiver): reached without its name
    wrapped_by: tuple[str, ...] = ()  # those decorators as written, when none is called with `run_every` (wrappers.py)
    route: bool = False  # an HTTP route's handler (`@router.get(...)`, `@app.route(...)`, `@api_view`): a client's request calls it
    staff_only: str = ""  # why only staff reach it (`@staff_member_required`, an admin action): staff_only.py
    cached_response: str = ""  # the view's response is cached (`@cache_page(600)`): cached_responses.py
    reads: list[Read] = field(default_factory=list)  # uses of self and of the parameters, once per (root, path, method)
    loops: dict[int, Loop] = field(default_factory=dict)
    sinks: list[Sink] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)
    relations: list[RelationAccess] = field(default_factory=list)
    returns: list[IterSource] = field(default_factory=list)  # ORM queries the function returns
    returns_list: bool = False  # some return hands back rows already run (`list(qs)`, `qs[:10]`): no queryset
    passes_on: list[IterSource] = field(default_factory=list)  # parameters it returns, refined or not (`return queryset.filter(...)`)
    query_vars: dict[str, IterSource] = field(default_factory=dict)  # "qs#2" -> what that binding holds
    # SQLAlchemy rows bound as a list (`rows = X.query.filter(...).all()`): (name, the statement), each binding in order
    held_rows: tuple[tuple[str, IterSource], ...] = ()
    query_uses: list[QueryUse] = field(default_factory=list)
    io: list[Sink] = field(default_factory=list)  # file reads ("file") and new DB connections ("connect")

    def loop_at(self, line: int | None) -> Loop | None:
        """The function's loop that starts at `line` (a finding's loop evidence names it by its line)."""
        return next((lp for lp in self.loops.values() if lp.span.line == line), None) if line else None

    def position(self, param: str) -> int:
        """Where parameter `param` stands among a call's positional arguments (a method's `self`/`cls` is not one)."""
        return self.params.index(param) - (1 if self.params[0] in ("self", "cls") else 0)


@dataclass
class RelationField:
    name: str
    kind: str  # django: fk, o2o, m2m, gfk; sqlalchemy: relationship
    target: str | None  # model as written ("Client", "billing.Client", "self")
    related_name: str | None
    span: Span
    lazy: str | None = None  # sqlalchemy loader strategy
    many: bool | None = None  # sqlalchemy: collection (True), scalar (False), unknown (None)
    backref: str | None = None  # sqlalchemy: the reverse relationship this one declares on its target
    backref_lazy: str | None = None
    secondary: bool = False  # sqlalchemy: many-to-many through an association table
    null: bool = False  # django: `null=True`, which a bare select_related() does not follow
    related_query_name: str | None = None  # django: what a query calls the reverse relation, when not its related_name


@dataclass
class ClassFacts:
    name: str
    bases: tuple[str, ...]
    span: Span
    relations: dict[str, RelationField] = field(default_factory=dict)
    managers: dict[str, str] = field(default_factory=dict)  # attribute -> manager class as written
    # `objects = TaskManager.from_queryset(TaskQuerySet)()`: attribute -> the manager class whose get_queryset() it keeps
    from_queryset: dict[str, str] = field(default_factory=dict)
    attr_types: dict[str, str] = field(default_factory=dict)  # self.x = Foo() in any method
    attr_params: dict[str, int] = field(default_factory=dict)  # self.rows = rows in __init__: attribute -> position of that parameter
    deferred: tuple[str, ...] = ()  # sqlalchemy: columns declared deferred (loaded on first access, one SELECT per row)
    class_refs: dict[str, str] = field(default_factory=dict)  # `model = Invoice` in the class body: attribute -> class (dotted)
    abstract: bool = False
    ordered: bool = False  # Django's Meta.ordering: `first()` on its prefetched related rows reads them, no query
    proxy: bool = False  # Django's Meta.proxy: the parent's table, not a table of its own (own_saves.multi_table_parent)
    tablename: bool = False  # declares __tablename__: an SQLAlchemy model whatever its base is called
    django_fields: bool = False  # declares `models.<X>Field(...)` attributes: a Django model whatever its base is called
    columns: tuple[str, ...] = ()  # the plain (non-relation) fields it declares (Django fields, SQLAlchemy columns)
    assigned: tuple[str, ...] = ()  # every name its body binds to a call: its fields, whatever their class
    unique: tuple[str, ...] = ()  # those of them declared `unique=True` or `primary_key=True`: a filter on one finds one row
    constrained: tuple[str, ...] = ()  # columns a composite UniqueConstraint names (`UniqueConstraint("contest_id", "num")`)
    lookup_lists: dict[str, tuple] = field(default_factory=dict)  # `prefetch_related = BASE + ["x"]`: attribute -> parts (lookup_lists.py)
    row_loops: dict[str, str] = field(default_factory=dict)  # "<method qualname>:<line>" -> accessor: loops over `obj.<accessor>` of a (self, obj) method (admin.py)
    merges_admin: bool = False  # a method reads `.list_select_related` of another object: the registered admin's, merged into a view's
    table: str | None = None  # the table it declares: `__tablename__ = "x"`, Django's Meta.db_table (table_sizes.py)
    foreign_tables: tuple[str, ...] = ()  # sqlalchemy: tables its columns' `ForeignKey("technology.id")` name
    app_label: str | None = None  # Django's Meta.app_label (or an AppConfig's label), which names the default table `<app_label>_<model>`
    bare: bool = False  # no decorator, metaclass or `__call__`: nothing registers it (unused.py)
    staff_only: str = ""  # why only staff reach its methods (a ModelAdmin, `permission_classes` with IsAdminUser): staff_only.py
    cached_response: str = ""  # its list is served from a response cache (`@method_decorator(cache_page(600))` on `list`)
    meta_model: str = ""  # `class Meta: model = Invoice` of a form, serializer or resource: the model it writes (curated_tables.py)
    max_count: int | None = None  # Wagtail's `max_count = 1`: at most that many pages of this type (table_sizes.py)


@dataclass
class ModuleFacts:
    path: str  # relative to the root, POSIX
    module: str  # dotted module name
    lines: int
    imports: dict[str, str] = field(default_factory=dict)  # local name -> dotted target
    instances: dict[str, str] = field(default_factory=dict)  # module-level singletons: name -> class (dotted)
    functions: dict[str, Function] = field(default_factory=dict)
    classes: dict[str, ClassFacts] = field(default_factory=dict)
    suppressions: dict[int, frozenset[str] | None] = field(default_factory=dict)  # line -> rules (None: all)
    source_lines: dict[int, str] = field(default_factory=dict)  # lines quoted in evidence
    hits: list[Hit] = field(default_factory=list)
    named_prefetches: dict[str, tuple[str, ...]] = field(default_factory=dict)  # `refs = Prefetch("references", ...)` at module level
    prefetched: tuple[str, ...] = ()  # every lookup the module prefetches, with a Prefetch queryset's paths below it (prefetches.py)
    save_senders: tuple[str, ...] = ()  # models this module connects pre_save/post_save receivers for, as written (save_signals.py)
    lookup_lists: dict[str, tuple] = field(default_factory=dict)  # module lists of lookups, as parts (lookup_lists.py)
    creates_through: set[str] = field(default_factory=set)  # `x.<name>.create(...)`: the relations it creates rows through (curated_tables.py)
    admin_models: dict[str, str] = field(default_factory=dict)  # model as written -> the admin class registered for it (as written)
    tables: dict[str, tuple[str, ...]] = field(default_factory=dict)  # "NAME" / "Class.attr" -> the functions a literal collection holds
    # lines our rules read and found fine where ruff's cruder check fires (ruff.merge drops it there): "S608" SQL
    # formatted only from values PF601 judged safe, "SIM115" files PF501 saw closed, handed on or kept by the object
    answered: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    routes: tuple[tuple[str, tuple[str, ...]], ...] = ()  # view classes as written -> the actions a route maps ("*": a router's)
    rare_jobs: tuple[tuple[str, str], ...] = ()  # (task, how often) it schedules once a day or rarer (schedules.py)
    deprecated: bool = False  # its docstring says it is deprecated: kept for reference, run by nobody or rarely
    generated: str = ""  # its opening comment says a tool wrote it (`# generated by datamodel-codegen:`): unused.GENERATED
    whole_amounts: frozenset[str] = frozenset()  # module constants of a whole amount (`SHARE_PRICE = Decimal(100)`): exact as floats
    option_list: bool = False  # a management command declaring `option_list`, which Django 1.10 removed (unused.stale_command)
    words: frozenset[str] = frozenset()  # the names its text holds, comments and strings included (unused.py)
    refs: frozenset[str] | None = None  # of those, the ones its code could reach a function by (name_refs.py); None: text only
    installed_apps: tuple[str, ...] = ()  # what its `INSTALLED_APPS` lists (installed_apps.py)
    called_here: frozenset[str] = frozenset()  # its top-level functions it names again beside their definition
    # of those, the ones only their own body, or a cycle of functions nothing else here calls, names again -> that
    # cycle's functions which reach it (unused.py)
    recursive: dict[str, frozenset[str]] = field(default_factory=dict)
    cached_fragments: tuple[tuple[int, int, str], ...] = ()  # a template's `{% cache %}` blocks: first, last line, the tag
    eager_vetoes: tuple[tuple[int, str], ...] = ()  # comments saying to avoid an eager load (`# Avoid select_related on ...`): line, text
    wrapping: frozenset[str] = frozenset()  # its functions that are decorators only wrapping what they are given (wrappers.py)
    plain_classes: frozenset[str] = frozenset()  # its top-level classes nothing registers and it never names again (unused.py)
    lone_methods: frozenset[str] = frozenset()  # "Class.method" of its top-level classes whose name it spells only in the def (unused.py)
    # what it says of other modules (unused_modules.py): the dotted targets of its imports, the dotted paths it quotes,
    # the literal prefixes of the imports it builds at run time, whether it runs as a script
    imported: tuple[str, ...] = ()
    quoted: frozenset[str] = frozenset()
    dynamic: tuple[str, ...] = ()
    main_guard: bool = False
    main_block: tuple[int, int] = (0, 0)  # the lines of its top-level `if __name__ == "__main__":` block (background.py)
    # its top-level functions whose names it also spells as an attribute (`client.update_product(...)` beside its own
    # `update_product`): a method of that name may be what it calls (unused._named_elsewhere)
    own_names_as_attributes: frozenset[str] = frozenset()
    serves: bool = False  # that block starts the application's server (`app.run()`, `uvicorn.run(...)`: unused_modules.serves)
    unparsed: bool = False  # a file the parser refused, read as text only: its imports and words (unparsed.py)

    def key(self, name: str) -> str:
        """A function's or class's key in the project index: `name` (its qualname here) under this module's name."""
        return f"{self.module}.{name}" if self.module else name

"""Whether a Django write per row (PF201) is one a senior engineer acts on, and at what severity.

A save per row costs in proportion to the rows: it matters over the rows of a query, an import, a file or the
rows a caller passes, not over the handful a form, a request's nested payload, a dict of settings or the related
rows of one object hold. And some writes must stay one by one: a `save()` the model overrides (its own
keywords), a row validated before it is saved (`full_clean()`), a form's or serializer's `save()`; there
`bulk_create` / `bulk_update` would skip that logic and the signals, so advising them is wrong advice.
Nor are the related rows of the object a save()/delete() override or a signal receiver is handling, a query by
primary key, or a per-row branch beside a `bulk_create` (its fallback). Real but small, reported at `low` with the
reason: code that runs once (a data migration, a management command), copies of one template object's rows, the
items of a constant, rows that each also queue a task. Test and demo data builders are not reported.

`judge` answers (severity, reason): severity None keeps the rule's, DROP reports nothing, LOW lowers it.
"""

from __future__ import annotations

import ast
import re

from . import handled_rows, loop_size
from .flow import fills_on_key_miss, memo_misses, memoises
from .nodes import dotted

DROP, LOW = "drop", "low"
QUIET = "quiet"  # a Hit's severity when PF201 judged a write not worth a finding: it only keeps NP101 off the same call (cross.superseded)

_TEST_DATA = re.compile(r"(^|/)(tests?|testing|testutils|factories|fixtures)(/|\.py$)|(^|/)(tests?_[^/]*|[^/]*_tests?)\.py$|demo|sample_data|fake_data")
# management/: commands, post_migrate hooks; upgrade steps (`upgrade.py`, `upgrade_to_3_2.py`) run once per release
ONCE = "; it runs once (a data migration, an upgrade step or a management command), so the per-row cost is paid once per run"
_ONE_OFF = re.compile(r"(^|/)(migrations?(/|\.py$)|management/)|(^|/)[^/]*(migrat|upgrade)[^/]*\.py$")
IMPORT = re.compile(r"import(?!an)|csv|ingest|restore|(^|_)load(_|$)", re.I)  # bulk data comes in here (not `is_important`)
_READ_IN_BODY = (ast.Call, ast.Assign, ast.AugAssign, ast.AnnAssign)  # what the checks of a loop's body read of it
_COPY = re.compile(r"copy|clone|duplicate", re.I)
_VALIDATES = frozenset({"full_clean", "clean", "clean_fields", "validate_unique", "is_valid"})
_SAVE_KEYWORDS = frozenset({"force_insert", "force_update", "using", "update_fields"})  # Django's own Model.save() keywords
_INDIVIDUAL = re.compile(r"form|serializer", re.I)
# a docstring sentence that says the rows are saved one by one for their save signals ("so post-save hooks still fire")
_FOR_SIGNALS = re.compile(r"\b(signals?|hooks?|receivers?)\b[^.]*\b(fire|fires|run|sent|triggered|called)\b"
                          r"|\b(fire|trigger|send|emit)s?\b[^.]*\b(signals?|hooks?|receivers?)\b", re.I)
_NEGATED = re.compile(r"\b(not|no|without|skip|skips|avoid)\b|n't", re.I)
_NESTED_PAYLOAD_METHODS = frozenset({"create", "update", "save", "perform_create", "perform_update"})
_DATA_READERS = frozenset({"reader", "DictReader", "readlines", "load", "loads", "iterrows", "itertuples", "read_csv", "read_excel",
                           "iter_rows", "splitlines", "json"})
_TASK_CALLS = frozenset({"apply_async", "delay", "send_task", "enqueue"})  # Celery, RQ


def judge(node: ast.Call, method: str, loops: list, path: str, fn: ast.AST | None, cls: str | None,
          overridden_saves: set[str]) -> tuple[str | None, str]:
    """(severity, reason) for a Django write `node` (`Model.objects.create(...)`, `obj.save()`) inside `loops`
    (outermost first; each has .node, .size, .size_why, .parts, .targets, .source)."""
    loop = loops[-1]
    fn_name = getattr(fn, "name", "") or ""
    if _TEST_DATA.search(path):
        return DROP, "test or demo data"
    body = [n for part in loop.parts for n in ast.walk(part) if type(n) in _READ_IN_BODY]  # walked once, read by several checks
    why = _individual_by_design(node, method, loop, cls, fn_name, overridden_saves, body) or _saved_for_signals(method, fn)
    if why:
        return DROP, why
    why = _set_based(node, method) or _per_group(node, method, loop) or _memoised(node, loop)
    if why:
        return DROP, why
    bound = _bound_value(loop.node, fn)
    if isinstance(bound, ast.Call) and loop_size.one_row(bound):
        return DROP, "the loop walks at most one row (a query by primary key)"
    if _cascade(loop.node, fn, bound):
        return DROP, "the related rows of the one object being saved or deleted"
    if _submitted(loop.node):
        return DROP, "what one form submission holds"
    if drained := handled_rows.lowered(loop.size_why):
        return LOW, drained  # a work queue's rows, each written once in its life
    imports = _reads_data(loop.node) or bool(IMPORT.search(fn_name) or IMPORT.search(path.rpartition("/")[2]))
    if not (imports or _many_rows(loops) or _holds_query_rows(bound)):
        constant = next((c for lp in loops if (c := _code_constant(lp.node))), None)
        if constant:  # (maintainers do batch these when the constant is long: a sync of default roles after every migrate)
            return LOW, (f"; it walks the items of `{constant}`, which the code spells out, so it costs the same bounded amount on "
                         "every run")
        return DROP, "the loop walks a handful of items, or a number the code does not show"
    if _copies(body, node, fn_name):
        return LOW, ("; it copies the rows of one template object (as many as that object has, once per copy), so batch it only "
                     "when such copies are large")
    task = _queues_a_task(body)
    if task:
        return LOW, (f"; each row also queues a task (`{task}`), a round trip of its own, so batching the write saves only part "
                     "of the per-row cost")
    if _ONE_OFF.search(path) and not imports:  # an import command is where bulk writes matter most
        return LOW, ONCE
    return None, ""


def _individual_by_design(node: ast.Call, method: str, loop, cls: str | None, fn_name: str, overridden: set[str], body: list) -> str:
    func = node.func
    receiver = dotted(func.value) if isinstance(func, ast.Attribute) else None
    names = {t.id for t in loop.targets for t in ast.walk(t) if isinstance(t, ast.Name)}
    if method == "save":
        if receiver and _INDIVIDUAL.search(receiver):
            return "a form or serializer saves its own object"
        extra = [k.arg for k in node.keywords if k.arg not in _SAVE_KEYWORDS]
        if extra or node.args:
            return f"`save({', '.join(a or '**' for a in extra) or '...'})` is the model's own save(), which the bulk API would skip"
        model = _loop_model(loop)
        if model and model in overridden:
            return f"{model}.save() is overridden in this module, and the bulk API would skip it"
        if receiver in names and _saved_unchanged(receiver, body):
            return f"`{receiver}.save()` saves each row unchanged, for what save() itself does, which the bulk API would skip"
    if cls and cls.endswith("Serializer") and fn_name in _NESTED_PAYLOAD_METHODS:
        return "a serializer writing the nested items of one request"
    for n in body:
        if type(n) is ast.Call and isinstance(n.func, ast.Attribute) and n.func.attr in _VALIDATES \
                and isinstance(n.func.value, ast.Name) and n.func.value.id in names:
            return f"each row is validated (`{n.func.value.id}.{n.func.attr}()`) before it is saved"
    return ""


def _saved_unchanged(receiver: str, body: list) -> bool:
    """`for row in Price.objects.filter(...): row.save()` with nothing set on the row: a pass to run the model's own
    save() (its recalculation, its signals) over rows written before in bulk (Finmars' import, round 152: judged
    WRONGFIX); `bulk_update` has no field to write and would run none of it. A row the loop sets, changes through a
    method call or hands to a call is saved for what changed. `receiver` is the loop's row; `body`, the loop's calls and
    assignments."""
    for n in body:
        targets = n.targets if type(n) is ast.Assign else [n.target] if type(n) in (ast.AugAssign, ast.AnnAssign) else []
        if any(type(t) in (ast.Attribute, ast.Subscript) and dotted(t.value) == receiver for t in targets):
            return False
        if type(n) is ast.Call and type(n.func) is ast.Attribute and dotted(n.func.value) == receiver and n.func.attr != "save":
            return False  # `row.recalculate()`: changed by its own method
        if type(n) is ast.Call and any(dotted(a) == receiver for a in (*n.args, *(k.value for k in n.keywords))):
            return False  # `setattr(row, ...)`, `apply_discount(row)`: changed by what it is handed to
    return True


def _saved_for_signals(method: str, fn: ast.AST | None) -> str:
    """The function's docstring says each row is saved for its signals (openwisp-users' expired accounts, round 107:
    "saved individually ... so post-save hooks still fire", judged WRONGFIX): the bulk API would skip what it keeps."""
    doc = ast.get_docstring(fn) if method == "save" and isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)) else None
    said = [s for s in re.split(r"\.\s", doc or "") if _FOR_SIGNALS.search(s) and "save" in s.lower() and not _NEGATED.search(s)]
    return "its docstring says each row is saved for its save signals" if said else ""


def _loop_model(loop) -> str | None:
    source = loop.source
    model = getattr(source, "model", None) if source is not None else None
    return model.rpartition(".")[2] if model else None


def _set_based(node: ast.Call, method: str) -> str:
    """`filter(pk__in=batch).delete()`: already one statement for a set of rows; `filter(pk=v).update(n=F("n") + 1)`:
    an atomic change of one counter, which stays correct under concurrent writers only as its own statement."""
    if method not in ("update", "delete"):
        return ""
    cur = node.func.value if isinstance(node.func, ast.Attribute) else None
    while isinstance(cur, ast.Call) and isinstance(cur.func, ast.Attribute):
        if any(k.arg and k.arg.endswith("__in") for k in cur.keywords):
            return "a write of a whole set of rows (`__in`)"
        cur = cur.func.value
    if method == "update" and any(isinstance(n, ast.Call) and (dotted(n.func) or "").rpartition(".")[2] == "F"
                                  for k in node.keywords for n in ast.walk(k.value)):
        return "an atomic counter change (`F()`) per key"
    return ""


_LOOKUPS = frozenset({"exact", "iexact", "contains", "icontains", "gt", "gte", "lt", "lte", "startswith", "istartswith", "endswith",
                      "iendswith", "range", "isnull", "regex", "iregex", "in", "date", "year", "month", "day"})


def _per_group(node: ast.Call, method: str, loop) -> str:
    """`Prediction.objects.filter(task__project_id=pid).update(project_id=pid)` per project: one UPDATE of every row of
    a group (selected through a relation or a foreign key column, not by primary key), setting the group's own value.
    Already set-based; one statement for all groups would need a value per group that update() cannot join for."""
    if method != "update" or not node.keywords:
        return ""
    names = {n.id for t in loop.targets for n in ast.walk(t) if isinstance(n, ast.Name)} | set(getattr(loop, "bound", ()))
    if not any(isinstance(n, ast.Name) and n.id in names for k in node.keywords for n in ast.walk(k.value)):
        return ""  # the same values for every group: `filter(group__in=...)` would do it in one statement
    cur = node.func.value if isinstance(node.func, ast.Attribute) else None
    while isinstance(cur, ast.Call) and isinstance(cur.func, ast.Attribute):
        for k in cur.keywords if cur.func.attr == "filter" else ():
            parts = (k.arg or "").split("__")
            if len(parts) > 1 and parts[-1] in _LOOKUPS:
                parts = parts[:-1]  # (a field named as a lookup, `filter(date=day)`, stays the field: ActionPopulaire's statistics)
            if len(parts) > 1 or (parts[0].endswith("_id") and parts[0] != "pk"):
                return "; a set-based update of one group's rows per item, with that group's own value"
        cur = cur.func.value
    return ""


def _cascade(loop_node: ast.AST, fn: ast.AST | None, bound: ast.AST | None) -> bool:
    """In a model's save()/delete() or a signal receiver (`instance`): `for b in Button.objects.filter(job=self):` walks
    the related rows of the object being saved, as `self.buttons.all()` would; each of them has its own save() and signals."""
    if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return False
    params = {a.arg for a in (*fn.args.posonlyargs, *fn.args.args, *fn.args.kwonlyargs)}
    owner = "self" if fn.name in ("save", "delete") and "self" in params else "instance" if "instance" in params else None
    node = getattr(loop_node, "iter", None)
    if owner is None or node is None:
        return False
    if bound is not None:  # `devices = Device.objects.filter(group=instance.pk)`, then `for device in devices:`
        node = bound
    return any(type(n) is ast.Call and any(dotted(k.value) in (owner, f"{owner}.pk", f"{owner}.id") for k in n.keywords)
               for n in ast.walk(node))


def _loop_iter(iter_loop: ast.AST) -> ast.AST | None:
    """What a loop walks, through `enumerate(...)`, `sorted(...)` and `.items()`."""
    node = getattr(iter_loop, "iter", None)
    if node is None and getattr(iter_loop, "generators", None):
        node = iter_loop.generators[0].iter
    if isinstance(node, ast.Call) and dotted(node.func) in ("enumerate", "sorted", "list", "reversed") and node.args:
        node = node.args[0]
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("items", "keys", "values") and not node.args:
        node = node.func.value
    return node


def _code_constant(iter_loop: ast.AST) -> str | None:
    """`for name, d in DEFAULT_TYPES.items()`: the items of a constant, imported or not, which the code spells out."""
    name = dotted(_loop_iter(iter_loop)) or ""
    if "request." in f"{name}.":
        return None  # request.FILES, request.POST: what one request sends, upper-case by Django's naming
    return name if name and loop_size.is_constant_name(name.rpartition(".")[2]) else None


def _submitted(iter_loop: ast.AST) -> bool:
    """`for m in form.cleaned_data["members"]`: what one form submission holds."""
    node = _loop_iter(iter_loop)
    return isinstance(node, ast.Subscript) and (dotted(node.value) or "").endswith("cleaned_data")


def _bound_value(loop_node: ast.AST, fn: ast.AST | None) -> ast.AST | None:
    """What `for x in name:` walks when a plain assignment in the function bound `name` (the first one)."""
    it = getattr(loop_node, "iter", None)
    if type(it) is not ast.Name or fn is None:
        return None
    return next((n.value for n in ast.walk(fn) if type(n) is ast.Assign and len(n.targets) == 1 and type(n.targets[0]) is ast.Name
                 and n.targets[0].id == it.id), None)


def _holds_query_rows(bound: ast.AST | None) -> bool:
    """`receivers = users | set(User.objects.filter(groups__in=groups))` then `for r in receivers:`: whatever else the
    collection holds, it holds the rows of a query."""
    return bound is not None and any(type(m) is ast.Attribute and (m.attr.endswith("objects") or m.attr == "_default_manager")
                                     for m in ast.walk(bound))


def _reads_data(loop_node: ast.AST) -> bool:
    """`for row in csv.DictReader(f)`, `for item in json.load(f)["items"]`, `for entry in request.data`: the rows of a
    file or of a payload, as many as whoever sends it wants."""
    node = getattr(loop_node, "iter", None)
    if node is None and getattr(loop_node, "generators", None):
        node = loop_node.generators[0].iter
    if node is None:
        return False
    if any(type(n) is ast.Call and (dotted(n.func) or "").rpartition(".")[2] in _DATA_READERS for n in ast.walk(node)):
        return True
    payload = node.value if type(node) is ast.Subscript else node  # request.data, request.data["items"]; not .items(): its fields
    return type(payload) is ast.Attribute and payload.attr == "data" and dotted(payload.value) in ("request", "self.request")


def unsized_statement(loops: list, path: str, fn_name: str) -> bool:
    """A DB-API or SQLAlchemy write per item of loops none of which is shown to walk many rows (a query's, a file's,
    an import's, what callers pass): a request's few metrics, one transaction's inputs and outputs, a dict of a job's
    changes. Judged in rounds 100 to 128, such `high` findings were worth acting on 0 times in 20; `low`, with the
    reason, as the Django writes over them are not reported at all (judge)."""
    if not loops or IMPORT.search(fn_name) or IMPORT.search(path.rpartition("/")[2]):
        return False
    return not (_many_rows(loops) or any(_reads_data(lp.node) for lp in loops))


def _many_rows(loops: list) -> bool:
    """Some enclosing loop walks rows that grow with the data: of a query, of what callers pass, of another loop's rows."""
    for lp in loops:
        if getattr(lp.source, "kind", None) == "relation":
            continue  # `for m in position.memberships.all()` inside a loop: as many as that outer loop (checked on its own) makes
        if lp.size == loop_size.LARGE or getattr(lp.source, "one_parent", ""):
            return True  # `filter(client=client)`: one parent's rows are still a query's rows, and one update() can replace the saves
    return False


def _queues_a_task(body: list) -> str:
    """`send_mail.apply_async(...)` / `.delay(...)` per row: a scheduler's loop over the due rows, each handed to a worker."""
    for n in body:
        if type(n) is ast.Call and isinstance(n.func, ast.Attribute) and n.func.attr in _TASK_CALLS:
            return dotted(n.func) or n.func.attr
    return ""


def _copies(body: list, node: ast.Call, fn_name: str) -> bool:
    """`copy_data_from(other)`, `x.pk = None; x.save(force_insert=True)`: a copy of one object's rows."""
    if _COPY.search(fn_name) or any(k.arg == "force_insert" for k in node.keywords):
        return True
    return any(type(n) is ast.Assign and isinstance(n.value, ast.Constant) and n.value.value is None
               and any(isinstance(t, ast.Attribute) and t.attr in ("pk", "id") for t in n.targets) for n in body)


def _memoised(node: ast.Call, loop) -> str:
    """The write runs on a miss of a dict the loop fills (`if name not in domains: domains[name] = get_or_create(...)`,
    or `try: domains[name]` / `except KeyError:`): once per distinct key, not per row (Colossus' subscriber import,
    round 203: judged CACHED)."""
    items = frozenset(n.id for t in loop.targets for n in ast.walk(t) if type(n) is ast.Name)

    def on_a_miss(n: ast.AST) -> list[ast.AST]:  # the statements that run only when the key is missing
        return n.body if isinstance(n, ast.If) and memoises(n) else fills_on_key_miss(n) if isinstance(n, ast.Try) \
            else memo_misses(n, loop.parts, items)

    missed = any(m is node for part in loop.parts for n in ast.walk(part) for branch in on_a_miss(n) for m in ast.walk(branch))
    return "once per distinct key: the loop keeps what it wrote in a dict and writes only on a miss" if missed else ""

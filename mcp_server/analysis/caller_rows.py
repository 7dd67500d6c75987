"""Whether a loop over a parameter is shown to walk many rows: a finding listed by default needs a caller that loads them.

`for row in rows:` where `rows` is a parameter is sized "rows the callers pass" by the extractor, which sees one
file. Read on real applications, most such loops walked what a user selected in a bulk action or a transition, a
handful of webhooks, one request's nested payload, or what callers outside the project pass: a query per item there
is real but rarely worth acting on. So a finding over such a loop keeps `high` only when some caller in the project is
shown to pass the rows of a query (itself, through a helper that returns them, through its own callers, a list
endpoint's queryset, a view's queryset rendered by a template). Otherwise it is `low` when the project's callers are
seen to pass something else (a selection, a request's payload, a list built from input), as a loop nothing shows to
walk rows (loop_size.UNSIZED_SEVERITY), with the reason in its message: judged out of sample (rounds 44 to 65), 5 of
74 such findings were worth acting on. It stays `medium` when nothing in the project fills the parameter (no call
reaches the function, or its callers only pass on parameters of their own that nothing fills: it may be an API for
code outside, an unbounded parameter), and for a remote call per item (NP105).
The same holds for a loop over what a project function returns (`for name in parse_authors(record)`): it is a
query's rows only when the function is seen to return a queryset or to run a query; parsed names, a table's
constraints and a configured list, read on real applications, were not (judged: 4 of 55 worth acting on): `low`.
`--min-severity low` lists them all.
"""

from __future__ import annotations

from ..findings import Finding, Severity
from . import loop_size
from .row_writes import IMPORT
from .facts import Function, Loop, ModuleFacts
from .index import ProjectIndex
from .n_plus_one_common import handful_param

# what a finding so lowered keeps in its data: the hook sees the edited file and its imports, never the callers of code
# just written, so it lists such a finding at `medium` (at_the_edit), as a scan did before callers were asked
UNSEEN_CALLERS = "callers_unseen"

# what the reason says of a parameter nothing in the project fills: in a library, code outside it calls it; in a deployed
# application, the framework does (calibrate lists the first at `medium`, the second at `low`)
_OUTSIDE = "nothing in the project calls it: its callers are outside the project"
# what it says of an HTTP route's parameter nothing in the project fills: each client's request decides how many items
# it holds (Open Library's public `/observations.json?olid=...`, round 132: judged worth acting on), so it stays `medium`
_CLIENT = "an HTTP route's parameter: each client's request decides how many items it holds"
_FRAMEWORK = ("nothing in the application calls it: the framework does, as an admin action, a template filter, a validator "
              "or a signal, with what one request or event holds")

# what it says of a function the project reaches only through a table or a callback
_HANDED = "the project reaches it only as a value (a dispatch table, a callback), with arguments the scanner does not follow"

# origins that are a whole query's rows (not the related rows of one object: those are `accessor` / `one_parent`)
_QUERY_KINDS = frozenset({"django", "sqlalchemy", "call", "serializer", "view", "render"})


def unshown(index: ProjectIndex, module: ModuleFacts, fn: Function, loop: Loop) -> str:
    """The reason a finding's message adds when `loop` walks a parameter that no caller is shown to fill from a query
    ("" when one is, or when the loop does not walk a parameter)."""
    src = loop.source
    if src is None or src.kind not in ("param", "call") or loop.size != loop_size.LARGE:
        return ""
    if src.kind == "call":
        return _unshown_call(index, module, fn, src)
    name = _walked(loop)
    if IMPORT.search(name) or IMPORT.search(fn.qualname.rpartition(".")[2]) or IMPORT.search(module.path.rpartition("/")[2]):
        return ""  # `load_csv(dict_reader)`, `import_rows(rows)`: the rows of a file or an import, as many as it holds
    if name == "queryset" and _filterset(module, fn):
        return ""  # django-filter hands a FilterSet method the queryset of the list endpoint it filters
    resolved = index.resolve_source(src, module, fn)
    if resolved is not None and any(o.kind in _QUERY_KINDS and not o.one_parent for _m, o in resolved.origin):
        return ""
    if name in fn.params and _handed_query_rows(index, module, fn, fn.position(name)):
        return ""
    how = "a signal's receiver: the signal hands it the objects of one event" if _receiver(fn) else \
        _FORM_VALUES if _form_field_hook(module, fn) else \
        (_untied(fn) if _named_elsewhere(index, module, fn) else _CLIENT if fn.route else _FRAMEWORK if index.application else _OUTSIDE) \
        if _from_outside(index, module, fn, name) else \
        _HANDED if _handed_by_name(index, module, fn) else "they pass a selection or a list built from their input"
    return (f"; the loop walks the parameter `{name}`, and no caller in the project is shown to pass it the rows of a query "
            f"({how}), so it matters only when they pass many")


def _walked(loop: Loop) -> str:
    """The parameter a loop over one walks (`for inv in invoices`: invoices)."""
    return loop.source.parent_path[0] if loop.source.parent_path else loop.source.text


def _handed_query_rows(index: ProjectIndex, module: ModuleFacts, fn: Function, position: int) -> bool:
    """A caller passes the parameter at `position` a query's rows of a shape the index does not resolve to a model
    (`remind("all", Client.objects.values_list("name", flat=True))`, `check([*qs])`): many, as the table holds."""
    return any(position in call.query_args for _m, _f, call in index.callers(module.key(fn.qualname)))


def _receiver(fn: Function) -> bool:
    """`def on_members(sender, instance, action, pk_set, **kwargs)`: a Django signal's receiver, which no call in the
    project reaches; what it walks is what one event carries (`pk_set`: the keys one `add()` was given), read on real
    applications a single object or a handful (Mozilla Reps, AstroBin, round 68)."""
    return fn.params[:1] == ("sender",)


# a Django form field's own hook: Django calls it with what one submission holds for that field (typed tags, e-mails)
_FORM_VALUES = "a form field's hook: Django hands it the values one form submission holds for that field"
_FIELD_HOOKS = frozenset({"clean", "to_python", "validate", "run_validators", "prepare_value"})


def _form_field_hook(module: ModuleFacts, fn: Function) -> bool:
    """`class TagsField(forms.ModelMultipleChoiceField): def clean(self, value)`: no call in the project reaches it, and
    what it walks is one form's input for one field, a handful a person typed or ticked (Air Mozilla's tag and e-mail
    fields, round 109: 4 judged N SMALL)."""
    cls = module.classes.get(fn.cls.rpartition(".")[2]) if fn.cls else None
    return (cls is not None and fn.qualname.rpartition(".")[2] in _FIELD_HOOKS
            and any(b.startswith("django.forms.") and b.endswith("Field") for b in cls.bases))


def _from_outside(index: ProjectIndex, module: ModuleFacts, fn: Function, param: str, depth: int = 0) -> bool:
    """Nothing in the project fills parameter `param` of `fn`: no call reaches `fn`, or each passes on a parameter of
    its own that nothing fills either (`def view(rows): return groups(rows)`, nobody calling `view`)."""
    if param not in fn.params or depth > 3 or _receiver(fn):
        return False
    position = fn.position(param)
    key = module.key(fn.qualname)
    for caller_module, caller, call in index.callers(key):
        if caller_module.key(caller.qualname) == key:
            continue  # itself, recursing
        passed = call.args[position] if position < len(call.args) else None
        if not passed or passed not in caller.params:
            return False
        if not _from_outside(index, caller_module, caller, passed, depth + 1):
            return False
    return not _handed_by_name(index, module, fn)


def _untied(fn: Function) -> str:
    method = fn.qualname.rpartition(".")[2]
    return (f"other modules name `{method}`: calls, as far as can be told, through objects the scanner does not tie to its "
            "class, passing what it does not follow")


def _named_elsewhere(index: ProjectIndex, module: ModuleFacts, fn: Function) -> bool:
    """A method no call is tied to, whose name other modules spell: its callers reach it through an object the scanner
    cannot type (rotki's `self.db.add_tokens_to_spam(tokens)`, round 114: "nothing in the project calls it" judged
    wrong four times; such loops walked a user's few addresses or one form's entries, 3 of 36 judged over rounds 105 to
    114 worth acting on). A module-level function's callers import it, so the index ties them."""
    name = fn.qualname.rpartition(".")[2]
    return fn.cls is not None and index.modules_naming(name) > (1 if name in module.words else 0)


def _handed_by_name(index: ProjectIndex, module: ModuleFacts, fn: Function) -> bool:
    """A module-level function no call in the project reaches, whose name its own module spells beside its definition: a
    value in a dispatch table or a callback handed on (Murano's `calculate = {"tags": _get_tags}`, round 79). Its callers
    are in the project, passing what the scanner does not follow."""
    if fn.cls is not None or "." in fn.qualname or any(True for _ in index.callers(module.key(fn.qualname))):
        return False  # (a method another module names may be a framework's hook, as a function named there may be a view)
    return fn.qualname in module.called_here


def _unshown_call(index: ProjectIndex, module: ModuleFacts, fn: Function, src) -> str:
    """`for name in parse_authors(record)`: a project function's result is a query's rows only when the index sees it
    return one; read on real applications, the others were parsed names, a table's constraints, a config list."""
    if src.model and src.manager:
        return ""  # `Job.objects.visible_by_user(user)`: a manager's method, its model's rows (LAVA, round 180's regression)
    if index.resolve_source(src, module, fn) is not None:
        return ""
    target = index.resolve_function(src.callee or "", module)
    if target is None:
        return ""  # not the project's own function: nothing to say about what it returns
    caller = module.key(fn.qualname)
    if index.reach_call(caller, target) is not None:
        return ""  # it runs a query (rows of columns, a grouped total): its rows, as many as the table holds
    shown = (src.callee or src.text).rpartition(".")[2]
    return (f"; the loop walks what `{shown}()` returns, which the scanner does not see to be the rows of a query, so it "
            "matters only when that is many")


def calibrate(index: ProjectIndex, module: ModuleFacts, fn: Function | None, f: Finding, loop_line: int | None = None) -> Finding:
    """`high` -> `low` (or `medium`, see the module's notes), with the reason, for a finding whose loop (its `loop`
    evidence, or `loop_line`) walks a parameter no caller is shown to fill from a query, or what a project function
    returns that is not shown to be rows, unless a loop around it walks many rows of its own."""
    if fn is None or f.severity != Severity.high:
        return f
    if loop_line is None:
        where = f.loop_location()
        if where is None:
            return f
        loop_line = where.line
    loop = next((lp for lp in fn.loops.values() if lp.span.line == loop_line and lp.source is not None and lp.source.kind in ("param", "call")), None)
    if loop is None:
        return f
    why = unshown(index, module, fn, loop)
    if not why:
        return f
    around = [lp for lp in fn.loops.values() if lp is not loop and lp.span.line < loop.span.line <= lp.span.end_line]
    if any(lp.size == loop_size.LARGE and not unshown(index, module, fn, lp) for lp in around):
        return f  # the parameter's loop runs once per row of an outer loop over a query
    f.message += why
    # a remote call per item costs 10-1000 ms, so it stays listed: a bank's or an ERP's API asked per client id; so does
    # a loop over the parameter of a function nothing in the project calls, in a library, which may be an API for code
    # outside it (`get_client_invoices(client_ids)`). In a deployed application what calls such a function is the
    # framework (an admin action, a template filter, a validator, a signal), with one request's few items: judged in
    # rounds 100 to 132, 1 of 23 was worth acting on. `low` there, and the hook still lists it where it was just written
    if f.rule == "NP105" or _OUTSIDE in why or _CLIENT in why:
        f.severity = Severity(loop_size.LOOSE_SEVERITY)
        return f
    f.severity = Severity(loop_size.UNSIZED_SEVERITY)
    f.data = {**(f.data or {}), UNSEEN_CALLERS: True}
    return f


def at_the_edit(f: Finding) -> str:
    """The severity the hook lists `f` at: `medium` for one lowered only because no caller was seen (calibrate)."""
    if f.data and f.data.get(UNSEEN_CALLERS) and f.severity.rank < Severity.medium.rank:
        return Severity.medium.value
    return f.severity.value


def handed_a_handful(index: ProjectIndex, module: ModuleFacts, fn: Function | None, loop_line: int) -> bool:
    """The loop at `loop_line` walks a parameter every caller fills with a handful (command-line values, settings, a
    user's selection: n_plus_one_common.handful_parameter): a scan_performance hit there is not reported, as the
    N+1 rules do not report it; a file's lines written row by row are an import, whoever names the file."""
    loop = fn.loop_at(loop_line) if fn is not None else None
    return loop is not None and loop.file_param is None and handful_param(index, module, fn, loop)  # a file's rows written: an import


def _filterset(module: ModuleFacts, fn: Function) -> bool:
    cls = module.classes.get(fn.cls.rpartition(".")[2]) if fn.cls else None
    return cls is not None and any(n.endswith("FilterSet") for n in (cls.name, *cls.bases))

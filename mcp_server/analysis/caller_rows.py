"""Whether a loop over a parameter is shown to walk many rows: `high` needs a caller that loads them.

`for row in rows:` where `rows` is a parameter is sized "rows the callers pass" by the extractor, which sees one
file. Read on real applications, most such loops walked what a user selected in a bulk action or a transition, a
handful of webhooks, or what callers outside the project pass: a query per item there is real but rarely worth a
`high`. So a finding over such a loop keeps `high` only when some caller in the project is shown to pass the rows of
a query (itself, through a helper that returns them, through its own callers, a list endpoint's queryset, a view's
queryset rendered by a template); otherwise it is `medium` and its message says why. Nothing is hidden.
The same holds for a loop over what a project function returns (`for name in parse_authors(record)`): it is a
query's rows only when the function is seen to return a queryset or to run a query; parsed names, a table's
constraints and a configured list, read on real applications, were not.
"""

from __future__ import annotations

from ..findings import Finding, Severity
from . import loop_size
from .row_writes import IMPORT
from .facts import Function, Loop, ModuleFacts
from .index import ProjectIndex
from .n_plus_one_common import handful_param

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
    name = src.parent_path[0] if src.parent_path else src.text
    if IMPORT.search(name) or IMPORT.search(fn.qualname.rpartition(".")[2]) or IMPORT.search(module.path.rpartition("/")[2]):
        return ""  # `load_csv(dict_reader)`, `import_rows(rows)`: the rows of a file or an import, as many as it holds
    if name == "queryset" and _filterset(module, fn):
        return ""  # django-filter hands a FilterSet method the queryset of the list endpoint it filters
    resolved = index.resolve_source(src, module, fn)
    if resolved is not None and any(o.kind in _QUERY_KINDS and not o.one_parent for _m, o in resolved.origin):
        return ""
    return (f"; the loop walks the parameter `{name}`, and no caller in the project is shown to pass it the rows of a query "
            "(they pass a selection, a list built from their input, or the callers are outside the project), so it matters "
            "only when they pass many")


def _unshown_call(index: ProjectIndex, module: ModuleFacts, fn: Function, src) -> str:
    """`for name in parse_authors(record)`: a project function's result is a query's rows only when the index sees it
    return one; read on real applications, the others were parsed names, a table's constraints, a config list."""
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
    """`high` -> `medium`, with the reason, for a finding whose loop (its `loop` evidence, or `loop_line`) walks a
    parameter no caller is shown to fill from a query, unless a loop around it walks many rows of its own."""
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
    f.severity = Severity(loop_size.LOOSE_SEVERITY)
    f.message += why
    return f


def handed_a_handful(index: ProjectIndex, module: ModuleFacts, fn: Function | None, loop_line: int) -> bool:
    """The loop at `loop_line` walks a parameter every caller fills with a handful (command-line values, settings, a
    user's selection: n_plus_one_common.handful_parameter): a scan_performance hit there is not reported, as the
    N+1 rules do not report it; a file's lines written row by row are an import, whoever names the file."""
    loop = next((lp for lp in fn.loops.values() if lp.span.line == loop_line), None) if fn is not None else None
    return loop is not None and loop.file_param is None and handful_param(index, module, fn, loop)  # a file's rows written: an import


def _filterset(module: ModuleFacts, fn: Function) -> bool:
    cls = module.classes.get(fn.cls.rpartition(".")[2]) if fn.cls else None
    return cls is not None and any(n.endswith("FilterSet") for n in (cls.name, *cls.bases))

"""Views whose whole response Django caches: `@cache_page(60 * 10)` on a function view, `@method_decorator(cache_page(3600))`
on a viewset's `list` or a view's `get`, or on the class for `dispatch` (drf-extensions' `@cache_response` too). Their
per-row queries run on a cache miss, once per URL and timeout, not on every request. So do a template's loops inside a
`{% cache 62 planet-page-left %}` block (ModuleFacts.cached_fragments, read by templates.py).

Judged in round 130 (a health network's summary and local-body endpoints, cached 10 minutes to 10 hours): all 6 such
findings were real and not worth acting on (RARE, CHEAP). They are `low`, with the reason, not dropped: a cache keyed
by many query strings misses often, and the first request after each timeout still pays.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from ..findings import Severity
from .nodes import last_name, through_method_decorator

if TYPE_CHECKING:
    from ..findings import Finding, Location
    from .index import ProjectIndex

_CACHING = frozenset({"cache_page", "cache_response"})
_SERVING = frozenset({"list", "get", "dispatch"})  # the methods that serve a list page or endpoint
LOWERED = "; the view's response is cached ({why}), so these queries run on a cache miss, once per URL and timeout"
# a template fragment Django caches: archweb's planet page, its feed list inside `{% cache 62 planet-page-left %}` (round
# 210: judged CACHED)
FRAGMENT = "; the template caches this part (`{{% {tag} %}}`, lines {first} to {last}), so these queries run on a cache miss, once per key and timeout"


def decorator_reason(decorators: list[ast.expr]) -> str:
    """The caching decorator among `decorators`, as written ("" when none)."""
    for d in through_method_decorator(decorators):
        if last_name(d.func if isinstance(d, ast.Call) else d) in _CACHING:
            return f"`@{ast.unparse(d)[:60]}`"
    return ""


def class_reason(node: ast.ClassDef) -> str:
    """The caching decorator of a view class, or of the method that serves its list ("" when none)."""
    why = decorator_reason(node.decorator_list)
    if why:
        return why
    for stmt in node.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name in _SERVING and (why := decorator_reason(stmt.decorator_list)):
            return f"{why} on `{stmt.name}`"
    return ""


def _reason(index: ProjectIndex, where: Location) -> str:
    from .own_saves import class_at, function_at  # analysis only: extraction, which imports this module, never needs it

    module = index.by_path.get(where.path)
    if module is None:
        return ""
    inner = function_at(module, where.line)
    if inner is not None and inner.cached_response:
        return inner.cached_response
    cls = class_at(module, where.line)
    return cls.cached_response if cls is not None else ""


def lower_cached_responses(index: ProjectIndex, findings: list[Finding]) -> list[Finding]:
    """Each finding whose loop, own line or rendering view sits in a view whose response is cached: `low`, saying so."""
    for f in findings:
        if f.severity in (Severity.low, Severity.info) or f.location is None:
            continue
        places = [f.loop_location(), f.location, *(e.location for e in f.evidence if e.role == "view" and e.location)]
        why = next((w for w in (_reason(index, p) for p in places if p is not None) if w), "")
        # (or around the read an included template makes per row: Rocket League Replays' `replay_row.html`, each row's
        # markup cached an hour by its key, round 242: judged CACHED)
        fragment = next((c for p in (f.loop_location() or f.location, *(e.location for e in f.evidence if e.role == "read" and e.location))
                         if (c := _fragment(index, p)) is not None), None) if not why else None
        if why:
            f.severity = Severity.low
            f.message += LOWERED.format(why=why)
        elif fragment is not None:
            f.severity = Severity.low
            f.message += FRAGMENT.format(tag=fragment[2], first=fragment[0], last=fragment[1])
    return findings


def _fragment(index: ProjectIndex, where: Location) -> tuple[int, int, str] | None:
    """The `{% cache %}` block of a template around `where`."""
    module = index.by_path.get(where.path)
    return next((c for c in module.cached_fragments if c[0] <= where.line <= c[1]), None) if module is not None else None

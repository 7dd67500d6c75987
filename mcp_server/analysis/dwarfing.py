"""Per-item I/O that dwarfs a per-item query: the loop of an N+1 finding also makes a network call, runs a
subprocess or sends an e-mail on every item, directly or through the project code it calls.

Read on real applications (issue 15), such findings were true and not worth anyone's time: batching the query
saves about a millisecond per item next to the 10-1000 ms of the ELB call, the TLS handshake, the ACME challenge,
the subprocess in the same iteration. Files are not such work: a file read, written or stored per row costs about
what a query does, and maintainers fix the query beside it. The finding stays, at `low`, with the reason and the
I/O call as evidence. What counts as I/O is what the code calls, resolved through imports (apis.HEAVY_CALLS and
HTTP sinks, kept in the facts by the extractor); enqueueing a task, logging and database writes do not.
"""

from __future__ import annotations

from ..findings import Evidence, Finding, Severity
from .facts import Function, Loop, ModuleFacts, Sink
from .index import ProjectIndex
from .n_plus_one_common import location

HEAVY = frozenset({"http", "io"})
DEPTH = 2  # the loop's callee and what that calls: deeper I/O is too far from the loop to be sure it runs per item
_OWN_IO = frozenset({"remote call", "http", "file", "connect"})  # the finding is itself about I/O: nothing dwarfs it
_RULES = frozenset({"NP101", "NP102", "NP103", "NP104", "PF201", "PF301"})
_WHAT = {"http": "makes a remote call"}


def per_item_io(index: ProjectIndex, module: ModuleFacts, fn: Function, loop: Loop) -> tuple[str, ModuleFacts, Sink, str] | None:
    """The first I/O each iteration of `loop` runs: (what it does, its module, the call, the project function it is
    reached through or "" when written in the loop)."""
    for sink in (*fn.sinks, *fn.io):
        if sink.kind in HEAVY and loop.id in sink.loops and sink.framework != "append" and not _retry_pause(sink):
            return sink.framework if sink.kind == "io" else _WHAT[sink.kind], module, sink, ""
    caller = module.key(fn.qualname)
    for call in fn.calls:
        if loop.id not in call.loops or call.deferred or call.key == "invariant":
            continue  # the same arguments on every iteration: I/O to hoist (PF301), not the item's own work
        target = index.resolve_function(call.callee, module)
        found = _reached(index, caller, target) if target is not None else None
        if found is not None:
            return (*found, call.callee.rpartition(".")[2])
    methods = {r.method for r in fn.relations if r.loop == loop.id and not r.path and r.method}
    resolved = index.resolve_source(loop.source, module, fn) if methods and loop.source is not None else None
    for method in sorted(methods) if resolved is not None else ():  # `upload.read_tasks()`: a method of the loop's rows
        target = index.find_method(resolved.model.key, method)
        found = _reached(index, caller, target) if target is not None else None
        if found is not None:
            return (*found, f"{loop.target}.{method}")
    return None


def _reached(index: ProjectIndex, caller: str, target: str) -> tuple[str, ModuleFacts, Sink] | None:
    reach = index.reach_call(caller, target, HEAVY)
    if reach is None or len(reach.steps) >= DEPTH or reach.sink.framework == "append" or _retry_pause(reach.sink):
        return None
    sink = reach.sink
    return (sink.framework if sink.kind == "io" else _WHAT[sink.kind]), reach.module, sink


def _retry_pause(sink: Sink) -> bool:
    """A `sleep` under a condition (a retry's back-off in an `except`): not a pause every item makes."""
    return sink.conditional and sink.api.rpartition(".")[2] == "sleep"


def lowered(index: ProjectIndex, module: ModuleFacts, fn: Function | None, f: Finding, loop_line: int | None = None) -> Finding:
    """`f` at `low`, with the reason and the I/O as evidence, when its loop (its `loop` evidence, or `loop_line`)
    does per-item I/O; otherwise `f` unchanged."""
    if fn is None or f.rule not in _RULES or f.severity == Severity.low or any(e.role in _OWN_IO for e in f.evidence):
        return f
    if loop_line is None:
        ev = next((e for e in f.evidence if e.role == "loop" and e.location and e.location.path == module.path), None)
        loop_line = ev.location.line if ev else None
    loop = fn.loop_at(loop_line)
    found = per_item_io(index, module, fn, loop) if loop is not None else None
    if found is None:
        return f
    what, where, sink, via = found
    through = f" through `{via}()`" if via else ""
    cost = "this write" if f.rule == "PF201" else "this query"
    f.severity = Severity.low
    f.message += f"; each iteration also {what}{through} ({where.path}:{sink.span.line}), which costs far more than {cost}"
    f.evidence.append(Evidence(role="per-item I/O", message=f"{what}: {sink.text or sink.api}", location=location(where, sink.span, sink.text)))
    return f

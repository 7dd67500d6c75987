"""N+1 detection over the project index: a query or remote call per item of a collection, found directly,
through calls into project code, or through ORM relations that the query feeding the loop did not load."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterator

from ..findings import Confidence, Evidence, Finding, Location, Severity
from . import apis, loop_size, one_off
from . import deferred as sqla_deferred
from .facts import UNKNOWN_LOOKUP, Call, Function, Loop, ModuleFacts, Span
from .grouping import one_per_loop, one_per_place, shared_callees
from .index import Model, ProjectIndex, Reach, ResolvedSource, eager_by_default, is_single
from .templates import is_template
from .receivers import QueryCost, RelationCost, RowSummaries, Via, _short, loop_target_calls

FIXES = {
    "dbapi": "Run one query for all items before the loop: collect the keys, `SELECT ... WHERE key IN (?, ?, ...)` "
             "(PostgreSQL: `WHERE key = ANY(%s)` with a list) with bound parameters, then group the rows in a dict keyed by "
             "the loop's key and look them up inside the loop. Chunk very long key lists (SQLite allows 32,766 parameters).",
    "asyncpg": "Run one query for all items before the loop: `await conn.fetch('... WHERE key = ANY($1::bigint[])', keys)`, "
               "then group the rows in a dict keyed by the loop's key.",
    "sqlalchemy": "Load every row the loop needs in one statement before it: `session.scalars(select(Model).where(Model.key.in_(keys)))`, "
                  "index the result in a dict, and look items up inside the loop.",
    "django": "Load once before the loop: `Model.objects.in_bulk(keys)` or `Model.objects.filter(key__in=keys)` into a dict; "
              "for related objects, add select_related / prefetch_related to the queryset the loop iterates; for counts, "
              "`annotate(n=Count(...))`.",
    "http": "Use the API's batch endpoint if it has one; otherwise run the calls concurrently with a bound "
            "(`asyncio.gather` or an `asyncio.TaskGroup` under an `asyncio.Semaphore`, or a `ThreadPoolExecutor(max_workers=N)` "
            "for blocking clients), "
            "each with a timeout and its own error handling.",
}


def location(module: ModuleFacts, s: Span, text: str | None = None) -> Location:
    return Location(path=module.path, line=s.line, column=s.col, end_line=s.end_line, end_column=s.end_col, snippet=text or None)


def relevant_loops(fn: Function, loops: tuple[int, ...]) -> list[Loop]:
    """Enclosing loops that repeat per item: short literal collections and pagination loops do not."""
    return [fn.loops[i] for i in loops if i in fn.loops and not fn.loops[i].small_literal and not fn.loops[i].pagination]


def loop_evidence(module: ModuleFacts, loops: list[Loop]) -> list[Evidence]:
    first = loops[0]
    out = [Evidence(role="loop", message=f"{first.kind} loop ({loop_size.describe(first.size, first.size_why)}): {first.header}",
                    location=location(module, first.span, first.header))]
    if len(loops) > 1:
        outer = loops[-1]
        out.append(Evidence(role="outer loop", message=f"nested in: {outer.header}", location=location(module, outer.span, outer.header)))
    return out


def sized(finding: Finding, loop: Loop, rows_unknown: bool = False) -> Finding:
    """A loop over the related rows of one object (`order.lines.all()`) usually walks a handful: medium, and the
    message says so; so is a loop whose collection is not shown to be rows (`rows_unknown`, from NP101 and NP102:
    a request's fields, a job's specs): read on real applications, few of those were worth acting on. A loop the
    code bounds is never reported at all (relevant_loops)."""
    if loop.size == loop_size.UNKNOWN and (loop.size_why or rows_unknown) and finding.severity == Severity.high:
        finding.severity = Severity(loop_size.LOOSE_SEVERITY)
        finding.message += loop_size.loosely_sized(loop.size_why) if loop.size_why else loop_size.UNSIZED
    return finding


def origin_evidence(src: ResolvedSource) -> list[Evidence]:
    """Where the loop's rows come from, each query or call that builds them, outermost first."""
    return [Evidence(role="view", message=f"renders the template: {o.text}", location=location(mod, o.span, o.text)) if o.kind == "render" else
            Evidence(role="queryset", message=f"rows come from: {o.text}", location=location(mod, o.span, o.text)) for mod, o in src.origin]


def _stored(loop: Loop, lookup: str) -> bool:
    """`row.item.event = event` in the loop: lookups through an assigned relation read what was set, not the database."""
    return any(lookup == s or lookup.startswith(s + "__") for s in loop.stored)


def _covered(reported: set, loop: int, lookup: str) -> bool:
    """Already reported for this loop, itself or through a deeper lookup whose fix loads it too."""
    return (loop, lookup) in reported or any(r[0] == loop and str(r[1]).startswith(lookup + "__") for r in reported)


def reach_evidence(reach: Reach) -> list[Evidence]:
    """Each call from the first callee down to the query or remote call, then that query."""
    out = [Evidence(role="call", message=f"calls {step.target}", location=location(step.module, step.call.span, step.call.text)) for step in reach.steps]
    out.append(Evidence(role="remote call" if reach.sink.kind == "http" else "query", message=reach.sink.sql or reach.sink.text,
                        location=location(reach.module, reach.sink.span, reach.sink.text)))
    return out


# what a loop does per row that costs more than a read: a write, a log entry, an e-mail or a notification
# (`delete_file`, `upload_file`, `create_cablepath`, `import_config_context` too: read on real applications, the
# lookup such a helper makes on the way is a fraction of the work it does per item)
_WRITES_OR_SENDS = re.compile(r"^(save|create|update|delete|remove|commit|upload|import)(_\w+)?$|^(bulk|perform)_\w+$|send|mail|notif|log_action"
                              r"|apply_async|^delay$")
# a statement per table (its name formatted into the SQL, `{t}` or `?` where a table goes: identifiers cannot be
# bound, and no WHERE picks rows) or per server process: one per object by nature, like DDL, nothing to batch
_PER_OBJECT_SQL = re.compile(r"^(?!.*\bwhere\b).*\b(from|into|update|join|table)\s+[\"`\[]?[{?]|^\s*kill\b", re.I | re.S)
_RELATED_WRITES = frozenset({"create", "get_or_create", "update_or_create", "update", "delete", "add", "remove", "set", "clear"})
_REQUERIES = re.compile(r"\.(" + "|".join(sorted(apis.RELATED_ALWAYS_QUERY)) + r")\(")


def _rows_key(loop: Loop, src: ResolvedSource, lookup: str) -> tuple | None:
    """For a loop over a variable (`for inv in rows`, `for i, inv in enumerate(rows)`): the variable, what its rows are, and the relation read; loops
    over anything else (a query written in the loop, a call) make new row objects each time: None."""
    m = re.search(rf"\bfor\s+(?:\w+\s*,\s*)?{re.escape(loop.target)}\s+in\s+(?:enumerate\()?([A-Za-z_]\w*)\s*(?:[:\])}}]|\bif\b)",
                  loop.header) if loop.target else None
    if m is None:
        return None
    return (lookup, m.group(1), src.model.key, src.select, src.prefetch, tuple((p.path, o.span.line) for p, o in src.origin[1:]))


def _first_loop_per_rows(found: list[tuple[Loop, tuple | None, tuple]]) -> list[tuple]:
    """Several loops of one function over the same row objects (`rows = [r for r in rows if ...]` keeps them) read the
    same relation: the first loads it on every row and Django or SQLAlchemy keep it there, so only the first queries."""
    first: dict[tuple, int] = {}
    for loop, key, _ in found:
        if key is not None:
            first[key] = min(first.get(key, loop.span.line), loop.span.line)
    return [args for loop, key, args in found if key is None or loop.span.line == first[key]]


def _stores_a_file(callee: str) -> bool:
    """`default_storage.save(name, content)`: a file written per row, not the row; what the row's serialisation
    queries on the way is still the N+1 to report."""
    return "storage" in callee.rpartition(".")[0].lower()


def loop_calls(index: ProjectIndex, module: ModuleFacts, fn: Function) -> Iterator[tuple[Call, list[Loop], str]]:
    """Calls made once per item of a loop to a project function: (the call, its loops, the function's key)."""
    for call in fn.calls:
        loops = relevant_loops(fn, call.loops)
        if loops:
            target = index.resolve_function(call.callee, module)
            if target is not None:
                yield call, loops, target


def switched_off(index: ProjectIndex, call: Call, target: str, reach: Reach) -> bool:
    """`refresh(invoice, full=False)` where `refresh` queries only under `if full:`: this call never queries."""
    flag = reach.steps[0].call.flag if reach.steps else reach.sink.flag
    if not flag or not call.falsy:
        return False
    if flag in call.falsy:
        return True
    params = index.functions[target][1].params
    if flag not in params:
        return False
    offset = 1 if params and params[0] in ("self", "cls") and "." in call.callee else 0
    return f"#{params.index(flag) - offset}" in call.falsy


def walked(f: Finding, few: dict[int, str]) -> Finding:
    """`high` -> `medium`, with the reason, for a finding whose loop walks few items in practice (loop_size.small_in_practice)."""
    loop = next((e for e in f.evidence if e.role == "loop"), None)
    if few and loop is not None and loop.location and loop.location.line in few and f.severity == Severity.high:
        f.severity = Severity(loop_size.LOOSE_SEVERITY)
        f.message += few[loop.location.line]
    return f


@dataclass
class Detector:
    index: ProjectIndex
    fetch_modes: bool = False  # the project's Django has fetch modes (6.1+): FETCH_PEERS is an alternative fix

    def __post_init__(self) -> None:
        self.rows = RowSummaries(self.index, self)

    def run(self) -> Iterator[Finding]:
        per_loop: Counter[tuple[str, str, int]] = Counter()
        found: list[tuple[tuple[str, str, int], Finding]] = []
        rest: list[Finding] = []
        for module in self.index.modules.values():
            if one_off.module_reason(module):
                continue  # a seed script, fake-data generation, test support: true per-item queries nobody will fix
            for fn in module.functions.values():
                if one_off.data_migration(module, fn):
                    continue
                walks = loop_size.small_in_practice(module, fn)
                for key, f in [*self._direct(module, fn), *self._via_calls(module, fn)]:
                    per_loop[key] += 1
                    found.append((key, walked(f, walks)))
                rest += [walked(f, walks) for f in [*self._relations(module, fn), *self._evaluated_twice(module, fn)]]
        yield from shared_callees(one_per_loop(found, per_loop))
        yield from one_per_place(rest)

    # -- NP101 / NP105: a query or a remote call written in the loop -----------------------------------------
    def _direct(self, module: ModuleFacts, fn: Function) -> Iterator[tuple[tuple[str, str, int], Finding]]:
        for sink in fn.sinks:
            loops = relevant_loops(fn, sink.loops)
            if not loops:
                continue
            if sink.framework == "django" and not self._django_manager_ok(sink.api, module):
                continue
            if sink.sql and (apis.is_ddl(sink.sql) or _PER_OBJECT_SQL.search(sink.sql)):
                continue  # schema changes run once per object by nature; there is nothing to batch
            if sink.sql and apis.is_write(sink.sql):
                continue  # a write per row: PF201 reports it with the batch-write fix
            remote = sink.kind == "http"
            what = "a remote call" if remote else "a query"
            rule = "NP105" if remote else "NP101"
            message = f"`{sink.api}` runs {what} once per item of the loop at line {loops[0].span.line}"
            if remote and fn.is_async and sink.awaited:
                message += "; the awaits run one after another"
            evidence = loop_evidence(module, loops)
            evidence.append(Evidence(role="remote call" if remote else "query", message=sink.sql or sink.text, location=location(module, sink.span, sink.text)))
            yield (module.path, fn.qualname, loops[0].id), sized(Finding(
                rule=rule, title="Remote call in a loop" if remote else "Query in a loop", severity=Severity.high,
                confidence=Confidence(sink.confidence), message=message, location=location(module, sink.span, sink.text),
                evidence=evidence, suggestion=FIXES["http" if remote else sink.framework],
            ), loops[0], rows_unknown=True)

    def _django_manager_ok(self, api: str, module: ModuleFacts) -> bool:
        if api.count(".") < 2:
            return True  # a row API that queries by its name (`ContentType.get_object_for_this_type`), no manager to check
        model_ref, manager, _ = api.rsplit(".", 2)
        if manager in ("objects", "_default_manager", "_base_manager"):
            return True
        model = self.index.resolve_model(model_ref, module)
        return model is not None and manager in model.managers

    # -- NP102 / NP105: the loop calls project code that queries ------------------------------------------
    def _via_calls(self, module: ModuleFacts, fn: Function) -> Iterator[tuple[tuple[str, str, int], Finding]]:
        for call, loops, target in loop_calls(self.index, module, fn):
            if self.index.functions[target][1].is_async and not call.awaited:
                continue  # a coroutine created per item (for gather / create_task) runs concurrently, not in turn
            if _WRITES_OR_SENDS.search(target.rpartition(".")[2]):
                continue  # a save, create or send per item: that write is the cost, its lookups on the way are not the finding
            reach = self.index.reach_call(f"{module.module}.{fn.qualname}" if module.module else fn.qualname, target)
            if reach is None or any(step.call.conditional for step in reach.steps) or switched_off(self.index, call, target, reach):
                continue  # reached only behind a guard in a callee (`if not self.configured: self.configure()`), or one this call turns off
            if reach.sink.framework == "django" and not self._django_manager_ok(reach.sink.api, reach.module):
                continue
            remote = reach.sink.kind == "http"
            chain = [target.rpartition(".")[2] if "." in target else target] + [s.target.rpartition(".")[2] for s in reach.steps]
            where = f"{reach.module.path}:{reach.sink.span.line}"
            message = (
                f"`{call.callee.rpartition('.')[2]}()` is called once per item of the loop at line {loops[0].span.line} and reaches "
                f"{'a remote call' if remote else 'a query'}: {' -> '.join(chain)} -> `{reach.sink.api}` ({where})"
            )
            evidence = loop_evidence(module, loops)
            evidence.append(Evidence(role="call", message=f"calls {target}", location=location(module, call.span, call.text)))
            evidence += reach_evidence(reach)
            confidence = "high" if reach.sink.confidence == "high" and len(reach.steps) < 4 else "medium"
            yield (module.path, fn.qualname, loops[0].id), sized(Finding(
                rule="NP105" if remote else "NP102",
                title="Remote call in a loop" if remote else "Query in a loop through a call",
                severity=Severity.high, confidence=Confidence(confidence), message=message,
                location=location(module, call.span, call.text), evidence=evidence,
                suggestion=FIXES["http" if remote else reach.sink.framework]
                + " Or give the called function a batch variant that takes all keys at once.",
            ), loops[0], rows_unknown=True)

    # -- NP103 / NP104: lazy relations of ORM rows accessed per item --------------------------------------
    def _relations(self, module: ModuleFacts, fn: Function) -> Iterator[Finding]:
        passes_rows = any(c.args or c.kwargs for c in fn.calls)
        if not fn.relations and not passes_rows:
            return
        resolved: dict[int, ResolvedSource | None] = {}
        reported: set[tuple[int, str]] = set()
        # per call site in a loop, what the methods and helpers it runs cost per row: one finding each
        costs: dict[tuple[int, Span], tuple[Loop, ResolvedSource, list]] = {}

        def source(loop: Loop) -> ResolvedSource | None:
            if loop.id not in resolved:
                resolved[loop.id] = self.index.resolve_source(loop.source, module, fn)
            return resolved[loop.id]

        # a row saved, written or mailed per item: that is the cost to fix (PF201), not what its methods read on the way
        written = {a.loop for a in fn.relations if a.method and _WRITES_OR_SENDS.search(a.method)}
        written |= {loop for c in fn.calls if _WRITES_OR_SENDS.search(c.callee.rpartition(".")[2]) and not _stores_a_file(c.callee) for loop in c.loops}
        writes_at = {e[2].line for h in module.hits if h.rule in ("PF201", "PF202") for e in h.evidence if e[0] == "loop" and e[2]}
        written |= {i for i, lp in fn.loops.items() if lp.span.line in writes_at}
        direct: list[tuple[Loop, tuple | None, tuple]] = []  # relation findings of loops over rows, before the same rows' later loops go
        # deepest reads first: `item.order.event.organizer` then `item.order.event`, which the first fix covers already
        for access in sorted(fn.relations, key=lambda a: -len(a.path)):
            loop = fn.loops.get(access.loop)
            if loop is None or loop.source is None or loop.small_literal:
                continue
            src = source(loop)
            if src is None:
                continue
            miss = self._missing(src, access.path, access.method)
            if miss is not None and _stored(loop, miss[0]):
                continue  # `row.client = c` earlier: the relation is set on the row, not loaded
            if miss is None:  # nothing to load on the row itself: what its methods and properties do, per row
                if loop.id not in written:
                    first = Via("call", module, access.span, access.text, f"runs {access.text} for each row")
                    path, method = access.path, access.method
                    if method is None and path and is_template(module):
                        path, method = path[:-1], path[-1]  # a template calls what it reads: `{{ inv.balance }}` runs the method
                    for cost in self.rows.of_access(src, path, method, first):
                        costs.setdefault((loop.id, access.span), (loop, src, []))[2].append(cost)
                continue
            lookup, rel_model, rel, kind = miss
            if _covered(reported, access.loop, lookup):
                continue
            reported.add((access.loop, lookup))
            direct.append((loop, _rows_key(loop, src, lookup), (module, fn, loop, access, src, lookup, rel_model, rel, kind)))
        yield from (self._relation_finding(*args) for args in _first_loop_per_rows(direct))
        if passes_rows:
            for call, loop, name in loop_target_calls(fn, fn.loops):
                if loop.small_literal or loop.pagination or loop.id in written:
                    continue
                src = source(loop)
                if src is None:
                    continue
                serializer = loop.kind == "serializer"
                first = Via("serializer" if serializer else "call", module, call.span, call.text,
                            f"serialises each row with {call.callee.rpartition('.')[0]}" if serializer else f"passes each row to {_short(call.callee)}")
                for cost in self.rows.of_call(src, module, call, name, first):
                    costs.setdefault((loop.id, call.span), (loop, src, []))[2].append(cost)
        for loop, src, found in costs.values():
            relations = [c for c in found if isinstance(c, RelationCost)]
            if relations:
                # a serializer's per-row aggregate has its own fix (an annotation): its own finding, at its own line
                queries = [c for c in relations if c.miss[3].startswith("always:")]
                groups = ([c for c in relations if c not in queries], *([c] for c in queries))
                if loop.kind == "serializer":  # each serializer field that loads a relation is its own finding, at its line
                    groups = tuple([c] for c in relations)
                for group in groups:
                    finding = self._relations_through(module, fn, loop, src, group, reported) if group else None
                    if finding is not None:
                        yield finding
            query = next((c for c in found if isinstance(c, QueryCost)), None)
            if query is not None and not relations:
                finding = self._query_through(module, loop, src, query, reported)
                if finding is not None:
                    yield finding

    @staticmethod
    def _via(chain) -> list[Evidence]:
        return [Evidence(role=v.role, message=v.message, location=location(v.module, v.span, v.text)) for v in chain]

    def _relations_through(self, module: ModuleFacts, fn: Function, loop: Loop, src: ResolvedSource, costs: list[RelationCost], reported: set) -> Finding | None:
        """The relations that the methods and helpers one call site runs read per row, in one finding with one fix."""
        fresh = []
        for cost in costs:
            lookup = cost.miss[0]
            if cost.miss[3].startswith("always:") and cost.chain[0].role != "serializer":
                continue  # a method filtering its own related rows: no prefetch on the loop can serve it, only a rewrite
            # (a serializer's per-row aggregate is the DRF N+1 par excellence: its fix is an annotate on the view's queryset)
            if _stored(loop, lookup):
                continue
            if cost.miss[3].startswith("always:"):
                lookup = f"{lookup}:{cost.miss[3]}"  # no prefetch of the relation serves `.aggregate()`: its own finding
            if not _covered(reported, loop.id, lookup):
                reported.add((loop.id, lookup))
                fresh.append(cost)
        if not fresh:
            return None
        lookup, rel_model, rel, kind = fresh[0].miss
        finding = self._relation_finding(module, fn, loop, None, src, lookup, rel_model, rel, kind, via=self._via(fresh[0].chain))
        more = [c.miss for c in fresh[1:]]
        if more:
            finding.message += f"; the same call also loads {', '.join(m[0].replace('__', '.') for m in more)} once per row"
            same = bool(finding.data) and "call" in finding.data and all(self._eager_call(m[3], src) == finding.data["call"] for m in more)
            if same:
                finding.data["lookups"] = [finding.data["lookup"], *(src.prefix + m[0] for m in more)]
                finding.suggestion = (f"Add `.{finding.data['call']}({', '.join(repr(x).replace(chr(39), chr(34)) for x in finding.data['lookups'])})` "
                                      f"to the queryset at {finding.data['path']}:{finding.data['line']}.")
            else:
                extra = [f"`{self._eager_call(m[3], src) or 'annotate / Prefetch'}(\"{src.prefix + m[0]}\")`" for m in more]
                finding.suggestion += f" Also {', '.join(extra)} for the other relations it reads."
        return finding

    @staticmethod
    def _eager_call(kind: str, src: ResolvedSource) -> str | None:
        if kind.startswith("always:") or kind in ("dynamic", "lazy", "deferred"):
            return None
        return "select_related" if kind == "select" and not src.prefix else "prefetch_related"

    def _query_through(self, module: ModuleFacts, loop: Loop, src: ResolvedSource, cost: QueryCost, reported: set) -> Finding | None:
        """A query that a method of the row's model runs, once per row."""
        first = cost.chain[0]
        via = self._via(cost.chain)
        reach: Reach = cost.reach
        key = (loop.id, f"{reach.module.path}:{reach.sink.span.line}")
        if key in reported:
            return None
        reported.add(key)
        remote = reach.sink.kind == "http"
        where = f"{reach.module.path}:{reach.sink.span.line}"
        names = [v.message.rpartition(" ")[2] for v in cost.chain[1:] if v.role == "call"]
        message = (f"`{first.text}` runs for each row of the loop at line {loop.span.line} and reaches "
                   f"{'a remote call' if remote else 'a query'}: {' -> '.join([*names, *(s.target.rpartition('.')[2] for s in reach.steps)] or ['it'])}"
                   f" -> `{reach.sink.api}` ({where})")
        return sized(Finding(
            rule="NP105" if remote else "NP102", title="Remote call in a loop" if remote else "Query in a loop through a call",
            severity=Severity.high, confidence=Confidence.high if src.certain and reach.sink.confidence == "high" else Confidence.medium,
            message=message, location=location(first.module, first.span, first.text),
            evidence=[*loop_evidence(module, [loop]), *via, *reach_evidence(reach)],
            suggestion=FIXES["http" if remote else reach.sink.framework]
            + " Or compute it for every row in the loop's own query (an annotation, a prefetch) and read that instead.",
        ), loop)

    # -- NP106: a queryset counted, then fetched -------------------------------------------------------------
    def _evaluated_twice(self, module: ModuleFacts, fn: Function) -> Iterator[Finding]:
        if not fn.query_uses:
            return
        by_var: dict[str, list] = {}
        for use in fn.query_uses:
            by_var.setdefault(use.var, []).append(use)
        for var, uses in by_var.items():
            evaluations = [u for u in uses if u.kind == "evaluate"]
            if not evaluations:
                continue
            first_eval = min(evaluations, key=lambda u: (u.span.line, u.span.col))
            # count()/exists() after the rows were fetched reads Django's result cache: no second query
            counts = [u for u in uses if u.kind == "count" and (u.span.line, u.span.col) < (first_eval.span.line, first_eval.span.col)]
            if not counts:
                continue
            src = fn.query_vars.get(var)
            resolved = self.index.resolve_source(src, module, fn) if src else None
            if resolved is None or resolved.model.framework != "django":
                continue
            name = var.partition("#")[0]
            method = "count" if "count(" in counts[0].text else "exists"
            yield Finding(
                rule="NP106", title="Queryset evaluated twice", severity=Severity.medium, confidence=Confidence.high,
                message=(f"`{name}.{method}()` runs one query and fetching `{name}` at line {first_eval.span.line} runs another; "
                         f"the rows alone answer both"),
                location=location(module, counts[0].span, counts[0].text),
                evidence=[
                    Evidence(role="queryset", message=f"built from: {src.text}", location=location(module, src.span, src.text)),
                    Evidence(role="query", message=counts[0].text, location=location(module, counts[0].span, counts[0].text)),
                    Evidence(role="query", message=first_eval.text, location=location(module, first_eval.span, first_eval.text)),
                ],
                suggestion=(f"Fetch once and use the rows: `rows = list({name})`, then `len(rows)` / `if rows:`; or fetch first and call "
                            f"`{name}.{method}()` afterwards, which Django answers from its result cache."),
            )

    def _missing(self, src: ResolvedSource, path: tuple[str, ...], method: str | None):
        """The first relation on `path` that costs a query per item, or None when everything is loaded.

        The lookup returned reaches as deep as the access goes (`invoice__client` for item.invoice.client.state),
        so one fix covers the whole path instead of uncovering the next miss.
        """
        if path and path[0] in src.shared:
            return None  # through the one object the rows belong to (`payment.order.event` of order.payments): once, not per row
        if path and not src.prefix and src.model.framework == "django" and path[0] not in src.model.relations and path[0] not in ("id", "pk") \
                and (path[0] in src.defer or (src.only is not None and path[0] in src.model.columns and path[0] not in src.only)):
            return (path[0], src.model, None, "deferred")  # a column .only()/.defer() left out: Django loads it per row
        if path and sqla_deferred.unloaded(self.index, src, path[0]):
            return (path[0], src.model, None, "deferred")  # a deferred column_property the statement does not undefer
        model: Model | None = src.model
        prefix: list[str] = []
        for i, seg in enumerate(path):
            if model is None:
                return None
            rel = model.relations.get(seg)
            if rel is None:
                return None  # a column or a plain attribute
            lookup = "__".join([*prefix, seg])
            eager = src.select | src.prefetch
            loaded = lookup in eager or UNKNOWN_LOOKUP in eager or any(s.startswith(lookup + "__") for s in eager)
            if model.framework == "sqlalchemy":
                if rel.lazy in ("dynamic", "write_only"):
                    return (lookup, model, rel, "dynamic")
                if eager_by_default(rel) or loaded:
                    model, prefix = self.index.models().get(rel.target or ""), [*prefix, seg]
                    continue
                return (self._deepen(lookup, rel, path[i + 1:], sqlalchemy=True), model, rel, "lazy")
            if is_single(rel):
                if loaded or (src.all_select and rel.kind in ("fk", "o2o") and not prefix):
                    model, prefix = self.index.models().get(rel.target or ""), [*prefix, seg]
                    continue
                kind = "prefetch" if rel.kind == "gfk" else "select"
                return (lookup if kind == "prefetch" else self._deepen(lookup, rel, path[i + 1:], sqlalchemy=False), model, rel, kind)
            if i != len(path) - 1 or method is None:
                return None  # the manager itself, or an attribute of it: no query yet
            if method in _RELATED_WRITES:
                return None  # a write per row: the batch-write rule (PF201) reports it with the right fix
            if method in apis.RELATED_ALWAYS_QUERY:
                return (lookup, model, rel, f"always:{method}")
            if method in apis.RELATED_CACHEABLE and not loaded:
                return (lookup, model, rel, "prefetch")
            return None
        return None

    def _deepen(self, lookup: str, rel, rest: tuple[str, ...], sqlalchemy: bool) -> str:
        """Extend a missing lookup through the further relations the same access follows."""
        model = self.index.models().get(rel.target or "")
        for seg in rest:
            nxt = model.relations.get(seg) if model else None
            if nxt is None or (not sqlalchemy and not is_single(nxt)) or (sqlalchemy and eager_by_default(nxt)):
                break
            lookup = f"{lookup}__{seg}"
            model = self.index.models().get(nxt.target or "")
        return lookup

    def _relation_finding(self, module, fn, loop, access, src: ResolvedSource, lookup, rel_model: Model, rel, kind, via: list[Evidence] = ()) -> Finding:
        origin_module, origin = src.origin[-1]
        if kind == "deferred":
            return self._deferred_finding(module, loop, access, src, lookup, list(via))
        if access is not None:
            expr = ".".join([loop.target or "item", *access.path]) + (f".{access.method}()" if access.method else "")
        else:  # read inside a method or helper the loop runs per row: name the path as the row would spell it
            row = loop.target if loop.target and not loop.target.startswith("<") else "obj"
            expr = ".".join([row, *lookup.split("__")])
        root_lookup = src.prefix + lookup  # the fix goes on the outermost query, with the full path
        model_name = src.model.key.rpartition(".")[2]
        rel_target = (rel.target or "related object").rpartition(".")[2]
        evidence = [*loop_evidence(module, [loop]), *via, *origin_evidence(src)]
        evidence.append(Evidence(role="relation", message=f"{rel_model.key.rpartition('.')[2]}.{rel.name} ({rel.kind} to {rel_target})",
                                 location=location(rel.module, rel.span)))
        if access is not None:
            access_loc = location(module, access.span, access.text)
        elif via[0].role == "serializer":  # DRF runs the loop: the finding goes where the serializer reads the relation
            access_loc = next((e.location for e in via if e.role == "read"), via[0].location)  # the serializer's own read (it may run a model method)
        else:
            access_loc = via[0].location
        if src.model.framework == "sqlalchemy":
            attr_path = root_lookup.split("__")
            option = self._sqla_option(self._root_model(src), attr_path)
            if kind == "dynamic":
                message = f"`{expr}` queries `{rel.name}` (lazy=\"{rel.lazy}\") once per {model_name} in the loop at line {loop.span.line}"
                suggestion = f"Make the relationship loadable in bulk (lazy=\"select\") and add `.options({option})` to the statement at {origin_module.path}:{origin.span.line}, or query the children of all parents at once."
            else:
                message = (f"`{expr}` is lazy-loaded once per {model_name} in the loop at line {loop.span.line}: "
                           f"the statement at {origin_module.path}:{origin.span.line} has no `{option}`")
                suggestion = f"Add `.options({option})` to the statement the loop iterates ({origin_module.path}:{origin.span.line})."
            rule, title = "NP104", "SQLAlchemy lazy load in a loop"
        elif kind.startswith("always:"):
            method = kind.partition(":")[2]
            message = (f"`{expr}` runs a query per {model_name} in the loop at line {loop.span.line}: "
                       f"`.{lookup.rpartition('__')[2]}.{method}()` queries even when the relation is prefetched")
            suggestion = (f"Prefetch the subset once: `.prefetch_related(Prefetch(\"{lookup}\", queryset=..., to_attr=...))`, "
                          f"or compute it in the main query with `annotate(...)` (e.g. `Count(\"{lookup}\")`).")
            if method in ("first", "last") and is_template(module):  # the template's own way to read the prefetched rows
                prefetched = "" if f"{root_lookup}" in src.prefetch else f"add `.prefetch_related(\"{root_lookup}\")` to the queryset at {origin_module.path}:{origin.span.line} and "
                suggestion = (f"In the template, {prefetched}read `{loop.target}.{lookup.replace('__', '.')}.all|{method}` instead of "
                              f"`{loop.target}.{lookup.replace('__', '.')}.{method}`: the `{method}` filter takes the row from the prefetched list, "
                              f"`.{method}()` queries anew.")
            if method == "aggregate":
                suggestion = (f"Compute it for every row in the queryset at {origin_module.path}:{origin.span.line} with `.annotate(...)` "
                              f"(e.g. `.annotate(n=Sum(\"{root_lookup}__amount\"))`) and read the annotation: a prefetch does not serve "
                              f"`aggregate()`, which always queries.")
        else:
            # across a to-many hop (a nested loop) only prefetch_related can follow the path
            call = "select_related" if kind == "select" and not src.prefix else "prefetch_related"
            message = (f"`{expr}` loads {model_name}.{lookup.replace('__', '.')} once per row in the loop at line "
                       f"{loop.span.line}: the queryset at {origin_module.path}:{origin.span.line} has no {call}(\"{root_lookup}\")")
            suggestion = f"Add `.{call}(\"{root_lookup}\")` to the queryset at {origin_module.path}:{origin.span.line}."
            if self.fetch_modes and kind == "select" and not src.prefix:
                suggestion += (" Or, on Django 6.1+, `.fetch_mode(models.FETCH_PEERS)` on that queryset: the first row's access loads "
                               "the relation for every row in one query.")
        if via:
            reads = [e.location.snippet.strip() for e in via if e.location and e.location.snippet]
            if via[0].role == "serializer":
                message += f" (serialising each row reads `{reads[-1]}`)"
            elif len(reads) > 1:
                message += f" (it runs inside `{reads[0]}`, which reads `{reads[-1]}`)"
        if src.model.framework != "sqlalchemy":
            rule, title = ("NP107", "Django template reads a relation per row") if is_template(module) else ("NP103", "Django relation loaded per row in a loop")
        at = {"path": origin_module.path, "line": origin.span.line}
        if rule == "NP104" and kind != "dynamic":
            data = {"option": option, "model": self._root_model(src).key.rpartition(".")[2], **at}
        elif rule in ("NP103", "NP107") and not kind.startswith("always:") and not (src.prefix and _REQUERIES.search(loop.source.text if loop.source else "")):
            # (through an outer loop over `parent.children.order_by(...)`, which queries anew, no prefetch on the root helps)
            data = {"call": call, "lookup": root_lookup, **at}
        else:
            data = None
        return sized(Finding(rule=rule, title=title, severity=Severity.high, confidence=Confidence.high if src.certain else Confidence.medium,
                             message=message, location=access_loc, evidence=evidence, suggestion=suggestion, data=data), loop)

    def _deferred_finding(self, module, loop, access, src: ResolvedSource, column: str, via: list[Evidence]) -> Finding:
        origin_module, origin = src.origin[-1]
        model_name = src.model.key.rpartition(".")[2]
        row = loop.target if loop.target and not loop.target.startswith("<") else "obj"
        if src.model.framework == "sqlalchemy":
            return self._sqla_deferred_finding(module, loop, access, src, column, via)
        how = "left out by `.defer(...)`" if column in src.defer else "not in `.only(...)`"
        evidence = [*loop_evidence(module, [loop]), *via, *origin_evidence(src)]
        at = location(module, access.span, access.text) if access is not None else via[0].location
        return Finding(
            rule="NP103", title="Django relation loaded per row in a loop", severity=Severity.high,
            confidence=Confidence.high if src.certain else Confidence.medium,
            message=(f"`{row}.{column}` is {how} on the queryset at {origin_module.path}:{origin.span.line}: Django loads the column with "
                     f"one query per {model_name} in the loop at line {loop.span.line}"),
            location=at, evidence=evidence,
            suggestion=(f"Load the column with the rows: add \"{column}\" to `.only(...)` (or take it out of `.defer(...)`) on the queryset at "
                        f"{origin_module.path}:{origin.span.line}."),
        )

    def _sqla_deferred_finding(self, module, loop, access, src: ResolvedSource, column: str, via: list[Evidence]) -> Finding:
        """A deferred SQLAlchemy column read per row: one SELECT per row, fixed with `undefer(...)` on the statement."""
        origin_module, origin = src.origin[-1]
        model_name = src.model.key.rpartition(".")[2]
        row = loop.target if loop.target and not loop.target.startswith("<") else "obj"
        at = location(module, access.span, access.text) if access is not None else via[0].location
        return sized(Finding(
            rule="NP104", title="SQLAlchemy lazy load in a loop", severity=Severity.high,
            confidence=Confidence.high if src.certain else Confidence.medium,
            message=(f"`{row}.{column}` is a deferred column of {model_name}: the statement at {origin_module.path}:{origin.span.line} "
                     f"does not undefer it, so SQLAlchemy loads it with one SELECT per row in the loop at line {loop.span.line}"),
            location=at, evidence=[*loop_evidence(module, [loop]), *via, *origin_evidence(src)],
            suggestion=(f"Add `.options(undefer({model_name}.{column}))` to the statement at {origin_module.path}:{origin.span.line}, "
                        f"so the column is loaded with the rows."),
        ), loop)

    def _root_model(self, src: ResolvedSource) -> Model:
        if not src.prefix:
            return src.model
        mod, root = src.origin[-1]
        return self.index.resolve_model(root.model, mod) or src.model

    def _sqla_option(self, model: Model, path: list[str]) -> str:
        parts, cur = [], model
        for seg in path:
            rel = cur.relations.get(seg) if cur else None
            loader = "joinedload" if rel is not None and rel.many is False else "selectinload"
            owner = cur.key.rpartition(".")[2] if cur else "Model"
            parts.append(f"{loader}({owner}.{seg})")
            cur = self.index.models().get(rel.target or "") if rel else None
        return ".".join(parts)


def detect(index: ProjectIndex, fetch_modes: bool = False) -> list[Finding]:
    return list(Detector(index, fetch_modes).run())

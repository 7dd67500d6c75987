"""N+1 detection over the project index: a query or remote call per item of a collection, found directly,
through calls into project code, or through ORM relations that the query feeding the loop did not load.

The relation rules (NP103/NP104 and deferred columns) are in n_plus_one_relations.py; what they share with
cross.py (locations, evidence, the calls a loop makes) in n_plus_one_common.py.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterator

from ..findings import Confidence, Evidence, Finding, Severity
from . import apis, background, caller_rows, dwarfing, loop_size, one_off, payloads, recovery, serializer_context, table_sizes
from .facts import CHAINED, WRITTEN, Function, Loop, ModuleFacts
from .grouping import one_per_loop, one_per_place, shared_callees
from .index import ProjectIndex
from .index_model import CONNECTIONS, Reach, ResolvedSource
from .n_plus_one_common import (
    WRITES_OR_SENDS, FIXES, items_own_database, location, query_fix, not_a_lookup, loop_calls, loop_evidence, reach_evidence, relevant_loops,
    scheduled, sized, switched_off, switched_off_at,
)
from .n_plus_one_relations import RelationRules
from .own_saves import runs_once
from .receivers import QueryCost, RowSummaries, carried
from .serializers import MANY, ROWS, calls, shown

# a statement per table (its name formatted into the SQL, `{t}` or `?` where a table goes: identifiers cannot be
# bound, and no WHERE picks rows) or per server process: one per object by nature, like DDL, nothing to batch
# `session.execute(table.delete().where(...))`, `conn.execute(insert(Invoice).values(...))`: SQLAlchemy Core writes
# (`pg_insert(...)`, `mysql_insert(...)`: a dialect's insert imported under an alias, as usual)
_CORE_WRITE = re.compile(r"\bexecute\(\s*(\w+\.)*(\w+_)?(insert|update|delete)\(")
# (a schema may come first: `FROM tile_cache."{}"`, NextGIS Web's table per tile cache, round 156)
_PER_OBJECT_SQL = re.compile(r"^(?!.*\bwhere\b).*\b(from|into|update|join|table)\s+(?:[\w\"`\[\]]+\.)?[\"`\[]?[{?]|^\s*kill\b", re.I | re.S)


def walked(f: Finding, few: dict[int, str]) -> Finding:
    """`high` -> `medium`, with the reason, for a finding whose loop walks few items in practice (loop_size.small_in_practice);
    over a tree walked recursively, the fix that loads the tree at once."""
    loop = next((e for e in f.evidence if e.role == "loop"), None)
    why = few.get(loop.location.line) if few and loop is not None and loop.location else None
    if why and f.severity == Severity.high:
        f.severity = Severity(loop_size.LOOSE_SEVERITY)
        f.message += why
    if why == loop_size.TREE_WALK and f.rule == "NP103" and _tree_edge(f):
        # Kolibri Studio's `get_tree_data()` per child (round 81: the prefetch offered judged WRONGFIX); another relation
        # read per node keeps its fix (a `select_related` on the children's queryset serves every level)
        f.message += "" if why in f.message else why
        f.suggestion, f.patch = TREE_FIX, None
        f.data = {k: v for k, v in (f.data or {}).items() if k not in ("call", "lookup", "path", "line")} or None
    return f


def _tree_edge(f: Finding) -> bool:
    """The relation the finding loads leads from a model to itself (`Account.children (reverse_fk to Account)`)."""
    return any(e.role == "relation" and (m := _EDGE.match(e.message)) and m.group(1) == m.group(2) for e in f.evidence)


_EDGE = re.compile(r"^(\w+)\.\w+ \(\w+ to (\w+)\)$")
TREE_FIX = ("The loop runs its own function again on each item, one level of the tree at a time, so a prefetch serves one "
            "level only (and a chain on prefetched rows queries again): load the whole subtree in one query (a tree "
            "library's `get_descendants()`, a recursive CTE, or rows filtered on a root or path column) with the "
            "`select_related` of what each node reads, group the rows by parent in Python, and walk that.")


def _paused(fn: Function, loop: Loop, f: Finding) -> bool:
    """The loop pauses on every item (`time.sleep(delay)` after each call, also under the branch that makes it; not a
    failure handler's back-off): the remote calls are spaced on purpose, so running them together would defeat it: `low`."""
    pause = next((s for s in fn.io if loop.id in s.loops and not s.recovery and s.api.rpartition(".")[2] == "sleep"), None)
    if pause is None:
        return False
    f.severity = Severity.low
    f.message += (f"; the loop pauses on every item (`{pause.api}`, line {pause.span.line}), spacing the calls on purpose, "
                  "so running them together would defeat it")
    return True


_REBUILT = ("; the loop builds the queryset anew for each item, so it queries per item whatever, and the count adds one small "
            "query to that: the per-item query is the one to remove")


@dataclass
class Detector(RelationRules):
    index: ProjectIndex
    fetch_modes: bool = False  # the project's Django has fetch modes (6.1+): FETCH_PEERS is an alternative fix

    def __post_init__(self) -> None:
        self.rows = RowSummaries(self.index, self)

    def run(self) -> Iterator[Finding]:
        per_loop: Counter[tuple[str, str, int]] = Counter()
        found: list[tuple[tuple[str, str, int], Finding]] = []
        rest: list[Finding] = []
        for module in self.index.modules.values():
            if module.path in self.index.one_off_paths:
                continue  # a seed script, fake-data generation, test support: true per-item queries nobody will fix
            for fn in module.functions.values():
                if one_off.data_migration(module, fn):
                    continue
                looped, other = self.index.failures.guarded(module, fn, lambda: self._function(module, fn), ([], []))
                for key, f in looped:
                    per_loop[key] += 1
                    found.append((key, f))
                rest += other
        yield from shared_callees(one_per_loop(found, per_loop))
        yield from one_per_place(rest)

    def _function(self, module: ModuleFacts, fn: Function) -> tuple[list[tuple[tuple[str, str, int], Finding]], list[Finding]]:
        """One function's findings: those per loop (merged across the project later), and the rest."""
        walks = loop_size.small_in_practice(module, fn)
        looped = [(key, self._settled(module, fn, f, walks)) for key, f in [*self._direct(module, fn), *self._via_calls(module, fn)]]
        return looped, [self._settled(module, fn, f, walks) for f in [*self._relations(module, fn), *self._evaluated_twice(module, fn)]]

    def _settled(self, module: ModuleFacts, fn: Function, f: Finding, walks: dict[int, str]) -> Finding:
        """The severity the code shows (a loop that walks few in practice, callers' rows, I/O that dwarfs the query),
        and the table the loop walks, which the user's table_rows size later (table_sizes.py)."""
        before = f.severity
        f = walked(f, walks)
        capped = f.severity != before
        f = payloads.lowered(self.index, fn, caller_rows.calibrate(self.index, module, fn, f))
        before = f.severity
        f = dwarfing.lowered(self.index, module, fn, f)
        capped = capped or f.severity != before
        before = f.severity
        f = background.lowered(module, fn, f)
        # a command's loop over a table's rows (high before) is lowered for where it runs, not for its size: the
        # user's table_rows raise it again; a loop nothing sizes (medium before) stays capped
        capped = capped or (f.severity != before and before is not Severity.high)
        before = f.severity
        if f.severity is not Severity.low and fn.cache_first and f.location is not None and f.location.line > fn.cache_first:
            f.severity = Severity.low  # LFS's category trees (round 60: judged CACHED): built once, then read from the cache
            f.message += (f"; the function first returns the answer it keeps in the cache (line {fn.cache_first}), so this runs "
                          "only when the cache misses")
        elif f.severity is not Severity.low and fn.memo:
            f.severity = Severity.low  # Janeway's `@cache(600)` settings for a page's context (round 90: judged CACHED twice)
            f.message += f"; `{fn.memo}` keeps the function's answer, so this runs only when that cache misses"
        elif f.severity is not Severity.low and fn.account_deletion:
            f.severity = Severity.low  # deleting an account is an administrator's rare act, not a page anyone waits on often
            f.message += f"; it runs only when a user account is deleted ({fn.account_deletion}), which is rare"
        elif f.severity is not Severity.low and _locks_each_row(f):
            # MIT Learn's content summariser (round 65, the batch fix judged WRONGFIX): each row locked for its own
            # slow work; one query for all would hold every lock for the whole loop, or drop them
            f.severity = Severity.low
            f.message += ("; it locks each row with `select_for_update()` for the work on it, one at a time on purpose: loading "
                          "them all at once would hold every lock for the whole loop")
        elif f.severity is not Severity.low and (once := runs_once(self.index, module, fn)):
            f.severity = Severity.low  # as PF201 does (cross.py): the per-row cost is paid once, at startup or in a migration
            f.message += f"; it runs only from {once}, so the per-item cost is paid once"
        return table_sizes.tag(self.index, module, fn, f, capped or f.severity != before)

    # -- NP101 / NP105: a query or a remote call written in the loop -----------------------------------------
    def _direct(self, module: ModuleFacts, fn: Function) -> Iterator[tuple[tuple[str, str, int], Finding]]:
        for sink in fn.sinks:
            if sink.key == CHAINED:
                continue  # one step of a chain (a redirect followed, a cursor carried): chains.py
            loops = relevant_loops(fn, sink.loops, self.index, module)
            if not loops:
                continue
            if sink.framework == "django" and not self._django_manager_ok(sink.api, module):
                continue
            if sink.sql and (apis.is_no_lookup(sink.sql) or _PER_OBJECT_SQL.search(sink.sql)):
                continue  # schema changes run once per object by nature; there is nothing to batch
            if (sink.sql and apis.is_write(sink.sql)) or _CORE_WRITE.search(sink.text):
                continue  # a write per row: PF201 reports it with the batch-write fix (or knows it is one per table)
            remote = sink.kind == "http"
            what = "a remote call" if remote else "a query"
            rule = "NP105" if remote else "NP101"
            message = f"`{sink.api}` runs {what} once per item of the loop at line {loops[0].span.line}"
            if remote and fn.is_async and sink.awaited:
                message += "; the awaits run one after another"
            evidence = loop_evidence(module, loops)
            evidence.append(Evidence(role="remote call" if remote else "query", message=sink.sql or sink.text, location=location(module, sink.span, sink.text)))
            finding = sized(Finding(
                rule=rule, title="Remote call in a loop" if remote else "Query in a loop", severity=Severity.high,
                confidence=Confidence(sink.confidence), message=message, location=location(module, sink.span, sink.text),
                evidence=evidence, suggestion=FIXES["http"] if remote else query_fix(sink.framework, sink.text),
            ), loops[0], rows_unknown=True)
            recovery.recovered(finding, sink.recovery)
            if remote and finding.severity is not Severity.low:
                _paused(fn, loops[0], finding)  # (the ANHD council's cache warmers, round 187: 4 judged SMALL)
            if sink.key == WRITTEN:  # GlitchTip's debug files (round 57): at most one row is ever made, the rest skip
                finding.severity = Severity.low
                finding.message += ("; its arguments never change and the loop creates the rows it looks for, so it re-checks "
                                    "what an earlier iteration wrote")
            # (only a query under `if flag:`: after `if flag: return`, a caller passing its own value may run it)
            if sink.flag and not sink.flag.startswith(("key:", "!", "has:")) and self._off_for_every_caller(module, fn, sink.flag):
                finding.severity = Severity.low
                finding.message += (f"; it runs only under `{sink.flag}`, which every call in the project leaves switched off, "
                                    "so it looks unreached")
            yield (module.path, fn.qualname, loops[0].id), finding

    def _carried_by_rows(self, module: ModuleFacts, fn: Function, loop: Loop, reach: Reach) -> bool:
        """The query runs only for a row without an attribute (`if hasattr(group, "user_membership"):` ... `else:`) that
        the loop's queryset sets on every row, by `Prefetch(..., to_attr=...)` or `.annotate()` (Lego's group list, round
        95: judged PREFETCHED). Only the attribute's name ties the two: the row tested is the row serialised."""
        flags = (*(step.call.flag for step in reach.steps), reach.sink.flag)
        attrs = [f.rpartition(".")[2] for f in flags if f and f.startswith("!has:")]
        if not attrs or loop.source is None:
            return False
        src = self.index.resolve_source(loop.source, module, fn)
        return src is not None and any(carried(src, (), attr) for attr in attrs)

    def _off_for_every_caller(self, module: ModuleFacts, fn: Function, flag: str) -> bool:
        """`get_advisories(groups)` everywhere, where the query per group runs only under `if include_ssvc_trees:`
        (VulnerableCode, judged false): no call in the project turns it on. Only where nothing outside calls in: an
        application's function, or a private one."""
        if not (self.index.application or fn.qualname.rpartition(".")[2].startswith("_")):
            return False
        key = module.key(fn.qualname)
        callers = self.index.callers(key)
        return bool(callers) and all(switched_off_at(self.index, call, key, flag) for _m, _f, call in callers)

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
            if scheduled(self.index.functions[target][1], call):
                continue  # each runs alongside the others, not in turn
            if WRITES_OR_SENDS.search(target.rpartition(".")[2]):
                continue  # a save, create or send per item: that write is the cost, its lookups on the way are not the finding
            reach = self.index.reach_call(module.key(fn.qualname), target)
            rows = frozenset(lp.target for lp in loops if lp.target and lp.source is not None)  # names bound to rows, not keys
            if reach is None or any(step.call.conditional for step in reach.steps) or switched_off(self.index, call, target, reach, rows) \
                    or any(serializer_context.switched_off(self.index, module, fn, f, call.text) for f in (*(s.call.flag for s in reach.steps), reach.sink.flag)):
                continue  # reached only behind a guard in a callee (`if not self.configured: self.configure()`), or one this call turns off
            if reach.sink.framework == "django" and not self._django_manager_ok(reach.sink.api, reach.module):
                continue
            if self._carried_by_rows(module, fn, loops[0], reach):
                continue
            if not_a_lookup(reach):
                continue  # a savepoint, DDL or a grant per item: one statement each, which no IN list batches
            if (own := self.index.reach(target, CONNECTIONS)) is not None and items_own_database(self.index, call, target, own, loops):
                continue  # queries on the item's own database, through a connection made from it
            remote = reach.sink.kind == "http"
            chain = [shown(target)] + [shown(s.target) for s in reach.steps]
            where = f"{reach.module.path}:{reach.sink.span.line}"
            called = (f"`{chain[0]}` serializes each item" if target.endswith((ROWS, MANY))
                      else f"`{call.callee.rpartition('.')[2]}()` is called once per item")
            message = (f"{called} of the loop at line {loops[0].span.line} and reaches {'a remote call' if remote else 'a query'}: "
                       f"{' -> '.join(chain)} -> `{reach.sink.api}` ({where})")
            evidence = loop_evidence(module, loops)
            evidence.append(Evidence(role="call", message=calls(target), location=location(module, call.span, call.text)))
            evidence += reach_evidence(reach)
            confidence = "high" if reach.sink.confidence == "high" and len(reach.steps) < 4 else "medium"
            yield (module.path, fn.qualname, loops[0].id), recovery.recovered(self._paced(fn, loops[0], target, reach, sized(Finding(
                rule="NP105" if remote else "NP102",
                title="Remote call in a loop" if remote else "Query in a loop through a call",
                severity=Severity.high, confidence=Confidence(confidence), message=message,
                location=location(module, call.span, call.text), evidence=evidence,
                suggestion=FIXES["http" if remote else reach.sink.framework]
                + " Or give the called function a batch variant that takes all keys at once.",
            ), loops[0], rows_unknown=True)), call.recovery or reach.sink.recovery)

    def _paced(self, fn: Function, loop: Loop, target: str, reach: Reach, f: Finding) -> Finding:
        """A remote call per item through a function a rate limit decorates (onyx's connectors: `@rate_limit_builder(
        max_calls=100, period=60)` on `_make_request`, round 100: 3 judged WRONGFIX), or in a loop that pauses on every
        item (`time.sleep(settings.ACTIONNETWORK_SYNC_DELAY)` after each post: turnout's mover sync, round 148, judged
        WRONGFIX): the calls are spaced on purpose, so running them together gains nothing past the limit; `low`."""
        if f.rule != "NP105" or f.severity is Severity.low or _paused(fn, loop, f):
            return f
        for key in (target, *(step.target for step in reach.steps)):
            if paced := self.index.functions[key][1].paced:
                f.severity = Severity.low
                f.message += (f"; every call passes through `{key.rpartition('.')[2]}()`, which `{paced}` throttles on purpose, "
                              "so running them together gains nothing past that limit")
                break
        return f

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
            # always `low`: built before a loop, the rows fetched on the first pass answer later counts from Django's
            # result cache, so one extra query per call; built anew per item (`rows = lines.filter(code=line.code)` in
            # the loop), the loop queries per item whatever and the count adds a small query to that (GreaterWMS's
            # merges of repeated goods codes, round 186: 6 judged CHEAP; NP106 was worth a fix in 6 of 56 judged)
            rebuilt = any(lp.span.line < src.span.line <= lp.span.end_line and
                          lp.span.line <= counts[0].span.line <= lp.span.end_line for lp in fn.loops.values())
            yield Finding(
                rule="NP106", title="Queryset evaluated twice", severity=Severity.low, confidence=Confidence.high,
                message=(f"`{name}.{method}()` runs one query and fetching `{name}` at line {first_eval.span.line} runs another; "
                         f"the rows alone answer both" + (_REBUILT if rebuilt else
                                                          "; one extra query per call, worth a fix only where the code runs very often")),
                location=location(module, counts[0].span, counts[0].text),
                evidence=[
                    Evidence(role="queryset", message=f"built from: {src.text}", location=location(module, src.span, src.text)),
                    Evidence(role="query", message=counts[0].text, location=location(module, counts[0].span, counts[0].text)),
                    Evidence(role="query", message=first_eval.text, location=location(module, first_eval.span, first_eval.text)),
                ],
                suggestion=(f"Fetch once and use the rows: `rows = list({name})`, then `len(rows)` / `if rows:`; or fetch first and call "
                            f"`{name}.{method}()` afterwards, which Django answers from its result cache."),
            )


def detect(index: ProjectIndex, fetch_modes: bool = False) -> list[Finding]:
    return list(Detector(index, fetch_modes).run())


def _locks_each_row(f: Finding) -> bool:
    """Every query the finding counts per item locks its row (`select_for_update()`); one that does not is a cost to fix."""
    queries = [e.message for e in f.evidence if e.role == "query"]
    return bool(queries) and all(".select_for_update(" in q for q in queries)

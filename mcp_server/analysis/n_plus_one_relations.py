"""Relations loaded once per row (NP103/NP104) and deferred columns read per row: what the
loop's query lacks, through methods and helpers too, and the `select_related` / `prefetch_related` /
loader option that fixes it."""

from __future__ import annotations

import re
from typing import Iterator

from ..findings import Confidence, Evidence, Finding, Severity
from . import apis, deferred as sqla_deferred
from .facts import AUTO_PREFETCH, STR, UNKNOWN_COLUMNS, UNKNOWN_LOOKUP, Function, IterSource, Loop, ModuleFacts, Span, exclusive
from .eager_vetoes import vetoed
from .grouping import deepest, eager_fix, one_per_queryset
from .index_model import Model, Relation, ResolvedSource, eager_by_default, is_single, many_to_one
from .own_saves import function_at
from .n_plus_one_common import (
    RELATED_WRITES, WRITES_OR_SENDS, covered, stored, stores_a_file, handful_param, location, loop_evidence,
    one_object_origin, origin_evidence, requeried, sized,
)
from .receivers import RELOAD, QueryCost, RelationCost, Via, short, loop_target_calls
from .row_writes import QUIET
from .table_sizes import shared_lookup
from .templates import is_template
from .warmed_session import commits_each_pass, raises_unloaded, warmed_by


def _rows_key(loop: Loop, src: ResolvedSource, lookup: str) -> tuple | None:
    """For a loop over a variable (`for inv in rows`, `for i, inv in enumerate(rows)`): the relation read, the variable
    and what its rows are; loops over anything else (a query written in the loop, a call) make new row objects each
    time: None."""
    if loop.walks is None or loop.target is None:
        return None
    return (lookup, loop.walks, src.model.key, src.select, src.prefetch, tuple((p.path, o.span.line) for p, o in src.origin[1:]))


def _loaded_before(keys: list[tuple[Loop, tuple | None]]):
    """Several loops of one function over the same row objects (`rows = [r for r in rows if ...]` keeps them; a
    queryset walked again answers from its own cache) read the same relation, directly or in a method the row runs: the
    first loads it on every row and Django or SQLAlchemy keep it there, so only the first queries. A deeper read there
    loads the relation on the way (`p.center.office` first, then `p.center`: SmartElect's vote counts, round 133, judged
    CACHED); iSkyLIMS's statistics page walks one queryset of services three times, each reading its user through a
    method (round 168: 2 judged CACHED). The predicate: whether a loop's (`_rows_key`) read comes after the first."""
    first: dict[tuple, list[tuple[Loop, str]]] = {}
    for loop, key in keys:
        if key is not None:
            first.setdefault(key[1:], []).append((loop, key[0]))

    def loaded_before(loop: Loop, key: tuple | None) -> bool:
        # (not by a loop in the other branch of an `if`: sme-terceirizadas exports with one serializer or the other)
        return key is not None and any(earlier.span.line < loop.span.line and not exclusive(earlier, loop)
                                       and (lookup == key[0] or lookup.startswith(f"{key[0]}__")) for earlier, lookup in first[key[1:]])
    return loaded_before


class RelationRules:
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
        written = {a.loop for a in fn.relations if a.method and WRITES_OR_SENDS.search(a.method)}
        written |= {loop for c in fn.calls if WRITES_OR_SENDS.search(c.callee.rpartition(".")[2]) and not stores_a_file(c.callee) for loop in c.loops}
        writes_at = {e[2].line for h in module.hits if h.rule in ("PF201", "PF202") and h.severity != QUIET
                     for e in h.evidence if e[0] == "loop" and e[2]}
        written |= {i for i, lp in fn.loops.items() if lp.span.line in writes_at}
        direct: list[tuple[Loop, tuple | None, tuple]] = []  # relation findings of loops over rows, before the same rows' later loops go
        rewritten = _written_first(fn)
        # deepest reads first: `item.order.event.organizer` then `item.order.event`, which the first fix covers already
        for access in sorted(fn.relations, key=lambda a: -len(a.path)):
            loop = fn.loops.get(access.loop)
            if loop is None or loop.source is None or loop.small_literal or handful_param(self.index, module, fn, loop):
                continue
            src = source(loop)
            if src is None:
                continue
            miss = self._missing(src, access.path, access.method)
            if miss is not None and stored(loop, miss[0]):
                continue  # `row.client = c` earlier: the relation is set on the row, not loaded
            if miss is not None and rewritten.get((access.loop, access.path), access.span.line) < access.span.line:
                continue  # `row.tags.remove(t)` earlier in the iteration: the read must see that write, no prefetch can serve it
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
            lookups = [lookup]
            if kind == "select" and lookup.rpartition("__")[2] == access.path[-1] and (access.method == STR or (
                    access.method is None and is_template(module) and _renders(access.text, access.path))):
                # `{{ place.city }}` or `f"{place.city}"` runs City.__str__, which may read more
                lookups = self._through_str(src.model, lookup)
            for lookup in lookups:
                if covered(reported, access.loop, lookup):
                    continue
                reported.add((access.loop, lookup))
                direct.append((loop, _rows_key(loop, src, lookup), (module, fn, loop, access, src, lookup, rel_model, rel, kind)))
        if passes_rows:
            for call, loop, name in loop_target_calls(fn, fn.loops):
                if loop.small_literal or loop.pagination or loop.id in written or handful_param(self.index, module, fn, loop):
                    continue
                src = source(loop)
                if src is None:
                    continue
                serializer = loop.kind == "serializer"
                first = Via("serializer" if serializer else "call", module, call.span, call.text,
                            f"serialises each row with {call.callee.rpartition('.')[0]}" if serializer else f"passes each row to {short(call.callee)}",
                            (call.given[1], call.falsy))
                for cost in self.rows.of_call(src, module, call, name, first):
                    costs.setdefault((loop.id, call.span), (loop, src, []))[2].append(cost)
        # (a count or a filter on a relation queries whatever the rows hold: never answered by an earlier loop)
        before = _loaded_before([(loop, key) for loop, key, _ in direct] + [
            (loop, _rows_key(loop, src, c.miss[0])) for loop, src, found in costs.values() for c in found
            if isinstance(c, RelationCost) and not c.miss[3].startswith("always:")])
        # `row.refresh_from_db()` in the loop before the read: the reload drops what the loop's query loaded
        reloads = {a.loop: a.span.line for a in sorted(fn.relations, key=lambda a: -a.span.line) if not a.path and a.method == RELOAD}
        found = []
        for loop, key, args in direct:
            if not before(loop, key):
                finding = self._relation_finding(*args)
                access = args[3]
                found.append(_reloaded(finding) if access.loop in reloads and access.span.line > reloads[access.loop] else finding)
        yield from one_per_queryset(found)
        for loop, src, found in costs.values():
            relations = _one_per_read([c for c in found if isinstance(c, RelationCost)
                                       and (c.miss[3].startswith("always:") or not before(loop, _rows_key(loop, src, c.miss[0])))])
            if relations:
                if loop.kind == "serializer":
                    # each serializer field that loads a relation is a finding at its line, then the fields one call on
                    # the view's queryset loads are one finding: one problem, one fix (data-hub's ten Rating fields)
                    fields = (self._relations_through(module, fn, loop, src, [c], reported) for c in relations)
                    yield from one_per_queryset([f for f in fields if f is not None])
                else:
                    # a per-row aggregate has its own fix (an annotation): its own finding, at its own line
                    queries = [c for c in relations if c.miss[3].startswith("always:")]
                    for group in ([c for c in relations if c not in queries], *([c] for c in queries)):
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
            if stored(loop, lookup):
                continue
            if cost.miss[3].startswith("always:"):
                lookup = f"{lookup}:{cost.miss[3]}"  # no prefetch of the relation serves `.aggregate()`: its own finding
            if not covered(reported, loop.id, lookup):
                reported.add((loop.id, lookup))
                fresh.append(cost)
        if not fresh:
            return None
        lookup, rel_model, rel, kind = fresh[0].miss
        finding = self._relation_finding(module, fn, loop, None, src, lookup, rel_model, rel, kind, via=self._via(fresh[0].chain))
        if fresh[0].reloaded:
            return _reloaded(finding)
        more = [c.miss for c in fresh[1:]]
        if more:
            finding.message += f"; the same call also loads {', '.join(m[0].replace('__', '.') for m in more)} once per row"
            same = bool(finding.data) and "call" in finding.data and all(self._eager_call(m[3], src) == finding.data["call"] for m in more)
            if same:
                finding.data["lookups"] = deepest([finding.data["lookup"], *(src.prefix + m[0] for m in more)])
                finding.suggestion = eager_fix(finding.data)
            else:
                extra = [self._also_load(m, src) for m in more]
                finding.suggestion += f" Also {', '.join(extra)} for the other relations it reads."
        return finding

    def _also_load(self, miss: tuple, src: ResolvedSource) -> str:
        """The fix for one more relation a finding's reads load per row: SQLAlchemy's loader option, or Django's call."""
        lookup, _, _, kind = miss
        if src.model.framework == "sqlalchemy":
            return f"`.options({self._sqla_option(self._root_model(src), (src.prefix + lookup).split('__'))})`"
        return f"`{self._eager_call(kind, src) or 'annotate / Prefetch'}(\"{src.prefix + lookup}\")`"

    @staticmethod
    def _eager_call(kind: str, src: ResolvedSource) -> str | None:
        if kind.startswith("always:") or kind in ("dynamic", "lazy", "deferred"):
            return None
        return "select_related" if kind == "select" and not src.prefix else "prefetch_related"

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
        prev = None
        # a bare select_related() follows every non-null foreign key, and theirs, five levels deep (Django's max_depth):
        # pydici's `leads.select_related()` loads `lead.client.organisation.company`
        followed = src.all_select and not src.prefix
        for i, seg in enumerate(path):
            if model is None:
                return None
            rel = model.relations.get(seg)
            if rel is None:
                return None  # a column or a plain attribute
            if _back_of(prev, rel):
                # `revision.approval_request.revision`: Django caches the other side of a one-to-one it just loaded
                model, prefix, prev = self.index.models().get(rel.target or ""), [*prefix, seg], rel
                continue
            prev = rel
            lookup = "__".join([*prefix, seg])
            eager = src.select | src.prefetch
            # ("parent__*": under a relation the query leaves empty on every row, `filter(parent=None)`)
            loaded = lookup in eager or UNKNOWN_LOOKUP in eager or any(s.startswith(lookup + "__") for s in eager) \
                or any(s.endswith(f"__{UNKNOWN_LOOKUP}") and lookup.startswith(s[:-1]) for s in eager)
            if model.framework == "sqlalchemy":
                if rel.lazy in ("dynamic", "write_only"):
                    if i == len(path) - 1 and method in _APPENDS:
                        return None  # `item.revisions.append(rev)` on a dynamic relationship adds to the session: no SELECT
                    return (lookup, model, rel, "dynamic")
                if eager_by_default(rel) or loaded:
                    model, prefix = self.index.models().get(rel.target or ""), [*prefix, seg]
                    continue
                return (self._deepen(lookup, rel, path[i + 1:], sqlalchemy=True), model, rel, "lazy")
            if is_single(rel):
                # (a nullable one at the first level too, as always here: adding `select_related("x")` to the bare call
                # would replace it and drop the keys it follows, so that fix would be wrong)
                by_all = followed and rel.kind in ("fk", "o2o") and (not prefix or (not rel.null and i < 5))
                followed = by_all and not rel.null
                if loaded or by_all or rel.lazy == AUTO_PREFETCH:
                    # (django-auto-prefetch: the first row's access loads it for every row the query fetched: GovReady,
                    # round 102, judged PREFETCHED)
                    model, prefix = self.index.models().get(rel.target or ""), [*prefix, seg]
                    continue
                if self.index.polymorphic(rel.target):  # (select_related would load the base class)
                    return (self._deepen(lookup, rel, path[i + 1:], sqlalchemy=False, joined=False), model, rel, "prefetch")
                kind = "prefetch" if rel.kind == "gfk" else "select"
                return (lookup if kind == "prefetch" else self._deepen(lookup, rel, path[i + 1:], sqlalchemy=False), model, rel, kind)
            if i != len(path) - 1 or method is None:
                return None  # the manager itself, or an attribute of it: no query yet
            if method in RELATED_WRITES:
                return None  # a write per row: the batch-write rule (PF201) reports it with the right fix
            if method == "first" and (target := self.index.models().get(rel.target or "")) is not None and target.cls.ordered:
                # ordered by Meta.ordering, `first()` slices the prefetched rows instead of cloning with `order_by("pk")`
                # (Mediathread's `collaboration.first()`, round 73: 4 findings judged PREFETCHED)
                return (lookup, model, rel, "prefetch") if not loaded else None
            if method in apis.RELATED_ALWAYS_QUERY or method.startswith(apis.CUSTOM):
                return (lookup, model, rel, f"always:{method}")
            if method in apis.RELATED_CACHEABLE and not loaded:
                return (lookup, model, rel, "prefetch")
            return None
        return None

    def _through_str(self, model: Model, lookup: str, depth: int = 0) -> list[str]:
        """`city` -> [`city__spr__country`] when the template prints the row's city and `City.__str__` reads
        `self.spr.country` (GetTogether's places, round 82: `select_related("city")` judged incomplete three times); one
        lookup per relation path the `__str__` methods read, deepest first."""
        models, root = self.index.models(), model
        rel = list(relation_steps(models, model, lookup.split("__")))[-1][2]
        model = models.get(rel.target or "") if rel is not None else None
        key = self.index.find_method(model.key, "__str__") if model is not None and depth < 3 else None
        reads = self.index.functions[key][1].reads if key else ()
        paths = {self._deepen(lookup, rel, r.path, sqlalchemy=False) for r in reads if r.root == "self" and not r.conditional} - {lookup}
        # (a path another one extends is covered by it: `client__contact` by `client__contact__company`)
        deepest = sorted(p for p in paths if not any(q.startswith(f"{p}__") for q in paths))
        return sorted({d for p in deepest for d in self._through_str(root, p, depth + 1)}, key=lambda p: (-p.count("__"), p)) or [lookup]

    def _deepen(self, lookup: str, rel, rest: tuple[str, ...], sqlalchemy: bool, joined: bool = True) -> str:
        """Extend a missing lookup through the further relations the same access follows (`joined`: as far as one
        select_related() can, which stops before a polymorphic model)."""
        model = self.index.models().get(rel.target or "")
        for seg in rest:
            nxt = model.relations.get(seg) if model else None
            if nxt is None or (not sqlalchemy and not is_single(nxt)) or (sqlalchemy and eager_by_default(nxt)) or _back_of(rel, nxt) \
                    or (not sqlalchemy and nxt.kind == "gfk") or (not sqlalchemy and joined and self.index.polymorphic(nxt.target)):
                break  # (Django's select_related cannot follow a GenericForeignKey: FieldError; OpenCraft, round 64)
            lookup = f"{lookup}__{seg}"
            model, rel = self.index.models().get(nxt.target or ""), nxt
        return lookup

    def _relation_finding(self, module, fn, loop, access, src: ResolvedSource, lookup, rel_model: Model, rel, kind, via: list[Evidence] = ()) -> Finding:
        origin_module, origin = src.origin[-1]
        fix_module, fix_at, helper = self._fix_place(src)  # where the eager loading goes: the query, or a shared helper's call
        if kind == "deferred":
            return self._deferred_finding(module, loop, access, src, lookup, list(via))
        counted = False  # a per-row `.count()`: counted in the query, not prefetched (no prefetch patch either)
        if access is not None:
            method = access.method
            if method and method.startswith(apis.CUSTOM):
                method = f"all().{method.removeprefix(apis.CUSTOM)}"
            expr = ".".join([loop.target or "item", *access.path]) + (f".{method}()" if method and not (access.path and method == STR) else "")
        else:  # read inside a method or helper the loop runs per row: name the path as the row would spell it
            row = loop.target if loop.target and not loop.target.startswith("<") else "obj"
            expr = ".".join([row, *lookup.split("__")])
        root_lookup = src.prefix + lookup  # the fix goes on the outermost query, with the full path
        walked = walked_accessor(loop)
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
        sibling = None
        if src.model.framework == "sqlalchemy":
            owner = self._accessor_owner(src)
            if owner is not None:  # `for s in self.sessions:`: no statement here; the one that loaded the owner takes the option
                option = self._sqla_option(owner, [*origin.parent_path, *root_lookup.split("__")])
                statement = f"the statement that loads the {owner.key.rpartition('.')[2]} whose `{'.'.join(origin.parent_path)}` the loop at {origin_module.path}:{origin.span.line} walks"
            else:
                option = self._sqla_option(self._root_model(src), root_lookup.split("__"))
                statement = f"the statement at {origin_module.path}:{origin.span.line}"
            if kind == "dynamic":
                message = f"`{expr}` queries `{rel.name}` (lazy=\"{rel.lazy}\") once per {model_name} in the loop at line {loop.span.line}"
                suggestion = f"Make the relationship loadable in bulk (lazy=\"select\") and add `.options({option})` to {statement}, or query the children of all parents at once."
            else:
                message = (f"`{expr}` is lazy-loaded once per {model_name} in the loop at line {loop.span.line}: "
                           f"{statement} has no `{option}`")
                suggestion = (f"Add `.options({option})` to {statement}." if owner is not None else
                              f"Add `.options({option})` to the statement the loop iterates ({origin_module.path}:{origin.span.line}).")
                sibling = _loads_same_class(src, rel) if "__" not in root_lookup else None
                warm = warmed_by(self.index, module, fn, loop, rel) if sibling is None and "__" not in root_lookup and many_to_one(rel_model, rel) else None
                if sibling is not None:
                    message += (f"; the statement loads {rel_target} rows through `{sibling}` too, and a many-to-one lazy load takes its "
                                "row from the session's identity map before it queries, so it queries only for those not loaded")
                elif warm is not None:
                    sibling = warm[0]
                    message += (f"; the {rel_target} rows that `{warm[0]}` ({warm[1]}) loaded stay in the session's identity "
                                "map while that name holds them, and a many-to-one lazy load takes its row from there before it queries, "
                                f"so it queries only for a {rel_target} that statement did not load")
                elif "__" not in root_lookup and shared_lookup(self.index, rel) and many_to_one(rel_model, rel):
                    sibling = rel_target  # rows that share a handful of parents: a handful of queries (below: low)
                    message = (f"`{expr}` is lazy-loaded in the loop at line {loop.span.line} (the statement at "
                               f"{origin_module.path}:{origin.span.line} has no `{option}`), once per distinct {rel_target}, not once "
                               f"per {model_name}: {rel_target} is a lookup table by its name, which an administrator keeps to a "
                               "handful, and a many-to-one lazy load takes its row from the session's identity map before it queries")
                elif "__" not in root_lookup and many_to_one(rel_model, rel):
                    # true as stated whatever the data: per row when each row has its own, per distinct one when they share
                    message = (f"`{expr}` is lazy-loaded in the loop at line {loop.span.line}, once per distinct {rel_target} not "
                               f"already in the session (a many-to-one lazy load looks in the identity map first), which is once per "
                               f"{model_name} when each has its own: the statement at {origin_module.path}:{origin.span.line} has no `{option}`")
            rule, title = "NP104", "SQLAlchemy lazy load in a loop"
            if kind != "dynamic" and sibling is None and raises_unloaded(module, fn, expr):
                sibling = "asyncio"  # (low, below)
                message = (f"`{expr}` reads a relationship the statement at {origin_module.path}:{origin.span.line} does not load (no "
                           f"`{option}`), but the loop at line {loop.span.line} runs in a coroutine on SQLAlchemy's asyncio session, where reading an "
                           "unloaded relationship raises `MissingGreenlet` instead of querying: code that works has it loaded "
                           "already (a `lazy=\"selectin\"` relationship of rows loaded before, the session's identity map)")
            committed = commits_each_pass(self.index, module, loop) if access is not None else None
            if committed is not None:
                sibling = sibling or "commit"  # (low, below)
                message += (f"; the loop commits the session at line {committed}, which expires every loaded row, so after the "
                            "first commit each row reloads on access whatever the statement eager-loads")
                suggestion = ("Commit once after the loop (or in batches), or open the session with `expire_on_commit=False`; "
                              f"then {suggestion[0].lower()}{suggestion[1:]}")
        elif kind.startswith("always:"):
            method = kind.partition(":")[2]
            custom = method.startswith(apis.CUSTOM)
            method = method.removeprefix(apis.CUSTOM)
            message = (f"`{expr}` runs a query per {model_name} in the loop at line {loop.span.line}: "
                       f"`.{lookup.rpartition('__')[2]}.{'all().' if custom else ''}{method}()` queries even when the relation is prefetched")
            suggestion = (f"Prefetch the subset once: `.prefetch_related(Prefetch(\"{lookup}\", queryset=..., to_attr=...))`, "
                          f"or compute it in the main query with `annotate(...)` (e.g. `Count(\"{query_path(self.index.models(), src.model, lookup)}\", distinct=True)`).")
            if access is not None and access.keyed and method in _FILTERS:
                # `group.memberships.filter(updated_on__lte=cutoff)`, cutoff from the row: a Prefetch takes one queryset
                suggestion = (f"Its arguments change with each row (line {access.span.line}), so no single `Prefetch` serves them "
                              f"all: fetch the {rel_target} rows of every {model_name} in one query with the condition written on "
                              f"their own columns (`F(...)` on the joined {model_name}, or a `Subquery`) and group them by "
                              f"{model_name} in Python, or keep one query per row where the rows are few.")
            elif method in _CLONES or custom:  # `.all().select_related("remote")`: the rows want their own eager loading, not a count
                suggestion = (f"Prefetch them with their own loading once: `.prefetch_related(Prefetch(\"{lookup}\", queryset="
                              f"<{rel_target} queryset>.{method}(...)))` on the queryset at {origin_module.path}:{origin.span.line}, and "
                              f"read `.{lookup.rpartition('__')[2]}.all()`; `.{method}()` on the related manager starts a new query for each row.")
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
            polymorphic = rel_target if call == "prefetch_related" and is_single(rel) and rel.kind != "gfk" and self.index.polymorphic(rel.target) else ""
            suggestion = eager_fix({"call": call, "lookup": root_lookup, "path": fix_module.path, "line": fix_at.span.line,
                                    "through": walked, "helper": helper, "combined": fix_at.combined, "polymorphic": polymorphic})
            if src.prefix and requeried(loop.source):
                # `for au in allocation.allocationuser_set.filter(...)`: a new query per outer row, which no prefetch on the
                # outer queryset reaches; its own select_related does (Coldfront's users of a PI's allocations)
                call = "select_related" if kind == "select" else "prefetch_related"
                inner = f"{module.path}:{loop.source.span.line}"
                message = (f"`{expr}` loads {rel_model.key.rpartition('.')[2]}.{lookup.replace('__', '.')} once per row in the loop at "
                           f"line {loop.span.line}: the query that loop walks ({inner}) runs anew for each outer row and has no "
                           f"{call}(\"{lookup}\")")
                suggestion = (f"Add `.{call}(\"{lookup}\")` to the query the loop at line {loop.span.line} walks ({inner}): it runs anew "
                              "for each outer row, so a prefetch on the outer queryset would not reach it.")
            suggestion += _key_column(rel, lookup, src, access.text if access is not None else " ".join(e.location.snippet or "" for e in via if e.location))
            suggestion += _deferred_key(call, root_lookup, src)
            if access is None and _counts_in(via, lookup):
                expr += ".count()"  # read inside a method or a serializer: `return obj.enrolledmachine_set.count()`
            counted = expr.endswith(".count()") and call == "prefetch_related" and root_lookup == lookup and not walked
            if counted:
                # a prefetch serves `.count()`, but by loading every related row (a job's events, an inventory's hosts)
                alias = f"{lookup.replace('__', '_').removesuffix('_set')}_count"
                counted_as = query_path(self.index.models(), src.model, lookup)
                message = (f"`{expr}` counts {model_name}.{lookup.replace('__', '.')} with a query per row in the loop at line "
                           f"{loop.span.line}: the queryset at {origin_module.path}:{origin.span.line} has no annotation for it")
                if _filters_on(src, counted_as):
                    suggestion = (f"Add `.prefetch_related(\"{root_lookup}\")` to the queryset at {fix_module.path}:{fix_at.span.line}: "
                                  f"`{expr}` then counts the prefetched rows. Not `.annotate(Count(\"{counted_as}\"))`: the queryset "
                                  f"filters on `{counted_as}`, so the count would see only the rows that filter matched.")
                else:
                    # (dm_apps' citations, round 179: judged WRONGFIX where the rows were one project's references)
                    suggestion = (f"Count in the queryset at {fix_module.path}:{fix_at.span.line}: `.annotate({alias}=Count(\"{counted_as}\", distinct=True))`, and "
                                  f"read `.{alias}` instead of `{expr}` (`distinct=True` keeps the count right where the query also joins other "
                                  f"rows: a filter across another relation, a second annotation; where the rows are filtered on `{counted_as}` "
                                  f"itself, as the related rows of one {rel_target} are, the count would see only the matching rows: prefetch there). "
                                  f"`prefetch_related(\"{root_lookup}\")` would serve `.count()` too, but by loading every related row only to count them.")
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
        if rule in ("NP103", "NP107"):
            at = {"path": fix_module.path, "line": fix_at.span.line, **({"helper": helper} if helper else {}),
                  **({"combined": True} if fix_at.combined else {})}
        if rule == "NP104" and kind != "dynamic":
            data = {"option": option, "model": self._root_model(src).key.rpartition(".")[2], **at}
        elif rule in ("NP103", "NP107") and not kind.startswith("always:") and not counted \
                and not (src.prefix and requeried(loop.source)) and not (kind == "select" and _deferred_key(call, root_lookup, src)):
            # (through an outer loop over `parent.children.order_by(...)`, which queries anew, no prefetch on the root helps)
            data = {"call": call, "lookup": root_lookup, **at}
            if walked:
                data["through"] = walked
            if polymorphic:
                data["polymorphic"] = polymorphic
        else:
            data = None
        # rows already in the session (a handful of queries), or a commit per pass to fix first
        served = rule == "NP104" and kind == "lazy" and sibling is not None
        locked = counted and _locked(src)
        if locked:
            # Lego's pools (round 95, 4 judged WRONGFIX): the loop re-reads each count under the lock as it registers
            message += ("; the rows are locked with `select_for_update()`, which PostgreSQL refuses with the GROUP BY an "
                        "annotated count needs (and a count read under the lock is current when the loop acts on it)")
        outer = accessor_path(src.origin[-1][1]) if src.origin else ""  # the outermost rows: one handed object's `x.all()`
        veto = vetoed(fix_module.eager_vetoes, fix_at.span.line, root_lookup) if data is not None else None
        if veto is not None:
            message += f"; a comment above the queryset ({fix_module.path}:{veto[0]}) says not to eager-load it: \"{veto[1][:160]}\""
        return self._prefetched_elsewhere(sized(Finding(
            rule=rule, title=title, severity=Severity.low if served or locked or veto else Severity.high, confidence=Confidence.high if src.certain else Confidence.medium,
            message=message, location=access_loc, evidence=evidence, suggestion=suggestion, data=data), loop, origin_why=one_object_origin(src)),
            walked or outer, root_lookup, handed=bool(outer))

    def _fix_place(self, src: ResolvedSource) -> tuple[ModuleFacts, IterSource, str]:
        """Where the eager-loading fix goes: the query, unless a helper that other code calls too builds it (a manager's
        `filter_active()`, a `with_expiry_state()`): then the call of that helper nearest the loop, so the other callers
        do not load what they never read (Open Humans, TeamVault and Lookit, judged so). Also the helper's name there."""
        i, helper = len(src.origin) - 1, ""
        while i > 0:
            module, inner = src.origin[i]
            fn = function_at(module, inner.span.line)
            name = fn.qualname.rpartition(".")[2] if fn is not None else ""
            outer_module, outer = src.origin[i - 1]
            caller = function_at(outer_module, outer.span.line)
            if not name or not ((outer.callee or "").endswith(f".{name}") or outer.callee == name or name in outer.methods) \
                    or caller is None or caller is fn or "<" in caller.qualname or outer.span.line == caller.span.line \
                    or f"{name}(" not in outer.text:
                # not a call of the helper written in another function (`serializer_class`, a view's own `get_queryset`,
                # a loop over a name bound to what the helper returned)
                break
            if fn.returns_list or self.index.calls_named(name) < 2:
                break  # a list it returns takes no `.select_related()`; a helper with one call is this loop's own
            i, helper = i - 1, name
        return (*src.origin[i], helper)

    def _prefetched_elsewhere(self, f: Finding, through: str, lookup: str, handed: bool = False) -> Finding:
        """A relation read per row of one object's `through.all()`, where the project prefetches `through__lookup`
        somewhere: the callers that hand such objects on load it (prefetches.py). `low`, naming the prefetch. So too
        when loops nest below that one object (`lease.tenants.all()`, then each tenant's contacts, sized large as rows
        of each outer row: MVJ's lease reports, round 124, four judged PREFETCHED), when the outermost rows are the
        handed object's (`handed`)."""
        path = f"{through}__{lookup}"
        one_object = f.severity is Severity.medium or (handed and f.severity is Severity.high)
        if not through or not one_object or path not in self.index.prefetched_paths:
            return f
        f.severity = Severity.low
        f.message += (f"; the project prefetches `{path}` where it loads such objects, so the callers that use it run no query "
                      "here: worth a look only for a caller that does not")
        return f

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

    def _accessor_owner(self, src: ResolvedSource) -> Model | None:
        """The model whose related rows (`self.sessions`, `sketch.timelines`) the outermost loop walks, when the rows
        come from such an attribute rather than a statement."""
        mod, root = src.origin[-1]
        if root.kind != "accessor" or not root.parent_path or not root.model:
            return None
        owner = self.index.resolve_model(root.model, mod)
        return owner if owner is not None and owner.framework == "sqlalchemy" and root.parent_path[0] in owner.relations else None

    def _sqla_option(self, model: Model, path: list[str]) -> str:
        parts = []
        for seg, cur, rel in relation_steps(self.index.models(), model, path):
            loader = "joinedload" if rel is not None and (rel.many is False or many_to_one(cur, rel)) else "selectinload"
            owner = cur.key.rpartition(".")[2] if cur else "Model"
            parts.append(f"{loader}({owner}.{seg})")
        return ".".join(parts)


def _reloaded(finding: Finding) -> Finding:
    """The row is reloaded with `refresh_from_db()` before the relation is read: Django drops the relations cached on
    it, so `select_related`/`prefetch_related` on the loop's query would not help (read on real applications: a
    per-row recompute that refreshes first). Still a query per row, with the fix that works."""
    if finding.rule not in ("NP103", "NP107"):
        return finding
    finding.message += "; the row is reloaded with refresh_from_db() first, which drops the relations the loop's query loaded"
    finding.suggestion = ("Eager loading on the loop's queryset cannot serve this read: `refresh_from_db()` reloads the row and "
                          "drops its cached relations. Drop the reload when the row is fresh, or reload the relation with the row "
                          "(`Model.objects.select_related(...).get(pk=row.pk)`), or pass what the method needs in.")
    finding.data = None  # no automatic select_related fix: it would change nothing
    if finding.severity == Severity.high:
        finding.severity = Severity.medium
    return finding


def _loads_same_class(src: ResolvedSource, rel) -> str | None:
    """For a to-one relationship: another relationship the statement eager-loads whose rows are of the same class
    (`subqueryload(Bill.owers)` loads the Person rows `bill.payer` names), so the lazy load finds them in the session."""
    if rel.many is True or rel.target is None:
        return None
    for lookup in sorted(src.select | src.prefetch):
        other = src.model.relations.get(lookup.split("__")[0])
        if other is not None and other.name != rel.name and other.target == rel.target:
            return other.name
    return None


def _written_first(fn: Function) -> dict[tuple[int, tuple[str, ...]], int]:
    """The first line each loop writes each related manager of its row on (`dataset.members.remove(*gone)`): a read of
    that manager after it, in the same iteration, asks for the rows as the write left them, which no prefetch made
    before the loop holds (seqr's dataset clean-up, `remove(...)` then `exists()`: judged WRONGFIX). The write itself is
    the per-row cost, PF201's business."""
    out: dict[tuple[int, tuple[str, ...]], int] = {}
    for a in fn.relations:
        if a.method in RELATED_WRITES and a.path:
            key = (a.loop, a.path)
            out[key] = min(out.get(key, a.span.line), a.span.line)
    return out


def walked_accessor(loop: Loop) -> str:
    """`for dt in debate.debateteam_set.all():` walks the accessor `debateteam_set` of one object, as a prefetch of it
    would serve it ("" for anything else: a filtered accessor already queries anew)."""
    return accessor_path(loop.source)


def accessor_path(src) -> str:
    """The accessor path of a source that is one object's `x.<path>.all()` ("" for any other source)."""
    if src is None or src.kind != "accessor" or not src.parent_path or not re.search(rf"\.{re.escape(src.parent_path[-1])}\.all\(\)", src.text):
        return ""
    return "__".join(src.parent_path)


def _key_column(rel, lookup: str, src: ResolvedSource, read: str) -> str:
    """`obj.database.id` loads the row only to read the key its own column holds: `obj.database_id` needs no query."""
    if rel.kind not in ("fk", "o2o") or "__" in lookup or src.prefix:
        return ""
    m = re.search(rf"(\w+)\.{re.escape(rel.name)}\.(?:id|pk)\b", read)
    if m is None:
        return ""
    return (f" Where only its key is read (`{m.group(0)}`), read `{m.group(1)}.{rel.name}_id` instead: the key is a column of "
            "the row, so no query and no join.")


def _deferred_key(call: str, lookup: str, src: ResolvedSource) -> str:
    """`.only("title")` leaves the relation's key column out: Django refuses `select_related` on a deferred field
    (FieldError), and reading the key column loads it one query per row (HydroShare's `.only(...)` listings, round 56)."""
    first = lookup.partition("__")[0]
    if call != "select_related" or src.prefix:
        return ""
    if src.only is None:
        # `.only(*fields["PropertyState"])`: which columns is not known here (SEED's mapping results, round 74: the bare
        # select_related judged WRONGFIX twice), so say what to check
        if UNKNOWN_COLUMNS in src.defer:
            return (f" The queryset's `.only(...)` names its columns from a variable: if they leave `{first}` out, add it there "
                    "too, since Django refuses to follow a deferred field with select_related.")
        return ""
    if first in src.only:
        return ""
    return (f" The queryset's `.only(...)` leaves `{first}` out: add \"{first}\" to it as well, since Django refuses to "
            "follow a deferred field with select_related.")



_FILTERS = frozenset({"filter", "exclude", "get", "first", "last", "exists", "count", "aggregate", "annotate"})
_CLONES = frozenset({"select_related", "prefetch_related", "only", "defer", "distinct"})  # related rows refetched with other loading


def _renders(text: str, path: tuple[str, ...]) -> bool:
    """`{{ place.city }}` (or `{{ place.city|upper }}`): the template prints the related object, through its `__str__`."""
    return bool(path) and re.search(rf"\{{\{{\s*\w+\.{re.escape('.'.join(path))}\s*(\}}\}}|\|)", text) is not None


def query_path(models: dict[str, Model], model: Model | None, lookup: str) -> str:
    """The lookup as a query spells it from `model`: a reverse relation's accessor `debateteam_set` is `debateteam` in
    `Count(...)` and `filter(...)`, though `prefetch_related` takes the accessor; one named `related_name="cfp_review_set"`
    keeps that name (PyCon Korea's reviews, round 80: `Count("cfp_review")` raises FieldError)."""
    return "__".join(step.removesuffix("_set") if rel is None else rel.query or step
                     for step, _owner, rel in relation_steps(models, model, lookup.split("__")))


def _filters_on(src: ResolvedSource, lookup: str) -> bool:
    """The loop's query filters across `lookup` (`entries.filter(organizations=org)`): an annotated Count over the same
    relation would reuse that join and count only what the filter matched (dm_apps' capacity report, round 179)."""
    across = re.compile(rf"\.filter\([^)]*\b{re.escape(lookup)}(=|__)")
    return any(across.search(origin.text) for _module, origin in src.origin)


def relation_steps(models: dict[str, Model], model: Model | None, steps) -> Iterator[tuple[str, Model | None, Relation | None]]:
    """Each step of a lookup path with the model it starts from and the relation it follows (None past what the
    project's models say), walking from `model`."""
    for step in steps:
        rel = model.relations.get(step) if model is not None else None
        yield step, model, rel
        model = models.get(rel.target or "") if rel is not None else None


_APPENDS = frozenset({"append", "extend", "remove"})  # a dynamic relationship's writes (AppenderQuery): no SELECT


def _back_of(prev, rel) -> bool:
    """`rel` leads back over the one-to-one `prev` just followed, which Django caches on both sides."""
    if prev is None:
        return False
    return (prev.kind == "reverse_o2o" and rel.kind == "o2o" and prev.back == rel.name) or \
        (prev.kind == "o2o" and rel.kind == "reverse_o2o" and rel.back == prev.name)


def _counts_in(via, lookup: str) -> bool:
    """The read a method or serializer does per row is the relation's `.count()`."""
    tail = f".{lookup.rpartition('__')[2]}.count()"
    return any(e.location and e.location.snippet and tail in e.location.snippet for e in via[-1:])


def _locked(src: ResolvedSource) -> bool:
    """The loop's rows come from a `select_for_update()` queryset."""
    return any(origin.locked for _module, origin in src.origin)


def _one_per_read(costs: list[RelationCost]) -> list[RelationCost]:
    """A relation a line reads both through a query no prefetch serves and plainly (`obj.contacts.filter(main=True).first()
    or obj.contacts.first()`) is one problem at that line, the query's: eager loading the relation would leave its
    `filter()` querying per row (a construction ERP's contacts, round 342: the second finding judged WRONGFIX)."""
    def read(c: RelationCost) -> tuple:  # the relation and the line reading it
        return c.miss[0], c.chain[-1].module.path, c.chain[-1].span.line
    always = {read(c) for c in costs if c.miss[3].startswith("always:")}
    return [c for c in costs if c.miss[3].startswith("always:") or read(c) not in always]

"""Per-row queries hidden in what a loop does with each row: the methods and properties of the row's model it
calls, and the functions it hands the row to.

Each function's facts carry its summary, parametric in its receiver and parameters (`Function.reads`: "reads
relation `entries` of self and calls aggregate()"; `Call.args`: "passes parameter `row` on to `helper`"). Applied
to a row of a loop whose query is known, a summary step that reads a relation the query did not load, or a
model method that reaches a query, costs one query per row: the chain loop -> call -> ... -> read is the evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator

from . import apis, chosen, serializer_context
from .facts import STR, UNKNOWN_LOOKUP, Call, Function, Loop, ModuleFacts, Sink, Span
from .index_model import Reach, is_single
from .own_saves import function_at
from .serializers import MANY, MANY_ONLY, PK_FIELD, ROWS
from .templates import display

if TYPE_CHECKING:
    from .index import ProjectIndex
    from .index_model import Model, ResolvedSource
    from .n_plus_one import Detector

MAX_DEPTH = 4  # method -> helper -> method ... deeper than real code hides a row's relation
# A row saved or deleted per item is a write per row (PF201, batched with bulk_update): the relations an
# overridden save() reads on the way are not the problem to report.
WRITES = frozenset({"save", "delete", "full_clean", "clean", "clean_fields", "validate_unique"})


@dataclass(frozen=True)
class Via:
    """One step from the loop to the cost: a call of a method or function, or the read inside it."""

    role: str  # "call" | "read" | "serializer" (DRF's own loop handing each row to a serializer)
    module: ModuleFacts
    span: Span
    text: str
    message: str
    given: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())  # a call's keywords, and those passed as False or None


@dataclass(frozen=True)
class RelationCost:
    miss: tuple  # Detector._missing's answer: (lookup, model, relation, kind)
    chain: tuple[Via, ...]
    reloaded: bool = False  # read after the method's own `self.refresh_from_db()`: eager loading on the loop cannot serve it


@dataclass(frozen=True)
class QueryCost:
    reach: Reach
    chain: tuple[Via, ...]


class RowSummaries:
    def __init__(self, index: ProjectIndex, detector: Detector):
        self.index = index
        self.detector = detector

    def of_access(self, src: ResolvedSource, path: tuple[str, ...], method: str | None, first: Via) -> Iterator[RelationCost | QueryCost]:
        """`row.<path>.<method>()` in the loop: what the model methods and properties it runs cost per row."""
        yield from self._walk(src, (), path, method, (first,), 0)

    def of_call(self, src: ResolvedSource, module: ModuleFacts, call: Call, root: str, first: Via) -> Iterator[RelationCost | QueryCost]:
        """`helper(row)` in the loop: what helper does with the row, per row."""
        yield from self._handed_on(src, (), module, call, root, (first,), 0)

    # -- walking ---------------------------------------------------------------------------------------------
    def _model_at(self, src: ResolvedSource, prefix: tuple[str, ...]) -> Model | None:
        model: Model | None = src.model
        for seg in prefix:
            rel = model.relations.get(seg) if model else None
            if rel is None or not is_single(rel):
                return None
            model = self.index.models().get(rel.target or "")
        return model

    def _walk(self, src, prefix: tuple[str, ...], path: tuple[str, ...], method: str | None, chain: tuple[Via, ...], depth: int):
        """Follow single relations along `path` from the model at `prefix`; a property or a method met on the way runs."""
        model = self._model_at(src, prefix)
        at = list(prefix)
        for i, seg in enumerate(path):
            if model is None:
                return
            rel = model.relations.get(seg)
            if rel is not None:
                if not is_single(rel):
                    return  # a related manager: the loop's own relation check (NP103) reads it
                at.append(seg)
                model = self.index.models().get(rel.target or "")
                continue
            if not at and seg in src.annotated:
                return  # `.annotate(num_voters=Count(...))` set it on each row: the property of that name never runs
            key = self.index.find_method(model.key, seg)
            if key is not None and self.index.functions[key][1].prop:
                yield from self._run(src, tuple(at), key, chain, depth)
            return  # a column, a plain attribute, or what a property returned: nothing more we can follow
        if method and model is not None and method not in WRITES and (at or method not in src.annotated):
            key = self.index.find_method(model.key, method)
            if key is not None:
                yield from self._run(src, tuple(at), key, chain, depth)
            elif method in apis.THIRD_PARTY_ROW_QUERIES and model.framework == "django":
                # a tree or polymorphic extension's API (mptt, treebeard, polymorphic...): one query per call
                last = chain[-1]
                sink = Sink("db", f"{model.key.rpartition('.')[2]}.{method}", "django", last.span, (), False, "medium", None, last.text)
                yield QueryCost(Reach((), last.module, sink), chain)

    def _run(self, src, prefix: tuple[str, ...], key: str, chain: tuple[Via, ...], depth: int):
        """A method or property of the row's model runs once per row: its queries and its reads of `self`."""
        module, fn = self.index.functions[key]
        if fn.cache_aside or _answered(src, prefix, fn, "self"):
            return
        reach = self.index.reach(key)
        if reach is not None:
            if _provided(src, prefix, reach.steps[0].call.flag if reach.steps else reach.sink.flag, "self"):
                return  # the query runs only for a row without what the loop's queryset put on every row
            if not reach.sink.conditional and not any(step.call.conditional or step.call.deferred for step in reach.steps):
                yield QueryCost(reach, chain)  # a query behind a guard (`if not self.configured:`) is not one per row
            return
        yield from self._summary(src, prefix, key, "self", chain, depth + 1)

    def _summary(self, src, prefix: tuple[str, ...], key: str, root: str, chain: tuple[Via, ...], depth: int):
        if depth > MAX_DEPTH:
            return
        module, fn = self.index.functions[key]
        if fn.cache_aside or _answered(src, prefix, fn, root):
            return
        # what the function reads on every call: `if row.client:` makes `row.client.trade_names` below it count too
        always = {r.path for r in fn.reads if r.root == root and not r.conditional}
        reload_at = min((r.span.line for r in fn.reads if r.root == root and not r.path and r.method == RELOAD and not r.conditional), default=None)
        for read in fn.reads:
            if read.root != root:
                continue
            if read.conditional and not any(read.path[:n] in always for n in range(1, len(read.path))):
                continue  # a read under a guard or in a callback may never run: not worth a reader's time
            if read.flag and read.flag.startswith(PK_FIELD):
                if not self._writes_out(read.flag[len(PK_FIELD):], module):
                    continue  # a key-only related field (serializers._field): the row is not loaded
            elif read.flag and (passed_off(read.flag, chain[-1].text, chain[-1].given) or _provided(src, prefix, read.flag, root)
                              or self._context_off(chain, read.flag) or _chosen_off(key, fn, chain[-1].text, read.flag)
                              or left_off(read.flag, fn, chain[-1].text)):
                continue  # `t.serialize_for_event(keys_only=True)` never reaches what follows `if keys_only: return d`
            step = Via("read", module, read.span, read.text, f"{short(key)} reads {read.text}")
            if read.method == MANY_ONLY:  # a Meta.fields name: only a to-many relation costs a query (a FK serialises its id)
                owner = self._model_at(src, (*prefix, *read.path[:-1]))
                rel = owner.relations.get(read.path[-1]) if owner else None
                if rel is None or is_single(rel) or rel.kind == "generic_rel":
                    # (DRF serialises a GenericRelation it is not told how to as a read-only field of the related
                    # manager, which queries nothing: Scirius's user actions, round 186: judged NOTQUERY)
                    continue
                miss = self.detector._missing(src, (*prefix, *read.path), "all")
                if miss is not None:
                    yield RelationCost(miss, (*chain, step))
                continue
            miss = self.detector._missing(src, (*prefix, *read.path), read.method)
            if miss is not None:
                reloaded = reload_at is not None and not prefix and read.span.line > reload_at
                deeper = self.detector._through_str(src.model, miss[0]) if read.method == STR and miss[3] == "select" \
                    and miss[0].rpartition("__")[2] == read.path[-1] else [miss[0]]
                for lookup in deeper:  # printed: what its __str__ reads too (Compute Studio's `str(project)`, round 177)
                    yield RelationCost((lookup, *miss[1:]), (*chain, step), reloaded)
            elif read.path or read.method:
                yield from self._walk(src, prefix, read.path, read.method, (*chain, step), depth)
        for call in fn.calls:
            if call.flag and (passed_off(call.flag, chain[-1].text, chain[-1].given) or _provided(src, prefix, call.flag, root)
                              or self._context_off(chain, call.flag) or _chosen_off(key, fn, chain[-1].text, call.flag)):
                continue  # under `if copr_chroot is None:` when the caller passes it: never runs for this caller
            if not call.conditional and not call.deferred:
                yield from self._handed_on(src, prefix, module, call, root, chain, depth)

    def _writes_out(self, field_class: str, module: ModuleFacts) -> bool:
        """A PrimaryKeyRelatedField subclass the project writes loads the row only when it (or a project base) changes
        how the value is written (`to_representation`, `use_pk_only_optimization`: OnCall's reads another column);
        one that only narrows `get_queryset()` for input keeps DRF's key-only output (the Green Web Foundation's and
        Cohort360's user-filtered fields, round 180: 3 judged NOTQUERY). A library's subclass keeps it too."""
        key = self.index.resolve_class(field_class, module)
        return key is not None and any(self.index.find_method(key, name) is not None for name in _WRITES_OUT)

    def _context_off(self, chain: tuple[Via, ...], flag: str) -> bool:
        """Under `if self.context.get(key):` of a serializer the loop's view never gives that key, or under a test of the
        request's method that a list's GET fails (serializer_context.py)."""
        if not flag.lstrip("!").startswith((serializer_context.CTX, serializer_context.VERB)):
            return False
        first = chain[0]
        fn = function_at(first.module, first.span.line)
        return fn is not None and serializer_context.switched_off(self.index, first.module, fn, flag, first.text)

    def _handed_on(self, src, prefix: tuple[str, ...], module: ModuleFacts, call: Call, root: str, chain: tuple[Via, ...], depth: int):
        """The row passed as an argument: the callee's summary for that parameter."""
        # the row itself, or one of its relations (`helper(row.client)`): the callee's reads start there
        positions = [(i, tuple(a.split(".")[1:])) for i, a in enumerate(call.args) if a and (a == root or a.startswith(root + "."))]
        names = [k for k, v in call.kwargs if v == root]
        if not positions and not names:
            return
        target = self.index.resolve_function(call.callee, module)
        if target is None:
            return
        fn = self.index.functions[target][1]
        shift = 1 if fn.params[:1] in (("self",), ("cls",)) else 0
        params = [(fn.params[i + shift], extra) for i, extra in positions if i + shift < len(fn.params)]
        params += [(n, ()) for n in names if n in fn.params]
        step = Via("call", module, call.span, call.text, f"passes the row to {short(target)}", (call.given[1], call.falsy))
        # a synthetic step at the very place of the last one (DRF's loop handing the row to the serializer) says nothing new
        steps = (*chain, step) if call.span != chain[-1].span else chain
        for param, extra in params:
            if extra and self._model_at(src, (*prefix, *extra)) is None:
                continue  # not a chain of to-one relations: nothing the loop's query could load
            yield from self._summary(src, (*prefix, *extra), target, param, steps, depth + 1)


def _chosen_off(key: str, fn: Function, call_text: str, flag: str) -> bool:
    """The call into `fn`, as written, passes a string its test of the parameter (`if level == "full":`) refuses."""
    name = chosen.parameter(flag)
    return bool(name) and chosen.refused(flag, chosen.written_string(call_text, key.rpartition(".")[2], fn, name))


def passed_off(flag: str, call_text: str, given: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())) -> bool:
    """The call, as written, switches off what runs under `flag` in its callee: `keys_only=True` for "!keys_only" (what
    follows `if keys_only: return`), `user=None` for "user" (what follows `if not user: return`). Keywords only:
    `given` (the call's keywords, and those passed as False or None) when known, which a call over several lines needs."""
    name = flag.lstrip("!")
    if not name.isidentifier():
        return False
    if name in given[0]:
        falsy = name in given[1]
    else:
        found = re.search(rf"\b{name}\s*=\s*([\w.]+)", call_text)
        if found is None:
            return False
        falsy = found.group(1) in ("False", "None", "0")
    return falsy if not flag.startswith("!") else not falsy


def left_off(flag: str, fn: Function, call_text: str) -> bool:
    """`p.dump()` leaving `with_documentation=False` as it is: what `dump` reads under `if with_documentation:` (or in
    `self.documentation if with_documentation else None`) never runs (Renku's projects, round 154: 2 judged NOTQUERY).
    Nor a call whose positional arguments stop before the flag's place: `_serialize_audit(ev)` leaving
    `include_actor_email=False` (a gym manager's dashboard, round 299: judged NOTQUERY). A `*args` may hold it."""
    if flag.startswith("!") or flag not in fn.off_by_default:
        return False
    called = re.search(rf"\b{re.escape(fn.qualname.rpartition('.')[2])}\(([^()]*)\)", call_text)
    if called is None:
        return False
    args = [a.strip() for a in called.group(1).split(",") if a.strip()]
    if any(a.startswith("*") or a.partition("=")[0].strip() == flag for a in args):
        return False
    positional = sum("=" not in a for a in args)
    shift = 1 if fn.cls and fn.params[:1] in (("self",), ("cls",)) else 0
    return flag in fn.params and fn.params.index(flag) - shift >= positional


_WRITES_OUT = ("to_representation", "use_pk_only_optimization")  # what makes a key field's output more than the key
RELOAD = "refresh_from_db"  # Django reloads the row's fields and drops the relations cached on it


def loop_target_calls(fn: Function, loops: dict[int, Loop]) -> Iterator[tuple[Call, Loop, str]]:
    """Calls in a loop that pass the loop's row on: (the call, the loop, the row's name)."""
    for call in fn.calls:
        if not (call.args or call.kwargs) or call.deferred:
            continue
        names = {a for a in call.args if a} | {v for _, v in call.kwargs}
        for loop_id in call.loops:
            loop = loops.get(loop_id)
            if loop is not None and loop.target in names and loop.source is not None:
                yield call, loop, loop.target
                break


def short(key: str) -> str:
    if key.startswith("template:"):
        return display(key)
    parts = key.removesuffix(f".{ROWS}").removesuffix(f".{MANY}").split(".")
    return ".".join(parts[-2:]) if len(parts) > 1 else key


def _answered(src, prefix: tuple[str, ...], fn, root: str) -> bool:
    """The function hands back what the loop's queryset put on the row before it would query (answered.py)."""
    return fn.answered is not None and fn.answered[0] == root and carried(src, prefix, fn.answered[1])


def _provided(src, prefix: tuple[str, ...], flag: str | None, root: str) -> bool:
    """What runs under `flag` runs only for a row without an attribute the loop's queryset sets on every row: under the
    `else` of `if hasattr(row, "prefetched_modes"):` (flow.has_flag), or after it returns."""
    return bool(flag) and flag.startswith(f"!has:{root}.") and carried(src, prefix, flag.rpartition(".")[2])


def carried(src, prefix: tuple[str, ...], attr: str) -> bool:
    """The loop's queryset sets `attr` on each row at `prefix`: `.annotate(attr=...)` (on the rows themselves), or
    `Prefetch(..., to_attr="attr")` (MITx Online's `prefetched_enrollment_modes` on each run of an enrollment)."""
    key = "__".join((*prefix, attr))  # `prefetch_related("lines__sublines")` carries `lines` too
    return (not prefix and attr in src.annotated) or any(p == key or p.startswith(f"{key}__") or p == UNKNOWN_LOOKUP for p in src.prefetch)

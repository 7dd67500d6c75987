"""Loops whose iterations hand each other their answers: a redirect followed hop by hop, a folder path walked one
segment at a time, a cursor carried from page to page. A query or a remote call there is one step of a chain, not one
per independent item: no IN list or `gather` can take the steps together (Skyvern's redirect loops and Outlook folder
walk, onyx's paging: round 102, judged WRONGFIX). Such calls get the loop key CHAINED, which the N+1 rules and PF301
leave alone."""

from __future__ import annotations

import ast

from .facts import CHAINED
from .reader import LoopState

__all__ = ["CHAINED", "carried", "chained"]

_ASSIGNS = (ast.Assign, ast.AugAssign, ast.AnnAssign)


def carried(state: LoopState) -> frozenset[str]:
    """Names whose value each iteration takes from the one before: read in the body no later than the body first assigns
    them (`folder_id = await find(folder_id, part)`; `current_url = next_url` after `get(current_url)`), and what the body
    builds from them (`kwargs["url"] = current_url`, a function defined in the body that reads them). Once per loop, in one
    walk of its body (the hook runs this on every loop of an edited file)."""
    if state.chained is None:
        reads: dict[str, int] = {}
        writes: dict[str, int] = {}
        binders: list[ast.AST] = []  # assignments and function definitions: what may be built from a carried name
        for stmt in state.body:
            for n in ast.walk(stmt):
                kind = type(n)
                if kind is ast.Name:
                    if type(n.ctx) is ast.Load:
                        reads[n.id] = min(reads.get(n.id, n.lineno), n.lineno)
                elif kind in _ASSIGNS and n.value is not None:
                    binders.append(n)
                    if not _fresh(n.value):
                        # (not `batch = []` or `count = 0` after a flush: a reset, not an answer handed on)
                        for target in (n.targets if kind is ast.Assign else [n.target]):
                            for m in (target.elts if type(target) in (ast.Tuple, ast.List) else [target]):
                                if type(m) is ast.Name:  # a name bound anew (not `job["x"] = ...`, which keeps `job`)
                                    writes[m.id] = min(writes.get(m.id, m.lineno), m.lineno)
                elif kind in (ast.FunctionDef, ast.AsyncFunctionDef):
                    binders.append(n)
        names = {name for name, line in writes.items() if reads.get(name, line + 1) <= line} - state.target_names
        if names:  # (most loops carry nothing: the second reading is only for those that do)
            built = [_bound_from(n) for n in binders]
            while more := {b for bound, read in built if read & names for b in bound} - names:
                names |= more
        state.chained = frozenset(names)
    return state.chained


def _bound_from(n: ast.AST) -> tuple[set[str], set[str]]:
    """(the names an assignment or a function definition binds, the names it reads to bind them)."""
    if type(n) in (ast.FunctionDef, ast.AsyncFunctionDef):
        return {n.name}, {m for s in n.body for m in _names(s)}
    targets = n.targets if type(n) is ast.Assign else [n.target]
    return {m.id for t in targets for m in ast.walk(t.value if type(t) is ast.Subscript else t) if type(m) is ast.Name}, _names(n.value)


def _names(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if type(n) is ast.Name}


def _fresh(value: ast.AST) -> bool:
    """A value made anew, not taken from anything: a constant, an empty container, `list()`."""
    if type(value) is ast.Constant:
        return True
    if type(value) in (ast.List, ast.Tuple, ast.Set, ast.Dict):
        return not (value.keys if type(value) is ast.Dict else value.elts)
    return type(value) is ast.Call and type(value.func) is ast.Name and value.func.id in ("list", "dict", "set") and not value.args


def chained(calls: list[ast.Call], state: LoopState) -> bool:
    """The call (and the calls chained on it) takes a carried name: as an argument, as its receiver, or as the function
    the loop's body defined and calls."""
    if not state.rebound & state.before:
        # the body binds no name that had a value when the loop began: nothing is carried, since a name read before the
        # body binds it must have had one
        return False
    parts = [part for call in calls for part in (call.func, *call.args, *(k.value for k in call.keywords))]
    used = {n.id for part in parts for n in ast.walk(part) if type(n) is ast.Name}
    if not used & state.rebound:
        return False  # it takes nothing the body binds: the hook reads no loop body for it
    names = carried(state)
    return bool(names & used)

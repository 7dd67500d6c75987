"""PF901: the same work (compiling, parsing, sorting, copying) repeated on every iteration with
arguments that never change."""

from __future__ import annotations

import ast

from .nodes import dotted
from .pattern_state import LoopInfo

HOIST_CALLS = {
    "re.compile": "compiles the same pattern",
    "json.loads": "parses the same JSON",
    "json.load": "parses the same JSON",
    "datetime.strptime": "parses the same date",
    "datetime.datetime.strptime": "parses the same date",
    "datetime.date.fromisoformat": "parses the same date",
    "datetime.datetime.fromisoformat": "parses the same date",
    "sorted": "sorts the same collection",
    "copy.deepcopy": "copies the same collection",
    "copy.copy": "copies the same collection",
}


class RepeatedWork:
    # PF901 ------------------------------------------------------------------------------------------------
    def repeated_work(self, node: ast.Call, loops: tuple[LoopInfo, ...], loop: LoopInfo, full: str, method: str | None) -> None:
        what = HOIST_CALLS.get(full)  # (a Decimal constant is ~100 ns and the money idiom: not worth a finding)
        args = [*node.args, *(k.value for k in node.keywords)]
        if what is None and method == "copy" and not args and isinstance(node.func.value, ast.Name):
            what, args = "copies the same collection", [node.func.value]
        if what is None or not args or id(node) in self.harmless or id(node) in self.once:
            return
        if full in ("sorted", "copy.deepcopy", "copy.copy") or method == "copy":
            target = args[0]
            if not isinstance(target, ast.Name) or any(target.id in (lp.bound | lp.mutated) for lp in loops):
                return
        if self.bound_in(node, loops):
            return
        shown = (dotted(node.func) or method or "call") + "(...)"
        self.hit("PF901", node, f"`{shown}` {what} on every iteration of the loop at line {loop.node.lineno}; its arguments never change",
                 "high", [self.loop_evidence(loop)])


HOIST_NAMES = frozenset({name.rpartition(".")[2] for name in HOIST_CALLS} | {"copy"})

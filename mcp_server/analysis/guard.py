"""One function the engine cannot analyse must not cost the user the whole scan: its findings are dropped, the
scan goes on, and the report names the function and the error, so the gap is visible and can be reported."""

from __future__ import annotations

from typing import Callable, TypeVar

from .facts import Function, ModuleFacts

T = TypeVar("T")


class Failures(list):
    """(path, message) per function whose analysis raised; the report's input problems."""

    def guarded(self, module: ModuleFacts, fn: Function, work: Callable[[], T], default: T) -> T:
        """`work()` (which must finish its own generators, so a failure is caught here), or `default` if it raised."""
        try:
            return work()
        except Exception as e:  # (RecursionError included) a bug of ours on code nobody foresaw, never the user's fault
            self.append((f"{module.path}:{fn.span.line}",
                         f"internal error analysing `{fn.qualname}` ({type(e).__name__}: {str(e)[:120]}): its findings are "
                         "missing from this report; the rest stands. Please report it"))
            return default

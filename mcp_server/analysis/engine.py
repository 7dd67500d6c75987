"""The static engine, from parsed modules to plain findings: link them into the project index, run the
detectors, and the filters every caller applies (rule selection, suppression comments).

No pydantic here: the Claude Code hook runs this on every edit (see mcp_server.findings); scan.py turns
the findings into the shared result model for the tools.
"""

from __future__ import annotations

import functools
import gc
from contextlib import contextmanager
from typing import Iterable

from ..findings import Finding
from .facts import ModuleFacts
from .grouping import one_connection_per_loop, one_per_coroutine, one_per_module_on_the_database
from .index import ProjectIndex
from .n_plus_one import detect
from .own_saves import function_at
from .versions import fit_advice, has_fetch_modes


@contextmanager
def no_gc():
    """The facts are millions of small acyclic objects: the cyclic collector would walk them again and again (it
    doubled the time to link django's 885 modules) and never free one. Off while they are built, as before after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def analyse(modules: list[ModuleFacts], django: tuple[int, int] | None = None, failures: list[tuple[str, str]] | None = None,
            whole: bool = False, entry_points: frozenset[str] = frozenset(), started: frozenset[str] | None = None,
            served: bool = False) -> list[Finding]:
    """`django`: the project's declared Django version, which decides whether fetch modes are offered as a fix.
    `failures` receives (place, message) for each function the detectors could not analyse (guard.py). `whole`: the
    modules are every Python file of the project, each parsed, so a module none of them imports is unused
    (unused_modules.py); never so for the hook's few modules or a scan of some paths. `entry_points`: the modules the
    project's configuration names (pyproject.toml, setup.cfg), which start a process or load a plugin. `started`: the
    management commands its deployment files name (command_starts.py); None when they were not read. `served`: a file
    at its root deploys it as a service (suffixes.deploys_service), which makes it an application."""
    from .batch_context import lower_request_writes
    from .cached_responses import lower_cached_responses
    from .command_starts import lower_hand_run_imports, lower_run_once
    from .cross import CrossDetector, lower_command_only, lower_unused, one_session, routed, superseded
    from .one_object import lower_one_objects_rows
    from .schedule_reach import lower_scheduled
    from .staff_only import lower_staff_only
    from .whole_tables import lower_unsized

    index = ProjectIndex(modules)
    index.whole, index.entry_points, index.django, index.started_commands = whole, entry_points, django, started
    index.served = served
    found = one_session(index, superseded([*detect(index, has_fetch_modes(django)), *CrossDetector(index).run()]))
    found = lower_command_only(index, lower_cached_responses(index, lower_staff_only(index, lower_unused(index, found))))
    found = lower_unsized(lower_run_once(index, lower_hand_run_imports(index, found)))
    found = lower_request_writes(index, routed(index, lower_one_objects_rows(index, lower_scheduled(index, found))))
    found = one_connection_per_loop(one_per_module_on_the_database(one_per_coroutine(found, functools.partial(_coroutine_of, index))))
    fit_advice(found, django)
    if failures is not None:
        failures.extend(index.failures)
    return found


def _coroutine_of(index: ProjectIndex, f: Finding) -> tuple[str, int] | None:
    """The coroutine a finding's line is in: its module's path and where the `async def` starts."""
    module = index.by_path.get(f.location.path) if f.location else None
    fn = function_at(module, f.location.line) if module is not None else None
    return (module.path, fn.span.line) if fn is not None and fn.is_async else None


def selected(rule: str, select: Iterable[str], ignore: Iterable[str]) -> bool:
    """Ruff's habit: a code or a prefix of codes; an empty selection means every rule."""
    select, ignore = list(select), list(ignore)
    if select and not any(rule.startswith(s) for s in select):
        return False
    return not any(rule.startswith(i) for i in ignore)


def shown(f: Finding, select: Iterable[str], ignore: Iterable[str]) -> bool:
    """Selected, and not reported by another selected rule at the same line (cross.superseded)."""
    return selected(f.rule, select, ignore) and not any(selected(r, select, ignore) for r in (f.data or {}).get("superseded_by", ()))


Suppressions = dict[str, dict[int, "frozenset[str] | None"]]  # path -> line -> codes (None: all)


def suppressed(f: Finding, suppressions: Suppressions) -> bool:
    lines = [f.location.line] if f.location else []
    lines += [e.location.line for e in f.evidence if e.role == "loop" and e.location and e.location.path == (f.location.path if f.location else None)]
    marks = suppressions.get(f.location.path) if f.location else None
    if not marks:
        return False
    for line in lines:
        if line in marks:
            codes = marks[line]
            if codes is None or any(f.rule.startswith(c) for c in codes):
                return True
    # a mark naming the rule anywhere in the statement: ruff wants a multi-line string's `noqa` after the string's end
    end = (f.location.end_line or 0) if f.location else 0
    return any((codes := marks.get(line)) and any(f.rule.startswith(c) for c in codes) for line in range(lines[0] + 1, end + 1)) \
        if lines and end - lines[0] <= _STATEMENT_LINES else False


_STATEMENT_LINES = 40  # a statement longer than this is a whole block, not one call

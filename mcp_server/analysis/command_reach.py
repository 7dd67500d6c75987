"""Helpers that only commands reach: per-item work in a function whose every caller in the project, up to four calls
up, is a command (or a test) runs when a person or a schedule starts that command, as the command's own loops do
(background.py), and is lowered the same way, with the same exceptions (an import's file rows, a command whose name
says it imports).

Judged out of sample (issue 15, round 19), seven findings in Kolibri Studio's `import_tools.py` were true and not worth
anyone's time for this reason: its functions call each other, and only the developer command `restore_channel` calls
in. (A restore counts as an import, so there only the remote calls are lowered.) Callers come from the index's call
graph, as for code that runs once (own_saves.runs_once); since a call the index cannot resolve would be missed, a
function that any other module of the project names outside commands and tests keeps its finding as it is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .background import MAIN, in_main_block, is_command

if TYPE_CHECKING:
    from .facts import Function, ModuleFacts
    from .index import ProjectIndex

_DEPTH = 4  # calls up from the finding's function: a deeper chain is not worth the walk


def only_commands(index: ProjectIndex, module: ModuleFacts, fn: Function | None) -> str:
    """The path of a command that reaches `fn` when commands and tests are all that do; "" otherwise."""
    if fn is None or is_command(module) or fn.command:
        return ""
    return min(reaching_commands(index, module, fn), default="")


def reaching_commands(index: ProjectIndex, module: ModuleFacts, fn: Function) -> frozenset[str]:
    """The paths of the commands that reach `fn` (its own module's, if a command), when commands and tests are all that
    do; empty otherwise. Walked once per function: background's lowering and command_starts.py both ask."""
    if is_command(module) or fn.command:
        return frozenset({module.path})
    key = (module.path, fn.qualname)
    if key not in index.commands_reaching:
        index.commands_reaching[key] = reached_from(index, module, fn, _command, is_command)
    return index.commands_reaching[key]


def reached_from(index: ProjectIndex, module: ModuleFacts, fn: Function, root, quiet) -> frozenset[str]:
    """What `root(caller_module, caller)` says of the entry points that reach `fn`, when they (and tests) are all that do,
    up to four calls up; empty otherwise. `quiet(module)`: a module whose naming `fn` shows no other way in."""
    found: set[str] = set()
    return frozenset(found) if _reached(index, module, fn, _DEPTH, found, root, quiet) else frozenset()


def only_reached_from(index: ProjectIndex, module: ModuleFacts, fn: Function, root, quiet) -> str:
    """The first of reached_from's entry points by path; "" when there is none."""
    return min(reached_from(index, module, fn, root, quiet), default="")


def _command(caller_module: ModuleFacts, caller: Function) -> str:
    return caller_module.path if is_command(caller_module) or caller.command else ""


def _reached(index: ProjectIndex, module: ModuleFacts, fn: Function, depth: int, found: set[str], root, quiet) -> bool:
    name = fn.qualname.rpartition(".")[2]
    if fn.qualname == "<module>" or fn.registers or depth == 0 or len(name) < 4:
        return False  # a registered handler runs by more than its callers
    # a task runs when code hands it to the worker (`import_all_files.delay()`, `get_files.si(ids)` in a group), or by a
    # schedule or another name, which the check below finds naming it (open-discussions' imports, round 61)
    callers = _dispatchers(index, module.key(fn.qualname)) if fn.task else index.callers(module.key(fn.qualname))
    if not callers:
        return False
    homes = {m.path for m, _f, _c in callers}
    # a module-level function is named elsewhere only beside its module's name (an import, a dotted path): Air Mozilla's
    # `event_hit_stats.update` is not named by every `.update(` of a dict; a method may be, through any object
    stem = _stem(module.path) if fn.cls is None else ""
    if any(name in m.words and (not stem or stem in m.words) and m is not module and not is_test(m.path) and not quiet(m)
           and m.path not in homes for m in index.modules.values()):
        return False  # named where no resolved call shows it: a route table, a dotted path in settings, a dynamic call
    for caller_module, caller, call in callers:
        if is_test(caller_module.path) or caller is fn:
            continue
        label = root(caller_module, caller)
        if not label and root is _command and caller.qualname == "<module>" and in_main_block(caller_module, call.span.line):
            label = caller_module.path + MAIN  # started as a script
        if label:
            found.add(label)
        elif not _reached(index, caller_module, caller, depth - 1, found, root, quiet):
            return False
    return True


_DISPATCH = ("delay", "apply_async", "s", "si", "signature")  # Celery's ways to start a task or put it in a canvas


def _dispatchers(index: ProjectIndex, key: str) -> list:
    """The calls that start task `key`: `<task>.delay(...)` and kin, their `<task>` resolving to it."""
    name = key.rpartition(".")[2]
    return [(m, f, c) for how in _DISPATCH for m, f, c in index.calls_ending(how)
            if (head := c.callee.rpartition(".")[0]).rpartition(".")[2] == name and index.resolve_function(head, m) == key]


def _stem(path: str) -> str:
    """The name other modules import a module by: its file's, or its package's for an `__init__.py`."""
    head, _, base = path.rpartition("/")
    return head.rpartition("/")[2] if base == "__init__.py" else base.removesuffix(".py")


def is_test(path: str) -> bool:
    head, _, base = path.rpartition("/")
    return base.startswith("test") or base == "conftest.py" or "/tests/" in f"/{head}/" or "/test/" in f"/{head}/"

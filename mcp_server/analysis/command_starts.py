"""Imports a person runs by hand: a management command that nothing in the project starts.

A command's loop over a file's rows keeps its severity (background.py): the seed's batch imports. Read on real
applications (issue 15), that record is poor: of the 56 such findings judged in rounds 100 to 130 and still listed, none
was worth acting on, and 48 were in commands no file of the project names: one-off loads of a 2016 data file, a
backport of codes from a spreadsheet, a restore after loading a dump, a hand-run import the README describes. The
projects that run an import on a schedule say so in the repository (WhoCanIVoteFor's AWS SAM template, the Service
Map's `scripts/update.sh`), and so does code that starts one (`call_command("import_people")` in a task).

So a query or a write per item in a management command, or in code only such commands reach, is `low`, saying so, when
no deployment file (a crontab, a Procfile, a Dockerfile, a shell script, YAML: CI, compose, Kubernetes, SAM, Ansible;
supervisor, systemd and uwsgi configuration) and no module other than tests and migrations names the command, nor
another command that is itself started. A module names it to start it only when it holds a way to: `call_command`, a
`manage.py` it runs, an import of the command's module; a docstring saying which command fills a table starts nothing.
So is the same cost paid once per hand run in other forms: a whole file or table read into memory, a statement
formatted from what the person typed, a lookup or a connection repeated per item (of 26 such findings judged in
management commands in rounds 100 to 135, none was worth acting on: 19 N, 7 F).

Only on a scan of the whole project: a partial scan or the hook (the user editing the import) does not see everything
that could start it, and keeps the finding as it is. A command that keeps track of when it last ran (an incremental
load: `get_last_load_date(...)`, `--since-last-load`) is built to run again and again, so it counts as started too. Any
other schedule kept outside the repository is invisible here; the finding says so, and `--min-severity low` lists it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from ..findings import Severity
from .command_reach import is_test, reaching_commands
from .own_saves import finding_function, runs_once

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ..findings import Finding
    from .facts import Function, ModuleFacts
    from .index import ProjectIndex

_COMMAND = re.compile(r"(?:^|/)management/commands/([A-Za-z_][\w-]*)\.py$")
_RULES = frozenset({"NP101", "NP102", "NP103", "NP104", "NP106", "NP107", "PF201", "PF202"})
# the same cost paid once per hand run, in other forms (see the module's docstring)
_ONCE_PER_RUN = frozenset({"PF301", "PF401", "PF502", "PF601", "PF901"})
_LOADED_ONCE = frozenset({"PF301", "PF401", "PF901"})  # costs a run pays, which code run once pays once
MAX_DEPLOY_BYTES = 512 * 1024  # a larger "deployment" file is data (a fixture, an API description), not a schedule


def command_name(path: str) -> str | None:
    """`import_cvs` for `people/management/commands/import_cvs.py`; None for anything else."""
    m = _COMMAND.search(path)
    return m.group(1) if m and m.group(1) != "__init__" else None


def named_in_files(root: Path, deploy: Iterable[str], paths: Iterable[str]) -> frozenset[str]:
    """The management commands among `paths` that some deployment file under `root` names."""
    return named_in_texts((read_deploy(root / rel) for rel in deploy), paths)


def named_in_texts(texts: Iterable[str], paths: Iterable[str]) -> frozenset[str]:
    names = {n for p in paths if (n := command_name(p))}
    if not names:
        return frozenset()  # (no deployment file is read then)
    word = re.compile(r"(?<![\w-])(" + "|".join(sorted(map(re.escape, names), key=len, reverse=True)) + r")(?![\w-])")
    return frozenset(hit for text in texts for hit in word.findall(text))


def read_deploy(path: Path, limit: int = MAX_DEPLOY_BYTES) -> str:
    """A deployment file's text, "" when it cannot be read or is larger than `limit` bytes (data, not a schedule)."""
    try:
        with open(path, "rb") as fh:
            data = fh.read(limit + 1)
    except OSError:
        return ""
    return data.decode("utf-8", "replace") if len(data) <= limit else ""


def lower_hand_run_imports(index: ProjectIndex, findings: list[Finding]) -> list[Finding]:
    """Each query or write per item in a command (or code only commands reach) nothing starts: `low`, saying so."""
    if not index.whole or index.started_commands is None:
        return findings
    started: dict[str, bool] = {}
    for f in findings:
        if (f.rule not in _RULES and f.rule not in _ONCE_PER_RUN) or f.severity in (Severity.low, Severity.info) or f.location is None:
            continue
        _where, module, fn = finding_function(index.by_path, f)
        if fn is None:
            continue
        reach = reaching_commands(index, module, fn)
        names = sorted(n for p in reach if (n := command_name(p)))
        if not names or len(names) != len(reach):
            continue
        names = _deriving_commands(index, module, fn) or names
        if any(_started(index, n, started) for n in names):
            continue
        f.severity = Severity.low
        f.message += (f"; it runs in {_listed(names)}, which nothing in the project starts (no crontab, deployment file, "
                      "script or code names it), so a person runs it by hand: worth a fix when it "
                      f"{'runs' if f.rule in _ONCE_PER_RUN else 'imports large files'} often, on a schedule kept outside "
                      "this repository")
    return findings


def lower_run_once(index: ProjectIndex, findings: list[Finding]) -> list[Finding]:
    """A whole load, a lookup repeated or work redone per item (PF401, PF301, PF901) in code that runs once per process
    or migration (own_saves.runs_once: a module's loading, `AppConfig.ready()`, a data migration): `low`, saying so,
    as the N+1 rules do. A bot's caches filled from whole tables as their modules load (SaitamaRobot, round 204: 7
    PF401 judged N RARE) are the start-up's, not a request's."""
    for f in findings:
        if f.rule not in _LOADED_ONCE or f.severity in (Severity.low, Severity.info) or f.location is None:
            continue
        _where, module, fn = finding_function(index.by_path, f)
        if module is not None and (once := runs_once(index, module, fn)):
            f.severity = Severity.low
            f.message += f"; it runs only from {once}, so its cost is paid once"
    return findings


def _deriving_commands(index: ProjectIndex, module: ModuleFacts, fn: Function) -> list[str]:
    """For a method of a base class kept beside the commands (`management/commands/base_importers.py`, no `Command` of
    its own), the commands whose `Command` derives from that class: they alone run it, however many other commands the
    module's other classes serve (Local Intelligence Hub's importers, round 139: 6 judged RARE, while the one command
    a crontab runs derives from another base). Empty for anything else."""
    if fn.cls is None or "Command" in module.classes or command_name(module.path) is None:
        return []
    found = {n for key in index.subclasses(module.key(fn.cls))
             if key.rpartition(".")[2] == "Command" and (n := command_name(index.classes[key][0].path))}
    return sorted(found)


def _listed(names: list[str]) -> str:
    shown = ", ".join(f"`{n}`" for n in names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    return f"the management command{'s' if len(names) > 1 else ''} {shown}"


# what code that starts a command holds: `call_command("x")`, `execute_from_command_line([...])`, a `manage.py x` it
# runs in a child process; a word in a docstring or a comment starts nothing (usaspending's models say which command
# fills their table (round 131), get.gov's error class which command raises it (round 135))
_STARTS = frozenset({"call_command", "execute_from_command_line", "manage"})


def _can_start(module: ModuleFacts, name: str) -> bool:
    """The module holds a way to start the command: one of `_STARTS`, or an import of the command's own module."""
    return not _STARTS.isdisjoint(module.words) or any(
        t.endswith(f"commands.{name}") or f"commands.{name}." in t for t in module.imports.values())


# a command that keeps track of when it last ran (`get_last_load_date("fpds")`, `--since-last-load`): an incremental
# load, built to run again and again, on a schedule the repository does not hold (usaspending's FPDS load, round 131:
# 4 findings judged worth acting on)
_LAST_RUN = re.compile(r"last_(load|run|sync|import)|since_last")


def _started(index: ProjectIndex, name: str, memo: dict[str, bool], depth: int = 2) -> bool:
    """A deployment file names the command, or a module that is not a test or a migration does (a task's
    `call_command(...)`), a command counting only when it is started itself (a setup command that runs the imports);
    or the command's own module keeps track of when it last ran."""
    if name in memo:
        return memo[name]
    memo[name] = False  # a cycle of commands naming each other starts nothing
    hit = name in index.started_commands
    own = f"/{name}.py"
    for m in index.modules.values():
        if hit:
            break
        if m.path.endswith(own) and command_name(m.path) == name:
            hit = any(_LAST_RUN.search(w) for w in m.words)
            continue
        if name not in m.words or is_test(m.path) or "/migrations/" in f"/{m.path}" or not _can_start(m, name):
            continue
        caller = command_name(m.path)
        hit = caller is None or (depth > 0 and _started(index, caller, memo, depth - 1))
    memo[name] = hit
    return hit

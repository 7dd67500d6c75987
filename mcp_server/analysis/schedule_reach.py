"""Code only a rare job reaches (what schedules.py reads a module to schedule): a query or a write per row in a job
a schedule runs once a day or less often, or in a helper only such jobs (and commands) reach up to four calls up, is
`low`, saying so. Not a job a request also starts, nor a loop over a file's rows (an import). Analysis only: the
extractor needs none of it, as command_reach.py stands beside background.py."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..findings import Severity
from .background import declares_command, is_command, walks_a_file
from .command_reach import is_test, only_reached_from
from .own_saves import finding_function

if TYPE_CHECKING:
    from ..findings import Finding
    from .facts import Function, ModuleFacts
    from .index import ProjectIndex


class Schedules:
    """The project's rare jobs, and which functions only they reach."""

    def __init__(self, index: ProjectIndex):
        self.index = index
        self.jobs: dict[str, tuple[str, str]] = {}  # task as written -> (how often, the module that says so)
        for module in index.modules.values():
            for task, how in module.rare_jobs:
                self.jobs.setdefault(task, (how, module.path))
        self.declaring = {where for _how, where in self.jobs.values()}
        self._memo: dict[tuple[str, str], str] = {}
        self._jobs_memo: dict[str, str] = {}

    def job(self, module: ModuleFacts, fn: Function) -> str:
        """Why `fn` is itself a rare job ("a job scheduled once a day in `main/settings.py`"); "" otherwise."""
        key = module.key(fn.qualname)
        if key not in self._jobs_memo:
            # (or by the name its decorator registers: Waldur's `@shared_task(name="waldur_mastermind.marketplace.x")`)
            hit = self.jobs.get(key) or (self.jobs.get(fn.task_name) if fn.task_name else None)
            if hit is None and fn.task:  # a beat entry names a task by its dotted path, maybe from the package down
                hit = next((v for task, v in self.jobs.items() if key.endswith(f".{task}")), None)
            why = ""
            if hit is not None and not self._started_elsewhere(module, fn):
                how, where = hit
                why = f"a job scheduled {how}" + (f" in `{where}`" if where != module.path else "")
            self._jobs_memo[key] = why
        return self._jobs_memo[key]

    def _started_elsewhere(self, module: ModuleFacts, fn: Function) -> bool:
        """A module other than the schedule's, a command's (or one declaring commands: navitia's `tyr/command/purge.py`,
        Flask-Script's `@manager.command`, round 182) or a test's names the task (`refresh.delay()` in a view): then a
        request starts it too. A job class's `execute` is run by the scheduler alone."""
        if fn.cls is not None:
            return False
        name = fn.qualname
        # (the module that schedules it by name, `schedule.every().day.do(job)`, names it again for that)
        return (name in module.called_here and module.path not in self.declaring) or any(
            name in m.words and m is not module and m.path not in self.declaring and not is_command(m) and not declares_command(m)
            and not is_test(m.path) for m in self.index.modules.values())

    def reason(self, module: ModuleFacts, fn: Function) -> str:
        """Why only rare jobs reach `fn` (itself, or every caller up to four calls up); "" otherwise."""
        key = (module.path, fn.qualname)
        if key not in self._memo:
            why = self.job(module, fn)
            why = f"it runs in {why}" if why else ""
            if not why and not fn.task and fn.qualname != "<module>":
                label = only_reached_from(self.index, module, fn, self._caller, self._quiet)
                # commands alone: background.py's judgement (an import command keeps its severity)
                why = f"only {label} reaches it" if label.startswith("a job") else ""
            self._memo[key] = why
        return self._memo[key]

    def _quiet(self, module: ModuleFacts) -> bool:
        return module.path in self.declaring or is_command(module)

    def _caller(self, module: ModuleFacts, caller: Function) -> str:
        """A rare job, or a command (a person starts it: background.py); a job's label sorts first, so it is the one said."""
        why = self.job(module, caller)
        if why:
            return f"{why} (`{caller.qualname}`)"
        return f"the command `{module.path}`" if is_command(module) or caller.command else ""


_RULES = frozenset({"NP101", "NP102", "NP103", "NP104", "NP106", "NP107", "PF201", "PF202"})
LOWERED = ("; {why}, which nobody waits on and which walks what changed since its last run: worth changing "
           "when it walks a large table (`table_rows` with the table's size raises it)")


def lower_scheduled(index: ProjectIndex, findings: list[Finding]) -> list[Finding]:
    """Each query or write per row in code only a rare job reaches: `low`, saying so; not an import over a file's rows."""

    schedules = None
    for f in findings:
        if f.rule not in _RULES or f.severity in (Severity.low, Severity.info) or f.location is None:
            continue
        schedules = schedules or Schedules(index)
        if not schedules.jobs:
            return findings
        _where, module, fn = finding_function(index.by_path, f)
        if fn is None or walks_a_file(fn, f):
            continue
        why = schedules.reason(module, fn)
        if why:
            f.severity = Severity.low
            f.message += LOWERED.format(why=why)
    return findings

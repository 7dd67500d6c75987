"""Jobs a schedule runs once a day or less often: per-row work there is `low`, saying so.

Judged on real applications (issue 15, rounds 44 to 49), 15 findings in jobs a schedule starts once a day or rarer were
true and none worth acting on: Bootcamp's daily beat task repairing a few interview links (6), HyperKitty's daily and
yearly django-extensions jobs (4), OpenSAFELY's `DailyJob` refreshing a flag per repository, a daily forum digest. Such
a job runs at night with nobody waiting, and its loop walks what changed since yesterday. Jobs that run every hour or
more often keep their severity (earlier rounds judged hourly mail digests worth a fix), as does a job whose schedule the
code does not spell out (a setting read at run time), a job a request also starts (`.delay()` named elsewhere), and a
loop over a file's rows (an import). The user's `table_rows` raises a loop over a large table to `high` again.

What marks a job, read from the code (extraction: `rare_jobs`):
- a Celery beat entry `{"task": "app.tasks.name", "schedule": crontab(minute=0, hour=5)}` anywhere (settings,
  `app.conf.beat_schedule`), or `app.add_periodic_task(crontab(...), name.s())`;
- a task decorated with its schedule: `@periodic_task(run_every=timedelta(days=1))`, huey's
  `@periodic_task(crontab(minute="0", hour="3"))`;
- a django-extensions job: `class Job(DailyJob)` (weekly, monthly, yearly), or `when = "daily"` on a `BaseJob`;
- the `schedule` library: `@schedule.repeat(schedule.every(22).to(25).hours)`, `schedule.every().day.at("01:00").do(job)`.
A schedule is once a day or rarer when crontab fixes both its minute and hour, or the interval is about a day (20 hours)
or longer (`timedelta(days=1)`, `86400`, `3600 * 24`, the `schedule` library's `every(22).to(25).hours`,
`every().day.at("01:00")`, `every().monday`).
"""

from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING

from ..findings import Severity
from .nodes import dotted, last_name

if TYPE_CHECKING:
    from ..findings import Finding
    from .facts import Function, ModuleFacts
    from .index import ProjectIndex

_DAY = 86_400
# (Khoj's `every(22).to(25).hours` is its daily job: from 20 hours, once a day)
_PERIODS = ((365 * _DAY, "once a year"), (28 * _DAY, "once a month"), (7 * _DAY, "once a week"), (20 * 3600, "once a day"))
_JOB_BASES = {"DailyJob": "once a day", "WeeklyJob": "once a week", "MonthlyJob": "once a month", "YearlyJob": "once a year"}
_WHEN = {"daily": "once a day", "weekly": "once a week", "monthly": "once a month", "yearly": "once a year"}
_UNITS = {"weeks": 7 * _DAY, "days": _DAY, "hours": 3600, "minutes": 60, "seconds": 1}
# words one of the forms below needs, looked for with `in` before any walk (a regex alternation cost 0.14 s on Django)
_HINTS = ("schedule", "run_every", "periodic_task", "Job", "every(")
_FIXED = re.compile(r"^\d+$|^[a-z]{3}$", re.I)  # one minute, hour or day: `5`, "0", "sun"


def rare_jobs(module: ModuleFacts, tree: ast.Module, source: str) -> tuple[tuple[str, str], ...]:
    """(task, how often) for each job the module schedules once a day or rarer. `task` is a dotted name as the schedule
    spells it (`applications.tasks.refresh`, maybe only `refresh`) or the key of a function of this module."""
    if not any(word in source for word in _HINTS):
        return ()
    found: list[tuple[str, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            entry = _beat_entry(node)
            if entry:
                found.append(entry)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "do" and node.args:
            name, how = dotted(node.args[0]), period(node.func.value)  # `schedule.every().day.at("01:00").do(job)`
            if name and how:
                found.append((name if "." in name else module.key(name), how))
        elif isinstance(node, ast.Call) and last_name(node.func) == "add_periodic_task" and len(node.args) >= 2:
            task = node.args[1]
            task = task.func.value if isinstance(task, ast.Call) and isinstance(task.func, ast.Attribute) else task
            name, how = dotted(task), period(node.args[0])
            if name and how:
                found.append((name, how))
    for stmt in tree.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            how = next((h for h in map(_decorated, stmt.decorator_list) if h), "")
            if how:
                found.append((module.key(stmt.name), how))
        elif isinstance(stmt, ast.ClassDef):
            how = _job_class(stmt)
            if how:
                found.append((module.key(f"{stmt.name}.execute"), how))
    return tuple(found)


def period(node: ast.expr) -> str:
    """How often a schedule fires when that is once a day or less often ("once a week"); "" when more often or when the
    code does not say (a setting, a custom schedule class)."""
    if isinstance(node, ast.Call):
        name = last_name(node.func)
        if name == "crontab":
            return _crontab(node)
        if name == "timedelta":
            return _every(_timedelta(node))
        if name == "schedule":  # celery's `schedule(run_every=...)`
            every = next((k.value for k in node.keywords if k.arg == "run_every"), node.args[0] if node.args else None)
            return period(every) if every is not None else ""
        if name in ("at", "until", "tag"):  # `every().day.at("01:00")`: the interval before it
            return period(node.func.value) if isinstance(node.func, ast.Attribute) else ""
        return ""
    if isinstance(node, ast.Attribute):
        return _schedule_chain(node)
    return _every(_number(node))


_CHAIN_UNITS = {"second": 1, "minute": 60, "hour": 3600, "day": _DAY, "week": 7 * _DAY,
                **dict.fromkeys(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"), 7 * _DAY)}


def _schedule_chain(node: ast.Attribute) -> str:
    """The `schedule` library's `every(22).to(25).hours`, `every().day.at("01:00")`, `every().monday`: the unit's
    length times the first count (the shortest interval of a `to` range)."""
    unit = _CHAIN_UNITS.get(node.attr.removesuffix("s"))
    inner = node.value
    if isinstance(inner, ast.Call) and isinstance(inner.func, ast.Attribute) and inner.func.attr == "to":
        inner = inner.func.value
    if unit is None or not (isinstance(inner, ast.Call) and last_name(inner.func) == "every"):
        return ""
    count = _number(inner.args[0]) if inner.args else 1
    return _every(count * unit) if count is not None else ""


def _every(seconds: float | None) -> str:
    return next((said for limit, said in _PERIODS if seconds is not None and seconds >= limit), "")


def _number(node: ast.expr) -> float | None:
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return node.value
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
        left, right = _number(node.left), _number(node.right)
        return left * right if left is not None and right is not None else None
    return None


def _timedelta(node: ast.Call) -> float | None:
    total = 0.0
    for value, unit in [*((a, _DAY) for a in node.args[:1]), *((k.value, _UNITS.get(k.arg or "")) for k in node.keywords)]:
        amount = _number(value)
        if amount is None or unit is None:
            return None
        total += amount * unit
    return total


def _crontab(node: ast.Call) -> str:
    """Celery's and huey's crontab: minute and hour first; each `*` unless given. Once a day or rarer when both are one
    value; a fixed day of the week or month says how much rarer."""
    given = {k.arg: k.value for k in node.keywords if k.arg}
    given |= dict(zip(("minute", "hour"), node.args))
    if not all(_fixed(given.get(part)) for part in ("minute", "hour")):
        return ""
    if any(_fixed(given.get(part)) for part in ("day_of_month", "day", "month_of_year", "month")):
        return "once a month"
    return "once a week" if _fixed(given.get("day_of_week")) else "once a day"


def _fixed(node: ast.expr | None) -> bool:
    return isinstance(node, ast.Constant) and type(node.value) in (int, str) and bool(_FIXED.match(str(node.value)))


def _beat_entry(node: ast.Dict) -> tuple[str, str] | None:
    values = {k.value: v for k, v in zip(node.keys, node.values) if isinstance(k, ast.Constant) and k.value in ("task", "schedule")}
    task, schedule = values.get("task"), values.get("schedule")
    if isinstance(task, ast.Constant) and isinstance(task.value, str) and task.value and schedule is not None:
        how = period(schedule)
        return (task.value, how) if how else None
    return None


def _decorated(d: ast.expr) -> str:
    """`@periodic_task(run_every=timedelta(days=1))`, `@shared_task(run_every=...)`, huey's `@periodic_task(crontab(...))`."""
    if not isinstance(d, ast.Call):
        return ""
    every = next((k.value for k in d.keywords if k.arg == "run_every"), None)
    if every is None and last_name(d.func) in ("periodic_task", "db_periodic_task", "repeat") and d.args:
        every = d.args[0]  # (`repeat`: the `schedule` library's `@schedule.repeat(schedule.every(22).to(25).hours)`)
    return period(every) if every is not None else ""


def _job_class(node: ast.ClassDef) -> str:
    for base in node.bases:
        how = _JOB_BASES.get(last_name(base) or "")
        if how:
            return how
    if not any((last_name(b) or "").endswith("Job") for b in node.bases):
        return ""
    for stmt in node.body:
        if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "when" for t in stmt.targets) \
                and isinstance(stmt.value, ast.Constant):
            return _WHEN.get(str(stmt.value.value), "")
    return ""


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
            hit = self.jobs.get(key)
            if hit is None and fn.task:  # a beat entry names a task by its dotted path, maybe from the package down
                hit = next((v for task, v in self.jobs.items() if key.endswith(f".{task}")), None)
            why = ""
            if hit is not None and not self._started_elsewhere(module, fn):
                how, where = hit
                why = f"a job scheduled {how}" + (f" in `{where}`" if where != module.path else "")
            self._jobs_memo[key] = why
        return self._jobs_memo[key]

    def _started_elsewhere(self, module: ModuleFacts, fn: Function) -> bool:
        """A module other than the schedule's, a command's or a test's names the task (`refresh.delay()` in a view):
        then a request starts it too. A job class's `execute` is run by the scheduler alone."""
        from .background import is_command
        from .command_reach import is_test

        if fn.cls is not None:
            return False
        name = fn.qualname
        # (the module that schedules it by name, `schedule.every().day.do(job)`, names it again for that)
        return (name in module.called_here and module.path not in self.declaring) or any(
            name in m.words and m is not module and m.path not in self.declaring and not is_command(m) and not is_test(m.path)
            for m in self.index.modules.values())

    def reason(self, module: ModuleFacts, fn: Function) -> str:
        """Why only rare jobs reach `fn` (itself, or every caller up to four calls up); "" otherwise."""
        from .command_reach import only_reached_from

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
        from .background import is_command

        return module.path in self.declaring or is_command(module)

    def _caller(self, module: ModuleFacts, caller: Function) -> str:
        """A rare job, or a command (a person starts it: background.py); a job's label sorts first, so it is the one said."""
        from .background import is_command

        why = self.job(module, caller)
        if why:
            return f"{why} (`{caller.qualname}`)"
        return f"the command `{module.path}`" if is_command(module) or caller.command else ""


_RULES = frozenset({"NP101", "NP102", "NP103", "NP104", "NP106", "NP107", "PF201", "PF202"})
LOWERED = ("; {why}, which nobody waits on and which walks what changed since its last run: worth changing "
           "when it walks a large table (`table_rows` with the table's size raises it)")


def lower_scheduled(index: ProjectIndex, findings: list[Finding]) -> list[Finding]:
    """Each query or write per row in code only a rare job reaches: `low`, saying so; not an import over a file's rows."""
    from .background import walks_a_file
    from .own_saves import finding_function

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

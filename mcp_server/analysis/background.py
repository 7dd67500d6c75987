"""Per-item work nobody waits on: NP105 in a command or a background task, and N+1 queries and per-row writes in a
command. A command is a Django management command, a function decorated as one (`@click.command()`,
`@app.cli.command()`, Flask-Script's `@manager.command`), or anything in a module named `cli.py`, `manage.py` or
`commands.py`, or `cron.py` (jobs a crontab starts by name).

Read on real applications (issue 15):
- every remote call per item judged in a command or a task was true and not worth anyone's time: a nightly cache
  warm-up requesting each page of the site one by one, a daily task logging in to each channel's own server, an
  admin command pausing between calls on purpose. One call after another is usually deliberate there (rate limits,
  one server per item, no batch endpoint);
- of the `medium` N+1 findings judged in management commands (loops nothing sizes: a JSON spec's few entries, the
  ids typed on the command line, one object's children), none was worth acting on (0 of 17): one-off repairs,
  test-data generators, ops scripts run by hand.
- of the `high` N+1 and per-row write findings judged in commands over a table's rows (rounds 14 to 17), 1 of 34 was
  worth acting on (a mail digest a cron job runs): repairs, clean-ups, syncs an operator starts. Made `medium` then,
  they were judged again in rounds 24 to 29: 0 of 47 worth acting on (one-off upgrades, exports, debugging aids).
  Over every round, 5 of 169 N+1 and per-row write findings judged in commands were worth a fix: two CSV imports
  (kept, below), two scheduled jobs, and a helper a background task reaches too. They are `low`; the user's
  `table_rows` raises a loop over a table of 10,000 rows or more to `high` again (table_sizes.py). A commit per
  item there (PF202) is `low`, 0 of 9 worth acting on.
Such findings stay, at `low`, with the reason. Kept as they are: loops over a file's rows in an import (the seed's
batch imports), and a remote call per item on a request's path."""

from __future__ import annotations

import re

from ..findings import Finding, Severity
from .facts import Function, ModuleFacts
from .raw_rows import FILE_ROWS
from .row_writes import IMPORT

# a Django app's `management/` package: its commands, and the code serving them (gpodder's `management/podcastcmd.py`,
# the base class of its feed commands)
_MANAGEMENT = "/management/"
# a module of command-line commands by its name: Flask's and Click's `cli.py`, `manage.py`, a `commands.py`
_COMMAND_MODULES = frozenset({"cli.py", "manage.py", "commands.py"})
# a module of jobs a crontab starts by name: SimpleLogin's `cron.py -j <job>`, Air Mozilla's `@cronjobs.register`
# functions (round 50: 12 findings judged N RARE in them)
_CRON_MODULES = frozenset({"cron.py", "crons.py", "cronjobs.py"})
_SCRIPT_DIRS = ("/commands/", "/scripts/", "/bin/")  # folders of scripts run by hand, each reading its command line
_QUERIES = frozenset({"NP101", "NP102", "NP103", "NP104", "NP106", "NP107"})
# what else costs per row in a command: a write (PF201), the same lookup asked again per item (PF301: in rounds 100 to
# 132, 4 judged in one-off commands, all N RARE), and a connection opened per item (PF502: a water committee's one-off
# photo migration, round 348, 4 judged N RARE)
_PER_ROW = frozenset({"PF201", "PF301", "PF502"})


# A module's `if __name__ == "__main__":` block runs when someone starts the file as a script: Digital Green's activity
# rebuild ("NOT IN CRON") and OpenNEM's battery backfill, each a function only that block calls (round 174: 3 judged N
# RARE at `high`). A command path so marked is that block's module (command_reach.py).
MAIN = "#__main__"


def in_main_block(module: ModuleFacts, line: int) -> bool:
    first, last = module.main_block
    return 0 < first <= line <= last


# the command-line libraries whose commands (and a click group's callback) a person starts
_COMMAND_LINES = ("asyncclick", "click", "typer")


def command_line(imports: dict[str, str]) -> str:
    """The command-line library a module's imports name, "" when none."""
    roots = {target.split(".")[0] for target in imports.values()}
    return next((lib for lib in _COMMAND_LINES if lib in roots), "")


def is_command_module(path: str) -> bool:
    return _MANAGEMENT in f"/{path}" or path.rpartition("/")[2] in _COMMAND_MODULES | _CRON_MODULES


def _in_script_folder(path: str) -> bool:
    return any(d in f"/{path}" for d in _SCRIPT_DIRS)


def is_command(module: ModuleFacts) -> bool:
    """A command module by its path, or a script in a `commands/`, `scripts/` or `bin/` folder that reads its own command
    line (SimpleLogin's `commands/backfill_abuser_data.py` parses `argparse` at top level: round 50, 6 findings judged N
    RARE; Ichnaea's `scripts/load_cell_data.py`, round 55) or declares a click command, or a file no import can name
    (`run-pyflakes.py`) that runs as `__main__` (Review Board's developer scripts, round 55). A `commands/` package of a request's command objects
    (CQRS) reads no command line and is not one."""
    return is_command_module(module.path) or (_in_script_folder(module.path) and (
        module.main_guard or "ArgumentParser" in module.words or "argv" in module.words or declares_command(module))) or (
        module.main_guard and "-" in module.path.rpartition("/")[2])


def declares_command(module: ModuleFacts) -> bool:
    """`@click.command()` on a function of the module: its command line, read by click (h's `cli/commands/devdata.py`, a
    developer's seeding command, round 99: judged N RARE at `high`)."""
    return any(fn.command for fn in module.functions.values())


# a crawler, a scraper or a cache warm-up by its name (its function, class or module): a request per URL is its job
_CRAWLER = re.compile(r"crawl|spider|scrap(e|er|ing)|warm_?up|cache_?warm|warm_?cache", re.I)


def lowered(module: ModuleFacts, fn: Function, f: Finding, command_path: str | None = None) -> Finding:
    """`command_path`: the command that alone reaches `fn`, a helper of another module (command_reach.py)."""
    if f.severity is Severity.low:
        return f
    if f.rule == "NP105" and (named := next((n for n in (*fn.qualname.split("."), module.path.rpartition("/")[2]) if _CRAWLER.search(n)), None)):
        # UKHSA's dashboard hydrates its CDN by requesting each page and API endpoint in turn (round 146: 2 judged
        # WRONGFIX); municipal-data's audit-report crawler (round 138: 3 judged N RARE)
        f.severity = Severity.low
        f.message += (f"; `{named}` crawls or warms a cache: a request per URL is the job itself, which no batch call "
                      "replaces")
        return f
    at = f.loop_location() or f.location
    script = (command_path or "").endswith(MAIN) or (fn.qualname == "<module>" and at is not None and in_main_block(module, at.line))
    path = (command_path or module.path).removesuffix(MAIN)  # a command's name says whether it imports (`import_invoices.py`)
    django = _MANAGEMENT in f"/{path}"
    # (a helper reached only from a click command of some module is not lowered: ArchiveBox's CLI is its product, and
    # round 49 judged four such loops worth a fix)
    command = script or django or fn.command or ((is_command_module(path) or _in_script_folder(path)) if command_path else is_command(module))
    kind = "a management command" if django else "a cron job" if path.rpartition("/")[2] in _CRON_MODULES else \
        "a script's `if __name__ == \"__main__\":` block" if script else "a command-line command"
    if command_path:
        kind = f"code that only {kind} (`{path.rpartition('/')[2].removesuffix('.py')}`) reaches"
    if f.rule == "NP105" and (command or fn.task):
        where = kind if command else "a background task"
        f.severity = Severity.low
        f.message += (f"; it runs in {where}, where nobody waits on each call and one call after another is often on purpose "
                      "(rate limits, one server per item): worth changing only where the service offers a batch call")
    elif f.rule == "PF501" and command:
        # an import's steps too (OpenPrescribing's and OpenCodelists', 10 judged N RARE in round 48): the process ends
        # with the run, and releases what it left open then
        f.severity = Severity.low
        f.message += f"; it runs in {kind}, whose process ends when the run does and releases it then"
    elif not command or walks_a_file(fn, f) or IMPORT.search(path.rpartition("/")[2]):
        return f  # an import walks a file's rows: the seed's batch imports, high as they are
    elif f.rule in _QUERIES and f.severity is Severity.medium:
        f.severity = Severity.low
        f.message += (f"; it runs in {kind}, by hand, over a loop nothing in the code sizes: worth changing only "
                      "when the command is run over many items")
    elif f.rule in _QUERIES or f.rule in _PER_ROW:
        f.severity = Severity.low
        sized = " (`table_rows` with the table's size raises it)" if f.rule in _QUERIES else ""
        over = "many items" if f.rule == "PF502" else "a large table"  # (a connection per item, whatever the items are)
        f.message += (f"; it runs in {kind}, which a person or a schedule starts, not a request: it matters when the "
                      f"command runs often over {over}{sized}")
    elif f.rule == "PF202" and f.severity is Severity.medium:
        f.severity = Severity.low
        f.message += f"; it runs in {kind}, where a commit per item is often how a long run keeps its progress"
    return f


# the loop's header says it walks a file's or a sheet's rows: `csv.reader(f)`, `f.readlines()`, `ws.iter_rows()`
_FILE_ROWS = re.compile(r"\bcsv\.|DictReader|\breader\(|readlines|iter_rows|iterrows|itertuples|\bopen\(")


def walks_a_file(fn: Function, f: Finding) -> bool:
    """The finding's loop walks the lines or rows of a file (`for row in csv.reader(f)`): an import, however named."""
    at = loc.line if (loc := f.loop_location()) else None
    return any(loop.span.line == at and (loop.file_param is not None or loop.size_why == FILE_ROWS or _FILE_ROWS.search(loop.header))
               for loop in fn.loops.values())


# an application's startup or shutdown hook: FastAPI's `lifespan`, Starlette's and Quart's `on_startup` handlers
_STARTUP = re.compile(r"^_*(lifespan|startup|shutdown|on_startup|on_shutdown|before_serving|after_serving)(_\w+)?$", re.I)
# a coroutine that sets its object up once (LangBot's `VectorDBManager.initialize`, awaited as the application builds:
# round 181, 2 PF801 judged N RARE)
_SETS_UP = re.compile(r"^_*(async_)?(initiali[sz]e|setup|set_up|bootstrap)$", re.I)


def is_startup_hook(name: str) -> bool:
    return _STARTUP.match(name) is not None


def at_startup(fn: Function | None, f: Finding, hook: str = "") -> Finding:
    """A blocking call in a coroutine (PF801) that is the application's startup or shutdown hook, or (`hook`) that only
    such a hook reaches (Fides' `run_database_startup` from `lifespan`: round 52, 3 judged N RARE): it runs once, before
    any request is served (read on real applications: a database set up in `lifespan`), so nothing waits on it."""
    name = fn.qualname.rpartition(".")[2] if fn is not None else ""
    if fn is None or f.rule != "PF801" or f.severity is Severity.low or not (hook or is_startup_hook(name) or _SETS_UP.match(name)):
        return f
    f.severity = Severity.low
    if not hook and not is_startup_hook(name):
        f.message += f"; `{name}()` sets its object up, once, before it serves: no request waits on the event loop then"
        return f
    f.message += (f"; only the application's startup or shutdown hook (`{hook}`) reaches it" if hook else "; it runs once") + \
        ", as the application starts or stops, while no request waits on the event loop"
    return f


def without_threads(fn: Function | None, line: int, f: Finding) -> Finding:
    """A blocking call (PF801) in a coroutine's branch taken when there is no thread to hand work to, where the coroutine
    hands it to one otherwise (pattern_async.unthreaded): a mode without threads, on purpose; `low`, saying so."""
    if fn is None or f.severity is Severity.low or not any(start <= line <= end for start, end in fn.unthreaded):
        return f
    f.severity = Severity.low
    f.message += ("; it runs only in the branch the coroutine takes when it has no thread to hand the work to (it hands it to "
                  "one otherwise): a mode without threads, kept on purpose")
    return f


def startup_caller(module: ModuleFacts, caller: Function) -> str:
    """`lifespan` and kin, as a root for command_reach.only_reached_from."""
    return caller.qualname if is_startup_hook(caller.qualname.rpartition(".")[2]) else ""

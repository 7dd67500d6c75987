"""Per-item work nobody waits on (analysis/background.py): a remote call per item in a management command or a
Celery task, and a query per item in a management command, are `low`, with the reason (the user's `table_rows` raise
a command's loop over a large table again); the same loops on a request's path, or over a file's rows in an import,
keep their severity. Every example is a positive (flagged, at the severity tests/test_background.py checks)."""

from .one_off_examples import books_app

_SUPPLIER = "from django.db import models\n\n\nclass Supplier(models.Model):\n    name = models.CharField(max_length=40)\n"
# the crontab that starts the commands: an import nothing starts is lowered for that alone (hand_run_examples.py)
_COMMANDS = {"payables/management/__init__.py": "", "payables/management/commands/__init__.py": "",
             "deploy/crontab": "".join(f"0 {h} * * * python manage.py {name}_suppliers\n" for h, name in enumerate(
                 ("refresh", "make", "import", "tally")))}

# a remote call per supplier in a management command and in a Celery task: low; while a request waits: kept
_STATUS = '''
import requests
from {app}.models import Supplier


def refresh(supplier):
    return requests.get(f"https://erp.example/suppliers/{{supplier.pk}}", timeout=10).json()
'''
NP105_COMMAND_LOWERED = {"payables/__init__.py": "", "payables/erp.py": _STATUS.format(app="payables"),
                         **_COMMANDS,
                         "payables/management/commands/refresh_suppliers.py": '''
import requests
from django.core.management.base import BaseCommand
from payables.models import Supplier


class Command(BaseCommand):
    def handle(self, *args, **options):
        for supplier in Supplier.objects.all():
            requests.post("https://erp.example/suppliers", json={"id": supplier.pk}, timeout=10)
''', "payables/models.py": _SUPPLIER}
NP105_TASK_LOWERED = {"payables/__init__.py": "", "payables/erp.py": _STATUS.format(app="payables"), "payables/tasks.py": '''
from celery import shared_task
from .erp import refresh
from .models import Supplier


@shared_task
def refresh_all():
    for supplier in Supplier.objects.all():
        refresh(supplier)
''', "payables/models.py": _SUPPLIER}
NP105_REQUEST_KEPT = {**NP105_TASK_LOWERED, "payables/tasks.py": '''
from .erp import refresh
from .models import Supplier


def supplier_list(request):
    return [refresh(supplier) for supplier in Supplier.objects.all()]
'''}

# a query per entry of a JSON spec in a command run by hand (a test-data generator), and per row of the whole table:
# low; the same per row of the CSV file a command reads (an import, however named) keeps its severity
_LOOKUPS = '''
import csv
import json
from django.core.management.base import BaseCommand
from payables.models import Supplier


def check(names):
    for name in names:
        Supplier.objects.filter(name=name).exists()


class Command(BaseCommand):
    def handle(self, *args, **options):
        check(json.load(open("spec.json"))["suppliers"])
        with open("suppliers.csv") as f:
            for row in csv.DictReader(f):
                Supplier.objects.get(name=row["name"])
        for supplier in Supplier.objects.all():
            Supplier.objects.filter(name__startswith=supplier.name[:3]).count()
'''
NP101_COMMAND = {"payables/__init__.py": "", "payables/models.py": _SUPPLIER, **_COMMANDS,
                 "payables/management/commands/make_suppliers.py": _LOOKUPS}
NP101_IMPORT_COMMAND = {**{k: v for k, v in NP101_COMMAND.items() if not k.endswith("make_suppliers.py")},
                        "payables/management/commands/import_suppliers.py": _LOOKUPS}
# the same loops in the base class the app's commands share, kept in its `management/` package beside `commands/`
# (gpodder's `management/podcastcmd.py`, judged RARE in round 45)
NP101_COMMAND_BASE = {**{k: v for k, v in NP101_COMMAND.items() if not k.endswith("make_suppliers.py")},
                      "payables/management/suppliercmd.py": _LOOKUPS}

# the same in a Flask application's command-line commands: decorated as one, or in a module named cli.py
NP105_CLI_LOWERED = {"payables/__init__.py": "", "payables/models.py": _SUPPLIER, "payables/erp.py": _STATUS.format(app="payables"),
                     "payables/commands.py": '''
import click
from .erp import refresh
from .models import Supplier


@click.command("refresh-suppliers")
def refresh_suppliers():
    for supplier in Supplier.objects.all():
        refresh(supplier)
''', "cli.py": '''
import requests
from payables.models import Supplier


def bootstrap_logos():
    for supplier in Supplier.objects.all():
        requests.get(f"https://logos.example/{supplier.pk}", timeout=10)
'''}

# a data fix FastAPI's `lifespan` runs through a helper before the application serves anything: low; the same helper
# called by a request's handler: kept
_FIXES = '''
from sqlalchemy import select
from sqlalchemy.orm import Session
from .models import Client


def fix_counts(session):
    for client in session.scalars(select(Client)):
        client.name = f"{client.name} ({len(client.invoices)})"


def fix_all():
    fix_counts(Session())
'''
_STARTUP = '''
from contextlib import asynccontextmanager
from .fixes import fix_all


@asynccontextmanager
async def lifespan(app):
    fix_all()
    yield
'''
NP104_STARTUP_LOWERED = books_app(**{"books/fixes.py": _FIXES, "books/app.py": _STARTUP})
NP104_REQUEST_KEPT = books_app(**{"books/fixes.py": _FIXES, "books/app.py": _STARTUP + "\n\ndef repair(request):\n    fix_all()\n"})

# a helper of another module that only a management command reaches, two calls up: lowered as in the command; the
# same helper also called by a view: kept (analysis/command_reach.py)
_TALLY = '''
from .models import Supplier


def tally(supplier):
    return Supplier.objects.filter(name__startswith=supplier.name[:3]).count()


def tally_all():
    return [tally(supplier) for supplier in Supplier.objects.all()]
'''
_TALLY_COMMAND = '''
from django.core.management.base import BaseCommand
from payables.tallies import tally_all


class Command(BaseCommand):
    def handle(self, *args, **options):
        tally_all()
'''
NP102_COMMAND_HELPER_LOWERED = {"payables/__init__.py": "", "payables/models.py": _SUPPLIER, "payables/tallies.py": _TALLY, **_COMMANDS,
                                "payables/management/commands/tally_suppliers.py": _TALLY_COMMAND}
NP102_COMMAND_HELPER_KEPT = {**NP102_COMMAND_HELPER_LOWERED, "payables/views.py": "from .tallies import tally_all\n\n\n"
                             "def tallies(request):\n    return tally_all()\n"}

# a module's `if __name__ == "__main__":` block, a script someone starts: its own loop and a helper only it calls are
# lowered as a command's (Digital Green's activity rebuild, "NOT IN CRON", and OpenNEM's battery backfill, round 174: 3
# judged N RARE at `high`); the helper a view calls too is kept
_TALLY_SCRIPT = _TALLY + '''

if __name__ == "__main__":
    for supplier in Supplier.objects.all():
        print(Supplier.objects.filter(name=supplier.name).count())
    tally_all()
'''
NP101_MAIN_BLOCK_LOWERED = {"payables/__init__.py": "", "payables/models.py": _SUPPLIER, "payables/tallies.py": _TALLY_SCRIPT,
                            "manage.py": "", "payables/urls.py": "urlpatterns = []\n"}
NP102_MAIN_BLOCK_HELPER_KEPT = {**NP101_MAIN_BLOCK_LOWERED, "payables/views.py": "from .tallies import tally_all\n\n\n"
                                "def tallies(request):\n    return tally_all()\n"}

# a task only a management command starts, through a second task that groups it (`tally_some.si(ids)`):
# open-discussions' catalogue imports (round 61, 3 judged N RARE); the same task named by a beat schedule is kept
_TALLY_TASKS = '''
from celery import group, shared_task
from .tallies import tally


@shared_task
def tally_some(ids):
    from .models import Supplier
    for supplier in Supplier.objects.filter(id__in=ids):
        tally(supplier)


@shared_task
def tally_everything(chunk):
    from .models import Supplier
    ids = list(Supplier.objects.values_list("id", flat=True))
    group(tally_some.si(ids[i:i + chunk]) for i in range(0, len(ids), chunk))()
'''
_TALLY_TASK_COMMAND = '''
from django.core.management.base import BaseCommand
from payables.tasks import tally_everything


class Command(BaseCommand):
    def handle(self, *args, **options):
        tally_everything.delay(500)
'''
NP102_COMMAND_TASK_LOWERED = {"payables/__init__.py": "", "payables/models.py": _SUPPLIER, "payables/tallies.py": _TALLY,
                              "payables/tasks.py": _TALLY_TASKS, **_COMMANDS,
                              "payables/management/commands/tally_suppliers.py": _TALLY_TASK_COMMAND}
NP102_SCHEDULED_TASK_KEPT = {**NP102_COMMAND_TASK_LOWERED, "payables/celery.py": "CELERY_BEAT_SCHEDULE = {\n    \"tally\": "
                             "{\"task\": \"payables.tasks.tally_some\", \"schedule\": 600},\n}\n"}

# a job a crontab starts by name (SimpleLogin's `cron.py -j <job>`, Air Mozilla's `@cronjobs.register`; round 50, 12
# judged N RARE): low, saying so
_RECOUNT = '''
from payables.models import Supplier


def recount():
    for supplier in Supplier.objects.all():
        Supplier.objects.filter(name__startswith=supplier.name[:3]).count()
'''
NP101_CRON_LOWERED = {"payables/__init__.py": "", "payables/models.py": _SUPPLIER, "payables/cron.py": _RECOUNT}
# a script kept in a `commands/` folder that reads its own command line (SimpleLogin's `commands/`, round 50): low; a
# `commands/` package of the application's command handlers (CQRS), which reads none: kept
NP101_COMMANDS_FOLDER_SCRIPT = {"payables/__init__.py": "", "payables/models.py": _SUPPLIER,
                                "commands/recount_suppliers.py": "import argparse\n" + _RECOUNT + '''

if __name__ == "__main__":
    argparse.ArgumentParser(description="Recount suppliers").parse_args()
    recount()
'''}
NP101_COMMANDS_PACKAGE_KEPT = {"payables/__init__.py": "", "payables/models.py": _SUPPLIER, "payables/commands/__init__.py": "",
                               "payables/commands/recount.py": _RECOUNT}

# a helper of the application that only a script in `scripts/` calls (Ichnaea's `scripts/load_cell_data.py`, round 55:
# judged N RARE): low, naming the script; and a developer script no import can name (`recount-suppliers.py`, Review
# Board's `contrib/internal/run-pyflakes.py`) run as `__main__`: low
_RECOUNT_SCRIPT = '''
import sys

from payables.recounts import recount


def main(argv):
    recount()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
'''
NP101_SCRIPT_HELPER_LOWERED = {"payables/__init__.py": "", "payables/models.py": _SUPPLIER, "payables/recounts.py": _RECOUNT,
                               "payables/scripts/__init__.py": "", "payables/scripts/recount_all.py": _RECOUNT_SCRIPT}
NP101_DASHED_SCRIPT = {"payables/__init__.py": "", "payables/models.py": _SUPPLIER,
                       "contrib/recount-suppliers.py": _RECOUNT + '\n\nif __name__ == "__main__":\n    recount()\n'}

# a receiver of a user account's deletion (Mozillians' and HydroShare's clean-ups, rounds 55 and 56: judged N RARE):
# low, saying so; the same receiver of a supplier's deletion: kept
_ON_DELETE = '''
from django.db.models.signals import pre_delete
from django.dispatch import receiver

from payables.models import Supplier
from {sender_import} import {sender}


@receiver(pre_delete, sender={sender})
def recount_after_delete(sender, instance, **kwargs):
    for supplier in Supplier.objects.all():
        Supplier.objects.filter(name__startswith=supplier.name[:3]).count()
'''
NP101_ACCOUNT_DELETION_LOWERED = {"payables/__init__.py": "", "payables/models.py": _SUPPLIER,
                                  "payables/signals.py": _ON_DELETE.format(sender_import="django.contrib.auth.models", sender="User")}
NP101_SUPPLIER_DELETION_KEPT = {**NP101_ACCOUNT_DELETION_LOWERED,
                                "payables/signals.py": _ON_DELETE.format(sender_import="payables.models", sender="Supplier")}

NP105_BACKGROUND_POSITIVE = [NP105_COMMAND_LOWERED, NP105_TASK_LOWERED, NP105_REQUEST_KEPT, NP105_CLI_LOWERED]
NP101_BACKGROUND_POSITIVE = [NP101_COMMAND, NP101_IMPORT_COMMAND, NP101_COMMAND_BASE, NP101_CRON_LOWERED, NP101_COMMANDS_FOLDER_SCRIPT,
                             NP101_COMMANDS_PACKAGE_KEPT, NP101_SCRIPT_HELPER_LOWERED, NP101_DASHED_SCRIPT,
                             NP101_ACCOUNT_DELETION_LOWERED, NP101_SUPPLIER_DELETION_KEPT, NP101_MAIN_BLOCK_LOWERED]
NP104_BACKGROUND_POSITIVE = [NP104_STARTUP_LOWERED, NP104_REQUEST_KEPT]
NP102_BACKGROUND_POSITIVE = [NP102_COMMAND_HELPER_LOWERED, NP102_COMMAND_HELPER_KEPT, NP102_COMMAND_TASK_LOWERED,
                             NP102_SCHEDULED_TASK_KEPT, NP101_MAIN_BLOCK_LOWERED, NP102_MAIN_BLOCK_HELPER_KEPT]

# a session a management command leaves open: the command's process ends with the run and releases it (`low`, saying so;
# OpenPrescribing's fetch and build commands, 10 judged N RARE in round 48); the same generator, which holds the
# connection while its reader pauses, in a module the application serves from keeps its severity
_CONNECTION = """
import psycopg2


def fetch_statements(dsn):
    conn = psycopg2.connect(dsn)
    cur = conn.cursor()
    cur.execute("SELECT id, amount FROM statements")
    yield from cur
"""
PF501_COMMAND_LOWERED = {"payables/__init__.py": "", **_COMMANDS, "payables/management/commands/fetch_statements.py": _CONNECTION}
PF501_SERVED_KEPT = {"payables/__init__.py": "", "payables/statements.py": _CONNECTION}

# a coroutine only the application's `lifespan` awaits, calling synchronous code that queries: it runs once, before any
# request (Fides' `run_database_startup`, round 52: judged RARE), low; the same coroutine a request handler awaits: kept
_SEED = '''
def load_rates(conn):
    return dict(conn.execute("SELECT state, rate FROM icms_rates").fetchall())


async def warm_up(conn):
    return load_rates(conn)
'''
_LIFESPAN = '''
import sqlite3
from contextlib import asynccontextmanager
from starlette.applications import Starlette
from .rates import warm_up


@asynccontextmanager
async def lifespan(app):
    app.state.rates = await warm_up(sqlite3.connect("books.db"))
    yield


app = Starlette(lifespan=lifespan)
'''
PF801_STARTUP_HELPER_LOWERED = books_app(**{"books/rates.py": _SEED, "books/app.py": _LIFESPAN})
PF801_STARTUP_HELPER_KEPT = books_app(**{"books/rates.py": _SEED, "books/app.py": _LIFESPAN + '''

async def refresh(request):
    return await warm_up(request.app.state.conn)
''', "books/aio.py": "import aiosqlite\n"})  # (an async driver beside it: run_loops.sync_by_design aside)

# a coroutine querying on the transaction its caller hands it, in a project that serves nothing from an event loop:
# it runs under `asyncio.run()` in synchronous code, gathered with an upload (analysis/run_loops.py), `low`
PF801_HANDED_CONNECTION = {
    "ledger/__init__.py": "",
    "ledger/db.py": 'def select_rows(trans):\n    return trans.execute("SELECT id, amount FROM entries").fetchall()\n',
    "ledger/jobs.py": "import asyncio\nfrom .db import select_rows\n\n\nasync def entries(trans):\n    return select_rows(trans)\n\n\n"
                      "async def upload():\n    await asyncio.sleep(0)\n\n\n"
                      "async def both(trans):\n    return await asyncio.gather(entries(trans), upload())\n\n\n"
                      "def sync_all(trans):\n    return asyncio.run(both(trans))\n",
}

# a crawler or a cache warm-up (by its class's, function's or module's name) requests each URL in turn because that is
# its job (UKHSA's dashboard, round 146: 2 judged WRONGFIX): `low`, saying so; the same loop in a class named for a
# sync keeps its severity
_PAGES = '''
import requests


class {name}:
    def __init__(self, base_url):
        self.base_url = base_url

    def hit(self, url):
        return requests.get(f"{{self.base_url}}{{url}}", timeout=30).status_code

    def process_all(self, urls):
        return [self.hit(url) for url in urls]
'''
NP105_CRAWLER_LOWERED = {"site/__init__.py": "", "site/pages.py": _PAGES.format(name="FrontEndCrawler")}
NP105_SYNC_KEPT = {"site/__init__.py": "", "site/pages.py": _PAGES.format(name="FrontEndSync")}

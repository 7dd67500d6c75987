"""Imports nothing in the project starts (analysis/command_starts.py): a query or a write per row of the file a
management command imports is `low` when no deployment file and no other code names the command, saying so; the same
import that a crontab, a Procfile, a CI workflow or a task's `call_command` starts keeps its severity. Every example is
a positive (flagged, at the severity tests/test_rule_precision_131.py checks)."""

from .row_examples import ROW_MODELS
from .static import PYTHON2

# what a finding lowered here adds to its message, for the command `{0}`: "imports large files" for a query or a write
# per row, "runs" for a cost paid once per run (tests/test_rule_precision_131.py and _136.py check it)
BY_HAND = ("; it runs in the management command `{0}`, which nothing in the project starts (no crontab, deployment file, "
           "script or code names it), so a person runs it by hand: worth a fix when it {1} often, on a schedule kept "
           "outside this repository")

_APP = {"billing/__init__.py": "", "billing/models.py": ROW_MODELS, "billing/management/__init__.py": "",
        "billing/management/commands/__init__.py": ""}
_IMPORT = '''
import csv
from decimal import Decimal

from django.core.management.base import BaseCommand

from billing.models import Client, Invoice


class Command(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, **options):
        with open(options["path"], newline="") as f:
            for row in csv.DictReader(f):
                client = Client.objects.get(name=row["client"])
                Invoice.objects.create(client=client, total=Decimal(row["total"]))
'''
# a one-off load of last year's invoices, run by hand: nothing names `import_invoices` (found at low)
IMPORT_BY_HAND_LOWERED = {**_APP, "billing/management/commands/import_invoices.py": _IMPORT}
# the same import that the server's crontab runs every night, or a Procfile's scheduler process: kept
IMPORT_IN_CRONTAB_KEPT = {**IMPORT_BY_HAND_LOWERED,
                          "deploy/crontab": "0 2 * * * cd /srv/billing && python manage.py import_invoices /data/erp/invoices.csv\n"}
IMPORT_IN_PROCFILE_KEPT = {**IMPORT_BY_HAND_LOWERED,
                           "Procfile": "web: gunicorn billing.wsgi\nimport: python manage.py import_invoices /data/erp/invoices.csv\n"}
# started by a Celery task of the application: kept
IMPORT_FROM_TASK_KEPT = {**IMPORT_BY_HAND_LOWERED, "billing/tasks.py": '''
from celery import shared_task
from django.core.management import call_command


@shared_task
def nightly_import(path):
    call_command("import_invoices", path)
'''}
# started only by another command that nothing starts either (a setup command a developer runs once): lowered; a test
# that calls it starts nothing in production
IMPORT_FROM_SETUP_COMMAND_LOWERED = {**IMPORT_BY_HAND_LOWERED, "billing/management/commands/setup_demo.py": '''
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    def handle(self, *args, **options):
        call_command("import_invoices", "demo/invoices.csv")
''', "billing/tests/test_import.py": '''
from django.core.management import call_command


def test_import_invoices(db):
    call_command("import_invoices", "billing/tests/invoices.csv")
'''}
# the setup command itself started by the container's entry point: then both run on every deployment, kept
IMPORT_FROM_STARTED_SETUP_KEPT = {**IMPORT_FROM_SETUP_COMMAND_LOWERED,
                                  "docker/entrypoint.sh": "#!/bin/sh\npython manage.py migrate\npython manage.py setup_demo\nexec gunicorn billing.wsgi\n"}
# a helper of another module that only the hand-run command calls: lowered like the command's own loop
IMPORT_HELPER_LOWERED = {**_APP, "billing/importing.py": '''
from decimal import Decimal

from billing.models import Client, Invoice


def load_rows(rows):
    for row in rows:
        client = Client.objects.get(name=row["client"])
        Invoice.objects.create(client=client, total=Decimal(row["total"]))
''', "billing/management/commands/import_invoices.py": '''
import csv

from django.core.management.base import BaseCommand

from billing.importing import load_rows


class Command(BaseCommand):
    def handle(self, *args, **options):
        with open(options["path"], newline="") as f:
            load_rows(csv.DictReader(f))
'''}

# an INSERT per row of a bank statement, and nothing else per row: lowered when run by hand, kept when the crontab runs
# it (Invoice overrides save(), which bulk_create would skip: a payment does not)
_WRITES = _IMPORT.replace("Client, Invoice", "Payment").replace('client = Client.objects.get(name=row["client"])\n                ', "").replace(
    'Invoice.objects.create(client=client, total=Decimal(row["total"]))',
    'Payment.objects.create(invoice_id=int(row["invoice"]), amount=Decimal(row["amount"]), paid_on=row["date"])')
WRITES_BY_HAND_LOWERED = {**_APP, "billing/management/commands/import_payments.py": _WRITES}
WRITES_IN_CRONTAB_KEPT = {**WRITES_BY_HAND_LOWERED, "deploy/crontab": "30 6 * * 1-5 python manage.py import_payments /srv/bank/today.csv\n"}

# an import that keeps track of when it last ran, to load only what changed since: built to run again and again, on a
# schedule the repository does not hold (usaspending's FPDS load, round 131: 4 judged worth acting on), kept
IMPORT_SINCE_LAST_LOAD_KEPT = {**_APP, "billing/loads.py": "def get_last_load_date(source):\n    return None\n",
                               "billing/management/commands/import_invoices.py": _IMPORT.replace(
                                   "from billing.models import Client, Invoice\n",
                                   "from billing.loads import get_last_load_date\nfrom billing.models import Client, Invoice\n").replace(
                                   "    def handle(self, *args, **options):\n",
                                   "    def handle(self, *args, **options):\n        self.since = get_last_load_date(\"erp\")\n")}

# named only where nothing can start it: a model's docstring says which command fills its table, and an error class
# which command raises it (usaspending, round 131; get.gov, round 135): still run by hand, lowered
IMPORT_NAMED_IN_A_DOCSTRING_LOWERED = {**IMPORT_BY_HAND_LOWERED, "billing/rates.py": '''
class RateTable:
    """Tax rates per state; the import_invoices command fills it from the ERP's export."""


class ImportError_(Exception):
    """Raised by import_invoices when a row names no client."""
'''}

# a task that runs the command's own class: started, kept
IMPORT_CLASS_FROM_TASK_KEPT = {**IMPORT_BY_HAND_LOWERED, "billing/tasks.py": '''
from celery import shared_task

from billing.management.commands.import_invoices import Command


@shared_task
def nightly_import(path):
    Command().handle(path=path)
'''}

# an export that reads every invoice into memory, and an archive statement formatted from the date the person types:
# a cost paid once per hand run (round 135: Open Knesset's file loads, 4 judged N RARE; round 131: usaspending's
# formatted updates, 2 judged N), lowered; the same export a crontab runs every night keeps its severity
_EXPORT = '''
import csv
import sys

from django.core.management.base import BaseCommand
from django.db import connection


class Command(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument("before")

    def handle(self, *args, **options):
        with connection.cursor() as cursor:
            cursor.execute("SELECT id, client_id, total, issued_on FROM billing_invoice")
            rows = cursor.fetchall()
            writer = csv.writer(sys.stdout)
            for row in rows:
                writer.writerow(row)
            cursor.execute("DELETE FROM billing_invoice WHERE issued_on < '%s'" % options["before"])
'''
EXPORT_BY_HAND_LOWERED = {**_APP, "billing/management/commands/archive_invoices.py": _EXPORT}
EXPORT_IN_CRONTAB_KEPT = {**EXPORT_BY_HAND_LOWERED, "deploy/crontab": "0 1 * * * python manage.py archive_invoices 2020-01-01\n"}

# base classes kept beside the commands, in a module with no `Command` of its own: the nightly import the crontab runs
# derives from `BaseImport` and keeps its finding; only the hand-run `import_rates` derives from `BaseRatesImport`, whose
# finding is lowered (Local Intelligence Hub's `base_importers.py`, round 139: 6 judged RARE)
_BASES = '''
import csv

from django.core.management.base import BaseCommand

from billing.models import Client, Invoice


class BaseImport(BaseCommand):
    def load(self, path):
        with open(path, newline="") as f:
            for row in csv.DictReader(f):
                Invoice.objects.filter(client=Client.objects.get(name=row["client"])).update(total=row["total"])


class BaseRatesImport(BaseImport):
    def load_rates(self, path):
        with open(path, newline="") as f:
            for row in csv.DictReader(f):
                Invoice.objects.filter(client=Client.objects.get(name=row["client"])).update(tax=row["rate"])
'''
BASE_CLASSES_BESIDE_COMMANDS = {
    **_APP, "billing/management/commands/base_importers.py": _BASES,
    "billing/management/commands/import_nightly.py": "from .base_importers import BaseImport\n\n\nclass Command(BaseImport):\n"
    "    def handle(self, *args, **options):\n        self.load('/data/erp/invoices.csv')\n",
    "billing/management/commands/import_rates.py": "from .base_importers import BaseRatesImport\n\n\nclass Command(BaseRatesImport):\n"
    "    def handle(self, *args, **options):\n        self.load_rates('/data/erp/rates.csv')\n",
    "deploy/crontab": "0 2 * * * python manage.py import_nightly\n"}

# a file the parser refuses (Python 2's `print` statement) is read as text (analysis/unparsed.py): beside one that names
# nothing, the import is still run by hand (VotaInteligente, 17 Python 2 files: round 155, 2 judged N RARE), lowered; a
# Python 2 task that starts it keeps it
IMPORT_BESIDE_PYTHON2_LOWERED = {**IMPORT_BY_HAND_LOWERED, "billing/legacy_report.py": PYTHON2 + 'import csv\n\nprint "invoices exported"\n'}
IMPORT_FROM_PYTHON2_TASK_KEPT = {**IMPORT_BY_HAND_LOWERED, "billing/old_tasks.py": PYTHON2 + """from django.core.management import call_command


def nightly_import(path):
    print "importing", path
    call_command("import_invoices", path)
"""}

NP101_HAND_RUN_POSITIVE = [IMPORT_BY_HAND_LOWERED, IMPORT_IN_CRONTAB_KEPT, IMPORT_IN_PROCFILE_KEPT, IMPORT_FROM_TASK_KEPT,
                           IMPORT_FROM_SETUP_COMMAND_LOWERED, IMPORT_FROM_STARTED_SETUP_KEPT, IMPORT_HELPER_LOWERED,
                           IMPORT_NAMED_IN_A_DOCSTRING_LOWERED, IMPORT_CLASS_FROM_TASK_KEPT, IMPORT_SINCE_LAST_LOAD_KEPT,
                           IMPORT_BESIDE_PYTHON2_LOWERED, IMPORT_FROM_PYTHON2_TASK_KEPT]
PF201_HAND_RUN_POSITIVE = [WRITES_BY_HAND_LOWERED, WRITES_IN_CRONTAB_KEPT, BASE_CLASSES_BESIDE_COMMANDS]
ONCE_PER_RUN_POSITIVE = [EXPORT_BY_HAND_LOWERED, EXPORT_IN_CRONTAB_KEPT]  # PF401 and PF601

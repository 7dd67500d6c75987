"""Loops whose every item also does I/O that costs far more than one query (analysis/dwarfing.py): an HTTP call, a
subprocess, an e-mail sent, directly or through the project's own helpers (a file copied is not such work). The query per item is real
and still reported, at `low` with the reason, so these are positive examples of their rules; tests/test_dwarfing.py
checks each one's severity, line and message, and the plain loops beside them that stay as they were."""

from .row_examples import billing_app

_MODELS = '''
from django.db import models


class Currency(models.Model):
    code = models.CharField(max_length=3)


class Supplier(models.Model):
    name = models.CharField(max_length=100)
    iban = models.CharField(max_length=34)


class Bill(models.Model):
    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="bills")
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    pdf = models.CharField(max_length=200)
'''


def _bills(code: str, **more: str) -> dict[str, str]:
    return {"payables/__init__.py": "", "payables/models.py": _MODELS, "payables/jobs.py": code, **more}


# NP101: each bill is pushed to the bank's API (a remote call) and its supplier looked up (a query)
NP101_IO_LOWERED = _bills('''
import requests
from .models import Bill, Supplier

def push_to_bank():
    for bill in Bill.objects.filter(amount__gt=0):
        supplier = Supplier.objects.get(pk=bill.supplier_id)
        requests.post("https://bank.example/transfers", json={"iban": supplier.iban, "amount": str(bill.amount)}, timeout=10)
''')
# the same loop with only the query: unchanged (high)
NP101_IO_KEPT = _bills('''
from .models import Bill, Supplier

def payees():
    out = []
    for bill in Bill.objects.filter(amount__gt=0):
        out.append(Supplier.objects.get(pk=bill.supplier_id).iban)
    return out
''')
# enqueueing a task and logging per item cost microseconds: unchanged (high)
NP101_QUEUE_KEPT = _bills('''
import logging
from .models import Bill, Supplier
from .tasks import notify

log = logging.getLogger(__name__)

def announce():
    for bill in Bill.objects.filter(amount__gt=0):
        supplier = Supplier.objects.get(pk=bill.supplier_id)
        notify.delay(supplier.pk)
        log.info("queued %s", supplier.pk)
''', **{"payables/tasks.py": '''
from celery import shared_task

@shared_task
def notify(supplier_id):
    return supplier_id
'''})
# NP102: a helper queries per item and another converts each bill's PDF in a subprocess, one call further down
NP102_IO_LOWERED = _bills('''
from .lookups import supplier_of
from .render import archive_pdf

def archive_all():
    for bill in Bill.objects.all():
        name = supplier_of(bill.supplier_id).name
        archive_pdf(bill.pdf, name)
''', **{"payables/lookups.py": '''
from .models import Supplier

def supplier_of(pk):
    return Supplier.objects.get(pk=pk)
''', "payables/render.py": '''
import subprocess

def _convert(path):
    subprocess.run(["pdftoppm", "-png", path, path + ".png"], check=True)

def archive_pdf(path, label):
    _convert(path)
    return label
'''})
# three project calls between the loop and the subprocess: too far to be sure it runs per item, unchanged (high)
NP102_DEEP_IO_KEPT = {**NP102_IO_LOWERED, "payables/render.py": '''
import subprocess

def _run(path):
    subprocess.run(["pdftoppm", "-png", path, path + ".png"], check=True)

def _convert(path):
    _run(path)

def archive_pdf(path, label):
    _convert(path)
    return label
'''}
# NP103: a relation read per row while each row's file is copied: a file costs about what a query does, so the
# finding keeps its severity (high)
NP103_FILE_KEPT = billing_app('''
import shutil
from .models import Invoice

def export_all(target):
    for inv in Invoice.objects.all():
        shutil.copy(f"/srv/invoices/{inv.pk}.pdf", target)
        print(inv.label())
''')
# PF201: a write per row while each row also sends an e-mail through Django's mail API
PF201_IO_LOWERED = _bills('''
from django.core.mail import send_mail
from .models import Bill

def remind_all():
    for bill in Bill.objects.filter(amount__gt=0):
        send_mail("Bill due", f"{bill.amount} is due", "ap@example.com", ["payer@example.com"])
        bill.amount = bill.amount
        bill.save()
''')
# PF301: the same currency looked up on every item, while each item is uploaded to a boto3 client's bucket
PF301_IO_LOWERED = _bills('''
import boto3
from .models import Bill, Currency

def upload_all(bills):
    s3 = boto3.client("s3")
    for bill in bills:
        euro = Currency.objects.get(code="EUR")
        s3.put_object(Bucket="bills", Key=f"{bill.pk}-{euro.code}.pdf", Body=bill.pdf)
''')

NP101_IO_POSITIVE = [NP101_IO_LOWERED, NP101_IO_KEPT, NP101_QUEUE_KEPT]
NP102_IO_POSITIVE = [NP102_IO_LOWERED, NP102_DEEP_IO_KEPT]
NP103_IO_POSITIVE = [NP103_FILE_KEPT]
PF201_IO_POSITIVE = [PF201_IO_LOWERED]
PF301_IO_POSITIVE = [PF301_IO_LOWERED]

# a cache kept on the class, filled again only when the version it was filled for changes (c3nav's router): the rate
# table is read once per version, not once per invoice (PF301's negative; tests/test_rule_precision_33.py reads it
# on every call too)
PF301_VERSIONED_CACHE = '''
class Rates:
    cached = None
    version = None

    @classmethod
    def load(cls, version):
        if getattr(cls, "version", None) != version:
            cls.version = version
            with open(f"rates-{version}.json") as f:
                cls.cached = f.read()
        return cls.cached


def taxes(invoices, version):
    return [Rates.load(version) for invoice in invoices]
'''

# a map kept on the class, built when it is not a dict yet (JumpServer's organisations, judged false): once per process
PF301_CLASS_MAP = '''
import json


class Branches:
    by_code = None

    @classmethod
    def lookup(cls, code):
        if not isinstance(cls.by_code, dict):
            with open("branches.json") as f:
                cls.by_code = json.load(f)
        return cls.by_code.get(code)


def branch_names(invoices, code):
    return [Branches.lookup(code) for invoice in invoices]
'''

# PF301 over a loop nothing sizes: a document's lines, each rate looked up by its state; `low`, with the reason, as
# NP102 says of the same call (tests/test_rule_precision_34.py)
PF301_UNSIZED = {"fiscal/__init__.py": "", "fiscal/taxes.py": '''
import json


def rate_for(conn, state):
    return conn.execute("SELECT rate FROM icms_rates WHERE state = ?", (state,)).fetchone()[0]


def taxes(conn, path):
    with open(path) as f:
        document = json.load(f)
    return [line.value * rate_for(conn, line.state) for line in document.lines]


def taxes_of(conn, transactions):
    return [t.value * rate_for(conn, t.state) for t in transactions]
'''}

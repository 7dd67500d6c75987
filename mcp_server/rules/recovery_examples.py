"""Calls made only when the call before them failed (flow.recovers): in an `except` handler that catches a failure
(`except Exception:`, a timeout, a refused connection), a query or a remote call recovers from that one failure, not on
the loop's usual pass. SBC Pay's CFS jobs re-read one invoice after a timed-out create (round 132: 3 judged false at
`high`). Found at `low`, saying so; a handler for a missing row (`except Client.DoesNotExist:`) is a lookup's usual
miss and keeps its severity."""

_BANK = '''
import time

import requests

BANK = "https://bank.example/api"


def create_invoice(invoice):
    return requests.post(f"{BANK}/invoices", json={"number": invoice.number, "total": str(invoice.total)}, timeout=30).json()


def fetch_invoice(number):
    return requests.get(f"{BANK}/invoices/{number}", timeout=30).json()
'''
# `low`: the GET runs only when the POST before it failed
NP105_RECOVERY_LOWERED = _BANK + '''

def push_invoices(invoices):
    for invoice in invoices:
        try:
            create_invoice(invoice)
        except requests.Timeout:
            time.sleep(10)
            fetch_invoice(invoice.number)
'''
# `high`: each invoice's status is fetched on every pass; the finding is that call's, at its line, though the
# recovery's call comes first in the loop
NP105_EVERY_PASS_KEPT = _BANK + '''

def push_invoices(invoices):
    for invoice in invoices:
        try:
            create_invoice(invoice)
        except Exception:
            fetch_invoice(invoice.number)
        invoice.status = fetch_invoice(invoice.number)["status"]
'''
_MODELS = '''
from django.db import models


class Client(models.Model):
    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=80)
'''
# `high`: a missing client is the lookup's usual miss, and the fallback query runs for every such row
NP101_MISSING_ROW_KEPT = {"billing/__init__.py": "", "billing/models.py": _MODELS, "billing/imports.py": '''
from .models import Client


def client_ids(rows):
    found = []
    for row in rows:
        try:
            found.append(Client.objects.get(code=row["code"]).pk)
        except Client.DoesNotExist:
            found.append(Client.objects.filter(name=row["name"]).values_list("pk", flat=True).first())
    return found
'''}

# a data layer that keeps one connection and reconnects only in the handler of a failed query (NIPAP's backend, round
# 136: 16 PF502 judged false): `_execute` per item opens nothing; each item's INSERT is still a query per item (NP102)
_LEDGER = '''
import psycopg2


class Ledger:
    def __init__(self, dsn):
        self._dsn = dsn
        self._connect()

    def _connect(self):
        self._con = psycopg2.connect(self._dsn)
        self._cur = self._con.cursor()

    def _execute(self, sql, params=None, retried=False):
        try:
            self._cur.execute(sql, params)
        except {caught}:
            if retried:
                raise
            self._connect()
            return self._execute(sql, params, retried=True)

    def log_entries(self, entries):
        for entry in entries:
            self._execute("INSERT INTO entry_log (entry_id, action) VALUES (%s, %s)", (entry["id"], "posted"))
'''
PF502_RECONNECT_ON_FAILURE = {"ledger/__init__.py": "", "ledger/store.py": _LEDGER.format(caught="psycopg2.OperationalError")}
# the handler of a row's unique violation is the usual path of a duplicate entry, not a failure: connecting there is
# per item, and kept
PF502_CONNECT_ON_DUPLICATE_KEPT = {"ledger/__init__.py": "", "ledger/store.py": _LEDGER.format(caught="psycopg2.IntegrityError")}

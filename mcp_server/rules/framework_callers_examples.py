"""Per-item work whose cost its callers decide (issue 15, stop 59), each with the example that keeps the finding:
- a lookup repeated per item of a management command a person runs (PF301, as the N+1 rules already were): `low`;
- a loop over the parameter of a function nothing in a deployed application calls: the framework calls it (an admin
  action, a template filter, a validator) with one request's few items, so `low`; in a library, an API for code outside
  it, still `medium`; so is an HTTP route's list parameter, whose size each client decides;
- a method calling a method of the same name on each of its rows of another class (`ScanJob.pause()` pausing each
  `ScanTask`): not a tree walk, so the related rows of one object, `low`; a method calling itself on its children is.
Tests: tests/test_rule_precision_133.py."""

from .caller_examples import NP101_CALLED_FROM_NOWHERE
from .row_examples import ROW_MODELS

_APP = {"billing/__init__.py": "", "billing/models.py": ROW_MODELS + '''

class TaxRate(models.Model):
    state = models.CharField(max_length=2)
    rate = models.DecimalField(max_digits=6, decimal_places=4)
'''}
_RETAX = '''
from django.core.management.base import BaseCommand

from billing.models import Invoice, TaxRate


class Command(BaseCommand):
    def handle(self, *args, **options):
        for invoice in Invoice.objects.filter(total__gt=0):
            icms = TaxRate.objects.get(state="SP")
            print(invoice.pk, invoice.total * icms.rate)
'''
# a one-off recalculation run by hand (zds-site's, Mangaki's, USAspending's and IFRC GO's repair commands, rounds 105 to
# 132: 4 judged N RARE): `low`, as a query per item is in a command
PF301_COMMAND_LOWERED = {**_APP, "billing/management/__init__.py": "", "billing/management/commands/__init__.py": "",
                         "billing/management/commands/retax.py": _RETAX}
# the same loop behind a URL keeps its severity
PF301_VIEW_KEPT = {**_APP, "billing/views.py": '''
from billing.models import Invoice, TaxRate


def retax(request):
    for invoice in Invoice.objects.filter(total__gt=0):
        icms = TaxRate.objects.get(state="SP")
        print(invoice.pk, invoice.total * icms.rate)
''', "billing/urls.py": "from django.urls import path\n\nfrom . import views\n\nurlpatterns = [path('retax', views.retax)]\n"}

# `ledger.names(client_ids)` while `LedgerDB.client_names` is named nowhere: in a project with a `manage.py` (MITx,
# Money to Prisoners, Salesman, A+, rounds 100 to 132: 22 of 23 judged not worth acting on or false) `low`
NP101_OUTSIDE_IN_APPLICATION_LOWERED = {**NP101_CALLED_FROM_NOWHERE, "manage.py": "import django\n"}

_JOB_MODELS = '''
from django.db import models


class Source(models.Model):
    name = models.CharField(max_length=40)


class ScanJob(models.Model):
    status = models.CharField(max_length=10)

    def pause(self):
        for task in self.tasks.exclude(status="done"):
            task.pause()


class ScanTask(models.Model):
    job = models.ForeignKey(ScanJob, related_name="tasks", on_delete=models.CASCADE)
    source = models.ForeignKey(Source, on_delete=models.CASCADE)
    status = models.CharField(max_length=10)

    def pause(self):
        if self.source.name:
            self.status = "paused"
'''
_JOB_VIEW = '''
from .models import ScanJob


def pause(request, pk):
    ScanJob.objects.get(pk=pk).pause()
'''
# Quipucords' scan jobs (round 121: 3 judged N SMALL): one job's few tasks, `low`
NP103_SAME_NAME_OTHER_CLASS_LOWERED = {"manage.py": "", "scans/__init__.py": "", "scans/models.py": _JOB_MODELS,
                                       "scans/views.py": _JOB_VIEW,
                                       "scans/urls.py": "from .views import pause\nurlpatterns = [pause]\n"}

_BALANCES = '''
import sqlite3

from fastapi import APIRouter, Query

router = APIRouter()
conn = sqlite3.connect("billing.db")


@router.get("/balances")
def balances(client_id: list[int] = Query([])):
    return {c: conn.execute("SELECT SUM(total) FROM invoices WHERE client_id = ?", (c,)).fetchone()[0] for c in client_id}
'''
# a route's list parameter (Open Library's `/observations.json?olid=...`, round 132: judged worth acting on): the client
# decides how many ids a request carries, so `medium` in an application too; the same function undecorated is `low`
NP101_ROUTE_PARAMETER_KEPT = {"Dockerfile": "FROM python:3.11\n", "billing/__init__.py": "", "billing/api.py": _BALANCES}

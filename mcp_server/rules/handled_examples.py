"""A loop over the rows a state selects whose work moves each row out of it (analysis/handled_rows.py): Lepton's
Celery tasks pick the events not yet reminded and flag each one in the helper they hand it to (round 159: three N+1
findings judged N SMALL), PyCon Italia's five-minute task activates the cancelled memberships whose paid period began
and saves each `update_fields=["status"]` (round 157: two PF201 judged N SMALL). Each row passes through once in its
life: found at `low`, saying so. The same loops without the flag (the rows are walked again on every run) keep their
severity, and so does a loop that only sets the state and saves, one `UPDATE` however often its rows come."""

_MODELS = '''
from django.db import models


class Client(models.Model):
    email = models.EmailField()


class Invoice(models.Model):
    client = models.ForeignKey(Client, on_delete=models.CASCADE)
    status = models.CharField(max_length=16, default="open")
    reminded = models.BooleanField(default=False)
    due = models.DateField()
    paid_on = models.DateField(null=True)
    note = models.TextField(blank=True)
'''

_TASKS = '''
from datetime import date

from celery import shared_task

from .models import Client, Invoice


@shared_task
def settle():
    invoices = Invoice.objects.filter(
        reminded=False,
        due__lt=date.today(),
    )
    for invoice in invoices:
        _remind(invoice)
    for invoice in Invoice.objects.filter(status="open", paid_on__isnull=False):
        invoice.status = "paid"
        invoice.save(update_fields=["status"])
        _receipt(invoice)


def _receipt(invoice):
    print(f"invoice {invoice.pk} paid on {invoice.paid_on}")


def _remind(invoice):
    client = Client.objects.get(pk=invoice.client_id)
    invoice.note = f"reminded {client.email}"
    invoice.reminded = True
    invoice.save(update_fields=["note", "reminded"])
'''

_CELERY = '''
from celery import Celery

app = Celery("billing")
app.conf.beat_schedule = {"settle": {"task": "billing.tasks.settle", "schedule": 3600}}
'''

HANDLED_ROWS = {"billing/__init__.py": "", "billing/models.py": _MODELS, "billing/tasks.py": _TASKS, "billing/celery.py": _CELERY}
# the helper no longer flags the invoice, and the second loop selects by date: every run walks those rows again
WALKED_AGAIN = {**HANDLED_ROWS, "billing/tasks.py": _TASKS.replace("    invoice.reminded = True\n", "").replace(
    'update_fields=["note", "reminded"]', 'update_fields=["note"]').replace('status="open", paid_on__isnull=False', "paid_on=date.today()")}
# the second loop only sets the status and saves: one `UPDATE`, kept
STATE_ONLY = {**HANDLED_ROWS, "billing/tasks.py": _TASKS.replace("        _receipt(invoice)\n", "")}

"""A related row printed per row: `f"{invoice.client}"`, `str(invoice.client)` or DRF's `StringRelatedField` run the
client's `__str__`, which may read further relations (`f"{self.owner}/{self.name}"`, then the owner's `self.user`).
Compute Studio's serializers printed `str(project)` per simulation, whose `__str__` reads the owner and the owner's user;
the scan offered `select_related("project")` (round 177, judged true with a note: two queries per row stay), and said
nothing when the queryset already joined the project. The fix names the whole path the printing reads."""

_MODELS = '''
from django.conf import settings
from django.db import models


class Accountant(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)

    def __str__(self):
        return self.user.username


class Client(models.Model):
    name = models.CharField(max_length=80)
    owner = models.ForeignKey(Accountant, on_delete=models.PROTECT)

    def __str__(self):
        return f"{self.owner}/{self.name}"

'''
# in another app, naming the client's model as Django does: "app_label.Model"
_BILLING = '''
from django.db import models


class Invoice(models.Model):
    client = models.ForeignKey("ledger.Client", on_delete=models.PROTECT)
    total = models.DecimalField(max_digits=12, decimal_places=2)
'''
_API = '''
from rest_framework import serializers, viewsets

from .models import Invoice


class InvoiceSerializer(serializers.ModelSerializer):
    client = serializers.StringRelatedField()

    class Meta:
        model = Invoice
        fields = ("id", "client", "total")


class InvoiceViewSet(viewsets.ModelViewSet):
    serializer_class = InvoiceSerializer
    queryset = Invoice.objects.all()
'''
_URLS = '''
from rest_framework.routers import DefaultRouter

from .api import InvoiceViewSet

router = DefaultRouter()
router.register("invoices", InvoiceViewSet)
urlpatterns = router.urls
'''
# another `Client` in the project, a SQLAlchemy table of the bank sync: "ledger.Client" is still the ledger's
_SYNC = '''
from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class Client(Base):
    __tablename__ = "bank_clients"
    id = Column(Integer, primary_key=True)
    iban = Column(String(34))
'''
_APPS = {"manage.py": "", "ledger/__init__.py": "", "ledger/models.py": _MODELS, "billing/__init__.py": "",
         "billing/models.py": _BILLING, "banksync/__init__.py": "", "banksync/tables.py": _SYNC}
_FILES = {**_APPS, "billing/api.py": _API, "billing/urls.py": _URLS}

# (found: `select_related("client__owner__user")`) each row's client printed, and the client prints its owner's user
NP103_PRINTED_FIELD = _FILES
# (found, the same fix) the queryset joins the client, but printing it still reads the owner and the owner's user
NP103_PRINTED_FIELD_JOINED = {**_FILES, "billing/api.py": _API.replace(
    "Invoice.objects.all()", 'Invoice.objects.select_related("client")')}
# no finding: the whole path is joined
NP103_PRINTED_FIELD_LOADED = {**_FILES, "billing/api.py": _API.replace(
    "Invoice.objects.all()", 'Invoice.objects.select_related("client__owner__user")')}

_REPORT = '''
from django.http import HttpResponse

from .models import Invoice


def statement(request):
    lines = []
    for invoice in Invoice.objects.select_related("client"):
        lines.append(f"{invoice.client}: {invoice.total}")
    return HttpResponse("\\n".join(lines))
'''
_REPORT_FILES = {**_APPS, "billing/report.py": _REPORT, "billing/urls.py": '''
from django.urls import path

from .report import statement

urlpatterns = [path("statement/", statement)]
'''}

# (found: `select_related("client__owner__user")`) the loop joins the client and prints it
NP103_PRINTED_IN_LOOP = _REPORT_FILES
# (found, the same) `str(invoice.client)`
NP103_STR_IN_LOOP = {**_REPORT_FILES, "billing/report.py": _REPORT.replace('f"{invoice.client}: {invoice.total}"',
                                                                          'str(invoice.client)')}
# (found: the same fix, from the direct read) the loop does not join the client
NP103_PRINTED_UNJOINED = {**_REPORT_FILES, "billing/report.py": _REPORT.replace('.select_related("client")', ".all()")}
# no finding: the client's own column, not the client printed
NP103_COLUMN_IN_LOOP = {**_REPORT_FILES, "billing/report.py": _REPORT.replace("{invoice.client}", "{invoice.client.name}")}
# (found: one fix, `select_related("client__owner__user")`, not "client" beside it) a column of the client read, then
# the client printed
NP103_READ_THEN_PRINTED = {**_REPORT_FILES, "billing/report.py": _REPORT.replace(
    '.select_related("client")', ".all()").replace(
    '        lines.append(f"{invoice.client}: {invoice.total}")',
    '        if invoice.client.name:\n            lines.append(f"{invoice.client}: {invoice.total}")')}

"""Loops that run a few times, and a cache filled once in a while, however the rows they touch grow (round 128, OSF).

- A method returning a literal of a few items (`return (qs_a, qs_b)`, "split into two queries to avoid a parallel
  sequence scan"): a loop over its result runs twice (judged N SMALL). loop_size.literal_returns.
- An Enum of another module (`for kind in requests_helpers.AddonType`): its members (judged N SMALL).
- A module cache refilled only when it expires (`if not CAMPAIGNS or expired(...):`): per call a dictionary lookup,
  not a query (judged CACHED). flow._fills_once.
Each has a counterpart that stays reported: a method returning a query's rows, a module cache refilled on every call.
"""

from .row_examples import billing_app
from .static import DJANGO_MODELS

_REPORT = '''
from django.db.models import Sum

from .models import Client, InvoiceItem


class Report:
    def _clients(self):
        {returned}

    def totals(self):
        return [InvoiceItem.objects.filter(invoice__client__in=qs).aggregate(s=Sum("amount"))["s"] for qs in self._clients()]
'''

_VIEWS = '''
from .report import Report


def totals(request):
    return Report().totals()
'''

_URLS = '''
from django.urls import path

from .views import totals

urlpatterns = [path("totals", totals)]
'''


def report_app(returned: str) -> dict[str, str]:
    return {"manage.py": "", "billing/__init__.py": "", "billing/models.py": DJANGO_MODELS, "billing/report.py": _REPORT.format(returned=returned),
            "billing/views.py": _VIEWS, "billing/urls.py": _URLS}


_TWO_QUERYSETS = 'return (Client.objects.filter(state="SP"), Client.objects.exclude(state="SP"))  # two scans, on purpose'
NP101_RETURNED_LITERAL_NEGATIVE = report_app(_TWO_QUERYSETS)
NP101_RETURNED_ROWS_POSITIVE = report_app('return [[c] for c in Client.objects.all()]')

_KINDS = '''
import enum


class Regime(enum.StrEnum):
    SIMPLES = enum.auto()
    PRESUMIDO = enum.auto()
    REAL = enum.auto()
'''

_RATES = '''
import requests

from . import kinds


def rates():
    found = {}
    for regime in kinds.Regime:
        found[regime] = requests.get(f"https://erp.example/rates/{regime}", timeout=10).json()
    return found
'''

NP105_MODULE_ENUM_NEGATIVE = {"manage.py": "", "taxes/__init__.py": "", "taxes/kinds.py": _KINDS, "taxes/rates.py": _RATES,
                              "taxes/views.py": "from .rates import rates\n\n\ndef view(request):\n    return rates()\n",
                              "taxes/urls.py": 'from django.urls import path\n\nfrom .views import view\n\nurlpatterns = [path("rates", view)]\n'}

_STATES = '''
import threading

from django.utils import timezone

from .models import Client

mutex = threading.Lock()
STATES = None
REFRESHED = timezone.now()


def expired(when):
    return (timezone.now() - when).total_seconds() > 600


def client_states():
    global STATES, REFRESHED
    if {test}:
        with mutex:
            newest = {{}}
            for client in Client.objects.all():
                newest[client.name] = client.state
            STATES = newest
            REFRESHED = timezone.now()
    return STATES


def state_of(name):
    return client_states()[name]
'''

_LABELS = '''
from . import states


def labels(request):
    return [f"{name}/{states.state_of(name)}" for name in states.client_states()]
'''


def states_app(test: str) -> dict[str, str]:
    return {"manage.py": "", "billing/__init__.py": "", "billing/models.py": DJANGO_MODELS, "billing/states.py": _STATES.format(test=test),
            "billing/views.py": _LABELS,
            "billing/urls.py": 'from django.urls import path\n\nfrom .views import labels\n\nurlpatterns = [path("labels", labels)]\n'}


NP102_EXPIRING_MEMO_NEGATIVE = states_app("not STATES or (not mutex.locked() and expired(REFRESHED))")
NP102_REFILLED_EACH_CALL_POSITIVE = states_app("True")

# a loop over a class's subclasses walks Python classes, a few of them, not rows (Mooring Licensing's four application
# types, round 144: judged N SMALL): not reported; the same helper per invoice of a query stays `high`
_KINDS_OF_INVOICE = '''
from .models import Client, Invoice


def client_count(kind):
    return Client.objects.filter(name=kind).count()


def counts():
    return {{kind: client_count(kind) for kind in {source}}}
'''
NP102_SUBCLASSES_NEGATIVE = billing_app(_KINDS_OF_INVOICE.format(source="Invoice.__subclasses__()"))
NP102_ROWS_KEPT = billing_app(_KINDS_OF_INVOICE.format(source="Invoice.objects.all()"))

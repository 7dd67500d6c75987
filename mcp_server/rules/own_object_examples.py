"""Code only the project's own objects run, and code nothing routes (unused.py).

A bank client the project builds itself (`BankClient(token)`), deriving only from the project's own bare classes: its
methods run only where the project's code names them. One only tests call runs for no user (OSF's
`BitbucketClient.team_repos`, round 128: judged DEAD). A class deriving from a library's may have that library call
its methods by name, and stays reported. A DRF viewset no router registers serves no request (koalixcrm's
`AgreementAsJSON`, round 127: judged DEAD)."""

from .static import DJANGO_MODELS

_CLIENT = '''
import requests


class BaseClient:
    def _request(self, url):
        return requests.get(url, timeout=10)
'''

_BANK = '''
from .client import BaseClient


class BankClient({base}):
    def statements(self):
        return self._request("https://bank.example/statements").json()

    def team_statements(self):
        found = []
        for url in self._request("https://bank.example/teams").json():
            found.extend(self._request(url).json())
        return found
'''

_VIEWS = '''
from .bank import BankClient


def statements(request):
    return BankClient().{method}()
'''

_URLS = '''
from django.urls import path

from .views import statements

urlpatterns = [path("statements", statements)]
'''

_TESTS = '''
from payables.bank import BankClient


def test_team_statements():
    assert BankClient().team_statements() == []
'''


def bank_app(method: str = "statements", base: str = "BaseClient") -> dict[str, str]:
    return {"manage.py": "", "payables/__init__.py": "", "payables/client.py": _CLIENT, "payables/bank.py": _BANK.format(base=base),
            "payables/views.py": _VIEWS.format(method=method), "payables/urls.py": _URLS, "payables/tests/test_bank.py": _TESTS}


# found at low: only tests call team_statements(); found at high: the view calls it, or the class derives from a library's
NP105_OWN_OBJECT_LOWERED = bank_app()
# ... and a reusable app whose only `manage.py` is its demo project's: its users' code and settings, not here, call it
# (django-invoicing's exporters, round 131)
NP105_DEMO_PROJECT_KEPT = {("example/manage.py" if k == "manage.py" else k): v for k, v in bank_app().items()}
NP105_OWN_OBJECT_KEPT = [bank_app(method="team_statements"), bank_app(base="BaseClient, requests.Session"), NP105_DEMO_PROJECT_KEPT]

_SERIALIZERS = '''
from rest_framework import serializers

from .models import Client, Invoice


class InvoiceSerializer(serializers.ModelSerializer):
    client_name = serializers.CharField(source="client.name")

    class Meta:
        model = Invoice
        fields = ["id", "client_name"]


class ClientSerializer(serializers.ModelSerializer):
    class Meta:
        model = Client
        fields = ["id", "name"]
'''

_API = '''
from rest_framework import viewsets

from .models import Client, Invoice
from .serializers import ClientSerializer, InvoiceSerializer


class ClientViewSet(viewsets.ModelViewSet):
    queryset = Client.objects.all()
    serializer_class = ClientSerializer


class InvoiceViewSet(viewsets.ModelViewSet):
    queryset = Invoice.objects.all()
    serializer_class = InvoiceSerializer

    def dispatch(self, *args, **kwargs):
        return super(InvoiceViewSet, self).dispatch(*args, **kwargs)
'''

_ROUTER = '''
from rest_framework import routers

from .api import {imported}

router = routers.DefaultRouter()
router.register(r"clients", ClientViewSet)
{registered}
urlpatterns = router.urls
'''


def viewset_app(routed: bool) -> dict[str, str]:
    router = _ROUTER.format(imported="ClientViewSet, InvoiceViewSet" if routed else "ClientViewSet",
                            registered='router.register(r"invoices", InvoiceViewSet)' if routed else "")
    return {"manage.py": "", "billing/__init__.py": "", "billing/models.py": DJANGO_MODELS, "billing/serializers.py": _SERIALIZERS,
            "billing/api.py": _API, "billing/urls.py": router}


# found at low: no router registers InvoiceViewSet; found at high: one does
NP103_UNROUTED_LOWERED = viewset_app(routed=False)
NP103_ROUTED_KEPT = viewset_app(routed=True)

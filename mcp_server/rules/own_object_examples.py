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
# ... or one handed to a library as it is made, which may call its methods by a protocol's names (sapl's OAI-PMH server,
# found while checking round 176's fixes)
NP105_HANDED_OBJECT_KEPT = {**bank_app(), "payables/views.py": (
    "from bankfeeds import serve\n\nfrom .bank import BankClient\n\n\ndef statements(request):\n    return serve(BankClient())\n")}
NP105_OWN_OBJECT_KEPT = [bank_app(method="team_statements"), bank_app(base="BaseClient, requests.Session"), NP105_DEMO_PROJECT_KEPT,
                         NP105_HANDED_OBJECT_KEPT]

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

_LEDGER_MODELS = '''
from decimal import Decimal

from django.db import models


class Bill(models.Model):
    client = models.ForeignKey("Client", related_name="bills", on_delete=models.CASCADE)
    paid = models.BooleanField(default=False)


class BillLine(models.Model):
    bill = models.ForeignKey(Bill, related_name="lines", on_delete=models.CASCADE)
    amount = models.DecimalField(max_digits=12, decimal_places=2)


class Client(models.Model):
    name = models.CharField(max_length=80)
{decorator}
    def amount_owed(self):
        total = Decimal("0")
        for bill in self.bills.filter(paid=False):
            total += sum((line.amount for line in bill.lines.all()), Decimal("0"))
        return total
'''


def ledger_app(template: bool, prop: bool = True) -> dict[str, str]:
    files = {"manage.py": "", "ledger/__init__.py": "", "ledger/models.py": _LEDGER_MODELS.format(decorator="    @property" if prop else ""),
             "ledger/tests/test_owed.py": "def test_owed(client_row):\n    assert client_row.amount_owed == 0\n"}
    if template:
        files["ledger/templates/ledger/client.html"] = "<p>{{ client.name }} owes {{ client.amount_owed }}</p>\n"
    return files


# a model's property only tests read looks unused (Nadine's `outstanding_amount`, round 131: judged DEAD); a property
# or a method a template reads does not
NP103_TESTED_PROPERTY_LOWERED = ledger_app(template=False)
NP103_TEMPLATE_READ_KEPT = [ledger_app(template=True), ledger_app(template=True, prop=False)]

# another engine's template calls it too: Mako's `${...}`, Kid's `py:` attributes, a Jinja file (Beaker's `get_motd`,
# which only its `master.kid` calls, lost at stop 67); a word of such a template's markup or text calls nothing
_OTHER_ENGINES = {"ledger/templates/client.mako": "<p>${client.name} owes ${client.amount_owed}</p>\n",
                  "ledger/templates/client.kid": '<p py:content="client.amount_owed">owed</p>\n',
                  "ledger/templates/ledger/client.jinja2": "<p>{{ client.amount_owed }}</p>\n"}
NP103_OTHER_ENGINE_READ_KEPT = [{**ledger_app(template=False), path: text} for path, text in _OTHER_ENGINES.items()]
NP103_TEMPLATE_TEXT_LOWERED = {**ledger_app(template=False), "ledger/templates/client.mako": (
    '<p class="amount_owed">${client.name}: what the client owes (amount_owed)</p>\n')}

# a model's method only a line commented out calls, or that a method of the same name in another class spells, looks
# unused too (foi-flow's `updatechildcomments`, round 139: 2 judged DEAD); one a view calls does not
_STATEMENT = "def statement(request, client):\n    {}owed = client.amount_owed()\n    return client.name\n"
_ROUTED = {**ledger_app(template=False, prop=False), "ledger/urls.py": (
    "from django.urls import path\nfrom . import views\n\nurlpatterns = [path('statement/<int:pk>/', views.statement)]\n")}
NP103_COMMENTED_CALL_LOWERED = {**_ROUTED, "ledger/views.py": _STATEMENT.format("# ")}
NP103_TWIN_METHOD_LOWERED = {**_ROUTED, "ledger/suppliers.py": "class Supplier:\n    name = ''\n\n    def amount_owed(self):\n        return 0\n",
                             "ledger/views.py": "from .suppliers import Supplier\n\n\ndef statement(request, client):\n    return Supplier().name\n"}
NP103_VIEW_CALL_KEPT = {**_ROUTED, "ledger/views.py": _STATEMENT.format("")}

# a model's method only another method of the module calls, which nothing else calls (PremierLangage's
# `Answer.activity_state`, called only by `Answer.course_state`, which only tests call: round 176, judged DEAD); kept
# when a view calls the outer one
_REPORTED = _ROUTED["ledger/models.py"] + '''
    def owed_report(self):
        return {"client": self.name, "owed": self.amount_owed()}
'''
NP103_CALLED_BY_UNUSED_METHOD_LOWERED = {**_ROUTED, "ledger/models.py": _REPORTED,
                                         "ledger/views.py": "def statement(request, client):\n    return client.name\n"}
NP103_CALLED_BY_USED_METHOD_KEPT = {**NP103_CALLED_BY_UNUSED_METHOD_LOWERED,
                                    "ledger/views.py": "def statement(request, client):\n    return client.owed_report()\n"}
# a caller whose name is shorter than any name the words of a module hold (`run`) is never shown unnamed: Nadine's
# `BillingBatch.run()`, which a staff view calls (found while checking round 176's fix)
NP103_SHORT_NAMED_CALLER_KEPT = {**_ROUTED, "ledger/models.py": _REPORTED.replace("def owed_report(self)", "def run(self)"),
                                 "ledger/views.py": "def statement(request, client):\n    return client.run()\n"}

# two models of one module each defining a maintenance helper of the same name, which nothing calls: each `def` spells
# the other's name, and neither calls it (KUBooking's twin `create_missing` class methods, round 166: judged DEAD)
_TWIN_HELPERS = """from django.db import models


class Client(models.Model):
    name = models.CharField(max_length=80)

    @classmethod
    def label_missing(cls):
        return [bill.client.name for bill in Bill.objects.filter(paid=False)]


class Bill(models.Model):
    client = models.ForeignKey(Client, related_name="bills", on_delete=models.CASCADE)
    paid = models.BooleanField(default=False)

    @staticmethod
    def label_missing():
        return []
"""
_TWIN_VIEW = "from .models import Client\n\n\ndef statement(request, client):\n    return Client.{}()\n"
NP103_TWIN_HELPERS_LOWERED = {**_ROUTED, "ledger/models.py": _TWIN_HELPERS, "ledger/views.py": _TWIN_VIEW.format("objects.count")}
NP103_TWIN_HELPER_CALLED_KEPT = {**_ROUTED, "ledger/models.py": _TWIN_HELPERS, "ledger/views.py": _TWIN_VIEW.format("label_missing")}

# a helper only a function nothing calls calls: the old schema builder its replacement left behind (Disturbance's
# `get_checkbox_option_children`, reached only from `generate_schema_original`, round 165: judged DEAD); kept when a
# view calls the old builder
_SCHEMA = """from .models import BillLine


def line_labels(bill):
    return [line.bill.client.name for line in BillLine.objects.filter(paid=False)]


def schema_original(bill):
    return {"labels": line_labels(bill)}


def schema(bill):
    return {"labels": []}
"""
_SCHEMA_VIEW = "from .schema import {}\n\n\ndef statement(request, client):\n    return {}(client)\n"
NP103_LEFT_BEHIND_LOWERED = {**_ROUTED, "ledger/schema.py": _SCHEMA, "ledger/views.py": _SCHEMA_VIEW.format("schema", "schema")}
NP103_OLD_BUILDER_CALLED_KEPT = {**_ROUTED, "ledger/schema.py": _SCHEMA,
                                 "ledger/views.py": _SCHEMA_VIEW.format("schema_original", "schema_original")}

# another module defining a function of the same name and calling its own: the trade helpdesk's two `data_writer`s,
# of which only the scraper's runs (round 171: judged DEAD); kept when a view imports and calls this one
_EXPORTS = "from .models import BillLine\n\n\ndef line_labels():\n    return [line.bill.client.name for line in BillLine.objects.filter(paid=False)]\n"
_OWN_LABELS = "def line_labels():\n    return []\n\n\ndef labelled():\n    return {'labels': line_labels()}\n"
_LABELS_VIEW = "from .labels import labelled\n{}\n\ndef statement(request, client):\n    return labelled(){}\n"
NP103_TWIN_FUNCTION_LOWERED = {**_ROUTED, "ledger/exports.py": _EXPORTS, "ledger/labels.py": _OWN_LABELS,
                               "ledger/views.py": _LABELS_VIEW.format("", "")}
NP103_TWIN_FUNCTION_CALLED_KEPT = {**NP103_TWIN_FUNCTION_LOWERED, "ledger/views.py": _LABELS_VIEW.format(
    "from .exports import line_labels\n", ", line_labels()")}
# a module importing the name from the other module that defines it: Digital Green's coco and training apps route
# their own `send_updated_log` views, the loop app's route to its own is commented out (round 174: 2 judged DEAD);
# kept when the view imports this one
_TWIN_IMPORT_VIEW = "from .{} import line_labels\n\n\ndef statement(request, client):\n    return line_labels()\n"
NP103_TWIN_IMPORTED_LOWERED = {**_ROUTED, "ledger/exports.py": _EXPORTS, "ledger/labels.py": "def line_labels():\n    return []\n",
                               "ledger/views.py": _TWIN_IMPORT_VIEW.format("labels")}
NP103_TWIN_IMPORTED_KEPT = {**NP103_TWIN_IMPORTED_LOWERED, "ledger/views.py": _TWIN_IMPORT_VIEW.format("exports")}
# (and when the module with its own function of that name imports this one too, under another name: cohiva's
# `get_capabilities` of each app, gathered by the core app's own `get_capabilities`: found in stop 68's regression check)
NP103_TWIN_IMPORTING_KEPT = [
    {**NP103_TWIN_FUNCTION_LOWERED, "ledger/labels.py": "from .exports import line_labels as export_labels\n\n\n"
     + _OWN_LABELS.replace("return {'labels': line_labels()}", "return {'labels': line_labels() + export_labels()}")},
    # or calls it through its module (Wildlife Compliance's `generate_pdf`, beside its own `_create_pdf`)
    {**NP103_TWIN_FUNCTION_LOWERED, "ledger/labels.py": "from . import exports\n\n\n"
     + _OWN_LABELS.replace("return {'labels': line_labels()}", "return {'labels': line_labels() + exports.line_labels()}")},
]

_REPORTS = '''
def overdue_totals(conn):
    totals = {}
    for (client_id,) in conn.execute("SELECT id FROM clients").fetchall():
        totals[client_id] = conn.execute("SELECT sum(total) FROM invoices WHERE client_id = ? AND paid = 0", (client_id,)).fetchone()[0]
    return totals
'''
_REPORTS_TEST = '''
from ledger.reports import overdue_totals


def test_overdue_totals(conn):
    assert overdue_totals(conn) == {}
'''


def served_app(deploy: dict[str, str]) -> dict[str, str]:
    return {"ledger/__init__.py": "", "ledger/reports.py": _REPORTS, "tests/test_reports.py": _REPORTS_TEST, **deploy}


# a Flask or FastAPI application has no `manage.py`: a Dockerfile, a Procfile or a compose file at its root says it is
# deployed, so a function only its tests call looks unused (SampleDB, round 132: 4 judged DEAD); without one, a
# library's public function is there for others to call
NP101_SERVED_UNUSED_LOWERED = [served_app({"Dockerfile": "FROM python:3.11-slim\nCMD [\"gunicorn\", \"ledger.app:app\"]\n"}),
                               served_app({"Procfile": "web: gunicorn ledger.app:app\n"}),
                               served_app({"compose.yaml": "services:\n  web:\n    build: .\n"})]
NP101_LIBRARY_KEPT = [served_app({}), served_app({"docker/Dockerfile": "FROM python:3.11-slim\n"})]

# a monorepo of services, each a copy of the same package (`ledger.directory` in both): the copy no module of its own
# service uses looks unused, whatever the other service calls (foi-flow's Keycloak client, round 139: 2 judged DEAD)
_DIRECTORY = '''import requests


class Directory:
    def __init__(self, url):
        self.url = url

    def members_of_all(self, groups):
        return {g: requests.get(f"{self.url}/groups/{g}/members", timeout=5).json() for g in groups}
'''
_MEMBERS_VIEW = ("from .app import app\nfrom .directory import Directory\n\n\n@app.route('/members')\n"
                 "def members():\n    return Directory('https://sso').members_of_all(['billing', 'audit'])\n")


def _service(name: str, serves_members: bool, package: str = "ledger", imports: str = "") -> dict[str, str]:
    files = {f"{name}/wsgi.py": f"{imports}from {package}.app import app\n", f"{name}/{package}/__init__.py": "",
             f"{name}/{package}/directory.py": _DIRECTORY,
             f"{name}/{package}/app.py": "import flask\napp = flask.Flask(__name__)\n" + ("from .views import *\n" if serves_members else "")}
    if serves_members:
        files[f"{name}/{package}/views.py"] = _MEMBERS_VIEW
    return files


NP105_COPIED_SERVICES = {**_service("billing-api", True), **_service("reports-api", False)}
# services with packages of their own names (`billing_api`, `reports_api`): the one only its own folder imports is
# alone too, whatever the other's code names (BC's registries, `mhr-api/` beside `ppr-api/`, round 145: 4 judged DEAD);
# a package another service imports may be called from there, and keeps its finding
NP105_OWN_PACKAGE_SERVICES = {**_service("billing-api", True, "billing_api"), **_service("reports-api", False, "reports_api")}
NP105_SHARED_PACKAGE_KEPT = {**_service("billing-api", True, "billing_api", imports="import reports_api.directory\n"),
                             **_service("reports-api", False, "reports_api")}


# a namespace of class methods, never built: the project calls `InvoiceQueue.post(...)` through the class, so its
# methods run only where its code names them; `drain`, which nothing names, runs for nobody (NAV's
# `EventQ.consume_events`, round 156: judged DEAD), lowered; the twin whose task drains the queue keeps it
_QUEUE = '''
from .models import Invoice


class InvoiceQueue:
    @classmethod
    def post(cls, invoice):
        Invoice.objects.filter(pk=invoice.pk).update(total=invoice.total)

    @classmethod
    def drain(cls):
        return [inv.client.name for inv in Invoice.objects.filter(total__gt=0)]
'''
_QUEUE_VIEW = '''
from .models import Invoice
from .queue import InvoiceQueue


def repost(request, pk):
    InvoiceQueue.post(Invoice.objects.get(pk=pk))
'''
NP103_CLASS_METHODS_UNUSED_LOWERED = {"manage.py": "", "billing/__init__.py": "", "billing/models.py": DJANGO_MODELS,
                                      "billing/queue.py": _QUEUE, "billing/views.py": _QUEUE_VIEW,
                                      "billing/urls.py": "from .views import repost\nurlpatterns = [repost]\n"}
NP103_CLASS_METHODS_CALLED_KEPT = {**NP103_CLASS_METHODS_UNUSED_LOWERED, "billing/tasks.py": (
    "from celery import shared_task\n\nfrom .queue import InvoiceQueue\n\n\n@shared_task\ndef drain():\n"
    "    return InvoiceQueue.drain()\n")}

# an importer the view builds, which calls its steps by a name it builds from the file's sections
# (`getattr(self, f"_create_{part}")`): no text names `_create_invoices`, yet it runs (the Rare Disease Registry
# Framework's definition importer, round 158), kept; the same importer without the dispatch runs no step, lowered
_IMPORTER = '''
from .models import Invoice


class Importer:
    def run(self, data):
        for part in ("invoices",):
            getattr(self, f"_create_{part}")(data[part])

    def _create_invoices(self, numbers):
        return [inv.client.name for inv in Invoice.objects.filter(number__in=numbers)]
'''
_IMPORT_VIEW = '''
from .importer import Importer


def upload(request):
    Importer().run(request.POST)
'''
NP103_DISPATCHED_STEP_KEPT = {"manage.py": "", "billing/__init__.py": "", "billing/models.py": DJANGO_MODELS,
                              "billing/importer.py": _IMPORTER, "billing/views.py": _IMPORT_VIEW,
                              "billing/urls.py": "from .views import upload\nurlpatterns = [upload]\n"}
NP103_UNDISPATCHED_STEP_LOWERED = {**NP103_DISPATCHED_STEP_KEPT, "billing/importer.py": _IMPORTER.replace(
    '            getattr(self, f"_create_{part}")(data[part])\n', "            print(part, data[part])\n")}

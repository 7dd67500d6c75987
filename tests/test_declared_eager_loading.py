"""Eager loading a view declares in a way DRF itself does not read: `select_related = [...]` /
`prefetch_related = (...)` class attributes that a project base viewset's get_queryset() applies (in another
module), and DRF's PrimaryKeyRelatedField, which serialises the key column without loading the related row.
Each: the now-silent case and the positive that must stay (exact rule and line)."""

from mcp_server.analysis.scan import scan_sources

MODELS = '''
from django.db import models


class Client(models.Model):
    name = models.CharField(max_length=100)


class Invoice(models.Model):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="invoices")
    owner = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="owned")
    total = models.DecimalField(max_digits=12, decimal_places=2)


class Payment(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="payments")
    amount = models.DecimalField(max_digits=12, decimal_places=2)
'''

SERIALIZERS = '''
from rest_framework import serializers

from .models import Client, Invoice


class ClientSerializer(serializers.ModelSerializer):
    class Meta:
        model = Client
        fields = ["id", "name"]


class InvoiceSerializer(serializers.ModelSerializer):
    client = ClientSerializer()
    owner = ClientSerializer()
    paid = serializers.SerializerMethodField()

    class Meta:
        model = Invoice
        fields = ["id", "total", "client", "owner", "paid"]

    def get_paid(self, obj):
        return sum(p.amount for p in obj.payments.all())


class KeySerializer(serializers.ModelSerializer):
    client = serializers.PrimaryKeyRelatedField(read_only=True)
    owner = serializers.PrimaryKeyRelatedField(source="owner_id", read_only=True)
    payer = serializers.PrimaryKeyRelatedField(source="client", many=False, read_only=True)
    owner_name = serializers.PrimaryKeyRelatedField(source="owner.name", read_only=True)
    payments = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Invoice
        fields = ["id", "client", "owner", "payer", "owner_name", "payments"]
'''

# the project's base viewset, in its own module: it applies what each subclass declares
BASE = '''
from rest_framework import viewsets


class EagerViewSet(viewsets.ModelViewSet):
    def get_queryset(self):
        qs = super().get_queryset()
        qs = qs.select_related(*getattr(self, "select_related", []))
        return qs.prefetch_related(*getattr(self, "prefetch_related", ()))
'''


def _scan(views: str) -> list[tuple[str, str, int, str]]:
    files = {"billing/__init__.py": "", "billing/models.py": MODELS, "billing/serializers.py": SERIALIZERS,
             "billing/base.py": BASE, "billing/views.py": views}
    return sorted((f.rule, f.location.path, f.location.line, f.message.split(" ")[0]) for f in scan_sources(files, select=["NP"]).findings)


_VIEW = '''
from django.db.models import Prefetch
from .base import EagerViewSet
from .models import Invoice, Payment
from .serializers import InvoiceSerializer


class InvoiceViewSet(EagerViewSet):
    queryset = Invoice.objects.all()
    serializer_class = InvoiceSerializer
{declared}
'''


def test_declared_lists_on_the_viewset_are_the_rows_eager_loading():
    declared = '    select_related = ["client", "owner"]\n    prefetch_related = ("payments",)\n'
    assert _scan(_VIEW.format(declared=declared)) == []
    # a Prefetch object in the list counts too
    declared = '    select_related = ("client", "owner")\n    prefetch_related = [Prefetch("payments", queryset=Payment.objects.all())]\n'
    assert _scan(_VIEW.format(declared=declared)) == []


def test_a_relation_not_declared_is_still_reported():
    declared = '    select_related = ["client"]\n    prefetch_related = ("payments",)\n'
    assert _scan(_VIEW.format(declared=declared)) == [("NP103", "billing/serializers.py", 15, "`obj.owner`")]


def test_the_same_viewset_without_the_declaration_is_still_reported():
    # the two fields one select_related() loads are one finding with one fix; the prefetch is its own
    assert _scan(_VIEW.format(declared="")) == [
        ("NP103", "billing/serializers.py", 14, "`obj.client`"),
        ("NP103", "billing/serializers.py", 23, "`obj.payments`"),
    ]
    files = {"billing/__init__.py": "", "billing/models.py": MODELS, "billing/serializers.py": SERIALIZERS,
             "billing/base.py": BASE, "billing/views.py": _VIEW.format(declared="")}
    client = next(f for f in scan_sources(files, select=["NP"]).findings if f.location.line == 14)
    assert "the loop also loads `owner` once per row" in client.message
    assert client.suggestion.startswith('Add `.select_related("client", "owner")` to the queryset at billing/views.py:')
    assert [e.location.line for e in client.evidence if e.role == "read"] == [14, 15]


_KEYS = '''
from rest_framework import viewsets
from .models import Invoice
from .serializers import KeySerializer


class KeyViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Invoice.objects.all()
    serializer_class = KeySerializer
'''


def test_primary_key_related_field_reads_only_the_key_column():
    # client, owner_id, payer (many=False): the foreign key column, no query; `owner.name` loads the owner per
    # row and a to-many list of keys is a query per row
    assert _scan(_KEYS) == [
        ("NP103", "billing/serializers.py", 30, "`obj.owner`"),
        ("NP103", "billing/serializers.py", 31, "`obj.payments`"),
    ]


ADMIN_MODELS = '''
from django.db import models


class Client(models.Model):
    name = models.CharField(max_length=100)


class Invoice(models.Model):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="invoices")


class Payment(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="payments")
    payer = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="paid")
    bank = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="banked")
'''

_ADMIN = '''
from django.contrib import admin
from django.db.models import Prefetch
from .models import Invoice, Payment


@admin.register(Invoice)
class InvoiceAdmin(admin.ModelAdmin):
    list_display = ["id", "payers", "banks"]
{getter}
    def payers(self, obj):
        return ", ".join(p.payer.name for p in obj.payments.all())

    def banks(self, obj):
        return ", ".join(p.bank.name for p in obj.payments.all())
'''


def _admin(getter: str) -> list[tuple[str, str, int, str]]:
    files = {"billing/__init__.py": "", "billing/models.py": ADMIN_MODELS, "billing/admin.py": _ADMIN.format(getter=getter)}
    return sorted((f.rule, f.location.path, f.location.line, f.message.split(" ")[0]) for f in scan_sources(files, select=["NP"]).findings)


def test_admin_display_methods_run_on_the_admins_queryset():
    getter = '''
    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("payments__payer")
'''
    # payers is served by the prefetch; banks is not in it and stays reported
    assert _admin(getter) == [("NP103", "billing/admin.py", 18, "`p.bank.name`")]
    getter = '''
    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs.prefetch_related(Prefetch("payments", queryset=Payment.objects.select_related("payer", "bank")))
'''
    assert _admin(getter) == []


def test_admin_without_eager_loading_is_still_reported():
    assert _admin("") == [("NP103", "billing/admin.py", 12, "`p.payer.name`"), ("NP103", "billing/admin.py", 15, "`p.bank.name`")]


_STARRED_BASE = '''
from rest_framework import viewsets


class EagerViewSet(viewsets.ModelViewSet):
    select_related = []
    prefetch_related = []

    def get_queryset(self):
        return super().get_queryset().select_related(*self.select_related).prefetch_related(*self.prefetch_related)
'''

_CUSTOM = '''
from .base import EagerViewSet
from .models import Invoice
from .serializers import InvoiceSerializer


class InvoiceViewSet(EagerViewSet):
    queryset = Invoice.objects.all()
    serializer_class = InvoiceSerializer
    select_related = ["client", "owner"]
{declared}
    def get_queryset(self):
        return super().get_queryset().filter(total__gt=0)
'''


def test_declared_lists_with_the_subclass_own_get_queryset_over_super():
    # the base's own empty lists are not what runs: the subclass's lists are
    def scan(declared: str):
        files = {"billing/__init__.py": "", "billing/models.py": MODELS, "billing/serializers.py": SERIALIZERS,
                 "billing/base.py": _STARRED_BASE, "billing/views.py": _CUSTOM.format(declared=declared)}
        return sorted((f.rule, f.location.line, f.message.split(" ")[0]) for f in scan_sources(files, select=["NP"]).findings)
    assert scan('    prefetch_related = ("payments",)') == []
    assert scan("") == [("NP103", 23, "`obj.payments`")]

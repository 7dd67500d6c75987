"""Which rows a DRF list view serialises when the class `queryset` is not the whole story (rounds 61 to 65): a project
mixin's get_queryset() that starts anew, a subclass's own `queryset` under its base's `super().get_queryset()`, a
`filter_queryset()` that builds its own query, a list serializer whose `get_fields()` drops a field, a field the
request fills in (`write_only=True`), a list serializer of another module that lists fewer fields than its base, and a
get_queryset() branch that hands its rows to another serializer.
Shared by NP102 and NP103: each positive must be flagged, each negative must not."""

from .row_examples import CLIENT_NAME_SERIALIZER, billing_app

_SERIALIZER = CLIENT_NAME_SERIALIZER


def _office_list(view: str, serializer: str) -> str:
    """A list view in `office/` over every invoice, serialised with `serializer` of `office/serializers.py`."""
    return f"""
from rest_framework import generics
from billing.models import Invoice
from office.serializers import {serializer}


class {view}(generics.ListAPIView):
    queryset = Invoice.objects.all()
    serializer_class = {serializer}
"""


# Money to Prisoners' disbursements (round 60): the mixin first in the bases lists rows of its own query, so the
# class `queryset`'s eager loading is never used and the fix goes on the mixin's query
_MIXIN = '''
from rest_framework import generics
from .models import Invoice
from .serializers import InvoiceSerializer


class OwnInvoicesMixin:
    def get_queryset(self):
        return Invoice.objects.filter(client__name=self.request.user.username)


class InvoiceList(OwnInvoicesMixin, generics.ListAPIView):
    queryset = Invoice.objects.select_related("client")
    serializer_class = InvoiceSerializer
'''

# the Civil Legal Aid backend's case lists (round 60): a base view narrows `super().get_queryset()`, and the view in
# another module brings its own class `queryset`, which DRF's get_queryset() reads on the view that lists
_BASE = '''
from rest_framework import generics
from .models import Invoice


class BaseInvoiceListAPIView(generics.ListAPIView):
    queryset = Invoice.objects.all()

    def get_queryset(self):
        qs = super().get_queryset()
        return qs.filter(total__gt=0)
'''
_OFFICE = '''
from billing.models import Invoice
from billing.serializers import InvoiceSerializer
from billing.views import BaseInvoiceListAPIView


class OfficeInvoiceListAPIView(BaseInvoiceListAPIView):
    serializer_class = InvoiceSerializer
    queryset = Invoice.objects.select_related("client")
'''

# Linked Events' keyword sets (round 61): filter_queryset() never reads the queryset it is handed
_FILTERED = '''
from rest_framework import generics
from .models import Invoice
from .serializers import InvoiceSerializer


class InvoiceList(generics.ListAPIView):
    queryset = Invoice.objects.select_related("client")
    serializer_class = InvoiceSerializer

    def filter_queryset(self, queryset):
        number = self.request.query_params.get("number")
        if number:
            return Invoice.objects.filter(pk=number)
        return Invoice.objects.order_by("-total")
'''

# Kerrokantasi's hearing list (round 61): the list serializer drops the detail's field in get_fields()
_DROPPED = _SERIALIZER.replace("import serializers", "import generics, serializers") + '''

class InvoiceListSerializer(InvoiceSerializer):
    def get_fields(self):
        fields = super().get_fields()
        fields.pop("client_name")
        return fields


class InvoiceList(generics.ListAPIView):
    queryset = Invoice.objects.all()
    serializer_class = InvoiceListSerializer
'''

# open-discussions' user lists (round 61): the annotation first, the count only for rows without it
_COUNTED = '''
from django.db.models import Count
from rest_framework import generics, serializers
from .models import Invoice


class InvoiceSerializer(serializers.ModelSerializer):
    payment_count = serializers.SerializerMethodField()

    class Meta:
        model = Invoice
        fields = ["id", "payment_count"]

    def get_payment_count(self, instance):
        return getattr(instance, "payment_count", None) or instance.payments.count()


class InvoiceList(generics.ListAPIView):
    queryset = Invoice.objects.annotate(payment_count=Count("payments"))
    serializer_class = InvoiceSerializer
'''

# IntelOwl's ownership serializer (round 61): a field the request fills in, never written out
_WRITE_ONLY = '''
from rest_framework import generics, serializers
from .models import Client, Invoice


class InvoiceSerializer(serializers.ModelSerializer):
    client = serializers.SlugRelatedField(slug_field="name", queryset=Client.objects.all(), write_only=True)

    class Meta:
        model = Invoice
        fields = ["id", "total", "client"]


class InvoiceList(generics.ListCreateAPIView):
    queryset = Invoice.objects.all()
    serializer_class = InvoiceSerializer
'''

# the Civil Legal Aid backend's provider case list (rounds 60 and 61): a list serializer in another module lists fewer
# fields than its base declares; DRF serialises only those
_LIST_SERIALIZER = """
from billing.serializers import InvoiceSerializer


class InvoiceListSerializer(InvoiceSerializer):
    class Meta(InvoiceSerializer.Meta):
        fields = ["id", "total"]
"""
_LIST_VIEW = _office_list("InvoiceList", "InvoiceListSerializer")
_ELSEWHERE = {"billing/serializers.py": _SERIALIZER, "office/__init__.py": "", "office/serializers.py": _LIST_SERIALIZER,
              "office/views.py": _LIST_VIEW}

# the Civil Legal Aid backend's serializers (round 61): `CaseSerializerFull(CaseSerializerBase)` in one module, and in
# another `CaseSerializer(CaseSerializerFull)` under a list serializer that names a few fields of them all
_FULL = """
from rest_framework import serializers
from .models import Invoice


class InvoiceSerializerBase(serializers.ModelSerializer):
    class Meta:
        model = Invoice
        fields = ["id", "total"]


class InvoiceSerializerFull(InvoiceSerializerBase):
    client_name = serializers.CharField(source="client.name")

    class Meta(InvoiceSerializerBase.Meta):
        fields = ["id", "total", "client_name"]
"""
_OFFICE_SERIALIZERS = """
from rest_framework import serializers
from billing.serializers import InvoiceSerializerFull


class OfficeInvoiceSerializer(InvoiceSerializerFull):
    note = serializers.CharField(source="total")


class OfficeInvoiceListSerializer(OfficeInvoiceSerializer):
    class Meta(OfficeInvoiceSerializer.Meta):
        fields = ["id", "note"]
"""
_OFFICE_LIST = _office_list("OfficeInvoiceList", "OfficeInvoiceListSerializer")
_CHAIN = {"billing/serializers.py": _FULL, "office/__init__.py": "", "office/serializers.py": _OFFICE_SERIALIZERS,
          "office/views.py": _OFFICE_LIST}

# a project's `CompatGenericViewSet(GenericViewSet)` of another module, with a create mixin only: one row per request
_COMPAT = """
from rest_framework import mixins
from core.viewsets import CompatGenericViewSet
from .models import Invoice
from .serializers import InvoiceSerializer


class InvoiceViewSet(mixins.CreateModelMixin, CompatGenericViewSet):
    queryset = Invoice.objects.all()
    serializer_class = InvoiceSerializer
"""
_CORE = {"core/__init__.py": "", "core/viewsets.py": "from rest_framework.viewsets import GenericViewSet\n\n\n"
         "class CompatGenericViewSet(GenericViewSet):\n    def post_save(self, obj, created=False):\n        pass\n"}

# the Civil Legal Aid backend's provider details (round 63, judged N SMALL): a list of at most one row
_OWN_ROW = """
from rest_framework import generics
from .models import Invoice
from .serializers import InvoiceSerializer


class MyInvoice(generics.ListAPIView):
    serializer_class = InvoiceSerializer

    def get_queryset(self):
        return Invoice.objects.filter(id=self.request.user.invoice_id)
"""

# OpenCraft's deployments (round 64): the fix stops before a GenericForeignKey, which select_related cannot follow
_GFK_MODELS = """
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


class Reference(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveIntegerField()
    target = GenericForeignKey("content_type", "object_id")


class Deployment(models.Model):
    reference = models.ForeignKey(Reference, on_delete=models.CASCADE)
"""
_GFK_VIEW = """
from .models import Deployment


def deployments():
    return [str(d.reference.target) for d in Deployment.objects.all()]
"""

# MIT Learn's news feed (round 65): `select_related(*FeedItem.related_selects)`, a list its model declares
_DECLARED_ON_MODEL = """
from django.db import models


class Client(models.Model):
    name = models.CharField(max_length=80)


class Invoice(models.Model):
    client = models.ForeignKey(Client, on_delete=models.CASCADE)
    number = models.CharField(max_length=20)
    related_selects = ["client"]
    plain_fields = ["number"]
"""
_FEED = """
from billing.models import Invoice


def feed():
    return [(i.number, i.client.name) for i in Invoice.objects.select_related(*Invoice.related_selects)]
"""

# ddionrails' variable list (round 67): one branch of get_queryset() swaps in a serializer that writes out no client, and
# returns rows that do not load it; the class's serializer gets only the other return's rows, which do
_SWAPPED = '''
from rest_framework import generics, serializers
from .models import Invoice
from .serializers import InvoiceSerializer


class AmountsSerializer(serializers.ModelSerializer):
    class Meta:
        model = Invoice
        fields = ["id", "total"]


class InvoiceList(generics.ListAPIView):
    serializer_class = InvoiceSerializer

    def get_queryset(self):
        if self.request.query_params.get("totals"):
            self.serializer_class = AmountsSerializer
            return Invoice.objects.filter(total__gt=0)
        return Invoice.objects.select_related("client")
'''

# MITx Online's basket views (round 112, 3 judged false at `medium`): `Basket.user` is a OneToOneField, so the list
# a user's filter returns holds at most one basket: low, saying so; the same filter over a ForeignKey stays `medium`
_BASKET_MODELS = """
from django.conf import settings
from django.db import models


class Basket(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)


class BasketItem(models.Model):
    basket = models.ForeignKey(Basket, on_delete=models.CASCADE, related_name="items")
    quantity = models.PositiveIntegerField(default=1)
"""
_BASKET_SERIALIZER = """
from rest_framework import serializers
from .models import Basket


class BasketSerializer(serializers.ModelSerializer):
    items = serializers.SerializerMethodField()

    class Meta:
        model = Basket
        fields = ["id", "items"]

    def get_items(self, basket):
        return [item.quantity for item in basket.items.all()]
"""
_BASKET_VIEW = """
from rest_framework import viewsets
from .models import Basket
from .serializers import BasketSerializer


class BasketViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = BasketSerializer

    def get_queryset(self):
        return Basket.objects.filter(user=self.request.user)
"""
NP103_ONE_TO_ONE_ROW = {"shop/__init__.py": "", "shop/models.py": _BASKET_MODELS, "shop/serializers.py": _BASKET_SERIALIZER,
                        "shop/views.py": _BASKET_VIEW}
NP103_FOREIGN_KEY_ROWS = {**NP103_ONE_TO_ONE_ROW, "shop/models.py": _BASKET_MODELS.replace("OneToOneField", "ForeignKey")}

NP103_LISTED_POSITIVE = [
    billing_app(_MIXIN, **{"billing/serializers.py": _SERIALIZER}),
    billing_app(_FILTERED, **{"billing/serializers.py": _SERIALIZER}),
    # a field written out: each row loads its client
    billing_app(_WRITE_ONLY.replace(", write_only=True", "")),
    billing_app(_GFK_VIEW, **{"billing/models.py": _GFK_MODELS}),
    # the model's list of another name, which loads no client, read in its own module
    billing_app("", **{"billing/models.py": _DECLARED_ON_MODEL + _FEED.replace("from billing.models import Invoice\n", "").replace(
        "related_selects", "plain_fields")}),
    # a list of at most one row: low, saying so
    billing_app(_OWN_ROW, **{"billing/serializers.py": _SERIALIZER}),
    NP103_ONE_TO_ONE_ROW, NP103_FOREIGN_KEY_ROWS,  # one user's basket, by a one-to-one field (low) or a foreign key (medium)
    # the list serializer names the base's base's field too
    billing_app("", **{**_CHAIN, "office/serializers.py": _OFFICE_SERIALIZERS.replace('fields = ["id", "note"]', 'fields = ["id", "note", "client_name"]')}),
    # the same viewset that lists too
    billing_app(_COMPAT.replace("(mixins.CreateModelMixin, ", "(mixins.CreateModelMixin, mixins.ListModelMixin, "),
                **{"billing/serializers.py": _SERIALIZER, **_CORE}),
    # the list serializer lists the client's name too
    billing_app("", **{**_ELSEWHERE, "office/serializers.py": _LIST_SERIALIZER.replace('"total"]', '"total", "client_name"]')}),
    # the list serializer keeps the field: each row loads its client
    billing_app(_DROPPED.replace('fields.pop("client_name")', 'fields.pop("total")')),
    # rows not annotated: the count runs for each
    billing_app(_COUNTED.replace('Invoice.objects.annotate(payment_count=Count("payments"))', "Invoice.objects.all()")),
    # the branch keeps the class's serializer: its rows, without the client, are written out with the client's name
    billing_app(_SWAPPED.replace("            self.serializer_class = AmountsSerializer\n", ""), **{"billing/serializers.py": _SERIALIZER}),
]
NP103_LISTED_NEGATIVE = [
    # the mixin's own query loads the client
    billing_app(_MIXIN.replace("return Invoice.objects.filter(", 'return Invoice.objects.select_related("client").filter('),
                **{"billing/serializers.py": _SERIALIZER}),
    billing_app(_BASE, **{"billing/serializers.py": _SERIALIZER, "office/views.py": _OFFICE}),
    # filter_queryset() narrows the class queryset, which loads the client
    billing_app(_FILTERED.replace("return Invoice.objects.filter(pk=number)", "return queryset.filter(pk=number)")
                .replace('return Invoice.objects.order_by("-total")', 'return queryset.order_by("-total")'),
                **{"billing/serializers.py": _SERIALIZER}),
    billing_app(_DROPPED),
    billing_app(_COUNTED),
    billing_app(_WRITE_ONLY),
    billing_app("", **_ELSEWHERE),
    billing_app("", **_CHAIN),
    billing_app("", **{"billing/models.py": _DECLARED_ON_MODEL, "office/__init__.py": "", "office/views.py": _FEED}),
    billing_app(_COMPAT, **{"billing/serializers.py": _SERIALIZER, **_CORE}),
    billing_app(_SWAPPED, **{"billing/serializers.py": _SERIALIZER}),
]

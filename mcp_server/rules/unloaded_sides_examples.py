"""Reads that load nothing, seen on Normandy (issue 15, round 18), each with its true twin:
- a serializer subclass whose own `Meta.fields` leaves out the nested serializers its base declares: DRF serialises
  only the listed fields (`RecipeLinkSerializer` lists the revisions' ids, not the revisions);
- the way back over a one-to-one just followed (`invoice.receipt.invoice`): Django caches both sides of it;
- (KoboToolbox, round 21) a serializer method that takes the page's answer from `self.context` and queries only in
  the `except KeyError:` fallback of a caller that did not compute it;
- (KoboToolbox, round 21) a list serializer that replaces a method field's method it inherits: its own runs;
- (OpenCiviWiki, round 23) a viewset whose own `list()` serialises with a lighter serializer: the class's
  `serializer_class` serialises one row at a time (retrieve, create, update);
- (License Manager, round 23) rows prefetched after they were loaded, with `prefetch_related_objects(rows, ...)`;
- (zentral, round 20) a method that returns early under a flag the loop's call passes (`t.serialize(keys_only=True)`
  never reaches the reads after `if keys_only: return d`);
- (Obico, round 122) a viewset's own `list()` that eager-loads the class's rows before it pages and serialises them;
- (Aether, round 123) a library's subclass of `PrimaryKeyRelatedField`, which writes out the key column as its base
  does; one the project writes on `RelatedField` returns what its `to_representation` reads from the loaded row."""

from .row_examples import SERIALIZERS, billing_app

_RECEIPT_MODELS = '''
from django.db import models


class Client(models.Model):
    name = models.CharField(max_length=100)


class Invoice(models.Model):
    client = models.ForeignKey(Client, on_delete=models.CASCADE)
    number = models.CharField(max_length=20)


class Receipt(models.Model):
    invoice = models.OneToOneField(Invoice, on_delete=models.CASCADE, related_name="receipt")
    issued_by = models.ForeignKey(Client, on_delete=models.CASCADE)
'''

_BACK = '''
from .models import Receipt


def receipt_numbers():
    return [r.invoice.receipt.{tail} for r in Receipt.objects.select_related("invoice")]
'''

# row_examples' serializers (a nested client, a method field summing the payments) and a subclass listing fewer fields
_LINKS = SERIALIZERS + '''

class InvoiceLinkSerializer(InvoiceSerializer):
    class Meta(InvoiceSerializer.Meta):
        fields = [{fields}]
'''

_LINK_VIEW = '''
from rest_framework import viewsets
from .models import Invoice
from .serializers import InvoiceLinkSerializer
class InvoiceLinkViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Invoice.objects.all()
    serializer_class = InvoiceLinkSerializer
'''


_SERIALIZE = '''
from .models import Receipt


def keys():
    return [r.serialize({args}) for r in Receipt.objects.all()]
'''
_SERIALIZE_MODELS = _RECEIPT_MODELS + '''

    def serialize(self, keys_only=False):
        d = {"pk": self.pk}
        if keys_only:
            return d
        d["issued_by"] = self.issued_by.name
        return d
'''


def _serialized(args: str) -> dict[str, str]:
    return {"billing/__init__.py": "", "billing/models.py": _SERIALIZE_MODELS, "billing/views.py": _SERIALIZE.format(args=args)}


_CONTEXT_SERIALIZER = '''
from rest_framework import serializers
from .models import Client


class ClientSerializer(serializers.ModelSerializer):
    invoices = serializers.SerializerMethodField()

    class Meta:
        model = Client
        fields = ["id", "name", "invoices"]

    def get_invoices(self, client):
{body}
'''
_FROM_CONTEXT = '''        try:
            counts = self.context["invoice_counts"]
        except KeyError:
            return client.invoices.count()
        return counts.get(client.id, 0)'''
_ALWAYS = "        return client.invoices.count()"
_CLIENT_LIST = '''
from rest_framework import viewsets
from .models import Client
from .serializers import ClientSerializer


class ClientViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Client.objects.all()
    serializer_class = ClientSerializer
'''


_OVERRIDDEN = _CONTEXT_SERIALIZER.format(body=_ALWAYS) + '''

class ClientListSerializer(ClientSerializer):
{override}
'''
_OWN_METHOD = '''    def get_invoices(self, client):
        return self.context["invoice_counts"].get(client.id, 0)'''


def _overridden(override: str) -> dict[str, str]:
    view = _CLIENT_LIST.replace("ClientSerializer", "ClientListSerializer")
    return billing_app(view, **{"billing/serializers.py": _OVERRIDDEN.format(override=override)})


_AFTER_LOADING = '''
from django.db.models import prefetch_related_objects
from .models import Invoice


def labels(invoices):
    {prefetch}return [inv.client.name for inv in invoices]


def report():
    return labels(list(Invoice.objects.filter(total__gt=0)))
'''


_OWN_LIST = '''
from django.db.models import Prefetch
from rest_framework import viewsets
from rest_framework.response import Response
from .models import Invoice, Payment
from .serializers import InvoiceSerializer, TotalsSerializer


class InvoiceViewSet(viewsets.ModelViewSet):
    queryset = Invoice.objects.all()
    serializer_class = InvoiceSerializer

    def list(self, request):
        {body}
'''


# the view's own list() eager-loads the class's rows it pages and serialises (Obico's folders, round 122: judged PREFETCHED)
_OWN_EAGER = '''rows = self.get_queryset().select_related("client")
        rows = rows.prefetch_related(Prefetch("payments", queryset=Payment.objects.order_by("-id")))
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)'''


def _own_list(body: str) -> dict[str, str]:
    return billing_app(_OWN_LIST.format(body=body), **{"billing/serializers.py": SERIALIZERS})


def _loaded(prefetch: str) -> dict[str, str]:
    return billing_app(_AFTER_LOADING.format(prefetch=prefetch))


def _counted(body: str) -> dict[str, str]:
    return billing_app(_CLIENT_LIST, **{"billing/serializers.py": _CONTEXT_SERIALIZER.format(body=body)})


def _receipts(tail: str) -> dict[str, str]:
    return {"billing/__init__.py": "", "billing/models.py": _RECEIPT_MODELS, "billing/views.py": _BACK.format(tail=tail)}


def _links(fields: str) -> dict[str, str]:
    return billing_app(_LINK_VIEW, **{"billing/serializers.py": _LINKS.format(fields=fields)})


# a related field whose class comes from a library, or from the project itself (billing/fields.py)
_KEYED = '''
from rest_framework import serializers, viewsets
from {module} import TenantPrimaryKeyRelatedField
from .models import Invoice


class InvoiceKeySerializer(serializers.ModelSerializer):
    client = TenantPrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Invoice
        fields = ["id", "client"]


class InvoiceViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Invoice.objects.all()
    serializer_class = InvoiceKeySerializer
'''

_OWN_FIELD = '''
from rest_framework import serializers


class TenantPrimaryKeyRelatedField(serializers.RelatedField):
    def to_representation(self, value):
        return value.name
'''


def _keyed(module: str) -> dict[str, str]:
    own = {"billing/fields.py": _OWN_FIELD} if module == ".fields" else {}
    return billing_app(_KEYED.format(module=module), **own)


UNLOADED_NEGATIVE = [_keyed("tenants.fields"), _receipts("invoice.number"), _links('"id", "client_id"'), _serialized("keys_only=True"), _counted(_FROM_CONTEXT),
                     _overridden(_OWN_METHOD), _loaded('prefetch_related_objects(invoices, "client")\n    '),
                     _own_list("return Response(TotalsSerializer(self.get_queryset(), many=True).data)"), _own_list(_OWN_EAGER)]
UNLOADED_POSITIVE = [_keyed(".fields"), _receipts("issued_by.name"), _links('"id", "client"'), _serialized(""), _serialized("keys_only=False"), _counted(_ALWAYS),
                     _overridden("    pass"), _loaded(""), _loaded('prefetch_related_objects(invoices, "payments")\n    '),
                     _own_list("return super().list(request)"), _own_list(_OWN_EAGER.replace('prefetch_related(Prefetch("payments", queryset=Payment.objects.order_by("-id")))', 'order_by("-id")')),
                     _own_list(_OWN_EAGER.replace('order_by("-id"))', 'order_by("-id"), to_attr="recent_payments")'))]

"""django-rest-framework-json-api (DJA) views and serializers, read on Bluebottle (issue 15, round 20): a view with
DJA's `AutoPrefetchMixin` (or its `ModelViewSet`) prefetches at run time what the serializer's `JSONAPIMeta` includes,
and a to-one `ResourceRelatedField` serialises the key column only. Each negative has its plain-DRF twin."""

from .row_examples import billing_app

_SERIALIZERS = '''
from rest_framework import serializers
from rest_framework_json_api.relations import ResourceRelatedField

from .models import Invoice


class InvoiceSerializer(serializers.ModelSerializer):
    client = {field}

    class Meta:
        model = Invoice
        fields = ["id", "total", "client"{more}]

    class JSONAPIMeta:
        included_resources = ["client", "payments"]
'''

_VIEW = '''
from rest_framework import generics
{imports}
from .models import Invoice
from .serializers import InvoiceSerializer


class InvoiceList({bases}generics.ListAPIView):
    queryset = Invoice.objects.all()
    serializer_class = InvoiceSerializer
'''

_MIXIN = "from rest_framework_json_api.views import AutoPrefetchMixin\n"
_RESOURCE = "ResourceRelatedField(read_only=True)"
_NESTED = "serializers.StringRelatedField()"


def _dja(bases: str, field: str, imports: str = _MIXIN, more: str = ', "payments"') -> dict[str, str]:
    serializers = _SERIALIZERS.format(field=field, more=more)
    return billing_app(_VIEW.format(imports=imports, bases=bases), **{"billing/serializers.py": serializers})


JSONAPI_NEGATIVE = [_dja("AutoPrefetchMixin, ", _NESTED), _dja("", _RESOURCE, imports="", more="")]
# without the mixin, the client and the payments are a query per invoice; a client serialised by its name too
JSONAPI_POSITIVE = [_dja("", _NESTED, imports=""), _dja("", _NESTED, imports="", more="")]


# A loop over tenants whose body switches to each one's schema (django-tenants' `schema_context`, a project's own
# `LocalTenant`): a query per tenant reads another schema each time, nothing to hoist or batch. Its twin without the
# switch reads the same table on every pass.
_TENANTS = '''
from django_tenants.utils import schema_context
from .models import Client, Invoice


def open_totals():
    totals = {{}}
    for client in Client.objects.all():
        {switch}
            totals[client.name] = Invoice.objects.filter(total__gt=0).count()
    return totals
'''
# Nova's cells (round 105, judged WRONGFIX): each pass targets the item's own database, as a tenant's schema does
CELL_NEGATIVE = billing_app(_TENANTS.replace("from django_tenants.utils import schema_context", "from .cells import target_cell")
                            .format(switch="with target_cell(client.cell):"))
TENANT_NEGATIVE = [billing_app(_TENANTS.format(switch="with schema_context(client.name):")), CELL_NEGATIVE]
TENANT_POSITIVE = [billing_app(_TENANTS.format(switch="if client.name:"))]

"""A serializer whose `many_init` swaps in another child (analysis/serializers.py `_swapped_child`): `many=True`
serialises each row with that child, so what only this class's own fields read is not read per row. SEED's property
lists (round 74) serialise `PropertyMinimalSerializer` rows; 3 findings on the full serializer's fields were judged
false. The positive is the same serializer without the swap."""

from .row_examples import billing_app

_SERIALIZERS = '''from rest_framework import serializers
from .models import Invoice


class ClientSerializer(serializers.Serializer):
    name = serializers.CharField()


class InvoiceRowSerializer(serializers.ModelSerializer):
    class Meta:
        model = Invoice
        fields = ["id", "total"]


class InvoiceSerializer(serializers.ModelSerializer):
    client = ClientSerializer()

    class Meta:
        model = Invoice
        fields = ["id", "total", "client"]

    @classmethod
    def many_init(cls, *args, **kwargs):
        kwargs["child"] = InvoiceRowSerializer()
        return serializers.ListSerializer(*args, **kwargs)
'''
_LIST = '''from .models import Invoice
from .serializers import InvoiceSerializer


def invoices():
    return InvoiceSerializer(Invoice.objects.all(), many=True).data
'''
_SWAPPED = billing_app(_LIST, **{"billing/serializers.py": _SERIALIZERS})

NP103_MANY_INIT_NEGATIVE = [_SWAPPED]
NP103_MANY_INIT_POSITIVE = [{**_SWAPPED, "billing/serializers.py": _SERIALIZERS[:_SERIALIZERS.index("    @classmethod")].rstrip() + "\n"}]

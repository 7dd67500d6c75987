"""A DRF serializer's branch that runs only when the serializer's context holds a key (analysis/serializer_context.py):
`if self.context.get("with_client"):`. A list view whose `get_serializer_context()` never adds that key (or that has
none) never runs it; the same view adding the key runs it once per row."""

from .row_examples import billing_app

# Bootcamp's runs list (`if self.context.get("include_page") is True:`) and MITx Online's course runs list
# (`if self.context.get("include_programs", False):`), whose views never pass the key (judged false in round 47)
_INVOICES = '''
from rest_framework import generics, serializers
from .models import Invoice


class InvoiceSerializer(serializers.ModelSerializer):
    client_name = serializers.SerializerMethodField()

    class Meta:
        model = Invoice
        fields = ["id", "client_name"]

    def get_client_name(self, obj):
        if self.context.get("with_client"):
            return obj.client.name
        return None


class Invoices(generics.ListAPIView):
    serializer_class = InvoiceSerializer
    queryset = Invoice.objects.all()
'''
_WITH_CLIENT = '''

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "with_client": True}
'''

NP103_CONTEXT_NEGATIVE = [billing_app(_INVOICES),
                          billing_app(_INVOICES + _WITH_CLIENT.replace('"with_client"', '"with_totals"'))]
# the keys DRF's views always give: a branch on the request runs for every row (WebODM's project owner, judged worth a fix)
NP103_CONTEXT_POSITIVE = [billing_app(_INVOICES + _WITH_CLIENT),
                          billing_app(_INVOICES.replace('self.context.get("with_client")', '"request" in self.context'))]

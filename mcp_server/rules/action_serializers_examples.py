"""Per-action serializers in a class dict (`serializer_action_classes = {"list": ...}`), looked up by a project mixin's
get_serializer_class(): the list is serialised by the dict's `"list"` entry, not by the class default (eTools' visits,
round 143, judged false)."""

from .row_examples import SERIALIZERS, billing_app

_VIEW = '''
from rest_framework import viewsets
from .models import Invoice
from .serializers import InvoiceSerializer, TotalsSerializer
class ActionSerializersMixin:
    def get_serializer_class(self):
        return self.serializer_action_classes.get(self.action, self.serializer_class)
class InvoiceViewSet(ActionSerializersMixin, viewsets.ModelViewSet):
    queryset = Invoice.objects.all()
    serializer_class = {default}
    serializer_action_classes = {{
        "list": {listed},
        "retrieve": InvoiceSerializer,
    }}
'''
# the detail serializer reads the client and the payments; the list's light one reads neither
NP103_LIGHT_LIST = billing_app(_VIEW.format(default="InvoiceSerializer", listed="TotalsSerializer"),
                               **{"billing/serializers.py": SERIALIZERS})
# the twin: the light serializer is the default, and the list takes the heavy one
NP103_HEAVY_LIST = billing_app(_VIEW.format(default="TotalsSerializer", listed="InvoiceSerializer"),
                               **{"billing/serializers.py": SERIALIZERS})

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

# another action running the list (`return super().list(request)`) with the serializer the dict gives it, or its
# "default" (TFRS's documents page posts to `paginated`, round 142: judged true): those rows are serialised too
NP103_LISTING_ACTION = billing_app('''
from rest_framework import viewsets
from rest_framework.decorators import action
from .models import Invoice
from .serializers import InvoiceSerializer, TotalsSerializer
class ActionSerializersMixin:
    def get_serializer_class(self):
        return self.serializer_classes.get(self.action, self.serializer_classes["default"])
class InvoiceViewSet(ActionSerializersMixin, viewsets.ModelViewSet):
    queryset = Invoice.objects.all()
    serializer_classes = {
        "default": InvoiceSerializer,
        "list": TotalsSerializer,
    }

    @action(detail=False, methods=["post"])
    def paginated(self, request):
        return super().list(request)
''', **{"billing/serializers.py": SERIALIZERS})

# get_serializer_class() returning the write serializer for `create` and another after it: the list skips the branch
# and takes the one after it, not the class default (São Paulo's school-meal entries, round 151: the create serializer's
# relation judged never read by a list)
_PAST_CREATE = '''
from rest_framework import viewsets
from .models import Invoice
from .serializers import InvoiceSerializer, TotalsSerializer
class InvoiceViewSet(viewsets.ModelViewSet):
    queryset = Invoice.objects.all()
    serializer_class = {default}

    def get_serializer_class(self):
        if self.action == "create":
            return {default}
        return {listed}
'''
NP103_LIGHT_PAST_CREATE = billing_app(_PAST_CREATE.format(default="InvoiceSerializer", listed="TotalsSerializer"),
                                      **{"billing/serializers.py": SERIALIZERS})
NP103_HEAVY_PAST_CREATE = billing_app(_PAST_CREATE.format(default="TotalsSerializer", listed="InvoiceSerializer"),
                                      **{"billing/serializers.py": SERIALIZERS})

"""What a serializer does only for some HTTP methods: after `if request is None or request.method != "PATCH": return
None`, a list view's GET never gets there (eTools' overlapping activities, round 143: two findings judged false)."""

from .row_examples import billing_app

_SERIALIZERS = '''
from rest_framework import serializers
from .models import Invoice


class InvoiceSerializer(serializers.ModelSerializer):
    overlapping = serializers.SerializerMethodField()
    paid = serializers.SerializerMethodField()

    class Meta:
        model = Invoice
        fields = ["id", "total", "overlapping", "paid"]

    def get_overlapping(self, obj):
        request = self.context.get("request")
        if request is None or request.method != "{verb}":
            return None
        return Invoice.objects.filter(client_id=obj.client_id, total=obj.total).count()

    def get_paid(self, obj):
        if self.context["request"].method in ({verbs}):
            return sum(p.amount for p in obj.payments.all())
        return None
'''
_VIEW = '''
from rest_framework import viewsets
from .models import Invoice
from .serializers import InvoiceSerializer
class InvoiceViewSet(viewsets.ModelViewSet):
    queryset = Invoice.objects.all()
    serializer_class = InvoiceSerializer
'''
# a query and a relation read only for a PATCH, or a PUT or a POST: never for the list
VERB_WRITES_ONLY = billing_app(_VIEW, **{"billing/serializers.py": _SERIALIZERS.format(verb="PATCH", verbs='"PUT", "POST"')})
# the twin: the same guards letting a GET through
VERB_GET_KEPT = billing_app(_VIEW, **{"billing/serializers.py": _SERIALIZERS.format(verb="GET", verbs='"GET", "HEAD"')})

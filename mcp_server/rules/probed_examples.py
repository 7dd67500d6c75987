"""A prefetch kept under a name (`Prefetch("payments", ..., to_attr="recent_payments")`) read back with a fallback:
`payments = getattr(obj, "recent_payments", None)`, then `if payments is None:` queries. For the rows the view
prefetched, the fallback never runs (zaken-backend's case workflows, round 146: judged PREFETCHED); for rows loaded
without that prefetch, it runs once per row."""

from .row_examples import billing_app

_SERIALIZERS = '''
from rest_framework import serializers
from .models import Invoice, Payment


class InvoiceSerializer(serializers.ModelSerializer):
    paid = serializers.SerializerMethodField()

    class Meta:
        model = Invoice
        fields = ["id", "total", "paid"]

    def get_paid(self, obj):
        payments = getattr(obj, "recent_payments", None)
        if payments is None:
            payments = Payment.objects.filter(invoice=obj).order_by("-paid_on")
        return [str(p.amount) for p in payments]
'''
_VIEW = '''
from django.db.models import Prefetch
from rest_framework import viewsets
from .models import Invoice, Payment
from .serializers import InvoiceSerializer
class InvoiceViewSet(viewsets.ModelViewSet):
    queryset = Invoice.objects.{loading}
    serializer_class = InvoiceSerializer
'''
NP102_PROBED_PREFETCH = billing_app(_VIEW.format(
    loading='prefetch_related(Prefetch("payments", queryset=Payment.objects.order_by("-paid_on"), to_attr="recent_payments"))'),
    **{"billing/serializers.py": _SERIALIZERS})
NP102_PROBED_MISSING = billing_app(_VIEW.format(loading="all()"), **{"billing/serializers.py": _SERIALIZERS})

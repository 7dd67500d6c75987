"""A property or a serializer method that hands back what the row already carries before it queries (analysis/answered.py):
rows whose queryset annotates that name never reach the query; rows without the annotation query once each."""

from .row_examples import billing_app

_MODELS = '''
from django.db import models


class Client(models.Model):
    name = models.CharField(max_length=100)

    @property
    def open_total(self):
        if hasattr(self, "_open_total"):  # set by the querysets that annotate it
            return self._open_total
        unpaid = Invoice.objects.filter(client_id=self.id, paid=False)
        self._open_total = unpaid.aggregate(models.Sum("total"))["total__sum"]
        return self._open_total


class Invoice(models.Model):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="invoices")
    total = models.DecimalField(max_digits=12, decimal_places=2)
    paid = models.BooleanField(default=False)
'''

# Hitas's `HousingCompany.completion_date` over rows annotated with `_completion_date` (4 NP102 judged false, round 45)
_STATEMENT = '''
from django.db.models import Q, Sum
from .models import Client


def statement():
    clients = Client.objects.annotate(_open_total=Sum("invoices__total", filter=Q(invoices__paid=False)))
    return [(c.name, c.open_total) for c in clients]
'''

# Hitas's building list: `count = getattr(instance, "apartment_count", None)` before `.count()` (NP103 judged false)
_COUNTS = '''
from django.db.models import Count
from rest_framework import generics, serializers
from .models import Client


class ClientSerializer(serializers.ModelSerializer):
    invoice_count = serializers.SerializerMethodField()

    class Meta:
        model = Client
        fields = ["id", "invoice_count"]

    def get_invoice_count(self, instance):
        count = getattr(instance, "invoice_count", None)
        if count is not None:
            return count
        return instance.invoices.count()


class Clients(generics.ListAPIView):
    serializer_class = ClientSerializer
    queryset = Client.objects.annotate(invoice_count=Count("invoices"))
'''

NP102_ANSWERED_NEGATIVE = [billing_app(_STATEMENT, **{"billing/models.py": _MODELS})]
NP103_ANSWERED_NEGATIVE = [billing_app(_COUNTS, **{"billing/models.py": _MODELS})]
# the same loops over rows nothing annotated: the property and the count query once per row
NP102_ANSWERED_POSITIVE = [billing_app(_STATEMENT.replace("annotate(_open_total=", "annotate(unpaid="), **{"billing/models.py": _MODELS})]
NP103_ANSWERED_POSITIVE = [billing_app(_COUNTS.replace("annotate(invoice_count=", "annotate(n_invoices="), **{"billing/models.py": _MODELS})]

"""NP103 through a serializer's `Meta.fields` naming a GenericRelation (receivers.py): DRF builds no related field for
it, only a read-only field of the related manager, which queries nothing (Scirius's user actions and their objects,
round 186: judged NOTQUERY). The same list naming a reverse foreign key loads it per row and stays reported."""

_MODELS = '''
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import models


class Note(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    text = models.TextField()


class Invoice(models.Model):
    total = models.DecimalField(max_digits=12, decimal_places=2)
    notes = GenericRelation(Note)


class Payment(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="payments")
    amount = models.DecimalField(max_digits=12, decimal_places=2)
'''

_API = '''
from rest_framework import serializers, viewsets

from .models import Invoice


class InvoiceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Invoice
        fields = ["id", "total", "{listed}"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data.pop("notes", None)
        return data


class InvoiceViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Invoice.objects.all()
    serializer_class = InvoiceSerializer
'''


def _billing(listed: str) -> dict[str, str]:
    return {"billing/__init__.py": "", "billing/models.py": _MODELS, "billing/api.py": _API.format(listed=listed)}


NP103_GENERIC_RELATION_LISTED_NEGATIVE = _billing("notes")
NP103_REVERSE_KEY_LISTED_POSITIVE = _billing("payments")

"""A REST API over invoices (Django REST framework). The slow viewset serialises each invoice's client name
(dotted `source`), its items (a nested serializer) and its paid total (a SerializerMethodField running an
aggregate) with one query each per invoice; the fast twin loads the client and items with the rows and computes
the paid total in the same query (an annotation: a prefetch cannot serve `aggregate()`). Same JSON."""

from decimal import Decimal

from django.db.models import DecimalField, Sum, Value
from django.db.models.functions import Coalesce
from rest_framework import serializers, viewsets

from .models import Invoice, InvoiceItem

CENT = Decimal("0.01")


class ItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = InvoiceItem
        fields = ["description", "quantity", "unit_price"]


class InvoiceSlowSerializer(serializers.ModelSerializer):
    client_name = serializers.CharField(source="client.name")  # expect: NP103
    items = ItemSerializer(many=True)  # expect: NP103
    paid = serializers.SerializerMethodField()

    class Meta:
        model = Invoice
        fields = ["id", "status", "client_name", "items", "paid"]

    def get_paid(self, obj):
        total = obj.payments.aggregate(total=Sum("amount"))["total"]  # expect: NP103
        return str((total or Decimal("0")).quantize(CENT))


class InvoiceFastSerializer(serializers.ModelSerializer):
    client_name = serializers.CharField(source="client.name")
    items = ItemSerializer(many=True)
    paid = serializers.SerializerMethodField()

    class Meta:
        model = Invoice
        fields = ["id", "status", "client_name", "items", "paid"]

    def get_paid(self, obj):
        return str(obj.paid_total.quantize(CENT))


class InvoiceSlowViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Invoice.objects.order_by("id")
    serializer_class = InvoiceSlowSerializer


class InvoiceFastViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = (Invoice.objects.order_by("id").select_related("client").prefetch_related("items")
                .annotate(paid_total=Coalesce(Sum("payments__amount"), Value(Decimal("0")), output_field=DecimalField())))
    serializer_class = InvoiceFastSerializer

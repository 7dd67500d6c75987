"""A relation to a django-polymorphic model, read per row. UNICEF's EUMS serialises each distribution node's
`item.item.description`, where `item` is an `OrderItem(PolymorphicModel)` whose subclasses define `number()`; the scan
offered `select_related("consignee", "item__item")` (round 173, judged WRONGFIX): the join loads each order item as the
base class, and the serializer's `number()` then fails. `prefetch_related()` goes through the model's manager, which
returns each row's own subclass, so the polymorphic relation gets that call, in a finding of its own; the plain
relation beside it keeps `select_related()`."""

_MODELS = '''
from django.db import models
from polymorphic.models import PolymorphicModel


class Client(models.Model):
    name = models.CharField(max_length=80)


class Product(models.Model):
    description = models.CharField(max_length=200)


class OrderItem(PolymorphicModel):
    product = models.ForeignKey(Product, on_delete=models.PROTECT)


class SalesOrderItem(OrderItem):
    def number(self):
        return f"SO-{self.pk}"


class Shipment(models.Model):
    client = models.ForeignKey(Client, on_delete=models.PROTECT)
    item = models.ForeignKey(OrderItem, on_delete=models.PROTECT)
'''
_API = '''
from rest_framework import serializers, viewsets

from .models import Shipment


class ShipmentSerializer(serializers.ModelSerializer):
    client_name = serializers.CharField(source="client.name", read_only=True)
    product = serializers.CharField(source="item.product.description", read_only=True)

    class Meta:
        model = Shipment
        fields = ("id", "client_name", "product")


class ShipmentViewSet(viewsets.ModelViewSet):
    serializer_class = ShipmentSerializer
    queryset = Shipment.objects.all()
'''
_URLS = '''
from rest_framework.routers import DefaultRouter

from .api import ShipmentViewSet

router = DefaultRouter()
router.register("shipments", ShipmentViewSet)
urlpatterns = router.urls
'''
_FILES = {"manage.py": "", "shipping/__init__.py": "", "shipping/models.py": _MODELS, "shipping/api.py": _API,
          "shipping/urls.py": _URLS}

# (found twice) `select_related("client")` for the plain relation, `prefetch_related("item__product")` for the other
NP103_POLYMORPHIC_PREFETCHED = _FILES
# (found once, with `select_related("client", "item__product")`) the same models without django-polymorphic
NP103_PLAIN_JOINED = {**_FILES, "shipping/models.py": _MODELS.replace("(PolymorphicModel)", "(models.Model)")}
# no finding: the queryset prefetches the polymorphic relation and joins the plain one
NP103_POLYMORPHIC_LOADED = {**_FILES, "shipping/api.py": _API.replace(
    "Shipment.objects.all()", 'Shipment.objects.select_related("client").prefetch_related("item__product")')}

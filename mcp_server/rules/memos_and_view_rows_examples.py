"""Rounds 331 to 355 (issue 15, stop 80): memos written as an `or` or kept in a serializer's context, the one row a
viewset's `get_object()` takes, routes of a dict constant, a filter and a plain read on one line, querysets that raise
before any row, helpers that read the prefetch cache, and the keys' table walked itself.

- `hotels.get(key) or Hotel.objects.filter(...).first() or Hotel.objects.create(...)`, then `hotels[key] = hotel`:
  the query and the write run once per distinct name, not per row (a tour operator's booking import, round 336:
  judged CACHED); without the store, once per row;
- `event = self.get_object()` in a viewset action is one row of the viewset's own `get_queryset()`, with the lookups
  it prefetches on every path (`performances__sections__ticket_types`: round 336, judged PREFETCHED);
- `as_view(DETAIL)` of a dict the urls module binds once (`{"get": "retrieve", ...}`) routes only those actions, as the
  literal does (a print shop's estimator, round 337: 2 judged DEAD);
- `select_related("booking", "booking__customer")` where a booking has no `customer`: the query raises FieldError as it
  runs, so no loop walks its rows (an events platform and a POS back end, rounds 341 and 350: 3 judged DEAD); a base
  from an installed package may declare the field, and a field of a package's class may be a relation, so there no
  claim is made;
- `prefetched = self._prefetched_items(obj)`, a method of the serializer handing back Django's prefetch cache for one
  relation (else None), then `if prefetched is not None: return ...`: what follows runs only for rows not prefetched
  (a POS back end's stock serializer, round 350: 2 judged PREFETCHED);
- `margins = self.context.get("margins")`, then `if margins is None:` storing `self.context["margins"] = ...`: the
  context a list shares with each row's serializer, filled once (a hardware store's price lists, round 350);
- `is_used(rt.route_type)` per row of the route types, whose `route_type` is unique: a different key each time, so PF301
  does not say the same rows are fetched again (a transit agency's indicators, round 352: judged ARGSCHANGE);
- `obj.contacts.filter(main=True).first() or obj.contacts.first()`: one finding at the line, the filter's, whose query
  no prefetch serves (a construction ERP's contacts, round 342: the prefetch finding beside it judged WRONGFIX); the
  plain read on a line of its own keeps its finding.
"""

from __future__ import annotations

# NP101 / PF201: a lookup and a create on a miss of the dict the loop fills; the same without the store
_IMPORT = '''import csv

from django.db import models


class Hotel(models.Model):
    name = models.CharField(max_length=80)


class Booking(models.Model):
    hotel = models.ForeignKey(Hotel, on_delete=models.CASCADE)
    guest = models.CharField(max_length=80)


def import_bookings(path):
    hotels = {{}}
    bookings = []
    with open(path) as f:
        for row in csv.DictReader(f):
            key = row["hotel"].lower()
            hotel = (
                hotels.get(key)
                or Hotel.objects.filter(name__iexact=key).first()
                or Hotel.objects.create(name=key)
            )
            {store}
            bookings.append(Booking(hotel=hotel, guest=row["guest"]))
    Booking.objects.bulk_create(bookings)
'''
NP101_LOOKUP_ON_A_MISS = _IMPORT.format(store="hotels[key] = hotel")
NP101_LOOKUP_EVERY_ROW = _IMPORT.format(store="print(key)")


# NP103: a viewset action walking its own object's relations, which the viewset's get_queryset() prefetches; prefetched
# one level short
_VIEWSET = '''from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from .models import Event


class EventViewSet(viewsets.ModelViewSet):
    def get_queryset(self):
        return Event.objects.filter(active=True).prefetch_related("{lookup}")

    @action(detail=True, methods=["get"])
    def capacity(self, request, pk=None):
        event = self.get_object()
        performances = event.performances.all()
        out = []
        for performance in performances:
            for section in performance.sections.all():
                out.append([t.name for t in section.ticket_types.all()])
        return Response(out)
'''
_TICKETS = '''from django.db import models


class Event(models.Model):
    active = models.BooleanField(default=True)


class Performance(models.Model):
    event = models.ForeignKey(Event, related_name="performances", on_delete=models.CASCADE)


class Section(models.Model):
    performance = models.ForeignKey(Performance, related_name="sections", on_delete=models.CASCADE)


class TicketType(models.Model):
    section = models.ForeignKey(Section, related_name="ticket_types", on_delete=models.CASCADE)
    name = models.CharField(max_length=40)
'''
_URLS = '''from rest_framework.routers import DefaultRouter

from .views import EventViewSet

router = DefaultRouter()
router.register("events", EventViewSet, basename="event")
urlpatterns = router.urls
'''


def _viewset(lookup: str) -> dict[str, str]:
    return {"manage.py": "", "shop/__init__.py": "", "shop/models.py": _TICKETS, "shop/urls.py": _URLS,
            "shop/views.py": _VIEWSET.format(lookup=lookup)}


NP103_VIEW_OBJECT_PREFETCHED = _viewset("performances__sections__ticket_types")
NP103_VIEW_OBJECT_PREFETCHED_SHORT = _viewset("performances__sections")



# NP103: a viewset routed through a urls module's dict of one-row actions; the same dict mapping the list
_ORDERS = {
    "manage.py": "",
    "orders/__init__.py": "",
    "orders/models.py": '''from django.db import models


class Customer(models.Model):
    name = models.CharField(max_length=80)


class Order(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE)
''',
    "orders/views.py": '''from rest_framework import serializers, viewsets

from .models import Order


class OrderSerializer(serializers.ModelSerializer):
    customer_name = serializers.CharField(source="customer.name")

    class Meta:
        model = Order
        fields = ["id", "customer_name"]


class OrderViewSet(viewsets.ModelViewSet):
    queryset = Order.objects.all()
    serializer_class = OrderSerializer
''',
}
_ORDER_URLS = '''from django.urls import path

from . import views

ORDER_ACTIONS = {mapping}

urlpatterns = [path("orders/<int:pk>/", views.OrderViewSet.as_view(ORDER_ACTIONS))]
'''
NP103_VIEWSET_MAPPED_TO_ONE_ROW = {**_ORDERS, "orders/urls.py": _ORDER_URLS.format(mapping='{"get": "retrieve", "put": "update"}')}
NP103_VIEWSET_MAPPED_TO_ITS_LIST = {**_ORDERS, "orders/urls.py": _ORDER_URLS.format(mapping='{"get": "list", "post": "create"}')}



# NP103: a relation read through a filter and plainly on one line: the filter's finding; on two lines: one each
_PARTIES = '''from django.db import models
from rest_framework import serializers, viewsets


class Party(models.Model):
    name = models.CharField(max_length=80)


class Contact(models.Model):
    party = models.ForeignKey(Party, related_name="contacts", on_delete=models.CASCADE)
    main = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]


class PartySerializer(serializers.ModelSerializer):
    contact = serializers.SerializerMethodField()

    class Meta:
        model = Party
        fields = ["id", "name", "contact"]

    def get_contact(self, obj):
{read}


class PartyViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Party.objects.all()
    serializer_class = PartySerializer
'''
NP103_FILTER_OR_PLAIN_ON_ONE_LINE = _PARTIES.format(
    read="        contact = obj.contacts.filter(main=True).first() or obj.contacts.first()\n        return contact.id if contact else None")
NP103_FILTER_AND_PLAIN_ON_TWO_LINES = _PARTIES.format(
    read="        main = obj.contacts.filter(main=True).first()\n        first = obj.contacts.first()\n        return (main or first).id")


# NP103: a loop over a queryset whose select_related() names no relation of a model the project wholly declares; the
# relation named right; a booking whose base comes from an installed package (which may declare `customer`)
_TICKETING = '''from django.db import models
{imports}

class Customer(models.Model):
    email = models.EmailField()


class Booking({base}):
    user = models.ForeignKey(Customer, on_delete=models.CASCADE){field}


class Ticket(models.Model):
    booking = models.ForeignKey(Booking, on_delete=models.CASCADE)


def recipients():
    return [t.booking.user.email for t in Ticket.objects.select_related("booking", "{lookup}")]
'''
NP103_SELECT_RELATED_OF_NO_FIELD = _TICKETING.format(imports="", base="models.Model", field="", lookup="booking__customer")
NP103_SELECT_RELATED_ONE_SHORT = _TICKETING.format(imports="", base="models.Model", field="", lookup="booking")
NP103_SELECT_RELATED_PAST_A_PACKAGES_BASE = _TICKETING.format(imports="from django_extensions.db.models import TimeStampedModel\n",
                                                               base="TimeStampedModel", field="", lookup="booking__customer")
# (a field of a package's class the engine does not read as a relation: it may be one, so no claim either)
NP103_SELECT_RELATED_OF_A_PACKAGES_FIELD = _TICKETING.format(imports="from tenancy.fields import TenantForeignKey\n", base="models.Model",
                                                              field="\n    customer = TenantForeignKey(Customer, on_delete=models.CASCADE)",
                                                              lookup="booking__customer")

# NP103: a serializer whose helper hands back the prefetch cache of `items`, which the viewset prefetches; the same helper
# probing another relation's cache
_STOCK = '''from django.db import models
from django.db.models import Sum
from rest_framework import serializers, viewsets


class Stock(models.Model):
    code = models.CharField(max_length=20)


class StockItem(models.Model):
    stock = models.ForeignKey(Stock, related_name="items", on_delete=models.CASCADE)
    quantity = models.IntegerField()


class StockSerializer(serializers.ModelSerializer):
    total = serializers.SerializerMethodField()

    class Meta:
        model = Stock
        fields = ["id", "code", "total"]

    def _prefetched_items(self, obj):
        cache = getattr(obj, "_prefetched_objects_cache", {{}})
        if "{probed}" in cache:
            return cache["{probed}"]
        return None

    def get_total(self, obj):
        prefetched = self._prefetched_items(obj)
        if prefetched is not None:
            return sum(item.quantity for item in prefetched)
        return obj.items.aggregate(total=Sum("quantity"))["total"] or 0


class StockViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Stock.objects.prefetch_related("items")
    serializer_class = StockSerializer
'''
NP103_HELPER_READS_THE_PREFETCH = _STOCK.format(probed="items")
NP103_HELPER_READS_ANOTHER_RELATION = _STOCK.format(probed="lots")

# NP102: a serializer method filling the list's shared context on its first row; the same never storing what it loaded
_PRICES = '''from django.db import models
from rest_framework import serializers, viewsets


class PriceList(models.Model):
    number = models.IntegerField()
    margin = models.DecimalField(max_digits=6, decimal_places=2)


class Product(models.Model):
    base_price = models.DecimalField(max_digits=12, decimal_places=2)


class ProductSerializer(serializers.ModelSerializer):
    prices = serializers.SerializerMethodField()

    class Meta:
        model = Product
        fields = ["id", "prices"]

    def get_prices(self, obj):
        margins = self.context.get("margins")
        if margins is None:
            margins = {{p.number: p.margin for p in PriceList.objects.filter(number__lte=4)}}
            {store}
        return {{n: obj.base_price * (1 + m / 100) for n, m in margins.items()}}


class ProductViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Product.objects.all()
    serializer_class = ProductSerializer
'''
NP102_CONTEXT_MEMO = _PRICES.format(store='self.context["margins"] = margins')
NP102_CONTEXT_NOT_STORED = _PRICES.format(store="print(len(margins))")

# PF301: a lookup by a unique field of the loop's own rows (the keys' table walked itself); by a field many rows share
_ROUTE_TYPES = '''from django.db import models


class RouteType(models.Model):
    route_type = models.IntegerField(unique=True)


class Route(models.Model):
    route_type = models.IntegerField()
    name = models.CharField(max_length=40)


def is_used(route_type):
    return Route.objects.filter(route_type=route_type).exists()


def used_types():
    return [{{"type": row.route_type, "used": is_used(row.route_type)}} for row in {model}.objects.all()]
'''
PF301_KEYS_TABLE_WALKED = _ROUTE_TYPES.format(model="RouteType")
PF301_KEY_OF_MANY_ROWS = _ROUTE_TYPES.format(model="Route")

"""Rounds 331 to 338 (issue 15, stop 80): memos written as an `or`, a script's own function of a method's name, the
connection SQLAlchemy's `execution_options()` hands back, and the one row a viewset's `get_object()` takes.

- `hotels.get(key) or Hotel.objects.filter(...).first() or Hotel.objects.create(...)`, then `hotels[key] = hotel`:
  the query and the write run once per distinct name, not per row (a tour operator's booking import, round 336:
  judged CACHED); without the store, once per row;
- a script that defines and calls its own `validate_migration()` does not call `CapacityManager.validate_migration`
  (a ticketing back end, round 336: 3 judged DEAD); a script calling the class's method does;
- `conn = engine.connect().execution_options(isolation_level="AUTOCOMMIT")` holds the connection itself, so a
  `finally: conn.close()` closes it (a law firm's advisory lock, round 331: judged false); never closed, it leaks;
- `event = self.get_object()` in a viewset action is one row of the viewset's own `get_queryset()`, with the lookups
  it prefetches on every path (`performances__sections__ticket_types`: round 336, judged PREFETCHED);
- a root `run.py` whose main block calls `app.run()` serves a Flask application, whose functions only its own code
  calls (a restaurant SaaS, round 333: 6 judged DEAD); without that block, the package may be a library; so does a
  Makefile of the code's folder starting uvicorn (round 340), or PM2's root `ecosystem.config.js` naming it (round 346);
- `as_view(DETAIL)` of a dict the urls module binds once (`{"get": "retrieve", ...}`) routes only those actions, as the
  literal does (a print shop's estimator, round 337: 2 judged DEAD);
- the coroutines of one module that query through a synchronous session are one PF801 (one design, one fix: plain `def`
  handlers or the async session), not one each (a tour operator's ERP and a cricket tournament's API, rounds 334 and
  336: 19 judged not worth their own reading); a remote call that blocks stays its coroutine's own finding;
- helpers that each open a connection, called in one loop, are one PF502 (one connection opened before the loop fixes
  them all: a water committee's photo migration, round 348); in code only a script's main block reaches, `low`, as a
  query per item there is;
- `select_related("booking", "booking__customer")` where a booking has no `customer`: the query raises FieldError as it
  runs, so no loop walks its rows (an events platform and a POS back end, rounds 341 and 350: 3 judged DEAD); a base
  from an installed package may declare the field, so there no claim is made;
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

# NP103: a class method that only a script's own function of the same name is named by; the script calling it instead
_EVENTS = '''from django.db import models


class Event(models.Model):
    title = models.CharField(max_length=80)


class Performance(models.Model):
    event = models.ForeignKey(Event, related_name="performances", on_delete=models.CASCADE)
    seats = models.IntegerField()
'''
_CAPACITY = '''from .models import Event


class CapacityManager:
    @staticmethod
    def seats_of(event):
        return sum(p.seats for p in event.performances.all())

    @staticmethod
    def validate_migration():
        for event in Event.objects.all():
            for performance in event.performances.all():
                print(performance.seats)
'''
_VIEWS = '''from django.http import JsonResponse

from .capacity import CapacityManager
from .models import Event


def capacity(request, pk):
    return JsonResponse({"seats": CapacityManager.seats_of(Event.objects.get(pk=pk))})
'''
_SCRIPT = '''from events.capacity import CapacityManager


def validate_migration():
    print("checking the migrated capacity")


if __name__ == "__main__":
    {call}
'''
_PROJECT = {"manage.py": "", "events/__init__.py": "", "events/models.py": _EVENTS, "events/capacity.py": _CAPACITY,
            "events/views.py": _VIEWS,
            "events/urls.py": 'from django.urls import path\n\nfrom . import views\n\nurlpatterns = [path("<int:pk>/", views.capacity)]\n'}
NP103_METHOD_NAMED_BY_A_SCRIPTS_OWN_FUNCTION = {**_PROJECT, "migrate_capacity.py": _SCRIPT.format(call="validate_migration()")}
NP103_METHOD_CALLED_BY_A_SCRIPT = {**_PROJECT, "migrate_capacity.py": _SCRIPT.format(call="CapacityManager.validate_migration()")}
# (a module with its own function of the name that also calls an object's method so named: a property manager's
# `update_product` route calling `client.update_product(...)`, found by this stop's own check)
NP103_METHOD_CALLED_BESIDE_ITS_TWIN = {**_PROJECT, "migrate_capacity.py": _SCRIPT.format(
    call="validate_migration()\n    manager = [CapacityManager][0]\n    manager.validate_migration()")}

# PF501: the connection `execution_options()` hands back, closed in a `finally`; never closed
_LOCK = '''from contextlib import contextmanager

from sqlalchemy import create_engine, text

engine = create_engine("postgresql://localhost/firm")


@contextmanager
def single_worker_lock(key: int):
    conn = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
    got = False
    try:
        got = bool(conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {{"k": key}}).scalar())
        yield got
    finally:
        if got:
            conn.execute(text("SELECT pg_advisory_unlock(:k)"), {{"k": key}})
        {close}
'''
PF501_OPTIONS_CONNECTION_CLOSED = _LOCK.format(close="conn.close()")
PF501_OPTIONS_CONNECTION_LEFT_OPEN = _LOCK.format(close="print(key)")

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


# NP101: a service function nothing calls, in a Flask application a root script serves; the script that serves nothing
_FLASK_APP = {
    "app/__init__.py": '''from flask import Flask
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


def create_app():
    app = Flask(__name__)
    db.init_app(app)
    return app
''',
    "app/models.py": '''from . import db


class Restaurant(db.Model):
    id = db.Column(db.Integer, primary_key=True)


class Category(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    restaurant_id = db.Column(db.Integer, db.ForeignKey("restaurant.id"))
''',
    "app/stats.py": '''from .models import Category, Restaurant


def category_counts():
    return {r.id: Category.query.filter_by(restaurant_id=r.id).count() for r in Restaurant.query.all()}
''',
}
NP101_FUNCTION_OF_A_SERVED_FLASK_APP = {**_FLASK_APP, "run.py": '''from app import create_app

app = create_app()

if __name__ == "__main__":
    app.run(debug=True, port=5000)
'''}
NP101_FUNCTION_OF_A_PACKAGE = {**_FLASK_APP, "run.py": "from app import create_app\n\napp = create_app()\n"}
# (a parish back office's `server/Makefile` starting uvicorn, round 340: one in the code's folder serves it too; one that
# only installs serves nothing)
NP101_FUNCTION_OF_A_MAKEFILE_SERVED_APP = {**_FLASK_APP, "app/Makefile": "dev:\n\tuvicorn app.main:app --reload --port 8001\n"}
NP101_FUNCTION_BESIDE_AN_INSTALLING_MAKEFILE = {**_FLASK_APP, "app/Makefile": "install:\n\tpip install uvicorn flask\n"}
# (a SACCO platform's PM2 `ecosystem.config.js` running uvicorn, round 346; one that runs only the Node front end)
_PM2 = 'module.exports = {{ apps: [{{ name: "api", script: "{script}", args: "app.main:app --port 8000" }}] }};\n'
NP101_FUNCTION_OF_A_PM2_SERVED_APP = {**_FLASK_APP, "ecosystem.config.js": _PM2.format(script="./venv/bin/uvicorn")}
NP101_FUNCTION_BESIDE_A_NODE_PM2 = {**_FLASK_APP, "ecosystem.config.js": _PM2.format(script="./server/index.js")}

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


# PF801: three coroutines over a synchronous session, two of them querying and one fetching a remote page, in a project
# whose other service has the async driver
_FEEDBACK_ROUTES = '''import requests
from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from .db import Feedback, get_session

router = APIRouter()


@router.get("/feedback/{feedback_id}")
async def get_feedback(feedback_id: int, session: Session = Depends(get_session)):
    return session.get(Feedback, feedback_id)


@router.delete("/feedback/{feedback_id}")
async def delete_feedback(feedback_id: int, session: Session = Depends(get_session)):
    session.delete(session.get(Feedback, feedback_id))
    session.commit()


@router.get("/feedback/{feedback_id}/avatar")
async def avatar(feedback_id: int):
    return requests.get(f"https://avatars.example.com/{feedback_id}", timeout=5).content
'''
PF801_MODULE_OF_SYNC_QUERIES = {"feedback/__init__.py": "", "feedback/routes.py": _FEEDBACK_ROUTES,
                                "billing/db.py": "from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine\n"}

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

# PF502: two helpers that each connect, called per photo of a folder; a script's main block the only way in, or a route
_READINGS_DB = '''import psycopg2


def get_connection():
    return psycopg2.connect("dbname=water")


def reading_exists(meter, period):
    conn = get_connection()
    try:
        return conn.cursor().execute("SELECT 1 FROM readings WHERE meter = %s AND period = %s", (meter, period))
    finally:
        conn.close()


def create_reading(meter, period):
    conn = get_connection()
    try:
        conn.cursor().execute("INSERT INTO readings (meter, period) VALUES (%s, %s)", (meter, period))
        conn.commit()
    finally:
        conn.close()
'''
_PHOTOS = '''import os

from readings.db import create_reading, reading_exists


def import_folder(folder):
    for name in os.listdir(folder):
        meter, period = name.split("_")[:2]
        if not reading_exists(meter, period):
            create_reading(meter, period)
{entry}
'''
_SCRIPT_ENTRY = '''

if __name__ == "__main__":
    import_folder("photos")
'''
_ROUTE_ENTRY = '''

from flask import Flask

app = Flask(__name__)


@app.post("/import/<folder>")
def import_route(folder):
    import_folder(folder)
    return "ok"
'''
PF502_CONNECTIONS_IN_A_SCRIPT = {"readings/__init__.py": "", "readings/db.py": _READINGS_DB, "readings/photos.py": _PHOTOS.format(entry=_SCRIPT_ENTRY)}
PF502_CONNECTIONS_IN_A_ROUTE = {"readings/__init__.py": "", "readings/db.py": _READINGS_DB, "readings/photos.py": _PHOTOS.format(entry=_ROUTE_ENTRY)}

# NP103: a loop over a queryset whose select_related() names no relation of a model the project wholly declares; the
# relation named right; a booking whose base comes from an installed package (which may declare `customer`)
_TICKETING = '''from django.db import models
{imports}

class Customer(models.Model):
    email = models.EmailField()


class Booking({base}):
    user = models.ForeignKey(Customer, on_delete=models.CASCADE)


class Ticket(models.Model):
    booking = models.ForeignKey(Booking, on_delete=models.CASCADE)


def recipients():
    return [t.booking.user.email for t in Ticket.objects.select_related("booking", "{lookup}")]
'''
NP103_SELECT_RELATED_OF_NO_FIELD = _TICKETING.format(imports="", base="models.Model", lookup="booking__customer")
NP103_SELECT_RELATED_ONE_SHORT = _TICKETING.format(imports="", base="models.Model", lookup="booking")
NP103_SELECT_RELATED_PAST_A_PACKAGES_BASE = _TICKETING.format(imports="from django_extensions.db.models import TimeStampedModel\n",
                                                               base="TimeStampedModel", lookup="booking__customer")

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

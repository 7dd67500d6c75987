"""What a DRF list view's rows carry and which serializer writes them out (issue 15, rounds 94 and 95): the serializer
`get_serializer_class()` returns through a class attribute (`return self.list_serializer_class`), a subclass whose own
`Meta.fields` leaves out a field its grandparent declares, a role a model method takes from an annotation before it
queries (`try: role = self.user_role` / `except AttributeError:`), a serializer method that reads a `Prefetch(...,
to_attr=...)` when the row has it, a project queryset method chained on `super().get_queryset()` (round 97), counts
of rows locked with `select_for_update()`, which no annotation may join, an annotation or `to_attr` read anywhere in a
`try` whose `except AttributeError:` queries, and a viewset that answers no GET (round 133).
Shared by NP102 and NP103: each positive must be flagged, each negative must not."""

from .row_examples import CLIENT_NAME_SERIALIZER, billing_app

_SERIALIZERS = CLIENT_NAME_SERIALIZER + '''

class InvoiceRowSerializer(InvoiceSerializer):
    class Meta(InvoiceSerializer.Meta):
        fields = ["id", "total"]


class InvoiceSummarySerializer(InvoiceRowSerializer):
    due = serializers.DateField(source="created")

    class Meta(InvoiceRowSerializer.Meta):
        fields = ["id", "due"]
'''

# La Suite People's access lists (round 94): the list serializer named by a class attribute, which writes no client
_BY_ATTRIBUTE = '''
from rest_framework import viewsets
from .models import Invoice
from .serializers import InvoiceRowSerializer, InvoiceSerializer


class InvoiceViewSet(viewsets.ModelViewSet):
    queryset = Invoice.objects.all()
    serializer_class = InvoiceSerializer
    list_serializer_class = InvoiceRowSerializer

    def get_serializer_class(self):
        if self.action == "list":
            return self.list_serializer_class
        return self.serializer_class
'''
NP103_BY_ATTRIBUTE = billing_app(_BY_ATTRIBUTE, **{"billing/serializers.py": _SERIALIZERS})

# DORA's search results (round 94, judged NOTQUERY): the grandchild lists its own fields, without the client's name
_SUMMARY = '''
from rest_framework import generics
from .models import Invoice
from .serializers import InvoiceSummarySerializer


class InvoiceSummaries(generics.ListAPIView):
    queryset = Invoice.objects.all()
    serializer_class = InvoiceSummarySerializer
'''
NP103_GRANDPARENT_FIELD = billing_app(_SUMMARY, **{"billing/serializers.py": _SERIALIZERS.replace(
    "class InvoiceRowSerializer(InvoiceSerializer):\n    class Meta(InvoiceSerializer.Meta):\n        fields = [\"id\", \"total\"]",
    "class InvoiceRowSerializer(InvoiceSerializer):\n    pass")})

# La Suite People's `get_abilities()` (round 94, 2 judged PREFETCHED): the role annotated on the list's rows, queried
# only for a row without it
_ROLE_MODELS = '''
from django.db import models


class Ledger(models.Model):
    name = models.CharField(max_length=100)


class LedgerAccess(models.Model):
    ledger = models.ForeignKey(Ledger, on_delete=models.CASCADE, related_name="accesses")
    user = models.ForeignKey("auth.User", on_delete=models.CASCADE)
    role = models.CharField(max_length=10)

    def abilities(self, user):
        try:
            role = self.user_role
        except AttributeError:
            role = self.ledger.accesses.filter(user=user).values_list("role", flat=True).first()
        return {"manage": role == "owner"}
'''
_ROLE_VIEWS = '''
from django.db.models import OuterRef, Subquery
from rest_framework import serializers, viewsets
from .models import LedgerAccess


class AccessSerializer(serializers.ModelSerializer):
    abilities = serializers.SerializerMethodField()

    class Meta:
        model = LedgerAccess
        fields = ["id", "role", "abilities"]

    def get_abilities(self, access):
        return access.abilities(self.context["request"].user)


class AccessViewSet(viewsets.ModelViewSet):
    queryset = LedgerAccess.objects.all()
    serializer_class = AccessSerializer

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "list":
            mine = LedgerAccess.objects.filter(ledger=OuterRef("ledger"), user=self.request.user).values("role")[:1]
            queryset = queryset.annotate(user_role=Subquery(mine))
        return queryset
'''
NP103_ROLE_ANNOTATED = billing_app(_ROLE_VIEWS, **{"billing/models.py": _ROLE_MODELS})

# Lego's group list (round 95, judged PREFETCHED): the serializer reads the membership prefetched into the row
_MEMBERSHIP_VIEWS = '''
from django.db.models import Prefetch
from rest_framework import serializers, viewsets
from .models import Client, Invoice


class ClientSerializer(serializers.ModelSerializer):
    open_invoice = serializers.SerializerMethodField()

    class Meta:
        model = Client
        fields = ["id", "name", "open_invoice"]

    def get_open_invoice(self, client):
        if hasattr(client, "open_invoices"):
            found = client.open_invoices[0] if client.open_invoices else None
        else:
            found = Invoice.objects.filter(client=client, total__gt=0).order_by("id").first()
        return found.pk if found else None


class ClientViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Client.objects.all()
    serializer_class = ClientSerializer

    def get_queryset(self):
        queryset = self.queryset
        if self.request.user.is_authenticated:
            queryset = queryset.prefetch_related(
                Prefetch("invoices", queryset=Invoice.objects.filter(total__gt=0).order_by("id"), to_attr="open_invoices"))
        return queryset
'''
NP102_PREFETCHED_INTO = billing_app(_MEMBERSHIP_VIEWS)

# Lego's pools (round 95, 4 judged WRONGFIX): each locked pool's count read under the lock its transaction holds
_POOL_MODELS = '''
from django.db import models


class Event(models.Model):
    name = models.CharField(max_length=100)


class Pool(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="pools")
    capacity = models.IntegerField()

    @property
    def is_full(self):
        return self.registrations.count() >= self.capacity


class Registration(models.Model):
    pool = models.ForeignKey(Pool, on_delete=models.CASCADE, related_name="registrations")
'''
_POOL_TASKS = '''
from django.db import transaction
from .models import Event


def open_pools(event_ids):
    free = []
    for event_id in event_ids:
        with transaction.atomic():
            event = Event.objects.select_for_update().get(pk=event_id)
            locked_pools = event.pools.select_for_update().all()
            for pool in locked_pools:
                if not pool.is_full:
                    free.append(pool.pk)
    return free
'''
NP103_LOCKED_COUNT = {"events/__init__.py": "", "events/models.py": _POOL_MODELS, "events/tasks.py": _POOL_TASKS}

NP103_CARRIED_NEGATIVE = [NP103_BY_ATTRIBUTE, NP103_GRANDPARENT_FIELD, NP103_ROLE_ANNOTATED]
NP102_CARRIED_NEGATIVE = [NP102_PREFETCHED_INTO]
NP103_CARRIED_POSITIVE = [
    # the list serializer is the detail one: each row loads its client
    billing_app(_BY_ATTRIBUTE.replace("list_serializer_class = InvoiceRowSerializer", "list_serializer_class = InvoiceSerializer"),
                **{"billing/serializers.py": _SERIALIZERS}),
    # the grandchild lists the client's name
    billing_app(_SUMMARY, **{"billing/serializers.py": _SERIALIZERS.replace('fields = ["id", "due"]', 'fields = ["id", "due", "client_name"]')}),
    # the list annotates another name: every row takes the fallback
    billing_app(_ROLE_VIEWS.replace("annotate(user_role=", "annotate(my_role="), **{"billing/models.py": _ROLE_MODELS}),
    # locked, so `low` with the reason
    NP103_LOCKED_COUNT,
]
NP102_CARRIED_POSITIVE = [billing_app(_MEMBERSHIP_VIEWS.replace('to_attr="open_invoices"', 'to_attr="unpaid"'))]

# Le marché de l'inclusion's tender list (round 97, judged PREFETCHED): the project's queryset method, chained on
# `super().get_queryset()`, loads the relation
_PICKED_MODELS = '''
from django.db import models


class Client(models.Model):
    name = models.CharField(max_length=100)


class InvoiceQuerySet(models.QuerySet):
    def with_client(self):
        return self.select_related("client")


class Invoice(models.Model):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="invoices")
    total = models.DecimalField(max_digits=12, decimal_places=2)
    objects = InvoiceQuerySet.as_manager()
'''
_PICKED_VIEW = '''
from rest_framework import viewsets
from .models import Invoice
from .serializers import InvoiceSerializer


class InvoiceViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Invoice.objects.all()
    serializer_class = InvoiceSerializer

    def get_queryset(self):
        qs = super().get_queryset()
        qs = qs.with_client()
        return qs
'''
NP103_QUERYSET_METHOD_ON_SUPER = billing_app(_PICKED_VIEW, **{"billing/models.py": _PICKED_MODELS, "billing/serializers.py": _SERIALIZERS})
NP103_CARRIED_NEGATIVE.append(NP103_QUERYSET_METHOD_ON_SUPER)
NP103_CARRIED_POSITIVE.append(billing_app(_PICKED_VIEW.replace("qs.with_client()", 'qs.order_by("total")'),
                                          **{"billing/models.py": _PICKED_MODELS, "billing/serializers.py": _SERIALIZERS}))

# Aides-territoires' backers (round 96, judged WRONGFIX): a queryset method applied only under a request flag; the fix
# goes on the view's query, which every request runs, not in the method
_FLAGGED_MODELS = _PICKED_MODELS.replace('''    def with_client(self):
        return self.select_related("client")''', '''    def large(self):
        return self.filter(total__gt=1000)''')
_FLAGGED_VIEW = '''
from rest_framework import viewsets
from .models import Invoice
from .serializers import InvoiceSerializer


class InvoiceViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = InvoiceSerializer

    def get_queryset(self):
        qs = Invoice.objects.all()
        if self.request.query_params.get("large") == "true":
            qs = qs.large()
        qs = qs.order_by("total")
        return qs
'''
NP103_FLAGGED_METHOD = billing_app(_FLAGGED_VIEW, **{"billing/models.py": _FLAGGED_MODELS, "billing/serializers.py": _SERIALIZERS})
NP103_CARRIED_POSITIVE.append(NP103_FLAGGED_METHOD)

# Lotus's plan and customer lists (round 133, 3 judged PREFETCHED or CACHED): the serializer reads what the list's
# get_queryset() annotates and prefetches `to_attr`, inside an expression, and queries only when the row lacks it
_TRIED_VIEWS = '''
from django.db.models import DecimalField, Prefetch, Q, Sum
from rest_framework import serializers, viewsets
from .models import Client, Invoice


class ClientSerializer(serializers.ModelSerializer):
    open_total = serializers.SerializerMethodField()
    open_count = serializers.SerializerMethodField()

    class Meta:
        model = Client
        fields = ["id", "name", "open_total", "open_count"]

    def get_open_total(self, client):
        try:
            return client.open_total or 0
        except AttributeError:
            return client.invoices.filter(total__gt=0).aggregate(t=Sum("total"))["t"]

    def get_open_count(self, client):
        try:
            return len([i for i in client.open_invoices if i.total > 0])
        except AttributeError:
            return client.invoices.filter(total__gt=0).count()


class ClientViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ClientSerializer

    def get_queryset(self):
        name = self.request.query_params.get("name")
        qs = Client.objects.filter(name__gt="")
        qs = qs.prefetch_related(Prefetch("invoices", queryset=Invoice.objects.filter(total__gt=0), to_attr="open_invoices"))
        qs = qs.annotate(open_total=Sum("invoices__total", filter=Q(invoices__total__gt=0), output_field=DecimalField()))
        if name:
            qs = qs.filter(name__icontains=name)
        return qs
'''
NP103_TRIED_IN_EXPRESSION = billing_app(_TRIED_VIEWS)
NP103_CARRIED_NEGATIVE.append(NP103_TRIED_IN_EXPRESSION)
NP103_CARRIED_POSITIVE += [billing_app(_TRIED_VIEWS.replace('to_attr="open_invoices"', 'to_attr="unpaid"')),
                           billing_app(_TRIED_VIEWS.replace("qs.annotate(open_total=", "qs.annotate(unpaid_total="))]

# Lotus's add-on versions (round 133, 2 judged DEAD): `http_method_names` without "get", so DRF answers no list
_POSTED_VIEW = '''
from rest_framework import viewsets
from .models import Invoice
from .serializers import InvoiceSerializer


class InvoiceViewSet(viewsets.ModelViewSet):
    queryset = Invoice.objects.all()
    serializer_class = InvoiceSerializer
    http_method_names = ["post", "head", "patch"]
'''
NP103_NO_GET = billing_app(_POSTED_VIEW, **{"billing/serializers.py": _SERIALIZERS})
NP103_CARRIED_NEGATIVE.append(NP103_NO_GET)
NP103_CARRIED_POSITIVE.append(billing_app(_POSTED_VIEW.replace('["post", "head", "patch"]', '["get", "post", "head", "patch"]'),
                                          **{"billing/serializers.py": _SERIALIZERS}))


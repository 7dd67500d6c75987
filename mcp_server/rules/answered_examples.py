"""A property or a serializer method that hands back what the row already carries before it queries (analysis/answered.py),
or queries only in the `else` of `if hasattr(self, name)` (flow.has_flag): rows whose queryset annotates that name, or
prefetches into it (`Prefetch(..., to_attr=name)`), never reach the query; rows without it query once each."""

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

# MITx Online's `active_contracts` (`self._active_contracts if hasattr(self, "_active_contracts") else ...`) and
# `is_upgradable` (`if hasattr(self, "prefetched_enrollment_modes"): ... else: self.enrollment_modes.filter(...)`), over
# rows whose view prefetches into those names (3 NP103 judged false in round 47)
_PREFETCHED_MODELS = _MODELS.replace('''    @property
    def open_total(self):''', '''    @property
    def unpaid(self):
        return self._unpaid if hasattr(self, "_unpaid") else list(self.invoices.filter(paid=False))

    @property
    def settled(self):
        if hasattr(self, "paid_invoices"):
            found = bool(self.paid_invoices)
        else:
            found = self.invoices.filter(paid=True).exists()
        return found

    @property
    def open_total(self):''')
_OVERVIEW = '''
from django.db.models import Prefetch
from .models import Client, Invoice


def overview():
    clients = Client.objects.prefetch_related(
        Prefetch("invoices", queryset=Invoice.objects.filter(paid=False), to_attr="_unpaid"),
        Prefetch("invoices", queryset=Invoice.objects.filter(paid=True), to_attr="paid_invoices"),
    )
    return [(c.name, len(c.unpaid), c.settled) for c in clients]
'''

NP102_ANSWERED_NEGATIVE = [billing_app(_STATEMENT, **{"billing/models.py": _MODELS})]
NP103_ANSWERED_NEGATIVE = [billing_app(_COUNTS, **{"billing/models.py": _MODELS}), billing_app(_OVERVIEW, **{"billing/models.py": _PREFETCHED_MODELS})]
# the same loops over rows nothing annotated: the property and the count query once per row
NP102_ANSWERED_POSITIVE = [billing_app(_STATEMENT.replace("annotate(_open_total=", "annotate(unpaid="), **{"billing/models.py": _MODELS})]
NP103_ANSWERED_POSITIVE = [billing_app(_COUNTS.replace("annotate(invoice_count=", "annotate(n_invoices="), **{"billing/models.py": _MODELS}),
                           billing_app(_OVERVIEW.replace('to_attr="_unpaid"', 'to_attr="unpaid_list"').replace('to_attr="paid_invoices"', 'to_attr="paid_list"'),
                                       **{"billing/models.py": _PREFETCHED_MODELS})]

# OpenCodelists' `current_handle` reads Django's own prefetch cache first (NP103 judged false in round 48)
_CACHE_MODELS = '''
from django.db import models


class Client(models.Model):
    name = models.CharField(max_length=100)

    def open_invoice(self):
        if hasattr(self, "_prefetched_objects_cache") and "invoices" in self._prefetched_objects_cache:
            return next((i for i in self.invoices.all() if not i.paid), None)
        return self.invoices.filter(paid=False).first()


class Invoice(models.Model):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="invoices")
    paid = models.BooleanField(default=False)
'''
_CACHE_VIEW = '''
from .models import Client


def open_invoices():
    return [c.open_invoice() for c in Client.objects.prefetch_related("invoices")]
'''
NP103_ANSWERED_NEGATIVE.append({"billing/__init__.py": "", "billing/models.py": _CACHE_MODELS, "billing/views.py": _CACHE_VIEW})
NP103_ANSWERED_POSITIVE.append({"billing/__init__.py": "", "billing/models.py": _CACHE_MODELS,
                                "billing/views.py": _CACHE_VIEW.replace('prefetch_related("invoices")', "all()")})

# the Mozilla Foundation's buyer's guide (round 63): `try: return self._average_creepiness` / `except AttributeError:`,
# over rows a custom queryset method annotates (`.with_average_creepiness()`)
_TRY_MODELS = _MODELS.replace('''        if hasattr(self, "_open_total"):  # set by the querysets that annotate it
            return self._open_total
''', '''        try:
            return self._open_total  # set by the querysets that annotate it
        except AttributeError:
            pass
''').replace("class Client(models.Model):", '''class ClientQuerySet(models.QuerySet):
    def with_open_total(self):
        return self.annotate(_open_total=models.Sum("invoices__total", filter=models.Q(invoices__paid=False)))


class Client(models.Model):
    objects = ClientQuerySet.as_manager()''')
_TRY_STATEMENT = '''
from .models import Client


def statement():
    return [(c.name, c.open_total) for c in Client.objects.filter(name__gt="").with_open_total()]
'''
NP102_ANSWERED_NEGATIVE.append(billing_app(_TRY_STATEMENT, **{"billing/models.py": _TRY_MODELS}))
NP102_ANSWERED_POSITIVE.append(billing_app(_TRY_STATEMENT.replace(".with_open_total()", ""), **{"billing/models.py": _TRY_MODELS}))

# django-orchestra's bill totals (round 79, judged PREFETCHED): each level reads the rows Django's prefetch cache holds
# and aggregates only when the caller did not prefetch; a list prefetching both levels runs no query per row
_LEVELS_MODELS = '''
from django.db import models
from django.db.models import Sum


class Invoice(models.Model):
    number = models.CharField(max_length=20)

    def total(self):
        if "lines" in getattr(self, "_prefetched_objects_cache", ()):
            return sum(line.total() for line in self.lines.all())
        return self.lines.aggregate(t=Sum("amount"))["t"]


class InvoiceLine(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    amount = models.DecimalField(max_digits=12, decimal_places=2)

    def total(self):
        if "taxes" in getattr(self, "_prefetched_objects_cache", ()):
            return self.amount + sum(tax.amount for tax in self.taxes.all())
        return self.amount + (self.taxes.aggregate(t=Sum("amount"))["t"] or 0)


class LineTax(models.Model):
    line = models.ForeignKey(InvoiceLine, on_delete=models.CASCADE, related_name="taxes")
    amount = models.DecimalField(max_digits=12, decimal_places=2)
'''
_LEVELS_VIEW = '''
from .models import Invoice


def totals():
    return [invoice.total() for invoice in Invoice.objects.prefetch_related("lines__taxes")]
'''
NP103_ANSWERED_NEGATIVE.append({"billing/__init__.py": "", "billing/models.py": _LEVELS_MODELS, "billing/views.py": _LEVELS_VIEW})

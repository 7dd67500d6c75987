"""A relation read per row of one object's related rows, where the project prefetches that path somewhere
(analysis/prefetches.py): `low`, naming the prefetch; without such a prefetch, `low` for one object's rows alone
(analysis/one_object.py), flagged at the severity tests/test_prefetches.py checks. Last, a list view's Prefetch
built in its class body (querysets.py): loaded with the rows, no finding. And `first()` of related rows whose model
has Meta.ordering: it slices the prefetched rows (no query), so it wants a prefetch, not a Prefetch with a subset."""

from .row_examples import billing_app

_MODELS = '''
from django.db import models


class Product(models.Model):
    name = models.CharField(max_length=100)


class Invoice(models.Model):
    number = models.CharField(max_length=20)

    def product_names(self):
        return [line.product.name for line in self.lines.all()]


class Line(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(Product, on_delete=models.CASCADE)
'''

_VIEW = '''
from django.db.models import Prefetch
from .models import Invoice, Line
{imports}


def invoices():
    return [(inv.number, inv.product_names()) for inv in Invoice.objects.filter(number__gt="").{eager}]
'''


def _app(eager: str, imports: str = "") -> dict[str, str]:
    return {"billing/__init__.py": "", "billing/models.py": _MODELS, "billing/views.py": _VIEW.format(eager=eager, imports=imports)}


# the list view prefetches the lines with their products, spelled as a path, as a Prefetch's queryset, or by a
# helper that puts a prefix before the lookup (the same path below another relation)
NP103_PREFETCHED_ELSEWHERE = [
    _app('prefetch_related("lines__product")'),
    _app('prefetch_related(Prefetch("lines", queryset=Line.objects.select_related("product")))'),
    {**_app('prefetch_related(lines_prefetch())', "from .queries import lines_prefetch"), "billing/queries.py": '''
from django.db.models import Prefetch
from .models import Line


def lines_prefetch(prefix=""):
    return Prefetch(f"{prefix}lines", queryset=Line.objects.select_related("product"))
'''},
    # Prefetch objects named, one inside the other's queryset (MIT xPRO's viewsets)
    _app('prefetch_related(LINES)', '''from .models import Product
PRODUCTS = Prefetch("product", queryset=Product.objects.only("name"))
LINES = Prefetch("lines", queryset=Line.objects.prefetch_related(PRODUCTS))'''),
    # the Prefetch's queryset built by a function of the module, handed on by name (EnvErgo's criteria, round 97)
    _app('prefetch_related(Prefetch("lines", queryset=LINES_WITH_PRODUCTS))', '''

def product_lines():
    lines = Line.objects.select_related("product")
    return lines


LINES_WITH_PRODUCTS = product_lines()'''),
]
# it prefetches the lines only: each line's product is still a query per line
NP103_NOT_PREFETCHED = _app('prefetch_related("lines")')

# a DRF list view whose class body builds the Prefetch and names it in `queryset`, or hands it on as
# `self.lines_prefetch` in get_queryset: the serializer's `obj.lines` is loaded with the rows
_SERIALIZER = '''
from rest_framework import serializers
from .models import Invoice


class InvoiceSerializer(serializers.ModelSerializer):
    products = serializers.SerializerMethodField()

    class Meta:
        model = Invoice
        fields = ["number", "products"]

    def get_products(self, obj):
        return [line.product_id for line in obj.lines.all()]
'''
_VIEWSET = '''
from django.db.models import Prefetch
from rest_framework import viewsets
from .models import Invoice, Line
from .serializers import InvoiceSerializer


class InvoiceViewSet(viewsets.ReadOnlyModelViewSet):
    lines_prefetch = Prefetch("lines", queryset=Line.objects.order_by("pk"))
    serializer_class = InvoiceSerializer
    {queryset}
'''


def _viewset(queryset: str) -> dict[str, str]:
    models = _MODELS.replace("    def product_names(self):\n        return [line.product.name for line in self.lines.all()]\n", "")
    return {"billing/__init__.py": "", "billing/models.py": models, "billing/serializers.py": _SERIALIZER,
            "billing/views.py": _VIEWSET.format(queryset=queryset)}


NP103_CLASS_PREFETCH_NEGATIVE = [
    _viewset("queryset = Invoice.objects.prefetch_related(lines_prefetch)"),
    _viewset('def get_queryset(self):\n        return Invoice.objects.filter(number__gt="").prefetch_related(self.lines_prefetch)'),
]
# the class body builds the Prefetch and its queryset leaves it out: `obj.lines` is still a query per invoice
NP103_CLASS_PREFETCH_POSITIVE = _viewset("queryset = Invoice.objects.all()")


_ORDERED = '''from django.db import models


class Client(models.Model):
    name = models.CharField(max_length=80)


class Invoice(models.Model):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="invoices")
    issued = models.DateField()

    class Meta:
        ordering = ["-issued"]
'''
_LATEST = '''from .models import Client


def latest():
    return {c.pk: c.invoices.first() for c in Client.objects.prefetch_related("invoices")}
'''
_ORDERED_APP = {"billing/__init__.py": "", "billing/models.py": _ORDERED, "billing/views.py": _LATEST}
# Mediathread's `collaboration.first()` on prefetched rows ordered by Meta.ordering (round 73: 4 judged PREFETCHED)
NP103_ORDERED_FIRST_NEGATIVE = [_ORDERED_APP]
NP103_ORDERED_FIRST_POSITIVE = [
    # not prefetched: a query per client, which a plain prefetch_related("invoices") removes
    {**_ORDERED_APP, "billing/views.py": _LATEST.replace('.prefetch_related("invoices")', ".all()")},
    # no Meta.ordering: `first()` orders by the key, a new query per client even when prefetched
    {**_ORDERED_APP, "billing/models.py": _ORDERED.replace('ordering = ["-issued"]', 'verbose_name = "invoice"')},
]

# NP101: the queryset handed to `Prefetch(...)` runs as part of the prefetch it serves, never on its own; the query per
# client is the related manager's, which NP103 reports (YourNextRepresentative's ballots API, round 117: judged NOTQUERY).
# The same queryset counted per client is a query per item.
_PREFETCH_PER_CLIENT = '''
from django.db.models import Prefetch

from .models import Client, Payment


def statements():
    out = []
    for client in Client.objects.all():
        invoices = client.invoices.prefetch_related(
            Prefetch("payments", Payment.objects.select_related("invoice")),
        )
        out.append((client.name, [inv.total for inv in invoices]))
    return out
'''
NP101_PREFETCH_QUERYSET_NEGATIVE = billing_app(_PREFETCH_PER_CLIENT)
NP101_COUNTED_QUERYSET_POSITIVE = billing_app("""
from .models import Client, Payment


def paid_counts():
    return {client.pk: Payment.objects.select_related("invoice").filter(invoice__client=client).count()
            for client in Client.objects.all()}
""")

# NP103: a related manager written on the row, then read in the same iteration: the read asks for the rows as the write
# left them, which no prefetch made before the loop holds (seqr's dataset clean-up: `remove(...)` then `exists()`,
# round 118: judged WRONGFIX). Read before the write, the prefetch serves it.
_CLOSE_ACCOUNTS = '''
from .models import Client


def close_accounts(closed_ids):
    for client in Client.objects.filter(pk__in=closed_ids):
        client.invoices.filter(total=0).delete()
        if not client.invoices.exists():
            client.delete()
'''
NP103_WRITTEN_THEN_READ_NEGATIVE = billing_app(_CLOSE_ACCOUNTS.replace(".filter(total=0).delete()", ".update(total=0)"))
NP103_READ_THEN_WRITTEN_POSITIVE = billing_app('''
from .models import Client


def close_accounts(closed_ids):
    for client in Client.objects.filter(pk__in=closed_ids):
        if not client.invoices.exists():
            client.invoices.update(total=0)
''')

# A default manager whose constructor builds its `select_related` list from the class's own list and what each model
# hands it, on a queryset it constructs (MGnify's download managers, round 150: 3 judged PREFETCHED). The list the
# class body declares is only the default the constructor replaces; with no constructor it is the list, and empty.
_LISTED_MANAGER = '''from django.db import models


class ListedQuerySet(models.QuerySet):
    def select_related_only(self, related_name, fields):
        return self.select_related(related_name).only(*fields, *[f"{related_name}__{f}" for f in fields])


class ListedManager(models.Manager):
    select_related = []
    default_select_related = ["client"]

    def __init__(self, select_related, *args, **kwargs):
        self.select_related = self.default_select_related + select_related or []
        super().__init__(*args, **kwargs)

    def get_queryset(self):
        return ListedQuerySet(self.model, using=self._db).select_related(*self.select_related)


class Client(models.Model):
    name = models.CharField(max_length=80)


class Invoice(models.Model):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="invoices")
    objects = ListedManager([])
'''
_CLIENT_NAMES = '''from .models import Invoice


def client_names():
    return [inv.client.name for inv in Invoice.objects.all()]
'''
NP103_MANAGER_BUILT_LIST = {"billing/__init__.py": "", "billing/models.py": _LISTED_MANAGER, "billing/views.py": _CLIENT_NAMES}
# no constructor: the class body's empty list is the one `*self.select_related` spells, a query per invoice
NP103_MANAGER_EMPTY_LIST = {**NP103_MANAGER_BUILT_LIST, "billing/models.py": _LISTED_MANAGER.replace(
    "    def __init__(self, select_related, *args, **kwargs):\n"
    "        self.select_related = self.default_select_related + select_related or []\n"
    "        super().__init__(*args, **kwargs)\n\n", "").replace("ListedManager([])", "ListedManager()")}
# the project's `select_related_only("client", [...])` names the relation it joins first
NP103_SELECT_RELATED_ONLY = {**NP103_MANAGER_EMPTY_LIST, "billing/models.py": NP103_MANAGER_EMPTY_LIST["billing/models.py"].replace(
    ".select_related(*self.select_related)", '.select_related_only("client", ["name"])')}

# the model declares the lookups its callers prefetch, named for it, and the views spell them `*Invoice.common_prefetch_fields`
# (Fairdata Metax's datasets, round 155: 4 judged PREFETCHED)
NP103_DECLARED_PREFETCH = {**_app("prefetch_related(*Invoice.common_prefetch_fields)"), "billing/models.py": _MODELS.replace(
    '    number = models.CharField(max_length=20)\n',
    '    number = models.CharField(max_length=20)\n    common_prefetch_fields = ("lines", "lines__product")\n')}

"""A relation read per row of one object's related rows, where the project prefetches that path somewhere
(analysis/prefetches.py): `low`, naming the prefetch; without such a prefetch, `low` for one object's rows alone (analysis/one_object.py). All
are positives (flagged, at the severity tests/test_prefetches.py checks)."""

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


def invoices():
    return [(inv.number, inv.product_names()) for inv in Invoice.objects.filter(number__gt="").{eager}]
'''


def _app(eager: str, imports: str = "") -> dict[str, str]:
    return {"billing/__init__.py": "", "billing/models.py": _MODELS, "billing/views.py": imports + _VIEW.format(eager=eager)}


# the list view prefetches the lines with their products, spelled as a path, as a Prefetch's queryset, or by a
# helper that puts a prefix before the lookup (the same path below another relation)
NP103_PREFETCHED_ELSEWHERE = [
    _app('prefetch_related("lines__product")'),
    _app('prefetch_related(Prefetch("lines", queryset=Line.objects.select_related("product")))'),
    {**_app('prefetch_related(lines_prefetch())', "from .queries import lines_prefetch\n"), "billing/queries.py": '''
from django.db.models import Prefetch
from .models import Line


def lines_prefetch(prefix=""):
    return Prefetch(f"{prefix}lines", queryset=Line.objects.select_related("product"))
'''},
]
# it prefetches the lines only: each line's product is still a query per line
NP103_NOT_PREFETCHED = _app('prefetch_related("lines")')

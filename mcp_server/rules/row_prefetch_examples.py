"""One row fetched with its relations prefetched (`prefetch_related(...).get(pk=pk)`, `.first()`,
`get_object_or_404(qs, ...)`): a loop over that row's related rows (`inv.lines.all()`) reads Django's prefetch cache,
each row with what the lookups under that relation loaded (loops._loaded_with_row). IFRC GO's PER view loops over the
latest assessment's area responses and their component responses, both prefetched with nested `Prefetch` objects
(round 132: judged PREFETCHED). A `.filter()` on the relation queries anew, and a lookup that stops short loads less."""

_MODELS = '''
from django.db import models


class Tax(models.Model):
    name = models.CharField(max_length=20)  # ICMS, PIS, COFINS


class Product(models.Model):
    name = models.CharField(max_length=80)


class Invoice(models.Model):
    number = models.CharField(max_length=20)


class InvoiceLine(models.Model):
    invoice = models.ForeignKey(Invoice, related_name="lines", on_delete=models.CASCADE)
    product = models.ForeignKey(Product, on_delete=models.CASCADE)
    taxes = models.ManyToManyField(Tax)
    paid = models.BooleanField(default=False)
'''
_VIEW = '''
from django.db.models import Prefetch
from django.http import JsonResponse
from django.shortcuts import get_object_or_404

from .models import Invoice, InvoiceLine


def invoice_lines(request, pk):
    invoice = {fetch}
    lines = []
    for line in invoice.lines{rows}:
        lines.append({{"product": line.product.name, "taxes": [t.name for t in line.taxes.all()]}})
    return JsonResponse({{"lines": lines}})
'''
_URLS = '''
from django.urls import path

from . import views

urlpatterns = [path("invoices/<int:pk>/lines/", views.invoice_lines)]
'''


def invoice_app(fetch: str, rows: str = ".all()") -> dict[str, str]:
    return {"manage.py": "", "billing/__init__.py": "", "billing/models.py": _MODELS,
            "billing/views.py": _VIEW.format(fetch=fetch, rows=rows), "billing/urls.py": _URLS}


NP103_ROW_PREFETCH_NEGATIVE = [
    invoice_app('Invoice.objects.prefetch_related("lines__product", "lines__taxes").get(pk=pk)'),
    invoice_app('get_object_or_404(Invoice.objects.prefetch_related("lines__taxes").prefetch_related('
                'Prefetch("lines__product")), pk=pk)'),
    invoice_app('Invoice.objects.filter(pk=pk).prefetch_related(Prefetch("lines", queryset=InvoiceLine.objects'
                '.select_related("product").prefetch_related("taxes"))).first()'),
]
# the lines prefetched, not their products: each line loads its product (and taxes)
NP103_ROW_PREFETCH_SHALLOW = invoice_app('Invoice.objects.prefetch_related("lines").get(pk=pk)')
# the unpaid lines: a filter queries anew, and its rows carry nothing the prefetch loaded
NP103_ROW_PREFETCH_FILTERED = invoice_app('Invoice.objects.prefetch_related("lines__product", "lines__taxes").get(pk=pk)',
                                          rows=".filter(paid=False)")

"""Tables only staff fill (analysis/curated_tables.py): a loop over the rows of a model the admin registers and no code
of the project creates walks what staff typed in, a handful (the finding is `low`, saying why).

The same loop stays reported when anything of the project may fill the table: a model form of it, a serializer a
writable view saves it with, a `.create()` on a relation holding it. A read-only view's serializer fills nothing.
"""

_MODELS = '''
from django.db import models


class Client(models.Model):
    name = models.CharField(max_length=100)


class TaxRate(models.Model):
    name = models.CharField(max_length=20)  # ICMS, PIS, COFINS...
    percent = models.DecimalField(max_digits=5, decimal_places=2)


class Invoice(models.Model):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="invoices")
    total = models.DecimalField(max_digits=12, decimal_places=2)


class InvoiceTax(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="taxes")
    rate = models.ForeignKey(TaxRate, on_delete=models.CASCADE, related_name="charged")
    amount = models.DecimalField(max_digits=12, decimal_places=2)
'''

_ADMIN = '''
from django.contrib import admin

from .models import Client, TaxRate

admin.site.register([Client, TaxRate])
'''

_VIEWS = '''
from django.http import JsonResponse

from .models import Client, Invoice, InvoiceTax, TaxRate


def tax_totals(request):
    totals = {}
    for rate in TaxRate.objects.all():
        totals[rate.name] = str(sum(t.amount for t in InvoiceTax.objects.filter(rate=rate)))
    return JsonResponse(totals)


def bill(request, client_id):
    client = Client.objects.get(pk=client_id)
    invoice = Invoice.objects.create(client=client, total=request.POST["total"])
    invoice.taxes.create(rate_id=request.POST["rate"], amount=request.POST["tax"])
    return JsonResponse({"id": invoice.pk})


def sign_up(request):
    return JsonResponse({"id": Client.objects.create(name=request.POST["name"]).pk})
'''

_URLS = '''
from django.urls import path

from . import views

urlpatterns = [path("taxes", views.tax_totals), path("bill/<int:client_id>", views.bill), path("sign-up", views.sign_up)]
'''

_RATE_FORM = '''
from django import forms

from .models import TaxRate


class TaxRateForm(forms.ModelForm):
    class Meta:
        model = TaxRate
        fields = ["name", "percent"]
'''

_SERIALIZERS = '''
from rest_framework import serializers

from .models import TaxRate


class TaxRateSerializer(serializers.ModelSerializer):
    class Meta:
        model = TaxRate
        fields = ["id", "name", "percent"]
'''

_API = '''
from rest_framework import viewsets

from .models import TaxRate
from .serializers import TaxRateSerializer


class TaxRateViewSet(viewsets.{base}):
    queryset = TaxRate.objects.all()
    serializer_class = TaxRateSerializer
'''


def taxes_app(**more: str) -> dict[str, str]:
    return {"manage.py": "", "taxes/__init__.py": "", "taxes/models.py": _MODELS, "taxes/admin.py": _ADMIN,
            "taxes/views.py": _VIEWS, "taxes/urls.py": _URLS, **more}


# the tax rates staff keep in the admin, and nothing else creates: a query per rate is a handful
NP101_CURATED_LOWERED = taxes_app()
# a read-only API lists them: still nothing of the project creates one
NP101_CURATED_READ_ONLY_LOWERED = taxes_app(**{"taxes/serializers.py": _SERIALIZERS,
                                                "taxes/api.py": _API.format(base="ReadOnlyModelViewSet")})
# a model form of TaxRate may create any number of them
NP101_CURATED_FORM_POSITIVE = taxes_app(**{"taxes/forms.py": _RATE_FORM})
# a writable API's serializer creates them
NP101_CURATED_API_POSITIVE = taxes_app(**{"taxes/serializers.py": _SERIALIZERS, "taxes/api.py": _API.format(base="ModelViewSet")})

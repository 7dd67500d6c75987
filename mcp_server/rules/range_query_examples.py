"""A query per item that reads a range of rows of its own: YSE_PZ looks for duplicates of each new transient in a box
of sky coordinates (`ra__gt=ramin, ra__lt=ramax, ...`); the `in_bulk(keys)` / `filter(key__in=keys)` fix offered was
judged WRONGFIX (round 179): no `__in` list replaces per-item ranges. The finding stays, with a fix that fits."""

_MODELS = '''
from django.db import models


class Payment(models.Model):
    reference = models.CharField(max_length=40)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    booked_on = models.DateField()
'''
_VIEWS = '''
from datetime import timedelta

from django.http import JsonResponse

from .models import Payment


def near_duplicates(request):
    found = {}
    for payment in Payment.objects.filter(reference=""):
        start, end = payment.booked_on - timedelta(days=3), payment.booked_on + timedelta(days=3)
        found[payment.pk] = list(Payment.objects.filter(booked_on__gte=start, booked_on__lte=end).values_list("pk", flat=True))
    return JsonResponse(found)
'''
_FILES = {"manage.py": "", "bank/__init__.py": "", "bank/models.py": _MODELS, "bank/views.py": _VIEWS, "bank/urls.py": '''
from django.urls import path

from .views import near_duplicates

urlpatterns = [path("near-duplicates/", near_duplicates)]
'''}

# (found, high, with the range fix) a window of dates per payment
NP101_RANGE_PER_ITEM = _FILES
# (found, high, with the batch fix) a lookup by each payment's reference
NP101_KEY_PER_ITEM = {**_FILES, "bank/views.py": _VIEWS.replace(
    "Payment.objects.filter(booked_on__gte=start, booked_on__lte=end)", "Payment.objects.filter(amount=payment.amount)")}

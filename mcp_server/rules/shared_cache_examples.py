"""A row's method behind a decorator that keeps its result in the shared cache (Django's cache, memcached), keyed by
the row: after the first page view the loop reads the cache, not the database (analysis/definitions._shared_cache)."""

from .row_examples import billing_app

# django-argcache's `@cache_function` (ESP's time slots per program, 5 NP102/NP103 judged false in round 44): kept until
# a row it depends on changes; `@cache_function_for(timeout)` for a given time
_PROGRAMS = '''
from argcache import cache_function, cache_function_for
from django.db import models


class Client(models.Model):
    name = models.CharField(max_length=100)

    @cache_function
    def open_total(self):
        return self.invoices.filter(paid=False).aggregate(models.Sum("total"))["total__sum"]

    @cache_function_for(60 * 60 * 24)
    def yearly_total(self):
        return self.invoices.aggregate(models.Sum("total"))["total__sum"]


class Invoice(models.Model):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="invoices")
    total = models.DecimalField(max_digits=12, decimal_places=2)
    paid = models.BooleanField(default=False)
'''

# django-cachemodel's `@cachemodel.cached_method(auto_publish=True)` (Badgr's evidence of each badge, round 69: judged
# CACHED): in the Django cache per row, published again when the row is saved
_PUBLISHED = '''
import cachemodel
from django.db import models


class Client(models.Model):
    name = models.CharField(max_length=100)

    @cachemodel.cached_method(auto_publish=True)
    def cached_invoices(self):
        return self.invoices.all()


class Invoice(models.Model):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="invoices")
    total = models.DecimalField(max_digits=12, decimal_places=2)
'''
_STATEMENT = '''
from .models import Client


def statement():
    return [(c.name, c.open_total(), c.yearly_total()) for c in Client.objects.all()]
'''
_PUBLISHED_STATEMENT = '''
from .models import Client


def statement():
    return [(c.name, len(c.cached_invoices())) for c in Client.objects.all()]
'''

NP102_SHARED_CACHE_NEGATIVE = [
    billing_app(_STATEMENT, **{"billing/models.py": _PROGRAMS}),
    billing_app(_PUBLISHED_STATEMENT, **{"billing/models.py": _PUBLISHED}),
]

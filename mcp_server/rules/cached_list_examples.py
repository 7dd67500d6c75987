"""A list view whose `list()` (its own or a mixin's) serves the serialised page from the cache (analysis/cross.routed):
the per-row queries of its serializer run when the cache misses, not on every request, so NP103 there is `low`, saying
so (IntelOwl's `PaginationMixin`, round 53: 5 judged CACHED); the same view without the mixin keeps its severity.
Both are positives of NP103, at the severity tests/test_rule_precision_50.py checks."""

from .row_examples import CLIENT_NAME_SERIALIZER

_MODELS = '''
from django.db import models


class Client(models.Model):
    name = models.CharField(max_length=100)


class Invoice(models.Model):
    client = models.ForeignKey(Client, on_delete=models.CASCADE)
    total = models.DecimalField(max_digits=12, decimal_places=2)
'''

_SERIALIZER = CLIENT_NAME_SERIALIZER

_MIXIN = '''
from django.core.cache import cache


class CachedPageMixin:
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        name = f"invoices_{request.user.pk}_{request.query_params.get('page', 1)}"
        data = cache.get(name)
        if data is None:
            data = self.get_serializer(page, many=True).data
            cache.set(name, data, timeout=3600)
        return self.get_paginated_response(data)
'''
_VIEW = '''
from rest_framework import viewsets
from .mixins import CachedPageMixin
from .models import Invoice
from .serializers import InvoiceSerializer


class InvoiceViewSet({bases}):
    serializer_class = InvoiceSerializer
    queryset = Invoice.objects.all()
'''
NP103_CACHED_LIST_LOWERED = {"billing/__init__.py": "", "billing/models.py": _MODELS, "billing/serializers.py": _SERIALIZER,
                             "billing/mixins.py": _MIXIN, "billing/views.py": _VIEW.format(bases="CachedPageMixin, viewsets.ModelViewSet")}
NP103_UNCACHED_LIST_KEPT = {**NP103_CACHED_LIST_LOWERED, "billing/views.py": _VIEW.format(bases="viewsets.ModelViewSet")}
# a function that returns the answer it keeps in the cache first (`hit = cache.get(key)`, `if hit is not None: return
# hit`, `cache.set(key, ...)` later): its loop runs when the cache misses, `low` (LFS's category trees, round 60: judged
# CACHED); the same loop in a function that only reads the cache beside it keeps its severity
NP103_CACHE_FIRST_LOWERED = {"billing/__init__.py": "", "billing/models.py": _MODELS, "billing/names.py": '''
from django.core.cache import cache
from .models import Invoice


def client_names(key):
    names = cache.get(key)
    if names is not None:
        return names
    names = [inv.client.name for inv in Invoice.objects.all()]
    cache.set(key, names)
    return names
'''}

NP103_CACHED_LIST_POSITIVE = [NP103_CACHED_LIST_LOWERED, NP103_UNCACHED_LIST_KEPT, NP103_CACHE_FIRST_LOWERED]

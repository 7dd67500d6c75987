"""A list served from Django's response cache, for NP101 and NP103: its per-row queries run on a cache miss, once per
URL and timeout (a health network's summary endpoints, round 130: 6 judged N). Found at low, saying so; caching only
the detail action leaves the list's queries on every request."""

from .static import DJANGO_MODELS

_VIEWSET = '''
from django.utils.decorators import method_decorator
from django.views.decorators.cache import cache_page
from rest_framework import serializers, viewsets

from .models import Invoice


class InvoiceSerializer(serializers.ModelSerializer):
    client_name = serializers.CharField(source="client.name")

    class Meta:
        model = Invoice
        fields = ["id", "total", "client_name"]


class InvoiceSummaryViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Invoice.objects.all()
    serializer_class = InvoiceSerializer

    @method_decorator(cache_page(60 * 60))
    def {action}(self, request, *args, **kwargs):
        return super().{action}(request, *args, **kwargs)
'''

_VIEW = '''
from django.http import JsonResponse
from django.views.decorators.cache import cache_page

from .models import Client, Invoice


@cache_page(600)
def states(request):
    return JsonResponse({c.state: Invoice.objects.filter(client=c).count() for c in Client.objects.all()})
'''

# (found at low: the list's response is cached)
NP103_CACHED_LIST_LOWERED = [{"billing/models.py": DJANGO_MODELS, "billing/api.py": _VIEWSET.format(action="list")}]
NP103_CACHED_DETAIL_KEPT = [{"billing/models.py": DJANGO_MODELS, "billing/api.py": _VIEWSET.format(action="retrieve")}]
# (found at low)
NP101_CACHED_VIEW_LOWERED = [{"billing/models.py": DJANGO_MODELS, "billing/views.py": _VIEW}]

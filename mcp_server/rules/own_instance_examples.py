"""NP102 on a model's "object or key" getter (flow._own_instance_returned, loop_size._other_class): OpenCEX's ticker
views loop over `Pair.objects.all()` and call `Pair.get(pair)` per row, a class method that returns its argument at once
when it already is a `Pair` and queries only for a code or an id (round 165: 2 judged NOTQUERY). Handed the loop's row,
it never queries; handed the codes of another table's rows, it queries once per code. A view's own `get` calling
`Pair.get` is no recursion either: the finding says nothing of a tree."""

_MARKET = {
    "manage.py": "",
    "market/__init__.py": "",
    "market/models.py": '''from django.db import models


class Pair(models.Model):
    code = models.CharField(max_length=20, unique=True)

    @classmethod
    def get(cls, obj):
        if isinstance(obj, cls):
            return obj
        return cls.objects.get(code=obj)


class Trade(models.Model):
    pair_code = models.CharField(max_length=20)
''',
    "market/urls.py": "from django.urls import path\nfrom .views import Tickers\n\nurlpatterns = [path('tickers/', Tickers.as_view())]\n",
}
_VIEW = '''from django.http import JsonResponse
from django.views import View

from .models import Pair, Trade


class Tickers(View):
    def get(self, request):
        return JsonResponse({{"codes": [Pair.get({}).code for {} in {}]}})
'''

NP102_OWN_INSTANCE_PASSED = {**_MARKET, "market/views.py": _VIEW.format("pair", "pair", "Pair.objects.all()")}
NP102_KEY_PASSED = {**_MARKET, "market/views.py": _VIEW.format("trade.pair_code", "trade", "Trade.objects.all()")}

"""A method of the project's own queryset class called on a row's related rows (`c.children.all().ordered()` in
Python, `c.children.all.ordered` in a template) clones the queryset, so it queries on every row even when the view
prefetched the relation (issue 15, round 30: Spirit's category admin, where the fix offered, `prefetch_related`,
removed nothing). The finding says so and offers a `Prefetch` with that queryset method instead. The negatives read
the prefetched rows (`.all`, `.all.count`): no query per row."""

_MODELS = '''
from django.db import models


class AccountQuerySet(models.QuerySet):
    def ordered(self):
        return self.order_by("code")


class Account(models.Model):
    parent = models.ForeignKey("self", null=True, on_delete=models.CASCADE, related_name="children")
    code = models.CharField(max_length=20)
    objects = AccountQuerySet.as_manager()
'''
_VIEWS = '''
from django.shortcuts import render
from .models import Account


def chart(request):
    roots = Account.objects.filter(parent=None).prefetch_related("children")
    return render(request, "ledger/chart.html", {{"roots": roots}})


def codes():
    return [[c.code for c in a.children.all(){method}] for a in Account.objects.filter(parent=None).prefetch_related("children")]
'''
_CHART = '''{{% for a in roots %}}
  {{{{ a.code }}}}: {{% for c in a.children.all{method} %}}{{{{ c.code }}}} {{% endfor %}}
{{% endfor %}}
'''


def _ledger(method: str, template: str) -> dict[str, str]:
    return {"ledger/__init__.py": "", "ledger/models.py": _MODELS, "ledger/views.py": _VIEWS.format(method=method),
            "ledger/templates/ledger/chart.html": _CHART.format(method=template)}


CUSTOM_METHOD_POSITIVE = _ledger(".ordered()", ".ordered")
CUSTOM_METHOD_NEGATIVE = [_ledger("", ""), {**_ledger("", ""), "ledger/templates/ledger/chart.html":
                                             "{% for a in roots %}{{ a.children.all.count }}{% endfor %}\n"}]

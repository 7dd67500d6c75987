"""Rows a view hands to its own sorting or filtering helper, whose returns the index cannot read (a branch per sort
key, each through another helper), then loads on the call's result (analysis/index_sources.py `_handed`): the rows
are the ones handed, with what the chain on the call loads. Mediathread's project list (round 73) did
`qs = self.sort_queryset(qs, ...)` then `return qs.select_related("author")`; 3 findings on its template were judged
PREFETCHED."""

from .row_examples import ROW_MODELS

_VIEW = '''from django.db.models import F
from django.db.models.functions import Lower
from django.views.generic import ListView
from .models import Invoice


class InvoiceList(ListView):
    template_name = "billing/invoices.html"

    def annotate_title(self, qs):
        return qs.annotate(title_lower=Lower("title"))

    def sort_queryset(self, qs, field):
        if field == "title":
            qs = self.annotate_title(qs)
            return qs.order_by(F("title_lower").desc())
        return qs.order_by(F(field).asc())

    def get_queryset(self):
        qs = Invoice.objects.filter(total__gt=0)
        qs = self.sort_queryset(qs, "total")
        return qs.select_related("client")
'''
_TEMPLATE = "{% for inv in object_list %}<p>{{ inv.client.name }}</p>{% endfor %}\n"
_APP = {"billing/__init__.py": "", "billing/models.py": ROW_MODELS, "billing/views.py": _VIEW,
        "billing/templates/billing/invoices.html": _TEMPLATE}

NP107_HANDED_NEGATIVE = [_APP]
# the same view without the select_related on the helper's result: each row's client is a query
NP107_HANDED_POSITIVE = [{**_APP, "billing/views.py": _VIEW.replace('return qs.select_related("client")', "return qs")}]

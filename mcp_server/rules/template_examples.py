"""Examples of Django templates reading relations per row, for NP107: a view (function or class-based) renders a
template whose `{% for %}` reads a relation its queryset did not load. Each positive must be flagged at the
template's line, each negative (the fast twin) must not."""


_LIST = '''{% extends "base.html" %}
{% block content %}
{% for inv in invoices %}
  <tr><td>{{ inv.client.name|upper }}</td><td>{{ inv.total }}</td></tr>
{% endfor %}
{% endblock %}
'''

_ITEMS = '''{% for inv in invoices %}
  {% with c=inv.client %}{{ c.name }}{% endwith %}
  {% for item in inv.items.all %}{{ item.amount }}{% endfor %}
{% endfor %}
'''


_CLIENT_INVOICES = '''
from django.views.generic import ListView
from .models import Invoice
class ClientInvoices(ListView):
    model = Invoice
    template_name = "billing/invoices.html"
    context_object_name = "invoices"

    def get_queryset(self):
        self.queryset = Invoice.objects.filter(client_id=self.kwargs["pk"]){eager}
        return super().get_queryset()
'''


def _app(views: str, **templates: str) -> dict[str, str]:
    return {"billing/__init__.py": "", "billing/views.py": views, **{f"billing/templates/{k.replace('__', '/').replace('_html', '.html')}": v for k, v in templates.items()}}


def with_models(models: str, examples: list[dict[str, str]]) -> list[dict[str, str]]:
    return [{"billing/models.py": models, **e} for e in examples]


# a client's page: each invoice's items counted per row (one client's few, so `low`, but reported)
_CLIENT_PAGE = '''{% for inv in client.invoices.all %}
  {{ inv.items.all|length }}
{% endfor %}
'''
_CLIENT_VIEW = '''
from django.views.generic import {base}
from django.views.generic.detail import SingleObjectMixin
from .models import Client
class ClientPage({base}):
    model = Client
'''

# `qs = qs.select_related("client")` refines the queryset bound just before it, in get_context_data
# (YourNextRepresentative's constituency counts, round 117: judged PREFETCHED)
_REFINED_COUNTS = '''
from django.db.models import Count
from django.views.generic import TemplateView
from .models import Invoice


class InvoiceCounts(TemplateView):
    template_name = "billing/invoices.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        qs = Invoice.objects.filter(total__gt=0).annotate(n=Count("items"))
        qs = qs.select_related("client")
        qs = qs.order_by("-n")
        context["invoices"] = qs
        return context
'''
NP107_REFINED_NEGATIVE = _app(_REFINED_COUNTS, billing__invoices_html=_LIST)
NP107_UNREFINED_POSITIVE = _app(_REFINED_COUNTS.replace('        qs = qs.select_related("client")\n', ""), billing__invoices_html=_LIST)

TEMPLATE_POSITIVE = [
    NP107_UNREFINED_POSITIVE,
    # the twin of the lookup-only view: a DetailView renders `client_detail.html` by default
    _app(_CLIENT_VIEW.format(base="DetailView"), billing__client_detail_html=_CLIENT_PAGE),
    # a function view: render() with a context dict, the template reads the client of each invoice
    _app('''
from django.shortcuts import render
from .models import Invoice
def invoices(request):
    return render(request, "billing/invoices.html", {"invoices": Invoice.objects.filter(total__gt=0)})
''', billing__invoices_html=_LIST),
    # a ListView with its default template and context name; a {% with %} alias and a nested loop over a to-many relation
    _app('''
from django.views.generic import ListView
from .models import Invoice
class InvoiceList(ListView):
    model = Invoice
    context_object_name = "invoices"
''', billing__invoice_list_html=_ITEMS),
    # an included template reads the row the including loop hands it
    _app('''
from django.template.response import TemplateResponse
from .models import Invoice
def invoices(request):
    context = {}
    context["invoices"] = Invoice.objects.all()
    return TemplateResponse(request, "billing/table.html", context)
''', billing__table_html='{% for inv in invoices %}{% include "billing/row.html" %}{% endfor %}\n',
         billing__row_html="<td>{{ inv.client.name }}</td>\n"),
    # `self.queryset = ...` then `super().get_queryset()`: Django's ListView returns those rows, which load no client
    _app(_CLIENT_INVOICES.format(eager=''), billing__invoices_html=_LIST),
    # a count per row spelled `.all.count` (SODAR's ontologies and their terms): counted in the query, not prefetched
    _app('''
from django.shortcuts import render
from .models import Client
def clients(request):
    return render(request, "billing/clients.html", {"clients": Client.objects.all()})
''', billing__clients_html="{% for c in clients %}{{ c.name }}: {{ c.invoices.all.count }} invoices{% endfor %}\n"),
]

TEMPLATE_NEGATIVE = [
    NP107_REFINED_NEGATIVE,
    # `SingleObjectMixin, View` only looks the client up (a download): it renders no `client_detail.html` by default
    _app(_CLIENT_VIEW.format(base="SingleObjectMixin, View"), billing__client_detail_html=_CLIENT_PAGE),
    # the same view whose queryset loads the client: the rows super().get_queryset() returns
    _app(_CLIENT_INVOICES.format(eager='.select_related("client")'), billing__invoices_html=_LIST),
    _app('''
from django.shortcuts import render
from .models import Invoice
def invoices(request):
    return render(request, "billing/invoices.html", {"invoices": Invoice.objects.select_related("client")})
''', billing__invoices_html=_LIST),
    _app('''
from django.views.generic import ListView
from .models import Invoice
class InvoiceList(ListView):
    queryset = Invoice.objects.select_related("client").prefetch_related("items")
    context_object_name = "invoices"
''', billing__invoice_list_html=_ITEMS),
    # Django 6.1's fetch mode loads each relation for all the rows at the first access
    _app('''
from django.db import models
from django.shortcuts import render
from .models import Invoice
def invoices(request):
    return render(request, "billing/invoices.html", {"invoices": Invoice.objects.fetch_mode(models.FETCH_PEERS)})
''', billing__invoices_html=_LIST),
    # a constant slice in the context: the three latest invoices, whatever the table holds (as for a Python loop over it)
    _app('''
from django.views.generic import TemplateView
from .models import Invoice
class Dashboard(TemplateView):
    template_name = "billing/invoices.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["invoices"] = Invoice.objects.order_by("-id")[:3]
        return context
''', billing__invoices_html=_LIST),
    # the same slice bound to a name first, then put in the context (GetTogether's `recent_events`, round 82: judged SMALL)
    _app('''
from django.shortcuts import render
from .models import Invoice
def latest(request):
    recent = Invoice.objects.order_by("-id")[:3]
    return render(request, "billing/invoices.html", {"invoices": recent})
''', billing__invoices_html=_LIST),
    # the inner `invoices` is a value of a dict a template filter built (`{% for month, invoices in ... %}`), not the
    # view's queryset of that name: the view's rows never reach this loop (zds-site's followed-topics sidebar)
    _app('''
from django.shortcuts import render
from .models import Invoice
def invoices(request):
    return render(request, "billing/invoices.html", {"invoices": Invoice.objects.all()})
''', billing__invoices_html='''{% with recent=user|recent_invoices %}
{% for month, invoices in recent.items %}
  {% for inv in invoices %}{{ inv.client.name }}{% endfor %}
{% endfor %}
{% endwith %}
'''),
    # a ListView that only overrides post(), acting on the ticked invoices and redirecting: the default template it
    # would render is the list page's, which the list view serves with its own eager loading (scancode.io's actions)
    _app('''
from django.shortcuts import redirect
from django.views.generic import ListView
from .models import Invoice
class InvoiceList(ListView):
    queryset = Invoice.objects.select_related("client")
    context_object_name = "invoices"

class InvoiceActions(ListView):
    model = Invoice
    context_object_name = "invoices"

    def post(self, request, *args, **kwargs):
        self.get_queryset().filter(pk__in=request.POST.getlist("ids")).update(total=0)
        return redirect("invoice_list")
''', billing__invoice_list_html=_LIST),
    # only columns and the foreign key's id: nothing to load
    _app('''
from django.shortcuts import render
from .models import Invoice
def invoices(request):
    return render(request, "billing/ids.html", {"invoices": Invoice.objects.all()})
''', billing__ids_html="{% for inv in invoices %}{{ inv.client_id }} {{ inv.total }}{% endfor %}\n"),
]

# a row's related object printed whole: `{{ inv.client }}` runs `Client.__str__`, which reads the client's city, so the
# fix loads both (GetTogether's places and their cities, round 82: `select_related("city")` judged incomplete)
_PRINTED_MODELS = '''
from django.db import models


class City(models.Model):
    name = models.CharField(max_length=40)


class Client(models.Model):
    name = models.CharField(max_length=40)
    city = models.ForeignKey(City, on_delete=models.CASCADE)

    def __str__(self):
        return f"{self.name} ({self.city.name})"


class Invoice(models.Model):
    client = models.ForeignKey(Client, on_delete=models.CASCADE)
'''
NP107_PRINTED_POSITIVE = {"billing/models.py": _PRINTED_MODELS, **_app('''
from django.shortcuts import render
from .models import Invoice
def invoices(request):
    return render(request, "billing/invoices.html", {"invoices": Invoice.objects.all()})
''', billing__invoices_html="{% for inv in invoices %}<p>{{ inv.client }}</p>{% endfor %}\n")}

"""NP107 in a template only an unused view renders (cross.lower_unused): the loop runs when the view does, and no route,
call or setting names the view (WAStD's batch list, its only route commented out: round 191, DEAD on reading). The
finding is `low`, saying so; the same view routed keeps it."""

_MODELS = '''from django.db import models


class Client(models.Model):
    name = models.CharField(max_length=80)


class Invoice(models.Model):
    number = models.CharField(max_length=20)
    client = models.ForeignKey(Client, on_delete=models.CASCADE)
'''

_VIEWS = '''from django.shortcuts import render

from .models import Invoice


def invoice_list(request):
    return render(request, "billing/list.html", {"invoices": Invoice.objects.all()})


def open_invoices(request):
    return render(request, "billing/open.html", {"invoices": Invoice.objects.select_related("client")})
'''

_TEMPLATE = "{% for invoice in invoices %}{{ invoice.number }} {{ invoice.client.name }}\n{% endfor %}\n"


def _billing(routed: str) -> dict[str, str]:
    return {"manage.py": "", "billing/__init__.py": "", "billing/models.py": _MODELS, "billing/views.py": _VIEWS,
            "billing/urls.py": f"from django.urls import path\n\nfrom . import views\n\nurlpatterns = [{routed}]\n",
            "billing/templates/billing/list.html": _TEMPLATE, "billing/templates/billing/open.html": _TEMPLATE}


NP107_UNROUTED_VIEW_LOWERED = _billing('path("open/", views.open_invoices)')
NP107_ROUTED_VIEW_KEPT = _billing('path("open/", views.open_invoices), path("", views.invoice_list)')

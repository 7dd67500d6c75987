"""A list view that names only its `model` lists `Model._default_manager.all()`, so what that manager's get_queryset()
loads comes with every row, also under `super().get_queryset()` with filters added (views.view_rows with
index_sources.default_rows). Indigo's work chooser (round 180: `model = Work`, whose WorkManager select_relates
`main_commencement`) was judged PREFETCHED."""

_MODELS = '''from django.db import models


class InvoiceManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().select_related("{selected}")


class Client(models.Model):
    name = models.CharField(max_length=80)


class Office(models.Model):
    city = models.CharField(max_length=60)


class Invoice(models.Model):
    number = models.CharField(max_length=20)
    client = models.ForeignKey(Client, on_delete=models.CASCADE)
    office = models.ForeignKey(Office, null=True, on_delete=models.SET_NULL)
    objects = InvoiceManager()
'''

_VIEW = '''from django.views.generic import ListView
from .models import Invoice


class InvoiceList(ListView):
    model = Invoice
    template_name = "billing/invoices.html"

    def get_queryset(self):
        return super().get_queryset().filter(number__startswith=self.kwargs["prefix"])
'''
_TEMPLATE = "{% for inv in object_list %}<p>{{ inv.number }} {{ inv.client.name }}</p>{% endfor %}\n"


def _app(selected: str) -> dict[str, str]:
    return {"billing/__init__.py": "", "billing/models.py": _MODELS.format(selected=selected), "billing/views.py": _VIEW,
            "billing/templates/billing/invoices.html": _TEMPLATE}


# the default manager joins each invoice's client: the template's `inv.client.name` costs nothing more
NP107_VIEW_MODEL_NEGATIVE = [_app("client")]
# the manager joins another relation: each row's client is a query
NP107_VIEW_MODEL_POSITIVE = [_app("office")]

"""A row written per item that is another row's relation (`state = property_view.state`, then `state.save()`): its model is
the relation's target (analysis/own_saves.py `model_key`), so a model whose own `save()` does more than write the row
(SEED's `PropertyState` normalises the address and hashes the row, round 74: `bulk_update` judged WRONGFIX) is not
offered the bulk API; the positive is the same model without the override."""

_MODELS = '''from django.db import models


class Client(models.Model):
    name = models.CharField(max_length=80)
    normalized = models.CharField(max_length=80)

    def save(self, *args, **kwargs):
        self.normalized = self.name.strip().lower()
        super().save(*args, **kwargs)


class Invoice(models.Model):
    payer = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="invoices")
'''
_RENAME = '''from .models import Invoice


def rename(ids, name):
    for invoice in Invoice.objects.filter(id__in=ids):
        payer = invoice.payer
        payer.name = name
        payer.save()
'''
_APP = {"billing/__init__.py": "", "billing/models.py": _MODELS, "billing/views.py": _RENAME}
_OVERRIDE = '''
    def save(self, *args, **kwargs):
        self.normalized = self.name.strip().lower()
        super().save(*args, **kwargs)
'''

PF201_RELATED_ROW_NEGATIVE = [_APP]
PF201_RELATED_ROW_POSITIVE = [{**_APP, "billing/models.py": _MODELS.replace(_OVERRIDE, "")}]

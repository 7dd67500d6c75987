"""A relation read only in the handler of a failure (`except Exception as e: logger.error(f"... {self.case.id} ...")`)
loads it when the call before has failed, not on each row's usual pass (zaken-backend's workflow specs, round 146:
judged false). Read in the `try` itself, it loads on every call."""

_MODELS = '''
import logging

from django.db import models

logger = logging.getLogger(__name__)


class Client(models.Model):
    name = models.CharField(max_length=100)


class Invoice(models.Model):
    client = models.ForeignKey(Client, on_delete=models.CASCADE)
    layout = models.CharField(max_length=20)

    def template(self):
        try:
            return load_template(self.layout{in_try})
        except Exception as e:
            logger.error(f"no template for invoice {{self.pk}} of {{self.client.name}}: {{e}}")
            return None


def load_template(layout, owner=None):
    return open(f"templates/{{layout}}.html").read()
'''
_VIEW = '''
from .models import Invoice


def templates(request):
    return [invoice.template() for invoice in Invoice.objects.all()]
'''


def _app(in_try: str) -> dict[str, str]:
    return {"billing/__init__.py": "", "billing/models.py": _MODELS.format(in_try=in_try), "billing/views.py": _VIEW}


NP103_READ_ON_FAILURE = _app("")
NP103_READ_IN_TRY = _app(", owner=self.client.name")

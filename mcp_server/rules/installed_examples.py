"""A Django app the settings do not install (analysis/installed_apps.py, unused_modules.dead_modules): Django discovers
none of its models, admin, URLs, receivers or commands, and a module only its own strings name runs for nobody
(sigi's `diagnosticos`, a Python 2 app left out of `INSTALLED_APPS`: round 183, two findings judged DEAD). Installed,
its receivers run."""

from .row_examples import ROW_MODELS

_SETTINGS = 'INSTALLED_APPS = [\n    "django.contrib.auth",\n    "billing",\n{more}]\n'
_RECEIVERS = '''from django.db.models.signals import post_save
from django.dispatch import receiver

from billing.models import Client, Invoice


@receiver(post_save, sender=Client)
def refresh_names(sender, instance, **kwargs):
    return [inv.client.name for inv in Invoice.objects.all()]
'''


def _site(installed: bool) -> dict[str, str]:
    return {"manage.py": "", "settings.py": _SETTINGS.format(more='    "legacy",\n' if installed else ""),
            "billing/__init__.py": "", "billing/models.py": ROW_MODELS,
            "legacy/__init__.py": "", "legacy/models.py": "from django.db import models\n", "legacy/receivers.py": _RECEIVERS}


# (found at low) the app left out of INSTALLED_APPS; (high) installed
NP103_UNINSTALLED_APP_LOWERED = _site(installed=False)
NP103_INSTALLED_APP_KEPT = _site(installed=True)

"""Django system checks: `@register(...)` of `django.core.checks` runs a check as a management command starts (with
`deploy=True`, only on `manage.py check --deploy`), once per run, never per request. A query per row there is paid
once by whoever runs the command: `low`, saying so (LAVA's checks of each device's health job and configuration,
round 170: 2 judged N RARE). A project's own `register` (a plugin registry, say) is no system check, and stays."""

from .row_examples import billing_app

_CHECKS = '''
{imported}

from .models import Invoice


@register(deploy=True)
def check_invoice_clients(app_configs, **kwargs):
    return [Warning(f"{{invoice.client.name}}: no total") for invoice in Invoice.objects.filter(total=0)]
'''
NP103_SYSTEM_CHECK_LOWERED = billing_app("", **{"billing/checks.py": _CHECKS.format(
    imported="from django.core.checks import Warning, register")})
NP103_OWN_REGISTER_KEPT = billing_app("", **{"billing/checks.py": _CHECKS.format(
    imported="from .plugins import Warning, register"), "billing/plugins.py": "def register(**kw):\n    return lambda f: f\n\n\nclass Warning(str):\n    pass\n"})

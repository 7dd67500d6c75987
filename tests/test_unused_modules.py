"""Per-item work in a module nothing the application runs imports is `low`, with the reason
(analysis/unused_modules.py): judged out of sample, 33 of VulnerableCode's findings sat in its v1 and v2 APIs and
its old importers, which only their tests import (round 41). Whatever imports or names the module keeps it as it was."""

import pytest

from mcp_server.analysis.scan import scan_sources
from mcp_server.rules.row_examples import billing_app

ROWS = "from billing.models import Invoice\n\n\ndef rows():\n    return [inv.client.name for inv in Invoice.objects.all()]\n"
ROUTED = {"manage.py": "", "billing/urls.py": "from . import views\n"}
UNUSED = "; nothing the application runs imports this module (no route, registry, setting or task names it; tests aside), so it looks unused"


def _found(files):
    return sorted((f.location.path, f.location.line, f.severity.value, f.message.endswith(UNUSED))
                  for f in scan_sources(files, select=["NP103"]).findings)


def test_a_module_only_tests_import_is_low_and_says_why():
    files = billing_app(ROWS, **ROUTED, **{"billing/api_v1.py": ROWS, "billing/tests/test_api_v1.py": "from billing.api_v1 import rows\n"})
    assert _found(files) == [("billing/api_v1.py", 5, "low", True), ("billing/views.py", 5, "high", False)]


@pytest.mark.parametrize("keeper", [
    {"billing/views.py": ROWS + "from .api_v1 import rows as old_rows\n"},  # imported by a live module
    {"billing/management/commands/export.py": "from billing.api_v1 import rows\n"},  # a command Django runs by name
    {"billing/settings.py": 'REST = {"VIEWSET": "billing.api_v1.InvoiceViewSet"}\n'},  # a setting's dotted path
    {"billing/settings.py": 'ENGINES = {"old": "billing.api_v1:rows"}\n'},  # an entry point's `module:object`
    {"billing/apps.py": 'from importlib import import_module\nAPIS = [import_module(f"billing.api_{v}") for v in ("v1",)]\n'},
    {"billing/apps.py": 'from importlib import import_module\ndef api(name):\n    return import_module("billing." + name)\n'},
    {"billing/apps.py": 'from django.utils.module_loading import autodiscover_modules\nautodiscover_modules("api_v1")\n'},
    {"billing/__init__.py": '__all__ = ["api_v1"]\n'},  # what `from billing import *` imports
    {"billing/api_v1.py": ROWS + '\nif __name__ == "__main__":\n    rows()\n'},  # a script
])
def test_what_imports_or_names_the_module_keeps_it(keeper):
    files = billing_app(ROWS, **ROUTED, **{"billing/api_v1.py": ROWS, **keeper})
    assert ("billing/api_v1.py", 5, "high", False) in _found(files)


def test_nothing_is_called_unused_without_every_module_or_outside_an_application_or_a_django_app():
    # a file that does not parse may be the one importing it
    broken = billing_app(ROWS, **ROUTED, **{"billing/api_v1.py": ROWS, "billing/old.py": "def (:\n"})
    assert ("billing/api_v1.py", 5, "high", False) in _found(broken)
    # a library (no manage.py, wsgi.py or asgi.py): its modules are for other code to import
    library = billing_app(ROWS, **{"billing/urls.py": "from . import views\n", "billing/api_v1.py": ROWS})
    assert ("billing/api_v1.py", 5, "high", False) in _found(library)
    # outside a Django application's folder a process may start from a script this scan never reads (no `.py`)
    outside = billing_app(ROWS, **ROUTED, **{"exports/__init__.py": "", "exports/api_v1.py": ROWS})
    assert ("exports/api_v1.py", 5, "high", False) in _found(outside)

"""Per-item work in a module nothing the application runs imports is `low`, with the reason
(analysis/unused_modules.py): judged out of sample, 33 of VulnerableCode's findings sat in its v1 and v2 APIs and
its old importers, which only their tests import (round 41). Whatever imports or names the module keeps it as it was."""

import pytest

from mcp_server.analysis.scan import scan_sources
from mcp_server.rules.row_examples import billing_app

ROWS = "from billing.models import Invoice\n\n\ndef rows():\n    return [inv.client.name for inv in Invoice.objects.all()]\n"
# the module lists its own function (as a route table would), so whether it runs is the module's question: views.py's
# `rows`, which urls.py routes, is another function of the same name (unused._importing_a_twin)
LISTED = ROWS + "\n\nROUTES = [rows]\n"
ROUTED = {"manage.py": "", "billing/urls.py": "from .views import rows\nurlpatterns = [rows]\n"}
UNUSED = "; nothing the application runs imports this module (no route, registry, setting or task names it; tests aside), so it looks unused"


def _found(files):
    return sorted((f.location.path, f.location.line, f.severity.value, f.message.endswith(UNUSED))
                  for f in scan_sources(files, select=["NP103"]).findings)


def test_a_module_only_tests_import_is_low_and_says_why():
    files = billing_app(ROWS, **ROUTED, **{"billing/api_v1.py": LISTED, "billing/tests/test_api_v1.py": "from billing.api_v1 import rows\n"})
    assert _found(files) == [("billing/api_v1.py", 5, "low", True), ("billing/views.py", 5, "high", False)]


@pytest.mark.parametrize("keeper", [
    {"billing/views.py": ROWS + "from .api_v1 import rows as old_rows\n"},  # imported by a live module
    {"billing/management/commands/export.py": "from billing.api_v1 import rows\n"},  # a command Django runs by name
    {"billing/settings.py": 'REST = {"VIEWSET": "billing.api_v1.InvoiceViewSet"}\n'},  # a setting's dotted path
    {"billing/settings.py": 'ENGINES = {"old": "billing.api_v1:rows"}\n'},  # an entry point's `module:object`
    {"billing/apps.py": 'from importlib import import_module\nAPIS = [import_module(f"billing.api_{v}") for v in ("v1",)]\n'},
    {"billing/apps.py": 'from importlib import import_module\ndef api(name):\n    return import_module("billing." + name)\n'},
    {"billing/apps.py": 'from django.utils.module_loading import autodiscover_modules\nautodiscover_modules("api_v1")\n'},
    {"billing/apps.py": 'from importlib import import_module\ndef load(app):\n    return import_module(app + ".api_v1")\n'},
    {"billing/__init__.py": '__all__ = ["api_v1"]\n'},  # what `from billing import *` imports
    {"billing/api_v1.py": LISTED + '\nif __name__ == "__main__":\n    print(ROUTES)\n'},  # a script
])
def test_what_imports_or_names_the_module_keeps_it(keeper):
    files = billing_app(ROWS, **ROUTED, **{"billing/api_v1.py": LISTED, **keeper})
    assert ("billing/api_v1.py", 5, "high", False) in _found(files)


def test_nothing_is_called_unused_without_every_module_or_outside_an_application_or_a_django_app():
    # a file that does not parse is read as text, and may be the one importing it (tests/test_rule_precision_157.py)
    broken = billing_app(ROWS, **ROUTED, **{"billing/api_v1.py": LISTED, "billing/old.py": "from billing import api_v1\ndef (:\n"})
    assert ("billing/api_v1.py", 5, "high", False) in _found(broken)
    # a library (no manage.py, wsgi.py or asgi.py): its modules are for other code to import
    library = billing_app(ROWS, **{"billing/urls.py": "from . import views\n", "billing/api_v1.py": LISTED})
    assert ("billing/api_v1.py", 5, "high", False) in _found(library)
    # outside a Django application's folder a process may start from a script this scan never reads (no `.py`)
    outside = billing_app(ROWS, **ROUTED, **{"exports/__init__.py": "", "exports/api_v1.py": LISTED})
    assert ("exports/api_v1.py", 5, "high", False) in _found(outside)


def test_a_function_only_a_module_nobody_imports_calls_looks_unused_too():
    # VulnerableCode's `fetch_and_read_from_csv`, called only by an importer no registry lists
    helpers = "from billing.models import Invoice\n\n\ndef export_rows():\n    return [inv.client.name for inv in Invoice.objects.all()]\n"
    old = "from billing.helpers import export_rows\n\n\ndef run():\n    return export_rows()\n"
    files = billing_app(ROWS, **ROUTED, **{"billing/helpers.py": helpers, "billing/importer_v1.py": old,
                                           "billing/tasks.py": "from . import helpers\n"})
    found = scan_sources(files, select=["NP103"]).findings
    [f] = [f for f in found if f.location.path == "billing/helpers.py"]
    assert (f.location.line, f.severity.value) == (5, "low")
    assert f.message.endswith("nothing in the project names `export_rows()` but its definition and imports (no call, schedule or "
                              "setting), so it looks unused")
    # called from a module the application runs: as before
    live = {**files, "billing/tasks.py": "from .helpers import export_rows\nROWS = export_rows()\n"}
    assert ("billing/helpers.py", 5, "high", False) in _found(live)


def test_a_module_the_configuration_names_as_an_entry_point_is_run(tmp_path):
    # scancode.io's pipelines: `enrich_with_purldb = "scanpipe.pipelines.enrich_with_purldb:EnrichWithPurlDB"` in
    # pyproject.toml's entry points, which no Python file imports
    from mcp_server.config import load_config
    from mcp_server.tools.detect_n_plus_one import detect_n_plus_one

    for rel, text in billing_app(ROWS, **ROUTED, **{"billing/pipelines/__init__.py": "", "billing/pipelines/enrich.py": LISTED}).items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)

    def severity():
        report = detect_n_plus_one(config=load_config(tmp_path), min_severity="low")
        return [f.severity.value for f in report.findings if f.location.path == "billing/pipelines/enrich.py"]

    assert severity() == ["low"]
    (tmp_path / "pyproject.toml").write_text('[project.entry-points."billing_pipelines"]\nenrich = "billing.pipelines.enrich:rows"\n')
    assert severity() == ["high"]

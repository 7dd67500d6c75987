"""A write per row is batched where data moves in bulk (analysis/batch_context.py): judged on real applications, 6 of 37
such findings in imports, syncs, ETL loads and tasks were worth a fix, 1 of 75 elsewhere (a view's, a model method's,
a serializer's loop over the few rows one request handles). Elsewhere is `low`, with the reason."""

from .row_examples import ROW_MODELS

_WRITES = '''{imports}
from .models import Client

{decorator}
def {name}(prefix):
    for client in Client.objects.filter(name__startswith=prefix):
        client.name = client.name.title()
        client.save()
'''


def _app(module: str, name: str, task: bool = False) -> dict[str, str]:
    text = _WRITES.format(name=name, imports="from celery import shared_task" if task else "", decorator="@shared_task" if task else "")
    return {"billing/__init__.py": "", "billing/models.py": ROW_MODELS, f"billing/{module}.py": text}


# (found at low) a helper of the views: a request's rows
PF201_REQUEST_SIZED_LOWERED = _app("views", "add_invoices")
PF201_BULK_KEPT = [
    _app("importer", "add_invoices"),  # (found at high) a module named for bulk work
    _app("views", "import_invoices"),  # a function so named
    {**_app("services", "add_invoices", task=True),  # a background task, which a view queues
     "billing/views.py": "from .services import add_invoices\n\n\ndef tidy(request):\n    add_invoices.delay(request.GET['p'])\n"},
]

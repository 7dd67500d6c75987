"""Examples of code that runs once or only for developers (analysis/one_off.py), read on real applications:
a data migration's helper outside `migrations/`, seed and demo-data scripts, test support packages. Their
per-item queries are real and nobody's cost, so NP101 (and the other N+1 rules) skip them; the positives are
the same loops in code that serves requests, which must stay reported."""

from .row_examples import billing_app

LOOP = '''
    for inv in Invoice.objects.all():
        inv.client_name = Client.objects.get(pk=inv.client_id).name
'''

ONE_OFF_NEGATIVE = [
    # a RunPython function kept in a helper module (`utils/migrations.py`): Django passes it the app registry
    billing_app("", **{"billing/utils/migrations.py": "from ..models import Client, Invoice\n\ndef backfill_names(apps, schema_editor):" + LOOP}),
    billing_app("", **{"billing/utils/migrations.py": "from ..models import Client, Invoice\n\ndef reparent(apps):" + LOOP}),
    # a seed script at the project's root, and a management command that builds demo data
    billing_app("", **{"populate.py": "from billing.models import Client, Invoice\n\ndef main():" + LOOP}),
    billing_app("", **{"billing/management/commands/create_demo_data.py": "from billing.models import Client, Invoice\n\ndef handle():" + LOOP}),
    # whatever its name, a module that generates fake rows (Faker, factory_boy)
    billing_app("from faker import Faker\nfrom .models import Client, Invoice\nfake = Faker()\n\ndef fill():" + LOOP),
    # a command that makes fake rows, by its name, or a module using the project's own fake-data helpers
    billing_app("", **{"billing/management/commands/createfakeinvoices.py": "from billing.models import Client, Invoice\n\ndef handle():" + LOOP}),
    billing_app("", **{"billing/management/commands/generate_fake_clients.py": "from billing.models import Client, Invoice\n\ndef handle():" + LOOP}),
    billing_app("", **{"billing/fakers.py": "def company():\n    return 'ACME'\n",
                "billing/management/commands/fill.py": "from billing.models import Client, Invoice\nfrom billing.fakers import company\n\ndef handle():" + LOOP}),
    # any module of the project's fake-data package (`myforum/faker/corpus.py`)
    billing_app("", **{"billing/faker/__init__.py": "", "billing/faker/corpus.py": "from billing.models import Client, Invoice\n\ndef phrases():" + LOOP}),
    # test support outside tests/: a `testing` package, a module that imports unittest or pytest
    billing_app("", **{"billing/testing/__init__.py": "", "billing/testing/utils.py": "from ..models import Client, Invoice\n\ndef make_rows():" + LOOP}),
    billing_app("import unittest\nfrom .models import Client, Invoice\n\ndef assert_rows():" + LOOP),
]

ONE_OFF_POSITIVE = [
    # a parameter that happens to be called `apps` in request code is just rows the callers pass
    billing_app("from .models import Client\n\ndef owners(apps):\n    return [Client.objects.get(pk=a.owner_id).name for a in apps]\n"),
    # `unittest.mock` is imported by production code too
    billing_app("from unittest import mock\nfrom .models import Client, Invoice\n\ndef names():" + LOOP),
    # a command whose name merely contains "fake" in another word, and a module importing something else called fake*
    billing_app("", **{"billing/management/commands/check_fakeness.py": "from billing.models import Client, Invoice\n\ndef handle():" + LOOP}),
    # a demo *view* is not demo data: only the file's own name counts
    billing_app("", **{"billing/demo.py": "from .models import Client, Invoice\n\ndef page():" + LOOP}),
]

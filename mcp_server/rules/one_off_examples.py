"""Examples of code that runs once or only for developers (analysis/one_off.py), read on real applications:
a data migration's helper outside `migrations/`, seed and demo-data scripts, test support packages. Their
per-item queries are real and nobody's cost, so NP101 (and the other N+1 rules) skip them; the positives are
the same loops in code that serves requests, which must stay reported."""

from .row_examples import SQLA_MIXIN_MODELS, billing_app

LOOP = '''
    for inv in Invoice.objects.all():
        inv.client_name = Client.objects.get(pk=inv.client_id).name
'''

ALEMBIC_REVISION = '''
from alembic import op
from sqlalchemy import select
from sqlalchemy.orm import Session
from books.models import Client

revision = "b73416df5744"
down_revision = "a1b2c3d4e5f6"


def upgrade():
    session = Session(bind=op.get_bind())
    for client in session.scalars(select(Client)):
        client.name = f"{client.name} ({len(client.invoices)})"
    session.commit()
'''

ONE_OFF_NEGATIVE = [
    # a RunPython function kept in a helper module (`utils/migrations.py`): Django passes it the app registry
    billing_app("", **{"billing/utils/migrations.py": "from ..models import Client, Invoice\n\ndef backfill_names(apps, schema_editor):" + LOOP}),
    billing_app("", **{"billing/utils/migrations.py": "from ..models import Client, Invoice\n\ndef reparent(apps):" + LOOP}),
    # a seed script at the project's root, and a management command that builds demo data
    billing_app("", **{"populate.py": "from billing.models import Client, Invoice\n\ndef main():" + LOOP}),
    billing_app("", **{"billing/management/commands/create_demo_data.py": "from billing.models import Client, Invoice\n\ndef handle():" + LOOP}),
    # a loader in a folder of seed scripts (360 Ghar's `seed_data/loaders/02_hardcoded_loader.py`, round 164: 8 judged N RARE)
    billing_app("", **{"seed_data/__init__.py": "", "seed_data/loaders/__init__.py": "",
                       "seed_data/loaders/clients.py": "from billing.models import Client, Invoice\n\ndef load_seed_clients():" + LOOP}),
    # a backfill by its module's name and a folder of data fixes (round 164: RNB's `services/data_fix/`, 2 judged N RARE;
    # rounds 157 to 159: three `backfill` modules judged N RARE), and an operators' `maint-scripts/` folder (Zimfarm)
    billing_app("", **{"billing/tasks/__init__.py": "", "billing/tasks/backfill_client_names.py":
                       "from billing.models import Client, Invoice\n\ndef complete_old_names():" + LOOP}),
    billing_app("", **{"billing/data_fix/__init__.py": "", "billing/data_fix/names.py":
                       "from billing.models import Client, Invoice\n\ndef repair_names():" + LOOP}),
    billing_app("", **{"maint-scripts/rename_clients.py": "from billing.models import Client, Invoice\n\ndef rename_all():" + LOOP}),
    # a module named for migration code (Disturbance's `utils/migration_utils_pd.py`, a legacy import: round 165, 2 judged N RARE)
    billing_app("", **{"billing/utils/__init__.py": "", "billing/utils/migration_utils_legacy.py":
                       "from billing.models import Client, Invoice\n\ndef import_legacy_names():" + LOOP}),
    # a test-data generator, by its folder or its name (Kids First's `util/data_gen/data_generator.py`, round 174)
    billing_app("", **{"billing/data_gen/__init__.py": "", "billing/data_gen/clients.py":
                       "from billing.models import Client, Invoice\n\ndef make_clients():" + LOOP}),
    billing_app("", **{"billing/data_generator.py": "from billing.models import Client, Invoice\n\ndef make_invoices():" + LOOP}),
    # a schema upgrade's steps by the module's name (GNUKhata's `db_migrate.py`), and the data fixes an Alembic
    # environment's own folder keeps beside its revisions (Mycodo's `alembic_db/alembic_post.py`): round 174
    billing_app("", **{"db_migrate.py": "from billing.models import Client, Invoice\n\ndef upgrade_tax_codes():" + LOOP}),
    billing_app("", **{"alembic_db/post_upgrade.py": "from billing.models import Client, Invoice\n\ndef fix_rates():" + LOOP}),
    # whatever its name, a module that generates fake rows (Faker, factory_boy)
    billing_app("from faker import Faker\nfrom .models import Client, Invoice\nfake = Faker()\n\ndef fill():" + LOOP),
    # a command that makes fake rows, by its name, or a module using the project's own fake-data helpers
    billing_app("", **{"billing/management/commands/createfakeinvoices.py": "from billing.models import Client, Invoice\n\ndef handle():" + LOOP}),
    # `fake` as a word of its name, anywhere (the Mozilla Foundation's `load_np_fake_articles`, round 63: judged RARE)
    billing_app("", **{"billing/management/commands/load_erp_fake_invoices.py": "from billing.models import Client, Invoice\n\ndef handle():" + LOOP}),
    billing_app("", **{"billing/management/commands/generate_fake_clients.py": "from billing.models import Client, Invoice\n\ndef handle():" + LOOP}),
    billing_app("", **{"billing/fakers.py": "def company():\n    return 'ACME'\n",
                "billing/management/commands/fill.py": "from billing.models import Client, Invoice\nfrom billing.fakers import company\n\ndef handle():" + LOOP}),
    # any module of the project's fake-data package (`myforum/faker/corpus.py`)
    billing_app("", **{"billing/faker/__init__.py": "", "billing/faker/corpus.py": "from billing.models import Client, Invoice\n\ndef phrases():" + LOOP}),
    # test support outside tests/: a `testing` package, a module that imports unittest or pytest
    billing_app("", **{"billing/testing/__init__.py": "", "billing/testing/utils.py": "from ..models import Client, Invoice\n\ndef make_rows():" + LOOP}),
    billing_app("import unittest\nfrom .models import Client, Invoice\n\ndef assert_rows():" + LOOP),
    # the base test case a project's tests share, kept beside its library code (AirOne's `lib/test.py`)
    billing_app("", **{"billing/lib/__init__.py": "", "billing/lib/test.py": "from django.test import TestCase\nfrom billing.models import Client, Invoice\n\nclass BillingTestCase(TestCase):\n    def make_rows(self):" + LOOP.replace("\n    ", "\n        ")}),
    # a pytest plugin package beside the application (`pytest_billing/env.py`), which sets up its tests' data
    billing_app("", **{"pytest_billing/__init__.py": "", "pytest_billing/env.py": "from billing.models import Client, Invoice\n\ndef setup_rows():" + LOOP}),
    # a `test` package below the application (`api/report/test/util.py`), helpers its tests set up data with
    billing_app("", **{"billing/report/test/__init__.py": "", "billing/report/test/util.py": "from billing.models import Client, Invoice\n\ndef populate():" + LOOP}),
    # the helpers migrations call, in a folder named for them (Specify's `migration_utils/migration_helpers/`, round 137)
    billing_app("", **{"billing/migration_utils/__init__.py": "", "billing/migration_utils/tax_codes.py":
                       "from billing.models import Client, Invoice\n\ndef add_tax_codes():" + LOOP}),
    # a Django migration in a folder of another name (`db_migrations/0042_backfill.py`)
    billing_app("", **{"db_migrations/0042_backfill.py": "from django.db import migrations\nfrom billing.models import Client, Invoice\n\ndef backfill():" + LOOP}),
    # developer tooling at the top of the repository: run by hand or by CI, never by the application
    billing_app("", **{"dev/scripts/timeline.py": "from billing.models import Client, Invoice\n\ndef main():" + LOOP}),
    billing_app("", **{".github/scripts/digest.py": "from billing.models import Client, Invoice\n\ndef main():" + LOOP}),
    billing_app("", **{"tools/migrators/ledger.py": "from billing.models import Client, Invoice\n\ndef migrate():" + LOOP}),
    # an operator's backfill in a `scripts` package beside the application (`server/scripts/backfill_names.py`)
    billing_app("", **{"server/scripts/__init__.py": "", "server/scripts/backfill_names.py": "from billing.models import Client, Invoice\n\ndef main():" + LOOP}),
    # and in a folder named for what its scripts are (ESP's `useful_scripts/`: CSV imports run once per term)
    billing_app("", **{"billing/useful_scripts/merge_clients.py": "from billing.models import Client, Invoice\n\ndef main():" + LOOP}),
    # a South data migration (HyperKitty's `south_migrations/`), from before Django had migrations of its own
    billing_app("", **{"billing/south_migrations/0007_client_names.py": "from south.v2 import DataMigration\nfrom billing.models import Client, Invoice\n\ndef forwards():" + LOOP}),
    # a sqlalchemy-migrate (or Alembic) script: a top-level `upgrade()` in a `versions/` folder (RhodeCode's
    # `lib/dbmigrate/versions/016_version_2_0_0.py`, round 134: 8 judged N RARE)
    billing_app("", **{"billing/dbmigrate/versions/016_client_names.py": "from billing.models import Client, Invoice\n\ndef upgrade(migrate_engine):" + LOOP}),
    # a module its own docstring marks deprecated, kept for reference (Helios's `load_voter_files`, "DEPRECATED" since 2010)
    billing_app("", **{"billing/voter_files.py": '"""Set up clients from uploaded files.\n\nDEPRECATED\n"""\nfrom billing.models import Client, Invoice\n\ndef load():' + LOOP}),
    # a Python fixture (Lino's `lib/ledger/fixtures/demo.py`, round 73: judged RARE): loaded once, at install or for a demo
    billing_app("", **{"billing/fixtures/__init__.py": "", "billing/fixtures/demo.py": "from billing.models import Client, Invoice\n\ndef objects():" + LOOP}),
    # a report run from a checkout's top-level `bin/`
    billing_app("", **{"bin/report_unpaid.py": "from billing.models import Client, Invoice\n\ndef main():" + LOOP}),
    # a test module kept outside any `tests` folder, known by the test case class it imports (Pombola's `seltests/`, round 86)
    billing_app("", **{"billing/seltests/__init__.py": "", "billing/seltests/invoices.py":
                       "from billing.testing import BillingSeleniumTestCase\nfrom billing.models import Client, Invoice\n\n\n"
                       "class InvoicePagesTest(BillingSeleniumTestCase):\n    pass\n\ndef check():" + LOOP}),
]

ONE_OFF_POSITIVE = [
    # a production job named for what it fills (the Mobility Database's `reverse_geolocation_populate/`): no seed folder
    billing_app("", **{"jobs/__init__.py": "", "jobs/reverse_geolocation_populate/__init__.py": "",
                       "jobs/reverse_geolocation_populate/main.py": "from billing.models import Client, Invoice\n\ndef fill_geolocations():" + LOOP}),
    # a parameter that happens to be called `apps` in request code is just rows the callers pass
    billing_app("from .models import Client\n\ndef owners(apps):\n    return [Client.objects.get(pk=a.owner_id).name for a in apps]\n"),
    # `unittest.mock` is imported by production code too
    billing_app("from unittest import mock\nfrom .models import Client, Invoice\n\ndef names():" + LOOP),
    # a command whose name merely contains "fake" in another word, and a module importing something else called fake*
    billing_app("", **{"billing/management/commands/check_fakeness.py": "from billing.models import Client, Invoice\n\ndef handle():" + LOOP}),
    # a demo *view* is not demo data: only the file's own name counts
    billing_app("", **{"billing/demo.py": "from .models import Client, Invoice\n\ndef page():" + LOOP}),
    # a `docs` package inside the application (the fiscal documents it issues) is the application's code
    billing_app("", **{"billing/docs/__init__.py": "", "billing/docs/statements.py": "from billing.models import Client, Invoice\n\ndef issue():" + LOOP}),
    # a folder that merely names a migration of something else in a word (`tax_migrationset/`) is the application's code
    billing_app("", **{"billing/tax_migrationset/__init__.py": "", "billing/tax_migrationset/rates.py":
                       "from billing.models import Client, Invoice\n\ndef rates():" + LOOP}),
    # a module whose folder merely ends in "scripts" without the underscore (`transcripts/`) is the application's code
    billing_app("", **{"billing/transcripts/__init__.py": "", "billing/transcripts/export.py": "from billing.models import Client, Invoice\n\ndef export():" + LOOP}),
    # a module that merely starts with the word (`backfiller_status.py`: a page showing what a job filled) serves requests
    billing_app("", **{"billing/backfiller_status.py": "from billing.models import Client, Invoice\n\ndef backfiller_page():" + LOOP}),
    # a module named for what it reports on migrations (`migrations_report.py`) is no migration code
    # a generator of other things (`report_generator.py`: the statements it issues) is the application's code
    billing_app("", **{"billing/report_generator.py": "from billing.models import Client, Invoice\n\ndef issue_reports():" + LOOP}),
    # nor one named for rows migrated once, which a page lists (`migrated_clients.py`)
    billing_app("", **{"billing/migrated_clients.py": "from billing.models import Client, Invoice\n\ndef migrated_page():" + LOOP}),
    billing_app("", **{"billing/migrations_report.py": "from billing.models import Client, Invoice\n\ndef report_migrated():" + LOOP}),
    # a docstring that mentions something else deprecated is no mark on its own module
    billing_app('"""Client names, replacing the deprecated v1 lookup."""\nfrom .models import Client, Invoice\n\ndef names():' + LOOP),
    # a model merely named like a test case (DMOJ's `SubmissionTestCase`, a programming problem's test case) is no test
    billing_app("from .models import Client, Invoice\nfrom .grading import SubmissionTestCase\n\ndef names():" + LOOP),
    # an application's own `versions` package (a product's versions) holds no migration without a top-level `upgrade()`
    billing_app("", **{"billing/versions/__init__.py": "", "billing/versions/views.py": "from billing.models import Client, Invoice\n\ndef upgrade_page():" + LOOP}),
    # a module that only names Django's migration executor (`from django.db.migrations.executor import ...`) is not one
    billing_app("from django.db.migrations.executor import MigrationExecutor\nfrom .models import Client, Invoice\n\ndef pending():" + LOOP),
]


def books_app(**more: str) -> dict[str, str]:
    return {"books/__init__.py": "", "books/models.py": SQLA_MIXIN_MODELS, **more}


NP104_ONE_OFF_NEGATIVE = [
    # an Alembic revision kept where the project's own layout puts it (`db/revisions/tenant/versions/`), not in
    # the default `alembic/versions/`: it imports Alembic's `op`, which only migration scripts use
    books_app(**{"books/db/revisions/versions/2021_08_09_b734.py": ALEMBIC_REVISION}),
]

NP104_ONE_OFF_POSITIVE = [
    # the command line that runs Alembic (`from alembic import command`) is application code like any other
    books_app(**{"books/cli.py": "from alembic import command\n" + ALEMBIC_REVISION.replace("from alembic import op\n", "")
                 .replace("Session(bind=op.get_bind())", "Session(bind=command.engine)")}),
]

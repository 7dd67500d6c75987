"""PF201 / PF202 / PF701 / PF601 on the shapes read in real applications: what stays high, what is lowered with its
reason, what is one finding (the negative examples live in the rules themselves)."""

import ast

from mcp_server.analysis import loop_size
from mcp_server.analysis.scan import scan_sources
from mcp_server.rules.static import DJANGO_MODELS


def _scan(files, rule):
    report = scan_sources(files, select=[rule])
    assert not report.errors, report.errors
    return [(f.rule, f.severity.value, f.location.line, f.message) for f in report.findings]


def test_a_save_per_row_of_a_queryset_stays_high_with_the_batch_fix():
    found = _scan({"billing/models.py": DJANGO_MODELS, "billing/close.py": '''
from .models import Invoice
def close_all(status):
    for invoice in Invoice.objects.filter(status=status):
        invoice.total = 0
        invoice.save()
'''}, "PF201")
    assert [(r, s, line) for r, s, line, _ in found] == [("PF201", "high", 6)]
    assert found[0][3] == "`invoice.save()` writes one row per item of the loop at line 4"


def test_a_save_per_row_of_one_parents_rows_is_reported_at_medium_like_its_n_plus_one():
    found = _scan({"billing/models.py": DJANGO_MODELS, "billing/close.py": '''
from .models import Invoice
def close_all(client):
    for invoice in Invoice.objects.filter(client=client):
        invoice.total = 0
        invoice.save()
'''}, "PF201")
    assert [(r, s, line) for r, s, line, _ in found] == [("PF201", "medium", 6)]


def test_a_create_per_row_of_an_import_stays_high_though_its_loop_is_a_local_list():
    found = _scan({"billing/models.py": DJANGO_MODELS, "billing/imports.py": '''
from .models import Client
def import_clients(reader):
    rows = [r for r in reader if r]
    for row in rows:
        Client.objects.create(name=row[0])
'''}, "PF201")
    assert [(r, s, line) for r, s, line, _ in found] == [("PF201", "high", 6)]


def test_a_write_per_row_of_a_loop_nested_in_a_query_loop_counts_the_outer_rows():
    found = _scan({"billing/models.py": DJANGO_MODELS, "billing/checkout.py": '''
from .models import Client, Invoice
def exit_all():
    for client in Client.objects.filter(state="SP"):
        positions = client.pending_positions()
        for p in positions:
            Invoice.objects.create(client=client, number=p)
'''}, "PF201")
    assert [(r, s, line) for r, s, line, _ in found] == [("PF201", "high", 7)]


def test_a_copy_and_a_data_migration_are_low_and_say_why():
    copy = _scan({"billing/models.py": DJANGO_MODELS, "billing/events.py": '''
from .models import Invoice
def copy_data_from(self, other):
    for invoice in Invoice.objects.filter(client=other):
        Invoice.objects.create(client=self, total=invoice.total)
'''}, "PF201")
    assert [(r, s, line) for r, s, line, _ in copy] == [("PF201", "low", 5)]
    assert "copies the rows of one template object" in copy[0][3]
    migration = _scan({"billing/models.py": DJANGO_MODELS, "billing/migrations/0002_fill.py": '''
from .models import Invoice
def forwards(apps, schema_editor):
    for invoice in Invoice.objects.all():
        invoice.total = 0
        invoice.save()
'''}, "PF201")
    assert [(r, s) for r, s, _, _ in migration] == [("PF201", "low")]
    assert "it runs once (a data migration, an upgrade step or a management command)" in migration[0][3]
    upgrade = _scan({"billing/models.py": DJANGO_MODELS, "billing/upgrade.py": '''
from decimal import Decimal
from .models import Invoice
def round_totals():
    for invoice in Invoice._default_manager.iterator():
        invoice.total = invoice.total.quantize(Decimal("0.01"))
        invoice.save(update_fields=["total"])
'''}, "PF201")
    assert [(r, s, line) for r, s, line, _ in upgrade] == [("PF201", "low", 7)]  # a release's upgrade step: once per site


def test_a_save_per_due_row_that_also_queues_a_task_is_low():
    found = _scan({"billing/models.py": DJANGO_MODELS, "billing/schedule.py": '''
from .models import Invoice
from .tasks import send_invoice
def retry_stuck():
    for invoice in Invoice.objects.filter(status="inflight").select_for_update():
        invoice.status = "queued"
        invoice.save()
        send_invoice.apply_async(args=(invoice.pk,))
'''}, "PF201")
    assert [(r, s, line) for r, s, line, _ in found] == [("PF201", "low", 7)]
    assert "each row also queues a task (`send_invoice.apply_async`)" in found[0][3]


def test_commits_in_loops_nested_in_a_committing_loop_are_one_finding():
    found = _scan({"ctf/csv_import.py": '''
from .db import db
from .models import Challenge, Flag
def load_challenges(reader):
    for line in reader:
        challenge = Challenge(name=line["name"])
        db.session.add(challenge)
        db.session.commit()
        for flag in line["flags"].split(","):
            db.session.add(Flag(challenge_id=challenge.id, content=flag))
            db.session.commit()
'''}, "PF202")
    assert [(r, line) for r, _, line, _ in found] == [("PF202", 8)]


def test_decimal_of_a_whole_float_is_exact_and_a_float_for_output_is_low():
    found = _scan({"shop/pay.py": '''
from decimal import Decimal
def allowed(total: Decimal) -> bool:
    return Decimal(50.00) <= total <= Decimal(30000.00)
def row(line):
    return {"net": round(float(line.net_value), 2), "tax": round(float(line.net_value) * 0.19, 2), "fee": Decimal(0.1)}
'''}, "PF701")
    assert [(s, line, m.split("`")[1]) for _, s, line, m in found] == [
        ("low", 6, "round(float(line.net_value), 2)"),
        ("high", 6, "round(float(line.net_value) * 0.19, 2)"),
        ("high", 6, "Decimal(0.1)"),
    ]


def test_sql_formatted_with_a_number_is_not_reported():
    src = '''
def replace_config(db, entry):
    config_id = int(entry["id"])
    db.query(f"DELETE FROM config WHERE id={config_id}")
def replace_named(db, entry):
    name = entry["name"]
    db.query(f"DELETE FROM config WHERE name='{name}'")
'''
    assert [(r, line) for r, _, line, _ in _scan({"app.py": src}, "PF601")] == [("PF601", 7)]


def test_sql_formatted_with_identifiers_a_caller_passes_or_marked_nosec_is_low():
    src = '''
def migrate_column(cursor, tblname, pkfield, start):
    cursor.execute(f"SELECT count(1) FROM {tblname} WHERE {pkfield} >= %s", (start,))
def check(session, workspace_id):
    query = f"SELECT count(*) FROM vulnerability WHERE workspace_id = {workspace_id}"  # nosec
    return session.execute(query)
def search(cursor, name):
    cursor.execute(f"SELECT id FROM clients WHERE name = '{name}'")
'''
    found = _scan({"app.py": src}, "PF601")
    assert [(s, line) for _, s, line, _ in found] == [("low", 3), ("low", 6), ("high", 8)]
    assert found[0][3].endswith("and the code chooses tables and key columns, not its users")
    assert found[1][3].endswith("the statement is marked `# nosec`, so someone reviewed what it formats")


def test_loop_size_knows_one_row_by_primary_key_and_a_signal_sent_to_one_sender():
    def size(expr):
        return loop_size.classify(ast.parse(expr, mode="eval").body)

    assert size("Device.objects.filter(pk=device.pk)") == (loop_size.SMALL, "at most one row (a query by primary key)")
    assert size("register_ticket_outputs.send(event)") == (loop_size.SMALL, "the receivers of a signal")
    assert size("Device.objects.filter(rack=rack)")[0] == loop_size.UNKNOWN
    assert size("sock.send(a, b)")[0] == loop_size.UNKNOWN


def test_an_import_command_reading_a_file_stays_high():
    # (one the Procfile runs: an import nothing starts is low, tests/test_rule_precision_131.py)
    found = _scan({"Procfile": "clients: python manage.py clients\n", "billing/models.py": DJANGO_MODELS, "billing/management/commands/clients.py": '''
import csv
from django.core.management.base import BaseCommand
from billing.models import Client
class Command(BaseCommand):
    def handle(self, *args, **options):
        with open(options["path"]) as f:
            for row in csv.DictReader(f):
                Client.objects.create(name=row["name"], state=row["state"])
'''}, "PF201")
    assert [(r, s, line) for r, s, line, _ in found] == [("PF201", "high", 9)]


def test_a_copy_made_table_by_table_is_one_low_finding_that_counts_the_rest():
    found = _scan({"billing/models.py": DJANGO_MODELS, "billing/events.py": '''
from .models import Client, Invoice, InvoiceItem
def copy_data_from(self, other):
    for invoice in Invoice.objects.filter(client=other):
        invoice.pk = None
        invoice.save(force_insert=True)
    for item in InvoiceItem.objects.filter(invoice__client=other):
        item.pk = None
        item.save(force_insert=True)
def copy_items(other):
    for item in InvoiceItem.objects.filter(invoice__client=other):
        item.pk = None
        item.save(force_insert=True)
'''}, "PF201")
    assert [(s, line) for _, s, line, _ in found] == [("low", 6), ("low", 13)]
    assert found[0][3].endswith("(1 more like it in this function, one fix)")
    assert "more like it" not in found[1][3]


def test_a_file_closed_on_the_normal_path_is_low_and_a_connection_only_where_the_function_drops_it():
    found = _scan({"app.py": '''
import psycopg2
import zipfile
def unpack(path, target):
    archive = zipfile.ZipFile(path)
    archive.extractall(target)
    archive.close()
def count(dsn):
    conn = psycopg2.connect(dsn)
    n = conn.cursor().execute("SELECT count(*) FROM t").fetchone()
    conn.close()
    return n
'''}, "PF501")
    assert [(s, line) for _, s, line, _ in found] == [("low", 5), ("low", 9)]
    assert "leaves it to the garbage collector" in found[0][3]
    # a worker's connection, polled in a `while` loop after the close, stays open for as long as the worker runs
    polled = _scan({"app.py": "import psycopg2\nimport time\ndef count(dsn):\n    conn = psycopg2.connect(dsn)\n"
                              "    n = conn.cursor().execute('SELECT 1').fetchone()\n    conn.close()\n    while True:\n        time.sleep(n)\n"}, "PF501")
    assert [(s, line) for _, s, line, _ in polled] == [("medium", 4)]


def test_a_get_or_create_over_a_constant_is_one_low_pf201_not_also_a_query_per_row():
    files = {"billing/models.py": DJANGO_MODELS, "billing/setup.py": '''
from .constants import DEFAULT_CLIENTS
from .models import Client
def populate():
    for name, state in DEFAULT_CLIENTS.items():
        Client.objects.get_or_create(name=name, defaults={"state": state})
def import_clients(rows):
    for row in rows:
        Client.objects.get_or_create(name=row["name"])
'''}
    report = scan_sources(files)
    assert [(f.rule, f.severity.value, f.location.line) for f in report.findings] == [("PF201", "low", 6), ("PF201", "high", 9)]
    assert "it walks the items of `DEFAULT_CLIENTS`" in report.findings[0].message


def test_a_save_the_model_overrides_in_another_module_is_not_a_batch_candidate_but_a_plain_model_stays():
    models = DJANGO_MODELS + '''
class Signature(models.Model):
    body = models.TextField()

    def save(self, *args, **kwargs):
        self.body = self.body.strip()
        super().save(*args, **kwargs)
'''
    found = _scan({"billing/models.py": models, "billing/tasks.py": '''
from .models import Invoice, Signature
def resign(status):
    for signature in Signature.objects.filter(body=status):
        signature.save()
    for invoice in Invoice.objects.filter(total=0):
        invoice.client_id = None
        invoice.save()
    for n in range(10000):
        Signature.objects.create(body=str(n))
'''}, "PF201")
    assert [(r, s, line) for r, s, line, _ in found] == [("PF201", "high", 8)]


def test_a_write_beside_a_call_that_queries_per_item_is_lowered_with_that_call_named():
    models = DJANGO_MODELS + '''
class Mirror(models.Model):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="mirrors")
    state = models.CharField(max_length=20)

    def synchronize(self):
        self.state = Client.objects.filter(pk=self.client_id).values_list("state", flat=True).first()
'''
    found = _scan({"billing/models.py": models, "billing/helpers.py": '''
from .models import Client
def refresh(mirror):
    mirror.state = Client.objects.get(pk=mirror.client_id).state
''', "billing/tasks.py": '''
from .helpers import refresh
from .models import Mirror
def sync_all():
    for mirror in Mirror.objects.filter(state="stale"):
        mirror.synchronize()
        mirror.save()
def refresh_all():
    for mirror in Mirror.objects.filter(state="stale"):
        refresh(mirror)
        mirror.save()
def stamp_all(state):
    for mirror in Mirror.objects.filter(state="stale"):
        mirror.state = state
        mirror.save()
'''}, "PF201")
    assert [(r, s, line) for r, s, line, _ in found] == [("PF201", "low", 7), ("PF201", "low", 11), ("PF201", "high", 15)]
    assert "each item also calls `synchronize()`, which runs queries of its own (synchronize -> `Client.objects.first`" in found[0][3]
    assert "each item also calls `refresh()`, which runs queries of its own (refresh -> `Client.objects.get`" in found[1][3]


def test_save_receivers_anywhere_in_the_project_keep_the_saves_of_their_model_only():
    files = {"billing/models.py": DJANGO_MODELS, "billing/signals.py": '''
from django.db.models.signals import post_save
from .models import Client
def reindex(sender, instance, **kwargs):
    pass
post_save.connect(reindex, sender=Client)
''', "billing/tasks.py": '''
from .models import Client, Invoice
def touch(state):
    for client in Client.objects.filter(state=state):
        client.save()
    for invoice in Invoice.objects.filter(total=0):
        invoice.client_id = None
        invoice.save()
'''}
    assert [(r, s, line) for r, s, line, _ in _scan(files, "PF201")] == [("PF201", "high", 8)]


def test_a_write_in_a_function_called_only_from_app_ready_or_a_data_migration_is_low():
    found = _scan({"billing/models.py": DJANGO_MODELS, "billing/defaults.py": '''
from .models import Client
def sync_defaults():
    for client in Client.objects.filter(state=""):
        client.state = "NY"
        client.save()
def backfill(apps, schema_editor):
    sync_defaults()
def nightly():
    for client in Client.objects.filter(state="old"):
        client.state = "NY"
        client.save()
''', "billing/apps.py": '''
from django.apps import AppConfig
class BillingConfig(AppConfig):
    def ready(self):
        from .defaults import sync_defaults
        sync_defaults()
''', "billing/views.py": '''
from .defaults import nightly
def run(request):
    nightly()
'''}, "PF201")
    assert [(r, s, line) for r, s, line, _ in found] == [("PF201", "low", 6), ("PF201", "high", 12)]
    assert found[0][3].endswith("it runs only from `BillingConfig.ready()`, once per process start and a data migration, so the per-row "
                                "cost is paid once, over a table such code keeps small (defaults, a registry, a backfill)")


def test_a_write_kept_one_by_one_is_not_reported_as_a_lookup_either():
    # get_or_create per row of a model whose save() is overridden: PF201 gives no finding (bulk_create would skip the
    # override), and NP101 does not report the same call as a query per item with an IN-query fix
    from mcp_server.rules.row_writes_examples import SIGNATURE_MODELS
    files = {"docs/models.py": SIGNATURE_MODELS, "docs/grants.py": '''
from .models import Signature
def ensure_signed(rows):
    for row in rows:
        Signature.objects.get_or_create(body=row["body"])
'''}
    assert scan_sources(files).findings == []

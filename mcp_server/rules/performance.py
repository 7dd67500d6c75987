"""The scan_performance rules: the seed's proactive triggers beyond N+1. Each example is a source file (or
{path: source} for several modules); the positive ones must be flagged by the rule, the negative ones must not."""

from __future__ import annotations

from ..findings import Severity
from .background_examples import (PF501_COMMAND_LOWERED, PF501_SERVED_KEPT, PF801_HANDED_CONNECTION, PF801_STARTUP_HELPER_KEPT,
                                  PF801_STARTUP_HELPER_LOWERED)
from .handful_examples import PF201_COLLECTED_ROWS, PF301_PACED_NEGATIVE, PF301_UNPACED_POSITIVE
from .io_examples import PF201_IO_POSITIVE, PF301_CLASS_MAP, PF301_IO_POSITIVE, PF301_UNSIZED, PF301_VERSIONED_CACHE
from .n_plus_one import DJANGO_MODELS, StaticRule
from .caller_examples import (PF301_SCOPE_PER_ITEM, PF601_COMPOSED_HERE, PF601_FROM_REQUEST, PF601_SQL_WITH_PARAMS, PF601_WRITTEN_BY_CALLERS,
                              PF801_LOCAL_FILE, PF801_NO_THREAD_BRANCH, PF801_SYNC_ONLY_PROJECT)
from .not_data_examples import (PF401_POLLED_STREAM, PF401_SMALL_TEXT, PF601_QUOTED_IDENTIFIER, PF701_INTEGER_THROUGH_DECIMAL, PF701_ZERO_ADDED_TO,
                                PF701_ZERO_INTO_DECIMAL)
from .related_save_examples import PF201_RELATED_ROW_NEGATIVE, PF201_RELATED_ROW_POSITIVE
from .row_examples import PF301_HOIST_POSITIVE
from .statement_examples import (PF201_FLUSH_AFTER_CHANGES, PF201_FLUSH_AFTER_HELPER, PF201_FLUSH_AFTER_STATEMENTS, PF201_REFLECTED_PER_TABLE,
                                 PF201_ROWS_PER_TABLE, PF201_UPSERT_BY_NAME, PF501_KEPT_BY_CONSTRUCTOR, PF501_OPTIONS_IN_WITH, PF601_STRUCTURE_AND_VALUE)
from .dropped_examples import (PF501_OWN_ENGINE_LOWERED, PF501_SHARED_ENGINE_KEPT, PF501_SOCKET_DROPPED_AT_RETURN, PF501_WITH_BEFORE_POLLING,
                               PF501_WITH_DROPPED_AT_RETURN, PF501_WITH_IN_GENERATOR)
from .import_examples import PF301_IMPORT_BY_KEY, PF301_LOOKUP_BY_KEY
from .upgrade_examples import (PF201_HELPER_OF_OTHER_CODE, PF201_HELPER_OF_UPGRADES, PF201_STEPS_QUERIED, PF201_STEPS_SPELLED_OUT,
                               PF201_UNVERSIONED_UPGRADE, PF201_VERSIONED_UPGRADE)
from .intent_examples import (PF201_INSTALL, PF201_SAVED_FOR_SIGNALS, PF202_COMMIT_THEN_MAIL, PF301_FED_RECEIVER, PF501_READ_AND_DROPPED, PF601_REPEATED_FRAGMENT,
                              PF701_AMBIGUOUS_ATTRIBUTE)
from .selection_examples import NP102_PAGES_POSITIVE, PF201_SELECTION_NEGATIVE, PF201_SELECTION_POSITIVE

RATES_MODULE = '''
from decimal import Decimal

def get_icms_rate(conn, state):
    row = conn.execute("SELECT rate FROM icms_rates WHERE state = ?", (state,)).fetchone()
    return Decimal(row[0])
'''


PEOPLE_MODELS = '''
from django.db import models

class Person(models.Model):
    name = models.CharField(max_length=40)

class Named(models.Model):
    name = models.CharField(max_length=40)

    class Meta:
        abstract = True

class Speaker(Person):
    team = models.CharField(max_length=40)

class Judge(Named):
    level = models.IntegerField(default=0)
'''


SIGNATURE_MODELS = '''
from django.db import models
from .gpg import sign

class Signature(models.Model):
    body = models.TextField()
    digest = models.CharField(max_length=64)

    def save(self, *args, **kwargs):
        self.digest = sign(self.body)
        super().save(*args, **kwargs)
'''



_MEMO_IMPORT = '''
import csv
from .models import Client


def client_ids(path):
    clients = {{c.name: c.id for c in Client.objects.all()}}
    ids = []
    with open(path) as f:
        for row in csv.DictReader(f):
            if row["client"] in clients:
                ids.append(clients[row["client"]])
            else:
                client = Client.objects.create(name=row["client"], state=row["state"])
                {store}
                ids.append(client.id)
    return ids
'''

class RowByRowWrite(StaticRule):
    id = "PF201"
    name = "row-by-row-write"
    title = "Row-by-row write"
    severity = Severity.high
    what = ("Finds an INSERT, UPDATE or DELETE executed once per item of a loop: DB-API `execute` of a write statement, "
            "SQLAlchemy `session.execute(insert(...))` or `session.flush()` per row, Django `Model.objects.create/update/delete/"
            "get_or_create` or `obj.save()` per row. Django writes are reported where the rows grow with the data (a query's, an "
            "import's, the rows callers pass), not over a handful (a form's fields, a request's nested items, a constant, the "
            "related rows of one object), nor where each write must stay on its own: a row validated first (`full_clean()`), a "
            "`save()` the model overrides (decorated or not, in any module; the model shown by the loop's rows or spelled by the "
            "row's name, `order_line` for OrderLine) or called with its own keywords, a model with "
            "`pre_save`/`post_save` receivers anywhere in the project (`@receiver(...)`, `connect(...)`; one connected without a "
            "sender serves every model), a form's or serializer's "
            "`save()`, an atomic `F()` counter, a multi-table child model's new rows (`create()`, or built in the loop and saved: bulk_create refuses them); the bulk API would skip that logic and the signals, so the batch advice would be "
            "wrong and no finding is better than a hedged one; nor a `save()` whose model nothing shows (not the loop's rows, not "
            "a model the row's name spells) over what a helper returns that is not shown to be rows: a file or an image, maybe. "
            "Copies of one template object's rows, code that runs once (data migrations, upgrade steps, management commands), writes beside a call that runs queries of its own per item (the queries cost "
            "more; fix them first) and writes beside per-item I/O (an HTTP or cloud API call, a subprocess, an "
            "e-mail sent: analysis/dwarfing.py) are `low`, with the reason; test, demo, seed and fake data are not reported.")
    why = ("Each row pays a round trip, statement parsing and its own index maintenance; a batch import of 100,000 "
           "transactions spends minutes in network waits that one `executemany` or COPY does in seconds.")
    example = '''
for t in transactions:
    cur.execute("INSERT INTO ledger (account, amount) VALUES (?, ?)", (t.account, str(t.amount)))
'''
    fix = ("Send all rows at once: `cursor.executemany(sql, rows)` or a multi-row `VALUES`, COPY on PostgreSQL (psycopg "
           "`cursor.copy`), Django `bulk_create` / `bulk_update` / `filter(...).update()`, SQLAlchemy `session.execute(insert(Model), rows)`; "
           "commit once per batch.")
    positive = [
        PF201_UNVERSIONED_UPGRADE, PF201_STEPS_QUERIED, PF201_HELPER_OF_UPGRADES, PF201_HELPER_OF_OTHER_CODE,
        # the statement per column is reported, not the flush after it, which has nothing pending; a flush after a change is,
        # and after a helper handed the row
        PF201_FLUSH_AFTER_STATEMENTS, PF201_FLUSH_AFTER_CHANGES, PF201_FLUSH_AFTER_HELPER,
        *PF201_RELATED_ROW_POSITIVE,
        PF201_INSTALL,
        # a model whose base is abstract has one table: bulk_create serves it
        {"people/models.py": PEOPLE_MODELS, "people/imports.py": '''
from .models import Judge
def import_judges(rows):
    for row in rows:
        Judge.objects.create(name=row["name"], level=row["level"])
'''},
        # the same built in the loop, then saved: one INSERT per row all the same
        {"people/models.py": PEOPLE_MODELS, "people/panel.py": '''
from .models import Judge
def import_panel(rows):
    for row in rows:
        judge_obj = Judge(name=row["name"], level=row["level"])
        judge_obj.save()
'''},
        *PF201_SELECTION_POSITIVE,
        *PF201_IO_POSITIVE,
        '''
def import_rows(conn, rows):
    for row in rows:
        conn.execute("INSERT INTO ledger (account, amount) VALUES (?, ?)", (row["account"], row["amount"]))
    conn.commit()
''',
        # a statement prepared once and executed per row is still one UPDATE per row
        '''
def reorder_statuses(cur, orders):
    cur.execute("PREPARE set_order AS UPDATE invoice_status SET position = $1 WHERE id = $2")
    for status_id, position in orders:
        cur.execute("EXECUTE set_order (%s, %s)", (position, status_id))
    cur.execute("DEALLOCATE set_order")
''',        '''
def mark_paid(cur, invoice_ids):
    sql = "UPDATE invoices SET status = 'paid' WHERE id = %s"
    for invoice_id in invoice_ids:
        cur.execute(sql, (invoice_id,))
''',
        {"billing/models.py": DJANGO_MODELS, "billing/imports.py": '''
from .models import Client
def import_clients(rows):
    for row in rows:
        Client.objects.create(name=row["name"], state=row["state"])
'''},
        '''
def rename(clients):
    for client in clients:
        client.name = client.name.strip()
        client.save()
''',
        # the same untyped rows named after a model that keeps Django's own save(): the batch advice holds
        {"billing/models.py": DJANGO_MODELS, "billing/renames.py": '''
def rename(clients):
    for position, client in enumerate(clients):
        client.name = f"{position}. {client.name.strip()}"
        client.save()
'''},
        '''
from sqlalchemy.orm import Session
def add_all(session: Session, entries):
    for entry in entries:
        session.add(entry)
        session.flush()
''',
        # an import's rows, whatever the code calls them: a save per row of the file, reported at high
        {"billing/models.py": DJANGO_MODELS, "billing/imports.py": '''
import csv
from .models import Invoice
def import_invoices(path):
    with open(path) as f:
        pending = [row for row in csv.DictReader(f) if row["status"] == "open"]
    for row in pending:
        Invoice.objects.create(number=row["number"], total=row["total"])
'''},
        # a local collection that holds a query's rows (with a few more): as many rows as the query
        {"billing/models.py": DJANGO_MODELS, "billing/notices.py": '''
from .models import Client, Invoice
def remind(named, states):
    receivers = set(named) | set(Client.objects.filter(state__in=states))
    for client in receivers:
        Invoice.objects.create(client=client, total=0)
'''},
        # one template object's rows copied (pk = None, then save): real, reported at low with the reason
        {"billing/models.py": DJANGO_MODELS, "billing/copying.py": '''
from .models import Invoice
def copy_invoices(source, target):
    for invoice in Invoice.objects.filter(client=source):
        invoice.pk = None
        invoice.client = target
        invoice.save(force_insert=True)
'''},
        # the items of a constant (imported, so its length is not seen here): low, with the reason
        {"billing/models.py": DJANGO_MODELS, "billing/setup.py": '''
from .constants import DEFAULT_CLIENTS
from .models import Client
def populate(sender, **kwargs):
    for name, states in DEFAULT_CLIENTS.items():
        for state in states:
            Client.objects.get_or_create(name=name, state=state)
'''},
        # a migration step a decorator registers (FlexGet's `@db_schema.upgrade("series")`): as a data migration, at low
        '''
from .schema import db_schema
@db_schema.upgrade("ledger")
def upgrade(ver, session):
    if ver == 1:
        for row in session.execute("SELECT id, amount FROM ledger").fetchall():
            session.execute("UPDATE ledger SET amount_cents = :c WHERE id = :id", {"c": int(row[1] * 100), "id": row[0]})
        ver = 2
    return ver
''',
        # `save()` per row in a project that declares no Django model (Watcher's oslo versioned objects, round 58: 10
        # judged N): its objects' own method, which may notify as well; Django's bulk API is not there: at low
        {"plans/objects.py": '''
from . import db


class Action:
    def __init__(self, row):
        self.row = row
        self.state = row["state"]

    @classmethod
    def list(cls, context, plan_id):
        return [cls(r) for r in db.actions_of(context, plan_id)]

    def save(self):
        db.update_action(self.row["id"], {"state": self.state})
''', "plans/db.py": '''
def actions_of(context, plan_id):
    return context.execute("SELECT id, state FROM actions WHERE plan_id = ?", (plan_id,)).fetchall()


def update_action(action_id, values):
    return values
''', "plans/api.py": '''
from .objects import Action


def cancel_plan(context, plan_id):
    for action in Action.list(context, plan_id):
        action.state = "CANCELLED"
        action.save()
'''},
        # a migration a registry decorator keeps (MediaGoblin's `@RegisterMigration(24, MIGRATIONS)`): at low
        '''
from .migration_tools import MIGRATIONS, RegisterMigration
@RegisterMigration(24, MIGRATIONS)
def split_amounts(db):
    for row in db.execute("SELECT id, amount FROM ledger").fetchall():
        db.execute("UPDATE ledger SET amount_cents = :c WHERE id = :id", {"c": int(row[1] * 100), "id": row[0]})
    db.commit()
''',
        # a data migration over a table: real, reported at low (it runs once)
        {"billing/models.py": DJANGO_MODELS, "billing/utils/migrations.py": '''
from .models import Invoice
def fill_status(apps, schema_editor):
    for invoice in Invoice.objects.filter(status=""):
        invoice.status = "open"
        invoice.save()
'''},
        # a save per row of a query, on a model with no save() of its own and no save receivers (the receiver below
        # is for another model): stays high
        {"billing/models.py": DJANGO_MODELS, "billing/signals.py": '''
from django.db.models.signals import post_save
from django.dispatch import receiver
from .models import Client
@receiver(post_save, sender=Client)
def reindex(sender, instance, **kwargs):
    instance.name.strip()
''', "billing/tasks.py": '''
from .models import Invoice
def reprice(rate):
    for invoice in Invoice.objects.filter(total__gt=0):
        invoice.total = invoice.total * rate
        invoice.save()
'''},
        # the memo's twin that never stores what it created: a client per row of the file whose name is not known yet
        {"billing/models.py": DJANGO_MODELS, "billing/importer.py": _MEMO_IMPORT.format(store="pass")},
        # a DELETE per row of a table, the twin of the statement per table below
        '''
import sqlalchemy as sa
def purge(session, table: sa.Table):
    for row in session.execute(sa.select(table.c.id).where(table.c.paid)).all():
        session.execute(table.delete().where(table.c.id == row.id))
''',
        # an upsert built into a name before it runs: a write per item, not a lookup (agenta, round 100)
        PF201_UPSERT_BY_NAME,
    ]
    negative = [
        PF201_VERSIONED_UPGRADE, PF201_STEPS_SPELLED_OUT,
        *PF201_RELATED_ROW_NEGATIVE,
        PF201_COLLECTED_ROWS,
        # a model whose history django-simple-history keeps through the save signals, which the bulk API does not send
        # (the Analytical Platform's dashboard access, round 63: the batch fix judged WRONGFIX)
        {"billing/__init__.py": "", "billing/models.py": '''
from django.db import models
from simple_history.models import HistoricalRecords


class Grant(models.Model):
    user = models.CharField(max_length=40)
    history = HistoricalRecords()
''', "billing/grants.py": '''
from .models import Grant
def grant_all(names):
    for name in names:
        Grant.objects.create(user=name)
'''},
        # a model on django-lifecycle's mixin: save() runs its `@hook(AFTER_CREATE)` methods, which the bulk API skips
        # (Flagsmith's environments create their feature states there: round 53, the batch fix judged WRONGFIX)
        {"billing/__init__.py": "", "billing/models.py": '''
from django.db import models
from django_lifecycle import AFTER_CREATE, LifecycleModelMixin, hook


class Ledger(LifecycleModelMixin, models.Model):
    name = models.CharField(max_length=40)

    @hook(AFTER_CREATE)
    def open_accounts(self):
        Account.objects.create(ledger=self, name="cash")


class Account(models.Model):
    ledger = models.ForeignKey(Ledger, on_delete=models.CASCADE)
    name = models.CharField(max_length=40)
''', "billing/imports.py": '''
from .models import Ledger


def import_ledgers(names):
    for name in names:
        Ledger.objects.create(name=name)
'''},
        # each row in its own savepoint, its failure reported alone: one statement for all would let one bad invoice undo
        # the rest (Tracecat's batch case delete, round 51, judged WRONGFIX)
        '''
import sqlalchemy as sa
from .models import Invoice


async def delete_invoices(session, ids):
    results = {}
    for invoice_id in ids:
        try:
            async with session.begin_nested():
                await session.execute(sa.delete(Invoice).where(Invoice.id == invoice_id))
            results[invoice_id] = "deleted"
        except sa.exc.IntegrityError as exc:
            results[invoice_id] = str(exc)
    return results
''',
        # `Contact.objects.delete(c)`: a manager has no delete() (a queryset has), so the first item raises and nothing is
        # written per row (eventoL's clean-up after a failed event creation, judged false twice in round 46)
        {"billing/models.py": DJANGO_MODELS, "billing/cleanup.py": '''
from .models import Invoice
def purge_negative():
    for inv in Invoice.objects.filter(total__lt=0):
        Invoice.objects.delete(inv)
'''},
        # the default rule, created when the rules read before the loop lack it and kept for the other items: one
        # write per run at most (Archery's data masking, judged false at `high`)
        {"billing/models.py": DJANGO_MODELS, "billing/masking.py": '''
from .models import Client


def mask(columns):
    clients = {c.name: c for c in Client.objects.all()}
    for column in columns:
        client = clients.get(column["client"])
        if not client and column["client"] == "default":
            client, _ = Client.objects.get_or_create(name="default")
            clients["default"] = client
        column["client_id"] = client.pk if client else None
'''},
        # the first link that answers is stored and the loop returns: every write is followed by leaving it, and a
        # failed create (`except DataError: continue`) wrote nothing (Socialhome's link previews)
        {"billing/models.py": DJANGO_MODELS, "billing/previews.py": '''
from django.db import DataError, IntegrityError, transaction
from .models import Client, Invoice


def attach_client(invoice, names):
    for name in names:
        try:
            with transaction.atomic():
                client = Client.objects.create(name=name)
        except DataError:
            continue
        except IntegrityError:
            client = Client.objects.get(name=name)
            Invoice.objects.filter(pk=invoice.pk).update(client=client)
            return client
        Invoice.objects.filter(pk=invoice.pk).update(client=client)
        return client
    return None
'''},
        # an account created once per new name: the `else` of `if name in accounts:` stores it there (a memo)
        {"billing/models.py": DJANGO_MODELS, "billing/importer.py": _MEMO_IMPORT.format(store="clients[client.name] = client.id")},
        # a statement per table the loop walks (a test database emptied table by table), not per row
        '''
def empty(session, metadata):
    for table in reversed(metadata.sorted_tables):
        session.execute(table.delete())
''',
        # a receiver connected without a sender (an audit log of every model's saves): bulk_create would skip it for
        # these rows too
        {"billing/models.py": DJANGO_MODELS, "billing/audit.py": '''
from django.db.models.signals import post_save
from django.dispatch import receiver
@receiver(post_save)
def audit_every_save(sender, instance, created, **kwargs):
    record_change(sender, instance, created)
''', "billing/imports.py": '''
from .models import Client
def import_clients(rows):
    for row in rows:
        Client.objects.create(name=row["name"], state=row["state"])
'''},
        # a multi-table child (Speaker extends the concrete Person): its rows span two tables and bulk_create refuses
        # it, so the batch advice could not be followed
        {"people/models.py": PEOPLE_MODELS, "people/imports.py": '''
from .models import Speaker
def import_speakers(rows):
    for row in rows:
        Speaker.objects.create(name=row["name"], team=row["team"])
def import_guest_speakers(rows):
    for row in rows:
        speaker_obj = Speaker(name=row["name"], team="guests")
        speaker_obj.save()
'''},
        # `f.save()` over what a helper returns, which is not shown to be rows, on objects of no model: files being
        # stored, not rows being written
        '''
def wrap_uploads(raw):
    return [UploadedDocument(r) for r in raw]
def store_documents(raw):
    for f in wrap_uploads(raw):
        f.save()
''',
        *PF201_SELECTION_NEGATIVE,
        # a write in a branch that leaves the loop: once per call, for the item that matched
        {"billing/__init__.py": "", "billing/models.py": DJANGO_MODELS, "billing/themes.py": '''
from .models import Client
def client_for(plugins, wanted, state):
    for plugin in plugins:
        if plugin.name == wanted:
            client = Client.objects.get_or_create(name=wanted, state=state)[0]
            return plugin(client)
    return None
'''},
        # one set-based UPDATE of a group's rows per item, with the group's own value: already a statement per group
        {"board/__init__.py": "", "board/models.py": '''
from django.db import models
class Board(models.Model):
    name = models.CharField(max_length=40)
class Card(models.Model):
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="cards")
class Note(models.Model):
    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="notes")
    board_copy = models.IntegerField(null=True)
''', "board/fill.py": '''
from .models import Board, Note
def fill_board_copies():
    board_ids = Board.objects.all().values_list("id", flat=True)
    for board_id in board_ids:
        Note.objects.filter(card__board_id=board_id).update(board_copy=board_id)
'''},
        # loops over what a person types or configures (a command's options, an argparse namespace, the app's
        # configuration): a handful of items, like settings
        '''
from flask import current_app
def install(conn, args, options):
    for code in current_app.config["CURRENCIES"]:
        conn.execute("INSERT INTO currency (code) VALUES (?)", (code,))
    for account in args.accounts:
        conn.execute("INSERT INTO account (code) VALUES (?)", (account,))
    for account in options.get("closed_accounts", []):
        conn.execute("DELETE FROM account WHERE code = ?", (account,))
''',
        # a development command that fills the database with fake rows (imports Faker): run by developers, not a
        # production path, like test and demo data
        {"billing/models.py": DJANGO_MODELS, "billing/management/commands/createfakeinvoices.py": '''
from django.core.management.base import BaseCommand
from faker import Faker
from ...models import Client, Invoice
class Command(BaseCommand):
    def handle(self, *args, **options):
        fake = Faker()
        for client in Client.objects.all():
            for _ in range(options["count"]):
                Invoice.objects.create(client=client, total=fake.pydecimal(left_digits=4, right_digits=2))
''', "billing/management/commands/seed_clients.py": '''
from django.core.management.base import BaseCommand
from ...models import Client
class Command(BaseCommand):
    def handle(self, *args, **options):
        for client in Client.objects.filter(state=""):
            client.state = "NY"
            client.save()
'''},
        # save receivers connected for the model elsewhere in the project (a decorator in signals.py, a connect() in
        # AppConfig.ready): bulk_create / bulk_update send no signals, so the writes stay one by one
        {"billing/models.py": DJANGO_MODELS, "billing/signals.py": '''
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from .models import Invoice
@receiver(post_save, sender=Invoice)
def record_change(sender, instance, created, **kwargs):
    instance.client.name.strip()
''', "billing/apps.py": '''
from django.apps import AppConfig
from django.db.models import signals
class BillingConfig(AppConfig):
    def ready(self):
        from .handlers import touch
        signals.pre_save.connect(touch, sender="billing.Client")
''', "billing/tasks.py": '''
from .models import Client, Invoice
def reprice(rate):
    for invoice in Invoice.objects.filter(total__gt=0):
        invoice.total = invoice.total * rate
        invoice.save()
def import_clients(rows):
    for row in rows:
        Client.objects.create(name=row["name"], state=row["state"])
'''},
        # save() wrapped by a decorator that records an event, in the model's own module: the bulk API would skip it
        {"audit/models.py": '''
from django.db import models
from .events import records_event
class Entry(models.Model):
    note = models.TextField()
    @records_event("entry.saved")
    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
''', "audit/tasks.py": '''
from .models import Entry
def touch_all():
    for entry in Entry.objects.all():
        entry.note = entry.note.strip()
        entry.save()
'''},
        # a Flask / SQLAlchemy project's own `save()` (hooks, then a commit) is not Django's: no Django bulk fix applies
        '''
from flask import flash
def lock_topics(topics):
    for topic in topics:
        topic.locked = True
        topic.save()
    flash("locked")
''',
        # the model overrides save() in its own module (here it re-signs the row); the loop lives elsewhere, and
        # bulk_update would skip the override, so the writes stay one by one
        {"docs/models.py": SIGNATURE_MODELS, "docs/tasks.py": '''
from .models import Signature
def resign_all():
    for signature in Signature.objects.all():
        signature.save()
def copy_all(rows):
    for row in rows:
        Signature.objects.create(body=row["body"])
'''},
        # get_or_create saves each new row through the same overridden save()
        {"docs/models.py": SIGNATURE_MODELS, "docs/grants.py": '''
from .models import Signature
def ensure_signed(rows):
    for row in rows:
        Signature.objects.get_or_create(body=row["body"])
'''},
        # rows the code does not type (a parameter's items), named after a model whose save() the project overrides
        # (here it moves stock): that model's rows, and bulk_update would skip the override
        {"shop/models.py": '''
from django.db import models

class StockLine(models.Model):
    quantity = models.IntegerField()
    position = models.IntegerField(default=0)

    def save(self, *args, **kwargs):
        self.reserve_stock()
        super().save(*args, **kwargs)
''', "shop/orders.py": '''
def place(order, lines):
    for position, stock_line in enumerate(lines):
        stock_line.order = order
        stock_line.position = position
        stock_line.save()
'''},
        # each row validated before it is saved: the bulk API would skip the validation and the model's signals
        {"billing/models.py": DJANGO_MODELS, "billing/bulk.py": '''
from .models import Invoice
def bulk_edit(ids, status):
    for invoice in Invoice.objects.filter(pk__in=ids).iterator():
        invoice.status = status
        invoice.full_clean()
        invoice.save()
'''},
        # `save(clear_cache=False)`: the model's own save(), which bulk_create would skip
        {"billing/models.py": DJANGO_MODELS, "billing/dates.py": '''
from .models import Invoice
def reissue(client):
    for invoice in Invoice.objects.filter(client=client):
        invoice.save(clear_cache=False)
'''},
        # the model overrides save() in this module: each row must pass through it
        '''
from django.db import models
class Prefix(models.Model):
    network = models.CharField(max_length=50)
    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self.reparent_children()
def move(namespace):
    for prefix in Prefix.objects.filter(namespace=namespace).iterator():
        prefix.namespace = None
        prefix.save()
''',
        # a serializer writes the nested items of one request's payload, and a serializer saves its own object
        '''
from rest_framework import serializers
from .models import Question, QuestionOption
class QuestionSerializer(serializers.ModelSerializer):
    def create(self, validated_data):
        options = validated_data.pop("options")
        question = Question.objects.create(**validated_data)
        for opt in options:
            QuestionOption.objects.create(question=question, **opt)
        return question
def bulk_import(payload, context):
    for entry in payload:
        row_serializer = QuestionSerializer(data=entry, context=context)
        row_serializer.is_valid(raise_exception=True)
        row_serializer.save()
''',
        # already one statement per group of rows (`pk__in`), and an atomic counter per key (`F()`)
        {"billing/models.py": DJANGO_MODELS, "billing/vouchers.py": '''
from django.db.models import F
from .models import Invoice, Client
def release(groups, usages):
    for client, invoices in groups:
        Invoice.objects.filter(pk__in=[i.pk for i in invoices]).delete()
    for client_id, count in usages.items():
        Client.objects.filter(pk=client_id).update(invoice_count=F("invoice_count") - count)
'''},
        # items one form submission holds
        {"billing/models.py": DJANGO_MODELS, "billing/setup.py": '''
from .models import Client
def add_members(form):
    for client in form.cleaned_data["members"]:
        client.state = "SP"
        client.save()
'''},
        # a handful by every sign the code gives: the related rows of one object, the receivers of a signal, a set difference
        {"billing/models.py": DJANGO_MODELS, "billing/orders.py": '''
from .models import Invoice, Client
from .signals import register_outputs
def close(client):
    for invoice in client.invoices.all():
        invoice.status = "closed"
        invoice.save(update_fields=["status"])
    for receiver, response in register_outputs.send(client):
        Invoice.objects.create(client=client, number=response)
def relate(client, wanted):
    added = set(wanted) - {i.number for i in client.invoices.all()}
    for number in added:
        Invoice.objects.create(client=client, number=number)
'''},
        # in a model's save() or a signal receiver, the related rows of the object being saved: `filter(client=self)` is
        # `self.invoices.all()`, and each row's own save() and signals would be skipped by the bulk API
        {"billing/models.py": DJANGO_MODELS, "billing/signals.py": '''
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from .models import Client, Invoice
@receiver(pre_delete, sender=Client)
def detach_invoices(instance, **kwargs):
    invoices = Invoice.objects.filter(client=instance.pk)
    for invoice in invoices:
        invoice.client = None
        invoice.save()
class Archive(Client):
    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        for invoice in Invoice.objects.filter(client=self, status="open"):
            invoice.status = "archived"
            invoice.save()
'''},
        # the per-row branch is the fallback of a bulk write, for databases that cannot return the new keys
        {"billing/models.py": DJANGO_MODELS, "billing/logs.py": '''
from django.db import connection
from .models import Invoice
def create_all(invoices):
    if connection.features.can_return_rows_from_bulk_insert:
        Invoice.objects.bulk_create(invoices)
    else:
        for invoice in invoices:
            invoice.save()
'''},
        # the files of one upload, the fields of one payload: a handful
        '''
from .models import CachedFile, Setting
def upload(request):
    for name, f in request.FILES.items():
        CachedFile.objects.create(name=name, file=f)
    for key, value in request.data.items():
        Setting.objects.update_or_create(key=key, defaults={"value": value})
''',
        # a query by primary key has one row, though the code loops over it
        {"billing/models.py": DJANGO_MODELS, "billing/detach.py": '''
from .models import Invoice
def detach(invoice_id):
    invoices = Invoice.objects.filter(pk=invoice_id)
    for invoice in invoices:
        invoice.client = None
        invoice.save()
'''},
        # test and demo data builders are not production paths
        {"billing/models.py": DJANGO_MODELS, "billing/testing.py": '''
from .models import Client
def create_clients(rows):
    for row in rows:
        Client.objects.create(name=row)
'''},
        '''
def import_rows(conn, rows):
    conn.executemany("INSERT INTO ledger (account, amount) VALUES (?, ?)", [(r["account"], r["amount"]) for r in rows])
    conn.commit()
''',
        '''
def totals(cur, ids):
    for i in ids:
        cur.execute("SELECT total FROM invoices WHERE id = ?", (i,))
''',
        '''
def create_schema(conn):
    for table in ("clients", "invoices", "items"):
        conn.execute(f"DELETE FROM {table}")
''',
        '''
from sqlalchemy.orm import Session
def add_all(session: Session, entries):
    for entry in entries:
        session.add(entry)
    session.flush()
''',
        # flushed once per batch of rows, not per row
        '''
def import_entries(session, entries, batch_size=500):
    for n, entry in enumerate(entries, 1):
        session.add(entry)
        if n % batch_size == 0:
            session.flush()
''',
        # a savepoint per row so that one duplicate entry fails alone: the per-row write is the design
        '''
from sqlalchemy.exc import IntegrityError
def attach_entries(session, entry_ids):
    for entry_id in entry_ids:
        try:
            with session.begin_nested():
                session.add(LedgerLink(entry_id=entry_id))
                session.flush()
        except IntegrityError:
            pass
''',
        # each row flushed alone to catch its own conflict (a concurrent writer created it)
        '''
from sqlalchemy.exc import IntegrityError
def start_periods(session, period_ids):
    for period_id in period_ids:
        session.add(LedgerPeriod(id=period_id))
        try:
            session.flush()
        except IntegrityError:
            session.rollback()
''',
        # one statement of many rows per item (Phoenix's enum tables, round 100)
        PF201_ROWS_PER_TABLE,
        # one DELETE per table reflected from the item's name (Karbor's purge, round 107)
        PF201_REFLECTED_PER_TABLE,
        # saved one by one for the save signals, as the docstring says (openwisp-users, round 107)
        PF201_SAVED_FOR_SIGNALS,
    ]


class CommitInLoop(StaticRule):
    id = "PF202"
    name = "commit-in-loop"
    title = "Commit in a loop"
    severity = Severity.medium
    what = ("Finds `commit()` on a connection or session called on every iteration of a loop (not under a condition such as a "
            "batch test or an `except` handler for the rows that fail, "
            "nor in a `try` whose handler lets each row fail alone).")
    why = ("Every commit is a transaction end and, on a durable database, a disk sync: per-row commits make an import "
           "10-100x slower, and a failure halfway leaves half the batch committed.")
    example = '''
for row in rows:
    conn.execute("INSERT INTO ledger VALUES (?, ?)", row)
    conn.commit()
'''
    fix = ("Commit once after the loop, or once per batch (`if i % 1000 == 0: conn.commit()`), inside one transaction that "
           "is rolled back on error.")
    positive = [
        '''
def import_rows(conn, rows):
    for row in rows:
        conn.executemany("INSERT INTO ledger VALUES (?, ?)", [row])
        conn.commit()
''',
        '''
def save_all(session, objects):
    for obj in objects:
        session.merge(obj)
        session.commit()
''',
        # a handler that raises again ends the loop at the first error: nothing is committed alone on purpose
        '''
def post_all(session, invoices):
    for invoice in invoices:
        try:
            invoice.post()
            session.commit()
        except Exception:
            session.rollback()
            raise
''',
    ]
    negative = [
        PF202_COMMIT_THEN_MAIL,
        # the commit in an `except` handler: it runs for the rows that fail, as an `if` would (SimpleLogin disables a
        # mailbox whose PGP key no longer loads and commits before mailing its owner: round 50, judged false)
        '''
def check_keys(session, mailboxes):
    for mailbox in mailboxes:
        try:
            load_key(mailbox.pgp_key)
        except ValueError:
            mailbox.pgp_enabled = False
            session.commit()
''',
        # the commit is followed by a `return` in the loop's body: the first matching row is the only one it commits
        '''
def remove_tag(session, invoice, name):
    for tag in invoice.tags:
        if tag.name != name:
            continue
        invoice.tags.remove(tag)
        session.commit()
        return True
    return False
''',
        # a stand-in module imported under the name (`dummy_transaction as transaction`): its commit() does nothing
        '''
from .utils import dummy_transaction as transaction
def import_rows(conn, rows):
    for row in rows:
        conn.execute("INSERT INTO ledger VALUES (?, ?)", row)
        transaction.commit()
''',
        '''
def import_rows(conn, rows):
    for i, row in enumerate(rows, start=1):
        conn.executemany("INSERT INTO ledger VALUES (?, ?)", [row])
        if i % 1000 == 0:
            conn.commit()
    conn.commit()
''',
        '''
def import_batches(conn, rows):
    for start in range(0, len(rows), 1000):
        conn.executemany("INSERT INTO ledger VALUES (?, ?)", rows[start:start + 1000])
        conn.commit()
''',
        # each long step is committed and its progress published: what the log calls done is done
        '''
import logging
log = logging.getLogger(__name__)
def close_periods(conn, periods):
    for period in periods:
        conn.execute("CALL close_ledger_period(?)", (period,))
        conn.commit()
        log.info("period %s closed", period)
''',
        # each row commits or fails alone: one commit for all would let one bad invoice undo the others
        '''
def post_all(session, invoices, errors):
    for invoice in invoices:
        try:
            invoice.post()
            session.commit()
        except Exception as e:
            session.rollback()
            errors.append((invoice.number, str(e)))
''',
    ]


class PerRowLookup(StaticRule):
    id = "PF301"
    name = "per-row-lookup"
    title = "Per-row lookup of a small key"
    severity = Severity.medium
    what = ("Finds a call in a loop whose arguments are a small key of the item (its state, tax type, currency, category...) or "
            "do not change at all, and that reaches the database, a file or the network, directly or through project functions. "
            "Not a lookup of a model the loop itself creates rows of (its answer changes once one is made; by a key of the item, an "
            "import writing each key's row), nor a "
            "generator called as a statement (its body never runs).")
    why = ("A tax-rate table has a few dozen rows, yet `get_icms_rate(t.state)` fetches one of them again for each of "
           "100,000 transactions. Loading the table once turns 100,000 round trips into one; a call with unchanging "
           "arguments can simply move out of the loop.")
    example = '''
for t in transactions:
    icms = t.value * get_icms_rate(conn, t.state)  # SELECT rate FROM icms_rates WHERE state = ?
'''
    fix = ("Load the lookup once before the loop into a dict keyed by that key (values as Decimal) and index it inside; or a "
           "bounded cache (`functools.lru_cache(maxsize=...)`) with a stated invalidation. A call with unchanging arguments: call it once, before the loop.")
    positive = [
        PF301_UNPACED_POSITIVE, PF301_LOOKUP_BY_KEY,
        *PF301_IO_POSITIVE,
        *PF301_HOIST_POSITIVE,
        # over a list nothing sizes (a document's lines): `low`, as NP102 says of the same call
        PF301_UNSIZED,
        '''
class Checkout:
    def __init__(self, path):
        self.path = path
    def settings(self):
        with open(self.path) as f:
            return f.read()
    def run(self, items):
        for item in items:
            self.last = item
            item.terms = self.settings()
''',
        {"fiscal/__init__.py": "", "fiscal/rates.py": RATES_MODULE, "fiscal/taxes.py": '''
from .rates import get_icms_rate
def icms(conn, transactions):
    return [t.value * get_icms_rate(conn, t.state) for t in transactions]
'''},
        '''
import json
def load_settings(path):
    with open(path) as f:
        return json.load(f)
def fees(path, payments):
    out = []
    for p in payments:
        out.append(p.amount * load_settings(path)["fee"])
    return out
''',
        '''
def convert(cur, entries):
    for e in entries:
        cur.execute("SELECT rate FROM fx WHERE currency = ?", (e.currency,))
        e.converted = e.amount * cur.fetchone()[0]
''',
        # the loop stores another entry of the dict; the one the call reads is the same on every iteration
        '''
def read_source(path):
    with open(path) as f:
        return f.read()
def import_all(job, paths):
    for path in paths:
        job["current"] = path
        job["header"] = read_source(job["source"])
''',
    ]
    negative = [
        PF301_PACED_NEGATIVE,
        PF301_FED_RECEIVER,
        # a huey task called in a loop queues one job per call on purpose: none of its body runs here (OpenCraft's
        # `spawn_appserver`, one call per server wanted: round 64, the hoist judged WRONGFIX)
        '''
from huey.contrib.djhuey import db_task
def build_server(conn, instance_id):
    return conn.execute("SELECT name FROM instances WHERE id = ?", (instance_id,)).fetchone()
@db_task()
def check_server(conn, instance_id):
    return build_server(conn, instance_id)
def check_all(conn, instance_id, count):
    for _ in range(count):
        check_server(conn, instance_id)
''',
        # a file fetched only when it is not on disk yet: the first call downloads it, the others read it from disk
        # (Tilavarauspalvelu's test-data images, round 62: judged CACHED)
        '''
from pathlib import Path
import requests
def logo_path(url, name):
    path = Path("media") / name
    if not path.exists():
        download(url, path)
    return str(path)
def download(url, path):
    path.write_bytes(requests.get(url, timeout=10).content)
def branches(rows):
    return [(row, logo_path("https://example.com/logo.png", "logo.png")) for row in rows]
''',
        # the lookup finds what an earlier iteration created (GlitchTip's debug files, round 57): hoisted, it would answer
        # "none yet" for every item and create one row per item instead of one
        {"billing/models.py": DJANGO_MODELS, "billing/attach.py": '''
from .models import Invoice
def attach_opening_invoice(client, months):
    for month in months:
        if Invoice.objects.filter(client=client, status="opening").first() is not None:
            continue
        Invoice(client=client, status="opening", total=0).save()
'''},
        PF301_IMPORT_BY_KEY,  # by a key of the item, an import writing each state's row, found or made: no state repeats
        # a generator called as a statement of its own: only the generator object is made, none of its body runs
        # (pgAdmin's preference save, round 56: judged NOTQUERY)
        '''
class RateTree:
    def nodes(self, conn):
        for state, rate in conn.execute("SELECT state, rate FROM icms_rates"):
            yield {"state": state, "rate": rate}


def save_rates(conn, tree: RateTree, rates):
    for rate in rates:
        conn.execute("UPDATE icms_rates SET rate = ? WHERE state = ?", (rate["rate"], rate["state"]))
        tree.nodes(conn)
''',
        # a loop that runs until stopped: a sampling thread reads the same file each cycle, on purpose (Frigate's stats
        # and cleanup threads, round 54: the hoist judged WRONGFIX twice)
        '''
import itertools
import threading


def read_load():
    with open("/proc/loadavg") as f:
        return f.read()


class Stats(threading.Thread):
    def __init__(self, stop_event):
        super().__init__()
        self.stop_event = stop_event
        self.history = []

    def run(self):
        for counter in itertools.cycle(range(60)):
            if self.stop_event.wait(10):
                break
            self.history.append(read_load())
''',
        # a project's own per-request cache, by its decorator's name (oioioi's `@request_cached`): one query per request
        {"billing/models.py": DJANGO_MODELS, "billing/utils.py": '''
import functools
from .models import Client, Invoice


def request_cached(fn):
    @functools.wraps(fn)
    def cacher(request):
        if not hasattr(request, "_cache"):
            request._cache = {}
        if fn not in request._cache:
            request._cache[fn] = fn(request)
        return request._cache[fn]
    return cacher


@request_cached
def visible_client_ids(request):
    return set(Client.objects.filter(state=request.user.state).values_list("id", flat=True))


def shown(request):
    return [inv for inv in Invoice.objects.all() if inv.client_id in visible_client_ids(request)]
'''},
        # a cache kept on the class, filled again only when its version changes: read once per version
        PF301_VERSIONED_CACHE,
        # ... or filled when it is not a dict yet: read once per process
        PF301_CLASS_MAP,
        # the same arguments, yet a new random code on every call (meinberlin's voting tokens, judged WRONGFIX: hoisted,
        # every code of the batch would be the same); the salt query per code is another matter
        {"billing/__init__.py": "", "billing/models.py": DJANGO_MODELS, "billing/codes.py": '''
import secrets
from .models import Client


def code_for(client_id):
    code = "".join(secrets.choice("ABCDEF0123") for _ in range(8))
    return f"{Client.objects.get(pk=client_id).name}-{code}"


def codes(client_id, n):
    return [code_for(client_id) for _ in range(n)]
'''},
        # a worklist: each turn takes a new item (`todo.pop()`), so the arguments change; NP102 reports the query per item
        *NP102_PAGES_POSITIVE,
        # the dict handed to the helper gets a new entry under a key named at run time (`params[key("name")] = term`)
        {"billing/__init__.py": "", "billing/models.py": DJANGO_MODELS, "billing/search.py": '''
from .models import Client

def fetch(params):
    return list(Client.objects.filter(**params))

def key(name):
    return name

def search(terms):
    params = {"active": True}
    out = []
    for term in terms:
        params[key("name")] = term
        out += fetch(params)
    return out
'''},
        # the list handed to the helper grows on every turn (`taken.append(...)`): a new argument each time, and hoisting
        # the call would hand out one name twice (OpenWISP RADIUS's generated usernames)
        {"billing/__init__.py": "", "billing/models.py": DJANGO_MODELS, "billing/names.py": '''
from .models import Client

def available(name, taken):
    n = 1
    while Client.objects.filter(name=f"{name}{n}").exists() or f"{name}{n}" in taken:
        n += 1
    return f"{name}{n}"

def generate(prefix, count):
    taken = []
    for i in range(count):
        taken.append(available(prefix, taken))
    return taken
'''},
        # a filter dict given the row's key before each query: new arguments every time; and a stream re-read per
        # language, which hoisting would leave exhausted after the first
        {"billing/__init__.py": "", "billing/models.py": DJANGO_MODELS, "billing/fix.py": '''
from .models import Invoice, InvoiceItem
def fix_counts():
    filters = {"amount__gt": 0}
    for inv in Invoice.objects.all().iterator():
        filters["invoice_id"] = inv.pk
        print(InvoiceItem.objects.filter(**filters).count())
def summaries(languages):
    for lang in languages:
        for inv in Invoice.objects.iterator():
            print(lang, inv.pk)
'''},
        # a helper that adds a row on every call (`add_source()` makes a new codename and a new row): the same
        # arguments, a different answer each time; memoising it would be wrong
        {"fiscal/__init__.py": "", "fiscal/rates.py": RATES_MODULE, "fiscal/sources.py": '''
import secrets
from fiscal.rates import get_icms_rate
def add_source(conn):
    return {"codename": secrets.token_hex(8), "rate": get_icms_rate(conn, "SP")}
def add_sources(conn, count):
    sources = []
    for i in range(1, count + 1):
        sources.append(add_source(conn))
    return sources
'''},
        # Django's fixture command by its name (`loaddata.py`): a seed script, nobody's cost to fix
        {"fiscal/__init__.py": "", "fiscal/rates.py": RATES_MODULE, "loaddata.py": '''
from fiscal.rates import get_icms_rate
def main(conn, users):
    for u in users:
        u.rate = get_icms_rate(conn, "SP")
'''},
        # `cutoff` gets a new value on each pass of the `while` (an assignment expression): not the same arguments
        {"billing/__init__.py": "", "billing/models.py": """
from django.db import models
class Invoice(models.Model):
    client_id = models.IntegerField()
    issued = models.DateField()
    due = models.DateField()
""", "billing/periods.py": '''
from .models import Invoice
def paid_invoices(client_id):
    return Invoice.objects.filter(client_id=client_id)
def next_paid(client_id, step):
    out = []
    for invoice in Invoice.objects.filter(client_id=client_id):
        current = invoice.issued
        while (cutoff := current + step) < invoice.due:
            current = cutoff
            out.append(paid_invoices(client_id).filter(issued__gt=cutoff).first())
    return out
'''},
        # a fake-data command (one_off.py): the same lookup per user is real, and nobody's cost to fix
        {"fiscal/__init__.py": "", "fiscal/rates.py": RATES_MODULE, "fiscal/management/commands/createfaketaxes.py": '''
from fiscal.rates import get_icms_rate
def handle(conn, users):
    for u in users:
        u.rate = get_icms_rate(conn, "SP")
'''},
        # the receiver gets new parameters on every iteration (Koji's `query.values["tagID"] = tag_id`, round 73): each
        # `execute()` runs another query
        {"fiscal/__init__.py": "", "fiscal/queries.py": '''
class RateQuery:
    def __init__(self, conn):
        self.conn = conn
        self.values = {}

    def execute(self):
        return self.conn.execute("SELECT rate FROM icms_rates WHERE state = :state", self.values).fetchall()
''', "fiscal/rates.py": '''
from .queries import RateQuery
def rates(conn, states):
    query = RateQuery(conn)
    out = {}
    for state in states:
        query.values["state"] = state
        out[state] = query.execute()
    return out
'''},
        # a heartbeat written on every message (Firefox Relay's `write_healthcheck()`, round 77: hoisting it judged WRONGFIX)
        '''
import datetime


def write_healthcheck(path):
    with open(path, "w") as f:
        f.write(datetime.datetime.now().isoformat())


def poll(messages, handle, path):
    for message in messages:
        write_healthcheck(path)
        handle(message)
''',
        # after the `continue` guard the body always returns: the lookup runs once, for the first matching rule (the US DOJ's
        # civil rights portal, round 82: hoisting it judged false twice, since it would then run when nothing matches)
        {"fiscal/__init__.py": "", "fiscal/models.py": RATES_MODULE, "fiscal/rules.py": '''
from fiscal.models import get_icms_rate
def first_matching_rate(conn, rules, invoice):
    for rule in rules:
        if rule["state"] != invoice["state"]:
            continue
        rate = get_icms_rate(conn, "SP")
        invoice["rate"] = rate
        return invoice
    return None
'''},
        # a call named for launching something: each iteration starts another server (Atmosphere's `_launch_machine()` per
        # requested instance, round 79: hoisting it judged WRONGFIX)
        {"fiscal/__init__.py": "", "fiscal/models.py": RATES_MODULE, "fiscal/workers.py": '''
from fiscal.models import get_icms_rate
def launch_worker(conn, state):
    rate = get_icms_rate(conn, state)
    return {"state": state, "rate": rate}
def start(conn, count):
    return [launch_worker(conn, "SP") for _ in range(count)]
'''},
        # the dict handed to the call gets new entries on every iteration: each call imports another file
        '''
def import_file(options):
    with open(options["source"]) as f:
        return f.read()
def import_all(options, files):
    for item in files:
        options["source"] = item["path"]
        import_file(options)
''',
        '''
def rates(cur, states):
    out = {}
    for state in states:
        cur.execute("SELECT rate FROM icms_rates WHERE state = ?", (state,))
        out[state] = cur.fetchone()[0]
    return out
''',
        {"fiscal/__init__.py": "", "fiscal/rates.py": '''
from decimal import Decimal
def load_icms_rates(conn):
    return {state: Decimal(rate) for state, rate in conn.execute("SELECT state, rate FROM icms_rates")}
''', "fiscal/taxes.py": '''
from .rates import load_icms_rates
def icms(conn, transactions):
    rates = load_icms_rates(conn)
    return [t.value * rates[t.state] for t in transactions]
'''},
        {"fiscal/__init__.py": "", "fiscal/rates.py": RATES_MODULE, "fiscal/taxes.py": '''
from .rates import get_icms_rate
def icms(conn, transactions):
    return [get_icms_rate(conn, t.id) for t in transactions]
'''},
        '''
def next_numbers(conn, invoices):
    for inv in invoices:
        inv.number = next_invoice_number(conn)
def next_invoice_number(conn):
    return conn.execute("UPDATE seq SET n = n + 1 RETURNING n").fetchone()[0]
''',
        # the loop's row is in a call chained on the query: each iteration asks for other rows
        '''
from sqlalchemy.orm import Session
def tag_totals(session: Session, tags):
    return {tag.name: session.query(Entry).filter(Entry.tag_id == tag.id).count() for tag in tags}
''',
        # a builder makes a new object on every call (test data, a fresh voucher): memoising it would be wrong
        {"fiscal/__init__.py": "", "fiscal/fakes.py": '''
def build_fake_invoice(conn):
    client = conn.execute("SELECT id FROM clients ORDER BY random() LIMIT 1").fetchone()[0]
    return {"client": client}
''', "fiscal/seed.py": '''
from .fakes import build_fake_invoice
def seed(conn, n):
    return [build_fake_invoice(conn) for _ in range(n)]
'''},
        # only the one provider the user picked runs the lookup: not the same call on every iteration
        '''
def checkout(conn, providers, chosen):
    for p in providers:
        if p.name == chosen:
            total = conn.execute("SELECT sum(amount) FROM cart").fetchone()[0]
            p.prepare(total)
''',
        # the loop stores the entry the call reads (`job["source"] = path`): a different argument on every iteration
        '''
def read_source(path):
    with open(path) as f:
        return f.read()
def import_all(job, paths):
    for path in paths:
        job["source"] = path
        job["text"] = read_source(job["source"])
''',
        # a retry loop repeats the same statement on purpose
        '''
def lock_ledger(conn, retries):
    for attempt in range(retries):
        row = conn.execute("SELECT locked FROM ledger_lock").fetchone()
        if not row[0]:
            return True
    return False
''',
        # a context manager entered per item: a scope each time (h's read-only transaction per message, round 99)
        PF301_SCOPE_PER_ITEM,
    ]


class WholeDatasetLoad(StaticRule):
    id = "PF401"
    name = "whole-dataset-load"
    title = "Whole dataset loaded into memory"
    severity = Severity.medium
    what = ("Finds data read whole into memory only to be walked once: `f.readlines()`, `f.read().splitlines()`, "
            "`fetchall()` of a query with no LIMIT and no key filter that a loop then iterates, `list(Model.objects.all())`, "
            "SQLAlchemy `.all()` of an unfiltered query, a `json.load` document that is iterated. Confidence is high when "
            "nothing bounds the size (no WHERE), medium when a filter may. Files the package ships (paths from `__file__`, "
            "`importlib.resources`, `pkgutil.get_data`) are as small as the package keeps them, and not reported; nor is a "
            "`fetchall()` whose loop keeps an object per row in a list (or a comprehension), which streaming would halve at most. "
            "A file read whole is `low` unless the function or module is named for bulk input (`import_statements`, "
            "`load_csv`, `process_large_file`) or the module reads CSV: nothing else says how large the file is, and most are small.")
    why = ("Memory grows with the data: a 2 GB CSV of transactions becomes several GB of Python strings, and a "
           "million-row `fetchall()` holds every row at once, where streaming holds one batch at a time.")
    example = '''
rows = conn.execute("SELECT * FROM transactions").fetchall()
for row in rows:
    post(row)
'''
    fix = ("Stream: iterate the file (`for line in f`, `csv.reader(f)`), iterate the cursor or `fetchmany(1000)` (a named, "
           "server-side cursor on PostgreSQL), Django `.iterator(chunk_size=2000)`, SQLAlchemy `yield_per(1000)`, JSON Lines "
           "or ijson; or aggregate in SQL when only totals are needed.")
    positive = [
        '''
def process_large_file_bad(filepath):
    with open(filepath, 'r') as f:
        data = f.read()
        lines = data.split('\\n')
    results = []
    for line in lines:
        results.append(line.upper())
    return results
''',
        '''
def import_file(path):
    with open(path) as f:
        for line in f.readlines():
            handle(line)
''',
        '''
def post_all(conn):
    rows = conn.execute("SELECT id, amount FROM transactions ORDER BY id").fetchall()
    for row in rows:
        post(row)
''',
        '''
from pathlib import Path
def count_lines(path):
    return sum(1 for line in Path(path).read_text().splitlines() if line)
''',
        {"billing/models.py": DJANGO_MODELS, "billing/export.py": '''
from .models import Invoice
def export(writer):
    for invoice in list(Invoice.objects.all()):
        writer.writerow([invoice.id, invoice.total])
'''},
        '''
from sqlalchemy import select
def ids(session):
    return [inv.id for inv in session.scalars(select(Invoice)).all()]
''',
        # `low`: a small text read whole, split into lines (tests/test_rule_precision_94.py)
        PF401_SMALL_TEXT,
    ]
    negative = [
        PF401_POLLED_STREAM,
        # a loop that commits per row needs its rows in hand: a streamed result reads through a cursor the commit ends
        # (Security Monkey's purge of old revisions, round 70: `yield_per` judged WRONGFIX)
        '''
def purge_drafts(session):
    for draft in session.query(Draft).all():
        session.delete(draft)
        session.commit()
''',
        # the file rewritten from its own lines (`open(path, "w")` truncates it first), or the list sliced: every line
        # must be in hand (Ironic's and Review Board's rewrites, rounds 55 and 58: streaming judged WRONGFIX)
        '''
def renumber_series(path, old, new):
    with open(path) as f:
        lines = f.readlines()
    with open(path, "w") as f:
        for line in lines:
            f.write(line.replace(old, new))


def ledger_tail(path):
    with open(path) as f:
        lines = f.readlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("# closing"))
    return lines[start:]
''',
        # the lines of an in-memory buffer a command wrote to (ArchiveBox's `out = StringIO()` handed to
        # `call_command(..., stdout=out)`): already in memory, nothing to stream (2 judged false in round 49)
        '''
from io import StringIO
from django.core.management import call_command
def pending_migrations():
    out = StringIO()
    call_command("showmigrations", list=True, stdout=out)
    out.seek(0)
    return [line.strip() for line in out.readlines() if line.strip().startswith("[ ]")]
''',
        # a response split into its `key=value` pairs, not its lines: reading it line by line would not give them
        # (Zeus's OAuth token exchange, judged a wrong fix in round 48)
        '''
import urllib.request
def token_from(url):
    response = urllib.request.urlopen(url, timeout=10)
    data = response.read()
    for pair in data.split(b"&"):
        if pair.startswith(b"access_token="):
            return pair.partition(b"=")[2]
''',
        # a settings file's lines edited in place and written back: the whole list is what the code needs
        '''
def enable_module(path, wanted):
    lines = path.read_text().splitlines()
    for i, line in enumerate(lines):
        if line == "# " + wanted:
            lines[i] = wanted
    path.write_text("\\n".join(lines))
''',
        # each row becomes an object kept in the list the function returns: as long as the rows, so a streamed cursor
        # would save at most half
        '''
def all_clients(conn):
    out = []
    for row in conn.execute("SELECT id, name FROM clients ORDER BY name").fetchall():
        out.append({"id": row[0], "name": row[1].title()})
    return out
''',
        # a system catalog read whole for a form's choices: a few hundred rows of metadata, not the application's data
        '''
def collation_choices(connection):
    with connection.cursor() as cursor:
        cursor.execute("SELECT collname, collcollate FROM pg_collation")
        rows = cursor.fetchall()
        return ((name, f"{name} ({collate})") for name, collate in rows)
''',
        # small data files shipped inside the package (a list of codes, a bundled schema): read whole on purpose
        '''
import json
import os
from importlib import resources
from pathlib import Path
HERE = os.path.dirname(os.path.abspath(__file__))
def currency_codes():
    with open(os.path.join(HERE, "data", "currencies.txt")) as f:
        return [line.strip() for line in f.readlines() if line.strip()]
def account_types():
    return [t for t in Path(__file__).parent.joinpath("types.txt").read_text().splitlines() if t]
def default_rules():
    with resources.files("billing").joinpath("rules.json").open() as f:
        data = json.load(f)
    for rule in data:
        register(rule)
''',
        '''
def context(path, lineno):
    with open(path) as f:
        lines = f.read().splitlines()
    return lines[max(0, lineno - 5):lineno + 5]
''',
        '''
def import_file(path):
    with open(path) as f:
        for line in f:
            handle(line)
''',
        '''
def one_client(conn, client_id):
    rows = conn.execute("SELECT id, amount FROM invoices WHERE client_id = ?", (client_id,)).fetchall()
    for row in rows:
        post(row)
''',
        '''
def latest(conn):
    for row in conn.execute("SELECT id FROM invoices ORDER BY id DESC LIMIT 50").fetchall():
        post(row)
''',
        '''
def stream(conn):
    for row in conn.execute("SELECT id, amount FROM transactions"):
        post(row)
''',
    ]


class ResourceLeak(StaticRule):
    id = "PF501"
    name = "resource-leak"
    title = "Resource not closed on every path"
    severity = Severity.medium
    what = ("Finds a file (temporary files too), database connection, HTTP session, socket or server-side cursor opened in a function and not "
            "closed on every path: not in `with`, no `close()` in `finally`, not returned or stored for later. Also `with "
            "sqlite3.connect(...)` and `with psycopg2.connect(...)`, whose `with` commits but never closes. Plain cursors "
            "are left alone: closing the connection closes them, and so is a socket handed to `wrap_socket(...)`: the TLS "
            "wrapper owns it, or to a server as `sock=` (`asyncio.start_server(handler, sock=s)`). A `requests` or `httpx` session or a "
            "socket that is simply never closed, or closed only on the normal path, is `low`: CPython closes it when the function "
            "drops its last reference; so is `with psycopg2.connect(...)` in a function that returns soon after (not a generator, no "
            "`while` loop around or after it).")
    why = ("A leaked connection holds a server slot and its locks until the garbage collector runs; a batch job leaking "
           "one per call exhausts `max_connections` or the file-descriptor limit and fails hours into a run.")
    example = '''
def balance(path, account):
    conn = sqlite3.connect(path)
    return conn.execute("SELECT balance FROM accounts WHERE id = ?", (account,)).fetchone()[0]
'''
    fix = ("Use `with` (for sqlite3: `with contextlib.closing(sqlite3.connect(path)) as conn:`), or close in `finally`; better, "
           "open the connection once and pass it in (or use a pool).")
    positive = [
        PF501_READ_AND_DROPPED,
        PF501_COMMAND_LOWERED, PF501_SERVED_KEPT,
        # found at `low` when the function drops the connection or socket as it returns; `medium` before a polling loop or in a generator
        PF501_WITH_DROPPED_AT_RETURN, PF501_WITH_BEFORE_POLLING, PF501_WITH_IN_GENERATOR, PF501_SOCKET_DROPPED_AT_RETURN,
        # `low` for a connection of an engine the function creates itself; `medium` for the module's shared engine's
        PF501_OWN_ENGINE_LOWERED, PF501_SHARED_ENGINE_KEPT,
        # a temporary file written and never closed: its descriptor stays open until the garbage collector runs
        '''
from tempfile import NamedTemporaryFile
def export_pdf(rows, render):
    out = NamedTemporaryFile(mode="wb", delete=False, suffix=".pdf")
    render(out, rows)
    return out.name
''',
        '''
import sqlite3
def balance(path, account):
    conn = sqlite3.connect(path)
    return conn.execute("SELECT balance FROM accounts WHERE id = ?", (account,)).fetchone()[0]
''',
        '''
import sqlite3
def totals(path):
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT sum(total) FROM invoices").fetchone()[0]
''',
        '''
def first_line(path):
    f = open(path)
    line = f.readline()
    f.close()
    return line
''',
        '''
import requests
def rates(url):
    session = requests.Session()
    return session.get(url, timeout=10).json()
''',
        # a client used once in place: nobody can close it
        '''
import httpx
def bank_status(url):
    return httpx.Client().get(url, timeout=10).json()
''',
    ]
    negative = [
        # a file handed to a nested generator that reads it and closes it when done (Elmo's build logs, round 67: judged
        # false; `with` around it would close the file before the caller reads a line)
        '''
def statement_lines(path):
    f = open(path, "rb")

    def lines(f):
        for raw in f:
            yield raw.decode("utf-8")
        f.close()
    return lines(f)
''',
        # an HTTP client entered by the owner's `__enter__` and left by its `__exit__` (les emplois's API clients, round 62)
        '''
import httpx
class ErpClient:
    def __enter__(self):
        self._client = httpx.Client().__enter__()
        return self
    def __exit__(self, *exc):
        self._client.__exit__(*exc)
''',
        # a factory handing out a cursor: the cursor keeps its connection for the caller (OpenCraft's
        # `get_admin_cursor`, round 64: judged WRONGFIX)
        '''
import sqlite3
def ledger_cursor(path):
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA query_only = ON")
    return conn.cursor()
''',
        # a connection handed to the object a class method builds (`return cls(connection, ...)`): the object keeps it
        # open for its queries (OpenPrescribing's MatrixStore, one per process; judged false in round 48)
        '''
import sqlite3
class RateStore:
    def __init__(self, connection, name):
        self.connection = connection
        self.name = name
    @classmethod
    def from_file(cls, path):
        connection = sqlite3.connect(path)
        connection.execute("PRAGMA query_only = ON")
        return cls(connection, name=path)
''',
        # a listening socket handed to the server as `sock=`: the server owns it and closes it when it stops (Modoboa's
        # policy daemon, judged false)
        '''
import asyncio
import socket
def serve(handler, fileno):
    listen_sock = socket.socket(fileno=fileno)
    listen_sock.set_inheritable(False)
    return asyncio.start_server(handler, sock=listen_sock)
''',
        # a temporary file closed by the very next statement (only its name is wanted): nothing in between can raise
        '''
import tempfile
def scratch_path(run):
    temp = tempfile.NamedTemporaryFile()

    # close and delete it, so the tool can write there
    temp.close()
    return run(temp.name)
''',
        # the file is handed to a function of the module that closes what it is given
        '''
def attach_logo(message, path):
    logo = open(path, "rb")
    return _attach(message, logo, "logo.png")
def _attach(message, file_obj, name):
    message.attach(name, file_obj.read())
    file_obj.close()
    return message
''',
        # the file is handed to the server's file wrapper, which the response keeps and the server closes after sending
        '''
class Response:
    def send_file(self, path):
        fileobj = open(path, "rb")
        file_wrapper = self.environ.get("wsgi.file_wrapper")
        self._body = file_wrapper(fileobj, 4096)
''',
        # a stream factory returns the open file, typed with `cast`, for the framework to write the upload into
        '''
import tempfile
import typing as t
def stream_factory(total_length, content_type):
    upload = tempfile.NamedTemporaryFile("rb+")
    return t.cast(t.IO[bytes], upload)
''',
        # the file is handed to the base class, which owns it from now on (Django's upload file closes it when done)
        '''
import tempfile
from django.core.files.uploadedfile import UploadedFile
class SpooledUpload(UploadedFile):
    def __init__(self, name, content_type, size, charset):
        file = tempfile.NamedTemporaryFile(suffix=".upload", delete=False)
        super().__init__(file, name, content_type, size, charset)
''',
        # the archive reads a file object an enclosing `with` opened and closes; ZipFile does not own it
        '''
import zipfile
def members(path):
    with open(path, "rb") as f:
        archive = zipfile.ZipFile(f)
        return archive.namelist()
''',
        '''
import sqlite3
from contextlib import closing
def balance(path, account):
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute("SELECT balance FROM accounts WHERE id = ?", (account,)).fetchone()[0]
''',
        '''
import sqlite3
def balance(path, account):
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT balance FROM accounts WHERE id = ?", (account,)).fetchone()[0]
    finally:
        conn.close()
''',
        # the socket is handed to the TLS wrapper, which owns it: closing the wrapper in `finally` closes the socket
        '''
import socket
import ssl
def fetch_banner(host, port, context: ssl.SSLContext):
    raw = socket.create_connection((host, port), timeout=5)
    conn = context.wrap_socket(raw, server_hostname=host)
    try:
        return conn.recv(1024)
    finally:
        conn.close()
def serve_one(listener):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    conn = ssl.wrap_socket(sock)
    try:
        conn.connect(listener)
    finally:
        conn.close()
''',
        '''
import sqlite3
def connect(path):
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    return conn
''',
        '''
import sqlite3
class Repo:
    def __init__(self, path):
        self.conn = sqlite3.connect(path)
''',
        '''
def names(conn):
    cur = conn.cursor()
    cur.execute("SELECT name FROM clients")
    return [r[0] for r in cur]
''',
        # a connection `with` closes through `execution_options()`; a client a `from_*` constructor keeps (round 100)
        PF501_OPTIONS_IN_WITH,
        PF501_KEPT_BY_CONSTRUCTOR,
    ]


# a helper that connects anew only when asked to (`new_connection=True`) and opens nothing otherwise
_BUS = '''
import psycopg
def bus(new_connection=False):
    if new_connection:
        return psycopg.connect("postgresql://app@db/ledger")
    return None
'''

# a connection kept on the object (`if self.conn: return self.conn`) and closed after each query unless the caller
# says otherwise: per item only for callers that leave `close_conn` on (judged false on a real application, round 36)
_KEPT = '''
import psycopg
class Ledger:
    def __init__(self, dsn):
        self.dsn, self.conn = dsn, None
    def connection(self):
        if self.conn:
            return self.conn
        self.conn = psycopg.connect(self.dsn)
        return self.conn
    def close(self):
        if self.conn:
            self.conn.close()
            self.conn = None
    def rows(self, sql, args=(), close_conn=True):
        try:
            return self.connection().execute(sql, args).fetchall()
        finally:
            if close_conn:
                self.close()
'''


_POOL = '''
import queue
import psycopg


class LedgerPool:
    def __init__(self, dsn, size=4):
        self.dsn, self.idle, self.by_slot = dsn, queue.Queue(), {{}}
        for slot in range(size):
            {keep}

    def _connect(self):
        return psycopg.connect(self.dsn)
'''


class ConnectionPerItem(StaticRule):
    id = "PF502"
    name = "connection-per-item"
    title = "New connection per item"
    severity = Severity.high
    what = ("Finds a database connection opened on every iteration of a loop, directly (`sqlite3.connect` in the loop) or "
            "through a project function that connects and is called per item.")
    why = ("Connecting costs a TCP and TLS handshake, authentication and a server process (PostgreSQL forks one): often "
           "5-50 ms, far more than the query it serves.")
    example = '''
for invoice_id in invoice_ids:
    total = invoice_total(invoice_id)   # def invoice_total(i): conn = psycopg.connect(DSN) ...
'''
    fix = ("Open one connection before the loop and pass it in, or take connections from a pool (psycopg_pool, "
           "SQLAlchemy's engine pool, pgbouncer).")
    positive = [
        '''
import sqlite3
def totals(path, ids):
    out = {}
    for i in ids:
        with sqlite3.connect(path) as conn:
            out[i] = conn.execute("SELECT total FROM invoices WHERE id = ?", (i,)).fetchone()[0]
    return out
''',
        '''
import psycopg
DSN = "postgresql://app@db/ledger"
def invoice_total(invoice_id):
    with psycopg.connect(DSN) as conn:
        return conn.execute("SELECT total FROM invoices WHERE id = %s", (invoice_id,)).fetchone()[0]
def report(ids):
    return [invoice_total(i) for i in ids]
''',
        # the helper connects anew when asked to, and this caller asks on every item
        _BUS + '''
def notify_all(channels):
    for channel in channels:
        bus(new_connection=True).execute("NOTIFY " + channel)
''',
        # ... while a pool whose slots each connect once and use it at once throws each connection away
        _POOL.format(keep="self._connect().execute(\"SELECT 1\")"),
        # the helper closes the connection it keeps after every query, and this caller lets it
        _KEPT + '''
def balances(ledger: Ledger, account_ids):
    return [ledger.rows("SELECT sum(amount) FROM entries WHERE account_id = %s", (a,)) for a in account_ids]
''',
    ]
    negative = [
        # each item is its own database (a file per tenant): no connection to reuse across items (Nutshell's wallets,
        # one SQLite file per folder, round 51: judged WRONGFIX)
        '''
import sqlite3


def tenant_sizes(paths):
    out = {}
    for path in paths:
        conn = sqlite3.connect(path)
        out[path] = conn.execute("SELECT count(*) FROM invoices").fetchone()[0]
        conn.close()
    return out
''',
        # ... while one passing `close_conn=False` reuses the one connection the first call opened
        _KEPT + '''
def balances(ledger: Ledger, account_ids):
    return [ledger.rows("SELECT sum(amount) FROM entries WHERE account_id = %s", (a,), close_conn=False) for a in account_ids]
''',
        # a pool filled: each connection is kept for later, one per slot (Aether's producer, round 123: judged WRONGFIX)
        _POOL.format(keep="self.idle.put(self._connect())"),
        _POOL.format(keep="self.by_slot[slot] = self._connect()"),
        # ... while a caller leaving `new_connection` to its default False reuses the one connection
        _BUS + '''
def notify_all(channels):
    for channel in channels:
        bus()
''',
        '''
import psycopg
DSN = "postgresql://app@db/ledger"
def report(ids):
    with psycopg.connect(DSN) as conn:
        return [conn.execute("SELECT total FROM invoices WHERE id = ANY(%s)", (ids,)).fetchall()]
''',
        '''
import sqlite3
def check(paths):
    for path in ("a.db", "b.db"):
        with sqlite3.connect(path) as conn:
            conn.execute("PRAGMA integrity_check")
''',
    ]



_FRAGMENTS = '''
def invoices(cur, client_ids, number=None):
    filters, args = ["i.client_id in %s"], [tuple(client_ids)]
    if number:
        filters.append({second})
        args.append(number)
    where = " OR ".join(filters)
    if len(filters) > 1:
        where = f"({{where}})"
    cur.execute(f"SELECT id FROM invoices i WHERE {{where}}", args)
    return cur.fetchall()
'''

# a row copied with its own keys as columns and named placeholders, every value bound (a project clone): `low`, since
# only keys that came from a request could inject (judged false at `high` on a real application, issue 15 round 24)
PF601_DICT_KEYS = '''
async def copy_invoice(db, invoice_id, new_id):
    for line in await db.fetch_all("SELECT * FROM invoice_lines WHERE invoice_id = :id", {"id": invoice_id}):
        data = dict(line)
        data.pop("id")
        data["invoice_id"] = new_id
        columns = ", ".join(data.keys())
        values = ", ".join(f":{key}" for key in data)
        await db.execute(f"INSERT INTO invoice_lines ({columns}) VALUES ({values})", data)
'''


class SqlStringFormatting(StaticRule):
    id = "PF601"
    name = "sql-built-by-formatting"
    title = "SQL built by string formatting"
    severity = Severity.high
    what = ("Follows a string built by an f-string, `%`, `.format` or `+` with non-constant values, through variables of the "
            "same function, to `execute` / `executemany` / `raw` / `text()` / `read_sql` and Django's `extra(select=, where=)`. "
            "Constant-only strings, generated placeholder lists (`','.join('?' * len(ids))`) and values that carry no SQL are "
            "not findings: numbers (`int()`, `%d`, a checksum such as `zlib.crc32()`, a parameter typed `int`, `int | None`, "
            "`Decimal` or `UUID`), a saved row's keys (`.pk`, `.id`), identifiers quoted by "
            "`quote_name` (also as a local `qn`), the ORM's own table and column names, SQL Django compiled from a queryset. "
            "A statement formatted only from the keys of the dict it binds (`INSERT INTO t ({cols}) VALUES ({marks})`, every "
            "value bound) is `low`: it injects only if those keys come from a request. So is a statement the project marked "
            "as reviewed for injection: bandit's `# nosec`, or `# noqa: S608` (ruff's code for this alarm).")
    why = ("Values pasted into SQL are an injection hole, and each distinct text is a new statement to parse and plan: the "
           "database cannot reuse the plan or the prepared statement.")
    example = '''
cur.execute(f"SELECT * FROM invoices WHERE client_id = {client_id}")
'''
    fix = ("Pass values as bound parameters in the driver's style: `?` (sqlite3), `%s` / `%(name)s` (psycopg), `$1` "
           "(asyncpg), `:name` (SQLAlchemy `text()`); identifiers through an allow-list or `psycopg.sql.Identifier`.")
    positive = [
        # a table named by a helper from what the caller passes (`kind`): a value in the SQL text
        '''
async def mark_spent(db, proof, kind):
    await db.execute(
        f"INSERT INTO {db.table_with_schema(kind)} (secret, amount) VALUES (:secret, :amount)",
        {"secret": proof.secret, "amount": proof.amount},
    )
''',
        # a view's own attribute chain that reaches the request: the text a user typed, not the object's settings
        '''
class Search:
    def results(self, cur):
        cur.execute(f"SELECT id FROM items WHERE name = '{self.request.GET['q']}'")
        return cur.fetchall()
''',
        # a `*_id` field may hold outside text (a bank's transaction reference): not a key the database gave
        '''
def settle(cur, payment):
    cur.execute("UPDATE ledger SET settled = true WHERE reference = '%s'" % payment.transaction_id)
''',
        '''
def get_client_invoices_bad(db, client_ids):
    return [db.query(f"SELECT * FROM invoices WHERE client_id = {client_id}") for client_id in client_ids]
''',
        '''
def invoices(cur, client_id):
    cur.execute(f"SELECT id, total FROM invoices WHERE client_id = {client_id}")
    return cur.fetchall()
''',
        '''
def search(conn, name):
    sql = "SELECT id FROM clients WHERE name = '%s'" % name
    return conn.execute(sql).fetchall()
''',
        '''
def filtered(conn, status, state):
    query = "SELECT id FROM invoices WHERE 1 = 1"
    if status:
        query += " AND status = '" + status + "'"
    return conn.execute(query).fetchall()
''',
        '''
from sqlalchemy import text
def total(session, client):
    return session.execute(text("SELECT sum(total) FROM invoices WHERE client_id = {}".format(client))).scalar()
''',
        # Django's `extra()` takes SQL fragments as written: a request's text pasted into one is injected all the same
        '''
def matching(invoices, request):
    return invoices.extra(where=["notes LIKE '%%%s%%'" % request.GET["q"]])
''',
        # a parameter typed as text is pasted as it is, whatever its name
        '''
def numbered(cur, series: str | None = None):
    cur.execute("SELECT number FROM invoice_numbers WHERE series = '%s'" % series)
''',
        # `%s` prints the name as it is, even beside a `%d` that prints a number
        '''
def by_client(cur, client_id, name):
    cur.execute("SELECT id FROM invoices WHERE client_id = %d AND name = '%s'" % (client_id, name))
''',
        # the twin of the list of fragments below: a caller's text goes into the list
        _FRAGMENTS.format(second="f\"i.number = '{number}'\""),
        # `low`: only the column names of the dict it binds are formatted (tests/test_scan_performance.py)
        PF601_DICT_KEYS,
        # `low`: every call in the project passes the parameter a word the code wrote (TaMaTo, round 98)
        PF601_WRITTEN_BY_CALLERS,
        # `low`: SQL other code composed, no caller's value in it as it is (Datasette, round 101); `high`: a request's text
        PF601_COMPOSED_HERE,
        PF601_FROM_REQUEST,
        # `high` for the value in quotes; the table alone is `low`, in the statement's structure (Feast, round 103)
        PF601_STRUCTURE_AND_VALUE,
    ]
    negative = [
        PF601_REPEATED_FRAGMENT,
        PF601_QUOTED_IDENTIFIER,
        # a checksum and a parameter typed as a number print digits, whatever they were made from (Open Zaak's advisory
        # lock, Review Board's muted-notification query: round 55, judged false)
        '''
import zlib


def locked_numbering(cur, series: str, invoice_id: int | None = None):
    lock_id = zlib.crc32(series.encode("utf-8"))
    cur.execute(f"SELECT pg_advisory_xact_lock({lock_id})")
    cur.execute("SELECT number FROM invoice_numbers WHERE invoice_id = %s" % invoice_id)
''',
        # a name checked against the code's own words before it is formatted in (Open Prices' duplicate clean-up,
        # round 63: judged false)
        '''
def duplicates(cur, kind: str):
    if kind not in ("product_code", "category_tag"):
        raise ValueError(kind)
    cur.execute(f"SELECT {kind}, count(*) FROM prices GROUP BY {kind} HAVING count(*) > 1")
    return cur.fetchall()
''',
        # a name looked up in the code's own dict before it is formatted in: any other value raises KeyError there
        # (Weasyl's comment removal, round 66: judged false)
        '''
def remove_comment(cur, feature: str, comment_id: int):
    code = {"invoice": 4010, "receipt": 4020}[feature]
    cur.execute(f"DELETE FROM {feature}_comment WHERE id = %s AND kind = %s", (comment_id, code))
''',
        # attributes of the code's own constants (a rating's code), every value bound (Weasyl's notifications,
        # round 66: judged false)
        '''
from . import ratings


def flagged(cur, invoice_id: int):
    query = "SELECT id FROM invoices WHERE id = %s AND rating IN ({explicit}, {mature})".format(
        explicit=ratings.EXPLICIT.code, mature=ratings.MATURE.code)
    cur.execute(query, (invoice_id,))
''',
        # a helper that spells the table's name (with the schema the database object was built with) from a literal:
        # Nutshell's SQL layer (round 51, 18 findings judged false); every value is bound
        '''
async def mark_spent(db, proof):
    await db.execute(
        f"INSERT INTO {db.table_with_schema('proofs_used')} (secret, amount) VALUES (:secret, :amount)",
        {"secret": proof.secret, "amount": proof.amount},
    )
''',
        # the model's own table and column names from `_meta`, every value bound (OpenCodelists' and OpenPrescribing's
        # bulk INSERT of dm+d rows, judged false twice in round 48)
        '''
from django.db import connection, models
def insert_rows(model, rows):
    table_name = model._meta.db_table
    column_names = [f.db_column or f.name for f in model._meta.fields if not isinstance(f, models.AutoField)]
    sql = "INSERT INTO {} ({}) VALUES ({})".format(table_name, ", ".join(column_names), ", ".join(["%s"] * len(column_names)))
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
''',
        # each condition is a quoted identifier joined to a placeholder (`db.quote(name) + "=%s"`), the values bound (Trac)
        '''
def subscriptions(db, **filters):
    conditions, args = [], []
    for name, value in sorted(filters.items()):
        conditions.append(db.quote(name) + "=%s")
        args.append(value)
    query = "SELECT id, sid FROM notify_subscription"
    if conditions:
        query += " WHERE " + " AND ".join(conditions)
    cursor = db.cursor()
    cursor.execute(query, args)
    return cursor.fetchall()
''',
        # conditions joined from a list only fragments the code wrote went into, wrapped when there are two
        _FRAGMENTS.format(second='"i.number = %s"'),
        # the class's own column list quoted as identifiers, every value bound: nothing a caller types is formatted in
        '''
class Counts:
    squash_over = ("org_id", "scope")

    @classmethod
    def columns(cls):
        return cls.squash_over

    @classmethod
    def squash(cls, cur, values):
        cols = cls.columns()
        cond = " AND ".join([f'"{col}" = %s' for col in cols])
        cur.execute(f"DELETE FROM counts WHERE {cond}", values)
''',
        # values passed through the project's own quoting helpers (a quoted identifier, an escaped literal): nothing
        # a caller types reaches the statement unquoted, and identifiers cannot be bound parameters
        '''
def identifier(s):
    return '"' + s.replace('"', '""') + '"'
def literal_string(s):
    return "'" + s.replace("'", "''") + "'"
def table_size(conn, resource_id):
    rows = conn.execute(f"SELECT count(_id) FROM {identifier(resource_id)}").scalar()
    size = conn.execute(f"SELECT pg_relation_size({literal_string(resource_id)})").scalar()
    return rows, size
def insert_row(conn, table, columns, returning, unique, row):
    sql = "INSERT INTO {t} ({c}) VALUES (:v) {r} -- {u}".format(
        t=identifier(table), c=", ".join(identifier(c) for c in columns),
        r="RETURNING {cols}".format(cols=", ".join([identifier(c) for c in columns])) if returning else "",
        u="true" if unique else "false")
    return conn.execute(sql, row)
''',
        # a WHERE clause Django compiled from a queryset (`as_sql`, `sql_with_params`): SQL text with placeholders,
        # its values bound beside it
        '''
from django.db import connection
def counts_by_status(invoices, client_id):
    compiler = invoices.query.get_compiler(using=invoices.db)
    compiled = invoices.query.where.as_sql(compiler, connection)
    where = compiled[0]
    params = compiled[1]
    sql = "SELECT status_id, count(*) FROM billing_invoice WHERE {where} AND client_id = %s GROUP BY 1".format(where=where)
    with connection.cursor() as cursor:
        cursor.execute(sql, params + [client_id])
        return cursor.fetchall()
def overdue_ids(invoices):
    inner, inner_params = invoices.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM ({inner}) AS sub WHERE sub.due < now()", inner_params)
        return cursor.fetchall()
''',
        # a number formatted into the statement carries no SQL, whatever text it was parsed from
        '''
def replace_config(side_db, entry):
    config_id = int(entry["id"])
    side_db.query(f"DELETE FROM config WHERE id={config_id}")
''',
        '''
def count(cursor, model):
    cursor.execute("SELECT count(*) FROM %s" % model._meta.db_table)
    return cursor.fetchone()[0]
''',
        # a saved row's keys (`user.pk`, `invoice.id`, `%d`), Django's quote_name under a local name, and dicts of such
        # values, in `execute` and in `extra()`: numbers the database gave and quoted identifiers, nothing typed in
        '''
def mark_seen(cursor, invoice, user):
    qn = cursor.db.ops.quote_name
    cursor.execute(f"UPDATE {qn('billing_invoice')} SET {qn('seen')} = true WHERE {qn('id')} = %s", [invoice.pk])
    cursor.execute("SELECT total FROM billing_invoice WHERE id = %d" % invoice.id)
    values = {"table": invoice._meta.db_table, "client": invoice.client.pk}
    cursor.execute("SELECT count(*) FROM %(table)s WHERE client_id = %(client)s" % values)
def with_counts(invoices, user):
    select = {}
    select["mine"] = "SELECT count(*) FROM billing_payment WHERE user_id = %(user_id)s" % {"user_id": str(user.pk)}
    return invoices.extra(select=select).extra(where=["billing_invoice.owner_id = %s" % user.pk])
''',
        '''
def invoices(cur, ids):
    marks = ",".join("?" * len(ids))
    cur.execute(f"SELECT id, total FROM invoices WHERE id IN ({marks})", ids)
    return cur.fetchall()
''',
        '''
TABLE = "invoices"
def count(cur):
    cur.execute(f"SELECT count(*) FROM {TABLE}")
    return cur.fetchone()[0]
''',
        # table names the loop takes from a literal tuple, a table name a helper derives, and the deployment's own
        # database name: nothing a user typed
        '''
from django.conf import settings
from django.db import connection
def table_of(model):
    return f"billing_{model.__name__.lower()}"
def largest_ids(cursor, model):
    tblname = table_of(model)
    cursor.execute(f'SELECT MAX(id) FROM "{tblname}"')
    for relation in ("billing_invoice", "billing_payment"):
        cursor.execute(f"SELECT MAX(id) FROM {relation}")
    cursor.execute(f"SELECT count(*) FROM pg_stat_activity WHERE datname = '{connection.settings_dict['NAME']}'")
    cursor.execute(f"SET search_path TO {settings.TENANT_SCHEMA}")
''',
        '''
def invoices(cur, client_id):
    cur.execute("SELECT id, total FROM invoices WHERE client_id = %s", (client_id,))
    return cur.fetchall()
''',
        '''
def greet(log, name):
    log.execute(f"hello {name}")
''',
        # table and column names from the ORM's own metadata, every value bound: nothing a caller can inject
        '''
from sqlalchemy import text
def reopen_period(session, period_id):
    table = LedgerPeriod.__tablename__
    status = LedgerPeriod.status.name
    session.execute(text(f"UPDATE {table} SET {status} = :open WHERE id = :id"), {"open": "open", "id": period_id})
''',
        # SQL a helper returns beside the values it binds (EnvErgo, round 97)
        PF601_SQL_WITH_PARAMS,
    ]



_RAISED = '''
from django.db import models


class Pledge(models.Model):
    amount = models.DecimalField(max_digits=12, decimal_places=2)


class Fundraising(models.Model):
    GOAL = 1500
    amount_raised = models.{field}

    def percentage_of_goal(self):
        return int(float(self.amount_raised) / float(self.GOAL) * 100.0)
'''

class MoneyAsFloat(StaticRule):
    id = "PF701"
    name = "money-as-float"
    title = "Money as float"
    severity = Severity.high
    what = ("Finds money in binary floats: `float()` of an amount, price, rate or balance; a float literal mixed with a Decimal; "
            "`Decimal(0.1)` built from a float; `round(x, 2)` of a float amount; money fields declared `FloatField`, `Float` "
            "columns or `float` annotations; monetary values put in NumPy float arrays. Names tell money apart (amount, price, "
            "total, tax, icms, pis, cofins, valor, saldo...), but only in a module whose types show money (Decimal values, "
            "`DecimalField`, `Numeric` columns): a name alone (`total_submissions`, an LLM call's `cost_usd`) is a guess. A "
            "model's float money fields are one finding; a SQLAlchemy `Float` column is `medium`, since hand-written "
            "migrations may make the database column numeric while the ORM still hands out floats.")
    why = ("0.1 + 0.2 != 0.3 in binary floating point: sums of thousands of invoice lines drift by cents, and `round(2.675, 2)` "
           "is 2.67. In accounting a cent is an error, not noise. This is a correctness rule: an optimisation must never "
           "introduce it.")
    example = '''
icms = round(float(item.amount) * 0.18, 2)
'''
    fix = ("Keep money in `Decimal` from input to output: `Decimal(\"0.18\")` from strings, never from floats; round with "
           "`quantize(Decimal(\"0.01\"), rounding=ROUND_HALF_UP)` (or the rounding rule the business uses); `DecimalField` / "
           "`Numeric(12, 2)` columns. For vectorised maths use integer cents, not float arrays.")
    positive = [
        PF701_AMBIGUOUS_ATTRIBUTE,
        # a Decimal from a float that holds a weight (its name, or the line's unit): the error is real, money it is not,
        # so `low`, saying so (django-SHOP's `initial_weight = Decimal(0.01)  # in kg`, round 59: judged false as money)
        '''
from decimal import Decimal


class ParcelCart:
    initial_weight = Decimal(0.01)  # in kg
''',
        '''
import numpy as np
from decimal import Decimal
def taxes(transactions, rates):
    values = np.array([t.value for t in transactions])
    icms_rates = np.array([rates[t.state] for t in transactions])
    return values * icms_rates
''',
        '''
from django.db import models
class Item(models.Model):
    amount = models.DecimalField(max_digits=12, decimal_places=2)
def icms(item):
    return round(float(item.amount) * 0.18, 2)
''',
        '''
from decimal import Decimal
def with_tax(total: Decimal) -> Decimal:
    return total * Decimal(1.18)
''',
        '''
from decimal import Decimal
def pis(value):
    return Decimal(value) * 0.0165
''',
        '''
from django.db import models
class Invoice(models.Model):
    total = models.FloatField()
    paid = models.DecimalField(max_digits=12, decimal_places=2)
''',
        '''
import numpy as np
from decimal import Decimal
def taxes(transactions):
    amounts = np.array([t.amount for t in transactions])
    return amounts * 0.18
''',
        '''
from decimal import Decimal
def apply_discount(price: float, discount: float) -> float:
    return price - discount
''',
        # the twin of the whole-number goal below: the amount raised held in a DecimalField, turned into a float
        _RAISED.format(field="DecimalField(max_digits=12, decimal_places=2)"),
        PF701_ZERO_ADDED_TO,  # a zero default the loop adds to: a float total
        # `total` alone is money beside a field that says so without doubt
        '''
from django.db import models
class Summary(models.Model):
    total = models.FloatField()
    discount = models.DecimalField(max_digits=12, decimal_places=2)
''',
    ]
    negative = [
        PF701_INTEGER_THROUGH_DECIMAL, PF701_ZERO_INTO_DECIMAL,
        # a stored price matched against a float a model predicted (read from JSON): equality of two doubles, nothing
        # computed (Open Prices' receipt matching, round 63: judged false)
        '''
from decimal import Decimal
def matches(price: Decimal, predicted_price: float) -> bool:
    return float(price) == predicted_price
''',
        # an IntegerField of whole currency units: a float holds it exactly, for a percentage shown rounded
        _RAISED.format(field="IntegerField()"),
        # a total of durations, in hours: what is added to it says what it holds (Atmosphere's compute usage, in a module
        # that keeps allocations in DecimalFields, round 79: judged false three times)
        '''
from django.db import models
class Allocation(models.Model):
    compute_allowed = models.DecimalField(max_digits=19, decimal_places=3)
def usage_in_hours(report):
    total_allocation = 0.0
    for data in report:
        total_allocation += data["applicable_duration"]
    return round(total_allocation / 3600.0, 2)
''',
        # `total` beside `start` and `count`, in a module that has a DecimalField elsewhere: a sampler's buckets
        '''
from rest_framework import serializers
class BucketSample(serializers.Serializer):
    start = serializers.FloatField()
    count = serializers.FloatField(min_value=0)
    total = serializers.FloatField(min_value=0)
class Version(serializers.Serializer):
    number = serializers.DecimalField(max_digits=3, decimal_places=1)
''',
        # days off beside money: a `HolidayBalance`'s `balance` is what its class counts, its `balance_date` a date, and a
        # `min_charge_multiple_per_day` a multiplier (pydici, in a module that keeps prices in DecimalFields)
        '''
from django.db import models
class Mission(models.Model):
    price = models.DecimalField(max_digits=10, decimal_places=3)
    min_charge_multiple_per_day = models.FloatField(default=0)
class HolidayBalance(models.Model):
    balance = models.FloatField(default=0)
    balance_date = models.DateField()
''',
        # a money class's own `__float__`: the conversion Python calls when a caller asks for a float, not money kept as one
        '''
from decimal import Decimal
class Money:
    def __init__(self, amount: Decimal, currency: str):
        self.amount, self.currency = amount, currency

    def __float__(self):
        return float(self.amount)
''',
        # a percentage of a discount is a ratio, not an amount of money, even in a module that holds money as Decimal
        '''
from decimal import Decimal
def discount_info(price: Decimal, discount_value: Decimal):
    discount_percentage = discount_value * 100 / price
    if discount_percentage > 100:
        discount_percentage = 100.00
    return discount_percentage
''',
        # a whole number built from a float literal is exact: `Decimal(50.00) == Decimal(50)`, nothing to lose
        '''
from decimal import Decimal
def card_allowed(total: Decimal) -> bool:
    return Decimal(50.00) <= total <= Decimal(30000.00)
''',
        # a binary fraction is exact too: `Decimal(0.75) == Decimal("0.75")` (a share of capacity, as judged)
        '''
from decimal import Decimal
def nearly_full(enrolled: Decimal, capacity: Decimal) -> bool:
    return enrolled >= capacity * Decimal(0.75)
''',
        '''
import numpy as np
def taxes(transactions, rates):
    icms_rates = np.array([rates[t.state] for t in transactions], dtype=object)
    return icms_rates
''',
        '''
def kind(amount):
    return "receipt" if float(amount) >= 0 else "refund"
''',
        '''
def po_amount(items):
    return round(sum(i.total_amount for i in items), 2)
''',
        '''
from decimal import Decimal, ROUND_HALF_UP
CENT = Decimal("0.01")
def icms(item):
    return (Decimal(item.amount) * Decimal("0.18")).quantize(CENT, rounding=ROUND_HALF_UP)
''',
        '''
def progress(done, total_count):
    return round(float(done) / total_count * 100, 2)
''',
        '''
def elapsed(start, end):
    return float(end - start) * 1000.0
''',
        '''
from django.db import models
class Invoice(models.Model):
    total = models.DecimalField(max_digits=12, decimal_places=2)
    weight_kg = models.FloatField()
''',
        # names alone are no proof of money: no Decimal, DecimalField or Numeric anywhere in the module
        '''
def review_load(total_submissions, reviewers):
    return round(total_submissions / 1.8 / reviewers, 2)
''',
        '''
from dataclasses import dataclass
@dataclass
class TokenUsage:
    prompt_tokens: int
    cost_usd: float
def usage_cost(tokens: int, cost_per_token: float) -> float:
    return tokens * cost_per_token * 1.0
''',
        # a measured quantity next to a money word: `total_distance` in a `Numeric` column is kilometres, not money
        '''
from sqlalchemy import Numeric
from sqlalchemy.orm import Mapped, mapped_column
class Equipment:
    total_distance: Mapped[float] = mapped_column(Numeric(10, 3))
    def serialize(self):
        return {"distance": float(self.total_distance), "elevation": float(self.total_elevation)}
''',
        # a lenient signature that also takes Decimal (and converts inside) keeps no money in a float
        '''
from decimal import Decimal
def post_receipt(account, amount: int | float | Decimal):
    return account.post(Decimal(str(amount)))
''',
    ]


class BlockingInAsync(StaticRule):
    id = "PF801"
    name = "blocking-call-in-async"
    title = "Blocking call in a coroutine"
    severity = Severity.high
    what = ("Finds blocking work inside `async def`: `requests`, `time.sleep`, `urlopen`, `subprocess`, synchronous database "
            "drivers (sqlite3, psycopg2, sync Django ORM queries, un-awaited `execute`), `open()` - directly or through a "
            "synchronous project function that queries. A query through a project function on the connection the coroutine "
            "is handed is `low` when the project serves nothing from an event loop (no ASGI or async server): its loops are "
            "`asyncio.run()` calls in synchronous code, and a thread would share that connection.")
    why = ("A coroutine that blocks stops the whole event loop: every other request waits, so one 200 ms bank API call "
           "serialises a server that should handle hundreds at once.")
    example = '''
async def balance(account):
    return requests.get(f"{BANK}/accounts/{account}", timeout=10).json()
'''
    fix = ("Use the async counterpart (`httpx.AsyncClient` / aiohttp, `asyncio.sleep`, asyncpg / psycopg async / aiosqlite, "
           "Django's `aget` / `acount`...), or move the blocking call to a thread with `await asyncio.to_thread(fn, ...)`.")
    positive = [
        '''
import requests
async def balance(account):
    return requests.get(f"https://bank.example/accounts/{account}", timeout=10).json()
''',
        # the twin of Django's async API: `list()` of a queryset runs it synchronously, in the event loop
        {"billing/__init__.py": "", "billing/models.py": DJANGO_MODELS, "billing/views.py": '''
from .models import Invoice

async def ids(client_id):
    return list(Invoice.objects.filter(client_id=client_id).values_list("id", flat=True))
'''},
        '''
import time
async def retry(fetch):
    for attempt in range(3):
        try:
            return await fetch()
        except OSError:
            time.sleep(1)
''',
        '''
def load_rates(conn):
    return dict(conn.execute("SELECT state, rate FROM icms_rates").fetchall())
async def handler(conn, request):
    rates = load_rates(conn)
    return rates[request.state]
''',
        PF801_STARTUP_HELPER_LOWERED,
        PF801_STARTUP_HELPER_KEPT,
        # `low`: a project that serves nothing from an event loop runs this coroutine under `asyncio.run()` in synchronous
        # code, on the transaction its caller hands it (Balrog's release writes, round 75: 15 judged WRONGFIX)
        PF801_HANDED_CONNECTION,
        # a local file in a coroutine: `low`, saying why (Prefect's command line, round 99)
        PF801_LOCAL_FILE,
        # the branch a coroutine takes with no thread pool: `low`, saying why (Datasette, round 101)
        PF801_NO_THREAD_BRANCH,
        # a synchronous query in a coroutine of a project with no async driver: `low` (JupyterHub, round 103)
        PF801_SYNC_ONLY_PROJECT,
    ]
    negative = [
        # a lazy queryset handed to a helper that runs it in a thread (`sync_to_async`): nothing is queried in the coroutine
        {"billing/__init__.py": "", "billing/models.py": DJANGO_MODELS, "billing/chat.py": '''
from asgiref.sync import sync_to_async
from .models import Invoice


@sync_to_async
def totals(ids):
    return [inv.total for inv in Invoice.objects.filter(pk__in=ids)]


async def client_totals(client_id):
    return await totals(ids=Invoice.objects.filter(client_id=client_id).values_list("id", flat=True))
'''},
        '''
from django.contrib.auth.models import Permission
async def names(user):
    perms = Permission.objects.all()
    return [p.codename async for p in perms]
''',
        '''
import asyncio
import httpx
async def balance(client: httpx.AsyncClient, account):
    await asyncio.sleep(0.1)
    return (await client.get(f"/accounts/{account}")).json()
''',
        '''
import asyncio
def load_rates(conn):
    return dict(conn.execute("SELECT state, rate FROM icms_rates").fetchall())
async def handler(conn, request):
    rates = await asyncio.to_thread(load_rates, conn)
    return rates[request.state]
''',
        # the query runs on the process's first call only: a module global filled once
        '''
default_rates = None
def load_rates(conn):
    global default_rates
    if default_rates is None:
        default_rates = dict(conn.execute("SELECT state, rate FROM icms_rates").fetchall())
    return default_rates
async def handler(conn, request):
    return load_rates(conn)[request.state]
''',
        # Django's async API: `async for` over a queryset (bound before, or a helper's lazy one), `aiterator()`,
        # `afirst()`, and `sync_to_async(list)(...)` run the query off the event loop (CourtListener: seven findings)
        {"billing/__init__.py": "", "billing/models.py": DJANGO_MODELS, "billing/views.py": '''
from asgiref.sync import sync_to_async
from .models import Invoice

def open_invoices(client_id):
    return Invoice.objects.filter(client_id=client_id).only("id")

async def ids(client_id):
    rows = Invoice.objects.filter(client_id=client_id).values_list("id", flat=True)
    return [i async for i in rows]

async def more_ids(client_id):
    return [i async for i in open_invoices(client_id).exclude(total=0)]

async def streamed(client_id):
    out = []
    async for pk in Invoice.objects.filter(client_id=client_id).values_list("pk", flat=True).aiterator():
        out.append(pk)
    return out

async def first(pk):
    return await Invoice.objects.filter(pk=pk).values("id", "total").afirst()

async def in_a_thread(client_id):
    return await sync_to_async(list)(Invoice.objects.filter(client_id=client_id).values("id"))
'''},
        # the helper only builds an async generator: its remote call runs as the coroutine iterates it, awaited
        '''
import httpx
def statement_lines(url):
    async def lines():
        async with httpx.AsyncClient() as client:
            async with client.stream("GET", url) as resp:
                async for line in resp.aiter_lines():
                    yield line
    return lines()
async def import_statement(url, ledger):
    async for line in statement_lines(url):
        ledger.append(line)
''',
    ]


class SequentialAwaits(StaticRule):
    id = "PF802"
    name = "sequential-awaits-in-loop"
    title = "Independent awaits run one after another"
    # judged on real applications (rounds 24 to 99), 1 of 72 such loops was worth a change and 31 were false: awaits
    # that must keep their order, share one session or stream, or only append to a batch. Listed on request.
    severity = Severity.low
    what = ("Finds an `await` per item of a `for` loop in a coroutine, where the awaited call takes the item and nothing "
            "breaks out early, so the iterations do not depend on each other (queries and remote calls the N+1 rules "
            "already report are left to them). A loop that sleeps is paced on purpose (a rate limit), so it is not one; nor are "
            "awaits whose order is their meaning: sends on one websocket, log and progress notifications, lines shown to "
            "a reader (`await display(...)`).")
    why = ("Awaiting inside the loop waits for each call before starting the next: 100 calls of 200 ms take 20 s where a "
           "bounded `gather` takes well under a second. It is `low` (listed with `--min-severity low`): the scanner cannot "
           "show that the calls may run together (their order, a session or stream they share) nor that each waits on a "
           "remote call; a remote call per item through the project's own code is NP105's, listed by default.")
    example = '''
for account in accounts:
    statements.append(await fetch_statement(account))
'''
    fix = ("Start them together with a bound: `async with asyncio.TaskGroup() as tg:` plus an `asyncio.Semaphore(10)` "
           "around each call, or `await asyncio.gather(*(fetch(a) for a in accounts))` for small batches; keep per-call "
           "timeouts and error handling.")
    positive = [
        # the project's own coroutine that reaches no query or remote call the scanner can follow (an in-memory decode:
        # Tracecat's event decoding, round 51, judged false at `medium`)
        {"ledger/__init__.py": "", "ledger/codec.py": '''
import json

KEYS = {"current": b"k1"}


async def keyring():
    return KEYS


async def decode(event):
    keys = await keyring()
    return json.loads(event), keys["current"]
''', "ledger/replay.py": '''
from .codec import decode


async def replay(events):
    out = []
    for event in events:
        out.append(await decode(event))
    return out
'''},
        '''
async def statements(accounts, fetch_statement):
    out = []
    for account in accounts:
        out.append(await fetch_statement(account))
    return out
''',
    ]
    negative = [
        # the service layer's calls share the request's AsyncSession, which runs one statement at a time: `gather` would
        # fail (Tracecat's `registry_svc`, `self.folder_service`: round 51, judged WRONGFIX); so do a row's
        # `awaitable_attrs` loads (Spoolman)
        '''
async def import_folders(folder_service, registry_svc, paths, names):
    for path in paths:
        await folder_service.create_folder(path)
    return [await registry_svc.get_action(name) for name in names]
''',
        '''
async def export(rows, names):
    for row in rows:
        for name in names:
            await getattr(row.awaitable_attrs, name)
''',
        # the project's own coroutine that the index follows to a query (on the session its object holds), and one that
        # never waits (it only schedules a send with `create_task`): gathering either gains nothing (round 51)
        {"ledger/__init__.py": "", "ledger/models.py": "from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column\n\n\n"
         "class Base(DeclarativeBase):\n    pass\n\n\nclass Entry(Base):\n    __tablename__ = \"entries\"\n"
         "    id: Mapped[int] = mapped_column(primary_key=True)\n", "ledger/store.py": '''
import asyncio
from sqlalchemy import select
from .models import Entry


class Store:
    def __init__(self, session):
        self.session = session

    async def entry(self, key):
        return (await self.session.execute(select(Entry).where(Entry.id == key))).scalar_one()


class Events:
    async def submit(self, event):
        asyncio.get_running_loop().create_task(self.send(event))

    async def send(self, event):
        await asyncio.sleep(0)
''', "ledger/post.py": '''
from .store import Events, Store


async def post(session, keys):
    store = Store(session)
    events = Events()
    for key in keys:
        await store.entry(key)
    for key in keys:
        await events.submit(key)
'''},
        # a coroutine of the module that never waits itself (it only schedules a task): awaiting it per item costs nothing
        # to gather (ArchiveBox's `enqueue_snapshot`, 2 judged false in round 49)
        '''
import asyncio


class Runner:
    def __init__(self):
        self.tasks = {}

    async def enqueue(self, job_id):
        if job_id in self.tasks:
            return
        self.tasks[job_id] = asyncio.create_task(self.run(job_id))

    async def run(self, job_id):
        await asyncio.sleep(0)

    async def enqueue_all(self, job_ids):
        for job_id in job_ids:
            await self.enqueue(job_id)
''',
        # Django's async ORM runs every call on one thread, one after another: `gather` would change nothing (Fidus
        # Writer's image updates, judged WRONGFIX)
        {"billing/models.py": DJANGO_MODELS, "billing/lines.py": '''
from .models import InvoiceItem


async def add_items(invoice, amounts):
    for amount in amounts:
        await InvoiceItem.objects.acreate(invoice=invoice, amount=amount)
'''},
        # lines shown to the one reader of a terminal, in their order (JumpServer's telnet check, judged false)
        '''
async def show_totals(totals, display):
    await display("----- totals -----")
    for account, total in totals.items():
        await display(f"{account}: {total}")
''',
        # the same session or connection for every item: one statement at a time, so `gather` would be wrong (the
        # N+1 rules report such per-item queries when they can follow the call)
        '''
async def grant_all(session, product_repository, product_ids, grant):
    for product_id in product_ids:
        product = await product_repository.get_by_id(product_id)
        await grant(session, product)
''',
        '''
async def has_perms(user, perms):
    for perm in perms:
        if not await user.ahas_perm(perm):
            return False
    return True
''',
        '''
import asyncio
async def statements(accounts, fetch_statement):
    return await asyncio.gather(*(fetch_statement(a) for a in accounts))
''',
        '''
async def first_ok(accounts, fetch_statement):
    for account in accounts:
        if await fetch_statement(account):
            break
''',
        '''
async def send_all(writer, lines):
    for line in lines:
        await writer.write(line)
''',
        # log and progress notifications of a tool must arrive in order
        '''
async def reconcile(ctx, accounts):
    for i, account in enumerate(accounts):
        await ctx.info(f"reconciling {account}")
        await ctx.report_progress(i, len(accounts))
''',
        # each hook takes the value the previous one returned: in order by nature (Bitcart's filters)
        '''
async def apply_filters(plugins, hooks, value):
    for hook in hooks:
        try:
            value = await plugins.run(hook, value)
        except ValueError:
            continue
    return value
''',
        # asgiref runs `sync_to_async` calls on one thread by default (`thread_sensitive=True`): one after another anyway
        '''
from asgiref.sync import sync_to_async
async def tag_all(tag, invoices):
    for invoice in invoices:
        await sync_to_async(tag.apply)(invoice)
''',
        # paced on purpose: a pause every ten mails keeps under the mail server's limit, which `gather` would defeat
        '''
import asyncio
async def mail_statements(mailer, clients):
    for i, client in enumerate(clients):
        await mailer.send_statement(client.email)
        if (i + 1) % 10 == 0:
            await asyncio.sleep(1)
''',
        # a websocket consumer answers its one client: each message, and each of its own methods that sends one, in
        # order (c3nav's mesh UI); `gather` would scramble the frames and overlap nothing
        '''
from channels.generic.websocket import AsyncJsonWebsocketConsumer
class StatementsConsumer(AsyncJsonWebsocketConsumer):
    async def receive_json(self, content):
        for statement in content["statements"]:
            await self.send_json({"id": statement})
        for event in content["events"]:
            await self.event_received(event)

    async def event_received(self, event):
        await self.send_json(event)
''',
    ]


class RepeatedWorkInLoop(StaticRule):
    id = "PF901"
    name = "repeated-work-in-loop"
    title = "Same work repeated on every iteration"
    severity = Severity.low
    what = ("Finds expensive work inside a loop whose inputs never change between iterations: `re.compile`, `json.loads`, "
            "`datetime.strptime`, `sorted(x)` / `copy.deepcopy(x)` / `x.copy()` of a collection the loop does not change. "
            "Work on each row's own data is not a finding, nor is a cheap constant such as `Decimal(\"0.01\")` passed to "
            "`quantize` (about 100 ns, and the clearest way to write money rounding).")
    why = ("The loop redoes the same computation once per record: harmless for ten rows, a measurable share of a "
           "batch job over a million, and free to remove.")
    example = '''
for row in rows:
    when = datetime.strptime(CLOSING_DATE, "%Y-%m-%d")
    account_ok = re.compile(r"^[0-9]{4}$").match(row.account)
'''
    fix = "Compute it once before the loop (a module constant such as `ACCOUNT = re.compile(...)`) and reuse it."
    positive = [
        '''
import re
def codes(lines):
    out = []
    for line in lines:
        out.append(re.compile(r"NF-(\\d+)").search(line))
    return out
''',
        '''
import json
def fees(invoices, schedule_text):
    return [json.loads(schedule_text)[inv.kind] for inv in invoices]
''',
        '''
def ranked(groups, scores):
    for g in groups:
        best = sorted(scores)
        g.top = best[-1]
''',
    ]
    negative = [
        # the sort runs only in the message of the error that ends the loop: at most once
        '''
def check_targets(targets, names):
    for target in targets:
        if target not in names:
            raise ValueError(f"{target} is not one of {sorted(names)}")
''',
        '''
def widgets(attrs, values):
    out = []
    for i, value in enumerate(values):
        own = attrs.copy()
        own["id"] = f"field_{i}"
        out.append((own, value))
    return out
''',
        '''
from datetime import datetime
def dates(rows):
    return [datetime.strptime(r["date"], "%Y-%m-%d") for r in rows]
''',
        '''
import re
CODE = re.compile(r"NF-(\\d+)")
def codes(lines):
    return [CODE.search(line) for line in lines]
''',
        '''
def ranked(groups, scores):
    for g in groups:
        scores.append(g.score)
        g.rank = sorted(scores).index(g.score)
''',
        # the money idiom: a Decimal constant in quantize costs about 100 ns; not worth a finding
        '''
from decimal import Decimal, ROUND_HALF_UP
def cents(amounts):
    return [Decimal(a).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) for a in amounts]
''',
        # a loop the code bounds (three currencies) repeats the work three times
        '''
import re
def currency_codes(text):
    return {c: re.compile(r"TOTAL ([0-9.]+)").findall(text) for c in ("EUR", "USD", "BRL")}
''',
    ]

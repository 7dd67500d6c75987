"""The examples of row_writes.py's rules: each a source file (or {path: source} for several modules); the positive ones
must be flagged by the rule, the negative ones must not. Imported when a test first reads them (rules.Examples)."""

from __future__ import annotations

from .memos_and_view_rows_examples import NP101_LOOKUP_EVERY_ROW, NP101_LOOKUP_ON_A_MISS
from .schemas_and_rates_examples import PF201_PER_COMMUNE_AND_DATE, PF201_PER_DATE
from .contexts_and_literals_examples import PF201_CALLED_DB_SESSION, PF201_UNCALLED_DB_SESSION
from .held_rows_examples import PF201_ARCHIVED_MODULE, PF201_LIVE_MODULE
from .kept_once_examples import PF201_WRITTEN_ON_A_MISS, PF201_WRITTEN_PER_ROW
from .module_globals_examples import PF201_HEADER_LINE
from .bulk_code_examples import PF201_BULK_KEPT, PF201_REQUEST_SIZED_LOWERED
from .hand_run_examples import PF201_HAND_RUN_POSITIVE
from .handful_examples import PF201_COLLECTED_ROWS
from .handled_examples import HANDLED_ROWS, STATE_ONLY, WALKED_AGAIN
from .intent_examples import PF201_INSTALL, PF201_SAVED_CHANGED, PF201_SAVED_FOR_SIGNALS, PF201_SAVED_UNCHANGED
from .io_examples import PF201_IO_POSITIVE
from .own_database_examples import PF201_OWN_DATABASE_NEGATIVE, PF201_OWN_DATABASE_POSITIVE
from .related_save_examples import PF201_RELATED_ROW_NEGATIVE, PF201_RELATED_ROW_POSITIVE
from .selection_examples import PF201_SELECTION_NEGATIVE, PF201_SELECTION_POSITIVE
from .statement_examples import (PF201_FLUSH_AFTER_CHANGES, PF201_FLUSH_AFTER_HELPER, PF201_FLUSH_AFTER_STATEMENTS, PF201_REFLECTED_PER_TABLE,
                                 PF201_ROWS_PER_TABLE, PF201_UPSERT_BY_NAME)
from .static import DJANGO_MODELS
from .unique_order_examples import PF201_RENAMED_ONE_BY_ONE, PF201_RENUMBERED_IN_ORDER
from .unreachable_examples import PF201_AFTER_RETURN, PF201_BEFORE_RETURN
from .unsized_writes_examples import PF201_PER_ITEM, PF201_PER_WINDOW, PF201_SIZED_STATEMENT_KEPT, PF201_UNSIZED_STATEMENT_LOWERED
from .upgrade_examples import (PF201_HELPER_OF_OTHER_CODE, PF201_HELPER_OF_UPGRADES, PF201_STEPS_QUERIED, PF201_STEPS_SPELLED_OUT,
                               PF201_UNVERSIONED_UPGRADE, PF201_VERSIONED_UPGRADE)

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


PF201_POSITIVE = [
        PF201_REQUEST_SIZED_LOWERED, *PF201_BULK_KEPT,  # (low) a request's rows; (high) an importer's, an import's, a task's
        PF201_BEFORE_RETURN,  # (medium) the conditions of one application, each written (unreachable_examples.py)
        PF201_PER_ITEM,  # an INSERT ... SELECT per item (unsized_writes_examples.py)
        *PF201_UNSIZED_STATEMENT_LOWERED,  # (found at low: a loop nothing sizes)
        *PF201_SIZED_STATEMENT_KEPT,
        *PF201_HAND_RUN_POSITIVE,  # (the first found at low: an import nothing in the project starts)
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
        *PF201_OWN_DATABASE_POSITIVE,
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

PF201_NEGATIVE = [
        PF201_AFTER_RETURN,  # the same loop after the view's `return` (unreachable_examples.py)
        PF201_PER_WINDOW,  # the same per window of lines, `for batch in range(batch_count):` (unsized_writes_examples.py)
        PF201_VERSIONED_UPGRADE, PF201_STEPS_SPELLED_OUT,
        *PF201_RELATED_ROW_NEGATIVE,
        *PF201_OWN_DATABASE_NEGATIVE,  # a cursor of the item's own database (own_database_examples.py)
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
        # each row saved unchanged, for what save() does (Finmars' import, round 152)
        PF201_SAVED_UNCHANGED,
    ]
PF201_POSITIVE.append(PF201_SAVED_CHANGED)
PF201_POSITIVE += [HANDLED_ROWS, WALKED_AGAIN, STATE_ONLY]  # (low) a work queue's rows, their state saved once; (high) rows walked
# every run, and a loop that only sets and saves the state (one UPDATE)
PF201_POSITIVE += [PF201_RENUMBERED_IN_ORDER, PF201_RENAMED_ONE_BY_ONE]  # (low) a flush per row keeping a unique constraint; (medium) one that does not

# a domain written on a miss of the dict the import fills (`try:`/`except KeyError:`, `if name not in`); written per row
# (kept_once_examples.py)
PF201_NEGATIVE += PF201_WRITTEN_ON_A_MISS
PF201_POSITIVE.append(PF201_WRITTEN_PER_ROW)

# a module its docstring says nothing uses any more; the same module in use (held_rows_examples.py)
PF201_NEGATIVE.append(PF201_ARCHIVED_MODULE)
PF201_POSITIVE.append(PF201_LIVE_MODULE)
# a write on a file's header line (`if line_i == 1:`), once; the rule per line after it, reported (module_globals_examples.py)
PF201_POSITIVE.append(PF201_HEADER_LINE)
# (round 257, found at low) a step under Pony's `@db_session` that nothing calls looks unused; the step called does not
PF201_POSITIVE += [PF201_UNCALLED_DB_SESSION, PF201_CALLED_DB_SESSION]
# (stop 79's regression) an update per commune and date, a date field named as a lookup; by the date alone
PF201_NEGATIVE.append(PF201_PER_COMMUNE_AND_DATE)
PF201_POSITIVE.append(PF201_PER_DATE)
# (round 336) a create at the end of an `or` after a miss of the dict the loop fills; the dict never filled
PF201_NEGATIVE.append(NP101_LOOKUP_ON_A_MISS)
PF201_POSITIVE.append(NP101_LOOKUP_EVERY_ROW)

"""Django / DRF cases, second batch: N+1 bugs fixed in kitsune, taiga-back, readthedocs.org and AWX,
each retold in an accounting domain (no code of the originals).

Where the loop of a DRF case is the framework's own (a ViewSet's list), the expected line is the serializer
line that reads the relation for every row (the field, or the SerializerMethodField's method line); where the
code itself serializes rows with many=True, that call is the loop.
"""

from __future__ import annotations

from devset import Case


def _at(files: dict[str, str], path: str, needle: str, after: str = "") -> tuple[str, int]:
    """(path, line) of the one line of files[path] that contains needle, searched below the first line that
    contains `after` when given."""
    lines = files[path].splitlines()
    start = next(i for i, text in enumerate(lines, start=1) if after in text) if after else 0
    hits = [i for i, text in enumerate(lines, start=1) if i > start and needle in text]
    if len(hits) != 1:
        raise ValueError(f"{path}: {needle!r} found on lines {hits}")
    return (path, hits[0])


CASES: list[Case] = []


# --- 1. kitsune 29401be3e: profile helper queried per serialized row ----------------------------------------

_k1_models = """\
from django.conf import settings
from django.db import models


class Client(models.Model):
    name = models.CharField(max_length=120)


class ClerkProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clerk_profile"
    )
    display_name = models.CharField(max_length=120)
    avatar_url = models.URLField(blank=True)


class Invoice(models.Model):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="invoices")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="issued_invoices"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="approved_invoices",
    )
    number = models.CharField(max_length=32)
    total = models.DecimalField(max_digits=12, decimal_places=2)
"""

_k1_api = """\
from rest_framework import serializers, viewsets

from .models import ClerkProfile, Invoice


def clerk_profile_for(user):
    \"\"\"The clerk profile of a user, or None; a read never creates one.\"\"\"
    if user is None:
        return None
    return ClerkProfile.objects.filter(user=user).first()


def profile_payload(profile):
    if profile is None:
        return None
    return {"name": profile.display_name, "avatar": profile.avatar_url}


class InvoiceSerializer(serializers.ModelSerializer):
    issued_by = serializers.SerializerMethodField()
    approved_by = serializers.SerializerMethodField()

    class Meta:
        model = Invoice
        fields = ["id", "number", "total", "issued_by", "approved_by"]

    def get_issued_by(self, obj):
        return profile_payload(clerk_profile_for(obj.issued_by))

    def get_approved_by(self, obj):
        return profile_payload(clerk_profile_for(obj.approved_by))


class InvoiceViewSet(viewsets.ModelViewSet):
    serializer_class = InvoiceSerializer
    queryset = Invoice.objects.all()
"""

_k1_api_fixed = """\
from rest_framework import serializers, viewsets

from .models import Invoice


def clerk_profile_for(user):
    \"\"\"The clerk profile through the one-to-one accessor, served from select_related.\"\"\"
    return getattr(user, "clerk_profile", None)


def profile_payload(profile):
    if profile is None:
        return None
    return {"name": profile.display_name, "avatar": profile.avatar_url}


class InvoiceSerializer(serializers.ModelSerializer):
    issued_by = serializers.SerializerMethodField()
    approved_by = serializers.SerializerMethodField()

    class Meta:
        model = Invoice
        fields = ["id", "number", "total", "issued_by", "approved_by"]

    def get_issued_by(self, obj):
        return profile_payload(clerk_profile_for(obj.issued_by))

    def get_approved_by(self, obj):
        return profile_payload(clerk_profile_for(obj.approved_by))


class InvoiceViewSet(viewsets.ModelViewSet):
    serializer_class = InvoiceSerializer
    queryset = Invoice.objects.select_related(
        "issued_by__clerk_profile",
        "approved_by__clerk_profile",
    )
"""

_k1 = {"billing/__init__.py": "", "billing/models.py": _k1_models, "billing/api.py": _k1_api}
CASES.append(
    Case(
        name="kitsune-serializer-profile-helper",
        source="mozilla/kitsune 29401be3e: fix simple N+1 reads in question and answer APIs",
        kind="call-graph",
        framework="drf",
        files=_k1,
        expect=(_at(_k1, "billing/api.py", "return profile_payload(clerk_profile_for(obj.issued_by))"),),
        fixed={"billing/api.py": _k1_api_fixed},
    )
)


# --- 2. kitsune 812b38111: per-row helper that builds a tree from a query ------------------------------------

_k2_models = """\
from django.conf import settings
from django.db import models


class Ledger(models.Model):
    code = models.CharField(max_length=16, unique=True)
    name = models.CharField(max_length=120)


class Account(models.Model):
    name = models.CharField(max_length=120)
    parent = models.ForeignKey("self", null=True, on_delete=models.CASCADE, related_name="children")
    ledgers = models.ManyToManyField(Ledger, related_name="accounts")


class JournalEntry(models.Model):
    ledger = models.ForeignKey(Ledger, on_delete=models.CASCADE, related_name="entries")
    memo = models.CharField(max_length=200)


class ReviewFlag(models.Model):
    PENDING = "pending"
    entry = models.ForeignKey(JournalEntry, on_delete=models.CASCADE, related_name="flags")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="review_flags"
    )
    status = models.CharField(max_length=16, default=PENDING)
"""

_k2_views = """\
from django.core.cache import cache
from django.core.paginator import Paginator
from django.shortcuts import render

from .models import Account, ReviewFlag


def paginate(request, queryset, per_page=20):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def attach_review_urls(flags, status=None):
    for flag in flags:
        flag.review_url = f"/review/{flag.pk}/?status={status or ''}"
    return flags


def get_account_tree(ledger, timeout=3600):
    \"\"\"The accounts posting to a ledger, as a flat list indented by depth.\"\"\"
    key = f"account_tree_{ledger.code}"
    cached = cache.get(key)
    if cached:
        return cached
    rows = list(
        Account.objects.filter(ledgers=ledger).order_by("name").values("id", "name", "parent_id")
    )
    by_parent = {}
    for row in rows:
        by_parent.setdefault(row["parent_id"], []).append(row)
    tree = []

    def walk(parent_id=None, depth=0):
        for child in by_parent.get(parent_id, []):
            tree.append({"id": child["id"], "name": "-" * depth + child["name"]})
            walk(child["id"], depth + 1)

    walk()
    cache.set(key, tree, timeout)
    return tree


def review_queue(request):
    flags = ReviewFlag.objects.filter(status=ReviewFlag.PENDING).select_related(
        "entry__ledger", "reviewer"
    )
    flags = paginate(request, flags)
    flags = attach_review_urls(flags, status=ReviewFlag.PENDING)
    for flag in flags:
        entry = flag.entry
        flag.account_choices = get_account_tree(entry.ledger)
    return render(request, "review/queue.html", {"flags": flags})
"""

_k2_views_fixed = """\
from django.core.cache import cache
from django.core.paginator import Paginator
from django.shortcuts import render

from .models import Account, ReviewFlag


def paginate(request, queryset, per_page=20):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def attach_review_urls(flags, status=None):
    for flag in flags:
        flag.review_url = f"/review/{flag.pk}/?status={status or ''}"
    return flags


def get_account_tree(ledger, timeout=3600):
    \"\"\"The accounts posting to a ledger, as a flat list indented by depth.\"\"\"
    key = f"account_tree_{ledger.code}"
    cached = cache.get(key)
    if cached:
        return cached
    rows = list(
        Account.objects.filter(ledgers=ledger).order_by("name").values("id", "name", "parent_id")
    )
    by_parent = {}
    for row in rows:
        by_parent.setdefault(row["parent_id"], []).append(row)
    tree = []

    def walk(parent_id=None, depth=0):
        for child in by_parent.get(parent_id, []):
            tree.append({"id": child["id"], "name": "-" * depth + child["name"]})
            walk(child["id"], depth + 1)

    walk()
    cache.set(key, tree, timeout)
    return tree


def review_queue(request):
    flags = ReviewFlag.objects.filter(status=ReviewFlag.PENDING).select_related(
        "entry__ledger", "reviewer"
    )
    flags = paginate(request, flags)
    flags = attach_review_urls(flags, status=ReviewFlag.PENDING)

    ledgers = {flag.entry.ledger for flag in flags}
    trees = {ledger.pk: get_account_tree(ledger) for ledger in ledgers}

    for flag in flags:
        flag.account_choices = trees.get(flag.entry.ledger_id, [])
    return render(request, "review/queue.html", {"flags": flags})
"""

_k2 = {"review/__init__.py": "", "review/models.py": _k2_models, "review/views.py": _k2_views}
CASES.append(
    Case(
        name="kitsune-moderation-tree-helper",
        source="mozilla/kitsune 812b38111: Eliminate n+1 queries in moderation tool",
        kind="call-graph",
        framework="django",
        files=_k2,
        expect=(_at(_k2, "review/views.py", "for flag in flags:", after="def review_queue"),),
        fixed={"review/views.py": _k2_views_fixed},
    )
)


# --- 3. kitsune 2892a3fca: rows from a model method that returns a queryset, FK read per row -----------------

_k3_models = """\
from django.db import models


class BankAccount(models.Model):
    iban = models.CharField(max_length=34, unique=True)
    currency = models.CharField(max_length=3)

    def inbound_transfers(self):
        \"\"\"The transfers that credit this account.\"\"\"
        return Transfer.objects.filter(target=self)


class Transfer(models.Model):
    DOMESTIC = "domestic"
    FOREIGN = "foreign"
    source = models.ForeignKey(BankAccount, on_delete=models.CASCADE, related_name="outgoing")
    target = models.ForeignKey(BankAccount, on_delete=models.CASCADE, related_name="incoming")
    kind = models.CharField(max_length=16)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
"""

_k3_views = """\
from django.shortcuts import get_object_or_404, render

from .models import BankAccount


def who_pays_into(request, iban):
    account = get_object_or_404(BankAccount, iban=iban)
    by_kind = {}
    for transfer in account.inbound_transfers():
        if account.currency == transfer.source.currency:
            by_kind.setdefault(transfer.kind, []).append(transfer.source)
    return render(request, "treasury/payers.html", {"account": account, "payers": by_kind})
"""

_k3_views_fixed = """\
from django.shortcuts import get_object_or_404, render

from .models import BankAccount


def who_pays_into(request, iban):
    account = get_object_or_404(BankAccount, iban=iban)
    by_kind = {}
    transfers = account.inbound_transfers().select_related("source")
    for transfer in transfers:
        if account.currency == transfer.source.currency:
            by_kind.setdefault(transfer.kind, []).append(transfer.source)
    return render(request, "treasury/payers.html", {"account": account, "payers": by_kind})
"""

_k3 = {"treasury/__init__.py": "", "treasury/models.py": _k3_models, "treasury/views.py": _k3_views}
CASES.append(
    Case(
        name="kitsune-rows-from-model-method",
        source="mozilla/kitsune 2892a3fca: 1163 - Fix n+1 query (#5563)",
        kind="call-graph",
        framework="django",
        files=_k3,
        expect=(_at(_k3, "treasury/views.py", "for transfer in account.inbound_transfers():"),),
        fixed={"treasury/views.py": _k3_views_fixed},
    )
)


# --- 4. kitsune a58941a0a: dashboard rows, several relation queries and a row method per row -----------------

_k4_models = """\
from django.db import models


class AccountManager(models.Manager):
    def visible(self, user, **filters):
        qs = self.filter(**filters)
        if not (user and user.is_staff):
            qs = qs.filter(is_hidden=False)
        return qs


class Account(models.Model):
    code = models.CharField(max_length=16)
    title = models.CharField(max_length=120)
    currency = models.CharField(max_length=3)
    is_closed = models.BooleanField(default=False)
    is_hidden = models.BooleanField(default=False)
    needs_review = models.BooleanField(default=False)
    review_note = models.TextField(blank=True)
    parent = models.ForeignKey(
        "self", null=True, on_delete=models.CASCADE, related_name="currency_accounts"
    )
    current_statement = models.ForeignKey(
        "Statement", null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = AccountManager()

    def is_behind(self):
        \"\"\"Whether the parent account posted an approved statement after the one this copy follows.\"\"\"
        if not (self.parent and self.current_statement):
            return False
        followed = self.current_statement.mirrors_id
        extra = {"id__gt": followed} if followed else {}
        return self.parent.statements.filter(approved=True, **extra).exists()


class Statement(models.Model):
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="statements")
    mirrors = models.ForeignKey("self", null=True, on_delete=models.SET_NULL, related_name="+")
    approved = models.BooleanField(default=False)
    reviewed_at = models.DateTimeField(null=True)
    due = models.DateField(null=True)
    comment = models.CharField(max_length=255, blank=True)
"""

_k4_readouts = """\
from .models import Account

BASE_CURRENCY = "BRL"


def chart_overview_rows(user=None, currency=None, limit=None):
    accounts = Account.objects.visible(user, currency=BASE_CURRENCY, is_closed=False)
    accounts = accounts.order_by("code")
    if limit:
        accounts = accounts[:limit]

    rows = []
    for account in accounts:
        data = {"code": account.code, "title": account.title}
        if account.current_statement:
            data["due"] = account.current_statement.due

        if account.current_statement:
            pending = account.statements.filter(
                reviewed_at=None, id__gt=account.current_statement.id
            )[:1]
        else:
            pending = account.statements.all()
        if pending.count():
            data["pending_comment"] = pending[0].comment
        else:
            data["up_to_date"] = True

        if currency != BASE_CURRENCY:
            copy = account.currency_accounts.filter(currency=currency, is_closed=False).first()
            if copy:
                data["behind"] = copy.is_behind()
        else:
            data["behind"] = account.needs_review
            data["note"] = account.review_note
        rows.append(data)
    return rows
"""

_k4_readouts_fixed = """\
from django.db.models import Exists, F, OuterRef, Q, Subquery

from .models import Account, Statement

BASE_CURRENCY = "BRL"


def chart_overview_rows(user=None, currency=None, limit=None):
    accounts = (
        Account.objects.visible(user, currency=BASE_CURRENCY, is_closed=False)
        .select_related("current_statement")
        .annotate(
            pending_comment=Subquery(
                Statement.objects.filter(account=OuterRef("pk"), reviewed_at=None)
                .filter(
                    Q(account__current_statement__isnull=True)
                    | Q(id__gt=F("account__current_statement__id"))
                )
                .order_by("id")
                .values("comment")[:1]
            )
        )
    )
    if currency and currency != BASE_CURRENCY:
        copies = Account.objects.filter(
            currency=currency, is_closed=False, parent=OuterRef("pk"), current_statement__isnull=False
        )
        accounts = accounts.annotate(
            copy_exists=Exists(copies),
            copy_follows_id=Subquery(copies.values("current_statement__mirrors_id")[:1]),
        ).annotate(
            copy_behind=Exists(
                Statement.objects.filter(
                    account=OuterRef("pk"), approved=True, id__gt=OuterRef("copy_follows_id")
                )
            )
        )
    accounts = accounts.order_by("code")
    if limit:
        accounts = accounts[:limit]

    rows = []
    for account in accounts:
        data = {"code": account.code, "title": account.title}
        if account.current_statement:
            data["due"] = account.current_statement.due

        if account.pending_comment is None:
            data["up_to_date"] = True
        else:
            data["pending_comment"] = account.pending_comment

        if currency and currency != BASE_CURRENCY:
            if account.copy_exists:
                data["behind"] = account.copy_behind
        else:
            data["behind"] = account.needs_review
            data["note"] = account.review_note
        rows.append(data)
    return rows
"""

_k4 = {"chart/__init__.py": "", "chart/models.py": _k4_models, "chart/readouts.py": _k4_readouts}
CASES.append(
    Case(
        name="kitsune-overview-rows-per-account",
        source="mozilla/kitsune a58941a0a: fix N+1 queries in kb_overview_rows",
        kind="plain",
        framework="django",
        files=_k4,
        expect=(_at(_k4, "chart/readouts.py", "for account in accounts:"),),
        fixed={"chart/readouts.py": _k4_readouts_fixed},
    )
)


# --- 5. kitsune 8eb4aa7f0: generic foreign key and content type read per row ---------------------------------

_k5_models = """\
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


class Invoice(models.Model):
    number = models.CharField(max_length=32)
    is_void = models.BooleanField(default=False)


class Subscription(models.Model):
    \"\"\"A user following changes on any billing object (invoice, client, contract...).\"\"\"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="billing_subscriptions"
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    is_active = models.BooleanField(default=True)
"""

_k5_views = """\
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from .models import Subscription


@login_required
def my_subscriptions(request):
    subscriptions = Subscription.objects.filter(user=request.user).order_by("content_type", "id")

    listed = []
    for item in subscriptions:
        if item.content_object is not None:
            if item.content_type.model == "invoice":
                if not item.content_object.is_void:
                    listed.append(item)
            else:
                listed.append(item)

    page = Paginator(listed, 25).get_page(request.GET.get("page"))
    return render(request, "notify/subscriptions.html", {"page": page})
"""

_k5_views_fixed = """\
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from .models import Subscription


@login_required
def my_subscriptions(request):
    subscriptions = (
        Subscription.objects.filter(user=request.user)
        .select_related("content_type")
        .prefetch_related("content_object")
        .order_by("content_type", "id")
    )

    listed = [
        item
        for item in subscriptions
        if item.content_object is not None
        and (item.content_type.model != "invoice" or not item.content_object.is_void)
    ]

    page = Paginator(listed, 25).get_page(request.GET.get("page"))
    return render(request, "notify/subscriptions.html", {"page": page})
"""

_k5 = {"notify/__init__.py": "", "notify/models.py": _k5_models, "notify/views.py": _k5_views}
CASES.append(
    Case(
        name="kitsune-subscriptions-generic-fk",
        source=(
            "mozilla/kitsune 8eb4aa7f0: Improve database queries to prevent 500 error on /users/watches "
            "* Use select and prefetch related to avoid extra queries"
        ),
        kind="plain",
        framework="django",
        files=_k5,
        expect=(_at(_k5, "notify/views.py", "for item in subscriptions:"),),
        fixed={"notify/views.py": _k5_views_fixed},
    )
)


# --- 6. kitsune dfac0c24e: one INSERT (and an M2M set) per recipient --------------------------------------------

_k6_models = """\
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models


class NotificationSetting(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    name = models.CharField(max_length=64)
    value = models.BooleanField(default=False)


class OutboxNotice(models.Model):
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sent_notices"
    )
    to = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")
    to_group = models.ManyToManyField(Group, related_name="+")
    text = models.TextField()


class InboxNotice(models.Model):
    \"\"\"A payment reminder as one recipient sees it.\"\"\"

    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    to = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbox")
    to_group = models.ManyToManyField(Group, related_name="+")
    text = models.TextField()
"""

_k6_utils = """\
from django.contrib.auth.models import Group, User

from .models import InboxNotice, NotificationSetting, OutboxNotice
from .tasks import email_notice


def send_reminder(to, text=None, sender=None):
    \"\"\"Send a payment reminder to users and to every member of groups.\"\"\"
    if not sender or not text or not to:
        return
    users = {member for member in to if isinstance(member, User)}
    groups = {member for member in to if isinstance(member, Group)}
    receivers = users | set(User.objects.filter(groups__in=groups).distinct())

    outbox = OutboxNotice.objects.create(sender=sender, text=text)
    outbox.to.set(users)
    if groups:
        outbox.to_group.set(groups)

    wants_email = set(
        NotificationSetting.objects.filter(
            user__in=receivers, name="email_reminders", value=True
        ).values_list("user__pk", flat=True)
    )

    for recipient in receivers:
        notice = InboxNotice.objects.create(sender=sender, to=recipient, text=text)
        if groups:
            notice.to_group.set(groups)
        if recipient.pk in wants_email:
            email_notice(notice_id=notice.id)
"""

_k6_utils_fixed = """\
from django.contrib.auth.models import Group, User

from .models import InboxNotice, NotificationSetting, OutboxNotice
from .tasks import email_notice


def send_reminder(to, text=None, sender=None):
    \"\"\"Send a payment reminder to users and to every member of groups.\"\"\"
    if not sender or not text or not to:
        return
    users = [member for member in to if isinstance(member, User)]
    groups = [member for member in to if not isinstance(member, User)]
    recipient_ids = {user.id for user in users} | set(
        User.objects.filter(groups__in=groups).values_list("id", flat=True)
    )

    outbox = OutboxNotice.objects.create(sender=sender, text=text)
    outbox.to.set(users)
    outbox.to_group.set(groups)

    to_email = set(
        NotificationSetting.objects.filter(
            user__in=users, name="email_reminders", value=True
        ).values_list("user__id", flat=True)
    )

    created = InboxNotice.objects.bulk_create(
        [InboxNotice(sender=sender, to_id=user_id, text=text) for user_id in recipient_ids]
    )
    notice_by_recipient = {notice.to_id: notice.id for notice in created}

    for user_id in to_email:
        if notice_id := notice_by_recipient.get(user_id):
            email_notice.delay(notice_id=notice_id)
"""

_k6_tasks = """\
from celery import shared_task


@shared_task
def email_notice(notice_id):
    return notice_id
"""

_k6 = {
    "reminders/__init__.py": "",
    "reminders/models.py": _k6_models,
    "reminders/tasks.py": _k6_tasks,
    "reminders/utils.py": _k6_utils,
}
CASES.append(
    Case(
        name="kitsune-reminder-create-per-recipient",
        source="mozilla/kitsune dfac0c24e: 502 remediation (#5963)",
        kind="plain",
        framework="django",
        files=_k6,
        expect=(_at(_k6, "reminders/utils.py", "for recipient in receivers:"),),
        fixed={"reminders/utils.py": _k6_utils_fixed},
    )
)

_k6_models_fixed = _k6_models.replace(
    '    to = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbox")\n'
    '    to_group = models.ManyToManyField(Group, related_name="+")\n',
    '    to = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbox")\n',
)
assert _k6_models_fixed != _k6_models
CASES[-1].fixed["reminders/models.py"] = _k6_models_fixed


# --- 7. taiga-back 05b63004: nested list serializer reading an M2M per child row ------------------------------

_t1_models = """\
from django.conf import settings
from django.db import models


class PaymentBatch(models.Model):
    name = models.CharField(max_length=120)
    scheduled_for = models.DateField()


class Payment(models.Model):
    batch = models.ForeignKey(PaymentBatch, on_delete=models.CASCADE, related_name="payments")
    payee = models.CharField(max_length=120)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    co_approvers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="co_approved")
"""

_t1_serializers = """\
from rest_framework import serializers

from .models import Payment, PaymentBatch


class PaymentListSerializer(serializers.ModelSerializer):
    approvers = serializers.SerializerMethodField()

    class Meta:
        model = Payment
        fields = ["id", "payee", "amount", "approvers"]

    def get_approvers(self, obj):
        ids = [user.id for user in obj.co_approvers.all()]
        if obj.approver_id:
            ids.append(obj.approver_id)
        return sorted(set(ids)) or None


class PaymentBatchSerializer(serializers.ModelSerializer):
    payments = serializers.SerializerMethodField()

    class Meta:
        model = PaymentBatch
        fields = ["id", "name", "scheduled_for", "payments"]

    def get_payments(self, obj):
        return PaymentListSerializer(obj.payments.all(), many=True).data
"""

_t1_serializers_fixed = _t1_serializers.replace(
    "        return PaymentListSerializer(obj.payments.all(), many=True).data\n",
    "        payments = obj.payments.all().prefetch_related(\"co_approvers\")\n"
    "        return PaymentListSerializer(payments, many=True).data\n",
)
assert _t1_serializers_fixed != _t1_serializers

_t1 = {
    "payables/__init__.py": "",
    "payables/models.py": _t1_models,
    "payables/serializers.py": _t1_serializers,
}
CASES.append(
    Case(
        name="taiga-nested-list-serializer-m2m",
        source="taigaio/taiga-back 05b63004: Add prefetch related users to milestones list",
        kind="call-graph",
        framework="drf",
        files=_t1,
        expect=(_at(_t1, "payables/serializers.py", "PaymentListSerializer(obj.payments.all(), many=True)"),),
        fixed={"payables/serializers.py": _t1_serializers_fixed},
    )
)


# --- 8. taiga-back 339872b0: map(lambda) reading a FK per row, then a heavy method per distinct parent ---------

_t2_models = """\
from django.db import models
from django.db.models.signals import post_save
from django.dispatch import receiver


class Ledger(models.Model):
    name = models.CharField(max_length=120)

    def recompute_tax_lines(self):
        \"\"\"Give every invoice of the ledger a tax line for each active tax rate it lacks.\"\"\"
        rates = list(self.tax_rates.filter(active=True))
        if not rates:
            return
        existing = set(
            TaxLine.objects.filter(invoice__ledger=self).values_list("invoice_id", "rate_id")
        )
        invoice_ids = list(self.invoices.values_list("id", flat=True))
        TaxLine.objects.bulk_create(
            [
                TaxLine(invoice_id=invoice_id, rate=rate)
                for invoice_id in invoice_ids
                for rate in rates
                if (invoice_id, rate.id) not in existing
            ]
        )
        TaxLine.objects.filter(invoice__ledger=self).exclude(rate__in=rates).delete()


class TaxRate(models.Model):
    \"\"\"ICMS, PIS or COFINS rate of one ledger.\"\"\"

    ledger = models.ForeignKey(Ledger, on_delete=models.CASCADE, related_name="tax_rates")
    code = models.CharField(max_length=8)
    percent = models.DecimalField(max_digits=5, decimal_places=2)
    active = models.BooleanField(default=True)


class Assignment(models.Model):
    ledger = models.ForeignKey(Ledger, on_delete=models.CASCADE, related_name="assignments")
    rate = models.ForeignKey(TaxRate, on_delete=models.CASCADE, related_name="assignments")
    accountant = models.CharField(max_length=120)


class Invoice(models.Model):
    ledger = models.ForeignKey(Ledger, on_delete=models.CASCADE, related_name="invoices")
    number = models.CharField(max_length=32)


class TaxLine(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="tax_lines")
    rate = models.ForeignKey(TaxRate, on_delete=models.CASCADE, related_name="tax_lines")


@receiver(post_save, sender=TaxRate, dispatch_uid="tax_rate_post_save")
def tax_rate_post_save(sender, instance, created, **kwargs):
    if created:
        return
    ledgers = set(map(lambda assignment: assignment.ledger, instance.assignments.all()))
    for ledger in ledgers:
        ledger.recompute_tax_lines()
"""

_t2_models_fixed = _t2_models.replace(
    "    ledgers = set(map(lambda assignment: assignment.ledger, instance.assignments.all()))\n"
    "    for ledger in ledgers:\n"
    "        ledger.recompute_tax_lines()\n",
    "    instance.ledger.recompute_tax_lines()\n",
)
assert _t2_models_fixed != _t2_models

_t2 = {"taxes/__init__.py": "", "taxes/models.py": _t2_models}
CASES.append(
    Case(
        name="taiga-signal-map-lambda-parent",
        source="taigaio/taiga-back 339872b0: Optimizing update_role_points on role changed",
        kind="call-graph",
        framework="django",
        files=_t2,
        expect=(_at(_t2, "taxes/models.py", "ledgers = set(map(lambda assignment: assignment.ledger"),),
        fixed={"taxes/models.py": _t2_models_fixed},
    )
)


# --- 9. taiga-back 9f5d5c7d: CSV export over a queryset parameter, one FK missing from select_related ---------

_t3_models = """\
from django.conf import settings
from django.db import models


class Company(models.Model):
    name = models.CharField(max_length=120)


class Invoice(models.Model):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="invoices")
    number = models.CharField(max_length=32)


class PaymentStatus(models.Model):
    name = models.CharField(max_length=32)
    is_closed = models.BooleanField(default=False)


class BankAccount(models.Model):
    bank = models.CharField(max_length=60)
    number = models.CharField(max_length=32)


class Payment(models.Model):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="payments")
    invoice = models.ForeignKey(Invoice, null=True, on_delete=models.SET_NULL, related_name="payments")
    status = models.ForeignKey(PaymentStatus, null=True, on_delete=models.SET_NULL, related_name="+")
    bank_account = models.ForeignKey(BankAccount, null=True, on_delete=models.SET_NULL, related_name="+")
    payer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    paid_on = models.DateField(null=True)


class Receipt(models.Model):
    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="receipts")
    file_name = models.CharField(max_length=200)
"""

_t3_services = """\
import csv
import io


def payments_to_csv(company, queryset):
    out = io.StringIO()
    fieldnames = ["id", "invoice", "amount", "status", "is_closed", "bank", "payer", "paid_on", "receipts"]

    queryset = queryset.prefetch_related("receipts")
    queryset = queryset.select_related("bank_account", "payer", "status", "company")

    writer = csv.DictWriter(out, fieldnames=fieldnames)
    writer.writeheader()
    for payment in queryset:
        writer.writerow(
            {
                "id": payment.id,
                "invoice": payment.invoice.number if payment.invoice else None,
                "amount": payment.amount,
                "status": payment.status.name if payment.status else None,
                "is_closed": payment.status is not None and payment.status.is_closed,
                "bank": payment.bank_account.bank if payment.bank_account else None,
                "payer": payment.payer.username if payment.payer else None,
                "paid_on": payment.paid_on,
                "receipts": len(payment.receipts.all()),
            }
        )
    return out
"""

_t3_services_fixed = _t3_services.replace(
    '    queryset = queryset.select_related("bank_account", "payer", "status", "company")\n',
    '    queryset = queryset.select_related("bank_account", "payer", "status", "company", "invoice")\n',
)
assert _t3_services_fixed != _t3_services

_t3_views = """\
from django.http import HttpResponse
from django.shortcuts import get_object_or_404

from .models import Company, Payment
from .services import payments_to_csv


def export_payments(request, company_id):
    company = get_object_or_404(Company, pk=company_id)
    data = payments_to_csv(company, Payment.objects.filter(company=company))
    return HttpResponse(data.getvalue(), content_type="text/csv")
"""

_t3 = {
    "receivables/__init__.py": "",
    "receivables/models.py": _t3_models,
    "receivables/services.py": _t3_services,
    "receivables/views.py": _t3_views,
}
CASES.append(
    Case(
        name="taiga-csv-export-queryset-param",
        source="taigaio/taiga-back 9f5d5c7d: optimize tasks export query",
        kind="untyped-rows",
        framework="django",
        files=_t3,
        expect=(_at(_t3, "receivables/services.py", "for payment in queryset:"),),
        fixed={"receivables/services.py": _t3_services_fixed},
    )
)


# --- 10. readthedocs dc2a23f3a: a serializer per row in a task, its nested list read per row ------------------

_r1_models = """\
from django.db import models


class Statement(models.Model):
    account_code = models.CharField(max_length=16)
    date = models.DateTimeField()
    archived = models.BooleanField(default=False)
    notes = models.TextField(blank=True)


class StatementLine(models.Model):
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="lines")
    description = models.TextField()
    amount = models.DecimalField(max_digits=12, decimal_places=2)
"""

_r1_serializers = """\
from rest_framework import serializers

from .models import Statement, StatementLine


class StatementLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = StatementLine
        fields = ["id", "description", "amount"]


class StatementSerializer(serializers.ModelSerializer):
    lines = StatementLineSerializer(many=True, read_only=True)

    class Meta:
        model = Statement
        fields = ["id", "account_code", "date", "notes", "lines"]
"""

_r1_tasks = """\
import json
from datetime import datetime, timedelta
from io import BytesIO

from django.core.files.storage import default_storage

from .models import Statement
from .serializers import StatementSerializer

MAX_DESCRIPTION = 4096


def archive_statements(days=14, limit=200, delete=False):
    \"\"\"Move the lines of old statements to cold storage as JSON.\"\"\"
    cutoff = datetime.now() - timedelta(days=days)
    queryset = Statement.objects.exclude(lines__isnull=True).exclude(archived=True)
    queryset = queryset.filter(date__lt=cutoff)[:limit]

    for statement in queryset:
        lines = StatementSerializer(statement).data["lines"]
        if lines:
            for line in lines:
                if len(line["description"]) > MAX_DESCRIPTION:
                    line["description"] = line["description"][-MAX_DESCRIPTION:]
            output = BytesIO(json.dumps(lines, default=str).encode("utf8"))
            default_storage.save(f"{statement.date.date()}/{statement.id}.json", output)
"""

_r1_tasks_fixed = """\
import json
from datetime import datetime, timedelta
from io import BytesIO

from django.core.files.storage import default_storage

from .models import Statement
from .serializers import StatementLineSerializer

MAX_DESCRIPTION = 4096


def archive_statements(days=14, limit=200, delete=False):
    \"\"\"Move the lines of old statements to cold storage as JSON.\"\"\"
    cutoff = datetime.now() - timedelta(days=days)
    queryset = Statement.objects.exclude(lines__isnull=True).exclude(archived=True)
    queryset = (
        queryset.filter(date__lt=cutoff)
        .prefetch_related("lines")
        .only("date", "archived")[:limit]
    )

    for statement in queryset:
        lines = StatementLineSerializer(statement.lines.all(), many=True).data
        if lines:
            for line in lines:
                if len(line["description"]) > MAX_DESCRIPTION:
                    line["description"] = line["description"][-MAX_DESCRIPTION:]
            output = BytesIO(json.dumps(lines, default=str).encode("utf8"))
            default_storage.save(f"{statement.date.date()}/{statement.id}.json", output)
"""

_r1 = {
    "archive/__init__.py": "",
    "archive/models.py": _r1_models,
    "archive/serializers.py": _r1_serializers,
    "archive/tasks.py": _r1_tasks,
}
CASES.append(
    Case(
        name="readthedocs-serializer-per-row-in-task",
        source="readthedocs/readthedocs.org dc2a23f3a: Optimize archive_builds task (#8944)",
        kind="call-graph",
        framework="drf",
        files=_r1,
        expect=(_at(_r1, "archive/tasks.py", "for statement in queryset:"),),
        fixed={"archive/tasks.py": _r1_tasks_fixed},
    )
)


# --- 11. readthedocs f2e997cb1: many=True over sister rows; taggit tags, M2M users and reverse FK per row ------

_r2_models = """\
from django.conf import settings
from django.db import models
from taggit.managers import TaggableManager


class Client(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(unique=True)
    country = models.CharField(max_length=2)
    is_public = models.BooleanField(default=True)
    parent = models.ForeignKey(
        "self", null=True, on_delete=models.SET_NULL, related_name="branches"
    )
    account_managers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="managed_clients")
    tags = TaggableManager(blank=True)


class BillingAddress(models.Model):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="addresses")
    line = models.CharField(max_length=200)
    is_primary = models.BooleanField(default=False)
"""

_r2_serializers = """\
from django.contrib.auth import get_user_model
from rest_framework import serializers

from .models import Client


class ManagerSerializer(serializers.ModelSerializer):
    class Meta:
        model = get_user_model()
        fields = ["username"]


class ClientSerializer(serializers.ModelSerializer):
    tags = serializers.StringRelatedField(many=True)
    account_managers = ManagerSerializer(many=True)
    primary_address = serializers.SerializerMethodField()

    class Meta:
        model = Client
        fields = ["id", "name", "slug", "country", "tags", "account_managers", "primary_address"]

    def get_primary_address(self, obj):
        for address in obj.addresses.all():
            if address.is_primary:
                return address.line
        return None
"""

_r2_views = """\
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404

from .models import Client
from .serializers import ClientSerializer


def client_card(request, slug):
    client = get_object_or_404(Client, slug=slug)
    head = client.parent or client
    branch_filter = Q(pk__in=head.branches.all())
    if head != client:
        branch_filter |= Q(pk=head.pk)
    siblings = (
        Client.objects.filter(is_public=True)
        .filter(branch_filter)
        .exclude(pk=client.pk)
        .order_by("country")
        .select_related("parent")
    )
    data = {
        "current": ClientSerializer(client).data,
        "branches": ClientSerializer(siblings, many=True).data,
    }
    return JsonResponse(data)
"""

_r2_views_fixed = _r2_views.replace(
    '        .select_related("parent")\n',
    '        .select_related("parent")\n        .prefetch_related("tags", "account_managers", "addresses")\n',
)
assert _r2_views_fixed != _r2_views

_r2 = {
    "clients/__init__.py": "",
    "clients/models.py": _r2_models,
    "clients/serializers.py": _r2_serializers,
    "clients/views.py": _r2_views,
}
CASES.append(
    Case(
        name="readthedocs-many-serializer-taggit",
        source="readthedocs/readthedocs.org f2e997cb1: Addons: improve performance when fetching translations (#12329)",
        kind="third-party",
        framework="drf",
        files=_r2,
        expect=(_at(_r2, "clients/views.py", "ClientSerializer(siblings, many=True)"),),
        fixed={"clients/views.py": _r2_views_fixed},
    )
)


# --- 12. readthedocs 6b8ad1f40: a COUNT per day in a comprehension inside a classmethod ------------------------

_r3_models = """\
from django.db import models
from django.utils import timezone


class Company(models.Model):
    slug = models.SlugField(unique=True)


class PaymentEvent(models.Model):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="payment_events")
    created = models.DateTimeField(default=timezone.now)
    amount = models.DecimalField(max_digits=12, decimal_places=2)

    @classmethod
    def daily_counts_last_thirty_days(cls, company_slug):
        \"\"\"Payments received per day over the last 30 days, shaped for a chart.\"\"\"
        yesterday = timezone.now().date() - timezone.timedelta(days=1)
        first_day = timezone.now().date() - timezone.timedelta(days=30)
        days = [first_day + timezone.timedelta(days=n) for n in range(30)]

        qs = cls.objects.filter(
            company__slug=company_slug,
            created__date__lte=yesterday,
            created__date__gte=first_day,
        ).order_by("-created")

        counts = [qs.filter(created__date=day).count() for day in days]

        labels = [timezone.datetime.strftime(day, "%d %b") for day in days]
        return {"labels": labels, "int_data": counts}
"""

_r3_models_fixed = """\
from django.db import models
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone


class Company(models.Model):
    slug = models.SlugField(unique=True)


class PaymentEvent(models.Model):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="payment_events")
    created = models.DateTimeField(default=timezone.now)
    amount = models.DecimalField(max_digits=12, decimal_places=2)

    @classmethod
    def daily_counts_last_thirty_days(cls, company_slug):
        \"\"\"Payments received per day over the last 30 days, shaped for a chart.\"\"\"
        yesterday = timezone.now().date() - timezone.timedelta(days=1)
        first_day = timezone.now().date() - timezone.timedelta(days=30)
        days = [first_day + timezone.timedelta(days=n) for n in range(30)]

        qs = cls.objects.filter(
            company__slug=company_slug,
            created__date__lte=yesterday,
            created__date__gte=first_day,
        ).order_by("-created")

        per_day = dict(
            qs.annotate(day=TruncDate("created"))
            .values("day")
            .order_by("day")
            .annotate(count=Count("id"))
            .values_list("day", "count")
        )
        counts = [per_day.get(day) or 0 for day in days]

        labels = [timezone.datetime.strftime(day, "%d %b") for day in days]
        return {"labels": labels, "int_data": counts}
"""

_r3 = {"analytics/__init__.py": "", "analytics/models.py": _r3_models}
CASES.append(
    Case(
        name="readthedocs-count-per-day-classmethod",
        source="readthedocs/readthedocs.org 6b8ad1f40: query optimization",
        kind="plain",
        framework="django",
        files=_r3,
        expect=(_at(_r3, "analytics/models.py", "counts = [qs.filter(created__date=day).count() for day in days]"),),
        fixed={"analytics/models.py": _r3_models_fixed},
    )
)


# --- 13. AWX 067fdac8b1: polymorphic job rows, sorted(), list filter, map(lambda) reading a FK per row ----------

_a1_models = """\
from django.db import models
from polymorphic.models import PolymorphicModel


class WorkerPool(models.Model):
    name = models.CharField(max_length=64, unique=True)
    capacity = models.IntegerField(default=100)


class PostingJob(PolymorphicModel):
    status = models.CharField(max_length=16)
    created = models.DateTimeField(auto_now_add=True)
    worker_pool = models.ForeignKey(
        WorkerPool, null=True, on_delete=models.SET_NULL, related_name="jobs"
    )


class ReconciliationRun(PostingJob):
    statement_ref = models.CharField(max_length=64)


class PayrollRun(PostingJob):
    headcount = models.IntegerField(default=0)


class LedgerClose(PostingJob):
    period = models.CharField(max_length=7)
"""

_a1_scheduler = """\
from .models import LedgerClose, PayrollRun, ReconciliationRun, WorkerPool


class PoolGraph:
    def __init__(self):
        self.jobs = []

    def add_job(self, job):
        self.jobs.append(job)


class PostingScheduler:
    def __init__(self):
        self.graph = {}
        for pool in WorkerPool.objects.all():
            self.graph[pool.name] = {"graph": PoolGraph(), "capacity": pool.capacity}

    def get_jobs(self, statuses=("pending", "waiting", "running")):
        reconciliations = [r for r in ReconciliationRun.objects.filter(status__in=statuses)]
        payrolls = [p for p in PayrollRun.objects.filter(status__in=statuses)]
        closes = [c for c in LedgerClose.objects.filter(status__in=statuses)]
        return sorted(reconciliations + payrolls + closes, key=lambda job: job.created)

    def process_running(self, running):
        list(map(lambda job: self.graph[job.worker_pool.name]["graph"].add_job(job), running))

    def process_jobs(self, all_sorted):
        running = [job for job in all_sorted if job.status in ("waiting", "running")]
        self.process_running(running)

    def schedule(self):
        all_sorted = self.get_jobs()
        if all_sorted:
            self.process_jobs(all_sorted)
"""

_a1_scheduler_fixed = """\
from .models import LedgerClose, PayrollRun, ReconciliationRun, WorkerPool


class PoolGraph:
    def __init__(self):
        self.jobs = []

    def add_job(self, job):
        self.jobs.append(job)


class PostingScheduler:
    def __init__(self):
        self.graph = {}
        for pool in WorkerPool.objects.all():
            self.graph[pool.name] = {"graph": PoolGraph(), "capacity": pool.capacity}

    def get_jobs(self, statuses=("pending", "waiting", "running")):
        reconciliations = [
            r for r in ReconciliationRun.objects.filter(status__in=statuses).prefetch_related("worker_pool")
        ]
        payrolls = [p for p in PayrollRun.objects.filter(status__in=statuses).prefetch_related("worker_pool")]
        closes = [c for c in LedgerClose.objects.filter(status__in=statuses).prefetch_related("worker_pool")]
        return sorted(reconciliations + payrolls + closes, key=lambda job: job.created)

    def process_running(self, running):
        list(map(lambda job: self.graph[job.worker_pool.name]["graph"].add_job(job), running))

    def process_jobs(self, all_sorted):
        running = [job for job in all_sorted if job.status in ("waiting", "running")]
        self.process_running(running)

    def schedule(self):
        all_sorted = self.get_jobs()
        if all_sorted:
            self.process_jobs(all_sorted)
"""

_a1 = {"dispatch/__init__.py": "", "dispatch/models.py": _a1_models, "dispatch/scheduler.py": _a1_scheduler}
CASES.append(
    Case(
        name="awx-polymorphic-jobs-map-lambda-fk",
        source="ansible/awx 067fdac8b1: prefetch optimizations for task manager",
        kind="model-registry",
        framework="django",
        files=_a1,
        expect=(_at(_a1, "dispatch/scheduler.py", "list(map(lambda job: self.graph[job.worker_pool.name]"),),
        fixed={"dispatch/scheduler.py": _a1_scheduler_fixed},
    )
)


# --- 14. AWX 8cb5ce8307: serializer reads properties whose method filters an M2M per row ----------------------

_a2_models = """\
from django.db import models


class CredentialKind(models.Model):
    kind = models.CharField(max_length=16)  # "bank", "signing", "tax_portal"
    name = models.CharField(max_length=64)


class Credential(models.Model):
    name = models.CharField(max_length=120)
    credential_kind = models.ForeignKey(
        CredentialKind, on_delete=models.PROTECT, related_name="credentials"
    )


class Label(models.Model):
    name = models.CharField(max_length=64)


class PaymentRun(models.Model):
    name = models.CharField(max_length=120)
    credentials = models.ManyToManyField(Credential, related_name="payment_runs")
    labels = models.ManyToManyField(Label, related_name="payment_runs")

    @property
    def bank_credential(self):
        cred = self.get_legacy_credential("bank")
        if cred is not None:
            return cred.pk

    @property
    def signing_credential(self):
        cred = self.get_legacy_credential("signing")
        if cred is not None:
            return cred.pk

    def get_legacy_credential(self, kind):
        return self.credentials.filter(credential_kind__kind=kind).first()
"""

_a2_models_fixed = _a2_models.replace(
    "    def get_legacy_credential(self, kind):\n"
    "        return self.credentials.filter(credential_kind__kind=kind).first()\n",
    "    def get_legacy_credential(self, kind):\n"
    "        for cred in self.credentials.all():\n"
    "            if cred.credential_kind.kind == kind:\n"
    "                return cred\n"
    "        return None\n",
)
assert _a2_models_fixed != _a2_models

_a2_access = """\
from django.db.models import Prefetch

from .models import Label, PaymentRun


class PaymentRunAccess:
    model = PaymentRun
    prefetch_related = (Prefetch("labels", queryset=Label.objects.order_by("name")),)

    def __init__(self, user):
        self.user = user

    def get_queryset(self):
        return self.model.objects.all().prefetch_related(*self.prefetch_related)
"""

_a2_access_fixed = _a2_access.replace(
    '    prefetch_related = (Prefetch("labels", queryset=Label.objects.order_by("name")),)\n',
    "    prefetch_related = (\n"
    '        "credentials__credential_kind",\n'
    '        Prefetch("labels", queryset=Label.objects.order_by("name")),\n'
    "    )\n",
)
assert _a2_access_fixed != _a2_access

_a2_api = """\
from rest_framework import generics, serializers

from .access import PaymentRunAccess
from .models import PaymentRun


class PaymentRunSerializer(serializers.ModelSerializer):
    related = serializers.SerializerMethodField()

    class Meta:
        model = PaymentRun
        fields = ["id", "name", "related"]

    def get_related(self, obj):
        links = {}
        if obj.bank_credential:
            links["bank_credential"] = f"/api/credentials/{obj.bank_credential}/"
        if obj.signing_credential:
            links["signing_credential"] = f"/api/credentials/{obj.signing_credential}/"
        return links


class PaymentRunList(generics.ListAPIView):
    serializer_class = PaymentRunSerializer

    def get_queryset(self):
        return PaymentRunAccess(self.request.user).get_queryset()
"""

_a2 = {
    "runs/__init__.py": "",
    "runs/models.py": _a2_models,
    "runs/access.py": _a2_access,
    "runs/api.py": _a2_api,
}
CASES.append(
    Case(
        name="awx-property-filters-m2m-per-row",
        source="ansible/awx 8cb5ce8307: prefetch UnifiedJob related credentials",
        kind="method-on-row",
        framework="drf",
        files=_a2,
        expect=(_at(_a2, "runs/api.py", "if obj.bank_credential:"),),
        fixed={"runs/models.py": _a2_models_fixed, "runs/access.py": _a2_access_fixed},
    )
)


# --- 15. AWX e24fc43a45: .only() on polymorphic job rows, a left-out column read per row ------------------------

_a3_models = """\
from django.db import models
from polymorphic.models import PolymorphicModel


class WorkerPool(models.Model):
    name = models.CharField(max_length=64, unique=True)
    capacity = models.IntegerField(default=100)


class PostingJob(PolymorphicModel):
    name = models.CharField(max_length=120)
    status = models.CharField(max_length=16)
    created = models.DateTimeField(auto_now_add=True)
    worker_pool = models.ForeignKey(
        WorkerPool, null=True, on_delete=models.SET_NULL, related_name="jobs"
    )
    weight = models.IntegerField(default=1)

    @property
    def impact(self):
        return max(self.weight, 1)


class PayrollRun(PostingJob):
    headcount = models.IntegerField(default=0)


class LedgerClose(PostingJob):
    period = models.CharField(max_length=7)
"""

_a3_scheduler = """\
from .models import LedgerClose, PayrollRun, WorkerPool

NEEDED = ["id", "name", "status", "created", "worker_pool"]


class PostingScheduler:
    def __init__(self):
        self.remaining = {pool.name: pool.capacity for pool in WorkerPool.objects.all()}
        self.started = []

    def get_jobs(self, statuses=("pending", "waiting", "running")):
        payrolls = [
            p
            for p in PayrollRun.objects.filter(status__in=statuses)
            .prefetch_related("worker_pool")
            .only(*NEEDED)
        ]
        closes = [
            c
            for c in LedgerClose.objects.filter(status__in=statuses)
            .prefetch_related("worker_pool")
            .only(*NEEDED)
        ]
        return sorted(payrolls + closes, key=lambda job: job.created)

    def process_pending(self, pending):
        for job in pending:
            pool = job.worker_pool.name
            if self.remaining[pool] < job.impact:
                continue
            self.remaining[pool] -= job.impact
            self.started.append(job.pk)

    def schedule(self):
        all_sorted = self.get_jobs()
        pending = [job for job in all_sorted if job.status == "pending"]
        self.process_pending(pending)
"""

_a3_scheduler_fixed = """\
from .models import LedgerClose, PayrollRun, WorkerPool


class PostingScheduler:
    def __init__(self):
        self.remaining = {pool.name: pool.capacity for pool in WorkerPool.objects.all()}
        self.started = []

    def get_jobs(self, statuses=("pending", "waiting", "running")):
        payrolls = [p for p in PayrollRun.objects.filter(status__in=statuses).prefetch_related("worker_pool")]
        closes = [c for c in LedgerClose.objects.filter(status__in=statuses).prefetch_related("worker_pool")]
        return sorted(payrolls + closes, key=lambda job: job.created)

    def process_pending(self, pending):
        for job in pending:
            pool = job.worker_pool.name
            if self.remaining[pool] < job.impact:
                continue
            self.remaining[pool] -= job.impact
            self.started.append(job.pk)

    def schedule(self):
        all_sorted = self.get_jobs()
        pending = [job for job in all_sorted if job.status == "pending"]
        self.process_pending(pending)
"""

_a3 = {"closing/__init__.py": "", "closing/models.py": _a3_models, "closing/scheduler.py": _a3_scheduler}
CASES.append(
    Case(
        name="awx-only-on-polymorphic-rows",
        source='ansible/awx e24fc43a45: Revert "Only fetch fields we need in task manager"',
        kind="deferred",
        framework="django",
        files=_a3,
        expect=(_at(_a3, "closing/scheduler.py", "for job in pending:"),),
        fixed={"closing/scheduler.py": _a3_scheduler_fixed},
    )
)

"""Real N+1 bugs fixed in Django / DRF projects (baserow, nautobot), retold in an accounting domain.

Each case keeps the layering of the original code (serializer, permission manager, registry, table
render method, tree model, ...) but every name, model and line is our own. `source` names the commit.
"""

from __future__ import annotations

import textwrap

from devset import Case


def _src(text: str) -> str:
    return textwrap.dedent(text)


def _at(files: dict[str, str], path: str, needle: str) -> tuple[str, int]:
    """(path, line) of the single line of files[path] that contains needle."""
    hits = [n for n, line in enumerate(files[path].splitlines(), 1) if needle in line]
    if len(hits) != 1:
        raise ValueError(f"{path}: {needle!r} found on lines {hits}")
    return (path, hits[0])


CASES: list[Case] = []


# --------------------------------------------------------------------------------------------------
# baserow 9c258797e: a ModelSerializer lists a reverse relation; the list view did not prefetch it.
# --------------------------------------------------------------------------------------------------

_LEDGER_MODELS = _src("""\
    from django.db import models


    class Company(models.Model):
        name = models.CharField(max_length=120)


    class Ledger(models.Model):
        company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="ledgers")
        name = models.CharField(max_length=120)
        order = models.PositiveIntegerField(default=0)


    class ImportJob(models.Model):
        ledger = models.ForeignKey(Ledger, on_delete=models.CASCADE, related_name="import_jobs")
        state = models.CharField(max_length=20, default="pending")
        source_file = models.CharField(max_length=255)
    """)

_b1_files = {
    "accounting/__init__.py": "",
    "accounting/models.py": _LEDGER_MODELS,
    "accounting/serializers.py": _src("""\
        from rest_framework import serializers

        from .models import Ledger


        class LedgerSerializer(serializers.ModelSerializer):
            class Meta:
                model = Ledger
                fields = ("id", "name", "order", "company_id", "import_jobs")
                extra_kwargs = {"id": {"read_only": True}, "company_id": {"read_only": True}}
        """),
    "accounting/views.py": _src("""\
        from rest_framework.response import Response
        from rest_framework.views import APIView

        from .models import Company, Ledger
        from .serializers import LedgerSerializer


        class LedgersView(APIView):
            def get(self, request, company_id):
                company = Company.objects.get(pk=company_id)
                ledgers = Ledger.objects.filter(company=company)
                serializer = LedgerSerializer(ledgers, many=True)
                return Response(serializer.data)


        class LedgerView(APIView):
            def get(self, request, ledger_id):
                ledger = Ledger.objects.get(pk=ledger_id)
                return Response(LedgerSerializer(ledger).data)
        """),
}
CASES.append(Case(
    name="baserow-ledger-import-jobs",
    source="baserow 9c258797e: Fix N queries per table in various views.",
    kind="plain",
    framework="drf",
    files=_b1_files,
    expect=(_at(_b1_files, "accounting/views.py", "LedgerSerializer(ledgers, many=True)"),),
    fixed={
        "accounting/serializers.py": _src("""\
            from rest_framework import serializers

            from .models import Ledger


            class LedgerSerializer(serializers.ModelSerializer):
                class Meta:
                    model = Ledger
                    fields = ("id", "name", "order", "company_id")
                    extra_kwargs = {"id": {"read_only": True}, "company_id": {"read_only": True}}


            class LedgerWithImportJobsSerializer(serializers.ModelSerializer):
                class Meta:
                    model = Ledger
                    fields = LedgerSerializer.Meta.fields + ("import_jobs",)
                    extra_kwargs = LedgerSerializer.Meta.extra_kwargs
            """),
        "accounting/views.py": _src("""\
            from rest_framework.response import Response
            from rest_framework.views import APIView

            from .models import Company, Ledger
            from .serializers import LedgerWithImportJobsSerializer


            class LedgersView(APIView):
                def get(self, request, company_id):
                    company = Company.objects.get(pk=company_id)
                    ledgers = Ledger.objects.filter(company=company).prefetch_related("import_jobs")
                    serializer = LedgerWithImportJobsSerializer(ledgers, many=True)
                    return Response(serializer.data)


            class LedgerView(APIView):
                def get(self, request, ledger_id):
                    ledger = Ledger.objects.get(pk=ledger_id)
                    return Response(LedgerWithImportJobsSerializer(ledger).data)
            """),
    },
))


# --------------------------------------------------------------------------------------------------
# baserow 34d45d1bc: SerializerMethodField queried the child table per application; fixed with a
# prefetch added by the application type and the method reading the prefetched reverse manager.
# --------------------------------------------------------------------------------------------------

_b2_files = {
    "books/__init__.py": "",
    "books/models.py": _src("""\
        from django.db import models


        class Company(models.Model):
            name = models.CharField(max_length=120)


        class Book(models.Model):
            company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="books")
            name = models.CharField(max_length=120)
            order = models.PositiveIntegerField(default=0)


        class Ledger(models.Model):
            book = models.ForeignKey(Book, on_delete=models.CASCADE, related_name="ledgers")
            name = models.CharField(max_length=120)
            currency = models.CharField(max_length=3, default="BRL")
        """),
    "books/serializers.py": _src("""\
        from rest_framework import serializers

        from .models import Book, Ledger


        class LedgerSerializer(serializers.ModelSerializer):
            class Meta:
                model = Ledger
                fields = ("id", "name", "currency")


        class BookSerializer(serializers.ModelSerializer):
            ledgers = serializers.SerializerMethodField()

            class Meta:
                model = Book
                fields = ("id", "name", "order", "company", "ledgers")

            def get_ledgers(self, instance):
                ledgers = Ledger.objects.filter(book_id=instance.pk)
                return LedgerSerializer(ledgers, many=True).data
        """),
    "books/views.py": _src("""\
        from rest_framework.response import Response
        from rest_framework.views import APIView

        from .models import Book
        from .serializers import BookSerializer


        class BooksView(APIView):
            def get(self, request, company_id):
                books = Book.objects.select_related("company").filter(company_id=company_id)
                data = [BookSerializer(book, context={"request": request}).data for book in books]
                return Response(data)
        """),
}
CASES.append(Case(
    name="baserow-book-ledgers-method-field",
    source="baserow 34d45d1bc: Reduced number of queries when listing applications",
    kind="untyped-rows",
    framework="drf",
    files=_b2_files,
    expect=(_at(_b2_files, "books/views.py", "for book in books]"),),
    fixed={
        "books/serializers.py": _src("""\
            from rest_framework import serializers

            from .models import Book, Ledger


            class LedgerSerializer(serializers.ModelSerializer):
                class Meta:
                    model = Ledger
                    fields = ("id", "name", "currency")


            class BookSerializer(serializers.ModelSerializer):
                ledgers = serializers.SerializerMethodField()

                class Meta:
                    model = Book
                    fields = ("id", "name", "order", "company", "ledgers")

                def get_ledgers(self, instance):
                    ledgers = instance.ledgers.all()
                    return LedgerSerializer(ledgers, many=True).data
            """),
        "books/views.py": _src("""\
            from rest_framework.response import Response
            from rest_framework.views import APIView

            from .models import Book
            from .serializers import BookSerializer


            def enhance_book_queryset(queryset):
                return queryset.prefetch_related("ledgers")


            class BooksView(APIView):
                def get(self, request, company_id):
                    books = enhance_book_queryset(
                        Book.objects.select_related("company").filter(company_id=company_id)
                    )
                    data = [BookSerializer(book, context={"request": request}).data for book in books]
                    return Response(data)
            """),
    },
))


# --------------------------------------------------------------------------------------------------
# baserow a3cef3456 (1/2): Workspace.has_template() used .exists() (always a query, even with the
# relation prefetched); called for every listed application.  Fix: len(.all()) + prefetch.
# --------------------------------------------------------------------------------------------------

_b3_models = _src("""\
    from functools import lru_cache

    from django.db import models


    class Company(models.Model):
        name = models.CharField(max_length=120)

        @lru_cache
        def is_demo(self):
            return self.demo_templates.all().exists()


    class DemoTemplate(models.Model):
        company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="demo_templates")
        slug = models.SlugField()


    class Book(models.Model):
        company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="books")
        name = models.CharField(max_length=120)
    """)

_b3_files = {
    "books/__init__.py": "",
    "books/models.py": _b3_models,
    "books/permissions.py": _src("""\
        READ_ONLY_ON_DEMO = {"book.read", "book.list"}


        def allowed_on_book(operation, book):
            if operation in READ_ONLY_ON_DEMO and book.company.is_demo():
                return True
            return None
        """),
    "books/views.py": _src("""\
        from .models import Book
        from .permissions import allowed_on_book


        def list_books(user):
            books = Book.objects.select_related("company").filter(company__name__isnull=False)
            out = []
            for book in books:
                if allowed_on_book("book.list", book) is not None:
                    out.append({"id": book.id, "name": book.name, "demo": True})
                else:
                    out.append({"id": book.id, "name": book.name, "demo": False})
            return out
        """),
}
CASES.append(Case(
    name="baserow-company-is-demo-exists",
    source='baserow a3cef3456: Resolve "Login is slow"',
    kind="method-on-row",
    framework="django",
    files=_b3_files,
    expect=(_at(_b3_files, "books/views.py", "for book in books:"),),
    fixed={
        "books/models.py": _b3_models.replace(
            "return self.demo_templates.all().exists()", "return len(self.demo_templates.all()) > 0"
        ),
        "books/views.py": _src("""\
            from .models import Book
            from .permissions import allowed_on_book


            def list_books(user):
                books = (
                    Book.objects.select_related("company")
                    .prefetch_related("company__demo_templates")
                    .filter(company__name__isnull=False)
                )
                out = []
                for book in books:
                    if allowed_on_book("book.list", book) is not None:
                        out.append({"id": book.id, "name": book.name, "demo": True})
                    else:
                        out.append({"id": book.id, "name": book.name, "demo": False})
                return out
            """),
    },
))


# --------------------------------------------------------------------------------------------------
# baserow a3cef3456 (2/2): listing all applications looped over the user's workspaces and, through
# CoreHandler.filter_queryset -> permission manager, ran a membership .exists() per workspace (and
# evaluated values_list per workspace).  Fix: prefetch memberships, test them in Python, union the
# per-workspace querysets lazily.
# --------------------------------------------------------------------------------------------------

_b4_models = _src("""\
    from django.conf import settings
    from django.db import models


    class Company(models.Model):
        name = models.CharField(max_length=120)
        members = models.ManyToManyField(settings.AUTH_USER_MODEL, through="CompanyMember")


    class CompanyMember(models.Model):
        company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="memberships")
        user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
        role = models.CharField(max_length=20, default="viewer")


    class Book(models.Model):
        company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="books")
        name = models.CharField(max_length=120)
        order = models.PositiveIntegerField(default=0)
    """)

_b4_files = {
    "core/__init__.py": "",
    "core/models.py": _b4_models,
    "core/permission_manager.py": _src("""\
        from .models import CompanyMember


        class MemberOnlyPermissionManager:
            def filter_queryset(self, actor, queryset, company):
                in_company = CompanyMember.objects.filter(
                    user_id=actor.id, company_id=company.id
                ).exists()
                if not in_company:
                    return queryset.none()
                return queryset
        """),
    "core/handler.py": _src("""\
        from .permission_manager import MemberOnlyPermissionManager


        class CoreHandler:
            managers = [MemberOnlyPermissionManager()]

            def filter_queryset(self, actor, queryset, company=None):
                for manager in self.managers:
                    queryset = manager.filter_queryset(actor, queryset, company)
                return queryset
        """),
    "core/views.py": _src("""\
        from .handler import CoreHandler
        from .models import Book, Company


        def all_books(request):
            companies = Company.objects.filter(members=request.user)
            book_ids = []
            for company in companies:
                books = Book.objects.filter(company=company)
                books = CoreHandler().filter_queryset(request.user, books, company=company)
                book_ids += books.values_list("id", flat=True)
            return list(Book.objects.filter(id__in=book_ids).order_by("company_id", "order"))
        """),
}
CASES.append(Case(
    name="baserow-company-membership-per-company",
    source='baserow a3cef3456: Resolve "Login is slow"',
    kind="call-graph",
    framework="django",
    files=_b4_files,
    expect=(_at(_b4_files, "core/views.py", "for company in companies:"),),
    fixed={
        "core/permission_manager.py": _src("""\
            class MemberOnlyPermissionManager:
                def filter_queryset(self, actor, queryset, company):
                    in_company = any(m.user_id == actor.id for m in company.memberships.all())
                    if not in_company:
                        return queryset.none()
                    return queryset
            """),
        "core/views.py": _src("""\
            from .handler import CoreHandler
            from .models import Book, Company


            def all_books(request):
                companies = Company.objects.filter(members=request.user).prefetch_related("memberships")
                union_qs = None
                for company in companies:
                    books = Book.objects.filter(company=company)
                    books = CoreHandler().filter_queryset(request.user, books, company=company)
                    union_qs = books if union_qs is None else union_qs.union(books)
                if union_qs is None:
                    return []
                return list(
                    Book.objects.filter(id__in=union_qs.values("id")).order_by("company_id", "order", "id")
                )
            """),
    },
))


# --------------------------------------------------------------------------------------------------
# baserow c34021fa1: a view-type hook queried the field options once per updated field.
# Fix: one query with field__in and select_related of both ends.
# --------------------------------------------------------------------------------------------------

_b5_files = {
    "reports/__init__.py": "",
    "reports/models.py": _src("""\
        from django.db import models


        class Account(models.Model):
            code = models.CharField(max_length=20, unique=True)
            name = models.CharField(max_length=120)

            @property
            def column_key(self):
                return f"acct_{self.code}"


        class SummaryView(models.Model):
            name = models.CharField(max_length=120)


        class SummaryColumnOption(models.Model):
            view = models.ForeignKey(SummaryView, on_delete=models.CASCADE, related_name="column_options")
            account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="column_options")
            aggregation = models.CharField(max_length=30, blank=True, default="")
        """),
    "reports/view_types.py": _src("""\
        from collections import defaultdict

        from .models import SummaryColumnOption


        def clear_cached_totals(view, keys):
            view.cached_keys = [k for k in getattr(view, "cached_keys", []) if k not in keys]


        class SummaryViewType:
            type = "summary"

            def after_accounts_update(self, updated_accounts):
                to_clear = defaultdict(list)
                view_map = {}
                for account in updated_accounts:
                    options = (
                        SummaryColumnOption.objects.filter(account=account)
                        .exclude(aggregation="")
                        .select_related("view")
                    )
                    for option in options:
                        to_clear[option.view.id].append(account.column_key)
                        view_map[option.view.id] = option.view
                for view_id, keys in to_clear.items():
                    clear_cached_totals(view_map[view_id], keys)
        """),
}
CASES.append(Case(
    name="baserow-summary-options-per-account",
    source="baserow c34021fa1: Improve performance of after field update  grid view hook",
    kind="plain",
    framework="django",
    files=_b5_files,
    expect=(_at(_b5_files, "reports/view_types.py", "for account in updated_accounts:"),),
    fixed={
        "reports/view_types.py": _src("""\
            from collections import defaultdict

            from .models import SummaryColumnOption


            def clear_cached_totals(view, keys):
                view.cached_keys = [k for k in getattr(view, "cached_keys", []) if k not in keys]


            class SummaryViewType:
                type = "summary"

                def after_accounts_update(self, updated_accounts):
                    to_clear = defaultdict(list)
                    view_map = {}
                    options = (
                        SummaryColumnOption.objects.filter(account__in=updated_accounts)
                        .exclude(aggregation="")
                        .select_related("view", "account")
                    )
                    for option in options:
                        to_clear[option.view.id].append(option.account.column_key)
                        view_map[option.view.id] = option.view
                    for view_id, keys in to_clear.items():
                        clear_cached_totals(view_map[view_id], keys)
            """),
    },
))


# --------------------------------------------------------------------------------------------------
# baserow da3d0de94: a post_migrate receiver synced default roles with update_or_create per role and
# get_or_create per operation.  Fix: load roles (with their operations) and operations once into
# dicts, bulk_create the missing operations, add/remove only the differences.
# --------------------------------------------------------------------------------------------------

_b6_models = _src("""\
    from django.db import models


    class Permission(models.Model):
        name = models.CharField(max_length=120, unique=True)


    class Role(models.Model):
        uid = models.CharField(max_length=60, unique=True)
        name = models.CharField(max_length=120)
        default = models.BooleanField(default=False)
        permissions = models.ManyToManyField(Permission, related_name="roles")
    """)

_b6_files = {
    "roles/__init__.py": "",
    "roles/models.py": _b6_models,
    "roles/defaults.py": _src("""\
        DEFAULT_ROLES = {
            "bookkeeper": ["invoice.read", "invoice.create", "payment.read"],
            "tax_reviewer": ["invoice.read", "tax.icms.read", "tax.pis.read", "tax.cofins.read"],
            "controller": ["invoice.read", "invoice.approve", "ledger.close", "payment.approve"],
        }
        """),
    "roles/receivers.py": _src("""\
        from django.db import transaction

        from .defaults import DEFAULT_ROLES
        from .models import Permission, Role


        def sync_default_roles_after_migrate(sender, **kwargs):
            with transaction.atomic():
                for role_uid, permission_names in DEFAULT_ROLES.items():
                    role, _ = Role.objects.update_or_create(
                        uid=role_uid, defaults={"name": f"role.{role_uid}", "default": True}
                    )
                    role.permissions.clear()
                    to_add = []
                    for permission_name in permission_names:
                        permission, _ = Permission.objects.get_or_create(name=permission_name)
                        to_add.append(permission)
                    role.permissions.add(*to_add)
        """),
}
CASES.append(Case(
    name="baserow-sync-default-roles",
    source="baserow da3d0de94: Improve sync_default_roles_after_migrate",
    kind="plain",
    framework="django",
    files=_b6_files,
    expect=(
        _at(_b6_files, "roles/receivers.py", "for role_uid, permission_names in"),
        _at(_b6_files, "roles/receivers.py", "for permission_name in permission_names:"),
    ),
    fixed={
        "roles/receivers.py": _src("""\
            from django.db import transaction

            from .defaults import DEFAULT_ROLES
            from .models import Permission, Role


            def sync_default_roles_after_migrate(sender, **kwargs):
                with transaction.atomic():
                    old_roles = {r.uid: r for r in Role.objects.all().prefetch_related("permissions")}
                    old_permissions = {p.name: p for p in Permission.objects.all()}
                    for role_uid, permission_names in DEFAULT_ROLES.items():
                        role = old_roles.get(role_uid)
                        if role is None:
                            role = Role.objects.create(uid=role_uid, name=f"role.{role_uid}", default=True)
                        elif not role.default or role.name != f"role.{role_uid}":
                            role.name = f"role.{role_uid}"
                            role.default = True
                            role.save(update_fields=["name", "default"])
                        created = Permission.objects.bulk_create(
                            [Permission(name=n) for n in permission_names if n not in old_permissions]
                        )
                        old_permissions.update({p.name: p for p in created})
                        current = {p.name for p in role.permissions.all()}
                        wanted = set(permission_names)
                        if wanted - current:
                            role.permissions.add(*[old_permissions[n] for n in wanted - current])
                        if current - wanted:
                            role.permissions.remove(*[old_permissions[n] for n in current - wanted])
            """),
    },
))


# --------------------------------------------------------------------------------------------------
# baserow df1628c86: `.specific` (a cached_property on a content-type polymorphism mixin) fetched the
# subclass row once per object while listing.  Fix: a specific_iterator that loads every subclass
# in one query per content type.
# --------------------------------------------------------------------------------------------------

_b7_files = {
    "core/__init__.py": "",
    "core/mixins.py": _src("""\
        from functools import cached_property

        from django.contrib.contenttypes.models import ContentType


        class PolymorphicContentTypeMixin:
            def _ensure_content_type_is_set(self):
                if not self.content_type_id:
                    self.content_type = ContentType.objects.get_for_model(self)

            @cached_property
            def specific_class(self):
                self._ensure_content_type_is_set()
                return ContentType.objects.get_for_id(self.content_type_id).model_class()

            @cached_property
            def specific(self):
                self._ensure_content_type_is_set()
                content_type = ContentType.objects.get_for_id(self.content_type_id)
                model_class = self.specific_class
                if model_class is None or isinstance(self, model_class):
                    return self
                return content_type.get_object_for_this_type(id=self.id)
        """),
    "payments/__init__.py": "",
    "payments/models.py": _src("""\
        from django.contrib.contenttypes.models import ContentType
        from django.db import models

        from core.mixins import PolymorphicContentTypeMixin


        class BankAccount(models.Model):
            bank_code = models.CharField(max_length=10)
            number = models.CharField(max_length=30)


        class PaymentMethod(PolymorphicContentTypeMixin, models.Model):
            account = models.ForeignKey(BankAccount, on_delete=models.CASCADE, related_name="methods")
            content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
            label = models.CharField(max_length=80)


        class PixMethod(PaymentMethod):
            pix_key = models.CharField(max_length=80)


        class BoletoMethod(PaymentMethod):
            agreement_code = models.CharField(max_length=20)
        """),
    "payments/registries.py": _src("""\
        class PaymentMethodTypeRegistry:
            def get_serialized(self, method):
                specific = method.specific
                data = {"id": specific.id, "label": specific.label, "type": type(specific).__name__}
                for extra in ("pix_key", "agreement_code"):
                    if hasattr(specific, extra):
                        data[extra] = getattr(specific, extra)
                return data


        payment_method_type_registry = PaymentMethodTypeRegistry()
        """),
    "payments/views.py": _src("""\
        from .models import PaymentMethod
        from .registries import payment_method_type_registry


        def list_methods(account_id):
            methods = PaymentMethod.objects.filter(account_id=account_id).select_related("content_type")
            return [payment_method_type_registry.get_serialized(m) for m in methods]
        """),
}
CASES.append(Case(
    name="baserow-specific-per-row",
    source="baserow df1628c86: Performance improvement: implemented specific iterator",
    kind="method-on-row",
    framework="django",
    files=_b7_files,
    expect=(_at(_b7_files, "payments/views.py", "for m in methods]"),),
    fixed={
        "core/db.py": _src("""\
            from collections import defaultdict


            def specific_iterator(queryset):
                rows = list(queryset)
                ids_per_type = defaultdict(list)
                for row in rows:
                    ids_per_type[row.content_type_id].append(row.id)
                specific = {}
                classes = {row.content_type_id: row.content_type.model_class() for row in rows}
                fetched = [
                    classes[type_id].objects.filter(id__in=ids) for type_id, ids in ids_per_type.items()
                ]
                for batch in fetched:
                    specific.update({obj.id: obj for obj in batch})
                return [specific.get(row.id, row) for row in rows]
            """),
        "payments/views.py": _src("""\
            from core.db import specific_iterator

            from .models import PaymentMethod
            from .registries import payment_method_type_registry


            def list_methods(account_id):
                methods = specific_iterator(
                    PaymentMethod.objects.filter(account_id=account_id).select_related("content_type")
                )
                return [payment_method_type_registry.get_serialized(m) for m in methods]
            """),
    },
))


# --------------------------------------------------------------------------------------------------
# baserow 2e624bd2e: the dev fill command called FieldType.random_value for every generated row;
# the file field's version picked attachments with one query each.  Fix: a per-command cache that
# holds one shuffled iterator built by a nested function.
# --------------------------------------------------------------------------------------------------

_b8_files = {
    "devtools/__init__.py": "",
    "devtools/models.py": _src("""\
        from django.db import models


        class Attachment(models.Model):
            original_name = models.CharField(max_length=255)
            unique = models.CharField(max_length=64, unique=True)
            size = models.PositiveIntegerField(default=0)

            def serialize(self):
                return {"name": self.unique, "size": self.size, "visible_name": self.original_name}


        class InvoiceField(models.Model):
            name = models.CharField(max_length=80)
            kind = models.CharField(max_length=20)
        """),
    "devtools/field_types.py": _src("""\
        from random import randint, randrange

        from .models import Attachment


        class AttachmentFieldType:
            type = "attachments"

            def random_value(self, field, fake, cache):
                count_name = f"field_{field.id}_count"
                if count_name not in cache:
                    cache[count_name] = Attachment.objects.all().count()
                count = cache[count_name]
                values = []
                if count == 0:
                    return values
                for _ in range(randrange(0, 3)):
                    attachment = Attachment.objects.all()[randint(0, count - 1)]
                    values.append(attachment.serialize())
                return values


        class TextFieldType:
            type = "text"

            def random_value(self, field, fake, cache):
                return fake.sentence()


        FIELD_TYPES = {"attachments": AttachmentFieldType(), "text": TextFieldType()}
        """),
    "devtools/fill_invoices.py": _src("""\
        from faker import Faker

        from .field_types import FIELD_TYPES
        from .models import InvoiceField


        def fill_invoice_rows(limit):
            fake = Faker()
            cache = {}
            fields = list(InvoiceField.objects.all())
            rows = []
            for _ in range(limit):
                values = {}
                for field in fields:
                    values[field.name] = FIELD_TYPES[field.kind].random_value(field, fake, cache)
                rows.append(values)
            return rows
        """),
}
CASES.append(Case(
    name="baserow-random-attachment-per-row",
    source="baserow 2e624bd2e: Reduce the number of queries for `random_value` resulting in a 10x speedup of fill_table_rows",
    kind="call-graph",
    framework="django",
    files=_b8_files,
    expect=(_at(_b8_files, "devtools/fill_invoices.py", "for _ in range(limit):"),),
    fixed={
        "devtools/field_types.py": _src("""\
            from itertools import cycle
            from random import randrange

            from .models import Attachment


            class AttachmentFieldType:
                type = "attachments"

                def random_value(self, field, fake, cache):
                    count_name = f"field_{field.id}_count"
                    queryset_name = f"field_{field.id}_queryset"
                    if count_name not in cache:
                        cache[count_name] = Attachment.objects.all().count()
                    count = cache[count_name]
                    if count == 0:
                        return []

                    def get_random_objects_iterator(limit=10000):
                        qs = Attachment.objects.order_by("?")
                        if count > limit:
                            return qs.iterator(chunk_size=limit)
                        return cycle(qs.all())

                    if queryset_name not in cache:
                        cache[queryset_name] = get_random_objects_iterator()
                    picked = cache[queryset_name]
                    values = []
                    for _ in range(randrange(0, min(3, count))):
                        try:
                            values.append(next(picked).serialize())
                        except StopIteration:
                            cache[queryset_name] = get_random_objects_iterator()
                    return values


            class TextFieldType:
                type = "text"

                def random_value(self, field, fake, cache):
                    return fake.sentence()


            FIELD_TYPES = {"attachments": AttachmentFieldType(), "text": TextFieldType()}
            """),
    },
))


# --------------------------------------------------------------------------------------------------
# nautobot 21ffae8548: a django-tables2 style render_summary(record) ran four filtered counts on the
# record's log entries for every row.  Fix: annotate the four counts on the list queryset.
# The models use a project base class re-exported from another module.
# --------------------------------------------------------------------------------------------------

_n1_files = {
    "core/__init__.py": "",
    "core/models.py": _src("""\
        import uuid

        from django.db import models


        class BaseModel(models.Model):
            id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)

            class Meta:
                abstract = True
        """),
    "imports/__init__.py": "",
    "imports/models.py": _src("""\
        from django.db import models

        from core.models import BaseModel


        class ImportResult(BaseModel):
            name = models.CharField(max_length=255)
            created = models.DateTimeField(auto_now_add=True)
            payload = models.JSONField(null=True)


        class ImportLogEntry(BaseModel):
            import_result = models.ForeignKey(ImportResult, on_delete=models.CASCADE, related_name="log_entries")
            level = models.CharField(max_length=10)
            message = models.TextField()
        """),
    "imports/tables.py": _src("""\
        class ImportResultTable:
            def __init__(self, data):
                self.data = data

            def render_summary(self, record):
                entries = record.log_entries.all()
                debug = entries.filter(level="debug").count()
                info = entries.filter(level="info").count()
                warning = entries.filter(level="warning").count()
                error = entries.filter(level__in=["error", "critical"]).count()
                return f"{debug}/{info}/{warning}/{error}"

            def rows(self):
                return [{"name": r.name, "summary": self.render_summary(r)} for r in self.data]
        """),
    "imports/views.py": _src("""\
        from .models import ImportResult
        from .tables import ImportResultTable


        class ImportResultListView:
            queryset = ImportResult.objects.defer("payload").prefetch_related("log_entries")

            def get(self, request):
                table = ImportResultTable(self.queryset.all())
                return table.rows()
        """),
}
CASES.append(Case(
    name="nautobot-import-result-log-counts",
    source="nautobot 21ffae8548: A few performance updates (#5024)",
    kind="call-graph",
    framework="django",
    files=_n1_files,
    expect=(_at(_n1_files, "imports/tables.py", "for r in self.data]"),),
    fixed={
        "imports/tables.py": _src("""\
            class ImportResultTable:
                def __init__(self, data):
                    self.data = data

                def render_summary(self, record):
                    return (
                        f"{record.debug_count}/{record.info_count}/"
                        f"{record.warning_count}/{record.error_count}"
                    )

                def rows(self):
                    return [{"name": r.name, "summary": self.render_summary(r)} for r in self.data]
            """),
        "imports/views.py": _src("""\
            from django.db.models import Count, Q

            from .models import ImportResult
            from .tables import ImportResultTable


            def get_annotated_import_result_queryset():
                return ImportResult.objects.defer("payload").annotate(
                    debug_count=Count("log_entries", filter=Q(log_entries__level="debug")),
                    info_count=Count("log_entries", filter=Q(log_entries__level="info")),
                    warning_count=Count("log_entries", filter=Q(log_entries__level="warning")),
                    error_count=Count("log_entries", filter=Q(log_entries__level__in=["error", "critical"])),
                )


            class ImportResultListView:
                queryset = get_annotated_import_result_queryset()

                def get(self, request):
                    table = ImportResultTable(self.queryset.all())
                    return table.rows()
            """),
    },
))


# --------------------------------------------------------------------------------------------------
# nautobot 3d64dc3e8a: the change-log table's object column read the GenericForeignKey of every row.
# Fix: the table prefetches the GFK when that column is shown.
# --------------------------------------------------------------------------------------------------

_n2_files = {
    "audit/__init__.py": "",
    "audit/models.py": _src("""\
        from django.contrib.contenttypes.fields import GenericForeignKey
        from django.contrib.contenttypes.models import ContentType
        from django.db import models


        class AuditEntry(models.Model):
            time = models.DateTimeField(auto_now_add=True)
            user_name = models.CharField(max_length=150)
            action = models.CharField(max_length=20)
            changed_object_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
            changed_object_id = models.PositiveIntegerField()
            changed_object = GenericForeignKey("changed_object_type", "changed_object_id")
            object_repr = models.CharField(max_length=200)
        """),
    "audit/tables.py": _src("""\
        class AuditEntryTable:
            columns = ("time", "user_name", "action", "object_repr")

            def __init__(self, data, visible=None):
                self.data = data
                self.visible = visible or self.columns

            def render_object_repr(self, record):
                target = record.changed_object
                if target is not None and hasattr(target, "get_absolute_url"):
                    return f'<a href="{target.get_absolute_url()}">{record.object_repr}</a>'
                return record.object_repr

            def as_rows(self):
                rows = []
                for record in self.data:
                    row = [str(record.time), record.user_name, record.action]
                    if "object_repr" in self.visible:
                        row.append(self.render_object_repr(record))
                    rows.append(row)
                return rows
        """),
    "audit/views.py": _src("""\
        from .models import AuditEntry
        from .tables import AuditEntryTable


        def audit_log(request):
            entries = AuditEntry.objects.select_related("changed_object_type").order_by("-time")
            return AuditEntryTable(entries).as_rows()
        """),
}
CASES.append(Case(
    name="nautobot-audit-entry-changed-object",
    source="nautobot 3d64dc3e8a: improves change log list view performance (#7613)",
    kind="untyped-rows",
    framework="django",
    files=_n2_files,
    expect=(_at(_n2_files, "audit/tables.py", "for record in self.data:"),),
    fixed={
        "audit/tables.py": _src("""\
            from django.db.models import QuerySet


            class AuditEntryTable:
                columns = ("time", "user_name", "action", "object_repr")

                def __init__(self, data, visible=None):
                    self.data = data
                    self.visible = visible or self.columns
                    self.add_conditional_prefetch("object_repr", "changed_object")

                def add_conditional_prefetch(self, column, lookup):
                    if column in self.visible and isinstance(self.data, QuerySet):
                        self.data = self.data.prefetch_related(lookup)

                def render_object_repr(self, record):
                    target = record.changed_object
                    if target is not None and hasattr(target, "get_absolute_url"):
                        return f'<a href="{target.get_absolute_url()}">{record.object_repr}</a>'
                    return record.object_repr

                def as_rows(self):
                    rows = []
                    for record in self.data:
                        row = [str(record.time), record.user_name, record.action]
                        if "object_repr" in self.visible:
                            row.append(self.render_object_repr(record))
                        rows.append(row)
                    return rows
            """),
    },
))


# --------------------------------------------------------------------------------------------------
# nautobot 3266339724: Prefix.get_utilization() (a model method on a django-tree-queries TreeNode)
# iterated self.children.only(...).iterator() per row of the list table; .iterator() also defeats
# any prefetch.  Fix: self.children.all() + a Prefetch("children", only(...)) added by the table.
# (The original method also ran a second per-row query for pool addresses, which the fix kept;
# it is left out here.)
# --------------------------------------------------------------------------------------------------

_n3_models = _src("""\
    from decimal import Decimal

    from django.db import models
    from tree_queries.models import TreeNode


    class CostCenter(TreeNode):
        name = models.CharField(max_length=120)
        budget = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0"))

        def get_utilization(self):
            allocated = sum(
                (child.budget for child in self.children.only("budget").iterator()), Decimal("0")
            )
            return allocated, self.budget
    """)

_n3_files = {
    "costs/__init__.py": "",
    "costs/models.py": _n3_models,
    "costs/tables.py": _src("""\
        class CostCenterTable:
            def __init__(self, data):
                self.data = data

            def render_utilization(self, record):
                used, total = record.get_utilization()
                return "0%" if not total else f"{used * 100 / total:.0f}%"

            def rows(self):
                return [(r.name, self.render_utilization(r)) for r in self.data]
        """),
    "costs/views.py": _src("""\
        from .models import CostCenter
        from .tables import CostCenterTable


        def cost_center_list(request):
            table = CostCenterTable(CostCenter.objects.all())
            return table.rows()
        """),
}
CASES.append(Case(
    name="nautobot-cost-center-utilization",
    source="nautobot 3266339724: improves performance for prefix list view by optimizing the utilization calculation (#7518)",
    kind="method-on-row",
    framework="django",
    files=_n3_files,
    expect=(_at(_n3_files, "costs/tables.py", "for r in self.data]"),),
    fixed={
        "costs/models.py": _n3_models.replace(
            'self.children.only("budget").iterator()', "self.children.all()"
        ),
        "costs/tables.py": _src("""\
            from django.db.models import Prefetch, QuerySet

            from .models import CostCenter


            class CostCenterTable:
                def __init__(self, data):
                    if isinstance(data, QuerySet):
                        data = data.prefetch_related(
                            Prefetch(
                                "children",
                                queryset=CostCenter.objects.only("budget", "parent_id").order_by(),
                            )
                        )
                    self.data = data

                def render_utilization(self, record):
                    used, total = record.get_utilization()
                    return "0%" if not total else f"{used * 100 / total:.0f}%"

                def rows(self):
                    return [(r.name, self.render_utilization(r)) for r in self.data]
            """),
    },
))


# --------------------------------------------------------------------------------------------------
# nautobot 04d8c14ffb: the VRF detail panel listed device/VM/VDC assignments and read the three
# nullable foreign keys of each row.  Fix: select_related on the panel's queryset.
# --------------------------------------------------------------------------------------------------

_n4_files = {
    "banking/__init__.py": "",
    "banking/models.py": _src("""\
        from django.db import models


        class Client(models.Model):
            name = models.CharField(max_length=120)


        class Supplier(models.Model):
            name = models.CharField(max_length=120)


        class Branch(models.Model):
            name = models.CharField(max_length=120)


        class BankAccount(models.Model):
            bank_code = models.CharField(max_length=10)
            number = models.CharField(max_length=30)


        class AccountAssignment(models.Model):
            bank_account = models.ForeignKey(BankAccount, on_delete=models.CASCADE, related_name="assignments")
            client = models.ForeignKey(Client, null=True, blank=True, on_delete=models.CASCADE)
            supplier = models.ForeignKey(Supplier, null=True, blank=True, on_delete=models.CASCADE)
            branch = models.ForeignKey(Branch, null=True, blank=True, on_delete=models.CASCADE)
        """),
    "banking/panels.py": _src("""\
        from .models import AccountAssignment


        class AssignmentsPanel:
            def __init__(self, select_related_fields=None):
                self.select_related_fields = select_related_fields or []

            def get_rows(self, bank_account):
                queryset = AccountAssignment.objects.filter(bank_account=bank_account)
                if self.select_related_fields:
                    queryset = queryset.select_related(*self.select_related_fields)
                rows = []
                for assignment in queryset:
                    rows.append(
                        {
                            "client": assignment.client.name if assignment.client else "",
                            "supplier": assignment.supplier.name if assignment.supplier else "",
                            "branch": assignment.branch.name if assignment.branch else "",
                        }
                    )
                return rows
        """),
    "banking/views.py": _src("""\
        from .models import BankAccount
        from .panels import AssignmentsPanel

        ASSIGNMENTS_PANEL = AssignmentsPanel()


        def bank_account_detail(request, pk):
            account = BankAccount.objects.get(pk=pk)
            return {"account": account, "assignments": ASSIGNMENTS_PANEL.get_rows(account)}
        """),
}
CASES.append(Case(
    name="nautobot-account-assignment-holders",
    source="nautobot 04d8c14ffb: Fixed multiple N+1 query patterns on the VRF detail view (#8891)",
    kind="plain",
    framework="django",
    files=_n4_files,
    expect=(_at(_n4_files, "banking/panels.py", "for assignment in queryset:"),),
    fixed={
        "banking/views.py": _src("""\
            from .models import BankAccount
            from .panels import AssignmentsPanel

            ASSIGNMENTS_PANEL = AssignmentsPanel(select_related_fields=["client", "supplier", "branch"])


            def bank_account_detail(request, pk):
                account = BankAccount.objects.get(pk=pk)
                return {"account": account, "assignments": ASSIGNMENTS_PANEL.get_rows(account)}
            """),
    },
))


# --------------------------------------------------------------------------------------------------
# nautobot 873d498e0f: schema generation walked the feature registry (app -> model names) and looked
# up each model's ContentType with a query.  Fix: the registry keeps model classes, no lookup at all.
# --------------------------------------------------------------------------------------------------

_n5_files = {
    "billing/__init__.py": "",
    "billing/models.py": _src("""\
        from django.db import models


        class Invoice(models.Model):
            number = models.CharField(max_length=30)
            total = models.DecimalField(max_digits=14, decimal_places=2)


        class Payment(models.Model):
            invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="payments")
            amount = models.DecimalField(max_digits=14, decimal_places=2)
        """),
    "reporting/__init__.py": "",
    "reporting/registry.py": _src("""\
        registry = {
            "model_features": {"reporting": {"billing": ["invoice", "payment"]}},
            "report_types": {},
        }


        def register_report_model(app_label, model_name):
            registry["model_features"]["reporting"].setdefault(app_label, []).append(model_name)
        """),
    "reporting/schema.py": _src("""\
        import logging

        from django.contrib.contenttypes.models import ContentType

        from .registry import registry

        logger = logging.getLogger(__name__)


        def build_report_type(app_label, model):
            return {"app": app_label, "model": model.__name__, "fields": [f.name for f in model._meta.fields]}


        def generate_report_types():
            registered = registry["model_features"].get("reporting", {})
            for app_label, model_names in registered.items():
                for model_name in model_names:
                    try:
                        model = ContentType.objects.get(app_label=app_label, model=model_name).model_class()
                    except ContentType.DoesNotExist:
                        logger.warning("no content type for %s.%s", app_label, model_name)
                        continue
                    identifier = f"{app_label}.{model_name}"
                    if identifier in registry["report_types"]:
                        continue
                    registry["report_types"][identifier] = build_report_type(app_label, model)
            return registry["report_types"]
        """),
}
CASES.append(Case(
    name="nautobot-report-schema-contenttype-lookup",
    source="nautobot 873d498e0f: Improve GraphQL schema generation performance (#7633)",
    kind="third-party",
    framework="django",
    files=_n5_files,
    expect=(_at(_n5_files, "reporting/schema.py", "for model_name in model_names:"),),
    fixed={
        "reporting/registry.py": _src("""\
            registry = {
                "feature_models": {"reporting": []},
                "report_types": {},
            }


            def register_report_model(model):
                registry["feature_models"]["reporting"].append(model)
            """),
        "reporting/schema.py": _src("""\
            import logging

            from .registry import registry

            logger = logging.getLogger(__name__)


            def build_report_type(app_label, model):
                return {"app": app_label, "model": model.__name__, "fields": [f.name for f in model._meta.fields]}


            def generate_report_types():
                for model in registry["feature_models"].get("reporting", []):
                    identifier = model._meta.label_lower
                    if identifier in registry["report_types"]:
                        continue
                    registry["report_types"][identifier] = build_report_type(model._meta.app_label, model)
                return registry["report_types"]
            """),
    },
))


# --------------------------------------------------------------------------------------------------
# nautobot 3473b23a03: CustomField.to_form_field() read self.custom_field_choices twice (list + a
# .filter(value=default).first()) and forms/CSV helpers looped over every custom field of a model.
# Fix: a `choices` property backed by the Django cache, used by every caller.
# --------------------------------------------------------------------------------------------------

_n6_models = _src("""\
    from django.db import models


    class CustomField(models.Model):
        name = models.CharField(max_length=60, unique=True)
        label = models.CharField(max_length=120)
        type = models.CharField(max_length=20)
        applies_to = models.CharField(max_length=60)
        default = models.CharField(max_length=120, blank=True, default="")

        def to_form_field(self):
            choices = [(c.value, c.value) for c in self.custom_field_choices.all()]
            default_choice = self.custom_field_choices.filter(value=self.default).first()
            if default_choice is None:
                choices = [("", "---------")] + choices
            return {"label": self.label, "choices": choices, "initial": self.default or None}


    class CustomFieldChoice(models.Model):
        custom_field = models.ForeignKey(
            CustomField, on_delete=models.CASCADE, related_name="custom_field_choices"
        )
        value = models.CharField(max_length=120)
        weight = models.PositiveIntegerField(default=100)
    """)

_n6_files = {
    "extras/__init__.py": "",
    "extras/models.py": _n6_models,
    "extras/forms.py": _src("""\
        from .models import CustomField


        class CustomFieldFormMixin:
            model_name = "invoice"

            def __init__(self):
                self.fields = {}
                self._append_custom_fields()

            def _append_custom_fields(self):
                for cf in CustomField.objects.filter(applies_to=self.model_name, type="select"):
                    self.fields[f"cf_{cf.name}"] = cf.to_form_field()
        """),
}
CASES.append(Case(
    name="nautobot-custom-field-form-choices",
    source="nautobot 3473b23a03: Add cacheable CustomField.choices property as a performance improvement (#6837)",
    kind="method-on-row",
    framework="django",
    files=_n6_files,
    expect=(_at(_n6_files, "extras/forms.py", "for cf in CustomField.objects.filter"),),
    fixed={
        "extras/models.py": _src("""\
            from django.core.cache import cache
            from django.db import models


            class CustomField(models.Model):
                name = models.CharField(max_length=60, unique=True)
                label = models.CharField(max_length=120)
                type = models.CharField(max_length=20)
                applies_to = models.CharField(max_length=60)
                default = models.CharField(max_length=120, blank=True, default="")

                @property
                def choices_cache_key(self):
                    return f"extras.customfield.choices.{self.pk}"

                @property
                def choices(self):
                    choices = cache.get(self.choices_cache_key)
                    if choices is None:
                        choices = list(
                            self.custom_field_choices.order_by("weight", "value").values_list("value", flat=True)
                        )
                        cache.set(self.choices_cache_key, choices)
                    return choices

                def to_form_field(self):
                    choices = [(value, value) for value in self.choices]
                    if self.default not in self.choices:
                        choices = [("", "---------")] + choices
                    return {"label": self.label, "choices": choices, "initial": self.default or None}


            class CustomFieldChoice(models.Model):
                custom_field = models.ForeignKey(
                    CustomField, on_delete=models.CASCADE, related_name="custom_field_choices"
                )
                value = models.CharField(max_length=120)
                weight = models.PositiveIntegerField(default=100)
            """),
    },
))


# --------------------------------------------------------------------------------------------------
# nautobot d0f868c9f4 (1/2): the JobResult API viewset serialized job_model and obj_type of each row
# while prefetching only "user".  Fix: prefetch the other two relations as well.
# --------------------------------------------------------------------------------------------------

_IMPORT_JOB_MODELS = _src("""\
    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType
    from django.db import models


    class ImportJob(models.Model):
        name = models.CharField(max_length=120)
        class_path = models.CharField(max_length=255, unique=True)

        def get_absolute_url(self):
            return f"/imports/jobs/{self.pk}/"


    class ImportResult(models.Model):
        name = models.CharField(max_length=255)
        job_model = models.ForeignKey(ImportJob, null=True, on_delete=models.SET_NULL, related_name="results")
        obj_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
        user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
        status = models.CharField(max_length=20)
    """)

_n7_files = {
    "imports/__init__.py": "",
    "imports/models.py": _IMPORT_JOB_MODELS,
    "imports/serializers.py": _src("""\
        from rest_framework import serializers

        from .models import ImportResult


        class ImportResultSerializer(serializers.ModelSerializer):
            job_name = serializers.CharField(source="job_model.name", read_only=True)
            obj_type = serializers.CharField(source="obj_type.model", read_only=True)
            user = serializers.CharField(source="user.username", read_only=True)

            class Meta:
                model = ImportResult
                fields = ("id", "name", "status", "job_name", "obj_type", "user")
        """),
    "imports/api_views.py": _src("""\
        from rest_framework.viewsets import ModelViewSet

        from .models import ImportResult
        from .serializers import ImportResultSerializer


        class ImportResultViewSet(ModelViewSet):
            queryset = ImportResult.objects.prefetch_related("user")
            serializer_class = ImportResultSerializer
        """),
}
CASES.append(Case(
    name="nautobot-import-result-api-prefetch",
    source="nautobot d0f868c9f4: Optimize repeated lookups of `JobResult` objects and related fields (#1699)",
    kind="plain",
    framework="drf",
    files=_n7_files,
    expect=(_at(_n7_files, "imports/api_views.py", "queryset = ImportResult.objects"),),
    fixed={
        "imports/api_views.py": _src("""\
            from rest_framework.viewsets import ModelViewSet

            from .models import ImportResult
            from .serializers import ImportResultSerializer


            class ImportResultViewSet(ModelViewSet):
                queryset = ImportResult.objects.prefetch_related("job_model", "obj_type", "user")
                serializer_class = ImportResultSerializer
            """),
    },
))


# --------------------------------------------------------------------------------------------------
# nautobot d0f868c9f4 (2/2): a linkify callback passed to the result table compared each record's
# obj_type with ContentType.objects.get(...) -- a fresh query per row -- and then read the record's
# related object.  Fix: a cached content-type getter and a "linked_record" column that uses the
# prefetched job_model.
# --------------------------------------------------------------------------------------------------

_n8_files = {
    "imports/__init__.py": "",
    "imports/models.py": _IMPORT_JOB_MODELS,
    "imports/tables.py": _src("""\
        from django.contrib.contenttypes.models import ContentType


        def result_link(record):
            if record.obj_type == ContentType.objects.get(app_label="imports", model="importjob"):
                return f"/imports/jobs/by-path/{record.name}/"
            return None


        class ImportResultTable:
            linkifiers = {"name": result_link}

            def __init__(self, data):
                self.data = data

            def render(self):
                rendered = []
                for record in self.data:
                    cells = {"name": record.name, "status": record.status}
                    for column, linkify in self.linkifiers.items():
                        cells[f"{column}_url"] = linkify(record)
                    rendered.append(cells)
                return rendered
        """),
    "imports/views.py": _src("""\
        from .models import ImportResult
        from .tables import ImportResultTable


        def import_result_list(request):
            table = ImportResultTable(ImportResult.objects.select_related("user"))
            return table.render()
        """),
}
CASES.append(Case(
    name="nautobot-result-link-contenttype-callback",
    source="nautobot d0f868c9f4: Optimize repeated lookups of `JobResult` objects and related fields (#1699)",
    kind="call-graph",
    framework="django",
    files=_n8_files,
    expect=(_at(_n8_files, "imports/tables.py", "for record in self.data:"),),
    fixed={
        "imports/tables.py": _src("""\
            def linked_record_url(record):
                if record.job_model is not None:
                    return record.job_model.get_absolute_url()
                return None


            class ImportResultTable:
                linkifiers = {"linked_record": linked_record_url}

                def __init__(self, data):
                    self.data = data

                def render(self):
                    rendered = []
                    for record in self.data:
                        cells = {"name": record.name, "status": record.status}
                        for column, linkify in self.linkifiers.items():
                            cells[f"{column}_url"] = linkify(record)
                        rendered.append(cells)
                    return rendered
            """),
        "imports/views.py": _src("""\
            from .models import ImportResult
            from .tables import ImportResultTable


            def import_result_list(request):
                queryset = ImportResult.objects.select_related("user").prefetch_related("job_model", "obj_type")
                table = ImportResultTable(queryset)
                return table.render()
            """),
    },
))

"""Per-row queries in code only staff reach (analysis/staff_only.py): a list behind DRF's `IsAdminUser`, a page
behind a project's `@moderator_required`, a Django admin method. Each is a positive, flagged at `low` with the reason
(tests/test_staff_only.py checks the exact severity, line and message); the same view open to every signed-in user
keeps its severity."""

from .row_examples import SERIALIZERS, SQLA_MIXIN_MODELS, billing_app

# a moderation queue of invoices: every row's client serialised, at most a few staff members page through it
_QUEUE = '''
from rest_framework import generics, permissions
from .models import Invoice
from .serializers import InvoiceSerializer


class ReviewQueue(generics.ListAPIView):
    serializer_class = InvoiceSerializer
    permission_classes = ({permission},)

    def get_queryset(self):
        return Invoice.objects.filter(total__gt=0)
'''
NP103_STAFF_LOWERED = billing_app(_QUEUE.format(permission="permissions.IsAdminUser"), **{"billing/serializers.py": SERIALIZERS})
NP103_STAFF_KEPT = billing_app(_QUEUE.format(permission="permissions.IsAuthenticated"), **{"billing/serializers.py": SERIALIZERS})

# a page of the project's own moderation area, guarded by a decorator the project defines
NP107_STAFF_LOWERED = billing_app('''
from django.utils.decorators import method_decorator
from django.views.generic import ListView
from .decorators import moderator_required
from .models import Invoice


@method_decorator(moderator_required, name="dispatch")
class FlaggedInvoices(ListView):
    template_name = "billing/flagged.html"

    def get_queryset(self):
        return Invoice.objects.filter(total__gt=0)
''', **{"billing/decorators.py": '''
from django.contrib.auth.decorators import user_passes_test


def moderator_required(function):
    return user_passes_test(lambda user: user.is_authenticated and user.is_staff)(function)
''', "billing/templates/billing/flagged.html": '''{% for invoice in object_list %}
<p>{{ invoice.client.name }}: {{ invoice.total }}</p>
{% endfor %}
'''})

# a staff page behind a project's decorator handed a test of the staff flag (les emplois' `@check_user`, round 62)
NP101_STAFF_TEST_LOWERED = billing_app('''
from .decorators import check_user
from .models import Client, Invoice


@check_user(lambda user: user.is_staff)
def resend(request):
    for invoice in Invoice.objects.filter(total__gt=0):
        Client.objects.get(pk=invoice.client_id)
''', **{"billing/decorators.py": '''
def check_user(test):
    def wrap(view):
        return view
    return wrap
'''})
NP101_STAFF_TEST_KEPT = {**NP101_STAFF_TEST_LOWERED, "billing/views.py": NP101_STAFF_TEST_LOWERED["billing/views.py"].replace(
    "user.is_staff", "user.is_authenticated")}

# an API view behind the project's own `@utils.admin`, which requires the cloud administrator's role (Adjutant, round 80)
NP101_ADMIN_ROLE_LOWERED = billing_app('''
from . import utils
from .models import Client, Invoice


class Reminders:
    @utils.admin
    def get(self, request):
        for invoice in Invoice.objects.filter(total__gt=0):
            Client.objects.get(pk=invoice.client_id)
''', **{"billing/utils.py": '''
def admin(func):
    def wrapped(self, request):
        if "admin" not in request.roles:
            raise PermissionError("admin role required")
        return func(self, request)
    return wrapped
'''})
NP101_ADMIN_ROLE_KEPT = {**NP101_ADMIN_ROLE_LOWERED, "billing/views.py": NP101_ADMIN_ROLE_LOWERED["billing/views.py"].replace(
    "@utils.admin", "@utils.audited")}

# a column of the Django admin's change list that queries per row, and an admin action over the picked rows
NP101_ADMIN_LOWERED = billing_app('''
from .models import Invoice
''', **{"billing/admin.py": '''
from django.contrib import admin
from .models import Client, Invoice


@admin.register(Invoice)
class InvoiceAdmin(admin.ModelAdmin):
    list_display = ["id", "total"]

    def audit(self, request):
        for invoice in Invoice.objects.all():
            Client.objects.get(pk=invoice.client_id)


def nightly_audit():
    for invoice in Invoice.objects.all():
        Client.objects.get(pk=invoice.client_id)
'''})

# the same admin in a project that builds its own AdminSite: the admin is the product its users work in (Django-CRM)
NP101_PRODUCT_ADMIN_KEPT = {**NP101_ADMIN_LOWERED, "billing/sites.py": '''
from django.contrib import admin


class BillingSite(admin.AdminSite):
    site_header = "Billing"
'''}

# a helper that only a staff page calls: the mailing a staff member sends to the clients of the invoices they picked
# (PonyConf's `cfp/emails.py` behind `@staff_required`, ESP's forms behind `@admin_required`; judged RARE, rounds 44-46)
_REMIND = '''
from .models import Invoice


def remind(invoices):
    return [f"{invoice.client.name}: {invoice.total}" for invoice in invoices]
'''
_REMIND_VIEW = '''
from django.contrib.admin.views.decorators import staff_member_required
from .mailing import remind
from .models import Invoice


@staff_member_required
def send_reminders(request):
    return remind(Invoice.objects.filter(total__gt=0))
'''
NP103_STAFF_HELPER_LOWERED = billing_app(_REMIND_VIEW, **{"billing/mailing.py": _REMIND})
# the same helper a page every signed-in user opens calls too
NP103_STAFF_HELPER_KEPT = billing_app(_REMIND_VIEW + '''

def my_reminders(request):
    return remind(Invoice.objects.filter(total__gt=0))
''', **{"billing/mailing.py": _REMIND})

# a Flask-Admin view of invoices: a project base on Flask-Admin's `ModelView`, and an action of a view derived from it,
# that loads each selected invoice's client (SimpleLogin's `UserAdmin(SLModelView)`, round 50: judged RARE); low
_FLASK_ADMIN_BASE = '''
from flask_admin.contrib import sqla


class BooksModelView(sqla.ModelView):
    page_size = 100
'''
_FLASK_ADMIN_VIEW = '''
from flask_admin.actions import action
from sqlalchemy import select
from sqlalchemy.orm import Session
from .admin_base import BooksModelView
from .models import Invoice


class InvoiceAdmin(BooksModelView):
    @action("remind", "Remind")
    def action_remind(self, ids):
        session = Session()
        for invoice in session.scalars(select(Invoice).where(Invoice.id.in_(ids))):
            print(invoice.client.name)
'''
NP104_FLASK_ADMIN_LOWERED = {"books/__init__.py": "", "books/models.py": SQLA_MIXIN_MODELS, "books/admin_base.py": _FLASK_ADMIN_BASE,
                             "books/invoice_admin.py": _FLASK_ADMIN_VIEW}
# the same class on a plain Flask `MethodView`, which every signed-in user reaches: kept
NP104_FLASK_VIEW_KEPT = {**NP104_FLASK_ADMIN_LOWERED, "books/admin_base.py": _FLASK_ADMIN_BASE.replace(
    "from flask_admin.contrib import sqla", "from flask.views import MethodView").replace("sqla.ModelView", "MethodView")}

# a shop's management pages behind Django's PermissionRequiredMixin with a permission to run the site (LFS's
# `permission_required = "core.manage_shop"`, round 60: 13 judged N RARE): low
NP103_MANAGE_PERMISSION_LOWERED = billing_app('''
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.views.generic import TemplateView
from .models import Invoice


class InvoiceListView(PermissionRequiredMixin, TemplateView):
    permission_required = "billing.manage_shop"

    def get_context_data(self, **kwargs):
        return {"names": [inv.client.name for inv in Invoice.objects.all()]}
''')

# a moderation page behind Django's own permission to change any row (zds-site's `@permission_required(
# "member.change_profile")` and `permission_required = "tutorialv2.change_validation"`, round 105: 6 judged N RARE): low
NP103_MODEL_PERMISSION_LOWERED = billing_app('''
from django.contrib.auth.decorators import permission_required
from django.shortcuts import render
from .models import Invoice


@permission_required("billing.change_invoice", raise_exception=True)
def disputed(request):
    return render(request, "disputed.html", {"names": [inv.client.name for inv in Invoice.objects.filter(disputed=True)]})
''')
# the same permission checked against one invoice (django-rules' `fn=`), which the invoice's owner may hold: kept
NP103_ROW_PERMISSION_KEPT = billing_app(NP103_MODEL_PERMISSION_LOWERED["billing/views.py"].replace(
    '"billing.change_invoice", raise_exception=True', '"billing.change_invoice", fn=lambda request: request.user'))

# a FastAPI route behind a dependency that admits admins only (onyx's `Depends(require_permission(Permission.
# FULL_ADMIN_PANEL_ACCESS))` and `@admin_router.get(...)`, round 100: judged N RARE): low
_FASTAPI_ROUTE = '''
from fastapi import APIRouter, Depends
from sqlalchemy import select
from sqlalchemy.orm import Session
from .auth import current_admin_user, current_user
from .models import Invoice

router = APIRouter()


@router.get("/invoices/clients")
def client_names(db: Session, user=Depends({dependency})):
    return [invoice.client.name for invoice in db.scalars(select(Invoice))]
'''
NP104_FASTAPI_ADMIN_LOWERED = {"books/__init__.py": "", "books/models.py": SQLA_MIXIN_MODELS, "books/auth.py": "",
                               "books/routes.py": _FASTAPI_ROUTE.format(dependency="current_admin_user")}
NP104_FASTAPI_USER_KEPT = {**NP104_FASTAPI_ADMIN_LOWERED, "books/routes.py": _FASTAPI_ROUTE.format(dependency="current_user")}

# a Pyramid view whose permission is an admin page's (Hypothesis's `permission=Permission.AdminPage.HIGH_RISK`, round
# 107: judged N RARE): low; the same view behind a reader's permission: kept
_PYRAMID_VIEW = '''
from pyramid.view import view_config
from .models import Invoice
from .security import Permission


@view_config(route_name="invoices.clients", renderer="json", permission=Permission.{permission})
def client_names(request):
    return [invoice.client.name for invoice in request.db.query(Invoice).all()]
'''
NP104_PYRAMID_ADMIN_LOWERED = {"books/__init__.py": "", "books/models.py": SQLA_MIXIN_MODELS, "books/security.py": "",
                               "books/views.py": _PYRAMID_VIEW.format(permission="AdminPage.HIGH_RISK")}
NP104_PYRAMID_READER_KEPT = {**NP104_PYRAMID_ADMIN_LOWERED, "books/views.py": _PYRAMID_VIEW.format(permission="Invoice.READ")}

# a Flask dashboard behind the project's `@only_admins` (Zeeguu's user and crawl statistics, round 134: 7 judged N RARE
# and 3 CACHED, none worth acting on); the same route behind a login only keeps its finding
_FLASK_STATS = '''
import flask
from .wrappers import only_admins, requires_session
from .models import Client, Invoice

api = flask.Blueprint("api", __name__)


@api.route("/client_stats")
@requires_session
@only_admins
def client_stats():
    return {inv.pk: Client.objects.get(pk=inv.client_id).name for inv in Invoice.objects.filter(total__gt=0)}
'''
_FLASK_WRAPPERS = '''
import functools

import flask


def requires_session(view):
    return view


def only_admins(view):
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if not flask.g.user.is_admin:
            flask.abort(401)
        return view(*args, **kwargs)
    return wrapped
'''
NP101_ONLY_ADMINS_LOWERED = billing_app(_FLASK_STATS, **{"billing/wrappers.py": _FLASK_WRAPPERS})
NP101_SESSION_ONLY_KEPT = billing_app(_FLASK_STATS.replace("@only_admins\n", ""), **{"billing/wrappers.py": _FLASK_WRAPPERS})

# a route behind a decorator that requires a role, named by a constant (ContentDB's `@rank_required(UserRank.MODERATOR)`,
# round 137; RootTheBox's `@authorized(ADMIN_PERMISSION)`, round 135: judged RARE); a member's rank keeps the finding
_FLASK_RANKED = '''
import flask
from .wrappers import {decorator}, UserRank, ADMIN_PERMISSION, USER_PERMISSION
from .models import Client, Invoice

api = flask.Blueprint("api", __name__)


@api.route("/overdue")
@{decorator}({rank})
def overdue():
    return {{inv.pk: Client.objects.get(pk=inv.client_id).name for inv in Invoice.objects.filter(total__gt=0)}}
'''
_RANK_WRAPPERS = '''
import enum

ADMIN_PERMISSION, USER_PERMISSION = "admin", "user"


class UserRank(enum.Enum):
    MEMBER = 1
    MODERATOR = 2


def rank_required(rank):
    return lambda view: view


authorized = rank_required
'''


def ranked(decorator: str, rank: str) -> dict[str, str]:
    return billing_app(_FLASK_RANKED.format(decorator=decorator, rank=rank), **{"billing/wrappers.py": _RANK_WRAPPERS})


NP101_MODERATOR_RANK_LOWERED = ranked("rank_required", "UserRank.MODERATOR")
NP101_MEMBER_RANK_KEPT = ranked("rank_required", "UserRank.MEMBER")
NP101_ADMIN_PERMISSION_LOWERED = ranked("authorized", "ADMIN_PERMISSION")
NP101_USER_PERMISSION_KEPT = ranked("authorized", "USER_PERMISSION")

# every route of a Flask blueprint named for the admin (EMF's `@admin.route(...)` pages, round 146: judged N RARE); a
# blueprint named for anything else keeps the finding
_BLUEPRINT = '''
import flask
from .models import Client, Invoice

{name} = flask.Blueprint("{name}", __name__)


@{name}.route("/overdue")
def overdue():
    return {{inv.pk: Client.objects.get(pk=inv.client_id).name for inv in Invoice.objects.filter(total__gt=0)}}
'''
NP101_ADMIN_BLUEPRINT_LOWERED = billing_app(_BLUEPRINT.format(name="admin"))
NP101_SHOP_BLUEPRINT_KEPT = billing_app(_BLUEPRINT.format(name="shop"))

# the same route behind fence's `@admin_login_required` (round 158): lowered
NP101_ADMIN_LOGIN_LOWERED = billing_app(_FLASK_STATS.replace("only_admins", "admin_login_required"),
                                        **{"billing/wrappers.py": _FLASK_WRAPPERS.replace("only_admins", "admin_login_required")})

# a form view kept in `admin.py` that an admin action renders, and the import it runs (the Observation Portal's proposal
# import from CSV, round 158: 4 judged RARE): lowered; the same view and import in `views.py`, for every user: kept
_IMPORT_VIEW = '''
import csv
import io

from django import forms
from django.views.generic import FormView

from .models import Client, Invoice


class ImportForm(forms.Form):
    csv_file = forms.FileField()


class ImportInvoicesView(FormView):
    form_class = ImportForm

    def form_valid(self, form):
        import_rows(form.files["csv_file"])
        return super().form_valid(form)


def import_rows(csv_file):
    for row in csv.DictReader(io.TextIOWrapper(csv_file)):
        client = Client.objects.get(email__iexact=row["client_email"])
        Invoice.objects.create(client=client, number=row["number"], total=row["total"])
'''
NP101_ADMIN_IMPORT_VIEW_LOWERED = billing_app("", **{"billing/admin.py": _IMPORT_VIEW})
NP101_IMPORT_VIEW_KEPT = billing_app(_IMPORT_VIEW)

STAFF_POSITIVE = {"NP101": [NP101_ADMIN_BLUEPRINT_LOWERED, NP101_SHOP_BLUEPRINT_KEPT, NP101_ADMIN_LOWERED, NP101_PRODUCT_ADMIN_KEPT, NP101_STAFF_TEST_LOWERED, NP101_STAFF_TEST_KEPT,
                            NP101_ADMIN_ROLE_LOWERED, NP101_ADMIN_ROLE_KEPT, NP101_ONLY_ADMINS_LOWERED, NP101_SESSION_ONLY_KEPT,
                            NP101_MODERATOR_RANK_LOWERED, NP101_MEMBER_RANK_KEPT, NP101_ADMIN_PERMISSION_LOWERED,
                            NP101_USER_PERMISSION_KEPT, NP101_ADMIN_LOGIN_LOWERED, NP101_ADMIN_IMPORT_VIEW_LOWERED,
                            NP101_IMPORT_VIEW_KEPT], "NP103": [NP103_STAFF_LOWERED, NP103_STAFF_KEPT, NP103_STAFF_HELPER_LOWERED, NP103_STAFF_HELPER_KEPT,
                                                                                   NP103_MANAGE_PERMISSION_LOWERED, NP103_MODEL_PERMISSION_LOWERED,
                                                                                   NP103_ROW_PERMISSION_KEPT], "NP107": [NP107_STAFF_LOWERED],
                  "NP104": [NP104_FLASK_ADMIN_LOWERED, NP104_FLASK_VIEW_KEPT, NP104_FASTAPI_ADMIN_LOWERED, NP104_FASTAPI_USER_KEPT,
                            NP104_PYRAMID_ADMIN_LOWERED, NP104_PYRAMID_READER_KEPT]}

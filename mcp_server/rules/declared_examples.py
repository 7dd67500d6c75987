"""NP103 examples of eager loading declared away from the query: lists a viewset inherits or builds from other lists
(a shared module list, another class's list, the registered admin's `list_select_related` merged by a mixin), and
an admin whose base is the project's own ModelAdmin subclass, and an import-export resource's per-row method, which runs
on the rows of the export queryset of the admin that names it (`resource_class`), querysets combined with `|=`
onto an empty one, and rows a model method returns from its own related manager (`self.events.filter(...)`), whose
way back to that one object (`event.campaign`) is cached, a helper returning the queryset a view passes it, and a
count annotated onto the rows by such a helper, which shadows the cached_property of that name, and a viewset whose
routes map only one-row actions (`as_view({"get": "retrieve"})`), whose list never runs. Each negative is served;
each positive is not."""

from .row_examples import SERIALIZERS, billing_app

# the project's base viewset: applies the lists a subclass declares, plus the registered admin's to-one list
_BASE = '''
from django.contrib import admin
from rest_framework import viewsets
class EagerViewSet(viewsets.ModelViewSet):
    select_related = None
    prefetch_related = None
    def get_queryset(self):
        qs = super().get_queryset()
        registered = admin.site._registry.get(qs.model)
        more = list(registered.list_select_related) if registered else []
        return qs.select_related(*(self.select_related or []), *more).prefetch_related(*(self.prefetch_related or []))
'''

_SHARED = '''
SHARED_PREFETCH = ["payments"]
'''

_ADMIN = '''
from django.contrib import admin
from .models import Invoice
@admin.register(Invoice)
class InvoiceAdmin(admin.ModelAdmin):
    list_select_related = ["client"]
'''

# an admin on a project base class (in another module): whether that base derives from ModelAdmin decides
_CLIENT_ADMIN = '''
from .base_admin import CompanyAdmin
class ClientAdmin(CompanyAdmin):
    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("invoices__payments")
    def payment_counts(self, obj):
        return ", ".join(str(len(inv.payments.all())) for inv in obj.invoices.all())
'''

# a viewset whose lists come from its parent viewset (`payments`), and from the registered admin when the base merges it
_INHERITED = '''
from .base import EagerViewSet
from .models import Invoice
from .serializers import InvoiceSerializer
class PaidViewSet(EagerViewSet):
    prefetch_related = ["payments"]
class InvoiceViewSet(PaidViewSet):
    queryset = Invoice.objects.all()
    serializer_class = InvoiceSerializer
'''

# a Prefetch built on the line before and passed by name: its queryset's own eager loading serves the inner loop
_NAMED_PREFETCH = '''
from django.db.models import Prefetch
from .models import Client, Invoice
def statement():
    with_payments = Prefetch("invoices", queryset=Invoice.objects{inner})
    out = []
    for client in Client.objects.prefetch_related(with_payments):
        for inv in client.invoices.all():
            out.append(len(inv.payments.all()))
    return out
'''

# a manager's own get_queryset() eager-loads what its other methods' `self.filter(...)` rows are read for
_MANAGER_MODELS = '''
from django.db import models
class Course(models.Model):
    code = models.CharField(max_length=20)
class OfferingManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset(){eager}
    def open(self):
        return self.filter(enrolment_open=True)
class Offering(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE)
    enrolment_open = models.BooleanField(default=True)
    objects = OfferingManager()
'''
_MANAGER_VIEW = '''
from .models import Offering
def open_codes():
    return [offering.course.code for offering in Offering.objects.open()]
'''


def _offerings(eager: str) -> dict[str, str]:
    return {"courses/__init__.py": "", "courses/models.py": _MANAGER_MODELS.format(eager=eager), "courses/views.py": _MANAGER_VIEW}


# a viewset and the one route that maps it to actions
_ROUTED = '''
from django.urls import path
from rest_framework import viewsets
from .models import Invoice
from .serializers import InvoiceSerializer
class InvoiceViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Invoice.objects.all()
    serializer_class = InvoiceSerializer
urlpatterns = [path("invoices/<int:pk>", InvoiceViewSet.as_view({actions}))]
'''


DECLARED_NEGATIVE = [
    # one list built from a shared module list and another class's list, on a viewset in its own module
    billing_app('''
from .admin import InvoiceAdmin
from .base import EagerViewSet
from .models import Invoice
from .serializers import InvoiceSerializer
from .shared import SHARED_PREFETCH
class InvoiceViewSet(EagerViewSet):
    queryset = Invoice.objects.all()
    serializer_class = InvoiceSerializer
    select_related = InvoiceAdmin.list_select_related + []
    prefetch_related = SHARED_PREFETCH + ["payments"]
''', **{"billing/serializers.py": SERIALIZERS, "billing/base.py": _BASE, "billing/shared.py": _SHARED, "billing/admin.py": _ADMIN}),
    # the lists inherited from a parent viewset, and the registered admin's list merged by the base
    billing_app(_INHERITED, **{"billing/serializers.py": SERIALIZERS, "billing/base.py": _BASE, "billing/admin.py": _ADMIN}),
    # a project base viewset's get_queryset() adds the list's eager loading to `super().get_queryset()`, which is
    # the subclass's own `queryset`
    billing_app('''
from .base import ListEagerViewSet
from .models import Invoice
from .serializers import InvoiceSerializer
class InvoiceViewSet(ListEagerViewSet):
    queryset = Invoice.objects.all()
    serializer_class = InvoiceSerializer
''', **{"billing/serializers.py": SERIALIZERS, "billing/base.py": '''
from rest_framework import viewsets
class ListEagerViewSet(viewsets.ModelViewSet):
    def get_queryset(self):
        qs = super().get_queryset()
        if getattr(self, "action", "") == "list":
            qs = qs.select_related("client").prefetch_related("payments")
        return qs
'''}),
    # a viewset routed only for one row (`as_view({"get": "retrieve"})`): its list never runs
    billing_app(_ROUTED.format(actions='{"get": "retrieve"}'), **{"billing/serializers.py": SERIALIZERS}),
    # the admin derives from the project's own ModelAdmin subclass, in another module
    billing_app(_CLIENT_ADMIN, **{"billing/base_admin.py": '''
from django.contrib import admin
class CompanyAdmin(admin.ModelAdmin):
    list_per_page = 50
'''}),
]

DECLARED_POSITIVE = [
    # the inherited list lacks the relation serialised (the client), and no admin is registered to add it
    billing_app(_INHERITED, **{"billing/serializers.py": SERIALIZERS, "billing/base.py": _BASE}),
    # the same admin whose base is a plain class, not a ModelAdmin: nothing says get_queryset serves these rows
    billing_app(_CLIENT_ADMIN, **{"billing/base_admin.py": '''
class CompanyAdmin:
    list_per_page = 50
'''}),
]

_EXPORT_ADMIN = '''
from django.contrib import admin
from import_export.admin import ImportExportModelAdmin
from .models import Client
from .resources import ClientResource
@admin.register(Client)
class ClientAdmin(ImportExportModelAdmin):
    resource_class = ClientResource
    def get_export_queryset(self, request):
        return Client.objects.prefetch_related({lookups})
'''

_RESOURCE = '''
from import_export import resources
from .models import Client
class ClientResource(resources.ModelResource):
    class Meta:
        model = Client
    def dehydrate_payment_counts(self, client):
        return ",".join(str(len(inv.payments.all())) for inv in client.invoices.all())
'''

# the export queryset prefetches what the resource's per-row method reads
DECLARED_NEGATIVE.append(billing_app("", **{"billing/admin.py": _EXPORT_ADMIN.format(lookups='"invoices__payments"'), "billing/resources.py": _RESOURCE}))
# it prefetches the invoices, not their payments
DECLARED_POSITIVE.append(billing_app("", **{"billing/admin.py": _EXPORT_ADMIN.format(lookups='"invoices"'), "billing/resources.py": _RESOURCE}))

DECLARED_POSITIVE += [
    # the named Prefetch loads the invoices but not their payments
    billing_app(_NAMED_PREFETCH.format(inner=".all()")),
    # the manager's get_queryset() orders its rows but loads no course
    _offerings(".order_by(\"id\")"),
]
DECLARED_NEGATIVE += [
    billing_app(_NAMED_PREFETCH.format(inner='.prefetch_related("payments")')),
    _offerings('.select_related("course")'),
]

# an empty queryset combined with `|=` in a loop: Django's `none() | qs` is `qs`, its prefetch included
_COMBINED = '''
from .models import Invoice


def labels(days):
    invoices = Invoice.objects.none()
    for day in days:
        invoices |= Invoice.objects.filter(payments__paid_on=day){eager}
    return [inv.client.name for inv in invoices]
'''
DECLARED_NEGATIVE.append(billing_app(_COMBINED.format(eager='.select_related("client")')))
DECLARED_POSITIVE.append(billing_app(_COMBINED.format(eager="")))

# rows a model method returns from its own related manager: each row's `campaign` is that one campaign, cached on
# the rows by Django, so what is read through it is read once; through another relation, once per row
_CAMPAIGNS = '''
from django.db import models


class Org(models.Model):
    name = models.CharField(max_length=40)


class Flow(models.Model):
    name = models.CharField(max_length=40)


class Campaign(models.Model):
    org = models.ForeignKey(Org, on_delete=models.CASCADE)

    def get_events(self):
        return self.events.filter(active=True)

    def archive(self):
        return [event.label() for event in self.get_events()]


class Event(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="events")
    flow = models.ForeignKey(Flow, on_delete=models.CASCADE)
    active = models.BooleanField(default=True)

    def label(self):
        return f"{{self.{path}.name}}: {{self.pk}}"
'''


def _campaigns(path: str) -> dict[str, str]:
    return {"flows/__init__.py": "", "flows/models.py": _CAMPAIGNS.format(path=path)}


DECLARED_NEGATIVE.append(_campaigns("campaign.org"))
DECLARED_POSITIVE.append(_campaigns("flow"))

# a mixin's helper that returns the queryset it is given, refined (`return queryset.filter(...)`): the rows are what
# each view passes, whatever the other views (over other models) pass it
_REFINED = '''
from .models import Client, Invoice


class DateFilterMixin:
    def filter_before(self, queryset, field):
        if field:
            queryset = queryset.filter(**{{f"{{field}}__lt": 3}})
        return queryset


class ClientList(DateFilterMixin):
    def get_queryset(self):
        return self.filter_before(Client.objects.all(), "created")


class InvoiceList(DateFilterMixin):
    def get_queryset(self):
        queryset = Invoice.objects.all(){eager}
        return self.filter_before(queryset, "due")

    def names(self):
        return [inv.client.name for inv in self.get_queryset()]
'''
DECLARED_NEGATIVE.append(billing_app(_REFINED.format(eager='.select_related("client")')))
DECLARED_POSITIVE.append(billing_app(_REFINED.format(eager="")))

# a count annotated onto the rows (by a classmethod the view hands its queryset to) shadows the cached_property of
# that name, which would count per row; without the annotation the property runs for each row
_EVALUATIONS = '''
from django.db import models
from django.db.models import Count
from django.utils.functional import cached_property


class Course(models.Model):
    name = models.CharField(max_length=40)


class Evaluation(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="evaluations")
    voters = models.ManyToManyField("auth.User")

    @cached_property
    def num_voters(self):
        return self.voters.count()

    @classmethod
    def annotate_with_voter_counts(cls, evaluations):
        return evaluations.annotate(num_voters=Count("voters"))
'''
_VOTER_COUNTS = '''
from .models import Evaluation


def with_counts(course):
    evaluations = course.evaluations.order_by("pk")
    return {counted}


def turnout(course):
    return [e.num_voters for e in with_counts(course)]
'''


def _evaluations(counted: str) -> dict[str, str]:
    return {"evals/__init__.py": "", "evals/models.py": _EVALUATIONS, "evals/views.py": _VOTER_COUNTS.format(counted=counted)}


DECLARED_NEGATIVE.append(_evaluations("Evaluation.annotate_with_voter_counts(evaluations)"))
# the same helper's result bound to the name it was given, then looped over where it is bound
DECLARED_NEGATIVE.append({"evals/__init__.py": "", "evals/models.py": _EVALUATIONS, "evals/report.py": '''
from .models import Evaluation


def turnout(course):
    evaluations = course.evaluations.order_by("pk")
    evaluations = Evaluation.annotate_with_voter_counts(evaluations)
    return [e.num_voters for e in evaluations]
'''})
DECLARED_POSITIVE.append(_evaluations("evaluations"))

DECLARED_POSITIVE += [
    # the viewset routed for one row above, routed for its list too
    billing_app(_ROUTED.format(actions='{"get": "list"}'), **{"billing/serializers.py": SERIALIZERS}),
]

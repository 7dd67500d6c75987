"""A manager method that returns `super(CommitteeManager, self).filter(...)` returns its model's rows. Once the managers a
model imports from a `managers.py` were read (round 180), Amelie's `Committee.objects.active_at(dt)` became a call whose
rows the scan could not see, and two per-committee counts fell to `low`; they are the rows of a query."""

_MANAGERS = '''
from django.db import models
from django.db.models import Q


class CommitteeManager(models.Manager):
    def active_at(self, when):
        return super(CommitteeManager, self).filter(Q(abolished__isnull=True) | Q(abolished__gt=when))
'''
_MODELS = '''
from django.db import models

from .managers import CommitteeManager


class Committee(models.Model):
    name = models.CharField(max_length=80)
    abolished = models.DateField(null=True)

    objects = CommitteeManager()


class Function(models.Model):
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE)
    end = models.DateField(null=True)
'''
_VIEWS = '''
from django.http import JsonResponse
from django.utils import timezone

from .models import Committee, Function


def committee_sizes(request):
    now = timezone.now().date()
    return JsonResponse({c.name: Function.objects.filter(committee=c, end__isnull=True).count()
                         for c in Committee.objects.active_at(now)})
'''
# (found, high) a count per committee over the rows the manager method returns
NP101_MANAGER_METHOD_ROWS = {"manage.py": "", "members/__init__.py": "", "members/managers.py": _MANAGERS,
                             "members/models.py": _MODELS, "members/views.py": _VIEWS, "members/urls.py": '''
from django.urls import path

from .views import committee_sizes

urlpatterns = [path("sizes/", committee_sizes)]
'''}

"""Eager loading the rows get from somewhere other than the loop's own query (round 180: nine findings judged
PREFETCHED). A manager made by `TaskManager.from_queryset(TaskQuerySet)()` keeps TaskManager's `get_queryset()`, which
joins what every task list reads (Laws.Africa's Indigo), also when both come from a `managers.py` (DejaCode's
`DataspacedManager`: the managers a model imports were not read at all); a `Prefetch` object defined at another module's top and passed
by name (`prefetch_related(external_references_prefetch)`: AboutCode's DejaCode) loads its lookup; and a relation to an
installed package's model (`from countries_plus.models import Country as MasterCountry`) is not to the project's own
model of the same name (Indigo's `Country.country`, which was taken for a relation to itself)."""

_MODELS = '''
from countries_plus.models import Country as MasterCountry
from django.db import models

from .managers import TaskManager, TaskQuerySet


class CountryManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().select_related("country")


class Country(models.Model):
    country = models.OneToOneField(MasterCountry, on_delete=models.CASCADE)

    objects = CountryManager()

    @property
    def name(self):
        return self.country.name


class Reviewer(models.Model):
    name = models.CharField(max_length=80)


class Task(models.Model):
    state = models.CharField(max_length=20)
    reviewer = models.ForeignKey(Reviewer, on_delete=models.PROTECT)
    country = models.ForeignKey(Country, on_delete=models.PROTECT)

    objects = TaskManager.from_queryset(TaskQuerySet)()


class Reference(models.Model):
    task = models.ForeignKey(Task, related_name="references", on_delete=models.CASCADE)
    url = models.URLField()
'''
# (imported, as most projects keep them: the index reads them where they are defined)
_MANAGERS = '''
from django.db import models


class TaskQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state="open")


class TaskManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().select_related("reviewer")
'''
_PREFETCHES = '''
from django.db.models import Prefetch

from .models import Reference

references_prefetch = Prefetch("references", queryset=Reference.objects.order_by("url"))
'''
_VIEWS = '''
from django.http import JsonResponse

from .models import Country, Task
from .prefetches import references_prefetch


def open_tasks(request):
    return JsonResponse({t.pk: t.reviewer.name for t in Task.objects.open()})


def task_links(request):
    tasks = Task.objects.prefetch_related(references_prefetch)
    return JsonResponse({t.pk: [r.url for r in t.references.all()] for t in tasks})


def countries(request):
    return JsonResponse({c.pk: c.name for c in Country.objects.all()})
'''
_FILES = {"manage.py": "", "work/__init__.py": "", "work/models.py": _MODELS, "work/managers.py": _MANAGERS, "work/prefetches.py": _PREFETCHES,
          "work/views.py": _VIEWS, "work/urls.py": '''
from django.urls import path

from .views import countries, open_tasks, task_links

urlpatterns = [path("open/", open_tasks), path("links/", task_links), path("countries/", countries)]
'''}

# no NP103: the task manager joins the reviewer, the named Prefetch loads the references, the country manager joins
# the package's country (the one relation `c.name` reads)
LOADED_ELSEWHERE = _FILES
# NP103 (found twice) the same with Django's own manager for the tasks, and the Prefetch object for another relation
LOADED_NOWHERE = {**_FILES, "work/models.py": _MODELS.replace("TaskManager.from_queryset", "models.Manager.from_queryset"),
                  "work/prefetches.py": _PREFETCHES.replace('Prefetch("references"', 'Prefetch("country"')}

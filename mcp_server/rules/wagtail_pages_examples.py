"""Wagtail pages. A page type declaring `max_count = 1` exists at most once, so a loop over its rows walks one row
(DriveBC's EmergencyAlert, round 178: two findings judged SMALL): `low`, saying so (table_sizes.py). And a page's
`get_children()` given as an `__in` lookup is a subquery of the query it is embedded in, not a query of its own (the same
serializer was reported twice for one statement, `SubPage.objects.filter(page_ptr__in=obj.get_children())`)."""

_MODELS = '''
from django.db import models
from wagtail.models import Page


class Region(models.Model):
    name = models.CharField(max_length=80)


class Notice(Page):
    max_count = 1
    region = models.ForeignKey(Region, on_delete=models.PROTECT)


class Bulletin(Page):
    region = models.ForeignKey(Region, on_delete=models.PROTECT)


class SubPage(Page):
    body = models.TextField()
'''
_VIEWS = '''
from django.http import JsonResponse

from .models import Bulletin, Notice, SubPage


def notices(request):
    return JsonResponse({"notices": [f"{n.title}: {n.region.name}" for n in Notice.objects.filter(live=True)]})


def bulletins(request):
    out = {}
    for bulletin in Bulletin.objects.filter(live=True):
        out[bulletin.title] = list(SubPage.objects.filter(page_ptr__in=bulletin.get_children()).values_list("title", flat=True))
    return JsonResponse(out)
'''
_FILES = {"manage.py": "", "cms/__init__.py": "", "cms/models.py": _MODELS, "cms/views.py": _VIEWS, "cms/urls.py": '''
from django.urls import path

from .views import bulletins, notices

urlpatterns = [path("notices/", notices), path("bulletins/", bulletins)]
'''}

# NP103 (found, low) the one Notice's region; NP101 (found once, high) the subpages of each bulletin, whose
# `get_children()` is a subquery of that query
WAGTAIL_PAGES = _FILES
# NP103 (found, high) the same read on pages of a type without `max_count`
WAGTAIL_PAGES_UNBOUNDED = {**_FILES, "cms/models.py": _MODELS.replace("    max_count = 1\n", "")}

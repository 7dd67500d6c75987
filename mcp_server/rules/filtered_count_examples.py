"""A per-row count of a relation the loop's query filters on. `Count("organizations")` annotated on
`Entry.objects.filter(organizations=org)` reuses the filter's join, so it counts only the organisation the filter matched:
1 for every entry. dm_apps' capacity report and its citations API (round 179) were offered that annotation, judged
WRONGFIX where the rows were one project's references (the count guarded a Delete button: shared citations would have
become deletable). Where the query filters on the relation it counts, the fix is `prefetch_related()`, whose own query is
not filtered; elsewhere the annotation stays, saying where it would go wrong."""

_MODELS = '''
from django.db import models


class Organization(models.Model):
    name = models.CharField(max_length=80)


class Entry(models.Model):
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=20)
    organizations = models.ManyToManyField(Organization, related_name="entries")
'''
_REPORT = '''
from django.http import HttpResponse

from .models import Entry, Organization


def capacity_report(request, org_id):
    org = Organization.objects.get(pk=org_id)
    rows = []
    for entry in Entry.objects.filter(organizations=org):
        rows.append(f"{entry.title};{entry.organizations.count()}")
    return HttpResponse("\\n".join(rows))
'''
_FILES = {"manage.py": "", "ihub/__init__.py": "", "ihub/models.py": _MODELS, "ihub/reports.py": _REPORT,
          "ihub/urls.py": '''
from django.urls import path

from .reports import capacity_report

urlpatterns = [path("capacity/<int:org_id>/", capacity_report)]
'''}

# (found: `prefetch_related("organizations")`, not a Count) the query filters on the relation it counts
NP103_COUNT_FILTERED_ON = _FILES
# (found: the annotated Count, with its caveat) the query filters on a column
NP103_COUNT_FILTERED_ELSEWHERE = {**_FILES, "ihub/reports.py": _REPORT.replace(
    "Entry.objects.filter(organizations=org)", 'Entry.objects.filter(status="open")')}

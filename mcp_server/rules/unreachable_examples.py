"""Code after an unconditional `return`: statdev's approval view ended with `return` ("compliance creation is now handled
by a cron script") above the loop that created a Compliance per condition (round 178: three PF201 findings judged DEAD).
The statements after a `return`, `raise`, `continue` or `break` in the same block never run (analysis/unreachable.py)."""

_MODELS = '''
from django.db import models


class Application(models.Model):
    title = models.CharField(max_length=200)


class Condition(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE)
    text = models.TextField()


class Compliance(models.Model):
    condition = models.ForeignKey(Condition, on_delete=models.CASCADE)
    due_date = models.DateField(null=True)
'''
_VIEWS = '''
from django.http import HttpResponse

from .models import Application, Compliance, Condition


def approve(request, pk):
    app = Application.objects.get(pk=pk)
    # compliance creation moved to the nightly job
    return HttpResponse("approved")

    conditions = Condition.objects.filter(application=app)
    for condition in conditions:
        Compliance.objects.create(condition=condition, due_date=None)
    return HttpResponse("approved")
'''
_FILES = {"manage.py": "", "permits/__init__.py": "", "permits/models.py": _MODELS, "permits/views.py": _VIEWS,
          "permits/urls.py": '''
from django.urls import path

from .views import approve

urlpatterns = [path("approve/<int:pk>/", approve)]
'''}

# no finding: the loop sits after the view's `return`
PF201_AFTER_RETURN = _FILES
# (found, medium: the conditions of one application) the same loop with the early `return` removed
PF201_BEFORE_RETURN = {**_FILES, "permits/views.py": _VIEWS.replace(
    '    # compliance creation moved to the nightly job\n    return HttpResponse("approved")\n\n', "")}

# a handler that calls a function named for raising before anything else (MetaboLights' deprecated `put`, opening with
# `raise_deprecation_error(request)`: round 183, 3 judged DEAD); one that checks a response (`raise_for_status()`) goes on
_DEPRECATED = '''
import requests

from .models import Condition
from .permissions import raise_deprecation_error


def push_conditions(request):
    {first}
    for condition in Condition.objects.all():
        requests.put(f"https://registry.example/conditions/{{condition.pk}}", json={{"text": condition.text}}, timeout=10)
'''
_RAISER = "def raise_deprecation_error(request):\n    raise PermissionError(f'{request.path} is deprecated')\n"
_SYNC_URLS = "from django.urls import path\n\nfrom .sync import push_conditions\n\nurlpatterns = [path('push/', push_conditions)]\n"


def _sync(first: str) -> dict[str, str]:
    return {**_FILES, "permits/permissions.py": _RAISER, "permits/sync.py": _DEPRECATED.format(first=first), "permits/urls.py": _SYNC_URLS}


NP105_AFTER_RAISING_CALL = _sync("raise_deprecation_error(request)")
NP105_AFTER_STATUS_CHECK = _sync('requests.get("https://registry.example/ping", timeout=5).raise_for_status()')

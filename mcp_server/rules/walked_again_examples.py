"""NP103 through a row's method on a queryset a function walks again (n_plus_one_relations._loaded_before): iSkyLIMS's
statistics page walks one queryset of services three times, each time reading its requester through
`service.get_user_name()` (round 168: the first loop judged true, the other two CACHED). Django caches the queryset's
rows on the first walk and each row keeps the user it loaded, so only the first loop queries; a loop over a new query
loads the user again, and so does a walk in the other branch of an `if` (one of them runs, not both)."""

_MODELS = '''from django.contrib.auth.models import User
from django.db import models


class Service(models.Model):
    requester = models.ForeignKey(User, on_delete=models.CASCADE)
    state = models.CharField(max_length=20)
    created = models.DateField()

    def requester_name(self):
        return self.requester.username
'''
_VIEW = '''from collections import Counter

from .models import Service


def statistics(request, start, end):
    services = Service.objects.filter(created__range=(start, end))
    per_user = Counter(service.requester_name() for service in services)
    per_state = Counter(service.state for service in services)
    active = Counter(service.requester_name() for service in {})
    return per_user, per_state, active
'''
_LAB = {"manage.py": "", "lab/__init__.py": "", "lab/models.py": _MODELS,
        "lab/urls.py": "from django.urls import path\nfrom .views import statistics\n\nurlpatterns = [path('stats/', statistics)]\n"}

NP103_QUERYSET_WALKED_AGAIN = {**_LAB, "lab/views.py": _VIEW.format("services")}
NP103_NEW_QUERY_WALKED = {**_LAB, "lab/views.py": _VIEW.format('Service.objects.filter(state="active")')}

# the same queryset walked in either branch of an `if`: one runs, so each loads the users once (both reported)
NP103_WALKED_IN_EITHER_BRANCH = {**_LAB, "lab/views.py": '''from .models import Service


def statistics(request, start, end):
    services = Service.objects.filter(created__range=(start, end))
    if request.GET.get("by") == "user":
        names = [service.requester_name() for service in services]
    else:
        names = sorted(service.requester_name() for service in services)
    return names
'''}

"""A loop over the rows a one-to-one field selects: at most one row (n_plus_one_common.one_object_origin). Horilla binds
`EmployeeWorkInformation.objects.filter(employee_id=employee)` to a name and loops over it to read the one row's
company (round 131: 3 judged N SMALL at `medium`, "that is one query, not N+1"); its field is itself named `employee_id`.
Found at `low`, saying so; the same filter over a foreign key stays `medium`, one employee's rows. So with a field declared
`unique=True`: Inter-Actief's Amelie reads the person of `RFIDCard.objects.filter(code=code)` (round 157, judged N SMALL:
"the code is unique, so the comprehension walks at most one card")."""

_MODELS = '''
from django.db import models


class Company(models.Model):
    name = models.CharField(max_length=80)


class Employee(models.Model):
    name = models.CharField(max_length=80)


class WorkInfo(models.Model):
    employee_id = models.OneToOneField(Employee, on_delete=models.CASCADE, related_name="work_info")
    company_id = models.ForeignKey(Company, on_delete=models.CASCADE)
'''
_VIEW = '''
from django.http import JsonResponse

from .models import WorkInfo


def company_of(request):
    info = WorkInfo.objects.filter(employee_id=request.user.employee)
    name = None
    for data in info:
        name = data.company_id.name
    return JsonResponse({"company": name})
'''
_URLS = '''
from django.urls import path

from . import views

urlpatterns = [path("company/", views.company_of)]
'''
NP103_ONE_TO_ONE_LOCAL = {"manage.py": "", "hr/__init__.py": "", "hr/models.py": _MODELS, "hr/views.py": _VIEW, "hr/urls.py": _URLS}
NP103_FOREIGN_KEY_LOCAL = {**NP103_ONE_TO_ONE_LOCAL, "hr/models.py": _MODELS.replace("OneToOneField", "ForeignKey")}

_CARDS = '''
from django.db import models


class Person(models.Model):
    name = models.CharField(max_length=80)


class Card(models.Model):
    code = models.CharField(max_length=32, unique=True)
    person = models.ForeignKey(Person, on_delete=models.CASCADE)
'''
_REGISTER = '''
from django.http import JsonResponse

from .models import Card


def holder(request, code):
    people = [card.person.name for card in Card.objects.filter(code=code)]
    return JsonResponse({"people": people})
'''
_REGISTER_URLS = '''
from django.urls import path

from . import views

urlpatterns = [path("holder/<str:code>/", views.holder)]
'''
NP103_UNIQUE_FIELD = {"manage.py": "", "tab/__init__.py": "", "tab/models.py": _CARDS, "tab/views.py": _REGISTER, "tab/urls.py": _REGISTER_URLS}
NP103_SHARED_FIELD = {**NP103_UNIQUE_FIELD, "tab/models.py": _CARDS.replace(", unique=True", "")}

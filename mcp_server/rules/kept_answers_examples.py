"""Rounds 235 to 240: answers a service keeps on itself, branches that leave the loop, code nothing runs.

- a method that hands back the answer it keeps on its object (`if self._template: return self._template`) and fills it
  below: one query per service, not per item (League Manager's placeholder service, round 235: 1 NP102 judged CACHED);
  a model's method so kept still queries once per row of a loop over rows;
- an `else:` that stores and returns: the call in it runs once per run of the loop, like the `if` body's `return`
  (PyHSS's IMEI rules, round 237: 1 NP102 judged false);
- a function view behind DRF's `@api_view` and `@permission_classes`, which only wrap, that no URL configuration
  names (BHMC's score imports, round 235: 6 judged DEAD);
- a function a module's own `__all__` lists, which nothing calls, in a Pyramid application (its `setup.py` names the WSGI
  application Paste serves; `config.scan()` imports every view module): ClimMob's phrases, round 238 (1 judged DEAD);
- a call made for its effect (`repopulate_events(study)` after each survey added), never a lookup to hoist (Beiwe's
  study copy, round 238: 1 PF301 judged WRONGFIX);
- an API view behind the project's `IsActiveSuperUser` permission: staff only (News Revenue Hub's internal API, round
  239: judged RARE).
"""

# NP102: a service asked for its template once per game; the template is kept on the service after the first ask
_SCHEDULE_MODELS = '''from django.db import models


class Gameday(models.Model):
    name = models.CharField(max_length=50)


class Template(models.Model):
    name = models.CharField(max_length=50)


class TemplateUse(models.Model):
    gameday = models.ForeignKey(Gameday, on_delete=models.CASCADE)
    template = models.ForeignKey(Template, on_delete=models.CASCADE)


class Game(models.Model):
    gameday = models.ForeignKey(Gameday, on_delete=models.CASCADE)
    slot = models.IntegerField()
'''
_PLACEHOLDERS = '''from schedule.models import Game, TemplateUse


class Placeholders:
    def __init__(self, gameday):
        self.gameday = gameday
        self._template = None

    def template(self):
{check}        use = TemplateUse.objects.filter(gameday=self.gameday).select_related("template").first()
        if use:
            self._template = use.template
        return self._template

    def label(self, game):
        template = self.template()
        return f"{{template.name}}-{{game.slot}}" if template else "TBD"


def labels(gameday):
    service = Placeholders(gameday)
    return [service.label(game) for game in Game.objects.filter(gameday=gameday)]
'''


def _schedule(check: str) -> dict[str, str]:
    return {"schedule/__init__.py": "", "schedule/models.py": _SCHEDULE_MODELS,
            "schedule/placeholders.py": _PLACEHOLDERS.format(check=check)}


NP102_ANSWER_KEPT_ON_THE_SERVICE = _schedule("        if self._template:\n            return self._template\n")
NP102_ANSWER_STORED_NOT_READ = _schedule("")  # kept, but asked anew on every call: a query per game
# a row's method keeps its answer on the row: a loop over rows asks each row once, a query per row (RELATE's permissions)
NP102_ROW_KEEPS_ITS_ANSWER = {"club/__init__.py": "", "club/models.py": '''from django.db import models


class Member(models.Model):
    name = models.CharField(max_length=50)
    _roles = None

    def roles(self):
        if self._roles is not None:
            return self._roles
        self._roles = frozenset(Role.objects.filter(member=self).values_list("name", flat=True))
        return self._roles

    def can(self, role):
        return role in self.roles()


class Role(models.Model):
    member = models.ForeignKey(Member, on_delete=models.CASCADE)
    name = models.CharField(max_length=20)


def editors():
    return [m.name for m in Member.objects.all() if m.can("editor")]
'''}

# NP102: the rule that matches stores the binding and returns, from the `if` body or from its `else`
_DEVICE_MODELS = '''from django.db import models


class Rule(models.Model):
    imei = models.CharField(max_length=40)
    imsi = models.CharField(max_length=40, blank=True)
    code = models.CharField(max_length=10)


class Binding(models.Model):
    imsi = models.CharField(max_length=20, unique=True)
    imei = models.CharField(max_length=20)
    code = models.CharField(max_length=10)
'''
_DEVICE_CHECKS = '''import re

from devices.models import Binding, Rule


def store(imsi, imei, code):
    Binding.objects.update_or_create(imsi=imsi, defaults={{"imei": imei, "code": code}})


def check(imsi, imei):
    matched = []
    for rule in Rule.objects.all():
        if re.match(rule.imei, imei):
            if rule.imsi:
                if re.match(rule.imsi, imsi):
                    store(imsi, imei, rule.code)
                    return rule.code
            else:
                store(imsi, imei, rule.code)
{leave}
    store(imsi, imei, "none")
    return matched
'''


def _devices(leave: str) -> dict[str, str]:
    return {"devices/__init__.py": "", "devices/models.py": _DEVICE_MODELS, "devices/checks.py": _DEVICE_CHECKS.format(leave=leave)}


NP102_ELSE_STORES_AND_RETURNS = _devices("                return rule.code")
NP102_ELSE_STORES_AND_GOES_ON = _devices("                matched.append(rule.code)")  # every matching rule: a write each

# NP101: two DRF function views; the URL configuration routes one
_SCORE_MODELS = '''from django.db import models


class Player(models.Model):
    name = models.CharField(max_length=50)


class Card(models.Model):
    player = models.ForeignKey(Player, on_delete=models.CASCADE)
    strokes = models.IntegerField()
'''
_SCORE_VIEWS = '''from rest_framework import permissions
from rest_framework.decorators import api_view, permission_classes
from rest_framework.response import Response

from scores.models import Card, Player


@api_view(("GET",))
@permission_classes((permissions.IsAuthenticated,))
def card_counts(request):
    return Response({p.name: Card.objects.filter(player=p).count() for p in Player.objects.all()})


@api_view(("POST",))
@permission_classes((permissions.IsAuthenticated,))
def import_counts(request):
    return Response({p.name: Card.objects.filter(player=p).count() for p in Player.objects.all()})
'''
_SCORE_URLS = '''from django.urls import path

from scores import views

urlpatterns = [path("counts/", views.card_counts)]
'''
NP101_API_VIEW_UNROUTED = {"manage.py": "", "scores/__init__.py": "", "scores/models.py": _SCORE_MODELS,
                           "scores/views.py": _SCORE_VIEWS, "scores/urls.py": _SCORE_URLS}

# NP101: a Pyramid application (setup.py names the WSGI application Paste serves) whose module exports a function in
# `__all__` that nothing calls; the same module in a library, and in the application with a view calling it
_TRIAL_MODELS = '''from sqlalchemy import ForeignKey
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Language(Base):
    __tablename__ = "language"
    id: Mapped[int] = mapped_column(primary_key=True)
    user: Mapped[str]


class Phrase(Base):
    __tablename__ = "phrase"
    id: Mapped[int] = mapped_column(primary_key=True)
    language_id: Mapped[int] = mapped_column(ForeignKey("language.id"))
    text: Mapped[str]
'''
_TRIAL_PHRASES = '''from trials.models import Language, Phrase

__all__ = ["phrases_in", "all_translations"]


def phrases_in(dbsession, language_id):
    return dbsession.query(Phrase).filter(Phrase.language_id == language_id).all()


def all_translations(dbsession, user):
    out = {}
    for language in dbsession.query(Language).filter(Language.user == user).all():
        out[language.id] = dbsession.query(Phrase).filter(Phrase.language_id == language.id).all()
    return out
'''
_TRIAL_VIEWS = '''from pyramid.view import view_config

from trials.phrases import {called}


@view_config(route_name="phrases", renderer="json")
def phrases(request):
    return {called}(request.dbsession, {argument})
'''
_TRIAL_APP = '''from pyramid.config import Configurator


def main(global_config, **settings):
    config = Configurator(settings=settings)
    config.add_route("phrases", "/phrases/{id}")
    config.scan()
    return config.make_wsgi_app()
'''
_PASTE_SETUP = 'from setuptools import setup\n\nsetup(name="trials", entry_points={"paste.app_factory": ["main = trials:main"]})\n'
_LIBRARY_SETUP = 'from setuptools import setup\n\nsetup(name="trials")\n'


def _trials(setup: str, called: str, argument: str) -> dict[str, str]:
    return {"setup.py": setup, "trials/__init__.py": _TRIAL_APP, "trials/models.py": _TRIAL_MODELS, "trials/phrases.py": _TRIAL_PHRASES,
            "trials/views.py": _TRIAL_VIEWS.format(called=called, argument=argument)}


NP101_EXPORTED_UNCALLED_IN_PYRAMID_APP = _trials(_PASTE_SETUP, "phrases_in", 'request.matchdict["id"]')  # low
NP101_EXPORTED_BY_A_LIBRARY = _trials(_LIBRARY_SETUP, "phrases_in", 'request.matchdict["id"]')  # high: others may call it
NP101_EXPORTED_AND_CALLED = _trials(_PASTE_SETUP, "all_translations", "request.authenticated_userid")  # high

# PF301: after each survey it adds, the import rebuilds the study's schedule, which reads every survey of the study: a
# call for its effect, which hoisting would run before the surveys exist; a count of events the loop never adds is a lookup
_SURVEY_MODELS = '''from django.db import models


class Study(models.Model):
    name = models.CharField(max_length=80)
    timezone = models.CharField(max_length=40)


class Survey(models.Model):
    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="surveys")
    content = models.TextField()


class Event(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE)
'''
_SURVEY_COPY = '''from surveys.models import Event, Study, Survey


def repopulate_events(study):
    for survey in Survey.objects.filter(study=study):
        Event.objects.filter(survey=survey).delete()
        Event.objects.create(survey=survey)


def event_count(study):
    return Event.objects.filter(survey__study=study).count()


def add_surveys(study, contents):
    for content in contents:
        Survey.objects.create(study=study, content=content)
        {helper}(study)
'''
PF301_SCHEDULE_REBUILT_PER_SURVEY = {"surveys/__init__.py": "", "surveys/models.py": _SURVEY_MODELS,
                                     "surveys/copy.py": _SURVEY_COPY.format(helper="repopulate_events")}
PF301_EVENTS_COUNTED_PER_SURVEY = {"surveys/__init__.py": "", "surveys/models.py": _SURVEY_MODELS,
                                   "surveys/copy.py": _SURVEY_COPY.format(helper="event_count")}

# NP101: an API view only active superusers may call (the project's own `IsActiveSuperUser` permission); the same view
# open to every signed-in user
_DONATION_MODELS = '''from django.db import models


class Program(models.Model):
    name = models.CharField(max_length=80)


class Donation(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
'''
_DONATION_VIEWS = '''from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from donations.models import Donation, Program


class IsActiveSuperUser(BasePermission):
    def has_permission(self, request, view):
        return request.user.is_active and request.user.is_superuser


class ProgramCounts(APIView):
    permission_classes = [{permissions}]

    def get(self, request):
        return Response({{p.name: Donation.objects.filter(program=p).count() for p in Program.objects.all()}})
'''
_DONATION_URLS = '''from django.urls import path

from donations.views import ProgramCounts

urlpatterns = [path("counts/", ProgramCounts.as_view())]
'''


def _donations(permissions: str) -> dict[str, str]:
    return {"manage.py": "", "donations/__init__.py": "", "donations/models.py": _DONATION_MODELS,
            "donations/views.py": _DONATION_VIEWS.format(permissions=permissions), "donations/urls.py": _DONATION_URLS}


NP101_ACTIVE_SUPERUSERS_ONLY = _donations("IsAuthenticated, IsActiveSuperUser")  # low
NP101_EVERY_SIGNED_IN_USER = _donations("IsAuthenticated")  # high

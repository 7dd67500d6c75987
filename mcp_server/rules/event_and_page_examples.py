"""Rounds 241 to 252: what runs on an event, on a first pass or per page, rows a template caches, tags no template
uses, and measures that are no money.

Rounds 241 to 246:
- a connection per item where each item names its own database file (OpenMotics' backup of five SQLite files, the
  loop unpacking `for name, path in files.items()`: 1 PF502 judged WRONGFIX);
- a row's markup an included template caches by the row's key (Rocket League Replays' `{% cache %}` in `replay_row.html`:
  1 NP107 judged CACHED), and a template tag no template uses (its `steam_stats`: 2 NP103 judged DEAD);
- a `total = 0.0` to which only scores are added, in a module that keeps money elsewhere (DistrictBuilder: 1 PF701 false);
- graph ids put in a statement through a private quoting helper, `_quote_vid` (ApeRAG: 1 PF601 false);
- a check under `if first is True: first = False`, run on the loop's first pass only (the Grand Comics Database's
  ballots: 1 NP101 false).

Rounds 247 to 252:
- weights in tons are no money (PrimeTrade's bills of lading: 5 PF701 false), nor a week's energy summed into `total`
  (a nutrition tracker: 1 false);
- a commit per page of rows, `for page in range(1, pages)` (Hikka's search syncs: 3 PF202 false);
- a lambda handed to an event (`button.clicked.connect(lambda _, v=volume: self.prepare(v))`) runs on the click, not
  per item of the loop that wires the buttons, nor when the function that wires them runs (CocktailBerry: 3 false).
"""

# PF502: each of the gateway's database files is locked through a connection of its own while it is copied; the same
# helper connecting to one database for every item of the loop
_BACKUP = '''import shutil
import sqlite3

DATABASES = {{"config.db": "/var/lib/gw/config.db", "power.db": "/var/lib/gw/power.db", "metrics.db": "/var/lib/gw/metrics.db"}}


def backup(path, target):
    connection = sqlite3.connect(path)
    connection.execute("BEGIN IMMEDIATE")
    shutil.copyfile(path, target)
    connection.rollback()


def backup_all(folder, jobs):
    for {loop}:
        backup({source}, folder + "/" + name)
'''
PF502_EACH_FILE_ITS_OWN_DATABASE = {"gateway/__init__.py": "", "gateway/backup.py": _BACKUP.format(
    loop="name, path in jobs.items()", source="path")}
PF502_ONE_DATABASE_EACH_TIME = {"gateway/__init__.py": "", "gateway/backup.py": _BACKUP.format(
    loop="name in jobs", source='DATABASES["config.db"]')}

# NP107: each row's markup comes from an included template that caches it by the row's key; the same row uncached
_REPLAY_MODELS = '''from django.db import models


class Map(models.Model):
    title = models.CharField(max_length=50)


class Replay(models.Model):
    map = models.ForeignKey(Map, on_delete=models.CASCADE)
    score = models.IntegerField()
'''
_REPLAY_VIEW = '''from django.shortcuts import render

from replays.models import Replay


def latest(request):
    return render(request, "replays/latest.html", {"replays": Replay.objects.order_by("-id")[:30]})
'''
_REPLAY_URLS = 'from django.urls import path\n\nfrom replays import views\n\nurlpatterns = [path("", views.latest)]\n'
_REPLAY_TABLE = '''<table>
{% for replay in replays %}
  {% include "replays/row.html" %}
{% endfor %}
</table>
'''
_REPLAY_ROW = '''{{% load cache %}}
{open}<tr><td>{{{{ replay.score }}}}</td><td>{{{{ replay.map.title }}}}</td></tr>
{close}'''


def _replays(cached: bool) -> dict[str, str]:
    tags = ("{% cache 3600 'replay_row' replay.pk %}\n", "{% endcache %}\n") if cached else ("", "")
    return {"manage.py": "", "replays/__init__.py": "", "replays/models.py": _REPLAY_MODELS, "replays/views.py": _REPLAY_VIEW,
            "replays/urls.py": _REPLAY_URLS, "replays/templates/replays/latest.html": _REPLAY_TABLE,
            "replays/templates/replays/row.html": _REPLAY_ROW.format(open=tags[0], close=tags[1])}


NP107_ROW_CACHED_IN_INCLUDE = _replays(True)  # low: each row's map is read on that row's cache miss
NP107_ROW_NOT_CACHED = _replays(False)  # high

# NP103: a template library's tag that no template uses, beside one a template uses
_REPLAY_TAGS = '''from django import template

from replays.models import Replay

register = template.Library()


@register.simple_tag
def best_scores(least):
    return [f"{{r.map.title}}: {{r.score}}" for r in Replay.objects.filter(score__gte=least)]


@register.simple_tag
def {unused}(least):
    return [f"{{r.map.title}} ({{r.score}})" for r in Replay.objects.filter(score__lt=least)]
'''
_REPLAY_PAGE = '{% load replay_tags %}\n{% best_scores 100 %}\n'


def _tagged(unused: str) -> dict[str, str]:
    return {**_replays(False), "replays/templatetags/__init__.py": "", "replays/templatetags/replay_tags.py": _REPLAY_TAGS.format(unused=unused),
            "replays/templates/replays/best.html": _REPLAY_PAGE}


NP103_TAG_NO_TEMPLATE_USES = _tagged("old_scores")  # line 15 low: no template spells `old_scores`
NP103_TAG_ALL_USED = {**_tagged("old_scores"), "replays/templates/replays/old.html": "{% load replay_tags %}\n{% old_scores 100 %}\n"}

# PF701: a total of averaged scores in a module that keeps money elsewhere; the same total of prices
_SCORES = '''from decimal import Decimal

FEE = Decimal("2.50")


def average(districts):
    total = 0.0
    for district in districts:
        total += {added}
    return total / len(districts)
'''
PF701_TOTAL_OF_SCORES = {"plans/__init__.py": "", "plans/scores.py": _SCORES.format(added="district.compactness / district.members")}
PF701_TOTAL_OF_PRICES = {"plans/__init__.py": "", "plans/scores.py": _SCORES.format(added="float(district.price)")}

# PF601: graph ids put in the statement through a private helper that escapes and quotes them; the same ids unquoted
_GRAPH = '''def _quote_vid(vid):
    return '"' + vid.replace('"', "'") + '"'


def remove_edges(session, edges):
    for source, target in edges:
        query = f"DELETE EDGE DIRECTED {{{left}}} -> {{{right}}}"
        session.execute(query)
'''
PF601_PRIVATE_QUOTING_HELPER = {"graph/__init__.py": "", "graph/edges.py": _GRAPH.format(left="_quote_vid(source)", right="_quote_vid(target)")}
PF601_IDS_UNQUOTED = {"graph/__init__.py": "", "graph/edges.py": _GRAPH.format(left="source", right="target")}

# NP101: a ballot's permission and receipt checked on the first option only (`if first is True: first = False`); the
# same check with the flag never cleared, on every option
_BALLOT = '''from django.db import models


class Topic(models.Model):
    name = models.CharField(max_length=80)


class Option(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE)


class Receipt(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE)
    voter_id = models.IntegerField()


def vote(user_id, option_ids):
    first = True
    for option in Option.objects.filter(id__in=option_ids).select_related("topic"):
        if first is True:
{clear}            if Receipt.objects.filter(topic=option.topic, voter_id=user_id).exists():
                return "already voted"
        Receipt.objects.create(topic=option.topic, voter_id=user_id)
    return "ok"
'''
NP101_CHECKED_ON_THE_FIRST_PASS = {"ballots/__init__.py": "", "ballots/models.py": _BALLOT.format(clear="            first = False\n")}
NP101_CHECKED_ON_EVERY_PASS = {"ballots/__init__.py": "", "ballots/models.py": _BALLOT.format(clear="")}

# PF701: a bill of lading's weight in tons handed out as a float, in a module that keeps prices as Decimal; its price
_LADING = '''from decimal import Decimal

from django.db import models


class Lading(models.Model):
    net_tons = models.DecimalField(max_digits=10, decimal_places=3)
    freight_price = models.DecimalField(max_digits=12, decimal_places=2)


def summary(lading):
    return {{"value": float(lading.{field}), "rate": Decimal("1.00")}}
'''
PF701_WEIGHT_IN_TONS = {"ladings/__init__.py": "", "ladings/models.py": _LADING.format(field="net_tons")}
PF701_FREIGHT_PRICE = {"ladings/__init__.py": "", "ladings/models.py": _LADING.format(field="freight_price")}

# PF701: a week's energy summed into `total` and handed out as a float; the same for a week's fees
_WEEK = '''from decimal import Decimal


def week_{what}(days):
    total = Decimal("0")
    for day in days:
        total += {added}
    return float(total)
'''
PF701_TOTAL_OF_ENERGY = {"plans/__init__.py": "", "plans/week.py": _WEEK.format(what="energy", added="day_expenditure(day)")}
PF701_TOTAL_OF_FEES = {"plans/__init__.py": "", "plans/week.py": _WEEK.format(what="fees", added="day.fee")}

# PF202: a commit per page of 10,000 rows (`for page in range(1, pages)` with `limit`/`offset`); a commit per row
_WEIGHTS = '''import math

from sqlalchemy import func, select

from staff.models import Staff


def update_weights(session):
    limit = 10000
    pages = math.ceil(session.scalar(select(func.count(Staff.id))) / limit) + 1
    for {var} in range(1, pages):
        for staff in session.scalars(select(Staff).limit(limit).offset(({var} - 1) * limit)):
            staff.weight = staff.roles_weight
        session.commit()
'''
_STAFF_MODEL = '''from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Staff(Base):
    __tablename__ = "staff"
    id: Mapped[int] = mapped_column(primary_key=True)
    weight: Mapped[int]
    roles_weight: Mapped[int]
'''
PF202_COMMIT_PER_PAGE = {"staff/__init__.py": "", "staff/models.py": _STAFF_MODEL, "staff/weights.py": _WEIGHTS.format(var="page")}
PF202_COMMIT_PER_ROW = {"staff/__init__.py": "", "staff/models.py": _STAFF_MODEL, "staff/weights.py": _WEIGHTS.replace(
    "            staff.weight = staff.roles_weight\n        session.commit()\n",
    "            staff.weight = staff.roles_weight\n            session.commit()\n").format(var="page")}

# PF502: a button per volume whose click prepares the cocktail, which connects to the database; the same preparation
# run for every volume while the buttons are made
_COCKTAILS = '''from sqlalchemy import create_engine


class Commander:
    def __init__(self):
        self.engine = create_engine("sqlite:///bar.db")


class Selection:
    def prepare(self, volume):
        return Commander().engine.dispose()

    def make_buttons(self, buttons, volumes):
        for button, volume in zip(buttons, volumes):
            {wire}
'''
PF502_CONNECTS_ON_CLICK = {"bar/__init__.py": "", "bar/selection.py": _COCKTAILS.format(
    wire="button.clicked.connect(lambda _, v=volume: self.prepare(v))")}
PF502_CONNECTS_PER_BUTTON = {"bar/__init__.py": "", "bar/selection.py": _COCKTAILS.format(wire="button.setText(str(self.prepare(volume)))")}

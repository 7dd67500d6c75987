"""Rounds 205 to 210: rows the session or a cache already holds, and values that are no money.

- a SQLAlchemy many-to-one whose key is this model's column, spelled `foreign_keys=role_id` or made by cookiecutter-flask's
  `reference_col("roles")`: a lookup table's rows come from the identity map (Pittsburgh's purchasing suite: CACHED);
- the rows of a list the function loaded and holds (`questions = X.query.filter(...).all()`), reached later through a
  many-to-one of other rows (Anubis: PREFETCHED);
- a template loop inside `{% cache %}` (archweb's planet page: CACHED);
- `float(total)` of a count (django-sis's fail percentage: PF701 false);
- a module whose docstring says it is no longer used (Lino Welfare's `migrate_old`: 2 DEAD).
"""

# NP104: each user's role, `role_id = reference_col("roles")` and `foreign_keys=role_id`
_ROLES = '''from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


def reference_col(table, nullable=False):
    return Column(ForeignKey(f"{table}.id"), nullable=nullable)


class {target}(Base):
    __tablename__ = "{table}"
    id = Column(Integer, primary_key=True)
    name = Column(String(80)){extra}


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    email = Column(String(80))
    {key} = reference_col("{table}")
    {attr} = relationship("{target}", foreign_keys={key})
'''
_CONDUCTORS = '''from purchasing.models import User


def conductors(session):
    return [u.email for u in session.query(User).all() if u.{attr}.name == "conductor"]
'''


def _users(target: str, table: str, attr: str, extra: str = "") -> dict[str, str]:
    return {"purchasing/__init__.py": "", "purchasing/models.py": _ROLES.format(target=target, table=table, attr=attr, key=f"{attr}_id", extra=extra),
            "purchasing/users.py": _CONDUCTORS.format(attr=attr)}


NP104_LOOKUP_BY_OWN_KEY = _users("Role", "roles", "role")  # low: a handful of roles, each loaded once
NP104_PARENT_BY_OWN_KEY = _users("Manager", "managers", "manager")  # high: once per distinct manager, which may be one per user
# high: named like a lookup, but a row per contract (its foreign key says so), as Pittsburgh's ContractStage
NP104_ROW_PER_CONTRACT = _users("ContractStage", "contract_stage", "stage", extra='\n    contract_id = reference_col("contracts")')

# NP104: the assignment's questions loaded first and held; each student's question reached through its many-to-one
_QUESTIONS_MODELS = '''from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


class Question(Base):
    __tablename__ = "question"
    id = Column(Integer, primary_key=True)
    assignment_id = Column(Integer)
    pool = Column(Integer)


class Grader(Base):
    __tablename__ = "grader"
    id = Column(Integer, primary_key=True)
    name = Column(String(40))


class StudentQuestion(Base):
    __tablename__ = "student_question"
    id = Column(Integer, primary_key=True)
    assignment_id = Column(Integer)
    owner_id = Column(Integer)
    question_id = Column(Integer, ForeignKey("question.id"))
    question = relationship("Question")
'''
_ASSIGN = '''from course.models import {held}, Question, StudentQuestion


def missing_pools(session, assignment_id, student_ids):
    loaded: list[{held}] = session.query({held}).filter({held}.id > 0).all()
    missing = {{}}
    for student_id in student_ids:
        answered = session.query(StudentQuestion).filter(
            StudentQuestion.assignment_id == assignment_id,
            StudentQuestion.owner_id == student_id,
        ).all()
        missing[student_id] = {{q.question.pool for q in answered}}
    return missing, len(loaded)
'''


def _course(held: str) -> dict[str, str]:
    return {"course/__init__.py": "", "course/models.py": _QUESTIONS_MODELS, "course/assign.py": _ASSIGN.format(held=held)}


NP104_HELD_QUESTIONS = _course("Question")  # low: the questions are in the session while `loaded` holds them
NP104_HELD_OTHER_ROWS = _course("Grader")  # high: what the function holds is another table

# NP107: the feed list inside `{% cache %}`; the same list outside it
_FEED_MODELS = '''from django.db import models


class Feed(models.Model):
    website = models.URLField()


class FeedItem(models.Model):
    feed = models.ForeignKey(Feed, on_delete=models.CASCADE)
    title = models.CharField(max_length=200)
'''
_FEED_VIEW = '''from django.shortcuts import render

from planet.models import FeedItem


def index(request):
    return render(request, "planet/index.html", {"items": FeedItem.objects.order_by("-id")[:25]})
'''
_FEED_URLS = '''from django.urls import path

from planet import views

urlpatterns = [path("", views.index)]
'''
_FEED_TEMPLATE = '''{{% load cache %}}
{open}<ul>
{{% for item in items %}}
  <li><a href="{{{{ item.feed.website }}}}">{{{{ item.title }}}}</a></li>
{{% endfor %}}
</ul>
{close}'''


def _planet(cached: bool) -> dict[str, str]:
    tags = ("{% cache 62 planet-page-left %}\n", "{% endcache %}\n") if cached else ("", "")
    return {"manage.py": "", "planet/__init__.py": "", "planet/models.py": _FEED_MODELS, "planet/views.py": _FEED_VIEW,
            "planet/urls.py": _FEED_URLS, "planet/templates/planet/index.html": _FEED_TEMPLATE.format(open=tags[0], close=tags[1])}


NP107_IN_CACHED_FRAGMENT = _planet(True)  # low: runs when the fragment's cache misses
NP107_OUTSIDE_FRAGMENT = _planet(False)  # medium, as any template loop over a view's rows

# PF701: a fail percentage from two counts; the same division over two amounts
_REPORT = '''from decimal import Decimal

from grades.models import Grade

PASSING = Decimal("60.00")


def fail_rate(department):
    fails = Grade.objects.filter(department=department, grade__lt=PASSING).{op}
    total = Grade.objects.filter(department=department).{op}
    return float(fails) / float(total) if total else 0.0
'''
_GRADES = '''from django.db import models


class Grade(models.Model):
    department = models.CharField(max_length=40)
    grade = models.IntegerField()
    amount = models.DecimalField(max_digits=12, decimal_places=2)
'''


def _grades(op: str) -> dict[str, str]:
    return {"grades/__init__.py": "", "grades/models.py": _GRADES, "grades/reports.py": _REPORT.format(op=op)}


PF701_COUNTED_TOTAL = _grades("count()")
PF701_SUMMED_TOTAL = {**_grades("count()"), "grades/reports.py": _REPORT.format(op="count()").replace(
    "    total = Grade.objects.filter(department=department).count()\n",
    "    total = sum(g.amount for g in Grade.objects.filter(department=department))\n").replace(
    "float(fails) / float(total) if total", "float(total) / fails if fails")}

# PF201: an archived module of old migrations, which its docstring says nothing uses
_OLD_MIGRATIONS = '''"""
The migrations in this module are no longer being used
but archived here as historic examples.
"""
from clients.models import Client


def migrate_clients(rows):
    for name, city in rows:
        client = Client(name=name, city=city)
        client.save()
'''
PF201_ARCHIVED_MODULE = {"manage.py": "", "clients/__init__.py": "",
                         "clients/models.py": "from django.db import models\n\n\nclass Client(models.Model):\n    name = models.CharField(max_length=80)\n    city = models.CharField(max_length=80)\n",
                         "clients/legacy.py": _OLD_MIGRATIONS,
                         "clients/tasks.py": "from clients.legacy import migrate_clients\n\n\ndef run(rows):\n    migrate_clients(rows)\n"}
PF201_LIVE_MODULE = {**PF201_ARCHIVED_MODULE, "clients/legacy.py": _OLD_MIGRATIONS.replace(
    "The migrations in this module are no longer being used\nbut archived here as historic examples.", "Client imports from the old CRM.")}

# PF701: a department's virements as a percentage of its voted budget (a share of two amounts); an average amount per
# invoice (money over a count) stays money
_SHARES = '''from decimal import Decimal

FEE = Decimal("0.50")


def virements(voted_amount, moved_amount, invoices):
    return {{
        "amount": int(moved_amount),
        "percentage": {expression},
    }}
'''
PF701_VIREMENT_SHARE = {"budget/__init__.py": "", "budget/shares.py": _SHARES.format(expression="100 * float(moved_amount) / float(voted_amount)")}
PF701_AMOUNT_PER_INVOICE = {"budget/__init__.py": "", "budget/shares.py": _SHARES.format(expression="float(moved_amount) / len(invoices)")}

"""Jobs a schedule runs once a day or less often (analysis/schedules.py, schedule_reach.py): a query or a write per row
there, or in a helper only such jobs reach, is `low`, saying so; the same loop in a job that runs more often, whose
schedule the code does not spell out, that a request also starts, or that walks a file's rows (an import) keeps its
severity. Every example is a positive of NP103 (a client loaded per invoice; the import's NP101, an invoice per row), at
the severity tests/test_schedules.py checks."""

_MODELS = '''
from django.db import models


class Client(models.Model):
    name = models.CharField(max_length=80)


class Invoice(models.Model):
    client = models.ForeignKey(Client, on_delete=models.CASCADE)
    due = models.DateField()
    paid = models.BooleanField(default=False)
'''
_TASKS = '''
from celery import shared_task
from .models import Invoice


@shared_task
def remind_overdue():
    for invoice in Invoice.objects.filter(paid=False):
        print(invoice.client.name)
'''
_BEAT = '''
from celery.schedules import crontab

CELERY_BEAT_SCHEDULE = {{
    "remind-overdue": {{"task": "billing.tasks.remind_overdue", "schedule": {schedule}}},
}}
'''


def _billing(schedule: str, **files: str) -> dict[str, str]:
    return {"billing/__init__.py": "", "billing/models.py": _MODELS, "billing/tasks.py": _TASKS,
            "settings.py": _BEAT.format(schedule=schedule), **files}


# Celery beat at 02:00 every day, at 06:30 on Mondays, every seven days: low
NP103_BEAT_DAILY = _billing("crontab(minute=0, hour=2)")
NP103_BEAT_WEEKLY = _billing('crontab(minute="30", hour="6", day_of_week="mon")')
NP103_BEAT_EVERY_WEEK = _billing("timedelta(days=7)")
# a task registered under a name of its own, which the beat entry spells (Waldur's `@shared_task(name="marketplace.x")`,
# round 165: a monthly job judged N RARE): low at 02:00 every day; kept every ten minutes
_NAMED = '@shared_task(name="reminders.overdue")'


def _named(schedule: str) -> dict[str, str]:
    return {**_billing(schedule), "billing/tasks.py": _TASKS.replace("@shared_task", _NAMED),
            "settings.py": _BEAT.format(schedule=schedule).replace("billing.tasks.remind_overdue", "reminders.overdue")}


NP103_BEAT_NAMED_TASK = _named("crontab(minute=0, hour=2)")
NP103_BEAT_NAMED_OFTEN = _named('crontab(minute="*/10")')
# every ten minutes, every hour, every six hours, or as a setting says: kept
NP103_BEAT_OFTEN = _billing('crontab(minute="*/10")')
NP103_BEAT_HOURLY = _billing("3600")
NP103_BEAT_SIX_HOURLY = _billing('crontab(minute=0, hour="*/6")')
NP103_BEAT_FROM_SETTING = _billing("REMINDER_SCHEDULE")
# a module constant the beat entry names (Mozillians' `RUN_DAILY = 60 * 60 * 24`): as if written in place
_CONSTANTS = "RUN_DAILY = 60 * 60 * 24\nRUN_HOURLY = 60 * 60\n"
NP103_BEAT_DAILY_CONSTANT = {**_billing("RUN_DAILY"), "settings.py": _CONSTANTS + _BEAT.format(schedule="RUN_DAILY")}
NP103_BEAT_HOURLY_CONSTANT = {**_billing("RUN_HOURLY"), "settings.py": _CONSTANTS + _BEAT.format(schedule="RUN_HOURLY")}
# the daily task a view also starts (`remind_overdue.delay()`): kept, a user may be waiting on it
NP103_BEAT_ALSO_REQUESTED = _billing("crontab(minute=0, hour=2)", **{"billing/views.py": '''
from .tasks import remind_overdue


def remind_now(request):
    remind_overdue.delay()
'''})
# the daily task a module of commands also starts (Flask-Script's `@manager.command`, in a `command/` folder: navitia's
# `purge_old_jobs`, round 182, 3 judged N RARE): low, a person or the schedule starts it
NP103_BEAT_ALSO_COMMANDED = _billing("crontab(minute=0, hour=2)", **{"billing/command/reminders.py": '''
from flask_script import Manager
from billing.tasks import remind_overdue

manager = Manager()


@manager.command
def remind_now():
    remind_overdue.delay()
'''})

# a helper of another module that only the daily task calls: low, naming the job; the same helper a view calls too: kept
_REMINDERS = '''
from .models import Invoice


def overdue_lines():
    return [f"{invoice.client.name}: {invoice.due}" for invoice in Invoice.objects.filter(paid=False)]
'''
_CALLING_TASK = '''
from celery import shared_task
from .reminders import overdue_lines


@shared_task
def remind_overdue():
    return overdue_lines()
'''
NP103_HELPER_OF_DAILY_JOB = _billing("crontab(minute=0, hour=2)", **{"billing/reminders.py": _REMINDERS, "billing/tasks.py": _CALLING_TASK})
NP103_HELPER_ALSO_VIEWED = {**NP103_HELPER_OF_DAILY_JOB, "billing/views.py": '''
from .reminders import overdue_lines


def overdue(request):
    return overdue_lines()
'''}

# a task that carries its own schedule: huey's `@periodic_task(crontab(...))` at 03:00, Celery's `run_every` of a day: low
NP103_HUEY_NIGHTLY = {"billing/__init__.py": "", "billing/models.py": _MODELS, "billing/tasks.py": '''
from huey import crontab
from huey.contrib.djhuey import periodic_task
from .models import Invoice


@periodic_task(crontab(minute="0", hour="3"))
def remind_overdue():
    for invoice in Invoice.objects.filter(paid=False):
        print(invoice.client.name)
'''}
NP103_RUN_EVERY_DAY = {**NP103_HUEY_NIGHTLY, "billing/tasks.py": _TASKS.replace(
    "from celery import shared_task", "from datetime import timedelta\n\nfrom celery import shared_task").replace(
    "@shared_task", "@shared_task(run_every=timedelta(days=1))")}
NP103_RUN_EVERY_HOUR = {**NP103_RUN_EVERY_DAY, "billing/tasks.py": NP103_RUN_EVERY_DAY["billing/tasks.py"].replace("days=1", "hours=1")}

# django-extensions jobs: a `DailyJob`, or `when = "weekly"` on a `BaseJob`: low; an `HourlyJob`: kept
_JOB = '''
from django_extensions.management.jobs import {base}
from billing.models import Invoice


class Job({base}):
{when}
    def execute(self):
        for invoice in Invoice.objects.filter(paid=False):
            print(invoice.client.name)
'''
_JOBS = {"billing/__init__.py": "", "billing/models.py": _MODELS, "billing/jobs/__init__.py": ""}
NP103_DAILY_JOB = {**_JOBS, "billing/jobs/remind.py": _JOB.format(base="DailyJob", when="")}
NP103_WEEKLY_BASE_JOB = {**_JOBS, "billing/jobs/remind.py": _JOB.format(base="BaseJob", when='    when = "weekly"\n')}
NP103_HOURLY_JOB = {**_JOBS, "billing/jobs/remind.py": _JOB.format(base="HourlyJob", when="")}

# the `schedule` library: a job it runs once a day (Khoj's `@schedule.repeat(schedule.every(22).to(25).hours)`, round
# 52: judged RARE), low; one it runs every ten minutes, kept
_SCHEDULE_LIB = '''
import schedule
from .models import Invoice


def remind_overdue():
    for invoice in Invoice.objects.filter(paid=False):
        print(invoice.client.name)


{chain}.do(remind_overdue)
'''
NP103_SCHEDULE_LIB_DAILY = {"billing/__init__.py": "", "billing/models.py": _MODELS,
                            "billing/jobs.py": _SCHEDULE_LIB.format(chain='schedule.every().day.at("02:00")')}
NP103_SCHEDULE_LIB_OFTEN = {**NP103_SCHEDULE_LIB_DAILY, "billing/jobs.py": _SCHEDULE_LIB.format(chain="schedule.every(10).minutes")}
NP103_SCHEDULE_LIB_REPEAT = {**NP103_SCHEDULE_LIB_DAILY, "billing/jobs.py": '''
import schedule
from .models import Invoice


@schedule.repeat(schedule.every(22).to(25).hours)
def remind_overdue():
    for invoice in Invoice.objects.filter(paid=False):
        print(invoice.client.name)
'''}

# a nightly import over the rows of the bank's statement file: an import, kept whatever starts it
NP101_NIGHTLY_IMPORT = _billing("crontab(minute=0, hour=2)", **{"billing/tasks.py": '''
import csv
from celery import shared_task
from .models import Invoice


@shared_task
def remind_overdue():
    with open("statement.csv") as f:
        for row in csv.DictReader(f):
            print(Invoice.objects.get(pk=row["invoice"]).client.name)
'''})

NP103_SCHEDULE_POSITIVE = [NP103_BEAT_DAILY, NP103_BEAT_ALSO_COMMANDED, NP103_BEAT_DAILY_CONSTANT, NP103_BEAT_HOURLY_CONSTANT,
                           NP103_BEAT_WEEKLY, NP103_BEAT_EVERY_WEEK, NP103_HELPER_OF_DAILY_JOB, NP103_HUEY_NIGHTLY,
                           NP103_RUN_EVERY_DAY, NP103_DAILY_JOB, NP103_WEEKLY_BASE_JOB, NP103_SCHEDULE_LIB_DAILY,
                           NP103_SCHEDULE_LIB_REPEAT, NP103_SCHEDULE_LIB_OFTEN,
                           NP103_BEAT_OFTEN, NP103_BEAT_HOURLY, NP103_BEAT_SIX_HOURLY, NP103_BEAT_FROM_SETTING,
                           NP103_BEAT_ALSO_REQUESTED, NP103_HELPER_ALSO_VIEWED, NP103_RUN_EVERY_HOUR, NP103_HOURLY_JOB,
                           NP103_BEAT_NAMED_TASK, NP103_BEAT_NAMED_OFTEN]

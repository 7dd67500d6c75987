"""Rounds 265 to 276: coroutines an async session makes, a bare `select_related()` on the rows a caller hands over, the
keys of a mapping, classes whose metaclass keeps one instance, and files a method of another object closes.

- `{"query": session.execute(q)}` with `session: AsyncSession`, awaited later: a coroutine, nothing blocks (Deepchecks'
  check windows: 7 PF801 judged NOTQUERY);
- `visits.filter(date__exact=day).select_related()` on the rows a caller passes: every non-null key followed, whatever
  the caller loads (txtalert's reminders: 3 NP103 judged PREFETCHED);
- `for language, patients in by_language.items(): MessageType.objects.get(language=language)`: one key per pass, never
  the same rows again (txtalert: 1 PF301 judged ARGSCHANGE);
- `class SystemConfigOper(DbOper, metaclass=Singleton)`: its `__init__` and the query in it run once per process
  (MoviePilot: 8 judged CACHED, 60 findings of the application through it);
- `question._add_yaml_to_zip(zip_file, ...)`, a method that closes the file it is handed (Yaksh: 1 PF501 false).

Rounds 271 to 276: a session bound by `async with ... as session` (or entered by `async with session.begin()`, or awaited
elsewhere) is an async one (pity's DAOs: 3 PF801 false); not `self`, whose other methods say nothing of this one.
"""

# PF801: an async session's `execute` kept as a coroutine and awaited later; a synchronous session's, which blocks
_WINDOWS = '''from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session


async def results(windows):
    return [await window["query"] for window in windows]


async def run_check(session: {session}, query, reference):
    info = {{"windows": [{{"query": session.execute(query)}}], "reference": session.execute(reference)}}
    return await results(info["windows"]), info["reference"]
'''
PF801_COROUTINE_KEPT = _WINDOWS.format(session="AsyncSession")
PF801_SYNC_SESSION = _WINDOWS.format(session="Session")
PF801_EITHER_SESSION = _WINDOWS.format(session="AsyncSession | Session")  # (high) a synchronous one in some calls

# NP103: a bare select_related() on the rows the caller passes; the same rows without it
_REMINDERS = '''from django.db import models


class Patient(models.Model):
    name = models.CharField(max_length=50)
    opted_in = models.BooleanField()


class Visit(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE)
    date = models.DateField()


def send(patients):
    return len(patients)


def tomorrow(visits, day):
    due = visits.filter(date__exact=day){joined}
    return send([visit.patient for visit in due])


def remind_all(day):
    return tomorrow(Visit.objects.filter(patient__opted_in=True), day)
'''
NP103_BARE_SELECT_ON_HANDED_ROWS = _REMINDERS.format(joined=".select_related()")
NP103_HANDED_ROWS_NOT_JOINED = _REMINDERS.format(joined="")

# PF301: a lookup by each key of a mapping the loop walks; the same lookup by a field of each row
_MESSAGES = '''from django.db import models


class MessageType(models.Model):
    language = models.CharField(max_length=5)
    text = models.TextField()


def group_by_language(patients):
    groups = {{}}
    for patient in patients:
        groups.setdefault(patient.language, []).append(patient)
    return groups


def send_reminders(patients):
    sent = []
    for {target} in {rows}:
        message = MessageType.objects.get(language={key})
        sent.append((message.text, {who}))
    return sent
'''
PF301_BY_EACH_KEY = _MESSAGES.format(target="language, group", rows="group_by_language(patients).items()", key="language",
                                     who="len(group)")
PF301_BY_A_FIELD_OF_EACH_ROW = _MESSAGES.format(target="patient", rows="patients", key="patient.language", who="patient.pk")

# NP102: a configuration class whose metaclass keeps one instance, built per file; the same class without it
_CONFIG = '''from app.models import SystemConfig


class Singleton(type):
    _instances = {{}}

    def __call__(cls, *args, **kwargs):
        if cls not in cls._instances:
            cls._instances[cls] = super().__call__(*args, **kwargs)
        return cls._instances[cls]


class SystemConfigOper({meta}):
    def __init__(self):
        self.values = {{c.key: c.value for c in SystemConfig.objects.all()}}


def scrape(files):
    return [(f, SystemConfigOper().values.get("scrape")) for f in files]
'''
_CONFIG_MODELS = '''from django.db import models


class SystemConfig(models.Model):
    key = models.CharField(max_length=50)
    value = models.TextField()
'''


def _config(meta: str) -> dict[str, str]:
    return {"app/__init__.py": "", "app/models.py": _CONFIG_MODELS, "app/config.py": _CONFIG.format(meta=meta)}


NP102_SINGLETON_BUILT_PER_FILE = _config("metaclass=Singleton")
NP102_PLAIN_CLASS_BUILT_PER_FILE = _config("object")

# PF501: a zip file a method of another object closes; the same method writing to it and leaving it open
_EXPORT = '''import io
import zipfile


class Question:
    def add_yaml(self, zip_file, rows):
        zip_file.writestr("questions.yaml", "\\\\n".join(rows))
        {close}


def dump_questions(question, rows):
    buffer = io.BytesIO()
    zip_file = zipfile.ZipFile(buffer, "a")
    question.add_yaml(zip_file, rows)
    return buffer
'''
PF501_CLOSED_BY_A_METHOD = _EXPORT.format(close="zip_file.close()")
PF501_LEFT_OPEN_BY_THE_METHOD = _EXPORT.format(close="return len(rows)")

# PF701 (low): a Decimal total turned into a float only inside an f-string that prints it with two places, or handed
# to a formatting helper (e-FinTrack's PDF totals, NexInvo's e-mail amounts, rounds 265 and 253: 7 judged N); (high)
# the same floats added together
_TOTALS = '''from decimal import Decimal


def format_amount(value, label):
    return f"{{label}}: {{value}}"


def total_rows(lines):
    total_fc = sum((line.amount for line in lines), Decimal("0"))
    return {use}
'''
PF701_FORMATTED_FOR_A_PAGE = _TOTALS.format(use='["TOTAL", f"{float(total_fc):,.2f}", format_amount(float(total_fc), "fc")]')
PF701_ADDED_AS_FLOATS = _TOTALS.format(use='float(total_fc) + float(lines[0].fee)')

# PF801: a session bound by `async with async_session() as session:` is an async one, its `execute` a coroutine (pity's
# DAOs, round 273: 3 judged false); bound by a plain `with`, a synchronous session whose `execute` blocks
_UNREAD = '''from sqlalchemy import select
from sqlalchemy.ext.asyncio import async_sessionmaker

from app.models import Message

async_session = async_sessionmaker()


async def unread(ids):
    {enter} async_session() as session:
        query = await session.execute(select(Message).where(Message.id.in_(ids))).order_by(Message.id)
        return query
'''
PF801_SESSION_BOUND_ASYNC = _UNREAD.format(enter="async with")
PF801_SESSION_BOUND_SYNC = _UNREAD.format(enter="with")
# (found at low) a method of the object itself, not awaited, though another of its methods is: `self` says nothing of
# being async (SOCFortress CoPilot's Velociraptor client, found in the regression of 1d3a52f)
PF801_OWN_METHOD_NOT_AWAITED = '''import sqlite3


class Velociraptor:
    def __init__(self, path):
        self.conn = sqlite3.connect(path)

    def execute_query(self, query):
        return self.conn.execute(query).fetchall()

    async def refresh(self):
        return None

    async def get_client_id(self, name):
        await self.refresh()
        return self.execute_query(f"SELECT id FROM clients WHERE name = '{name}'")
'''

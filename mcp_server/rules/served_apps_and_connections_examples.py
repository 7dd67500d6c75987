"""Rounds 331 to 355 (issue 15, stop 80): what serves an application (a root `run.py`, a Makefile, PM2), a script's own
function of a method's name, the connection `execution_options()` hands back, and one finding per design: a module's
coroutines on a synchronous session, a loop's helpers that each connect.

- a script that defines and calls its own `validate_migration()` does not call `CapacityManager.validate_migration`
  (a ticketing back end, round 336: 3 judged DEAD); a script calling the class's method does;
- `conn = engine.connect().execution_options(isolation_level="AUTOCOMMIT")` holds the connection itself, so a
  `finally: conn.close()` closes it (a law firm's advisory lock, round 331: judged false); never closed, it leaks;
- a root `run.py` whose main block calls `app.run()` serves a Flask application, whose functions only its own code
  calls (a restaurant SaaS, round 333: 6 judged DEAD); without that block, the package may be a library; so does a
  Makefile of the code's folder starting uvicorn (round 340), or PM2's root `ecosystem.config.js` naming it (round 346);
- the coroutines of one module that query through a synchronous session are one PF801 (one design, one fix: plain `def`
  handlers or the async session), not one each (a tour operator's ERP and a cricket tournament's API, rounds 334 and
  336: 19 judged not worth their own reading); a remote call that blocks stays its coroutine's own finding;
- helpers that each open a connection, called in one loop, are one PF502 (one connection opened before the loop fixes
  them all: a water committee's photo migration, round 348); in code only a script's main block reaches, `low`, as a
  query per item there is.
"""

from __future__ import annotations

# NP103: a class method that only a script's own function of the same name is named by; the script calling it instead
_EVENTS = '''from django.db import models


class Event(models.Model):
    title = models.CharField(max_length=80)


class Performance(models.Model):
    event = models.ForeignKey(Event, related_name="performances", on_delete=models.CASCADE)
    seats = models.IntegerField()
'''
_CAPACITY = '''from .models import Event


class CapacityManager:
    @staticmethod
    def seats_of(event):
        return sum(p.seats for p in event.performances.all())

    @staticmethod
    def validate_migration():
        for event in Event.objects.all():
            for performance in event.performances.all():
                print(performance.seats)
'''
_VIEWS = '''from django.http import JsonResponse

from .capacity import CapacityManager
from .models import Event


def capacity(request, pk):
    return JsonResponse({"seats": CapacityManager.seats_of(Event.objects.get(pk=pk))})
'''
_SCRIPT = '''from events.capacity import CapacityManager


def validate_migration():
    print("checking the migrated capacity")


if __name__ == "__main__":
    {call}
'''
_PROJECT = {"manage.py": "", "events/__init__.py": "", "events/models.py": _EVENTS, "events/capacity.py": _CAPACITY,
            "events/views.py": _VIEWS,
            "events/urls.py": 'from django.urls import path\n\nfrom . import views\n\nurlpatterns = [path("<int:pk>/", views.capacity)]\n'}
NP103_METHOD_NAMED_BY_A_SCRIPTS_OWN_FUNCTION = {**_PROJECT, "migrate_capacity.py": _SCRIPT.format(call="validate_migration()")}
NP103_METHOD_CALLED_BY_A_SCRIPT = {**_PROJECT, "migrate_capacity.py": _SCRIPT.format(call="CapacityManager.validate_migration()")}
# (a module with its own function of the name that also calls an object's method so named: a property manager's
# `update_product` route calling `client.update_product(...)`, found by this stop's own check)
NP103_METHOD_CALLED_BESIDE_ITS_TWIN = {**_PROJECT, "migrate_capacity.py": _SCRIPT.format(
    call="validate_migration()\n    manager = [CapacityManager][0]\n    manager.validate_migration()")}

# PF501: the connection `execution_options()` hands back, closed in a `finally`; never closed
_LOCK = '''from contextlib import contextmanager

from sqlalchemy import create_engine, text

engine = create_engine("postgresql://localhost/firm")


@contextmanager
def single_worker_lock(key: int):
    conn = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
    got = False
    try:
        got = bool(conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {{"k": key}}).scalar())
        yield got
    finally:
        if got:
            conn.execute(text("SELECT pg_advisory_unlock(:k)"), {{"k": key}})
        {close}
'''
PF501_OPTIONS_CONNECTION_CLOSED = _LOCK.format(close="conn.close()")
PF501_OPTIONS_CONNECTION_LEFT_OPEN = _LOCK.format(close="print(key)")
# NP101: a service function nothing calls, in a Flask application a root script serves; the script that serves nothing
_FLASK_APP = {
    "app/__init__.py": '''from flask import Flask
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


def create_app():
    app = Flask(__name__)
    db.init_app(app)
    return app
''',
    "app/models.py": '''from . import db


class Restaurant(db.Model):
    id = db.Column(db.Integer, primary_key=True)


class Category(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    restaurant_id = db.Column(db.Integer, db.ForeignKey("restaurant.id"))
''',
    "app/stats.py": '''from .models import Category, Restaurant


def category_counts():
    return {r.id: Category.query.filter_by(restaurant_id=r.id).count() for r in Restaurant.query.all()}
''',
}
NP101_FUNCTION_OF_A_SERVED_FLASK_APP = {**_FLASK_APP, "run.py": '''from app import create_app

app = create_app()

if __name__ == "__main__":
    app.run(debug=True, port=5000)
'''}
NP101_FUNCTION_OF_A_PACKAGE = {**_FLASK_APP, "run.py": "from app import create_app\n\napp = create_app()\n"}
# (a parish back office's `server/Makefile` starting uvicorn, round 340: one in the code's folder serves it too; one that
# only installs serves nothing)
NP101_FUNCTION_OF_A_MAKEFILE_SERVED_APP = {**_FLASK_APP, "app/Makefile": "dev:\n\tuvicorn app.main:app --reload --port 8001\n"}
NP101_FUNCTION_BESIDE_AN_INSTALLING_MAKEFILE = {**_FLASK_APP, "app/Makefile": "install:\n\tpip install uvicorn flask\n"}
# (a SACCO platform's PM2 `ecosystem.config.js` running uvicorn, round 346; one that runs only the Node front end)
_PM2 = 'module.exports = {{ apps: [{{ name: "api", script: "{script}", args: "app.main:app --port 8000" }}] }};\n'
NP101_FUNCTION_OF_A_PM2_SERVED_APP = {**_FLASK_APP, "ecosystem.config.js": _PM2.format(script="./venv/bin/uvicorn")}
NP101_FUNCTION_BESIDE_A_NODE_PM2 = {**_FLASK_APP, "ecosystem.config.js": _PM2.format(script="./server/index.js")}
# PF801: three coroutines over a synchronous session, two of them querying and one fetching a remote page, in a project
# whose other service has the async driver
_FEEDBACK_ROUTES = '''import requests
from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from .db import Feedback, get_session

router = APIRouter()


@router.get("/feedback/{feedback_id}")
async def get_feedback(feedback_id: int, session: Session = Depends(get_session)):
    return session.get(Feedback, feedback_id)


@router.delete("/feedback/{feedback_id}")
async def delete_feedback(feedback_id: int, session: Session = Depends(get_session)):
    session.delete(session.get(Feedback, feedback_id))
    session.commit()


@router.get("/feedback/{feedback_id}/avatar")
async def avatar(feedback_id: int):
    return requests.get(f"https://avatars.example.com/{feedback_id}", timeout=5).content
'''
PF801_MODULE_OF_SYNC_QUERIES = {"feedback/__init__.py": "", "feedback/routes.py": _FEEDBACK_ROUTES,
                                "billing/db.py": "from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine\n"}
# PF502: two helpers that each connect, called per photo of a folder; a script's main block the only way in, or a route
_READINGS_DB = '''import psycopg2


def get_connection():
    return psycopg2.connect("dbname=water")


def reading_exists(meter, period):
    conn = get_connection()
    try:
        return conn.cursor().execute("SELECT 1 FROM readings WHERE meter = %s AND period = %s", (meter, period))
    finally:
        conn.close()


def create_reading(meter, period):
    conn = get_connection()
    try:
        conn.cursor().execute("INSERT INTO readings (meter, period) VALUES (%s, %s)", (meter, period))
        conn.commit()
    finally:
        conn.close()
'''
_PHOTOS = '''import os

from readings.db import create_reading, reading_exists


def import_folder(folder):
    for name in os.listdir(folder):
        meter, period = name.split("_")[:2]
        if not reading_exists(meter, period):
            create_reading(meter, period)
{entry}
'''
_SCRIPT_ENTRY = '''

if __name__ == "__main__":
    import_folder("photos")
'''
_ROUTE_ENTRY = '''

from flask import Flask

app = Flask(__name__)


@app.post("/import/<folder>")
def import_route(folder):
    import_folder(folder)
    return "ok"
'''
PF502_CONNECTIONS_IN_A_SCRIPT = {"readings/__init__.py": "", "readings/db.py": _READINGS_DB, "readings/photos.py": _PHOTOS.format(entry=_SCRIPT_ENTRY)}
PF502_CONNECTIONS_IN_A_ROUTE = {"readings/__init__.py": "", "readings/db.py": _READINGS_DB, "readings/photos.py": _PHOTOS.format(entry=_ROUTE_ENTRY)}

"""A connection or cursor each item has of its own: the loop reaches a different database on every pass, so there is
no connection to reuse (PF502) and no one statement or transaction that writes to them all (PF201, PF202). What the
loop builds from the item counts as the item: connection parameters filled from its settings (frePPLe's
createdatabase, round 133), a cursor of `connections[scenario.name]` (frePPLe's parameter copied to every scenario,
round 133): both judged WRONGFIX. The positives: the same connection whatever the item."""

_PARAMS = '''
import psycopg2

DATABASES = {"default": {"NAME": "ledger", "HOST": "db1"}, "archive": {"NAME": "ledger_old", "HOST": "db2"}}


def create_databases(user, aliases):
    for alias in aliases:
        params = {"dbname": "template1", "user": user}
        host = DATABASES[alias].get("HOST")
        if host:
            params["host"] = host
        conn = psycopg2.connect(**params)
        conn.cursor().execute("SELECT 1")
        conn.close()
'''

_SCENARIOS = '''
from django.db import connections
from .models import Scenario


def copy_rate(name, value):
    for scenario in Scenario.objects.filter(status="in use"):
        with connections[scenario.name].cursor() as cursor:
            cursor.execute("INSERT INTO tax_rate (name, value) VALUES (%s, %s)", (name, value))
'''
_SCENARIO_MODELS = '''
from django.db import models


class Scenario(models.Model):
    name = models.CharField(max_length=100)
    status = models.CharField(max_length=20)
'''


def _scenarios(code: str) -> dict[str, str]:
    return {"planning/__init__.py": "", "planning/models.py": _SCENARIO_MODELS, "planning/rates.py": code}


PF502_OWN_DATABASE_NEGATIVE = [_PARAMS]
PF502_OWN_DATABASE_POSITIVE = [_PARAMS.replace('params["host"] = host', 'params["host"] = "db1"')]
PF201_OWN_DATABASE_NEGATIVE = [_scenarios(_SCENARIOS)]
PF201_OWN_DATABASE_POSITIVE = [_scenarios(_SCENARIOS.replace("connections[scenario.name]", 'connections["default"]'))]

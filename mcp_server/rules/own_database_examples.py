"""A connection or cursor each item has of its own: the loop reaches a different database on every pass, so there is
no connection to reuse (PF502) and no one statement or transaction that writes to them all (PF201, PF202). What the
loop builds from the item counts as the item: connection parameters filled from its settings (frePPLe's
createdatabase, round 133), a cursor of `connections[scenario.name]` (frePPLe's parameter copied to every scenario,
round 133): both judged WRONGFIX; so does the item handed down to a helper that connects from it (OpenHEXA, round
140). The positives: the same connection whatever the item."""

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


# the item handed down to a helper that connects to its own database (OpenHEXA's per-workspace databases searched for
# a table, round 140: judged WRONGFIX); the helper connecting to one database whatever the workspace is reported
_WORKSPACES = '''
import psycopg2


def workspace_connection(workspace):
    return psycopg2.connect(host="db", dbname={db}, user="reader")


def table_names(workspace):
    conn = workspace_connection(workspace)
    try:
        return [r[0] for r in conn.cursor().execute("SELECT tablename FROM pg_tables")]
    finally:
        conn.close()


def search(workspaces, query):
    return [(w, t) for w in workspaces for t in table_names(workspace=w) if query in t]
'''
PF502_HELPER_ITEMS_DATABASE = _WORKSPACES.format(db="workspace.db_name")
PF502_HELPER_ONE_DATABASE = _WORKSPACES.format(db='"ledger"')

PF502_OWN_DATABASE_NEGATIVE = [_PARAMS, PF502_HELPER_ITEMS_DATABASE]
PF502_OWN_DATABASE_POSITIVE = [_PARAMS.replace('params["host"] = host', 'params["host"] = "db1"'), PF502_HELPER_ONE_DATABASE]
PF201_OWN_DATABASE_NEGATIVE = [_scenarios(_SCENARIOS)]
PF201_OWN_DATABASE_POSITIVE = [_scenarios(_SCENARIOS.replace("connections[scenario.name]", 'connections["default"]'))]

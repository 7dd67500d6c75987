"""PF601 on what a statement formats (rounds 173 and after).

A statement formatted from another one the function formatted first: `WHERE id IN ({subquery})`. NoHarm's prescription
service formats its tenant's schema into a subquery and that subquery into an UPDATE and an INSERT, every value bound
(round 173: 2 judged false at `high`, "only the server-side schema identifier is interpolated"). The subquery is SQL
text, not a value, though it sits in an `IN` list; what it formats counts where it sits in its own text. A subquery that
formats a caller's value where a value goes stays reported."""

PF601_SCHEMA_SUBQUERY = '''
from sqlalchemy import text

from .tenants import current_tenant


def reprice_lines(session, invoice_number):
    tenant = current_tenant()
    subquery = f"""
        SELECT id FROM {tenant.schema}.invoices
        WHERE number = :number
    """
    session.execute(text(f"UPDATE {tenant.schema}.invoice_lines SET priced = false WHERE invoice_id IN ({subquery})"),
                    {"number": invoice_number})
'''
# the caller's number formatted into the subquery's value place: `high`, from the subquery's own parts
PF601_VALUE_IN_SUBQUERY = PF601_SCHEMA_SUBQUERY.replace("WHERE number = :number", "WHERE number = '{invoice_number}'")

# a model's own names, lower-cased, in a sequence's name (Penn Courses' next id, round 175: judged false at `high`); a
# caller's value lower-cased in a value's place stays reported
PF601_CASED_MODEL_NAMES = '''
from django.db import connection


def next_invoice_id(invoice):
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('{0}_{1}_id_seq'::regclass)".format(
            invoice._meta.app_label.lower(), invoice._meta.model_name.lower()))
        return cursor.fetchone()[0]
'''
PF601_CASED_CALLER_VALUE = '''
from django.db import connection


def client_ids(name):
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM billing_client WHERE name = '{0}'".format(name.lower()))
        return [row[0] for row in cursor.fetchall()]
'''
# a number computed by division or a power of the caller's numbers: `(2**zoom - 1) - y` is a number or a TypeError
# (Ocean Navigator's map tiles, round 179: judged false)
PF601_ARITHMETIC_NUMBER = '''
import sqlite3


def tile(zoom: int, x: int, y: int):
    row = (2**zoom - 1) - y
    connection = sqlite3.connect("tiles.mbtiles")
    sql = f"SELECT tile_data FROM tiles WHERE zoom_level = {zoom} AND tile_column = {x // 2} AND tile_row = {row}"
    return connection.execute(sql).fetchone()
'''
# (found) the same statement with the caller's text in it
PF601_ARITHMETIC_BESIDE_TEXT = PF601_ARITHMETIC_NUMBER.replace("zoom: int, x: int, y: int", "zoom: int, x: int, y: int, layer").replace(
    "FROM tiles WHERE", "FROM tiles WHERE layer = '{layer}' AND")

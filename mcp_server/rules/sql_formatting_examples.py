"""The examples of sql_formatting.py's rules: each a source file (or {path: source} for several modules); the positive ones
must be flagged by the rule, the negative ones must not. Imported when a test first reads them (rules.Examples)."""

from __future__ import annotations

from .contexts_and_literals_examples import PF601_BESIDE_A_YIELDING_LAMBDA
from .caller_examples import (
        PF601_COMPOSED_HERE,
        PF601_FROM_REQUEST,
        PF601_NUMBER_BY_CALLERS,
        PF601_SQL_WITH_PARAMS,
        PF601_TEXT_BY_CALLERS,
        PF601_WRITTEN_BY_CALLERS,
)
from .carried_statement_examples import PF601_AFTER_DBLINK_KEPT, PF601_DBLINK_LOWERED
from .handed_back_examples import PF601_CALLER_CHOSEN_DEFAULT, PF601_CODE_CHOSEN_COLUMN
from .hand_run_examples import ONCE_PER_RUN_POSITIVE
from .intent_examples import PF601_REPEATED_FRAGMENT
from .event_and_page_examples import PF601_IDS_UNQUOTED, PF601_PRIVATE_QUOTING_HELPER
from .left_at_default_examples import PF601_LEFT_AT_DEFAULT, PF601_PASSED_BY_A_CALLER
from .not_data_examples import PF601_QUOTED_IDENTIFIER
from .statement_examples import PF601_STRUCTURE_AND_VALUE
from .subquery_examples import (PF601_ARITHMETIC_BESIDE_TEXT, PF601_ARITHMETIC_NUMBER, PF601_CASED_CALLER_VALUE, PF601_CASED_MODEL_NAMES,
                                PF601_SCHEMA_SUBQUERY, PF601_VALUE_IN_SUBQUERY)

_FRAGMENTS = '''
def invoices(cur, client_ids, number=None):
    filters, args = ["i.client_id in %s"], [tuple(client_ids)]
    if number:
        filters.append({second})
        args.append(number)
    where = " OR ".join(filters)
    if len(filters) > 1:
        where = f"({{where}})"
    cur.execute(f"SELECT id FROM invoices i WHERE {{where}}", args)
    return cur.fetchall()
'''

# a row copied with its own keys as columns and named placeholders, every value bound (a project clone): `low`, since
# only keys that came from a request could inject (judged false at `high` on a real application, issue 15 round 24)
PF601_DICT_KEYS = '''
async def copy_invoice(db, invoice_id, new_id):
    for line in await db.fetch_all("SELECT * FROM invoice_lines WHERE invoice_id = :id", {"id": invoice_id}):
        data = dict(line)
        data.pop("id")
        data["invoice_id"] = new_id
        columns = ", ".join(data.keys())
        values = ", ".join(f":{key}" for key in data)
        await db.execute(f"INSERT INTO invoice_lines ({columns}) VALUES ({values})", data)
'''


_KEYWORD_COUNTS = '''
import pandas as pd


def keyword_counts(conn, min_count=100):
    query = f"""
        SELECT keyword, count(*) AS count FROM url_keywords
        GROUP BY keyword HAVING count(*) > {min_count}
    """
    return pd.read_sql(query, con=conn)
'''


# a year `int()` has accepted in the function's own body: only an integer's digits reach the SQL (SciPost's citation
# counts, round 136: 2 judged false); accepted only under an `if`, the text may still be anything, and is reported
_INT_CHECKED = '''
def citations(cursor, year):
    first = int(year) - 2
    cursor.execute(f"SELECT COUNT(*) FROM citations WHERE year BETWEEN {first} AND '{year}'")
    return cursor.fetchone()[0]
'''
PF601_INT_CHECKED_IN_A_BRANCH = _INT_CHECKED.replace("    first = int(year) - 2\n", "    first = 2000\n    if year:\n        first = int(year) - 2\n")

PF601_POSITIVE = [
        # a parameter without a default or a hint may be any text its callers pass (its twin with `=100` is negative)
        _KEYWORD_COUNTS.replace("min_count=100", "min_count"),
        # a table named by a helper from what the caller passes (`kind`): a value in the SQL text
        '''
async def mark_spent(db, proof, kind):
    await db.execute(
        f"INSERT INTO {db.table_with_schema(kind)} (secret, amount) VALUES (:secret, :amount)",
        {"secret": proof.secret, "amount": proof.amount},
    )
''',
        # a view's own attribute chain that reaches the request: the text a user typed, not the object's settings
        '''
class Search:
    def results(self, cur):
        cur.execute(f"SELECT id FROM items WHERE name = '{self.request.GET['q']}'")
        return cur.fetchall()
''',
        # a `*_id` field may hold outside text (a bank's transaction reference): not a key the database gave
        '''
def settle(cur, payment):
    cur.execute("UPDATE ledger SET settled = true WHERE reference = '%s'" % payment.transaction_id)
''',
        '''
def get_client_invoices_bad(db, client_ids):
    return [db.query(f"SELECT * FROM invoices WHERE client_id = {client_id}") for client_id in client_ids]
''',
        '''
def invoices(cur, client_id):
    cur.execute(f"SELECT id, total FROM invoices WHERE client_id = {client_id}")
    return cur.fetchall()
''',
        '''
def search(conn, name):
    sql = "SELECT id FROM clients WHERE name = '%s'" % name
    return conn.execute(sql).fetchall()
''',
        '''
def filtered(conn, status, state):
    query = "SELECT id FROM invoices WHERE 1 = 1"
    if status:
        query += " AND status = '" + status + "'"
    return conn.execute(query).fetchall()
''',
        '''
from sqlalchemy import text
def total(session, client):
    return session.execute(text("SELECT sum(total) FROM invoices WHERE client_id = {}".format(client))).scalar()
''',
        # Django's `extra()` takes SQL fragments as written: a request's text pasted into one is injected all the same
        '''
def matching(invoices, request):
    return invoices.extra(where=["notes LIKE '%%%s%%'" % request.GET["q"]])
''',
        # a parameter typed as text is pasted as it is, whatever its name
        '''
def numbered(cur, series: str | None = None):
    cur.execute("SELECT number FROM invoice_numbers WHERE series = '%s'" % series)
''',
        # `%s` prints the name as it is, even beside a `%d` that prints a number
        '''
def by_client(cur, client_id, name):
    cur.execute("SELECT id FROM invoices WHERE client_id = %d AND name = '%s'" % (client_id, name))
''',
        # the twin of the list of fragments below: a caller's text goes into the list
        _FRAGMENTS.format(second="f\"i.number = '{number}'\""),
        # `low`: only the column names of the dict it binds are formatted (tests/test_scan_performance.py)
        PF601_DICT_KEYS,
        # `low`: every call in the project passes the parameter a word the code wrote (TaMaTo, round 98), or a number
        # `int()` made (the Citizens Police Data Project, round 181); `high` handed the request's text
        PF601_WRITTEN_BY_CALLERS, PF601_NUMBER_BY_CALLERS, PF601_TEXT_BY_CALLERS,
        # `low`: SQL other code composed, no caller's value in it as it is (Datasette, round 101); `high`: a request's text
        PF601_COMPOSED_HERE,
        PF601_FROM_REQUEST,
        # `high` for the value in quotes; the table alone is `low`, in the statement's structure (Feast, round 103)
        PF601_STRUCTURE_AND_VALUE,
        # `low` inside the query text dblink() sends to another server; `high` after it (carried_statement_examples.py)
        PF601_DBLINK_LOWERED,
        PF601_AFTER_DBLINK_KEPT,
        # `low` in a management command nothing starts, `high` when a crontab runs it (hand_run_examples.py)
        *ONCE_PER_RUN_POSITIVE,
        PF601_INT_CHECKED_IN_A_BRANCH,
    ]

PF601_NEGATIVE = [
        # the values `extra()` binds to its fragments' placeholders, a pattern built around the search text: a value in
        # its place, never SQL (codecov's branch search, round 147: judged false); pasted into `where=` it is reported above
        '''
def matching(invoices, request):
    return invoices.extra(where=["notes ILIKE %s"], params=[f"%{request.GET['q']}%"])
''',
        _INT_CHECKED,
        PF601_REPEATED_FRAGMENT,
        # a parameter whose default is a number, without a hint (Zeeguu's keyword report, round 134: judged false)
        _KEYWORD_COUNTS,
        PF601_QUOTED_IDENTIFIER,
        # a checksum and a parameter typed as a number print digits, whatever they were made from (Open Zaak's advisory
        # lock, Review Board's muted-notification query: round 55, judged false)
        '''
import zlib


def locked_numbering(cur, series: str, invoice_id: int | None = None):
    lock_id = zlib.crc32(series.encode("utf-8"))
    cur.execute(f"SELECT pg_advisory_xact_lock({lock_id})")
    cur.execute("SELECT number FROM invoice_numbers WHERE invoice_id = %s" % invoice_id)
''',
        # a name checked against the code's own words before it is formatted in (Open Prices' duplicate clean-up,
        # round 63: judged false)
        '''
def duplicates(cur, kind: str):
    if kind not in ("product_code", "category_tag"):
        raise ValueError(kind)
    cur.execute(f"SELECT {kind}, count(*) FROM prices GROUP BY {kind} HAVING count(*) > 1")
    return cur.fetchall()
''',
        # a name looked up in the code's own dict before it is formatted in: any other value raises KeyError there
        # (Weasyl's comment removal, round 66: judged false)
        '''
def remove_comment(cur, feature: str, comment_id: int):
    code = {"invoice": 4010, "receipt": 4020}[feature]
    cur.execute(f"DELETE FROM {feature}_comment WHERE id = %s AND kind = %s", (comment_id, code))
''',
        # attributes of the code's own constants (a rating's code), every value bound (Weasyl's notifications,
        # round 66: judged false)
        '''
from . import ratings


def flagged(cur, invoice_id: int):
    query = "SELECT id FROM invoices WHERE id = %s AND rating IN ({explicit}, {mature})".format(
        explicit=ratings.EXPLICIT.code, mature=ratings.MATURE.code)
    cur.execute(query, (invoice_id,))
''',
        # a helper that spells the table's name (with the schema the database object was built with) from a literal:
        # Nutshell's SQL layer (round 51, 18 findings judged false); every value is bound
        '''
async def mark_spent(db, proof):
    await db.execute(
        f"INSERT INTO {db.table_with_schema('proofs_used')} (secret, amount) VALUES (:secret, :amount)",
        {"secret": proof.secret, "amount": proof.amount},
    )
''',
        # the model's own table and column names from `_meta`, every value bound (OpenCodelists' and OpenPrescribing's
        # bulk INSERT of dm+d rows, judged false twice in round 48)
        '''
from django.db import connection, models
def insert_rows(model, rows):
    table_name = model._meta.db_table
    column_names = [f.db_column or f.name for f in model._meta.fields if not isinstance(f, models.AutoField)]
    sql = "INSERT INTO {} ({}) VALUES ({})".format(table_name, ", ".join(column_names), ", ".join(["%s"] * len(column_names)))
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
''',
        # each condition is a quoted identifier joined to a placeholder (`db.quote(name) + "=%s"`), the values bound (Trac)
        '''
def subscriptions(db, **filters):
    conditions, args = [], []
    for name, value in sorted(filters.items()):
        conditions.append(db.quote(name) + "=%s")
        args.append(value)
    query = "SELECT id, sid FROM notify_subscription"
    if conditions:
        query += " WHERE " + " AND ".join(conditions)
    cursor = db.cursor()
    cursor.execute(query, args)
    return cursor.fetchall()
''',
        # conditions joined from a list only fragments the code wrote went into, wrapped when there are two
        _FRAGMENTS.format(second='"i.number = %s"'),
        # the class's own column list quoted as identifiers, every value bound: nothing a caller types is formatted in
        '''
class Counts:
    squash_over = ("org_id", "scope")

    @classmethod
    def columns(cls):
        return cls.squash_over

    @classmethod
    def squash(cls, cur, values):
        cols = cls.columns()
        cond = " AND ".join([f'"{col}" = %s' for col in cols])
        cur.execute(f"DELETE FROM counts WHERE {cond}", values)
''',
        # values passed through the project's own quoting helpers (a quoted identifier, an escaped literal): nothing
        # a caller types reaches the statement unquoted, and identifiers cannot be bound parameters
        '''
def identifier(s):
    return '"' + s.replace('"', '""') + '"'
def literal_string(s):
    return "'" + s.replace("'", "''") + "'"
def table_size(conn, resource_id):
    rows = conn.execute(f"SELECT count(_id) FROM {identifier(resource_id)}").scalar()
    size = conn.execute(f"SELECT pg_relation_size({literal_string(resource_id)})").scalar()
    return rows, size
def insert_row(conn, table, columns, returning, unique, row):
    sql = "INSERT INTO {t} ({c}) VALUES (:v) {r} -- {u}".format(
        t=identifier(table), c=", ".join(identifier(c) for c in columns),
        r="RETURNING {cols}".format(cols=", ".join([identifier(c) for c in columns])) if returning else "",
        u="true" if unique else "false")
    return conn.execute(sql, row)
''',
        # a WHERE clause Django compiled from a queryset (`as_sql`, `sql_with_params`): SQL text with placeholders,
        # its values bound beside it
        '''
from django.db import connection
def counts_by_status(invoices, client_id):
    compiler = invoices.query.get_compiler(using=invoices.db)
    compiled = invoices.query.where.as_sql(compiler, connection)
    where = compiled[0]
    params = compiled[1]
    sql = "SELECT status_id, count(*) FROM billing_invoice WHERE {where} AND client_id = %s GROUP BY 1".format(where=where)
    with connection.cursor() as cursor:
        cursor.execute(sql, params + [client_id])
        return cursor.fetchall()
def overdue_ids(invoices):
    inner, inner_params = invoices.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM ({inner}) AS sub WHERE sub.due < now()", inner_params)
        return cursor.fetchall()
''',
        # a number formatted into the statement carries no SQL, whatever text it was parsed from
        '''
def replace_config(side_db, entry):
    config_id = int(entry["id"])
    side_db.query(f"DELETE FROM config WHERE id={config_id}")
''',
        '''
def count(cursor, model):
    cursor.execute("SELECT count(*) FROM %s" % model._meta.db_table)
    return cursor.fetchone()[0]
''',
        # a saved row's keys (`user.pk`, `invoice.id`, `%d`), Django's quote_name under a local name, and dicts of such
        # values, in `execute` and in `extra()`: numbers the database gave and quoted identifiers, nothing typed in
        '''
def mark_seen(cursor, invoice, user):
    qn = cursor.db.ops.quote_name
    cursor.execute(f"UPDATE {qn('billing_invoice')} SET {qn('seen')} = true WHERE {qn('id')} = %s", [invoice.pk])
    cursor.execute("SELECT total FROM billing_invoice WHERE id = %d" % invoice.id)
    values = {"table": invoice._meta.db_table, "client": invoice.client.pk}
    cursor.execute("SELECT count(*) FROM %(table)s WHERE client_id = %(client)s" % values)
def with_counts(invoices, user):
    select = {}
    select["mine"] = "SELECT count(*) FROM billing_payment WHERE user_id = %(user_id)s" % {"user_id": str(user.pk)}
    return invoices.extra(select=select).extra(where=["billing_invoice.owner_id = %s" % user.pk])
''',
        '''
def invoices(cur, ids):
    marks = ",".join("?" * len(ids))
    cur.execute(f"SELECT id, total FROM invoices WHERE id IN ({marks})", ids)
    return cur.fetchall()
''',
        '''
TABLE = "invoices"
def count(cur):
    cur.execute(f"SELECT count(*) FROM {TABLE}")
    return cur.fetchone()[0]
''',
        # table names the loop takes from a literal tuple, a table name a helper derives, and the deployment's own
        # database name: nothing a user typed
        '''
from django.conf import settings
from django.db import connection
def table_of(model):
    return f"billing_{model.__name__.lower()}"
def largest_ids(cursor, model):
    tblname = table_of(model)
    cursor.execute(f'SELECT MAX(id) FROM "{tblname}"')
    for relation in ("billing_invoice", "billing_payment"):
        cursor.execute(f"SELECT MAX(id) FROM {relation}")
    cursor.execute(f"SELECT count(*) FROM pg_stat_activity WHERE datname = '{connection.settings_dict['NAME']}'")
    cursor.execute(f"SET search_path TO {settings.TENANT_SCHEMA}")
''',
        '''
def invoices(cur, client_id):
    cur.execute("SELECT id, total FROM invoices WHERE client_id = %s", (client_id,))
    return cur.fetchall()
''',
        '''
def greet(log, name):
    log.execute(f"hello {name}")
''',
        # table and column names from the ORM's own metadata, every value bound: nothing a caller can inject
        '''
from sqlalchemy import text
def reopen_period(session, period_id):
    table = LedgerPeriod.__tablename__
    status = LedgerPeriod.status.name
    session.execute(text(f"UPDATE {table} SET {status} = :open WHERE id = :id"), {"open": "open", "id": period_id})
''',
        # SQL a helper returns beside the values it binds (EnvErgo, round 97)
        PF601_SQL_WITH_PARAMS,
    ]

# a column or a default the code spells, chosen by a module helper that hands back one of its arguments (freqtrade's
# migrations, round 161): not reported; the same helper handed a caller's default is
PF601_POSITIVE.append(PF601_CALLER_CHOSEN_DEFAULT)
PF601_NEGATIVE.append(PF601_CODE_CHOSEN_COLUMN)
# (low) a parameter every caller leaves at its None default; (high) one a caller fills from the request (round 163)
PF601_POSITIVE += [PF601_LEFT_AT_DEFAULT, PF601_PASSED_BY_A_CALLER]
# (not reported) a subquery formatted from the tenant's schema only, in an `IN` list; (high) one formatting a caller's value
PF601_NEGATIVE.append(PF601_SCHEMA_SUBQUERY)
PF601_POSITIVE.append(PF601_VALUE_IN_SUBQUERY)
# (not reported) a model's own names lower-cased into a sequence's name; (high) a caller's value lower-cased
PF601_NEGATIVE.append(PF601_CASED_MODEL_NAMES)
PF601_POSITIVE.append(PF601_CASED_CALLER_VALUE)
# (not reported) numbers from a power and a floor division of the caller's numbers; (high) the caller's text beside them
PF601_NEGATIVE.append(PF601_ARITHMETIC_NUMBER)
PF601_POSITIVE.append(PF601_ARITHMETIC_BESIDE_TEXT)

# (not reported) an ORDER BY picked from a dict of the code's own fragments by the caller's key, falling back to a
# default (squiggy's whiteboards, round 185); (high) the caller's key itself formatted in
_ORDER_PICKED = '''
from sqlalchemy import text


def invoices(session, order_by):
    default = "i.issued_on DESC"
    clause = {{"client": "c.name, i.id", "recent": default}}.get(order_by) or default
    return session.execute(text(f"SELECT i.* FROM invoices i JOIN clients c ON c.id = i.client_id ORDER BY {{{picked}}}"))
'''
PF601_NEGATIVE.append(_ORDER_PICKED.format(picked="clause"))
PF601_POSITIVE.append(_ORDER_PICKED.format(picked="order_by"))

# `.format()` of a statement with no `{}` field leaves its arguments out of the text (Refinery's sequence lookup, round
# 214: a broken query, not one built from the request); with the field, the argument is in the SQL
_CHROM = '''
def sequence(cursor, chrom):
    cursor.execute("SELECT seq FROM genome WHERE chrom = {field}".format(chrom))
    return cursor.fetchone()
'''
PF601_NEGATIVE.append(_CHROM.format(field="%s"))
PF601_POSITIVE.append(_CHROM.format(field="'{}'"))

# a Flask route's `<int:tag_id>` makes the value a number before the view runs (Lute's tag deletion, round 212); a plain
# `<tag_id>` is whatever text the URL carries
_ROUTED_DELETE = '''
from flask import Blueprint
from sqlalchemy import text

from .db import session

bp = Blueprint("tags", __name__)


@bp.route("/delete/{part}", methods=["POST"])
def delete(tag_id):
    session.execute(text(f"DELETE FROM invoice_tags WHERE tag_id = {{tag_id}}"))
    session.commit()
'''
PF601_NEGATIVE.append(_ROUTED_DELETE.format(part="<int:tag_id>"))
PF601_POSITIVE.append(_ROUTED_DELETE.format(part="<tag_id>"))
# (round 245) graph ids escaped and quoted by a private helper (`_quote_vid`); the same ids put in unquoted
# (event_and_page_examples.py)
PF601_NEGATIVE.append(PF601_PRIVATE_QUOTING_HELPER)
PF601_POSITIVE.append(PF601_IDS_UNQUOTED)
# (round 255) a generator lambda elsewhere in the module no longer stops the file's pattern rules
PF601_POSITIVE.append(PF601_BESIDE_A_YIELDING_LAMBDA)

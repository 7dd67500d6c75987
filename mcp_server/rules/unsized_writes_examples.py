"""A DB-API or SQLAlchemy write per item of a loop nothing sizes, for PF201: a request's few metrics, a dict of one job's
changes, one transaction's inputs and outputs. Judged in rounds 100 to 128, 0 of 20 such `high` findings were worth
acting on (a time-series store's metrics of one resource, a wallet's tracked addresses, one block's MEV changes); they
are found at low, saying so, as Django writes over such loops are not reported (row_writes.judge). A loop over a
query's rows, a file's or an import's stays `high`."""

# (found at low: the loop's items are a request's metrics, as many as it sends)
PF201_UNSIZED_STATEMENT_LOWERED = ['''
def set_metrics(conn, resource_id, payload):
    for name, value in payload["metrics"].items():
        conn.execute("UPDATE metric SET value = ? WHERE resource_id = ? AND name = ?", (value, resource_id, name))
''']

PF201_SIZED_STATEMENT_KEPT = [
    # the rows of a query: as many as the table holds
    '''
def mark_paid(conn):
    rows = conn.execute("SELECT id FROM invoice WHERE due < date('now')").fetchall()
    for row in rows:
        conn.execute("UPDATE invoice SET overdue = 1 WHERE id = ?", (row[0],))
''',
    # the lines of a file: an import, as many as the file holds
    '''
import csv


def load_rates(conn, path):
    with open(path) as f:
        for row in csv.reader(f):
            conn.execute("INSERT INTO tax_rate (code, rate) VALUES (?, ?)", (row[0], row[1]))
''',
]

# one INSERT ... SELECT per window of lines (`for batch in range(batch_count):`): the chunking itself, which yields its
# progress between windows (GeoNature's imports, round 148: 2 judged WRONGFIX); the same statement per item stays
_WINDOWS = '''
import sqlalchemy as sa
from .models import db, Synthese, transient


def import_rows(select_stmt, batch_size, batch_count):
    for {target} in range(batch_count):
        low = {target} * batch_size
        insert_stmt = sa.insert(Synthese).from_select(names=["id"], select=select_stmt.where(transient.c.line_no >= low))
        db.session.execute(insert_stmt)
        yield {target}
'''
PF201_PER_WINDOW = {"imports/__init__.py": "", "imports/actions.py": _WINDOWS.format(target="batch")}
PF201_PER_ITEM = {"imports/__init__.py": "", "imports/actions.py": _WINDOWS.format(target="item")}

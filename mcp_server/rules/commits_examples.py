"""The examples of commits.py's rules: each a source file (or {path: source} for several modules); the positive ones
must be flagged by the rule, the negative ones must not. Imported when a test first reads them (rules.Examples)."""

from __future__ import annotations

from .intent_examples import PF202_COMMIT_THEN_MAIL
from .event_and_page_examples import PF202_COMMIT_PER_PAGE, PF202_COMMIT_PER_ROW

PF202_POSITIVE = [
        '''
def import_rows(conn, rows):
    for row in rows:
        conn.executemany("INSERT INTO ledger VALUES (?, ?)", [row])
        conn.commit()
''',
        '''
def save_all(session, objects):
    for obj in objects:
        session.merge(obj)
        session.commit()
''',
        # a handler that raises again ends the loop at the first error: nothing is committed alone on purpose
        '''
def post_all(session, invoices):
    for invoice in invoices:
        try:
            invoice.post()
            session.commit()
        except Exception:
            session.rollback()
            raise
''',
    ]

PF202_NEGATIVE = [
        PF202_COMMIT_THEN_MAIL,
        # the commit in an `except` handler: it runs for the rows that fail, as an `if` would (SimpleLogin disables a
        # mailbox whose PGP key no longer loads and commits before mailing its owner: round 50, judged false)
        '''
def check_keys(session, mailboxes):
    for mailbox in mailboxes:
        try:
            load_key(mailbox.pgp_key)
        except ValueError:
            mailbox.pgp_enabled = False
            session.commit()
''',
        # the commit is followed by a `return` in the loop's body: the first matching row is the only one it commits
        '''
def remove_tag(session, invoice, name):
    for tag in invoice.tags:
        if tag.name != name:
            continue
        invoice.tags.remove(tag)
        session.commit()
        return True
    return False
''',
        # a stand-in module imported under the name (`dummy_transaction as transaction`): its commit() does nothing
        '''
from .utils import dummy_transaction as transaction
def import_rows(conn, rows):
    for row in rows:
        conn.execute("INSERT INTO ledger VALUES (?, ?)", row)
        transaction.commit()
''',
        '''
def import_rows(conn, rows):
    for i, row in enumerate(rows, start=1):
        conn.executemany("INSERT INTO ledger VALUES (?, ?)", [row])
        if i % 1000 == 0:
            conn.commit()
    conn.commit()
''',
        '''
def import_batches(conn, rows):
    for start in range(0, len(rows), 1000):
        conn.executemany("INSERT INTO ledger VALUES (?, ?)", rows[start:start + 1000])
        conn.commit()
''',
        # each long step is committed and its progress published: what the log calls done is done
        '''
import logging
log = logging.getLogger(__name__)
def close_periods(conn, periods):
    for period in periods:
        conn.execute("CALL close_ledger_period(?)", (period,))
        conn.commit()
        log.info("period %s closed", period)
''',
        # each row commits or fails alone: one commit for all would let one bad invoice undo the others
        '''
def post_all(session, invoices, errors):
    for invoice in invoices:
        try:
            invoice.post()
            session.commit()
        except Exception as e:
            session.rollback()
            errors.append((invoice.number, str(e)))
''',
    ]

# iterating what `.first()` returns walks the columns of one row: here one, so one commit (the Modern Engagement Tool's
# ETL run cycles, round 151: `for run_cycle_id in max_run_cycle_id:` over `query(func.max(...)).first()`); over the
# query's rows it is a commit per row
_ONE_ROW = '''
from datetime import datetime, timezone

from sqlalchemy import func

from .models import RunCycle


def start_run(session):
    last_run = session.query(func.coalesce(func.max(RunCycle.id), 0)).first()
    for run_id in last_run:
        session.add(RunCycle(id=run_id + 1, started=datetime.now(timezone.utc)))
        session.commit()
'''
_RUN_MODELS = '''from sqlalchemy import Column, DateTime, Integer
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class RunCycle(Base):
    __tablename__ = "run_cycles"
    id = Column(Integer, primary_key=True)
    started = Column(DateTime)
'''
PF202_COLUMNS_OF_ONE_ROW = {"etl/__init__.py": "", "etl/models.py": _RUN_MODELS, "etl/runs.py": _ONE_ROW}
PF202_ROWS_OF_A_QUERY = {**PF202_COLUMNS_OF_ONE_ROW, "etl/runs.py": _ONE_ROW.replace(
    "session.query(func.coalesce(func.max(RunCycle.id), 0)).first()", "session.scalars(select(RunCycle.id)).all()").replace(
    "from sqlalchemy import func", "from sqlalchemy import select")}
PF202_POSITIVE.append(PF202_ROWS_OF_A_QUERY)
PF202_NEGATIVE.append(PF202_COLUMNS_OF_ONE_ROW)

# a write the iteration tries, catching the database's error, before its commit: the failed write has rolled the session
# back, so the commit per row is what keeps the rows before (Quetz's channel mirror, round 168: judged WRONGFIX); a
# `try` that catches something else (a parse error) leaves the commit one per row, to batch
_MIRROR = '''
from sqlalchemy.exc import IntegrityError


def mirror_clients(session, dao, feed):
    for name, data in feed.items():
        try:
            client = dao.create_client(name)
        except {}:
            client = dao.get_client(name)
        client.address = data.get("address", "")
        session.commit()
'''
PF202_ROLLED_BACK_WRITE = _MIRROR.format("IntegrityError")
PF202_OTHER_ERROR = _MIRROR.format("ValueError")
PF202_NEGATIVE.append(PF202_ROLLED_BACK_WRITE)
PF202_POSITIVE.append(PF202_OTHER_ERROR)

# each invoice locked as it is numbered (`with_for_update()`): the commit per pass releases the lock, so that no lock is
# held for the whole run (Dropbox's Changes locks each revision it syncs, round 176: judged WRONGFIX); the same loop
# without the lock commits per row for nothing
_NUMBERING = '''
def number_invoices(session, Invoice, ids, next_number):
    for invoice_id in ids:
        invoice = session.query(Invoice).filter(Invoice.id == invoice_id){lock}.one()
        invoice.number = next_number()
        session.commit()
'''
PF202_COMMIT_RELEASES_LOCK = _NUMBERING.format(lock=".with_for_update()")
PF202_COMMIT_WITHOUT_LOCK = _NUMBERING.format(lock="")
PF202_NEGATIVE.append(PF202_COMMIT_RELEASES_LOCK)
PF202_POSITIVE.append(PF202_COMMIT_WITHOUT_LOCK)

# each award in a session of its own beside its failure's handler (`with new_session() as session, skipped(session):`),
# committed there: a failed award rolls back alone (Credere's previous awards, whose handler rolls back and logs a skipped one: round 190, judged WRONGFIX); the
# same loop committing one session opened before it commits per row for nothing
PF202_SESSION_PER_ITEM = '''
def import_awards(new_session, awards, save_award, skipped_award):
    for entry in awards:
        with new_session() as session, skipped_award(session):
            save_award(session, entry)
            session.commit()
'''
# a session per item and nothing that handles an item's failure: one session and one commit would do
PF202_SESSION_WITHOUT_HANDLER = '''
def import_awards(new_session, awards, save_award):
    for entry in awards:
        with new_session() as session:
            save_award(session, entry)
            session.commit()
'''
PF202_ONE_SESSION = '''
def import_awards(new_session, awards, save_award):
    with new_session() as session:
        for entry in awards:
            save_award(session, entry)
            session.commit()
'''
PF202_NEGATIVE.append(PF202_SESSION_PER_ITEM)
PF202_POSITIVE += [PF202_ONE_SESSION, PF202_SESSION_WITHOUT_HANDLER]
# (round 251) a commit per page of rows, `for page in range(1, pages)`; the same commit per row (event_and_page_examples.py)
PF202_NEGATIVE.append(PF202_COMMIT_PER_PAGE)
PF202_POSITIVE.append(PF202_COMMIT_PER_ROW)

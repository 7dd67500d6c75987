"""The examples of commits.py's rules: each a source file (or {path: source} for several modules); the positive ones
must be flagged by the rule, the negative ones must not. Imported when a test first reads them (rules.Examples)."""

from __future__ import annotations

from .intent_examples import PF202_COMMIT_THEN_MAIL

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

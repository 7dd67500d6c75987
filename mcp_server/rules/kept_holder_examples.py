"""A connection kept on what outlives the call: `holder = cls._holder()` then `if not getattr(holder, "_handle", None):
holder._handle = connect()`, where `_holder()` hands back `flask.g` (one per request) or the class itself (one per
process). The connection is opened once and reused, not opened per call, so a loop calling through it is reported as
the query it runs (NP102), not as a connection per item (PF502). A federal-spending broker's `GlobalDB.db()`, round 131:
13 PF502 findings judged CACHED. When `_holder()` builds a new object on every call, the connection is new every time."""

_DB = '''
from collections import namedtuple

import flask
import sqlalchemy
from sqlalchemy.orm import sessionmaker


Handle = namedtuple("Handle", ["engine", "connection", "session"])


def connect():
    engine = sqlalchemy.create_engine("postgresql://ledger@db/ledger", pool_size=20)
    connection = engine.connect()
    return Handle(engine, connection, sessionmaker(bind=engine)())


class LedgerDB:
    @classmethod
    def _holder(cls):
        if flask.current_app:
            return flask.g
        return cls

    @classmethod
    def db(cls):
        holder = cls._holder()
        if not getattr(holder, "_handle", None):
            holder._handle = connect()
        return holder._handle

    @classmethod
    def close(cls):
        holder = cls._holder()
        if hasattr(holder, "_handle"):
            holder._handle.session.close()
            del holder._handle
'''
_JOBS = '''
import sqlalchemy
from ledger.db import LedgerDB


class JobHandler:
    @staticmethod
    def finalize(job_id):
        sess = LedgerDB.db().session
        sess.execute(sqlalchemy.text("UPDATE jobs SET status = 'finished' WHERE id = :id"), {"id": job_id})
        sess.commit()

    def restart(self, upload_jobs):
        for job in upload_jobs:
            JobHandler.finalize(job.job_id)
'''
# the handle kept on flask.g or the class: no new connection per job (found by NP102, not by PF502)
PF502_KEPT_ON_HOLDER_NEGATIVE = {"ledger/__init__.py": "", "ledger/db.py": _DB, "ledger/jobs.py": _JOBS}
# the holder built anew on every call: a new engine and connection per job
PF502_NEW_HOLDER_POSITIVE = {**PF502_KEPT_ON_HOLDER_NEGATIVE, "ledger/db.py": _DB.replace('''        if flask.current_app:
            return flask.g
        return cls''', '''        return Holder()''').replace("class LedgerDB:", "class Holder:\n    pass\n\n\nclass LedgerDB:")}

# a transaction object that opens its connection only when it has none open (`if self._connection is not None and
# self._connection.closed == 0: return`), shared by every call (Qiita's `TRN`, round 142: 185 PF502 listed, the
# connection kept): no connection per user; the same helper connecting on every call is reported
_TRANSACTION = '''
import psycopg2


class Transaction:
    def __init__(self):
        self._connection = None

    def _open_connection(self):
        {guard}
        self._connection = psycopg2.connect(dbname="ledger")

    def fetch_one(self, sql, args):
        self._open_connection()
        with self._connection.cursor() as cur:
            cur.execute(sql, args)
            return cur.fetchone()


TRN = Transaction()


def user_names(user_ids):
    return [TRN.fetch_one("SELECT name FROM users WHERE id = %s", (uid,)) for uid in user_ids]
'''
PF502_OPENED_WHEN_CLOSED = _TRANSACTION.replace(
    "{guard}", "if self._connection is not None and self._connection.closed == 0:\n            return")
PF502_OPENED_EVERY_CALL = _TRANSACTION.replace("{guard}\n", "")

# a module global filled once, `if "engine" not in globals():` (Augur's Redis and database connection, round 149: 3
# judged CACHED): one connection per process; tested on something that is not the global, it connects on every call
_GLOBAL = '''
import sqlalchemy


def get_engine():
    global engine
    if {test}:
        engine = sqlalchemy.create_engine("postgresql://ledger@db/ledger")
    return engine


def balances(client_ids):
    out = {{}}
    for client_id in client_ids:
        out[client_id] = get_engine().connect().execute(sqlalchemy.text("SELECT 1")).scalar()
    return out
'''
PF502_GLOBAL_FILLED_ONCE = {"ledger/__init__.py": "", "ledger/db.py": _GLOBAL.format(test='"engine" not in globals()')}
PF502_GLOBAL_FILLED_EACH_CALL = {"ledger/__init__.py": "", "ledger/db.py": _GLOBAL.format(test='"engine" not in locals()')}

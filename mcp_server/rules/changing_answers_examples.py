"""PF301 on lookups whose answer changes inside the loop (rounds 184 to 186).

- shkeeper's `Transaction.add_outgoing`: a class method looks up `Transaction.query.filter_by(txid=txid)` for each output
  of a payment and saves a new transaction with `cls()` when none exists; later outputs find it (judged WRONGFIX: hoisted,
  each output would book another transaction). loops._writes_its_model.
- squiggy's advisory unlock: `SELECT pg_advisory_unlock(...)` asked until it answers false releases one hold a call
  (judged WRONGFIX). cross._WRITE.
- Heltour's notifications: `send_message(channel, text)` POSTs to Slack for each of a league's channels (round 195:
  judged WRONGFIX): a call that sends, by a key of the item, is the work itself, no answer to keep. cross._sends.
- The clinical genomics store's `_get_query(table)` returns `self.session.query(table)`, a Query not yet run, which each
  iteration hands to a helper that runs its own filter with `.first()` (round 194: judged NOTQUERY). cross._hands_back_a_query.
Each has a counterpart that stays reported: the body saves rows of another model, a plain SELECT asked again, a GET, the
handed-back Query walked whole on each pass.
"""

_PAYMENTS = '''
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Invoice(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    txid = db.Column(db.String(64))


class Transaction(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    txid = db.Column(db.String(64))
    amount = db.Column(db.Numeric(20, 8))

    @classmethod
    def add_outgoing(cls, wallet, txid):
        for address, amount in wallet.outputs(txid):
            booked = Transaction.query.filter_by(txid=txid).first()
            if not booked:
                tx = {made}()
                tx.txid = txid
                tx.amount = amount
                db.session.add(tx)
                db.session.commit()
'''

PF301_OWN_CLASS_SAVED_NEGATIVE = _PAYMENTS.format(made="cls")
PF301_OTHER_MODEL_SAVED_POSITIVE = _PAYMENTS.format(made="Invoice")

_UNLOCK = '''
def advisory_unlock(connection, lock_id):
    result = connection.execute(f"SELECT {call} AS unlocked", {{"id": lock_id}})
    unlocked = next(result).unlocked
    while unlocked:
        result = connection.execute(f"SELECT {call} AS unlocked", {{"id": lock_id}})
        unlocked = next(result).unlocked
'''

PF301_UNLOCK_NEGATIVE = _UNLOCK.format(call="pg_advisory_unlock(:id)")
PF301_STATUS_ASKED_AGAIN_POSITIVE = _UNLOCK.format(call="granted FROM pg_locks WHERE objid = :id")

_NOTIFY = '''
import requests


def to_channel(channel, text):
    return requests.{method}("https://chat.example/api/chat.postMessage", json={{"channel": channel, "text": text}}, timeout=10)


def notify(leagues, text):
    for league in leagues:
        channel = league.channel
        to_channel(channel, text)
'''

PF301_POST_EACH_NEGATIVE = _NOTIFY.format(method="post")
PF301_GET_EACH_POSITIVE = _NOTIFY.format(method="get")

_STORE = '''
def by_id(query, Run, run_id):
    return query.filter(Run.id == run_id).first()


class Store:
    def __init__(self, session):
        self.session = session

    def _query(self, table):
        return self.session.query(table)

    def runs_of(self, metrics, Run):
        return [{each} for metric in metrics]
'''

PF301_QUERY_HANDED_BACK_NEGATIVE = _STORE.format(each="by_id(self._query(Run), Run, metric.run_id)")
# the Query handed back and walked whole on each pass: the same rows asked for again
PF301_QUERY_RUN_IN_HELPER_POSITIVE = _STORE.format(each="[r for r in self._query(Run) if r.id == metric.run_id]")

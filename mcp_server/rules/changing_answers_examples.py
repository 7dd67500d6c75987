"""PF301 on lookups whose answer changes inside the loop (rounds 184 to 186).

- shkeeper's `Transaction.add_outgoing`: a class method looks up `Transaction.query.filter_by(txid=txid)` for each output
  of a payment and saves a new transaction with `cls()` when none exists; later outputs find it (judged WRONGFIX: hoisted,
  each output would book another transaction). loops._writes_its_model.
- squiggy's advisory unlock: `SELECT pg_advisory_unlock(...)` asked until it answers false releases one hold a call
  (judged WRONGFIX). cross._WRITE.
Each has a counterpart that stays reported: the body saves rows of another model, a plain SELECT asked again.
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

"""The month-end ledger report: amount and ICMS per state.

`ledger_by_state_slow` fetches every ledger row into a list before walking it and builds the same
Decimal constant on every row; `ledger_by_state_fast` walks the cursor (one row in memory at a time)
with the constant built once. `ledger_total_float` is the legacy total kept in floats: it drifts by
cents, which is why the fixed `ledger_total_fast` stays in Decimal.
"""

from decimal import Decimal

ZERO = Decimal("0")
CENT = Decimal("0.01")
BY_STATE = "SELECT state, amount, icms FROM ledger_entries ORDER BY id"


def ledger_by_state_slow(conn):
    rows = conn.execute(BY_STATE).fetchall()  # expect: PF401
    totals = {}
    for state, amount, icms in rows:
        entry = totals.setdefault(state, [ZERO, ZERO])
        entry[0] += Decimal(str(amount)).quantize(Decimal("0.01"))  # expect: PF901
        entry[1] += Decimal(str(icms))
    return {state: tuple(entry) for state, entry in sorted(totals.items())}


def ledger_by_state_fast(conn):
    totals = {}
    for state, amount, icms in conn.execute(BY_STATE):
        entry = totals.setdefault(state, [ZERO, ZERO])
        entry[0] += Decimal(str(amount)).quantize(CENT)
        entry[1] += Decimal(str(icms))
    return {state: tuple(entry) for state, entry in sorted(totals.items())}


def ledger_total_float(conn):
    return round(sum(float(amount) for (amount,) in conn.execute("SELECT amount FROM ledger_entries")), 2)  # expect: PF701


def ledger_total_fast(conn):
    return sum((Decimal(str(amount)) for (amount,) in conn.execute("SELECT amount FROM ledger_entries")), ZERO)

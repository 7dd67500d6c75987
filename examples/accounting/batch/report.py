"""The month-end ledger report: amount and ICMS per state.

`ledger_by_state_slow` loads every row into a list and parses the same rounding setting per row; the fast one
walks the cursor with the setting parsed once. `ledger_total_float` drifts by cents: hence `ledger_total_fast`.
"""

import json
from decimal import Decimal

ZERO = Decimal("0")
ROUNDING = '{"cent": "0.01"}'  # the ledger's rounding setting, as stored
CENT = Decimal(json.loads(ROUNDING)["cent"])
BY_STATE = "SELECT state, amount, icms FROM ledger_entries ORDER BY id"


def ledger_by_state_slow(conn):
    rows = conn.execute(BY_STATE).fetchall()  # expect: PF401
    totals = {}
    for state, amount, icms in rows:
        entry = totals.setdefault(state, [ZERO, ZERO])
        entry[0] += Decimal(str(amount)).quantize(Decimal(json.loads(ROUNDING)["cent"]))  # expect: PF901
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

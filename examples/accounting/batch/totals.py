"""Totals per state of a bank export CSV. `totals_by_state_slow` reads the whole file and splits it into lines
first; `totals_by_state_fast` streams it with csv.reader, one line in memory at a time. Same Decimals."""

import csv
from decimal import Decimal

ZERO = Decimal("0")


def totals_by_state_slow(path):
    with open(path, newline="") as f:
        lines = f.read().splitlines()  # expect: PF401
    totals = {}
    for row in csv.DictReader(lines):
        totals[row["state"]] = totals.get(row["state"], ZERO) + Decimal(row["amount"])
    return dict(sorted(totals.items()))


def totals_by_state_fast(path):
    totals = {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            totals[row["state"]] = totals.get(row["state"], ZERO) + Decimal(row["amount"])
    return dict(sorted(totals.items()))

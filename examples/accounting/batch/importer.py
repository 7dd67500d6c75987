"""Nightly import of the bank's transaction CSV into the ledger, with the ICMS of each transaction.

`import_transactions_slow` is what such jobs often look like: the whole file read into memory, one rate
query, one INSERT and one commit per transaction, and a connection that `with` never closes.
`import_transactions_fast` is its fixed twin: it streams the file, loads the rates once, inserts every
row with one `executemany` in one transaction, and closes the connection. Both store the same Decimals.
"""

import csv
import sqlite3
from contextlib import closing
from decimal import ROUND_HALF_EVEN, Decimal

from dbapi_app.rates import get_rate, load_rates

CENT = Decimal("0.01")
LEDGER = """CREATE TABLE IF NOT EXISTS ledger_entries (id INTEGER PRIMARY KEY, account TEXT NOT NULL, state TEXT NOT NULL,
                                              amount DECIMAL(12, 2) NOT NULL, icms DECIMAL(12, 2) NOT NULL)"""
INSERT = "INSERT INTO ledger_entries (account, state, amount, icms) VALUES (?, ?, ?, ?)"


def import_transactions_slow(db_path, csv_path):
    with sqlite3.connect(db_path) as conn:  # expect: PF501
        conn.execute(LEDGER)
        with open(csv_path, newline="") as f:
            lines = f.read().splitlines()  # expect: PF401
        count = 0
        for row in csv.DictReader(lines):
            amount = Decimal(row["amount"])
            icms = (amount * get_rate(conn, "icms", row["state"])).quantize(CENT, ROUND_HALF_EVEN)  # expect: NP102 PF301
            conn.execute(INSERT, (row["account"], row["state"], str(amount), str(icms)))  # expect: PF201
            conn.commit()  # expect: PF202
            count += 1
    return count


def import_transactions_fast(db_path, csv_path):
    with closing(sqlite3.connect(db_path)) as conn, conn:
        conn.execute(LEDGER)
        rates = load_rates(conn)
        with open(csv_path, newline="") as f:
            rows = (_ledger_row(row, rates) for row in csv.DictReader(f))
            return conn.executemany(INSERT, rows).rowcount


def _ledger_row(row, rates):
    amount = Decimal(row["amount"])
    icms = (amount * rates[("icms", row["state"])]).quantize(CENT, ROUND_HALF_EVEN)
    return row["account"], row["state"], str(amount), str(icms)


def write_sample_csv(path, transactions=1000):
    """A deterministic bank export: account, state, amount (two decimals, as text)."""
    states = ["SP", "RJ", "MG", "RS", "PR", "BA"]
    with open(path, "w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["account", "state", "amount"])
        for i in range(transactions):
            out.writerow([f"ACC-{i % 97:03d}", states[i % len(states)], f"{(i * 7919) % 100000 / 100:.2f}"])

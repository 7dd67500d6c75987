"""Inputs for compare_implementations on the example's before/after pairs, at 10, 100 and 1,000 records:

    performance-optimizer compare dbapi_app.reports:client_statements_slow dbapi_app.reports:client_statements_fast \
        --inputs proof:clients --root examples/accounting

Each function runs inside the measuring child and returns the argument sets, labelled by size. SIZES can be
narrowed with the PROOF_SIZES environment variable (e.g. "10,100") for quick runs.
"""

import os
import sqlite3
import tempfile

from batch.importer import write_sample_csv
from erp.bankapi import serve_fake_bank
from seed import create_database

SIZES = tuple(int(n) for n in os.environ.get("PROOF_SIZES", "10,100,1000").split(","))


def clients():
    """One database per size, by number of clients (4 invoices of 3 items each per client)."""
    out = []
    for n in SIZES:  # perf: ignore[NP102,PF502] one database and connection per size is the point here
        path = os.path.join(tempfile.mkdtemp(), "accounting.sqlite3")
        create_database(path, clients=n)
        out.append({"label": f"{n} clients", "args": [sqlite3.connect(path)]})
    return out


def transactions():
    """One bank export CSV per size, by number of transactions."""
    out = []
    for n in SIZES:
        path = os.path.join(tempfile.mkdtemp(), "bank.csv")
        write_sample_csv(path, transactions=n)
        out.append({"label": f"{n} transactions", "args": [path]})
    return out


def accounts():
    """The fake bank (2 ms per request) and the accounts to ask for, by number of accounts."""
    url = serve_fake_bank(latency_s=0.002)
    return [{"label": f"{n} accounts", "args": [url, list(range(1, n + 1))]} for n in SIZES]

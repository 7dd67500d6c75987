"""The example's database: one SQLite file shared by the three flavours (DB-API, Django, SQLAlchemy).

Deterministic data: clients in Brazilian states, invoices with items, payments, and ICMS/PIS/COFINS
rates. Amounts are DECIMAL columns and every flavour reads them back as `Decimal`.
"""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path
from decimal import Decimal

SCHEMA = (Path(__file__).with_name("schema.sql")).read_text()  # the schema, with the ledger the batch import fills

STATES = {"SP": "0.18", "RJ": "0.20", "MG": "0.18", "RS": "0.17", "PR": "0.195", "BA": "0.205"}
OPERATIONS = {"sale": ("0.0165", "0.076"), "service": ("0.0065", "0.03"), "resale": ("0.0165", "0.076")}
ZERO = Decimal("0")
CENT = Decimal("0.01")


def create_database(path: str, clients: int = 30, invoices_per_client: int = 4, items_per_invoice: int = 3) -> None:
    rng = random.Random(7)
    conn = sqlite3.connect(path)
    with conn:
        conn.executescript(SCHEMA)
        conn.executemany("INSERT INTO tax_rates (tax, key, rate) VALUES ('icms', ?, ?)", list(STATES.items()))
        conn.executemany("INSERT INTO tax_rates (tax, key, rate) VALUES ('pis', ?, ?)", [(op, r[0]) for op, r in OPERATIONS.items()])
        conn.executemany("INSERT INTO tax_rates (tax, key, rate) VALUES ('cofins', ?, ?)", [(op, r[1]) for op, r in OPERATIONS.items()])
        states = list(STATES)
        conn.executemany("INSERT INTO clients (id, name, state) VALUES (?, ?, ?)",
                         [(c, f"Client {c:04d}", states[c % len(states)]) for c in range(1, clients + 1)])
        invoices, items, payments = [], [], []
        for c in range(1, clients + 1):
            for k in range(invoices_per_client):
                inv = len(invoices) + 1
                invoices.append((inv, c, f"2026-{1 + k % 12:02d}-{1 + inv % 28:02d}", "open" if inv % 3 else "paid"))
                total = ZERO
                for _ in range(items_per_invoice):
                    price = Decimal(rng.randint(100, 500_000)) / 100
                    qty = rng.randint(1, 20)
                    total += price * qty
                    items.append((len(items) + 1, inv, "item", rng.choice(list(OPERATIONS)), qty, str(price)))
                if inv % 2:
                    payments.append((len(payments) + 1, inv, str((total / 2).quantize(CENT)), "2026-06-30"))
        conn.executemany("INSERT INTO invoices VALUES (?, ?, ?, ?)", invoices)
        conn.executemany("INSERT INTO invoice_items VALUES (?, ?, ?, ?, ?, ?)", items)
        conn.executemany("INSERT INTO payments VALUES (?, ?, ?, ?)", payments)
    conn.close()

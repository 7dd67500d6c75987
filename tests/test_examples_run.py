"""The bundled example is a real application: each flavour runs on SQLite in a child process, and each fixed
twin returns exactly the same result (Decimal-exact) with a constant number of queries."""

import json
from decimal import Decimal
import subprocess
import sys

import pytest

from conftest import REPO, cli_env

MEASURE = REPO / "examples" / "accounting" / "measure.py"


def measure(flavour: str, clients: int) -> dict:
    p = subprocess.run([sys.executable, str(MEASURE), flavour, "--clients", str(clients)], capture_output=True, text=True,
                       env=cli_env(), timeout=300)
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout)


@pytest.mark.parametrize("flavour", ["dbapi", "django", "sqlalchemy"])
def test_fixed_twins_return_the_same_result_with_constant_queries(flavour):
    small, large = measure(flavour, 5), measure(flavour, 20)
    extra = {"invoice_page", "invoice_api"} if flavour == "django" else set()  # a template view and a DRF API, with their fast twins
    assert set(small) == {"client_statements", "tax_report", "outstanding", *extra}
    for report in small:
        assert small[report]["same_result"] and large[report]["same_result"], report
        # the N+1 version grows with the data, the fixed twin does not
        assert large[report]["slow_queries"] > small[report]["slow_queries"] > small[report]["fast_queries"], report
        assert large[report]["fast_queries"] == small[report]["fast_queries"] <= 4, report


@pytest.fixture
def example_on_path(monkeypatch):
    monkeypatch.syspath_prepend(str(REPO / "examples" / "accounting"))


def test_batch_import_twins_store_the_same_ledger(tmp_path, example_on_path):
    import sqlite3
    from contextlib import closing

    from batch.importer import import_transactions_fast, import_transactions_slow, write_sample_csv
    from batch.report import ledger_by_state_fast, ledger_by_state_slow, ledger_total_fast, ledger_total_float
    from seed import create_database

    csv_path = tmp_path / "bank.csv"
    write_sample_csv(csv_path, transactions=600)
    ledgers = {}
    for name, run in (("slow", import_transactions_slow), ("fast", import_transactions_fast)):
        db = tmp_path / f"{name}.sqlite3"
        create_database(str(db), clients=3)
        assert run(str(db), str(csv_path)) == 600
        with closing(sqlite3.connect(db)) as conn:
            ledgers[name] = conn.execute("SELECT account, state, amount, icms FROM ledger_entries ORDER BY id").fetchall()
            by_state = ledger_by_state_slow(conn)
            assert by_state == ledger_by_state_fast(conn) and len(by_state) == 6
            exact = ledger_total_fast(conn)
            assert exact == sum(amount for amount, _ in by_state.values())
            assert abs(Decimal(str(ledger_total_float(conn))) - exact) < Decimal("0.05")  # close, but floats are not the books
    assert ledgers["slow"] == ledgers["fast"]
    as_money = [(a, s, Decimal(str(amount)), Decimal(str(icms))) for a, s, amount, icms in ledgers["fast"][:2]]
    assert as_money == [("ACC-000", "SP", 0, 0), ("ACC-001", "RJ", Decimal("79.19"), Decimal("15.84"))]  # 79.19 * 0.20, half-even


def test_async_fetch_twins_return_the_same_statements_and_only_one_runs_concurrently(example_on_path):
    import asyncio

    from erp.fetcher import statements_fast, statements_slow

    class FakeBank:
        def __init__(self):
            self.active = self.peak = 0

        async def statement(self, account):
            self.active += 1
            self.peak = max(self.peak, self.active)
            await asyncio.sleep(0.002)
            self.active -= 1
            return {"account": account, "balance": str(Decimal(account) * Decimal("10.05"))}

    accounts = list(range(1, 31))
    slow_bank, fast_bank = FakeBank(), FakeBank()
    slow = asyncio.run(statements_slow(slow_bank, accounts))
    fast = asyncio.run(statements_fast(fast_bank, accounts, concurrency=10))
    assert slow == fast and fast[3] == {"account": 3, "balance": "30.15"}
    assert (slow_bank.peak, fast_bank.peak) == (1, 10)


def test_retry_twins_return_the_statement_after_a_transport_error(example_on_path):
    import asyncio

    import httpx
    from erp.fetcher import statement_retry_fast, statement_retry_slow

    class FlakyBank:
        def __init__(self):
            self.calls = 0

        async def statement(self, account):
            self.calls += 1
            if self.calls == 1:
                raise httpx.ConnectError("reset by peer")
            return {"account": account, "balance": "10.05"}

    for twin in (statement_retry_slow, statement_retry_fast):
        bank = FlakyBank()
        assert asyncio.run(twin(bank, 7)) == {"account": 7, "balance": "10.05"} and bank.calls == 2

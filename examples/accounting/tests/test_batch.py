import shutil
import sqlite3
from contextlib import closing

from batch.importer import import_transactions_fast, import_transactions_slow, write_sample_csv
from batch.report import ledger_by_state_fast, ledger_by_state_slow

LEDGER = "SELECT account, state, amount, icms FROM ledger_entries ORDER BY id"


def test_bank_import_twins_write_the_same_ledger(database, tmp_path):
    csv_path = tmp_path / "bank.csv"
    write_sample_csv(str(csv_path), transactions=20)
    ledgers = []
    for name, importer in (("slow", import_transactions_slow), ("fast", import_transactions_fast)):
        db = tmp_path / f"{name}.sqlite3"
        shutil.copyfile(database, db)
        importer(str(db), str(csv_path))
        with closing(sqlite3.connect(db)) as conn:
            ledgers.append(conn.execute(LEDGER).fetchall())
            assert ledger_by_state_slow(conn) == ledger_by_state_fast(conn)
    assert ledgers[0] == ledgers[1] and len(ledgers[0]) == 20

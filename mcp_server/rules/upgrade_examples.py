"""Examples of code run once per database: an upgrade named for the versions it moves between, and a loop over a list of
steps the module spells out (rotki, round 114)."""

# PF201: one UPDATE per row, in a schema upgrade named for the versions it moves between (rotki's `db/upgrades/v26_v27.py`,
# round 114: 22 findings in such modules judged N RARE): it runs once per database, on the upgrade. The same code in a
# module of another name stays listed.
_RATES_TO_TEXT = '''
def _rates_to_text(write_cursor):
    """Store each tax rate as text, so Decimal reads it back exactly."""
    rows = write_cursor.execute("SELECT id, rate FROM tax_rates").fetchall()
    for row_id, rate in rows:
        write_cursor.execute("UPDATE tax_rates SET rate_text=? WHERE id=?", (str(rate), row_id))


def upgrade_v3_to_v4(conn):
    with conn:
        _rates_to_text(conn.cursor())
'''
_PACKAGES = {"ledger/__init__.py": "", "ledger/db/__init__.py": "", "ledger/db/upgrades/__init__.py": ""}
PF201_VERSIONED_UPGRADE = {**_PACKAGES, "ledger/db/upgrades/v3_v4.py": _RATES_TO_TEXT}
PF201_UNVERSIONED_UPGRADE = {**_PACKAGES, "ledger/db/upgrades/rates.py": _RATES_TO_TEXT}

# PF201: the same write per row in a helper that only version upgrades call (rotki's `db/utils.py` `update_table_schema()`,
# called from its `db/upgrades/vN_vM.py` scripts, round 114: judged N): `low`, saying why. Called by ordinary code too,
# it stays listed.
_REWRITE_HELPER = '''
def rates_to_text(write_cursor):
    rows = write_cursor.execute("SELECT id, rate FROM tax_rates").fetchall()
    for row_id, rate in rows:
        write_cursor.execute("UPDATE tax_rates SET rate_text=? WHERE id=?", (str(rate), row_id))
'''
_UPGRADE_CALLING = '''
from ledger.db.utils import rates_to_text


def upgrade_v3_to_v4(conn):
    with conn:
        rates_to_text(conn.cursor())
'''
PF201_HELPER_OF_UPGRADES = {**_PACKAGES, "ledger/db/utils.py": _REWRITE_HELPER, "ledger/db/upgrades/v3_v4.py": _UPGRADE_CALLING}
PF201_HELPER_OF_OTHER_CODE = {**PF201_HELPER_OF_UPGRADES, "ledger/db/upgrades/rates.py": _UPGRADE_CALLING}
PF201_HELPER_OF_OTHER_CODE.pop("ledger/db/upgrades/v3_v4.py")

# PF201: a checkpoint written after each step of a list the module spells out, one `Step(...)` per line (rotki's
# MIGRATION_LIST, round 114: judged WRONGFIX): as many writes as the code lists steps, and each must land before the next
# step runs, so a failure keeps the steps done. Over the steps a query returns, it is a write per row.
_STEP_NAMES = ("add_rate_text", "fill_due_dates", "split_tax_lines", "rename_cfop", "add_icms_base", "drop_old_rates",
               "index_due_dates", "fill_pis_cofins", "merge_clients", "add_currency", "fill_currency", "drop_legacy_ids")
_STEP_DEFS = "".join(f"def {name}(db):\n    pass\n\n\n" for name in _STEP_NAMES)
_STEP_LINES = "".join(f"    Step(version={i}, run={name}),\n" for i, name in enumerate(_STEP_NAMES, 1))
PF201_STEPS_SPELLED_OUT = {"app/__init__.py": "", "app/steps.py": _STEP_DEFS,
                           "app/migrate.py": f'''
from typing import NamedTuple

from .steps import {", ".join(_STEP_NAMES)}


class Step(NamedTuple):
    version: int
    run: object


STEPS = [
{_STEP_LINES}]


class Migrator:
    def __init__(self, db):
        self.db = db

    def migrate(self, done):
        for step in STEPS:
            if done < step.version:
                if step.run(self.db) is False:
                    break  # a step failed: the ones before it stay recorded
                done = step.version
                with self.db.user_write() as cursor:
                    cursor.execute("INSERT OR REPLACE INTO settings(name, value) VALUES(?, ?)", ("last_step", done))
'''}
PF201_STEPS_QUERIED = {**PF201_STEPS_SPELLED_OUT, "app/migrate.py": PF201_STEPS_SPELLED_OUT["app/migrate.py"].replace(
    "for step in STEPS:", "for step in self.db.pending_steps():")}

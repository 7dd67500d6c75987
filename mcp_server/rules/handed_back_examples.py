"""PF601 on SQL formatted from what a module function hands back of its own arguments (analysis/handed_back.py):
freqtrade's schema migrations copy each column or, on an older schema, a default expression, both spelled in the code:
`fee_open = get_column_def(cols, "fee_open", "fee")`, then `f"INSERT ... SELECT {fee_open} ..."` (round 161: 2 judged
false). Not reported; a value a caller passes through the same helper is."""

_MIGRATION = '''
from sqlalchemy import text


def has_column(columns, name):
    return any(c["name"] == name for c in columns)


def get_column_def(columns, column, default):
    return default if not has_column(columns, column) else column


def migrate_invoices(connection, cols{extra}):
    fee = get_column_def(cols, "fee", {default})
    connection.execute(text(f"INSERT INTO invoices (id, fee) SELECT id, {{fee}} FROM invoices_old"))
'''
PF601_CODE_CHOSEN_COLUMN = _MIGRATION.format(extra="", default='"0.0"')
PF601_CALLER_CHOSEN_DEFAULT = _MIGRATION.format(extra=", default", default="default")

"""Text a loop walks or a statement names that is not the application's data (issue 15, round 94): the lines a running
process has written so far, polled while it runs (MobSF's logcat stream); a small text read whole, then split (Tube
Archivist's cookie jar, from a string already in memory: `low`, as any file read whole outside bulk input); a table's
name quoted as an identifier with its quotes doubled (MobSF's SQLite viewer), which no bound parameter could carry; and an
integer read through `Decimal(float(...))` (Blue Button's settings port, round 98), which keeps no fraction to lose."""

# MobSF's logcat stream (judged false): each pass reads what is ready, not a whole file
PF401_POLLED_STREAM = '''
from shelljob import proc


def logcat(adb, package):
    group = proc.Group()
    group.run([adb, "logcat", package + ":V"])
    while group.is_pending():
        lines = group.readlines()
        for _, line in lines:
            yield line
'''

# Tube Archivist's cookies (judged false): a few lines read whole, in a function no name marks as bulk input
PF401_SMALL_TEXT = '''
def cookie_jar(handler):
    jar = {}
    text = handler.get().read()
    for line in text.split("\\n"):
        words = line.split()
        if len(words) == 7:
            jar[words[5]] = words[6]
    return jar
'''

# MobSF's SQLite viewer (judged false): each table named by the file's own catalog, quoted as an identifier
PF601_QUOTED_IDENTIFIER = '''
import sqlite3


def dump(path):
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    out = {}
    for (table,) in con.execute("SELECT name FROM sqlite_master WHERE type='table'").fetchall():
        quoted = table.replace('"', '""')
        out[table] = con.execute(f'SELECT * FROM "{quoted}" LIMIT 100').fetchall()
    return out
'''

# Blue Button's settings (round 98, judged false): a port read through Decimal and truncated to an integer at once
PF701_INTEGER_THROUGH_DECIMAL = '''
from decimal import Decimal


def int_env(value):
    return int(Decimal(float(value)))
'''

# MITx Online's receipt lines (round 112, 2 judged false): a zero default read only through `Decimal(...)` and `str(...)`,
# which hold it exactly; the same default added to in a loop is a float total, and stays reported
PF701_ZERO_INTO_DECIMAL = '''
from decimal import Decimal


def line_total(line, coupon):
    discount = 0.0
    if coupon:
        discount = line.price - line.discounted_price
    return {"total": (line.price - Decimal(discount)) * line.quantity, "discount": str(discount)}
'''
PF701_ZERO_ADDED_TO = PF701_ZERO_INTO_DECIMAL.replace(
    "    discount = 0.0\n    if coupon:\n        discount = line.price - line.discounted_price\n",
    "    discount = 0.0\n    for c in coupon:\n        discount += c.amount\n")

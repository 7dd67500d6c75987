"""PF601: SQL built by string formatting instead of bound parameters."""

from __future__ import annotations

from ..findings import Severity
from . import Examples
from .static import StaticRule


class SqlStringFormatting(StaticRule):
    id = "PF601"
    name = "sql-built-by-formatting"
    title = "SQL built by string formatting"
    severity = Severity.high
    what = ("Follows a string built by an f-string, `%`, `.format` or `+` with non-constant values, through variables of the "
            "same function, to `execute` / `executemany` / `raw` / `text()` / `read_sql` and Django's `extra(select=, where=)`. "
            "Constant-only strings, generated placeholder lists (`','.join('?' * len(ids))`) and values that carry no SQL are "
            "not findings: numbers (`int()`, `%d`, a checksum such as `zlib.crc32()`, a parameter typed `int`, `int | None`, "
            "`Decimal` or `UUID`), a saved row's keys (`.pk`, `.id`), identifiers quoted by "
            "`quote_name` (also as a local `qn`), the ORM's own table and column names, SQL Django compiled from a queryset. "
            "A statement formatted only from the keys of the dict it binds (`INSERT INTO t ({cols}) VALUES ({marks})`, every "
            "value bound) is `low`: it injects only if those keys come from a request. So is a statement the project marked "
            "as reviewed for injection: bandit's `# nosec`, or `# noqa: S608` (ruff's code for this alarm).")
    why = ("Values pasted into SQL are an injection hole, and each distinct text is a new statement to parse and plan: the "
           "database cannot reuse the plan or the prepared statement.")
    example = '''
cur.execute(f"SELECT * FROM invoices WHERE client_id = {client_id}")
'''
    fix = ("Pass values as bound parameters in the driver's style: `?` (sqlite3), `%s` / `%(name)s` (psycopg), `$1` "
           "(asyncpg), `:name` (SQLAlchemy `text()`); identifiers through an allow-list or `psycopg.sql.Identifier`.")
    positive = Examples("sql_formatting_examples", "PF601_POSITIVE")
    negative = Examples("sql_formatting_examples", "PF601_NEGATIVE")

"""PF401: a whole table, file or response loaded into memory where streaming or paging would serve."""

from __future__ import annotations

from ..findings import Severity
from . import Examples
from .static import StaticRule


class WholeDatasetLoad(StaticRule):
    id = "PF401"
    name = "whole-dataset-load"
    title = "Whole dataset loaded into memory"
    severity = Severity.medium
    what = ("Finds data read whole into memory only to be walked once: `f.readlines()`, `f.read().splitlines()`, "
            "`fetchall()` of a query with no LIMIT and no key filter that a loop then iterates, `list(Model.objects.all())`, "
            "SQLAlchemy `.all()` of an unfiltered query, a `json.load` document that is iterated. Confidence is high when "
            "nothing bounds the size (no WHERE), medium when a filter may. Files the package ships (paths from `__file__`, "
            "`importlib.resources`, `pkgutil.get_data`) are as small as the package keeps them, and not reported; nor is a "
            "`fetchall()` whose loop keeps an object per row in a list (or a comprehension), which streaming would halve at most. "
            "A file read whole is `low` unless the function or module is named for bulk input (`import_statements`, "
            "`load_csv`, `process_large_file`) or the module reads CSV: nothing else says how large the file is, and most are small. "
            "A whole table (`list(Model.objects.all())`, an unfiltered `.all()`, the table a `fetchall()`'s SQL reads) is `low` "
            "too, saying so, until its size is known: the user's `table_rows`, or the rows of their database read with `scan "
            "--database` (the tools' `database`), raise it to `medium` at 10,000 rows or more (judged on real applications, rounds "
            "184 to 216: none of 38 whole loads worth a fix; the tables were keyword lists, start-up caches, a GROUP BY's dozen rows).")
    why = ("Memory grows with the data: a 2 GB CSV of transactions becomes several GB of Python strings, and a "
           "million-row `fetchall()` holds every row at once, where streaming holds one batch at a time.")
    example = '''
rows = conn.execute("SELECT * FROM transactions").fetchall()
for row in rows:
    post(row)
'''
    fix = ("Stream: iterate the file (`for line in f`, `csv.reader(f)`), iterate the cursor or `fetchmany(1000)` (a named, "
           "server-side cursor on PostgreSQL), Django `.iterator(chunk_size=2000)`, SQLAlchemy `yield_per(1000)`, JSON Lines "
           "or ijson; or aggregate in SQL when only totals are needed.")
    positive = Examples("whole_loads_examples", "PF401_POSITIVE")
    negative = Examples("whole_loads_examples", "PF401_NEGATIVE")

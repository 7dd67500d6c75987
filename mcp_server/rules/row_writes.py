"""PF201: an INSERT, UPDATE or DELETE executed once per item of a loop."""

from __future__ import annotations

from ..findings import Severity
from . import Examples
from .static import StaticRule


class RowByRowWrite(StaticRule):
    id = "PF201"
    name = "row-by-row-write"
    title = "Row-by-row write"
    severity = Severity.high
    what = ("Finds an INSERT, UPDATE or DELETE executed once per item of a loop: DB-API `execute` of a write statement, "
            "SQLAlchemy `session.execute(insert(...))` or `session.flush()` per row, Django `Model.objects.create/update/delete/"
            "get_or_create` or `obj.save()` per row. Django writes are reported where the rows grow with the data (a query's, an "
            "import's, the rows callers pass), not over a handful (a form's fields, a request's nested items, a constant, the "
            "related rows of one object), nor where each write must stay on its own: a row validated first (`full_clean()`), a "
            "`save()` the model overrides (decorated or not, in any module; the model shown by the loop's rows or spelled by the "
            "row's name, `order_line` for OrderLine) or called with its own keywords, a model with "
            "`pre_save`/`post_save` receivers anywhere in the project (`@receiver(...)`, `connect(...)`; one connected without a "
            "sender serves every model), a form's or serializer's "
            "`save()`, an atomic `F()` counter, a multi-table child model's new rows (`create()`, or built in the loop and saved: bulk_create refuses them); the bulk API would skip that logic and the signals, so the batch advice would be "
            "wrong and no finding is better than a hedged one; nor a `save()` whose model nothing shows (not the loop's rows, not "
            "a model the row's name spells) over what a helper returns that is not shown to be rows: a file or an image, maybe. "
            "Copies of one template object's rows, code that runs once (data migrations, upgrade steps, management commands), writes beside a call that runs queries of its own per item (the queries cost "
            "more; fix them first) and writes beside per-item I/O (an HTTP or cloud API call, a subprocess, an "
            "e-mail sent: analysis/dwarfing.py) are `low`, with the reason; so are writes outside bulk code (no import, sync, ETL, load, "
            "job or task in the names of the module, its folders or the function, and no task decorator: a view's, a model "
            "method's, a serializer's loop over the few rows one request handles; judged on real applications, 1 in 75 was worth "
            "a fix, against 6 in 37 in imports, syncs and tasks: analysis/batch_context.py); test, demo, seed and fake data are "
            "not reported.")
    why = ("Each row pays a round trip, statement parsing and its own index maintenance; a batch import of 100,000 "
           "transactions spends minutes in network waits that one `executemany` or COPY does in seconds.")
    example = '''
def import_transactions(cur, transactions):
    for t in transactions:
        cur.execute("INSERT INTO ledger (account, amount) VALUES (?, ?)", (t.account, str(t.amount)))
'''
    fix = ("Send all rows at once: `cursor.executemany(sql, rows)` or a multi-row `VALUES`, COPY on PostgreSQL (psycopg "
           "`cursor.copy`), Django `bulk_create` / `bulk_update` / `filter(...).update()`, SQLAlchemy `session.execute(insert(Model), rows)`; "
           "commit once per batch.")
    positive = Examples("row_writes_examples", "PF201_POSITIVE")
    negative = Examples("row_writes_examples", "PF201_NEGATIVE")

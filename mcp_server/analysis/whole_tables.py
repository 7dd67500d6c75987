"""PF401 over a whole table (`list(Invoice.objects.all())`, `session.query(Rate).all()`, a `fetchall()` of `SELECT ...
FROM rates`): whether loading every row first costs anything depends on how many rows the table holds, which the
code does not say. Judged on real applications (rounds 184 to 216: 38 PF401 findings, 20 of them whole tables), none
was worth acting on: staff-kept keyword lists, a bot's caches filled at start-up, a GROUP BY's dozen rows. So such a
finding is `low`, saying so, and records its table (`data["loop_rows"]`) for the sizes the user gives
(`table_rows`, or read from their database): table_sizes.apply raises it to `medium` at 10,000 rows or more.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..findings import Severity
from .table_sizes import WHOLE_WHY, table_of

if TYPE_CHECKING:
    from ..models import Finding
    from .facts import ModuleFacts
    from .index import ProjectIndex

SQL_TABLE = "sql:"  # the mark of a table named in the SQL itself (`fetchall()`), not a model's name
_FROM = re.compile(r"\bfrom\s+[\"`\[]?(?:\w+[\"`\]]?\.[\"`\[]?)?(\w+)", re.I)


def sql_table(sql: str) -> str:
    """The first table a statement reads (`SELECT ... FROM public.rates r` -> `rates`), or "" when none is named."""
    found = _FROM.search(sql)
    return found.group(1) if found else ""


def tag(index: ProjectIndex, module: ModuleFacts, f: Finding, named: str) -> Finding:
    """Record the table the load reads. `named`: the model the query reads (its name as the module spells it), or
    SQL_TABLE + the table its SQL names."""
    if named.startswith(SQL_TABLE):
        table = named.removeprefix(SQL_TABLE)
        what = f"`{table}`"
    else:
        model = index.resolve_model(named, module)
        table = (table_of(model, index) if model is not None else None) or ""
        what = f"{named}'s table"
    f.data = {**(f.data or {}), "loop_rows": {"table": table, "whole": what}}
    return f


def lower_unsized(findings: list[Finding]) -> list[Finding]:
    """After every lowering that says where the code runs (a command run by hand, a module's import): a whole
    table's load still above `low` is lowered for the size nobody gave (table_sizes.apply raises it again)."""
    for f in findings:
        info = (f.data or {}).get("loop_rows") if f.rule == "PF401" else None
        if not (info and info.get("whole")):
            continue
        if f.severity in (Severity.low, Severity.info):
            info["capped"] = True  # low for where it runs (a start-up cache, a command run by hand): no size raises it
        else:
            f.severity = Severity.low
            f.message += WHOLE_WHY.format(what=info["whole"], table=f"`{info['table']}`" if info["table"] else "its table")
    return findings

"""Existing indexes that add nothing (SQL202): an index whose key parts lead another index of the same table, with
the same partial predicate. Expression parts (md5(body), upper(email)) and WHERE clauses are part of the key:
an index over upper(email) is not a prefix of one over email. Each finding points at what creates the index
(the model, or the line of the .sql file), and Django's automatic ForeignKey index gets Django's own fix."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from ..models import Finding, Location
from .django_models import Model, Project

if TYPE_CHECKING:  # sqlglot loads on the first call, not when the server starts
    from .schema import Index, Schema

_DJANGO_AUTO_NAME = re.compile(r"_[0-9a-f]{8}$")  # schema_editor's name: <table>_<column>_<hash>


def redundant_findings(schema: Schema, project: Project | None = None, root: Path | None = None, schema_arg: str | None = None) -> list[Finding]:
    from ..rules import finding

    by_table = {m.table: m for m in (project.models.values() if project else []) if m.table}
    sql_file = _sql_lines(root, schema_arg)
    out = []
    for ix in schema.indexes:
        if ix.unique:
            continue  # uniqueness is a constraint, not only a speed-up
        if by_table and ix.table not in by_table:
            continue  # a table of a third-party app (django.contrib.auth...): not the project's to change
        longer = next((o for o in schema.indexes if o is not ix and o.table == ix.table and len(o.columns) > len(ix.columns)
                       and o.columns[: len(ix.columns)] == ix.columns and o.where == ix.where), None)
        if longer is None:
            continue
        model = by_table.get(ix.table)
        location = _where(ix, model, sql_file)
        message = f"index {ix.name} ({', '.join(ix.columns)}) is the leading part of {longer.name} ({', '.join(longer.columns)}) on {ix.table}"
        fk = _django_fk(ix, model)
        if fk is not None:
            what = "the unique_together " if longer.unique else ""
            out.append(finding("SQL202", f"{message}: Django's automatic index of the ForeignKey {model.name}.{fk}, made redundant by "
                                         f"{what}{longer.name}", location=location,
                               suggestion=f"Set `db_index=False` on {model.name}.{fk} and make a migration ({longer.name} already "
                                          f"leads with {ix.columns[0]})."))
            continue
        field = _indexed_field(ix, model)
        if field is not None:  # Django made it from the field (db_index=True, or a SlugField's default)
            like = next((o.name for o in schema.indexes if o.name == f"{ix.name}_like"), None)
            also = (f" This also drops {like}, the pattern index that serves {field}__startswith / LIKE 'x%': keep the field "
                    f"indexed if the code filters so") if like else ""
            out.append(finding("SQL202", message, location=location,
                               suggestion=f"Set `db_index=False` on {model.name}.{field} and make a migration ({longer.name} already "
                                          f"leads with {ix.columns[0]}).{also}"))
            continue
        declared = model is not None and not _DJANGO_AUTO_NAME.search(ix.name) and not ix.name.endswith("_uniq")
        how = (f"Remove it from {model.name}'s Meta.indexes (or its field's db_index=True) and make a migration"
               if declared else f"Drop it: `DROP INDEX {ix.name}`")
        out.append(finding("SQL202", message, location=location,
                           suggestion=f"{how} (every lookup it serves, {longer.name} serves too)."))
    return out


def _django_fk(ix: Index, model: Model | None) -> str | None:
    if model is None or len(ix.columns) != 1 or not _DJANGO_AUTO_NAME.search(ix.name):
        return None
    return next((f.name for f in model.fields.values() if f.target is not None and not f.many and f.column == ix.columns[0]), None)


def _indexed_field(ix: Index, model: Model | None) -> str | None:
    if model is None or len(ix.columns) != 1 or not _DJANGO_AUTO_NAME.search(ix.name):
        return None
    return next((f.name for f in model.fields.values() if not f.many and f.column == ix.columns[0]), None)


def _where(ix: Index, model: Model | None, sql_file: dict[str, int]) -> Location | None:
    if ix.name in sql_file:
        return Location(path=sql_file["__path__"], line=sql_file[ix.name])
    if model is not None:
        field = next((f for f in model.fields.values() if len(ix.columns) == 1 and f.column == ix.columns[0]), None)
        if field is not None and field.line:
            return Location(path=field.path or model.path, line=field.line)
        return Location(path=model.path, line=model.line)
    return None


def _sql_lines(root: Path | None, schema_arg: str | None) -> dict:
    """index name -> line, when the schema is a .sql file of the project."""
    if root is None or not schema_arg or not schema_arg.strip().endswith(".sql") or "\n" in schema_arg.strip():
        return {}
    path = root / schema_arg.strip()
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return {}
    out: dict = {"__path__": schema_arg.strip()}
    for i, line in enumerate(lines, start=1):
        m = re.search(r"CREATE\s+(?:UNIQUE\s+)?INDEX\s+(?:CONCURRENTLY\s+)?(?:IF NOT EXISTS\s+)?\"?(\w+)", line, re.IGNORECASE)
        if m:
            out.setdefault(m.group(1), i)
    return out

"""Schemas: tables, column types and indexes, read from DDL text, a .sql file, a live database, or the project's
Django / SQLAlchemy models (imported in a child process, never in the server), and turned into the SQLite DDL
of the embedded database."""

from __future__ import annotations

import json
import sqlite3
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError

from ..errors import InputError


@dataclass(frozen=True)
class Index:
    name: str
    table: str
    columns: tuple[str, ...]
    unique: bool = False


@dataclass
class Schema:
    tables: dict[str, dict[str, str]] = field(default_factory=dict)  # table -> column -> type
    indexes: list[Index] = field(default_factory=list)
    ddl: list[str] = field(default_factory=list)  # SQLite statements that build it
    source: str = ""

    def covered(self, table: str, columns: tuple[str, ...]) -> Index | None:
        """An existing index whose leading columns are these columns (it already serves the lookup)."""
        for ix in self.indexes:
            if ix.table == table and ix.columns[: len(columns)] == columns:
                return ix
        return None


def from_ddl(text: str, dialect: str = "sqlite", source: str = "ddl") -> Schema:
    schema = Schema(source=source)
    try:
        statements = [s for s in sqlglot.parse(text, read=dialect) if s is not None]
    except ParseError as exc:
        first = exc.errors[0] if exc.errors else {}
        raise InputError("schema", f"cannot parse the DDL: line {first.get('line')}, column {first.get('col')}: {first.get('description') or exc}") from None
    for stmt in statements:
        if not isinstance(stmt, exp.Create):
            continue
        kind = (stmt.args.get("kind") or "").upper()
        if kind == "TABLE" and isinstance(stmt.this, exp.Schema):
            table = stmt.this.this.name
            cols = {}
            for col in stmt.this.expressions:
                if isinstance(col, exp.ColumnDef):
                    cols[col.name] = (col.args["kind"].sql(dialect="sqlite") if col.args.get("kind") else "")
                    if any(isinstance(c.kind, exp.PrimaryKeyColumnConstraint) for c in col.constraints):
                        schema.indexes.append(Index(f"{table}_pkey", table, (col.name,), True))
                elif isinstance(col, exp.PrimaryKey):
                    schema.indexes.append(Index(f"{table}_pkey", table, tuple(e.name for e in col.expressions), True))
                elif isinstance(col, exp.UniqueColumnConstraint) and col.this is not None:
                    schema.indexes.append(Index(f"{table}_unique", table, tuple(e.name for e in col.this.expressions), True))
            schema.tables[table] = cols
        elif kind == "INDEX":
            index = stmt.this
            table = index.args.get("table")
            params = index.args.get("params")
            columns = tuple(c.name for c in (params.args.get("columns") if params else []) or [])
            if table is not None and columns:
                schema.indexes.append(Index(index.name, table.name, columns, bool(stmt.args.get("unique"))))
        schema.ddl.append(stmt.sql(dialect="sqlite"))
    return schema


def from_sqlite(conn: sqlite3.Connection, source: str) -> Schema:
    schema = Schema(source=source)
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").fetchall():
        schema.tables[name] = {row[1]: row[2] for row in conn.execute(f'PRAGMA table_info("{name}")')}
        for row in conn.execute(f'PRAGMA table_info("{name}")'):
            if row[5] == 1:
                schema.indexes.append(Index(f"{name}_pkey", name, (row[1],), True))
        for _, index, unique, *_ in conn.execute(f'PRAGMA index_list("{name}")').fetchall():
            cols = tuple(r[2] for r in conn.execute(f'PRAGMA index_info("{index}")'))
            schema.indexes.append(Index(index, name, cols, bool(unique)))
    return schema


def from_postgres(cur, source: str) -> Schema:
    schema = Schema(source=source)
    cur.execute("SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() "
                "ORDER BY table_name, ordinal_position")
    for table, column, kind in cur.fetchall():
        schema.tables.setdefault(table, {})[column] = kind
    cur.execute("SELECT i.relname, t.relname, ix.indisunique, array(SELECT a.attname FROM unnest(ix.indkey) WITH ORDINALITY k(n, o) "
                "JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.n ORDER BY k.o) FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid "
                "JOIN pg_class t ON t.oid = ix.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = current_schema()")
    for name, table, unique, cols in cur.fetchall():
        schema.indexes.append(Index(name, table, tuple(cols), unique))
    return schema


_MODELS = r"""
import json, sys
target = sys.argv[1]
out = []
if target.startswith("django:"):
    import django
    from django.conf import settings
    app = target.split(":", 1)[1]
    settings.configure(INSTALLED_APPS=[app], DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
                       DEFAULT_AUTO_FIELD="django.db.models.AutoField")
    django.setup()
    from django.apps import apps
    from django.db import connection
    with connection.schema_editor(collect_sql=True) as editor:
        for model in apps.get_app_config(app.rpartition(".")[2]).get_models():
            editor.create_model(model)
    out = [s if s.endswith(";") else s + ";" for s in editor.collected_sql]
else:
    import importlib
    from sqlalchemy.dialects import sqlite
    from sqlalchemy.schema import CreateIndex, CreateTable
    module = importlib.import_module(target.split(":", 1)[1])
    metadata = next(v.metadata for v in vars(module).values() if hasattr(v, "metadata") and hasattr(v.metadata, "sorted_tables"))
    for table in metadata.sorted_tables:
        out.append(str(CreateTable(table).compile(dialect=sqlite.dialect())).strip() + ";")
        out += [str(CreateIndex(ix).compile(dialect=sqlite.dialect())).strip() + ";" for ix in table.indexes]
print(json.dumps(out))
"""


def from_models(spec: str, python: str, cwd: Path) -> Schema:
    """`django:app_label_module` or `sqlalchemy:package.models`: the DDL the ORM itself would create, in SQLite."""
    if not spec.startswith(("django:", "sqlalchemy:")):
        raise InputError("schema", "expected DDL text, a .sql file, or models as django:APP or sqlalchemy:MODULE")
    try:
        done = subprocess.run([python, "-c", _MODELS, spec], cwd=cwd, capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        raise InputError("schema", f"reading the models of {spec} took more than 60 s") from None
    if done.returncode != 0:
        raise InputError("schema", f"cannot read the models of {spec}: {done.stderr.strip().splitlines()[-1] if done.stderr.strip() else 'no output'}")
    return from_ddl("\n".join(json.loads(done.stdout)), "sqlite", spec)

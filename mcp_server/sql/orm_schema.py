"""The schema as the project's ORM creates it: Django models through the project's own settings (so every
installed app loads and a ForeignKey to another app resolves), or SQLAlchemy metadata; always imported in a child
process with the project's interpreter, never in the server."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

from ..errors import InputError
from .schema import Schema, from_ddl

_MODELS = r"""
import json, os, sys
target, settings_module = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.getcwd())
out = []
if target.startswith("django:"):
    import django
    from django.conf import settings
    app = target.split(":", 1)[1]
    sqlite = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
    if settings_module:
        os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
        settings.INSTALLED_APPS  # loads the project's settings; only the database is ours (the DDL is collected, never run)
        settings.DATABASES = sqlite
        settings.DATABASE_ROUTERS = []
    else:
        settings.configure(INSTALLED_APPS=[app], DATABASES=sqlite, DEFAULT_AUTO_FIELD="django.db.models.AutoField")
    django.setup()
    from django.apps import apps
    from django.db import connection
    label = app.rpartition(".")[2]
    known = [c.label for c in apps.get_app_configs()]
    if label not in known and not any(c.name == app for c in apps.get_app_configs()):
        sys.exit(f"no installed app {app!r} in {settings_module or 'the default settings'}; installed: {', '.join(known)}")
    with connection.schema_editor(collect_sql=True) as editor:
        for model in apps.get_models():  # every installed app: a ForeignKey to another app needs its table
            if model._meta.proxy or model._meta.swapped:
                continue
            editor.create_model(model)
    out = [s if s.endswith(";") else s + ";" for s in editor.collected_sql]
else:
    import importlib
    from sqlalchemy.dialects import sqlite
    from sqlalchemy.schema import CreateIndex, CreateTable
    name = target.split(":", 1)[1]
    try:
        module = importlib.import_module(name)
    except Exception as exc:
        sys.exit(f"importing {name} failed ({type(exc).__name__}: {exc}); pass the module that declares the models and imports "
                 "nothing that starts the application (no app factory, no configuration read at import time)")
    found = [v.metadata for v in vars(module).values() if hasattr(v, "metadata") and hasattr(v.metadata, "sorted_tables")]
    if not found:
        sys.exit(f"{name} holds no SQLAlchemy metadata (a declarative Base or a MetaData); pass the module that declares the models")
    for table in found[0].sorted_tables:
        out.append(str(CreateTable(table).compile(dialect=sqlite.dialect())).strip() + ";")
        out += [str(CreateIndex(ix).compile(dialect=sqlite.dialect())).strip() + ";" for ix in table.indexes]
print(json.dumps(out))
"""

_SETTINGS_IN_MANAGE = re.compile(r"""DJANGO_SETTINGS_MODULE["']\s*,\s*["']([\w.]+)["']""")


def django_settings(root: Path, explicit: str | None) -> str | None:
    """The settings module the project runs with: given after `@`, else the environment, else manage.py's default."""
    if explicit:
        return explicit
    if os.environ.get("DJANGO_SETTINGS_MODULE"):
        return os.environ["DJANGO_SETTINGS_MODULE"]
    for manage in [root / "manage.py", *sorted(root.glob("*/manage.py"))]:
        try:
            m = _SETTINGS_IN_MANAGE.search(manage.read_text(encoding="utf-8"))
        except OSError:
            continue
        if m:
            return m.group(1)
    return None


def from_models(spec: str, python: str, cwd: Path) -> Schema:
    """`django:APP[@settings.module]` or `sqlalchemy:package.models`: the DDL the ORM itself would create, in SQLite."""
    if not spec.startswith(("django:", "sqlalchemy:")):
        raise InputError("schema", "expected DDL text, a .sql file, or models as django:APP or sqlalchemy:MODULE")
    target, _, explicit = spec.partition("@")
    settings = django_settings(cwd, explicit or None) if spec.startswith("django:") else None
    try:
        done = subprocess.run([python, "-c", _MODELS, target, settings or ""], cwd=cwd, capture_output=True, text=True, timeout=60, check=False)
    except subprocess.TimeoutExpired:
        raise InputError("schema", f"reading the models of {spec} took more than 60 s") from None
    if done.returncode != 0:
        last = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "no output"
        raise InputError("schema", f"cannot read the models of {spec}{f' (settings {settings})' if settings else ''}: {last}")
    schema = from_ddl("\n".join(json.loads(done.stdout)), "sqlite", spec)
    if settings:
        schema.notes.append(f"models read with the project's settings {settings}")
    return schema

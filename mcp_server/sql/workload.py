"""The statements a project runs, read from its code: SQL literals reaching execute / executemany / raw / text() /
asyncpg fetch*, and Django ORM calls anywhere (model managers, custom managers, related managers), each as
(file:line, SQL) or (file:line, the reason it is not planned). Test files are left out by the project's
`exclude` (tests make queries on purpose), as in scan."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

from ..analysis.files import MAX_FILE_BYTES, read_source
from ..analysis.syntax import parse
from .django_models import Project, read_models, resolve_tables
from .django_orm import NotPlanned, is_statement_end, translate

_SQL_START = ("select", "update", "delete", "with", "insert")
_TEST_PARTS = {"test", "tests", "testing", "factories"}
_DBAPI = ("execute", "executemany", "raw", "text", "fetch", "fetchrow", "fetchval")


@dataclass
class Workload:
    statements: list[tuple[str, str]] = field(default_factory=list)  # (file:line, SQL)
    not_planned: list[tuple[str, str]] = field(default_factory=list)  # (file:line, why)
    project: Project = field(default_factory=Project)
    few_values: set[tuple[str, str]] = field(default_factory=set)
    references: dict[tuple[str, str], str] = field(default_factory=dict)
    unreadable: list[tuple[str, str]] = field(default_factory=list)  # (file, why it was skipped)


def parse_file(root: Path, rel: str, max_bytes: int = MAX_FILE_BYTES) -> tuple[ast.Module | None, str | None]:
    """A file's tree under scan's limits (size, regular files only, encoding), or the reason scan would give."""
    text, problem = read_source(root, rel, max_bytes)
    if text is None:
        return None, problem
    try:
        return parse(text, filename=rel), None
    except SyntaxError as exc:
        return None, f"syntax error at line {exc.lineno}, column {exc.offset}: {exc.msg}; skipped"
    except (RecursionError, MemoryError, ValueError):
        return None, "cannot be parsed (too deeply nested, or invalid); skipped"


def read_workload(root: Path, files: list[str], tables: dict[str, dict[str, str]], engine: str,
                  max_bytes: int = MAX_FILE_BYTES) -> Workload:
    project = read_models(root, files)
    resolve_tables(project, tables)
    out = Workload(project=project)
    for m in project.models.values():  # what the models say about values, for the planner's guesses
        for f in m.fields.values() if m.table else []:
            if f.few_values:
                out.few_values.add((m.table, f.column))
            target = project.target(m, f) if f.target is not None and not f.many else None
            if target is not None and target.table:
                out.references[(m.table, f.column)] = target.table
    for rel in files:
        if _TEST_PARTS & set(Path(rel).parts[:-1]):
            continue  # test helpers inside the package (oscar/test/factories): their statements are not production's
        tree, problem = parse_file(root, rel, max_bytes)
        if tree is None:
            out.unreadable.append((rel, problem))  # the reason scan_performance gives, so neither says "0 skipped" alone
            continue
        resolve = _resolver(tree, rel, project)
        inner: set[int] = set()  # calls that are a link of a longer chain: the chain's end is the statement
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Call):
                inner.add(id(node.func.value))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
                continue
            where = f"{rel}:{node.lineno}"
            if node.func.attr in _DBAPI and node.args:
                text = _literal(node.args[0])
                if text and text.lstrip().lower().startswith(_SQL_START):
                    out.statements.append((where, text))
                    continue
            if id(node) in inner or not is_statement_end(node) or not project.models:
                continue
            sql = translate(node, project, resolve, engine)
            if isinstance(sql, NotPlanned):
                out.not_planned.append((where, f"not planned: {sql.reason}"))
            elif sql:
                out.statements.append((where, sql))
    return out


def _literal(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "text" and node.args:
        return _literal(node.args[0])
    return None


def _resolver(tree: ast.Module, rel: str, project: Project):
    """A class name as this file means it: its own model, the one its imports name, else the only one so named."""
    imported: dict[str, str] = {}
    loaded: dict[str, tuple[str, str]] = {}  # Line = get_model("order", "Line"): the name means order.Line here
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module is not None:
            for a in node.names:
                imported[a.asname or a.name] = node.module
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and isinstance(node.value.func, (ast.Name, ast.Attribute)):
            func = node.value.func.id if isinstance(node.value.func, ast.Name) else node.value.func.attr
            args = [a.value for a in node.value.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            if func == "get_model" and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name) and args:
                app, _, name = ".".join(args).rpartition(".")
                loaded[node.targets[0].id] = (app, name)
    cache: dict[str, list] = {}

    def resolve(name: str) -> list:
        if name not in cache:
            alias_of = name
            models = project.by_name(name)
            if not models and name in imported:  # `from .models import Invoice as Bill`
                for node in ast.walk(tree):
                    if isinstance(node, ast.ImportFrom):
                        alias_of = next((a.name for a in node.names if a.asname == name), alias_of)
                models = project.by_name(alias_of)
            if name in loaded:
                app, model_name = loaded[name]
                models = [m for m in project.by_name(model_name) if m.app == app] or project.by_name(model_name)
            if len(models) > 1:
                own = [m for m in models if m.path == rel]
                module = imported.get(name, "")
                named = [m for m in models if m.app in module.split(".")]
                models = own or named or models
            cache[name] = models
        return cache[name]

    return resolve

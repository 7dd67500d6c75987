"""The SQL we are handed comes from an AI agent: treat it as untrusted. Exactly one statement, checked by the
parser; only SELECT (and set operations of SELECTs); INSERT/UPDATE/DELETE/MERGE, anywhere in the tree, only
for a plan (never executed); never transaction control, SET, PRAGMA, ATTACH, COPY, DO, CALL or any other
command. Placeholders in any common style are recognised so the statement can be planned without values."""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, TokenError

from ..errors import InputError
from ..limits import check_sql_size

DIALECTS = ("sqlite", "postgres", "mysql", "duckdb", "bigquery", "snowflake", "tsql", "oracle", "trino", "spark")
_WRITES = (exp.Insert, exp.Update, exp.Delete, exp.Merge)
_PLACEHOLDER = re.compile(r"%\(\w+\)s|%s|\$\d+|(?<![:\w]):[A-Za-z_]\w*|\?")


@dataclass
class Statement:
    sql: str
    tree: exp.Expression
    dialect: str
    writes: bool  # INSERT / UPDATE / DELETE / MERGE somewhere in the tree: plan only
    placeholders: int


def parse(sql: str, dialect: str | None, field: str = "sql") -> Statement:
    if not isinstance(sql, str) or not sql.strip():
        raise InputError(field, "expected one SQL statement")
    check_sql_size(sql, field)
    dialect = dialect or "sqlite"
    if dialect not in DIALECTS:
        raise InputError("dialect", f"expected one of {', '.join(DIALECTS)}, got {dialect!r}")
    text = sql
    if dialect not in ("postgres", "mysql") and re.search(r"%\(\w+\)s|%s", _strip_strings(sql)):
        text = _outside_strings(sql, lambda _: "?")  # Django's and psycopg's %s: the parser of SQLite knows only ?
    try:
        trees = [t for t in sqlglot.parse(text, read=dialect) if t is not None]
    except ParseError as exc:
        first = exc.errors[0] if exc.errors else {}
        where = f"line {first.get('line')}, column {first.get('col')}: " if first.get("line") else ""
        raise InputError(field, f"cannot parse the SQL ({dialect}): {where}{first.get('description') or exc}") from None
    except TokenError as exc:  # an unterminated string or quoted name: the tokenizer gives up before the parser starts
        raise InputError(field, f"cannot read the SQL ({dialect}): {str(exc).split(chr(10))[0][:200]}; is a quote left open?") from None
    except RecursionError:
        raise InputError(field, "the SQL is nested too deeply to parse") from None
    if len(trees) != 1:
        raise InputError(field, f"expected exactly one statement, got {len(trees)}; send them one at a time")
    tree = trees[0]
    kind = type(tree).__name__
    if isinstance(tree, (exp.Transaction, exp.Commit, exp.Rollback)):
        raise InputError(field, "transaction control is not accepted; send the statement itself")
    if not isinstance(tree, (exp.Select, exp.SetOperation, *_WRITES)):
        raise InputError(field, f"only SELECT (or INSERT/UPDATE/DELETE/MERGE for a plan) is accepted, got {kind.upper()}")
    writes = isinstance(tree, _WRITES) or any(True for _ in tree.find_all(*_WRITES))
    bad = next((n for n in tree.find_all(exp.Command, exp.Set, exp.Pragma, exp.Copy, exp.Transaction)), None)
    if bad is not None:
        raise InputError(field, f"{type(bad).__name__.upper()} inside the statement is not accepted")
    return Statement(sql, tree, dialect, writes, len(_PLACEHOLDER.findall(_strip_strings(sql))))


def _strip_strings(sql: str) -> str:
    return re.sub(r"'(?:[^']|'')*'", "''", sql)


def _outside_strings(sql: str, replace) -> str:
    parts = re.split(r"('(?:[^']|'')*')", sql)  # odd indexes are string literals: placeholders there are text
    return "".join(p if i % 2 else _PLACEHOLDER.sub(replace, p) for i, p in enumerate(parts))


def to_qmark(stmt: Statement) -> str:
    """The statement with its placeholders as `?` (SQLite's style)."""
    return _outside_strings(stmt.sql, lambda _: "?") if stmt.placeholders else stmt.sql


def to_numbered(stmt: Statement) -> str:
    """The statement with its placeholders as $1, $2, ... (PostgreSQL's PREPARE style)."""
    count = iter(range(1, 10_000))
    return _outside_strings(stmt.sql, lambda _: f"${next(count)}") if stmt.placeholders else stmt.sql

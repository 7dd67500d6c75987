"""Collections the code reads without an ORM that hold as many items as their source: a DB-API cursor's rows
(`conn.execute("SELECT ...").fetchall()`) and the rows of a CSV file or a sheet (`csv.DictReader(lines)`,
`sheet.iter_rows()`). The extractor sizes ORM rows by their source; these it used to leave unknown, and a batch
import over a file's rows, or a report over a table read with plain SQL, is exactly where a query per item hurts."""

from __future__ import annotations

import ast

from .nodes import PROGRESS_BARS, dotted

QUERY_ROWS = "rows of a database query (DB-API)"
FILE_ROWS = "rows of a file"

_WRAPPERS = frozenset({"enumerate", "list", "tuple", "sorted", "reversed", "iter"}) | PROGRESS_BARS
_FETCHES = frozenset({"fetchall", "fetchmany"})
_SHEET_ROWS = frozenset({"iter_rows", "iterrows", "itertuples", "readlines"})
_OPENERS = frozenset({"open", "io.open", "codecs.open", "gzip.open", "bz2.open"})
_NOT_SELECTS = ("insert", "update", "delete", "create", "drop", "alter", "pragma", "begin", "commit")


def many_rows(node: ast.AST | None, named: dict[str, str]) -> str:
    """Why `node` holds as many items as a table or a file ("" when nothing says so); `named`: local names already
    bound to such rows."""
    while True:
        t = type(node)
        if t is ast.Name:
            return named.get(node.id, "")
        if t is ast.Subscript and type(node.slice) is ast.Slice and node.slice.upper is None:
            node = node.value  # `rows[1:]`: the header skipped, the rest as many as before
        elif t is ast.Call and type(node.func) is ast.Name and node.func.id in _WRAPPERS and node.args:
            node = node.args[0]
        else:
            break
    if t is not ast.Call or type(node.func) is not ast.Attribute and type(node.func) is not ast.Name:
        return ""
    name = node.func.attr if type(node.func) is ast.Attribute else node.func.id
    if name in _FETCHES and type(node.func) is ast.Attribute:
        return QUERY_ROWS
    if name == "execute" and type(node.func) is ast.Attribute and node.args and _selects(node.args[0]):
        return QUERY_ROWS  # sqlite3's `conn.execute(...)` is its own cursor
    if name in ("reader", "DictReader") and ((dotted(node.func) or "").startswith("csv.") or name == "DictReader"):
        return FILE_ROWS
    if name in _SHEET_ROWS and type(node.func) is ast.Attribute:
        return FILE_ROWS
    return ""


def opened_input(node: ast.AST) -> bool:
    """`open(path)` of a path the code does not spell out (a parameter, an upload's temporary file): an input whose
    lines are as many as it holds; `open("tax_codes.txt")` is the application's own, usually short, file."""
    return type(node) is ast.Call and (dotted(node.func) or "") in _OPENERS and bool(node.args) \
        and not (type(node.args[0]) is ast.Constant and isinstance(node.args[0].value, str))


def _selects(sql: ast.AST) -> bool:
    """The statement reads rows: a SELECT literal, or SQL kept under a name (a constant, a built string)."""
    if type(sql) is ast.Constant and isinstance(sql.value, str):
        return not sql.value.lstrip().lower().startswith(_NOT_SELECTS)
    return type(sql) in (ast.Name, ast.Attribute, ast.JoinedStr, ast.BinOp, ast.Call)

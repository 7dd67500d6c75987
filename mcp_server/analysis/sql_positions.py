"""Where a formatted value sits in the SQL statement it is formatted into: a value's place, which a bound parameter
takes (`WHERE client_id = {client_id}`, `LIKE '%{q}%'`, `IN ({ids})`, `LIMIT {n}`), or the statement's structure, which
no driver binds (`FROM {table}`, `SELECT {columns}`, `WHERE {clause}`). Read on real applications, PF601's findings on
the structure were false or not worth anyone's time nearly every time: Feast's table and column names from its feature
definitions, Datasette's clauses of bound placeholders (rounds 101 and 103)."""

from __future__ import annotations

import ast
import re

# what comes right before a value: a comparison, a string literal's opening quote or a LIKE pattern's `%`, LIMIT/OFFSET
_VALUE_BEFORE = re.compile(r"(=|<|>|\bLIKE|\bILIKE|\bLIMIT|\bOFFSET|\bBETWEEN|'|'%|%)$", re.I)
_LIST_OPENER = re.compile(r"\b(IN|VALUES|ANY)\s*$", re.I)
CONVERSION = re.compile(r"%(?:\((\w+)\))?[-#0 +]*(?:\d+|\*)?(?:\.\d+)?([a-zA-Z%])")


def value_position(before: str) -> bool:
    """The text of the statement before a formatted value ends where a value goes."""
    text = before.rstrip()
    if _VALUE_BEFORE.search(text):
        return True
    if text.endswith(("(", ",")):  # an `IN (...)` or `VALUES (...)` list, not a column list or a function's arguments
        opened = text.rfind("(")
        return opened >= 0 and _LIST_OPENER.search(text[:opened]) is not None
    return False


_REMOTE = re.compile(r"\bdblink(?:_exec)?\s*\(", re.I)


def in_remote_text(before: str) -> bool:
    """The value sits inside the quoted query text PostgreSQL's `dblink('conn', '... {v} ...')` sends to another
    server: a string the local driver never parses, so no bound parameter reaches it (Data Act Broker's and USAspending's
    ETL, round 131: judged WRONGFIX). The connection's name before it is a local expression, which a parameter can take."""
    ends = [m.end() for m in _REMOTE.finditer(before)]
    if not ends:
        return False
    text = before[ends[-1]:]
    start, i = None, 0
    while i < len(text):  # where the literal the value sits in opens (`''` inside one is a quote, `$$` quotes too)
        quote = "$$" if text.startswith("$$", i) else "'" if text[i] == "'" else None
        if quote and start is None:
            start, closing = i + len(quote), quote
        elif quote and quote == closing and not (quote == "'" and text.startswith("''", i)):
            start = None
        i += 2 if quote == "$$" or (quote == "'" and start is not None and text.startswith("''", i)) else 1
    return start is not None and ("," in text[:start] or bool(_QUERY_START.match(text[start:])))


_QUERY_START = re.compile(r"\s*(select|with|insert|update|delete)\b", re.I)


def statement_positions(node: ast.AST, sql_text: dict[str, str]) -> dict[int, str]:
    """For each value an f-string, a `%` or `.format` template or a `+` chain formats into SQL: the text before it
    (keyed by the value node's id). Values whose place cannot be told are left out (taken as values)."""
    if isinstance(node, ast.JoinedStr):
        return _joined(node)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and isinstance(node.left, ast.Constant) and isinstance(node.left.value, str):
        return _percent(node.left.value, node.right)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Constant) \
            and isinstance(node.func.value.value, str):
        return _format(node.func.value.value, node)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        out, text = {}, ""
        for piece in flatten_add(node):
            if isinstance(piece, ast.Constant) and isinstance(piece.value, str):
                text += piece.value
            elif isinstance(piece, ast.Name) and piece.id in sql_text:
                text += sql_text[piece.id]
            else:
                out[id(piece)] = text
                text += "?"  # something stands there; what follows is after it
        return out
    return {}


def _joined(node: ast.JoinedStr) -> dict[int, str]:
    out, text = {}, ""
    for part in node.values:
        if isinstance(part, ast.Constant) and isinstance(part.value, str):
            text += part.value
        elif isinstance(part, ast.FormattedValue):
            out[id(part.value)] = text
            text += "?"
    return out


def _percent(template: str, right: ast.AST) -> dict[int, str]:
    out, values = {}, list(right.elts) if isinstance(right, ast.Tuple) else None
    named = {k.value: v for k, v in zip(right.keys, right.values) if isinstance(k, ast.Constant)} if isinstance(right, ast.Dict) else {}
    i = 0
    for m in CONVERSION.finditer(template):
        if m.group(2) == "%":
            continue
        value = named.get(m.group(1)) if m.group(1) else (values[i] if values is not None and i < len(values) else right if values is None else None)
        i += 0 if m.group(1) else 1
        if value is not None and id(value) not in out:
            out[id(value)] = template[:m.start()]
    return out


def _format(template: str, call: ast.Call) -> dict[int, str]:
    out, text, auto = {}, "", 0
    keywords = {k.arg: k.value for k in call.keywords if k.arg}
    import string  # (only here: the hook's start-up should not pay for it)

    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError:
        return {}
    for literal, field, _spec, _conv in parsed:
        text += literal
        if field is None:
            continue
        head = field.split(".")[0].split("[")[0]
        if head == "":
            value, auto = (call.args[auto] if auto < len(call.args) else None), auto + 1
        elif head.isdigit():
            value = call.args[int(head)] if int(head) < len(call.args) else None
        else:
            value = keywords.get(head)
        if value is not None and id(value) not in out:
            out[id(value)] = text
        text += "?"
    return out


def flatten_add(node: ast.AST) -> list[ast.AST]:
    """`"SELECT " + cols + " FROM t"`: the pieces a `+` chain joins, in order."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return [*flatten_add(node.left), *flatten_add(node.right)]
    return [node]

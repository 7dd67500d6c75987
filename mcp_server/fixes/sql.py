"""SQL built by formatting: an f-string passed straight to execute() becomes a constant statement with bound
parameters in the driver's style (qmark `?` for sqlite3, `%s` for psycopg and psycopg2), the quotes around each
value dropped. Anything less certain (identifiers, LIKE patterns, a statement built elsewhere, an unknown
driver) gets no patch."""

from __future__ import annotations

import libcst as cst

from ..analysis.words import is_identifier_name
from .base import Change, Codemod, Example, Replace, dotted, string

STYLES = {"sqlite3": "?", "psycopg": "%s", "psycopg2": "%s"}


def _style(module: cst.Module) -> str | None:
    found = set()
    for stmt in module.body:
        for small in stmt.body if isinstance(stmt, cst.SimpleStatementLine) else ():
            if isinstance(small, cst.Import):
                found |= {dotted(a.name).partition(".")[0] for a in small.names if dotted(a.name)}
            elif isinstance(small, cst.ImportFrom) and small.module is not None:
                found.add((dotted(small.module) or "").partition(".")[0])
    styles = {STYLES[m] for m in found if m in STYLES}
    return styles.pop() if len(styles) == 1 else None


class BoundParameters(Codemod):
    id = "bound-parameters"
    rules = ("PF601",)
    what = "Rewrites an f-string passed to execute() into a constant statement plus a tuple of bound parameters in the driver's paramstyle."

    @classmethod
    def fix(cls, finding, read):
        located = cls.located(finding, read)
        if located is None:
            return None
        style = _style(located.module)
        if style is None:
            return None  # which placeholder the driver wants is not certain
        call = next((c for c in located.on_line(finding.location.line, cst.Call)
                     if isinstance(c.func, cst.Attribute) and c.func.attr.value in ("execute", "executemany")), None)
        if call is None or len(call.args) != 1 or not isinstance(call.args[0].value, cst.FormattedString):
            return None
        fstring = call.args[0].value
        text, params = "", []
        parts = list(fstring.parts)
        for i, part in enumerate(parts):
            if isinstance(part, cst.FormattedStringText):
                text += part.value
                continue
            if part.conversion or part.format_spec:
                return None
            name = dotted(part.expression) or ""
            if is_identifier_name(name.rpartition(".")[2]):
                return None  # an identifier: no placeholder can carry it
            after = parts[i + 1].value if i + 1 < len(parts) and isinstance(parts[i + 1], cst.FormattedStringText) else ""
            quoted = text.endswith("'") and after.startswith("'")
            if not quoted and ((text and text[-1] in "%_") or (after and after[0] in "%_'")):
                return None  # part of a LIKE pattern or a larger literal: not a plain value
            if quoted:
                text = text[:-1]
                parts[i + 1] = parts[i + 1].with_changes(value=after[1:])
            text += style
            params.append(part.expression)
        if "'" in fstring.start or '"""' in fstring.start or "'''" in fstring.start:
            return None
        tuple_params = cst.Tuple([cst.Element(p) for p in params]) if params else None
        if tuple_params is None:
            return None
        new_call = call.with_changes(args=[cst.Arg(string(text)), cst.Arg(tuple_params)])
        module = located.module.visit(Replace({call: new_call}))
        return Change(finding.location.path, module.code, f"passes {len(params)} value(s) as bound parameters ({style}) instead of pasting them into the SQL")

    examples = [
        Example({"search.py": '''import sqlite3


def find(conn: sqlite3.Connection, name, state):
    return conn.execute(f"SELECT id FROM clients WHERE name = '{name}' AND state = '{state}'").fetchall()
'''}, "search.py", 5, "PF601", {"search.py": '''import sqlite3


def find(conn: sqlite3.Connection, name, state):
    return conn.execute("SELECT id FROM clients WHERE name = ? AND state = ?", (name, state)).fetchall()
'''}),
        Example({"search.py": '''import sqlite3


def find(conn: sqlite3.Connection, pattern):
    return conn.execute(f"SELECT id FROM clients WHERE name LIKE '%{pattern}%'").fetchall()
'''}, "search.py", 5, "PF601", None),
    ]

"""Resource leaks: a file, connection or session opened into a name and used to the end of its block becomes a
`with` block (through `contextlib.closing` for sqlite3 and psycopg2 connections, whose own `with` only ends the
transaction); `with sqlite3.connect(...) as conn:` becomes `with closing(sqlite3.connect(...)) as conn, conn:`."""

from __future__ import annotations

import libcst as cst

from .base import Change, Codemod, Example, Replace, collect, dotted, with_imports

NEEDS_CLOSING = ("sqlite3.connect", "psycopg2.connect")


class WithBlock(Codemod):
    id = "with-block"
    rules = ("PF501",)
    what = "Wraps a resource whose life is the rest of its block in `with` (closing() for sqlite3 / psycopg2), dropping the manual close()."

    @classmethod
    def fix(cls, finding, read):
        located = cls.located(finding, read)
        if located is None:
            return None
        line = finding.location.line
        with_stmt = next(iter(located.on_line(line, cst.With)), None)
        if with_stmt is not None:
            return cls._close_connection(located, with_stmt, finding)
        for block in collect(located.module, cst.IndentedBlock):
            for i, stmt in enumerate(block.body):
                if located.positions[stmt].start.line != line:
                    continue
                return cls._wrap(located, block, i, finding)
        return None

    @classmethod
    def _close_connection(cls, located, with_stmt, finding):
        if len(with_stmt.items) != 1 or with_stmt.items[0].asname is None:
            return None
        item = with_stmt.items[0]
        if not isinstance(item.item, cst.Call) or dotted(item.item.func) not in NEEDS_CLOSING:
            return None
        name = item.asname.name
        new_items = [item.with_changes(item=cst.Call(cst.Name("closing"), [cst.Arg(item.item)]), comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))),
                     cst.WithItem(item=cst.Name(name.value))]
        module = located.module.visit(Replace({with_stmt: with_stmt.with_changes(items=new_items)}))
        module = with_imports(module, [("contextlib", "closing")])
        return Change(finding.location.path, module.code, "closes the connection at the end of the block; the inner `with` keeps the commit / rollback")

    @classmethod
    def _wrap(cls, located, block, i, finding):
        stmt = block.body[i]
        if not (isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1 and isinstance(stmt.body[0], cst.Assign)):
            return None
        assign = stmt.body[0]
        if len(assign.targets) != 1 or not isinstance(assign.targets[0].target, cst.Name) or not isinstance(assign.value, cst.Call):
            return None
        name = assign.targets[0].target.value
        rest = list(block.body[i + 1:])
        kept = [s for s in rest if not _is_close(s, name)]
        if not kept or any(_rebinds(s, name) for s in kept):
            return None
        value = assign.value
        if dotted(value.func) in NEEDS_CLOSING:
            value = cst.Call(cst.Name("closing"), [cst.Arg(value)])
        body = cst.IndentedBlock(body=[kept[0].with_changes(leading_lines=[]), *kept[1:]])
        new = cst.With(items=[cst.WithItem(item=value, asname=cst.AsName(cst.Name(name)))], body=body, leading_lines=stmt.leading_lines)
        new_block = block.with_changes(body=[*block.body[:i], new])
        module = located.module.visit(Replace({block: new_block}))
        if value is not assign.value:
            module = with_imports(module, [("contextlib", "closing")])
        return Change(finding.location.path, module.code, f"`{name}` is closed on every path, also when an exception is raised")

    examples = [
        Example({"balances.py": '''import sqlite3


def balance(path, account):
    conn = sqlite3.connect(path)
    row = conn.execute("SELECT balance FROM accounts WHERE id = ?", (account,)).fetchone()
    conn.close()
    return row[0]
'''}, "balances.py", 5, "PF501", {"balances.py": '''import sqlite3
from contextlib import closing


def balance(path, account):
    with closing(sqlite3.connect(path)) as conn:
        row = conn.execute("SELECT balance FROM accounts WHERE id = ?", (account,)).fetchone()
        return row[0]
'''}),
        Example({"totals.py": '''import sqlite3


def total(path):
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT sum(total) FROM invoices").fetchone()[0]
'''}, "totals.py", 5, "PF501", {"totals.py": '''import sqlite3
from contextlib import closing


def total(path):
    with closing(sqlite3.connect(path)) as conn, conn:
        return conn.execute("SELECT sum(total) FROM invoices").fetchone()[0]
'''}),
    ]


def _is_close(stmt: cst.BaseStatement, name: str) -> bool:
    if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1 and isinstance(stmt.body[0], cst.Expr):
        call = stmt.body[0].value
        return isinstance(call, cst.Call) and dotted(call.func) == f"{name}.close" and not call.args
    return False


def _rebinds(stmt: cst.BaseStatement, name: str) -> bool:
    return any(isinstance(t.target, cst.Name) and t.target.value == name for t in collect(stmt, cst.AssignTarget))

"""Row-by-row writes: `for row in rows: cur.execute("INSERT ...", params)` becomes one `executemany` over the
parameters the loop builds, when the loop does nothing else (any other statement could depend on each insert)."""

from __future__ import annotations

import libcst as cst

from .base import Change, Codemod, Example, Located, Replace


class ExecuteMany(Codemod):
    id = "executemany"
    rules = ("PF201",)
    what = "Turns a loop whose only statement is cursor.execute(sql, params) into cursor.executemany(sql, [params for ... in ...])."

    @classmethod
    def fix(cls, finding, read):
        loop_line = next((e.location.line for e in finding.evidence if e.role == "loop" and e.location), None)
        if loop_line is None:
            return None
        located = Located(read(finding.location.path))
        loop = next(iter(located.on_line(loop_line, cst.For)), None)
        if loop is None or loop.asynchronous or loop.orelse or len(loop.body.body) != 1:
            return None
        stmt = loop.body.body[0]
        if not (isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1 and isinstance(stmt.body[0], cst.Expr)):
            return None
        call = stmt.body[0].value
        if not (isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute) and call.func.attr.value == "execute" and len(call.args) == 2
                and all(a.keyword is None and not a.star for a in call.args)):
            return None
        rows = cst.ListComp(elt=call.args[1].value, for_in=cst.CompFor(target=loop.target, iter=loop.iter))
        new_call = call.with_changes(func=call.func.with_changes(attr=cst.Name("executemany")),
                                     args=[call.args[0], call.args[1].with_changes(value=rows)])
        new = cst.SimpleStatementLine(body=[cst.Expr(new_call)], leading_lines=loop.leading_lines)
        module = located.module.visit(Replace({loop: new}))
        return Change(finding.location.path, module.code, "sends every row in one executemany call instead of one execute per row")

    examples = [
        Example({"imports.py": '''def load(conn, rows):
    for row in rows:
        conn.execute("INSERT INTO ledger (account, amount) VALUES (?, ?)", (row["account"], row["amount"]))
    conn.commit()
'''}, "imports.py", 3, "PF201", {"imports.py": '''def load(conn, rows):
    conn.executemany("INSERT INTO ledger (account, amount) VALUES (?, ?)", [(row["account"], row["amount"]) for row in rows])
    conn.commit()
'''}),
        Example({"imports.py": '''def load(conn, rows):
    for row in rows:
        conn.execute("INSERT INTO ledger (account, amount) VALUES (?, ?)", (row["account"], row["amount"]))
        print("inserted", row["account"])
'''}, "imports.py", 3, "PF201", None),
    ]

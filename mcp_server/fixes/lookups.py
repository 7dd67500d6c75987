"""Per-row lookups of a small key: the lookup function is memoised for the duration of the call that holds
the loop (`get_rate_once = functools.lru_cache(maxsize=None)(get_rate)` right before it), so each distinct key
is fetched once. The cache lives in a local variable: nothing is kept between calls, so nothing goes stale."""

from __future__ import annotations

import libcst as cst

from .base import Change, Codemod, Example, Located, Replace, collect, dotted, with_imports


class MemoiseLookup(Codemod):
    id = "memoise-lookup"
    rules = ("PF301",)
    what = "Memoises a per-row lookup for the loop (one fetch per distinct key), in a local cache that ends with the call."

    @classmethod
    def fix(cls, finding, read):
        loop_line = next((e.location.line for e in finding.evidence if e.role == "loop" and e.location), None)
        if loop_line is None or finding.location is None:
            return None
        located = Located(read(finding.location.path))
        call = next((c for c in located.on_line(finding.location.line, cst.Call)
                     if located.positions[c].start.column + 1 == finding.location.column), None)
        name = dotted(call.func) if call is not None else None
        if call is None or name is None or any(isinstance(a.value, (cst.List, cst.Dict, cst.Set)) for a in call.args):
            return None  # a literal list or dict argument cannot be a cache key
        statement = _statement_at(located, loop_line)
        if statement is None or _awaited(located, call):
            return None
        cached = name.replace(".", "_").lstrip("_") + "_once"
        memo = cst.parse_statement(f"{cached} = functools.lru_cache(maxsize=None)({name})  # one fetch per distinct key, for this call only\n")
        targets = [c for c in collect(statement, cst.Call) if dotted(c.func) == name]
        replacements = {c: c.with_changes(func=cst.Name(cached)) for c in targets}
        new_statement = statement.visit(Replace(replacements))
        memo = memo.with_changes(leading_lines=statement.leading_lines)
        new_statement = new_statement.with_changes(leading_lines=[])
        module = located.module.visit(Replace({statement: cst.FlattenSentinel([memo, new_statement])}))
        module = with_imports(module, [("functools", None)])
        return Change(finding.location.path, module.code,
                      f"memoises `{name}` for the loop at line {loop_line}: one lookup per distinct key instead of one per row")

    examples = [
        Example({"fiscal/__init__.py": "", "fiscal/rates.py": '''def get_rate(conn, tax, key):
    return conn.execute("SELECT rate FROM tax_rates WHERE tax = ? AND key = ?", (tax, key)).fetchone()[0]
''', "fiscal/taxes.py": '''from .rates import get_rate


def icms(conn, transactions):
    out = []
    for t in transactions:
        out.append(t.value * get_rate(conn, "icms", t.state))
    return out
'''}, "fiscal/taxes.py", 7, "PF301", {"fiscal/taxes.py": '''from .rates import get_rate
import functools


def icms(conn, transactions):
    out = []
    get_rate_once = functools.lru_cache(maxsize=None)(get_rate)  # one fetch per distinct key, for this call only
    for t in transactions:
        out.append(t.value * get_rate_once(conn, "icms", t.state))
    return out
'''}),
    ]


def _statement_at(located: Located, line: int) -> cst.BaseStatement | None:
    """The statement that holds the loop starting at `line` (the for statement, or the line with the comprehension)."""
    for node in located.on_line(line, (cst.For, cst.SimpleStatementLine)):
        return node
    return None


def _awaited(located: Located, call: cst.Call) -> bool:
    return any(a.expression is call for a in collect(located.module, cst.Await))

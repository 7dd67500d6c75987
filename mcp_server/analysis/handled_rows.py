"""A loop over the rows a state selects whose work moves each row out of that state: a work queue drained once per row.

`Event.objects.filter(reminder_sent=False, deadline__lt=soon)`, then per event a reminder and `event.reminder_sent = True`
(Lepton's Celery tasks, round 159: three N+1 findings judged N SMALL, "each event is handled once and then flagged");
`Membership.objects.filter(status=CANCELED, ...)` whose loop saves `update_fields=["status"]` (PyCon Italia's
five-minute task, round 157: two judged N SMALL). Each row passes through such a loop once in its life, so a query per
row costs one query per row ever, not one per row on every run: the run walks what arrived since the last one. Found
at `low` with the reason (`--min-severity low` lists them), never dropped: a backlog can still be large. A loop that
only sets the state and saves (`for sub in ....filter(staff=True): sub.staff = False; sub.save()`) is one `UPDATE`
however its rows come, and keeps its severity.
"""

from __future__ import annotations

import ast
import re

from .nodes import dotted

HANDLED = "the rows still in the state it selects (`{field}`), which its work changes"
WHY = ("; each row leaves the query once handled (the loop's work sets `{field}`), so a run walks only the rows that "
       "arrived since the last, and each row costs this once in its life, not on every run")


def state_field(body: list[ast.stmt], var: str, query_text, functions: dict[str, ast.FunctionDef | ast.AsyncFunctionDef]) -> str:
    """The field the rows are selected by that the loop's work changes ("" when none): set on the loop's row in its
    `body` (`row.f = ...`, `row.save(update_fields=["f"])`) or in one of the module's `functions` the body hands the row to.
    `query_text()` gives the text the rows are selected in, read only for a loop that sets a field of its row."""
    changed = _changed(body, var, functions)
    text = query_text() if changed else ""
    field = next((f for f in changed if _selects_by(text, f)), "")
    return field if field and _works_on(body, var) else ""


def _works_on(body: list[ast.stmt], var: str) -> bool:
    """The loop does something with each row besides setting its fields and saving it (`_remind(invoice)`,
    `membership.mark_as_active()`): work that marks what it has done. A loop that only sets and saves is one bulk
    `UPDATE` however often its rows come (PF201's fix), so it keeps its severity."""
    for stmt in body:
        for sub in ast.walk(stmt):
            if type(sub) is not ast.Call:
                continue
            func = sub.func
            if type(func) is ast.Attribute and type(func.value) is ast.Name and func.value.id == var and func.attr not in _STORING:
                return True
            if any(type(a) is ast.Name and a.id == var for a in (*sub.args, *(k.value for k in sub.keywords))) \
                    and dotted(func) not in ("setattr", "getattr", "print", "str", "repr"):
                return True
    return False


_STORING = frozenset({"save", "full_clean", "clean", "refresh_from_db"})


def module_functions(tree: ast.Module) -> dict[str, ast.FunctionDef | ast.AsyncFunctionDef]:
    return {n.name: n for n in tree.body if type(n) in (ast.FunctionDef, ast.AsyncFunctionDef)}


def _changed(body: list[ast.stmt], var: str, functions: dict, depth: int = 0) -> list[str]:
    """Fields of `var` the statements set on every way through them, in the order found: at their own level, inside
    `with` and `try`, in both branches of an `if`, or in a function of the module handed `var` (one level deep). A field
    set in one branch only (`if exhausted: adj.status = INACTIVE`) leaves the other rows in the state, to come back."""
    out: list[str] = []
    for stmt in body:
        t = type(stmt)
        if t is ast.If:
            other = set(_changed(stmt.orelse, var, functions, depth))
            out.extend(f for f in _changed(stmt.body, var, functions, depth) if f in other)
            continue
        if t in (ast.With, ast.AsyncWith, ast.Try):
            out.extend(_changed(stmt.body, var, functions, depth))
            continue
        if t in (ast.For, ast.AsyncFor, ast.While, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Match):
            continue
        if t in (ast.Assign, ast.AugAssign):
            for target in (stmt.targets if t is ast.Assign else [stmt.target]):
                if type(target) is ast.Attribute and type(target.value) is ast.Name and target.value.id == var:
                    out.append(target.attr)
        for sub in ast.walk(stmt):
            if type(sub) is not ast.Call:
                continue
            if type(sub.func) is ast.Attribute and sub.func.attr == "save" and dotted(sub.func.value) == var:
                out.extend(_update_fields(sub))
            elif type(sub.func) is ast.Name and depth == 0 and sub.func.id in functions:
                fn = functions[sub.func.id]
                params = [a.arg for a in (*fn.args.posonlyargs, *fn.args.args)]
                handed = [params[i] for i, a in enumerate(sub.args[:len(params)]) if type(a) is ast.Name and a.id == var]
                for param in handed:  # `__post_event_actions(event)`, whose last lines flag the event
                    out.extend(_changed(fn.body, param, functions, depth + 1))
    return out


def _update_fields(call: ast.Call) -> list[str]:
    for k in call.keywords:
        if k.arg == "update_fields" and type(k.value) in (ast.List, ast.Tuple, ast.Set):
            return [e.value for e in k.value.elts if type(e) is ast.Constant and isinstance(e.value, str)]
    return []


def _selects_by(text: str, field: str) -> bool:
    """The query's text selects rows by a fixed value of `field`: `field=False`, `field=Status.OPEN`, `field="new"`,
    `field__isnull=True`, `field__in=[...]` (Django), `Model.field == False`, `Model.field.is_(None)` (SQLAlchemy)."""
    text = _EXCLUDED.sub("", text)  # `.exclude(status__in=[...])` selects the rows outside that state
    f = re.escape(field)
    value = r"(?:False|True|None|['\"][^'\"]*['\"]|[A-Z]\w*(?:\.\w+)+|[A-Z][A-Z0-9_]+\b|\[[^\]]*\]|\([^)]*\))"
    return bool(re.search(rf"(?<![\w.]){f}(?:__isnull|__in)?\s*=\s*{value}", text)
                or re.search(rf"\.{f}\s*(?:==|!=)\s*{value}|\.{f}\.(?:is_|isnot|is_not|in_)\(", text))


_EXCLUDED = re.compile(r"\.exclude\((?:[^()]|\([^()]*\))*\)")
_FIELD = re.compile(r"^the rows still in the state it selects \(`(\w+)`\)")


def lowered(why: str) -> str:
    """What a finding's message adds when its loop is such a work queue's ("" when `why`, the loop's size reason, is another)."""
    m = _FIELD.match(why)
    return WHY.format(field=m[1]) if m else ""

"""PF701's money handed out, not computed with: `float(price)` put in a JSON payload, a dict, a spreadsheet's cell. The
float is output (JSON has no decimal type; a sheet stores a double whatever it is given), and a Decimal of two places
converts to the float that prints the same, so such a finding is `low`, saying so (pattern_money.Money.money_call).
A percentage of one amount over another (`100 * float(part) / float(whole)`) is no amount at all: not reported
(ratio_floats)."""

from __future__ import annotations

import ast

from .nodes import dotted, last_name


def output_only(fn: ast.AST, call: ast.Call) -> bool:
    """`{"price": float(price)}` (or a choice of it), `results["price"] = float(price)`, or `price = float(price)` then only stored in a dict:
    the float is output (a JSON payload has no decimal type), not arithmetic (LFS's analytics snapshots and Satchmo's
    price lookup, round 129: judged WRONGFIX and N). A float summed or compared later is computed with, and stays."""
    for n in ast.walk(fn):
        if type(n) is ast.Dict and any(_yields(v, call) for v in n.values):
            return True
        if type(n) is ast.FormattedValue and n.value is call:
            return True  # `f"{float(total_fc):,.2f}"`: a number printed (e-FinTrack's PDF totals, round 265: 6 judged N)
        if type(n) is ast.Call and any(a is call for a in n.args) and "format" in (last_name(n.func) or "").lower():
            return True  # `format_highlight_amount(float(total), ...)`: handed to what prints it (NexInvo, round 253: judged N)
        if type(n) is ast.Call and _written_to_a_sheet(n, call):
            return True
        if type(n) is ast.Assign and _yields(n.value, call):
            if all(type(t) is ast.Subscript or _cell_value(t) for t in n.targets):
                return True
            return len(n.targets) == 1 and type(n.targets[0]) is ast.Name and _only_stored(fn, n.targets[0].id)
    return False


# a spreadsheet's cell: openpyxl's `ws.cell(row=r, column=c).value = x` or `ws.cell(r, c, value=x)`, xlsxwriter's
# `ws.write(r, c, x)` and `write_number`; the file stores a double whatever it is given (KP's revenue exports, round
# 170: 2 judged false)
_SHEET_WRITES = frozenset({"write", "write_number"})


def _cell_value(target: ast.AST) -> bool:
    return type(target) is ast.Attribute and target.attr == "value" and type(target.value) is ast.Call \
        and type(target.value.func) is ast.Attribute and target.value.func.attr == "cell"


def _written_to_a_sheet(n: ast.Call, call: ast.Call) -> bool:
    if type(n.func) is not ast.Attribute:
        return False
    if n.func.attr == "cell":
        return any(k.arg == "value" and _yields(k.value, call) for k in n.keywords)
    return n.func.attr in _SHEET_WRITES and len(n.args) >= 3 and _yields(n.args[2], call)


def _yields(value: ast.AST, call: ast.Call) -> bool:
    """`float(total)`, or `float(total) if totals else 0` (the DATA Act broker's submission totals for its JSON
    answer, round 131: 3 judged N)."""
    return value is call or (type(value) is ast.IfExp and (value.body is call or value.orelse is call))


def _only_stored(fn: ast.AST, name: str) -> bool:
    """Every read of `name` puts it in a dict, a list or a tuple literal, a subscript (`results["price"] = price`) or an
    f-string; none computes with it or hands it to a call that might."""
    held = set()
    for n in ast.walk(fn):
        if type(n) is ast.Dict:
            held.update(id(v) for v in n.values)
        elif type(n) in (ast.List, ast.Tuple) and type(n.ctx) is ast.Load:
            held.update(id(e) for e in n.elts)
        elif type(n) is ast.Assign and all(type(t) is ast.Subscript for t in n.targets):
            held.add(id(n.value))
        elif type(n) is ast.FormattedValue:
            held.add(id(n.value))
    reads = [n for n in ast.walk(fn) if type(n) is ast.Name and n.id == name and type(n.ctx) is ast.Load]
    return bool(reads) and all(id(r) in held for r in reads if not _converted_or_tested(fn, r))


def _converted_or_tested(fn: ast.AST, read: ast.Name) -> bool:
    """`float(price)` and `isinstance(price, Decimal)`: the conversion itself and the test that guards it."""
    return any(type(n) is ast.Call and type(n.func) is ast.Name and n.func.id in ("float", "isinstance") and n.args and n.args[0] is read
               for n in ast.walk(fn))


def ratio_floats(node: ast.BinOp) -> list[ast.Call]:
    """The two `float()` calls of a percentage, `100 * float(part) / float(whole)` or `(float(part) / float(whole)) * 100`:
    one amount over another, scaled to a percentage shown, is no amount, and a float carries it as well as a Decimal
    (vulekamali's virements as a share of the voted budget, round 209: 3 PF701 judged false). Not an amount over a count
    (`float(total) / float(len(plans)) * 100`), which is an average amount."""
    if type(node.op) is ast.Mult:
        scale, value = (node.left, node.right) if _hundred(node.left) else (node.right, node.left)
        return _share(value.left, value.right) if _hundred(scale) and type(value) is ast.BinOp and type(value.op) is ast.Div else []
    if type(node.op) is ast.Div and type(node.left) is ast.BinOp and type(node.left.op) is ast.Mult:
        scale, part = (node.left.left, node.left.right) if _hundred(node.left.left) else (node.left.right, node.left.left)
        return _share(part, node.right) if _hundred(scale) else []
    return []


def _hundred(node: ast.AST) -> bool:
    return type(node) is ast.Constant and node.value in (100, 100.0) and type(node.value) is not bool


def _share(part: ast.AST, whole: ast.AST) -> list[ast.Call]:
    floats = [n for n in (part, whole) if type(n) is ast.Call and dotted(n.func) == "float" and len(n.args) == 1]
    if len(floats) != 2:
        return []
    return [] if counts(whole.args[0]) else floats


def counts(node: ast.AST) -> bool:
    """`len(...)` or `<rows>.count()`: a number of rows, not an amount."""
    return type(node) is ast.Call and (dotted(node.func) == "len" or (type(node.func) is ast.Attribute and node.func.attr == "count"))

"""PF701's money handed out, not computed with: `float(price)` put in a JSON payload, a dict, a spreadsheet's cell. The
float is output (JSON has no decimal type; a sheet stores a double whatever it is given), and a Decimal of two places
converts to the float that prints the same, so such a finding is `low`, saying so (pattern_money.Money.money_call).
A percentage of one amount over another (`100 * float(part) / float(whole)`) is no amount at all: not reported
(ratio_floats)."""

from __future__ import annotations

import ast
import functools

from .nodes import dotted, last_name
from .words import is_money


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


_AGGREGATES = frozenset({"Sum", "Avg", "Max", "Min", "Count"})


def sums_no_money(node: ast.AST) -> bool:
    """`X.objects.filter(...).aggregate(total=Sum("quantity"))["total"] or 0`: what the summed column holds decides, not
    the name the sum is bound to (a pharmacy's units sold per month as `total_sold`, round 300: judged false)."""
    if type(node) is ast.BoolOp and type(node.op) is ast.Or:
        node = node.values[0]
    if type(node) is ast.Subscript:
        node = node.value
    if type(node) is not ast.Call or type(node.func) is not ast.Attribute or node.func.attr != "aggregate":
        return False
    summed = [*node.args, *(k.value for k in node.keywords)]
    return bool(summed) and all(
        type(a) is ast.Call and last_name(a.func) in _AGGREGATES and a.args and type(a.args[0]) is ast.Constant
        and type(a.args[0].value) is str and (last_name(a.func) == "Count" or not is_money(a.args[0].value.rpartition("__")[2]))
        for a in summed)


@functools.lru_cache(maxsize=4)  # asked for each float() of money in one function: its tree is walked once
def _links(fn: ast.AST) -> tuple[dict[int, ast.AST], dict[str, list[ast.Name]]]:
    """Each node's parent, by id, and the names the function reads, with where."""
    parents: dict[int, ast.AST] = {}
    reads: dict[str, list[ast.Name]] = {}
    for p in ast.walk(fn):
        for c in ast.iter_child_nodes(p):
            parents[id(c)] = p
        if type(p) is ast.Name and type(p.ctx) is ast.Load:
            reads.setdefault(p.id, []).append(p)
    return parents, reads


_TRUNCATES = frozenset({"int", "floor", "ceil", "trunc"})
_SUMS = frozenset({"sum", "fsum"})
_DECIMALS = frozenset({"Decimal", "D"})


def decided_on(fn: ast.AST, call: ast.Call) -> bool:
    """The float `call` makes takes part in a decision or a kept value: compared (`remaining <= 0`), truncated to whole
    units (`int(total * 100)` drops a cent of 19.99), made a Decimal again (`Decimal(f"{value * rate:.2f}")`: the float's
    error decides the cent), summed up (`balance += float(x)`, `sum(float(x) for ...)`) or stored on an object (a model's
    field). Through arithmetic, `round()` and names bound to it, two steps at most.
    Judged on real applications (rounds 184 to 306): 16 of 205 such float conversions were worth acting on, 11 of the 58
    that decide, 5 of the 147 that only hand the float on (a JSON value, an argument, a report's cell)."""
    parents, reads = _links(fn)

    def decides(node: ast.AST, hops: int) -> bool:
        parent = parents.get(id(node))
        while type(parent) in (ast.BinOp, ast.UnaryOp, ast.IfExp, ast.FormattedValue, ast.JoinedStr) \
                or (type(parent) is ast.Call and last_name(parent.func) == "round"):
            node, parent = parent, parents.get(id(parent))
        if type(parent) is ast.Compare or type(parent) is ast.AugAssign:
            return True
        if type(parent) is ast.Call and last_name(parent.func) in _DECIMALS:
            return True  # `Decimal(f"{qty * float(price) * rate:.2f}")`: the float's error decides the cent kept
        if type(parent) is ast.Call and last_name(parent.func) in _TRUNCATES | _SUMS:
            return True
        if type(parent) in (ast.GeneratorExp, ast.ListComp) and parent.elt is node:
            outer = parents.get(id(parent))
            return type(outer) is ast.Call and last_name(outer.func) in _SUMS
        if type(parent) in (ast.Assign, ast.AnnAssign):
            targets = parent.targets if type(parent) is ast.Assign else [parent.target]
            if any(type(t) is ast.Attribute for t in targets):
                return True
            return hops > 0 and any(decides(r, hops - 1) for t in targets if type(t) is ast.Name for r in reads.get(t.id, ()))
        return False

    return decides(call, 2)

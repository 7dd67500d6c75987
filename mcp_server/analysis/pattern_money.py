"""PF701: money held in binary floats (float columns and annotations, float literals, `float()`,
`Decimal(float)`, `round(x, 2)`, NumPy arrays), in modules whose types say money."""

from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING

from .money_output import counts, decided_on, output_only, ratio_floats, sums_no_money
from .nodes import dotted, last_name
from .pattern_state import FnState, short
from .serializers import is_serializer
from .words import NOT_MONEY, RATE_LOWERED, ambiguous_alone, ambiguous_money, is_money, is_rate, measured_by_class, named_by_class, tokens

if TYPE_CHECKING:
    from .patterns import PatternFinder

_NUMERIC_FIX = ("Declare it `Numeric(12, 2)` (its `asdecimal=True` default returns `Decimal`); when the database column is already "
                "numeric, only the model changes.")
_INTEGER_FIELDS = ("IntegerField", "BigIntegerField", "SmallIntegerField")  # the Positive* ones end so too
# what a name or the line's comment says the number measures, when that is no money: a weight, a size, a temperature
_QUANTITY = re.compile(r"(?<![A-Za-z])(weight|mass|length|width|height|depth|distance|volume|temperature)(?![A-Za-z])", re.I)
_UNIT_COMMENT = re.compile(r"#\s*(in\s+)?(kg|g|grams?|lbs?|cm|mm|m|km|inch(es)?|degrees?)\b", re.I)
_MONEY_TYPES = re.compile(r"DecimalField|MoneyField|\bNumeric\b|\bDECIMAL\b|\bNUMERIC\b|\bcondecimal\b|\bDecimal\b")


# why a float type hint on a record's field is `low`: the fields of response and request schemas, dataclasses, typed dicts
HINT_LOWERED = ("; a field's type hint converts only what the record carries to and from JSON, whose numbers are floats "
                "either way: cents are lost only where code computes with the value")
# why `total = 0.0` is `low`: Python refuses to add a Decimal to a float, so what such a name sums is floats already,
# made so where they come from (a float() conversion or a float column, each its own finding)
LITERAL_LOWERED = ("; Python refuses to add a Decimal to a float, so what this name sums is floats already, made so where they "
                   "come from")

_RATIO_CLASS = re.compile(r"Ratio|Percent|Proportion|Fraction")  # a class of ratios: its "amount" is a term of one

class Money:
    def money(self, name: str, fn: FnState | None = None) -> bool:
        """A name that says money, in a module whose types say money too (Decimal, DecimalField, Numeric): a name
        alone (`total_submissions`, an LLM's `cost_usd`) is a guess, and a guess is not a finding. Nor is a name `fn`
        adds measured values to (`total_allocation += data["applicable_duration"]`)."""
        if not is_money(name) or (fn is not None and measured(fn, name)):
            return False
        if self._money_module is None:
            self._money_module = self.uses_decimal or any(_MONEY_TYPES.search(line) for line in self.lines)
        return self._money_module

    # PF701 ------------------------------------------------------------------------------------------------
    def money_fields(self, node: ast.ClassDef) -> None:
        """Money fields declared as floats. A field named only by a word that may count something else (`total`) is
        money when its class or another of its fields says money without doubt: beside `start` and `count`, a
        `total = FloatField()` counts a sampler's buckets."""
        if _RATIO_CLASS.search(node.name) and not is_money(node.name):
            return  # `RatioUsage.amount2`: the two terms of a ratio a text names (ContraxSuite, round 258: judged false)
        fields = [_field(stmt) for stmt in node.body]
        sure = is_money(node.name) or any(f and self.money(f[0]) and not ambiguous_money(f[0]) and not named_by_class(f[0], node.name)
                                          for f in fields)
        found: list[tuple[ast.stmt, str, str]] = []
        for stmt, field in zip(node.body, fields):
            if field is None:
                continue
            target, value, annotation = field
            if isinstance(value, ast.Call) and (last_name(value.func) or "").endswith(_INTEGER_FIELDS):
                self.whole_numbers.add(target)  # whole units (cents, or a goal in whole currency): a float holds them exactly
            if not self.money(target) or (ambiguous_money(target) and not sure) or named_by_class(target, node.name) \
                    or measured_by_class(target, node.name):
                continue
            kind = float_column(value) if isinstance(value, ast.Call) else None
            if kind is None and annotation is not None and is_float_annotation(annotation) and not decimal_column(value):
                kind = "a `float` annotation"
            if kind:
                found.append((stmt, target, kind))
        amounts = [f for f in found if not is_rate(f[1])]
        rates_only = bool(found) and not amounts  # `vat_rate = Column(Float)` alone: `low`, saying why (words.RATE)
        found = amounts or found
        if found:  # one model, one decision: one finding naming its other float fields (openFEC: 9 on one model)
            stmt, target, kind = found[0]
            more = [t for _, t, _ in found[1:]]
            also = f"; so do {len(more)} more of `{node.name}`'s fields: " + ", ".join(f"`{t}`" for t in more[:6]) + (", ..." if len(more) > 6 else "")
            if rates_only:
                self.hit("PF701", stmt, f"`{target}` is declared as {kind}" + (also if more else "") + RATE_LOWERED, "medium", severity="low")
            elif "Field" in kind and (owner := _outputs(node)):
                # a serializer's or a form's field stores nothing: it writes the value out as a JSON number (JSON has no
                # decimal type) or reads it in (RoboSats' API schema serializers, round 193: 3 judged false as stored money)
                self.hit("PF701", stmt, f"`{target}` is {owner} {kind.removeprefix('a ')}: it stores nothing and hands the value "
                         "out as a number, so it is money handed out" + (also if more else ""), "high", severity="low")
            elif "Field" in kind:  # Django makes the column from the field: the database keeps double precision
                self.hit("PF701", stmt, f"`{target}` stores money as {kind}" + (also if more else ""), "high")
            elif "Float" in kind:
                # the model's type, which migrations written by hand may not share (openFEC's are `numeric`): what is
                # sure is that the ORM hands out binary floats
                self.hit("PF701", stmt, f"`{target}` is declared as {kind}: the ORM reads it into binary floats, whatever the "
                         "database column is" + (also if more else ""), "medium", suggestion=_NUMERIC_FIX)
            else:  # a type hint on a schema's or a dataclass's field: `low` (43 judged in rounds 184 to 312, none worth a fix)
                self.hit("PF701", stmt, f"`{target}` stores money as {kind}" + (also if more else "") + HINT_LOWERED, "medium", severity="low")

    def money_call(self, node: ast.Call, full: str, method: str | None, fn: FnState | None = None) -> None:
        args = node.args
        if full == "int":
            if len(args) == 1 and type(args[0]) is ast.Call and dotted(args[0].func) in ("Decimal", "decimal.Decimal"):
                # `int(Decimal(float(port)))`: an integer in the end, with no fraction to keep (Blue Button's settings
                # port, round 98: judged false)
                self.harmless.add(id(args[0]))
            return
        if full == "round" and len(args) == 1 and not node.keywords and type(args[0]) is ast.Call and dotted(args[0].func) == "float":
            # `round(float(fee))`: whole units, which a float of a two-place amount rounds to exactly as the Decimal
            # would (Mooring Licensing's fees in whole dollars, round 144: 6 judged N)
            self.harmless.add(id(args[0]))
            return
        if full in ("decimal.Decimal", "Decimal") and len(args) == 1 and (inner := _two_places(args[0])) is not None:
            # `Decimal('{:.2f}'.format(float(amount)))`: a two-place amount back to the same two places, exact however
            # the float held it (the Ledger's refund lines, round 154: 2 judged N)
            self.harmless.add(id(inner))
        if full == "float" and len(args) == 1 and id(node) not in self.harmless and not _conversion(fn):
            name = _value_name(args[0])
            # an attribute named by a word that may count anything else (`c.total`: SPARTE's hectares, round 93: judged
            # false) says nothing of its type; a local of that name says what the function put in it
            if name and self.money(name, fn) and not (isinstance(args[0], ast.Constant)) and name not in self.whole_numbers \
                    and not (isinstance(args[0], ast.Name) and args[0].id in self.facts.whole_amounts) \
                    and not (isinstance(args[0], ast.Attribute) and ambiguous_alone(name)) \
                    and not (isinstance(args[0], ast.Name) and (_float_initialised(fn, args[0].id, node) or _counted(fn, args[0].id)
                                                                or added_without_money(fn, args[0].id))):
                if fn is not None and fn.node is not None and output_only(fn.node, node):
                    self.hit("PF701", node, f"`float({short(args[0])})` turns money into a binary float only to hand it out (a JSON "
                             "number, a value shown): nothing here computes with the float, and a Decimal of two places "
                             "converts to the float that prints the same", "high", severity="low")
                    return
                if is_rate(name):  # `float(tenant.vat_rate)`: what the rate multiplies is reported where it is an amount
                    self.hit("PF701", node, f"`float({short(args[0])})` turns {name} into a binary float" + RATE_LOWERED, "high", severity="low")
                    return
                imported = (args[0].id,) if isinstance(args[0], ast.Name) and args[0].id in self.facts.imports else \
                    (self.compared_to[id(node)],) if id(node) in self.compared_to else ()
                if fn is not None and fn.node is not None and not decided_on(fn.node, node):
                    self.hit("PF701", node, f"`float({short(args[0])})` turns money into a binary float, but nothing here decides on "
                             "the float: it is not compared, truncated to whole units, summed up or stored on an object, only "
                             "handed on, and a Decimal of two places converts to the float that prints the same", "high",
                             severity="low", params=imported)
                    return
                self.hit("PF701", node, f"`float({short(args[0])})` turns money into a binary float", "high", params=imported)
        elif full in ("decimal.Decimal", "Decimal") and len(args) == 1 and self.uses_decimal and id(node) not in self.harmless:
            a = args[0]
            if isinstance(a, ast.Constant) and isinstance(a.value, float) and not a.value.is_integer():
                # (`Decimal(50.00)` is exactly Decimal(50), and `Decimal(0.75)` exactly 0.75: a binary fraction has no
                # error to keep, and judged on real code such a finding was a threshold, not money)
                exact = _exact(a.value)
                if exact != repr(a.value).rstrip("0").rstrip(".") and "e" not in repr(a.value):
                    message = f"`Decimal({a.value!r})` is built from a float and keeps its binary error (Decimal({a.value!r}) == {exact})"
                    line = self.lines[node.lineno - 1] if 0 < node.lineno <= len(self.lines) else ""
                    named, unit = _QUANTITY.search(line.partition("=")[0]), _UNIT_COMMENT.search(line)
                    quantity = named.group(0).lower() if named else f"quantity in {unit.group(2)}" if unit else ""
                    if quantity:  # django-SHOP's `initial_weight = Decimal(0.01)  # in kg` (round 59, judged false as money)
                        message += f"; it holds a {quantity}, not money, so the error reaches only what is computed from it"
                    self.hit("PF701", node, message, "high", suggestion=f'Build it from a string: `Decimal("{a.value!r}")`.',
                             severity="low" if quantity else None)
            elif isinstance(a, ast.Call) and dotted(a.func) == "float":
                self.hit("PF701", node, "`Decimal(float(...))` goes through a binary float and keeps its error", "high",
                         suggestion="Build the Decimal from the string or the integer: `Decimal(str_value)`.")
        elif full == "round" and len(args) == 2 and isinstance(args[1], ast.Constant) and args[1].value == 2:
            value = args[0]
            floaty = any(isinstance(n, ast.Constant) and isinstance(n.value, float) for n in ast.walk(value)) or \
                any(isinstance(n, ast.Call) and dotted(n.func) == "float" for n in ast.walk(value))
            money = any(self.money(nm, fn) for nm in _names(value))
            if money and floaty:
                self.float_round(node, value, fn)
                # one finding for `round(float(x), 2)` and for `round(x / 3600.0, 2)`
                self.harmless.update(id(n) for n in ast.walk(value) if isinstance(n, (ast.Call, ast.BinOp)))
        elif method == "astype" and args and dotted(args[0]) in ("float", "np.float64", "numpy.float64", "np.float32"):
            if any(self.money(nm) for nm in _names(node.func.value)):
                self.hit("PF701", node, "monetary values converted to a float array", "high")
        elif full in NUMPY_ARRAYS and args and not object_dtype(node):
            if any(self.money(nm) for nm in _names(args[0])):
                self.hit("PF701", node, "monetary values put in a NumPy array, which holds them as binary floats", "medium", suggestion=NUMPY_FIX)

    def float_round(self, node: ast.Call, value: ast.AST, fn: FnState | None) -> None:
        """`round(float(x) * 1.19, 2)` computes money in float; `round(float(net_value), 2)` only converts a Decimal computed
        exactly, for output (a JSON number): it loses a cent only when that Decimal has more than two places."""
        converted = isinstance(value, ast.Call) and dotted(value.func) == "float" and len(value.args) == 1 and not any(
            (isinstance(n, ast.Constant) and isinstance(n.value, float)) or (isinstance(n, ast.Call) and dotted(n.func) == "float")
            for n in ast.walk(value.args[0]))
        if converted:
            if self.grouped("PF701", fn, "output", node):
                return
            self.hit("PF701", node, f"`round({short(value)}, 2)` converts a value computed in Decimal to a float for output; it "
                     "loses a cent only when that value has more than two decimal places (round(2.675, 2) == 2.67)", "medium",
                     suggestion="Quantize the Decimal first (`x.quantize(Decimal(\"0.01\"), ROUND_HALF_UP)`), then convert that, or emit it "
                     "as a string.", severity="low")
            self.start_group("PF701", fn, "output", node)
            return
        self.hit("PF701", node, f"`round({short(value)}, 2)` rounds money held in a binary float (round(2.675, 2) == 2.67)", "high")

    def binop(self, node: ast.BinOp, fn: FnState | None) -> None:
        if not isinstance(node.op, (ast.Mult, ast.Add, ast.Sub, ast.Div)):
            return
        # `100 * float(part) / float(whole)`, whatever the names: a percentage shown (money_output.ratio_floats)
        self.harmless.update(id(c) for c in ratio_floats(node))
        floated = [s for s in (node.left, node.right) if type(s) is ast.Call and dotted(s.func) == "float" and len(s.args) == 1]
        if type(node.op) is ast.Div and len(floated) == 2 and all((n := _value_name(s.args[0])) and self.money(n, fn) for s in floated):
            # `float(plan["total"]) / float(total_revenue) * 100`: one amount's share of another, a plain number, no money
            # (fiberbill's revenue shares, round 170: 2 judged false)
            self.harmless.update(id(s) for s in floated)
            return
        for lit, other in ((node.left, node.right), (node.right, node.left)):
            if isinstance(lit, ast.Constant) and isinstance(lit.value, float):
                decimal = is_decimal_expr(other, self) or (isinstance(other, ast.Name) and fn is not None and other.id in fn.decimals)
                name = _value_name(other)
                if decimal:
                    self.hit("PF701", node, f"the float {lit.value!r} is mixed with a Decimal: Python raises TypeError, and converting "
                             "either side loses cents", "high", suggestion=f'Write the constant as `Decimal("{lit.value!r}")`.')
                elif name and self.money(name, fn) and id(node) not in self.harmless \
                        and not (type(other) is ast.Name and _counted(fn, other.id)):  # (not inside a reported round())
                    # (`total_products = rows.count()`, then `total_products * 0.2`: a fifth of a count; POS desktop's
                    # low performers, round 218: judged false)
                    self.hit("PF701", node, f"`{short(node)}` computes money with the binary float {lit.value!r}", "medium")
                return


MONEY_CALLS = frozenset({"float", "Decimal", "D", "round", "astype", "array", "asarray", "fromiter", "int"})  # NumPy's: see money_call; `D`: `from decimal import Decimal as D`

NUMPY_ARRAYS = frozenset({"numpy.array", "numpy.asarray", "numpy.fromiter"})
NUMPY_FIX = ("Keep money as Decimal (a NumPy array with `dtype=object` keeps Decimal, but loses the speed), or compute in integer "
             "cents (`np.int64`) and convert back to Decimal once.")


def object_dtype(call: ast.Call) -> bool:
    dtype = next((k.value for k in call.keywords if k.arg == "dtype"), None)
    return dtype is not None and (dotted(dtype) == "object" or (isinstance(dtype, ast.Constant) and dtype.value in ("O", "object")))


def _value_name(node: ast.AST) -> str | None:
    """The name a value goes by: `t.amount` -> amount, `row["price"]` -> price, `get_total()` -> get_total."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str):
        return node.slice.value
    if isinstance(node, ast.Call):
        return _value_name(node.func)
    return None


def _additions(fn: FnState) -> dict[str, list[list[str]]]:
    """For each name the function adds to (`+=`, `-=`), the names each value added spells; walked once per function."""
    if fn.additions is None:
        fn.additions = {}
        for node in ast.walk(fn.node) if fn.node is not None else ():
            if type(node) is ast.AugAssign and type(node.target) is ast.Name and type(node.op) in (ast.Add, ast.Sub):
                fn.additions.setdefault(node.target.id, []).append(_names(node.value))
    return fn.additions


def measured(fn: FnState, name: str) -> bool:
    """The function adds to `name` (`+=`, `-=`) only values whose names say they measure something other than money
    (a duration, a count, a size): Atmosphere's `total_allocation += data["applicable_duration"]`, then
    `round(total_allocation / 3600.0, 2)` in hours (round 79: three PF701 judged false)."""
    added = _additions(fn).get(name)
    return bool(added) and all(not any(is_money(n) for n in names) and any(w in NOT_MONEY for n in names for w in tokens(n))
                               for names in added)


def added_without_money(fn: FnState | None, name: str) -> bool:
    """`total = 0.0` then only `total += argsum / argnum`: a name that says money only by a word that counts anything
    else (`total`), to which the function adds no value whose name says money (DistrictBuilder's averaged district
    scores, round 241: judged false; a week's energy, `total += _day_tdee(day)`, then `float(total)`: round 247)."""
    if fn is None or fn.node is None or not ambiguous_alone(name):
        return False
    added = _additions(fn).get(name, [])
    return bool(added) and not any(is_money(n) for names in added for n in names)


def _names(node: ast.AST) -> list[str]:
    out = []
    for n in ast.walk(node):
        name = _value_name(n) if isinstance(n, (ast.Name, ast.Attribute, ast.Subscript)) else None
        if name:
            out.append(name)
    return out


def is_decimal_expr(node: ast.AST, finder: PatternFinder) -> bool:
    if isinstance(node, ast.Call):
        name = dotted(node.func) or ""
        full = finder.expand(name)
        return full in ("decimal.Decimal",) or (name == "Decimal" and finder.uses_decimal) or (isinstance(node.func, ast.Attribute) and node.func.attr == "quantize")
    return False


def is_float_annotation(node: ast.AST) -> bool:
    if any(isinstance(n, (ast.Name, ast.Attribute)) and (last_name(n) or "") == "Decimal" for n in ast.walk(node)):
        return False  # `amount: int | float | Decimal`: a lenient signature that takes Decimal too, not money kept in floats
    if isinstance(node, ast.Name):
        return node.id == "float"
    if isinstance(node, ast.Subscript):  # Mapped[float], Optional[float]
        return is_float_annotation(node.slice)
    if isinstance(node, ast.BinOp):  # float | None
        return is_float_annotation(node.left) or is_float_annotation(node.right)
    return False


def _outputs(node: ast.ClassDef) -> str:
    """"a serializer's" or "a form's" for a DRF serializer or a Django form, whose fields format and parse values (a
    model's store them); "" otherwise."""
    names = tuple(dotted(b) or "" for b in node.bases)
    return "a serializer's" if is_serializer(names) else "a form's" if any(n.rpartition(".")[2].endswith("Form") for n in names) else ""


def float_column(call: ast.Call) -> str | None:
    name = last_name(call.func)
    if name == "FloatField":
        return "a `FloatField`"
    if _typed_column(call, ("Float", "REAL", "Double", "DOUBLE_PRECISION")):
        return "a `Float` column"
    return None


def _typed_column(call: ast.Call, types: tuple[str, ...]) -> bool:
    """`Column(Numeric(12, 2))`, `mapped_column(Float, ...)`: an SQLAlchemy column of one of `types`."""
    return last_name(call.func) in ("Column", "mapped_column") and any(last_name(a) in types for a in call.args)


def _two_places(node: ast.AST) -> ast.Call | None:
    """The `float(...)` in `'{:.2f}'.format(float(x))` or `'%.2f' % float(x)`: formatted to two places."""
    if type(node) is ast.Call and type(node.func) is ast.Attribute and node.func.attr == "format" and len(node.args) == 1:
        text, value = node.func.value, node.args[0]
    elif type(node) is ast.BinOp and type(node.op) is ast.Mod:
        text, value = node.left, node.right
    else:
        return None
    two = type(text) is ast.Constant and text.value in ("{:.2f}", "{0:.2f}", "%.2f")
    return value if two and type(value) is ast.Call and dotted(value.func) == "float" else None


def decimal_column(value: ast.AST | None) -> bool:
    """`mapped_column(Numeric(12, 2))`, `models.DecimalField(...)`: the column reads back `Decimal`, whatever the
    `Mapped[float]` beside it says (the OPRE portfolio system's `award_amount`, round 159: judged false)."""
    return type(value) is ast.Call and (last_name(value.func) == "DecimalField"
                                        or _typed_column(value, ("Numeric", "NUMERIC", "DECIMAL", "Decimal")))


def _exact(value: float) -> str:
    from decimal import Decimal

    text = str(Decimal(value))
    return text if len(text) <= 40 else text[:40] + "..."


def _conversion(fn: FnState | None) -> bool:
    """Inside `__float__`: the conversion a caller asks for with `float(money)`, defined here, not money kept as a float."""
    return fn is not None and getattr(fn.node, "name", "") == "__float__"


def _field(stmt: ast.stmt) -> tuple[str, ast.AST | None, ast.AST | None] | None:
    """A class body's `name = value` or `name: annotation = value`."""
    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
        return stmt.targets[0].id, stmt.value, None
    if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
        return stmt.target.id, stmt.value, stmt.annotation
    return None


def matches_a_float(node: ast.Compare) -> bool:
    """`float(price) == predicted`: a stored amount matched against a float given from outside (a model's prediction read
    from JSON). Equality of two doubles that round the same; nothing is computed, and comparing as Decimal would make
    1.99 never match (Open Prices, round 63: judged false)."""
    sides = (node.left, *node.comparators)
    return len(sides) == 2 and all(type(op) in (ast.Eq, ast.NotEq) for op in node.ops) and any(
        type(c) is ast.Call and type(c.func) is ast.Name and c.func.id == "float" for c in sides)


def computes_with(fn: ast.AST, name: str) -> bool:
    """`name` is an operand of arithmetic, a comparison or a numeric conversion in the function (not only stored or shown)."""
    def mentions(node: ast.AST) -> bool:
        return type(node) is ast.Name and node.id == name
    for n in ast.walk(fn):
        if type(n) is ast.BinOp and (mentions(n.left) or mentions(n.right)):
            return True
        if type(n) is ast.AugAssign and (mentions(n.target) or mentions(n.value)):
            return True
        if type(n) is ast.Compare and any(mentions(x) for x in (n.left, *n.comparators)) and not matches_a_float(n) \
                and not _bounds_checked(n):
            return True
        if type(n) is ast.Call and type(n.func) is ast.Name and n.func.id in ("round", "float", "int", "sum", "abs", "max", "min") \
                and any(mentions(a) for a in n.args):
            return True
    return False


def _bounds_checked(node: ast.Compare) -> bool:
    """`0 <= price <= 100`, `amount < 0`: a value given in checked against literal bounds, no arithmetic on it (openfatture's
    VAT checks, round 314); what the float arrived as is what it is compared as."""
    return all(type(x) is ast.Name or type(_unsigned(x)) is ast.Constant and type(_unsigned(x).value) in (int, float)
               for x in (node.left, *node.comparators)) and sum(type(x) is ast.Name for x in (node.left, *node.comparators)) == 1


def _unsigned(node: ast.AST) -> ast.AST:
    return node.operand if type(node) is ast.UnaryOp and type(node.op) is ast.USub else node


def matched_only(fn: ast.AST, name: str) -> bool:
    """`name` is matched for equality against a stored amount made float (`float(price) == name`)."""
    return any(type(n) is ast.Compare and matches_a_float(n) and any(type(x) is ast.Name and x.id == name for x in (n.left, *n.comparators))
               for n in ast.walk(fn))


def into_decimal_only(fn: ast.AST | None, name: str, value: float) -> bool:
    """`discount = 0.0` whose every read is `Decimal(discount)` or `str(discount)`: a whole-number float converts exactly,
    and what else the function assigns to the name is its own (MITx Online's receipt serializers, round 112: 2 judged
    false)."""
    if fn is None or not value.is_integer():
        return False
    wrapped: set[int] = set()
    reads: list[int] = []
    for n in ast.walk(fn):
        if type(n) is ast.Call and (last_name(n.func) or "") in ("Decimal", "str") and len(n.args) == 1 and type(n.args[0]) is ast.Name:
            wrapped.add(id(n.args[0]))
        elif type(n) is ast.Name and n.id == name and type(n.ctx) is ast.Load:
            reads.append(id(n))
        elif type(n) is ast.AugAssign and type(n.target) is ast.Name and n.target.id == name:
            return False  # `discount += c.amount`: a float total
    return bool(reads) and all(r in wrapped for r in reads)


def whole_amount(value: ast.AST | None) -> bool:
    """`Decimal(100)`, `Decimal("10")`, `100`: a whole amount, which a float holds exactly (tapir's coop share price,
    round 153: 5 `float(COOP_SHARE_PRICE)` judged false)."""
    if type(value) is ast.Call and dotted(value.func) in ("Decimal", "decimal.Decimal") and len(value.args) == 1 and not value.keywords:
        value = value.args[0]
        if type(value) is ast.Constant and isinstance(value.value, str):
            return value.value.strip().lstrip("-").isdigit()
    return type(value) is ast.Constant and type(value.value) is int


def _float_initialised(fn: FnState | None, name: str, call: ast.Call) -> bool:
    """`line_11_total = 0.0` (or `= float(...)`) in the function: that line already holds money in a float (PF701 says
    so there), and `float(line_11_total)` later converts nothing new (the Low Carbon Fuel Standard's penalty summary,
    round 147: 2 judged false). One problem, one finding."""
    return fn is not None and fn.node is not None and any(
        type(n) is ast.Assign and _a_float(n.value) and any(type(t) is ast.Name and t.id == name for t in n.targets)
        and not any(c is call for c in ast.walk(n.value)) for n in ast.walk(fn.node))  # (not `price = float(price)` itself)


def _a_float(value: ast.AST) -> bool:
    """`0.0`, `float(price)`, `float(price) * shares`: a float already (tapir's `float(expected_payment_for_shares)` after
    `expected_payment_for_shares = float(COOP_SHARE_PRICE) * number_of_shares`, round 153: judged false)."""
    if type(value) is ast.BinOp:
        return _a_float(value.left) or _a_float(value.right)
    return type(value) is ast.Constant and type(value.value) is float or type(value) is ast.Call and dotted(value.func) == "float"


def _counted(fn: FnState | None, name: str) -> bool:
    """Every value the function puts in `name` is a count (`total = rows.filter(...).count()`, `len(...)`): whole rows,
    not money, whatever the name says (django-sis's fail percentage, round 207; POS desktop's share of products, round
    218: judged false)."""
    values = [n.value for n in ast.walk(fn.node) if type(n) is ast.Assign and any(type(t) is ast.Name and t.id == name for t in n.targets)] \
        if fn is not None and fn.node is not None else []
    return bool(values) and all(counts(v) or sums_no_money(v) for v in values)

"""PF701: money held in a float."""

from __future__ import annotations

from ..findings import Severity
from . import Examples
from .static import StaticRule


class MoneyAsFloat(StaticRule):
    id = "PF701"
    name = "money-as-float"
    title = "Money as float"
    severity = Severity.high
    what = ("Finds money in binary floats: `float()` of an amount, price, rate or balance; a float literal mixed with a Decimal; "
            "`Decimal(0.1)` built from a float; `round(x, 2)` of a float amount; money fields declared `FloatField`, `Float` "
            "columns or `float` annotations; monetary values put in NumPy float arrays. Names tell money apart (amount, price, "
            "total, tax, icms, pis, cofins, valor, saldo...), but only in a module whose types show money (Decimal values, "
            "`DecimalField`, `Numeric` columns): a name alone (`total_submissions`, an LLM call's `cost_usd`) is a guess. A "
            "model's float money fields are one finding; a SQLAlchemy `Float` column is `medium`, since hand-written "
            "migrations may make the database column numeric while the ORM still hands out floats. A `float(amount)` its "
            "function does not compare, truncate to whole units, sum up, store on an object or make a Decimal again is `low`, "
            "saying so: handed on (to JSON, a chart, an argument), a Decimal of two places becomes the float that prints the same "
            "(read on real applications: 5 of 147 such conversions were worth acting on, 11 of the 58 that decide). Also `low`, "
            "saying why: a rate declared a float (`vat_rate`, `aliquota_iva`: a rate is no amount, and `Decimal(str(rate))` "
            "is exact), a record's float type hint (a schema's or a dataclass's field, which converts only what JSON carries) "
            "and a `total = 0.0` accumulator (Python refuses to add a Decimal to it, so it sums floats made elsewhere); none "
            "of 73 such findings judged was worth acting on. A float compared with a whole number (`float(total) > 50000`) "
            "ranks as the Decimal does: no finding.")
    why = ("0.1 + 0.2 != 0.3 in binary floating point: sums of thousands of invoice lines drift by cents, and `round(2.675, 2)` "
           "is 2.67. In accounting a cent is an error, not noise. This is a correctness rule: an optimisation must never "
           "introduce it.")
    example = '''
icms = round(float(item.amount) * 0.18, 2)
'''
    fix = ("Keep money in `Decimal` from input to output: `Decimal(\"0.18\")` from strings, never from floats; round with "
           "`quantize(Decimal(\"0.01\"), rounding=ROUND_HALF_UP)` (or the rounding rule the business uses); `DecimalField` / "
           "`Numeric(12, 2)` columns. For vectorised maths use integer cents, not float arrays.")
    positive = Examples("money_examples", "PF701_POSITIVE")
    negative = Examples("money_examples", "PF701_NEGATIVE")

"""The examples of money.py's rules: each a source file (or {path: source} for several modules); the positive ones
must be flagged by the rule, the negative ones must not. Imported when a test first reads them (rules.Examples)."""

from __future__ import annotations

from .coroutines_and_handles_examples import (PF701_AMOUNT_OF_A_PRICE, PF701_AMOUNT_OF_AN_IMPACT, PF701_PRICES_SUMMED, PF701_QUANTITY_SOLD,
                                              PF701_FLOAT_COMPARED, PF701_FLOAT_HANDED_ON, PF701_FLOAT_TO_CENTS, PF701_SUM_PAID,
                                              PF701_UNITS_SUMMED)
from .schemas_and_rates_examples import (PF701_AGAINST_CENTS, PF701_AGAINST_WHOLE_NUMBERS, PF701_AMOUNT_COLUMN, PF701_RATE_COLUMN,
                                         PF701_RATE_PARAMETER, PF701_SCHEMA_HINT)
from .records_sets_and_packages_examples import PF701_DECIMAL_FIELD_FRACTION_DEFAULT, PF701_DECIMAL_FIELD_WHOLE_DEFAULT
from .blueprints_and_branches_examples import PF701_SHARE_OF_CODES, PF701_SHARE_OF_FEES
from .singletons_and_coroutines_examples import PF701_ADDED_AS_FLOATS, PF701_FORMATTED_FOR_A_PAGE
from .contexts_and_literals_examples import PF701_PAYMENT_TERMS, PF701_RATIO_TERMS
from .held_rows_examples import PF701_AMOUNT_PER_INVOICE, PF701_COUNTED_TOTAL, PF701_SUMMED_TOTAL, PF701_VIREMENT_SHARE
from .event_and_page_examples import (PF701_FREIGHT_PRICE, PF701_TOTAL_OF_ENERGY, PF701_TOTAL_OF_FEES,
                                      PF701_TOTAL_OF_PRICES, PF701_TOTAL_OF_SCORES, PF701_WEIGHT_IN_TONS)
from .module_globals_examples import PF701_ENERGY_AND_ITS_COST, PF701_FIFTH_OF_A_COUNT, PF701_FIFTH_OF_REVENUE
from .intent_examples import PF701_AMBIGUOUS_ATTRIBUTE
from .money_output_examples import PF701_COMPUTED_KEPT, PF701_OUTPUT_LOWERED
from .not_data_examples import PF701_INTEGER_THROUGH_DECIMAL, PF701_ZERO_ADDED_TO, PF701_ZERO_INTO_DECIMAL

_RAISED = '''
from django.db import models


class Pledge(models.Model):
    amount = models.DecimalField(max_digits=12, decimal_places=2)


class Fundraising(models.Model):
    GOAL = 1500
    amount_raised = models.{field}

    def percentage_of_goal(self):
        return int(float(self.amount_raised) / float(self.GOAL) * 100.0)
'''

# a fee rounded to whole units through a float: the same integer the Decimal rounds to (Mooring Licensing, round 144:
# 6 judged N); rounded to cents (`round(float(fee), 2)`) the float's error shows, and the finding stays
_WHOLE_FEE = '''
from django.db import models


class FeeItem(models.Model):
    amount = models.DecimalField(max_digits=8, decimal_places=2)


def fee_lines(fee_item):
    total_amount = {rounded}
    return [{{"price_incl_tax": total_amount, "quantity": 1}}]
'''
PF701_ROUNDED_TO_UNITS = _WHOLE_FEE.format(rounded="round(float(fee_item.amount))")
PF701_ROUNDED_TO_CENTS = _WHOLE_FEE.format(rounded="round(float(fee_item.amount) * 3, 2)")

# an amount of a good produced (BC's industrial emissions reports, round 145: judged false), not of money; its cost is
_NEW_ENTRANT = '''
from decimal import Decimal
from typing import Optional
from ninja import Schema


class ReportNewEntrantProductionIn(Schema):
    product_id: int
    {field}: Optional[float] = None
'''
PF701_PRODUCTION_AMOUNT = _NEW_ENTRANT.format(field="production_amount")
PF701_PRODUCTION_COST = _NEW_ENTRANT.format(field="production_cost")

# a total started as a float and summed: the money is in a float from its first line, which PF701 reports; `float()` of
# it later converts nothing new (the Low Carbon Fuel Standard's penalty summary, round 147: 2 judged false)
_PENALTY = '''
from decimal import Decimal


def penalty_total(rows):
    penalty_total = {start}
    for row in rows:
        penalty_total = row.total_value or 0
    return float(penalty_total)
'''
PF701_FLOAT_FROM_THE_START = _PENALTY.format(start="0.0")
PF701_FLOAT_AT_THE_END = _PENALTY.format(start="Decimal(0)")

# one amount's share of another, as a percentage: a plain number, which a float holds well (fiberbill's revenue by plan,
# round 170: 2 judged false); an amount divided by a count is still money, an average price
_SHARES = '''
from django.db import models
from django.db.models import Sum


class Subscription(models.Model):
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    total = models.DecimalField(max_digits=10, decimal_places=2)


def plan_shares(subscriptions):
    total_revenue = subscriptions.aggregate(total=Sum("amount"))["total"]
    plans = list(subscriptions.values("plan__name").annotate(total=Sum("amount")))
    for plan in plans:
        plan["share"] = float(plan["total"]) / float({by}) * 100 if total_revenue else 0
    return plans
'''
PF701_SHARE_OF_AMOUNTS = _SHARES.format(by="total_revenue")
PF701_AMOUNT_PER_ITEM = _SHARES.format(by="len(plans)")


PF701_POSITIVE = [
        PF701_FLOAT_FROM_THE_START, PF701_FLOAT_AT_THE_END, PF701_AMOUNT_PER_ITEM,
        PF701_PRODUCTION_COST,
        PF701_ROUNDED_TO_CENTS,
        PF701_AMBIGUOUS_ATTRIBUTE,
        *PF701_OUTPUT_LOWERED,  # (found at low: the float is only handed out, a JSON number)
        *PF701_COMPUTED_KEPT,
        # a Decimal from a float that holds a weight (its name, or the line's unit): the error is real, money it is not,
        # so `low`, saying so (django-SHOP's `initial_weight = Decimal(0.01)  # in kg`, round 59: judged false as money)
        '''
from decimal import Decimal


class ParcelCart:
    initial_weight = Decimal(0.01)  # in kg
''',
        '''
import numpy as np
from decimal import Decimal
def taxes(transactions, rates):
    values = np.array([t.value for t in transactions])
    icms_rates = np.array([rates[t.state] for t in transactions])
    return values * icms_rates
''',
        '''
from django.db import models
class Item(models.Model):
    amount = models.DecimalField(max_digits=12, decimal_places=2)
def icms(item):
    return round(float(item.amount) * 0.18, 2)
''',
        '''
from decimal import Decimal
def with_tax(total: Decimal) -> Decimal:
    return total * Decimal(1.18)
''',
        '''
from decimal import Decimal
def pis(value):
    return Decimal(value) * 0.0165
''',
        '''
from django.db import models
class Invoice(models.Model):
    total = models.FloatField()
    paid = models.DecimalField(max_digits=12, decimal_places=2)
''',
        '''
import numpy as np
from decimal import Decimal
def taxes(transactions):
    amounts = np.array([t.amount for t in transactions])
    return amounts * 0.18
''',
        '''
from decimal import Decimal
def apply_discount(price: float, discount: float) -> float:
    return price - discount
''',
        PF701_ZERO_ADDED_TO,  # a zero default the loop adds to: a float total
        # `total` alone is money beside a field that says so without doubt
        '''
from django.db import models
class Summary(models.Model):
    total = models.FloatField()
    discount = models.DecimalField(max_digits=12, decimal_places=2)
''',
    ]

PF701_NEGATIVE = [
        PF701_PRODUCTION_AMOUNT, PF701_SHARE_OF_AMOUNTS,
        PF701_ROUNDED_TO_UNITS,
        PF701_INTEGER_THROUGH_DECIMAL, PF701_ZERO_INTO_DECIMAL,
        # a stored price matched against a float a model predicted (read from JSON): equality of two doubles, nothing
        # computed (Open Prices' receipt matching, round 63: judged false)
        '''
from decimal import Decimal
def matches(price: Decimal, predicted_price: float) -> bool:
    return float(price) == predicted_price
''',
        # an IntegerField of whole currency units: a float holds it exactly, for a percentage shown rounded
        _RAISED.format(field="IntegerField()"),
        # the same percentage of a DecimalField: one amount over another, times 100, is a share shown, no amount (vulekamali's
        # virements, round 209: 3 judged false; money_output.ratio_floats). Before, listed among the positive examples
        _RAISED.format(field="DecimalField(max_digits=12, decimal_places=2)"),
        # a total of durations, in hours: what is added to it says what it holds (Atmosphere's compute usage, in a module
        # that keeps allocations in DecimalFields, round 79: judged false three times)
        '''
from django.db import models
class Allocation(models.Model):
    compute_allowed = models.DecimalField(max_digits=19, decimal_places=3)
def usage_in_hours(report):
    total_allocation = 0.0
    for data in report:
        total_allocation += data["applicable_duration"]
    return round(total_allocation / 3600.0, 2)
''',
        # `total` beside `start` and `count`, in a module that has a DecimalField elsewhere: a sampler's buckets
        '''
from rest_framework import serializers
class BucketSample(serializers.Serializer):
    start = serializers.FloatField()
    count = serializers.FloatField(min_value=0)
    total = serializers.FloatField(min_value=0)
class Version(serializers.Serializer):
    number = serializers.DecimalField(max_digits=3, decimal_places=1)
''',
        # days off beside money: a `HolidayBalance`'s `balance` is what its class counts, its `balance_date` a date, and a
        # `min_charge_multiple_per_day` a multiplier (pydici, in a module that keeps prices in DecimalFields)
        '''
from django.db import models
class Mission(models.Model):
    price = models.DecimalField(max_digits=10, decimal_places=3)
    min_charge_multiple_per_day = models.FloatField(default=0)
class HolidayBalance(models.Model):
    balance = models.FloatField(default=0)
    balance_date = models.DateField()
''',
        # a money class's own `__float__`: the conversion Python calls when a caller asks for a float, not money kept as one
        '''
from decimal import Decimal
class Money:
    def __init__(self, amount: Decimal, currency: str):
        self.amount, self.currency = amount, currency

    def __float__(self):
        return float(self.amount)
''',
        # a percentage of a discount is a ratio, not an amount of money, even in a module that holds money as Decimal
        '''
from decimal import Decimal
def discount_info(price: Decimal, discount_value: Decimal):
    discount_percentage = discount_value * 100 / price
    if discount_percentage > 100:
        discount_percentage = 100.00
    return discount_percentage
''',
        # a whole number built from a float literal is exact: `Decimal(50.00) == Decimal(50)`, nothing to lose
        '''
from decimal import Decimal
def card_allowed(total: Decimal) -> bool:
    return Decimal(50.00) <= total <= Decimal(30000.00)
''',
        # a binary fraction is exact too: `Decimal(0.75) == Decimal("0.75")` (a share of capacity, as judged)
        '''
from decimal import Decimal
def nearly_full(enrolled: Decimal, capacity: Decimal) -> bool:
    return enrolled >= capacity * Decimal(0.75)
''',
        '''
import numpy as np
def taxes(transactions, rates):
    icms_rates = np.array([rates[t.state] for t in transactions], dtype=object)
    return icms_rates
''',
        '''
def kind(amount):
    return "receipt" if float(amount) >= 0 else "refund"
''',
        '''
def po_amount(items):
    return round(sum(i.total_amount for i in items), 2)
''',
        '''
from decimal import Decimal, ROUND_HALF_UP
CENT = Decimal("0.01")
def icms(item):
    return (Decimal(item.amount) * Decimal("0.18")).quantize(CENT, rounding=ROUND_HALF_UP)
''',
        '''
def progress(done, total_count):
    return round(float(done) / total_count * 100, 2)
''',
        '''
def elapsed(start, end):
    return float(end - start) * 1000.0
''',
        '''
from django.db import models
class Invoice(models.Model):
    total = models.DecimalField(max_digits=12, decimal_places=2)
    weight_kg = models.FloatField()
''',
        # names alone are no proof of money: no Decimal, DecimalField or Numeric anywhere in the module
        '''
def review_load(total_submissions, reviewers):
    return round(total_submissions / 1.8 / reviewers, 2)
''',
        '''
from dataclasses import dataclass
@dataclass
class TokenUsage:
    prompt_tokens: int
    cost_usd: float
def usage_cost(tokens: int, cost_per_token: float) -> float:
    return tokens * cost_per_token * 1.0
''',
        # a measured quantity next to a money word: `total_distance` in a `Numeric` column is kilometres, not money
        '''
from sqlalchemy import Numeric
from sqlalchemy.orm import Mapped, mapped_column
class Equipment:
    total_distance: Mapped[float] = mapped_column(Numeric(10, 3))
    def serialize(self):
        return {"distance": float(self.total_distance), "elevation": float(self.total_elevation)}
''',
        # a lenient signature that also takes Decimal (and converts inside) keeps no money in a float
        '''
from decimal import Decimal
def post_receipt(account, amount: int | float | Decimal):
    return account.post(Decimal(str(amount)))
''',
    ]

# a money word that may count anything else, qualified by a period: a gauge's `monthly_total` beside `monthly_mean`,
# `min` and `max` is a month of water flow (BC's water allocation tool, round 151: 4 judged WRONGFIX, as `Numeric(12, 2)`
# would cut the measurements). Beside a field that says money without doubt, the same column is money.
_MONTHLY = '''
from sqlalchemy import BigInteger, Column, Float, Numeric, Text
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class MonthlyFlow(Base):
    __tablename__ = "monthly_flows"
    station = Column(Text, primary_key=True)
    month = Column(BigInteger, primary_key=True)
    monthly_mean = Column(Numeric(10, 3))
    monthly_total = Column(Float)
'''
PF701_MONTHLY_MEASURE = _MONTHLY
PF701_MONTHLY_MONEY = _MONTHLY.replace("MonthlyFlow", "MonthlyBilling").replace("monthly_mean = Column(Numeric(10, 3))",
                                                                             "unit_price = Column(Numeric(12, 2))")
PF701_POSITIVE.append(PF701_MONTHLY_MONEY)
PF701_NEGATIVE.append(PF701_MONTHLY_MEASURE)

# `float()` of a whole amount is exact: a constant `Decimal(100)` of the project's config (tapir's coop share price,
# round 153: 5 judged false), and a local already made a float on the line PF701 reports. A price with cents is not.
_SHARES_CONFIG = '''from decimal import Decimal

SHARE_PRICE = Decimal(100)
ENTRY_FEE = Decimal("10")
'''
_SHARES = '''from decimal import Decimal

from .config import ENTRY_FEE, SHARE_PRICE

CENT = Decimal("0.01")


def paid_for_shares(amount_paid, shares):
    expected = float(SHARE_PRICE) * shares
    if amount_paid > expected + float(ENTRY_FEE):
        return amount_paid - float(expected)
    return min(amount_paid, expected)
'''
PF701_WHOLE_CONSTANTS = {"coop/__init__.py": "", "coop/config.py": _SHARES_CONFIG, "coop/shares.py": _SHARES}
PF701_PRICE_WITH_CENTS = {**PF701_WHOLE_CONSTANTS, "coop/config.py": _SHARES_CONFIG.replace("Decimal(100)", 'Decimal("99.90")')}
PF701_POSITIVE.append(PF701_PRICE_WITH_CENTS)
PF701_NEGATIVE.append(PF701_WHOLE_CONSTANTS)

# `Mapped[Optional[float]]` over `mapped_column(Numeric(12, 2))`: the column reads back `Decimal`, only the hint is wrong
# (the OPRE portfolio system's `award_amount`, round 159: judged false); the same hint over a `Float` column is reported
_AWARD = '''from typing import Optional

from sqlalchemy import Float, Numeric
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Procurement(Base):
    __tablename__ = "procurement"
    id: Mapped[int] = mapped_column(primary_key=True)
    award_amount: Mapped[Optional[float]] = mapped_column(Numeric(12, 2), nullable=True)
'''
PF701_NUMERIC_BEHIND_FLOAT_HINT = _AWARD
PF701_FLOAT_BEHIND_FLOAT_HINT = _AWARD.replace("mapped_column(Numeric(12, 2), nullable=True)", "mapped_column(Float, nullable=True)")
PF701_POSITIVE.append(PF701_FLOAT_BEHIND_FLOAT_HINT)
PF701_NEGATIVE.append(PF701_NUMERIC_BEHIND_FLOAT_HINT)

# a two-place amount turned into a float only to be formatted back to two places and into `Decimal` (the Ledger's
# refund lines, round 154: 2 judged N), through `Decimal` imported as `D` too: exact, not reported; the float kept for
# arithmetic beside them is
_REFUND_LINES = '''from decimal import Decimal
from decimal import Decimal as D


def refund_lines(txns):
    out = []
    for txn in txns:
        out.append({"amount": Decimal("{:.2f}".format(float(txn["line_amount"]))), "fee": D("%.2f" % float(txn["fee_amount"]))})
    return out
'''
PF701_TWO_PLACES_AGAIN = _REFUND_LINES
PF701_FLOAT_KEPT_FOR_SUMS = _REFUND_LINES.replace('''        out.append({"amount"''', '''        out.append(float(txn["total_amount"]) * 1.1)
        out.append({"amount"''')
PF701_POSITIVE.append(PF701_FLOAT_KEPT_FOR_SUMS)
PF701_NEGATIVE.append(PF701_TWO_PLACES_AGAIN)

# an exchange's precision beside a price, typed `float`: a count of digits or a tick size, not money (freqtrade's
# `price_precision` and `amount_precision`, round 161: 4 judged false); the price itself, computed with, is reported
_PRECISION = '''from decimal import Decimal


def to_tick({param}: float, places: int) -> Decimal:
    return Decimal(str({param} * 10 ** places)).quantize(Decimal("1"))
'''
PF701_PRECISION_NOT_MONEY = _PRECISION.format(param="price_precision")
PF701_PRICE_BESIDE_PRECISION = _PRECISION.format(param="price")
PF701_POSITIVE.append(PF701_PRICE_BESIDE_PRECISION)
PF701_NEGATIVE.append(PF701_PRECISION_NOT_MONEY)

# a float money field in a file a tool wrote from an API's schema (pfml's FINEOS client models, `# generated by
# datamodel-codegen:`, round 187): `low`, saying the change belongs in the generator; the same class written by hand: `low`
# since stop 79, as a record's type hint
_API_MODELS = '''
from decimal import Decimal
from typing import Optional

from pydantic import BaseModel, Field


class InvoiceLine(BaseModel):
    unitPrice: Optional[Decimal] = None
    amountDue: Optional[float] = Field(None, description="What the client still owes.")
'''
PF701_GENERATED_LOWERED = {"client/__init__.py": "", "client/models.py": "# generated by datamodel-codegen:\n#   filename:  spec.json\n" + _API_MODELS}
PF701_WRITTEN_BY_HAND = {"client/__init__.py": "", "client/models.py": _API_MODELS}
PF701_POSITIVE += [PF701_GENERATED_LOWERED, PF701_WRITTEN_BY_HAND]

# a DRF serializer's FloatField formats a value for output and stores nothing (RoboSats' API schema serializers, round
# 193: 3 judged false as stored money): `low`, as money handed out; the model's FloatField stores it: high
_FEES = '''
from django.db import models
from rest_framework import serializers


class Invoice(models.Model):
    total = models.DecimalField(max_digits=12, decimal_places=2)


class {name}({base}):
    amount_due = {field}
'''
PF701_SERIALIZER_FIELD_LOWERED = {"billing/__init__.py": "", "billing/api.py": _FEES.format(
    name="InvoiceOut", base="serializers.Serializer", field="serializers.FloatField()")}
PF701_MODEL_FIELD_KEPT = {"billing/__init__.py": "", "billing/api.py": _FEES.format(
    name="Payment", base="models.Model", field="models.FloatField()")}
PF701_POSITIVE += [PF701_SERIALIZER_FIELD_LOWERED, PF701_MODEL_FIELD_KEPT]

# `float(total)` of a count is no money; of a sum of amounts it is (held_rows_examples.py)
PF701_NEGATIVE.append(PF701_COUNTED_TOTAL)
PF701_POSITIVE.append(PF701_SUMMED_TOTAL)
# a share of two amounts is no amount; an amount over a count (an average) is one
PF701_NEGATIVE.append(PF701_VIREMENT_SHARE)
PF701_POSITIVE.append(PF701_AMOUNT_PER_INVOICE)
# a fifth of a count, named `total_products`, is no money; a fifth of the summed revenue is (module_globals_examples.py)
PF701_NEGATIVE.append(PF701_FIFTH_OF_A_COUNT)
PF701_POSITIVE.append(PF701_FIFTH_OF_REVENUE)
# (found at low) the cost of the energy handed out as a float; the energy itself, `total_kwh`, is no money
# (module_globals_examples.py)
PF701_POSITIVE.append(PF701_ENERGY_AND_ITS_COST)
# (round 241) a total of averaged scores beside money kept elsewhere in the module; the same total of prices
# (event_and_page_examples.py)
PF701_NEGATIVE.append(PF701_TOTAL_OF_SCORES)
PF701_POSITIVE.append(PF701_TOTAL_OF_PRICES)
# (rounds 247 and 249) a weight in tons, a week's energy summed into `total`: no money; a freight price, a week's fees
PF701_NEGATIVE += [PF701_WEIGHT_IN_TONS, PF701_TOTAL_OF_ENERGY]
PF701_POSITIVE += [PF701_FREIGHT_PRICE, PF701_TOTAL_OF_FEES]
# (round 258) the terms of a ratio on a `RatioUsage` model; the same floats on a payment
PF701_NEGATIVE.append(PF701_RATIO_TERMS)
PF701_POSITIVE.append(PF701_PAYMENT_TERMS)
# (rounds 253 and 265, found at low) a total turned into a float only to print it (an f-string's two places, a
# formatting helper); (high) the same floats added together (singletons_and_coroutines_examples.py)
PF701_POSITIVE += [PF701_FORMATTED_FOR_A_PAGE, PF701_ADDED_AS_FLOATS]
# (round 277) a Decimal field whose default is a whole float, exact; one whose default is a fraction
PF701_NEGATIVE.append(PF701_DECIMAL_FIELD_WHOLE_DEFAULT)
PF701_POSITIVE.append(PF701_DECIMAL_FIELD_FRACTION_DEFAULT)
# (round 289) a share of a count of codes; the same share of the fees
PF701_NEGATIVE.append(PF701_SHARE_OF_CODES)
PF701_POSITIVE.append(PF701_SHARE_OF_FEES)
# (round 300) a sum of units sold turned into a float; the same sum of prices
PF701_NEGATIVE.append(PF701_UNITS_SUMMED)
PF701_POSITIVE.append(PF701_PRICES_SUMMED)
# (round 302) a bare `amount` of an environmental impact; the same of a tariff's price. (round 304) a quantity sold turned
# into a float; (found at low) the sum paid, handed out
PF701_NEGATIVE += [PF701_AMOUNT_OF_AN_IMPACT, PF701_QUANTITY_SOLD]
PF701_POSITIVE += [PF701_AMOUNT_OF_A_PRICE, PF701_SUM_PAID]
# (rounds 184 to 306, found at low) a float of money only handed on; (high) the same compared, or truncated to cents
PF701_POSITIVE += [PF701_FLOAT_HANDED_ON, PF701_FLOAT_COMPARED, PF701_FLOAT_TO_CENTS]

# a rate declared a float, a record's float type hint: `low`, saying why; a comparison with a whole number: none
# (schemas_and_rates_examples.py)
PF701_POSITIVE += [PF701_RATE_COLUMN, PF701_AMOUNT_COLUMN, PF701_RATE_PARAMETER, PF701_SCHEMA_HINT, PF701_AGAINST_CENTS]
PF701_NEGATIVE.append(PF701_AGAINST_WHOLE_NUMBERS)

"""PF901: the same expensive work repeated on every pass of a loop."""

from __future__ import annotations

from ..findings import Severity
from .static import StaticRule


class RepeatedWorkInLoop(StaticRule):
    id = "PF901"
    name = "repeated-work-in-loop"
    title = "Same work repeated on every iteration"
    severity = Severity.low
    what = ("Finds expensive work inside a loop whose inputs never change between iterations: `re.compile`, `json.loads`, "
            "`datetime.strptime`, `sorted(x)` / `copy.deepcopy(x)` / `x.copy()` of a collection the loop does not change. "
            "Work on each row's own data is not a finding, nor is a cheap constant such as `Decimal(\"0.01\")` passed to "
            "`quantize` (about 100 ns, and the clearest way to write money rounding).")
    why = ("The loop redoes the same computation once per record: harmless for ten rows, a measurable share of a "
           "batch job over a million, and free to remove.")
    example = '''
for row in rows:
    when = datetime.strptime(CLOSING_DATE, "%Y-%m-%d")
    account_ok = re.compile(r"^[0-9]{4}$").match(row.account)
'''
    fix = "Compute it once before the loop (a module constant such as `ACCOUNT = re.compile(...)`) and reuse it."
    positive = [
        '''
import re
def codes(lines):
    out = []
    for line in lines:
        out.append(re.compile(r"NF-(\\d+)").search(line))
    return out
''',
        '''
import json
def fees(invoices, schedule_text):
    return [json.loads(schedule_text)[inv.kind] for inv in invoices]
''',
        '''
def ranked(groups, scores):
    for g in groups:
        best = sorted(scores)
        g.top = best[-1]
''',
    ]
    negative = [
        # the sort runs only in the message of the error that ends the loop: at most once
        '''
def check_targets(targets, names):
    for target in targets:
        if target not in names:
            raise ValueError(f"{target} is not one of {sorted(names)}")
''',
        '''
def widgets(attrs, values):
    out = []
    for i, value in enumerate(values):
        own = attrs.copy()
        own["id"] = f"field_{i}"
        out.append((own, value))
    return out
''',
        '''
from datetime import datetime
def dates(rows):
    return [datetime.strptime(r["date"], "%Y-%m-%d") for r in rows]
''',
        '''
import re
CODE = re.compile(r"NF-(\\d+)")
def codes(lines):
    return [CODE.search(line) for line in lines]
''',
        '''
def ranked(groups, scores):
    for g in groups:
        scores.append(g.score)
        g.rank = sorted(scores).index(g.score)
''',
        # the money idiom: a Decimal constant in quantize costs about 100 ns; not worth a finding
        '''
from decimal import Decimal, ROUND_HALF_UP
def cents(amounts):
    return [Decimal(a).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) for a in amounts]
''',
        # a loop the code bounds (three currencies) repeats the work three times
        '''
import re
def currency_codes(text):
    return {c: re.compile(r"TOTAL ([0-9.]+)").findall(text) for c in ("EUR", "USD", "BRL")}
''',
    ]

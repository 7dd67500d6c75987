"""The examples of repeated_work.py's rules: each a source file (or {path: source} for several modules); the positive ones
must be flagged by the rule, the negative ones must not. Imported when a test first reads them (rules.Examples)."""

from __future__ import annotations


PF901_POSITIVE = [
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

PF901_NEGATIVE = [
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

"""NP106: a Django queryset evaluated twice where one evaluation would serve."""

from __future__ import annotations

from ..findings import Severity
from . import Examples
from .static import StaticRule


class QuerysetEvaluatedTwice(StaticRule):
    id = "NP106"
    name = "queryset-evaluated-twice"
    title = "Queryset evaluated twice"
    severity = Severity.low
    what = ("Flags a Django queryset held in a variable on which `.count()` or `.exists()` is called before the same "
            "queryset is iterated, listed or measured with `len()`.")
    why = ("`count()` and `exists()` each run their own query when the rows are not fetched yet, and fetching the rows "
           "runs another: two round trips where the rows alone answer both. It is one extra query per call (inside a loop, "
           "later counts read the rows the first pass fetched; a queryset built anew per item is an N+1 of its own, and "
           "the count only adds to it), so it is `low`: on real applications 6 of 56 judged were worth a fix.")
    example = '''
invoices = Invoice.objects.filter(status="open")
if invoices.count() > 0:            # one query
    for inv in invoices:            # and another
        send(inv)
'''
    fix = ("Fetch once: `rows = list(invoices)` and use `len(rows)` / `if rows:`; or fetch first and call `count()` "
           "afterwards, which Django answers from the result cache. Keep `count()` alone when the rows are not needed.")
    positive = Examples("queryset_reuse_examples", "NP106_POSITIVE")
    negative = Examples("queryset_reuse_examples", "NP106_NEGATIVE")

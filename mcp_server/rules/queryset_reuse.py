"""NP106: a Django queryset evaluated twice where one evaluation would serve."""

from __future__ import annotations

from ..findings import Severity
from .static import DJANGO_MODELS, StaticRule


class QuerysetEvaluatedTwice(StaticRule):
    id = "NP106"
    name = "queryset-evaluated-twice"
    title = "Queryset evaluated twice"
    severity = Severity.medium
    what = ("Flags a Django queryset held in a variable on which `.count()` or `.exists()` is called before the same "
            "queryset is iterated, listed or measured with `len()`.")
    why = ("`count()` and `exists()` each run their own query when the rows are not fetched yet, and fetching the rows "
           "runs another: two round trips where the rows alone answer both. One extra query per call is `low` (on real "
           "applications, 0 of 20 judged were worth a fix); inside a loop it is one per item, `medium`.")
    example = '''
invoices = Invoice.objects.filter(status="open")
if invoices.count() > 0:            # one query
    for inv in invoices:            # and another
        send(inv)
'''
    fix = ("Fetch once: `rows = list(invoices)` and use `len(rows)` / `if rows:`; or fetch first and call `count()` "
           "afterwards, which Django answers from the result cache. Keep `count()` alone when the rows are not needed.")
    positive = [
        {"billing/models.py": DJANGO_MODELS, "billing/mail.py": '''
from .models import Invoice
def remind():
    invoices = Invoice.objects.filter(total__gt=0)
    if invoices.exists():
        return [inv.total for inv in invoices]
    return []
'''},
    ]
    negative = [
        {"billing/models.py": DJANGO_MODELS, "billing/mail.py": '''
from .models import Invoice
def remind():
    invoices = list(Invoice.objects.filter(total__gt=0))
    return len(invoices), [inv.total for inv in invoices]
'''},
        {"billing/models.py": DJANGO_MODELS, "billing/mail.py": '''
from .models import Invoice
def total_open():
    invoices = Invoice.objects.filter(total__gt=0)
    rows = [inv.total for inv in invoices]
    return invoices.count(), rows
'''},
        {"billing/models.py": DJANGO_MODELS, "billing/mail.py": '''
from .models import Invoice
def how_many():
    return Invoice.objects.filter(total__gt=0).count()
'''},
    ]

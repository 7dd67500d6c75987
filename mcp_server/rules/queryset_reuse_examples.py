"""The examples of queryset_reuse.py's rules: each a source file (or {path: source} for several modules); the positive ones
must be flagged by the rule, the negative ones must not. Imported when a test first reads them (rules.Examples)."""

from __future__ import annotations

from .static import DJANGO_MODELS

NP106_POSITIVE = [
        {"billing/models.py": DJANGO_MODELS, "billing/mail.py": '''
from .models import Invoice
def remind():
    invoices = Invoice.objects.filter(total__gt=0)
    if invoices.exists():
        return [inv.total for inv in invoices]
    return []
'''},
    ]

NP106_NEGATIVE = [
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

"""Querysets built in one place and iterated elsewhere: the scanner follows them across modules."""

from .models import Invoice, TaxRate


def open_invoices():
    return Invoice.objects.filter(status="open").order_by("id")


def rate_for(tax, key):
    return TaxRate.objects.get(tax=tax, key=key).rate


def all_rates():
    return {(r.tax, r.key): r.rate for r in TaxRate.objects.all()}

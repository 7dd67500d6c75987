"""Reports on Django models. Each `*_slow` has N+1s the scanner must find (marked `expect:`),
each `*_fast` is its fixed twin: same result to the cent, a constant number of queries."""

from decimal import ROUND_HALF_EVEN, Decimal

from django.db.models import Prefetch

from .models import Client, Invoice, InvoiceItem
from .queries import all_rates, open_invoices, rate_for

CENT = Decimal("0.01")
ZERO = Decimal("0")


def client_statements_slow():
    statements = {}
    for client in Client.objects.order_by("id"):
        statements[client.name] = [
            sum((item.quantity * item.unit_price for item in invoice.items.all()), ZERO)  # expect: NP103
            for invoice in client.invoices.order_by("id")  # expect: NP103
        ]
    return statements


def client_statements_fast():
    clients = Client.objects.order_by("id").prefetch_related(
        Prefetch("invoices", queryset=Invoice.objects.order_by("id").prefetch_related("items"))
    )
    return {
        client.name: [sum((item.quantity * item.unit_price for item in invoice.items.all()), ZERO) for invoice in client.invoices.all()]
        for client in clients
    }


def tax_report_slow():
    report = []
    for item in InvoiceItem.objects.select_related("invoice").order_by("id"):
        state = item.invoice.client.state  # expect: NP103
        value = item.quantity * item.unit_price
        icms = (value * rate_for("icms", state)).quantize(CENT, ROUND_HALF_EVEN)  # expect: NP102 PF301
        pis = (value * rate_for("pis", item.operation)).quantize(CENT, ROUND_HALF_EVEN)  # expect: PF301
        cofins = (value * rate_for("cofins", item.operation)).quantize(CENT, ROUND_HALF_EVEN)  # expect: PF301
        report.append((item.id, icms, pis, cofins))
    return report


def tax_report_fast():
    rates = all_rates()
    report = []
    for item in InvoiceItem.objects.select_related("invoice__client").order_by("id"):
        value = item.quantity * item.unit_price
        state = item.invoice.client.state
        icms = (value * rates[("icms", state)]).quantize(CENT, ROUND_HALF_EVEN)
        pis = (value * rates[("pis", item.operation)]).quantize(CENT, ROUND_HALF_EVEN)
        cofins = (value * rates[("cofins", item.operation)]).quantize(CENT, ROUND_HALF_EVEN)
        report.append((item.id, icms, pis, cofins))
    return report


def outstanding_slow():
    out = {}
    for invoice in open_invoices():
        total = sum((i.quantity * i.unit_price for i in invoice.items.all()), ZERO)  # expect: NP103
        paid = sum((p.amount for p in invoice.payments.all()), ZERO)  # line 63's finding: one prefetch_related loads both
        out[invoice.id] = (invoice.client.name, total - paid)  # expect: NP103
    return out


def outstanding_fast():
    out = {}
    for invoice in open_invoices().with_client().prefetch_related("items", "payments"):
        total = sum((i.quantity * i.unit_price for i in invoice.items.all()), ZERO)
        paid = sum((p.amount for p in invoice.payments.all()), ZERO)
        out[invoice.id] = (invoice.client.name, total - paid)
    return out

"""Reports on SQLAlchemy models. Each `*_slow` has N+1s the scanner must find (marked `expect:`),
each `*_fast` is its fixed twin: same result to the cent, a constant number of queries."""

from decimal import ROUND_HALF_EVEN, Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from .models import Client, Invoice, InvoiceItem
from .rates import all_rates, rate_for

CENT = Decimal("0.01")
ZERO = Decimal("0")


def client_statements_slow(session: Session):
    statements = {}
    for client in session.scalars(select(Client).order_by(Client.id)):
        statements[client.name] = [
            sum((item.quantity * item.unit_price for item in invoice.items), ZERO)  # expect: NP104
            for invoice in client.invoices  # expect: NP104
        ]
    return statements


def client_statements_fast(session: Session):
    stmt = select(Client).order_by(Client.id).options(selectinload(Client.invoices).selectinload(Invoice.items))
    return {
        client.name: [sum((item.quantity * item.unit_price for item in invoice.items), ZERO) for invoice in client.invoices]
        for client in session.scalars(stmt)
    }


def tax_report_slow(session: Session):
    report = []
    for item in session.scalars(select(InvoiceItem).order_by(InvoiceItem.id)):
        state = item.invoice.client.state  # expect: NP104
        value = item.quantity * item.unit_price
        icms = (value * rate_for(session, "icms", state)).quantize(CENT, ROUND_HALF_EVEN)  # expect: NP102 PF301
        pis = (value * rate_for(session, "pis", item.operation)).quantize(CENT, ROUND_HALF_EVEN)  # expect: PF301
        cofins = (value * rate_for(session, "cofins", item.operation)).quantize(CENT, ROUND_HALF_EVEN)  # expect: PF301
        report.append((item.id, icms, pis, cofins))
    return report


def tax_report_fast(session: Session):
    rates = all_rates(session)
    report = []
    stmt = select(InvoiceItem).order_by(InvoiceItem.id).options(joinedload(InvoiceItem.invoice).joinedload(Invoice.client))
    for item in session.scalars(stmt):
        value = item.quantity * item.unit_price
        state = item.invoice.client.state
        icms = (value * rates[("icms", state)]).quantize(CENT, ROUND_HALF_EVEN)
        pis = (value * rates[("pis", item.operation)]).quantize(CENT, ROUND_HALF_EVEN)
        cofins = (value * rates[("cofins", item.operation)]).quantize(CENT, ROUND_HALF_EVEN)
        report.append((item.id, icms, pis, cofins))
    return report


def outstanding_slow(session: Session):
    out = {}
    for invoice in session.scalars(select(Invoice).where(Invoice.status == "open").order_by(Invoice.id)):
        total = sum((i.quantity * i.unit_price for i in invoice.items), ZERO)  # expect: NP104
        paid = sum((p.amount for p in invoice.payments), ZERO)  # payments load with lazy="selectin": no N+1
        out[invoice.id] = (invoice.client.name, total - paid)  # expect: NP104
    return out


def outstanding_fast(session: Session):
    stmt = (
        select(Invoice).where(Invoice.status == "open").order_by(Invoice.id)
        .options(selectinload(Invoice.items), joinedload(Invoice.client))
    )
    out = {}
    for invoice in session.scalars(stmt):
        total = sum((i.quantity * i.unit_price for i in invoice.items), ZERO)
        paid = sum((p.amount for p in invoice.payments), ZERO)
        out[invoice.id] = (invoice.client.name, total - paid)
    return out

"""Reports over the example database. Each `*_slow` has an N+1 the scanner must find (marked `expect:`),
each `*_fast` is its fixed twin: same result to the cent, a constant number of queries."""

from decimal import ROUND_HALF_EVEN, Decimal

from .rates import get_rate, load_rates

CENT = Decimal("0.01")
ZERO = Decimal("0")


def money(value):
    return Decimal(str(value))


def client_statements_slow(conn):
    statements = {}
    for client_id, name in conn.execute("SELECT id, name FROM clients ORDER BY id").fetchall():  # expect: PF401
        invoices = conn.execute("SELECT id FROM invoices WHERE client_id = ? ORDER BY id", (client_id,)).fetchall()  # expect: NP101
        totals = []
        for (invoice_id,) in invoices:
            items = conn.execute("SELECT quantity, unit_price FROM invoice_items WHERE invoice_id = ?", (invoice_id,)).fetchall()  # expect: NP101
            totals.append(sum((qty * money(price) for qty, price in items), ZERO))
        statements[name] = totals
    return statements


def client_statements_fast(conn):
    statements = {name: [] for _, name in conn.execute("SELECT id, name FROM clients ORDER BY id")}
    names = dict(conn.execute("SELECT id, name FROM clients"))
    totals = {}
    for invoice_id, qty, price in conn.execute("SELECT invoice_id, quantity, unit_price FROM invoice_items"):
        totals[invoice_id] = totals.get(invoice_id, ZERO) + qty * money(price)
    for invoice_id, client_id in conn.execute("SELECT id, client_id FROM invoices ORDER BY client_id, id"):
        statements[names[client_id]].append(totals.get(invoice_id, ZERO))
    return statements


ITEMS_WITH_STATE = """
    SELECT ii.id, ii.quantity, ii.unit_price, ii.operation, c.state
    FROM invoice_items ii JOIN invoices i ON i.id = ii.invoice_id JOIN clients c ON c.id = i.client_id
    ORDER BY ii.id
"""


def tax_report_slow(conn):
    report = []
    for item_id, qty, price, operation, state in conn.execute(ITEMS_WITH_STATE).fetchall():
        value = qty * money(price)
        icms = (value * get_rate(conn, "icms", state)).quantize(CENT, ROUND_HALF_EVEN)  # expect: NP102 PF301
        pis = (value * get_rate(conn, "pis", operation)).quantize(CENT, ROUND_HALF_EVEN)  # expect: PF301
        cofins = (value * get_rate(conn, "cofins", operation)).quantize(CENT, ROUND_HALF_EVEN)  # expect: PF301
        report.append((item_id, icms, pis, cofins))
    return report


def tax_report_fast(conn):
    rates = load_rates(conn)
    report = []
    for item_id, qty, price, operation, state in conn.execute(ITEMS_WITH_STATE):
        value = qty * money(price)
        icms = (value * rates[("icms", state)]).quantize(CENT, ROUND_HALF_EVEN)
        pis = (value * rates[("pis", operation)]).quantize(CENT, ROUND_HALF_EVEN)
        cofins = (value * rates[("cofins", operation)]).quantize(CENT, ROUND_HALF_EVEN)
        report.append((item_id, icms, pis, cofins))
    return report


def tax_report_float(conn):
    """The tempting "optimisation": rates loaded once, but computed in floats and rounded at the end."""
    rates = {key: float(rate) for key, rate in load_rates(conn).items()}
    report = []
    for item_id, qty, price, operation, state in conn.execute(ITEMS_WITH_STATE):
        value = qty * float(price)  # expect: PF701
        report.append((item_id, *(Decimal(f"{value * rates[(tax, key)]:.2f}") for tax, key in
                                   (("icms", state), ("pis", operation), ("cofins", operation)))))
    return report


def outstanding_slow(conn):
    out = {}
    for invoice_id, total in invoice_totals(conn).items():
        paid = sum((money(a) for (a,) in conn.execute("SELECT amount FROM payments WHERE invoice_id = ?", (invoice_id,))), ZERO)  # expect: NP101
        out[invoice_id] = total - paid
    return out


def outstanding_fast(conn):
    paid = {}
    for invoice_id, amount in conn.execute("SELECT invoice_id, amount FROM payments"):
        paid[invoice_id] = paid.get(invoice_id, ZERO) + money(amount)
    return {invoice_id: total - paid.get(invoice_id, ZERO) for invoice_id, total in invoice_totals(conn).items()}


def invoice_totals(conn):
    totals = {}
    for invoice_id, qty, price in conn.execute("SELECT invoice_id, quantity, unit_price FROM invoice_items ORDER BY invoice_id"):
        totals[invoice_id] = totals.get(invoice_id, ZERO) + qty * money(price)
    return totals

"""ICMS rates by state, PIS/COFINS rates by operation type, from the tax_rates table."""

from decimal import Decimal


def _rate_row(conn, tax, key):
    return conn.execute("SELECT rate FROM tax_rates WHERE tax = ? AND key = ?", (tax, key)).fetchone()


def get_rate(conn, tax, key):
    """One rate: a query per call."""
    row = _rate_row(conn, tax, key)
    return Decimal(str(row[0])) if row else Decimal("0")


def load_rates(conn):
    """Every rate at once, keyed by (tax, key): rates change by law on known dates, so load them per batch."""
    return {(tax, key): Decimal(str(rate)) for tax, key, rate in conn.execute("SELECT tax, key, rate FROM tax_rates")}

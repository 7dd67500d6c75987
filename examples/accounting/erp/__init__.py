"""Integrations with the ERP (Calima) and the bank. Scanned, not run: the example has no network."""

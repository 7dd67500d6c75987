"""Counts the statements each report runs, with sqlite3's own trace callback."""

import sqlite3

from . import reports

REPORTS = {
    "client_statements": (reports.client_statements_slow, reports.client_statements_fast),
    "tax_report": (reports.tax_report_slow, reports.tax_report_fast),
    "outstanding": (reports.outstanding_slow, reports.outstanding_fast),
}


def runner(path):
    def run(fn):
        conn = sqlite3.connect(path)
        statements = []
        conn.set_trace_callback(statements.append)
        try:
            value = fn(conn)
        finally:
            conn.close()
        return repr(value), len(statements)

    return run, REPORTS

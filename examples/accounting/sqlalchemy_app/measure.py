"""Counts the statements each report runs, with SQLAlchemy's before_cursor_execute event."""

import warnings

from sqlalchemy import create_engine, event
from sqlalchemy.exc import SAWarning
from sqlalchemy.orm import Session

from . import reports


def runner(path):
    # SQLite has no decimal type; SQLAlchemy converts through float and says so once. Amounts here have
    # 2 decimal places and 12 digits, well inside float's exact range, so the values stay exact.
    warnings.filterwarnings("ignore", category=SAWarning, message=".*Decimal objects natively.*")
    engine = create_engine(f"sqlite:///{path}")
    statements = []
    event.listen(engine, "before_cursor_execute", lambda conn, cursor, statement, *rest: statements.append(statement))

    def run(fn):
        statements.clear()
        with Session(engine) as session:
            value = fn(session)
        return repr(value), len(statements)

    return run, {
        "client_statements": (reports.client_statements_slow, reports.client_statements_fast),
        "tax_report": (reports.tax_report_slow, reports.tax_report_fast),
        "outstanding": (reports.outstanding_slow, reports.outstanding_fast),
    }

"""Counts the statements each report runs, with Django's own execute_wrapper."""

import django
from django.conf import settings


def runner(path):
    settings.configure(
        INSTALLED_APPS=["django_app"],
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": path}},
        DEFAULT_AUTO_FIELD="django.db.models.AutoField",
        USE_TZ=True,
    )
    django.setup()
    from django.db import connection

    from . import reports

    def run(fn):
        statements = []

        def count(execute, sql, params, many, context):
            statements.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            value = fn()
        return repr(value), len(statements)

    return run, {
        "client_statements": (reports.client_statements_slow, reports.client_statements_fast),
        "tax_report": (reports.tax_report_slow, reports.tax_report_fast),
        "outstanding": (reports.outstanding_slow, reports.outstanding_fast),
    }

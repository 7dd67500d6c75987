"""Counts the statements each report runs, with Django's own execute_wrapper."""

import django
from django.conf import settings


def runner(path):
    try:
        import rest_framework  # noqa: F401  (the API twins need Django REST framework)
        drf = ["rest_framework"]
    except ImportError:
        drf = []
    settings.configure(
        INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth", "django_app", *drf],
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": path}},
        DEFAULT_AUTO_FIELD="django.db.models.AutoField",
        TEMPLATES=[{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True}],
        USE_TZ=True,
        ALLOWED_HOSTS=["testserver"],
        REST_FRAMEWORK={"UNAUTHENTICATED_USER": None},
    )
    django.setup()
    from django.db import connection
    from django.test import RequestFactory

    from . import reports, views

    def run(fn):
        statements = []

        def count(execute, sql, params, many, context):
            statements.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            value = fn()
        return repr(value), len(statements)

    def page(view):
        return lambda: view(RequestFactory().get("/invoices/")).content.decode()

    twins = {
        "client_statements": (reports.client_statements_slow, reports.client_statements_fast),
        "tax_report": (reports.tax_report_slow, reports.tax_report_fast),
        "outstanding": (reports.outstanding_slow, reports.outstanding_fast),
        "invoice_page": (page(views.invoice_page_slow), page(views.invoice_page_fast)),
    }
    if drf:
        from . import api

        def listing(viewset):
            return lambda: viewset.as_view({"get": "list"})(RequestFactory().get("/api/invoices/")).render().content.decode()

        twins["invoice_api"] = (listing(api.InvoiceSlowViewSet), listing(api.InvoiceFastViewSet))
    return run, twins

import pytest


def twins(runner, database):
    run, reports = runner(database)
    return [(name, run, slow, fast) for name, (slow, fast) in reports.items()]


@pytest.mark.parametrize("report", ["client_statements", "tax_report", "outstanding"])
def test_dbapi_reports_match_their_fixed_twins(database, report):
    from dbapi_app.measure import runner

    run, reports = runner(database)
    slow, fast = reports[report]
    assert run(slow)[0] == run(fast)[0]


@pytest.mark.parametrize("report", ["client_statements", "tax_report", "outstanding"])
def test_sqlalchemy_reports_match_their_fixed_twins(database, report):
    from sqlalchemy_app.measure import runner

    run, reports = runner(database)
    slow, fast = reports[report]
    assert run(slow)[0] == run(fast)[0]


@pytest.fixture(scope="session")
def django_reports(database):
    from django_app.measure import runner

    return runner(database)  # Django is configured once per process


@pytest.mark.parametrize("report", ["client_statements", "tax_report", "invoice_page", "invoice_api"])
def test_django_reports_match_their_fixed_twins(django_reports, report):
    run, reports = django_reports
    slow, fast = reports[report]
    assert run(slow)[0] == run(fast)[0]

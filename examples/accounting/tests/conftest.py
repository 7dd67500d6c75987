"""The example's own tests: every report of every flavour on a small seeded database (outside the project, in
pytest's temporary folder), the N+1 version against its fixed twin, Decimal-exact."""

import pytest

from seed import create_database

CLIENTS = 6  # enough rows for an N+1 to repeat its query more than five times


@pytest.fixture(scope="session")
def database(tmp_path_factory):
    path = tmp_path_factory.mktemp("accounting") / "accounting.sqlite3"
    create_database(str(path), clients=CLIENTS)
    return str(path)

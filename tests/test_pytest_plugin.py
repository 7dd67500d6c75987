"""The pytest plugin in real pytest runs (pytester): markers and the fixture fail or pass tests on sqlite3, SQLAlchemy
and Django queries, and the plugin stays inert for tests that do not ask for it."""

from conftest import EXAMPLE

SQLITE_TESTS = '''
import sqlite3
import pytest

@pytest.fixture
def conn():
    c = sqlite3.connect(":memory:")
    c.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
    c.executemany("INSERT INTO t VALUES (?, ?)", [(i, str(i)) for i in range(10)])
    return c

def lookup_each(conn, ids):
    return [conn.execute("SELECT v FROM t WHERE id = ?", (i,)).fetchone()[0] for i in ids]

def lookup_all(conn, ids):
    marks = ",".join("?" * len(ids))
    return [v for (v,) in conn.execute(f"SELECT v FROM t WHERE id IN ({marks}) ORDER BY id", list(ids))]

@pytest.mark.no_n_plus_one
def test_n_plus_one(conn):
    lookup_each(conn, range(10))

@pytest.mark.no_n_plus_one
def test_batched(conn):
    assert lookup_all(conn, range(10)) == [str(i) for i in range(10)]

@pytest.mark.max_queries(3)
def test_too_many(conn):
    lookup_each(conn, range(4))

@pytest.mark.max_queries(3)
def test_few(conn):
    lookup_all(conn, range(10))

def test_log(conn, query_log):
    lookup_each(conn, range(3))
    assert query_log.total == 3 and query_log.groups()[0].count == 3

def test_unmarked(conn):
    lookup_each(conn, list(range(10)) * 5)
'''


def test_markers_and_fixture_on_sqlite3(pytester):
    pytester.makepyfile(test_app=SQLITE_TESTS)
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=4, failed=2)
    result.stdout.fnmatch_lines([
        "N+1: the same query ran 10 times from test_app.py:12 (threshold 5):",
        "     10 x  *  test_app.py:12 in <listcomp>()",
        "*4 queries ran, more than the 3 allowed:*",
    ])
    assert "SELECT v FROM t WHERE id = ?" in result.stdout.str()


ORM_TESTS = f'''
import os, sys, tempfile
import pytest
sys.path.insert(0, {str(EXAMPLE)!r})
from seed import create_database

PATH = os.path.join(tempfile.mkdtemp(), "accounting.sqlite3")
create_database(PATH, clients=6)

@pytest.fixture
def session():
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session
    with Session(create_engine(f"sqlite:///{{PATH}}")) as s:
        yield s

@pytest.mark.no_n_plus_one
def test_sqlalchemy_slow(session):
    from sqlalchemy_app import reports
    reports.client_statements_slow(session)

@pytest.mark.no_n_plus_one
@pytest.mark.max_queries(4)
def test_sqlalchemy_fast(session):
    from sqlalchemy_app import reports
    reports.client_statements_fast(session)

@pytest.fixture(scope="module")
def django_db():
    from django_app.measure import runner
    runner(PATH)

@pytest.mark.no_n_plus_one
def test_django_slow(django_db):
    from django_app import reports
    reports.outstanding_slow()

@pytest.mark.max_queries(4)
def test_django_fast(django_db):
    from django_app import reports
    reports.outstanding_fast()
'''


def test_sqlalchemy_and_django_in_a_real_pytest_process(pytester):
    pytester.makepyfile(test_orm=ORM_TESTS)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")  # Django configures itself once per process
    result.assert_outcomes(passed=2, failed=2)
    result.stdout.fnmatch_lines(["*_ test_sqlalchemy_slow _*", "N+1: the same query ran 24 times from test_orm.py:19 (threshold 5):",
                                 "*_ test_django_slow _*", "N+1: the same query ran 16 times from test_orm.py:35 (threshold 5):"])


def test_psycopg_in_a_real_pytest_run(pytester, postgres_dsn):
    pytester.makepyfile(test_pg=f'''
import psycopg
import pytest

@pytest.fixture
def conn():
    with psycopg.connect({postgres_dsn!r}) as c:
        c.execute("CREATE TEMP TABLE t (id int PRIMARY KEY, v text)")
        c.execute("INSERT INTO t SELECT g, g::text FROM generate_series(1, 10) g")
        yield c

@pytest.mark.no_n_plus_one
def test_each(conn):
    [conn.execute("SELECT v FROM t WHERE id = %s", (i,)).fetchone() for i in range(1, 11)]

@pytest.mark.no_n_plus_one
@pytest.mark.max_queries(1)
def test_once(conn):
    conn.execute("SELECT v FROM t WHERE id = ANY(%s)", (list(range(1, 11)),)).fetchall()
''')
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["N+1: the same query ran 10 times from test_pg.py:13 (threshold 5):"])

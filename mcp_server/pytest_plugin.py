"""pytest plugin: fail a test that runs too many queries or an N+1, for sqlite3, psycopg, SQLAlchemy and Django alike.

On by install (entry point `pytest11`), inert unless a test asks:

    @pytest.mark.max_queries(10)          # more than 10 queries fails the test
    @pytest.mark.no_n_plus_one            # one SELECT repeated >= 5 times from one call stack fails it
    @pytest.mark.no_n_plus_one(threshold=3)

    def test_report(query_log):           # or look at the queries yourself
        build_report()
        assert query_log.total <= 4

The failure message lists the query groups (count, time, call site, statement). Drivers are patched in the test's
setup, so connections opened by function-scoped fixtures are seen; connections opened earlier (module or session
fixtures) are seen through Django's and SQLAlchemy's own hooks, not at the sqlite3/psycopg level.
"""

from __future__ import annotations

import pytest

from .runtime.capture import Capture

DEFAULT_THRESHOLD = 5


class QueryLog:
    """The queries one test ran, grouped by fingerprint and call stack."""

    def __init__(self, capture: Capture):
        self.capture = capture

    @property
    def total(self) -> int:
        return self.capture.total

    def groups(self):
        from .runtime.analysis import merge_groups

        return merge_groups(self.capture.export()["groups"])

    def n_plus_one(self, threshold: int = DEFAULT_THRESHOLD):
        return [g for g in self.groups() if g.count >= threshold and not g.many and g.fingerprint.lower().startswith(("select", "with"))]

    def describe(self, limit: int = 10) -> str:
        lines = []
        for g in self.groups()[:limit]:
            site = f"{g.stack[0][0]}:{g.stack[0][1]} in {g.stack[0][2]}()" if g.stack else "(no application frame)"
            lines.append(f"  {g.count:>5} x {g.seconds * 1000:8.2f} ms  {site}\n          {g.fingerprint[:160]}")
        return "\n".join(lines)

    def assert_max(self, limit: int) -> None:
        if self.total > limit:
            pytest.fail(f"{self.total} queries ran, more than the {limit} allowed:\n{self.describe()}", pytrace=False)

    def assert_no_n_plus_one(self, threshold: int = DEFAULT_THRESHOLD) -> None:
        found = self.n_plus_one(threshold)
        if found:
            worst = found[0]
            site = f"{worst.stack[0][0]}:{worst.stack[0][1]}" if worst.stack else "?"
            pytest.fail(f"N+1: the same query ran {worst.count} times from {site} (threshold {threshold}):\n{self.describe()}", pytrace=False)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "max_queries(n): fail the test when it runs more than n database queries")
    config.addinivalue_line("markers", "no_n_plus_one(threshold=5): fail the test when one SELECT repeats threshold times from one call stack")


def _wanted(item: pytest.Item) -> bool:
    return item.get_closest_marker("max_queries") is not None or item.get_closest_marker("no_n_plus_one") is not None \
        or "query_log" in getattr(item, "fixturenames", ())


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    if _wanted(item):
        item.stash[_KEY] = Capture(str(item.config.rootpath)).install()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item: pytest.Item):
    capture = item.stash.get(_KEY, None)
    if capture is None or "query_log" in item.fixturenames:
        yield  # the query_log fixture starts its own capture around the test body
        return
    capture.start()
    outcome = yield
    capture.stop()
    if outcome.excinfo is not None:
        return
    log = QueryLog(capture)
    try:
        _check(item, log)
    except pytest.fail.Exception as exc:
        outcome.force_exception(exc)


def _check(item: pytest.Item, log: QueryLog) -> None:
    limit = item.get_closest_marker("max_queries")
    if limit is not None:
        if not limit.args or isinstance(limit.args[0], bool) or not isinstance(limit.args[0], int) or limit.args[0] < 0:
            pytest.fail("max_queries needs a whole number of queries, e.g. @pytest.mark.max_queries(10)", pytrace=False)
        log.assert_max(limit.args[0])
    marker = item.get_closest_marker("no_n_plus_one")
    if marker is not None:
        log.assert_no_n_plus_one(int(marker.kwargs.get("threshold", marker.args[0] if marker.args else DEFAULT_THRESHOLD)))


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item: pytest.Item) -> None:
    capture = item.stash.get(_KEY, None)
    if capture is not None:
        capture.uninstall()
        del item.stash[_KEY]


@pytest.fixture
def query_log(request: pytest.FixtureRequest):
    """The queries the test body runs; `query_log.total`, `.groups()`, `.assert_max(n)`, `.assert_no_n_plus_one()`."""
    capture = request.node.stash.get(_KEY, None) or Capture(str(request.config.rootpath)).install()
    capture.start()
    log = QueryLog(capture)
    yield log
    capture.stop()
    if request.node.get_closest_marker("max_queries") or request.node.get_closest_marker("no_n_plus_one"):
        _check(request.node, log)


_KEY = pytest.StashKey[Capture]()

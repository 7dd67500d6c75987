"""Stop 54 (issue 15): one reader of `Prefetch(...)` for every reader of eager loading, and what it changed."""

from mcp_server.rules.default_manager_examples import signers_app
from mcp_server.rules.dropped_examples import PF501_OWN_ENGINE_LOWERED, PF501_SHARED_ENGINE_KEPT
from mcp_server.rules.joined_parent_examples import NP104_ASYNC_KEPT, NP104_ASYNC_LOWERED
from mcp_server.rules.unloaded_sides_examples import _OWN_EAGER, _own_list
from rule_cases import found_by


def test_a_prefetch_to_another_attribute_leaves_its_lookup_unloaded_in_an_own_list():
    # `Prefetch("payments", ..., to_attr="recent_payments")` fills a list under another name: `obj.payments.all()`
    # still queries once per row, so the own list() must not count "payments" as loaded
    to_attr = _OWN_EAGER.replace('order_by("-id"))', 'order_by("-id"), to_attr="recent_payments")')
    [(path, line, severity, message, fix)] = found_by(_own_list(to_attr), "NP103")
    assert (path, line, severity) == ("billing/serializers.py", 13, "high")
    assert message.startswith("`obj.payments` loads Invoice.payments once per row")
    assert fix == 'Add `.prefetch_related("payments")` to the queryset at billing/views.py:10.'
    assert found_by(_own_list(_OWN_EAGER), "NP103") == []


def test_a_coroutine_on_the_asyncio_session_reads_only_loaded_relationships():
    # Hyperion's loans (round 125): an unloaded relationship raises MissingGreenlet there, so the read was loaded before
    [(path, line, severity, message, fix)] = found_by(NP104_ASYNC_LOWERED[0], "NP104")
    assert (path, line, severity) == ("books/statement.py", 9, "low")
    assert message == ("`payment.client.name` reads a relationship the statement at books/statement.py:9 does not load (no "
                       "`joinedload(Payment.client)`), but the loop at line 9 runs in a coroutine on SQLAlchemy's asyncio session, "
                       "where reading an unloaded relationship raises `MissingGreenlet` instead of querying: code that works has it "
                       'loaded already (a `lazy="selectin"` relationship of rows loaded before, the session\'s identity map)')
    # a coroutine on a plain session lazy-loads; so does a plain function of a module on the asyncio session
    for app in NP104_ASYNC_KEPT:
        [(path, line, severity, message, fix)] = found_by(app, "NP104")
        assert (path, line, severity) == ("books/statement.py", 9, "high")
        assert message.startswith("`payment.client.name` is lazy-loaded in the loop at line 9, once per distinct Client")


def test_a_connection_of_the_function_s_own_engine_goes_with_it():
    # FormShare's task handlers (round 125): `invalidate()` closes the connection, and an exception before it drops the
    # function's own engine and connection together; the module's shared engine keeps it checked out
    app = {"books/__init__.py": ""}
    [(path, line, severity, message, _)] = found_by({**app, "books/tasks.py": PF501_OWN_ENGINE_LOWERED}, "PF501")
    assert (path, line, severity) == ("books/tasks.py", 10, "low")
    assert message == ("the connection `connection` is closed only when no exception is raised before `connection.invalidate()`; "
                       "but the engine is this function's own (`create_engine(...)` here), so when the function returns, by an "
                       "exception too, CPython drops engine and connection together and closes the connection")
    [(path, line, severity, message, _)] = found_by({**app, "books/tasks.py": PF501_SHARED_ENGINE_KEPT}, "PF501")
    assert (path, line, severity) == ("books/tasks.py", 11, "medium")
    assert message == "the connection `connection` is closed only when no exception is raised before `connection.invalidate()`"


def test_rows_through_a_to_many_relation_come_with_the_default_manager_s_select_related():
    # A+'s UserProfileManager (round 126): `invoice.signers.all()` is built on Profile's default manager
    assert found_by(signers_app(), "NP103") == []
    [(path, line, severity, message, _)] = found_by(signers_app(selected="office"), "NP103")
    assert (path, line, severity) == ("billing/views.py", 9, "high")
    assert message.startswith('`s.user.username` loads Profile.user once per row in the loop at line 9: the queryset at '
                              'billing/views.py:7 has no prefetch_related("signers__user")')
    # not prefetched: the signers are the query per invoice, and the user comes with them
    [(path, line, severity, message, _)] = found_by(signers_app(eager=""), "NP103")
    assert (path, line, severity) == ("billing/views.py", 8, "high")
    assert message.startswith('`invoice.signers.all()` loads Invoice.signers once per row in the loop at line 7')

"""Stop 55 (issue 15, rounds 127 and 128): code only the project's own objects run, views no route names, loops over a
few items, and a module cache refilled when it expires."""

from mcp_server.rules.few_items_examples import (NP101_RETURNED_LITERAL_NEGATIVE, NP101_RETURNED_ROWS_POSITIVE, NP102_EXPIRING_MEMO_NEGATIVE,
                                                 NP102_REFILLED_EACH_CALL_POSITIVE, NP105_MODULE_ENUM_NEGATIVE)
from mcp_server.rules.own_object_examples import NP103_ROUTED_KEPT, NP103_UNROUTED_LOWERED, NP105_OWN_OBJECT_KEPT, NP105_OWN_OBJECT_LOWERED
from rule_cases import found_by


def test_a_method_of_the_project_s_own_client_only_tests_call_runs_for_nobody():
    # OSF's BitbucketClient.team_repos (round 128): the client and its base are the project's own, built by its code
    [(path, line, severity, message, _)] = found_by(NP105_OWN_OBJECT_LOWERED, "NP105")
    assert (path, line, severity) == ("payables/bank.py", 12, "low")
    assert message == ("`_request()` is called once per item of the loop at line 11 and reaches a remote call: _request -> "
                       "`requests.get` (payables/client.py:7); nothing in the project names `BankClient.team_statements()` but "
                       "its definition, its tests and imports (no call, schedule or setting), so it looks unused")
    # a view calls it; or the client derives from a library's class, which may call its methods by name
    for app in NP105_OWN_OBJECT_KEPT:
        [(path, line, severity, message, _)] = found_by(app, "NP105")
        assert (path, line, severity) == ("payables/bank.py", 12, "high")
        assert message == ("`_request()` is called once per item of the loop at line 11 and reaches a remote call: _request -> "
                           "`requests.get` (payables/client.py:7)")


def test_a_viewset_no_router_registers_serves_no_request():
    # koalixcrm's AgreementAsJSON (round 127): only its own `super(AgreementAsJSON, self)` names it
    [(path, line, severity, message, fix)] = found_by(NP103_UNROUTED_LOWERED, "NP103")
    assert (path, line, severity) == ("billing/serializers.py", 8, "low")
    assert message.endswith("; nothing in the project names the class `InvoiceViewSet` but its definition and imports (no route, "
                            "call or setting), so it looks unused")
    assert fix == 'Add `.select_related("client")` to the queryset at billing/api.py:14.'
    [(path, line, severity, message, _)] = found_by(NP103_ROUTED_KEPT, "NP103")
    assert (path, line, severity) == ("billing/serializers.py", 8, "high")
    assert message == ('`obj.client` loads Invoice.client once per row in the loop at line 14: the queryset at billing/api.py:14 '
                       'has no select_related("client") (serialising each row reads `client_name = serializers.CharField('
                       'source="client.name")`)')


def test_a_loop_over_a_method_s_literal_of_two_querysets_runs_twice():
    # OSF's `_public_osfstorage_file_querysets()` (round 128): two scans on purpose, not rows
    assert found_by(NP101_RETURNED_LITERAL_NEGATIVE, "NP101") == []
    [(path, line, severity, message, _)] = found_by(NP101_RETURNED_ROWS_POSITIVE, "NP101")
    assert (path, line, severity, message) == ("billing/report.py", 12, "high",
                                               "`InvoiceItem.objects.aggregate` runs a query once per item of the loop at line 12")


def test_a_loop_over_another_module_s_enum_walks_its_members():
    # OSF's `for addon_type in gv_requests.AddonType` (round 128)
    assert found_by(NP105_MODULE_ENUM_NEGATIVE, "NP105") == []


def test_a_module_cache_refilled_when_it_expires_is_no_query_per_call():
    # OSF's campaigns (round 128): `if not CAMPAIGNS or (not mutex.locked() and throttle_period_expired(...)):`
    assert found_by(NP102_EXPIRING_MEMO_NEGATIVE, "NP102") == []
    [(path, line, severity, message, _)] = found_by(NP102_REFILLED_EACH_CALL_POSITIVE, "NP102")
    assert (path, line, severity) == ("billing/views.py", 6, "high")
    assert message == ("`state_of()` is called once per item of the loop at line 6 and reaches a query: state_of -> client_states "
                       "-> `Client.objects.all` (billing/states.py:22)")

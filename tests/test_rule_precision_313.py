"""Rounds 313 to 330 (issue 15, stop 79): each cause fixed this stop, with the twin that keeps its finding."""

from rule_cases import found_by as _found_by

from mcp_server.analysis.pattern_money import HINT_LOWERED
from mcp_server.analysis.words import RATE_LOWERED, is_rate
from mcp_server.rules import schemas_and_rates_examples as sr


def found_by(example, rule):
    """What `rule` finds on a rule example: a module's source (scanned as app.py) or files by path."""
    return _found_by(example if isinstance(example, dict) else {"app.py": example}, rule)


def test_a_rate_declared_a_float_is_low_and_an_amount_is_not():
    assert [f[:4] for f in found_by(sr.PF701_RATE_COLUMN, "PF701")] == [
        ("app.py", 13, "low", "`vat_rate` is declared as a `Float` column" + RATE_LOWERED)]
    assert [f[:4] for f in found_by(sr.PF701_AMOUNT_COLUMN, "PF701")] == [
        ("app.py", 13, "high", "`discount_amount` is declared as a `Float` column: the ORM reads it into binary floats, whatever the database column is")]
    assert [f[:4] for f in found_by(sr.PF701_RATE_PARAMETER, "PF701")] == [
        ("app.py", 4, "low", "parameter `aliquota_iva` is typed `float`" + RATE_LOWERED)]


def test_which_names_are_rates():
    assert [is_rate(n) for n in ("vat_rate", "icms_rate", "aliquota_iva", "interestRate", "tax_rates")] == [True] * 5
    assert [is_rate(n) for n in ("rate_amount", "total_rate_value", "unit_price", "tax", "hourly_fee")] == [False] * 5


def test_a_schemas_float_type_hint_is_low():
    assert [f[:4] for f in found_by(sr.PF701_SCHEMA_HINT, "PF701")] == [
        ("app.py", 8, "low", "`subtotal_amount` stores money as a `float` annotation; so do 1 more of `InvoiceOut`'s fields: `tax_amount`"
                             + HINT_LOWERED)]


def test_a_float_compared_with_a_whole_number_decides_nothing_a_decimal_would_not():
    assert found_by(sr.PF701_AGAINST_WHOLE_NUMBERS, "PF701") == []
    assert [f[:4] for f in found_by(sr.PF701_AGAINST_CENTS, "PF701")] == [
        ("billing/views.py", 17, "high", "`float(invoice.total_amount)` turns money into a binary float")]


def test_a_statement_after_a_schema_switch_is_no_repeated_lookup_but_still_a_query_per_tenant():
    assert found_by(sr.PF301_PER_TENANT_SCHEMA, "PF301") == []
    assert [f[:4] for f in found_by(sr.PF301_PER_TENANT_SCHEMA, "NP101")] == [
        ("accounts/tokens.py", 10, "high", "`db.execute` runs a query once per item of the loop at line 8")]
    assert [f[:4] for f in found_by(sr.PF301_SAME_SCHEMA, "PF301")] == [
        ("accounts/tokens.py", 9, "medium", "`db.execute` is called with the same arguments on every iteration of the loop at line 8")]


def test_a_back_end_its_own_folders_dockerfile_deploys_is_an_application():
    unused = ("; nothing in the project names `overdue_totals()` but its definition, its tests and imports (no call, schedule or "
              "setting), so it looks unused")
    query = "`conn.execute` runs a query once per item of the loop at line 4"
    assert [f[:4] for f in found_by(sr.NP101_BACKEND_FOLDER_DEPLOYED, "NP101")] == [("backend/ledger/reports.py", 5, "low", query + unused)]
    assert [f[:4] for f in found_by(sr.NP101_TOOL_FOLDER_BUILT, "NP101")] == [("backend/ledger/reports.py", 5, "high", query)]


def test_which_folders_deploy_a_service():
    from mcp_server.analysis.suffixes import code_folders, deploys_service

    folders = code_folders(["backend/app/main.py", "docs/conf.py", "tools/x.sh", "manage.py"])
    assert folders == {"backend", "docs"}
    assert [deploys_service(rel, folders) for rel in ("backend/Dockerfile", "docs/Dockerfile", "tools/Dockerfile",
                                                      "backend/deploy/Dockerfile", "Dockerfile")] == [True, False, False, False, True]


def test_a_serializers_method_for_a_field_it_no_longer_declares_runs_for_nobody():
    unused = ("; nothing in the project names `EntitySerializer.get_metadata()` but its definition and imports (no call, schedule "
              "or setting), so it looks unused")
    inner = ('`identity.language.name` loads Identity.language once per row in the loop at line 10: the queryset at '
             'archive/serializers.py:10 has no select_related("language"); the loop walks related rows of one object, often a '
             'handful, so it matters when that object has many')
    assert [f[:4] for f in found_by(sr.NP103_METHOD_FIELD_COMMENTED_OUT, "NP103")] == [("archive/serializers.py", 10, "low", inner + unused)]
    assert [f[:4] for f in found_by(sr.NP103_METHOD_FIELD_DECLARED, "NP103")] == [
        ("archive/serializers.py", 10, "low", inner),
        ("archive/serializers.py", 10, "high", '`obj.identities` loads Entity.identities once per row in the loop at line 8: the queryset at '
                                               'archive/views.py:8 has no prefetch_related("identities") (serialising each row reads '
                                               '`return [identity.language.name for identity in obj.identities.all()]`)')]


def test_a_serializers_method_its_own_methods_call_is_not_judged_unused():
    [(path, line, severity, message, _fix)] = found_by(sr.NP103_METHOD_CALLED_BY_A_HOOK, "NP103")
    assert (path, line, severity) == ("archive/serializers.py", 16, "low") and "looks unused" not in message


def test_first_of_prefetched_ordered_model_rows_reads_the_prefetch():
    assert found_by(sr.NP103_ORDERED_MODEL_FIRST, "NP103") == []
    assert [f[:4] for f in found_by(sr.NP103_OWN_META_FIRST, "NP103")] == [
        ("library/views.py", 5, "high", "`d.parts.first()` runs a query per Document in the loop at line 5: `.parts.first()` queries "
                                        "even when the relation is prefetched")]


def test_a_branch_for_update_or_partial_update_is_not_the_lists():
    from mcp_server.analysis.actions import for_list
    import ast

    assert found_by(sr.NP103_UPDATE_ACTIONS, "NP103") == []
    assert [f[:3] for f in found_by(sr.NP103_UPDATE_OR_LIST, "NP103")] == [("journals/views.py", 21, "high")]
    tests = ['self.action == "update" or self.action == "partial_update"', 'self.action == "update" or self.action == "list"',
             'self.action == "list" and self.action != "create"', 'self.action == "update" or flag']
    assert [for_list(ast.parse(t, mode="eval").body) for t in tests] == [False, True, True, None]


def test_a_generic_list_views_own_get_answering_with_values_serialises_no_list():
    assert found_by(sr.NP103_OWN_GET_ANSWERS, "NP103") == []
    assert [f[:4] for f in found_by(sr.NP103_OWN_GET_HANDS_ON, "NP103")] == [
        ("scores/serializers.py", 10, "high", '`obj.deal` loads DealScore.deal once per row in the loop at line 9: the queryset at '
                                              'scores/views.py:9 has no select_related("deal") (serialising each row reads `return obj.deal.name`)')]


def test_a_queryset_rebound_in_a_loop_and_read_after_it_runs_once():
    assert found_by(sr.NP101_REBOUND_READ_AFTER, "NP101") == []
    assert [f[:4] for f in found_by(sr.NP101_REBOUND_READ_IN_THE_LOOP, "NP101")] == [
        ("arc/export.py", 14, "medium", "`Reference.objects.filter` runs a query once per item of the loop at line 10; the loop walks the "
                                        "rows of one application, often a handful, so it matters when that object has many")]


def test_a_field_named_as_a_lookup_does_not_stop_the_scan():
    assert found_by(sr.PF201_PER_COMMUNE_AND_DATE, "PF201") == []  # (raised IndexError before, failing the module)
    assert [f[:3] for f in found_by(sr.PF201_PER_DATE, "PF201")] == [("stats/models.py", 16, "medium")]

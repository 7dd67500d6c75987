"""Rounds 184 to 186: each cause of a false, useless or incomplete finding judged on real applications, as an exact case."""

from mcp_server.analysis.pattern_money import HINT_LOWERED
from rule_cases import found_by, swapped

_CURATED = ("; the loop walks the rows of TaxRate, which staff keep in the admin: no code of the project creates one, so it is "
            "listed at low; give `table_rows` for `taxes_taxrate` to raise it when yours holds many")
_QUERY = "`InvoiceTax.objects.filter` runs a query once per item of the loop at line 9"


def test_a_loop_over_a_table_only_staff_fill_in_the_admin_is_low():
    from mcp_server.rules import curated_examples as cx

    for files in (cx.NP101_CURATED_LOWERED, cx.NP101_CURATED_READ_ONLY_LOWERED):
        assert [(p, line, sev, msg) for p, line, sev, msg, _fix in found_by(files, "NP101")] == [
            ("taxes/views.py", 10, "low", _QUERY + _CURATED)]


def test_anything_that_may_create_the_rows_keeps_the_loop_reported():
    from mcp_server.rules import curated_examples as cx

    created = [cx.NP101_CURATED_FORM_POSITIVE, cx.NP101_CURATED_API_POSITIVE,
               # a view creates one, or gets one created
               swapped(cx.NP101_CURATED_LOWERED, "    return JsonResponse({\"id\": Client", "    TaxRate(name=\"ISS\", percent=5).save()\n"
                                                                                           "    return JsonResponse({\"id\": Client"),
               swapped(cx.NP101_CURATED_LOWERED, "    client = Client", "    TaxRate.objects.get_or_create(name=\"ISS\", percent=5)\n    client = Client"),
               # not registered in the admin: nothing says staff keep it
               swapped(cx.NP101_CURATED_LOWERED, "[Client, TaxRate]", "[Client]")]
    for files in created:
        assert [(p, line, sev, msg) for p, line, sev, msg, _fix in found_by(files, "NP101")] == [("taxes/views.py", 10, "high", _QUERY)]


def test_a_project_that_shows_too_few_of_its_writes_says_nothing_of_its_tables():
    from mcp_server.rules import curated_examples as cx

    # two models created: the third (the invoice's taxes) is made elsewhere, so the absence of TaxRate's creation means nothing
    few = swapped(cx.NP101_CURATED_LOWERED, "    invoice.taxes.create(rate_id=request.POST[\"rate\"], amount=request.POST[\"tax\"])\n", "")
    assert [(line, sev) for _p, line, sev, _m, _f in found_by(few, "NP101")] == [(10, "high")]
    # a table size the user gives raises it again
    from mcp_server.analysis.scan import scan_sources

    found = scan_sources(cx.NP101_CURATED_LOWERED, select=["NP101"], table_rows={"taxes_taxrate": 30_000}).findings
    assert [(f.location.line, f.severity.value) for f in found] == [(10, "high")]


def test_a_row_or_key_resolver_handed_rows_through_a_helper_queries_nothing():
    from mcp_server.rules import own_instance_examples as ox

    assert found_by(ox.NP102_ROW_OR_KEY_ROW_PASSED, "NP102") == []
    # the early-return spelling of the same resolver
    early = swapped(ox.NP102_ROW_OR_KEY_ROW_PASSED, "            return heat_or_id\n        else:\n            return self.session",
                    "            return heat_or_id\n        return self.session")
    assert found_by(early, "NP102") == []
    [(path, line, severity, message, _fix)] = found_by(ox.NP102_ROW_OR_KEY_KEY_PASSED, "NP102")
    assert (path, line, severity) == ("races/store.py", 21, "medium")
    assert message.startswith("`clear_results()` is called once per item of the loop at line 20 and reaches a query: "
                              "clear_results -> resolve_heat -> `session.get` (races/store.py:12)")


def test_a_lookup_of_what_the_loop_saves_through_cls_is_no_repeated_lookup():
    from mcp_server.rules import changing_answers_examples as cx

    def pf301(source):
        return [(line, sev, msg) for _p, line, sev, msg, _f in found_by({"pay/__init__.py": "", "pay/models.py": source}, "PF301")]

    assert pf301(cx.PF301_OWN_CLASS_SAVED_NEGATIVE) == []
    assert pf301(cx.PF301_OTHER_MODEL_SAVED_POSITIVE) == [
        (20, "medium", "`Transaction.query.first` is called with the same arguments on every iteration of the loop at line 19")]
    assert pf301(cx.PF301_UNLOCK_NEGATIVE) == []
    assert pf301(cx.PF301_STATUS_ASKED_AGAIN_POSITIVE) == [
        (6, "medium", "`connection.execute` is called with the same arguments on every iteration of the loop at line 5")]


def test_an_order_picked_from_the_codes_own_fragments_is_no_injection():
    from mcp_server.rules import sql_formatting_examples as sx

    picked, asked = sx._ORDER_PICKED.format(picked="clause"), sx._ORDER_PICKED.format(picked="order_by")
    assert picked in sx.PF601_NEGATIVE and asked in sx.PF601_POSITIVE
    assert found_by({"billing/__init__.py": "", "billing/report.py": picked}, "PF601") == []
    [(path, line, severity, message, _fix)] = found_by({"billing/__init__.py": "", "billing/report.py": asked}, "PF601")
    assert (path, line, severity) == ("billing/report.py", 8, "high")
    assert message == ("the statement is built by string formatting from `order_by` and run as SQL; these look like identifiers "
                       "(table or column names), which bound parameters cannot carry")


def test_a_generic_relation_a_serializer_lists_is_a_read_only_field():
    from mcp_server.rules import generic_relation_examples as gx

    assert found_by(gx.NP103_GENERIC_RELATION_LISTED_NEGATIVE, "NP103") == []
    [(path, line, severity, message, _fix)] = found_by(gx.NP103_REVERSE_KEY_LISTED_POSITIVE, "NP103")
    assert (path, line, severity) == ("billing/api.py", 7, "high")
    assert message.startswith("`obj.payments` loads Invoice.payments once per row in the loop at line 19")


def test_a_rows_empty_column_filled_from_a_service_and_saved_is_fetched_once_per_row_ever():
    from mcp_server.rules import remote_calls_examples as rx

    assert found_by(rx.NP105_COLUMN_FILLED_ONCE, "NP105") == []
    [(path, line, severity, message, _fix)] = found_by(rx.NP105_COLUMN_NEVER_SAVED, "NP105")
    assert (path, line, severity) == ("papers/views.py", 15, "high")
    assert message.startswith("`journal_of()` is called once per item of the loop at line 13 and reaches a remote call")
    # `is None` tests the column the same way
    assert found_by(swapped(rx.NP105_COLUMN_FILLED_ONCE, "if not paper.journal:", "if paper.journal is None:"), "NP105") == []


def test_eager_loading_through_a_cast_for_the_type_checker_is_still_eager_loading():
    from mcp_server.rules import loader_variants_examples as lx

    assert found_by(lx.NP104_LOADER_VARIANT_NEGATIVE[-1], "NP104") == []
    [(path, line, severity, message, _fix)] = found_by(lx.NP104_LOADER_VARIANT_POSITIVE[-1], "NP104")
    assert (path, line, severity) == ("shop/report.py", 11, "high")
    assert message.startswith("`client.invoices` is lazy-loaded once per Client in the loop at line 11")


def test_a_file_a_tool_generated_is_low_saying_the_change_belongs_in_the_generator():
    from mcp_server.analysis.unused import generated_by
    from mcp_server.rules import money_examples as mx

    assert [(p, line, sev, msg) for p, line, sev, msg, _f in found_by(mx.PF701_GENERATED_LOWERED, "PF701")] == [
        ("client/models.py", 12, "low", "`amountDue` stores money as a `float` annotation" + HINT_LOWERED)]
    # (a type hint is `low` wherever it is written, stop 79: the first reason is the one given)
    assert [(p, line, sev) for p, line, sev, _m, _f in found_by(mx.PF701_WRITTEN_BY_HAND, "PF701")] == [("client/models.py", 10, "low")]
    assert generated_by(["# -*- coding: utf-8 -*-", "# Generated by the protocol buffer compiler.  DO NOT EDIT!"]) == \
        "# Generated by the protocol buffer compiler.  DO NOT EDIT!"
    # Django's migrations say so too, and their own policy reads them; a comment further down says nothing of the file
    assert generated_by(["# Generated by Django 4.2 on 2024-01-01 10:00", "from django.db import migrations"]) == ""
    assert generated_by(["import os", "", "", "", "", "# generated by hand-written script below"]) == ""


def test_a_remote_call_written_in_a_loop_that_pauses_after_each_is_spaced_on_purpose():
    from mcp_server.rules import handful_examples as hx

    assert [(p, line, sev, msg) for p, line, sev, msg, _f in found_by(hx.NP105_PAUSED_HERE_LOWERED, "NP105")] == [
        ("movers/sync.py", 16, "low", "`requests.post` runs a remote call once per item of the loop at line 12; the loop pauses on every "
         "item (`time.sleep`, line 17), spacing the calls on purpose, so running them together would defeat it")]
    assert [(p, line, sev) for p, line, sev, _m, _f in found_by(hx.NP105_UNPAUSED_HERE_KEPT, "NP105")] == [("movers/sync.py", 16, "high")]


def test_a_commit_of_the_session_each_item_opens_is_that_items_own_unit_of_work():
    from mcp_server.rules import commits_examples as cx

    assert found_by({"app.py": cx.PF202_SESSION_PER_ITEM}, "PF202") == []
    assert [(p, line, sev, msg) for p, line, sev, msg, _f in found_by({"app.py": cx.PF202_ONE_SESSION}, "PF202")] == [
        ("app.py", 6, "medium", "`session.commit()` on every iteration of the loop at line 4: one transaction (and one disk sync) per row")]
    assert [(line, sev) for _p, line, sev, _m, _f in found_by({"app.py": cx.PF202_SESSION_WITHOUT_HANDLER}, "PF202")] == [(6, "medium")]


def test_a_template_only_an_unrouted_view_renders_is_low():
    from mcp_server.rules import unrouted_template_examples as ux

    query = ('`invoice.client.name` loads Invoice.client once per row in the loop at line 1: the queryset at billing/views.py:7 has '
             'no select_related("client")')
    assert [(p, line, sev, msg) for p, line, sev, msg, _f in found_by(ux.NP107_UNROUTED_VIEW_LOWERED, "NP107")] == [
        ("billing/templates/billing/list.html", 1, "low", query + "; nothing in the project names `invoice_list()` but its definition "
         "and imports (no call, schedule or setting), so it looks unused")]
    assert [(p, line, sev, msg) for p, line, sev, msg, _f in found_by(ux.NP107_ROUTED_VIEW_KEPT, "NP107")] == [
        ("billing/templates/billing/list.html", 1, "high", query)]


def test_a_call_that_sends_or_a_query_handed_on_is_no_lookup_to_hoist():
    from mcp_server.rules import changing_answers_examples as cx

    def pf301(source):
        return [(line, sev, msg) for _p, line, sev, msg, _f in found_by({"app.py": source}, "PF301")]

    assert pf301(cx.PF301_POST_EACH_NEGATIVE) == []
    assert pf301(cx.PF301_GET_EACH_POSITIVE) == [
        (12, "medium", "`to_channel()` looks up by `channel` on every iteration of the loop at line 10 and reaches a remote call: "
                       "to_channel -> `requests.get` (app.py:6); there are few distinct values of `channel`, so the same rows are "
                       "fetched again and again")]
    assert pf301(cx.PF301_QUERY_HANDED_BACK_NEGATIVE) == []
    assert pf301(cx.PF301_QUERY_RUN_IN_HELPER_POSITIVE) == [
        (14, "medium", "`_query()` is called with the same arguments on every iteration of the loop at line 14 and reaches a query: "
                       "_query -> `session.query` (app.py:11)")]


def test_a_serializers_float_field_hands_money_out_and_stores_nothing():
    from mcp_server.rules import money_examples as mx

    assert [(p, line, sev, msg) for p, line, sev, msg, _f in found_by(mx.PF701_SERIALIZER_FIELD_LOWERED, "PF701")] == [
        ("billing/api.py", 11, "low", "`amount_due` is a serializer's `FloatField`: it stores nothing and hands the value out as a "
         "number, so it is money handed out")]
    assert [(p, line, sev, msg) for p, line, sev, msg, _f in found_by(mx.PF701_MODEL_FIELD_KEPT, "PF701")] == [
        ("billing/api.py", 11, "high", "`amount_due` stores money as a `FloatField`")]


def test_a_handler_an_openapi_document_routes_to_is_used():
    from mcp_server.analysis.openapi_specs import routed
    from mcp_server.rules import openapi_examples as ox

    query = "`session.get` runs a query once per item of the loop at line 9"
    for files in (ox.NP101_ROUTED_BY_SPEC, ox.NP101_ROUTED_BY_CONTROLLER):
        assert [(p, line, sev, msg) for p, line, sev, msg, _f in found_by(files, "NP101")] == [("billing/handlers.py", 9, "high", query)]
    assert [(p, line, sev, msg) for p, line, sev, msg, _f in found_by(ox.NP101_NAMED_BY_NOTHING, "NP101")] == [
        ("billing/handlers.py", 9, "low", query + "; nothing in the project names `list_invoices()` but its definition and imports "
         "(no call, schedule or setting), so it looks unused")]
    assert routed('paths:\n  /a:\n    get:\n      x-openapi-router-controller: "api.items"\n      operationId: "search"\n'
                  '    post:\n      operationId: api.other.create\n') == {"api.items.search", "api.other.create"}
    assert routed("operationId: search\n") == frozenset()  # a bare name with no controller names no module


def test_an_accessor_two_models_share_is_the_one_its_receiver_is_named_for():
    from mcp_server.rules import named_owner_examples as nx

    assert found_by(nx.NP103_NAMED_OWNER_NEGATIVE, "NP103") == []
    [(path, line, severity, message, _fix)] = found_by(nx.NP103_UNNAMED_OWNER_POSITIVE, "NP103")
    assert (path, line, severity) == ("shifts/forms.py", 9, "medium")
    assert message.startswith("`shift.job` loads Shift.job once per row in the loop at line 8: the queryset at shifts/forms.py:8 has no "
                              'select_related("job")')

"""Findings judged false or not worth anyone's time on applications nobody here had read (stop 37: round 44), each
cause fixed, exact."""

from mcp_server.analysis.scan import scan_sources
from mcp_server.rules import all_rules
from mcp_server.rules.one_off_examples import ONE_OFF_NEGATIVE, ONE_OFF_POSITIVE
from rule_cases import example, found_after


def _found(files):
    return [(f.rule, f.location.line) for f in scan_sources(files).findings]


def _found_at(files):
    return [(f.rule, f.location.line, f.severity.value) for f in scan_sources(files).findings]


def test_a_rows_method_behind_argcaches_shared_cache_decorators_is_not_a_query_per_row():
    # ESP's `@cache_function` on Program.getTimeSlotList and ClassSection.get_meeting_times, and
    # `@cache_function_for(60*60*24)` on current_programs (5 judged false): memcached, keyed by the row
    cached = example(all_rules()["NP102"].negative, "cache_function_for(60 * 60 * 24)")
    path = "billing/models.py"
    assert _found(cached) == []
    assert found_after(cached, path, "    @cache_function\n", "") == [("NP103", 6)]
    assert found_after(cached, path, "    @cache_function_for(60 * 60 * 24)\n", "") == [("NP103", 6)]
    # kept for seconds only: cold again at the next page view
    assert found_after(cached, path, "cache_function_for(60 * 60 * 24)", "cache_function_for(10)") == [("NP103", 6)]


def test_a_link_built_from_the_primary_key_does_not_load_the_related_row():
    # Silver's plan serializer: `provider = HyperlinkedRelatedField(view_name=..., read_only=True)` (judged false)
    links = example(all_rules()["NP103"].negative, "class InvoiceLinks")
    path = "billing/views.py"
    assert _found(links) == []
    # a link looked up by another field reads that field of the related row
    assert found_after(links, path, 'read_only=True)', 'read_only=True, lookup_field="number")') == [("NP103", 5)]
    assert found_after(links, path, 'read_only=True)', 'read_only=True, lookup_field="pk")') == []


def test_scripts_in_a_folder_named_for_them_and_south_migrations_run_once():
    # ESP's `useful_scripts/` (6 judged RARE) and HyperKitty's `south_migrations/` (judged RARE)
    scripts = next(e for e in ONE_OFF_NEGATIVE if "billing/useful_scripts/merge_clients.py" in e)
    south = example(ONE_OFF_NEGATIVE, "from south.v2 import DataMigration")
    assert _found(scripts) == [] and _found(south) == []
    moved = {("billing/tools/merge_clients.py" if p.endswith("merge_clients.py") else p): v for p, v in scripts.items()}
    assert _found(moved) == [("NP101", 5)]
    # without its import, the folder's name still says what it is (one_off._MIGRATION_DIR); elsewhere, it is reported
    assert found_after(south, "billing/south_migrations/0007_client_names.py", "from south.v2 import DataMigration\n", "") == []
    unnamed = {("billing/legacy/0007_client_names.py" if "south_migrations" in p else p): v for p, v in south.items()}
    assert found_after(unnamed, "billing/legacy/0007_client_names.py", "from south.v2 import DataMigration\n", "") == [("NP101", 5)]
    # a folder whose name only ends in "scripts" (`transcripts/`) is the application's code
    assert _found(next(e for e in ONE_OFF_POSITIVE if "billing/transcripts/export.py" in e)) == [("NP101", 5)]


def test_a_property_that_returns_what_the_querysets_annotation_set_runs_no_query():
    # Hitas's `HousingCompany.completion_date`: `if hasattr(self, "_completion_date"): return self._completion_date`
    # over companies annotated with `_completion_date` (4 NP102 judged false)
    annotated = example(all_rules()["NP102"].negative, 'if hasattr(self, "_open_total")')
    path = "billing/views.py"
    assert _found(annotated) == []
    # rows annotated with another name reach the query through the property, once per row
    assert found_after(annotated, path, "annotate(_open_total=", "annotate(unpaid=") == [("NP102", 8)]


def test_a_serializer_count_that_reads_the_annotation_first_runs_no_query():
    # Hitas's `get_apartment_count`: `getattr(instance, "apartment_count", None)` before `.count()` (judged false)
    counted = example(all_rules()["NP103"].negative, 'getattr(instance, "invoice_count", None)')
    path = "billing/views.py"
    assert _found(counted) == []
    assert found_after(counted, path, "annotate(invoice_count=", "annotate(n_invoices=") == [("NP103", 18)]
    # the guard on another name than the annotation's does not answer it
    assert found_after(counted, path, 'getattr(instance, "invoice_count", None)', 'getattr(instance, "cached_count", None)') == [("NP103", 18)]
    # after an early exit of its own (MITx Online's `if not obj.is_upgradable: return None`), the answer still comes first
    early = counted[path].replace('        count = getattr(instance, "invoice_count", None)',
                                  '        if instance.pk is None:\n            return 0\n        count = getattr(instance, "invoice_count", None)')
    assert _found({**counted, path: early}) == []


def test_a_base_test_case_kept_beside_library_code_is_test_support():
    # AirOne's `airone/lib/test.py`, `class AironeTestCase(TestCase)` (judged RARE in round 45)
    case = next(e for e in ONE_OFF_NEGATIVE if "billing/lib/test.py" in e)
    assert _found(case) == []
    assert found_after(case, "billing/lib/test.py", "from django.test import TestCase", "from billing.base import TestCase") == [("NP101", 7)]


def _unpaid(report):
    from mcp_server.fixes.orm import _UNPAID
    from mcp_server.rules.row_examples import ROW_MODELS
    return {"shop/__init__.py": "", "shop/models.py": ROW_MODELS, "shop/queries.py": _UNPAID, "shop/report.py": report}


def test_the_fix_goes_on_the_loops_call_of_a_query_helper_other_code_shares():
    # Open Humans' `filter_active()` (four callers) and TeamVault's `with_expiry_state()`: the judges put the prefetch
    # in the list view's own call, not in the helper, where every caller would load what only this loop reads
    from mcp_server.fixes.orm import _UNPAID_REPORT
    [f] = scan_sources(_unpaid(_UNPAID_REPORT)).findings
    assert (f.rule, f.location.line, f.data["path"], f.data["line"], f.data["helper"]) == ("NP103", 5, "shop/report.py", 5, "unpaid")
    assert f.suggestion == ('Add `.select_related("client")` to the queryset at shop/report.py:5. The query is built in '
                            "`unpaid()`, which other code calls too: loading the relation there would load it for every caller.")
    # the loop's rows the helper's only call: the fix stays where the query is built
    [alone] = scan_sources(_unpaid(_UNPAID_REPORT.split("\n\n\ndef how_many")[0] + "\n")).findings
    assert (alone.data["path"], alone.data["line"], "helper" in alone.data) == ("shop/queries.py", 5, False)
    assert alone.suggestion == 'Add `.select_related("client")` to the queryset at shop/queries.py:5.'
    # a helper that hands back a list (or a slice) takes no queryset method at its call: the fix stays in the helper
    listed = _unpaid(_UNPAID_REPORT)
    listed["shop/queries.py"] = listed["shop/queries.py"].replace("return Invoice.objects.filter(total__gt=0)",
                                                                  "return list(Invoice.objects.filter(total__gt=0))")
    [kept] = scan_sources(listed).findings
    assert (kept.data["path"], kept.data["line"], "helper" in kept.data) == ("shop/queries.py", 5, False)


def test_a_delete_called_on_a_manager_writes_nothing_per_row():
    # eventoL's `Contact.objects.delete(a_contact)` per contact: AttributeError on the first (2 PF201 judged false)
    purge = example(all_rules()["PF201"].negative, "Invoice.objects.delete(inv)")
    path = "billing/cleanup.py"
    assert _found(purge) == []
    assert found_after(purge, path, "Invoice.objects.delete(inv)", "Invoice.objects.filter(pk=inv.pk).delete()") == [("PF201", 5)]


def test_a_module_its_docstring_marks_deprecated_is_kept_for_reference():
    # Helios's `load_voter_files` ("DEPRECATED" in its docstring since 2010, run by nothing: 3 findings judged false)
    old = next(e for e in ONE_OFF_NEGATIVE if "billing/voter_files.py" in e)
    assert _found(old) == []
    assert found_after(old, "billing/voter_files.py", "DEPRECATED\n", "") == [("NP101", 8)]
    # a docstring that only mentions something else deprecated marks nothing
    assert _found(next(e for e in ONE_OFF_POSITIVE if "the deprecated v1 lookup" in "".join(e.values()))) == [("NP101", 6)]


def test_a_query_only_for_rows_without_what_the_view_prefetched_into_them_does_not_run():
    # MITx Online's `active_contracts` (`self._active_contracts if hasattr(...) else self.contracts.filter(...)`) and
    # `is_upgradable` (`if hasattr(self, "prefetched_enrollment_modes"): ... else: ...filter(...)`): 3 NP103 judged false
    prefetched = example(all_rules()["NP103"].negative, 'to_attr="_unpaid"')
    path = "billing/views.py"
    assert _found(prefetched) == []
    # prefetched under other names, the properties query once per row
    assert found_after(prefetched, path, 'to_attr="_unpaid"', 'to_attr="unpaid_list"') == [("NP103", 11)]
    assert found_after(prefetched, path, 'to_attr="paid_invoices"', 'to_attr="paid_list"') == [("NP103", 11)]


def test_a_serializer_branch_for_a_context_key_the_list_view_never_gives_does_not_run():
    # Bootcamp's `if self.context.get("include_page") is True:` and MITx Online's `include_programs` (judged false)
    branch = example(all_rules()["NP103"].negative, 'self.context.get("with_client")')
    path = "billing/views.py"
    assert _found(branch) == []
    # the view adding that key to its context: the client is loaded once per row
    with_key = branch[path] + ('\n\n    def get_serializer_context(self):\n'
                               '        return {**super().get_serializer_context(), "with_client": True}\n')
    assert _found({**branch, path: with_key}) == [("NP103", 15)]
    # a branch on a key DRF's views always give (`"request" in self.context`: WebODM's project owner, judged T) runs
    on_request = branch[path].replace('self.context.get("with_client")', '"request" in self.context')
    assert _found({**branch, path: on_request}) == [("NP103", 15)]


def test_a_bulk_insert_of_the_models_own_column_names_is_not_sql_from_outside():
    # OpenCodelists' and OpenPrescribing's dm+d import: `[f.db_column or f.name for f in model._meta.fields]` (2 PF601 F)
    insert = example(all_rules()["PF601"].negative, "f.db_column or f.name")
    path = "ledger/bulk.py"
    assert _found({path: insert}) == []
    # names a caller hands in are text from outside
    assert found_after({path: insert}, path, "for f in model._meta.fields if", "for f in columns if") == [("PF601", 8)]


def test_a_connection_handed_to_the_object_a_class_method_builds_stays_open_on_purpose():
    # OpenPrescribing's `MatrixStore.from_file`: `return cls(connection, filename=filename)` (PF501 judged a wrong fix)
    store = example(all_rules()["PF501"].negative, "return cls(connection, name=path)")
    path = "ledger/store.py"
    assert _found({path: store}) == []
    assert found_after({path: store}, path, "return cls(connection, name=path)", "return path") == [("PF501", 9)]


def test_a_query_after_the_rows_prefetch_cache_was_read_runs_only_for_rows_without_it():
    # OpenCodelists' `current_handle`: `if "handles" in self._prefetched_objects_cache: return ...` before
    # `self.handles.filter(is_current=True).get()`, over organisations prefetched with "handles" (NP103 judged false)
    files = example(all_rules()["NP103"].negative, '"invoices" in self._prefetched_objects_cache')
    assert _found(files) == []
    assert found_after(files, "billing/views.py", 'prefetch_related("invoices")', "all()") == [("NP103", 6)]


def test_a_text_split_into_pairs_is_not_a_file_walked_by_lines():
    # Zeus's OAuth exchange: `data = response.read()`, then `for item in data.split('&')` (PF401 judged a wrong fix)
    pairs = example(all_rules()["PF401"].negative, 'data.split(b"&")')
    path = "ledger/oauth.py"
    assert _found({path: pairs}) == []
    # split into its lines, it is what a file walked line by line gives: reported
    assert found_after({path: pairs}, path, 'data.split(b"&")', 'data.split(b"\\n")') == [("PF401", 6)]


def test_the_lines_of_an_in_memory_buffer_are_not_a_file_read_whole():
    # ArchiveBox's `out = StringIO()` filled by `call_command(..., stdout=out)`, then `out.readlines()` (2 PF401 F)
    buffered = example(all_rules()["PF401"].negative, "out = StringIO()")
    path = "ledger/migrations_report.py"
    assert _found({path: buffered}) == []
    # a log file read whole instead: reported
    assert ("PF401", 8) in found_after({path: buffered}, path, "out = StringIO()", 'out = open("migrations.log")')


def test_awaiting_a_coroutine_that_never_waits_is_not_a_sequential_wait():
    # ArchiveBox's `await self.enqueue_snapshot(snapshot_id)` per snapshot: its body only calls `asyncio.create_task`
    runner = example(all_rules()["PF802"].negative, "async def enqueue(self, job_id):")
    path = "ledger/runner.py"
    assert _found({path: runner}) == []
    # a coroutine that waits for the job: one wait after another
    assert found_after({path: runner}, path, "        self.tasks[job_id] = asyncio.create_task(self.run(job_id))",
                       "        await self.run(job_id)") == [("PF802", 19)]

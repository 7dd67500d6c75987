"""Rounds 87 to 90 (issue 15): exact findings on what those rounds' applications showed (mcp_server/rules/intent_examples.py)."""

from mcp_server.analysis.batch_context import REQUEST_SIZED
from mcp_server.rules import intent_examples as ex
from rule_cases import HANDED_ON_FLOAT, STRUCTURE, found_by, swapped as _swap



def test_a_memo_whose_store_sits_in_the_else_of_its_hit_test_queries_once_per_key():
    assert found_by(ex.NP102_MEMO_IN_ELSE, "NP102") == []
    forgetful = _swap(ex.NP102_MEMO_IN_ELSE, "self.cache[email] = ", "found = ")
    [(path, line, severity, message, _fix)] = found_by(forgetful, "NP102")
    assert (path, line, severity) == ("journals/importer.py", 24, "high")
    assert message.startswith("`get_user()` is called once per item of the loop at line 24 and reaches a query")


def test_a_function_memoised_for_ten_minutes_runs_its_loop_on_a_cache_miss_only():
    [(path, line, severity, message, _fix)] = found_by(ex.NP101_MEMOISED, "NP101")
    assert (path, line, severity) == ("journals/context.py", 8, "low")
    assert message.endswith("; `@cache(600)` keeps the function's answer, so this runs only when that cache misses")
    # kept five minutes, its misses are a page's cost often enough: reported as written
    [(path, line, severity, message, _fix)] = found_by(ex.NP101_MEMOISED_BRIEFLY, "NP101")
    assert (path, line, severity) == ("journals/context.py", 8, "high")
    assert message == "`Setting.objects.count` runs a query once per item of the loop at line 8"


def test_an_installation_step_pays_its_per_row_cost_once():
    [(path, line, severity, message, _fix)] = found_by(ex.PF201_INSTALL, "PF201")
    assert (path, line, severity) == ("journals/plugin.py", 7, "low")
    assert "; it runs only from an installation step (`install()`), so the per-row cost is paid once" in message
    renamed = _swap(ex.PF201_INSTALL, "def install():", "def refresh_all():")
    [(path, line, severity, message, _fix)] = found_by(renamed, "PF201")
    assert (path, line, severity) == ("journals/plugin.py", 7, "high")


def test_a_script_named_for_the_versions_it_moves_between_is_an_upgrade_run_once():
    assert found_by(ex.NP101_UPGRADE_SCRIPT, "NP101") == []
    files = dict(ex.NP101_UPGRADE_SCRIPT)
    files["journals/upgrade/steps.py"] = files.pop("journals/upgrade/12_13.py")
    [(path, line, severity, _message, _fix)] = found_by(files, "NP101")
    assert (path, line, severity) == ("journals/upgrade/steps.py", 7, "high")


def test_a_function_that_says_it_is_deprecated_is_kept_for_old_callers():
    found = found_by(ex.NP101_DEPRECATED, "NP101")
    assert [(path, line, severity) for path, line, severity, _m, _f in found] == [
        ("journals/views.py", 13, "low"), ("journals/views.py", 18, "low")]
    assert found[0][3].endswith("; `elements()` says it is deprecated (its docstring, a comment above it, or a warning to its callers), kept for old callers")
    assert found[1][3].endswith("; `structure()` says it is deprecated (its docstring, a comment above it, or a warning to its callers), kept for old callers")
    current = _swap(_swap(ex.NP101_DEPRECATED, "Deprecated in version 1.5.1. ", ""), "will be deprecated", "is slow")
    assert [(line, severity) for _p, line, severity, _m, _f in found_by(current, "NP101")] == [(13, "high"), (18, "high")]


def test_a_commit_that_each_items_mail_relies_on_is_no_finding():
    files = {"app.py": ex.PF202_COMMIT_THEN_MAIL}
    assert found_by(files, "PF202") == []
    silent = _swap(files, "        send_reset_password_instructions(user)\n", "")
    [(path, line, severity, message, _fix)] = found_by(silent, "PF202")
    assert (path, line, severity) == ("app.py", 10, "medium")
    assert message.startswith("`session.commit()` on every iteration of the loop at line 7")


def test_a_call_on_an_object_the_loop_feeds_each_item_is_not_hoisted():
    assert found_by(ex.PF301_FED_RECEIVER, "PF301") == []
    unfed = _swap(ex.PF301_FED_RECEIVER, '            self.tag_importer.add_names(case, case["tags"])\n', "")
    [(path, line, severity, message, _fix)] = found_by(unfed, "PF301")
    assert (path, line, severity) == ("journals/importer.py", 25, "medium")
    assert message.startswith("`import_tags()` is called with the same arguments on every iteration of the loop at line 24")


def test_sql_from_a_fragment_repeated_per_status_and_the_rows_keys_is_no_injection():
    assert found_by(ex.PF601_REPEATED_FRAGMENT, "PF601") == []
    grown = _swap(ex.PF601_REPEATED_FRAGMENT, "] * len(states)", "] + states")
    [(path, line, severity, message, _fix)] = found_by(grown, "PF601")
    assert (path, line, severity) == ("journals/counts.py", 12, "low")  # the SELECT list's place: no parameter binds it
    assert message == "`sql` is built by string formatting from `','.join(cols)` and run as SQL" + STRUCTURE


def test_the_list_serialises_with_the_serializer_no_other_action_takes():
    assert found_by(ex.NP103_CREATE_SERIALIZER, "NP103") == []
    listed = _swap(ex.NP103_CREATE_SERIALIZER, "            return LicenseSerializer\n", "            return LicenseCreateSerializer\n")
    [(path, line, severity, message, _fix)] = found_by(listed, "NP103")
    assert (path, line, severity) == ("journals/views.py", 21, "high")
    assert message.startswith("`obj.plan` loads License.plan once per row in the loop at line 29")


def test_rows_out_of_a_sort_whose_key_read_a_relation_have_it_loaded():
    [(path, line, severity, message, _fix)] = found_by(ex.NP103_SORT_KEY, "NP103")
    assert (path, line, severity) == ("journals/views.py", 6, "medium")
    assert message.startswith("`lic.plan.expires` loads License.plan once per row in the loop at line 6")
    unsorted = _swap(ex.NP103_SORT_KEY, "key=lambda lic: lic.plan.expires, ", "")
    assert [(line, severity) for _p, line, severity, _m, _f in found_by(unsorted, "NP103")] == [(8, "medium")]


def test_rows_combined_by_union_take_their_eager_loading_before_it():
    [(path, line, severity, _message, fix)] = found_by(ex.NP103_UNION, "NP103")
    assert (path, line, severity) == ("journals/notify.py", 14, "high")
    assert fix == ('Add `.select_related("subscriber")` to each queryset combined into the one at journals/notify.py:9, before '
                   "`.union()` (or `.intersection()`, `.difference()`): Django allows neither after it.")
    single = _swap(ex.NP103_UNION, "    results = plain.union(staff)\n", "    results = plain\n")
    [(_p, _l, _s, _m, fix)] = found_by(single, "NP103")
    assert fix == 'Add `.select_related("subscriber")` to the queryset at journals/notify.py:9.'


def test_an_archive_read_or_a_temporary_file_dropped_at_the_return_is_closed_by_cpython_then():
    files = {"app.py": ex.PF501_READ_AND_DROPPED}
    found = found_by(files, "PF501")
    # (and since round 174 a plain file opened to read, dropped as the function returns: `first_line`)
    assert [(line, severity) for _p, line, severity, _m, _f in found] == [(7, "low"), (12, "low"), (18, "low")]
    assert found[0][3] == ("the file `archive` from `zipfile.ZipFile(...)` is never closed in this function; CPython closes it when "
                           "this function drops its last reference, so it stays open only until the function returns (longer on "
                           "PyPy, or when a reference cycle holds it)")
    assert found[2][3] == "the file `f` from `open(...)` is never closed in this function" + found[0][3].partition(" in this function")[2]
    # an archive opened to write: what it holds may not be on disk yet when its path is read back
    written = _swap(files, "zipfile.ZipFile(path)", 'zipfile.ZipFile(path, mode="a")')
    assert [(line, severity) for _p, line, severity, _m, _f in found_by(written, "PF501")] == [(7, "medium"), (12, "low"), (18, "low")]
    # handed back inside what it returns, the archive outlives the function
    handed = _swap(files, "    return archive.namelist()\n", "    return map(str, archive)\n")
    assert [(line, severity) for _p, line, severity, _m, _f in found_by(handed, "PF501")] == [(7, "medium"), (12, "low"), (18, "low")]


def test_a_command_declaring_option_list_never_runs_on_a_django_that_removed_it(tmp_path, monkeypatch):
    from mcp_server.config import load_config
    from mcp_server.tools.scan_performance import scan_performance

    [(path, line, severity, _message, _fix)] = found_by(ex.NP103_OPTION_LIST_COMMAND, "NP103")  # no Django version declared
    assert (path, line, severity) == ("journals/management/commands/import_plans.py", 14, "high")
    for rel, text in ex.NP103_OPTION_LIST_COMMAND.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    monkeypatch.delenv("CLAUDE_PROJECT_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    for pinned, expected in (("Django==1.9.13", "high"), ("Django==2.2.24", "low")):
        (tmp_path / "requirements.txt").write_text(pinned + "\n")
        report = scan_performance(rules=["NP103"], min_severity="low", config=load_config(tmp_path))
        [f] = report.findings
        assert (f.location.line, f.severity.value) == (14, expected), pinned
    assert f.message.endswith("; its command declares `option_list`, which Django 1.10 removed: on the Django the project declares "
                              "(2.2) it fails to load, so it never runs")


def test_a_viewsets_own_list_of_rows_it_queries_itself_takes_the_eager_loading():
    [(path, line, _severity, message, fix)] = found_by(ex.NP103_OWN_LIST_ROWS, "NP103")
    assert (path, line) == ("journals/views.py", 16)
    assert fix == 'Add `.select_related("plan")` to the queryset at journals/views.py:27.'
    # a list() that starts from get_queryset() is served by eager loading there
    classic = _swap(ex.NP103_OWN_LIST_ROWS, "License.objects.filter(user=request.user)", "self.get_queryset()")
    [(path, line, _severity, message, fix)] = found_by(classic, "NP103")
    assert fix == 'Add `.select_related("plan")` to the queryset at journals/views.py:23.'


def test_a_managers_method_nothing_names_is_unused():
    [(path, line, severity, message, _fix)] = found_by(ex.NP101_MANAGER_METHOD, "NP101")
    assert (path, line, severity) == ("journals/managers.py", 12, "low")
    assert message.endswith("; nothing in the project names `JournalManager.element_counts()` but its definition and imports (no call, "
                            "schedule or setting), so it looks unused")
    models = ex.NP101_MANAGER_METHOD["journals/models.py"] + "\n\ndef counts():\n    return Journal.objects.element_counts()\n"
    called = {**ex.NP101_MANAGER_METHOD, "journals/models.py": models}
    assert [(line, severity) for _p, line, severity, _m, _f in found_by(called, "NP101")] == [(12, "high")]


def test_a_viewset_routed_only_to_a_custom_action_on_one_row_lists_nothing():
    assert found_by(ex.NP103_CUSTOM_ACTION_ONLY, "NP103") == []
    listing = _swap(ex.NP103_CUSTOM_ACTION_ONLY, "        license = self.get_object()\n        license.delete()\n        return Response(status=204)\n",
                    "        return Response(self.get_serializer(self.get_queryset(), many=True).data)\n")
    [(path, line, severity, _message, _fix)] = found_by(listing, "NP103")
    assert (path, line, severity) == ("journals/views.py", 16, "high")


def test_what_a_branch_that_returns_reads_runs_once_whatever_its_elif_does():
    assert found_by(ex.NP103_MATCH_THEN_RETURN, "NP103") == []
    # without the return the branch still runs for the one row whose key matches (round 104's one_match.py)
    matched = _swap(ex.NP103_MATCH_THEN_RETURN, "            return lic\n", "")
    assert found_by(matched, "NP103") == []
    kept = _swap(matched, "if lic.pk == number:", "if lic.pk > number:")
    [(path, line, severity, message, _fix)] = found_by(kept, "NP103")
    assert (path, line, severity) == ("journals/views.py", 9, "high")
    assert message.startswith("`lic.plan.expires` loads License.plan once per row in the loop at line 7")


def test_related_rows_narrowed_under_a_name_query_anew_even_when_prefetched():
    [(path, line, severity, message, fix)] = found_by(ex.NP103_NARROWED_ALIAS, "NP103")
    assert (path, line, severity) == ("journals/packs.py", 11, "high")
    assert "`.element_set.filter()` queries even when the relation is prefetched" in message
    assert fix.startswith('Prefetch the subset once: `.prefetch_related(Prefetch("element_set", queryset=..., to_attr=...))`')
    # all of them, counted: a plain prefetch serves `.count()`
    plain = _swap(ex.NP103_NARROWED_ALIAS, '.filter(name__startswith="A").order_by("name")', ".all()")
    [(_p, _l, _s, _m, fix)] = found_by(plain, "NP103")
    assert fix.startswith('Add `.prefetch_related("element_set")` to the queryset at journals/packs.py:11.')


def test_an_attribute_named_only_total_is_no_money_a_local_total_of_money_is():
    files = {"app.py": ex.PF701_AMBIGUOUS_ATTRIBUTE}
    [(path, line, severity, message, _fix)] = found_by(files, "PF701")
    assert (path, line, severity, message) == ("app.py", 11, "low", "`float(total)` turns money into a binary float" + HANDED_ON_FLOAT)
    named = _swap(files, "float(c.total)", "float(c.amount)")
    assert [(line, message) for _p, line, _s, message, _f in found_by(named, "PF701")] == [
        (6, "`float(c.amount)` turns money into a binary float" + HANDED_ON_FLOAT),
        (11, "`float(total)` turns money into a binary float" + HANDED_ON_FLOAT)]

"""Rounds 181 and after, and causes stop 70 left open: each cause of a false, useless or incomplete finding judged on
real applications, as an exact case."""

from rule_cases import found_by


def test_a_list_view_naming_its_model_starts_from_the_default_managers_rows():
    from mcp_server.rules import view_model_examples as vm

    assert found_by(vm.NP107_VIEW_MODEL_NEGATIVE[0], "NP107") == []
    [(path, line, severity, message, fix)] = found_by(vm.NP107_VIEW_MODEL_POSITIVE[0], "NP107")
    assert (path, line, severity) == ("billing/templates/billing/invoices.html", 1, "high")
    assert message == ('`inv.client.name` loads Invoice.client once per row in the loop at line 1: the queryset at billing/views.py:10 '
                       'has no select_related("client")')
    assert fix == 'Add `.select_related("client")` to the queryset at billing/views.py:10.'


def test_a_function_other_modules_only_spell_looks_unused():
    from mcp_server.rules import spelled_examples as sx

    def exports(files):
        return [(line, severity, message) for path, line, severity, message, _fix in found_by(files, "NP103") if path == "ledger/exports.py"]

    # a model field, a keyword argument, a row's attribute, a message and a docstring spell `line_labels`; none calls it
    [(line, severity, message)] = exports(sx.NP103_SPELLED_ONLY_LOWERED)
    assert (line, severity) == (5, "low")
    assert message.endswith("nothing in the project names `line_labels()` but its definition and imports (no call, schedule or "
                            "setting), so it looks unused")
    # called through its module, after `import *`, or named by a schedule's task path
    for files in sx.NP103_SPELLED_CALLED_KEPT:
        [(line, severity, message)] = exports(files)
        assert (line, severity) == (5, "high") and "unused" not in message


def test_the_names_a_modules_code_could_call_a_function_by():
    import ast

    from mcp_server.analysis.facts import ModuleFacts
    from mcp_server.analysis.name_refs import is_migration, names_function, refs
    from mcp_server.analysis.unused_modules import module_refs

    source = '''from . import exports
from .tasks import close_books as close
total_due = 0
bill = Bill(paid_flag=True)
row.balance_text
row.recalculate()
exports.send_totals
getattr(exports, "refund_all")
run("billing.tasks.month_end")
print("could not compute overdue_sum")
'''
    found = refs(ast.parse(source), frozenset({"exports", "close"}))
    assert {"exports", "close_books", "close", "tasks", "Bill", "recalculate", "send_totals", "refund_all", "print"} <= found
    assert not {"total_due", "paid_flag", "balance_text", "overdue_sum", "compute", "month_end"} & found
    # the dotted path is the module's quoted path, which names_function reads
    assert "billing.tasks.month_end" in module_refs(source)[0]
    # a dotted path names the function of the module it spells, or (a Celery task's registered name) of another module
    # of the project, not an installed package's namesake
    parts = frozenset({"src", "billing", "tasks", "ledger", "home", "context_processors"})
    assert names_function("billing.tasks.month_end", "src.billing.tasks", "month_end", parts)
    assert names_function("billing.month_end", "src.ledger.tasks", "month_end", parts)
    assert not names_function("dashboard.context_processors.dashboard", "home.context_processors", "dashboard", parts)
    # a migration's strings name its columns, never a function
    assert "refund_all" not in refs(ast.parse(source), frozenset(), migration=True)
    assert is_migration(ModuleFacts(path="billing/migrations/0002.py", module="billing.migrations.0002", lines=1,
                                    imports={"migrations": "django.db.migrations"}))


def test_a_write_per_row_outside_bulk_code_is_low():
    from mcp_server.rules import bulk_code_examples as bx

    [(path, line, severity, message, _fix)] = found_by(bx.PF201_REQUEST_SIZED_LOWERED, "PF201")
    assert (path, line, severity) == ("billing/views.py", 8, "low")
    assert message == ("`client.save()` writes one row per item of the loop at line 6; it runs outside bulk code (no import, sync, "
                       "ETL, load, job or task in the names of its module, folders or function, and no task decorator), where a "
                       "loop writes the few rows one request or action handles: batching pays off in imports and jobs")
    # an importer module, an import function, a task a view queues
    assert [found_by(files, "PF201")[0][:4] for files in bx.PF201_BULK_KEPT] == [
        ("billing/importer.py", 8, "high", "`client.save()` writes one row per item of the loop at line 6"),
        ("billing/views.py", 8, "high", "`client.save()` writes one row per item of the loop at line 6"),
        ("billing/services.py", 8, "high", "`client.save()` writes one row per item of the loop at line 6"),
    ]


def test_bulk_code_by_its_names():
    from mcp_server.analysis.words import tokens

    # (the words of a name as the money rule reads them: analysis/words.tokens)
    assert set(tokens("import_CSVRows")) == {"import", "csv", "rows"}
    assert set(tokens("naptanEtl")) == {"naptan", "etl"}
    assert not {"import", "load"} & {*tokens("upload_views"), *tokens("downloads")}
    from mcp_server.analysis.batch_context import is_bulk
    from mcp_server.analysis.facts import ModuleFacts

    def bulk(path):
        return is_bulk(ModuleFacts(path=path, module=path.removesuffix(".py").replace("/", "."), lines=1), None)

    assert bulk("courses/registrarimport.py") and bulk("arquivos/importa_dietas.py") and bulk("fiscal/carga_notas.py")
    assert not bulk("billing/views.py") and not bulk("billing/important_dates.py")


def test_a_helper_loading_what_is_not_a_row_yet_handed_a_relation_of_the_row():
    from mcp_server.rules import own_instance_examples as ox

    for files in ox.NP102_RELATED_ROW_PASSED:
        assert found_by(files, "NP102") == []
    [(path, line, severity, message, _fix)] = found_by(ox.NP102_RELATED_KEY_PASSED, "NP102")
    assert (path, line, severity) == ("tree/views.py", 6, "high")
    assert message.startswith("`log_change()` is called once per item of the loop at line 6 and reaches a query: log_change -> "
                              "`Project.objects.get` (tree/changes.py:6)")


def test_a_dict_named_like_the_http_library_is_no_remote_call():
    from mcp_server.rules.remote_calls_examples import NP105_LOCAL_NAMESAKE

    assert found_by({"app.py": NP105_LOCAL_NAMESAKE}, "NP105") == []
    imported = 'import requests\n\n\ndef took(ids):\n    return [requests.get(f"https://log/{i}", timeout=5).json() for i in ids]\n'
    assert [f[:3] for f in found_by({"app.py": imported}, "NP105")] == [("app.py", 5, "medium")]


def test_a_number_every_caller_makes_formatted_into_sql_is_low():
    from mcp_server.rules.caller_examples import PF601_NUMBER_BY_CALLERS, PF601_TEXT_BY_CALLERS

    [(path, line, severity, message, _fix)] = found_by(PF601_NUMBER_BY_CALLERS, "PF601")
    assert (path, line, severity) == ("records/queries.py", 6, "low")
    assert message == ("the statement is built by string formatting from `limit` and run as SQL; every call in the project passes "
                       "`limit` a number or a value written in the code (records/views.py:6 as a number), so no outside input "
                       "reaches it")
    assert [f[:3] for f in found_by(PF601_TEXT_BY_CALLERS, "PF601")] == [("records/queries.py", 6, "high")]


def test_a_remote_call_on_a_cache_miss_that_fills_the_key_runs_once_per_key():
    from mcp_server.rules.remote_calls_examples import NP105_CACHE_ELSEWHERE, NP105_CACHE_FILLED

    assert found_by({"app.py": NP105_CACHE_FILLED}, "NP105") == []
    [(path, line, severity, message, _fix)] = found_by({"app.py": NP105_CACHE_ELSEWHERE}, "NP105")
    assert (path, line, severity) == ("app.py", 18, "medium")
    assert message.startswith("`client.get` runs a remote call once per item of the loop at line 12")


def test_loops_through_a_progress_bar_and_over_years():
    from mcp_server.rules import progress_examples as px

    years, chunks = px.NP101_YEARS_AND_CHUNKS_NEGATIVE
    assert found_by(years, "NP101") == [] and found_by(chunks, "NP101") == []
    table, rows = px.NP101_THROUGH_PROGRESS_POSITIVE
    assert [f[:4] for f in found_by(table, "NP101")] == [
        ("stats/jobs.py", 9, "high", "`Figure.objects.count` runs a query once per item of the loop at line 8")]
    assert [f[:3] for f in found_by(rows, "NP101")] == [("stats/jobs.py", 8, "low")]


def test_a_blocking_call_in_a_coroutine_that_sets_its_object_up_is_low():
    from mcp_server.rules.async_code_examples import PF801_SERVING_KEPT, PF801_SET_UP_LOWERED

    found = found_by({"app.py": PF801_SET_UP_LOWERED}, "PF801")
    assert [f[:3] for f in found] == [("app.py", 11, "low"), ("app.py", 12, "low")]
    assert all(f[3].endswith("; `initialize()` sets its object up, once, before it serves: no request waits on the event loop then")
               for f in found)
    assert [f[:3] for f in found_by({"app.py": PF801_SERVING_KEPT}, "PF801")][0] == ("app.py", 11, "high")


def test_code_after_a_call_that_always_raises_is_not_reported():
    from mcp_server.rules.unreachable_examples import NP105_AFTER_RAISING_CALL, NP105_AFTER_STATUS_CHECK

    assert found_by(NP105_AFTER_RAISING_CALL, "NP105") == []
    assert [f[:4] for f in found_by(NP105_AFTER_STATUS_CHECK, "NP105")] == [
        ("permits/sync.py", 11, "high", "`requests.put` runs a remote call once per item of the loop at line 10")]
    import ast

    from mcp_server.analysis.unreachable import prune

    module = prune(ast.parse("from flask import abort\nimport sys\n\n\ndef gone():\n    abort(410)\n    work()\n\n\ndef ended():\n"
                             "    sys.exit(1)\n    work()\n\n\ndef checked(lock):\n    raise_if_locked(lock)\n    work()\n"))
    assert [len(fn.body) for fn in module.body[2:]] == [1, 1, 2]


def test_an_app_the_settings_do_not_install_runs_for_nobody():
    from mcp_server.rules import installed_examples as ix

    [(path, line, severity, message, _fix)] = found_by(ix.NP103_UNINSTALLED_APP_LOWERED, "NP103")
    assert (path, line, severity) == ("legacy/receivers.py", 9, "low")
    assert message.endswith("; nothing the application runs imports this module (no route, registry, setting or task names it; "
                            "tests aside), so it looks unused")
    [(path, line, severity, message, _fix)] = found_by(ix.NP103_INSTALLED_APP_KEPT, "NP103")
    assert (path, line, severity) == ("legacy/receivers.py", 9, "high") and "unused" not in message


def test_installed_apps_read_from_literal_lists_only():
    import ast

    from mcp_server.analysis.installed_apps import UNKNOWN, installed, installs

    settings = ('BASE = ["django.contrib.auth"]\nLOCAL = ("sigi.apps.home.apps.HomeConfig",)\nINSTALLED_APPS = BASE + list(LOCAL)\n'
                'INSTALLED_APPS += ["sigi.apps.casas"]\nif DEBUG:\n    INSTALLED_APPS += ["sigi.apps.debug"]\n')
    entries = installed(ast.parse(settings).body)
    assert entries == ("django.contrib.auth", "sigi.apps.home.apps.HomeConfig", "sigi.apps.casas", "sigi.apps.debug")
    assert installs(set(entries), "sigi.apps.home") and installs(set(entries), "src.sigi.apps.casas")
    assert not installs(set(entries), "sigi.apps.diagnosticos")
    assert installed(ast.parse("INSTALLED_APPS = env.list('APPS')\n").body) == UNKNOWN

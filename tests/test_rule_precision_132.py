"""Round 131's ETL and validation code (rules/carried_statement_examples.py): items that carry their own SQL, values
inside the text `dblink()` sends to another server, a connection per coroutine gathered with the others."""

import pytest
from rule_cases import found_by

from mcp_server.analysis.sql_positions import in_remote_text
from mcp_server.rules import carried_statement_examples as cs


def _app(source):
    return {"app.py": source}


def test_a_statement_each_item_carries_is_no_query_per_item():
    assert found_by(_app(cs.NP101_RULE_SQL_NEGATIVE), "NP101") == []


def test_a_shared_template_filled_per_item_still_is():
    [(path, line, severity, message, _fix)] = found_by(_app(cs.NP101_SHARED_TEMPLATE_POSITIVE), "NP101")
    assert (path, line, severity) == ("app.py", 11, "medium")
    assert message.startswith("`sess.execute` runs a query once per item of the loop at line 9")


def test_a_value_inside_the_dblink_query_text_is_low_and_says_why():
    [(path, line, severity, message, fix)] = found_by(_app(cs.PF601_DBLINK_LOWERED), "PF601")
    assert (path, line, severity) == ("app.py", 4, "low")
    assert message == ("the statement is built by string formatting from `low`, `high`, `kind` and run as SQL; it sits inside "
                       "the query text handed to `dblink()`, which runs on another server and which no bound parameter reaches: "
                       "quote it there (`format('%L', ...)`, `quote_literal`) or check it is a number")
    assert fix.startswith("Pass the value to the remote query quoted by the server")


def test_a_value_after_the_dblink_text_is_a_local_value():
    assert [f[:4] for f in found_by(_app(cs.PF601_AFTER_DBLINK_KEPT), "PF601")] == [
        ("app.py", 3, "high", "the statement is built by string formatting from `client_id` and run as SQL")]


@pytest.mark.parametrize("before, inside", [
    ("SELECT * FROM dblink('", False),  # the connection's name: a local expression
    ("SELECT * FROM dblink('broker', 'SELECT a FROM t WHERE id = ", True),
    ("SELECT * FROM dblink('broker', 'SELECT a FROM t WHERE name = ''x'' AND id = ", True),
    ("SELECT * FROM dblink('broker', 'SELECT a FROM t') AS x(a int) WHERE x.a = ", False),
    ("SELECT * FROM dblink('SELECT a FROM t WHERE id = ", True),
    ("SELECT * FROM dblink(%s, $$SELECT a FROM t WHERE id = ", True),
    ("SELECT * FROM t WHERE note = 'dblink(' AND id = ", False),
])
def test_where_the_dblink_text_begins_and_ends(before, inside):
    assert in_remote_text(before) is inside


def test_a_connection_per_gathered_coroutine_is_low_and_one_per_awaited_call_is_not():
    [(path, line, severity, message, fix)] = found_by(_app(cs.PF502_GATHERED_LOWERED), "PF502")
    assert (path, line, severity) == ("app.py", 19, "low")
    assert message.endswith("; the coroutine is scheduled to run alongside the others (not awaited here), and a connection "
                            "runs one statement at a time, so each concurrent task needs its own")
    assert "asyncio.Semaphore" in fix
    assert [f[:4] for f in found_by(_app(cs.PF502_AWAITED_KEPT), "PF502")] == [
        ("app.py", 17, "high", "`refresh()` opens a new database connection (refresh -> `asyncpg.connect` (app.py:8)) and is called "
         "on every iteration of the loop at line 16")]


_UNUSED = ("; nothing in the project names `Client.amount_owed` but its definition, its tests and imports (no call, schedule "
           "or setting), so it looks unused")


def test_a_property_only_tests_read_looks_unused():
    from mcp_server.rules.own_object_examples import NP103_TESTED_PROPERTY_LOWERED

    [(path, line, severity, message, _fix)] = found_by(NP103_TESTED_PROPERTY_LOWERED, "NP103")
    assert (path, line, severity) == ("ledger/models.py", 23, "low")
    assert message.endswith(_UNUSED)


def test_a_property_or_method_a_template_reads_is_used():
    from mcp_server.rules.own_object_examples import NP103_TEMPLATE_READ_KEPT

    for files in NP103_TEMPLATE_READ_KEPT:
        [(path, line, _severity, message, _fix)] = found_by(files, "NP103")
        assert (path, line) == ("ledger/models.py", 23)
        assert "looks unused" not in message


def test_a_local_query_by_a_one_to_one_field_walks_one_row():
    from mcp_server.rules.one_to_one_examples import NP103_FOREIGN_KEY_LOCAL, NP103_ONE_TO_ONE_LOCAL

    [(path, line, severity, message, _fix)] = found_by(NP103_ONE_TO_ONE_LOCAL, "NP103")
    assert (path, line, severity) == ("hr/views.py", 11, "low")
    assert message.endswith("has no select_related(\"company_id\"); the loop walks at most one row (a query by a one-to-one field)")
    [(path, line, severity, message, _fix)] = found_by(NP103_FOREIGN_KEY_LOCAL, "NP103")
    assert (path, line, severity) == ("hr/views.py", 11, "medium")
    assert message.endswith("the loop walks the rows of one employee, often a handful, so it matters when that object has many")


_RECOVERY = ("; it runs only in an `except` handler that catches a failure, when the call before it has failed: a recovery "
             "path, not the loop's usual work")


def test_a_call_only_a_failure_handler_makes_is_low_and_says_so():
    from mcp_server.rules.recovery_examples import NP105_RECOVERY_LOWERED

    [(path, line, severity, message, _fix)] = found_by(_app(NP105_RECOVERY_LOWERED), "NP105")
    assert (path, line, severity) == ("app.py", 23, "low")
    assert message == ("`fetch_invoice()` is called once per item of the loop at line 18 and reaches a remote call: fetch_invoice "
                       "-> `requests.get` (app.py:14)" + _RECOVERY)


def test_beside_a_call_every_pass_makes_the_finding_is_that_calls():
    from mcp_server.rules.recovery_examples import NP105_EVERY_PASS_KEPT

    [(path, line, severity, message, _fix)] = found_by(_app(NP105_EVERY_PASS_KEPT), "NP105")
    assert (path, line, severity) == ("app.py", 23, "medium")
    assert _RECOVERY not in message and message.endswith("(2 queries or calls per iteration of this loop)")


def test_a_missing_rows_fallback_keeps_its_severity():
    from mcp_server.rules.recovery_examples import NP101_MISSING_ROW_KEPT

    assert [f[:3] for f in found_by(NP101_MISSING_ROW_KEPT, "NP101")] == [("billing/imports.py", 9, "high")]


@pytest.mark.parametrize("handler, failure", [
    ("except:", True), ("except Exception as e:", True), ("except requests.Timeout:", True),
    ("except (ConnectionError, TimeoutError):", True), ("except HTTPError:", True),
    ("except Client.DoesNotExist:", False), ("except KeyError:", False), ("except (KeyError, Exception):", False),
])
def test_which_handlers_catch_a_failure(handler, failure):
    import ast

    from mcp_server.analysis.recovery import recovers

    tree = ast.parse(f"try:\n    pass\n{handler}\n    pass\n")
    assert recovers(tree.body[0].handlers[0]) is failure


def test_one_rows_prefetched_relations_serve_the_loop_over_them():
    from mcp_server.rules.row_prefetch_examples import NP103_ROW_PREFETCH_NEGATIVE

    for files in NP103_ROW_PREFETCH_NEGATIVE:
        assert found_by(files, "NP103") == []


def test_a_shorter_prefetch_or_a_filter_still_loads_per_line():
    from mcp_server.rules.row_prefetch_examples import NP103_ROW_PREFETCH_FILTERED, NP103_ROW_PREFETCH_SHALLOW

    for files in (NP103_ROW_PREFETCH_SHALLOW, NP103_ROW_PREFETCH_FILTERED):
        found = found_by(files, "NP103")
        assert [f[:2] for f in found] == [("billing/views.py", 13), ("billing/views.py", 13)]
        assert [f[3].split(" loads ")[0] for f in found] == ["`line.product.name`", "`line.taxes.all()`"]


def test_a_global_handed_back_when_set_is_filled_once():
    from mcp_server.rules.row_examples import NP102_KEPT_GLOBAL_RETURNED

    assert found_by(NP102_KEPT_GLOBAL_RETURNED, "NP102") == []
    local = {k: v.replace("    global default_client\n", "") for k, v in NP102_KEPT_GLOBAL_RETURNED.items()}
    assert [f[0] for f in found_by(local, "NP102")] == ["billing/views.py"]  # a local is new on every call


def test_a_project_its_root_deploys_is_an_application():
    from mcp_server.rules.own_object_examples import NP101_LIBRARY_KEPT, NP101_SERVED_UNUSED_LOWERED

    for files in NP101_SERVED_UNUSED_LOWERED:
        [(path, line, severity, message, _fix)] = found_by(files, "NP101")
        assert (path, line, severity) == ("ledger/reports.py", 5, "low")
        assert message.endswith("; nothing in the project names `overdue_totals()` but its definition, its tests and imports "
                                "(no call, schedule or setting), so it looks unused")
    for files in NP101_LIBRARY_KEPT:  # (a Dockerfile below the root builds a tool, not the project)
        assert [f[:4] for f in found_by(files, "NP101")] == [
            ("ledger/reports.py", 5, "high", "`conn.execute` runs a query once per item of the loop at line 4")]


@pytest.mark.parametrize("rel, serves", [("Dockerfile", True), ("Dockerfile.prod", True), ("Procfile", True), ("compose.yaml", True),
                                         ("docker-compose.yml", True), ("docker-compose-dev.yml", True),  # (MaveDB's, round 176)
                                         ("docker-composer.yml", False), ("docker/Dockerfile", False), ("crontab", False),
                                         (".github/workflows/ci.yml", False), ("mkdocs.yml", False)])
def test_which_root_files_deploy_a_service(rel, serves):
    from mcp_server.analysis.suffixes import deploys_service

    assert deploys_service(rel) is serves


def test_on_disk_a_dockerfile_at_the_root_makes_the_application(tmp_path):
    import json
    import subprocess
    import sys

    from conftest import cli_env
    from mcp_server.rules.own_object_examples import served_app

    def scan():
        p = subprocess.run([sys.executable, "-m", "mcp_server.cli", "scan", "--select", "NP101", "--min-severity", "low", "--format",
                            "json", "--exit-zero"], capture_output=True, text=True, cwd=tmp_path, env=cli_env(), timeout=60)
        assert p.returncode == 0, p.stderr
        return [(f["location"]["path"], f["severity"]) for f in json.loads(p.stdout)["findings"]]

    for rel, text in served_app({}).items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'ledger'\n")
    assert scan() == [("ledger/reports.py", "high")]
    # (the second scan reads the cache the first wrote: a Dockerfile added at the root changes its key)
    (tmp_path / "Dockerfile").write_text("FROM python:3.11-slim\nCMD [\"gunicorn\", \"ledger.app:app\"]\n")
    assert scan() == [("ledger/reports.py", "low")]

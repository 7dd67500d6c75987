"""`confirm`: the fixture ledger's own pytest suite, run for real (child processes, real sqlite), joined with the
static scan. Each status is asserted exactly, and so are the things confirm must not do: change the project,
change the command's exit status, leave a process running."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import anyio
import pytest
from mcp import Client

from conftest import REPO, cli_env
from mcp_server.config import load_config
from mcp_server.tools.confirm_findings import DEFAULT_THRESHOLD, confirm_findings

FIXTURE = REPO / "tests" / "fixtures" / "confirm_project"
# plugins that write into the project (pytest-benchmark makes .benchmarks/) are off: any file that appears is then ours
PYTEST = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:benchmark"]


@pytest.fixture
def ledger(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "ledger"
    shutil.copytree(FIXTURE, root)
    # the suite itself must not write either (bytecode, pytest's cache), so that any file that appears is ours
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    monkeypatch.delenv("CLAUDE_PROJECT_DIR", raising=False)
    monkeypatch.delenv("LEDGER_FAIL", raising=False)
    return root


def tree_hash(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
            for p in sorted(root.rglob("*"))}


def statuses(findings) -> dict[tuple[str, str, int], tuple]:
    out = {}
    for f in findings:
        r = f.get("runtime") if isinstance(f, dict) else (f.runtime.model_dump() if f.runtime else None)
        loc = f["location"] if isinstance(f, dict) else f.location.model_dump()
        out[(f["rule"] if isinstance(f, dict) else f.rule, loc["path"], loc["line"])] = (r["status"], r["count"], r["test"]) if r else None
    return out


def cli(root: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mcp_server.cli", "confirm", "--root", str(root), *args], cwd=root, capture_output=True,
                          text=True, env=cli_env(PYTHONPATH=str(REPO), **env), timeout=300)


def test_each_status_and_the_runtime_only_n_plus_one_behind_getattr(ledger):
    before = tree_hash(ledger)
    report = confirm_findings(PYTEST, config=load_config(ledger), output=subprocess.PIPE)
    assert tree_hash(ledger) == before  # byte-identical: no file added, removed or changed
    assert report.run_status == "passed" and report.exit_code == 0 and report.processes == 1
    found = statuses(report.findings)
    confirmable = {k: v for k, v in found.items() if v is not None}
    assert confirmable == {
        ("NP101", "ledger/reports.py", 7): ("confirmed", 6, "tests/check_ledger.py::test_invoice_totals"),
        ("NP101", "ledger/reports.py", 15): ("not_repeated", 1, "tests/check_ledger.py::test_overdue_counts_one_client"),
        ("NP101", "ledger/reports.py", 22): ("not_exercised", 0, None),
        # getattr(self, f"as_{fmt}") hides the call from the static scan; the run sees six SELECTs from as_csv
        ("RT101", "ledger/export.py", 10): ("runtime_only", 6, "tests/check_ledger.py::test_export_csv"),
    }
    assert not any(k[0] == "RT101" for k in found if k[1] != "ledger/export.py")  # the suite's other queries are explained or single
    assert found[("PF401", "ledger/reports.py", 6)] is None  # not a repetition rule: no status rather than a false one
    assert [f.runtime.status for f in report.findings if f.runtime][:2] == ["confirmed", "runtime_only"]  # confirmed first
    assert report.by_status == {"confirmed": 1, "runtime_only": 1, "not_repeated": 1, "not_exercised": 1}
    rt = next(f for f in report.findings if f.rule == "RT101")
    assert rt.id and rt.id.startswith("RT101-")
    assert [(e.role, e.location.path, e.location.line) for e in rt.evidence if e.location] == [
        ("call stack", "ledger/export.py", 10), ("call stack", "ledger/export.py", 7), ("call stack", "ledger/export.py", 7),
        ("call stack", "tests/check_ledger.py", 21)]
    assert rt.evidence[0].message == "SELECT name, state FROM clients WHERE id = ?"
    assert "3 passed, 1 skipped" in report.output_tail


def test_threshold_decides_confirmed(ledger):
    report = confirm_findings(PYTEST, threshold=7, config=load_config(ledger), output=subprocess.PIPE)
    found = statuses(report.findings)
    assert found[("NP101", "ledger/reports.py", 7)] == ("not_repeated", 6, "tests/check_ledger.py::test_invoice_totals")
    assert not any(k[0] == "RT101" for k in found)  # six repeats are under 7


def test_default_threshold_is_the_pytest_plugins():
    from mcp_server.pytest_plugin import DEFAULT_THRESHOLD as PLUGIN

    assert DEFAULT_THRESHOLD == PLUGIN


def test_cli_json_keeps_stdout_for_the_report_and_the_project_untouched(ledger):
    before = tree_hash(ledger)
    done = cli(ledger, "--format", "json", "--", *PYTEST)
    assert done.returncode == 0, done.stderr
    assert "3 passed, 1 skipped" in done.stderr  # the suite's own output, on stderr so stdout stays JSON
    data = json.loads(done.stdout)
    assert statuses(data["findings"])[("NP101", "ledger/reports.py", 7)] == ("confirmed", 6, "tests/check_ledger.py::test_invoice_totals")
    assert data["run_status"] == "passed" and data["by_status"]["runtime_only"] == 1
    assert tree_hash(ledger) == before


def test_cli_text_passes_the_output_through_and_sorts_confirmed_first(ledger):
    done = cli(ledger, "--", *PYTEST)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.index("3 passed, 1 skipped") < out.index("NP101")  # the suite's output, as it came, then the report
    first = [line for line in out.splitlines() if line.startswith("ledger/")]
    assert first[0].startswith("ledger/reports.py:7:") and "NP101" in first[0]
    assert first[1].startswith("ledger/export.py:10:") and "RT101" in first[1]
    assert "runtime: confirmed: 6 x in tests/check_ledger.py::test_invoice_totals" in out
    assert "confirm: 1 confirmed, 1 runtime_only, 1 not_repeated, 1 not_exercised" in out


def test_sarif_carries_the_status(ledger, tmp_path):
    target = tmp_path / "confirm.sarif"
    done = cli(ledger, "--format", "sarif", "--output", str(target), "--", *PYTEST)
    assert done.returncode == 0, done.stderr
    results = json.loads(target.read_text())["runs"][0]["results"]
    by_place = {(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"]): r["properties"].get("runtime", {}).get("status")
                for r in results}
    assert by_place[("NP101", 7)] == "confirmed" and by_place[("NP101", 15)] == "not_repeated"
    assert by_place[("NP101", 22)] == "not_exercised" and by_place[("RT101", 10)] == "runtime_only"
    assert by_place[("PF401", 6)] is None


def test_a_failing_suite_keeps_its_exit_status_and_what_ran_still_counts(ledger):
    done = cli(ledger, "--format", "json", "--", *PYTEST, LEDGER_FAIL="1")
    assert done.returncode == 1  # pytest's own status for a failed test
    data = json.loads(done.stdout)
    assert data["run_status"] == "failed" and data["exit_code"] == 1
    assert {"input": "command", "message": "the command exited with status 1"} in data["errors"]
    assert statuses(data["findings"])[("NP101", "ledger/reports.py", 7)][0] == "confirmed"


def test_exit_status_passes_through(ledger):
    done = cli(ledger, "--", sys.executable, "-c", "import sys; print('hello from the command'); sys.exit(7)")
    assert done.returncode == 7
    assert "hello from the command" in done.stdout
    assert "exit status 7" in done.stdout


def test_missing_command_is_a_clear_error(ledger):
    done = cli(ledger, "--", "no-such-command-po16")
    assert done.returncode == 2
    assert "performance-optimizer: error: COMMAND: no-such-command-po16: command not found" in done.stderr
    assert "Traceback" not in done.stderr
    assert "nothing was confirmed: the command did not run" in done.stdout


def test_a_command_that_runs_no_python(ledger):
    done = cli(ledger, "--", "sh", "-c", "echo not python")
    assert done.returncode == 2
    assert "sh started no Python process we could measure" in done.stderr and "Traceback" not in done.stderr
    assert "not python" in done.stdout


def test_no_command_is_a_usage_error(ledger):
    done = cli(ledger)
    assert done.returncode == 2 and "give the command that runs the tests after `--`" in done.stderr


def _marked(marker: str) -> list[int]:
    pids = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if marker.encode() in (proc / "cmdline").read_bytes():
                    pids.append(int(proc.name))
            except OSError:
                pass
    return pids


def test_timeout_kills_the_whole_process_group(ledger):
    marker = f"po16-sleeper-{os.getpid()}"
    code = ("import subprocess, sys, time; "
            f"subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(120)', '{marker}']); time.sleep(120)")
    done = cli(ledger, "--timeout", "3", "--", sys.executable, "-c", code, marker)
    assert done.returncode == 124
    assert "--timeout: timed out after 3 s; the command's process group was killed" in done.stderr
    assert _marked(marker) == []  # the command and the child it started are both gone


def test_mcp_tool_answers_with_a_page_confirmed_first(ledger):
    from mcp_server.server import build_app

    progress: list[tuple] = []

    async def on_progress(done, total, message):
        progress.append((done, total, message))

    async def go():
        async with Client(build_app(ledger)) as client:
            listed = {t.name: t for t in (await client.list_tools()).tools}
            tool = listed["confirm_findings"]
            assert tool.annotations.destructive_hint is True and tool.annotations.open_world_hint is True
            r = await client.call_tool("confirm_findings", {"command": PYTEST}, progress_callback=on_progress)
            assert not r.is_error, r.content
            page = r.structured_content
            assert page["run_status"] == "passed" and page["exit_code"] == 0
            assert page["by_status"] == {"confirmed": 1, "runtime_only": 1, "not_repeated": 1, "not_exercised": 1}
            first, second = page["findings"][:2]
            assert (first["rule"], first["at"], first["runtime"]) == ("NP101", "ledger/reports.py:7",
                                                                     "confirmed: 6 x in tests/check_ledger.py::test_invoice_totals")
            assert (second["rule"], second["at"]) == ("RT101", "ledger/export.py:10")
            assert "runtime: confirmed: 6 x" in r.content[0].text
            # the whole finding comes from the same run, not a second one
            one = await client.call_tool("confirm_findings", {"command": PYTEST, "finding_id": second["id"]})
            assert one.structured_content["detail"]["runtime"]["status"] == "runtime_only"
            bad = await client.call_tool("confirm_findings", {"command": []})
            assert bad.is_error and "command: expected the command as a non-empty list of strings" in bad.content[0].text

    anyio.run(go)
    assert progress and all(b >= a for (a, _, _), (b, _, _) in zip(progress, progress[1:]))  # rising, never back


def test_django_suite_confirms_a_relation_and_the_n_plus_one_in_a_template(tmp_path, monkeypatch):
    root = tmp_path / "shop"
    shutil.copytree(REPO / "tests" / "fixtures" / "confirm_django", root)
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    monkeypatch.delenv("DJANGO_SETTINGS_MODULE", raising=False)
    before = tree_hash(root)
    report = confirm_findings([sys.executable, "manage.py", "test"], config=load_config(root), output=subprocess.PIPE)
    assert tree_hash(root) == before
    assert report.run_status == "passed", report.output_tail
    found = {k: v for k, v in statuses(report.findings).items() if v is not None}
    assert found == {
        # Django's own runner: tests are named by unittest's id
        ("NP103", "shop/reports.py", 9): ("confirmed", 6, "shop.tests.ReportTests.test_client_names"),
        # the template's N+1, found statically at the template line (NP107), is confirmed at that line: the probe
        # records the template line Django was rendering when the query ran
        ("NP107", "templates/invoices.html", 3): ("confirmed", 6, "shop.tests.ReportTests.test_invoice_page"),
    }
    assert not [f for f in report.findings if f.rule == "RT101"]  # every repeated query there has a static finding


def test_the_bundled_example_confirms_its_findings_with_its_own_tests(tmp_path, monkeypatch):
    root = tmp_path / "accounting"
    shutil.copytree(REPO / "examples" / "accounting", root)
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    before = tree_hash(root)
    report = confirm_findings(PYTEST, config=load_config(root), output=subprocess.PIPE)
    assert tree_hash(root) == before
    assert report.run_status == "passed", report.output_tail
    assert report.by_status == {"confirmed": 31, "not_exercised": 2}
    # its tests run the invoice page and the REST API, and two of the three Django reports: the third one's N+1s
    # are real but untested (line 63's finding holds line 64's read too: one prefetch_related loads both)
    assert sorted((f.location.path, f.location.line) for f in report.findings if f.runtime and f.runtime.status == "not_exercised") == [
        ("django_app/reports.py", 63), ("django_app/reports.py", 65)]
    # template lines and DRF serializer fields are read by Django's and DRF's own code: the probe records the template
    # line or the serializer field being rendered, so these are confirmed at their own lines, not left to RT101
    rendered = {(f.location.path, f.location.line, f.runtime.status, f.runtime.count) for f in report.findings
                if f.runtime and f.location.path.endswith(("invoices_slow.html", "api.py"))}
    assert rendered == {("django_app/templates/django_app/invoices_slow.html", 3, "confirmed", 24),
                        ("django_app/templates/django_app/invoices_slow.html", 4, "confirmed", 24),
                        ("django_app/api.py", 24, "confirmed", 24), ("django_app/api.py", 25, "confirmed", 24),
                        ("django_app/api.py", 33, "confirmed", 24)}
    tax = {(f.rule, f.location.line): f.runtime.count for f in report.findings if f.location.path == "dbapi_app/reports.py" and f.runtime}
    # three rate queries per invoice item (icms, pis, cofins: one finding for the loop's three calls); one invoice query per client
    assert tax[("NP102", 50)] == 216 and tax[("NP101", 19)] == 6
    assert not any(f.rule == "RT101" for f in report.findings)  # every N+1 the suite runs, the static scan had found


PG_APP = {
    "pyproject.toml": "[project]\nname = 'pg-rates'\n",
    "rates/__init__.py": "",
    "rates/lookups.py": '''import psycopg
import psycopg2


def rates3(dsn, states):
    with psycopg.connect(dsn) as conn:
        out = []
        for state in states:
            out.append(conn.execute("SELECT %s::text || '-rate'", (state,)).fetchone()[0])
        return out


def rates2(dsn, states):
    conn = psycopg2.connect(dsn)
    try:
        cur = conn.cursor()
        out = []
        for state in states:
            cur.execute("SELECT %s || '-rate2'", (state,))
            out.append(cur.fetchone()[0])
        return out
    finally:
        conn.close()
''',
    "tests/test_rates.py": '''import os

from rates.lookups import rates2, rates3

STATES = ["SP", "RJ", "MG", "RS", "PR", "BA"]


def test_rates3():
    assert rates3(os.environ["PO16_DSN"], STATES)[0] == "SP-rate"


def test_rates2():
    assert rates2(os.environ["PO16_DSN"], STATES)[-1] == "BA-rate2"
''',
}


def test_psycopg_3_and_2_queries_are_captured(tmp_path, monkeypatch, postgres_dsn):
    pytest.importorskip("psycopg2")
    root = tmp_path / "pg"
    for rel, text in PG_APP.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    monkeypatch.setenv("PO16_DSN", postgres_dsn)
    report = confirm_findings(PYTEST, config=load_config(root), output=subprocess.PIPE)
    assert report.run_status == "passed", report.output_tail
    found = {k: v for k, v in statuses(report.findings).items() if v is not None}
    assert found == {("NP101", "rates/lookups.py", 9): ("confirmed", 6, "tests/test_rates.py::test_rates3"),
                     ("NP101", "rates/lookups.py", 19): ("confirmed", 6, "tests/test_rates.py::test_rates2")}


def test_queries_in_forked_pool_workers_count(tmp_path, monkeypatch):
    root = tmp_path / "pool"
    (root / "app").mkdir(parents=True)
    (root / "tests").mkdir()
    (root / "pyproject.toml").write_text("[project]\nname = 'pool'\n")
    (root / "app" / "__init__.py").write_text("")
    (root / "app" / "work.py").write_text(
        "import sqlite3\n\n\ndef lookups(n):\n    conn = sqlite3.connect(':memory:')\n    out = []\n"
        "    for i in range(n):\n        out.append(conn.execute('SELECT ?', (i,)).fetchone()[0])\n    return len(out)\n")
    (root / "tests" / "test_pool.py").write_text(
        "import multiprocessing\n\nfrom app.work import lookups\n\n\ndef test_pool():\n"
        "    pool = multiprocessing.get_context('fork').Pool(2)\n    assert pool.map(lookups, [7, 7]) == [7, 7]\n"
        "    pool.close()\n    pool.join()  # the workers end with os._exit, which skips atexit\n")
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    report = confirm_findings(PYTEST, config=load_config(root), output=subprocess.PIPE)
    assert report.run_status == "passed", report.output_tail
    assert report.processes == 3  # pytest and its two workers
    found = {k: v for k, v in statuses(report.findings).items() if v is not None}
    # one test, two processes: the count is the test's, summed over the workers that ran it
    assert found == {("NP101", "app/work.py", 8): ("confirmed", 14, "tests/test_pool.py::test_pool")}


def test_transaction_statements_confirm_nothing():
    from mcp_server.confirm.join import merge

    stack = [["app/x.py", 3, "f"]]
    runs = merge([["t", "django", 'SAVEPOINT "s1_x1"', stack, False, None, 9, 0.0],
                  ["t", "django", "INSERT INTO t (a) VALUES (%s)", stack, False, None, 9, 0.0]])
    assert [r.control for r in runs] == [True, False]

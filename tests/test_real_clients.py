"""Acceptance through the real clients: the Claude Code CLI and the MCP Inspector CLI (npm packages).

Slow (a few seconds each) and needing Node.js, so behind the `slow` marker; .ci/run installs both and runs them.
"""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, cli_env

pytestmark = pytest.mark.slow


def _bin(name: str) -> str:
    path = shutil.which(name)
    if not path:
        pytest.fail(f"{name} not on PATH: npm install @anthropic-ai/claude-code @modelcontextprotocol/inspector and add node_modules/.bin to PATH")
    return path


@pytest.fixture
def claude_home(tmp_path: Path) -> dict[str, str]:
    home = tmp_path / "home"
    (home / ".claude").mkdir(parents=True)
    return cli_env(HOME=str(home), DISABLE_AUTOUPDATER="1")


def claude(env, *args, cwd=REPO, timeout=120):
    p = subprocess.run([_bin("claude"), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    return p.returncode, p.stdout + p.stderr


def test_plugin_validates_installs_and_connects(claude_home, tmp_path):
    rc, out = claude(claude_home, "plugin", "validate", ".")
    assert rc == 0 and "Validation passed" in out, out
    rc, out = claude(claude_home, "plugin", "marketplace", "add", str(REPO))
    assert rc == 0, out
    rc, out = claude(claude_home, "plugin", "install", "performance-optimizer@performance-optimizer-local")
    assert rc == 0 and "Successfully installed" in out, out
    rc, out = claude(claude_home, "plugin", "details", "performance-optimizer")
    assert rc == 0, out
    assert "Agents (1)  performance-optimizer" in out, out
    assert "MCP servers (1)  performance-optimizer" in out, out
    assert "Hooks (1)  PostToolUse" in out, out
    elsewhere = tmp_path / "some-project"
    elsewhere.mkdir()
    rc, out = claude(claude_home, "mcp", "list", cwd=elsewhere)
    assert "plugin:performance-optimizer:performance-optimizer:" in out and "✔ Connected" in out, out


def test_project_mcp_json_connects(claude_home):
    Path(claude_home["HOME"], ".claude", "settings.json").write_text(json.dumps({"enableAllProjectMcpServers": True}))
    rc, out = claude(claude_home, "mcp", "list")
    line = next((l for l in out.splitlines() if l.startswith("performance-optimizer:")), "")
    assert "✔ Connected" in line, out


def inspector(*args):
    p = subprocess.run(
        [_bin("mcp-inspector"), "--cli", sys.executable, "-m", "mcp_server", *args],
        cwd=REPO, env=cli_env(), capture_output=True, text=True, timeout=120,
    )
    return p.returncode, p.stdout, p.stderr


def test_inspector_lists_tools_and_calls_check_sla():
    rc, out, err = inspector("--method", "tools/list")
    assert rc == 0, err
    assert sorted(t["name"] for t in json.loads(out)["tools"]) == ["apply_fix", "check_sla", "compare_implementations", "confirm_findings", "detect_n_plus_one", "explain_query", "find_missing_indexes", "profile_function",
                                                                 "scan_performance", "suggest_fix"]
    rc, out, err = inspector(
        "--method", "tools/call", "--tool-name", "check_sla",
        "--tool-arg", 'measurements={"memory_usage": [300, 600]}', "--tool-arg", 'targets={"memory_usage": "max<=512"}',
    )
    assert rc == 0, err
    result = json.loads(out)["structuredContent"]
    assert result["passed"] is False and result["results"][0]["status"] == "fail" and result["results"][0]["margin"] == -88.0
    rc, out, err = inspector("--method", "tools/call", "--tool-name", "check_sla", "--tool-arg", 'measurements={"m": []}')
    # Inspector 0.15 exits 0 and reports the tool error in the result (older notes said exit 5)
    error = json.loads(out)
    assert error["isError"] is True
    assert error["content"][0]["text"].endswith("measurements.m: empty sample list; give at least one number")


def test_inspector_calls_scan_performance_on_the_example():
    rc, out, err = inspector(
        "--method", "tools/call", "--tool-name", "scan_performance",
        "--tool-arg", 'paths=["examples/accounting/batch"]', "--tool-arg", 'rules=["PF"]',
    )
    assert rc == 0, err
    page = json.loads(out)["structuredContent"]
    found = {(f["at"], f["rule"]) for f in page["findings"]}
    assert ("examples/accounting/batch/importer.py:31", "PF201") in found and ("examples/accounting/batch/report.py:36", "PF701") in found
    assert page["total_findings"] == len(page["findings"]) and "next_cursor" not in page  # one page holds them all

"""The PostToolUse hook with payloads shaped like Claude Code's, in-process and as a real child process."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, cli_env
from mcp_server.hook import post_tool_use

CLEAN = "def totals(conn, ids):\n    out = []\n    for i in ids:\n        out.append(i)\n    return out\n"
QUERY = 'out.append(conn.execute("SELECT total FROM invoices WHERE id = ?", (i,)).fetchone())'


def edit(project: Path, rel: str, old: str, new: str, tool: str = "Edit") -> dict:
    path = project / rel
    path.write_text(path.read_text().replace(old, new, 1))
    return {"session_id": "s", "hook_event_name": "PostToolUse", "cwd": str(project), "tool_name": tool,
            "tool_input": {"file_path": str(path), "old_string": old, "new_string": new}, "tool_response": {"success": True}}


def run(payload) -> dict | None:
    out = post_tool_use(payload if isinstance(payload, str) else json.dumps(payload), now=1000.0)
    return json.loads(out) if out else None


@pytest.fixture
def app(project):
    (project / "app.py").write_text(CLEAN)
    return project


def test_an_edit_that_introduces_an_n_plus_one_is_reported(app):
    out = run(edit(app, "app.py", "out.append(i)", QUERY))
    assert out["decision"] == "block"
    assert out["hookSpecificOutput"]["hookEventName"] == "PostToolUse"
    text = out["hookSpecificOutput"]["additionalContext"]
    assert text == out["reason"]
    assert "- NP101 line 4: `conn.execute` runs a query once per item of the loop at line 3" in text
    assert "performance-optimizer agent" in text and "(the edit itself was saved)" in text


def test_clean_edits_and_edits_adding_nothing_new_are_silent(app):
    assert run(edit(app, "app.py", "out = []", "out: list = []")) is None
    assert run(edit(app, "app.py", "out.append(i)", QUERY)) is not None
    # a later edit elsewhere in the file: the N+1 is old news
    assert run(edit(app, "app.py", "return out", "return list(out)")) is None


def test_a_query_reached_through_an_imported_helper(project):
    (project / "rates.py").write_text("def rate(conn, s):\n    return conn.execute('SELECT r FROM rates WHERE s = ?', (s,)).fetchone()\n")
    (project / "taxes.py").write_text("from rates import rate\ndef taxes(conn, txs):\n    return [t.value for t in txs]\n")
    out = run(edit(project, "taxes.py", "t.value for", "t.value * rate(conn, t.state) for"))
    assert "NP102 line 3: `rate()` is called once per item" in out["reason"]


def test_a_loop_a_scan_lists_low_for_its_callers_arguments_is_still_reported_at_the_edit(project):
    """A scan lists `low` a loop whose seen callers pass a request's values (caller_rows.py); the hook sees one file and
    its imports, never all the callers of code just written, so it reports the new query per item."""
    (project / "app.py").write_text(CLEAN + "\n\ndef view(conn, request):\n    return totals(conn, request.GET.getlist('ids'))\n")
    out = run(edit(project, "app.py", "out.append(i)", QUERY))
    assert "- NP101 line 4: `conn.execute` runs a query once per item of the loop at line 3" in out["reason"]
    from mcp_server.analysis.scan import scan_sources
    scanned = scan_sources({"app.py": (project / "app.py").read_text()}, select=["NP101"]).findings
    assert [(f.location.line, f.severity.value) for f in scanned] == [(4, "low")]


def test_write_and_multiedit(app, tmp_path):
    new_file = app / "new.py"
    new_file.write_text(CLEAN.replace("out.append(i)", QUERY))
    write = {"tool_name": "Write", "cwd": str(app), "tool_input": {"file_path": str(new_file), "content": new_file.read_text()}}
    assert "NP101 line 4" in run(write)["reason"]
    assert run(write) is None  # the same content again: it has seen these findings
    path = app / "app.py"
    path.write_text(CLEAN.replace("out.append(i)", QUERY).replace("return out", "return sorted(out)"))
    multi = {"tool_name": "MultiEdit", "cwd": str(app), "tool_input": {"file_path": str(path), "edits": [
        {"old_string": "out.append(i)", "new_string": QUERY}, {"old_string": "return out", "new_string": "return sorted(out)"}]}}
    assert "NP101 line 4" in run(multi)["reason"]


@pytest.mark.parametrize(
    "payload",
    [
        "{not json",
        "[1, 2]",
        json.dumps({"tool_name": "Read", "tool_input": {"file_path": "app.py"}}),
        json.dumps({"tool_name": "Edit", "tool_input": "app.py"}),
        json.dumps({"tool_name": "Edit", "tool_input": {"file_path": "notes.md", "old_string": "a", "new_string": "b"}}),
        json.dumps({"tool_name": "Edit", "tool_input": {"file_path": "/etc/passwd.py", "old_string": "a", "new_string": "b"}}),
        json.dumps({"tool_name": "NotebookEdit", "tool_input": {"notebook_path": "analysis.ipynb", "new_source": "x"}}),
    ],
)
def test_payloads_we_do_not_handle_are_silent(app, payload):
    assert post_tool_use(payload) is None


def test_configuration_turns_it_off_limits_it_and_ignores_paths(app):
    (app / "pyproject.toml").write_text("[tool.performance-optimizer.hook]\nenabled = false\n")
    assert run(edit(app, "app.py", "out.append(i)", QUERY)) is None
    (app / "app.py").write_text(CLEAN)
    (app / "pyproject.toml").write_text("[tool.performance-optimizer.hook]\nignore-paths = ['app.py']\n")
    assert run(edit(app, "app.py", "out.append(i)", QUERY)) is None
    (app / "app.py").write_text(CLEAN)
    (app / "pyproject.toml").write_text("[tool.performance-optimizer.hook]\nmin-severity = 'critical'\n")
    assert run(edit(app, "app.py", "out.append(i)", QUERY)) is None
    (app / "app.py").write_text(CLEAN + "def more(cur, ids):\n    return [i for i in ids]\n")
    (app / "pyproject.toml").write_text("[tool.performance-optimizer.hook]\nrate-limit-minutes = 10\n")
    assert run(edit(app, "app.py", "out.append(i)", QUERY)) is not None
    # a second new finding within ten minutes of the first message stays quiet
    assert run(edit(app, "app.py", "for i in ids]", "for i in ids if cur.execute('SELECT 1 FROM t WHERE id = ?', (i,)).fetchone()]")) is None


def child(payload: str, cwd: Path, **env) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mcp_server.cli", "hook", "post-tool-use"], input=payload, capture_output=True,
                          text=True, cwd=cwd, env=cli_env(**env), timeout=60)


def test_as_claude_code_runs_it_a_child_process_that_always_exits_0(app):
    payload = json.dumps(edit(app, "app.py", "out.append(i)", QUERY))
    p = child(payload, app, CLAUDE_PROJECT_DIR=str(app))
    assert p.returncode == 0 and json.loads(p.stdout)["decision"] == "block"
    p = child("{broken", app)
    assert (p.returncode, p.stdout) == (0, "") and "not JSON" in p.stderr
    outside = json.dumps({"tool_name": "Edit", "cwd": str(app), "tool_input": {"file_path": "../elsewhere.py", "old_string": "a", "new_string": "b"}})
    assert child(outside, app, CLAUDE_PROJECT_DIR=str(app)).stdout == ""
    (app / "pyproject.toml").write_text("[tool.performance-optimizer]\nnot-a-key = 1\n")  # our own problem: never the edit's
    p = child(json.dumps(edit(app, "app.py", "return out", "return out[:]")), app, CLAUDE_PROJECT_DIR=str(app))
    assert (p.returncode, p.stdout) == (0, "") and "not-a-key: unknown key" in p.stderr


def test_plugin_hook_file_matches_the_writing_tools():
    hooks = json.loads((REPO / "hooks" / "hooks.json").read_text())["hooks"]["PostToolUse"]
    (entry,) = hooks
    assert set(entry["matcher"].split("|")) == {"Edit", "MultiEdit", "Write", "NotebookEdit"}
    assert entry["hooks"][0]["command"] == 'sh "${CLAUDE_PLUGIN_ROOT}/bin/performance-optimizer-hook"'


def test_comment_edits_are_answered_without_the_engine_but_a_removed_suppression_is_not(app):
    """Issue 18: the hook is on every edit's path; an edit of comments cannot add a finding, so it answers at once."""
    run(edit(app, "app.py", "out.append(i)", QUERY + "  # noqa: NP101"))
    assert run(edit(app, "app.py", "    return out", "    # the totals, in order\n\n    return out")) is None
    removed = run(edit(app, "app.py", "  # noqa: NP101", ""))  # a comment, but one that changes what is reported
    assert "- NP101 line 4: " in removed["reason"]


def test_comment_only_versions_are_the_same_code():
    from mcp_server.hook import same_code

    assert same_code("x = 1\n", "x = 1  # one\n\n")
    assert not same_code("for a in b:\n    f(a)\ng()\n", "for a in b:\n    f(a)\n    g()\n")  # indentation is code
    assert not same_code("x = 1\n", "x = 1  # noqa: PF201\n")
    assert not same_code("x = (\n", "x = (  # open\n")  # unfinished code goes to the engine


def test_the_hook_process_stays_light_for_a_comment_edit(app):
    edit(app, "app.py", "out = []", "out = []  # v0")
    payload = edit(app, "app.py", "out = []  # v0", "out = []  # v1")
    probe = ("import json, sys; from mcp_server.hook import post_tool_use; "
             f"assert post_tool_use({json.dumps(json.dumps(payload))}) is None; "
             "print(sorted(m for m in sys.modules if m in ('pydantic', 'mcp_server.models', 'libcst', 'sqlglot')))")
    p = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=app, env=cli_env(CLAUDE_PROJECT_DIR=str(app)), timeout=60)
    assert (p.returncode, p.stdout) == (0, "[]\n"), p.stderr


def test_the_hook_process_reports_findings_without_the_model_layer(app):
    """Issue 18: a code edit runs the engine on plain findings; pydantic, the shared model, the MCP SDK, libcst and
    sqlglot stay out of the hook's process even when it has findings to say (one through the rule registry)."""
    leak = '\n        log = open("log.txt", "a")\n        log.write(str(i))'
    payload = edit(app, "app.py", "out.append(i)", QUERY + leak)
    probe = ("import json, sys; from mcp_server.hook import post_tool_use; "
             f"out = json.loads(post_tool_use({json.dumps(json.dumps(payload))})); print(out['reason']); "
             "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pydantic', 'mcp', 'libcst', 'sqlglot') or m == 'mcp_server.models'))")
    p = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=app, env=cli_env(CLAUDE_PROJECT_DIR=str(app)), timeout=60)
    assert p.returncode == 0, p.stderr
    reason, modules = p.stdout.rstrip("\n").rsplit("\n", 1)
    assert "- NP101 line 4: `conn.execute` runs a query once per item of the loop at line 3" in reason
    assert "- PF501 line 5: the file `log` from `open(...)` is never closed in this function" in reason
    assert modules == "[]"


def test_a_comment_edit_carries_the_known_findings_to_the_new_version(app):
    from mcp_server.config import load_config
    from mcp_server.hook import HookState, version_of

    assert run(edit(app, "app.py", "out.append(i)", QUERY)) is not None
    assert run(edit(app, "app.py", "    return out", "    return out  # done")) is None
    config = load_config(app)
    entry = HookState(app).get("app.py")
    assert entry["version"] == version_of((app / "app.py").read_text(), repr((config.hook, config.select, config.ignore)))
    assert len(entry["fingerprints"]) == 1
    # the next code edit compares with those fingerprints: the old N+1 is not news
    assert run(edit(app, "app.py", "out = []", "out: list = []")) is None

"""The server through real MCP clients: in process, over a stdio subprocess, and over streamable HTTP."""

import socket
import subprocess
import sys
import time
from pathlib import Path

import anyio
import pytest
from mcp import Client, StdioServerParameters

from conftest import cli_env
from mcp_server.server import INSTRUCTIONS, adapters, build_app
from mcp_server.tool_schemas import derive, shipped

REPO = Path(__file__).resolve().parent.parent
EXPECTED_TOOLS = {"check_sla", "detect_n_plus_one", "scan_performance", "profile_function", "compare_implementations", "suggest_fix", "apply_fix", "explain_query", "find_missing_indexes", "confirm_findings"}


async def _check_session(client: Client) -> None:
    listed = await client.list_tools()
    tools = {t.name: t for t in listed.tools}
    assert set(tools) == EXPECTED_TOOLS
    for tool in tools.values():
        assert tool.title and tool.description and "Next:" in tool.description
        assert tool.output_schema and tool.output_schema["type"] == "object"
        for name, prop in tool.input_schema["properties"].items():
            assert prop.get("description"), f"{tool.name}.{name} has no description"
    for name in EXPECTED_TOOLS - {"profile_function", "compare_implementations", "apply_fix", "confirm_findings"}:
        assert tools[name].annotations.read_only_hint is True
        assert tools[name].annotations.destructive_hint is False
    # it runs the user's code: clients must ask first
    for name in ("profile_function", "compare_implementations", "apply_fix", "confirm_findings"):
        assert tools[name].annotations.read_only_hint is False and tools[name].annotations.destructive_hint is True

    ok = await client.call_tool("check_sla", {"measurements": {"memory_usage": [300, 420]}, "targets": {"memory_usage": "max<=512"}})
    assert not ok.is_error
    assert ok.structured_content["passed"] is True
    result = ok.structured_content["results"][0]
    assert {k: result[k] for k in ("metric", "status", "observed", "margin")} == {"metric": "memory_usage", "status": "pass", "observed": 420.0, "margin": 92.0}

    bad = await client.call_tool("check_sla", {"measurements": {"api_response_time": [12, float("nan")]}})
    assert bad.is_error
    assert "measurements.api_response_time[1]: expected a finite number, got null" in bad.content[0].text

    bad = await client.call_tool("check_sla", {"measurements": {"m": 1}, "targets": {"m": "p(95)=<3"}})
    assert bad.is_error and "targets.m: cannot parse 'p(95)=<3': unknown or missing operator" in bad.content[0].text

    progress: list[tuple[float, float | None, str | None]] = []

    async def on_progress(done, total, message):
        progress.append((done, total, message))

    scan = await client.call_tool("detect_n_plus_one", {"paths": ["app"]}, progress_callback=on_progress)
    assert not scan.is_error, scan.content
    (finding,) = scan.structured_content["findings"]
    assert (finding["rule"], finding["at"]) == ("NP102", "app/report.py:5")
    assert finding["chain"] == ["loop app/report.py:4", "call app/report.py:5", "query app/rates.py:2"]
    assert scan.structured_content["total_findings"] == 1 and "next_cursor" not in scan.structured_content
    # the text is a short rendering for the model, not the JSON a second time
    text = scan.content[0].text
    assert not text.lstrip().startswith("{") and f"id={finding['id']}" in text and "chain: loop app/report.py:4 > call" in text
    assert progress and progress[-1][0] == progress[-1][1] == 2
    whole = await client.call_tool("detect_n_plus_one", {"paths": ["app"], "finding_id": finding["id"]})
    detail = whole.structured_content["detail"]
    assert [e["role"] for e in detail["evidence"]] == ["loop", "call", "query"] and detail["location"]["snippet"].strip().startswith("yield")
    bad = await client.call_tool("detect_n_plus_one", {"finding_id": "NP102-000000000000"})
    assert bad.is_error and "finding_id: no finding 'NP102-000000000000' in this scan" in bad.content[0].text
    bad = await client.call_tool("detect_n_plus_one", {"paths": ["../../etc"]})
    assert bad.is_error and "paths: ../../etc resolves to" in bad.content[0].text and "outside the project root" in bad.content[0].text
    bad = await client.call_tool("detect_n_plus_one", {"max_findings": 0})
    assert bad.is_error and "max_findings: expected a whole number >= 1, got 0" in bad.content[0].text

    # every rule: the same call is also a per-row lookup of a small key (the state), and only PF301 when asked for it
    scan = await client.call_tool("scan_performance", {"paths": ["app"], "rules": ["NP", "PF"]})
    assert not scan.is_error, scan.content
    assert [(f["rule"], f["at"]) for f in scan.structured_content["findings"]] == [("NP102", "app/report.py:5"), ("PF301", "app/report.py:5")]
    lookup = scan.structured_content["findings"][1]
    assert "looks up by `state`" in lookup["message"] and lookup["chain"][-1].endswith("app/rates.py:2")
    scan = await client.call_tool("scan_performance", {"paths": ["app"], "rules": ["PF301"]})
    assert [f["rule"] for f in scan.structured_content["findings"]] == ["PF301"]
    bad = await client.call_tool("scan_performance", {"rules": ["PF201", ""]})
    assert bad.is_error and "rules: expected a list of non-empty strings" in bad.content[0].text


APP = {
    "app/rates.py": "def rate(conn, state):\n    return conn.execute('SELECT r FROM rates WHERE s = ?', (state,)).fetchone()\n",
    "app/report.py": "from app.rates import rate\n\ndef taxes(conn, txs):\n    for t in txs:\n        yield t.value * rate(conn, t.state)\n",
}


@pytest.fixture(autouse=True)
def _app(project):
    for rel, text in APP.items():
        (project / rel).parent.mkdir(exist_ok=True)
        (project / rel).write_text(text)


def test_in_process_session(project):
    async def go():
        async with Client(build_app(project)) as client:
            assert client.server_info.name == "performance-optimizer"
            assert client.instructions == INSTRUCTIONS
            await _check_session(client)

    anyio.run(go)


def test_in_process_uses_the_project_config(project):
    (project / "pyproject.toml").write_text('[tool.performance-optimizer.sla]\nnightly_ms = "max<100"\n')

    async def go():
        async with Client(build_app(project)) as client:
            r = await client.call_tool("check_sla", {"measurements": {"nightly_ms": 150}})
            assert r.structured_content["targets_source"] == "config"
            assert r.structured_content["findings"][0]["rule"] == "SLA001"

    anyio.run(go)


def test_bad_config_is_a_clear_tool_error(project):
    (project / "pyproject.toml").write_text("[tool.performance-optimizer]\ntypo = 1\n")

    async def go():
        async with Client(build_app(project)) as client:
            r = await client.call_tool("check_sla", {"measurements": {"m": 1}})
            assert r.is_error and "[tool.performance-optimizer].typo: unknown key" in r.content[0].text

    anyio.run(go)


def test_stdio_subprocess_session(project):
    params = StdioServerParameters(command=sys.executable, args=["-m", "mcp_server"], cwd=str(project), env=cli_env())

    async def go():
        async with Client(params) as client:
            await _check_session(client)

    anyio.run(go)


def test_the_launcher_starts_our_server_in_a_project_with_its_own_mcp_server_package(project):
    # a project whose own package is named `mcp_server` (an aircraft-maintenance app's MCP tools, round 329): the
    # launcher's `python -P -m mcp_server` keeps the project's directory off sys.path, so ours is the one imported
    (project / "mcp_server").mkdir()
    (project / "mcp_server" / "__init__.py").write_text("raise ImportError('the project\\'s own mcp_server')\n")
    launcher = str(REPO / "bin" / "performance-optimizer-mcp")
    env = {**cli_env(), "PERFORMANCE_OPTIMIZER_PYTHON": sys.executable, "CLAUDE_PROJECT_DIR": str(project)}
    params = StdioServerParameters(command="sh", args=[launcher], cwd=str(project), env=env)

    async def go():
        async with Client(params) as client:
            await _check_session(client)

    anyio.run(go)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_streamable_http_session(project):
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "mcp_server.cli", "serve", "--http", "--port", str(port), "--root", str(project)],
        env=cli_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)

        async def go():
            async with Client(f"http://127.0.0.1:{port}/mcp") as client:
                await _check_session(client)

        anyio.run(go)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert f"serving streamable HTTP on http://127.0.0.1:{port}/mcp" in proc.stderr.read()


def test_shipped_tool_schemas_are_what_the_sdk_derives(project):
    """Issue 18: the server publishes the schemas shipped in tool_schemas.json instead of deriving them at each start.
    They must be exactly what the SDK's @app.tool derives from the adapters and their answer models; if this fails,
    regenerate them: python -m mcp_server.tool_schemas"""
    tools = adapters(project)
    assert {a.name for a in tools} == EXPECTED_TOOLS and len(tools) == len(EXPECTED_TOOLS)
    assert shipped() == derive(tools)
    for adapter in tools:
        ours, sdk = adapter.tool(shipped()), adapter.derived()
        fields = {"fn", "fn_metadata"}
        assert ours.model_dump(exclude=fields) == sdk.model_dump(exclude=fields), adapter.name
        assert ours.output_schema == sdk.output_schema and ours.parameters == sdk.parameters
        # the arguments are validated by the same fields, aliases and defaults, hence the same schema and errors
        ours_args, sdk_args = ours.fn_metadata.arg_model, sdk.fn_metadata.arg_model
        assert {n: (f.alias, f.default, f.annotation, f.metadata) for n, f in ours_args.model_fields.items()} == \
               {n: (f.alias, f.default, f.annotation, f.metadata) for n, f in sdk_args.model_fields.items()}
        assert ours_args.model_json_schema(by_alias=True) == sdk_args.model_json_schema(by_alias=True) == ours.parameters
    assert "schema" in shipped()["explain_query"]["input"]["properties"]  # a name that shadows a BaseModel method, aliased


def test_the_server_starts_without_importing_the_tools(project):
    """Issue 18: a tool's implementation and its answer model are imported on its first call, not at the server's start."""
    probe = ("import sys; from mcp_server.server import build_app; build_app(); "
             "print(sorted(m for m in sys.modules if m.startswith(('mcp_server.tools', 'mcp_server.analysis', 'mcp_server.sql', "
             "'mcp_server.runtime', 'mcp_server.compare', 'mcp_server.models', 'mcp_server.paging', 'libcst', 'sqlglot'))))")
    p = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=project, env=cli_env(), timeout=120)
    assert (p.returncode, p.stdout) == (0, "[]\n"), p.stderr

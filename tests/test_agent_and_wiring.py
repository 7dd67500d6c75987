"""The agent, the plugin and .mcp.json agree with the server: same server name, same tools."""

import json
import re

import anyio
import pytest
from mcp import Client

from conftest import REPO
from mcp_server.server import build_app

AGENT = REPO / ".claude" / "agents" / "performance-optimizer.md"
SERVER = "performance-optimizer"
PREFIXES = (f"mcp__{SERVER}__", f"mcp__plugin_{SERVER}_{SERVER}__")


def frontmatter() -> tuple[dict[str, str], str]:
    text = AGENT.read_text()
    m = re.match(r"^---\n(.*?)\n---\n(.*)$", text, re.S)
    assert m, "agent file must start with YAML frontmatter between --- lines"
    fields = {}
    for line in m.group(1).splitlines():
        key, sep, value = line.partition(":")
        assert sep and re.fullmatch(r"[a-z]+", key), f"unexpected frontmatter line {line!r}"
        fields[key] = value.strip()
    return fields, m.group(2)


@pytest.fixture(scope="module")
def server_tools() -> set[str]:
    async def go():
        async with Client(build_app(REPO)) as c:
            return {t.name for t in (await c.list_tools()).tools}

    return anyio.run(go)


def test_frontmatter_is_valid_for_claude_code():
    fields, body = frontmatter()
    assert fields["name"] == "performance-optimizer"
    assert fields["model"] in {"sonnet", "opus", "haiku", "inherit"}
    assert fields["color"]
    assert "PROACTIVELY" in fields["description"]
    for trigger in ("queries inside loops", "N+1", "1,000 records", "tax rates", "concurrently", "whole files", "one at a time", "index", "not be closed"):
        assert trigger in fields["description"], trigger
    assert body.strip()


def test_agent_gets_every_server_tool_under_both_install_names(server_tools):
    fields, _ = frontmatter()
    tools = [t.strip() for t in fields["tools"].split(",")]
    assert {"Read", "Grep", "Glob", "Edit", "Bash"} <= set(tools)
    mcp_tools = [t for t in tools if t.startswith("mcp__")]
    for prefix in PREFIXES:
        named = {t[len(prefix):] for t in mcp_tools if t.startswith(prefix)}
        assert named == server_tools, f"{prefix}*: agent names {sorted(named)}, server has {sorted(server_tools)}"
    assert all(t.startswith(PREFIXES) for t in mcp_tools), "an mcp__ tool from an unknown server"


def test_agent_body_documents_exactly_the_server_tools(server_tools):
    _, body = frontmatter()
    section = body.split("## Your tools", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"^- `([a-z_]+)`:", section, re.M))
    assert documented == server_tools


def test_agent_corrects_the_seed():
    _, body = frontmatter()
    assert "Money is `Decimal`" in body
    assert "lru_cache" in body and "stale" in body
    assert "Decimal-exact" in body
    assert "Never turn amounts or rates into floats" in body


def test_mcp_json_and_plugin_start_the_same_server():
    project = json.loads((REPO / ".mcp.json").read_text())["mcpServers"]
    plugin = json.loads((REPO / ".claude-plugin" / "plugin.json").read_text())
    assert set(project) == set(plugin["mcpServers"]) == {SERVER}
    assert project[SERVER]["args"][0].endswith("/bin/performance-optimizer-mcp")
    assert plugin["mcpServers"][SERVER]["args"] == ["${CLAUDE_PLUGIN_ROOT}/bin/performance-optimizer-mcp"]
    market = json.loads((REPO / ".claude-plugin" / "marketplace.json").read_text())
    assert [p["name"] for p in market["plugins"]] == [plugin["name"]] == [SERVER]
    # plugins load agents from agents/ at their root; it points at the one agent file we keep
    assert (REPO / "agents" / "performance-optimizer.md").resolve() == AGENT.resolve()

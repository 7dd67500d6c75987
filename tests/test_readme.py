"""The README's promises: it stays the front door (about 300 lines, links to docs/ that exist), the rule reference
in docs/rules.md is generated from the rules, CI runs the README's test command."""

import re

from conftest import REPO
from mcp_server.rules import rules_markdown

README = (REPO / "README.md").read_text()
DOCS = REPO / "docs"


def test_the_readme_is_the_front_door():
    assert README.count("\n") <= 300
    for page in ("tools", "cli", "adoption", "configuration", "rules", "benchmarks", "quality"):
        assert f"](docs/{page}.md)" in README


def test_every_relative_link_resolves():
    for page in [REPO / "README.md", *sorted(DOCS.glob("*.md"))]:
        for target in re.findall(r"\]\(([^)#:\s]+)(?:#[^)]*)?\)", page.read_text()):
            assert (page.parent / target).exists(), f"{page.name} links to {target}, which does not exist"


def test_rule_reference_is_in_step_with_the_rules():
    section = (DOCS / "rules.md").read_text().split("<!-- rules:start -->\n", 1)[1].split("<!-- rules:end -->", 1)[0]
    assert section == rules_markdown(), "regenerate docs/rules.md's section with: performance-optimizer rules --format markdown"


def quick_start_commands() -> list[str]:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```bash\n(.+?)\n```", section)


def test_quick_start_has_exactly_two_commands_and_ci_runs_the_test_one():
    commands = quick_start_commands()
    assert len(commands) == 2 and all("\n" not in c for c in commands)
    ci = (REPO / ".ci" / "run").read_text()
    assert commands[1] in ci.splitlines(), "the README's test command must appear as a line of .ci/run"


def test_every_tool_has_a_row_in_the_tools_table():
    from mcp_server.tools import check_sla  # noqa: F401  (the table lists the tools in mcp_server/tools)

    tools = sorted(p.stem for p in (REPO / "mcp_server" / "tools").glob("*.py") if not p.stem.startswith("_"))  # _x: shared helpers
    table = (DOCS / "tools.md").read_text()
    for tool in tools:
        assert f"| `{tool}` |" in table

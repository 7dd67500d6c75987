"""Size of each tool's default MCP answer, in tokens (4 characters a token, text plus structured content),
through a real MCP client talking to the server over stdio, on the projects named on the command line.

    python benchmarks/bench_answer_size.py examples/accounting /path/to/app ...   [--pages]

Claude Code refuses a tool result over 25,000 tokens and warns above 10,000: every answer here should stay
at or under 10,000 (mcp_server/budget.py). With --pages, every page of scan_performance is fetched and the
union of their finding ids is checked against the CLI's JSON report (every finding exactly once).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import anyio
from mcp import Client, StdioServerParameters

BUDGET = 10_000


def tokens(result) -> int:
    text = sum(len(getattr(c, "text", "") or "") for c in result.content)
    structured = len(json.dumps(result.structured_content)) if result.structured_content is not None else 0
    return (text + structured) // 4


def cli_ids(root: Path) -> list[str]:
    out = subprocess.run([sys.executable, "-m", "mcp_server.cli", "scan", "--root", str(root), "--format", "json", "--exit-zero"],
                         capture_output=True, text=True, check=True).stdout
    return [f["id"] for f in json.loads(out)["findings"]]


async def measure(root: Path, pages: bool) -> list[tuple[str, int, str]]:
    params = StdioServerParameters(command=sys.executable, args=["-m", "mcp_server", "--root", str(root)])
    rows: list[tuple[str, int, str]] = []
    async with Client(params) as client:
        schema = {"schema": "schema.sql"} if (root / "schema.sql").is_file() else None
        calls = [("scan_performance", {}), ("detect_n_plus_one", {})] + ([("find_missing_indexes", schema)] if schema else [])
        for tool, args in calls:
            started = time.perf_counter()
            r = await client.call_tool(tool, args)
            note = "error: " + r.content[0].text[:80] if r.is_error else f"{(r.structured_content or {}).get('total_findings', '-')} findings"
            rows.append((tool, tokens(r), f"{note}, {time.perf_counter() - started:.1f} s"))
        if pages:
            seen: list[str] = []
            cursor, biggest, n = None, 0, 0
            while True:
                r = await client.call_tool("scan_performance", {"cursor": cursor} if cursor else {})
                assert not r.is_error, r.content
                biggest, n = max(biggest, tokens(r)), n + 1
                seen += [f["id"] for f in r.structured_content["findings"]]
                cursor = r.structured_content.get("next_cursor")
                if not cursor:
                    break
            expected = cli_ids(root)
            same = sorted(seen) == sorted(expected) and len(seen) == len(set(seen))
            rows.append(("scan_performance pages", biggest, f"{n} pages, {len(seen)} findings, "
                                                           f"{'exactly the CLI JSON findings' if same else 'DIFFERENT from the CLI JSON findings'}"))
    return rows


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("roots", nargs="+", type=Path)
    p.add_argument("--pages", action="store_true")
    args = p.parse_args()
    over = 0
    for root in args.roots:
        lines = sum(f.read_bytes().count(b"\n") for f in root.rglob("*.py"))
        print(f"{root} ({lines:,} lines of Python)")
        for tool, size, note in anyio.run(measure, root.resolve(), args.pages):
            over += size > BUDGET
            print(f"  {tool:<24} {size:>8,} tokens {'OVER' if size > BUDGET else 'ok  '}  {note}")
    print(f"{over} answer(s) over {BUDGET:,} tokens")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())

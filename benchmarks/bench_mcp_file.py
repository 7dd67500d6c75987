"""One 2,000-line file through the stdio MCP server: detect_n_plus_one latency, p95 (target <= 200 ms).

    python benchmarks/bench_mcp_file.py [--calls 40]

The file is edited before every call (as an agent does between scans), so each call re-analyses it; the
same run times `ruff check` of the same file as the peer.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import anyio
from mcp import Client, StdioServerParameters

FUNCTION = '''
def report_{n}(conn, client_ids, rates):
    """Per-client totals with a tax lookup (an N+1 on purpose every fifth function)."""
    totals = {{}}
    for client_id in client_ids:
        rows = {query}
        total = sum(row[1] for row in rows)
        totals[client_id] = total * rates.get(client_id, 1)
    return totals
'''


def source(lines: int) -> str:
    parts, n = ["import sqlite3\n"], 0
    while sum(p.count("\n") for p in parts) < lines:
        query = 'conn.execute("SELECT id, total FROM invoices WHERE client_id = ?", (client_id,)).fetchall()' if n % 5 == 0 else "rates.get(client_id, [])"
        parts.append(FUNCTION.format(n=n, query=query))
        n += 1
    return "".join(parts)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    h = (len(ordered) - 1) * q / 100
    lo = int(h)
    return ordered[lo] + (h - lo) * (ordered[min(lo + 1, len(ordered) - 1)] - ordered[lo])


async def run(root: Path, calls: int) -> list[float]:
    target = root / "big_module.py"
    base = source(2000)
    times = []
    params = StdioServerParameters(command=sys.executable, args=["-m", "mcp_server", "--root", str(root)], cwd=str(root))
    async with Client(params) as client:
        for i in range(calls):
            target.write_text(base + f"\n# edit {i}\n")
            started = time.perf_counter()
            result = await client.call_tool("detect_n_plus_one", {"paths": ["big_module.py"]})
            times.append(time.perf_counter() - started)
            assert not result.is_error and result.structured_content["findings"], result.content
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=40)
    calls = parser.parse_args().calls
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "pyproject.toml").write_text("[project]\nname = 'bench'\n")
        times = anyio.run(run, root, calls)
        lines = (root / "big_module.py").read_text().count("\n")
        ruff = shutil.which("ruff")
        peer = []
        if ruff:
            for _ in range(10):
                started = time.perf_counter()
                subprocess.run([ruff, "check", "--no-cache", "--select", "PERF", "--quiet", "--exit-zero", str(root / "big_module.py")], check=False)
                peer.append(time.perf_counter() - started)
    print(f"{lines} lines, {calls} detect_n_plus_one calls over stdio, file edited before each")
    print(f"  median {statistics.median(times) * 1000:.0f} ms, p95 {percentile(times, 95) * 1000:.0f} ms (target p95 <= 200 ms)")
    if peer:
        print(f"  ruff check of the same file (peer, a whole process): median {statistics.median(peer) * 1000:.0f} ms")


if __name__ == "__main__":
    main()

"""What `confirm` costs the test suite it runs: the suite with query capture in every process against the same
suite run plain, interleaved in the same run. Target: the captured suite takes at most 1.3x its plain time.

    python benchmarks/bench_confirm.py [--runs 7] [--project examples/accounting | --query-bound] [-- COMMAND ...]

Default: the bundled example's own tests (`python -m pytest -q -p no:cacheprovider`), on a copy of the example in a
temporary folder. Three timings per round: the plain command; the command as confirm runs it (capture on, wall
time of the command alone, as confirm's report states it); and the whole `confirm` (suite, static scan with a warm
cache, join). Prints medians of wall time and of CPU time (the process's and its children's: what a loaded
machine distorts least) and their ratios to the plain suite. `--query-bound` is the worst case instead: a
generated suite of 20 tests doing 5,000 primary-key SELECTs each on in-memory SQLite (a query costs a microsecond
or two there, so the capture's own cost per query is all that shows).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


QUERY_BOUND = """
import sqlite3

import pytest


@pytest.mark.parametrize("n", range(20))
def test_lookups(n):
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE rates (id INTEGER PRIMARY KEY, rate TEXT)")
    conn.executemany("INSERT INTO rates VALUES (?, ?)", [(i, str(i)) for i in range(1000)])
    total = 0
    for i in range(5000):
        total += len(conn.execute("SELECT rate FROM rates WHERE id = ?", (i % 1000,)).fetchone()[0])
    assert total > 0
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--project", default=str(REPO / "examples" / "accounting"))
    parser.add_argument("--query-bound", action="store_true", help="a generated suite of 100,000 in-memory SELECTs")
    argv = sys.argv[1:]
    command = None
    if "--" in argv:
        cut = argv.index("--")
        argv, command = argv[:cut], argv[cut + 1:]
    args = parser.parse_args(argv)
    command = command or [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]

    from mcp_server.config import load_config
    from mcp_server.confirm.run import run_suite
    from mcp_server.tools.confirm_findings import confirm_findings

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "project"
        if args.query_bound:
            args.project = "(generated: 20 tests x 5,000 SELECTs)"
            (root / "tests").mkdir(parents=True)
            (root / "pyproject.toml").write_text('[project]\nname = "query-bound"\n[tool.pytest.ini_options]\ntestpaths = ["tests"]\n')
            (root / "tests" / "test_queries.py").write_text(QUERY_BOUND)
        else:
            shutil.copytree(args.project, root, ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache"))
        os.environ["PERFORMANCE_OPTIMIZER_CACHE_DIR"] = str(Path(tmp) / "cache")
        os.environ["PYTHONDONTWRITEBYTECODE"] = "1"  # every run starts from the same (byte-code free) tree
        config = load_config(root)

        def timed(run) -> tuple[float, float]:
            """(wall s, CPU s of this process and its children): CPU time is what a loaded machine distorts least."""
            before, own = resource.getrusage(resource.RUSAGE_CHILDREN), resource.getrusage(resource.RUSAGE_SELF)
            started = time.perf_counter()
            run()
            wall = time.perf_counter() - started
            after, own_after = resource.getrusage(resource.RUSAGE_CHILDREN), resource.getrusage(resource.RUSAGE_SELF)
            cpu = sum(getattr(after, f) - getattr(before, f) + getattr(own_after, f) - getattr(own, f) for f in ("ru_utime", "ru_stime"))
            return wall, cpu

        def plain() -> None:
            subprocess.run(command, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)

        def captured() -> None:
            run_suite(command, root, 900, subprocess.DEVNULL)

        statuses: dict = {}

        def whole() -> None:
            statuses.update(confirm_findings(command, config=config, output=subprocess.DEVNULL).by_status)

        whole()  # warm the facts cache and the OS's file cache
        times: dict[str, list[tuple[float, float]]] = {"plain": [], "captured": [], "confirm": []}
        for i in range(args.runs):
            order = [("plain", plain), ("captured", captured), ("confirm", whole)]
            if i % 2:
                order.reverse()  # interleaved, alternating, so drift hits both sides alike
            for name, run in order:
                times[name].append(timed(run))
        wall0 = statistics.median(w for w, _ in times["plain"])
        cpu0 = statistics.median(c for _, c in times["plain"])
        print(f"project: {args.project}; command: {' '.join(command)}; {args.runs} runs each, interleaved")
        print(f"statuses: {statuses}")
        for name, values in times.items():
            wall, cpu = statistics.median(w for w, _ in values), statistics.median(c for _, c in values)
            print(f"{name:>9}: wall median {wall:.3f} s (min {min(w for w, _ in values):.3f}), ratio {wall / wall0:.2f}x; "
                  f"CPU median {cpu:.3f} s, ratio {cpu / cpu0:.2f}x")
        ratio = statistics.median(c for _, c in times["captured"]) / cpu0
        print(f"suite under capture / plain suite (CPU): {ratio:.2f}x (target <= 1.30x): {'ok' if ratio <= 1.3 else 'OVER'}")


if __name__ == "__main__":
    main()

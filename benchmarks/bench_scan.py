"""detect_n_plus_one on real trees from PyPI (django, wagtail) against ruff on the same tree, same run.

    pip install ruff && python benchmarks/bench_scan.py [--runs 3] [--trees django wagtail]

For each tree: ruff `check --no-cache --select PERF` (the peer), our cold scan (empty cache, all cores),
our warm rescan (nothing changed), a rescan after changing one file, and the peak RSS of our process.
Everything is scanned, tests and migrations included (`--exclude ""`), so both tools read the same files.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from corpus import PACKAGES, count, tree  # noqa: E402


PARSE_FLOOR = """
import ast, os, sys
from multiprocessing import Pool
def parse(path):
    with open(path, 'rb') as fh:
        ast.parse(fh.read())
files = [os.path.join(d, f) for d, _, fs in os.walk(sys.argv[1]) for f in fs if f.endswith('.py')]
with Pool(os.cpu_count()) as pool:
    pool.map(parse, files, chunksize=24)
"""


def timed(cmd: list[str], env: dict[str, str] | None = None, cwd: str | None = None) -> tuple[float, int]:
    """Wall time and peak RSS (MB) of one child process, from wait4."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=cwd)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{cmd[0]} failed with status {status}")
    return elapsed, usage.ru_maxrss // 1024


def cold_warm_edited(cmd: list[str], root: Path, env: dict[str, str], victim: Path, edit: str) -> tuple[float, float, float]:
    """Wall times of a scan with an empty cache, again with it warm, and after `victim` gets the line `edit` (put
    back afterwards); `cmd` runs from the cache folder, since `python -m` puts the working directory on sys.path."""
    with tempfile.TemporaryDirectory() as cache:
        env = {**env, "PERFORMANCE_OPTIMIZER_CACHE_DIR": cache}
        cold = timed([*cmd, "--root", str(root)], env, cache)[0]
        warm = timed([*cmd, "--root", str(root)], env, cache)[0]
        original = victim.read_bytes()
        try:
            victim.write_bytes(original + f"\n{edit} {time.time()}\n".encode())
            edited = timed([*cmd, "--root", str(root)], env, cache)[0]
        finally:
            victim.write_bytes(original)
    return cold, warm, edited


def print_ratios(times: dict[str, dict[str, list[float]]], baseline: str) -> None:
    """One line per variant: the median of each measurement and its ratio to the baseline variant's."""
    base = {k: statistics.median(v) for k, v in times[baseline].items()}
    for label, t in times.items():
        cells = "  ".join(f"{k} {statistics.median(v):.2f} s ({statistics.median(v) / base[k]:.2f}x)" for k, v in t.items())
        print(f"  {label:<22} {cells}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--trees", nargs="*", default=list(PACKAGES))
    args = parser.parse_args()
    ruff = shutil.which("ruff")
    if not ruff:
        raise SystemExit("ruff is the peer of this benchmark: pip install ruff")
    ours = [sys.executable, "-m", "mcp_server.cli", "scan", "--exclude", "", "--exit-zero", "--format", "json"]
    med = statistics.median
    for name in args.trees:
        root = tree(name)
        files, lines = count(root)
        print(f"\n{name}: {files} files, {lines:,} lines, {os.cpu_count()} cores")
        peer = [timed([ruff, "check", "--no-cache", "--select", "PERF", "--quiet", "--exit-zero", str(root)])[0] for _ in range(args.runs * 2)]
        floor = [timed([sys.executable, "-c", PARSE_FLOOR, str(root)])[0] for _ in range(args.runs)]
        startup = [timed([sys.executable, "-c", "pass"])[0] for _ in range(args.runs * 2)]
        cold, warm, changed, rss = [], [], [], []
        for _ in range(args.runs):
            with tempfile.TemporaryDirectory() as cache:
                env = {**os.environ, "PERFORMANCE_OPTIMIZER_CACHE_DIR": cache}
                t, m = timed([*ours, "--root", str(root)], env)
                cold.append(t)
                rss.append(m)
                for _ in range(2):
                    t, m = timed([*ours, "--root", str(root)], env)
                    warm.append(t)
                    rss.append(m)
                victim = next(root.rglob("*.py"))
                original = victim.read_bytes()
                try:
                    victim.write_bytes(original + f"\n# changed {time.time()}\n".encode())
                    t, m = timed([*ours, "--root", str(root)], env)
                    changed.append(t)
                    rss.append(m)
                finally:
                    victim.write_bytes(original)
        r = med(peer)
        print(f"  ruff check --select PERF (peer): median {r:.3f} s")
        print(f"  floor for any ast-based tool, ast.parse of every file on all cores: median {med(floor):.2f} s = {med(floor) / r:.1f}x ruff")
        print(f"  floor for any Python tool, `python -c pass`: median {med(startup):.3f} s = {med(startup) / r:.1f}x ruff")
        print(f"  cold scan:        median {med(cold):.2f} s  = {med(cold) / r:.1f}x ruff (target <= 10x)")
        print(f"  warm, unchanged:  median {med(warm):.2f} s  = {med(warm) / r:.1f}x ruff (target <= 1x)")
        print(f"  one file changed: median {med(changed):.2f} s  = {med(changed) / r:.1f}x ruff")
        print(f"  peak RSS of one scan process: {max(rss)} MB (target <= 512 MB)")


if __name__ == "__main__":
    main()

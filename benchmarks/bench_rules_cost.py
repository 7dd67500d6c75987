"""What the scan_performance rules cost over the N+1 scan alone, on real trees from PyPI, same run.

    python benchmarks/bench_rules_cost.py [--runs 3] [--trees django wagtail] [--baseline-rev 7ee13c3]
    python benchmarks/bench_rules_cost.py --release c123bd7   # this engine against a previous release, like for like

The peer is the N+1-only engine: the `scan` command of the release before these rules (git revision
--baseline-rev, checked out into a temporary worktree; never the working tree). Against it, on the same
files: our `scan --no-ruff` (every rule of ours) and our `scan` (every rule, ruff's merged). For each: a cold
scan (empty cache, all cores), a warm rescan (nothing changed) and a rescan after one file changed. Runs
are interleaved so that machine noise hits every variant alike. Target: every rule costs at most 1.30x the
N+1 scan alone. With --release REV the peer is that release's own `scan --no-ruff`, the same command as ours,
so the ratio is what the engine's changes since REV cost.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from corpus import PACKAGES, tree  # noqa: E402
from bench_scan import cold_warm_edited, print_ratios  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
PEER_RELEASE = "previous release, no ruff"

STAGES = """
import ast, sys, time
from pathlib import Path
from mcp_server.analysis.extract import Extractor
from mcp_server.analysis.patterns import PatternFinder
from mcp_server.analysis.index import ProjectIndex
from mcp_server.analysis.n_plus_one import detect
from mcp_server.analysis.cross import CrossDetector
root = Path(sys.argv[1])
sources = [(p.relative_to(root).as_posix(), p.read_text(errors="replace")) for p in root.rglob("*.py")]
t0 = time.perf_counter(); trees = [(rel, text, ast.parse(text)) for rel, text in sources]
t1 = time.perf_counter(); done = [(Extractor(rel, text).run(tree), text, tree) for rel, text, tree in trees]
t2 = time.perf_counter()
for facts, text, tree in done:
    facts.hits = PatternFinder(facts, text.splitlines()).run(tree)
t3 = time.perf_counter(); index = ProjectIndex([f for f, _, _ in done]); detect(index)
t4 = time.perf_counter(); list(CrossDetector(index).run())
t5 = time.perf_counter()
print(f"{t1 - t0:.2f} {t2 - t1:.2f} {t3 - t2:.2f} {t4 - t3:.2f} {t5 - t4:.2f}")
"""


def variants(worktree: Path, release: bool) -> dict[str, tuple[list[str], dict[str, str]]]:
    scan = [sys.executable, "-m", "mcp_server.cli", "scan", "--exclude", "", "--exit-zero", "--format", "json"]
    baseline_env = {**os.environ, "PYTHONPATH": str(worktree)}
    current_env = {**os.environ, "PYTHONPATH": str(REPO)}
    if release:
        return {PEER_RELEASE: ([*scan, "--no-ruff"], baseline_env), "this engine, no ruff": ([*scan, "--no-ruff"], current_env)}
    return {
        "N+1 only (baseline)": (scan, baseline_env),
        "every rule, no ruff": ([*scan, "--no-ruff"], current_env),
        "every rule + ruff": (scan, current_env),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--trees", nargs="*", default=list(PACKAGES))
    parser.add_argument("--baseline-rev", default="7ee13c3", help="the last commit with the N+1 rules alone")
    parser.add_argument("--release", help="compare with this previous release's scan --no-ruff instead")
    args = parser.parse_args()
    rev, peer = (args.release, PEER_RELEASE) if args.release else (args.baseline_rev, "N+1 only (baseline)")
    with tempfile.TemporaryDirectory() as tmp:
        worktree = Path(tmp) / "baseline"
        subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", "-q", str(worktree), rev], check=True)
        try:
            for label, (cmd, env) in variants(worktree, bool(args.release)).items():  # each variant must load its own engine
                where = subprocess.run([sys.executable, "-c", "import mcp_server; print(mcp_server.__file__)"], env=env, cwd=tmp,
                                       capture_output=True, text=True, check=True).stdout.strip()
                assert where.startswith(env["PYTHONPATH"]), (label, where)
            for name in args.trees:
                root = tree(name)
                print(f"\n{name}: {sum(1 for _ in root.rglob('*.py'))} files, {os.cpu_count()} cores")
                times: dict[str, dict[str, list[float]]] = {}
                for _ in range(args.runs):
                    for label, (cmd, env) in variants(worktree, bool(args.release)).items():
                        t = times.setdefault(label, {"cold": [], "warm": [], "changed": []})
                        for key, value in zip(("cold", "warm", "changed"),
                                              cold_warm_edited(cmd, root, env, next(root.rglob("*.py")), "# changed")):
                            t[key].append(value)
                print_ratios(times, peer)
                print("  target: " + ("cold and one file changed <= 1.30x the release, warm unchanged" if args.release
                                      else "every rule <= 1.30x the N+1 scan alone"))
                out = subprocess.run([sys.executable, "-c", STAGES, str(root)], capture_output=True, text=True, check=True,
                                     env={**os.environ, "PYTHONPATH": str(REPO)}).stdout.split()
                parse, extract, patterns, n_plus_one, cross = map(float, out)
                print(f"  one core, in process: parse {parse:.2f} s, N+1 facts {extract:.2f} s, scan_performance pass {patterns:.2f} s "
                      f"(+{patterns / (parse + extract):.0%} of parse + facts), N+1 rules {n_plus_one:.2f} s, other rules {cross:.2f} s")
        finally:
            subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(worktree)], check=False)


if __name__ == "__main__":
    main()

"""What reading Django templates adds to the scan of a real Django project, against the release before, same run.

    python benchmarks/bench_templates.py [--runs 5] [--roots DIR ...] [--baseline-rev 57ea91b]

The peer is our own `scan --no-ruff` at --baseline-rev (checked out into a temporary git worktree; never the
working tree), which reads the .py files only; ours reads the templates too and binds them to their views.
For each project: a cold scan (empty cache, all cores), a warm rescan (nothing changed) and a rescan after one
template changed (the peer does not read it: its rescan is a warm one). Runs are interleaved so that machine
noise hits both alike. Target: cold <= 1.20x, warm unchanged.
Default projects: django (the framework's own tree, from benchmarks/corpus.py) and django-oscar.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_scan import cold_warm_edited, print_ratios  # noqa: E402
from corpus import tree  # noqa: E402

REPO = Path(__file__).resolve().parent.parent

STAGES = """
import sys, time
from pathlib import Path
from mcp_server.analysis.files import analyse_text, is_template_path
from mcp_server.analysis.scan import analyse
root = Path(sys.argv[1])
files = [(p.relative_to(root).as_posix(), p.read_text(errors="replace")) for p in sorted(root.rglob("*")) if p.is_file()]
py = [(r, t) for r, t in files if r.endswith(".py")]
tpl = [(r, t) for r, t in files if is_template_path(r)]
best = {}
for _ in range(3):
    t0 = time.process_time(); pf = [analyse_text(r, t)[0] for r, t in py]
    t1 = time.process_time(); tf = [analyse_text(r, t)[0] for r, t in tpl]
    t2 = time.process_time(); analyse([f for f in pf if f])
    t3 = time.process_time(); analyse([f for f in pf + tf if f])
    t4 = time.process_time()
    for k, v in (("py", t1 - t0), ("tpl", t2 - t1), ("detect", t3 - t2), ("detect+tpl", t4 - t3)):
        best[k] = min(best.get(k, v), v)
print(best["py"], best["tpl"], best["detect"], best["detect+tpl"])
"""
OSCAR = Path("/tmp/apps/src/django_oscar")  # an unpacked django-oscar 4.2.1 wheel, when there is one


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--roots", nargs="*", help="project roots (default: django, and django-oscar when unpacked)")
    parser.add_argument("--baseline-rev", default="57ea91b", help="the last commit before templates were read")
    args = parser.parse_args()
    roots = [Path(r) for r in args.roots] if args.roots else [tree("django"), *([OSCAR] if OSCAR.is_dir() else [])]
    scan = [sys.executable, "-m", "mcp_server.cli", "scan", "--exclude", "", "--exit-zero", "--format", "json", "--no-ruff"]
    with tempfile.TemporaryDirectory() as tmp:
        worktree = Path(tmp) / "baseline"
        subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", "-q", str(worktree), args.baseline_rev], check=True)
        try:
            variants = {"before (no templates)": {**os.environ, "PYTHONPATH": str(worktree)},
                        "with templates": {**os.environ, "PYTHONPATH": str(REPO)}}
            for root in roots:
                templates = [p for p in root.rglob("templates/**/*.html")]
                print(f"\n{root.name}: {sum(1 for _ in root.rglob('*.py'))} .py files, {len(templates)} templates, {os.cpu_count()} cores")
                times: dict[str, dict[str, list[float]]] = {}
                for _ in range(args.runs):
                    for label, env in variants.items():
                        t = times.setdefault(label, {"cold": [], "warm": [], "template changed": []})
                        victim = templates[0] if templates else next(root.rglob("*.py"))
                        for key, value in zip(("cold", "warm", "template changed"), cold_warm_edited(scan, root, env, victim, "{# changed #}")):
                            t[key].append(value)
                print_ratios(times, "before (no templates)")
                print("  target: cold <= 1.20x, warm unchanged")
                out = subprocess.run([sys.executable, "-c", STAGES, str(root)], capture_output=True, text=True, check=True,
                                     env={**os.environ, "PYTHONPATH": str(REPO)}).stdout.split()
                py, tpl, detect, both = map(float, out)
                print(f"  one core, CPU time, best of 3: .py facts {py:.2f} s, template facts {tpl:.2f} s; detectors {detect:.2f} s without "
                      f"templates, {both:.2f} s with them; templates add {(tpl + both - detect) / (py + detect):+.1%} to facts + detectors")
        finally:
            subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(worktree)], check=False)


if __name__ == "__main__":
    main()

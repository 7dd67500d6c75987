"""Recall of the N+1 rules on the development set: `python -m devset [--verbose]`."""

from __future__ import annotations

import argparse
import collections
import importlib
import pkgutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from devset import Case  # noqa: E402
from mcp_server.analysis.scan import scan_sources  # noqa: E402
from mcp_server.models import Severity  # noqa: E402


def cases() -> list[Case]:
    found: list[Case] = []
    for info in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if info.name.startswith("cases_"):
            found.extend(importlib.import_module(f"devset.{info.name}").CASES)
    names = [c.name for c in found]
    dupes = {n for n in names if names.count(n) > 1}
    if dupes:
        raise SystemExit(f"duplicate case names: {sorted(dupes)}")
    return found


def places(report, floor: int = 0) -> set[tuple[str, int]]:
    """Where the findings point (their line and their loops' lines), for findings at or above `floor` (a rank)."""
    out = set()
    for f in report.findings:
        if f.severity.rank < floor:
            continue
        if f.location:
            out.add((f.location.path, f.location.line))
        out.update((e.location.path, e.location.line) for e in f.evidence if e.role == "loop" and e.location)
    return out


def main() -> int:
    p = argparse.ArgumentParser(prog="python -m devset")
    p.add_argument("--verbose", action="store_true")
    p.add_argument("--select", default="NP,PF201", help="rules counted (default: NP,PF201)")
    args = p.parse_args()
    select = args.select.split(",")
    by_kind: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
    hits = silent = shown = 0
    floor = Severity("medium").rank  # the scans' default min-severity
    all_cases = cases()
    for case in all_cases:
        before = scan_sources(case.files, select=select)
        got = places(before)
        hit = all(e in got for e in case.expect)
        after = scan_sources({**case.files, **case.fixed}, select=select) if case.fixed else None
        quiet = after is not None and not after.findings
        hits += hit
        shown += hit and all(e in places(before, floor) for e in case.expect)
        silent += hit and quiet
        by_kind[case.kind][0] += hit
        by_kind[case.kind][1] += 1
        if args.verbose or not hit:
            status = "found" if hit else "MISSED"
            extra = "" if not hit else (" silent after fix" if quiet else " NOT silent after fix")
            print(f"{status:7} {case.name} [{case.kind}, {case.framework}]{extra}")
            if args.verbose:
                for f in before.findings:
                    print(f"        {f.rule} {f.location.path}:{f.location.line}")
    print()
    for kind, (h, n) in sorted(by_kind.items()):
        print(f"{kind:18} {h}/{n}")
    print(f"recall: {hits}/{len(all_cases)} cases found ({shown} at or above medium, listed by default); "
          f"{silent}/{hits} found cases silent after the fix")
    return 0


if __name__ == "__main__":
    sys.exit(main())

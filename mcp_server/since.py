"""`scan --since REF`: which lines changed since the merge base with REF, committed or not, from git.

The whole project is still analysed (a changed helper makes a loop elsewhere an N+1); only the report is narrowed
to findings that touch a changed line: their own line, or the line of any of their evidence (the loop, a call,
the query of a chain)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

from .errors import InputError

Changed = dict[str, "set[int] | None"]  # root-relative path -> changed lines (None: the whole file is new)
_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")


def _git(root: Path, *args: str) -> str:
    try:
        out = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, timeout=60, check=False)
    except FileNotFoundError:
        raise InputError("--since", "git is not installed") from None
    except subprocess.TimeoutExpired:
        raise InputError("--since", f"git {args[0]} took over 60 s") from None
    if out.returncode != 0:
        raise InputError("--since", (out.stderr.strip().splitlines() or [f"git {args[0]} failed"])[-1])
    return out.stdout


def changed_lines(root: Path, ref: str) -> Changed:
    if ref.startswith("-"):
        raise InputError("--since", f"expected a git revision (a branch, tag or commit), got {ref!r}")
    _git(root, "rev-parse", "--show-toplevel")  # says "not a git repository" plainly
    try:
        base = _git(root, "merge-base", ref, "HEAD").strip()
    except InputError:
        raise InputError("--since", f"{ref!r} is not a revision git knows in {root} (or has no common history with HEAD)") from None
    changed: Changed = {}
    current: str | None = None
    # --relative: paths relative to the root, and only under it; the working tree, staged or not, against the base
    for line in _git(root, "diff", "-U0", "--no-color", "--no-ext-diff", "--relative", base, "--").splitlines():
        if line.startswith("+++ "):
            current = None if line == "+++ /dev/null" else line[6:] if line.startswith("+++ b/") else line[4:]
            if current is not None:
                changed.setdefault(current, set())
        elif line.startswith("@@") and current is not None:
            m = _HUNK.match(line)
            if m:
                start, count = int(m.group(1)), int(m.group(2) if m.group(2) is not None else 1)
                lines = changed[current]
                if lines is not None:
                    # a deletion (count 0) changes the code around it: removing a prefetch makes the loop below an N+1
                    lines.update(range(start, start + count) if count else (start, start + 1))
    for rel in _git(root, "ls-files", "--others", "--exclude-standard").splitlines():
        changed[rel] = None  # untracked: every line is new
    return changed


def touches(finding: Any, changed: Changed) -> bool:
    places = [finding.location] + [e.location for e in finding.evidence]
    for loc in places:
        if loc is None or loc.path not in changed:
            continue
        lines = changed[loc.path]
        if lines is None or any(n in lines for n in range(loc.line, (loc.end_line or loc.line) + 1)):
            return True
    return False

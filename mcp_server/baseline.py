"""A baseline: the findings a team accepts today, so that a scan of a five-year-old codebase reports only what is new.

A baseline file holds finding ids (analysis/identity.py: rule + file + enclosing function + normalised statement,
never the line), so lines inserted above a finding or a reformatted file do not bring it back. Each id has a count:
three identical lookups in one function are one id three times, and a fourth one is new. The rule, path, line and
message are there for the human reading the file in review; matching ignores them.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from .errors import InputError

VERSION = 1


def write_baseline(path: Path, findings: list[Any], flag: str = "--write-baseline") -> tuple[int, int]:
    """Write the findings' ids (sorted by place, so the file diffs well); returns (findings, distinct ids)."""
    counts = Counter(f.id for f in findings if f.id)
    first: dict[str, Any] = {}
    for f in findings:
        if f.id and f.id not in first:
            first[f.id] = f
    entries = []
    for fid, f in first.items():
        loc = f.location
        entries.append({"id": fid, "count": counts[fid], "rule": f.rule, "path": loc.path if loc else None,
                        "line": loc.line if loc else None, "message": f.message})
    entries.sort(key=lambda e: (e["path"] or "", e["line"] or 0, e["rule"], e["id"]))
    body = {"tool": "performance-optimizer", "version": VERSION,
            "note": "accepted findings; `performance-optimizer scan --baseline FILE` reports only the others", "findings": entries}
    if path.is_dir():
        raise InputError(flag, f"{path} is a folder; name a file in it")
    if not path.parent.is_dir():
        raise InputError(flag, f"the folder {path.parent} does not exist; create it first")
    try:
        path.write_text(json.dumps(body, indent=2) + "\n", encoding="utf-8")
    except OSError as exc:
        raise InputError(flag, f"cannot write {path}: {exc.strerror or exc}") from None
    return sum(counts.values()), len(counts)


def read_baseline(path: Path, flag: str = "--baseline") -> Counter[str]:
    """id -> how many findings with that id are accepted."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(flag, f"no such file: {path} (write one with scan --write-baseline {path})") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(flag, f"cannot read {path}: {exc}") from None
    except json.JSONDecodeError as exc:
        raise InputError(flag, f"{path} is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    except RecursionError:
        raise InputError(flag, f"{path} is nested too deeply to read") from None
    entries = data.get("findings") if isinstance(data, dict) else None
    if not isinstance(entries, list) or data.get("version") != VERSION:
        raise InputError(flag, f"{path} is not a performance-optimizer baseline (version {VERSION}, with a findings list)")
    out: Counter[str] = Counter()
    for i, e in enumerate(entries):
        count = e.get("count", 1) if isinstance(e, dict) else None
        if not isinstance(e, dict) or not isinstance(e.get("id"), str) or isinstance(count, bool) or not isinstance(count, int) or count < 1:
            raise InputError(flag, f"{path}: findings[{i}] needs an id (string) and a count (a whole number >= 1)")
        out[e["id"]] += count
    return out


def subtract(findings: list[Any], accepted: Counter[str]) -> tuple[list[Any], int]:
    """The findings not covered by the baseline, and how many were. An id seen more often than accepted reports the extra ones."""
    left = Counter(accepted)
    kept, covered = [], 0
    for f in findings:
        if f.id and left[f.id] > 0:
            left[f.id] -= 1
            covered += 1
        else:
            kept.append(f)
    return kept, covered

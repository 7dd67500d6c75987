"""ruff's performance-related checks merged into our Report, when ruff is installed (an optional dependency).

We do not re-implement what ruff already checks well (PERF, S608, SIM115, ASYNC2xx): ruff runs in a child
process while we parse, and its JSON diagnostics become Findings under their ruff codes, linked to ruff's
docs. Where one of our rules reports the same line with more evidence (a leak, blocking I/O, SQL built by
formatting), ruff's duplicate is dropped. ruff runs with `--isolated` (the project's ruff settings select
other rules) and its cache in our cache folder, never in the project.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the models load when ruff's output is read: planning a scan must stay light (see plan.py)
    from ..models import Finding

FAMILIES = ("PERF", "S608", "SIM115", "ASYNC")
# S608 flags every SQL string built by formatting, SIM115 every `open()` outside a `with`; judged on real applications
# none of either was worth acting on (the application's own column names with values bound; `open(p).read()`, which
# CPython closes at once, in scripts). PF601 and PF501 read where values come from and whether a file stays open, and
# report those; ruff's findings stay for `--min-severity low`
SEVERITY = {"PERF": "low", "S608": "low", "SIM115": "low", "ASYNC": "medium"}
# ASYNC1xx checks how trio and anyio code is written (a `timeout` parameter rather than a cancel scope, `sleep(0)`), not
# its speed (tubesync's `timeout` parameter, round 122: judged F); only a loop polling with sleep() (ASYNC110) costs time
STYLE = ("ASYNC1",)
SPEED = frozenset({"ASYNC110"})
OURS = {"SIM115": "PF501", "ASYNC": "PF801", "S608": "PF601"}  # ruff family -> our rule that reports the same line
MAX_ARGS_CHARS = 100_000  # file names per ruff process, well under ARG_MAX
TIMEOUT_S = 120


def executable() -> str | None:
    """ruff next to our interpreter (the same environment) first, then on PATH."""
    local = Path(sys.executable).with_name("ruff")
    if local.is_file() and os.access(local, os.X_OK):
        return str(local)
    return shutil.which("ruff")


def selection(select: tuple[str, ...], ignore: tuple[str, ...]) -> tuple[str, ...]:
    """The ruff codes a scan asks for: every family unless `select` narrows it (`PERF401`) or `ignore` drops it."""
    if not select:
        chosen = list(FAMILIES)
    else:
        chosen = []
        for s in select:
            for fam in FAMILIES:
                if s.startswith(fam):
                    chosen.append(s)  # narrower than the family, or the family itself
                elif fam.startswith(s):
                    chosen.append(fam)  # a prefix such as "S" or "A"
    return tuple(c for c in dict.fromkeys(chosen) if not any(c.startswith(i) for i in ignore))


def identity(select: tuple[str, ...], ignore: tuple[str, ...], enabled: bool = True) -> str:
    """What the merged findings depend on besides the files: which ruff binary, and which of its codes."""
    exe = executable() if enabled else None
    codes = selection(select, ignore) if exe else ()
    if not exe or not codes:
        return ""
    st = os.stat(exe)
    return f"{exe}:{st.st_mtime_ns}:{st.st_size}:{','.join(codes)}"


def missing(select: tuple[str, ...], ignore: tuple[str, ...], enabled: bool = True) -> tuple[str, ...]:
    """A note for the report when ruff's checks were wanted but ruff is not installed."""
    codes = selection(select, ignore) if enabled else ()
    if codes and executable() is None:
        return (f"ruff is not installed: its {', '.join(codes)} checks were not merged (pip install ruff)",)
    return ()


@dataclass
class Run:
    procs: list[subprocess.Popen]
    exe: str


def start(root: Path, rels: list[str], select: tuple[str, ...], ignore: tuple[str, ...], cache_dir: Path) -> Run | None:
    exe = executable()
    codes = selection(select, ignore)
    if not exe or not codes or not rels:
        return None
    cmd = [exe, "check", "--isolated", "--output-format", "json", "--exit-zero", "--no-fix", "--select", ",".join(codes),
           "--cache-dir", str(cache_dir / "ruff")]
    chunks: list[list[str]] = [[]]
    size = 0
    for rel in rels:
        if size + len(rel) > MAX_ARGS_CHARS and chunks[-1]:
            chunks.append([])
            size = 0
        chunks[-1].append(rel)
        size += len(rel) + 1
    procs = [subprocess.Popen([*cmd, "--", *chunk], cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
             for chunk in chunks]
    return Run(procs, exe)


def collect(run: Run, root: Path) -> tuple[list[Finding], str | None]:
    """ruff's findings, and a problem to report when ruff failed (our own findings stand either way)."""
    findings: list[Finding] = []
    for proc in run.procs:
        try:
            out, err = proc.communicate(timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            for p in run.procs:
                p.kill()
                p.communicate()
            return findings, f"ruff did not finish within {TIMEOUT_S} s; its checks were not merged"
        if proc.returncode not in (0, 1):
            return findings, f"ruff failed (exit {proc.returncode}): {err.decode(errors='replace').strip()[:300]}"
        try:
            diagnostics = json.loads(out or b"[]")
        except json.JSONDecodeError as exc:
            return findings, f"ruff printed JSON we cannot read ({exc.msg}); its checks were not merged"
        # only the codes we asked for: ruff also reports syntax errors, which our `errors` already list per file
        findings.extend(_finding(d, root) for d in diagnostics if str(d.get("code") or "").startswith(FAMILIES) and d.get("location"))
    return findings, None


def _finding(d: dict, root: Path) -> Finding:
    from ..models import Confidence, Finding, Location, Severity

    code = d["code"]
    family = next((f for f in FAMILIES if code.startswith(f)), code)
    severity = "low" if code.startswith(STYLE) and code not in SPEED else SEVERITY.get(family, "low")
    path = Path(d["filename"])
    rel = path.relative_to(root).as_posix() if path.is_absolute() and path.is_relative_to(root) else path.as_posix()
    loc, end = d["location"], d.get("end_location") or {}
    url = d.get("url") or ""
    return Finding(
        rule=code, title=(d.get("name") or code).replace("-", " ").capitalize(), severity=Severity(severity),
        confidence=Confidence.high, message=f"{d.get('message', '')} (ruff)",
        location=Location(path=rel, line=max(1, loc.get("row", 1)), column=max(1, loc.get("column", 1)),
                          end_line=end.get("row"), end_column=end.get("column")),
        suggestion=f"See ruff's documentation: {url}" if url else "",
    )


def merge(ours: list[Finding], theirs: list[Finding], answered: dict[str, dict[str, list[tuple[int, int]]]] | None = None) -> list[Finding]:
    """ruff's findings, less those one of our rules already reports on the same line with its evidence, and those on
    lines our rule read and found fine (`answered`, path -> ruff family -> line ranges): S608 on SQL that PF601 read
    as formatted only from safe values (constants, quoted identifiers, SQL Django compiled), SIM115 on a file PF501
    saw closed on every path, handed to a function that closes it, or kept by the object (`self.fp = open(...)`)."""
    covered: set[tuple[str, str, int]] = set()
    for f in ours:
        if f.location and f.rule in OURS.values():
            covered.add((f.rule, f.location.path, f.location.line))
            for ev in f.evidence:
                if ev.location is not None and ev.location.path == f.location.path:
                    covered.add((f.rule, ev.location.path, ev.location.line))
    kept = []
    for f in theirs:
        family = next((fam for fam in OURS if f.rule.startswith(fam)), None)
        if family and f.location and (OURS[family], f.location.path, f.location.line) in covered:
            continue
        if family and f.location and any(a <= f.location.line <= b for a, b in (answered or {}).get(f.location.path, {}).get(family, ())):
            continue
        kept.append(f)
    return ours + kept


def docs_url(rule: str, title: str) -> str | None:
    """The docs page of a ruff code, from the title we gave its finding."""
    if not any(rule.startswith(f) for f in FAMILIES):
        return None
    return "https://docs.astral.sh/ruff/rules/" + title.lower().replace(" ", "-")

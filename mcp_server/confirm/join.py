"""Join the static findings with what the test suite ran, by call stack.

A finding's site is its own statement and every statement of its evidence chain inside its loop (the call in
the loop that leads, through helpers, to the query): a runtime query whose application call stack passes
through one of those statements ran at that site. Chain locations outside the loop (the helper's execute
line, the relation's definition) are left out on purpose: many loops share them, and a query reached from one
loop must not confirm another loop's finding.

Per test, the queries at a site are counted by statement fingerprint; the largest count decides the status:
confirmed (>= threshold), not_repeated (the site ran, never that often), not_exercised (it never ran). Repeated
SELECTs that no finding's site explains become RT101 findings of their own (runtime_only), placed at the
innermost frame inside the scanned files.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from ..models import Evidence, Finding, Location, RuntimeStatus
from ..runtime.fingerprint import fingerprint

# Rules whose finding means "this runs a statement per item": a repeated statement at the site confirms them.
# The others (a commit or a connection per item, memory, leaks, money, async) are not measured by counting
# queries, so they get no runtime status rather than a false not_exercised.
CONFIRMABLE = ("NP101", "NP102", "NP103", "NP104", "NP107", "PF201", "PF301")
_LOOPS = ("loop", "outer loop")
_CONTROL = ("savepoint", "release", "rollback", "begin", "commit", "end", "start transaction", "set ", "pragma", "show ")
STATUS_ORDER = {"confirmed": 0, "runtime_only": 1, "not_repeated": 2, "not_exercised": 3}

Frame = tuple[str, int, str]


@dataclass
class Run:
    """Queries of one (test, statement fingerprint, call stack, template), summed over processes."""

    test: str | None
    fingerprint: str
    statement: str
    stack: tuple[Frame, ...]
    many: bool
    template: tuple[str, int] | None
    count: int = 0

    @property
    def control(self) -> bool:
        """Transaction and session statements (a SAVEPOINT per `atomic()` block, PRAGMA, SET): never the repeated
        work a finding is about, so they confirm nothing."""
        return self.fingerprint.lstrip().lower().startswith(_CONTROL)

    @property
    def select(self) -> bool:
        return not self.many and self.fingerprint.lower().startswith(("select", "with"))


def merge(raw: Iterable[list]) -> list[Run]:
    import logging

    # sqlglot warns on every statement it reads as a bare command (SAVEPOINT, PRAGMA): the fallback groups them anyway
    quiet = logging.getLogger("sqlglot")
    level = quiet.level
    quiet.setLevel(logging.ERROR)
    try:
        return _merge(raw)
    finally:
        quiet.setLevel(level)


def _merge(raw: Iterable[list]) -> list[Run]:
    runs: dict[tuple, Run] = {}
    for test, _layer, statement, stack, many, template, count, _seconds in raw:
        frames = tuple((str(p), int(line), str(fn)) for p, line, fn in stack)
        shown = tuple(template) if template else None
        fp = fingerprint(statement)
        key = (test, fp, frames, bool(many), shown)
        run = runs.get(key)
        if run is None:
            run = runs[key] = Run(test, fp, statement, frames, bool(many), shown)
        run.count += int(count)
    return list(runs.values())


class Statements:
    """Line spans of statements, per file, from one parse each: a line maps to the statement holding it."""

    def __init__(self, root: Path):
        self.root = root
        self._spans: dict[str, list[tuple[int, int]]] = {}

    def span(self, path: str, line: int, end_line: int | None = None) -> tuple[int, int]:
        spans = self._spans.get(path)
        if spans is None:
            spans = self._spans[path] = self._parse(path)
        holding = [s for s in spans if s[0] <= line <= s[1]]
        if not holding:
            return (line, end_line or line)
        first, last = min(holding, key=lambda s: s[1] - s[0])  # the innermost statement
        return (first, max(last, end_line or line))

    def _parse(self, path: str) -> list[tuple[int, int]]:
        try:
            tree = ast.parse((self.root / path).read_text(encoding="utf-8", errors="replace"))
        except (OSError, SyntaxError, ValueError, RecursionError):
            return []
        out = []
        for node in ast.walk(tree):
            if not isinstance(node, ast.stmt):
                continue
            body = getattr(node, "body", None)
            if isinstance(body, list) and body and isinstance(body[0], ast.stmt):  # a compound statement: its header only
                out.append((node.lineno, max(node.lineno, body[0].lineno - 1)))
            else:
                out.append((node.lineno, node.end_lineno or node.lineno))
        return out


def sites(f: Finding, statements: Statements) -> list[tuple[str, int, int]]:
    """(path, first line, last line) of each statement where a query means this finding's site ran."""
    if f.location is None:
        return []
    loops = [e.location for e in f.evidence if e.role in _LOOPS and e.location]
    places = [f.location]
    for e in f.evidence:
        loc = e.location
        if loc is None or e.role in _LOOPS:
            continue
        inside = any(loc.path == lp.path and lp.line <= loc.line <= (lp.end_line or lp.line) for lp in loops)
        if inside or (not loops and e.role in ("call", "query", "db")):
            places.append(loc)
    out = []
    for loc in places:
        first, last = statements.span(loc.path, loc.line, loc.end_line)
        if (loc.path, first, last) not in out:
            out.append((loc.path, first, last))
    return out


class Index:
    """Runs by the (path, line) of every frame of their stacks, and of the template line being rendered (where a
    template finding, NP107, is located: the Python stack there is only the view and Django's own code)."""

    def __init__(self, runs: list[Run], root: Path):
        self.at: dict[tuple[str, int], set[int]] = defaultdict(set)
        for i, run in enumerate(runs):
            for path, line, _ in run.stack:
                self.at[(path, line)].add(i)
            if run.template:
                rel = _relative(run.template[0], root)
                if rel:
                    self.at[(rel, run.template[1])].add(i)

    def through(self, spans: list[tuple[str, int, int]]) -> set[int]:
        found: set[int] = set()
        for path, first, last in spans:
            for line in range(first, last + 1):
                found |= self.at.get((path, line), set())
        return found


def annotate(findings: list[Finding], runs: list[Run], threshold: int, root: Path) -> set[int]:
    """Give each confirmable finding its runtime status in place; returns the runs some finding explains."""
    statements = Statements(root)
    index = Index(runs, root)
    explained: set[int] = set()
    for f in findings:
        if f.rule not in CONFIRMABLE:
            continue
        hit = index.through(sites(f, statements))
        explained |= hit
        per: dict[tuple[str | None, str], list] = {}  # (test, fingerprint) -> [count, statement]
        for i in hit:
            run = runs[i]
            if run.control:
                continue
            entry = per.setdefault((run.test, run.fingerprint), [0, run.statement])
            entry[0] += run.count
        if not per:
            f.runtime = RuntimeStatus(status="not_exercised", threshold=threshold)
            continue
        (test, _), (count, statement) = max(per.items(), key=lambda kv: (kv[1][0], kv[0][0] or ""))
        f.runtime = RuntimeStatus(status="confirmed" if count >= threshold else "not_repeated", count=count, threshold=threshold,
                                  test=test, statement=statement[:300], tests=len({t for t, _ in per}))
    return explained


def runtime_only(runs: list[Run], explained: set[int], threshold: int, scanned: set[str], root: Path) -> tuple[list[Finding], int]:
    """RT101 findings for repeated SELECTs no finding explains, one per place; and how many such groups lay wholly
    outside the scanned files (a test's own loop, say) or outside any test, which are not reported."""
    from ..rules import finding

    best: dict[tuple, tuple[Run, set]] = {}
    outside = 0
    # when the command runs tests, what runs outside them (database creation, migrations, class-level fixtures) is
    # the runner's business, not an N+1 of the application's
    in_tests = any(run.test for run in runs)
    for i, run in enumerate(runs):
        if i in explained or run.count < threshold or not run.select:
            continue
        frame = next((fr for fr in run.stack if fr[0] in scanned), None)
        if frame is None or (in_tests and not run.test):
            outside += 1
            continue
        key = (frame[0], frame[1], run.template)  # one finding per place, with the statement repeated most there
        held = best.get(key)
        if held is None:
            best[key] = (run, {run.test})
        else:
            held[1].add(run.test)
            if run.count > held[0].count:
                best[key] = (run, held[1])
    out = []
    for (path, line, template), (run, tests) in best.items():
        evidence = [Evidence(role="query", message=run.statement[:300])]
        evidence += [Evidence(role="call stack", message=f"{fn}()", location=Location(path=p, line=max(1, ln))) for p, ln, fn in run.stack]
        shown_template = None
        if template:
            tpath, tline = template
            rel = _relative(tpath, root)
            shown_template = f"{rel or tpath}:{tline}"
            evidence.append(Evidence(role="template", message=f"while rendering {shown_template} (a template line, or a DRF serializer field)",
                                     location=Location(path=rel, line=max(1, tline)) if rel else None))
        others = len(tests) - 1
        f = finding("RT101", (f"the same query ran {run.count} times from one call stack during {run.test or 'the run, outside any test'}"
                              + (f" (and repeated in {others} other test(s))" if others else "")
                              + (f", while rendering {shown_template}" if shown_template else "")
                              + "; no static finding explains it (dynamic dispatch, a library or a template issues it)"),
                    location=Location(path=path, line=max(1, line), snippet=f"in {next(fn for p, ln, fn in run.stack if (p, ln) == (path, line))}()"),
                    evidence=evidence)
        f.runtime = RuntimeStatus(status="runtime_only", count=run.count, threshold=threshold, test=run.test, statement=run.statement[:300],
                                  tests=len(tests), template=shown_template)
        out.append(f)
    return out, outside


def _relative(path: str, root: Path) -> str | None:
    try:
        full = Path(path).resolve()
        return full.relative_to(root.resolve()).as_posix() if full.is_relative_to(root.resolve()) else None
    except (OSError, ValueError):
        return None


def order(findings: list[Finding]) -> list[Finding]:
    """Confirmed first, then runtime-only, not repeated, not exercised, and findings confirm cannot measure."""
    return sorted(findings, key=lambda f: (STATUS_ORDER.get(f.runtime.status, 9) if f.runtime else 9, -f.severity.rank,
                                           f.location.path if f.location else "", f.location.line if f.location else 0, f.rule))

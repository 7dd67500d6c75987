"""From what the child measured to findings: runtime N+1 groups, repeated identical queries, resources left open.

The child groups queries by (statement text, call stack); here statements are fingerprinted, so a loop whose
statement differs only in inlined literals (an f-string, sqlite3's trace) still forms one group.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..models import Evidence, Finding, Location
from ..rules import finding
from .fingerprint import fingerprint


@dataclass
class Group:
    fingerprint: str
    stack: tuple[tuple[str, int, str], ...]
    layer: str
    count: int = 0
    seconds: float = 0.0
    sample: str = ""
    sample_params: str = ""
    distinct_params: int = 0
    top_params: str = ""
    top_params_count: int = 0
    many: bool = False
    statements: set[str] = field(default_factory=set)


def merge_groups(raw: list[dict], dialect: str | None = None) -> list[Group]:
    merged: dict[tuple, Group] = {}
    for g in raw:
        stack = tuple(tuple(f) for f in g["stack"])
        fp = fingerprint(g["statement"], dialect)
        key = (fp, stack, g["many"])
        group = merged.get(key)
        if group is None:
            group = merged[key] = Group(fp, stack, g["layer"], sample=g["statement"], sample_params=g["sample_params"], many=g["many"])
        group.count += g["count"]
        group.seconds += g["seconds"]
        group.distinct_params += g["distinct_params"]
        group.statements.add(g["statement"])
        if g["top_params_count"] > group.top_params_count:
            group.top_params, group.top_params_count = g["top_params"], g["top_params_count"]
    for group in merged.values():
        if len(group.statements) > 1:  # literals inlined in the text: each text is one distinct set of values
            group.distinct_params = max(group.distinct_params, len(group.statements))
    return sorted(merged.values(), key=lambda g: (-g.count, -g.seconds))


def _where(stack) -> Location | None:
    if not stack:
        return None
    path, line, func = stack[0]
    return Location(path=path, line=max(1, line), snippet=f"in {func}()")


def _stack_evidence(stack) -> list[Evidence]:
    # every application frame, the query's own included: it names the function that ran the query
    return [Evidence(role="call stack", message=f"{func}()", location=Location(path=path, line=max(1, line))) for path, line, func in stack]


def n_plus_one_findings(groups: list[Group], run_ms: float, threshold: int, static: dict[tuple[str, int], str]) -> list[Finding]:
    out = []
    for g in groups:
        if g.count < threshold or g.many or not g.fingerprint.lower().startswith(("select", "with")):
            continue
        share = (g.seconds * 1000 / run_ms) if run_ms > 0 else 0.0
        confirmed = next((static[(p, ln)] for p, ln, _ in g.stack if (p, ln) in static), None)
        evidence = [Evidence(role="query", message=g.sample[:300])]
        evidence += _stack_evidence(g.stack)
        if confirmed:
            evidence.append(Evidence(role="confirmed_by_runtime", message=f"the static scanner reported this call site as {confirmed}"))
        out.append(finding(
            "RT101", (f"the same query ran {g.count} times from the same call stack: {g.seconds * 1000:.1f} ms, "
                     f"{share:.0%} of the run ({g.distinct_params} distinct parameter sets)"
                     + (f"; confirms static finding {confirmed}" if confirmed else "")),
            location=_where(g.stack), evidence=evidence,
            suggestion=("Fetch the rows for every item at once (one `IN (...)` / `= ANY(...)` query, or `select_related` / "
                        "`prefetch_related` / `selectinload`) before the loop, then profile again: the count should no longer grow with the data."),
        ))
    return out


def repeated_findings(groups: list[Group], threshold: int) -> list[Finding]:
    out = []
    for g in groups:
        if g.top_params_count < threshold or not g.fingerprint.lower().startswith(("select", "with")):
            continue
        out.append(finding(
            "RT102", (f"the same statement with the same parameters ({g.top_params or 'none'}) ran {g.top_params_count} times: "
                     "every run after the first fetched an answer already known"),
            location=_where(g.stack), evidence=[Evidence(role="query", message=g.sample[:300]), *_stack_evidence(g.stack)],
            suggestion=("Fetch it once and reuse the value (a local variable or a dict built before the loop); cache across calls only "
                        "with a bound and a stated invalidation."),
        ))
    return out


def leak_findings(before: dict, after: dict) -> list[Finding]:
    if not before or not after or before.get("fds") is None:
        return []
    # descriptors, not names: a call that reopens the same log file and leaks it leaves one more each time
    new_files = sorted((Counter(after.get("files", [])) - Counter(before.get("files", []))).elements())
    new_sockets = (after.get("sockets") or 0) - (before.get("sockets") or 0)
    if not new_files and new_sockets <= 0:
        return []
    parts = []
    if new_files:
        parts.append(f"{len(new_files)} file(s) ({', '.join(new_files[:3])}{', ...' if len(new_files) > 3 else ''})")
    if new_sockets > 0:
        parts.append(f"{new_sockets} socket(s)")
    return [finding(
        "RT103", f"after the call returned, {' and '.join(parts)} opened during it were still open", "medium",
        evidence=[Evidence(role="measurement", message=f"open descriptors before {before['fds']}, after {after['fds']}")],
        suggestion="Close what the call opens (`with` blocks, or `close()` in `finally`), or keep one connection or session for the process on purpose.",
    )]

"""A report as pages a coding agent can read: ranked, compact, every finding exactly once, within the budget.

The ranking puts first what a reader should act on first: findings confirmed at run time; then critical, then
high and medium, then low and info; within those, per-row work over a table before per-row work over one object's
related rows, then where the per-row work runs (a list endpoint's serializer, a template or comprehension, a plain
loop), then severity, then confidence, then our own rules (which carry an evidence chain) before merged linters'
checks. A cursor
names the ranked list it was cut from (a digest of its ids), so a page asked for after the project changed,
or with other filters, is refused instead of silently skipping or repeating findings.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections import Counter
from typing import TYPE_CHECKING

from .analysis.loop_size import HANDFUL
from .budget import PAGE_TOKENS, tokens
from .errors import InputError

if TYPE_CHECKING:
    from .models import CompactFinding, Finding, Report, ReportPage

DEFAULT_PAGE = 25
TOP_FILES = 10
SHOWN_ERRORS = 10
MESSAGE_CHARS = 220
FIX_CHARS = 180
CHAIN_STEPS = 6
_CONFIDENCE = {"high": 2, "medium": 1, "low": 0}
_OURS = ("NP", "PF", "SQL", "RT", "SLA")
_RUN_RANK = {"confirmed": 0, "runtime_only": 1}
_BAND = {"critical": 0, "high": 1, "medium": 1, "low": 2, "info": 2}


def rank_key(f: Finding) -> tuple:
    shown = _RUN_RANK.get(f.runtime.status if f.runtime else None, 2)  # confirmed, then runtime-only, then the rest
    loc = f.location
    return (shown, _BAND[f.severity.value], _one_objects_rows(f), _where_it_runs(f), -f.severity.rank, -_CONFIDENCE[f.confidence.value], not f.rule.startswith(_OURS),
            loc.path if loc else "", loc.line if loc else 0, loc.column if loc else 0, f.rule, f.id or "")


def _one_objects_rows(f: Finding) -> bool:
    """Per-row work over one object's related rows ("often a handful") after the rest of its band: judged out of
    sample (issue 15, rounds 11 and 12), 2 of 24 such findings were worth acting on, against 7 of 37 of the others."""
    return HANDFUL in f.message


def _where_it_runs(f: Finding) -> int:
    """Per-row work a list endpoint's serializer does first, then a template's or a comprehension's, then a plain
    loop's, then findings without a loop. Judged on eight applications (150 findings, docs/quality.md), the share
    worth acting on was 88%, 50%, 50% and 11% in that order, the same order in each sample, while `high` and
    `medium` did not separate them (14% and 20% in one sample, 47% and 13% in the other): so within critical,
    then high and medium together, then low and info, this comes before severity."""
    loop = next((e for e in f.evidence if e.role == "loop"), None)
    if loop is None:
        return 3
    if loop.message.startswith("serializer loop"):
        # a list endpoint's rows; a nested serializer over one object's related rows ("unknown: ...") is a plain loop
        return 2 if loop.message.startswith("serializer loop (unknown") else 0
    if f.rule == "NP107" or loop.message.startswith("comprehension loop"):
        return 1
    return 2


def runtime_line(f: Finding) -> str | None:
    """confirm's verdict on a finding in one line, or None when confirm did not run."""
    r = f.runtime
    if r is None:
        return None
    if r.status in ("confirmed", "runtime_only"):
        return f"{r.status}: {r.count} x in {r.test or 'no test'}" + (f" (template {r.template})" if r.template else "")
    if r.status == "not_repeated":
        return f"not_repeated: at most {r.count} x in one test ({r.tests} test(s) ran it; threshold {r.threshold})"
    return r.status


def ranked(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=rank_key)


def digest(findings: list[Finding]) -> str:
    return hashlib.sha256("\n".join(f.id or "" for f in findings).encode()).hexdigest()[:12]


def make_cursor(of: str, offset: int) -> str:
    return base64.urlsafe_b64encode(f"1:{of}:{offset}".encode()).decode().rstrip("=")


def read_cursor(cursor: str, of: str, total: int) -> int:
    try:
        version, seen, offset = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode().split(":")
        offset_n = int(offset)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise InputError("cursor", f"{cursor[:40]!r} is not a cursor this tool returned") from None
    if version != "1" or not 0 < offset_n < total:
        raise InputError("cursor", f"{cursor[:40]!r} is not a cursor this tool returned")
    if seen != of:
        raise InputError("cursor", "the findings changed since this cursor was made (the project was edited, or other paths, rules or "
                                   "min_severity were passed): call again without a cursor for the first page")
    return offset_n


def one_line(text: str, limit: int) -> str:
    first = text.strip().split("\n", 1)[0].strip()
    if len(first) <= limit:
        return first
    cut = first[:limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def compact(f: Finding) -> CompactFinding:
    from .models import CompactFinding

    chain = [f"{e.role} {e.location.path}:{e.location.line}" for e in f.evidence if e.location][:CHAIN_STEPS]
    return CompactFinding(id=f.id or "", rule=f.rule, severity=f.severity, confidence=f.confidence,
                          at=f"{f.location.path}:{f.location.line}" if f.location else None,
                          message=one_line(f.message, MESSAGE_CHARS), fix=one_line(f.suggestion, FIX_CHARS) if f.suggestion else "",
                          chain=chain, runtime=runtime_line(f))


def compact_text(n: int, c: CompactFinding) -> str:
    lines = [f"{n}. {c.rule} [{c.severity.value}, {c.confidence.value} confidence] {c.at or '-'}  id={c.id}", f"   {c.message}"]
    if c.runtime:
        lines.append(f"   runtime: {c.runtime}")
    if c.fix:
        lines.append(f"   fix: {c.fix}")
    if c.chain:
        lines.append(f"   chain: {' > '.join(c.chain)}")
    return "\n".join(lines)


def paginate(report: Report, cursor: str | None = None, page_size: int | None = None, finding_id: str | None = None,
             page_type: type[ReportPage] | None = None, extra: dict | None = None, budget: int = PAGE_TOKENS) -> ReportPage:
    """One page of `report`: the first without a cursor, the one a cursor names, or the one finding `finding_id` names.
    `page_type` and `extra` add a tool's own fields (they count against the page's budget)."""
    from .models import FileCount, ReportPage

    order = ranked(report.findings)
    of = digest(order)
    by_severity = Counter(f.severity.value for f in order)
    page = (page_type or ReportPage)(**(extra or {}),
        tool=report.tool, total_findings=len(order),
        by_rule=dict(Counter(f.rule for f in order).most_common()),
        by_severity={s: by_severity[s] for s in ("critical", "high", "medium", "low", "info") if by_severity[s]},
        top_files=[FileCount(path=p, findings=n) for p, n in Counter(f.location.path for f in order if f.location).most_common(TOP_FILES)],
        page="", errors=report.errors[:SHOWN_ERRORS], errors_total=len(report.errors), notes=report.notes, stats=report.stats,
    )
    if finding_id is not None:
        match = next((f for f in order if f.id == finding_id), None)
        if match is None:
            raise InputError("finding_id", f"no finding {finding_id!r} in this scan (fixed since, or found with other paths or rules): "
                                           "scan again and take an id from its findings")
        page.detail = match
        page.page = f"the finding {finding_id}"
        return page
    start = page.offset = read_cursor(cursor, of, len(order)) if cursor else 0
    limit = page_size or DEFAULT_PAGE
    used = tokens(page_text(page)) + tokens(page.model_dump_json(exclude_none=True))
    end = start
    while end < len(order) and end - start < limit:
        item = compact(order[end])
        cost = tokens(compact_text(end + 1, item)) + tokens(item.model_dump_json(exclude_none=True)) + 1
        if end > start and used + cost > budget:
            break
        page.findings.append(item)
        used += cost
        end += 1
    page.next_cursor = make_cursor(of, end) if end < len(order) else None
    page.page = (f"{start + 1}-{end} of {len(order)}, ranked by run-time confirmation, severity, where it runs, confidence" if order else "no findings")
    return page


def page_text(page: ReportPage) -> str:
    """The short rendering a model reads; the structured content carries the same data."""
    skipped = f"; {page.errors_total} input(s) skipped" if page.errors_total else ""
    lines = [f"{page.tool}: {page.total_findings} finding(s){skipped} ({page.stats.files} files, {page.stats.lines} lines, "
             f"{page.stats.duration_ms:.0f} ms); page: {page.page}"]
    if page.by_severity:
        lines.append("by severity: " + ", ".join(f"{k} {v}" for k, v in page.by_severity.items()))
    if page.by_rule:
        lines.append("by rule: " + ", ".join(f"{k} {v}" for k, v in page.by_rule.items()))
    if page.top_files:
        lines.append("top files: " + ", ".join(f"{f.path} ({f.findings})" for f in page.top_files))
    own = getattr(page, "summary_lines", None)
    if callable(own):
        lines += own()
    if page.detail is not None:
        from .render import format_finding

        d = page.detail
        lines += ["", format_finding(d, snippets=True)]
        if d.suggestion:
            lines.append(f"fix: {d.suggestion}")
        lines.append(f"a patch, when a codemod can make one: suggest_fix(finding_id={d.id!r})")
    for n, c in enumerate(page.findings, start=page.offset + 1):
        lines.append(compact_text(n, c))
    lines += [f"skipped {p.input}: {p.message}" for p in page.errors]
    lines += [f"note: {n}" for n in page.notes]
    if page.next_cursor:
        lines.append(f"next page: call again with cursor={page.next_cursor!r} and the same other arguments")
    if page.findings:
        lines.append("whole evidence of one finding: finding_id=ID; narrow with paths, rules or min_severity")
    return "\n".join(lines)

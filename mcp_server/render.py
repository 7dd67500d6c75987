"""Renderings of a Report: JSON, text in the linters' habit, and SARIF 2.1.0."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Iterable

from . import __version__

if TYPE_CHECKING:  # render only reads models; the shell's fast paths import this module without pydantic
    from .models import Finding, Report

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/performance-optimizer/"
_LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}


def to_json(report: Report) -> str:
    return report.model_dump_json(indent=2)


def to_text(report: Report) -> str:
    lines = [format_finding(f) for f in report.findings]
    for problem in report.errors:
        lines.append(f"{problem.input}: error: {problem.message}")
    lines.extend(f"note: {note}" for note in report.notes)
    lines.extend(severity_breakdown(report.findings))
    lines.extend(report_summary(report))
    return "\n".join(lines) + "\n"


def severity_breakdown(findings) -> list[str]:
    """How many findings per severity, and how to list the strongest first: a long report is read top-down by
    file, so without this line the reader cannot tell 5 findings worth acting on from 80 loops of unknown size."""
    from .config import SEVERITIES

    counts = {s: 0 for s in SEVERITIES}
    for f in findings:
        counts[f.severity.value] += 1
    present = [s for s in SEVERITIES if counts[s]]
    if len(present) < 2:
        return []
    top = present[0]
    return [f"by severity: {', '.join(f'{counts[s]} {s}' for s in present)}; "
            f"`--min-severity {top}` lists only the {counts[top]} {top} one{'s' if counts[top] != 1 else ''}"]


def format_finding(f: Finding, snippets: bool = False) -> str:
    """The linters' one line per finding and one per evidence; with `snippets`, each place's source line too."""
    where = f.location.short() if f.location else "-"
    line = f"{where}: {f.rule} [{f.severity.value}] {f.message}"
    if snippets and f.location and f.location.snippet:
        line += f"\n    | {f.location.snippet.strip()}"
    if f.runtime is not None:
        from .paging import runtime_line

        line += f"\n    runtime: {runtime_line(f)}"
    for ev in f.evidence:
        place = f" at {ev.location.short()}" if ev.location else ""
        line += f"\n    {ev.role}{place}: {ev.message}"
        if snippets and ev.location and ev.location.snippet:
            line += f"\n      | {ev.location.snippet.strip()}"
    return line


def report_summary(report: Report) -> list[str]:
    extra = getattr(report, "summary_lines", None)
    lines = list(extra()) if callable(extra) else []
    lines.append(summary_line(report.tool, len(report.findings), len(report.errors), report.stats.duration_ms))
    return lines


def summary_line(tool: str, findings: int, errors: int, duration_ms: float, note: str = "") -> str:
    return f"{tool}: {findings} finding{'s' if findings != 1 else ''}, {errors} skipped input(s), {duration_ms:.1f} ms{note}"


def to_sarif(reports: Report | Iterable[Report]) -> dict:
    """One SARIF run holding every report's findings; rule metadata comes from the rule registry."""
    from .rules import all_rules

    reports = [reports] if hasattr(reports, "findings") else list(reports)
    registry = all_rules()
    used: list[str] = []
    titles: dict[str, str] = {}
    for r in reports:
        for f in r.findings:
            if f.rule not in used:
                used.append(f.rule)
                titles[f.rule] = f.title
    rules = []
    for rule_id in used:
        rule = registry.get(rule_id)
        if rule is None:  # a merged ruff code: its own docs describe it
            from .analysis.ruff import docs_url

            entry = {"id": rule_id, "shortDescription": {"text": titles[rule_id]}}
            url = docs_url(rule_id, titles[rule_id])
            if url:
                entry["helpUri"] = url
            rules.append(entry)
            continue
        rules.append({
            "id": rule.id,
            "name": rule.name,
            "shortDescription": {"text": rule.title},
            "fullDescription": {"text": rule.what},
            "help": {"text": f"{rule.what} {rule.why} Fix: {rule.fix}", "markdown": rule.help_markdown()},
            "defaultConfiguration": {"level": _LEVEL[rule.severity.value]},
            "properties": {"tags": ["performance"], "severity": rule.severity.value},
        })
    index = {rule_id: i for i, rule_id in enumerate(used)}
    results = [_result(f, index[f.rule]) for r in reports for f in r.findings]
    notifications = [
        {"level": "error", "message": {"text": f"{p.input}: {p.message}"}, "descriptor": {"id": "input-skipped"}}
        for r in reports for p in r.errors
    ]
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "performance-optimizer", "version": __version__, "informationUri": INFORMATION_URI, "rules": rules}},
            "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "The analysed project's root."}}},
            "invocations": [{"executionSuccessful": True, "toolExecutionNotifications": notifications}],
            "results": results,
        }],
    }


def _physical(loc) -> dict:
    region = {"startLine": loc.line, "startColumn": loc.column}
    if loc.end_line:
        region["endLine"] = loc.end_line
    if loc.end_column:
        region["endColumn"] = loc.end_column
    if loc.snippet:
        region["snippet"] = {"text": loc.snippet}
    return {"artifactLocation": {"uri": loc.path, "uriBaseId": "%SRCROOT%"}, "region": region}


def _result(f: Finding, rule_index: int) -> dict:
    result: dict = {
        "ruleId": f.rule,
        "ruleIndex": rule_index,
        "level": _LEVEL[f.severity.value],
        "message": {"text": f.message + (f" Suggestion: {f.suggestion}" if f.suggestion else "")},
        "properties": {"severity": f.severity.value, "confidence": f.confidence.value, "title": f.title},
    }
    if f.id:  # code-scanning services track a finding across commits by it
        result["partialFingerprints"] = {"performanceOptimizer/v1": f.id}
    if f.location:
        result["locations"] = [{"physicalLocation": _physical(f.location)}]
    related = []
    for i, ev in enumerate(f.evidence, start=1):
        entry: dict = {"id": i, "message": {"text": f"{ev.role}: {ev.message}"}}
        if ev.location:
            entry["physicalLocation"] = _physical(ev.location)
        related.append(entry)
    if related:
        result["relatedLocations"] = related
    if f.patch:
        result["properties"]["patch"] = f.patch
    if f.runtime is not None:  # confirm's verdict: confirmed, not_repeated, not_exercised or runtime_only
        result["properties"]["runtime"] = f.runtime.model_dump(mode="json", exclude_none=True)
    return result


def render(report: Report, fmt: str) -> str:
    if fmt == "json":
        return to_json(report) + "\n"
    if fmt == "sarif":
        return json.dumps(to_sarif(report), indent=2) + "\n"
    return to_text(report)

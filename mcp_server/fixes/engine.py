"""From a finding to a patch, and from a patch to a file: find the finding at path:line with the project's own
scan, let the codemods for its rule try, diff the result; apply only when the file is still the one the diff
was computed from, keep a backup outside the project, and refuse a result that does not parse."""

from __future__ import annotations

import ast
import dataclasses
import difflib
import hashlib
import os
import time
from dataclasses import dataclass

from ..analysis.cache import cache_dir
from ..config import ProjectConfig, resolve_inside
from ..errors import InputError
from ..models import Finding
from .base import Change, codemods_for


@dataclass
class Suggestion:
    finding: Finding
    change: Change | None
    diff: str | None
    sha256: str | None  # of the file the change rewrites, as it is now
    explanation: str


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def findings_at(config: ProjectConfig, path: str | None, line: int | None, rule: str | None, finding_id: str | None = None) -> list[Finding]:
    from ..analysis.plan import inventory
    from ..analysis.scan import scan_paths
    from ..tools._scan_arguments import plan_scan

    if finding_id is None:
        # Claude Code sends absolute paths: the finding's path is root-relative, so compare in that form
        path = resolve_inside(config.root, path, "path").relative_to(config.root.resolve()).as_posix()
    config = dataclasses.replace(config, ruff=False)  # ruff's codes have no codemod here
    plan = plan_scan(min_severity="info", config=config, select=[rule] if rule else None, include=["**/*.py"], exclude=[])
    report = scan_paths(plan, inv=inventory(plan), tool="suggest_fix")
    if finding_id is not None:
        by_id = [f for f in report.findings if f.id == finding_id]
        if not by_id:
            raise InputError("finding_id", f"no finding {finding_id!r} with a codemod in this project now (fixed since, a merged ruff "
                                           "check, or not an id a scan returned): scan again and take an id from its findings")
        return by_id
    at = [f for f in report.findings if f.location and f.location.path == path and f.location.line == line]
    if not at:
        nearby = sorted({f"{f.rule} at line {f.location.line}" for f in report.findings if f.location and f.location.path == path})
        hint = f"; findings in {path}: {', '.join(nearby[:10])}" if nearby else f"; {path} has no finding"
        raise InputError("line", f"no finding{' ' + rule if rule else ''} at {path}:{line}{hint}")
    return at


def suggest(config: ProjectConfig, path: str | None, line: int | None, rule: str | None = None, finding_id: str | None = None) -> Suggestion:
    root = config.root

    def read(rel: str) -> str:
        return resolve_inside(root, rel, "path").read_text(encoding="utf-8")

    found = findings_at(config, path, line, rule, finding_id)
    for finding in found:
        for codemod in codemods_for(finding.rule):
            change = codemod.fix(finding, read)
            if change is None:
                continue
            before = read(change.path)
            if change.source == before:
                continue
            diff = "".join(difflib.unified_diff(before.splitlines(keepends=True), change.source.splitlines(keepends=True),
                                                f"a/{change.path}", f"b/{change.path}"))
            return Suggestion(finding, change, diff, sha256(before), f"{finding.rule}: {change.explanation}")
    first = found[0]
    return Suggestion(first, None, None, None, f"{first.rule}: no safe automatic fix for this case; {first.suggestion}")


def apply(config: ProjectConfig, path: str | None, line: int | None, rule: str | None, expected_sha256: str,
          finding_id: str | None = None) -> tuple[Suggestion, str]:
    suggestion = suggest(config, path, line, rule, finding_id)
    if suggestion.change is None:
        raise InputError("line", suggestion.explanation)
    target = resolve_inside(config.root, suggestion.change.path, "path")
    current = target.read_text(encoding="utf-8")
    if sha256(current) != expected_sha256:
        raise InputError("expected_sha256", f"{suggestion.change.path} changed since the diff was made (sha256 {sha256(current)[:12]}..., "
                                            f"expected {expected_sha256[:12]}...); call suggest_fix again")
    try:
        ast.parse(suggestion.change.source)
    except SyntaxError as exc:  # a codemod bug: never write it
        raise InputError("line", f"the rewritten file would not parse (line {exc.lineno}: {exc.msg}); nothing was written") from None
    backups = cache_dir() / "backups"
    backups.mkdir(parents=True, exist_ok=True)
    backup = backups / f"{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{suggestion.change.path.replace('/', '__')}"
    backup.write_text(current, encoding="utf-8")
    tmp = target.with_name(f".{target.name}.po-tmp")
    tmp.write_text(suggestion.change.source, encoding="utf-8")
    os.replace(tmp, target)
    return suggestion, str(backup)

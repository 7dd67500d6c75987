"""suggest_fix and apply_fix: a reviewed, formatting-preserving patch for a finding, and writing it safely."""

from __future__ import annotations

from pydantic import Field

from ..config import ProjectConfig
from ..errors import InputError
from ..models import Report


class FixReport(Report):
    tool: str = "suggest_fix"
    path: str | None = Field(default=None, description="The file the patch rewrites (not always the finding's: an ORM fix goes where the query is built).")
    patch: str | None = Field(default=None, description="Unified diff; None when no codemod can fix this case safely.")
    explanation: str = ""
    sha256: str | None = Field(default=None, description="sha256 of that file now: pass it to apply_fix as expected_sha256.")
    applied: bool = False
    backup: str | None = Field(default=None, description="Where apply_fix kept the file as it was (outside the project).")

    def summary_lines(self) -> list[str]:
        lines = [self.explanation]
        if self.patch:
            lines += [f"{'applied to' if self.applied else 'patch for'} {self.path} (sha256 {self.sha256}):", self.patch.rstrip("\n")]
        if self.backup:
            lines.append(f"backup: {self.backup}")
        return lines


def _check(path: str | None, line: int | None, rule: str | None, finding_id: str | None) -> None:
    if finding_id is not None:
        if not isinstance(finding_id, str) or not finding_id.strip():
            raise InputError("finding_id", "expected an id from a scan's findings, e.g. NP103-3d7d610a0634")
        return
    if not isinstance(path, str) or not path:
        raise InputError("path", "expected a file path, relative to the project root or absolute inside it (or pass finding_id)")
    if isinstance(line, bool) or not isinstance(line, int) or line < 1:
        raise InputError("line", f"expected a line number >= 1, got {line!r} (or pass finding_id)")
    if rule is not None and (not isinstance(rule, str) or not rule):
        raise InputError("rule", "expected a rule code such as NP103")
    if rule is not None:
        from ..rule_codes import check_codes

        check_codes([rule], "rule")  # a typo in the rule is the rule's fault, not the line's


def suggest_fix(path: str | None = None, line: int | None = None, rule: str | None = None, *, finding_id: str | None = None,
                config: ProjectConfig) -> FixReport:
    from ..fixes import engine  # libcst loads when a fix is asked for, not when the server starts

    _check(path, line, rule, finding_id)
    s = engine.suggest(config, path, line, rule, finding_id)
    return FixReport(findings=[s.finding], path=s.change.path if s.change else None, patch=s.diff, explanation=s.explanation, sha256=s.sha256)


def apply_fix(path: str | None, line: int | None, expected_sha256: str, rule: str | None = None, *, finding_id: str | None = None,
              config: ProjectConfig) -> FixReport:
    from ..fixes import engine

    _check(path, line, rule, finding_id)
    if not isinstance(expected_sha256, str) or len(expected_sha256) != 64:
        raise InputError("expected_sha256", "expected the 64-character sha256 that suggest_fix returned")
    s, backup = engine.apply(config, path, line, rule, expected_sha256, finding_id)
    return FixReport(tool="apply_fix", findings=[s.finding], path=s.change.path, patch=s.diff, explanation=s.explanation, sha256=s.sha256,
                     applied=True, backup=backup)

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


def _check(path: str, line: int, rule: str | None) -> None:
    if not isinstance(path, str) or not path:
        raise InputError("path", "expected a file path relative to the project root")
    if isinstance(line, bool) or not isinstance(line, int) or line < 1:
        raise InputError("line", f"expected a line number >= 1, got {line!r}")
    if rule is not None and (not isinstance(rule, str) or not rule):
        raise InputError("rule", "expected a rule code such as NP103")


def suggest_fix(path: str, line: int, rule: str | None = None, *, config: ProjectConfig) -> FixReport:
    from ..fixes import engine  # libcst loads when a fix is asked for, not when the server starts

    _check(path, line, rule)
    s = engine.suggest(config, path, line, rule)
    return FixReport(findings=[s.finding], path=s.change.path if s.change else None, patch=s.diff, explanation=s.explanation, sha256=s.sha256)


def apply_fix(path: str, line: int, expected_sha256: str, rule: str | None = None, *, config: ProjectConfig) -> FixReport:
    from ..fixes import engine

    _check(path, line, rule)
    if not isinstance(expected_sha256, str) or len(expected_sha256) != 64:
        raise InputError("expected_sha256", "expected the 64-character sha256 that suggest_fix returned")
    s, backup = engine.apply(config, path, line, rule, expected_sha256)
    return FixReport(tool="apply_fix", findings=[s.finding], path=s.change.path, patch=s.diff, explanation=s.explanation, sha256=s.sha256,
                     applied=True, backup=backup)

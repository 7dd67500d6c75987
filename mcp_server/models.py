"""One result model for every tool: Finding, Location, Evidence, Report.

Every tool returns a Report (or a subclass adding tool-specific fields), so the JSON, text and SARIF
renderings, the CLI's exit codes and the agent's reading of results are the same everywhere.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel as _PydanticModel, ConfigDict, Field

from . import findings as plain
from .findings import Confidence, Severity  # defined with the engine's plain findings, which need no pydantic


class BaseModel(_PydanticModel):
    # build validators on first use: the CLI's fast paths import these models but validate few of them
    model_config = ConfigDict(defer_build=True)


class Location(BaseModel):
    """A span in a file. Lines and columns are 1-based (as editors and SARIF count); end is inclusive line, exclusive column."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    path: str = Field(description="Path relative to the project root (POSIX separators).")
    line: int = Field(ge=1)
    column: int = Field(default=1, ge=1)
    end_line: int | None = Field(default=None, ge=1)
    end_column: int | None = Field(default=None, ge=1)
    snippet: str | None = Field(default=None, description="The source text of the first line, for display.")

    def short(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


class Evidence(BaseModel):
    """One piece of supporting evidence: a related place in the code or a measured value, with its role."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    role: str = Field(description='What this piece shows, e.g. "loop", "call", "query", "measurement", "target".')
    message: str
    location: Location | None = None


class RuntimeStatus(BaseModel):
    """What the project's own test suite showed about a finding (`confirm`): whether its site ran and repeated a query."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    status: str = Field(description="confirmed (one statement repeated >= threshold times during one test), not_repeated (the site "
                                    "ran, never that often), not_exercised (no test ran it), runtime_only (an N+1 no static finding explains).")
    count: int = Field(default=0, description="The most times one statement ran from the site during one test.")
    threshold: int = Field(default=5, description="Repeats that make an N+1.")
    test: str | None = Field(default=None, description="The test where the count was seen.")
    statement: str | None = Field(default=None, description="That statement (as first seen).")
    tests: int = Field(default=0, description="How many tests ran the site.")
    template: str | None = Field(default=None, description="path:line of the template being rendered, when Django rendered one.")


class Finding(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    rule: str = Field(description="Stable rule id, e.g. SLA001. `performance-optimizer rules` documents each.")
    id: str | None = Field(default=None, description="This finding's stable identity (rule, file, enclosing function, normalised "
                                                     "code; not the line): what finding_id, cursors and SARIF fingerprints use.")
    title: str
    severity: Severity
    confidence: Confidence
    message: str
    location: Location | None = Field(
        default=None, description="Where the problem is; None for findings about measurements rather than code."
    )
    evidence: list[Evidence] = Field(default_factory=list)
    suggestion: str = ""
    patch: str | None = Field(default=None, description="A unified diff that fixes it, when one can be made safely.")
    data: dict[str, Any] | None = Field(default=None, description="Structured facts for suggest_fix (e.g. the lookup to add and where).")
    runtime: RuntimeStatus | None = Field(default=None, exclude_if=lambda v: v is None,
                                          description="Set by confirm: what the project's test suite showed at this finding's site.")

    @classmethod
    def from_plain(cls, f: plain.Finding) -> Finding:
        """The engine's plain finding as the shared model, validated like any other (lines >= 1, known fields)."""
        return cls.model_validate(f, from_attributes=True)


class InputProblem(BaseModel):
    """An input that was skipped, and why (the rest of the report still stands)."""

    input: str
    message: str


class Stats(BaseModel):
    files: int = 0
    lines: int = 0
    duration_ms: float = 0.0
    cache_hits: int = 0
    cache_misses: int = 0


class Report(BaseModel):
    tool: str = Field(description="The tool that produced this report.")
    findings: list[Finding] = Field(default_factory=list)
    errors: list[InputProblem] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list, description="How the report was made, e.g. which external checkers were merged.")
    stats: Stats = Field(default_factory=Stats)


class CompactFinding(BaseModel):
    """A finding in a few lines, for a ranked page: the full one comes back with `finding_id`."""

    id: str
    rule: str
    severity: Severity
    confidence: Confidence
    at: str | None = Field(description="path:line, or None for findings about measurements.")
    message: str = Field(description="The message's first sentence or line.")
    fix: str = Field(description="The fix in one line.")
    chain: list[str] = Field(default_factory=list, description="The evidence as steps, e.g. \"loop app/x.py:12\", \"query app/db.py:40\".")
    runtime: str | None = Field(default=None, exclude_if=lambda v: v is None,
                                description="confirm's verdict in one line, e.g. \"confirmed: 12 x in tests/test_x.py::test_y\".")


class FileCount(BaseModel):
    path: str
    findings: int


class ReportPage(BaseModel):
    """A report as a coding agent reads it: totals, the busiest files, and one page of findings, ranked by
    what matters most and kept within the token budget; `next_cursor` fetches the next page."""

    tool: str
    total_findings: int
    by_rule: dict[str, int] = Field(description="Findings per rule, most first.")
    by_severity: dict[str, int]
    top_files: list[FileCount] = Field(description="The files with most findings.")
    page: str = Field(description="Which findings this page holds, e.g. \"1-25 of 516, ranked by severity then confidence\".")
    offset: int = Field(default=0, description="Rank of this page's first finding, from 0.")
    findings: list[CompactFinding] = Field(default_factory=list)
    next_cursor: str | None = Field(default=None, description="Pass as `cursor` (same other arguments) for the next page; None on the last.")
    detail: Finding | None = Field(default=None, description="The whole finding asked for with `finding_id`: evidence, snippets, fix.")
    errors: list[InputProblem] = Field(default_factory=list, description="Inputs skipped (the first few; see errors_total).")
    errors_total: int = 0
    notes: list[str] = Field(default_factory=list)
    stats: Stats = Field(default_factory=Stats)

"""The engine's findings as plain data: Location, Evidence and Finding with exactly the fields of the shared
result model (mcp_server.models), without pydantic.

The static engine and the Claude Code hook work on these: the hook runs after every edit and most edits
find nothing, so it must not pay for pydantic and the model layer (about 100 ms at start) before it knows it
has something to say. Tools convert them once, with `models.Finding.from_plain`, and return the pydantic models.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class Severity(str, Enum):
    critical = "critical"
    high = "high"
    medium = "medium"
    low = "low"
    info = "info"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {
    Severity.critical: 4,
    Severity.high: 3,
    Severity.medium: 2,
    Severity.low: 1,
    Severity.info: 0,
}


class Confidence(str, Enum):
    high = "high"
    medium = "medium"
    low = "low"


@dataclass(slots=True)
class Location:
    path: str
    line: int
    column: int = 1
    end_line: int | None = None
    end_column: int | None = None
    snippet: str | None = None

    def short(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(slots=True)
class Evidence:
    role: str
    message: str
    location: Location | None = None


@dataclass(slots=True)
class Finding:
    rule: str
    title: str
    severity: Severity
    confidence: Confidence
    message: str
    location: Location | None = None
    evidence: list[Evidence] = field(default_factory=list)
    suggestion: str = ""
    patch: str | None = None
    data: dict[str, Any] | None = None
    id: str | None = None
    runtime: Any = None  # set only by confirm (models.RuntimeStatus); the engine never fills it

    def loop_location(self) -> Location | None:
        """Where the loop the finding is about stands: its first `loop` evidence's place, if it has one."""
        return next((e.location for e in self.evidence if e.role == "loop" and e.location), None)

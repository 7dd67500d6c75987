"""Comments that say an eager load must not be added (`# Avoid select_related on insurance_company / plan: the regex
field library raises ValidationError on NULL rows`): the project tried it, and the NP103/NP104 fix for that relation
would undo a decision its authors wrote down (Fight Health Insurance's prior-authorisation rules, round 224: judged
WRONGFIX). Such a finding stays, at `low`, quoting the comment."""

from __future__ import annotations

import re

_VETO = re.compile(r"#.*\b(?:avoid(?:s|ed|ing)?|don'?t|do not|never|must not|no|not|without|skip(?:s|ped)?)\b.*"
                   r"\b(?:select_related|prefetch_related|joinedload|selectinload|subqueryload)\b", re.I)
# the lines above the queryset's line a comment about it may sit on
REACH = 20


def eager_vetoes(lines: list[str]) -> tuple[tuple[int, str], ...]:
    """(line, comment text) of each comment line saying not to eager-load, with the comment lines that continue it."""
    found = []
    for i, line in enumerate(lines):
        if "#" in line and _VETO.search(line):
            text = line.strip().lstrip("#").strip()
            for more in lines[i + 1:i + 6]:  # the comment's following lines name the relation too
                if not more.strip().startswith("#"):
                    break
                text += " " + more.strip().lstrip("#").strip()
            found.append((i + 1, text[:300]))
    return tuple(found)


def vetoed(vetoes: tuple[tuple[int, str], ...], line: int, lookup: str) -> tuple[int, str] | None:
    """The comment up to REACH lines above `line` that vetoes eager-loading `lookup`'s first relation, naming it."""
    first = lookup.partition("__")[0]
    return next(((at, text) for at, text in vetoes if line - REACH <= at <= line and re.search(rf"\b{re.escape(first)}\b", text)), None)

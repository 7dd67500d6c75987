"""The Django version a project declares (pyproject.toml, requirements*.txt, setup.cfg, Pipfile), read statically:
a fix that exists only in newer Django (6.1's fetch modes) is offered only to projects on it."""

from __future__ import annotations

import re
from pathlib import Path

_DECLARED = re.compile(r"""(?i)["']?\bdjango\b["']?\s*(?:=\s*["']?)?\s*(==|>=|~=|\^|>)?\s*["']?(\d+)\.(\d+)""")
_FILES = ("pyproject.toml", "requirements.txt", "requirements/base.txt", "requirements/prod.txt", "setup.cfg", "Pipfile")


def django_version(root: Path | None) -> tuple[int, int] | None:
    """The lowest Django (major, minor) the project allows, when one of its dependency files says."""
    if root is None:
        return None
    found: list[tuple[int, int]] = []
    for name in _FILES:
        try:
            text = (root / name).read_text(errors="replace")
        except OSError:
            continue
        for m in _DECLARED.finditer(text):  # `\bdjango\b` leaves django-filter and djangorestframework alone
            found.append((int(m.group(2)), int(m.group(3))))
    return min(found) if found else None


def has_fetch_modes(version: tuple[int, int] | None) -> bool:
    return version is not None and version >= (6, 1)

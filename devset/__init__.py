"""Development set for the N+1 detector: real N+1 bugs that maintainers of public projects fixed, each
rewritten in our own words (never their code) as a small project, with the lines where a finding must be,
and the maintainers' fix applied, which must be silent.

`python -m devset` prints recall (cases found) and silence after the fix, per case and per class.
The projects the evaluation reserves (see the mission: paperless-ngx, netbox, saleor, wagtail, ...) are
never a source here.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Case:
    name: str  # short, unique: "<project>-<what>"
    source: str  # where the pattern was seen: project, commit id and the commit's subject (no code)
    kind: str  # the issue-14 class: method-on-row, untyped-rows, call-graph, model-registry, third-party, deferred, helper-write, related-manager, syntax, plain
    framework: str  # django, drf, sqlalchemy, flask-sqlalchemy, dbapi
    files: dict[str, str]  # relative path -> source: the project before the fix
    expect: tuple[tuple[str, int], ...]  # (path, line): a finding must be located there, or have its loop there
    fixed: dict[str, str] = field(default_factory=dict)  # files the fix changes (the rest as in `files`): no finding at all

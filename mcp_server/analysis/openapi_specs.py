"""The handlers an OpenAPI document routes to: Connexion maps each `operationId: app.handlers.list_items` (or the
`x-openapi-router-controller` beside it and a bare `operationId`) to a function, with no import or call in Python.

Without them, an application's handlers would look unused and its N+1 findings would be lowered (a Connexion
application with a Dockerfile at its root: its `list_items` named only in `openapi.yaml`). Each such document becomes
a stand-in module that spells the handlers' names and quotes their dotted paths, as a template read for its names does
(templates._named_only): the unused-code checks then count it as a caller, and its module as run.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Iterable

from .command_starts import read_deploy
from .facts import ModuleFacts
from .suffixes import SPEC_SUFFIXES

_MAX_BYTES = 4_000_000  # an API document larger than this is generated: read nothing from it
_OPERATION = re.compile(r"""^\s*["']?operationId["']?\s*:\s*["']?([A-Za-z_][\w.]*)""", re.M)
_CONTROLLER = re.compile(r"""^\s*["']?x-openapi-router-controller["']?\s*:\s*["']?([A-Za-z_][\w.]*)""", re.M)


def routed(text: str) -> frozenset[str]:
    """The dotted paths an OpenAPI document's operations name: `operationId` values, prefixed by the nearest
    `x-openapi-router-controller` above them when they are bare names."""
    marks = sorted([(m.start(), "op", m.group(1)) for m in _OPERATION.finditer(text)]
                   + [(m.start(), "ctl", m.group(1)) for m in _CONTROLLER.finditer(text)])
    found, controller = set(), ""
    for _at, kind, value in marks:
        if kind == "ctl":
            controller = value
        elif "." in value:
            found.add(value)
        elif controller:
            found.add(f"{controller}.{value}")
    return frozenset(found)


def stand_in(rel: str, text: str) -> ModuleFacts | None:
    """A module standing for the document at `rel`: the names its operations spell and the paths they quote."""
    if not rel.endswith(SPEC_SUFFIXES) or "operationId" not in text:
        return None
    paths = routed(text)
    if not paths:
        return None
    # (named apart from the Python modules: Ship It keeps `public/api.yml` beside the `public/api.py` it routes to, and a
    # stand-in named `public.api` took the module's place in the index, round 212)
    facts = ModuleFacts(path=rel, module=f"openapi:{rel}", lines=text.count("\n") + 1)
    facts.words = frozenset(sys.intern(part) for p in paths for part in p.split("."))
    facts.quoted = paths
    return facts


def stand_ins(root: Path, rels: Iterable[str]) -> list[ModuleFacts]:
    """The stand-ins of the OpenAPI documents among the deployment files `rels` under `root`."""
    return [facts for rel in rels if rel.endswith(SPEC_SUFFIXES) and (facts := stand_in(rel, read_deploy(root / rel, _MAX_BYTES)))]

"""Loops over the lists of a request payload: `for t in case_in.tags:` where `case_in: CaseUpdate` is a pydantic
model (the body FastAPI validated), not an ORM row.

The extractor sees one file: a loop over an attribute of a typed parameter looks like the related rows of one object
(`medium`, "often a handful"). Read on real applications (issue 15, round 11), those over a schema's lists were the
tags, filters and terms a person submitted in one create or update form: 0 of 11 worth acting on. A per-item query
there is real and stays reported, at `low`, with the reason; a remote call per item (NP105) keeps its severity.
"""

from __future__ import annotations

from ..findings import Finding, Severity
from . import loop_size
from .facts import Function
from .index import ProjectIndex
from .lookup_lists import lineage

# libraries whose classes describe validated input, not rows: pydantic (FastAPI), django-ninja, msgspec
_SCHEMA_LIBRARIES = frozenset({"pydantic", "ninja", "msgspec"})


def schema_class(index: ProjectIndex, key: str) -> bool:
    """Whether project class `key` derives, at any depth, from a schema library's class (and is no ORM model)."""
    if key not in index.classes or key in index.models():
        return False
    for cls_key in lineage(index, key):
        module, cls = index.classes[cls_key]
        for base in cls.bases:
            head = base.partition(".")[0]
            if index.resolve_class(base, module) is None and module.imports.get(head, head).partition(".")[0] in _SCHEMA_LIBRARIES:
                return True
    return False


def lowered(index: ProjectIndex, fn: Function, f: Finding) -> Finding:
    """`low`, with the reason, for a finding whose loop walks a list of a request payload's schema."""
    if f.rule == "NP105" or f.severity.rank < Severity.medium.rank:
        return f
    where = f.loop_location()
    loop = next((lp for lp in fn.loops.values() if where is not None and lp.span.line == where.line), None)
    src = loop.source if loop is not None else None
    if src is None or src.kind != "accessor" or not src.model or not schema_class(index, src.model):
        return f
    f.severity = Severity(loop_size.UNSIZED_SEVERITY)
    f.message = f.message.replace(loop_size.loosely_sized(loop.size_why), "") + (
        f"; the loop walks a list of a request's validated input (`{src.model.rpartition('.')[2]}`), "
        "a handful a person submitted, so it matters only when they submit many")
    return f

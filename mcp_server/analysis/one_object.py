"""Per-row work over the related rows of one object (`invoice.lines.all()`, a detail page's
`{% for note in project.notes.all %}`): `low`, listed with `--min-severity low`, its message saying it matters when
that object has many.

Judged out of sample (issue 15), such findings were rarely worth acting on: 2 of 24 in rounds 11 and 12, 2 of 40 in
round 19, where a detail page's template loops over one project's notes, invites and servers were 16 of the 25 random
findings judged on Ghostwriter, each over a handful. They were `medium` and ranked after the rest of their band; they are
`low` now, like the other loops over a handful. Kept `medium`: a remote call per item (10 to 1000 ms each, still
worth a look over a handful), and a loop that walks a tree by calling its own function per item (every node of the
tree, one query each: Kolibri Studio's `get_tree_data` endpoint, judged worth fixing).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..findings import Severity
from .loop_size import HANDFUL, SMALL, SOURCE_SIZES, TREE_WALK, small_in_practice
from .own_saves import finding_function

if TYPE_CHECKING:
    from ..findings import Finding
    from .facts import Function, ModuleFacts
    from .index import ProjectIndex

_RELATED = SOURCE_SIZES["accessor"][1] + HANDFUL  # `obj.lines.all()`, not `Line.objects.filter(owner=user)`
_TABLE_ROWS = "(table_rows)"  # the user's own row counts decided the severity (table_sizes.py): left as they said


def lower_one_objects_rows(index: ProjectIndex, findings: list[Finding]) -> list[Finding]:
    walks = {}
    for f in findings:
        if f.severity is not Severity.medium or _RELATED not in f.message or f.rule == "NP105" or _TABLE_ROWS in f.message:
            continue
        where, module, fn = finding_function(index.by_path, f, fallback=False)
        if fn is not None and (key := (where.path, fn.qualname)) not in walks:
            walks[key] = small_in_practice(module, fn)
        if fn is not None and ((walks[key].get(where.line) == TREE_WALK and _own_rows(index, module, fn, where.line))
                               or _nested(fn, where.line)):
            continue  # a tree walked recursively, or one object per row of an outer loop: every node, every row's few
        f.severity = Severity.low
    return findings


def _own_rows(index: ProjectIndex, module: ModuleFacts, fn: Function, line: int) -> bool:
    """The loop at `line` walks rows of the method's own class, so the call it makes per row by the method's name is
    the method again: a tree. `ScanJob.pause()` calling `task.pause()` on each of its `ScanTask` rows is another
    class's method of the same name, once per row of one job (Quipucords, round 121: 3 judged N SMALL)."""
    loop = fn.loop_at(line)
    resolved = index.resolve_source(loop.source, module, fn) if loop is not None and loop.source is not None else None
    return resolved is None or not fn.cls or resolved.model.cls.name == fn.cls.rpartition(".")[2]


def _nested(fn: Function, line: int) -> bool:
    """The loop at `line` runs inside a loop of its function that the code does not bound (`for member in
    firms[i].members` within `for i, row in enumerate(standings)`): one object's rows per row of that one."""
    loop = fn.loop_at(line)
    while loop is not None and loop.parent is not None:
        loop = fn.loops.get(loop.parent)
        if loop is not None and loop.size != SMALL and not loop.small_literal:
            return True
    return False

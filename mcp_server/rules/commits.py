"""PF202: a commit once per item of a loop."""

from __future__ import annotations

from ..findings import Severity
from . import Examples
from .static import StaticRule


class CommitInLoop(StaticRule):
    id = "PF202"
    name = "commit-in-loop"
    title = "Commit in a loop"
    severity = Severity.medium
    what = ("Finds `commit()` on a connection or session called on every iteration of a loop (not under a condition such as a "
            "batch test or an `except` handler for the rows that fail, "
            "nor in a `try` whose handler lets each row fail alone).")
    why = ("Every commit is a transaction end and, on a durable database, a disk sync: per-row commits make an import "
           "10-100x slower, and a failure halfway leaves half the batch committed.")
    example = '''
for row in rows:
    conn.execute("INSERT INTO ledger VALUES (?, ?)", row)
    conn.commit()
'''
    fix = ("Commit once after the loop, or once per batch (`if i % 1000 == 0: conn.commit()`), inside one transaction that "
           "is rolled back on error.")
    positive = Examples("commits_examples", "PF202_POSITIVE")
    negative = Examples("commits_examples", "PF202_NEGATIVE")

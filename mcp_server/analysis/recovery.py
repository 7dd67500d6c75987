"""Calls made only when the call before them failed: in an `except` handler that catches a failure (`except Exception:`,
a timeout, a refused connection), a query or a remote call recovers from that one failure, not on the loop's usual pass.
SBC Pay's CFS jobs re-read one invoice after a timed-out create (round 132: 3 judged false at `high`). The extractor marks
such sinks and calls (facts.Sink.recovery, flow.py); the N+1 rules lower what they find there to `low`, saying so. A
handler for a missing row or key (`except Client.DoesNotExist:`) is a lookup's usual miss and is left alone."""

from __future__ import annotations

import ast
import re

from ..findings import Finding, Severity
from .nodes import dotted

# what a call that fails raises (a timeout, a refused connection, an HTTP error), or anything at all
# or a database driver's failure (`psycopg2.Error`, `OperationalError`, `InterfaceError`), not a row's (IntegrityError)
_FAILURE = re.compile(r"^(Exception|BaseException|Error|DatabaseError|\w*(Timeout|Connection|HTTP|Request|Network|Socket|Transport|API|Service"
                      r"|Operational|Interface)\w*)$")


def recovers(node: ast.ExceptHandler) -> bool:
    """A handler that catches only failures (`except Exception:`, `except requests.Timeout:`, a bare `except:`); one
    naming a missing row or key too (`except (KeyError, Exception):`) expects the miss."""
    caught = node.type.elts if isinstance(node.type, ast.Tuple) else [node.type]
    return all(e is None or _FAILURE.match((dotted(e) or "").rpartition(".")[2]) is not None for e in caught)


def recovered(f: Finding, in_handler: bool) -> Finding:
    """`low` for a query or remote call made in an `except` handler that catches a failure (facts.Sink.recovery): it
    runs when the call before it failed, not on the loop's usual pass."""
    if in_handler and f.severity is not Severity.low:
        f.severity = Severity.low
        f.message += ("; it runs only in an `except` handler that catches a failure, when the call before it has failed: "
                      "a recovery path, not the loop's usual work")
    return f

"""PF901: the same expensive work repeated on every pass of a loop."""

from __future__ import annotations

from ..findings import Severity
from . import Examples
from .static import StaticRule


class RepeatedWorkInLoop(StaticRule):
    id = "PF901"
    name = "repeated-work-in-loop"
    title = "Same work repeated on every iteration"
    severity = Severity.low
    what = ("Finds expensive work inside a loop whose inputs never change between iterations: `re.compile`, `json.loads`, "
            "`datetime.strptime`, `sorted(x)` / `copy.deepcopy(x)` / `x.copy()` of a collection the loop does not change. "
            "Work on each row's own data is not a finding, nor is a cheap constant such as `Decimal(\"0.01\")` passed to "
            "`quantize` (about 100 ns, and the clearest way to write money rounding).")
    why = ("The loop redoes the same computation once per record: harmless for ten rows, a measurable share of a "
           "batch job over a million, and free to remove.")
    example = '''
for row in rows:
    when = datetime.strptime(CLOSING_DATE, "%Y-%m-%d")
    account_ok = re.compile(r"^[0-9]{4}$").match(row.account)
'''
    fix = "Compute it once before the loop (a module constant such as `ACCOUNT = re.compile(...)`) and reuse it."
    positive = Examples("repeated_work_examples", "PF901_POSITIVE")
    negative = Examples("repeated_work_examples", "PF901_NEGATIVE")

"""PF301: the same lookup or hoistable work repeated per item of a loop, where a dict or one call before the loop would serve."""

from __future__ import annotations

from ..findings import Severity
from . import Examples
from .static import StaticRule


class PerRowLookup(StaticRule):
    id = "PF301"
    name = "per-row-lookup"
    title = "Per-row lookup of a small key"
    severity = Severity.medium
    what = ("Finds a call in a loop whose arguments are a small key of the item (its state, tax type, currency, category...) or "
            "do not change at all, and that reaches the database, a file or the network, directly or through project functions. "
            "Not a lookup of a model the loop itself creates rows of (its answer changes once one is made; by a key of the item, an "
            "import writing each key's row), nor a "
            "generator called as a statement (its body never runs).")
    why = ("A tax-rate table has a few dozen rows, yet `get_icms_rate(t.state)` fetches one of them again for each of "
           "100,000 transactions. Loading the table once turns 100,000 round trips into one; a call with unchanging "
           "arguments can simply move out of the loop.")
    example = '''
for t in transactions:
    icms = t.value * get_icms_rate(conn, t.state)  # SELECT rate FROM icms_rates WHERE state = ?
'''
    fix = ("Load the lookup once before the loop into a dict keyed by that key (values as Decimal) and index it inside; or a "
           "bounded cache (`functools.lru_cache(maxsize=...)`) with a stated invalidation. A call with unchanging arguments: call it once, before the loop.")
    positive = Examples("per_row_lookups_examples", "PF301_POSITIVE")
    negative = Examples("per_row_lookups_examples", "PF301_NEGATIVE")

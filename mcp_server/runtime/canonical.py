"""A target's return value as plain JSON that keeps what matters for "the same result": Decimal digits exactly,
float apart from Decimal and int, tuples apart from lists, sets unordered, mapping keys of any type.

Standard library only: it runs in the measured child. A value we cannot represent faithfully is an error naming
its path and type, never a silent `repr` that would compare equal by accident.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from decimal import Decimal
from typing import Any

MAX_ITEMS = 1_000_000


class Unserialisable(TypeError):
    pass


def encode(value: Any, path: str = "result", budget: list[int] | None = None) -> Any:
    budget = budget if budget is not None else [MAX_ITEMS]
    budget[0] -= 1
    if budget[0] < 0:
        raise Unserialisable(f"{path}: the result has more than {MAX_ITEMS:,} items; return a summary (totals, counts) instead")
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return value if abs(value) < 2**53 else {"int": str(value)}
    if isinstance(value, float):
        return {"float": repr(value)} if not math.isfinite(value) else {"float": value}
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    if isinstance(value, (list, tuple)):
        items = [encode(v, f"{path}[{i}]", budget) for i, v in enumerate(value)]
        return items if isinstance(value, list) else {"tuple": items}
    if isinstance(value, (set, frozenset)):
        return {"set": sorted((encode(v, f"{path}{{}}", budget) for v in value), key=repr)}
    if isinstance(value, dict):
        return {"dict": [[encode(k, f"{path} key", budget), encode(v, f"{path}[{k!r}]", budget)] for k, v in value.items()]}
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return {type(value).__name__: value.isoformat()}
    if isinstance(value, bytes):
        return {"bytes": value.hex()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {"dataclass": type(value).__name__,
                "fields": {f.name: encode(getattr(value, f.name), f"{path}.{f.name}", budget) for f in dataclasses.fields(value)}}
    raise Unserialisable(f"{path}: cannot compare a value of type {type(value).__module__}.{type(value).__qualname__}; "
                         "return plain data (numbers, Decimal, strings, lists, tuples, dicts, sets, dates, dataclasses)")

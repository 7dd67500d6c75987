"""Are two results the same? Compared on their canonical encoding (runtime/canonical.py): Decimal by value and
never with a tolerance, floats exactly unless the caller asks for a relative tolerance, lists in order unless
asked `unordered`. The first difference is reported with its path and both values."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

Difference = tuple[str, str, str]  # path, baseline value, candidate value


def parse_mode(mode: str) -> tuple[str, float]:
    if mode in ("exact", "unordered"):
        return mode, 0.0
    if mode.startswith("float_tolerance:"):
        try:
            rel = float(mode.partition(":")[2])
        except ValueError:
            rel = -1.0
        if 0 <= rel < 1:
            return "float_tolerance", rel
    raise ValueError("expected exact, unordered or float_tolerance:REL with 0 <= REL < 1 (e.g. float_tolerance:1e-9)")


def first_difference(a: Any, b: Any, mode: str, rel: float = 0.0, path: str = "result") -> Difference | None:
    if isinstance(a, dict) and isinstance(b, dict):
        kind_a, kind_b = next(iter(a), None), next(iter(b), None)
        if kind_a != kind_b:
            return path, show(a), show(b)
        if kind_a == "decimal":
            return None if Decimal(a["decimal"]) == Decimal(b["decimal"]) else (path, show(a), show(b))
        if kind_a == "float":
            x, y = a["float"], b["float"]
            if x == y or (mode == "float_tolerance" and isinstance(x, float) and isinstance(y, float) and abs(x - y) <= rel * max(abs(x), abs(y))):
                return None
            return path, show(a), show(b)
        if kind_a == "dict":
            left = {_key(k): (k, v) for k, v in a["dict"]}
            right = {_key(k): (k, v) for k, v in b["dict"]}
            for key in left.keys() | right.keys():
                if key not in right:
                    return f"{path}[{show(left[key][0])}]", show(left[key][1]), "(missing)"
                if key not in left:
                    return f"{path}[{show(right[key][0])}]", "(missing)", show(right[key][1])
            for key, (k, v) in left.items():
                found = first_difference(v, right[key][1], mode, rel, f"{path}[{show(k)}]")
                if found:
                    return found
            return None
        if kind_a == "dataclass":
            if a["dataclass"] != b["dataclass"] or a["fields"].keys() != b["fields"].keys():
                return path, show(a), show(b)
            for name in a["fields"]:
                found = first_difference(a["fields"][name], b["fields"][name], mode, rel, f"{path}.{name}")
                if found:
                    return found
            return None
        if kind_a in ("tuple", "set"):
            return _sequences(a[kind_a], b[kind_a], mode, rel, path)
        return None if a == b else (path, show(a), show(b))
    if isinstance(a, list) and isinstance(b, list):
        return _sequences(a, b, mode, rel, path)
    if type(a) is not type(b) or a != b:
        return path, show(a), show(b)
    return None


def _sequences(a: list, b: list, mode: str, rel: float, path: str) -> Difference | None:
    if len(a) != len(b):
        return f"{path} length", str(len(a)), str(len(b))
    if mode == "unordered":
        a, b = sorted(a, key=_key), sorted(b, key=_key)
    for i, (x, y) in enumerate(zip(a, b)):
        found = first_difference(x, y, mode, rel, f"{path}[{i}]")
        if found:
            return found
    return None


def _key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def show(value: Any) -> str:
    """The canonical value written the way Python would print it."""
    text = _show(value)
    return text if len(text) <= 200 else text[:197] + "..."


def _show(v: Any) -> str:
    if isinstance(v, dict) and len(v) in (1, 2):
        kind = next(iter(v))
        if kind == "decimal":
            return f"Decimal('{v['decimal']}')"
        if kind == "float":
            return repr(v["float"])
        if kind == "int":
            return v["int"]
        if kind == "tuple":
            return "(" + ", ".join(_show(x) for x in v["tuple"]) + ("," if len(v["tuple"]) == 1 else "") + ")"
        if kind == "set":
            return "{" + ", ".join(_show(x) for x in v["set"]) + "}"
        if kind == "dict":
            return "{" + ", ".join(f"{_show(k)}: {_show(x)}" for k, x in v["dict"]) + "}"
        if kind == "dataclass":
            return f"{v['dataclass']}(" + ", ".join(f"{k}={_show(x)}" for k, x in v["fields"].items()) + ")"
        if kind in ("date", "datetime", "time", "bytes"):
            return f"{kind}({v[kind]!r})"
    if isinstance(v, list):
        return "[" + ", ".join(_show(x) for x in v) + "]"
    return repr(v)

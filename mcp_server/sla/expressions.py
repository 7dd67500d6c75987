"""Parse k6-style threshold expressions: `p(95)<200`, `avg<80`, `med<=100`, `max<512`, `value>=1000`, `rate>=0.9`."""

from __future__ import annotations

import math
import operator
import re
from dataclasses import dataclass
from typing import Callable

from ..errors import InputError

OPERATORS: dict[str, Callable[[float, float], bool]] = {
    "<=": operator.le,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    ">": operator.gt,
}
AGGREGATES = ("avg", "min", "max", "med", "value", "rate", "p(N)")

_EXPR = re.compile(
    r"""^\s*(?P<agg>avg|min|max|med|value|rate|p\(\s*(?P<p>\d+(?:\.\d+)?)\s*\))
        \s*(?P<op><=|>=|==|!=|<|>)
        \s*(?P<num>[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*$""",
    re.VERBOSE,
)


@dataclass(frozen=True)
class Target:
    metric: str
    text: str
    aggregate: str  # avg|min|max|med|value|rate|p
    percentile: float | None
    op: str
    threshold: float

    @property
    def is_ceiling(self) -> bool:
        return self.op in ("<", "<=")

    @property
    def is_floor(self) -> bool:
        return self.op in (">", ">=")

    def holds(self, observed: float) -> bool:
        return OPERATORS[self.op](observed, self.threshold)

    def margin(self, observed: float) -> float | None:
        """Headroom: positive when the target holds with room to spare, negative by how much it is missed."""
        if self.is_ceiling:
            return self.threshold - observed
        if self.is_floor:
            return observed - self.threshold
        return None


def parse_target(metric: str, text: str) -> Target:
    if not isinstance(text, str):
        raise InputError(f"targets.{metric}", f"expected an expression string such as 'p(95)<200', got {type(text).__name__}")
    m = _EXPR.match(text)
    if not m:
        raise InputError(f"targets.{metric}", f"cannot parse {text!r}: {_diagnose(text)}")
    agg = m["agg"]
    percentile = None
    if m["p"] is not None:
        percentile = float(m["p"])
        if not 0 < percentile < 100:
            raise InputError(f"targets.{metric}", f"percentile in {text!r} must be between 0 and 100 (exclusive), got {m['p']}")
        agg = "p"
    threshold = float(m["num"])
    if not math.isfinite(threshold):
        raise InputError(f"targets.{metric}", f"threshold in {text!r} is not a finite number")
    return Target(metric=metric, text=text.strip(), aggregate=agg, percentile=percentile, op=m["op"], threshold=threshold)


def _diagnose(text: str) -> str:
    """Say which part of a malformed expression is wrong, so the caller can fix it at once."""
    head = re.match(r"\s*([A-Za-z_][A-Za-z0-9_.]*(?:\([^)]*\))?)\s*(.*)$", text)
    if not head:
        return f"expected <aggregate><operator><number>, aggregates: {', '.join(AGGREGATES)}"
    agg, rest = head.group(1), head.group(2)
    if not re.fullmatch(r"avg|min|max|med|value|rate|p\(\s*\d+(?:\.\d+)?\s*\)", agg):
        hint = f" (did you mean p({agg[1:]})?)" if re.fullmatch(r"p\d+(?:\.\d+)?", agg) else ""
        return f"unknown aggregate {agg!r}{hint}; expected one of {', '.join(AGGREGATES)}"
    op = re.match(r"(<=|>=|==|!=|<|>)", rest)
    if not op:
        return f"unknown or missing operator after {agg!r}; expected one of <, <=, >, >=, ==, !="
    return f"expected a number after {op.group(1)!r}, got {rest[op.end():].strip()!r}"

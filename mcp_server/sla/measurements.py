"""Turn the caller's measurements into validated sample lists, naming the metric and the value at fault."""

from __future__ import annotations

import math
from typing import Any, Mapping

from ..errors import InputError
from .defaults import metric_kind, must_be_non_negative


def normalise(measurements: Any) -> dict[str, list[float]]:
    """Accept {metric: number | [numbers]} or a tool report carrying such a mapping under "measurements"."""
    if isinstance(measurements, Mapping) and isinstance(measurements.get("measurements"), Mapping):
        measurements = measurements["measurements"]
    if not isinstance(measurements, Mapping):
        raise InputError("measurements", f"expected an object mapping metric names to a number or a list of numbers, got {type(measurements).__name__}")
    if not measurements:
        raise InputError("measurements", "no metrics given")
    return {str(metric): _samples(str(metric), value) for metric, value in measurements.items()}


def _samples(metric: str, value: Any) -> list[float]:
    field = f"measurements.{metric}"
    if isinstance(value, (list, tuple)):
        if not value:
            raise InputError(field, "empty sample list; give at least one number")
        samples = list(value)
    else:
        samples = [value]
    # Fast path for the common, valid case: a C-level type check and one sum; scan only on failure.
    if not all(type(v) is float or type(v) is int for v in samples):
        for i, v in enumerate(samples):
            if type(v) is not float and type(v) is not int:
                where = f"{field}[{i}]" if isinstance(value, (list, tuple)) else field
                if v is None:  # what JSON encoders make of NaN and infinity
                    raise InputError(where, "expected a finite number, got null (JSON has no NaN or infinity; an encoder may have turned one into null)")
                hint = " (use 0/1 for pass/fail samples)" if isinstance(v, bool) else ""
                raise InputError(where, f"expected a number, got {type(v).__name__} {_shown(v)}{hint}")
    if not math.isfinite(sum(samples)):  # inf/nan poison the sum; an overflowing sum only costs a scan
        for i, v in enumerate(samples):
            if not math.isfinite(v):
                raise InputError(f"{field}[{i}]" if isinstance(value, (list, tuple)) else field, f"expected a finite number, got {v!r}")
    if must_be_non_negative(metric):
        low = min(samples)
        if low < 0:
            i = samples.index(low)
            kind = metric_kind(metric)
            raise InputError(f"{field}[{i}]" if isinstance(value, (list, tuple)) else field, f"negative value {low!r} for a {kind} metric")
    return samples


def _shown(value: object) -> str:
    text = repr(value)  # a bad value is quoted to help find it, not to fill the terminal
    return text if len(text) <= 80 else f"{text[:60]}... ({len(text):,} characters)"

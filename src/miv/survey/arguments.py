"""Checks of the engine's arguments, so that a wrong one fails at once with its name and the allowed values.

Why: a string where an enum is expected, a confidence level of 95 or a NaN population
total used to be accepted and to act wrongly (or to fail after a thousand iterations).
"""

from __future__ import annotations

import math
from enum import Enum
from numbers import Real
from typing import TypeVar

import polars as pl

from miv.survey.errors import ArgumentError

E = TypeVar("E", bound=Enum)


def choice(value: object, kind: type[E], argument: str) -> E:
    """`value` as a member of `kind`: the member itself or its string value (``"fail"``)."""
    if isinstance(value, kind):
        return value
    for member in kind:
        if isinstance(value, str) and value == member.value:
            return member
    allowed = ", ".join(f"{kind.__name__}.{m.name} ({m.value!r})" for m in kind)
    raise ArgumentError(f"{argument}: {value!r} is not allowed; use one of {allowed}")


def level(value: object) -> float:
    """A confidence level strictly between 0 and 1 (0.95, not 95)."""
    if isinstance(value, bool) or not isinstance(value, Real) or not 0 < float(value) < 1:
        raise ArgumentError(f"level: {value!r} is not allowed; give a confidence level between 0 and 1, e.g. 0.95")
    return float(value)


def frame(value: object, argument: str = "data") -> pl.DataFrame:
    """A polars DataFrame; anything else (a pandas frame, a dict) is refused with how to convert it."""
    if isinstance(value, pl.DataFrame):
        return value
    kind = f"{type(value).__module__}.{type(value).__name__}"
    hint = "; convert it with polars.from_pandas(frame)" if type(value).__module__.startswith("pandas") else ""
    raise ArgumentError(f"{argument}: expected a polars DataFrame, got {kind}{hint}")


def number(value: object, argument: str) -> float:
    """A finite number (a population total, a bound)."""
    if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(float(value)):
        raise ArgumentError(f"{argument}: {value!r} is not a finite number")
    return float(value)

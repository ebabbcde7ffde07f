"""Dutch number formatting for readers: 45%, 1.234, 0,5.

Rounding is half-up on the decimal value (not Python's banker's rounding), so 44,5% is
shown as 45% as a reader computing by hand would expect."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def _rounded(value: float, decimals: int) -> Decimal:
    return Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def number(value: float, decimals: int = 0) -> str:
    """1234.5 -> '1.234,5' (dot groups thousands, comma marks decimals)."""
    text = f"{_rounded(value, decimals):,.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def percent(proportion: float, decimals: int = 0) -> str:
    """0.4449 -> '44%'; 0.0 -> '0%'."""
    return f"{number(proportion * 100, decimals)}%"


def points(proportion: float) -> int:
    """The whole percentage a reader sees for a proportion (for comparing rounded figures)."""
    return int(_rounded(proportion * 100, 0))


def interval(low: float, high: float) -> str:
    """The 95% interval as shown in tables: '41–49%'."""
    return f"{number(low * 100)}–{number(high * 100)}%"

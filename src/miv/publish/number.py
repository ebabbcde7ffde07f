"""Dutch number formatting for readers: 45%, 1.234, 0,5.

Rounding is half-up on the decimal value (not Python's banker's rounding), so 44,5% is
shown as 45% as a reader computing by hand would expect. A value within `NOISE` of the
half counts as the half: a share of exactly 29.5% comes out of the weighted sums a few units
in the last place above or below it, depending on the order of summation, and was shown as
29% or as 30% from one run to the next."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal


NOISE = 9  # decimals beyond those shown to which a value is first rounded (floats carry 15 to 17)


def _rounded(value: float, decimals: int) -> Decimal:
    settled = Decimal(repr(value)).quantize(Decimal(1).scaleb(-(decimals + NOISE)), rounding=ROUND_HALF_EVEN)
    return settled.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


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

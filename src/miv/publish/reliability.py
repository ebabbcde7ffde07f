"""Reliability of a published proportion, apart from disclosure: NCHS's standards for proportions.

Disclosure control decides whether a figure may be shown; this decides whether a shown figure
is precise enough to lean on. The rule is that of the US National Center for Health
Statistics (Parker et al. 2017, "National Center for Health Statistics Data Presentation
Standards for Proportions", Vital Health Stat 2(175)), with its suppression criteria turned
into a mark, because the monitor shows the figure and warns instead of hiding it:

1. effective sample size below 30 (or fewer than 30 respondents);
2. a 95% interval of 30 percentage points or wider;
3. an interval wider than 5 points whose width is more than 130% of the estimate;
4. fewer than 8 degrees of freedom (NCHS: "flag for statistical review").

The effective sample size is p(1 − p) / se², the number of simple-random-sample respondents
that would give the same variance, scaled by (t(n − 1) / t(df))² when the design has fewer
degrees of freedom than respondents, and at most n. At 0% or 100% (no sampling variance) it is n.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from scipy import special

MIN_EFFECTIVE_N = 30
MAX_WIDTH = 0.30
RELATIVE_FROM = 0.05
MAX_RELATIVE_WIDTH = 1.30
MIN_DF = 8


@dataclass(frozen=True)
class Mark:
    """A less reliable figure: `rule` is a stable code, `reason` the Dutch explanation."""

    rule: str
    reason: str


def effective_n(estimate: float, se: float | None, n: int, df: float | None = None) -> float:
    if not se or estimate <= 0 or estimate >= 1:
        return float(n)
    kish = estimate * (1 - estimate) / se**2
    if df is not None and 0 < df < n - 1:
        kish *= (_t975(n - 1) / _t975(df)) ** 2
    return min(kish, float(n))


@cache
def _t975(df: float) -> float:
    """The t quantile of a 95% interval: thousands of figures share a few dozen degrees of freedom."""
    return float(special.stdtrit(df, 0.975))


def assess(estimate: float, se: float | None, low: float | None, high: float | None, n: int, df: float | None = None) -> Mark | None:
    """The first NCHS criterion the figure fails, or None when it meets them all."""
    if n < MIN_EFFECTIVE_N or effective_n(estimate, se, n, df) < MIN_EFFECTIVE_N:
        return Mark("effectieve_n", f"effectieve steekproefomvang kleiner dan {MIN_EFFECTIVE_N}")
    if low is not None and high is not None:
        width = high - low
        if width >= MAX_WIDTH:
            return Mark("breed_interval", f"95%-interval van {round(MAX_WIDTH * 100)} procentpunt of breder")
        if width > RELATIVE_FROM and estimate > 0 and width / estimate > MAX_RELATIVE_WIDTH:
            return Mark("relatief_breed", f"95%-interval breder dan {round(MAX_RELATIVE_WIDTH * 100)}% van het cijfer")
    if df is not None and df < MIN_DF:
        return Mark("vrijheidsgraden", f"minder dan {MIN_DF} vrijheidsgraden")
    return None

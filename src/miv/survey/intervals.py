"""Confidence intervals: Wald for any estimate, and the proportion intervals analysts ask for.

Why: for small domains and proportions near 0 or 1 the Wald interval leaves [0, 1] or
collapses; R's svyciprop offers logit and Korn-Graubard ("beta"), NCHS caps Korn-Graubard's
effective sample size at n, and Wilson is common in official statistics. All are vectorised
over arrays of estimates. Where a formula has no answer (p = 0 or 1, no observations, no
degrees of freedom) the result is explicit and named in a note, never a degenerate interval.
"""

from __future__ import annotations

from enum import Enum
from functools import cache

import numpy as np
from scipy import special


class CIMethod(Enum):
    """How to build a confidence interval; the R equivalent is in docs/methodology.md."""

    WALD = "wald"
    """estimate +/- t(df) se (R: confint(svymean(...), df = degf(design)), svyciprop method 'mean')."""
    LOGIT = "logit"
    """Wald on the logit scale, t(df) (R: svyciprop default, method 'logit')."""
    BETA = "beta"
    """Korn-Graubard exactly as R's svyciprop(method = 'beta')."""
    BETA_CAPPED = "beta-capped"
    """Korn-Graubard with the effective sample size capped at the respondents n (NCHS)."""
    WILSON = "wilson"
    """Wilson score interval with the effective sample size and t(df)."""


NOTE_EMPTY = "no observations"
NOTE_EXTREME = "p = 0 or 1: Clopper-Pearson interval with n respondents"
NOTE_CENSUS = "no sampling variance"
NOTE_NO_DF = "no degrees of freedom"


def _t(level: float, df: np.ndarray) -> np.ndarray:
    return _t_ppf(0.5 + level / 2, np.where(df > 0, df, np.nan))


def _t_ppf(q: float, df: np.ndarray) -> np.ndarray:
    """The t quantile (scipy.stats.t.ppf) from each distinct df's quantile: a table has a few dozen degrees of
    freedom, and scipy's fixed cost per call was most of an interval's time."""
    df = np.asarray(df, dtype=float)
    values, inverse = np.unique(df, return_inverse=True)
    return np.array([_quantile(q, float(v)) for v in values], dtype=float)[inverse.ravel()].reshape(df.shape)


@cache
def _quantile(q: float, df: float) -> float:
    return float(special.stdtrit(df, q))


def wald(estimate: np.ndarray, se: np.ndarray, df: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    """estimate -/+ t(df) se; NaN where df < 1."""
    half = _t(level, df) * se
    return estimate - half, estimate + half


def proportion(
    p: np.ndarray, se: np.ndarray, df: np.ndarray, n: np.ndarray, n_rows: np.ndarray,
    method: CIMethod, level: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Interval and note for proportions p with standard errors se.

    n: respondents to the item in the domain; n_rows: rows of the domain (R's nrow(design),
    used only by BETA); df: design degrees of freedom of the domain.
    """
    p, se, df, n, n_rows = (np.asarray(a, dtype=float) for a in (p, se, df, n, n_rows))
    alpha = 1 - level
    tq = _t(level, df)
    var = se**2
    inner = (p > 0) & (p < 1) & (var > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        if method is CIMethod.WALD:
            low, high = p - tq * se, p + tq * se
        elif method is CIMethod.LOGIT:
            centre = special.logit(p)
            half = tq * se / (p * (1 - p))
            low, high = special.expit(centre - half), special.expit(centre + half)
        elif method in (CIMethod.BETA, CIMethod.BETA_CAPPED):
            n_eff = p * (1 - p) / var
            if method is CIMethod.BETA_CAPPED:
                n_eff = np.minimum(n_eff, n)
                base = n
            else:
                base = n_rows
            ratio = _t_ppf(alpha / 2, np.where(base > 1, base - 1, np.nan)) / _t_ppf(alpha / 2, df)
            n_eff = n_eff * ratio**2
            low = special.betaincinv(n_eff * p, n_eff * (1 - p) + 1, alpha / 2)  # the beta quantile
            high = special.betaincinv(n_eff * p + 1, n_eff * (1 - p), 1 - alpha / 2)
        else:  # WILSON
            n_eff = p * (1 - p) / var
            z2 = tq**2 / n_eff
            centre = (p + z2 / 2) / (1 + z2)
            half = tq / (1 + z2) * np.sqrt(p * (1 - p) / n_eff + z2 / (4 * n_eff))
            low, high = centre - half, centre + half
    note = np.full(p.shape, None, dtype=object)
    # census: no sampling variance, the estimate is the value
    census = (var == 0) & (p > 0) & (p < 1)
    low, high = np.where(census, p, low), np.where(census, p, high)
    note[census] = NOTE_CENSUS
    # p = 0 or 1: the design-based variance is 0; use the exact binomial bound with n respondents
    extreme = ((p == 0) | (p == 1)) & (n > 0)
    with np.errstate(divide="ignore"):
        edge = (alpha / 2) ** (1 / np.where(n > 0, n, 1))
    low = np.where(extreme, np.where(p == 0, 0.0, edge), low)
    high = np.where(extreme, np.where(p == 0, 1 - edge, 1.0), high)
    note[extreme] = NOTE_EXTREME
    no_df = ~(df > 0) & inner
    low, high = np.where(no_df, np.nan, low), np.where(no_df, np.nan, high)
    note[no_df] = NOTE_NO_DF
    empty = ~(n > 0)
    low, high = np.where(empty, np.nan, low), np.where(empty, np.nan, high)
    note[empty] = NOTE_EMPTY
    return low, high, note

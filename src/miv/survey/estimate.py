"""Estimators for many variables over many domains at once: mean, proportion, total, ratio, quantile.

Why: the monitor publishes hundreds of indicators for tens of groups; each estimator makes
one pass per domain over an (n_domain x variables) matrix. A missing value is not a
deletion: the row stays in the design with zero influence (R's na.rm = TRUE).
The result is one tidy polars table per call.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl

from miv.survey import intervals
from miv.survey.design import Design
from miv.survey.domains import Domains, degf, domains, names
from miv.survey.errors import EstimationError
from miv.survey.intervals import CIMethod
from miv.survey.linearization import domain_variance, plan
from miv.survey.replicate import replicate_degf, replicate_variance

Columns = str | Sequence[str]
RESULT_COLUMNS = ("estimate", "se", "ci_low", "ci_high", "df", "n", "weighted_n", "deff", "note")


@dataclass(frozen=True)
class _Stats:
    """Per domain (G) x variable (K) arrays of one estimator."""

    estimate: np.ndarray
    var: np.ndarray
    n: np.ndarray
    weighted_n: np.ndarray
    deff: np.ndarray
    df: np.ndarray  # (G,)
    n_rows: np.ndarray  # (G,)


def values(design: Design, columns: Sequence[str]) -> np.ndarray:
    """The columns as an (n, K) float matrix, NaN where missing; booleans become 0/1."""
    missing = [c for c in columns if c not in design.data.columns]
    if missing:
        raise EstimationError(f"variable {missing[0]!r} not in the data (columns: {', '.join(design.data.columns)})")
    bad = [c for c in columns if not (design.data[c].dtype.is_numeric() or design.data[c].dtype == pl.Boolean)]
    if bad:
        raise EstimationError(f"variable {bad[0]!r} is {design.data[bad[0]].dtype}, expected numbers or booleans")
    if not columns:
        raise EstimationError("no variables given")
    frame = design.data.select(pl.col(c).cast(pl.Float64) for c in columns)
    return frame.to_numpy().reshape(design.n, len(columns))


def compute(design: Design, dom: Domains, kind: str, y: np.ndarray, z: np.ndarray | None) -> _Stats:
    """Estimate, variance and counts of `kind` ('mean', 'total', 'ratio') for every domain and column."""
    p = plan(design)
    w = design.weights
    reps = design.replicates
    present = ~np.isnan(y) if z is None else ~(np.isnan(y) | np.isnan(z))
    shape = (len(dom), y.shape[1])
    est, var, n, wn, deff = (np.full(shape, np.nan) for _ in range(5))
    for g, rows in enumerate(dom.rows):
        m = present[rows]
        wr = w[rows, None]
        mw = m * wr
        y0 = np.where(m, y[rows], 0.0)
        u = y0 * wr
        n[g] = m.sum(0)
        wn[g] = mw.sum(0)
        num = u.sum(0)
        with np.errstate(divide="ignore", invalid="ignore"):
            if kind == "total":
                theta, x = num, u
            else:
                v0 = m.astype(float) if z is None else np.where(m, z[rows], 0.0)
                v = v0 * wr
                den = v.sum(0)
                theta = num / den
                x = (u - np.nan_to_num(theta) * v) / np.where(den != 0, den, 1.0)
        est[g] = theta
        if reps is None:
            var[g] = domain_variance(p, rows, x)
        else:
            var[g] = replicate_variance(reps, rows, y0, None if kind == "total" else v0, theta)
        if kind != "ratio":
            with np.errstate(divide="ignore", invalid="ignore"):
                mean = num / wn[g]
                dev = np.where(m, y[rows] - mean, 0.0)
                s2 = (wr * dev * dev).sum(0) / wn[g] * n[g] / (n[g] - 1)
                vsrs = s2 * (wn[g] - n[g]) / (wn[g] * n[g])
                deff[g] = var[g] / (vsrs if kind == "mean" else vsrs * wn[g] ** 2)
    var[~np.isfinite(est)] = np.nan
    if reps is None:
        df = np.array([degf(design, rows) for rows in dom.rows], dtype=float)
    else:
        df = np.full(len(dom), float(replicate_degf(reps)))
    n_rows = np.array([len(r) for r in dom.rows], dtype=float)
    return _Stats(est, var, n, wn, deff, df, n_rows)


def _table(labels: Sequence[str], dom: Domains, s: _Stats, low: np.ndarray, high: np.ndarray,
           note: np.ndarray) -> pl.DataFrame:
    k = len(labels)
    g = len(dom)
    se = np.sqrt(s.var)
    head = pl.DataFrame({"variable": np.repeat(np.asarray(labels, dtype=object), g).astype(str)})
    if dom.columns:
        head = pl.concat([head, pl.concat([dom.table] * k)], how="horizontal")
    body = pl.DataFrame({
        "estimate": s.estimate.T.ravel(), "se": se.T.ravel(), "ci_low": low.T.ravel(), "ci_high": high.T.ravel(),
        "df": np.tile(s.df, k), "n": s.n.T.ravel().astype(np.int64), "weighted_n": s.weighted_n.T.ravel(),
        "deff": s.deff.T.ravel(), "note": pl.Series(note.T.ravel().tolist(), dtype=pl.String),
    })
    out = pl.concat([head, body], how="horizontal")
    return out.with_columns(pl.col(c).fill_nan(None) for c in ("estimate", "se", "ci_low", "ci_high", "deff"))


def _wald_table(labels: Sequence[str], dom: Domains, s: _Stats, level: float) -> pl.DataFrame:
    se = np.sqrt(s.var)
    low, high = intervals.wald(s.estimate, se, s.df[:, None], level)
    note = np.full(s.estimate.shape, None, dtype=object)
    note[s.n == 0] = intervals.NOTE_EMPTY
    return _table(labels, dom, s, low, high, note)


def mean(design: Design, variables: Columns, by: Columns | None = None, *, level: float = 0.95) -> pl.DataFrame:
    """Weighted means of `variables` overall or per domain of `by`, with Wald t(df) intervals (R: svyby(svymean))."""
    cols = names(variables)
    dom = domains(design, by)
    return _wald_table(cols, dom, compute(design, dom, "mean", values(design, cols), None), level)


def proportion(design: Design, variables: Columns, by: Columns | None = None, *,
               ci: CIMethod = CIMethod.LOGIT, level: float = 0.95) -> pl.DataFrame:
    """Proportions of 0/1 `variables` with a proportion interval (default logit, R's svyciprop)."""
    cols = names(variables)
    y = values(design, cols)
    bad = ~np.isnan(y) & (y != 0) & (y != 1)
    if bad.any():
        row, col = np.argwhere(bad)[0]
        raise EstimationError(f"variable {cols[col]!r} has value {y[row, col]:g} in row {row}; proportions need 0/1")
    dom = domains(design, by)
    s = compute(design, dom, "mean", y, None)
    low, high, note = intervals.proportion(s.estimate, np.sqrt(s.var), s.df[:, None], s.n, s.n_rows[:, None],
                                           ci, level)
    return _table(cols, dom, s, low, high, note)


def total(design: Design, variables: Columns, by: Columns | None = None, *, level: float = 0.95) -> pl.DataFrame:
    """Weighted totals (missing values count as zero influence; R's svytotal(na.rm = TRUE))."""
    cols = names(variables)
    dom = domains(design, by)
    return _wald_table(cols, dom, compute(design, dom, "total", values(design, cols), None), level)


def ratio(design: Design, numerators: Columns, denominators: Columns, by: Columns | None = None, *,
          level: float = 0.95) -> pl.DataFrame:
    """Ratios of totals, pairwise numerator[i] / denominator[i], over rows where both are present (R's svyratio)."""
    num, den = names(numerators), names(denominators)
    if len(num) != len(den):
        raise EstimationError(f"ratio: {len(num)} numerators but {len(den)} denominators; pair them one to one")
    dom = domains(design, by)
    s = compute(design, dom, "ratio", values(design, num), values(design, den))
    return _wald_table([f"{a}/{b}" for a, b in zip(num, den, strict=True)], dom, s, level)

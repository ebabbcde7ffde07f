"""Weighting: post-stratification, raking, calibration (linear/GREG, raking, logit, bounded) and trimming.

Why: every monitor estimate is weighted to the population frame. Each step returns a new
Design that carries the step's linearisation (R's `calibrate()` GREG residuals on the input
weights), so that variances account for the weighting, and the step itself, so that
replicate weights can be weighted again the same way. A calibration that cannot succeed
raises CalibrationError naming the margin and level (or cell) at fault; non-convergence is
an error, not a warning.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum
from functools import partial

import numpy as np
import polars as pl

from miv.survey.arguments import choice, number
from miv.survey.design import Calibration, Design, unique_rows
from miv.survey.errors import ArgumentError, CalibrationError
from miv.survey.threads import single_threaded

Level = object
Margins = Mapping[str | tuple[str, ...], Mapping[Level, float] | float]
"""Population totals: {column: {level: count}} for a categorical margin (a tuple of columns for
cells of a cross-classification, with tuple levels), or {column: total} for a numeric variable."""

_EPS = np.finfo(float).eps


class CalFun(Enum):
    """Distance function of calibration (R's calfun)."""

    LINEAR = "linear"
    RAKING = "raking"
    LOGIT = "logit"


@single_threaded
def poststratify(design: Design, cells: str | tuple[str, ...], totals: Mapping[Level, float] | pl.DataFrame) -> Design:
    """Post-stratify to population counts per cell (R's postStratify): w = d * N_c / sum of d in c.

    `totals` maps cell label (a tuple for several columns) to count, or is a DataFrame with
    the cell columns and a `total` column."""
    if not isinstance(totals, Mapping | pl.DataFrame):
        raise CalibrationError(f"poststratify: totals must be a mapping {{cell: count}} or a polars DataFrame with "
                               f"the cell columns and 'total', got {type(totals).__module__}.{type(totals).__name__}")
    if isinstance(totals, pl.DataFrame):
        cols = (cells,) if isinstance(cells, str) else cells
        keys = totals.select(cols).rows() if len(cols) > 1 else totals[cols[0]].to_list()
        totals = dict(zip(keys, totals["total"].to_list(), strict=True))
    spec = _spec(design, {cells: totals})
    return _apply(design, spec, partial(_poststratify_weights, spec))


@single_threaded
def rake(design: Design, margins: Margins, *, epsilon: float = 1e-10, maxit: int = 1000) -> Design:
    """Rake (iterative proportional fitting) to categorical margins until every margin level is
    within epsilon * (1 + total) (R's calibrate rule); raises CalibrationError otherwise.

    The variance uses the raking GREG residuals, as R's calibrate(calfun = "raking"), not
    R's rake() back-fitting approximation (see docs/methodology.md)."""
    spec = _spec(design, margins)
    if any(m.codes is None for m in spec.margins):
        raise CalibrationError("rake: numeric margins need calibrate(); rake takes categorical margins only")
    return _apply(design, spec, partial(_ipf, spec, epsilon, maxit))


@single_threaded
def calibrate(design: Design, margins: Margins, *, calfun: CalFun = CalFun.LINEAR,
              bounds: tuple[float, float] = (-np.inf, np.inf), epsilon: float = 1e-10, maxit: int = 50) -> Design:
    """Calibrate to margins with Newton's method (R's calibrate/grake): linear (GREG), raking or
    logit distance, with optional bounds on g = w / d; converged when every total is within
    epsilon * (1 + |total|)."""
    calfun = choice(calfun, CalFun, "calfun")
    lo, hi = (number(b, "bounds") if np.isfinite(b) else float(b) for b in bounds)
    if calfun is CalFun.LOGIT and not (np.isfinite(lo) and np.isfinite(hi)):
        raise CalibrationError(f"calibrate: logit calibration needs finite bounds, got {bounds}")
    if not lo < 1 < hi:
        raise CalibrationError(f"calibrate: bounds {bounds} must contain 1 (g = 1 is no change)")
    spec = _spec(design, margins)
    if np.isfinite(lo) or np.isfinite(hi):
        spec.check_bounds(design.weights, lo, hi)
    if calfun is CalFun.LINEAR and not (np.isfinite(lo) or np.isfinite(hi)):
        step: Callable[[np.ndarray], np.ndarray] = partial(_linear, spec)
    else:
        step = partial(_columns, partial(_newton, spec, calfun, lo, hi, epsilon, maxit))
    return _apply(design, spec, step)


@single_threaded
def trim(design: Design, lower: float = -np.inf, upper: float = np.inf, *, strict: bool = False) -> Design:
    """Trim weights to [lower, upper], sharing the trimmed amount equally over the untrimmed
    rows; with strict, repeat until none is outside (R's trimWeights). The variance keeps the
    earlier calibrations' residuals, as R does."""
    if not lower < upper:
        raise CalibrationError(f"trim: lower {lower} must be below upper {upper}")
    step = partial(_columns, partial(_trim, lower, upper, strict))
    weights = step(design.weights[:, None])[:, 0]
    reps = design.replicates
    return design.with_weights(weights, None, step, None if reps is None else step(reps.weights))


@dataclass(frozen=True)
class _Margin:
    """One margin: its name, levels and totals, and each row's level code (None for numeric)."""

    name: str
    levels: list[Level]
    totals: np.ndarray
    codes: np.ndarray | None
    column: np.ndarray | None


class _Spec:
    """The model matrix X of a set of margins and its population totals."""

    def __init__(self, margins: list[_Margin], n: int) -> None:
        self.margins = margins
        parts = []
        for m in margins:
            if m.codes is None:
                assert m.column is not None
                parts.append(m.column[:, None])
            else:
                ind = np.zeros((n, len(m.levels)))
                ind[np.arange(n), m.codes] = 1.0
                parts.append(ind)
        self.x = np.hstack(parts)
        self.totals = np.concatenate([m.totals for m in margins])
        self.labels = [(m.name, lev) for m in margins for lev in m.levels]

    def worst(self, misfit: np.ndarray) -> str:
        rel = np.abs(misfit) / (1 + np.abs(self.totals))
        i = int(np.argmax(rel))
        name, level = self.labels[i]
        return f"margin {name!r} level {level!r} (total {self.totals[i]:g}, off by {misfit[i]:.3g})"

    def check_bounds(self, d: np.ndarray, lo: float, hi: float) -> None:
        for m in self.margins:
            if m.codes is None:
                continue
            sums = np.bincount(m.codes, weights=d, minlength=len(m.levels))
            bad = np.flatnonzero((m.totals < lo * sums * (1 - 1e-12)) | (m.totals > hi * sums * (1 + 1e-12)))
            if bad.size:
                i = int(bad[0])
                raise CalibrationError(
                    f"calibrate: margin {m.name!r} level {m.levels[i]!r} needs total {m.totals[i]:g} but with "
                    f"g in [{lo}, {hi}] its weights can only reach [{lo * sums[i]:g}, {hi * sums[i]:g}]; "
                    "widen the bounds or merge the level")


def _spec(design: Design, margins: Margins) -> _Spec:
    if not isinstance(margins, Mapping):
        raise CalibrationError(f"margins: expected a mapping {{column: {{level: total}}}} (or {{column: total}} for a "
                               f"numeric variable), got {type(margins).__module__}.{type(margins).__name__}")
    if not margins:
        raise CalibrationError("no margins given")
    out = []
    grand: tuple[str, float] | None = None
    for key, target in margins.items():
        cols = (key,) if isinstance(key, str) else tuple(key)
        name = "x".join(cols)
        for c in cols:
            if c not in design.data.columns:
                raise CalibrationError(f"margin {name!r}: column {c!r} not in the data")
            if design.data[c].null_count():
                row = int(design.data[c].is_null().arg_max())  # type: ignore[arg-type]
                raise CalibrationError(f"margin {name!r}: column {c!r} is missing in row {row}; "
                                       "a respondent without a value cannot be weighted to this margin")
        if not isinstance(target, Mapping):
            column = design.data[cols[0]].cast(pl.Float64).to_numpy()
            out.append(_Margin(name, ["total"], np.array([_total(name, "total", target)]), None, column))
            continue
        values = design.data[cols[0]].to_list() if len(cols) == 1 else design.data.select(cols).rows()
        levels = list(target.keys())
        index = {lev: i for i, lev in enumerate(levels)}
        if len(cols) == 1:  # map the distinct values, not every row
            inverse, labels = design.codes(cols[0])
            codes = np.array([index.get(lab, -1) for lab in labels], dtype=np.int64)[inverse]
        else:
            codes = np.fromiter((index.get(v, -1) for v in values), dtype=np.int64, count=design.n)
        if (codes < 0).any():
            row = int(np.argmax(codes < 0))
            raise CalibrationError(f"margin {name!r}: row {row} has level {values[row]!r}, which has no "
                                   f"population total (levels: {levels})")
        totals = np.array([_total(name, lev, target[lev]) for lev in levels])
        counts = np.bincount(codes, weights=design.weights, minlength=len(levels))
        for i, lev in enumerate(levels):
            if totals[i] > 0 and counts[i] == 0:
                raise CalibrationError(f"margin {name!r} level {lev!r}: population total {totals[i]:g} but no "
                                       "respondent with positive weight; merge the level with another")
            if totals[i] <= 0 and counts[i] > 0:
                raise CalibrationError(f"margin {name!r} level {lev!r}: respondents present but population "
                                       f"total is {totals[i]:g}")
        keep = counts > 0
        if not keep.all():  # levels empty in both sample and population (R drops them)
            levels = [lev for lev, k in zip(levels, keep, strict=True) if k]
            remap = np.cumsum(keep) - 1
            codes, totals = remap[codes], totals[keep]
        if grand is None:
            grand = (name, totals.sum())
        elif abs(totals.sum() - grand[1]) > 1e-9 * (1 + abs(grand[1])):
            raise CalibrationError(f"margins {grand[0]!r} and {name!r} disagree on the population size: "
                                   f"{grand[1]:g} versus {totals.sum():g}")
        out.append(_Margin(name, levels, totals, codes, None))
    return _Spec(out, design.n)


def _total(margin: str, level: Level, value: object) -> float:
    try:
        return number(value, f"margin {margin!r} level {level!r}")
    except ArgumentError as error:
        raise CalibrationError(f"{error}; give the population count of every level") from None


def _apply(design: Design, spec: _Spec, step: Callable[[np.ndarray], np.ndarray]) -> Design:
    d = design.weights
    w = step(d[:, None])[:, 0]
    x = spec.x
    gram_inv = np.linalg.pinv((x * d[:, None]).T @ x, rcond=256 * _EPS)
    with np.errstate(divide="ignore", invalid="ignore"):
        g = np.where(d > 0, w / d, 1.0)
    cal = Calibration(lever=x / g[:, None], basis=x * w[:, None], gram_inv=gram_inv)
    reps = design.replicates
    return design.with_weights(w, cal, step, None if reps is None else step(reps.weights))


def _columns(one: Callable[[np.ndarray], np.ndarray], d: np.ndarray) -> np.ndarray:
    """Apply a one-vector weighting to each column of an (n, R) weight matrix."""
    return np.column_stack([one(d[:, r]) for r in range(d.shape[1])])


def _poststratify_weights(spec: _Spec, d: np.ndarray) -> np.ndarray:
    m = spec.margins[0]
    assert m.codes is not None
    sums = np.stack([np.bincount(m.codes, weights=d[:, r], minlength=len(m.levels)) for r in range(d.shape[1])], 1)
    return np.asarray(d * (m.totals[:, None] / sums)[m.codes])


def _linear(spec: _Spec, d: np.ndarray) -> np.ndarray:
    """Unbounded linear (GREG) calibration, closed form per column (R's regcalibrate)."""
    x = spec.x
    out = np.empty_like(d)
    for r in range(d.shape[1]):
        dr = d[:, r]
        lam = np.linalg.pinv((x * dr[:, None]).T @ x, rcond=256 * _EPS) @ (spec.totals - x.T @ dr)
        out[:, r] = dr * (1 + x @ lam)
    return out


def _ipf(spec: _Spec, epsilon: float, maxit: int, d: np.ndarray) -> np.ndarray:
    """Iterative proportional fitting on all columns of d at once.

    Raking factors depend only on the cell of the cross-classification of the margins, so
    IPF runs on the cell totals (cells x R) and the factors are applied to the rows once."""
    stacked = np.stack([m.codes for m in spec.margins])  # type: ignore[misc]
    cell_codes, row_cell = unique_rows(stacked)
    cells = _level_sums(row_cell, cell_codes.shape[1], d)
    factor = np.ones_like(cells)
    tol = epsilon * (1 + np.abs(spec.totals))
    for _ in range(maxit):
        for m, codes in zip(spec.margins, cell_codes, strict=True):
            factor *= (m.totals[:, None] / _level_sums(codes, len(m.levels), cells * factor))[codes]
        misfit = np.concatenate([m.totals[:, None] - _level_sums(codes, len(m.levels), cells * factor)
                                 for m, codes in zip(spec.margins, cell_codes, strict=True)])
        if (np.abs(misfit) < tol[:, None]).all():
            return np.asarray(d * factor[row_cell])
    worst = int(np.argmax((np.abs(misfit) / tol[:, None]).max(axis=0)))
    raise CalibrationError(f"rake: no convergence in {maxit} iterations; worst is {spec.worst(misfit[:, worst])}")


def _level_sums(codes: np.ndarray, levels: int, w: np.ndarray) -> np.ndarray:
    """Sums of the rows of w (m, R) per level code, one grouped pass per column (bincount)."""
    return np.stack([np.bincount(codes, weights=col, minlength=levels) for col in w.T], 1)


def _fm1(calfun: CalFun, lo: float, hi: float, u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """g - 1 and dg/du for calibration distance `calfun` (R's cal.linear, cal.raking, cal.logit)."""
    if calfun is CalFun.LINEAR:
        return np.clip(u + 1, lo, hi) - 1, ((u < hi - 1) & (u > lo - 1)).astype(float)
    if calfun is CalFun.RAKING:
        with np.errstate(over="ignore"):
            e = np.exp(u)
        return np.clip(e, lo, hi) - 1, np.where((e < hi) & (e > lo), e, 0.0)
    a = (hi - lo) / ((hi - 1) * (1 - lo))
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(a * u)
        den = hi - 1 + (1 - lo) * e
        g = (lo * (hi - 1) + hi * (1 - lo) * e) / den
        dg = hi * (1 - lo) * e * a / den - (lo * (hi - 1) + hi * (1 - lo) * e) * ((1 - lo) * e * a) / den**2
    return g - 1, dg


def _newton(spec: _Spec, calfun: CalFun, lo: float, hi: float, epsilon: float, maxit: int,
            d: np.ndarray) -> np.ndarray:
    """R's grake: Newton steps on the Lagrange multipliers with step halving, one weight vector."""
    x, totals = spec.x, spec.totals
    sample_total = x.T @ d
    eta = np.zeros(x.shape[1])
    fm1, deriv = _fm1(calfun, lo, hi, x @ eta)
    it = 1
    while True:
        tmat = (x * (d * deriv)[:, None]).T @ x
        misfit = totals - sample_total - x.T @ (d * fm1)
        deta = np.linalg.pinv(tmat, rcond=256 * _EPS) @ misfit
        eta = eta + deta
        fm1, deriv = _fm1(calfun, lo, hi, x @ eta)
        while it < maxit and not (np.isfinite(fm1).all() and np.isfinite(deriv).all()):
            it += 1
            deta = deta / 2
            eta = eta - deta
            fm1, deriv = _fm1(calfun, lo, hi, x @ eta)
        misfit = totals - sample_total - x.T @ (d * fm1)
        if (np.abs(misfit) / (1 + np.abs(totals)) < epsilon).all():
            return np.asarray(d * (1 + fm1))
        it += 1
        if it > maxit:
            raise CalibrationError(f"calibrate ({calfun.value}, bounds [{lo}, {hi}]): no convergence in {maxit} "
                                   f"iterations; worst is {spec.worst(misfit)}")


def _trim(lower: float, upper: float, strict: bool, w: np.ndarray) -> np.ndarray:
    while True:
        outside = (w < lower) | (w > upper)
        if not outside.any():
            return w
        new = np.clip(w, lower, upper)
        new[~outside] += (w - new).sum() / (~outside).sum()
        w = new
        if not strict:
            return w

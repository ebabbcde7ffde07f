"""Estimators for many variables over many domains at once: mean, proportion, total, ratio.

Why: the monitor publishes hundreds of indicators for tens of groups; each estimator makes
one pass per domain over an (n_domain x variables) matrix. A missing value is not a
deletion: the row stays in the design with zero influence (R's na.rm = TRUE).
The result is one tidy polars table per call.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

import numpy as np
import polars as pl

from miv.survey import intervals
from miv.survey.arguments import choice
from miv.survey.arguments import level as check_level
from miv.survey.design import Design
from miv.survey.domains import Domains, degf, domains, names
from miv.survey.errors import EstimationError
from miv.survey.intervals import CIMethod
from miv.survey.linearization import domain_variance, inflation, plan
from miv.survey.replicate import replicate_degf, replicate_variance
from miv.survey.threads import single_threaded

Columns = str | Sequence[str]


class Kind(Enum):
    """What `compute` estimates: a mean, a total or a ratio of totals."""

    MEAN = "mean"
    TOTAL = "total"
    RATIO = "ratio"


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
    return design.floats(columns).reshape(design.n, len(columns))


def compute(design: Design, dom: Domains, kind: Kind, y: np.ndarray, z: np.ndarray | None) -> _Stats:
    """Estimate, variance and counts of `kind` for every domain and column.

    Per domain this is a few passes over an (n_domain, K) matrix plus BLAS products; columns
    without missing values skip the masking. A domain whose respondents all gave the same value
    has a mean of exactly that value with variance exactly 0 (its influence values are 0).
    """
    if design.replicates is None and plan(design).structure.element:
        s = _element(design, dom, kind, y, z)
    else:
        s = _general(design, dom, kind, y, z)
    if design.replicates is None and design.structure.left_out.any():
        answered = ~np.isnan(y) if z is None else ~(np.isnan(y) | np.isnan(z))
        for g, rows in enumerate(dom.rows):
            factor = inflation(design.structure, rows, answered[rows])
            with np.errstate(invalid="ignore"):
                s.var[g] *= factor
                s.deff[g] *= factor
    if kind is Kind.MEAN:
        _constant(design, dom, y, s)
    return s


def _constant(design: Design, dom: Domains, y: np.ndarray, s: _Stats) -> None:
    """Set the mean to the value and the variance to 0 where a domain's respondents (with positive
    weight) all answered alike; only near-zero variances are checked, so this costs nothing else."""
    with np.errstate(invalid="ignore"):
        near = np.isfinite(s.estimate) & (s.var <= 1e-8 * (s.estimate**2 + 1))
    for g, k in np.argwhere(near):
        rows = dom.rows[g]
        v = y[rows[design.weights[rows] > 0], k]
        v = v[~np.isnan(v)]
        if v.size and v.min() == v.max():
            s.estimate[g, k], s.var[g, k], s.deff[g, k] = v[0], 0.0, np.nan


def _general(design: Design, dom: Domains, kind: Kind, y: np.ndarray, z: np.ndarray | None) -> _Stats:
    """`compute` for clustered and replicate designs: one pass per domain over its rows."""
    p = plan(design)
    w = design.weights
    reps = design.replicates
    missing = np.isnan(y) if z is None else np.isnan(y) | np.isnan(z)
    complete = not missing.any()
    y0 = y if complete else np.where(missing, 0.0, y)
    mask = None if complete else (~missing).astype(float)
    v0 = None if z is None else (z if complete else np.where(missing, 0.0, z))
    shape = (len(dom), y.shape[1])
    est, var, n, wn, deff = (np.full(shape, np.nan) for _ in range(5))
    for g, rows in enumerate(dom.rows):
        wr = w[rows]
        yg = y0[rows]
        mg = None if mask is None else mask[rows]
        if mg is None:
            n[g], wn[g] = len(rows), wr.sum()
        else:
            n[g], wn[g] = mg.sum(0), wr @ mg
        num = wr @ yg
        if reps is not None:
            with np.errstate(divide="ignore", invalid="ignore"):
                den = None if kind is Kind.TOTAL else (v0[rows] if kind is Kind.RATIO else mg)  # type: ignore[index]
                est[g] = num if kind is Kind.TOTAL else num / (wr @ den if den is not None else wn[g])
                var[g] = replicate_variance(reps, rows, yg, den, est[g], kind is Kind.TOTAL)
            continue
        with np.errstate(divide="ignore", invalid="ignore"):
            mean = num / wn[g]
            dev = yg - mean if mg is None else yg - mean * mg  # zero where missing
            if kind is Kind.MEAN:
                theta = mean
                x = dev * wr[:, None]
                x /= wn[g]
            elif kind is Kind.TOTAL:
                theta = num
                x = yg * wr[:, None]
            else:
                vg = v0[rows]  # type: ignore[index]
                theta = num / (wr @ vg)
                x = (yg - theta * vg) * wr[:, None]
                x /= wr @ vg
            est[g] = theta
            var[g] = domain_variance(p, rows, x)
            if kind is not Kind.RATIO:  # R's deff: variance over SRS-without-replacement variance of the same size
                ss = (dev * dev).T @ wr
                vsrs = ss / wn[g] * n[g] / (n[g] - 1) * (wn[g] - n[g]) / (wn[g] * n[g])
                deff[g] = _deff(var[g], vsrs if kind is Kind.MEAN else vsrs * wn[g] ** 2)
    var[~np.isfinite(est)] = np.nan
    if reps is None:
        df = np.array([degf(design, rows) for rows in dom.rows], dtype=float)
    else:
        df = np.full(len(dom), float(replicate_degf(reps)))
    n_rows = np.array([len(r) for r in dom.rows], dtype=float)
    return _Stats(est, var, n, wn, deff, df, n_rows)


def _element(design: Design, dom: Domains, kind: Kind, y: np.ndarray, z: np.ndarray | None) -> _Stats:
    """`compute` for designs without clusters, from moments: each PSU is a row, so every term of
    the variance is a weighted sum over the domain's rows. Each domain costs matrix products with
    its rows of the (n x [w, s w^2, w L, w Omega b, w 1_h]) matrix of `_moments`, taken in blocks
    of rows so that no (n, K) copy of the data is made; with x = (u - phi v) w / D, the variance
    is a quadratic in phi of those moments."""
    p = plan(design)
    st = p.structure
    rw = _moments(design)
    k = y.shape[1]
    complete = not (np.isnan(y).any() or (z is not None and np.isnan(z).any()))
    c = np.zeros(k) if kind is Kind.RATIO else _centre(design.weights, y, complete)
    q = p.lever.shape[1]
    lev, omb, hcol = slice(2, 2 + q), slice(2 + q, 2 + 2 * q), slice(2 + 2 * q, None)
    coef = st.scale * st.centre / st.n_psu
    shape = (len(dom), k)
    est, var, n, wn, deff = (np.full(shape, np.nan) for _ in range(5))
    for g, rows in enumerate(dom.rows):
        pu = np.zeros((rw.shape[1], k))
        pv = np.zeros_like(pu) if kind is Kind.RATIO or not complete else np.zeros((rw.shape[1], 1))
        quad, q_uv, q_vv, total = np.zeros((2, k)), np.zeros(k), np.zeros(k), np.zeros(k)
        n[g], wn[g] = (len(rows), 0.0) if complete else (0.0, 0.0)
        for b in range(0, len(rows), _BLOCK):
            u, v, m = _block(y, z, rows[b : b + _BLOCK], c, complete, kind)
            rb = rw[rows[b : b + _BLOCK]]
            if kind is not Kind.RATIO:
                values = _rows(y, rows[b : b + _BLOCK])
                total += rb[:, 0] @ (values if complete else np.where(np.isnan(values), 0.0, values))
            nz = np.flatnonzero(np.any(rb != 0, axis=0))  # a domain touches few strata and calibration cells
            rn = rb[:, nz]
            pu[nz] += rn.T @ u
            if v is not None:
                pv[nz] += rn.T @ v
            else:
                pv[:, 0] += rb.sum(0)
            quad += rb[:, :2].T @ np.square(u)  # sum w u^2, sum s w^2 u^2
            if m is None:
                wn[g] += rb[:, 0].sum()
            else:
                n[g] += m.sum(0)
                wn[g] += rb[:, 0] @ m
            if kind is Kind.RATIO:
                assert v is not None
                q_uv += rb[:, 1] @ (u * v)
                q_vv += rb[:, 1] @ (v * v)
        with np.errstate(divide="ignore", invalid="ignore"):
            if kind is Kind.RATIO:
                theta = pu[0] / pv[0]
                phi, den = theta, pv[0]
            else:
                wn[g] = pv[0]
                phi = pu[0] / pv[0]  # domain mean minus c
                # the estimate from the weighted sum itself, not c + phi, whose rounding of c changes
                # with the columns estimated alongside: a mean of 0.295 published as 29% instead of 30%
                theta, phi, den = (total / pv[0], phi, pv[0]) if kind is Kind.MEAN else (total, -c, 1.0)
                q_uv, q_vv = pu[1], pv[1]
            est[g] = theta
            sxx = (quad[1] - 2 * phi * q_uv + phi**2 * q_vv) / den**2
            hs = (pu[hcol] - phi * pv[hcol]) / den
            vg = sxx - coef @ (hs * hs)
            if q:
                gamma = p.mix @ ((pu[lev] - phi * pv[lev]) / den)
                a_ob = (pu[omb] - phi * pv[omb]) / den
                vg += np.einsum("qk,qk->k", gamma, p.b_omega_b @ gamma) - 2 * np.einsum("qk,qk->k", a_ob, gamma)
            var[g] = np.maximum(vg, 0.0)  # moments can cancel to -1e-20 where the variance is 0
            if kind is not Kind.RATIO:
                dm = pu[0] / pv[0]
                ss = quad[0] - 2 * dm * pu[0] + dm**2 * pv[0]
                vsrs = ss / wn[g] * n[g] / (n[g] - 1) * (wn[g] - n[g]) / (wn[g] * n[g])
                deff[g] = _deff(var[g], vsrs if kind is Kind.MEAN else vsrs * wn[g] ** 2)
    var[~np.isfinite(est)] = np.nan
    df = np.array([degf(design, rows) for rows in dom.rows], dtype=float)
    n_rows = np.array([len(r) for r in dom.rows], dtype=float)
    return _Stats(est, var, n, wn, deff, df, n_rows)


_BLOCK = 4096  # rows per pass of `_element`: its (rows, K) temporaries stay a few MB whatever n is


def _centre(w: np.ndarray, y: np.ndarray, complete: bool) -> np.ndarray:
    """The overall weighted means of the answered values (0 for a column without answers): the
    values are centred at them so that sums of squares keep their precision."""
    with np.errstate(divide="ignore", invalid="ignore"):
        if complete:
            return np.asarray(np.nan_to_num((w @ y) / w.sum()))
        answered = ~np.isnan(y)
        return np.asarray(np.nan_to_num((w @ np.where(answered, y, 0.0)) / (w @ answered)))


def _block(y: np.ndarray, z: np.ndarray | None, rows: np.ndarray, c: np.ndarray, complete: bool,
           kind: Kind) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None]:
    """Rows of the values for `_element`, as fresh arrays: u (centred at c unless a ratio, 0 where
    missing), v (a ratio's denominators, 0 where missing; else the answered mask, None when nothing
    is missing) and the 0/1 answered mask m (None when nothing is missing)."""
    u = _rows(y, rows)
    v = None if z is None else _rows(z, rows)
    miss = None if complete else (np.isnan(u) if v is None else np.isnan(u) | np.isnan(v))
    if kind is not Kind.RATIO:
        np.subtract(u, c, out=u, where=True if miss is None else ~miss)
    if miss is None:
        return u, v, None
    u[miss] = 0.0
    m = (~miss).astype(float)
    if v is None:
        return u, m, m
    v[miss] = 0.0
    return u, v, m


def _rows(a: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """a[rows] as a fresh array, gathered along memory order (the design's floats are column-major)."""
    return np.take(a.T, rows, axis=1).T if a.flags.f_contiguous else np.take(a, rows, axis=0)


def _moments(design: Design) -> np.ndarray:
    """The (n, 2 + 2Q + H) weight matrix [w, s w^2, w L, w Omega b, w 1_h] of `_element`, in row
    order; it depends only on the design, so it is built once per design."""
    cached = design.weighted.get("moments")
    if isinstance(cached, np.ndarray):
        return cached
    p = plan(design)
    st = p.structure
    w = design.weights
    q = p.lever.shape[1]
    rw = np.zeros((design.n, 2 + 2 * q + len(st.n_psu)))
    rw[:, 0] = w
    rw[:, 1] = st.scale[st.row_stratum] * w * w
    np.multiply(p.lever, w[:, None], out=rw[:, 2 : 2 + q])
    np.multiply(p.omega_b[st.row_psu], w[:, None], out=rw[:, 2 + q : 2 + 2 * q])
    rw[np.arange(design.n), 2 + 2 * q + st.row_stratum] = w
    design.weighted["moments"] = rw
    return rw


def _deff(var: np.ndarray, vsrs: np.ndarray) -> np.ndarray:
    """R's design effect, empty where the SRS variance is not positive (one respondent, a constant domain)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(vsrs > 1e-300, var / vsrs, np.nan)


def _table(labels: Sequence[str], dom: Domains, s: _Stats, low: np.ndarray, high: np.ndarray,
           note: np.ndarray) -> pl.DataFrame:
    """One row per (variable, domain), variable by variable; NaN floats become missing. Built from
    Series in one go: a polars query per step cost more than most estimates' arithmetic."""
    k = len(labels)
    g = len(dom)
    columns = [pl.Series("variable", np.repeat(np.asarray(labels, dtype=object), g).astype(str))]
    if dom.columns:
        columns += pl.concat([dom.table] * k).get_columns()
    missing = {"estimate": s.estimate, "se": np.sqrt(s.var), "ci_low": low, "ci_high": high}
    columns += [pl.Series(name, a.T.ravel(), nan_to_null=True) for name, a in missing.items()]
    columns += [
        pl.Series("df", np.tile(s.df, k)), pl.Series("n", s.n.T.ravel().astype(np.int64)),
        pl.Series("weighted_n", s.weighted_n.T.ravel()), pl.Series("deff", s.deff.T.ravel(), nan_to_null=True),
        pl.Series("note", note.T.ravel().tolist(), dtype=pl.String),
    ]
    return pl.DataFrame(columns)


def _wald_table(labels: Sequence[str], dom: Domains, s: _Stats, level: float) -> pl.DataFrame:
    se = np.sqrt(s.var)
    low, high = intervals.wald(s.estimate, se, s.df[:, None], level)
    note = np.full(s.estimate.shape, None, dtype=object)
    note[s.n == 0] = intervals.NOTE_EMPTY
    return _table(labels, dom, s, low, high, note)


@single_threaded
def mean(design: Design, variables: Columns, by: Columns | None = None, *, level: float = 0.95) -> pl.DataFrame:
    """Weighted means of `variables` overall or per domain of `by`, with Wald t(df) intervals (R: svyby(svymean))."""
    cols, level = names(variables), check_level(level)
    dom = domains(design, by)
    return _wald_table(cols, dom, compute(design, dom, Kind.MEAN, values(design, cols), None), level)


@single_threaded
def proportion(design: Design, variables: Columns, by: Columns | None = None, *,
               ci: CIMethod = CIMethod.LOGIT, level: float = 0.95) -> pl.DataFrame:
    """Proportions of 0/1 `variables` with a proportion interval (default logit, R's svyciprop)."""
    cols, level, ci = names(variables), check_level(level), choice(ci, CIMethod, "ci")
    y = values(design, cols)
    bad = ~np.isnan(y) & (y != 0) & (y != 1)
    if bad.any():
        row, col = np.argwhere(bad)[0]
        raise EstimationError(f"variable {cols[col]!r} has value {y[row, col]:g} in row {row}; proportions need 0/1")
    dom = domains(design, by)
    s = compute(design, dom, Kind.MEAN, y, None)
    low, high, note = intervals.proportion(s.estimate, np.sqrt(s.var), s.df[:, None], s.n, s.n_rows[:, None],
                                           ci, level)
    return _table(cols, dom, s, low, high, note)


@single_threaded
def total(design: Design, variables: Columns, by: Columns | None = None, *, level: float = 0.95) -> pl.DataFrame:
    """Weighted totals (missing values count as zero influence; R's svytotal(na.rm = TRUE))."""
    cols, level = names(variables), check_level(level)
    dom = domains(design, by)
    return _wald_table(cols, dom, compute(design, dom, Kind.TOTAL, values(design, cols), None), level)


@single_threaded
def ratio(design: Design, numerators: Columns, denominators: Columns, by: Columns | None = None, *,
          level: float = 0.95) -> pl.DataFrame:
    """Ratios of totals, pairwise numerator[i] / denominator[i], over rows where both are present (R's svyratio)."""
    num, den, level = names(numerators), names(denominators), check_level(level)
    if len(num) != len(den):
        raise EstimationError(f"ratio: {len(num)} numerators but {len(den)} denominators; pair them one to one")
    dom = domains(design, by)
    s = compute(design, dom, Kind.RATIO, values(design, num), values(design, den))
    return _wald_table([f"{a}/{b}" for a, b in zip(num, den, strict=True)], dom, s, level)

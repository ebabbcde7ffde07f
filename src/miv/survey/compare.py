"""Comparisons: two domains of one design, two independent designs, and Rao-Scott tests for tables.

Why: "gedaald" (fell) may only be written when a difference is significant. Two domains of
one sample share strata and calibration, so their estimates are correlated and the SE of
their difference comes from the joint influence values; two editions are independent
samples, so their variances add.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl
from scipy import special

from miv.survey.arguments import level as check_level
from miv.survey.design import Design
from miv.survey.domains import degf, names
from miv.survey.errors import EstimationError
from miv.survey.estimate import Columns, values
from miv.survey.linearization import covariance, inflation, variances
from miv.survey.replicate import replicate_degf
from miv.survey.threads import single_threaded

_KEYS = ("estimate", "se")


@single_threaded
def domain_difference(design: Design, variables: Columns, by: Columns, a: object, b: object, *,
                      level: float = 0.95) -> pl.DataFrame:
    """Mean in domain `a` minus mean in domain `b` (labels of `by`; tuples for several columns),
    with SE from the joint influence values, t statistic and two-sided p-value.

    The t test has the df of R's svyglm(y ~ by) on the compared rows with an answer: their PSUs
    minus their strata, minus one (for replicate designs the replicate df). A variable without
    respondents in one of the domains gets an empty row whose note says so; the others are computed.
    (R: svyglm(y ~ by, subset(design, by %in% c(a, b))), equal to svycontrast of svyby(covmat = TRUE).)"""
    cols, by_cols, level = names(variables), names(by), check_level(level)
    y = values(design, cols)
    member = [_member(design, by_cols, lab) for lab in (a, b)]
    (est_a, x_a, n_a), (est_b, x_b, n_b) = (_domain_mean(design, y, m) for m in member)
    diff = est_a - est_b
    compared = np.flatnonzero(member[0] | member[1])
    answered = ~np.isnan(y[compared])
    if design.replicates is None:
        var = variances(design, x_a - x_b) * inflation(design.structure, compared, answered)
        df = np.array([degf(design, compared[answered[:, k]]) - 1 for k in range(len(cols))], dtype=float)
    else:
        var = _replicate_difference(design, y, member, diff)
        df = np.full(len(cols), float(replicate_degf(design.replicates)))
    note = np.full(len(cols), None, dtype=object)
    for k, name in enumerate(cols):
        empty = [str(lab) for lab, n in ((a, n_a[k]), (b, n_b[k])) if n == 0]
        if empty:
            note[k] = f"variable {name!r}: no respondents in domain {' and '.join(map(repr, empty))}"
    se = np.sqrt(var)
    return _test_table(cols, est_a, est_b, diff, se, df, level).with_columns(
        domain_a=pl.lit(str(a)), domain_b=pl.lit(str(b)), note=pl.Series(note.tolist(), dtype=pl.String))


@single_threaded
def design_difference(first: pl.DataFrame, second: pl.DataFrame, on: Sequence[str] = ("variable",), *,
                      level: float = 0.95) -> pl.DataFrame:
    """Difference first - second of two result tables from independent samples (two editions):
    se = sqrt(se1^2 + se2^2), z statistic and normal p-value; rows matched on `on`."""
    level = check_level(level)
    for name, table in (("first", first), ("second", second)):
        missing = [c for c in (*on, *_KEYS) if c not in table.columns]
        if missing:
            raise EstimationError(f"design_difference: {name} table lacks column {missing[0]!r}")
    joined = first.select(*on, *_KEYS).join(second.select(*on, *_KEYS), on=list(on), how="inner", suffix="_2")
    est1, est2 = joined["estimate"].to_numpy(), joined["estimate_2"].to_numpy()
    se = np.sqrt(joined["se"].to_numpy() ** 2 + joined["se_2"].to_numpy() ** 2)
    table = _test_table(None, est1, est2, est1 - est2, se, np.inf, level)
    return pl.concat([joined.select(on), table.drop("variable")], how="horizontal")


@dataclass(frozen=True)
class RaoScott:
    """Rao-Scott corrected Pearson test for a two-way table (R's svychisq)."""

    pearson: float  # Pearson X^2 of the weighted table scaled to n rows
    f: float  # first-order corrected F statistic, X^2 / trace(Delta)
    ndf: float
    ddf: float
    p_value: float  # of F on (ndf, ddf): R's statistic = "F" (default)
    chisq_p_value: float  # X^2 / mean eigenvalue on (r-1)(c-1) df: R's statistic = "Chisq"


@single_threaded
def rao_scott(design: Design, row: str, column: str) -> RaoScott:
    """Rao-Scott test of independence of `row` and `column` (rows missing either have zero influence)."""
    for c in (row, column):
        if c not in design.data.columns:
            raise EstimationError(f"rao_scott: column {c!r} not in the data")
    rs, cs = design.data[row], design.data[column]
    ok = (rs.is_not_null() & cs.is_not_null()).to_numpy()
    rl, rc = np.unique(rs.drop_nulls().to_numpy()), np.unique(cs.drop_nulls().to_numpy())
    nr, nc = len(rl), len(rc)
    if nr < 2 or nc < 2:
        raise EstimationError(f"rao_scott: {row!r} and {column!r} need at least two levels each")
    ri = np.searchsorted(rl, np.where(ok, rs.to_numpy(), rl[0]))
    ci = np.searchsorted(rc, np.where(ok, cs.to_numpy(), rc[0]))
    cell = np.where(ok, ri + nr * ci, -1)  # row level varies fastest, as R's interaction()
    n = design.n
    ind = np.zeros((n, nr * nc))
    ind[ok, cell[ok]] = 1.0
    w = design.weights * ok
    wsum = w.sum()
    mean = (w @ ind) / wsum
    v = design.structure.inflate * covariance(design, w[:, None] * (ind - mean) / wsum)
    grid_r, grid_c = np.tile(np.arange(nr), nc), np.repeat(np.arange(nc), nr)
    x1 = np.column_stack([np.ones(nr * nc), np.eye(nr)[grid_r][:, 1:], np.eye(nc)[grid_c][:, 1:]])
    inter = np.column_stack([(grid_r == i) & (grid_c == j) for j in range(1, nc) for i in range(1, nr)]).astype(float)
    cmat = inter - x1 @ np.linalg.lstsq(x1, inter, rcond=None)[0]
    idm = np.diag(np.where(mean == 0, 0.0, 1 / np.where(mean == 0, 1, mean)))
    denom = cmat.T @ (idm / n) @ cmat
    numr = cmat.T @ idm @ v @ idm @ cmat
    delta = np.linalg.solve(denom, numr)
    tr = np.trace(delta)
    d0 = tr**2 / np.trace(delta @ delta)
    table = (mean * n).reshape(nc, nr).T  # weighted table scaled to n rows (R: svytable(Ntotal = n))
    expected = np.outer(table.sum(1), table.sum(0)) / table.sum()
    pearson = float(((table - expected) ** 2 / expected).sum())
    nu = float(design.degf())
    f = pearson / tr
    return RaoScott(pearson=pearson, f=f, ndf=d0, ddf=d0 * nu, p_value=float(special.fdtrc(d0, d0 * nu, f)),
                    chisq_p_value=float(special.chdtrc(delta.shape[0], pearson / np.mean(np.diag(delta)))))


def _domain_mean(design: Design, y: np.ndarray, member: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Estimates (K,), weighted influence values (n, K) and respondents (K,) of the domain mean;
    NaN estimate and zero influence for a variable without respondents."""
    m = ~np.isnan(y) & member[:, None]
    wm = design.weights[:, None] * m
    wn = wm.sum(0)
    y0 = np.where(m, y, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        est = np.where(wn > 0, (wm * y0).sum(0) / wn, np.nan)
        x = np.where(wn > 0, wm * (y0 - np.nan_to_num(est)) / wn, 0.0)
    return est, x, m.sum(0)


def _member(design: Design, by: tuple[str, ...], label: object) -> np.ndarray:
    labels = label if isinstance(label, tuple) else (label,)
    if len(labels) != len(by):
        raise EstimationError(f"domain label {label!r} does not match by columns {by}")
    member = np.ones(design.n, dtype=bool)
    for col, lab in zip(by, labels, strict=True):
        if col not in design.data.columns:
            raise EstimationError(f"by: column {col!r} not in the data")
        member &= (design.data[col] == lab).fill_null(False).to_numpy()
    if not member.any():
        raise EstimationError(f"domain {label!r} of {by}: no rows")
    return member


def _replicate_difference(design: Design, y: np.ndarray, member: list[np.ndarray], diff: np.ndarray) -> np.ndarray:
    reps = design.replicates
    assert reps is not None
    thetas = []
    for inside in member:
        m = ~np.isnan(y) & inside[:, None]
        y0 = np.where(m, y, 0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            thetas.append((reps.weights.T @ y0) / (reps.weights.T @ m.astype(float)))
    d = thetas[0] - thetas[1]
    centre = diff if reps.mse else d[reps.rscales > 0].mean(0)
    return np.asarray(reps.scale * np.einsum("r,rk,rk->k", reps.rscales, d - centre, d - centre))


def _test_table(cols: Sequence[str] | None, est_a: np.ndarray, est_b: np.ndarray, diff: np.ndarray, se: np.ndarray,
                df: float | np.ndarray, level: float) -> pl.DataFrame:
    with np.errstate(divide="ignore", invalid="ignore"):
        stat = diff / se
    q: np.ndarray | float
    if np.all(np.isinf(df)):  # the normal distribution: t's quantile at infinite df differs in the last bit
        q, p = float(special.ndtri(0.5 + level / 2)), 2 * special.ndtr(-np.abs(stat))
    else:
        df_t = np.where(np.asarray(df) > 0, df, np.nan)
        q, p = special.stdtrit(df_t, 0.5 + level / 2), 2 * special.stdtr(df_t, -np.abs(stat))
    floats = {"estimate_a": est_a, "estimate_b": est_b, "difference": diff, "se": se, "ci_low": diff - q * se,
              "ci_high": diff + q * se, "statistic": stat, "df": np.broadcast_to(np.asarray(df, dtype=float), diff.shape),
              "p_value": p}
    return pl.DataFrame([  # NaN becomes missing as each Series is made: no query over the table
        pl.Series("variable", list(cols) if cols is not None else [None] * len(diff)),
        *(pl.Series(name, np.asarray(values, dtype=float), nan_to_null=True) for name, values in floats.items()),
    ])

"""Replicate-weight designs: stratified (grouped) jackknife and rescaled bootstrap, re-calibrated.

Why: replicate weights carry the whole weighting chain into the variance (each replicate is
weighted again exactly as the full sample), and are what data users outside the engine can
reuse. Estimators take a replicate design through the same API as a Taylor design.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from enum import Enum

import numpy as np
import polars as pl
from scipy import linalg

from miv.survey.arguments import choice, frame, number
from miv.survey.design import Design, LonelyStratum, Replicates, unique_rows
from miv.survey.errors import DesignError
from miv.survey.threads import single_threaded


class ReplicateType(Enum):
    """How delivered replicate weights were made, which fixes the default variance constants (R's svrepdesign type)."""

    JK1 = "JK1"
    """Delete-one(-group) jackknife without strata: scale (R - 1)/R."""
    JKN = "JKn"
    """Stratified jackknife: needs `rscales`, (n_h - 1)/n_h per replicate of stratum h."""
    BRR = "BRR"
    """Balanced repeated replication: scale 1/R."""
    FAY = "Fay"
    """Fay's BRR with factor `rho`: scale 1/(R (1 - rho)^2)."""
    BOOTSTRAP = "bootstrap"
    """Bootstrap: scale 1/(R - 1)."""
    SDR = "successive-difference"
    """Successive-difference replication: scale 4/R."""
    ACS = "ACS"
    """The American Community Survey's replicates: as SDR."""
    OTHER = "other"
    """Anything else: give `scale` and `rscales` (default 1 and 1)."""


@single_threaded
def jackknife(design: Design, groups: int | None = None, *, seed: int = 0, mse: bool = False) -> Design:
    """JKn jackknife (JK1 without strata): one replicate per PSU, or per random group of PSUs
    within each stratum when `groups` is given; replicate scale (G_h - 1)/G_h (1 - f_h), so
    census strata get no replicates (R: as.svrepdesign(type = "JKn"/"JK1") with fpc).
    The design's weighting steps are replayed on every replicate."""
    st = design.structure
    rng = np.random.default_rng(seed)
    unit = np.arange(len(st.psu_stratum))  # PSU -> jackknife unit
    if groups is not None:
        for h in range(len(st.n_psu)):
            psus = np.flatnonzero(st.psu_stratum == h)
            k = min(groups, len(psus))
            unit[psus] = psus[0] + rng.permutation(np.arange(len(psus)) % k)
    unit = unique_rows(np.stack([st.psu_stratum, unit]))[1]
    unit_stratum = np.zeros(unit.max() + 1, dtype=np.int64)
    unit_stratum[unit] = st.psu_stratum
    units_per = np.bincount(unit_stratum, minlength=len(st.n_psu))
    row_unit = unit[st.row_psu]
    columns, rscales = [], []
    n_strata = len(st.n_psu)
    for h in range(n_strata):
        k = units_per[h]
        if st.finite[h] < 1e-7:
            continue  # census stratum: no variance, no replicates
        in_h = st.row_stratum == h
        if k == 1:
            if design.lonely is LonelyStratum.ADJUST:  # R's jknweights 'adjust'
                columns.append(np.where(in_h, 0.0, n_strata / (n_strata - 1)))
                rscales.append((n_strata - 1) / n_strata)
            continue
        for u in np.flatnonzero(unit_stratum == h):
            columns.append(np.where(row_unit == u, 0.0, np.where(in_h, k / (k - 1), 1.0)))
            rscales.append((k - 1) / k * st.finite[h])
    if not columns:
        raise DesignError("jackknife: every stratum is fully observed or has one PSU; there is nothing to replicate")
    scale = 1.0
    if design.lonely is LonelyStratum.AVERAGE:
        scale = st.inflate
    kind = "JKn" if n_strata > 1 else "JK1"
    # rank of the replicate weights minus one, known from their construction: each stratum with
    # k units spans k directions sharing the all-ones vector, an ADJUST column one more
    replicated = (st.finite >= 1e-7) & (units_per > 1)
    adjusted = int(((st.finite >= 1e-7) & (units_per == 1)).sum()) if design.lonely is LonelyStratum.ADJUST else 0
    degf = int((units_per[replicated] - 1).sum()) + adjusted
    return _attach(design, np.column_stack(columns), np.asarray(rscales), scale, mse, kind, degf)


@single_threaded
def bootstrap(design: Design, replicates: int = 500, *, seed: int = 0) -> Design:
    """Rao-Wu-Yue rescaled bootstrap: n_h - 1 PSUs drawn with replacement per stratum,
    rescaled by sqrt(1 - f_h) so that the FPC is kept; variance = sum (theta_r - mean)^2 / (R - 1)."""
    st = design.structure
    rng = np.random.default_rng(seed)
    factor = np.ones((len(st.psu_stratum), replicates))
    for h in range(len(st.n_psu)):
        psus = np.flatnonzero(st.psu_stratum == h)
        k = len(psus)
        if k < 2 or st.scale[h] == 0:
            continue
        counts = rng.multinomial(k - 1, np.full(k, 1 / k), size=replicates).T  # (k, R)
        lam = np.sqrt(st.finite[h])
        factor[psus] = 1 - lam + lam * k / (k - 1) * counts
    rows = factor[st.row_psu]
    return _attach(design, rows, np.ones(replicates), 1 / (replicates - 1), False, "bootstrap")


@single_threaded
def replicate_design(data: pl.DataFrame, weights: str, replicates: str | Sequence[str] | np.ndarray, *,
                     kind: ReplicateType = ReplicateType.JK1, scale: float | None = None,
                     rscales: Sequence[float] | np.ndarray | None = None, rho: float | None = None,
                     mse: bool = False, combined: bool = True) -> Design:
    """A design from replicate weights delivered with the data (R's svrepdesign).

    `replicates` names the replicate weight columns (a regular expression when a single string,
    as R's repweights) or is an (n, R) array; with `combined=False` they are factors that multiply
    `weights`. `scale` and `rscales` default as in R for the `kind`; variance =
    scale * sum_r rscales_r (theta_r - centre)^2, centred at the replicates' mean (mse=False) or
    at the full-sample estimate (mse=True). Weighting the design afterwards weights every replicate."""
    data = frame(data)
    kind = choice(kind, ReplicateType, "kind")
    design = Design.build(data, weights)
    if isinstance(replicates, np.ndarray):
        matrix = np.asarray(replicates, dtype=float)
        label = "replicates"
    else:
        cols = [c for c in data.columns if re.search(replicates, c)] if isinstance(replicates, str) else list(replicates)
        missing = [c for c in cols if c not in data.columns]
        if missing or not cols:
            raise DesignError(f"replicates: {'column ' + repr(missing[0]) if missing else repr(replicates)} "
                              "matches no column of the data")
        bad = [c for c in cols if not data[c].dtype.is_numeric() or data[c].null_count()]
        if bad:
            raise DesignError(f"replicates: column {bad[0]!r} must be numeric without missing values")
        matrix = data.select(pl.col(c).cast(pl.Float64) for c in cols).to_numpy()
        label = f"replicates ({cols[0]} ... {cols[-1]})"
    if matrix.ndim != 2 or matrix.shape[0] != data.height or matrix.shape[1] < 2:
        raise DesignError(f"{label}: expected {data.height} rows and at least 2 replicates, got shape {matrix.shape}")
    if not np.isfinite(matrix).all() or (matrix < 0).any():
        row, col = np.argwhere(~np.isfinite(matrix) | (matrix < 0))[0]
        raise DesignError(f"{label}: replicate {col + 1} has weight {matrix[row, col]} in row {row}; "
                          "replicate weights must be finite and >= 0")
    r = matrix.shape[1]
    if kind is ReplicateType.JKN and rscales is None:
        raise DesignError("rscales: a JKn design needs rscales, (n_h - 1)/n_h for each replicate of stratum h")
    if kind is ReplicateType.FAY and (rho is None or not 0 <= number(rho, "rho") < 1):
        raise DesignError(f"rho: a Fay design needs rho in [0, 1), got {rho!r}")
    defaults = {ReplicateType.JK1: (r - 1) / r, ReplicateType.BRR: 1 / r, ReplicateType.BOOTSTRAP: 1 / (r - 1),
                ReplicateType.SDR: 4 / r, ReplicateType.ACS: 4 / r,
                ReplicateType.FAY: 1 / (r * (1 - (rho or 0.0)) ** 2)}
    factor = number(scale, "scale") if scale is not None else defaults.get(kind, 1.0)
    rs = np.ones(r) if rscales is None else np.asarray(rscales, dtype=float)
    if rs.shape != (r,) or not np.isfinite(rs).all() or (rs < 0).any():
        raise DesignError(f"rscales: expected {r} finite values >= 0 (one per replicate), got shape {rs.shape}")
    full = matrix if combined else design.weights[:, None] * matrix
    reps = Replicates(weights=full, rscales=rs, scale=factor, mse=mse, kind=kind.value)
    return replace(design, replicates=reps)


def _attach(design: Design, factors: np.ndarray, rscales: np.ndarray, scale: float, mse: bool, kind: str,
            degf: int | None = None) -> Design:
    weights = design.base[:, None] * factors
    for step in design.steps:
        weights = step(weights)
    reps = Replicates(weights=weights, rscales=rscales, scale=scale, mse=mse, kind=kind, degf=degf)
    return replace(design, replicates=reps)


def replicate_variance(reps: Replicates, rows: np.ndarray, y0: np.ndarray, den: np.ndarray | None,
                       theta: np.ndarray, is_total: bool) -> np.ndarray:
    """Variance of theta (K,) from replicate estimates (R's svrVar): totals sum(W y0), or ratios
    sum(W y0) / sum(W den) with den = None meaning the replicate's weight sum (a mean without missing values)."""
    w = reps.weights[rows]
    num = w.T @ y0
    with np.errstate(divide="ignore", invalid="ignore"):
        if is_total:
            thetas = num
        elif den is None:
            thetas = num / w.sum(0)[:, None]
        else:
            thetas = num / (w.T @ den)
    centre = theta if reps.mse else thetas[reps.rscales > 0].mean(0)
    dev = thetas - centre
    return np.asarray(reps.scale * (reps.rscales @ (dev * dev)))


def replicate_degf(reps: Replicates) -> int:
    """Degrees of freedom of a replicate design: rank of the replicate weights minus one (R's degf,
    a pivoted QR with tolerance 1e-5), known without a QR for the engine's own jackknife;
    computed once per replicate design."""
    if reps.degf is not None:
        return reps.degf
    if "degf" not in reps.cache:
        r = linalg.qr(reps.weights, mode="r", pivoting=True)[0]
        diag = np.abs(np.diag(r))
        reps.cache["degf"] = int((diag > 1e-5 * diag[0]).sum()) - 1
    degf = reps.cache["degf"]
    assert isinstance(degf, int)
    return degf

"""Replicate-weight designs: stratified (grouped) jackknife and rescaled bootstrap, re-calibrated.

Why: replicate weights carry the whole weighting chain into the variance (each replicate is
weighted again exactly as the full sample), and are what data users outside the engine can
reuse. Estimators take a replicate design through the same API as a Taylor design.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from scipy import linalg

from miv.survey.design import Design, LonelyStratum, Replicates, unique_rows
from miv.survey.errors import DesignError


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
    return _attach(design, np.column_stack(columns), np.asarray(rscales), scale, mse, kind)


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


def _attach(design: Design, factors: np.ndarray, rscales: np.ndarray, scale: float, mse: bool, kind: str) -> Design:
    weights = design.base[:, None] * factors
    for step in design.steps:
        weights = step(weights)
    reps = Replicates(weights=weights, rscales=rscales, scale=scale, mse=mse, kind=kind)
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
    a pivoted QR with tolerance 1e-5); computed once per replicate design."""
    if "degf" not in reps.cache:
        r = linalg.qr(reps.weights, mode="r", pivoting=True)[0]
        diag = np.abs(np.diag(r))
        reps.cache["degf"] = int((diag > 1e-5 * diag[0]).sum()) - 1
    degf = reps.cache["degf"]
    assert isinstance(degf, int)
    return degf

"""Small-area estimates: the area-level Fay-Herriot model, EBLUP with Prasad-Rao MSE, as R's sae.

Why: a province factsheet rests on a direct estimate from a few dozen respondents. The
Fay-Herriot model borrows strength across areas: direct_d = x_d' beta + u_d + e_d with
u_d ~ N(0, A) the area effect and e_d ~ N(0, psi_d) the sampling error, psi_d the direct
estimate's design-based variance (taken as known). The EBLUP shrinks each direct estimate
towards the regression on the covariates by B_d = psi_d / (A + psi_d): most where the direct
estimate is least precise. A is estimated by REML with Fisher scoring, started at the median
of psi and stopped when the relative change is below 1e-4 (exactly sae's eblupFH), and
MSE_d = g1 + g2 + 2 g3 (Prasad and Rao, as sae's mseFH for REML).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from miv.survey.errors import EstimationError
from miv.survey.threads import single_threaded

PRECISION, MAXITER = 1e-4, 100


@dataclass(frozen=True)
class FayHerriot:
    """A fitted Fay-Herriot model: per area the EBLUP, its MSE and the shrinkage; and the model."""

    eblup: np.ndarray  # (m,)
    mse: np.ndarray  # (m,) Prasad-Rao
    shrinkage: np.ndarray  # (m,) B_d = psi_d / (A + psi_d): the weight of the regression
    synthetic: np.ndarray  # (m,) x_d' beta
    beta: np.ndarray  # (p,)
    beta_se: np.ndarray  # (p,)
    area_variance: float  # A (REML, truncated at 0)
    iterations: int
    converged: bool


@single_threaded
def fay_herriot(direct: np.ndarray, variances: np.ndarray, covariates: np.ndarray) -> FayHerriot:
    """Fit the model to the areas' `direct` estimates with their sampling `variances` and the
    (m, p) `covariates` (include a column of ones for an intercept). R: eblupFH(direct ~ X - 1,
    vardir, method = "REML") and mseFH."""
    y = np.asarray(direct, dtype=float)
    psi = np.asarray(variances, dtype=float)
    x = np.asarray(covariates, dtype=float)
    if x.ndim == 1:
        x = x[:, None]
    m, p = x.shape
    if y.shape != (m,) or psi.shape != (m,):
        raise EstimationError(f"fay_herriot: {m} areas of covariates but direct {y.shape} and variances {psi.shape}")
    if not (np.isfinite(y).all() and np.isfinite(psi).all() and np.isfinite(x).all()):
        raise EstimationError("fay_herriot: every area needs a finite direct estimate, variance and covariates")
    if (psi <= 0).any():
        d = int(np.flatnonzero(psi <= 0)[0])
        raise EstimationError(f"fay_herriot: area {d} has sampling variance {psi[d]:g}; it must be positive")
    if m <= p or np.linalg.matrix_rank(x) < p:
        raise EstimationError(f"fay_herriot: {m} areas cannot fit {p} covariates (need more areas than "
                              "covariates, and covariates that are not collinear)")
    a, k, diff = float(np.median(psi)), 0, PRECISION + 1
    while diff > PRECISION and k < MAXITER:
        k += 1
        proj = _projection(x, a + psi)
        py = proj @ y
        score = -0.5 * np.trace(proj) + 0.5 * py @ py
        information = 0.5 * np.sum(proj * proj.T)
        new = a + score / information
        diff = abs((new - a) / a) if a != 0 else abs(new - a)
        a = new
    a = max(a, 0.0)
    vi = 1 / (a + psi)
    q = np.linalg.inv((x * vi[:, None]).T @ x)
    beta = q @ ((x * vi[:, None]).T @ y)
    synthetic = x @ beta
    b = psi * vi
    eblup = synthetic + (1 - b) * (y - synthetic)
    var_a = 2 / np.sum(vi**2)
    g1 = psi * (1 - b)
    g2 = b**2 * np.einsum("dp,pq,dq->d", x, q, x)
    g3 = b**2 * var_a / (a + psi)
    return FayHerriot(eblup=eblup, mse=g1 + g2 + 2 * g3, shrinkage=b, synthetic=synthetic, beta=beta,
                      beta_se=np.sqrt(np.diag(q)), area_variance=a, iterations=k, converged=diff <= PRECISION)


def _projection(x: np.ndarray, v: np.ndarray) -> np.ndarray:
    """REML's P = V^-1 - V^-1 X (X' V^-1 X)^-1 X' V^-1 for V = diag(v)."""
    vi = 1 / v
    xtvi = (x * vi[:, None]).T
    return np.diag(vi) - xtvi.T @ np.linalg.solve(xtvi @ x, xtvi)

"""Taylor-series (linearisation) variances from influence values, for many columns at once.

Why: a variance is a quadratic form in the PSU totals of the weighted influence values,
after the GREG residuals of every calibration are taken (R's `svyrecvar`). Written as
matrix products, the whole monitor (hundreds of indicators x tens of domains) costs a few
BLAS calls per domain instead of one pass per estimate.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from miv.survey.design import Design, Structure


@dataclass(frozen=True)
class Plan:
    """Everything about a design's variance that does not depend on the estimate; built once per design."""

    structure: Structure
    psu_order: np.ndarray  # rows sorted by PSU (and so by stratum)
    lever: np.ndarray  # (n, Q) stacked X_k / g_k of all calibrations
    mix: np.ndarray  # (Q, Q): beta = mix @ lever' x, for sequential calibrations
    basis: np.ndarray  # (n, Q) stacked w_k X_k
    omega_b: np.ndarray  # (P, Q) Omega @ (PSU totals of basis)
    b_omega_b: np.ndarray  # (Q, Q)


def plan(design: Design) -> Plan:
    """The variance plan of a design, cached in its `weighted` dict (shared by its updates)."""
    cached = design.weighted.get("plan")
    if isinstance(cached, Plan):
        return cached
    st = design.structure
    n = design.n
    cals = design.calibrations
    if cals:
        lever = np.hstack([c.lever for c in cals])
        basis = np.hstack([c.basis for c in cals])
        sizes = [c.lever.shape[1] for c in cals]
        edges = np.cumsum([0, *sizes])
        q = int(edges[-1])
        gram = np.zeros((q, q))
        lower = np.zeros((q, q))
        for k, c in enumerate(cals):
            rk = slice(edges[k], edges[k + 1])
            gram[rk, rk] = c.gram_inv
            if k:
                lower[rk, : edges[k]] = c.lever.T @ basis[:, : edges[k]]
        # beta_k = C_k L_k'(x - sum_{j<k} B_j beta_j)  =>  beta = (I + C T)^-1 C L' x
        mix = np.linalg.solve(np.eye(q) + gram @ lower, gram)
    else:
        lever = basis = np.zeros((n, 0))
        mix = np.zeros((0, 0))
    psu_order = np.argsort(st.row_psu, kind="stable")
    b = psu_totals(st, basis, psu_order)
    omega_b = omega(st, b)
    result = Plan(st, psu_order, lever, mix, basis, omega_b, b.T @ omega_b)
    design.weighted["plan"] = result
    return result


def psu_totals(st: Structure, x: np.ndarray, psu_order: np.ndarray) -> np.ndarray:
    """Sum rows of x (n, m) within PSUs -> (P, m), PSUs in code order."""
    if st.element:
        out = np.empty_like(x)
        out[st.row_psu] = x
        return out
    sorted_psu = st.row_psu[psu_order]
    starts = np.flatnonzero(np.r_[True, sorted_psu[1:] != sorted_psu[:-1]])
    return np.add.reduceat(x[psu_order], starts, axis=0) if x.shape[1] else np.zeros((len(starts), 0))


def omega(st: Structure, t: np.ndarray) -> np.ndarray:
    """Omega @ t for PSU totals t (P, m): scale_h (t_p - centre_h * mean of t in stratum h)."""
    h = st.psu_stratum
    sums = np.zeros((len(st.n_psu), t.shape[1]))
    np.add.at(sums, h, t)
    means = sums / st.n_psu[:, None]
    return np.asarray(st.scale[h, None] * (t - st.centre[h, None] * means[h]))


def residualize(p: Plan, x: np.ndarray) -> np.ndarray:
    """GREG residuals of weighted influence values x (n, m) for all calibrations (R's postStrata loop)."""
    if not p.lever.shape[1]:
        return x
    return np.asarray(x - p.basis @ (p.mix @ (p.lever.T @ x)))


def covariance(design: Design, x: np.ndarray) -> np.ndarray:
    """Full (m, m) Taylor covariance of the totals of weighted influence values x (n, m), before
    the AVERAGE policy's inflation (see `inflation`)."""
    p = plan(design)
    t = psu_totals(p.structure, residualize(p, x), p.psu_order)
    return np.asarray(t.T @ omega(p.structure, t))


def inflation(st: Structure, rows: np.ndarray, answered: np.ndarray) -> np.ndarray:
    """AVERAGE policy factors (K,) for a domain's `rows` and its respondents (len(rows), K):
    strata with a respondent over those of them that are not left out, as R's svyrecvar on the
    domain's subset; 1 where no left-out stratum is touched, inf where all touched ones are."""
    k = answered.shape[1]
    if not st.left_out.any():
        return np.ones(k)
    counts = np.zeros((len(st.n_psu), k))
    np.add.at(counts, st.row_stratum[rows], answered.astype(float))
    touched = counts > 0
    total, kept = touched.sum(0), (touched & ~st.left_out[:, None]).sum(0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(total > 0, total / kept, 1.0)


def domain_variance(p: Plan, rows: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Variances (m,) of influence values x (len(rows), m) that are zero outside `rows`.

    `rows` must be sorted by PSU. Uses V = a'Oa - 2 a'Ob gamma + gamma' b'Ob gamma with a the
    PSU totals inside the domain and gamma the calibration coefficients, so no (n, m) matrix
    is formed for a domain. Before the AVERAGE policy's inflation (see `inflation`).
    """
    st = p.structure
    psu = st.row_psu[rows]
    if st.element:
        a = x
    else:
        starts = np.flatnonzero(np.r_[True, psu[1:] != psu[:-1]]) if len(psu) else np.zeros(0, dtype=np.int64)
        a = np.add.reduceat(x, starts, axis=0) if len(psu) else x
        psu = psu[starts]
    h = st.psu_stratum[psu]
    s = st.scale[h]
    var = (a * a).T @ s
    if len(h):
        hstarts = np.flatnonzero(np.r_[True, h[1:] != h[:-1]])
        hs = np.add.reduceat(a, hstarts, axis=0)
        hh = h[hstarts]
        var -= (hs * hs).T @ (st.scale[hh] * st.centre[hh] / st.n_psu[hh])
    if p.lever.shape[1]:
        gamma = p.mix @ (p.lever[rows].T @ x)  # (Q, m)
        a_ob = a.T @ p.omega_b[psu]  # (m, Q)
        var += np.einsum("qm,qm->m", gamma, p.b_omega_b @ gamma) - 2 * np.einsum("mq,qm->m", a_ob, gamma)
    return np.asarray(np.maximum(var, 0.0))  # terms can cancel to -1e-20 where the variance is 0


def variances(design: Design, x: np.ndarray) -> np.ndarray:
    """Taylor variances (m,) of the totals of weighted influence values x (n, m): the diagonal of `covariance`."""
    p = plan(design)
    t = psu_totals(p.structure, residualize(p, x), p.psu_order)
    return np.asarray(np.maximum(np.einsum("pm,pm->m", t, omega(p.structure, t)), 0.0))

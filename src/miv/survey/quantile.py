"""Quantiles with Woodruff confidence intervals, as R's svyquantile (R >= 4.1 defaults).

Why: medians of scores and counts are published alongside means. The estimate inverts the
weighted distribution function (qrule "math"); the interval inverts a Wald interval for the
distribution function at the estimate (Woodruff, interval.type "mean"), so its variance
comes from the same design machinery as a proportion.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import polars as pl
from scipy import special

from miv.survey.arguments import level as check_level
from miv.survey.design import Design
from miv.survey.domains import Domains, degf, domains, names
from miv.survey.errors import EstimationError
from miv.survey.estimate import Columns, Kind, compute, values
from miv.survey.intervals import NOTE_EMPTY
from miv.survey.replicate import replicate_degf
from miv.survey.threads import single_threaded


@single_threaded
def quantile(design: Design, variables: Columns, probs: Sequence[float], by: Columns | None = None, *,
             level: float = 0.95) -> pl.DataFrame:
    """Weighted quantiles of `variables` at `probs`, overall or per domain; se = CI width / (2 t(df))."""
    cols, level = names(variables), check_level(level)
    probs = [float(p) for p in probs]
    if not probs or any(not 0 < p < 1 for p in probs):
        raise EstimationError(f"quantile: probs must lie strictly between 0 and 1, got {probs}")
    y = values(design, cols)
    dom = domains(design, by)
    records = []
    for g, rows in enumerate(dom.rows):
        w = design.weights[rows]
        yr = y[rows]
        present = ~np.isnan(yr) & (w[:, None] > 0)
        qhat = np.full((len(cols), len(probs)), np.nan)
        for k in range(len(cols)):
            if present[:, k].any():
                xs, cum = _sorted(yr[present[:, k], k], w[present[:, k]])
                qhat[k] = [_qrule(xs, cum, p) for p in probs]
        # indicator y <= qhat for every (variable, prob), missing where y is missing
        ind = np.where(present[:, :, None], (yr[:, :, None] <= qhat[None]).astype(float), np.nan)
        full = np.full((design.n, len(cols) * len(probs)), np.nan)
        full[rows] = ind.reshape(len(rows), -1)
        s = compute(design, Domains(dom.columns, dom.table, (rows,)), Kind.MEAN, full, None)
        phat, se = s.estimate[0].reshape(qhat.shape), np.sqrt(s.var[0]).reshape(qhat.shape)
        for k, name in enumerate(cols):
            df = float(degf(design, rows[present[:, k]]) if design.replicates is None
                       else replicate_degf(design.replicates))
            t = float(special.stdtrit(df, 0.5 + level / 2)) if df > 0 else np.nan
            xs, cum = _sorted(yr[present[:, k], k], w[present[:, k]])
            n = int(present[:, k].sum())
            for j, p in enumerate(probs):
                lo_p, hi_p = phat[k, j] - t * se[k, j], phat[k, j] + t * se[k, j]
                low = np.nan if not n or np.isnan(lo_p) or lo_p < 0 else _qrule(xs, cum, lo_p)
                high = np.nan if not n or np.isnan(hi_p) or hi_p > 1 else _qrule(xs, cum, hi_p)
                records.append({"variable": name, "_g": g, "probability": p, "estimate": qhat[k, j],
                                "se": (high - low) / (2 * t), "ci_low": low, "ci_high": high, "df": df, "n": n,
                                "weighted_n": float(w[present[:, k]].sum()), "deff": np.nan,
                                "note": None if n else NOTE_EMPTY})
    out = pl.DataFrame(records, schema_overrides={"note": pl.String})
    if dom.columns:
        out = out.join(dom.table.with_row_index("_g").with_columns(pl.col("_g").cast(pl.Int64)), on="_g",
                       how="left", maintain_order="left")
        out = out.select("variable", *dom.columns, pl.exclude("variable", *dom.columns))
    out = out.drop("_g")
    return out.with_columns(pl.col(c).fill_nan(None) for c in ("estimate", "se", "ci_low", "ci_high", "deff"))


def _sorted(x: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted values and cumulative weights, summed in long double as R's cumsum does (ties at exactly p matter)."""
    order = np.argsort(x, kind="stable")
    return x[order], np.cumsum(w[order].astype(np.longdouble)).astype(float)


def _qrule(xs: np.ndarray, cum: np.ndarray, p: float) -> float:
    """R's qrule_math: the smallest x whose weighted distribution function reaches p."""
    total = cum[-1]
    pos = int(np.searchsorted(cum, p * total, side="right")) - 1
    if pos < 0:
        return float(xs[0])
    if p - cum[pos] / total == 0:
        return float(xs[pos])
    return float(xs[min(pos + 1, len(xs) - 1)])

"""Model-based figures beside the direct estimates: trend-break verdicts and province EBLUPs.

Why: "is this edition a break in the trend?" and "what does a province of 80 respondents
really show?" are answered with models (miv.survey.trend_break, miv.survey.fay_herriot); the
publications print the verdict and the model estimate beside the published direct estimate,
which stays the published figure.

Trend series: the editions this run computed (with their SEs) and, before them, the figures
earlier reports published (Results.trend), which carry no SE. Those get the SE of a
proportion of the same size and design as the current edition's:
se_current * sqrt(p (1 - p) / (p_current (1 - p_current))). A series starts after the last
point marked as a trend break (a method change).

Province EBLUPs: per indicator of a publication made per province, the provinces' direct
estimates and variances with covariates from the edition's frame for the publication's
target groups: the share of women and the share of office holders in municipalities of
100,000 inhabitants or more.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from miv.definition import Monitor
from miv.publish.results import BREAK_SCHEMA, MODEL_SCHEMA, TOTAL
from miv.survey import SurveyError, TrendBreak, fay_herriot, trend_break

MIN_EDITIONS = 5
"""Fewer editions leave the smooth-trend model one degree of freedom or none: no verdict."""
SMALL_N = 100
"""Direct estimates from fewer respondents get the model estimate beside them in the factsheets."""

_CELL = ["publication", "per_value", "indicator", "breakdown", "domain"]


def trend_breaks(estimates: pl.DataFrame, published: pl.DataFrame, edition: int) -> pl.DataFrame:
    """One row (BREAK_SCHEMA) per cell of `edition` with at least MIN_EDITIONS editions in its series."""
    current = estimates.filter((pl.col("edition") == edition) & pl.col("estimate").is_not_null()
                               & pl.col("se").is_not_null())
    computed = estimates.filter(pl.col("estimate").is_not_null() & pl.col("se").is_not_null()).select(
        *_CELL, "edition", "estimate", "se").unique([*_CELL, "edition"], keep="first", maintain_order=True)
    # a cell needs MIN_EDITIONS points in all: only those few are looked at one by one
    points = pl.concat([computed.select(_CELL), published.select(_CELL)]).group_by(_CELL).len()
    candidates = current.select(_CELL).unique(maintain_order=True).join(points.filter(pl.col("len") >= MIN_EDITIONS), on=_CELL,
                                                                        how="semi", nulls_equal=True, maintain_order="left")
    rows = []
    fitted: dict[tuple, TrendBreak | None] = {}  # publications sharing a cell share its series: fitted once
    for cell in candidates.iter_rows(named=True):
        ours = computed.filter(_matches(cell)).sort("edition")
        earlier = published.filter(_matches(cell) & (pl.col("edition") < ours["edition"].min())).sort("edition")
        breaks = earlier.filter(pl.col("trend_break"))["edition"].to_list()
        if breaks:
            earlier = earlier.filter(pl.col("edition") >= max(breaks))
        if ours.height + earlier.height < MIN_EDITIONS:
            continue
        latest = ours.row(-1, named=True)
        p0 = latest["estimate"]
        base = latest["se"] / np.sqrt(max(p0 * (1 - p0), 1e-12))
        years = [*earlier["edition"].to_list(), *ours["edition"].to_list()]
        values = [*earlier["estimate"].to_list(), *ours["estimate"].to_list()]
        ses = [base * np.sqrt(max(p * (1 - p), 1e-12)) for p in earlier["estimate"].to_list()] + ours["se"].to_list()
        series = (tuple(years), tuple(values), tuple(ses))
        if series not in fitted:
            try:
                fitted[series] = trend_break(years, values, ses)
            except SurveyError:
                fitted[series] = None  # e.g. editions off the series' grid: no verdict rather than a wrong one
        result = fitted[series]
        if result is None:
            continue
        rows.append({**cell, "edition": edition, "first_edition": years[0], "editions": len(years),
                     "forecast": result.forecast, "shift": result.shift, "se": result.se, "ci_low": result.ci_low,
                     "ci_high": result.ci_high, "p_value": result.p_value, "verdict": result.verdict.value,
                     "text": result.text})
    return pl.DataFrame(rows, schema=BREAK_SCHEMA)


def province_models(monitor: Monitor, estimates: pl.DataFrame, edition: int) -> pl.DataFrame:
    """Fay-Herriot EBLUPs (MODEL_SCHEMA) for the province cells of `edition`'s publications made per province."""
    covariates = _covariates(pl.DataFrame([s.model_dump() for s in monitor.editions[edition].frame.strata]))
    per_province = [p.slug for p in monitor.publications if p.per == "province"]
    cells = estimates.filter((pl.col("edition") == edition) & pl.col("publication").is_in(per_province)
                             & (pl.col("breakdown") == TOTAL) & pl.col("se").is_not_null() & (pl.col("se") > 0))
    rows = []
    for (publication, indicator), part in cells.group_by("publication", "indicator", maintain_order=True):
        areas = part.unique("per_value").join(covariates, left_on="per_value", right_on="province").sort("per_value")
        if areas.height < 5:
            continue
        x = np.column_stack([np.ones(areas.height), areas["women"].to_numpy(), areas["large"].to_numpy()])
        try:
            fit = fay_herriot(areas["estimate"].to_numpy(), areas["se"].to_numpy() ** 2, x)
        except SurveyError:
            continue
        for i, area in enumerate(areas.iter_rows(named=True)):
            rows.append({"publication": publication, "per_value": area["per_value"], "indicator": indicator,
                         "edition": edition, "direct": area["estimate"], "direct_se": area["se"], "n": area["n"],
                         "estimate": float(fit.eblup[i]), "se": float(np.sqrt(fit.mse[i])),
                         "shrinkage": float(fit.shrinkage[i]), "small": area["n"] < SMALL_N})
    return pl.DataFrame(rows, schema=MODEL_SCHEMA)


def _covariates(frame: pl.DataFrame) -> pl.DataFrame:
    """Per province: share of women and share in municipalities of 100,000+ among its office holders."""
    holders = frame.filter(pl.col("province").is_not_null() & ~pl.col("group").str.starts_with("medewerker"))
    return holders.group_by("province").agg(
        women=(pl.col("population") * (pl.col("gender") == "vrouw")).sum() / pl.col("population").sum(),
        large=(pl.col("population") * (pl.col("size_class") == "100k-plus")).sum() / pl.col("population").sum())


def _matches(cell: dict) -> pl.Expr:
    expr = pl.lit(True)
    for key, value in cell.items():
        expr &= pl.col(key).is_null() if value is None else (pl.col(key) == value)
    return expr

"""Trend-break verdicts and province model estimates in the pipeline's Results, from the demo data."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from miv.pipeline import run
from miv.pipeline.models import SMALL_N, _covariates
from miv.publish.results import TOTAL
from miv.survey import fay_herriot, trend_break

# test data: the published headline figure for 2014-2020 (shared/DOMAIN.md); 2022 and 2024 come from the demo
PUBLISHED = {2014: 0.24, 2016: 0.27, 2018: 0.29, 2020: 0.35}


@pytest.fixture(scope="module")
def results(monitor, editions):
    trend = pl.DataFrame({"publication": "kerncijfers", "per_value": None, "indicator": "agressie_totaal",
                          "breakdown": TOTAL, "domain": TOTAL, "edition": list(PUBLISHED),
                          "estimate": list(PUBLISHED.values()), "source": "rapport", "trend_break": False},
                         schema_overrides={"per_value": pl.Utf8, "edition": pl.Int32})
    return run(monitor, 2024, editions[2024], editions[2022], trend=trend)


def test_the_headline_series_gets_a_verdict(results):
    rows = results.breaks.filter((pl.col("publication") == "kerncijfers") & (pl.col("indicator") == "agressie_totaal")
                                 & (pl.col("breakdown") == TOTAL))
    assert rows.height == 1
    row = rows.row(0, named=True)
    cell = results.estimates.filter((pl.col("publication") == "kerncijfers") & (pl.col("indicator") == "agressie_totaal")
                                    & (pl.col("breakdown") == TOTAL) & pl.col("per_value").is_null()).unique("edition").sort("edition")
    p24, se24 = cell.filter(pl.col("edition") == 2024).row(0, named=True)["estimate"], cell["se"][-1]
    scale = se24 / np.sqrt(p24 * (1 - p24))
    years = [*PUBLISHED, *cell["edition"].to_list()]
    values = [*PUBLISHED.values(), *cell["estimate"].to_list()]
    ses = [scale * np.sqrt(p * (1 - p)) for p in PUBLISHED.values()] + cell["se"].to_list()
    direct = trend_break(years, values, ses)
    assert (row["shift"], row["p_value"]) == pytest.approx((direct.shift, direct.p_value), rel=1e-9)
    assert row["verdict"] == direct.verdict.value and row["text"] == direct.text
    assert row["editions"] == 6 and row["first_edition"] == 2014
    assert "trend van 2014 tot en met 2022" in row["text"]


def test_cells_without_a_long_series_get_no_verdict(results):
    assert set(results.breaks["indicator"].to_list()) == {"agressie_totaal"}


def test_provinces_get_a_fay_herriot_estimate(monitor, results):
    models = results.models.filter((pl.col("publication") == "factsheet-provincie")
                                   & (pl.col("indicator") == "agressie_totaal"))
    assert models.height == 12
    direct = results.estimates.filter((pl.col("publication") == "factsheet-provincie") & (pl.col("edition") == 2024)
                                      & (pl.col("indicator") == "agressie_totaal") & (pl.col("breakdown") == TOTAL))
    joined = models.join(direct.unique("per_value"), on="per_value", suffix="_d").sort("per_value")
    np.testing.assert_allclose(joined["direct"], joined["estimate_d"], rtol=1e-12)
    frame = pl.DataFrame([s.model_dump() for s in monitor.editions[2024].frame.strata])
    cov = joined.join(_covariates(frame), left_on="per_value", right_on="province")
    x = np.column_stack([np.ones(cov.height), cov["women"], cov["large"]])
    fit = fay_herriot(cov["direct"].to_numpy(), cov["direct_se"].to_numpy() ** 2, x)
    np.testing.assert_allclose(cov["estimate"], fit.eblup, rtol=1e-9)  # REML stops at sae's 1e-4 step
    assert (joined["small"] == (joined["n"] < SMALL_N)).all()
    assert ((joined["shrinkage"] > 0) & (joined["shrinkage"] < 1)).all()

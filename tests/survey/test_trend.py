"""Trend-break assessment: against statsmodels' UnobservedComponents, the forecast identity, the
verdicts, and a small simulation of false alarms and power (the large one is benchmarks/trend_break.py)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from miv.survey import EstimationError, TrendModel, Verdict, trend_break
from tests.survey.helpers import REFERENCE

REF = json.loads((REFERENCE / "trend_reference.json").read_text())
VARIANCE = {"local level": ("sigma2.level", "sigma_level"), "smooth trend": ("sigma2.trend", "sigma_slope"),
            "local linear trend": ("sigma2.trend", "sigma_slope")}


@pytest.mark.parametrize("name", list(REF["models"]))
def test_equals_statsmodels_unobserved_components(name: str) -> None:
    """Same ML variance, shift and SE as statsmodels (to its optimiser's precision, 1e-3)."""
    ref = REF["models"][name]
    r = trend_break(REF["years"], REF["series"], [REF["se"]] * len(REF["years"]), model=TrendModel(name))
    key, ours = VARIANCE[name]
    assert getattr(r, ours) ** 2 == pytest.approx(ref["params"][key], rel=1e-3), ref["call"]
    assert (r.shift, r.se, r.forecast) == pytest.approx((ref["shift"], ref["se"], ref["forecast"]), rel=1e-3)
    if name == "local linear trend":  # statsmodels' level variance is 4e-12: on the boundary, as ours
        assert r.sigma_level == 0.0 and ref["params"]["sigma2.level"] < 1e-10


def test_shift_is_the_latest_minus_the_forecast_of_the_earlier_editions() -> None:
    """With unequal SEs and a missing edition: the shift's variance is the forecast's plus the latest SE^2."""
    years, y, se = [2014, 2016, 2020, 2022, 2024], [0.24, 0.27, 0.35, 0.49, 0.45], [0.012, 0.01, 0.009, 0.008, 0.02]
    with_latest = trend_break(years, y, se, model=TrendModel.LOCAL_LEVEL)
    changed = trend_break(years, [*y[:-1], 0.60], [*se[:-1], 0.005], model=TrendModel.LOCAL_LEVEL)
    assert changed.forecast == pytest.approx(with_latest.forecast, rel=1e-9)  # the latest does not move the trend
    forecast_var_1 = with_latest.se**2 - 0.02**2
    forecast_var_2 = changed.se**2 - 0.005**2
    assert forecast_var_1 == pytest.approx(forecast_var_2, rel=1e-6) and forecast_var_1 > 0
    assert changed.shift == pytest.approx(0.60 - changed.forecast, rel=1e-12)


def test_verdicts_follow_the_test() -> None:
    years, se = list(range(2014, 2025, 2)), [0.01] * 6
    published = trend_break(years, [0.24, 0.27, 0.29, 0.35, 0.49, 0.45], se)
    assert published.verdict is Verdict.UNDETERMINED and published.p_value >= 0.05
    assert published.text.startswith("Of 2024 afwijkt van de trend van 2014 tot en met 2022 is nog niet te zeggen")
    steady = [0.30 + 0.02 * i for i in range(5)]
    level = trend_break(years, [*steady, steady[-1] + 0.02], [0.003] * 6)
    assert level.verdict is Verdict.CONSISTENT and -0.05 < level.ci_low < level.ci_high < 0.05
    assert level.text.startswith("2024 past bij de trend van 2014 tot en met 2022")
    jump = trend_break(years, [*steady, steady[-1] - 0.15], [0.003] * 6)
    assert jump.verdict is Verdict.DEPARTS and jump.p_value < 0.05
    assert "procentpunt lager dan die trend voorspelt" in jump.text


def test_the_fit_without_the_shift_puts_a_break_into_the_trend() -> None:
    """Fitted when first asked for: without the shift, the trend must bend to reach a jump, so it
    needs more variance and fits worse than the model with the shift."""
    years, steady = list(range(2014, 2025, 2)), [0.30 + 0.02 * i for i in range(5)]
    for model, sigma in ((TrendModel.LOCAL_LEVEL, "sigma_level"), (TrendModel.SMOOTH_TREND, "sigma_slope")):
        jump = trend_break(years, [*steady, steady[-1] - 0.15], [0.003] * 6, model=model)
        assert getattr(jump, f"{sigma}_without") > 2 * getattr(jump, sigma)
        assert jump.loglik_without < jump.loglik - 3


def test_false_alarms_and_power_by_simulation() -> None:
    """Local level with the monitor's SEs: about 5% false alarms, and a 10-point break mostly found."""
    rng = np.random.default_rng(14)
    years, se = list(range(2014, 2025, 2)), np.full(6, 0.01)
    found = {0.0: 0, 0.10: 0}
    reps = 120
    for shift in found:
        for _ in range(reps):
            y = 0.25 + np.cumsum(rng.normal(0, 0.02, 6)) + rng.normal(0, 0.01, 6)
            y[-1] += shift
            found[shift] += trend_break(years, y, se, model=TrendModel.LOCAL_LEVEL).verdict is Verdict.DEPARTS
    assert 0.0 < found[0.0] / reps < 0.11
    assert found[0.10] / reps > 0.75


def test_bad_series_are_refused() -> None:
    with pytest.raises(EstimationError, match="needs at least 4 editions"):
        trend_break([2020, 2022, 2024], [0.3, 0.4, 0.5], [0.01] * 3)
    with pytest.raises(EstimationError, match="do not lie on a grid of 2 years"):
        trend_break([2014, 2016, 2019, 2022, 2024], [0.3] * 5, [0.01] * 5)
    with pytest.raises(EstimationError, match="years must increase"):
        trend_break([2016, 2014, 2018, 2020, 2022], [0.3] * 5, [0.01] * 5)


def test_an_interval_wider_than_the_scale_is_not_printed():
    """Four editions under the smooth trend leave one degree of freedom: an interval of -340 to
    +259 points was printed in a factsheet. Such a series gets the verdict without it."""
    from miv.survey.trend import Verdict, dutch

    text = dutch(Verdict.UNDETERMINED, 2024, 2018, 2022, -0.4, -3.405, 2.593, 0.6, 0.05, 0.95)
    assert "te kort of te onzeker" in text and "interval" not in text
    assert "interval -10,0 tot 2,0" in dutch(Verdict.UNDETERMINED, 2024, 2014, 2022, -0.04, -0.1, 0.02, 0.2, 0.05, 0.95)

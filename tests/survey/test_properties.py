"""Properties that hold for any data: calibration hits its margins, a census has no sampling
error, row order does not matter, and the fast domain path equals the plain influence path."""

from __future__ import annotations

import numpy as np
import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from miv.survey import CalFun, Design, calibrate, mean, rake, ratio, total
from miv.survey.estimate import values
from miv.survey.linearization import variances


@st.composite
def samples(draw: st.DrawFn) -> tuple[pl.DataFrame, dict[str, dict[str, float]]]:
    n = draw(st.integers(30, 120))
    seed = draw(st.integers(0, 2**31))
    rng = np.random.default_rng(seed)
    ka, kb = draw(st.integers(2, 4)), draw(st.integers(2, 3))
    a = np.r_[np.arange(ka), rng.integers(0, ka, n - ka)]
    b = np.r_[np.arange(kb), rng.integers(0, kb, n - kb)][rng.permutation(n)]
    frame = pl.DataFrame({
        "stratum": np.where(np.arange(n) % 3 == 0, "s1", "s2"), "a": [f"a{i}" for i in a], "b": [f"b{i}" for i in b],
        "w": rng.uniform(1, 20, n), "y": rng.normal(5, 2, n), "z": rng.uniform(1, 3, n),
    })
    cells = frame.group_by("a", "b").agg(pl.col("w").sum() * rng.uniform(0.7, 1.4))
    margins = {col: dict(cells.group_by(col).agg(pl.col("w").sum()).iter_rows()) for col in ("a", "b")}
    return frame, margins


def _hits(d: Design, margins: dict[str, dict[str, float]]) -> None:
    for col, levels in margins.items():
        for level, target in levels.items():
            got = d.weights[(d.data[col] == level).to_numpy()].sum()
            assert abs(got - target) <= 1e-8 * (1 + abs(target))


@settings(max_examples=30, deadline=None)
@given(samples())
def test_calibrated_weights_hit_the_margins(sample: tuple[pl.DataFrame, dict[str, dict[str, float]]]) -> None:
    frame, margins = sample
    d = Design.build(frame, "w", strata="stratum")
    _hits(rake(d, margins), margins)
    _hits(calibrate(d, margins), margins)
    _hits(calibrate(d, margins, calfun=CalFun.RAKING), margins)
    _hits(calibrate(d, margins, calfun=CalFun.LOGIT, bounds=(0.2, 5.0)), margins)
    _hits(calibrate(d, margins, bounds=(0.2, 5.0)), margins)


@settings(max_examples=20, deadline=None)
@given(samples())
def test_census_has_zero_se(sample: tuple[pl.DataFrame, dict[str, dict[str, float]]]) -> None:
    frame, margins = sample
    frame = frame.with_columns(N=pl.len().over("stratum"))
    d = rake(Design.build(frame, "w", strata="stratum", fpc="N"), margins)
    for table in (mean(d, ["y", "z"], by="a"), total(d, "y"), ratio(d, "y", "z", by=["a", "b"])):
        assert (table["se"].to_numpy() == 0).all()


@settings(max_examples=20, deadline=None)
@given(samples(), st.integers(0, 2**31))
def test_results_do_not_depend_on_row_order(sample: tuple[pl.DataFrame, dict[str, dict[str, float]]],
                                            seed: int) -> None:
    frame, margins = sample
    perm = np.random.default_rng(seed).permutation(frame.height)
    tables = []
    for f in (frame, frame[perm]):
        d = rake(Design.build(f, "w", strata="stratum"), margins)
        tables.append(mean(d, ["y", "z"], by="a"))
    for col in ("estimate", "se", "ci_low", "ci_high", "deff"):
        np.testing.assert_allclose(tables[0][col], tables[1][col], rtol=1e-9)


def test_domain_path_equals_influence_path() -> None:
    """The per-domain quadratic form equals the variance of explicit n-row influence values."""
    rng = np.random.default_rng(7)
    n = 400
    frame = pl.DataFrame({"h": rng.integers(0, 4, n), "psu": rng.integers(0, 30, n), "g": rng.integers(0, 3, n),
                          "sex": rng.choice(["m", "v"], n), "w": rng.uniform(1, 9, n),
                          "y": np.where(rng.random(n) < 0.1, np.nan, rng.normal(size=n))})
    d0 = Design.build(frame, "w", strata="h", clusters="psu")
    wsum = {s: float(frame.filter(pl.col("sex") == s)["w"].sum()) * 1.1 for s in ("m", "v")}
    d = rake(calibrate(d0, {"g": {0: 900.0, 1: 800.0, 2: 1000.0}}), {"sex": wsum})  # two calibrations in sequence
    table = mean(d, "y", by="g")
    y = values(d, ["y"])[:, 0]
    g = frame["g"].to_numpy()
    for k in range(3):
        m = (g == k) & ~np.isnan(y)
        wn = d.weights[m].sum()
        est = (d.weights[m] * y[m]).sum() / wn
        x = np.where(m, d.weights * (np.nan_to_num(y) - est) / wn, 0.0)
        assert np.isclose(table["se"][k] ** 2, variances(d, x[:, None])[0], rtol=1e-10)

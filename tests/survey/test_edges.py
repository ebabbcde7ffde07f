"""Edge cases with explicit, documented results, and errors that say where and what."""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl
import pytest
from scipy import stats

from miv.survey import (
    CalibrationError,
    CIMethod,
    Design,
    DesignError,
    EstimationError,
    LonelyStratum,
    bootstrap,
    design_difference,
    jackknife,
    mean,
    poststratify,
    proportion,
    rake,
)
from miv.survey import intervals as iv


@pytest.mark.parametrize("method", list(CIMethod))
def test_p_zero_gets_the_exact_interval(dml: Design, ml_margins: dict[str, Any], method: CIMethod) -> None:
    r = proportion(rake(dml, ml_margins), "threat", by="stratum", ci=method).filter(pl.col("stratum") == "CdK")
    n = r["n"][0]
    assert (r["estimate"][0], r["se"][0], r["ci_low"][0]) == (0.0, 0.0, 0.0)
    assert r["ci_high"][0] == pytest.approx(1 - 0.025 ** (1 / n))
    assert r["note"][0] == iv.NOTE_EXTREME


@pytest.mark.parametrize("method", list(CIMethod))
def test_all_missing_domain_is_explicitly_empty(dml: Design, method: CIMethod) -> None:
    r = proportion(dml, "council", by="stratum", ci=method).filter(pl.col("stratum").is_in(["CdK", "DG"]))
    assert r["n"].to_list() == [0, 0]
    assert r["estimate"].null_count() == r["ci_low"].null_count() == r["se"].null_count() == 2
    assert r["note"].to_list() == [iv.NOTE_EMPTY] * 2
    assert mean(dml, "council", by="stratum").filter(pl.col("n") == 0)["note"].to_list() == [iv.NOTE_EMPTY] * 2


@pytest.mark.parametrize("method", list(CIMethod))
def test_census_domain_interval_is_the_value(dml: Design, method: CIMethod) -> None:
    r = proportion(dml, "victim", by="stratum", ci=method).filter(pl.col("stratum") == "DG")
    assert r["ci_low"][0] == r["estimate"][0] == r["ci_high"][0]
    assert r["note"][0] == iv.NOTE_CENSUS


def test_wilson_textbook() -> None:
    low, high, _ = iv.proportion(np.array([0.3]), np.array([np.sqrt(0.3 * 0.7 / 100)]), np.array([np.inf]),
                                 np.array([100.0]), np.array([100.0]), CIMethod.WILSON, 0.95)
    z = stats.norm.ppf(0.975)
    centre = (0.3 + z**2 / 200) / (1 + z**2 / 100)
    half = z / (1 + z**2 / 100) * np.sqrt(0.21 / 100 + z**2 / 40000)
    assert (low[0], high[0]) == pytest.approx((centre - half, centre + half), rel=1e-12)


def test_capped_korn_graubard_is_clopper_pearson_when_deff_below_one() -> None:
    n, k = 40, 9
    p = k / n
    se = np.sqrt(p * (1 - p) / (4 * n))  # design effect 1/4: uncapped n_eff = 4n
    args = (np.array([p]), np.array([se]), np.array([n - 1.0]), np.array([float(n)]), np.array([float(n)]))
    low, high, _ = iv.proportion(*args, CIMethod.BETA_CAPPED, 0.95)
    exact = stats.binomtest(k, n).proportion_ci(method="exact")
    assert (low[0], high[0]) == pytest.approx((exact.low, exact.high), rel=1e-10)
    low_b, high_b, _ = iv.proportion(*args, CIMethod.BETA, 0.95)
    assert high_b[0] - low_b[0] < high[0] - low[0]


def test_deleting_rows_is_not_a_domain(dml: Design, monitorlike: pl.DataFrame) -> None:
    """Filtering respondents first loses their strata's counts; the domain keeps them."""
    domain = mean(dml, "reported", by="stratum")
    deleted = mean(Design.build(monitorlike.drop_nulls("reported"), "weight", strata="stratum", fpc="N_h",
                                lonely=LonelyStratum.CERTAINTY), "reported", by="stratum")
    joined = domain.join(deleted, on="stratum", suffix="_deleted").filter(pl.col("se") > 0)
    np.testing.assert_allclose(joined["estimate"], joined["estimate_deleted"], rtol=1e-12)
    assert not np.allclose(joined["se"], joined["se_deleted"], rtol=1e-3)


def test_bootstrap_is_seeded_and_close_to_taylor(dml: Design, ml_margins: dict[str, Any]) -> None:
    raked = rake(dml, ml_margins)
    a = mean(rake(bootstrap(dml, 400, seed=3), ml_margins), ["victim", "trust"])
    b = mean(bootstrap(raked, 400, seed=3), ["victim", "trust"])
    np.testing.assert_allclose(a["se"], b["se"], rtol=1e-10)
    taylor = mean(raked, ["victim", "trust"])
    np.testing.assert_allclose(a["se"], taylor["se"], rtol=0.15)


def test_design_difference_adds_variances(dml: Design) -> None:
    first, second = mean(dml, ["victim", "trust"]), mean(dml, ["victim", "trust"]).with_columns(
        pl.col("estimate") - 0.1)
    d = design_difference(first, second)
    np.testing.assert_allclose(d["difference"], 0.1)
    np.testing.assert_allclose(d["se"], np.sqrt(2) * first["se"].to_numpy())
    assert ((d["p_value"] > 0) & (d["p_value"] < 1)).all()


def test_errors_name_the_place(monitorlike: pl.DataFrame, dml: Design) -> None:
    with pytest.raises(DesignError, match="'gewicht' not in the data"):
        Design.build(monitorlike, "gewicht")
    with pytest.raises(DesignError, match="stratum 'x' has only one PSU"):
        Design.build(monitorlike.with_columns(s=pl.when(pl.col("id") == 1).then(pl.lit("x")).otherwise("stratum")),
                     "weight", strata="s")
    with pytest.raises(DesignError, match="varies within stratum"):
        Design.build(monitorlike, "weight", strata="stratum", fpc="id")
    with pytest.raises(EstimationError, match="variable 'trust' has value 7 in row 0"):
        proportion(dml, "trust")
    with pytest.raises(EstimationError, match="variable 'nope' not in the data"):
        mean(dml, "nope")


def test_grouped_jackknife(dml: Design) -> None:
    jk = jackknife(dml, groups=3, seed=1)
    assert jk.replicates is not None
    # 3 groups in each stratum except the census stratum DG, which gets no replicates
    assert jk.replicates.weights.shape[1] == 3 * 6
    again = jackknife(dml, groups=3, seed=1)
    assert again.replicates is not None
    np.testing.assert_array_equal(jk.replicates.weights, again.replicates.weights)
    se = mean(jk, "victim")["se"][0]
    assert 0.5 < se / mean(dml, "victim")["se"][0] < 2


def test_poststratify_on_cells_from_a_table(dml: Design, monitorlike: pl.DataFrame) -> None:
    cells = monitorlike.group_by("stratum", "sex").agg(total=pl.col("weight").sum() * 1.1)
    d = poststratify(dml, ("stratum", "sex"), cells)
    for s, x, t in cells.iter_rows():
        got = d.weights[((monitorlike["stratum"] == s) & (monitorlike["sex"] == x)).to_numpy()].sum()
        assert got == pytest.approx(t, rel=1e-12)


def test_poststratify_names_an_empty_cell(dml: Design) -> None:
    with pytest.raises(CalibrationError, match=r"margin 'stratumxsex' level \('CdK', 'x'\).*no respondent"):
        poststratify(dml, ("stratum", "sex"), {**{(s, x): 10.0 for s in ("BM", "CdK", "DG", "GS", "PS", "RL", "WH")
                                                  for x in ("m", "v")}, ("CdK", "x"): 3.0})


def test_jackknife_of_a_census_is_refused(monitorlike: pl.DataFrame) -> None:
    census = Design.build(monitorlike.with_columns(N=pl.len().over("stratum")), "weight", strata="stratum", fpc="N")
    with pytest.raises(DesignError, match="nothing to replicate"):
        jackknife(census)


@pytest.mark.parametrize("value", [0.0, 1.0, 7.3])
def test_a_constant_domain_has_exactly_zero_variance(dml: Design, dclus1: Design, ml_margins: dict[str, Any],
                                                     value: float) -> None:
    """Everyone in the domain answered alike: the mean is the value and its variance exactly 0
    (its influence values are 0), on element and clustered, raw and raked designs; no design
    effect (0/0) rather than a negative or infinite one."""
    constant = pl.when(pl.col("stratum") == "BM").then(value).otherwise(pl.col("trust"))
    for design in (dml, rake(dml, ml_margins)):
        r = mean(design.update(c=constant), "c", by="stratum").filter(pl.col("stratum") == "BM")
        assert (r["estimate"][0], r["se"][0], r["deff"][0]) == (value, 0.0, None)
    clus = mean(dclus1.update(c=pl.when(pl.col("stype") == "H").then(value).otherwise(pl.col("api00"))), "c",
                by="stype").filter(pl.col("stype") == "H")
    assert (clus["estimate"][0], clus["se"][0], clus["deff"][0]) == (value, 0.0, None)
    everything = mean(rake(dml, ml_margins).update(c=constant), ["c", "trust", "victim"], by=["stratum", "sex"])
    assert ((everything["deff"] >= 0) & everything["deff"].is_finite()).all()

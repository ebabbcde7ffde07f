"""Proportion intervals, quantiles, replicate weights and comparisons against R's survey package."""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl
import pytest

from miv.survey import (
    CIMethod,
    Design,
    calibrate,
    domain_difference,
    jackknife,
    mean,
    proportion,
    quantile,
    rake,
    rao_scott,
    ratio,
    total,
)
from tests.survey.helpers import check

EST, SE = 1e-10, 1e-8
METHODS = {"logit": CIMethod.LOGIT, "beta": CIMethod.BETA, "mean": CIMethod.WALD}


def _ci(r: pl.DataFrame) -> np.ndarray:
    return np.array([r["ci_low"][0], r["ci_high"][0]])


@pytest.mark.parametrize("method", list(METHODS))
def test_svyciprop(ref: dict[str, Any], dstrat: Design, dclus1: Design, api_margins: dict[str, Any],
                   method: str) -> None:
    ci = METHODS[method]
    for name, design, var in (("ciprop", dstrat, "yes"), ("ciprop_clus", dclus1, "awards01"),
                              ("ciprop_na", dstrat, "yes_na"),
                              ("ciprop_cal", calibrate(dclus1, {"stype": api_margins["stype"]}), "awards01")):
        r = proportion(design, var, ci=ci)
        key = f"{name}_{method}"
        # R's logit estimate is expit(svyglm coefficient), exact only to glm's convergence; compare with svymean's
        check(ref, f"{name}_mean", "estimate", r["estimate"], EST)
        check(ref, key, "se", r["se"], SE)
        check(ref, key, "ci", _ci(r), SE)
    by = proportion(dstrat, "yes_na", by="stype", ci=ci)
    for i, s in enumerate(by["stype"]):
        check(ref, f"ciprop_by_{method}_{s}", "ci", [by["ci_low"][i], by["ci_high"][i]], SE)
    check(ref, "degf_strat_E", "value", by["df"][0], 0)


def test_svyciprop_logit_in_calibrated_domains(ref: dict[str, Any], dml: Design, ml_margins: dict[str, Any]) -> None:
    by = proportion(rake(dml, ml_margins), "reported", by="stratum", ci=CIMethod.LOGIT)
    for s in ("BM", "WH", "RL"):
        row = by.filter(pl.col("stratum") == s)
        check(ref, f"ml_ciprop_logit_{s}", "estimate", row["estimate"], 1e-8)  # svyglm's convergence
        check(ref, f"ml_ciprop_logit_{s}", "ci", _ci(row), SE)
    check(ref, "ml_degf_BM", "value", by.filter(pl.col("stratum") == "BM")["df"], 0)
    # where R's svyglm breaks down (ml_ciprop_logit_CdK gives NaN), ours gives an interval
    cdk = by.filter(pl.col("stratum") == "CdK")
    assert ref["ml_ciprop_logit_CdK"]["estimate"] == "NaN"
    assert 0 < cdk["ci_low"][0] < cdk["estimate"][0] < cdk["ci_high"][0] < 1


def test_korn_graubard_uses_domain_rows(ref: dict[str, Any], dml: Design, ml_margins: dict[str, Any]) -> None:
    """R's beta takes nrow() of the domain design, which for calibrated designs is every row
    (ml_nrow_BM); ours takes the domain's rows, as R does for uncalibrated designs."""
    assert ref["ml_nrow_BM"]["value"] == dml.n
    by = proportion(rake(dml, ml_margins), "reported", by="stratum", ci=CIMethod.BETA)
    bm = by.filter(pl.col("stratum") == "BM")
    r_ci = np.asarray(ref["ml_ciprop_beta_BM"]["ci"])
    assert np.allclose(_ci(bm), r_ci, rtol=0.02) and not np.allclose(_ci(bm), r_ci, rtol=1e-6)


def test_quantiles(ref: dict[str, Any], dstrat: Design, dclus1: Design) -> None:
    for name, design, var, probs in (("quantile_strat", dstrat, "api00", [0.25, 0.5, 0.75]),
                                     ("quantile_clus", dclus1, "api00", [0.1, 0.5, 0.9]),
                                     ("quantile_strat_na", dstrat, "api00_na", [0.5])):
        r = quantile(design, var, probs)
        expected = ref[name][var]
        np.testing.assert_allclose(r["estimate"], np.ravel(expected["quantile"]), rtol=EST, err_msg=ref[name]["call"])
        np.testing.assert_allclose(r["ci_low"], np.ravel(expected["ci_low"]), rtol=SE, err_msg=ref[name]["call"])
        np.testing.assert_allclose(r["ci_high"], np.ravel(expected["ci_high"]), rtol=SE, err_msg=ref[name]["call"])
        np.testing.assert_allclose(r["se"], np.ravel(expected["se"]), rtol=SE, err_msg=ref[name]["call"])
    by = quantile(dstrat, "api00", [0.5], by="stype")
    for i, s in enumerate(by["stype"]):
        expected = ref[f"quantile_by_{s}"]["api00"]
        np.testing.assert_allclose([by["estimate"][i], by["ci_low"][i], by["ci_high"][i], by["se"][i]],
                                   [expected["quantile"], expected["ci_low"], expected["ci_high"], expected["se"]],
                                   rtol=SE, err_msg=ref[f"quantile_by_{s}"]["call"])


def test_jackknife(ref: dict[str, Any], dstrat: Design, dclus1: Design, api_margins: dict[str, Any]) -> None:
    jkn = jackknife(dstrat)
    r = mean(jkn, ["api00", "yes"])
    check(ref, "jkn_mean", "estimate", r["estimate"], EST)
    check(ref, "jkn_mean", "se", r["se"], SE)
    by = mean(jkn, "api00", by="stype")
    check(ref, "jkn_by", "se", by["se"], SE)
    jk1 = jackknife(dclus1)
    check(ref, "jk1_mean", "se", mean(jk1, "api00")["se"], SE)
    check(ref, "jk1_total", "se", total(jk1, "enroll")["se"], SE)
    check(ref, "jk1_ratio", "se", ratio(jk1, "api.stu", "enroll")["se"], SE)
    cal = calibrate(jk1, {"stype": api_margins["stype"]})
    check(ref, "jk1_cal_mean", "estimate", mean(cal, "api00")["estimate"], EST)
    check(ref, "jk1_cal_mean", "se", mean(cal, "api00")["se"], SE)
    raked = rake(jk1, {"stype": api_margins["stype"], "sch.wide": api_margins["sch.wide"]})
    check(ref, "jk1_rake_mean", "se", mean(raked, "api00")["se"], SE)
    # weighting first and replicates after gives the same: the weighting is replayed per replicate
    later = jackknife(calibrate(dclus1, {"stype": api_margins["stype"]}))
    check(ref, "jk1_cal_mean", "se", mean(later, "api00")["se"], SE)


def test_jackknife_monitorlike_rerakes_and_skips_census(ref: dict[str, Any], dml: Design,
                                                        ml_margins: dict[str, Any]) -> None:
    jk = rake(jackknife(dml), ml_margins)
    assert jk.replicates is not None
    assert jk.replicates.weights.shape[1] == ref["ml_jk_ncol"]["value"]
    r = mean(jk, "reported")
    np.testing.assert_allclose(r["se"], ref["ml_jk_mean"]["se"][1], rtol=SE, err_msg=ref["ml_jk_mean"]["call"])
    by = mean(jk, "reported", by="sex")
    check(ref, "ml_jk_by_sex", "estimate", by["estimate"], EST)
    check(ref, "ml_jk_by_sex", "se", by["se"], SE)


def test_domain_difference(ref: dict[str, Any], dstrat: Design, dclus1: Design, dml: Design,
                           api_margins: dict[str, Any], ml_margins: dict[str, Any]) -> None:
    d = domain_difference(dstrat, "api00", "stype", "H", "E")
    check(ref, "contrast_by", "estimate", d["difference"], EST)
    check(ref, "contrast_by", "se", d["se"], SE)
    cal = rake(dclus1, {"stype": api_margins["stype"], "sch.wide": api_margins["sch.wide"]})
    d = domain_difference(cal, "api00", "stype", "H", "M")
    check(ref, "contrast_by_cal", "estimate", d["difference"], EST)
    check(ref, "contrast_by_cal", "se", d["se"], SE)
    d = domain_difference(rake(dml, ml_margins), "victim", "sex", "m", "v")
    check(ref, "ml_contrast_sex", "estimate", d["difference"], EST)
    check(ref, "ml_contrast_sex", "se", d["se"], SE)
    assert 0 < d["p_value"][0] < 1


def test_rao_scott(ref: dict[str, Any], dstrat: Design, dclus1: Design, dml: Design,
                   ml_margins: dict[str, Any]) -> None:
    for name, design, row, col in (("chisq_F", dstrat, "sch.wide", "stype"), ("chisq_clus_F", dclus1, "sch.wide", "stype"),
                                   ("ml_chisq", rake(dml, ml_margins), "victim", "sex"),
                                   ("ml_chisq_stratum", rake(dml, ml_margins), "victim", "stratum")):
        rs = rao_scott(design, row, col)
        check(ref, name, "statistic", rs.f, SE)
        check(ref, name, "parameter", [rs.ndf, rs.ddf], SE)
        check(ref, name, "p_value", rs.p_value, SE)
    rs = rao_scott(dstrat, "sch.wide", "stype")
    check(ref, "chisq_Chisq", "statistic", rs.pearson, SE)
    check(ref, "chisq_Chisq", "p_value", rs.chisq_p_value, SE)


def test_replicate_designs_domain_difference_and_quantile(ref: dict[str, Any], dstrat: Design) -> None:
    jkn = jackknife(dstrat)
    d = domain_difference(jkn, "api00", "stype", "H", "M")
    check(ref, "contrast_jkn", "estimate", d["difference"], EST)
    check(ref, "contrast_jkn", "se", d["se"], SE)
    q = quantile(jkn, "api00", [0.5])
    expected = ref["quantile_jkn"]["api00"]
    np.testing.assert_allclose([q["estimate"][0], q["ci_low"][0], q["ci_high"][0], q["se"][0]],
                               [expected["quantile"], expected["ci_low"], expected["ci_high"], expected["se"]],
                               rtol=SE, err_msg=ref["quantile_jkn"]["call"])

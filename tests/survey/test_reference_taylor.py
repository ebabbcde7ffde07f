"""Taylor-linearisation estimates and SEs against R's survey package (reference/make_reference.R)."""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl

from miv.survey import Design, mean, ratio, total
from tests.survey.helpers import check

EST, SE = 1e-10, 1e-8


def test_stratified_mean_with_deff(ref: dict[str, Any], dstrat: Design) -> None:
    r = mean(dstrat, ["api00", "enroll"])
    check(ref, "strat_mean", "estimate", r["estimate"], EST)
    check(ref, "strat_mean", "se", r["se"], SE)
    check(ref, "strat_mean", "deff", r["deff"], SE)


def test_stratified_total_with_deff(ref: dict[str, Any], dstrat: Design) -> None:
    r = total(dstrat, "enroll")
    check(ref, "strat_total", "estimate", r["estimate"], EST)
    check(ref, "strat_total", "se", r["se"], SE)
    check(ref, "strat_total", "deff", r["deff"], SE)


def test_missing_values_keep_rows_in_the_design(ref: dict[str, Any], dstrat: Design) -> None:
    r = mean(dstrat, "api00_na")
    check(ref, "strat_mean_na", "estimate", r["estimate"], EST)
    check(ref, "strat_mean_na", "se", r["se"], SE)
    by = mean(dstrat, "api00_na", by="stype")
    check(ref, "strat_by_na", "estimate", by["estimate"], EST)
    check(ref, "strat_by_na", "se", by["se"], SE)


def test_domains_subset_the_design(ref: dict[str, Any], dstrat: Design) -> None:
    r = mean(dstrat, "api00", by="stype")
    assert r["stype"].to_list() == ref["strat_by"]["domain"]
    check(ref, "strat_by", "estimate", r["estimate"], EST)
    check(ref, "strat_by", "se", r["se"], SE)
    check(ref, "strat_by", "deff", r["deff"], SE)
    t = total(dstrat, "enroll", by="stype")
    check(ref, "strat_total_by", "estimate", t["estimate"], EST)
    check(ref, "strat_total_by", "se", t["se"], SE)


def test_cluster_sample(ref: dict[str, Any], dclus1: Design) -> None:
    check(ref, "degf_clus", "value", dclus1.degf(), 0)
    r = mean(dclus1, "api00")
    check(ref, "clus_mean", "estimate", r["estimate"], EST)
    check(ref, "clus_mean", "se", r["se"], SE)
    check(ref, "clus_mean", "deff", r["deff"], SE)
    by = mean(dclus1, "api00", by="stype")
    check(ref, "clus_by", "estimate", by["estimate"], EST)
    check(ref, "clus_by", "se", by["se"], SE)
    t = total(dclus1, "enroll")
    check(ref, "clus_total", "estimate", t["estimate"], EST)
    check(ref, "clus_total", "se", t["se"], SE)
    check(ref, "clus_total", "deff", t["deff"], SE)


def test_ratio(ref: dict[str, Any], dclus1: Design) -> None:
    r = ratio(dclus1, "api.stu", "enroll")
    assert r["variable"].to_list() == ["api.stu/enroll"]
    check(ref, "clus_ratio", "estimate", r["estimate"], EST)
    check(ref, "clus_ratio", "se", r["se"], SE)
    by = ratio(dclus1, "api.stu", "enroll", by="stype")
    check(ref, "clus_ratio_by", "estimate", by["estimate"], EST)
    check(ref, "clus_ratio_by", "se", by["se"], SE)


def test_lonely_stratum_policies(ref: dict[str, Any]) -> None:
    from miv.survey import LonelyStratum
    from tests.survey.helpers import read

    data = read("apistrat_lonely.csv")
    for policy in (LonelyStratum.ADJUST, LonelyStratum.CERTAINTY, LonelyStratum.AVERAGE):
        d = Design.build(data, "pw", strata="stype", fpc="fpc", lonely=policy)
        r = mean(d, "api00")
        check(ref, f"lonely_{policy.value}", "estimate", r["estimate"], EST)
        check(ref, f"lonely_{policy.value}", "se", r["se"], SE)


def test_monitorlike_domains_with_missing(ref: dict[str, Any], dml: Design) -> None:
    r = mean(dml, "trust")
    check(ref, "ml_mean", "estimate", r["estimate"], EST)
    check(ref, "ml_mean", "se", r["se"], SE)
    check(ref, "ml_mean", "deff", r["deff"], SE)
    v = mean(dml, "victim", by="stratum")
    assert v["stratum"].to_list() == ref["ml_by_victim"]["domain"]
    check(ref, "ml_by_victim", "estimate", v["estimate"], EST)
    check(ref, "ml_by_victim", "se", v["se"], SE)
    rep = mean(dml, "reported", by="stratum")
    check(ref, "ml_by_reported", "estimate", rep["estimate"], EST)
    check(ref, "ml_by_reported", "se", rep["se"], SE)


def test_census_stratum_has_zero_variance(dml: Design) -> None:
    r = mean(dml, "victim", by="stratum").filter(pl.col("stratum") == "DG")
    assert r["se"][0] == 0.0
    assert np.isfinite(r["estimate"][0])

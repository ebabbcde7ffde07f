"""Domain contrasts with the domain's degrees of freedom, the AVERAGE lonely-stratum policy per
domain, and jackknife degrees of freedom, against R (make_reference2.R)."""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl
import pytest

from miv.survey import Design, LonelyStratum, domain_difference, jackknife, mean, rake
from tests.survey.helpers import check, read

EST, SE = 1e-10, 1e-8


def _contrast(ref: dict[str, Any], name: str, d: pl.DataFrame) -> None:
    check(ref, name, "estimate", d["difference"], EST)
    check(ref, name, "se", d["se"], SE)
    check(ref, name, "df", d["df"], 0)
    check(ref, name, "p_value", d["p_value"], SE)


@pytest.fixture(scope="module")
def dcal(dclus1: Design, api_margins: dict[str, Any]) -> Design:
    return rake(dclus1, {"stype": api_margins["stype"], "sch.wide": api_margins["sch.wide"]})


@pytest.fixture(scope="module")
def dml_rake(dml: Design, ml_margins: dict[str, Any]) -> Design:
    return rake(dml, ml_margins)


def test_contrast_uses_the_df_of_the_compared_rows(ref2: dict[str, Any], dstrat: Design, dcal: Design) -> None:
    """R: svyglm(y ~ by) on the two domains' rows with an answer; df = their PSUs - strata - 1."""
    _contrast(ref2, "glm_strat_EH", domain_difference(dstrat, "api00", "stype", "H", "E"))
    _contrast(ref2, "glm_strat_EH_na", domain_difference(dstrat, "api00_na", "stype", "H", "E"))
    # a subset of a calibrated design keeps every level, so R's glm aliases the last one (M): H - M
    _contrast(ref2, "glm_cal_HM", domain_difference(dcal, "api00", "stype", "H", "M"))
    both = domain_difference(dcal, ["api00", "yes_na"], "stype", "H", "M")  # df per variable
    _contrast(ref2, "glm_cal_HM_na", both.filter(pl.col("variable") == "yes_na"))
    assert both["df"].to_list() == [ref2["glm_cal_HM"]["df"], ref2["glm_cal_HM_na"]["df"]]


def test_contrast_in_a_small_group_is_not_too_liberal(ref2: dict[str, Any], dml_rake: Design) -> None:
    """Women against men among 10 King's Commissioners: 8 df as R, not the design's 847."""
    small = domain_difference(dml_rake, "victim", ["stratum", "sex"], ("CdK", "v"), ("CdK", "m"))
    _contrast(ref2, "glm_ml_sex_in_CdK", small)
    assert small["df"][0] == 8 < dml_rake.degf()
    _contrast(ref2, "glm_ml_CdK_PS", domain_difference(dml_rake, "trust", "stratum", "CdK", "PS"))
    _contrast(ref2, "glm_ml_sex", domain_difference(dml_rake, "victim", "sex", "v", "m"))


def test_a_variable_without_respondents_fails_alone(dml: Design) -> None:
    """council was asked of nobody in CdK: its row is empty and says so; trust is still computed."""
    both = domain_difference(dml, ["trust", "council"], "stratum", "CdK", "BM")
    alone = domain_difference(dml, "trust", "stratum", "CdK", "BM")
    assert (both["difference"][0], both["se"][0]) == pytest.approx((alone["difference"][0], alone["se"][0]), rel=1e-12)
    assert both["note"][0] is None
    assert both["difference"][1] is None and both["p_value"][1] is None
    assert both["note"][1] == "variable 'council': no respondents in domain 'CdK'"


@pytest.fixture(scope="module")
def dlone() -> Design:
    return Design.build(read("apistrat_lonely.csv"), "pw", strata="stype", fpc="fpc", lonely=LonelyStratum.AVERAGE)


def test_average_inflates_only_domains_touching_the_lonely_stratum(ref2: dict[str, Any], dlone: Design) -> None:
    check(ref2, "average_mean", "se", mean(dlone, "api00")["se"], SE)
    check(ref2, "average_mean_na", "se", mean(dlone, "api00_na")["se"], SE)
    by = mean(dlone, "api00", by="stype")
    check(ref2, "average_by_stype", "se", by["se"].fill_null(np.nan), SE)  # E is the lonely stratum alone: no SE
    assert by["se"][0] is None
    check(ref2, "average_by_schwide", "estimate", mean(dlone, "api00", by="sch.wide")["estimate"], EST)
    check(ref2, "average_by_schwide", "se", mean(dlone, "api00", by="sch.wide")["se"], SE)
    check(ref2, "average_by_schwide_na", "se", mean(dlone, "api00_na", by="sch.wide")["se"], SE)
    # H and M do not touch E: not inflated, the same as leaving E out with CERTAINTY
    certain = mean(Design.build(read("apistrat_lonely.csv"), "pw", strata="stype", fpc="fpc",
                                lonely=LonelyStratum.CERTAINTY), "api00", by="stype")
    np.testing.assert_allclose(by["se"][1:], certain["se"][1:], rtol=1e-13)


def test_jackknife_df_without_qr(ref2: dict[str, Any], dstrat: Design, dclus1: Design, dml: Design,
                                 api_margins: dict[str, Any], ml_margins: dict[str, Any]) -> None:
    check(ref2, "degf_jkn_strat", "value", mean(jackknife(dstrat), "api00")["df"], 0)
    raked = rake(jackknife(dclus1), {"stype": api_margins["stype"], "sch.wide": api_margins["sch.wide"]})
    check(ref2, "degf_jk1_rake", "value", mean(raked, "api00")["df"], 0)
    check(ref2, "degf_jkn_ml_rake", "value", mean(rake(jackknife(dml), ml_margins), "victim")["df"], 0)

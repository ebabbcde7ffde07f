"""Wrong arguments fail at once, naming the argument and what is allowed; strings of enum values act as the enum."""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl
import pytest

from miv.survey import (
    ArgumentError,
    CalFun,
    CalibrationError,
    CIMethod,
    Design,
    DesignError,
    LonelyStratum,
    calibrate,
    domain_difference,
    mean,
    poststratify,
    proportion,
    quantile,
    rake,
)
from tests.survey.helpers import read


def test_enum_values_as_strings_act_as_the_enum(dstrat: Design, dml: Design, ml_margins: dict[str, Any]) -> None:
    lonely = read("apistrat_lonely.csv")
    with pytest.raises(DesignError, match="has only one PSU"):  # "fail" fails, as LonelyStratum.FAIL
        Design.build(lonely, "pw", strata="stype", lonely="fail")  # type: ignore[arg-type]
    for policy in LonelyStratum:
        if policy is not LonelyStratum.FAIL:
            as_string = mean(Design.build(lonely, "pw", strata="stype", lonely=policy.value), "api00")  # type: ignore[arg-type]
            assert as_string["se"][0] == mean(Design.build(lonely, "pw", strata="stype", lonely=policy), "api00")["se"][0]
    for method in CIMethod:
        a = proportion(dstrat, "yes", ci=method.value)  # type: ignore[arg-type]
        assert a["ci_low"][0] == proportion(dstrat, "yes", ci=method)["ci_low"][0]
    beta, wilson = proportion(dstrat, "yes", ci="beta"), proportion(dstrat, "yes", ci=CIMethod.WILSON)  # type: ignore[arg-type]
    assert beta["ci_low"][0] != wilson["ci_low"][0]
    raked = calibrate(dml, ml_margins, calfun="raking")  # type: ignore[arg-type]
    np.testing.assert_array_equal(raked.weights, calibrate(dml, ml_margins, calfun=CalFun.RAKING).weights)


def test_unknown_enum_values_name_the_argument_and_the_choices(dstrat: Design, apistrat: pl.DataFrame,
                                                               dml: Design, ml_margins: dict[str, Any]) -> None:
    with pytest.raises(ArgumentError, match=r"lonely: 'fial' is not allowed; use one of LonelyStratum.FAIL \('fail'\), "
                                            r"LonelyStratum.CERTAINTY \('certainty'\)"):
        Design.build(apistrat, "pw", strata="stype", lonely="fial")  # type: ignore[arg-type]
    with pytest.raises(ArgumentError, match=r"ci: 'exact' is not allowed; use one of CIMethod.WALD \('wald'\)"):
        proportion(dstrat, "yes", ci="exact")  # type: ignore[arg-type]
    with pytest.raises(ArgumentError, match=r"calfun: 'ipf' is not allowed; use one of CalFun.LINEAR"):
        calibrate(dml, ml_margins, calfun="ipf")  # type: ignore[arg-type]


def test_level_must_be_a_fraction(dstrat: Design) -> None:
    for call in (lambda lv: mean(dstrat, "api00", level=lv), lambda lv: proportion(dstrat, "yes", level=lv),
                 lambda lv: quantile(dstrat, "api00", [0.5], level=lv),
                 lambda lv: domain_difference(dstrat, "api00", "stype", "H", "E", level=lv)):
        with pytest.raises(ArgumentError, match="level: 95 is not allowed; give a confidence level between 0 and 1"):
            call(95)
    ninety = mean(dstrat, "api00", level=0.9)
    assert ninety["ci_low"][0] > mean(dstrat, "api00")["ci_low"][0]


def test_negative_fpc_is_refused(apistrat: pl.DataFrame) -> None:
    bad = apistrat.with_columns(fpc=pl.when(pl.col("stype") == "M").then(-50).otherwise(pl.col("fpc")))
    with pytest.raises(DesignError, match="fpc: column 'fpc' is -50 in row"):
        Design.build(bad, "pw", strata="stype", fpc="fpc")


def test_nan_margin_total_fails_before_raking(dml: Design, ml_margins: dict[str, Any]) -> None:
    margins = {**ml_margins, "sex": {**ml_margins["sex"], "v": float("nan")}}
    with pytest.raises(CalibrationError, match="margin 'sex' level 'v': nan is not a finite number") as error:
        rake(dml, margins)
    assert "iterations" not in str(error.value)
    with pytest.raises(CalibrationError, match="margin 'sex' level 'v'"):
        calibrate(dml, margins)


def test_pandas_frames_and_lists_of_margins_get_a_message(apistrat: pl.DataFrame, dml: Design,
                                                          ml_margins: dict[str, Any]) -> None:
    with pytest.raises(ArgumentError, match=r"data: expected a polars DataFrame, got pandas.*polars.from_pandas"):
        Design.build(apistrat.to_pandas(), "pw")  # type: ignore[arg-type]
    with pytest.raises(CalibrationError, match=r"margins: expected a mapping \{column: \{level: total\}\}.*got builtins.list"):
        rake(dml, [ml_margins])  # type: ignore[arg-type]
    with pytest.raises(CalibrationError, match="poststratify: totals must be a mapping"):
        poststratify(dml, "stratum", [1.0, 2.0])  # type: ignore[arg-type]

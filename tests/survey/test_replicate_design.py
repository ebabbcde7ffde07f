"""Designs from delivered replicate weights (replicate_design) against R's svrepdesign (make_reference2.R)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from miv.survey import (
    ArgumentError,
    DesignError,
    ReplicateType,
    mean,
    rake,
    replicate_design,
    total,
)
from tests.survey.helpers import check, read

EST, SE = 1e-10, 1e-8


def test_jkn_with_rscales(ref2: dict[str, Any]) -> None:
    data = read("replicates_jkn.csv")
    design = replicate_design(data, "pw", "X[0-9]+", kind=ReplicateType.JKN, rscales=ref2["jkn_rscales"]["value"])
    r = mean(design, ["api00", "yes"])
    check(ref2, "svrep_jkn_mean", "estimate", r["estimate"], EST)
    check(ref2, "svrep_jkn_mean", "se", r["se"], SE)
    check(ref2, "svrep_jkn_degf", "value", r["df"][0], 0)
    by = mean(design, "api00_na", by="stype")
    check(ref2, "svrep_jkn_by", "estimate", by["estimate"], EST)
    check(ref2, "svrep_jkn_by", "se", by["se"], SE)
    mse = replicate_design(data, "pw", "X[0-9]+", kind="JKn", rscales=ref2["jkn_rscales"]["value"], mse=True)
    check(ref2, "svrep_jkn_mse", "se", mean(mse, "api00")["se"], SE)


def test_jk1_factors_and_weighting_after(ref2: dict[str, Any], api_margins: dict[str, Any]) -> None:
    data = read("replicates_jk1.csv")
    columns = [f"X{i}" for i in range(1, 16)]
    design = replicate_design(data, "pw", columns, kind=ReplicateType.JK1, combined=False)
    check(ref2, "svrep_jk1_mean", "se", mean(design, "api00")["se"], SE)
    check(ref2, "svrep_jk1_total", "se", total(design, "enroll")["se"], SE)
    raked = rake(design, {"stype": api_margins["stype"], "sch.wide": api_margins["sch.wide"]})
    check(ref2, "svrep_jk1_rake", "estimate", mean(raked, "api00")["estimate"], EST)
    check(ref2, "svrep_jk1_rake", "se", mean(raked, "api00")["se"], SE)


@pytest.mark.parametrize(("name", "options"), [
    ("svrep_boot_mean", {"kind": ReplicateType.BOOTSTRAP}),
    ("svrep_other_mean", {"kind": ReplicateType.OTHER, "scale": 0.5, "rscales": [1.0, 3.0] * 25}),
    ("svrep_fay_mean", {"kind": ReplicateType.FAY, "rho": 0.3}),
    ("svrep_brr_mean", {"kind": ReplicateType.BRR}),
    ("svrep_sdr_mean", {"kind": ReplicateType.SDR}),
])
def test_variance_constants_of_each_type(ref2: dict[str, Any], name: str, options: dict[str, Any]) -> None:
    design = replicate_design(read("replicates_boot.csv"), "pw", "X[0-9]+", **options)
    check(ref2, name, "estimate", mean(design, "api00")["estimate"], EST)
    check(ref2, name, "se", mean(design, "api00")["se"], SE)


def test_bad_replicate_weights_are_refused() -> None:
    data = read("replicates_boot.csv")
    with pytest.raises(DesignError, match="rscales: a JKn design needs rscales"):
        replicate_design(data, "pw", "X[0-9]+", kind=ReplicateType.JKN)
    with pytest.raises(DesignError, match="rho: a Fay design needs rho"):
        replicate_design(data, "pw", "X[0-9]+", kind=ReplicateType.FAY)
    with pytest.raises(DesignError, match="rscales: expected 50 finite values"):
        replicate_design(data, "pw", "X[0-9]+", kind=ReplicateType.OTHER, rscales=[1.0] * 3)
    with pytest.raises(DesignError, match="replicates: 'Y' matches no column"):
        replicate_design(data, "pw", "Y")
    negative = np.ones((data.height, 4))
    negative[5, 2] = -1
    with pytest.raises(DesignError, match="replicate 3 has weight -1.0 in row 5"):
        replicate_design(data, "pw", negative)
    with pytest.raises(ArgumentError, match=r"kind: 'jackknife' is not allowed; use one of ReplicateType.JK1 \('JK1'\)"):
        replicate_design(data, "pw", "X[0-9]+", kind="jackknife")  # type: ignore[arg-type]

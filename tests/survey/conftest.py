"""Fixtures: the R reference values and the designs they were computed on (same CSVs as R read)."""

from __future__ import annotations

import json
from typing import Any

import polars as pl
import pytest

from miv.survey import Design
from tests.survey.helpers import REFERENCE, read


@pytest.fixture(scope="session")
def ref() -> dict[str, Any]:
    return json.loads((REFERENCE / "reference.json").read_text())


@pytest.fixture(scope="session")
def apistrat() -> pl.DataFrame:
    return read("apistrat.csv")


@pytest.fixture(scope="session")
def dstrat(apistrat: pl.DataFrame) -> Design:
    return Design.build(apistrat, "pw", strata="stype", fpc="fpc")


@pytest.fixture(scope="session")
def dclus1() -> Design:
    return Design.build(read("apiclus1.csv"), "pw", clusters="dnum", fpc="fpc")


@pytest.fixture(scope="session")
def api_margins() -> dict[str, Any]:
    m = read("api_margins.csv")
    out: dict[str, Any] = {}
    for (margin,), part in m.group_by("margin", maintain_order=True):
        if margin == "api99":
            out[margin] = part["total"][0]
        else:
            out[margin] = dict(zip(part["level"], part["total"], strict=True))
    return out


@pytest.fixture(scope="session")
def monitorlike() -> pl.DataFrame:
    return read("monitorlike.csv")


@pytest.fixture(scope="session")
def dml(monitorlike: pl.DataFrame) -> Design:
    return Design.build(monitorlike, "weight", strata="stratum", fpc="N_h")


@pytest.fixture(scope="session")
def ml_margins() -> dict[str, dict[str, float]]:
    m = read("monitorlike_margins.csv")
    return {margin: dict(zip(part["level"], part["total"], strict=True))
            for (margin,), part in m.group_by("margin", maintain_order=True)}


@pytest.fixture(scope="session")
def ref2() -> dict[str, Any]:
    """R's values for domain contrasts, AVERAGE per domain and delivered replicate weights (make_reference2.R)."""
    return json.loads((REFERENCE / "reference2.json").read_text())

"""Fixtures: the small test definition (tests/intake/definition) and a valid table built from
it; the helpers behind them are in intake_support.py."""

from __future__ import annotations

import polars as pl
import pytest
from intake_support import DEFINITION, valid_table

from miv import definition
from miv.definition import Monitor


@pytest.fixture(scope="session")
def monitor() -> Monitor:
    return definition.load(DEFINITION)


@pytest.fixture(scope="session")
def valid(monitor: Monitor) -> pl.DataFrame:
    return valid_table(monitor, 2024, "ambtsdragers", 120, seed=7)

"""Fixtures for the demo tests: the real definition and the demo tables of the default
seed, generated once per test session."""

from __future__ import annotations

import polars as pl
import pytest

from miv import demo
from miv.definition import Monitor, load

STRATUM_KEYS = ["group", "gender", "province", "size_class"]


@pytest.fixture(scope="session")
def monitor() -> Monitor:
    return load()


@pytest.fixture(scope="session")
def demo_tables(monitor: Monitor) -> list[demo.DemoTable]:
    return list(demo.tables(monitor))


def frame_table(monitor: Monitor, year: int) -> pl.DataFrame:
    """The edition's population frame as a table with column N."""
    rows = [s.model_dump() for s in monitor.editions[year].frame.strata]
    return pl.DataFrame(rows).rename({"population": "N"})


def table(tables: list[demo.DemoTable], year: int, code: str) -> pl.DataFrame:
    return next(t.data for t in tables if t.edition == year and t.questionnaire.code == code)

"""Fixtures for the demo tests: the real definition and the demo tables of the default
seed, generated once per test session."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from miv import demo
from miv.cli import app
from miv.definition import Monitor, load

STRATUM_KEYS = ["group", "gender", "province", "size_class"]


@pytest.fixture(scope="session")
def monitor() -> Monitor:
    return load()


@pytest.fixture(scope="session")
def demo_tables(monitor: Monitor) -> list[demo.DemoTable]:
    return list(demo.tables(monitor))


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """`miv demo --seed 5 --no-pdf` run once: its output folder and what it printed."""
    out = tmp_path_factory.mktemp("demo-uitvoer")
    result = CliRunner().invoke(app, ["demo", "--out", str(out), "--seed", "5", "--no-pdf"])
    assert result.exit_code == 0, result.output
    return out, result.output


def frame_table(monitor: Monitor, year: int) -> pl.DataFrame:
    """The edition's population frame as a table with column N."""
    rows = [s.model_dump() for s in monitor.editions[year].frame.strata]
    return pl.DataFrame(rows).rename({"population": "N"})


def table(tables: list[demo.DemoTable], year: int, code: str) -> pl.DataFrame:
    return next(t.data for t in tables if t.edition == year and t.questionnaire.code == code)

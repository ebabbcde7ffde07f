"""Demo data through the real definition, shared by the pipeline tests (built once)."""

from __future__ import annotations

import pytest

from miv.definition import Monitor, load
from miv.demo import generate


@pytest.fixture(scope="session")
def monitor() -> Monitor:
    return load()


@pytest.fixture(scope="session")
def demo_tables(monitor: Monitor) -> dict:
    return generate(monitor, 7)


@pytest.fixture(scope="session")
def editions(demo_tables: dict) -> dict[int, dict]:
    out: dict[int, dict] = {}
    for (year, code), table in demo_tables.items():
        out.setdefault(year, {})[code] = table
    return out

"""Fixtures: the real definition, synthetic Results built from it, and one written set of
publications (HTML, Markdown, tables, manifest; PDFs have their own test)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from miv.definition import Monitor, load  # noqa: E402
from miv.publish import Results, write_publications  # noqa: E402

import synthetic  # noqa: E402


@pytest.fixture(scope="session")
def monitor() -> Monitor:
    return load()


@pytest.fixture(scope="session")
def results(monitor: Monitor) -> Results:
    return synthetic.results(monitor)


@pytest.fixture(scope="session")
def published(results: Results, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    out = tmp_path_factory.mktemp("uitgave") / "2024"
    files = write_publications(results, out, with_pdf=False)
    return out, files

"""The published series since 2014 (monitor/series.csv): every value kept per publishing
edition, checked against the definition, and read as a later edition shows it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from miv.definition import DEFAULT_ROOT, DefinitionError, Monitor, load
from miv.definition.series import as_published_by, published_series


@pytest.fixture(scope="module")
def monitor() -> Monitor:
    return load()


def test_the_series_starts_in_2014_and_keeps_each_publishing_editions_value(monitor: Monitor) -> None:
    series = published_series(monitor)
    total = [f for f in series if (f.indicator, f.group) == ("agressie_totaal", "totaal")]
    assert min(f.year for f in total) == 2014
    assert sorted((f.published_in, f.estimate) for f in total if f.year == 2014) == [(2014, 0.23), (2016, 0.24), (2018, 0.26)]
    assert all(f.source for f in series)


def test_a_later_edition_shows_the_latest_published_value(monitor: Monitor) -> None:
    series = published_series(monitor)
    for edition, value in ((2014, 0.23), (2016, 0.24), (2020, 0.26)):
        shown = as_published_by(series, edition)
        assert [f.estimate for f in shown if (f.indicator, f.group, f.year) == ("agressie_totaal", "totaal", 2014)] == [value]


def test_a_wrong_row_is_named_by_its_line(monitor: Monitor, tmp_path: Path) -> None:
    shutil.copy(DEFAULT_ROOT / "series.csv", tmp_path / "series.csv")
    with (tmp_path / "series.csv").open("a", encoding="utf-8") as handle:
        handle.write("agressie_onbekend,totaal,2016,1.4,2014,Monitor 2016,,false\n")
    lines = len((tmp_path / "series.csv").read_text(encoding="utf-8").splitlines())
    with pytest.raises(DefinitionError) as caught:
        published_series(monitor, tmp_path)
    message = str(caught.value)
    assert f"regel {lines}: onbekende indicator 'agressie_onbekend'" in message
    assert "estimate 1.4: verwacht een aandeel tussen 0 en 1" in message
    assert "published_in moet een editie zijn op of na year" in message

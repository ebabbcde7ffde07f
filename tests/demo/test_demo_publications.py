"""The demo's publications read as a whole: every two-edition cell carries its test's verdict
or the reason there is none, and the published series since 2014 is in the trend charts."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from verdict_support import NS, change_rows

VERDICTS = {"gestegen", "gedaald", "gelijk", "trendbreuk", "afgeschermd", "niet_gevraagd", "niet_toetsbaar", "nvt"}


@pytest.mark.slow
def test_every_two_edition_cell_of_every_publication_has_a_verdict_or_a_reason(demo_run: tuple[Path, str]) -> None:
    out = demo_run[0] / "2024"
    with (out / "estimates.csv").open(encoding="utf-8") as handle:
        cells = {row["key"]: row for row in csv.DictReader(handle)}
    rows = 0
    for page, tr, tds in change_rows(out):
        code = tds[-1].get("data-verdict")
        assert code in VERDICTS and "".join(tds[-1].itertext()).strip(), f"{page}: rij zonder oordeel"
        now = next((d.get("data-cell") for d in tr.iter(f"{NS}data") if d.get("data-cell").endswith("|2024")), None)
        if now is not None:
            assert cells[now]["change"] == code, (page, now)
        rows += 1
    assert rows > 1000


@pytest.mark.slow
def test_the_trend_chart_shows_the_series_since_2014_with_its_break(demo_run: tuple[Path, str]) -> None:
    text = (demo_run[0] / "2024" / "rapport-veiligheid.html").read_text(encoding="utf-8")
    assert 'data-cell="trend|rapport-veiligheid||agressie_totaal|2014"' in text
    assert "Monitor Agressie en Geweld 2018 (gepubliceerd in 2018)" in text
    assert "Trendbreuk tussen 2022 en 2024" in text  # social media: the question changed in 2024

"""De monitor in 5 minuten: its own file, listed in the index, a few A4 pages, and every figure
the estimate of its cell (tests/demo/test_demo_prose.py: in each edition of the demo, and equal
to the report's figure for the same indicator and population)."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from lxml import html as lxml_html

from miv.definition import PublicationKind
from miv.publish import Results
from miv.publish.number import percent
from miv.publish.printing import pdf

from test_pdf import _streams_text

STEM = "monitor-in-5-minuten"


def _cells(out: Path) -> dict[str, dict]:
    with (out / "estimates.csv").open(encoding="utf-8") as handle:
        return {row["key"]: row for row in csv.DictReader(handle)}


def test_the_summary_is_defined_once_as_its_own_kind(results: Results):
    summaries = [p for p in results.monitor.publications if p.kind is PublicationKind.SUMMARY]
    assert [p.slug for p in summaries] == [STEM]


def test_its_figures_are_the_estimates(published):
    out, files = published
    assert out / f"{STEM}.html" in files
    page = lxml_html.fromstring((out / f"{STEM}.html").read_bytes())
    cells = _cells(out)
    figures = page.xpath("//data[@data-cell]")
    tiles = page.xpath("//dd[contains(@class, 'miv-tegel__cijfer')]")
    assert len(tiles) >= 15 and len(figures) > len(tiles)
    for data in figures:
        row = cells[data.get("data-cell")]
        assert float(row["estimate"]) == float(data.get("value"))
        assert data.text_content() in (percent(float(row["estimate"])), percent(float(row["estimate"]), 1))
    for tile in tiles:  # a tile shows a figure or a sign, never an empty box
        assert tile.text_content().strip()


def test_the_index_lists_it_first(published):
    out, _ = published
    index = lxml_html.fromstring((out / "index.html").read_bytes())
    links = [a.get("href") for a in index.iter("a")]
    assert links[0] == f"{STEM}.html"


def test_the_pdf_has_two_to_four_a4_pages(published, tmp_path):
    out, _ = published
    target = tmp_path / f"{STEM}.pdf"
    pdf(out / f"{STEM}.html", target)
    raw = target.read_bytes()
    data = raw + _streams_text(raw)
    assert 2 <= len(re.findall(rb"/Type\s*/Page\b", data)) <= 4
    assert re.search(rb"/MediaBox\s*\[\s*0 0 595\.\d+ 841\.\d+\s*\]", data)  # A4

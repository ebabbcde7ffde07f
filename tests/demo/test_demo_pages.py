"""The printed reports of the demo, every edition: no page more than half empty except where
a chapter ends and no table leaving a leftover of a row or two on another page (measured on
WeasyPrint's layout, tests/page_support.py), and the PDF printed from that layout shows the
HTML's figures in the HTML's order."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from page_support import near_empty, orphaned_rows, pages, render

from miv.definition import PublicationKind, load

FIGURE = re.compile(r'<data class="miv-cijfer" value="[^"]+" data-cell="[^"]+">([^<]+)</data>')
REPORTS = [p.slug for p in load().publications if p.kind is PublicationKind.REPORT]


def _in_order(wanted: list[str], text: str) -> list[str]:
    """The figures of `wanted` not found, in order, among the percentages of `text` (a figure
    not found does not move the search on)."""
    found, at, missing = re.findall(r"\d+(?:,\d)?%", text), 0, []
    for figure in wanted:
        try:
            at = found.index(figure, at) + 1
        except ValueError:
            missing.append(figure)
    return missing


@pytest.mark.slow
@pytest.mark.parametrize("year", ["2022", "2024"])
@pytest.mark.parametrize("slug", REPORTS)
def test_report_pages_are_full_except_chapter_ends_and_the_pdf_shows_the_figures(demo_run: tuple[Path, str], year: str, slug: str,
                                                                                tmp_path: Path) -> None:
    html = demo_run[0] / year / f"{slug}.html"
    document = render(html)
    measured = pages(document)
    assert len(measured) > 4 and measured[0].cover
    assert near_empty(document) == [], f"{year}/{slug}: pagina's minder dan half vol die geen hoofdstuk afsluiten"
    assert orphaned_rows(document) == [], f"{year}/{slug}: tabellen met een los restje op een andere pagina"
    target = tmp_path / f"{slug}.pdf"
    document.write_pdf(target)
    text = subprocess.run(["pdftotext", "-layout", str(target), "-"], capture_output=True, text=True, check=True).stdout
    shown = FIGURE.findall(html.read_text(encoding="utf-8"))
    assert len(shown) > 100 and _in_order(shown, text) == []

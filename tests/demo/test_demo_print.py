"""The demo's publications as printed: every factsheet is two A4 pages whose large numbers are
the edition's estimates, and no report page is left half empty or holds a table's leftover.

Printed here from the HTML that `miv demo --no-pdf` wrote, with the same WeasyPrint call as
`miv.publish.printing.pdf`: one layout per publication gives the page measures and the PDF."""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from pathlib import Path

from miv.definition import Monitor, PublicationKind
from miv.publish.number import percent
from miv.publish.verdict import NOT_APPLICABLE, SUPPRESSED

sys.path.insert(0, str(Path(__file__).parents[1]))
from page_support import near_empty, orphaned_rows, render  # noqa: E402

EDITION = 2024
A4 = (595, 842)  # points
FIGURE = r"(\d+(?:,\d)?%|x|n\.v\.t\.|\.)\*?"  # how a large number or its sign is printed
TESTED = {"gestegen": "gestegen", "gedaald": "gedaald", "gelijk": "geen significant verschil"}


def _estimates(folder: Path) -> dict[str, dict]:
    with (folder / "estimates.csv").open(encoding="utf-8") as f:
        return {row["key"]: row for row in csv.DictReader(f)}


def _shown(row: dict | None) -> str:
    """What the factsheet must print for a cell: its rounded figure, or its sign."""
    if row is None:
        return "."
    if row["rule"] == "nvt":
        return NOT_APPLICABLE
    return SUPPRESSED if row["suppressed"] else percent(float(row["estimate"]))


def _text(pdf: Path, page: int) -> str:
    out = subprocess.run(["pdftotext", "-raw", "-f", str(page), "-l", str(page), str(pdf), "-"], capture_output=True, text=True, check=True)
    return " ".join(out.stdout.split())


def _factsheets(monitor: Monitor, folder: Path) -> list[tuple[str, str | None, list[str]]]:
    """(file stem, per value, indicator codes) of every factsheet the demo wrote."""
    out = []
    for pub in monitor.publications:
        if pub.kind is not PublicationKind.FACTSHEET:
            continue
        codes = list(dict.fromkeys(code for section in pub.sections for code in section.indicators))
        if pub.per:
            out += [(page.stem, page.stem.removeprefix(pub.slug + "-"), codes) for page in sorted(folder.glob(f"{pub.slug}-*.html"))]
        else:
            out.append((pub.slug, None, codes))
    return out


def test_every_factsheet_is_two_a4_pages_with_the_estimates_as_its_large_numbers(demo_run, monitor: Monitor, tmp_path: Path) -> None:
    folder = demo_run[0] / str(EDITION)
    cells = _estimates(folder)
    labels = {i.code: i.label for i in monitor.indicators}
    previous = monitor.editions[EDITION].previous
    sheets = _factsheets(monitor, folder)
    assert len(sheets) >= 8 + 12
    for stem, per, codes in sheets:
        document = render(folder / f"{stem}.html")
        assert len(document.pages) == 2, f"{stem}: {len(document.pages)} pagina's"
        assert all(round(p.width * 0.75) == A4[0] and round(p.height * 0.75) == A4[1] for p in document.pages), stem
        pdf = tmp_path / f"{stem}.pdf"
        document.write_pdf(pdf, pdf_tags=True)
        first = _text(pdf, 1)
        slug = stem.removesuffix(f"-{per}") if per else stem
        position = 0
        for code in codes:  # in the order the tiles are printed (two indicators may share a label)
            key = "|".join([slug, per or "", code, "totaal", "totaal"])
            found = re.compile(FIGURE + r"\s+" + re.escape(labels[code]) + r"\b").search(first, position)
            assert found, f"{stem}: geen groot cijfer bij {labels[code]!r}"
            position = found.end()
            now = cells.get(f"{key}|{EDITION}")
            assert found.group(1) == _shown(now), f"{stem}, {code}: {found.group(1)} in de pdf, {_shown(now)} in estimates.csv"
            if previous is None or now is None:
                continue
            change = re.compile(re.escape(f"{previous}: ") + FIGURE + " · ").search(first, found.end())
            if now["change"] in TESTED:  # the tile's next line: the previous figure and the verdict
                assert change, f"{stem}, {code}: geen verandering sinds {previous}"
                assert change.group(1) == _shown(cells.get(f"{key}|{previous}")), f"{stem}, {code}: {previous} in de pdf {change.group(1)}"
                assert first[change.end():].startswith(TESTED[now["change"]]), f"{stem}, {code}: geen oordeel {now['change']!r}"
            else:
                assert now["change"], f"{stem}, {code}: geen oordeel in estimates.csv"
        assert "Over deze cijfers" in _text(pdf, 2), f"{stem}: de korte verantwoording ontbreekt op pagina 2"


def test_no_report_page_is_half_empty_and_no_table_leaves_one_or_two_rows(demo_run, monitor: Monitor) -> None:
    folder = demo_run[0] / str(EDITION)
    reports = [p.slug for p in monitor.publications if p.kind is PublicationKind.REPORT]
    assert len(reports) >= 2
    for slug in reports:
        document = render(folder / f"{slug}.html")
        assert near_empty(document) == [], f"{slug}: pagina's minder dan half vol"
        assert orphaned_rows(document) == [], f"{slug}: tabellen met een restje van een of twee rijen"


def test_a_factsheet_says_where_the_method_is_explained(demo_run) -> None:
    """The method text is a short note with a reference, not pages of it in every factsheet."""
    page = (demo_run[0] / str(EDITION) / "factsheet-burgemeesters.html").read_text(encoding="utf-8")
    assert page.count('class="miv-noot"') == 1 and "miv-methode" not in page
    assert re.search(r'href="rapport-[a-z-]+\.html#verantwoording"', page)

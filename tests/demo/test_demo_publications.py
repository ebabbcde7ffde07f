"""The demo's publications read as a whole (issue 12, "done when"): after one `miv demo`, every
publication of every edition is walked. Each figure equals its estimate in estimates.csv (the
HTML of reports, factsheets, key figures and explorer pages; the open data; the explorer's
downloads; tabellen.xlsx), the key figures' Markdown and the draft letter say what the key
figures' HTML says, every two-edition cell carries its test's verdict or the reason there is
none, and the published series since 2014 is in the trend charts. `miv verify` on the same
output: tests/demo/test_demo_verify.py; pages of the printed reports: test_demo_pages.py."""

from __future__ import annotations

import csv
import json
import math
import re
from pathlib import Path

import docx
import openpyxl
import pytest
import tinyhtml5
from verdict_support import NS, change_rows

from miv.publish.number import percent

VERDICTS = {"gestegen", "gedaald", "gelijk", "trendbreuk", "afgeschermd", "niet_gevraagd", "niet_toetsbaar", "nvt"}
EDITIONS = ("2022", "2024")
FIGURE = re.compile(r'<data class="miv-cijfer" value="([^"]+)" data-cell="([^"]+)">([^<]+)</data>')
OWN = re.compile(r"^(?!vergelijking\||trend\||model\||veldwerk\|)")  # a cell of estimates.csv (miv verify checks the others)


def _cells(out: Path) -> dict[str, dict]:
    """estimates.csv by key. A cell asked for by two sections has a row for each; they are the
    same figure up to summation order (a few ulps), held here to 1e-12."""
    cells: dict[str, dict] = {}
    with (out / "estimates.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            first = cells.setdefault(row["key"], row)
            assert (first["estimate"] == row["estimate"] == "") or _same(first["estimate"], row["estimate"]), row["key"]
    return cells


def _same(shown: object, estimate: str) -> bool:
    return shown is not None and shown != "" and estimate != "" and math.isclose(float(shown), float(estimate), rel_tol=1e-12, abs_tol=1e-15)


def _text(element) -> str:
    return " ".join("".join(element.itertext()).split())


@pytest.mark.slow
@pytest.mark.parametrize("year", EDITIONS)
def test_every_html_figure_equals_its_estimate(demo_run: tuple[Path, str], year: str) -> None:
    """Reports, factsheets, key figures, the explorer's pages: value and shown text of each
    figure are its cell's estimate; a suppressed cell is never shown as a figure."""
    out = demo_run[0] / year
    cells = _cells(out)
    pages = sorted(out.rglob("*.html"))
    assert {"rapport-veiligheid.html", "rapport-integriteit.html", "kerncijfers.html", "factsheet-burgemeesters.html"} <= {p.name for p in pages}
    assert any(p.parent.parent.name == "verkenner" for p in pages)
    seen = 0
    for page in pages:
        for value, key, shown in FIGURE.findall(page.read_text(encoding="utf-8")):
            if not OWN.match(key):
                continue
            cell = cells[key]
            assert _same(value, cell["estimate"]), (page.name, key, value, cell["suppressed"])
            assert shown in (percent(float(value)), percent(float(value), 1)), (page.name, key, shown)
            seen += 1
    assert seen > 1000


@pytest.mark.slow
@pytest.mark.parametrize("year", EDITIONS)
def test_open_data_explorer_downloads_and_workbook_equal_the_estimates(demo_run: tuple[Path, str], year: str) -> None:
    """Every row, found by its key: the open data's share, the explorer's percentage (to 4
    decimals) and the workbook's share and n are the cell's; a suppressed cell has no figure
    anywhere and says why."""
    out = demo_run[0] / year
    cells = _cells(out)
    with (out / "open-data" / "cijfers.csv").open(encoding="utf-8") as handle:
        opened = list(csv.DictReader(handle))
    assert {r["sleutel"] for r in opened} == set(cells)
    for row in opened:
        cell = cells[row["sleutel"]]
        assert (row["aandeel"] == cell["estimate"] == "" or _same(row["aandeel"], cell["estimate"])) and row["n"] == cell["n"], row["sleutel"]
        if not cell["estimate"]:
            assert row["symbool"] and row["reden"], row["sleutel"]
    downloads = sorted((out / "verkenner").glob("*/*.csv"))
    assert downloads
    for path in downloads:
        with path.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                cell = cells[row["sleutel"]]
                if cell["estimate"]:
                    assert abs(float(row["percentage"]) - float(cell["estimate"]) * 100) <= 5e-5 + 1e-9, (path.name, row["sleutel"])
                else:
                    assert not row["percentage"], (path.name, row["sleutel"])
    book = openpyxl.load_workbook(out / "tabellen.xlsx", read_only=True)
    rows = 0
    for sheet in book.worksheets:
        lines = sheet.iter_rows(values_only=True)
        header = next((r for r in lines if r and "Sleutel" in r), None)
        if header is None:
            continue
        key, share, n, remark = (header.index(c) for c in ("Sleutel", "Percentage", "n", "Opmerking"))
        for line in lines:
            if not line or not line[key]:
                continue
            cell = cells[line[key]]
            if cell["estimate"]:
                assert _same(line[share], cell["estimate"]), (sheet.title, line[key])
                assert line[n] is None or line[n] == int(cell["n"]), (sheet.title, line[key])
            else:
                assert line[share] is None and "niet gepubliceerd" in (line[remark] or ""), (sheet.title, line[key])
            rows += 1
    assert rows > 1000


@pytest.mark.slow
@pytest.mark.parametrize("year", EDITIONS)
def test_key_figures_markdown_and_letter_say_what_the_html_says(demo_run: tuple[Path, str], year: str) -> None:
    """kerncijfers.md and kamerbrief.docx are renderings of the key figures: the same table
    rows (figures, signs, verdicts) in the same order and the same sentences as
    kerncijfers.html, whose figures the test above ties to estimates.csv."""
    out = demo_run[0] / year
    tree = tinyhtml5.parse((out / "kerncijfers.html").read_text(encoding="utf-8"))
    rows = [[_text(c) for c in tr if c.tag in (f"{NS}th", f"{NS}td")]
            for table in tree.iter(f"{NS}table") for tr in table.find(f"{NS}tbody").iter(f"{NS}tr")]
    sentences = [_text(li) for li in tree.iter(f"{NS}li") if li.find(f".//{NS}data") is not None]
    assert len(rows) > 10 and sentences
    markdown = (out / "kerncijfers.md").read_text(encoding="utf-8").splitlines()
    md_rows = [[" ".join(c.split()) for c in line.strip().strip("|").split("|")] for line in markdown
               if line.startswith("|") and not set(line) <= set("|-: ")]
    md_rows = [r for r in md_rows if r[0] != "Kerncijfer"]  # the header of each table
    assert md_rows == rows
    bullets = {" ".join(line[2:].split()) for line in markdown if line.startswith("- ")}
    assert set(sentences) <= bullets
    letter = docx.Document(str(out / "kamerbrief.docx"))
    letter_rows = [[" ".join(c.text.split()) for c in r.cells] for t in letter.tables for r in t.rows[1:]]
    assert letter_rows == [r[1:] for r in rows]  # the letter's tables are per indicator, without its name
    paragraphs = {" ".join(p.text.split()) for p in letter.paragraphs}
    assert set(sentences) <= paragraphs


@pytest.mark.slow
def test_every_two_edition_cell_of_every_publication_has_a_verdict_or_a_reason(demo_run: tuple[Path, str]) -> None:
    """HTML tables, estimates.csv, the workbook, the explorer's downloads, the key figures'
    Markdown and the letter: wherever 2022 and 2024 stand side by side there is a verdict
    (gestegen, gedaald, geen significant verschil) or the reason there is none."""
    out = demo_run[0] / "2024"
    cells = _cells(out)
    rows = 0
    for page, tr, tds in change_rows(out):
        code = tds[-1].get("data-verdict")
        assert code in VERDICTS and "".join(tds[-1].itertext()).strip(), f"{page}: rij zonder oordeel"
        now = next((d.get("data-cell") for d in tr.iter(f"{NS}data") if d.get("data-cell").endswith("|2024")), None)
        if now is not None:
            assert cells[now]["change"] == code, (page, now)
        rows += 1
    assert rows > 1000
    paired = {k for k in cells if k.endswith("|2024") and k[:-4] + "2022" in cells}
    assert paired and all(cells[k]["change"] in VERDICTS for k in paired)
    book = openpyxl.load_workbook(out / "tabellen.xlsx", read_only=True)
    for sheet in book.worksheets:
        lines = sheet.iter_rows(values_only=True)
        header = next((r for r in lines if r and "Sleutel" in r), None)
        if header is None:
            continue
        key, change = header.index("Sleutel"), header.index("Verandering sinds vorige editie")
        for line in lines:
            if line and line[key] in paired:
                assert line[change], (sheet.title, line[key])
    for path in sorted((out / "verkenner").glob("*/*.csv")):
        with path.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                if row["sleutel"] in paired:
                    assert row["verandering"] or row["opmerking"].startswith("niet gepubliceerd"), (path.name, row["sleutel"])
    markdown = [line for line in (out / "kerncijfers.md").read_text(encoding="utf-8").splitlines() if line.startswith("| ")]
    assert all(line.strip().strip("|").split("|")[-1].strip() for line in markdown)
    letter = docx.Document(str(out / "kamerbrief.docx"))
    assert all(r.cells[-1].text.strip() for t in letter.tables for r in t.rows)


@pytest.mark.slow
def test_the_trend_chart_shows_the_series_since_2014_with_its_break(demo_run: tuple[Path, str]) -> None:
    text = (demo_run[0] / "2024" / "rapport-veiligheid.html").read_text(encoding="utf-8")
    assert 'data-cell="trend|rapport-veiligheid||agressie_totaal|2014"' in text
    assert "Monitor Agressie en Geweld 2018 (gepubliceerd in 2018)" in text
    assert "Trendbreuk tussen 2022 en 2024" in text  # social media: the question changed in 2024


def test_a_chart_of_two_editions_draws_the_newest_for_every_category_it_shows(demo_run: tuple[Path, str]) -> None:
    """A figure titled 'X, 2022 en 2024' pairs each category's previous figure with its own:
    where this edition's figure is withheld, the previous one alone would read as the current
    state, so the category is left out of the chart (the table says why)."""
    import base64

    year, previous = EDITIONS[-1], EDITIONS[-2]  # 2022's previous edition is a published series: no such charts
    folder, seen = demo_run[0] / year, 0
    for page in sorted(folder.glob("*.html")):
        html = page.read_text(encoding="utf-8")
        for caption, src in re.findall(r'miv-figuur__titel">([^<]*?, \d{4} en \d{4})</figcaption>\s*<div class="miv-figuur__beeld"><img src="data:image/svg\+xml;base64,([^"]+)"', html):
            svg = base64.b64decode(src).decode("utf-8")
            texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
            assert caption.endswith(f"{previous} en {year}"), f"{page.name}: {caption}"
            assert year in texts, f"{page.name}, {caption}: de figuur toont alleen {previous}"
            bars = {"previous": len(re.findall(r'fill="#6a8fbf"', svg)), "current": len(re.findall(r'fill="#154273"', svg))}
            assert bars["current"] >= bars["previous"] - 1, f"{page.name}, {caption}: {bars}"  # the legend's swatch of each
            seen += 1
    assert seen, "geen figuur met twee edities gevonden"
    charts = 0
    for page in sorted((folder / "verkenner").glob("*/*.html")):  # the explorer's charts, per choice of editions
        found = re.search(r'<script type="application/json" id="gegevens">(.*?)</script>', page.read_text(encoding="utf-8"), re.S)
        for code, choices in (json.loads(found.group(1)).get("figuren", {}) if found else {}).items():
            for chosen, chart in choices.items():
                newest = max(chosen.split("-"))
                alone = {p["label"] for p in chart["punten"]} - {p["label"] for p in chart["punten"] if p["series"] == newest}
                assert not alone, f"{page.relative_to(folder)}, {code}, {chosen}: alleen eerdere edities voor {sorted(alone)}"
                charts += 1
    assert charts > 100

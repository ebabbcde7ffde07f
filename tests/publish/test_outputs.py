"""The written set of publications, read back as a reader or analyst would: every figure in
the HTML, the Markdown, the workbook and the CSV is traced to the estimate it came from."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import openpyxl
import polars as pl
import pytest
import synthetic
import tinyhtml5

from miv.publish import Results, write_publications
from miv.publish.manifest import sha256
from miv.publish.number import interval, number, percent

NS = "{http://www.w3.org/1999/xhtml}"
FACTSHEETS = ["politieke-ambtsdragers", "burgemeesters", "wethouders", "raadsleden", "gemeenten", "provincies", "waterschappen", "medewerkers"]


def _csv(out: Path) -> dict[str, dict]:
    with (out / "estimates.csv").open(encoding="utf-8") as handle:
        return {row["key"]: row for row in csv.DictReader(handle)}


def _pages(out: Path) -> dict[str, object]:
    return {p.name: tinyhtml5.parse(p.read_text(encoding="utf-8")) for p in sorted(out.glob("*.html"))}


def _loose(element) -> str:
    """The text of an element without its <data> figures."""
    return (element.text or "") + "".join(("" if c.tag == f"{NS}data" else _loose(c)) + (c.tail or "") for c in element)


def _text(element) -> str:
    return "".join(element.itertext()).strip()


def test_every_publication_of_the_edition_is_written(published, monitor):
    out, files = published
    names = {p.name for p in files}
    expected = {"index.html", "rapport-veiligheid.html", "rapport-integriteit.html", "kerncijfers.html", "kerncijfers.md", "tabellen.xlsx", "estimates.csv", "manifest.json"}
    expected |= {f"factsheet-{slug}.html" for slug in FACTSHEETS}
    expected |= {f"factsheet-provincie-{p.code}.html" for p in monitor.structure.provinces}
    assert expected <= names
    assert all(p.exists() and p.stat().st_size > 0 for p in files)
    index = tinyhtml5.parse((out / "index.html").read_text(encoding="utf-8"))
    links = {a.get("href") for a in index.iter(f"{NS}a")}
    assert links - {"verkenner/index.html", "open-data/index.html"} == {p.name for p in files if p.parent == out and p.suffix in (".html", ".md", ".xlsx", ".csv", ".json") and p.name != "index.html"}
    assert (out / "verkenner" / "index.html").exists() and (out / "open-data" / "index.html").exists()
    css = (out / "static" / "rijkshuisstijl-componenten.css").read_text(encoding="utf-8")
    assert ".utrecht-table" in css and "EUPL-1.2" in css


def test_every_figure_in_the_html_equals_the_estimate_it_came_from(published, results: Results):
    out, _ = published
    cells = _csv(out)
    comparisons = {
        "|".join(["vergelijking", r["publication"], r["per_value"] or "", r["indicator"], r["kind"], r["breakdown"], r["domain"]]): r["reference_estimate"]
        for r in results.comparisons.iter_rows(named=True)
    }
    trend = {"|".join(["trend", r["publication"], r["per_value"] or "", r["indicator"], str(r["edition"])]): r["estimate"] for r in results.trend.iter_rows(named=True)}
    checked = 0
    for name, page in _pages(out).items():
        for data in page.iter(f"{NS}data"):
            key, value = data.get("data-cell"), float(data.get("value"))
            if key.startswith("vergelijking|"):
                source = comparisons[key]
            elif key.startswith("trend|"):
                source = trend[key]
            else:
                row = cells[key]
                assert row["suppressed"] == "", f"{name}: verborgen cel {key} staat in de tekst"
                source = float(row["estimate"])
            assert value == pytest.approx(source, abs=1e-12), f"{name}: {key}"
            assert _text(data) in (percent(source), percent(source, 1)), f"{name}: {key} toont {_text(data)}"
            checked += 1
    assert checked > 2000


def test_table_rows_show_the_interval_and_n_of_their_cell(published):
    out, _ = published
    cells = _csv(out)
    rows = 0
    for name, page in _pages(out).items():
        for table in page.iter(f"{NS}table"):
            if "miv-tabel--figuur" in (table.get("class") or "") or table.find(f".//{NS}th") is None:
                continue
            header = [_text(th) for th in table.find(f"{NS}thead").iter(f"{NS}th")]
            if "95%-interval" not in header:
                continue
            for tr in table.find(f"{NS}tbody").iter(f"{NS}tr"):
                tds = tr.findall(f"{NS}td")
                data = tds[0].find(f"{NS}data") if tds else None
                if data is None:
                    if tds:
                        sign = _text(tds[0])
                        assert sign in ("x", ".", "n.v.t.") and _text(tds[1]) == sign and _text(tds[2]) == sign, f"{name}: verborgen rij toont cijfers"
                    continue
                row = cells[data.get("data-cell")]
                assert _text(tds[1]) == interval(float(row["ci_low"]), float(row["ci_high"]))
                assert _text(tds[2]) == number(int(row["n"]))
                rows += 1
    assert rows > 500


def test_no_numbers_in_the_text_outside_traced_figures(published):
    """Sentences may contain years; every percentage is a <data> element."""
    out, _ = published
    for name, page in _pages(out).items():
        method = {id(p) for s in page.iter(f"{NS}section") if "miv-methode" in (s.get("class") or "") for p in s.iter()}
        for p in list(page.iter(f"{NS}p")) + list(page.iter(f"{NS}li")):
            if id(p) in method or "miv-figuur__alt" in (p.get("class") or ""):
                continue
            loose = _loose(p)
            assert not re.search(r"\d+(,\d+)?%(?!-)", loose), f"{name}: los percentage in {_text(p)!r}"


def test_change_wording_follows_the_test(published, results: Results):
    out, _ = published
    tests = {
        (r["publication"], r["indicator"]): r["p_value"]
        for r in results.comparisons.filter((pl.col("kind") == "previous_edition") & (pl.col("breakdown") == "totaal") & pl.col("per_value").is_null()).iter_rows(named=True)
    }
    seen = {"steeg": 0, "daalde": 0, "gelijk": 0}
    for name, page in _pages(out).items():
        for p in page.iter(f"{NS}span"):
            figures = p.findall(f"{NS}data")
            if len(figures) != 2 or not _text(p).startswith("Het aandeel") or "in heel" in _text(p) or "bij" in _text(p):
                continue
            pub, _per, indicator, *_ = figures[1].get("data-cell").split("|")
            p_value = tests[(pub, indicator)]
            sentence = _text(p)
            if p_value < 0.05:
                verb = "steeg" if float(figures[1].get("value")) > float(figures[0].get("value")) else "daalde"
                assert f" {verb} van " in sentence, sentence
                seen[verb] += 1
            else:
                assert "bleef vrijwel gelijk" in sentence, sentence
                seen["gelijk"] += 1
    assert all(count > 0 for count in seen.values()), seen


def test_denominator_is_stated_with_each_level(published, monitor):
    out, _ = published
    labels = {i.denominator_label for i in monitor.indicators}
    page = _pages(out)["rapport-veiligheid.html"]
    levels = [_text(p) for p in page.iter(f"{NS}span") if len(p.findall(f"{NS}data")) == 1 and _text(p).endswith(".")]
    assert levels and all(any(label in text for label in labels) for text in levels if ":" in text)


def test_no_hidden_cell_is_published_in_any_output(published, results: Results):
    out, _ = published
    cells = _csv(out)
    hidden = {k for k, r in cells.items() if r["suppressed"]}
    assert hidden, "the synthetic data should need disclosure control"
    for key in hidden:
        row = cells[key]
        assert row["estimate"] == row["se"] == row["ci_low"] == row["ci_high"] == row["n"] == ""
    html_keys = {d.get("data-cell") for page in _pages(out).values() for d in page.iter(f"{NS}data")}
    assert not hidden & html_keys
    published_values = {round(float(r["estimate"]), 12) for r in cells.values() if r["estimate"]}
    book = openpyxl.load_workbook(out / "tabellen.xlsx", read_only=True)
    numbers = 0
    for sheet in book.worksheets[1:]:
        if sheet.title == "reeks":
            continue
        for row in sheet.iter_rows(min_row=4, values_only=True):
            if row[6] is not None:
                assert round(row[6], 12) in published_values, f"{sheet.title}: {row}"
                numbers += 1
            else:
                assert row[10] and row[10].startswith("niet gepubliceerd") and row[7] is None and row[9] is None
    assert numbers > 1000
    assert {ws.title for ws in book.worksheets} >= {"rapport-veiligheid", "fs-burgemeesters", "fs-provincie-groningen", "kerncijfers", "reeks"}
    series = list(book["reeks"].iter_rows(min_row=4, values_only=True))
    assert {(r[3], round(r[4], 12)) for r in series if r[1].startswith("Agressie of intimidatie meegemaakt")} >= {(2016, 0.27), (2018, 0.29), (2020, 0.35)}
    assert all(r[5] for r in series)


def test_key_figures_markdown_matches_the_html(published):
    out, _ = published
    page = _pages(out)["kerncijfers.html"]
    html_rows = []
    for tr in page.iter(f"{NS}tr"):
        cells = tr.findall(f"{NS}td")
        if len(cells) == 4:
            html_rows.append([_text(tr.find(f"{NS}th")), *(_text(c) for c in cells)])
    md_rows = []
    for line in (out / "kerncijfers.md").read_text(encoding="utf-8").splitlines():
        parts = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("| ") and len(parts) == 5 and parts[0] not in ("Kerncijfer", "---"):
            md_rows.append(parts)
    assert len(md_rows) == len(html_rows) > 10
    for md, html in zip(md_rows, html_rows):
        assert md[0] == re.sub(r"\s+", " ", html[0])
        assert md[1:] == html[1:]


def test_manifest_lets_a_reader_trace_and_recompute(published, results: Results):
    out, files = published
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["inputs"] == results.inputs
    assert manifest["definition_version"] == results.monitor.version and manifest["code_version"] == "0.1.0-test"
    assert manifest["weighting"] == results.weighting.to_dicts()
    assert manifest["indicators"]["agressie_totaal"]["rules"]["2024"]["rule"].startswith("AG_VERBAAL == 1")
    assert manifest["indicators"]["agressie_social"]["rules"]["2024"]["trend_break"]
    for name, digest in manifest["outputs"].items():
        assert sha256(out / name) == digest
    cells = _csv(out)
    decided = {"|".join([d["publication"], d["per_value"] or "", d["indicator"], d["breakdown"], d["domain"], str(d["edition"])]) for d in manifest["disclosure"]["decisions"]}
    assert {k for k, r in cells.items() if r["suppressed"]} <= decided
    # A merged group is the weighted mean of its members, which the reader finds in the inputs.
    merged = [r for r in cells.values() if r["domain"] == "cdk+gedeputeerde" and r["estimate"]]
    assert merged
    members = results.estimates.filter(pl.col("domain").is_in(["cdk", "gedeputeerde"]))
    for row in merged:
        part = members.filter(
            (pl.col("publication") == row["publication"]) & (pl.col("indicator") == row["indicator"])
            & (pl.col("edition") == int(row["edition"])) & (pl.col("section") == int(row["section"]))
            & (pl.col("per_value").is_null() if not row["per_value"] else pl.col("per_value") == row["per_value"])
        )
        recomputed = (part["weighted_n"] * part["estimate"]).sum() / part["weighted_n"].sum()
        assert float(row["estimate"]) == pytest.approx(recomputed, abs=1e-12)
        assert int(row["n"]) == part["n"].sum()


def test_charts_have_text_alternatives_and_data_tables(published):
    out, _ = published
    page = _pages(out)["rapport-veiligheid.html"]
    figures = list(page.iter(f"{NS}figure"))
    assert len(figures) >= 10
    for figure in figures:
        image = figure.find(f".//{NS}img")
        assert image.get("src").startswith("data:image/svg+xml;base64,") and image.get("alt")
        alt = figure.find(f"{NS}p")
        assert _text(alt).startswith(("Staafdiagram", "Lijndiagram"))
        link = alt.find(f"{NS}a")
        if link is not None:  # the chart's figures are in a table of the section
            assert page.find(f".//{NS}table[@id='{link.get('href')[1:]}']") is not None
        else:
            assert figure.find(f"{NS}table").get("aria-describedby") == alt.get("id")
    trend = [f for f in figures if "per editie" in _text(f.find(f"{NS}figcaption"))]
    assert trend and "2016" in _text(trend[0].find(f"{NS}table"))


def test_first_edition_without_a_previous_one(monitor, tmp_path):
    """The first edition in the definition has nothing to compare with: no change column or wording."""
    first = synthetic.results(monitor, edition=2022)
    assert first.previous is None
    files = write_publications(first, tmp_path, with_pdf=False)
    report = (tmp_path / "rapport-veiligheid.html").read_text(encoding="utf-8")
    assert "Sinds " not in report and " steeg van " not in report and " daalde van " not in report
    assert "Verandering" not in (tmp_path / "kerncijfers.md").read_text(encoding="utf-8")
    assert len([f for f in files if f.suffix == ".html"]) == len(list(tmp_path.rglob("*.html")))


def test_gender_and_province_wording_follows_the_test(published, results: Results):
    out, _ = published
    tests = {
        (r["publication"], r["per_value"] or "", r["indicator"], r["kind"]): r["p_value"]
        for r in results.comparisons.filter(pl.col("kind").is_in(["gender", "province_vs_national"]) & (pl.col("breakdown") != "group")).iter_rows(named=True)
    }
    seen = {True: 0, False: 0}
    for page in _pages(out).values():
        for span in page.iter(f"{NS}span"):
            sentence, figures = _text(span), span.findall(f"{NS}data")
            kind = "gender" if sentence.startswith("Het aandeel bij vrouwen") else "province_vs_national" if "in heel Nederland" in sentence else None
            if kind is None:
                continue
            pub, per, indicator, *_ = figures[0].get("data-cell").split("|")
            significant = tests[(pub, per, indicator, kind)] < 0.05
            if significant:
                higher = float(figures[0].get("value")) > float(figures[1].get("value"))
                assert f"significant {'hoger' if higher else 'lager'} dan" in sentence, sentence
            else:
                assert "verschilt niet significant" in sentence, sentence
            seen[significant] += 1
    assert seen[True] and seen[False], seen

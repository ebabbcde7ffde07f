"""The explorer and the open data, read file by file as an adversary would: every figure they
ship is a published cell with its own value, no hidden cell's value is anywhere in them, and no
hidden cell can be solved from the cells shipped beside it (differencing)."""

from __future__ import annotations

import csv
import functools
import json
import re
from collections import defaultdict
from pathlib import Path

import numpy as np
import openpyxl
import polars as pl
import pytest
import lxml.html

from miv.definition.expression import parse
from miv.publish import Results, disclose
from miv.publish.number import interval, number
from miv.publish.results import TOTAL

CROSS = ("gender", "province", "size_class")  # breakdowns that cut across the target groups


def _page(path: Path) -> lxml.html.HtmlElement:
    """An explorer page parsed by libxml2: the pages are hundreds, and an HTML5 parser written
    in Python took twenty seconds for them (miv writes them, well-formed; test_pdf.py checks
    that both parsers agree on its pages)."""
    return lxml.html.parse(str(path), lxml.html.HTMLParser(encoding="utf-8")).getroot()


def _cells(out: Path) -> dict[str, dict]:
    with (out / "estimates.csv").open(encoding="utf-8") as handle:
        return {row["key"]: row for row in csv.DictReader(handle)}


def _shipped(out: Path) -> list[Path]:
    return sorted(p for folder in ("verkenner", "open-data") for p in (out / folder).rglob("*") if p.is_file() and "static" not in p.parts)


def _figure_rows(out: Path):
    """(file, key, percentage, low, high, n) for every row of every download, CSV and xlsx."""
    for path in (out / "verkenner").rglob("*.csv"):
        with path.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                yield path, row["sleutel"], row["percentage"], row["ondergrens_95"], row["bovengrens_95"], row["n"]
    for path in (out / "verkenner").rglob("*.xlsx"):
        book = openpyxl.load_workbook(path, read_only=True)
        rows = list(book.active.iter_rows(min_row=4, values_only=True))
        book.close()
        header = rows[0]
        for values in rows[1:]:
            row = dict(zip(header, values))
            yield path, row["sleutel"], row["percentage"], row["ondergrens_95"], row["bovengrens_95"], row["n"]
    for page in (out / "verkenner").rglob("*.html"):
        script = _page(page).find(".//script[@id='gegevens']")
        if script is not None:
            data = json.loads(script.text)
            columns = data["kolommen"]
            for values in data["rijen"]:
                row = dict(zip(columns, values[2:]))
                yield page, row["sleutel"], row["percentage"], row["ondergrens_95"], row["bovengrens_95"], row["n"]
    with (out / "open-data" / "cijfers.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            scale = (lambda v: None if v == "" else float(v) * 100)
            yield out / "open-data" / "cijfers.csv", row["sleutel"], scale(row["aandeel"]), scale(row["ondergrens_95"]), scale(row["bovengrens_95"]), row["n"]


def _blank(value) -> bool:
    return value is None or value == ""


def test_every_figure_shipped_is_the_published_cell_and_hidden_cells_ship_empty(published):
    out, _ = published
    cells = _cells(out)
    seen_hidden = checked = 0
    for path, key, pct, low, high, n in _figure_rows(out):
        cell = cells.get(key)
        if cell is None:  # not estimated (an indicator new in this edition has no previous figure)
            assert all(_blank(v) for v in (pct, low, high, n)), f"{path}: cel {key} bestaat niet maar heeft een cijfer"
            continue
        if cell["suppressed"]:
            assert all(_blank(v) for v in (pct, low, high, n)), f"{path}: verborgen cel {key} heeft een cijfer"
            seen_hidden += 1
            continue
        assert float(pct) == pytest.approx(float(cell["estimate"]) * 100, abs=1e-4), f"{path}: {key}"
        assert float(low) == pytest.approx(float(cell["ci_low"]) * 100, abs=1e-4) and float(high) == pytest.approx(float(cell["ci_high"]) * 100, abs=1e-4)
        assert int(n) == int(cell["n"]), f"{path}: {key}"
        checked += 1
    assert checked > 5000 and seen_hidden > 0


def test_every_figure_on_an_explorer_page_is_traced_to_its_cell(published, results: Results):
    out, _ = published
    cells = _cells(out)
    comparisons = {"|".join(["vergelijking", r["publication"], r["per_value"] or "", r["indicator"], r["kind"], r["breakdown"], r["domain"]]): r["reference_estimate"]
                   for r in results.comparisons.iter_rows(named=True)}
    trend = {"|".join(["trend", r["publication"], r["per_value"] or "", r["indicator"], str(r["edition"])]): r["estimate"] for r in results.trend.iter_rows(named=True)}
    rows = 0
    for page in (out / "verkenner").rglob("*.html"):
        tree = _page(page)
        for data in tree.iter("data"):
            key = data.get("data-cell")
            if key.startswith("vergelijking|"):
                assert float(data.get("value")) == pytest.approx(comparisons[key])
            elif key.startswith("trend|"):
                assert float(data.get("value")) == pytest.approx(trend[key])
            else:
                assert cells[key]["suppressed"] == "", f"{page}: verborgen cel {key}"
                assert float(data.get("value")) == pytest.approx(float(cells[key]["estimate"]), abs=1e-12)
        # Each table row: the figure's interval and n beside it are the same cell's.
        for tr in tree.iter("tr"):
            tds = [td for td in tr if td.tag == "td" and td.get("data-editie")]
            for first in range(0, len(tds) - 2, 3):
                figure = tds[first].find("data")
                if figure is None:
                    assert "".join(tds[first + 1].itertext()) == "–" and "".join(tds[first + 2].itertext()) == "–"
                    continue
                cell = cells[figure.get("data-cell")]
                assert "".join(tds[first + 1].itertext()) == interval(float(cell["ci_low"]), float(cell["ci_high"]))
                assert "".join(tds[first + 2].itertext()) == number(int(cell["n"]))
                rows += 1
    assert rows > 2000


def test_no_hidden_value_is_in_any_shipped_file(published, results: Results):
    """The adversary greps every shipped file for the hidden cells' true values."""
    out, _ = published
    decided = disclose(results).estimates.filter(pl.col("suppressed").is_not_null())
    secret = {(r["publication"], r["per_value"], r["indicator"], r["breakdown"], r["domain"], r["edition"]) for r in decided.iter_rows(named=True)}
    truth = results.estimates.filter(pl.col("estimate").is_not_null())
    needles, public = set(), set()

    def forms(*values):
        return {f(v) for v in values if v is not None for f in (repr, lambda x: repr(round(x * 100, 4)))}

    for r in truth.iter_rows(named=True):
        hidden = (r["publication"], r["per_value"], r["indicator"], r["breakdown"], r["domain"], r["edition"]) in secret
        (needles if hidden else public).update(forms(r["estimate"], r["ci_low"], r["ci_high"]))
    for r in decided.vstack(disclose(results).estimates.filter(pl.col("suppressed").is_null())).iter_rows(named=True):
        public |= forms(r["estimate"], r["ci_low"], r["ci_high"])
    public |= forms(*results.comparisons["reference_estimate"].to_list(), *results.trend["estimate"].to_list())
    needles -= public | {"0.0", "1.0", "0", "100.0"}  # a value that is also a shown figure proves nothing
    assert len(needles) > 20
    pattern = re.compile(r"(?<![\d.])(" + "|".join(re.escape(n) for n in sorted(needles, key=len, reverse=True)) + r")(?![\d])")
    for path in _shipped(out):
        if path.suffix == ".xlsx":
            book = openpyxl.load_workbook(path, read_only=True)
            text = "\n".join(repr(v) for row in book.active.iter_rows(values_only=True) for v in row)
            book.close()
        else:
            text = path.read_text(encoding="utf-8")
        found = pattern.search(text)
        assert found is None, f"{path}: bevat de waarde {found.group(0)} van een verborgen cel"


def _groups(results: Results, publication, edition: int, questionnaire: str) -> list:
    """The target groups in a publication's population that answer the indicator's questionnaire."""
    monitor = results.monitor
    answering = set(monitor.editions[edition].questionnaires[questionnaire].groups)
    rule = parse(publication.population) if publication.population else None
    return [g.code for g in monitor.structure.groups if g.code in answering
            and (rule is None or rule.evaluate({"group": g.code, "layer": g.layer, "role": g.role.value}))]


def _atoms(results: Results, publication, edition: int, questionnaire: str, breakdown: str, domain: str) -> list[tuple]:
    """The parts a cell is the weighted sum of: target groups, or a group's share in a category
    of a breakdown that cuts across groups (women among mayors)."""
    groups = _groups(results, publication, edition, questionnaire)
    info = {g.code: g for g in results.monitor.structure.groups}
    if breakdown == TOTAL:
        return [(g,) for g in groups]
    if breakdown == "group":
        return [(g,) for g in domain.split("+") if g in groups]
    if breakdown == "layer":
        return [(g,) for g in groups if info[g].layer == domain]
    if breakdown == "role":
        return [(g,) for g in groups if info[g].role.value == domain]
    return [(g, breakdown, domain) for g in groups]


def _vector(index: dict[tuple, int], parts: list[tuple]) -> np.ndarray:
    """A cell as the indicator vector of its parts."""
    v = np.zeros(len(index))
    for a in parts:
        v[index[a]] += 1.0
    return v


def test_no_hidden_cell_can_be_solved_from_the_shipped_cells(published, results: Results):
    """Differencing: every shipped cell is a weighted sum of parts (target groups; a group's women
    or its members in a province). An adversary who knows every weight — more than the files
    give — solves a hidden cell exactly when its parts are a linear combination of the shipped
    cells' parts. Checked per indicator, edition and province (the province factsheets), across
    all publications and breakdowns, with the identities that a group's categories sum to it."""
    out, _ = published
    publications = {p.slug: p for p in results.monitor.publications}
    questionnaire = {i.code: i.questionnaire for i in results.monitor.indicators}
    systems: dict[tuple, list[tuple[dict, bool]]] = defaultdict(list)
    for path in (out / "verkenner").rglob("*.csv"):
        with path.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                pub, per, indicator, breakdown, domain, edition = row["sleutel"].split("|")
                cell = (pub, breakdown, domain)
                systems[(per, indicator, int(edition))].append((cell, row["percentage"] == ""))
    attacked = 0
    for (per, indicator, edition), listed in systems.items():
        hidden = {c for c, h in listed if h}
        shown = {c for c, h in listed if not h} - hidden
        if not hidden:
            continue
        vectors = {c: _atoms(results, publications[c[0]], edition, questionnaire[indicator], c[1], c[2]) for c in hidden | shown}
        atoms = sorted({a for parts in vectors.values() for a in parts} | {(a[0],) for parts in vectors.values() for a in parts})
        row = functools.partial(_vector, {a: i for i, a in enumerate(atoms)})
        known = [row(vectors[c]) for c in shown]
        by_group = defaultdict(list)  # identities: a group's categories of a cross breakdown sum to the group
        for a in atoms:
            if len(a) == 3:
                by_group[(a[0], a[1])].append(a)
        complete = {b: {d for (_, bb, d) in (a for parts in vectors.values() for a in parts if len(a) == 3) if bb == b} for b in CROSS}
        for (group, breakdown), parts in by_group.items():
            if len(parts) == len(complete[breakdown]):
                known.append(row(parts) - row([(group,)]))
        basis = np.array(known) if known else np.zeros((0, len(atoms)))
        rank = np.linalg.matrix_rank(basis) if len(known) else 0
        for c in hidden:
            target = row(vectors[c])
            if not target.any():
                continue
            attacked += 1
            solvable = np.linalg.matrix_rank(np.vstack([basis, target])) == rank
            assert not solvable, f"verborgen cel {c} ({indicator}, {edition}, {per or 'landelijk'}) volgt uit de getoonde cellen"
    assert attacked > 0


def test_the_attack_finds_a_cell_left_to_differencing(results: Results):
    """The attack above is not blind: with one category hidden and the total shown, it solves it."""
    publication = next(p for p in results.monitor.publications if p.slug == "rapport-veiligheid")
    q = next(i.questionnaire for i in results.monitor.indicators if i.code == "agressie_totaal")
    total = _atoms(results, publication, 2024, q, TOTAL, TOTAL)
    women = _atoms(results, publication, 2024, q, "gender", "vrouw")
    men = _atoms(results, publication, 2024, q, "gender", "man")
    atoms = sorted(set(total) | set(women) | set(men))
    row = functools.partial(_vector, {a: i for i, a in enumerate(atoms)})

    known = [row(total), row(men)] + [row([(g[0], "gender", "man"), (g[0], "gender", "vrouw")]) - row([g]) for g in total]
    basis = np.array(known)
    assert np.linalg.matrix_rank(np.vstack([basis, row(women)])) == np.linalg.matrix_rank(basis)


def test_change_and_comparison_follow_the_tests(published, results: Results):
    """The verdicts in the explorer's tables (and downloads) follow p < 0.05 in both directions."""
    out, _ = published
    tests = {(r["publication"], r["per_value"] or "", r["indicator"], r["kind"], r["breakdown"], r["domain"]): r
             for r in disclose(results).comparisons.iter_rows(named=True)}
    kinds = {"group": ["group_vs_all"], "gender": ["gender"], TOTAL: ["province_vs_national", "group_vs_all"]}
    verdicts = changes = 0
    for path in (out / "verkenner").rglob("*.csv"):
        with path.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                pub, per, indicator, breakdown, domain, edition = row["sleutel"].split("|")
                if int(edition) != results.edition or row["percentage"] == "":
                    continue
                found = [tests[k] for kind in kinds.get(breakdown, []) if (k := (pub, per, indicator, kind, breakdown, domain)) in tests]
                if found:
                    test = found[0]
                    expected = ("significant hoger" if test["difference"] > 0 else "significant lager") if test["p_value"] < 0.05 else "verschilt niet significant"
                    assert row["vergelijking"].startswith(expected + " dan "), (row["sleutel"], row["vergelijking"], test["p_value"])
                    verdicts += 1
                else:
                    assert row["vergelijking"] == "", row["sleutel"]
                change = tests.get((pub, per, indicator, "previous_edition", breakdown, domain))
                if change is not None and row["verandering"] != "trendbreuk":
                    assert row["verandering"] == ("gestegen" if change["difference"] > 0 else "gedaald") if change["p_value"] < 0.05 else "geen significant verschil"
                    changes += 1
    assert verdicts > 100 and changes > 100


def test_trend_with_its_break_where_the_results_carry_earlier_editions(published):
    out, _ = published
    tree = _page(out / "verkenner" / "agressie_totaal" / "rapport-veiligheid.html")
    section = tree.find(".//section[@id='ontwikkeling']")
    rows = ["".join(tr.find("th").itertext()) for tr in section.iter("tr")][1:]
    assert rows == ["2016", "2018", "2020", "2022", "2024"]
    assert "trendbreuk" in "".join(section.itertext())
    data = json.loads(tree.find(".//script[@id='gegevens']").text)
    points = data["trend"]["punten"]
    assert [p["label"] for p in points] == rows and [p["note"] for p in points].count("trendbreuk") == 1
    assert "Trendbreuk tussen 2018 en 2020" in data["trend"]["alt"]
    assert "strokeDash" in json.dumps(data["sjablonen"][data["trend"]["sjabloon"]])


def test_each_chart_says_once_where_its_figures_are(published):
    """A figure's text alternative ends by pointing to the table, once: the page shows it as
    written and the script shows each choice's alternative as it is in the page's data (a
    trend's said so twice when the script added the pointer to one that had it)."""
    out, _ = published
    pointer = re.compile(r"De cijfers staan in de tabel")
    charts = 0
    for path in (out / "verkenner").rglob("*.html"):
        page = _page(path)
        texts = ["".join(p.itertext()) for p in page.iter("p") if "miv-figuur__alt" in (p.get("class") or "")]
        script = page.find(".//script[@id='gegevens']")
        if script is not None:
            data = json.loads(script.text)
            texts += [chart["alt"] for charts_of in data["figuren"].values() for chart in charts_of.values()]
            texts += [data["trend"]["alt"]] if data["trend"] else []
        for text in texts:
            assert len(pointer.findall(text)) == 1, f"{path}: {text}"
        charts += len(texts)
    assert charts > 1000

"""NCHS's criteria for proportions, each at its boundary, and the marks where readers see them."""

from __future__ import annotations

import csv
import math

import openpyxl
import pytest
import tinyhtml5
from scipy.stats import t

from miv.publish.reliability import assess, effective_n

NS = "{http://www.w3.org/1999/xhtml}"


def test_effective_n_is_the_srs_size_with_the_same_variance_adjusted_for_df():
    assert effective_n(0.5, 0.05, 400) == pytest.approx(100.0)
    assert effective_n(0.5, 0.05, 400, df=20) == pytest.approx(100 * (t.ppf(0.975, 399) / t.ppf(0.975, 20)) ** 2)
    assert effective_n(0.5, 0.01, 400) == 400  # capped at n
    assert effective_n(0.0, 0.0, 35) == 35


@pytest.mark.parametrize(("p", "se", "low", "high", "n", "df", "rule"), [
    (0.5, 0.05, 0.40, 0.60, 29, None, "effectieve_n"),           # fewer than 30 respondents
    (0.5, 0.5 / math.sqrt(29.9), 0.40, 0.60, 400, None, "effectieve_n"),
    (0.5, 0.5 / math.sqrt(30.1), 0.40, 0.60, 400, None, None),
    (0.5, 0.02, 0.35, 0.65, 400, None, "breed_interval"),        # exactly 30 points
    (0.5, 0.02, 0.36, 0.65, 400, None, None),
    (0.05, 0.004, 0.01, 0.0751, 4000, None, "relatief_breed"),   # 6.5 points, 130.2% of 5%
    (0.05, 0.004, 0.01, 0.0749, 4000, None, None),
    (0.02, 0.002, 0.0, 0.045, 8000, None, None),                 # 4.5 points: relative width not asked
    (0.5, 0.02, 0.46, 0.54, 400, 7, "vrijheidsgraden"),
    (0.5, 0.02, 0.46, 0.54, 400, 8, None),
])
def test_each_criterion_at_its_boundary(p, se, low, high, n, df, rule):
    mark = assess(p, se, low, high, n, df)
    assert (mark.rule if mark else None) == rule


def test_marks_appear_in_report_tables_explorer_workbook_and_open_data(published):
    out, _ = published
    cells = {}
    with (out / "open-data" / "cijfers.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            cells[row["sleutel"]] = row
    marked = {k for k, r in cells.items() if r["betrouwbaarheid"]}
    assert marked and len(marked) < len(cells)
    seen = 0
    # The reports mark the edition's figures (the previous edition's stand without interval there).
    for name, editions in (("rapport-veiligheid.html", ("2024",)), ("verkenner/agressie_totaal/rapport-veiligheid.html", ("2024", "2022"))):
        tree = tinyhtml5.parse((out / name).read_text(encoding="utf-8"))
        for td in tree.iter(f"{NS}td"):
            figure = td.find(f"{NS}data")
            if figure is None or figure.get("data-cell") not in cells or not figure.get("data-cell").endswith(editions):
                continue
            star = "*" in "".join(td.itertext())
            assert star == (figure.get("data-cell") in marked), f"{name}: {figure.get('data-cell')}"
            seen += star
    assert seen > 0
    book = openpyxl.load_workbook(out / "tabellen.xlsx", read_only=True)
    remarks = [c for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row if isinstance(c, str) and c.startswith("minder betrouwbaar")]
    book.close()
    assert remarks

"""Every cell shown for two editions carries the test's verdict or says why there is none,
in the HTML tables, the Markdown key figures, tabellen.xlsx and estimates.csv alike."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
from verdict_support import NS, change_rows

from miv.publish.verdict import verdict

TESTED = {"gestegen", "gedaald", "gelijk"}
REASONS = {"trendbreuk", "afgeschermd", "niet_gevraagd", "niet_toetsbaar", "nvt"}


def _csv(out: Path) -> dict[str, dict]:
    with (out / "estimates.csv").open(encoding="utf-8") as handle:
        return {row["key"]: row for row in csv.DictReader(handle)}


def _expected(row: dict, cells: dict[str, dict]) -> str:
    p = float(row["change_p_value"])
    if p >= 0.05:
        return "gelijk"
    before = row["key"].rsplit("|", 1)[0] + "|2022"
    return "gestegen" if float(row["estimate"]) > float(cells[before]["estimate"]) else "gedaald"


def test_every_two_edition_cell_in_the_html_has_a_verdict_or_a_reason(published):
    out, _ = published
    cells = _csv(out)
    seen = {code: 0 for code in TESTED | REASONS}
    for page, tr, tds in change_rows(out):
        cell = tds[-1]
        code = cell.get("data-verdict")
        assert code in TESTED | REASONS, f"{page}: rij zonder oordeel: {[''.join(t.itertext()) for t in tds]}"
        assert "".join(cell.itertext()).strip(), f"{page}: lege veranderingscel"
        seen[code] += 1
        figure = next(d for d in tr.iter(f"{NS}data") if d.get("data-cell").endswith("|2024")) if code in TESTED else None
        if figure is not None:
            row = cells[figure.get("data-cell")]
            assert row["change"] == code == _expected(row, cells), (page, row["key"])
    assert all(seen[c] for c in ("gestegen", "gedaald", "gelijk", "trendbreuk", "afgeschermd", "niet_gevraagd")), seen


def test_estimates_csv_and_the_workbook_carry_verdict_and_p_value(published):
    out, _ = published
    cells = _csv(out)
    current = [r for r in cells.values() if r["edition"] == "2024"]
    assert current and all(r["change"] in TESTED | REASONS for r in current)
    assert all(r["change_p_value"] for r in current if r["change"] in TESTED)
    assert all(_expected(r, cells) == r["change"] for r in current if r["change"] in TESTED)
    assert all(not r["change"] for r in cells.values() if r["edition"] == "2022")
    book = openpyxl.load_workbook(out / "tabellen.xlsx", read_only=True)
    sheet = book["rapport-veiligheid"]
    header = next(sheet.iter_rows(min_row=3, max_row=3, values_only=True))
    assert header[11] == "Verandering sinds vorige editie" and header[12] == "p-waarde"
    rows = [r for r in sheet.iter_rows(min_row=4, values_only=True) if r[5] == 2024]
    assert rows and all(r[11] for r in rows)
    tested = [r for r in rows if r[11] in ("gestegen", "gedaald", "geen significant verschil")]
    assert tested and all(isinstance(r[12], float) and (r[12] < 0.05) == (r[11] != "geen significant verschil") for r in tested)


def test_key_figures_markdown_never_leaves_a_change_cell_blank(published):
    out, _ = published
    for line in (out / "kerncijfers.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("|") and "---" not in line and "Kerncijfer" not in line:
            assert line.rstrip(" |").rsplit("|", 1)[1].strip(), line


def test_the_reasons_follow_the_cells():
    break_ = verdict(2022, "vraag veranderd", {"estimate": 0.3}, {"estimate": 0.2}, {"p_value": 0.001})
    assert break_.code == "trendbreuk" and break_.p_value is None
    assert verdict(2022, None, {"estimate": 0.3, "suppressed": None}, None, None).text == "niet gevraagd in 2022"
    hidden = {"estimate": None, "suppressed": "minder dan 10 respondenten", "rule": "minimum"}
    assert verdict(2022, None, hidden, {"estimate": 0.2, "suppressed": None}, None).code == "afgeschermd"
    outside = {"estimate": None, "suppressed": "niet van toepassing", "rule": "nvt"}
    assert verdict(2022, None, outside, outside, None).text == "n.v.t."
    shown = {"estimate": 0.3, "suppressed": None}
    assert verdict(2022, None, shown, {"estimate": 0.2, "suppressed": None}, {"p_value": 0.2}).text == "geen significant verschil"
    assert verdict(2022, None, shown, {"estimate": 0.2, "suppressed": None}, {"p_value": 0.01}).text == "gestegen"

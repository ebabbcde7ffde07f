"""The demo's publications as a reader gets them: the house rules for Dutch text hold in every
edition, and "De monitor in 5 minuten" is in each edition's folder with the estimates of that
edition, the same figures as the report parts for the same indicator and population."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from lxml import html as lxml_html
from prose_support import problems

from miv.definition import load
from miv.publish.number import percent

STEM = "monitor-in-5-minuten"
TWINS = ("rapport-veiligheid", "rapport-integriteit", "kerncijfers")


def _editions(out: Path) -> list[Path]:
    return sorted(p for p in out.iterdir() if p.is_dir() and p.name.isdigit())


@pytest.mark.slow
def test_every_edition_keeps_the_house_rules(demo_run: tuple[Path, str]) -> None:
    editions = _editions(demo_run[0])
    assert len(editions) >= 2
    monitor = load()
    for folder in editions:
        assert problems(folder, monitor) == [], folder.name


@pytest.mark.slow
def test_each_edition_has_its_five_minutes_with_that_editions_estimates(demo_run: tuple[Path, str]) -> None:
    for folder in _editions(demo_run[0]):
        page = folder / f"{STEM}.html"
        assert page.exists(), folder.name
        assert f'href="{STEM}.html"' in (folder / "index.html").read_text(encoding="utf-8")
        with (folder / "estimates.csv").open(encoding="utf-8") as handle:
            cells = {row["key"]: row for row in csv.DictReader(handle)}
        figures = lxml_html.fromstring(page.read_bytes()).xpath("//data[@data-cell]")
        assert len(figures) > 15
        twins = 0
        for data in figures:
            key = data.get("data-cell")
            row = cells[key]
            # the same cell asked by two sections can differ in the last bits (summation order, run._stack)
            assert float(row["estimate"]) == pytest.approx(float(data.get("value")), abs=1e-12) and not row["suppressed"], key
            assert data.text_content() in (percent(float(row["estimate"])), percent(float(row["estimate"]), 1)), key
            _pub, *rest = key.split("|")
            for twin in TWINS:
                other = cells.get("|".join([twin, *rest]))
                if other and other["estimate"]:
                    assert float(other["estimate"]) == pytest.approx(float(row["estimate"]), abs=1e-12), (key, twin)
                    twins += 1
                    break
        assert twins > 15, folder.name

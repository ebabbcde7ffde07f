"""The trend-break verdict and the province model estimates as readers see them (HTML of the publications)."""

from __future__ import annotations

import re

import polars as pl
import pytest

from miv.publish import write_publications
from tests.pipeline.test_models import results  # noqa: F401  (the module's pipeline run with the published series)


@pytest.fixture(scope="module")
def pages(results, tmp_path_factory):  # noqa: F811
    out = tmp_path_factory.mktemp("uitgave") / "2024"
    write_publications(results, out, with_pdf=False)
    return {p.name: p.read_text() for p in out.glob("*.html")}


def test_kerncijfers_and_report_show_the_verdict(results, pages):  # noqa: F811
    verdict = results.breaks.filter((pl.col("publication") == "kerncijfers") & (pl.col("breakdown") == "totaal"))["text"][0]
    assert f"Trend: {verdict[:1].lower()}{verdict[1:]}" in pages["kerncijfers.html"]


def test_small_provinces_show_the_model_estimate_beside_the_direct_one(results, pages):  # noqa: F811
    small = results.models.filter(pl.col("small") & (pl.col("indicator") == "agressie_totaal")
                                  & (pl.col("publication") == "factsheet-provincie"))
    large = results.models.filter(~pl.col("small") & (pl.col("indicator") == "agressie_totaal")
                                  & (pl.col("publication") == "factsheet-provincie"))
    assert small.height and large.height
    for row in small.iter_rows(named=True):
        page = pages[f"factsheet-provincie-{row['per_value']}.html"]
        key = f"model|factsheet-provincie|{row['per_value']}|agressie_totaal|estimate"
        found = re.search(rf'<data class="miv-cijfer" value="([^"]+)" data-cell="{re.escape(key)}">', page)
        assert found and float(found.group(1)) == pytest.approx(row["estimate"], abs=1e-12)
        assert f"het directe cijfer berust op {row['n']} respondenten" in page
        assert "Modelschatting" in page and "Fay-Herriot" in page  # the method is explained
    for row in large.iter_rows(named=True):
        assert "Modelschatting:" not in pages[f"factsheet-provincie-{row['per_value']}.html"]

"""The charts' Vega-Lite specs that miv.publish ships (templates/charts.vl.json) are the ones
scripts/chart_templates.py builds with Vega-Altair: a chart changed in the script and not
written out fails here."""

from scripts.chart_templates import text

from miv.publish.chart import TEMPLATES


def test_the_shipped_specs_are_the_ones_altair_builds() -> None:
    assert TEMPLATES.read_text(encoding="utf-8") == text(), "run: python scripts/chart_templates.py"

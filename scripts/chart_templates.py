"""Write src/miv/publish/templates/charts.vl.json: the Vega-Lite specs of the charts, without
their data, built with Vega-Altair. miv.publish.chart reads the file instead of building the
specs each run (importing Altair and building four specs cost about 0.8 CPU s a process);
tests/publish/test_chart_templates.py fails when the file and this script disagree. Run from
the repository root after changing a chart:

    python scripts/chart_templates.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import altair as alt

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from miv.publish.chart import LINE_HEIGHT, PAIRED_STEP, STEP, TEMPLATES  # noqa: E402

BLUE = "#154273"  # lintblauw, the Rijkshuisstijl primary colour
SECOND = "#6a8fbf"  # the second series: 3.3:1 on white and 3.1:1 against lintblauw (WCAG 1.4.11)
FONT = "Source Sans 3, DejaVu Sans, sans-serif"
WIDTH = 400
TREND_HEIGHT = 170  # pixels: two trend figures with their tables fit on a page
DATA = alt.NamedData(name="punten")  # each chart's rows go in as the named dataset "punten"


def templates() -> dict[str, dict]:
    """Bars, paired bars (two editions, or a population and the whole) and the trend line, with
    and without trend breaks."""
    return {"bars": _bars(), "groups": _groups(), "trend": _trend(False), "trend_breaks": _trend(True)}


# Axis labels are short (percentages, editions): with no labelLimit, Vega does not measure each
# label's width a second time as it writes the SVG to see whether to cut it (a third of a
# chart's text measurements, the bulk of vl-convert's time).
def _x() -> alt.X:
    return alt.X("value:Q", title=None, axis=alt.Axis(format=".0%", grid=True, labelLimit=0), scale=alt.Scale(domain=[0, 1]))


def _y() -> alt.Y:
    return alt.Y("value:Q", title=None, axis=alt.Axis(format=".0%", labelLimit=0), scale=alt.Scale(domain=[0, 1]))


def _category() -> alt.Y:
    """Category labels in full, wrapped over lines: a truncated label misleads."""
    axis = alt.Axis(labelLimit=0, labelExpr="split(datum.value, '|')", labelLineHeight=LINE_HEIGHT, labelPadding=6)
    return alt.Y("lines:N", title=None, sort=None, axis=axis)


def _errors(base: alt.Chart, **encoding: object) -> alt.LayerChart:
    """The 95% interval as a line with end caps, drawn over the bar."""
    rule = base.mark_rule(color="#000", strokeWidth=1.2).encode(x="low:Q", x2="high:Q", **encoding)
    caps = [base.mark_tick(color="#000", thickness=1.2, size=8).encode(x=f"{end}:Q", **encoding) for end in ("low", "high")]
    return alt.layer(rule, *caps)


def _value_labels(base: alt.Chart, **encoding: object) -> alt.Chart:
    """The figure beyond the interval's end, so it never touches the bar's error line."""
    return base.mark_text(align="left", baseline="middle", dx=5, fontSize=10, color="#000").encode(x="end:Q", text="text:N", **encoding)


def _bars() -> dict:
    base = alt.Chart(DATA)
    y = _category()
    bars = base.mark_bar(color=BLUE).encode(y=y, x=_x())
    layered = alt.layer(bars, _errors(base, y=y), _value_labels(base, y=y)).properties(height=alt.Step(STEP))
    return _config(layered)


def _groups() -> dict:
    base = alt.Chart(DATA)
    y = _category()
    offset = alt.YOffset("series:N", sort=None)
    bars = base.mark_bar().encode(
        y=y, yOffset=offset, x=_x(),
        color=alt.Color("series:N", title=None, sort=None, scale=alt.Scale(range=[SECOND, BLUE]), legend=alt.Legend(orient="top", labelLimit=0)),
    )
    layered = alt.layer(bars, _errors(base, y=y, yOffset=offset), _value_labels(base, y=y, yOffset=offset)).properties(height=alt.Step(PAIRED_STEP))
    return _config(layered)


def _trend(breaks: bool) -> dict:
    base = alt.Chart(DATA)
    x = alt.X("label:O", title=None, sort=None, axis=alt.Axis(labelAngle=0, labelLimit=0))
    line = base.mark_line(color=BLUE, point=alt.OverlayMarkDef(color=BLUE, size=50)).encode(x=x, y=_y())
    labels = base.mark_text(dy=-10, color="#000").encode(x=x, y="value:Q", text="text:N")
    layers = line + labels
    if breaks:
        # The break lies between the marked edition and the one before: half a step to the left.
        half_step = alt.ExprRef(expr="-width / length(data('punten')) / 2")
        marked = base.transform_filter("datum.note != ''")
        layers = layers + marked.mark_rule(strokeDash=[4, 3], color="#b23b00", xOffset=half_step).encode(x=x) + marked.mark_text(
            align="left", dx=4, y=8, color="#b23b00", xOffset=half_step
        ).encode(x=x, text="note:N")
    return _config(layers.properties(height=TREND_HEIGHT))


def _config(chart: alt.TopLevelMixin) -> dict:
    configured = chart.properties(width=WIDTH).configure(font=FONT, background="white")
    return configured.configure_view(stroke=None).configure_axis(labelFontSize=10).configure_legend(labelFontSize=10, symbolSize=80, padding=2).to_dict(validate=False)


def text() -> str:
    """The file's content."""
    return json.dumps(templates(), ensure_ascii=False, indent=1) + "\n"


if __name__ == "__main__":
    TEMPLATES.write_text(text(), encoding="utf-8")

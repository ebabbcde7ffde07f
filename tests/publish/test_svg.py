"""Vega's SVG made lean for printing (miv.publish.svg): the same picture, fewer nodes."""

import io
import re

import vl_convert
from PIL import Image

from miv.publish.svg import lean

SPEC = {  # shaped like the publications' bar charts: percentages, intervals, an axis whose labels Vega thins out
    "data": {"values": [{"label": f"Groep {i}", "value": i / 12, "low": i / 14, "high": i / 11} for i in range(1, 9)]},
    "width": 400,
    "layer": [
        {"mark": {"type": "bar", "color": "#154273"}, "encoding": {
            "y": {"field": "label", "type": "nominal"},
            "x": {"field": "value", "type": "quantitative", "scale": {"domain": [0, 1]}, "axis": {"format": ".0%", "tickCount": 10}}}},
        {"mark": {"type": "rule", "color": "#000"}, "encoding": {
            "y": {"field": "label", "type": "nominal"}, "x": {"field": "low", "type": "quantitative"}, "x2": {"field": "high"}}},
        {"mark": {"type": "text", "dx": 4, "align": "left"}, "encoding": {
            "y": {"field": "label", "type": "nominal"}, "x": {"field": "high", "type": "quantitative"},
            "text": {"field": "value", "type": "quantitative", "format": ".0%"}}},
    ],
    "config": {"font": "Source Sans 3, DejaVu Sans, sans-serif", "axis": {"labelFontSize": 10}},  # as the charts set (scripts/chart_templates.py)
}


def _pixels(svg: str) -> bytes:
    return Image.open(io.BytesIO(vl_convert.svg_to_png(svg))).convert("RGBA").tobytes()


def _texts(svg: str) -> list[str]:
    return re.findall(r"<text(?![^>]*opacity=\"0\")[^>]*>([^<]*)</text>", svg)


def test_lean_svg_draws_the_same_picture_with_fewer_nodes() -> None:
    raw = vl_convert.vegalite_to_svg(SPEC)
    slim = lean(raw)
    assert 'opacity="0"' in raw and 'opacity="0"' not in slim  # the labels Vega hides are gone
    assert "aria-" in raw and "aria-" not in slim
    assert slim.count("<") < 0.8 * raw.count("<")
    assert _texts(slim) == _texts(raw) and "60%" in _texts(slim)
    assert _pixels(slim) == _pixels(raw)

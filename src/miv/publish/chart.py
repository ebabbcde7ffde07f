"""Charts of a section as static SVG (Vega-Lite specs made with Vega-Altair, rendered by vl-convert).

Every chart comes with a Dutch text alternative and the data it shows as rows, so the
figure is readable without seeing it. The spec is plain Vega-Lite: the web app can show the
same spec interactively."""

from __future__ import annotations

import base64
import functools
import json
import textwrap
from dataclasses import dataclass
from pathlib import Path

import vl_convert

from miv.definition.models import Chart as ChartKind
from miv.publish.document import Block, Row, SectionView
from miv.publish.narrative import Figure
from miv.publish.number import percent
from miv.publish.svg import lean

LINE = 40  # characters per line of a category label; longer labels wrap, none is cut off
LINE_HEIGHT = 10  # pixels per line of a category label
STEP = 18  # pixels per category at least
PAIRED_STEP = 11  # pixels per bar of a pair at least (Vega-Lite applies the step to the offset band)


@dataclass(frozen=True)
class Point:
    label: str
    figure: Figure
    low: float | None
    high: float | None
    series: str = ""
    note: str = ""


@dataclass(frozen=True)
class Chart:
    kind: str
    title: str
    alt: str
    points: list[Point]
    spec: dict
    svg: str

    @property
    def src(self) -> str:
        """The SVG as a data URL: the HTML stays one file, and WeasyPrint draws the chart as
        an image instead of styling each of its hundreds of elements as part of the page."""
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode("utf-8")).decode("ascii")


def charts(section: SectionView, edition: int, previous: int | None, population: str = "Totaal") -> list[Chart]:
    """The section's chart (bars, trend or groups), or none when nothing can be shown. Bars of
    a section whose figures were tested against the whole (all office holders, the nation)
    pair each figure of `population` with the whole's."""
    if not section.chart or not section.blocks:
        return []
    if section.chart is ChartKind.TREND:
        return [c for c in (_trend(block) for block in section.blocks) if c is not None]
    if section.chart is ChartKind.GROUPS and section.breakdowns:
        made = _groups(section, edition, previous)
    elif any(b.reference for b in section.blocks):
        made = _whole(section, edition, population)
    else:
        made = _bars(section, edition)
    return [made] if made is not None else []


def interactive(kind: str, title: str, points: list[Point]) -> tuple[dict, str]:
    """The Vega-Lite spec and text alternative of a "groups" or "trend" chart, not rendered:
    the results explorer draws the reports' specs in the browser."""
    template = _template("trend_breaks" if any(p.note for p in points) else "trend") if kind == "trend" else _template("groups")
    return {**template, "datasets": {"punten": [_datum(p) for p in points]}}, _alt(kind, title, points)


def _shown(rows: list[Row]) -> list[Row]:
    return [r for r in rows if r.figure is not None]


def _bars(section: SectionView, edition: int) -> Chart | None:
    if section.breakdowns:
        block = section.blocks[0]
        rows = _shown([r for r in block.table.rows if r.breakdown in ("totaal", section.breakdowns[0])])
        points = [Point(r.label, r.figure, r.low, r.high) for r in rows if r.figure]
        title = f"{block.indicator.label}, {edition}"
    else:
        points = []
        for block in section.blocks:
            total = block.table.rows[0]
            if total.figure is not None:
                points.append(Point(block.indicator.label, total.figure, total.low, total.high))
        title = f"{section.title}, {edition}"
    if not points:
        return None
    return _make("bars", title, points, _template("bars"))


def _whole(section: SectionView, edition: int, population: str) -> Chart | None:
    points = []
    for block in section.blocks:
        total = block.table.rows[0]
        if total.figure is None:
            continue
        if block.reference is not None:  # the whole first, like the previous edition in "groups"
            points.append(Point(block.indicator.label, block.reference.figure, None, None, block.reference.label))
        points.append(Point(block.indicator.label, total.figure, total.low, total.high, population))
    if not points:
        return None
    return _make("whole", f"{section.title}, {edition}", points, _template("groups"))


def _groups(section: SectionView, edition: int, previous: int | None) -> Chart | None:
    block = section.blocks[0]
    rows = [r for r in block.table.rows if r.breakdown == section.breakdowns[0]]
    points = []
    for r in rows:
        if r.figure is None:  # withheld: its previous figure alone would read as the current one (the table says why)
            continue
        if r.previous is not None and previous is not None:
            points.append(Point(r.label, r.previous, None, None, str(previous)))
        points.append(Point(r.label, r.figure, r.low, r.high, str(edition)))
    if not points:
        return None
    years = f"{previous} en {edition}" if previous is not None else str(edition)  # the first edition has no previous
    return _make("groups", f"{block.indicator.label}, {years}", points, _template("groups"))


def _trend(block: Block) -> Chart | None:
    trend = block.trend
    if len(trend) < 2:
        return None
    points = [Point(str(t.edition), Figure(t.value, t.key), None, None, t.source, note="trendbreuk" if t.trend_break else "") for t in trend]
    return _make("trend", f"{block.indicator.label} per editie", points, _template("trend_breaks" if any(p.note for p in points) else "trend"))


def _datum(p: Point) -> dict:
    end = p.high if p.high is not None else p.figure.value  # the value label sits beyond the interval
    return {"label": p.label, "lines": _lines(p.label), "value": p.figure.value, "low": p.low, "high": p.high,
            "end": end, "series": p.series, "text": percent(p.figure.value), "note": p.note}


@functools.cache
def _lines(label: str) -> str:
    """The label wrapped into lines joined by "|" (the axis splits them): the same few hundred
    categories recur in the explorer's 1,200 chart specs an edition."""
    return "|".join(textwrap.wrap(label, LINE)) or label


TEMPLATES = Path(__file__).parent / "templates" / "charts.vl.json"


@functools.cache
def _template(name: str) -> dict:
    """The Vega-Lite spec of a chart without its data (the named dataset "punten"): "bars",
    "groups", "trend" or "trend_breaks", as scripts/chart_templates.py builds them with Altair."""
    return json.loads(TEMPLATES.read_text(encoding="utf-8"))[name]


def _make(kind: str, title: str, points: list[Point], template: dict) -> Chart:
    data = [_datum(p) for p in points]
    spec = {**template, "datasets": {"punten": data}}
    if isinstance(template.get("height"), dict):  # each category as tall as its longest label
        lines = max(d["lines"].count("|") + 1 for d in data) * LINE_HEIGHT + 4
        paired = kind in ("groups", "whole")
        spec["height"] = {"step": max(PAIRED_STEP, -(-lines // 2)) if paired else max(STEP, lines)}
    svg = lean(vl_convert.vega_to_svg(_with_data(_compiled(json.dumps({**spec, "datasets": {}}, sort_keys=True)), data), format_locale="nl-NL"))
    return Chart(kind, title, _alt(kind, title, points), points, spec, svg)


@functools.cache
def _compiled(layout: str) -> dict:
    """The Vega spec Vega-Lite compiles `layout` (a spec without its data, as JSON) to: the same
    for every chart of a template and height, so compiled once (a third of a chart's cost). It
    has no ARIA descriptions (svg.lean removes them from an image, which no one reads), so Vega
    does not format one per bar, tick and label (7% of a chart's rendering)."""
    spec = json.loads(layout)
    return vl_convert.vegalite_to_vega({**spec, "config": {**spec["config"], "aria": False}, "datasets": {"punten": []}})


def _with_data(vega: dict, data: list[dict]) -> dict:
    """The compiled spec with the chart's rows as its dataset "punten"."""
    return {**vega, "data": [{**d, "values": data} if d["name"] == "punten" else d for d in vega["data"]]}


def _alt(kind: str, title: str, points: list[Point]) -> str:
    """A Dutch text alternative naming the highest and lowest value (the table has all)."""
    if kind == "trend":
        first, last = points[0], points[-1]
        text = f"Lijndiagram bij ‘{title}’, van {percent(first.figure.value)} in {first.label} tot {percent(last.figure.value)} in {last.label}."
        breaks = [f"tussen {before.label} en {p.label}" for before, p in zip(points, points[1:]) if p.note]
        if breaks:
            text += f" Trendbreuk {', '.join(breaks)}: de cijfers ervoor zijn niet zonder meer vergelijkbaar met die erna."
        return text + " De cijfers staan in de tabel bij de figuur."
    if kind == "whole":  # every figure: in a printed factsheet this is the chart's only text
        pairs = "; ".join(f"‘{label}’ – " + ", ".join(f"{p.series} {percent(p.figure.value)}" for p in points if p.label == label)
                          for label in dict.fromkeys(p.label for p in points))
        return f"Staafdiagram met 95%-betrouwbaarheidsintervallen bij ‘{title}’. {pairs}."
    # equal shares (the same respondents) differ in the last bits from run to run: the first one counts
    top = max(points, key=lambda p: round(p.figure.value, 12))
    bottom = min(points, key=lambda p: round(p.figure.value, 12))
    shape = "Staafdiagram met 95%-betrouwbaarheidsintervallen"
    return f"{shape} bij ‘{title}’. Het hoogst is {_name(top)} met {percent(top.figure.value)}, het laagst {_name(bottom)} met {percent(bottom.figure.value)}."


def _name(p: Point) -> str:
    """A bar's label quoted (labels are capitalised), with its edition when the chart has two."""
    return f"‘{p.label}’ in {p.series}" if p.series else f"‘{p.label}’"

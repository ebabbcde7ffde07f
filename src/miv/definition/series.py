"""The headline figures earlier editions published, since 2014 (monitor/series.csv).

Why a table of its own: these figures are not recomputable (the microdata of 2014-2020 are
not in the monitor), yet readers expect the trend since 2014 and trend models need it.
Earlier editions revised their own baselines (the 2014 figure appears as 23%, 24% and 26%
in later reports), so a value is kept per publishing edition, never overwritten.

Columns: indicator (code in indicators.yaml), group ("totaal" or a target group code), year
(the edition the figure describes), estimate (proportion 0..1), published_in (the edition
whose report printed it), source (that report), note, trend_break (the method changed
between this year and the previous point)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from miv.definition.errors import DefinitionError, Problem
from miv.definition.loader import DEFAULT_ROOT
from miv.definition.models import Monitor

FILE = "series.csv"
COLUMNS = ("indicator", "group", "year", "estimate", "published_in", "source", "note", "trend_break")


@dataclass(frozen=True)
class PublishedFigure:
    """One value as one edition's report printed it."""

    indicator: str
    group: str
    year: int
    estimate: float
    published_in: int
    source: str
    note: str
    trend_break: bool


def published_series(monitor: Monitor, root: Path | str | None = None) -> list[PublishedFigure]:
    """Every published headline figure, one per (indicator, group, year, published_in),
    sorted; checked against the definition (known indicator and group, a share, published no
    earlier than the year it describes). DefinitionError names each wrong line."""
    path = (DEFAULT_ROOT if root is None else Path(root)) / FILE
    if not path.is_file():
        return []
    indicators = {i.code for i in monitor.indicators}
    groups = {"totaal"} | {g.code for g in monitor.structure.groups}
    out, problems = [], []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise DefinitionError([Problem(str(path), "regel 1", f"verwacht de kolommen {', '.join(COLUMNS)}")])
        for number, row in enumerate(reader, start=2):
            where = f"regel {number}"
            try:
                figure = PublishedFigure(row["indicator"], row["group"], int(row["year"]), float(row["estimate"]),
                                         int(row["published_in"]), row["source"], row["note"], row["trend_break"] == "true")
            except ValueError:
                problems.append(Problem(str(path), where, "year en published_in moeten jaartallen zijn, estimate een getal"))
                continue
            if figure.indicator not in indicators:
                problems.append(Problem(str(path), where, f"onbekende indicator {figure.indicator!r}"))
            if figure.group not in groups:
                problems.append(Problem(str(path), where, f"onbekende doelgroep {figure.group!r}; verwacht totaal of een code uit structure.yaml"))
            if not 0 <= figure.estimate <= 1:
                problems.append(Problem(str(path), where, f"estimate {row['estimate']}: verwacht een aandeel tussen 0 en 1"))
            if figure.published_in < figure.year:
                problems.append(Problem(str(path), where, "published_in moet een editie zijn op of na year"))
            out.append(figure)
    if problems:
        raise DefinitionError(problems)
    return sorted(out, key=lambda f: (f.indicator, f.group, f.year, f.published_in))


def as_published_by(series: list[PublishedFigure], edition: int) -> list[PublishedFigure]:
    """Per (indicator, group, year) the value as last published up to `edition`: what a
    report of that edition shows for earlier years."""
    latest: dict[tuple[str, str, int], PublishedFigure] = {}
    for figure in sorted(series, key=lambda f: f.published_in):
        if figure.published_in <= edition:
            latest[(figure.indicator, figure.group, figure.year)] = figure
    return [latest[key] for key in sorted(latest)]

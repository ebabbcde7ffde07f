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

from pathlib import Path

import polars as pl

from miv.definition.errors import DefinitionError, Problem
from miv.definition.loader import DEFAULT_ROOT
from miv.definition.models import Monitor

FILE = "series.csv"
SCHEMA = {
    "indicator": pl.Utf8, "group": pl.Utf8, "year": pl.Int32, "estimate": pl.Float64,
    "published_in": pl.Int32, "source": pl.Utf8, "note": pl.Utf8, "trend_break": pl.Boolean,
}


def published_series(monitor: Monitor, root: Path | str | None = None) -> pl.DataFrame:
    """Every published headline figure, one row per (indicator, group, year, published_in);
    checked against the definition (known indicator and group, a share, published no earlier
    than the year it describes)."""
    path = (DEFAULT_ROOT if root is None else Path(root)) / FILE
    if not path.is_file():
        return pl.DataFrame(schema=SCHEMA)
    try:
        table = pl.read_csv(path, schema=SCHEMA)
    except pl.exceptions.PolarsError as exc:
        raise DefinitionError([Problem(str(path), "", f"niet te lezen als tabel met kolommen {', '.join(SCHEMA)}: {exc}")]) from None
    indicators = {i.code for i in monitor.indicators}
    groups = {"totaal"} | {g.code for g in monitor.structure.groups}
    problems = []
    for number, row in enumerate(table.iter_rows(named=True), start=2):
        where = f"regel {number}"
        if row["indicator"] not in indicators:
            problems.append(Problem(str(path), where, f"onbekende indicator {row['indicator']!r}"))
        if row["group"] not in groups:
            problems.append(Problem(str(path), where, f"onbekende doelgroep {row['group']!r}; verwacht totaal of een code uit structure.yaml"))
        if row["estimate"] is None or not 0 <= row["estimate"] <= 1:
            problems.append(Problem(str(path), where, f"estimate {row['estimate']!r}: verwacht een aandeel tussen 0 en 1"))
        if row["year"] is None or row["published_in"] is None or row["published_in"] < row["year"]:
            problems.append(Problem(str(path), where, "published_in moet een editie zijn op of na year"))
    if problems:
        raise DefinitionError(problems)
    return table.sort("indicator", "group", "year", "published_in")


def as_published_by(series: pl.DataFrame, edition: int) -> pl.DataFrame:
    """Per (indicator, group, year) the value as last published up to `edition`: what a
    report of that edition shows for earlier years."""
    known = series.filter(pl.col("published_in") <= edition).sort("published_in")
    return known.group_by("indicator", "group", "year", maintain_order=True).last().sort("indicator", "group", "year")

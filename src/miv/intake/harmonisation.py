"""Indicators made comparable across editions: each edition's table gets the indicator
columns with the rule that held in its year, the tables are stacked, and the trend breaks
the definition records travel with them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl

from miv.definition import Monitor
from miv.intake.errors import IntakeError
from miv.intake.indicators import add_indicators
from miv.intake.table import IDENTITY, STRATA


@dataclass(frozen=True)
class Harmonised:
    """One row per respondent of every edition with the indicator columns; `trend_breaks`
    has one row per indicator and edition whose rule differs (indicator, edition, reason)."""

    table: pl.DataFrame
    trend_breaks: pl.DataFrame


def harmonise(tables: Mapping[int, pl.DataFrame], monitor: Monitor, questionnaire: str) -> Harmonised:
    """Stack the editions' tables of one questionnaire with comparable indicator columns."""
    codes = [i.code for i in monitor.indicators if i.questionnaire == questionnaire]
    if not codes:
        raise IntakeError(f"de definitie heeft geen indicatoren voor vragenlijst {questionnaire!r}")
    parts = []
    for year in sorted(tables):
        table = add_indicators(tables[year], monitor, year, questionnaire)
        parts.append(table.select(*IDENTITY, *STRATA, *codes))
    breaks = [
        (i.code, year, i.trend_break(year))
        for i in monitor.indicators
        for year in sorted(tables)
        if i.questionnaire == questionnaire and i.trend_break(year)
    ]
    trend_breaks = pl.DataFrame(breaks, schema={"indicator": pl.Utf8, "edition": pl.Int32, "reason": pl.Utf8}, orient="row")
    return Harmonised(pl.concat(parts), trend_breaks)

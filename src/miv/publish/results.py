"""The input contract of `miv.publish`: everything the publications are made from.

The pipeline computes weights, estimates and tests, then hands one `Results` to
`write_publications`. Publishing reads nothing else, so a publication is a function of
this object alone, and `manifest.json` records what it was made from.

Tables (polars, long format; extra columns are ignored, missing ones fail with a message):

estimates -- one row per published cell, for this edition and the previous one:
    publication  Utf8     publication slug (monitor/publications.yaml)
    section      Int32    index of the section within the publication
    per_value    Utf8     value of the publication's `per` variable (e.g. the province), else null
    indicator    Utf8     indicator code
    breakdown    Utf8     "totaal" or the variable: group, gender, layer, role, province, size_class
    domain       Utf8     the breakdown's code (e.g. "vrouw"), "totaal" for the total
    edition      Int32    edition year (this or the previous)
    estimate     Float64  proportion 0..1 (null when not estimable)
    se, ci_low, ci_high   Float64  standard error and 95% interval (proportions)
    n            Int64    unweighted respondents with a valid value
    weighted_n   Float64  sum of weights of those respondents
    df           Float64  the design's degrees of freedom in the domain (optional; for the reliability marks)

comparisons -- one row per test the publications quote:
    publication, per_value, indicator
    kind         Utf8     previous_edition | gender | group_vs_all | province_vs_national
    breakdown, domain     the cell tested ("totaal"/"totaal" for the whole population)
    reference    Utf8     the other side: an edition year as text, a domain code, or "totaal"/"nationaal"
    estimate, reference_estimate, difference (estimate - reference_estimate), se, p_value  Float64

breaks -- trend-break verdicts per cell (miv.pipeline.models.trend_breaks, BREAK_SCHEMA): the
    shift of this edition against the trend, its se, interval, p and the Dutch verdict and text.

models -- Fay-Herriot estimates per province cell (miv.pipeline.models.province_models,
    MODEL_SCHEMA): direct estimate, se and n beside the model estimate and its root MSE;
    `small` marks direct estimates from fewer than 100 respondents.

trend -- optional published figures of earlier editions (as published, no interval):
    publication, per_value, indicator, breakdown, domain, edition (Int32), estimate (Float64),
    source (Utf8: the report that published it), trend_break (Boolean: the method changed
    between this and the previous point)

method -- how the figures were made, for readers who recompute them, e.g. {"weging": "...",
    "variantie": "...", "interval": "...", "toets": "..."}; copied into the manifest and the
    method section of every report.

weights -- optional, the calibrated weight of every respondent of both editions, written to
    gewichten.csv so that `miv verify` and any reader can recompute each figure:
    edition (Int32), questionnaire (Utf8), respondent_id (Utf8), weight (Float64)

fieldwork -- optional, the response per questionnaire and target group (per layer for the
    organisations' questionnaire), from the fieldwork account (veldwerk.csv) and the respondent
    tables: questionnaire (Utf8), group (Utf8, null for organisations), layer (Utf8),
    invited (Int64), responded (Int64)

weighting -- diagnostics per target group (one row per group code):
    group (Utf8), n (Int64), population (Int64), weight_min, weight_max, deff (Float64,
    Kish design effect of weighting), cells (Int64), min_cell_n (Int64), margins (Utf8, optional:
    the calibration variables, comma-separated, e.g. "gender,province")

level -- the confidence level of every interval (0.95); pooling -- margin levels with fewer
    respondents than this were pooled in the weighting (None: not known). The method chapter
    states both.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from miv.definition import Comparison, Monitor
from miv.errors import MivError

ESTIMATE_SCHEMA: dict[str, type[pl.DataType]] = {
    "publication": pl.Utf8,
    "section": pl.Int32,
    "per_value": pl.Utf8,
    "indicator": pl.Utf8,
    "breakdown": pl.Utf8,
    "domain": pl.Utf8,
    "edition": pl.Int32,
    "estimate": pl.Float64,
    "se": pl.Float64,
    "ci_low": pl.Float64,
    "ci_high": pl.Float64,
    "n": pl.Int64,
    "weighted_n": pl.Float64,
    "df": pl.Float64,
}
OPTIONAL = {"df", "margins"}  # columns a caller may leave out: they are filled with nulls
COMPARISON_SCHEMA: dict[str, type[pl.DataType]] = {
    "publication": pl.Utf8,
    "per_value": pl.Utf8,
    "indicator": pl.Utf8,
    "kind": pl.Utf8,
    "breakdown": pl.Utf8,
    "domain": pl.Utf8,
    "reference": pl.Utf8,
    "estimate": pl.Float64,
    "reference_estimate": pl.Float64,
    "difference": pl.Float64,
    "se": pl.Float64,
    "p_value": pl.Float64,
}
TREND_SCHEMA: dict[str, type[pl.DataType]] = {
    "publication": pl.Utf8,
    "per_value": pl.Utf8,
    "indicator": pl.Utf8,
    "breakdown": pl.Utf8,
    "domain": pl.Utf8,
    "edition": pl.Int32,
    "estimate": pl.Float64,
    "source": pl.Utf8,
    "trend_break": pl.Boolean,
}
BREAK_SCHEMA: dict[str, type[pl.DataType]] = {
    "publication": pl.Utf8,
    "per_value": pl.Utf8,
    "indicator": pl.Utf8,
    "breakdown": pl.Utf8,
    "domain": pl.Utf8,
    "edition": pl.Int32,
    "first_edition": pl.Int32,
    "editions": pl.Int32,
    "forecast": pl.Float64,
    "shift": pl.Float64,
    "se": pl.Float64,
    "ci_low": pl.Float64,
    "ci_high": pl.Float64,
    "p_value": pl.Float64,
    "verdict": pl.Utf8,
    "text": pl.Utf8,
}
MODEL_SCHEMA: dict[str, type[pl.DataType]] = {
    "publication": pl.Utf8,
    "per_value": pl.Utf8,
    "indicator": pl.Utf8,
    "edition": pl.Int32,
    "direct": pl.Float64,
    "direct_se": pl.Float64,
    "n": pl.Int64,
    "estimate": pl.Float64,
    "se": pl.Float64,
    "shrinkage": pl.Float64,
    "small": pl.Boolean,
}
WEIGHTING_SCHEMA: dict[str, type[pl.DataType]] = {
    "group": pl.Utf8,
    "n": pl.Int64,
    "population": pl.Int64,
    "weight_min": pl.Float64,
    "weight_max": pl.Float64,
    "deff": pl.Float64,
    "cells": pl.Int64,
    "min_cell_n": pl.Int64,
    "margins": pl.Utf8,
}
FIELDWORK_SCHEMA: dict[str, type[pl.DataType]] = {
    "questionnaire": pl.Utf8,
    "group": pl.Utf8,
    "layer": pl.Utf8,
    "invited": pl.Int64,
    "responded": pl.Int64,
}
WEIGHTS_SCHEMA: dict[str, type[pl.DataType]] = {
    "edition": pl.Int32,
    "questionnaire": pl.Utf8,
    "respondent_id": pl.Utf8,
    "weight": pl.Float64,
}
TOTAL = "totaal"
KINDS = tuple(kind.value for kind in Comparison)


class ResultsError(MivError, ValueError):
    """The pipeline handed over tables that do not follow this contract."""


@dataclass(frozen=True)
class Results:
    """One edition's computed figures plus what is needed to trace them."""

    monitor: Monitor
    edition: int
    estimates: pl.DataFrame
    comparisons: pl.DataFrame
    weighting: pl.DataFrame
    inputs: dict[str, str] = field(default_factory=dict)
    code_version: str = "onbekend"
    trend: pl.DataFrame | None = None
    method: dict[str, str] = field(default_factory=dict)
    notice: str | None = None  # shown on every output, e.g. that the figures come from synthetic demo data
    weights: pl.DataFrame | None = None  # the calibrated weight of every respondent, for readers who recompute
    breaks: pl.DataFrame | None = None  # trend-break verdicts (BREAK_SCHEMA), miv.pipeline.models
    models: pl.DataFrame | None = None  # Fay-Herriot estimates per province (MODEL_SCHEMA), miv.pipeline.models
    level: float = 0.95  # confidence level of the intervals
    pooling: int | None = None  # weighting: margin levels with fewer respondents were pooled
    fieldwork: pl.DataFrame | None = None  # invited and responded per questionnaire and group (FIELDWORK_SCHEMA)
    fieldwork_file: str | None = None  # the key of the fieldwork account (veldwerk.csv) in `inputs`

    def __post_init__(self) -> None:
        if self.edition not in self.monitor.editions:
            raise ResultsError(f"editie {self.edition} staat niet in de definitie (monitor.yaml)")
        object.__setattr__(self, "estimates", _conform(self.estimates, ESTIMATE_SCHEMA, "estimates"))
        object.__setattr__(self, "comparisons", _conform(self.comparisons, COMPARISON_SCHEMA, "comparisons"))
        object.__setattr__(self, "weighting", _conform(self.weighting, WEIGHTING_SCHEMA, "weighting"))
        trend = _conform(self.trend, TREND_SCHEMA, "trend") if self.trend is not None else empty(TREND_SCHEMA)
        object.__setattr__(self, "trend", trend)
        weights = _conform(self.weights, WEIGHTS_SCHEMA, "weights") if self.weights is not None else empty(WEIGHTS_SCHEMA)
        object.__setattr__(self, "weights", weights)
        for name, schema in (("breaks", BREAK_SCHEMA), ("models", MODEL_SCHEMA), ("fieldwork", FIELDWORK_SCHEMA)):
            table = getattr(self, name)
            object.__setattr__(self, name, _conform(table, schema, name) if table is not None else empty(schema))
        unknown = set(self.comparisons["kind"].unique().to_list()) - set(KINDS)
        if unknown:
            raise ResultsError(f"comparisons.kind: onbekende soort(en) {sorted(unknown)}; verwacht {', '.join(KINDS)}")

    @property
    def previous(self) -> int | None:
        """The edition compared with (from edition.yaml's `previous`)."""
        return self.monitor.editions[self.edition].previous

    @property
    def definition_version(self) -> str:
        return self.monitor.version


def empty(schema: dict[str, type[pl.DataType]]) -> pl.DataFrame:
    return pl.DataFrame(schema=schema)


def _conform(frame: pl.DataFrame, schema: dict[str, type[pl.DataType]], name: str) -> pl.DataFrame:
    """Select the contract's columns in order and cast them; name what is missing."""
    frame = frame.with_columns(pl.lit(None, dtype=schema[c]).alias(c) for c in OPTIONAL if c in schema and c not in frame.columns)
    missing = [column for column in schema if column not in frame.columns]
    if missing:
        raise ResultsError(f"tabel {name}: kolom(men) ontbreken: {', '.join(missing)}")
    try:
        return frame.select([pl.col(column).cast(dtype) for column, dtype in schema.items()])
    except pl.exceptions.PolarsError as exc:
        raise ResultsError(f"tabel {name}: kolommen niet om te zetten naar het verwachte type: {exc}") from exc

"""The monitor's weighting: each target group is calibrated to its own frame margins.

Why within groups: staff carry weights about a hundred times those of office holders, so
raking both on shared margins (e.g. gender over everyone) would let the staff decide the
office holders' weights and couple their variances. Every margin here is a group x
variable cross (group|gender, group|province, group|size_class), so the groups are
calibrated separately while one `rake` call gives one design whose variances use the
raking's GREG residuals. Margin levels with fewer than `MIN_CELL` respondents are pooled
with other small levels, so no weight is driven by two or three people.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from miv.definition import Edition, Questionnaire, Structure, Unit
from miv.errors import MivError
from miv.survey import Design, LonelyStratum, rake

MIN_CELL = 5
POOLED = "samengevoegd"
ALL = "*"


class WeightingError(MivError, ValueError):
    """The respondents cannot be weighted to the frame; the message names the group and margin."""


@dataclass(frozen=True)
class Weighted:
    """A calibrated design and, per target group, the diagnostics a methodologist checks."""

    design: Design
    diagnostics: pl.DataFrame
    margins: dict[str, list[str]]  # group -> margin variables used


def weight(table: pl.DataFrame, edition: Edition, structure: Structure, questionnaire: Questionnaire) -> Weighted:
    """Weight one questionnaire's respondent table of one edition to the edition's frame."""
    if questionnaire.unit is Unit.ORGANISATION:
        return _organisations(table, structure)
    groups = {g.code: g for g in structure.groups}
    frame = pl.DataFrame([s.model_dump() for s in edition.frame.strata])
    present = table["group"].unique().drop_nulls().to_list()
    unknown = sorted(set(present) - set(frame["group"].to_list()))
    if unknown:
        raise WeightingError(f"doelgroep(en) {', '.join(unknown)} hebben respondenten maar staan niet in het steekproefkader van {edition.year}")
    data = table.with_row_index("_row")
    columns: dict[str, pl.Series] = {}
    margins: dict[str, dict[str, float]] = {}
    used: dict[str, list[str]] = {}
    size = {}
    for code in sorted(present):
        rows = data.filter(pl.col("group") == code)
        cells = frame.filter(pl.col("group") == code)
        size[code] = int(cells["population"].sum())
        used[code] = []
        for variable in ("gender", *groups[code].strata):
            labels, totals = _margin(rows, cells, variable, code)
            if len(totals) > 1:
                used[code].append(variable)
            columns.setdefault(variable, pl.Series([None] * data.height, dtype=pl.Utf8))
            columns[variable] = columns[variable].scatter(rows["_row"].to_numpy(), labels)
            margins.setdefault(variable, {}).update(totals)
        for variable in ("gender", "province", "size_class"):
            if variable not in ("gender", *groups[code].strata):
                columns.setdefault(variable, pl.Series([None] * data.height, dtype=pl.Utf8))
                columns[variable] = columns[variable].scatter(rows["_row"].to_numpy(), f"{code}|{ALL}")
                margins.setdefault(variable, {})[f"{code}|{ALL}"] = float(size[code])
    counts = table.group_by("group").len()
    n = dict(zip(counts["group"].to_list(), counts["len"].to_list(), strict=True))
    data = table.with_columns(
        pl.col("group").replace_strict(size, return_dtype=pl.Float64).alias("_population"),
        (pl.col("group").replace_strict(size, return_dtype=pl.Float64) / pl.col("group").replace_strict(n, return_dtype=pl.Float64)).alias("_base"),
        *[series.alias(f"_m_{name}") for name, series in columns.items()],
    )
    design = Design.build(data, "_base", strata="group", fpc="_population", lonely=LonelyStratum.ADJUST)
    design = rake(design, {f"_m_{name}": totals for name, totals in margins.items()})
    return Weighted(design, _diagnostics(design, "group", size, margins, used), used)


def _margin(rows: pl.DataFrame, cells: pl.DataFrame, variable: str, group: str) -> tuple[list[str], dict[str, float]]:
    """Each respondent's level of one margin within a group, and the levels' population totals,
    with levels under MIN_CELL respondents pooled (a respondent's level absent from the frame is an error)."""
    values = rows[variable].to_list()
    population = cells.group_by(variable, maintain_order=True).agg(pl.col("population").sum())
    totals = dict(zip(population[variable].to_list(), population["population"].to_list(), strict=True))
    for value in set(values) - set(totals):
        raise WeightingError(f"doelgroep {group!r}: respondent(en) met {variable} = {value!r}, maar dat stratum staat niet in het steekproefkader")
    counts = {level: values.count(level) for level in totals}
    pooled = sorted((lv for lv, k in counts.items() if k < MIN_CELL), key=str)
    rest = sorted((lv for lv in counts if lv not in pooled), key=lambda lv: counts[lv])
    while pooled and sum(counts[lv] for lv in pooled) < MIN_CELL and rest:
        pooled.append(rest.pop(0))
    if not rest:  # everything pooled: the margin is the group total
        return [f"{group}|{ALL}"] * len(values), {f"{group}|{ALL}": float(sum(totals.values()))}
    label = {lv: f"{group}|{POOLED if lv in pooled else lv}" for lv in totals}
    out: dict[str, float] = {}
    for level, total in totals.items():
        out[label[level]] = out.get(label[level], 0.0) + float(total)
    return [label[v] for v in values], out


def _organisations(table: pl.DataFrame, structure: Structure) -> Weighted:
    """Organisations answer once each: weight each layer's respondents up to its number of organisations."""
    size = {layer.code: layer.organisations for layer in structure.layers}
    counts = table.group_by("layer").len()
    n = dict(zip(counts["layer"].to_list(), counts["len"].to_list(), strict=True))
    for layer, k in n.items():
        if layer not in size or k > size[layer]:
            raise WeightingError(f"bestuurslaag {layer!r}: {k} organisaties geantwoord, maar het kader telt er {size.get(layer, 0)}")
    data = table.with_columns(
        pl.col("layer").replace_strict(size, return_dtype=pl.Float64).alias("_population"),
        (pl.col("layer").replace_strict(size, return_dtype=pl.Float64) / pl.col("layer").replace_strict(n, return_dtype=pl.Float64)).alias("_base"),
    )
    design = Design.build(data, "_base", strata="layer", fpc="_population", lonely=LonelyStratum.ADJUST)
    return Weighted(design, _diagnostics(design, "layer", size, {}, {}), {layer: [] for layer in n})


def _diagnostics(design: Design, key: str, size: dict[str, int], margins: dict[str, dict[str, float]],
                 used: dict[str, list[str]]) -> pl.DataFrame:
    """Per group: respondents, population, weight range, Kish design effect of weighting, cells,
    and the margin variables it was calibrated on (comma-separated; the method text names them)."""
    frame = design.data.select(pl.col(key).alias("group")).with_columns(w=pl.Series(design.weights))
    rows = []
    for (group,), part in frame.group_by("group", maintain_order=True):
        w = part["w"].to_numpy()
        cells = [
            design.data.filter(pl.col(key) == group)[f"_m_{v}"].value_counts()["count"].to_list()
            for v in margins
        ]
        flat = [c for counts in cells for c in counts] or [len(w)]
        rows.append({
            "group": group, "n": len(w), "population": size[group],
            "weight_min": float(w.min()), "weight_max": float(w.max()),
            "deff": float(len(w) * np.sum(w**2) / np.sum(w) ** 2),
            "cells": sum(len(c) for c in cells) or 1, "min_cell_n": int(min(flat)),
            "margins": ",".join(used.get(group, [])),
        })
    return pl.DataFrame(rows).sort("group")

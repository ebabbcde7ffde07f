"""The demo's fieldwork: who is invited and who responds, per stratum of the frame.

Office holders are a census (everyone is invited); staff are a sample of a fixed size
per group, spread over the group's strata in proportion to their size; organisations
are the layer's organisations, counted from its chair group (one chair per
organisation). Response is binomial per stratum with a rate that differs by group,
gender, province and size class, so unweighted figures are biased and weighting helps.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from miv.definition import Questionnaire, Stratum, Structure, Unit
from miv.demo.parameters import QuestionnaireParameters

MAX_RATE = 0.95
UNIT_COLUMNS = ("group", "layer", "role", "gender", "province", "size_class")


def respondents(
    q: Questionnaire, strata: list[Stratum], structure: Structure, params: QuestionnaireParameters, rng: np.random.Generator
) -> pl.DataFrame:
    """One row per responding unit, in random order: its stratum columns, plus
    `organisation` for a questionnaire answered per organisation. `group` holds the
    chair group for organisations (the caller blanks it in the respondent table)."""
    groups = {g.code: g for g in structure.groups}
    cells = _organisations(q, strata) if q.unit is Unit.ORGANISATION else _people(q, strata, params)
    rows: list[tuple] = []
    for (group, gender, province, size_class), invited in cells:
        rate = _rate(params, group, gender, province, size_class)
        count = int(rng.binomial(invited, rate))
        g = groups[group]
        rows += [(group, g.layer, g.role.value, gender, province, size_class)] * count
    units = pl.DataFrame(rows, schema=dict.fromkeys(UNIT_COLUMNS, pl.Utf8), orient="row")
    units = units[rng.permutation(units.height)] if units.height else units
    if q.unit is Unit.ORGANISATION:
        units = units.with_columns(pl.Series("organisation", _names(units["layer"].to_list(), strata, structure, rng), dtype=pl.Utf8))
    return units


def invited(q: Questionnaire, strata: list[Stratum], structure: Structure, params: QuestionnaireParameters) -> list[dict[str, object]]:
    """How many were invited per group (per layer for organisations): the demo's veldwerk.csv
    rows. The same cells as `respondents` draws from, so responded never exceeds invited."""
    groups = {g.code: g for g in structure.groups}
    cells = _organisations(q, strata) if q.unit is Unit.ORGANISATION else _people(q, strata, params)
    totals: dict[tuple[str | None, str], int] = {}
    for (group, *_), n in cells:
        key = (None, groups[group].layer) if q.unit is Unit.ORGANISATION else (group, groups[group].layer)
        totals[key] = totals.get(key, 0) + n
    return [{"questionnaire": q.code, "group": group, "layer": layer, "invited": n} for (group, layer), n in totals.items()]


def _people(q: Questionnaire, strata: list[Stratum], params: QuestionnaireParameters) -> list[tuple[tuple, int]]:
    """(stratum, invited) for a questionnaire answered by persons."""
    cells = []
    for group in q.groups:
        members = [s for s in strata if s.group == group and s.population > 0]
        sample = params.invited.get(group)
        sizes = [s.population for s in members]
        invited = sizes if sample is None else _apportion(sizes, min(sample, sum(sizes)))
        cells += [((s.group, s.gender, s.province, s.size_class), n) for s, n in zip(members, invited)]
    return cells


def _organisations(q: Questionnaire, strata: list[Stratum]) -> list[tuple[tuple, int]]:
    """(stratum of the chair group without gender, number of organisations)."""
    counts: dict[tuple, int] = {}
    for s in strata:
        if s.group in q.groups:
            cell = (s.group, None, s.province, s.size_class)
            counts[cell] = counts.get(cell, 0) + s.population
    return [(cell, n) for cell, n in counts.items() if n > 0]


def _rate(params: QuestionnaireParameters, group: str, gender: str | None, province: str | None, size_class: str | None) -> float:
    response = params.response
    rate = response.rate[group]
    rate *= response.gender.get(gender or "", 1.0) * response.province.get(province or "", 1.0)
    rate *= response.size_class.get(size_class or "", 1.0)
    return min(rate, MAX_RATE)


def _apportion(sizes: list[int], total: int) -> list[int]:
    """Whole numbers proportional to `sizes`, adding up to `total`, none above its size."""
    exact = [n * total / sum(sizes) for n in sizes]
    counts = [int(x) for x in exact]
    order = sorted(range(len(sizes)), key=lambda i: exact[i] - counts[i], reverse=True)
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _names(layers: list[str], strata: list[Stratum], structure: Structure, rng: np.random.Generator) -> list[str]:
    """A synthetic name per responding organisation, e.g. 'Gemeente demo-017': numbered at
    random within its layer, so no name points at a real organisation."""
    chairs = {g.layer: g.code for g in structure.groups if g.chair}
    pools = {}
    for layer in sorted(set(layers)):
        total = sum(s.population for s in strata if s.group == chairs[layer])
        numbers = rng.choice(total, size=layers.count(layer), replace=False) + 1
        pools[layer] = (iter(numbers.tolist()), len(str(total)))
    names = []
    for layer in layers:
        numbers, width = pools[layer]
        names.append(f"{layer.capitalize()} demo-{next(numbers):0{width}d}")
    return names

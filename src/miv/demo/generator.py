"""Synthetic demo respondents for every edition and questionnaire of the definition.

The output is a respondent table per edition x questionnaire in the shape of
docs/intake.md. It is synthetic through and through: respondent ids start with DEMO-,
organisations are called 'Gemeente demo-017', and the files written from it say so.
The generator knows the definition and its own parameters, nothing of estimation.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import polars as pl

from miv.definition import ItemType, Monitor, Questionnaire, Structure, Unit, variables
from miv.demo.answers import answers
from miv.demo.fieldwork import UNIT_COLUMNS, respondents
from miv.demo.parameters import load_parameters
from miv.settings import default

DEFAULT_SEED: int = default("demo_seed")
ID_PREFIX = "DEMO"


@dataclass(frozen=True)
class DemoTable:
    """One synthetic respondent table."""

    edition: int
    questionnaire: Questionnaire
    data: pl.DataFrame


def tables(monitor: Monitor, seed: int = DEFAULT_SEED) -> Iterator[DemoTable]:
    """The demo tables, edition by edition and questionnaire by questionnaire; the same
    seed gives the same tables. Respondent ids are unique within an edition."""
    for year, edition in sorted(monitor.editions.items()):
        params = load_parameters(edition, monitor.structure)
        number = 0
        for code, q in edition.questionnaires.items():
            rng = np.random.default_rng([seed, year, zlib.crc32(code.encode())])
            units = respondents(q, edition.frame.strata, monitor.structure, params.questionnaires[code], rng)
            visible = _visible(units, q)
            values = answers(q, units, visible, edition.frame.strata, params.questionnaires[code], params.defaults, seed, year, rng)
            ids = [f"{ID_PREFIX}-{year}-{number + i + 1:06d}" for i in range(units.height)]
            number += units.height
            yield DemoTable(year, q, _table(year, q, ids, visible, values))


def generate(monitor: Monitor, seed: int = DEFAULT_SEED) -> dict[tuple[int, str], pl.DataFrame]:
    """All demo tables keyed by (edition, questionnaire code)."""
    return {(t.edition, t.questionnaire.code): t.data for t in tables(monitor, seed)}


def counts(made: list[DemoTable], structure: Structure) -> pl.DataFrame:
    """Respondents per target group (organisations per layer), one column per edition."""
    rows = {g.code: g.plural for g in structure.groups}
    rows |= {f"org:{layer.code}": f"organisaties: {layer.label.lower()}" for layer in structure.layers}
    found: dict[str, dict[str, int]] = {code: {} for code in rows}
    for t in made:
        column, prefix = ("layer", "org:") if t.questionnaire.unit is Unit.ORGANISATION else ("group", "")
        for code, n in t.data[column].value_counts().iter_rows():
            found[prefix + code][str(t.edition)] = found[prefix + code].get(str(t.edition), 0) + n
    editions = sorted({str(t.edition) for t in made})
    data = [[rows[code], *(found[code].get(e, 0) for e in editions)] for code in rows if found[code]]
    return pl.DataFrame(data, schema=[("doelgroep", pl.Utf8), *((e, pl.Int64) for e in editions)], orient="row")


def _visible(units: pl.DataFrame, q: Questionnaire) -> pl.DataFrame:
    """The stratum columns as the respondent table shows them: an organisation has a
    layer (and its chair's province and size class) but no group, role or gender."""
    if q.unit is not Unit.ORGANISATION:
        return units
    return units.with_columns(pl.lit(None, dtype=pl.Utf8).alias(c) for c in ("group", "role", "gender"))


def _table(year: int, q: Questionnaire, ids: list[str], visible: pl.DataFrame, values: dict[str, np.ndarray]) -> pl.DataFrame:
    head = pl.DataFrame(
        {"respondent_id": pl.Series(ids, dtype=pl.Utf8), "edition": pl.Series([year] * len(ids), dtype=pl.Int32)}
    ).with_columns(pl.lit(q.code, dtype=pl.Utf8).alias("questionnaire"))
    strata = visible.select(*UNIT_COLUMNS, *(["organisation"] if q.unit is Unit.ORGANISATION else []))
    columns = []
    for name, item in variables(q).items():
        if item.type is ItemType.TEXT:
            columns.append(pl.Series(name, values[name].tolist(), dtype=pl.Utf8))
        else:
            dtype = pl.Float64 if item.type is ItemType.NUMBER else pl.Int32
            columns.append(pl.Series(name, values[name]).fill_nan(None).cast(dtype))
    return pl.concat([head, strata, pl.DataFrame(columns)], how="horizontal")


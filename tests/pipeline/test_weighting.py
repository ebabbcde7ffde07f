"""The monitor's weighting: each group hits its own frame margins, small cells are pooled,
and respondents outside the frame get a message instead of a weight."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from miv.intake import add_indicators
from miv.pipeline import MIN_CELL, WeightingError, weight
from miv.pipeline.weighting import POOLED


def _weighted(monitor, editions, year=2024, code="ambtsdragers", table=None):
    edition = monitor.editions[year]
    table = editions[year][code] if table is None else table
    return weight(add_indicators(table, monitor, year, code), edition, monitor.structure, edition.questionnaires[code])


def _frame(monitor, year):
    return pl.DataFrame([s.model_dump() for s in monitor.editions[year].frame.strata])


@pytest.mark.parametrize("code", ["ambtsdragers", "medewerkers"])
def test_weights_sum_to_each_groups_population_and_gender_split(monitor, editions, code):
    weighted = _weighted(monitor, editions, code=code)
    data = weighted.design.data.with_columns(w=pl.Series(weighted.design.weights))
    frame = _frame(monitor, 2024)
    for (group,), part in data.group_by("group"):
        cells = frame.filter(pl.col("group") == group)
        assert part["w"].sum() == pytest.approx(cells["population"].sum(), rel=1e-9)
        if "gender" in weighted.margins[group]:
            for gender in ("man", "vrouw"):
                want = cells.filter(pl.col("gender") == gender)["population"].sum()
                got = part.filter(pl.col("gender") == gender)["w"].sum()
                assert got == pytest.approx(want, rel=1e-8), (group, gender)


def test_province_margin_of_raadsleden_is_met(monitor, editions):
    weighted = _weighted(monitor, editions)
    assert "province" in weighted.margins["raadslid"]
    data = weighted.design.data.with_columns(w=pl.Series(weighted.design.weights)).filter(pl.col("group") == "raadslid")
    frame = _frame(monitor, 2024).filter(pl.col("group") == "raadslid")
    sums = data.group_by("_m_province").agg(pl.col("w").sum())
    for label, got in sums.iter_rows():
        province = label.split("|")[1]
        if province == POOLED:
            continue
        assert got == pytest.approx(frame.filter(pl.col("province") == province)["population"].sum(), rel=1e-8)


def test_small_levels_are_pooled_not_weighted_alone(monitor, editions):
    weighted = _weighted(monitor, editions)
    counts = weighted.design.data.group_by("_m_province").len()
    for label, n in counts.iter_rows():
        if not label.endswith("|*"):
            assert n >= MIN_CELL, label


def test_diagnostics_per_group(monitor, editions):
    weighted = _weighted(monitor, editions)
    diag = weighted.diagnostics
    table = editions[2024]["ambtsdragers"]
    assert set(diag["group"]) == set(table["group"].unique())
    for row in diag.iter_rows(named=True):
        w = weighted.design.weights[(weighted.design.data["group"] == row["group"]).to_numpy()]
        assert row["n"] == len(w)
        assert row["weight_min"] == pytest.approx(w.min()) and row["weight_max"] == pytest.approx(w.max())
        assert row["deff"] == pytest.approx(len(w) * np.sum(w**2) / np.sum(w) ** 2)
        assert row["deff"] >= 1.0


def test_organisations_weighted_to_number_of_organisations(monitor, editions):
    weighted = _weighted(monitor, editions, code="organisaties")
    data = weighted.design.data.with_columns(w=pl.Series(weighted.design.weights))
    for layer in monitor.structure.layers:
        got = data.filter(pl.col("layer") == layer.code)["w"].sum()
        assert got == pytest.approx(layer.organisations)


def _set(table, column, row, value):
    return table.with_columns(
        pl.when(pl.int_range(pl.len()) == row).then(pl.lit(value)).otherwise(pl.col(column)).alias(column)
    )


def test_group_outside_the_frame_is_named(monitor, editions):
    table = _set(editions[2024]["ambtsdragers"], "group", 3, "gemeentesecretaris")
    with pytest.raises(WeightingError, match="gemeentesecretaris.*steekproefkader van 2024"):
        _weighted(monitor, editions, table=table)


def test_stratum_outside_the_frame_is_named(monitor, editions):
    table = editions[2024]["ambtsdragers"]
    row = table["group"].to_list().index("raadslid")
    with pytest.raises(WeightingError, match="doelgroep 'raadslid'.*gender = 'onbekend'"):
        _weighted(monitor, editions, table=_set(table, "gender", row, "onbekend"))

"""Validation against the definition: each rule on a known cell, and the property that any
change to a valid file is either accepted unchanged or reported."""

from __future__ import annotations

import json
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from miv.definition import ItemType, Monitor, variables
from miv.intake import read_responses, validate

YEAR, CODE = 2024, "ambtsdragers"


def _set(table: pl.DataFrame, rid: str, column: str, value: Any) -> pl.DataFrame:
    dtype = table.schema[column]
    return table.with_columns(
        pl.when(pl.col("respondent_id") == rid).then(pl.lit(value, dtype=dtype)).otherwise(pl.col(column)).alias(column)
    )


def _first(table: pl.DataFrame, condition: pl.Expr) -> str:
    return table.filter(condition)["respondent_id"][0]


def _findings(table: pl.DataFrame, monitor: Monitor) -> list[tuple]:
    return validate(table, monitor, YEAR, CODE).select("respondent_id", "variable", "rule", "severity").rows()


def test_valid_table_has_no_findings(monitor, valid):
    assert validate(valid, monitor, YEAR, CODE).height == 0


@pytest.mark.parametrize("column, value, rule, severity", [
    ("AG_VERBAAL", 3, "onbekende-code", "fout"),
    ("AG_VERBAAL", 98, "onbekende-code", "fout"),  # 98 exists, but is not offered for this item
    ("JAREN", 75.0, "buiten-bereik", "fout"),
    ("INT_BELANG", None, "ontbrekend-antwoord", "waarschuwing"),
    ("INT_BELANG", -1, "onterecht-niet-van-toepassing", "fout"),
])
def test_code_rules(monitor, valid, column, value, rule, severity):
    rid = valid["respondent_id"][0]
    assert (rid, column, rule, severity) in _findings(_set(valid, rid, column, value), monitor)


def test_routing_rules(monitor, valid):
    victims = pl.any_horizontal(pl.col(c) == 1 for c in ("AG_VERBAAL", "AG_INTIMIDATIE", "AG_BEDREIGING", "AG_FYSIEK"))
    spared = _first(valid, pl.all_horizontal(pl.col(c) == 2 for c in ("AG_VERBAAL", "AG_INTIMIDATIE", "AG_BEDREIGING", "AG_FYSIEK")))
    victim = _first(valid, victims)
    assert (spared, "AG_SOCIAL", "antwoord-ondanks-routering", "fout") in _findings(_set(valid, spared, "AG_SOCIAL", 1), monitor)
    assert (spared, "AG_GERICHT_2", "leeg-bij-routering", "waarschuwing") in _findings(_set(valid, spared, "AG_GERICHT_2", None), monitor)
    assert (victim, "AG_ERNST", "onterecht-niet-van-toepassing", "fout") in _findings(_set(valid, victim, "AG_ERNST", -1), monitor)
    wethouder = _first(valid, pl.col("group") == "wethouder")
    assert (wethouder, "ZORGPLICHT", "antwoord-ondanks-routering", "fout") in _findings(_set(valid, wethouder, "ZORGPLICHT", 2), monitor)


def test_not_applicable_missing_and_dont_know_stay_distinct(monitor, valid):
    """-1, null and 98 are three different things in the table and in the indicators' eyes."""
    rid = valid["respondent_id"][0]
    table = _set(_set(valid, rid, "INT_BELANG", 98), valid["respondent_id"][1], "INT_BELANG", None)
    assert table["INT_BELANG"][:2].to_list() == [98, None]
    found = _findings(table, monitor)
    assert (rid, "INT_BELANG", "onbekende-code", "fout") not in found
    assert (valid["respondent_id"][1], "INT_BELANG", "ontbrekend-antwoord", "waarschuwing") in found


def test_identity_and_strata(monitor, valid):
    a, b = valid["respondent_id"][:2]
    table = _set(valid, b, "respondent_id", a)
    assert [f for f in _findings(table, monitor) if f[2] == "dubbel-id"] == [(a, "respondent_id", "dubbel-id", "fout")] * 2
    cdk = _first(valid, pl.col("group") == "raadslid")
    found = _findings(_set(valid, cdk, "size_class", None), monitor)
    assert (cdk, "size_class", "onbekend-stratum", "fout") in found
    found = _findings(_set(valid, cdk, "group", "burgemeesterr"), monitor)
    assert (cdk, "group", "onbekend-stratum", "fout") in found


def test_stratum_outside_the_frame(monitor, valid):
    """The frame has no female King's Commissioner in Groningen (population 0 is still a cell;
    a province that is no cell at all is reported)."""
    rid = valid["respondent_id"][0]
    table = _set(_set(_set(_set(valid, rid, "group", "dijkgraaf"), rid, "layer", "waterschap"), rid, "province", None), rid, "size_class", None)
    assert validate(table, monitor, YEAR, CODE).filter(pl.col("respondent_id") == rid).height == 0
    table = _set(table, rid, "province", "utrecht")
    messages = validate(table, monitor, YEAR, CODE).filter(pl.col("respondent_id") == rid)["message"].to_list()
    assert messages == ["provincie utrecht gegeven, maar de doelgroep is daar niet naar gestratificeerd"]


def test_report_text_and_json(tmp_path, monitor, valid):
    table = _set(valid, valid["respondent_id"][0], "AG_VERBAAL", 5)
    table.write_parquet(tmp_path / "t.parquet")
    _, report = read_responses(tmp_path / "t.parquet", monitor, YEAR)
    data = json.loads(report.to_json())
    assert data["fouten"] == report.errors >= 1 and data["bestand"].endswith("t.parquet")
    first = data["bevindingen"][0]
    assert first == {"rij": 1, "respondent": valid["respondent_id"][0], "variabele": "AG_VERBAAL", "waarde": "5",
                     "regel": "onbekende-code", "ernst": "fout", "melding": first["melding"]}
    assert "afgekeurd" in report.to_text() and "rij 1, respondent R2024-00000, variabele AG_VERBAAL: code 5" in report.to_text()


# --- the property ----------------------------------------------------------------------


def _oracle(row: dict[str, Any], ids: list[Any], monitor: Monitor) -> bool:
    """An independent reading of the rules for one row: is anything wrong with it?"""
    q = monitor.editions[YEAR].questionnaires[CODE]
    if row["respondent_id"] is None or ids.count(row["respondent_id"]) > 1:
        return True
    groups = {g.code: g for g in monitor.structure.groups}
    group = groups.get(row["group"])
    if group is None or group.code not in q.groups or row["gender"] not in ("man", "vrouw"):
        return True
    if row["layer"] != group.layer or row["role"] != group.role.value:
        return True
    cells = {(s.group, s.gender, s.province, s.size_class) for s in monitor.editions[YEAR].frame.strata}
    if (row["group"], row["gender"], row["province"], row["size_class"]) not in cells:
        return True
    view = {k: v for k, v in row.items()}
    for name, item in variables(q).items():
        if item.type is not ItemType.TEXT and (row[name] == q.not_applicable or (item.type is not ItemType.MULTI and row[name] in item.missing)):
            view[name] = None
    for name, item in variables(q).items():
        value = row[name]
        asked: bool | None = item.groups is None or row["group"] in item.groups
        if asked and item.rule is not None:
            asked = item.rule.evaluate(view)
        if value is None:
            if item.required and asked is True or (item.type is not ItemType.TEXT and asked is False):
                return True
            continue
        if item.type is not ItemType.TEXT and value == q.not_applicable:
            if asked is True:
                return True
            continue
        if asked is False:
            return True
        if item.type is ItemType.MULTI and value not in (0, 1):
            return True
        if item.type is ItemType.SINGLE and value not in [o.code for o in q.options(item)] + item.missing:
            return True
        if item.type is ItemType.NUMBER and value not in item.missing and not (item.minimum <= value <= item.maximum):
            return True
    return False


def _values(monitor: Monitor, column: str, dtype: pl.DataType, ids: list[str]) -> st.SearchStrategy:
    s = monitor.structure
    if column == "respondent_id":
        return st.sampled_from([*ids[:3], None, "NIEUW-1"])
    strata = {"group": [g.code for g in s.groups], "layer": [x.code for x in s.layers], "role": ["bestuurder", "medewerker"],
              "gender": ["man", "vrouw"], "province": [p.code for p in s.provinces], "size_class": [c.code for c in s.size_classes]}
    if column in strata:
        return st.sampled_from([*strata[column], None, "onbekend"])
    if dtype == pl.Float64:
        return st.one_of(st.none(), st.sampled_from([-1.0, 98.0, 99.0]), st.floats(-5, 80, allow_nan=False).map(round))
    if dtype == pl.Utf8:
        return st.sampled_from([None, "Een toelichting met ë en ’"])
    return st.one_of(st.none(), st.sampled_from([-1, 0, 1, 2, 3, 5, 6, 98, 99]), st.integers(-3, 120))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_change_is_accepted_unchanged_or_reported(tmp_path_factory, monitor, valid, data):
    columns = [c for c in valid.columns if c not in ("edition", "questionnaire")]
    column = data.draw(st.sampled_from(columns), label="column")
    row = data.draw(st.integers(0, valid.height - 1), label="row")
    ids = valid["respondent_id"].to_list()
    value = data.draw(_values(monitor, column, valid.schema[column], ids), label="value")
    changed = valid.with_columns(
        pl.when(pl.int_range(pl.len()) == row).then(pl.lit(value, dtype=valid.schema[column])).otherwise(pl.col(column)).alias(column)
    )
    path = tmp_path_factory.mktemp("prop") / "changed.parquet"
    changed.write_parquet(path)
    table, report = read_responses(path, monitor, YEAR, CODE)
    assert table.equals(changed), "nothing is recoded or dropped on the way in"
    all_ids = changed["respondent_id"].to_list()
    expected = any(_oracle(r, all_ids, monitor) for r in changed.iter_rows(named=True))
    assert (report.findings.height > 0) == expected, report.to_text()

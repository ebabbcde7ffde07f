"""Exports: .sav with labels and user-missing codes, the import -> export -> import round
trip (also on the real definition), and the public-use file's disclosure rules."""

from __future__ import annotations

import polars as pl
import pyreadstat
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from miv import definition
from miv.intake import IntakeError, export_parquet, export_public, export_sav, public_table, read_responses
from intake_support import valid_table

REAL = definition.load()


def test_sav_carries_variable_and_value_labels_and_missing_codes(tmp_path, monitor, valid):
    q = monitor.editions[2024].questionnaires["ambtsdragers"]
    path = export_sav(valid, q, tmp_path / "t.sav")
    _, meta = pyreadstat.read_sav(str(path), metadataonly=True, user_missing=True, output_format="polars")
    assert meta.column_names_to_labels["AG_INTIMIDATIE"] == "Bent u geïntimideerd?"
    assert meta.column_names_to_labels["AG_GERICHT_2"] == "Waarop was de agressie gericht? – Op mijn geslacht"
    assert meta.column_names_to_labels["group"] == "Doelgroep"
    assert meta.variable_value_labels["INT_BELANG"] == {1: "Ja", 2: "Nee", 98: "Weet niet", 99: "Wil ik niet zeggen", -1: "Niet van toepassing (routering)"}
    assert meta.variable_value_labels["AG_GERICHT_1"] == {1: "Gekozen", 0: "Niet gekozen", -1: "Niet van toepassing (routering)"}
    assert sorted(r["lo"] for r in meta.missing_ranges["INT_BELANG"]) == [-1, 98, 99]


@pytest.mark.parametrize("year", sorted(REAL.editions))
@pytest.mark.parametrize("code", ["ambtsdragers", "medewerkers", "organisaties"])
def test_round_trip_on_the_real_definition(tmp_path, year, code):
    table = valid_table(REAL, year, code, 80, seed=year + len(code))
    source = tmp_path / "in.parquet"
    table.write_parquet(source)
    first, report = read_responses(source, REAL, year)
    assert report.ok, report.to_text()
    assert report.questionnaire == code
    sav = export_sav(first, REAL.editions[year].questionnaires[code], tmp_path / "uit.sav")
    again, report = read_responses(sav, REAL, year)
    assert report.ok, report.to_text()
    assert again.equals(first) and first.equals(table)
    parquet = export_parquet(again, tmp_path / "uit.parquet")
    assert pl.read_parquet(parquet).equals(table)


def test_public_file_drops_identifiers_and_coarsens_tiny_groups(tmp_path, monitor, valid):
    q = monitor.editions[2024].questionnaires["ambtsdragers"]
    public = public_table(valid, monitor, 2024, q)
    assert public.height == valid.height
    assert "TOELICHTING" not in public.columns
    assert not set(public["respondent_id"]) & set(valid["respondent_id"])
    assert public["respondent_id"].str.contains(r"^p\d{6}$").all()
    # cdk (12 in the frame) and dijkgraaf (20) are tiny: merged with their layer's executives
    groups = set(public["group"])
    assert {"cdk", "gedeputeerde", "dijkgraaf", "db-lid"}.isdisjoint(groups)
    assert groups <= {"burgemeester", "wethouder", "raadslid", "provincie-bestuurder", "statenlid", "waterschap-bestuurder", "ab-lid"}
    counts = valid.group_by("group").len()
    merged = counts.filter(pl.col("group").is_in(["cdk", "gedeputeerde"]))["len"].sum()
    assert public.filter(pl.col("group") == "provincie-bestuurder").height == merged
    # every remaining cell stands for at least min_respondents people in the frame
    strata = pl.DataFrame([s.model_dump() for s in monitor.editions[2024].frame.strata])
    for row in public.filter(pl.col("size_class").is_not_null()).iter_rows(named=True):
        cell = strata.filter((pl.col("group") == row["group"]) & (pl.col("gender") == row["gender"])
                             & (pl.col("province") == row["province"]) & (pl.col("size_class") == row["size_class"]))
        assert cell["population"].sum() >= monitor.min_respondents
    assert public.filter(pl.col("group") == "burgemeester")["size_class"].null_count() > 0
    assert sorted(public.drop("respondent_id", "group", "province", "size_class").rows(), key=str) == sorted(
        valid.drop("respondent_id", "group", "province", "size_class", "TOELICHTING").rows(), key=str)
    path = export_public(valid, monitor, 2024, q, tmp_path / "publiek.sav")
    data, _ = pyreadstat.read_sav(str(path), output_format="polars")
    assert "TOELICHTING" not in data.columns and data.height == valid.height


def test_public_file_of_organisations_drops_their_names(monitor):
    q = monitor.editions[2024].questionnaires["organisaties"]
    table = valid_table(monitor, 2024, "organisaties", 40)
    public = public_table(table, monitor, 2024, q)
    assert "organisation" not in public.columns and public.height == 40


def test_export_to_a_missing_folder(tmp_path, monitor, valid):
    with pytest.raises(IntakeError, match="bestaat niet"):
        export_sav(valid, monitor.editions[2024].questionnaires["ambtsdragers"], tmp_path / "nergens" / "t.sav")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(column=st.sampled_from(["AG_VERBAAL", "AG_GERICHT_2", "JAREN", "TOELICHTING", "province", "ZORGPLICHT"]),
       row=st.integers(0, 119), code=st.one_of(st.none(), st.integers(-1, 120)))
def test_round_trip_keeps_even_invalid_values(tmp_path_factory, monitor, valid, column, row, code):
    """Whatever a cell holds, export .sav -> import gives it back unchanged."""
    dtype = valid.schema[column]
    value = None if code is None else (str(code) if dtype == pl.Utf8 else code)
    changed = valid.with_columns(pl.when(pl.int_range(pl.len()) == row).then(pl.lit(value, dtype=dtype)).otherwise(pl.col(column)).alias(column))
    path = export_sav(changed, monitor.editions[2024].questionnaires["ambtsdragers"], tmp_path_factory.mktemp("rt") / "t.sav")
    again, _ = read_responses(path, monitor, 2024)
    assert again.equals(changed)

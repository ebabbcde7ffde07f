"""A bureau's own names and codes, mapped to the definition by a mapping file."""

from __future__ import annotations

import polars as pl
import pyreadstat
import pytest

from miv.intake import IntakeError, load_mapping, read_responses

MAPPING = """\
# Bureau X, levering 2024
rename:
  RESPNR: respondent_id
  DOELGROEP: group
  GESLACHT: gender
  V1: AG_VERBAAL
recode:
  "*": {9: 99}
  gender: {1: man, 2: vrouw}
ignore: [STARTTIJD]
"""


def _bureau_file(valid: pl.DataFrame, tmp_path) -> tuple:
    """The valid table as bureau X delivers it: own names, 9 for 'wil ik niet zeggen', group
    as numbers with value labels (the structure's labels), gender as 1/2, a start time."""
    groups = sorted(valid["group"].unique().to_list())
    labels = {"burgemeester": "Burgemeester", "wethouder": "Wethouder", "raadslid": "Raadslid", "cdk": "Commissaris van de Koning",
              "gedeputeerde": "Gedeputeerde", "statenlid": "Statenlid", "dijkgraaf": "Dijkgraaf", "db-lid": "Lid dagelijks bestuur", "ab-lid": "Lid algemeen bestuur"}
    number = {g: i + 1 for i, g in enumerate(groups)}
    frame = valid.drop("edition", "questionnaire", "layer", "role").with_columns(pl.col("province", "size_class", "TOELICHTING").fill_null("")).with_columns(
        pl.col("group").replace_strict(number, return_dtype=pl.Int64),
        pl.col("gender").replace_strict({"man": 1, "vrouw": 2}, return_dtype=pl.Int64),
        pl.col("AG_VERBAAL", "AG_INTIMIDATIE").replace(99, 9),
        pl.lit("09:14").alias("STARTTIJD"),
    ).rename({"respondent_id": "RESPNR", "group": "DOELGROEP", "gender": "GESLACHT", "AG_VERBAAL": "V1"})
    path = tmp_path / "bureau.sav"
    pyreadstat.write_sav(frame, str(path), variable_value_labels={"DOELGROEP": {n: labels[g] for g, n in number.items()}})
    mapping = tmp_path / "bureau-x.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")
    return path, mapping


def test_mapping_renames_and_recodes(tmp_path, monitor, valid):
    path, mapping = _bureau_file(valid, tmp_path)
    table, report = read_responses(path, monitor, 2024, "ambtsdragers", mapping)
    assert report.ok, report.to_text()
    assert report.ignored == ["STARTTIJD"]
    assert "Bewust niet ingelezen kolommen (mappingbestand): STARTTIJD" in report.to_text()
    assert table.equals(valid)


def test_without_the_mapping_everything_is_reported(tmp_path, monitor, valid):
    path, _ = _bureau_file(valid, tmp_path)
    with pytest.raises(IntakeError, match="bureau.sav: kolom 'respondent_id' ontbreekt"):
        read_responses(path, monitor, 2024, "ambtsdragers")


def test_mapping_naming_absent_columns_is_reported(tmp_path, monitor, valid):
    path, mapping = _bureau_file(valid, tmp_path)
    mapping.write_text(MAPPING.replace("ignore: [STARTTIJD]", "ignore: [STARTTIJD, EINDTIJD]"), encoding="utf-8")
    _, report = read_responses(path, monitor, 2024, "ambtsdragers", mapping)
    assert report.findings.filter(pl.col("rule") == "mapping").select("variable", "severity").rows() == [("EINDTIJD", "fout")]


@pytest.mark.parametrize("text, expected", [
    ("rename: [a, b]\n", "rename: Input should be a valid dictionary"),
    ("hernoem: {a: b}\n", "hernoem: onbekende sleutel; verwacht rename, recode of ignore"),
    ("rename: {a: b\n", "mappingbestand is geen geldige YAML"),
])
def test_bad_mapping_files(tmp_path, text, expected):
    path = tmp_path / "map.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(IntakeError) as caught:
        load_mapping(path)
    assert str(caught.value).startswith(f"{path}: ") and expected in str(caught.value)

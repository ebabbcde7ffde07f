"""Value labels against the definition: a contradicting label is an error, a known recode in
the mapping file is accepted, R's alphabetical factor codes are put back with a warning."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pyreadstat
from intake_support import valid_table, write_pspp

from miv.intake import Mapping, read_responses


def _file_shape(table: pl.DataFrame) -> pl.DataFrame:
    return table.drop("edition", "questionnaire", "layer", "role")


def _rules(report) -> list[tuple[str, str]]:
    return report.findings.select("variable", "rule").rows()


def test_labels_contradicting_the_definition_are_errors(tmp_path, monitor, valid):
    """PSPP writes the file with 1 = 'Nee', 2 = 'Ja' on INT_BELANG (the definition: 1 = Ja)."""
    path = write_pspp(_file_shape(valid), monitor, 2024, "ambtsdragers", tmp_path / "omgedraaid.sav",
                      labels={"INT_BELANG": {1: "Nee", 2: "Ja", 98: "Weet niet"}})
    assert pyreadstat.read_sav(str(path), metadataonly=True)[1].variable_value_labels["INT_BELANG"][1.0] == "Nee"
    table, report = read_responses(path, monitor, 2024, "ambtsdragers")
    found = report.findings.filter(pl.col("rule") == "label")
    assert found.select("variable", "value", "message").rows() == [
        ("INT_BELANG", "1", "code 1 heet in het bestand 'Nee', in de definitie 'Ja'; hercodeer met een mappingbestand (recode) als de codes anders zijn"),
        ("INT_BELANG", "2", "code 2 heet in het bestand 'Ja', in de definitie 'Nee'; hercodeer met een mappingbestand (recode) als de codes anders zijn"),
    ]
    assert not report.ok and table.equals(valid)  # nothing changed behind the analyst's back


def test_a_known_recode_in_the_mapping_is_accepted(tmp_path, monitor, valid):
    swapped = valid.with_columns(pl.col("INT_BELANG").replace({1: 2, 2: 1}))
    path = write_pspp(_file_shape(swapped), monitor, 2024, "ambtsdragers", tmp_path / "omgedraaid.sav",
                      labels={"INT_BELANG": {1: "Nee", 2: "Ja", 98: "Weet niet"}})
    table, report = read_responses(path, monitor, 2024, "ambtsdragers", Mapping(recode={"INT_BELANG": {1: 2, 2: 1}}))
    assert report.ok, report.to_text()
    assert table.equals(valid)


def test_r_factor_codes_are_renumbered_by_their_labels(tmp_path, monitor, valid):
    """R numbers a factor's levels alphabetically from 1: Ernstig 1, Helemaal niet ernstig 2, ..."""
    levels = ["Ernstig", "Helemaal niet ernstig", "Neutraal", "Niet ernstig", "Niet van toepassing", "Weet niet", "Wil ik niet zeggen", "Zeer ernstig"]
    definition = {"Helemaal niet ernstig": 1, "Niet ernstig": 2, "Neutraal": 3, "Ernstig": 4, "Zeer ernstig": 5,
                  "Weet niet": 98, "Wil ik niet zeggen": 99, "Niet van toepassing": -1}
    factor = {definition[label]: i for i, label in enumerate(levels, start=1)}
    frame = _file_shape(valid).with_columns(pl.col("AG_ERNST").replace(factor))
    path = tmp_path / "haven.sav"
    pyreadstat.write_sav(frame.with_columns(pl.col(pl.Utf8).fill_null("")).to_pandas(), str(path),
                         variable_value_labels={"AG_ERNST": dict(enumerate(levels, start=1))})
    table, report = read_responses(path, monitor, 2024, "ambtsdragers")
    assert report.ok, report.to_text()
    assert table.equals(valid)
    [warning] = report.findings.filter(pl.col("rule") == "hernummerd").iter_rows(named=True)
    assert warning["severity"] == "waarschuwing" and warning["variable"] == "AG_ERNST"
    assert "1 'Ernstig' -> 4" in warning["message"] and "6 'Weet niet' -> 98" in warning["message"]


def test_a_swap_that_is_no_r_factor_stays_an_error(tmp_path, monitor, valid):
    """Codes 1, 2, 3 where the definition has 1, 2, 98, but not in alphabetical order: no guess."""
    path = write_pspp(_file_shape(valid), monitor, 2024, "ambtsdragers", tmp_path / "drie.sav",
                      labels={"INT_BELANG": {1: "Ja", 2: "Weet niet", 3: "Nee"}})
    _, report = read_responses(path, monitor, 2024, "ambtsdragers")
    messages = report.findings.filter(pl.col("rule") == "label")["message"].to_list()
    assert messages == ["code 2 heet in het bestand 'Weet niet', in de definitie 'Nee'; hercodeer met een mappingbestand (recode) als de codes anders zijn",
                        "code 3 heet in het bestand 'Nee', maar in de definitie is dat code 2; hercodeer met een mappingbestand (recode)"]


def test_labels_that_agree_pass_silently(tmp_path, monitor, valid):
    path = write_pspp(_file_shape(valid), monitor, 2024, "ambtsdragers", tmp_path / "goed.sav")
    _, report = read_responses(path, monitor, 2024, "ambtsdragers")
    assert report.ok and not [r for _, r in _rules(report) if r in ("label", "hernummerd")]


def test_a_factor_written_by_r_haven_is_put_back(monitor):
    """reference/haven_factor.sav was written by R haven (reference/haven.R) from
    reference/haven_input.csv: the 40 respondents below, AG_ERNST as a factor of its labels."""
    path = Path(__file__).parent / "reference" / "haven_factor.sav"
    table, report = read_responses(path, monitor, 2024, "ambtsdragers")
    assert report.ok, report.to_text()
    assert table.equals(valid_table(monitor, 2024, "ambtsdragers", 40, seed=11))
    [message] = report.findings.filter(pl.col("rule") == "hernummerd")["message"]
    assert "1 'Ernstig' -> 4, 2 'Helemaal niet ernstig' -> 1, 4 'Niet ernstig' -> 2, 5 'Weet niet' -> 98, 6 'Wil ik niet zeggen' -> 99, 7 'Zeer ernstig' -> 5;" in message

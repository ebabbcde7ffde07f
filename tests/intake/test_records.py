"""The web survey's stored responses become the same table and report as a .sav import."""

from __future__ import annotations

import polars as pl

from miv import definition
from miv.intake import export_sav, read_records, read_responses, read_table
from intake_support import valid_table

REAL = definition.load()


def test_records_give_the_same_table_as_a_sav_file(tmp_path):
    table = valid_table(REAL, 2024, "ambtsdragers", 60, seed=5)
    records = [{k: v for k, v in row.items() if k not in ("edition", "questionnaire", "layer", "role")} for row in table.iter_rows(named=True)]
    from_web, report = read_records(iter(records), REAL, 2024, "ambtsdragers")
    assert report.ok, report.to_text()
    assert report.file == "webenquête"
    sav = export_sav(table, REAL.editions[2024].questionnaires["ambtsdragers"], tmp_path / "t.sav")
    from_file, _ = read_responses(sav, REAL, 2024)
    assert from_web.equals(from_file) and from_web.equals(table)


def test_records_with_problems_are_reported(monitor):
    table = valid_table(monitor, 2024, "ambtsdragers", 5)
    records = table.to_dicts()
    records[1]["AG_VERBAAL"] = "ja"
    records[2]["INT_BELANG"] = 7
    records[3]["respondent_id"] = records[4]["respondent_id"]
    found, report = read_records(records, monitor, 2024, "ambtsdragers")
    rules = set(report.findings.select("respondent_id", "variable", "rule").iter_rows())
    assert (records[1]["respondent_id"], "AG_VERBAAL", "verkeerd-type") in rules
    assert (records[2]["respondent_id"], "INT_BELANG", "onbekende-code") in rules
    assert (records[4]["respondent_id"], "respondent_id", "dubbel-id") in rules
    assert found.height == 5


def test_no_records_give_an_empty_table(monitor):
    table, report = read_records([], monitor, 2024, "organisaties")
    assert table.height == 0 and report.ok
    assert table.columns[:10] == ["respondent_id", "edition", "questionnaire", "group", "layer", "role", "gender", "province", "size_class", "organisation"]
    assert table.schema["GEDRAGSCODE"] == pl.Int32


def test_a_frame_in_memory_is_checked_like_a_file(monitor):
    table = valid_table(monitor, 2024, "ambtsdragers", 10)
    same, report = read_table(table, monitor, 2024, "ambtsdragers")
    assert report.ok and same.equals(table) and report.file == "tabel"
    wrong = table.with_columns(pl.col("AG_VERBAAL").cast(pl.Utf8).replace("1", "ja"))
    _, report = read_table(wrong, monitor, 2024, "ambtsdragers", "demo")
    assert report.file == "demo" and set(report.findings["rule"]) >= {"verkeerd-type"}
    assert [c["regel"] for c in report.to_dict()["aantallen"]].count("verkeerd-type") == 1

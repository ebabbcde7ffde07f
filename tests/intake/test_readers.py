"""Every supported format, written by a real writer, reads into the same respondent table;
broken files give a Dutch message naming the file, never a traceback."""

from __future__ import annotations


import openpyxl
import polars as pl
import pyreadstat
import pytest
import xlsxwriter

from intake_support import write_pspp
from miv.intake import IntakeError, export_sav, read_responses


def _file_shape(table: pl.DataFrame) -> pl.DataFrame:
    """What a bureau delivers: no edition, questionnaire, layer or role columns."""
    return table.drop("edition", "questionnaire", "layer", "role")


def test_sav_written_by_pyreadstat(tmp_path, monitor, valid):
    path = tmp_path / "bureau.sav"
    pyreadstat.write_sav(_file_shape(valid).with_columns(pl.col(pl.Utf8).fill_null("")), str(path))
    table, report = read_responses(path, monitor, 2024)
    assert report.ok, report.to_text()
    assert table.equals(valid)
    assert report.sha256 and len(report.sha256) == 64


def test_sav_written_by_pspp_with_dutch_labels(tmp_path, monitor, valid):
    path = write_pspp(_file_shape(valid), monitor, 2024, "ambtsdragers", tmp_path / "pspp.sav")
    _, meta = pyreadstat.read_sav(str(path), metadataonly=True, output_format="polars")
    assert "geïntimideerd" in meta.column_names_to_labels["AG_INTIMIDATIE"]
    table, report = read_responses(path, monitor, 2024, "ambtsdragers")
    assert report.ok, report.to_text()
    assert table.equals(valid)


def test_zsav_and_parquet(tmp_path, monitor, valid):
    q = monitor.editions[2024].questionnaires["ambtsdragers"]
    zsav = export_sav(valid, q, tmp_path / "t.zsav")
    valid.write_parquet(tmp_path / "t.parquet")
    for path in (zsav, tmp_path / "t.parquet"):
        table, report = read_responses(path, monitor, 2024)
        assert report.ok and table.equals(valid)


def test_csv_semicolon_cp1252_with_decimal_comma(tmp_path, monitor, valid):
    path = tmp_path / "excel-export.csv"
    frame = _file_shape(valid).with_columns(pl.col("JAREN").cast(pl.Utf8).str.replace(".", ",", literal=True))
    text = frame.write_csv(separator=";", line_terminator="\r\n")
    path.write_bytes(text.encode("cp1252", errors="strict") if "’" not in text else text.replace("’", "'").encode("cp1252"))
    assert path.read_bytes().decode("cp1252").count("Één") > 0
    table, report = read_responses(path, monitor, 2024)
    assert report.ok, report.to_text()
    expected = valid.with_columns(pl.col("TOELICHTING").str.replace("’", "'", literal=True))
    assert table.equals(expected)


def test_xlsx_with_title_row_above_the_header(tmp_path, monitor, valid):
    path = tmp_path / "bureau.xlsx"
    frame = _file_shape(valid)
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Respons")
    sheet.write(0, 0, "Monitor Integriteit en Veiligheid 2024 – respons ambtsdragers")
    sheet.write_row(2, 0, frame.columns)
    for r, row in enumerate(frame.iter_rows(), start=3):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, value)
    book.close()
    table, report = read_responses(path, monitor, 2024)
    assert report.ok, report.to_text()
    assert table.equals(valid)
    bad = valid.with_columns(pl.when(pl.col("respondent_id") == "R2024-00003").then(pl.lit(7)).otherwise(pl.col("INT_BELANG")).alias("INT_BELANG"))
    book = openpyxl.Workbook()
    book.active.append(["Titel"])
    book.active.append(_file_shape(bad).columns)
    for row in _file_shape(bad).iter_rows():
        book.active.append(list(row))
    book.save(tmp_path / "bad.xlsx")
    _, report = read_responses(tmp_path / "bad.xlsx", monitor, 2024)
    finding = report.findings.filter(pl.col("variable") == "INT_BELANG").row(0, named=True)
    # Excel's own row: title in row 1, header in row 2, R2024-00000 in row 3
    assert (finding["row"], finding["respondent_id"], finding["value"], finding["rule"]) == (6, "R2024-00003", "7", "onbekende-code")


@pytest.mark.parametrize("name, content, expected", [
    ("kapot.sav", lambda good: good[:300], "geen leesbaar SPSS-bestand"),
    ("kapot.sav", lambda good: b"$FL2" + bytes(range(256)) * 4, "te groot om in te lezen: de kop meldt 1280134735 respondenten"),
    ("kapot.xlsx", lambda good: b"PK\x03\x04 niet echt een zip", "geen leesbaar Excel-bestand"),
    ("kapot.parquet", lambda good: b"PAR1" + b"\x00" * 100, "geen leesbaar Parquet-bestand"),
    ("leeg.csv", lambda good: b"", "bestand is leeg"),
    ("alleen-kop.csv", lambda good: b"respondent_id;group\r\n", "bevat geen enkele respondent"),
    ("bestand.txt", lambda good: b"x", "onbekend bestandstype"),
    ("vreemd.csv", lambda good: b"respondent_id;group\nR1;\x81\x8d\x8f\n", "tekencodering niet herkend"),
])
def test_broken_files_name_the_file(tmp_path, monitor, valid, name, content, expected):
    good = tmp_path / "good.sav"
    export_sav(valid, monitor.editions[2024].questionnaires["ambtsdragers"], good)
    path = tmp_path / name
    path.write_bytes(content(good.read_bytes()))
    with pytest.raises(IntakeError) as caught:
        read_responses(path, monitor, 2024, "ambtsdragers")
    assert expected in str(caught.value)
    assert str(path) in str(caught.value)


def test_truncated_parquet(tmp_path, monitor, valid):
    path = tmp_path / "half.parquet"
    valid.write_parquet(path)
    path.write_bytes(path.read_bytes()[:-200])
    with pytest.raises(IntakeError, match="half.parquet: geen leesbaar Parquet-bestand"):
        read_responses(path, monitor, 2024)


def test_wrong_types_are_reported_per_cell(tmp_path, monitor, valid):
    frame = _file_shape(valid).with_columns(pl.col(pl.Int32, pl.Float64).cast(pl.Utf8))
    frame = frame.with_columns(
        pl.when(pl.col("respondent_id") == "R2024-00002").then(pl.lit("ja")).otherwise(pl.col("AG_VERBAAL")).alias("AG_VERBAAL"),
        pl.when(pl.col("respondent_id") == "R2024-00005").then(pl.lit("1,5")).otherwise(pl.col("INT_BELANG")).alias("INT_BELANG"),
        pl.when(pl.col("respondent_id") == "R2024-00006").then(pl.lit("tien")).otherwise(pl.col("JAREN")).alias("JAREN"),
    )
    frame.write_csv(tmp_path / "types.csv", separator=";")
    table, report = read_responses(tmp_path / "types.csv", monitor, 2024)
    wrong = report.findings.filter(pl.col("rule") == "verkeerd-type").sort("row")
    assert wrong.select("respondent_id", "variable", "value").rows() == [
        ("R2024-00002", "AG_VERBAAL", "ja"), ("R2024-00005", "INT_BELANG", "1,5"), ("R2024-00006", "JAREN", "tien")]
    assert wrong["message"][0] == "verwacht een geheel getal (antwoordcode), gevonden ja"
    assert not report.ok
    assert table.filter(pl.col("respondent_id") == "R2024-00002")["AG_VERBAAL"].to_list() == [None]


def test_unknown_and_absent_variables(tmp_path, monitor, valid):
    frame = _file_shape(valid).drop("AG_FYSIEK").with_columns(pl.lit(3).alias("STARTDUUR"))
    frame.write_parquet(tmp_path / "t.parquet")
    _, report = read_responses(tmp_path / "t.parquet", monitor, 2024, "ambtsdragers")
    rules = report.findings.select("variable", "rule").rows()
    assert ("STARTDUUR", "onbekende-variabele") in rules
    assert ("AG_FYSIEK", "ontbrekende-variabele") in rules
    assert report.findings.filter(pl.col("variable") == "AG_FYSIEK").height == 1


def test_missing_respondent_id_column_is_fatal(tmp_path, monitor, valid):
    _file_shape(valid).rename({"respondent_id": "volgnummer"}).write_parquet(tmp_path / "t.parquet")
    with pytest.raises(IntakeError, match=r"t.parquet: kolom 'respondent_id' ontbreekt"):
        read_responses(tmp_path / "t.parquet", monitor, 2024)


def test_questionnaire_is_recognised_or_asked_for(tmp_path, monitor, valid):
    valid.select("respondent_id", "group", "gender").write_parquet(tmp_path / "t.parquet")
    with pytest.raises(IntakeError, match="geef --questionnaire"):
        read_responses(tmp_path / "t.parquet", monitor, 2024)
    with pytest.raises(IntakeError, match="editie 2030 staat niet in de definitie"):
        read_responses(tmp_path / "t.parquet", monitor, 2030, "ambtsdragers")

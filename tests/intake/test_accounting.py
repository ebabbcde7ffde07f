"""Every row accounted for: records counted against each count the file itself gives, columns
never invented, and rows in = rows without errors + rows with errors (docs/intake.md).

Each case is a file from a real writer (PSPP, pyreadstat, openpyxl, polars' CSV writer)
damaged the way the issue found it; the old readers lost rows on every one of them."""

from __future__ import annotations

import io
import json
import re
import struct
import zipfile

import openpyxl
import polars as pl
import pyreadstat
import pytest
from intake_support import valid_table, write_pspp

from miv.intake import IntakeError, export_sav, read_responses


def _file_shape(table: pl.DataFrame) -> pl.DataFrame:
    return table.drop("edition", "questionnaire", "layer", "role")


def _set_case_count(path, count: int) -> None:
    """What a writer that never went back to its header leaves: a wrong case count."""
    data = bytearray(path.read_bytes())
    data[80:84] = struct.pack("<i", count)
    path.write_bytes(bytes(data))


def _rule(report, rule: str) -> pl.DataFrame:
    return report.findings.filter(pl.col("rule") == rule)


def test_sav_from_pspp_with_a_wrong_case_count_loses_nobody(tmp_path, monitor, valid):
    path = write_pspp(_file_shape(valid.head(36)), monitor, 2024, "ambtsdragers", tmp_path / "pspp.sav")
    _set_case_count(path, 1)
    assert pyreadstat.read_sav(str(path))[0].shape[0] == 1  # what trusting the header gives
    table, report = read_responses(path, monitor, 2024, "ambtsdragers")
    assert table.height == 36 and table.equals(valid.head(36))
    [message] = _rule(report, "rijtelling")["message"]
    assert message.startswith("de kop van het SPSS-bestand meldt 1 respondenten, maar de gegevens bevatten er 36")
    assert not report.ok


def test_zsav_with_a_wrong_case_count(tmp_path, monitor, valid):
    path = export_sav(valid, monitor.editions[2024].questionnaires["ambtsdragers"], tmp_path / "t.zsav")
    _set_case_count(path, 1)
    table, report = read_responses(path, monitor, 2024)
    assert table.height == 120
    assert "meldt 1 respondenten, maar de gegevens bevatten er 120" in _rule(report, "rijtelling")["message"][0]


def test_truncated_sav_is_never_accepted(tmp_path, monitor, valid):
    path = export_sav(valid, monitor.editions[2024].questionnaires["ambtsdragers"], tmp_path / "t.sav")
    path.write_bytes(path.read_bytes()[: path.stat().st_size * 2 // 3])
    try:
        table, report = read_responses(path, monitor, 2024)
    except IntakeError as exc:
        assert "geen leesbaar SPSS-bestand" in str(exc)
    else:
        assert not report.ok and table.height < 120
        assert f"meldt 120 respondenten, maar de gegevens bevatten er {table.height}" in _rule(report, "rijtelling")["message"][0]


def _workbook(frame: pl.DataFrame, path, dimension: str | None = None, extra: dict[str, object] | None = None):
    """Written by openpyxl; `dimension` overwrites the stored <dimension> afterwards."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(frame.columns)
    for row in frame.iter_rows():
        sheet.append(list(row))
    for cell, value in (extra or {}).items():
        sheet[cell] = value
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if dimension and item.filename == "xl/worksheets/sheet1.xml":
                data, n = re.subn(rb'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{dimension}"/>'.encode(), data)
                assert n == 1
            target.writestr(item, data)
    return path


def test_xlsx_with_a_stale_dimension_keeps_every_respondent(tmp_path, monitor):
    valid = valid_table(monitor, 2024, "ambtsdragers", 301, seed=3)
    path = _workbook(_file_shape(valid), tmp_path / "oud-bereik.xlsx", "A1:CW10")
    book = openpyxl.load_workbook(path, read_only=True)
    assert sum(1 for _ in book.active.iter_rows()) == 10  # openpyxl's read-only mode: 9 respondents
    book.close()
    table, report = read_responses(path, monitor, 2024, "ambtsdragers")
    assert table.equals(valid)
    [message] = _rule(report, "rijtelling")["message"]
    assert "bereik A1:CW10 (tot rij 10, kolom CW)" in message and "gegevens tot rij 302" in message and "301 rijen" in message


def test_xlsx_declaring_the_whole_sheet_is_refused_at_once(tmp_path, monitor, valid):
    path = _workbook(_file_shape(valid.head(5)), tmp_path / "groot.xlsx", "A1:XFD1048576", {"XFD1048576": "x"})
    with pytest.raises(IntakeError, match=r"groot.xlsx: het werkblad meldt bereik A1:XFD1048576 \(1048576 rijen x 16384 kolommen\)"):
        read_responses(path, monitor, 2024, "ambtsdragers")


def test_truncated_csv_is_an_error_on_its_last_line(tmp_path, monitor, valid):
    text = _file_shape(valid).write_csv(separator=";")
    cut = text[: text.rindex(";", 0, len(text) - 40)]  # the last respondent loses its last fields
    path = tmp_path / "afgebroken.csv"
    path.write_text(cut, encoding="utf-8")
    assert pl.read_csv(path, separator=";").height == 120  # polars fills the cut row with nulls
    table, report = read_responses(path, monitor, 2024)
    assert table.height == 120 and not report.ok
    [finding] = _rule(report, "onvolledige-rij").iter_rows(named=True)
    assert finding["row"] == 121 and "het bestand eindigt midden in deze regel (afgebroken?)" in finding["message"]
    assert f"regel 121 heeft {cut.splitlines()[-1].count(';') + 1} van de 19 velden" in finding["message"]


def test_csv_cut_inside_a_quoted_field_is_refused(tmp_path, monitor, valid):
    text = _file_shape(valid.head(3)).with_columns(pl.lit("een lange toelichting; met puntkomma").alias("TOELICHTING")).write_csv(separator=";")
    path = tmp_path / "half.csv"
    path.write_text(text[: text.rindex("puntkomma")], encoding="utf-8")
    with pytest.raises(IntakeError, match=r"half.csv: geen leesbaar CSV-bestand met scheidingsteken ';': regel 4: het bestand eindigt binnen een veld tussen aanhalingstekens \(afgebroken\?\)"):
        read_responses(path, monitor, 2024)


def test_csv_rows_are_named_by_their_line_in_the_file(tmp_path, monitor, valid):
    frame = _file_shape(valid.head(4)).with_columns(
        pl.when(pl.col("respondent_id") == "R2024-00000").then(pl.lit("twee\nregels")).otherwise(pl.col("TOELICHTING")).alias("TOELICHTING"),
        pl.when(pl.col("respondent_id") == "R2024-00002").then(pl.lit(7, pl.Int32)).otherwise(pl.col("INT_BELANG")).alias("INT_BELANG"),
    )
    header, rest = frame.write_csv(separator=";").split("\n", 1)
    path = tmp_path / "regels.csv"
    path.write_text(f"{header}\n\n{rest}", encoding="utf-8")  # a blank line after the header
    _, report = read_responses(path, monitor, 2024)
    finding = _rule(report, "onbekende-code").row(0, named=True)
    # header 1, blank 2, R..00 on 3-4 (a newline inside its quoted text), R..01 on 5, R..02 on 6
    assert (finding["row"], finding["respondent_id"]) == (6, "R2024-00002")


def test_trailing_empty_csv_columns_are_ignored_with_a_note(tmp_path, monitor, valid):
    text = _file_shape(valid).write_csv(separator=";")
    path = tmp_path / "puntkomma.csv"
    path.write_text("".join(line + ";;;\n" for line in text.splitlines()), encoding="utf-8")
    table, report = read_responses(path, monitor, 2024)
    assert report.ok, report.to_text()
    assert table.equals(valid)
    [note] = _rule(report, "lege-kolom")["message"]
    assert note == "kolom 20 tot en met 22 (3 kolommen) zonder naam en zonder gegevens: niet ingelezen"
    assert "_duplicated_0" not in report.to_json() and "''" not in report.to_text()


def test_data_beyond_the_header_and_duplicate_names_are_errors_with_their_position(tmp_path, monitor, valid):
    lines = _file_shape(valid).write_csv(separator=";").splitlines()
    lines = [lines[0] + ";AG_VERBAAL"] + [line + ";1;geheim" if i == 5 else line + ";1" for i, line in enumerate(lines[1:], start=1)]
    path = tmp_path / "breed.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    table, report = read_responses(path, monitor, 2024)
    assert table.height == 120 and not report.ok
    assert _rule(report, "dubbele-kolom")["message"].to_list() == ["kolom 20 heet 'AG_VERBAAL', net als kolom 6; alleen kolom 6 is ingelezen"]
    assert _rule(report, "kolom-zonder-naam")["message"].to_list() == [
        "kolom 21 heeft geen naam in regel 1 (voorbij de laatste kolomnaam), maar bevat gegevens in 1 rijen (eerste: rij 6); geef de kolom een naam of verwijder hem"]


def test_xlsx_cells_beyond_the_header_are_named_by_letter(tmp_path, monitor, valid):
    path = _workbook(_file_shape(valid), tmp_path / "extra.xlsx", extra={"U7": 3, "U9": "opmerking"})
    table, report = read_responses(path, monitor, 2024)
    assert table.equals(valid)
    [message] = _rule(report, "kolom-zonder-naam")["message"]
    assert message.startswith("kolom U heeft geen naam in rij 1 (voorbij de laatste kolomnaam), maar bevat gegevens in 2 rijen (eerste: rij 7)")


def test_rows_in_equal_rows_without_plus_rows_with_errors(tmp_path, monitor, valid):
    bad = valid.with_columns(
        pl.when(pl.col("respondent_id").is_in(["R2024-00001", "R2024-00002"])).then(pl.lit(7, pl.Int32)).otherwise(pl.col("INT_BELANG")).alias("INT_BELANG"),
        pl.when(pl.col("respondent_id") == "R2024-00002").then(pl.lit(8, pl.Int32)).otherwise(pl.col("AG_VERBAAL")).alias("AG_VERBAAL"),
    )
    bad.write_parquet(tmp_path / "t.parquet")
    _, report = read_responses(tmp_path / "t.parquet", monitor, 2024)
    assert (report.respondents, report.accepted, report.refused) == (120, 118, 2)
    assert report.refused_by_rule() == {"onbekende-code": 2}
    counted = json.loads(report.to_json())["rijen"]
    assert counted == {"in": 120, "zonder_fouten": 118, "met_fouten": 2, "met_fouten_per_regel": {"onbekende-code": 2}}
    assert "Rijen: 120 in het bestand = 118 zonder fouten + 2 met fouten" in report.to_text()

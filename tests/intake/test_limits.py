"""Files over the limits are refused with a message naming the file and the limit, before
their declared size is allocated (docs/intake.md, Limits)."""

from __future__ import annotations

import io
import zipfile

import polars as pl
import pytest

from miv.intake import IntakeError, Limits, export_sav, read_responses


def _file_shape(table: pl.DataFrame) -> pl.DataFrame:
    return table.drop("edition", "questionnaire", "layer", "role")


def test_a_hundred_thousand_header_columns_are_refused_before_reading(tmp_path, monitor):
    path = tmp_path / "breed.csv"
    path.write_text(";".join(f"V{i}" for i in range(100_000)) + "\n" + ";" * 99_999 + "\n", encoding="utf-8")
    with pytest.raises(IntakeError, match=r"breed.csv: te groot om in te lezen: 100000 kolommen in de kopregel, meer dan de grens van 5000"):
        read_responses(path, monitor, 2024, "ambtsdragers")


@pytest.mark.parametrize("suffix, expected", [
    (".csv", "te groot om in te lezen: meer dan 50 respondenten"),
    (".sav", "te groot om in te lezen: de kop meldt 120 respondenten, meer dan de grens van 50"),
    (".parquet", r"te groot om in te lezen: het bestand meldt 120 rijen x 19 kolommen"),
    (".xlsx", "te groot om in te lezen: meer dan 50 respondenten"),
])
def test_row_limit_per_format(tmp_path, monitor, valid, suffix, expected):
    path = tmp_path / f"t{suffix}"
    frame = _file_shape(valid)
    if suffix == ".csv":
        frame.write_csv(path, separator=";")
    elif suffix == ".sav":
        export_sav(valid, monitor.editions[2024].questionnaires["ambtsdragers"], path)
    elif suffix == ".parquet":
        frame.write_parquet(path)
    else:
        frame.write_excel(path)
    with pytest.raises(IntakeError, match=rf"t{suffix}: {expected}"):
        read_responses(path, monitor, 2024, "ambtsdragers", limits=Limits(rows=50))


def test_an_xlsx_sheet_that_unpacks_beyond_the_limit_is_refused_before_unpacking(tmp_path, monitor):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("xl/workbook.xml", '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>')
        book.writestr("xl/worksheets/sheet1.xml", "<worksheet><sheetData>" + " " * 5_000_000 + "</sheetData></worksheet>")
    path = tmp_path / "bom.xlsx"
    path.write_bytes(buffer.getvalue())
    assert path.stat().st_size < 50_000
    with pytest.raises(IntakeError, match=r"bom.xlsx: het werkblad is uitgepakt 5 MiB, meer dan de grens van 1 MiB"):
        read_responses(path, monitor, 2024, "ambtsdragers", limits=Limits(bytes=1024**2))


def test_a_far_cell_without_a_dimension_is_refused_by_the_column_limit(tmp_path, monitor):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as book:
        book.writestr("xl/worksheets/sheet1.xml", '<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>respondent_id</t></is></c>'
                      '<c r="XFD1"><v>1</v></c></row></sheetData></worksheet>')
    path = tmp_path / "ver.xlsx"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(IntakeError, match=r"ver.xlsx: cel XFD1 ligt voorbij de grens van 5000 kolommen"):
        read_responses(path, monitor, 2024, "ambtsdragers")


@pytest.mark.parametrize("suffix, expected", [
    (".csv", r"te groot om in te lezen: meer dan 500 cellen \(regel 28, 19 kolommen\)"),
    (".sav", "te groot om in te lezen: de kop meldt 120 respondenten x 23 variabelen, meer dan de grens van 500 cellen"),
    (".xlsx", r"het werkblad meldt bereik A1:S121 \(121 rijen x 19 kolommen\), meer dan de grenzen"),
])
def test_cell_limit_while_reading(tmp_path, monitor, valid, suffix, expected):
    path = tmp_path / f"t{suffix}"
    if suffix == ".sav":
        export_sav(valid, monitor.editions[2024].questionnaires["ambtsdragers"], path)
    elif suffix == ".csv":
        _file_shape(valid).write_csv(path, separator=";")
    else:
        _file_shape(valid).write_excel(path)
    with pytest.raises(IntakeError, match=rf"t{suffix}: {expected}"):
        read_responses(path, monitor, 2024, "ambtsdragers", limits=Limits(cells=500, sheet_cells=10_000))


def test_a_large_sheet_is_refused_with_advice(tmp_path, monitor, valid):
    path = tmp_path / "groot.xlsx"
    _file_shape(valid).write_excel(path)
    with pytest.raises(IntakeError, match="groot.xlsx: meer dan 100 gevulde cellen in het werkblad; lever zo'n groot bestand als CSV, .sav of Parquet"):
        read_responses(path, monitor, 2024, "ambtsdragers", limits=Limits(sheet_cells=100))

"""Damaged survey files for the property tests (tests/intake/test_mutations.py, short budget)
and benchmarks/intake_mutations.py (long budget): one pristine file per format, made by real
writers, then truncated, bit-flipped, given a corrupt header or declared size, or filled with
Rich markup; and an independent reference reader's row count to hold an accepted import to."""

from __future__ import annotations

import concurrent.futures
import io
import multiprocessing
import re
import struct
import zipfile
from pathlib import Path

import openpyxl
import polars as pl
import pyarrow.parquet as pq
from hypothesis import strategies as st

from miv.definition import Monitor
from miv.intake import export_sav

FORMATS = (".sav", ".zsav", ".csv", ".xlsx", ".parquet")
MARKUP = ("[/b]", "[bold]", "[link=file:///etc/passwd]x[/link]", "[/]", "\\[x]", "[red")


def pristine(monitor: Monitor, valid: pl.DataFrame, suffix: str, folder: Path, markup: str | None = None) -> bytes:
    """An undamaged file of 20 respondents; `markup` goes into a free-text answer and a code cell."""
    table = valid.head(20)
    if markup is not None:
        table = table.with_columns(pl.when(pl.int_range(pl.len()) == 3).then(pl.lit(markup)).otherwise(pl.col("TOELICHTING")).alias("TOELICHTING"))
    frame = table.drop("edition", "questionnaire", "layer", "role")
    if markup is not None and suffix in (".csv", ".xlsx"):
        frame = frame.with_columns(pl.col("AG_VERBAAL").cast(pl.Utf8))
        frame = frame.with_columns(pl.when(pl.int_range(pl.len()) == 5).then(pl.lit(markup)).otherwise(pl.col("AG_VERBAAL")).alias("AG_VERBAAL"))
    path = folder / f"pristine{suffix}"
    if suffix in (".sav", ".zsav"):
        export_sav(table, monitor.editions[2024].questionnaires["ambtsdragers"], path)
    elif suffix == ".csv":
        path.write_text(frame.write_csv(separator=";"), encoding="utf-8")
    elif suffix == ".parquet":
        frame.write_parquet(path)
    else:
        book = openpyxl.Workbook()
        book.active.append(frame.columns)
        for row in frame.iter_rows():
            book.active.append(list(row))
        book.save(path)
    return path.read_bytes()


@st.composite
def damage(draw, content: bytes, suffix: str) -> bytes:  # noqa: ANN001 - hypothesis' draw
    """One or more of: a declared size or header made wrong, bytes flipped, the file cut short."""
    data = bytearray(content)
    if draw(st.booleans(), label="header"):
        data = bytearray(_header(draw, bytes(data), suffix))
    for _ in range(draw(st.integers(0, 6), label="flips")):
        if data:
            data[draw(st.integers(0, len(data) - 1), label="position")] = draw(st.integers(0, 255), label="byte")
    if draw(st.booleans(), label="truncate"):
        data = data[: draw(st.integers(0, len(data)), label="length")]
    return bytes(data)


def _header(draw, data: bytes, suffix: str) -> bytes:  # noqa: ANN001
    if suffix in (".sav", ".zsav"):
        count = draw(st.sampled_from([0, 1, 19, 21, 2**31 - 1, -1, -2]), label="cases")
        return data[:80] + struct.pack("<i", count) + data[84:]
    if suffix == ".xlsx":
        ref = draw(st.sampled_from(["A1:CW10", "A1:S2", "A1:XFD1048576", "A1", "", "ZZZZ9:A1"]), label="dimension")
        return _rewrite_sheet(data, lambda xml: re.sub(rb'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{ref}"/>'.encode(), xml))
    if suffix == ".csv":
        header, _, rest = data.partition(b"\n")
        names = header.split(b";")
        choice = draw(st.sampled_from(["drop", "duplicate", "empty", "trailing", "wide"]), label="csv header")
        if choice == "drop":
            names = names[:-1]
        elif choice == "duplicate":
            names[-1] = names[1]
        elif choice == "empty":
            names[2] = b""
        elif choice == "trailing":
            names += [b"", b""]
        else:
            names += [b"V%d" % i for i in range(6000)]
        return b";".join(names) + b"\n" + rest
    footer = len(data) - 8 - draw(st.integers(0, 64), label="footer offset")  # the Parquet footer: metadata length and PAR1
    return data[:footer] + bytes([draw(st.integers(0, 255), label="footer byte")]) + data[footer + 1:] if 0 <= footer < len(data) else data


def _rewrite_sheet(data: bytes, change) -> bytes:  # noqa: ANN001 - bytes -> bytes
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as source:
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
                for item in source.infolist():
                    content = source.read(item.filename)
                    target.writestr(item, change(content) if item.filename == "xl/worksheets/sheet1.xml" else content)
        return out.getvalue()
    except zipfile.BadZipFile:
        return data


def _sav_rows(path: str) -> int:
    import pyreadstat

    return pyreadstat.read_sav(path, metadataonly=False)[0].shape[0]


def reference_rows(path: Path) -> int | None:
    """Rows an independent reader finds (None when it cannot read the file): pyreadstat in a
    process of its own (ReadStat may crash), polars for CSV, openpyxl (not read-only, so it
    ignores <dimension>) for xlsx, pyarrow for Parquet."""
    suffix = path.suffix
    try:
        if suffix in (".sav", ".zsav"):
            with concurrent.futures.ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
                return pool.submit(_sav_rows, str(path)).result(timeout=60)
        if suffix == ".csv":
            return pl.read_csv(path, separator=";", infer_schema=False, truncate_ragged_lines=True).height
        if suffix == ".xlsx":
            book = openpyxl.load_workbook(path, data_only=True)
            rows = sum(1 for row in book.worksheets[0].iter_rows(values_only=True) if any(v is not None for v in row))
            return rows - 1
        return pq.read_table(path).num_rows
    except (Exception, pl.exceptions.PanicException):  # noqa: BLE001 - any failure means "no reference"
        return None

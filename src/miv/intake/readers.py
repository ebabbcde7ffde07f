"""Survey files in, as they are: one raw polars frame per file plus the labels it carries.

Nothing is typed or checked here beyond what the format itself needs; `conversion.py`
turns the raw frame into the respondent table and reports every cell it cannot convert.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
import polars as pl
import pyreadstat

from miv.intake.errors import IntakeError

SUFFIXES = (".sav", ".zsav", ".csv", ".xlsx", ".parquet")
_DELIMITERS = ";,\t|"


@dataclass(frozen=True)
class RawFile:
    """A file's columns as read, where its first data row sits, and its value labels."""

    path: Path
    frame: pl.DataFrame
    first_row: int = 1
    value_labels: dict[str, dict[Any, str]] = field(default_factory=dict)


def read_file(path: Path) -> RawFile:
    """Read any supported survey file; raise IntakeError (Dutch, naming the file) if it cannot be read."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise IntakeError(f"{path}: onbekend bestandstype {suffix or '(geen extensie)'!r}; verwacht een van {', '.join(SUFFIXES)}")
    if not path.is_file():
        raise IntakeError(f"{path}: bestand bestaat niet")
    if path.stat().st_size == 0:
        raise IntakeError(f"{path}: bestand is leeg")
    reader = {".sav": _sav, ".zsav": _sav, ".csv": _csv, ".xlsx": _xlsx, ".parquet": _parquet}[suffix]
    raw = reader(path)
    _check_columns(raw)
    return raw


def _sav(path: Path) -> RawFile:
    try:
        # pandas output is pyreadstat's native path: twice as fast as its polars output (docs/intake.md)
        frame, meta = pyreadstat.read_sav(str(path), user_missing=True, output_format="pandas", disable_datetime_conversion=True)
    except (pyreadstat.ReadstatError, pyreadstat.PyreadstatError, UnicodeDecodeError, ValueError, OSError) as exc:
        raise IntakeError(f"{path}: geen leesbaar SPSS-bestand (.sav/.zsav); is het afgebroken of beschadigd? ({exc})") from None
    return RawFile(path, pl.from_pandas(frame), 1, dict(meta.variable_value_labels))


def _csv(path: Path) -> RawFile:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise IntakeError(f"{path}: tekencodering niet herkend (geen UTF-8 en geen Windows-1252, byte {exc.start})") from None
    header = text.split("\n", 1)[0]
    try:
        separator = csv.Sniffer().sniff(header, delimiters=_DELIMITERS).delimiter
    except csv.Error:
        separator = max(_DELIMITERS, key=header.count)
    try:
        frame = pl.read_csv(io.StringIO(text), separator=separator, infer_schema=False)
    except (pl.exceptions.PolarsError, ValueError) as exc:
        raise IntakeError(f"{path}: geen leesbaar CSV-bestand met scheidingsteken {separator!r}: {str(exc).splitlines()[0]}") from None
    return RawFile(path, frame, 2)


def _xlsx(path: Path) -> RawFile:
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise IntakeError(f"{path}: geen leesbaar Excel-bestand (.xlsx); is het afgebroken of beschadigd? ({exc})") from None
    try:
        rows = [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
    finally:
        book.close()
    start = _header_row(rows)
    if start is None:
        raise IntakeError(f"{path}: geen kopregel met kolomnamen gevonden op het eerste werkblad")
    header = [str(c).strip() if c is not None else "" for c in rows[start]]
    width = max((i + 1 for i, name in enumerate(header) if name), default=0)
    if "" in header[:width]:
        raise IntakeError(f"{path}: kolom {header[:width].index('') + 1} in kopregel {start + 1} heeft geen naam")
    body = [row + [None] * (width - len(row)) for row in rows[start + 1 :] if any(c is not None for c in row)]
    columns = {name: [_cell(row[i]) for row in body] for i, name in enumerate(header[:width])}
    if len(columns) < width:
        raise IntakeError(f"{path}: een kolomnaam komt meer dan eens voor in kopregel {start + 1}")
    frame = pl.DataFrame(columns, schema={name: pl.Utf8 for name in columns})
    return RawFile(path, frame, start + 2)


def _header_row(rows: list[list[Any]]) -> int | None:
    """The first row that looks like column names: text only, at least half as wide as the table.
    Title rows above it (a report title, a date) are skipped."""
    widest = max((sum(c is not None for c in row) for row in rows), default=0)
    for number, row in enumerate(rows):
        cells = [c for c in row if c is not None]
        if cells and len(cells) * 2 >= widest and all(isinstance(c, str) for c in cells):
            return number
    return None


def _cell(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    return str(value)


def _parquet(path: Path) -> RawFile:
    try:
        frame = pl.read_parquet(path)
    except (pl.exceptions.PolarsError, OSError, ValueError) as exc:
        raise IntakeError(f"{path}: geen leesbaar Parquet-bestand; is het afgebroken of beschadigd? ({str(exc).splitlines()[0]})") from None
    return RawFile(path, frame, 1)


def _check_columns(raw: RawFile) -> None:
    seen: dict[str, str] = {}
    for name in raw.frame.columns:
        if name.lower() in seen:
            raise IntakeError(f"{raw.path}: kolommen {seen[name.lower()]!r} en {name!r} hebben dezelfde naam (hoofdletters tellen niet)")
        seen[name.lower()] = name
    if raw.frame.height == 0:
        raise IntakeError(f"{raw.path}: bevat geen enkele respondent (alleen een kopregel)")

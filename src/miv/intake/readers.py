"""Survey files in, as they are: one raw polars frame per file plus the labels it carries.

Nothing is typed or checked here beyond what the format itself needs; `conversion.py`
turns the raw frame into the respondent table and reports every cell it cannot convert.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import multiprocessing
import tempfile
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
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
    """ReadStat (C) can crash the process on some damaged files, so a child process reads
    the file into an Arrow IPC file; a crash there becomes a clear message here."""
    unreadable = f"{path}: geen leesbaar SPSS-bestand (.sav/.zsav); is het afgebroken of beschadigd?"
    with tempfile.TemporaryDirectory(prefix="miv-sav-") as folder:
        out = Path(folder) / "frame.arrow"
        with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
            try:
                problem, labels = pool.submit(_sav_to_ipc, str(path), str(out)).result()
            except BrokenProcessPool:
                raise IntakeError(f"{unreadable} (het inlezen brak af)") from None
        if problem is not None:
            raise IntakeError(f"{unreadable} ({problem})")
        frame = pl.read_ipc(out)
    return RawFile(path, frame, 1, labels)


def _sav_to_ipc(path: str, out: str) -> tuple[str | None, dict[str, dict[Any, str]]]:
    """In the child: read with pyreadstat's pandas output (its native path, twice as fast as its
    polars output; docs/intake.md) and write Arrow IPC for the parent."""
    try:
        frame, meta = pyreadstat.read_sav(path, user_missing=True, output_format="pandas", disable_datetime_conversion=True)
    except (pyreadstat.ReadstatError, pyreadstat.PyreadstatError, UnicodeDecodeError, ValueError, OSError) as exc:
        return str(exc), {}
    pl.from_pandas(frame).write_ipc(out, compression="uncompressed")
    return None, dict(meta.variable_value_labels)


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
        with path.open("rb") as handle:
            book = openpyxl.load_workbook(handle, read_only=True, data_only=True)
            try:
                rows = [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
            finally:
                book.close()
    except Exception as exc:  # noqa: BLE001 - openpyxl raises whatever its zip and XML parsers meet in a damaged file
        raise IntakeError(f"{path}: geen leesbaar Excel-bestand (.xlsx); is het afgebroken of beschadigd? ({type(exc).__name__}: {exc})") from None
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
    """Read through pyarrow: on damaged files it raises errors where polars' reader panics."""
    try:
        table = pq.read_table(path).replace_schema_metadata(None)  # damaged metadata makes polars panic
        table.validate(full=True)  # e.g. invalid UTF-8 in a column, which polars would not survive
        frame = pl.from_arrow(table)
    except (pa.ArrowException, pl.exceptions.PolarsError, OSError, ValueError) as exc:
        raise IntakeError(f"{path}: geen leesbaar Parquet-bestand; is het afgebroken of beschadigd? ({str(exc).splitlines()[0]})") from None
    assert isinstance(frame, pl.DataFrame)
    return RawFile(path, frame, 1)


def _check_columns(raw: RawFile) -> None:
    seen: dict[str, str] = {}
    for name in raw.frame.columns:
        if name.lower() in seen:
            raise IntakeError(f"{raw.path}: kolommen {seen[name.lower()]!r} en {name!r} hebben dezelfde naam (hoofdletters tellen niet)")
        seen[name.lower()] = name
    if raw.frame.height == 0:
        raise IntakeError(f"{raw.path}: bevat geen enkele respondent (alleen een kopregel)")

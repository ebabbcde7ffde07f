"""Survey files in, as they are: one raw polars frame per file, the file's own number of each
row, the labels it carries and what reading found (counts that disagree, unusable columns).

Every reader counts its records against each independent count the format offers (the
.sav header, an xlsx sheet's `<dimension>`, a CSV's line structure) and checks the sizes
against `Limits` before allocating. Nothing is typed here; `conversion.py` does that.
"""

from __future__ import annotations

import csv
import io
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from miv.intake.columns import letter, name_columns, numbered
from miv.intake.errors import IntakeError
from miv.intake.limits import DEFAULT_LIMITS, Limits
from miv.intake.report import ERROR
from miv.intake.savreader import SavReader, shared
from miv.intake.xlsxsheet import TITLE_ROWS, Sheet, column_letter

SUFFIXES = (".sav", ".zsav", ".csv", ".xlsx", ".parquet")
_DELIMITERS = ";,\t|"
_CHUNK = 20_000


@dataclass(frozen=True)
class RawFile:
    """A file's columns as read, the file's row number of each record (CSV line, Excel row,
    case number), its value labels and the findings made while reading."""

    path: Path
    frame: pl.DataFrame
    rows: pl.Series
    value_labels: dict[str, dict[Any, str]] = field(default_factory=dict)
    findings: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def numbered(cls, path: Path, frame: pl.DataFrame, **kwargs: Any) -> RawFile:
        """Rows numbered 1, 2, ... (case numbers in .sav and Parquet)."""
        return cls(path, frame, pl.Series("row", range(1, frame.height + 1), dtype=pl.Int64), **kwargs)


def read_file(path: Path, limits: Limits = DEFAULT_LIMITS, sav: SavReader | None = None) -> RawFile:
    """Read any supported survey file; raise IntakeError (Dutch, naming the file) if it cannot be read.
    .sav/.zsav files go through `sav` (default: the process's shared reader child)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise IntakeError(f"{path}: onbekend bestandstype {suffix or '(geen extensie)'!r}; verwacht een van {', '.join(SUFFIXES)}")
    if not path.is_file():
        raise IntakeError(f"{path}: bestand bestaat niet")
    if path.stat().st_size == 0:
        raise IntakeError(f"{path}: bestand is leeg")
    try:
        if suffix in (".sav", ".zsav"):
            raw = _sav(path, limits, sav or shared())
        else:
            raw = {".csv": _csv, ".xlsx": _xlsx, ".parquet": _parquet}[suffix](path, limits)
    except IntakeError as exc:
        text = str(exc)
        raise IntakeError(text if text.startswith(str(path)) else f"{path}: {text}", file=path) from None
    if raw.frame.height == 0:
        raise IntakeError(f"{path}: bevat geen enkele respondent (alleen een kopregel)")
    if raw.frame.width > limits.columns or raw.frame.height * raw.frame.width > limits.cells:
        raise IntakeError(f"{path}: te groot om in te lezen: {raw.frame.height} rijen x {raw.frame.width} kolommen (grenzen: docs/intake.md)")
    return raw


def _count(what: str, declared: int, found: int) -> dict[str, Any]:
    return {"rule": "rijtelling", "severity": ERROR,
            "message": f"{what} {declared} respondenten, maar de gegevens bevatten er {found}; alle {found} zijn ingelezen en gecontroleerd"}


def _sav(path: Path, limits: Limits, reader: SavReader) -> RawFile:
    sav = reader.read(path, limits)
    found = [] if sav.declared_rows in (None, sav.frame.height) else [_count("de kop van het SPSS-bestand meldt", sav.declared_rows, sav.frame.height)]
    frame, columns = name_columns(sav.frame, sav.frame.columns, pl.Series(range(1, sav.frame.height + 1)), "het bestand")
    return RawFile.numbered(path, frame, value_labels=sav.value_labels, findings=found + columns)


def _csv(path: Path, limits: Limits) -> RawFile:
    size = path.stat().st_size
    if size > limits.bytes:
        raise IntakeError(f"te groot om in te lezen: {size / 1024**2:.0f} MiB, meer dan de grens van {limits.bytes / 1024**2:.0f} MiB")
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise IntakeError(f"tekencodering niet herkend (geen UTF-8 en geen Windows-1252, byte {exc.start})") from None
    del data
    end = text.find("\n")
    first = text if end < 0 else text[:end]  # not split(): that would copy the whole file
    try:
        separator = csv.Sniffer().sniff(first, delimiters=_DELIMITERS).delimiter
    except csv.Error:
        separator = max(_DELIMITERS, key=first.count)
    records = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True)
    try:
        header, header_line, parts, lines, short = _csv_records(records, limits)
    except csv.Error as exc:
        why = "het bestand eindigt binnen een veld tussen aanhalingstekens (afgebroken?)" if "unexpected end of data" in str(exc) else str(exc)
        raise IntakeError(f"geen leesbaar CSV-bestand met scheidingsteken {separator!r}: regel {records.line_num}: {why}") from None
    if header is None:
        raise IntakeError("geen kopregel gevonden")
    frame = pl.concat(parts, how="diagonal") if parts else pl.DataFrame()
    frame = frame.select(sorted(frame.columns, key=int)) if frame.width else frame
    frame = frame.with_columns(pl.when(pl.all() == "").then(None).otherwise(pl.all()).name.keep()) if frame.width else frame
    rows = pl.Series("row", lines, dtype=pl.Int64)
    width = len(header)
    found: list[dict[str, Any]] = []
    cut = not text.endswith(("\n", "\r"))
    for line, n in short:
        last = cut and line == lines[-1]
        found.append({"row": line, "rule": "onvolledige-rij", "severity": ERROR,
                      "message": f"regel {line} heeft {n} van de {width} velden"
                                 + ("; het bestand eindigt midden in deze regel (afgebroken?)" if last else "; de ontbrekende velden zijn leeg gelaten")})
    frame, columns = name_columns(frame, header, rows, f"regel {header_line}", numbered)
    return RawFile(path, frame, rows, findings=found + columns)


def _csv_records(records, limits: Limits):  # noqa: ANN001, ANN202 - a csv.reader; the pieces _csv assembles
    """Stream the records into frames of _CHUNK rows: (header, its line, frames, line of each
    record, [(line, fields)] of records shorter than the header)."""
    header, header_line, previous = None, 0, 0
    parts, lines, short, chunk = [], [], [], []
    widest = 0
    for record in records:
        start, previous = previous + 1, records.line_num
        if not record or (len(record) == 1 and record[0] == ""):
            continue  # a blank line is no record
        if header is None:
            if len(record) > limits.columns:
                raise IntakeError(f"te groot om in te lezen: {len(record)} kolommen in de kopregel, meer dan de grens van {limits.columns}")
            header, header_line = record, start
            continue
        if len(record) < len(header):
            short.append((start, len(record)))
        widest = max(widest, len(record))
        if widest > limits.columns:
            raise IntakeError(f"te groot om in te lezen: regel {start} heeft {len(record)} velden, meer dan de grens van {limits.columns}")
        lines.append(start)
        if len(lines) > limits.rows:
            raise IntakeError(f"te groot om in te lezen: meer dan {limits.rows} respondenten")
        if len(lines) * max(widest, len(header)) > limits.cells:
            raise IntakeError(f"te groot om in te lezen: meer dan {limits.cells} cellen (regel {start}, {max(widest, len(header))} kolommen)")
        chunk.append(record)
        if len(chunk) == _CHUNK:
            parts.append(_frame(chunk, len(header)))
            chunk = []
    if chunk:
        parts.append(_frame(chunk, len(header)))
    return header, header_line, parts, lines, short


def _frame(records: list[list[str]], width: int) -> pl.DataFrame:
    """Records (ragged) as text columns named by position."""
    n = max(width, max(len(r) for r in records))
    padded = [r + [None] * (n - len(r)) if len(r) < n else r for r in records]
    return pl.DataFrame({str(i): column for i, column in enumerate(zip(*padded))}, schema={str(i): pl.Utf8 for i in range(n)})


def _xlsx(path: Path, limits: Limits) -> RawFile:
    try:
        with zipfile.ZipFile(path) as book:
            sheet = Sheet(book, limits)
            rows = _sheet_rows(sheet)
    except IntakeError:
        raise
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError, KeyError, EOFError, RuntimeError, NotImplementedError, SyntaxError) as exc:
        raise IntakeError(f"geen leesbaar Excel-bestand (.xlsx); is het afgebroken of beschadigd? ({type(exc).__name__}: {exc})") from None
    numbers, header_row, header, parts, last_row, last_column = rows
    frame = pl.concat(parts, how="diagonal") if parts else pl.DataFrame()
    frame = frame.with_columns(pl.lit(None, pl.Utf8).alias(str(i)) for i in range(len(header)) if str(i) not in frame.columns)
    frame = frame.select(sorted(frame.columns, key=int))
    found: list[dict[str, Any]] = []
    extent = sheet.extent
    if extent is not None and (last_row > extent.last_row or last_column > extent.last_column):
        found.append({"rule": "rijtelling", "severity": ERROR,
                      "message": f"het werkblad meldt bereik {extent.ref} (tot rij {extent.last_row}, kolom {column_letter(extent.last_column)}), "
                                 f"maar bevat gegevens tot rij {last_row}, kolom {column_letter(last_column)}: {len(numbers)} rijen onder de kopregel; "
                                 "alle zijn ingelezen en gecontroleerd (sla het bestand opnieuw op in Excel om het bereik te herstellen)"})
    row_numbers = pl.Series("row", numbers, dtype=pl.Int64)
    frame, columns = name_columns(frame, header, row_numbers, f"rij {header_row}", letter)
    return RawFile(path, frame, row_numbers, findings=found + columns)


def _sheet_rows(sheet: Sheet):  # noqa: ANN202 - the pieces _xlsx assembles
    """Find the header among the first rows, then stream the rest into frames of _CHUNK rows."""
    head: list[tuple[int, dict[int, str]]] = []
    numbers: list[int] = []
    parts: list[pl.DataFrame] = []
    chunk: list[dict[int, str]] = []
    header_row, header = None, None
    last_row = last_column = 0
    for number, cells in sheet.rows():
        last_row, last_column = number, max(last_column, max(cells))
        if header is None:
            head.append((number, cells))
            if len(head) < TITLE_ROWS:
                continue
            header_row, header, rest = _header(head)
            for n, c in rest:
                numbers.append(n)
                chunk.append(c)
            continue
        numbers.append(number)
        chunk.append(cells)
        if len(numbers) > sheet.limits.rows:
            raise IntakeError(f"te groot om in te lezen: meer dan {sheet.limits.rows} respondenten")
        if len(numbers) * last_column > sheet.limits.cells:
            raise IntakeError(f"te groot om in te lezen: meer dan {sheet.limits.cells} cellen (rij {number}, {last_column} kolommen)")
        if len(chunk) == _CHUNK:
            parts.append(_cells_frame(chunk))
            chunk = []
    if header is None:
        header_row, header, rest = _header(head)
        for n, c in rest:
            numbers.append(n)
            chunk.append(c)
    if len(numbers) > sheet.limits.rows:
        raise IntakeError(f"te groot om in te lezen: meer dan {sheet.limits.rows} respondenten")
    if chunk:
        parts.append(_cells_frame(chunk))
    return numbers, header_row, header, parts, last_row, last_column


def _header(head: list[tuple[int, dict[int, str]]]) -> tuple[int, list[str], list[tuple[int, dict[int, str]]]]:
    """The first row that looks like column names: text only, at least half as wide as the widest
    of the first rows. Title rows above it (a report title, a date) are skipped."""
    widest = max((len(cells) for _, cells in head), default=0)
    for i, (number, cells) in enumerate(head):
        if len(cells) * 2 >= widest and all(not _numeric(v) for v in cells.values()):
            names = [cells.get(c, "") for c in range(1, max(cells) + 1)]
            return number, names, head[i + 1:]
    raise IntakeError("geen kopregel met kolomnamen gevonden op het eerste werkblad")


def _numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _cells_frame(rows: list[dict[int, str]]) -> pl.DataFrame:
    width = max(max(cells) for cells in rows)
    return pl.DataFrame({str(c - 1): [cells.get(c) for cells in rows] for c in range(1, width + 1)}, schema={str(c - 1): pl.Utf8 for c in range(1, width + 1)})


def _parquet(path: Path, limits: Limits) -> RawFile:
    """Read through pyarrow: on damaged files it raises errors where polars' reader panics.
    Imported here, a fifth of a CPU second, by the processes that read a Parquet file only."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        meta = pq.read_metadata(path)
        if meta.num_columns > limits.columns or meta.num_rows > limits.rows or meta.num_rows * meta.num_columns > limits.cells:
            raise IntakeError(f"te groot om in te lezen: het bestand meldt {meta.num_rows} rijen x {meta.num_columns} kolommen (grenzen: docs/intake.md)")
        table = pq.read_table(path).replace_schema_metadata(None)  # damaged metadata makes polars panic
        table.validate(full=True)  # e.g. invalid UTF-8 in a column, which polars would not survive
        if table.num_rows != meta.num_rows:
            raise IntakeError(f"de metadata meldt {meta.num_rows} rijen, maar er zijn er {table.num_rows} gelezen; is het bestand beschadigd?")
        names = table.column_names
        frame = pl.from_arrow(table.rename_columns([str(i) for i in range(len(names))]))
    except (pa.ArrowException, pl.exceptions.PolarsError, OSError, ValueError) as exc:
        raise IntakeError(f"geen leesbaar Parquet-bestand; is het afgebroken of beschadigd? ({str(exc).splitlines()[0] if str(exc) else type(exc).__name__})") from None
    assert isinstance(frame, pl.DataFrame)
    rows = pl.Series("row", range(1, frame.height + 1), dtype=pl.Int64)
    frame, columns = name_columns(frame, names, rows, "het bestand")
    return RawFile(path, frame, rows, findings=columns)

"""The first worksheet of an .xlsx, streamed from its XML cell by cell.

openpyxl's read-only mode trusts the sheet's stored `<dimension>`: a stale one (A1:CW10 on a
sheet of 301 rows) loses rows, a huge one (A1:XFD1048576) allocates gigabytes. Here every
`<row>` and `<c>` is read as it stands, sparse, with Excel's own row numbers; the dimension
is only compared with what was found, and the sizes are checked against the limits before
and while reading.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from xml.etree.ElementTree import XMLPullParser
from xml.parsers import expat

from miv.intake.errors import IntakeError
from miv.intake.limits import Limits

_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")
_CHUNK = 1 << 16
TITLE_ROWS = 100  # rows searched for the header; title rows above it do not count as respondents


class SheetTooLarge(IntakeError):
    """The sheet's declared or actual size is over the limits."""


@dataclass(frozen=True)
class Extent:
    """The sheet's stored `<dimension>`: last row and last column (1-based), if it has one."""

    ref: str
    last_row: int
    last_column: int


def column_letter(index: int) -> str:
    """1 -> A, 27 -> AA."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column_index(letters: str) -> int:
    index = 0
    for ch in letters.upper():
        index = index * 26 + ord(ch) - 64
    return index


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


class Sheet:
    """Open the workbook; iterate `rows()` for (Excel row number, {column index: text})."""

    def __init__(self, book: zipfile.ZipFile, limits: Limits) -> None:
        self.book, self.limits = book, limits
        self.name = self._first_sheet()
        info = book.getinfo(self.name)
        if info.file_size > limits.bytes:
            raise SheetTooLarge(f"het werkblad is uitgepakt {info.file_size / 1024**2:.0f} MiB, meer dan de grens van {limits.bytes / 1024**2:.0f} MiB")
        self.strings = self._shared_strings()
        self.dates = self._date_styles()
        self.extent: Extent | None = None

    def _xml(self, name: str) -> Iterator[tuple[str, object]]:
        """(event, element) from a part of the workbook, counting the bytes against the limit."""
        parser = XMLPullParser(events=("start", "end"))
        read = 0
        with self.book.open(name) as handle:
            while chunk := handle.read(_CHUNK):
                read += len(chunk)
                if read > self.limits.bytes:
                    raise SheetTooLarge(f"{name} is uitgepakt groter dan de grens van {self.limits.bytes / 1024**2:.0f} MiB")
                parser.feed(chunk)
                yield from parser.read_events()
        parser.close()
        yield from parser.read_events()

    def _part(self, name: str) -> list:
        """A small part (workbook, relations, styles) as its elements, or [] when absent."""
        if name not in self.book.namelist():
            return []
        return [element for event, element in self._xml(name) if event == "end"]

    def _first_sheet(self) -> str:
        sheets = [e for e in self._part("xl/workbook.xml") if _local(e.tag) == "sheet"]
        targets = {e.get("Id"): e.get("Target", "") for e in self._part("xl/_rels/workbook.xml.rels") if _local(e.tag) == "Relationship"}
        for sheet in sheets:
            rid = next((v for k, v in sheet.attrib.items() if _local(k) == "id"), None)
            target = targets.get(rid)
            if target:
                name = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
                if name in self.book.namelist():
                    return name
        if "xl/worksheets/sheet1.xml" in self.book.namelist():
            return "xl/worksheets/sheet1.xml"
        raise IntakeError("geen werkblad gevonden in de werkmap")

    def _shared_strings(self) -> list[str]:
        strings: list[str] = []
        if "xl/sharedStrings.xml" not in self.book.namelist():
            return strings
        parts: list[str] = []
        phonetic = False  # <rPh> holds reading hints, not cell text
        for event, element in self._xml("xl/sharedStrings.xml"):
            tag = _local(element.tag)
            if tag == "rPh":
                phonetic = event == "start"
            elif event == "end" and tag == "t" and not phonetic:
                parts.append(element.text or "")
            elif event == "end" and tag == "si":
                strings.append("".join(parts))
                parts = []
                element.clear()
        return strings

    def _date_styles(self) -> set[int]:
        """Indices of cell styles whose number format is a date or time."""
        from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format  # openpyxl only when an .xlsx is read

        custom: dict[int, str] = {}
        styles: list[int] = []
        inside = False
        for event, element in self._xml("xl/styles.xml") if "xl/styles.xml" in self.book.namelist() else ():
            tag = _local(element.tag)
            if tag == "cellXfs":
                inside = event == "start"
            elif event == "end" and tag == "numFmt":
                custom[int(element.get("numFmtId", "0"))] = element.get("formatCode", "")
            elif event == "end" and tag == "xf" and inside:
                styles.append(int(element.get("numFmtId", "0")))
        formats = {**BUILTIN_FORMATS, **custom}
        return {i for i, fmt in enumerate(styles) if is_date_format(formats.get(fmt, "General"))}

    def rows(self) -> Iterator[tuple[int, dict[int, str]]]:
        """(Excel row number, {column: text}) for every row with a value. Parsed with expat's
        callbacks rather than ElementTree: no element objects, a few times faster."""
        cells = _Cells(self)
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.buffer_text = True
        parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = cells.start, cells.end, cells.text
        read = 0
        with self.book.open(self.name) as handle:
            while chunk := handle.read(_CHUNK):
                read += len(chunk)
                if read > self.limits.bytes:
                    raise SheetTooLarge(f"het werkblad is uitgepakt groter dan de grens van {self.limits.bytes / 1024**2:.0f} MiB")
                parser.Parse(chunk, False)
                yield from cells.done
                cells.done.clear()
            parser.Parse(b"", True)
        yield from cells.done

    def _extent(self, ref: str) -> Extent | None:
        end = ref.split(":")[-1]
        match = _REF.match(end)
        if not match:
            return None
        extent = Extent(ref, int(match.group(2)), _column_index(match.group(1)))
        if extent.last_column > self.limits.columns or extent.last_row > self.limits.rows + TITLE_ROWS \
                or extent.last_row * extent.last_column > self.limits.cells:
            raise SheetTooLarge(f"het werkblad meldt bereik {ref} ({extent.last_row} rijen x {extent.last_column} kolommen), "
                                f"meer dan de grenzen ({self.limits.rows} rijen, {self.limits.columns} kolommen, {self.limits.cells} cellen)")
        return extent

    def value(self, kind: str, style: int, text: str) -> str:
        if kind == "s":
            try:
                return self.strings[int(text)]
            except (ValueError, IndexError):
                raise IntakeError(f"een cel verwijst naar gedeelde tekst {text!r}, die niet bestaat") from None
        if kind == "b":
            return "True" if text.strip() == "1" else "False"
        if kind in ("str", "e", "d", "inlineStr"):
            return text
        return _number(text, style in self.dates)


_MAIN = ("http://schemas.openxmlformats.org/spreadsheetml/2006/main", "http://purl.oclc.org/ooxml/spreadsheetml/main")
_TAGS = {f"{ns} {tag}": tag for ns in _MAIN for tag in ("row", "c", "v", "t", "is", "rPh", "dimension")}
_TAGS.update({tag: tag for tag in ("row", "c", "v", "t", "is", "rPh", "dimension")})  # no namespace at all


class _Cells:
    """expat callbacks collecting the cells of each row into `done`."""

    def __init__(self, sheet: Sheet) -> None:
        self.sheet, self.limits = sheet, sheet.limits
        self.done: list[tuple[int, dict[int, str]]] = []
        self.row_number = self.column = self.filled = 0
        self.current: dict[int, str] = {}
        self.kind, self.style, self.parts, self.collect, self.phonetic = "n", 0, [], False, False
        self.has_value = False
        self.letters: dict[str, int] = {}  # "AB" -> 28, cached: a sheet has few distinct columns

    def start(self, name: str, attrs: dict[str, str]) -> None:
        tag = _TAGS.get(name)
        if tag == "c":
            ref = attrs.get("r")
            letters = ref.rstrip("0123456789").lstrip("$").rstrip("$") if ref else ""
            column = self.letters.get(letters)
            if column is None:
                column = _column_index(letters) if letters.isalpha() and letters.isascii() and len(letters) <= 3 else 0
                self.letters[letters] = column
            self.column = column or self.column + 1
            if self.column > self.limits.columns:
                raise SheetTooLarge(f"cel {ref or column_letter(self.column)} ligt voorbij de grens van {self.limits.columns} kolommen")
            self.kind, self.style, self.parts, self.has_value = attrs.get("t", "n"), int(attrs.get("s") or 0), [], False
        elif tag == "v" or (tag == "t" and not self.phonetic and self.kind == "inlineStr"):
            self.collect, self.has_value = True, True
        elif tag == "rPh":
            self.phonetic = True
        elif tag == "row":
            self.row_number = int(attrs.get("r") or self.row_number + 1)
            if self.row_number > self.limits.rows + TITLE_ROWS:
                raise SheetTooLarge(f"rij {self.row_number} ligt voorbij de grens van {self.limits.rows} rijen")
            self.current, self.column = {}, 0
        elif tag == "dimension":
            self.sheet.extent = self.sheet._extent(attrs.get("ref", ""))

    def text(self, data: str) -> None:
        if self.collect:
            self.parts.append(data)

    def end(self, name: str) -> None:
        tag = _TAGS.get(name)
        if tag == "v" or tag == "t":
            self.collect = False
        elif tag == "c":
            if self.has_value:
                self.current[self.column] = self.sheet.value(self.kind, self.style, "".join(self.parts))
                self.filled += 1
                if self.filled > min(self.limits.cells, self.limits.sheet_cells):
                    raise SheetTooLarge(f"meer dan {min(self.limits.cells, self.limits.sheet_cells)} gevulde cellen in het werkblad; "
                                        "lever zo'n groot bestand als CSV, .sav of Parquet")
        elif tag == "rPh":
            self.phonetic = False
        elif tag == "row":
            if self.current:
                self.done.append((self.row_number, self.current))
            self.current = {}


def _number(text: str, date: bool) -> str:
    """A numeric cell as the text a person typed: 3 not 3.0; a date style as an ISO date."""
    if not date and text.isdigit() and text.isascii() and (text == "0" or text[0] != "0"):
        return text
    try:
        number = float(text)
    except ValueError:
        return text
    if date:
        from openpyxl.utils.datetime import from_excel

        try:
            value = from_excel(number)
        except (ValueError, OverflowError):
            return text
        if isinstance(value, dt.datetime) and value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat()
    if number.is_integer() and abs(number) < 2**63:
        return str(int(number))
    return repr(number)

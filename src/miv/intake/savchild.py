"""The .sav reader child, run as a script (never imported as part of miv) so that it starts
with only what reading needs: pyreadstat, pandas (its output) and pyarrow.

Protocol: one JSON request per line on stdin ({"path", "out", "max_rows", "max_columns", "max_cells"}),
one JSON answer per line on stdout. ReadStat (C) may crash this process on a damaged file;
the parent (savreader.py) then reports the file and starts a new child.

The header's case count is read from the file and then hidden from ReadStat (-1, "unknown"),
so ReadStat reads every record the data holds; the parent compares the two counts.
"""

from __future__ import annotations

import io
import json
import struct
import sys

import pandas  # noqa: F401 - pyreadstat's output, imported at its first file otherwise
import pyarrow as pa  # at start, not at the first file: the parent starts the child early so that this overlaps its work
import pyreadstat

_CASES = slice(80, 84)  # int32 case count in the .sav/.zsav file header
_LAYOUT = slice(64, 68)  # int32 layout code (2 or 3), tells the byte order


class _UnknownCount(io.RawIOBase):
    """The file as ReadStat sees it: identical, except the header's case count reads as -1."""

    def __init__(self, path: str, patch: bytes) -> None:
        self._file = open(path, "rb")  # noqa: SIM115 - closed by close()
        self._patch = patch

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._file.seek(offset, whence)

    def tell(self) -> int:
        return self._file.tell()

    def readinto(self, buffer) -> int:  # noqa: ANN001 - a writable buffer
        start = self._file.tell()
        n = self._file.readinto(buffer)
        if n and start < _CASES.stop and start + n > _CASES.start:
            for i in range(max(start, _CASES.start), min(start + n, _CASES.stop)):
                buffer[i - start] = self._patch[i - _CASES.start]
        return n

    def close(self) -> None:
        self._file.close()
        super().close()


def _header(path: str) -> tuple[int | None, str]:
    """The header's case count (None when absent or -1) and the struct byte order."""
    with open(path, "rb") as handle:
        head = handle.read(_CASES.stop)
    if len(head) < _CASES.stop or head[:4] not in (b"$FL2", b"$FL3"):
        raise ValueError("geen SPSS-kop ($FL2/$FL3) aan het begin van het bestand")
    order = "<" if struct.unpack("<i", head[_LAYOUT])[0] in (2, 3) else ">"
    cases = struct.unpack(order + "i", head[_CASES])[0]
    return (cases if cases >= 0 else None), order


def _read(request: dict) -> dict:
    damaged = (pyreadstat.ReadstatError, pyreadstat.PyreadstatError, UnicodeDecodeError, ValueError, OSError)
    try:
        declared, order = _header(request["path"])
        if declared is not None and declared > request["max_rows"]:
            return {"limit": f"de kop meldt {declared} respondenten, meer dan de grens van {request['max_rows']}"}
        source = _UnknownCount(request["path"], struct.pack(order + "i", -1))
        try:
            _, meta = pyreadstat.read_sav(source, metadataonly=True)
            columns = len(meta.column_names)
            if columns > request["max_columns"]:
                return {"limit": f"{columns} variabelen, meer dan de grens van {request['max_columns']}"}
            if declared is not None and declared * columns > request["max_cells"]:
                return {"limit": f"de kop meldt {declared} respondenten x {columns} variabelen, meer dan de grens van {request['max_cells']} cellen"}
            rows = min(request["max_rows"], request["max_cells"] // max(columns, 1))
            source.seek(0)
            frame, meta = pyreadstat.read_sav(source, user_missing=True, output_format="pandas",
                                              disable_datetime_conversion=True, row_limit=rows + 1)
        finally:
            source.close()
    except damaged as exc:
        return {"damaged": f"{type(exc).__name__}: {exc}"}
    if len(frame) > rows:
        return {"limit": f"meer dan {rows} respondenten" + (f" bij {columns} variabelen (grens: {request['max_cells']} cellen)" if rows < request["max_rows"] else "")}
    table = pa.Table.from_pandas(frame, preserve_index=False)
    with pa.OSFile(request["out"], "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)
    labels = {name: [[k, v] for k, v in values.items()] for name, values in meta.variable_value_labels.items()}
    return {"declared": declared, "rows": len(frame), "labels": labels}


def main() -> None:
    for line in sys.stdin:
        try:
            answer = _read(json.loads(line))
        except Exception as exc:  # noqa: BLE001 - any other failure is reported as itself, not as a damaged file
            answer = {"failed": f"{type(exc).__name__}: {exc}"}
        sys.stdout.write(json.dumps(answer, ensure_ascii=False) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()

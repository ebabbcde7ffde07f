"""A file's columns named from its header, without inventing names.

A column without a name that holds data, data beyond the last named header cell and a name
used twice (case-insensitively, as SPSS does) are errors naming the column by its letter
(Excel) or position (CSV, SPSS, Parquet); a column without name and without data is dropped
with a note. Only named, unique columns go on to conversion.
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from miv.intake.report import ERROR, WARNING
from miv.intake.xlsxsheet import column_letter


def letter(position: int) -> str:
    return f"kolom {column_letter(position)}"


def numbered(position: int) -> str:
    return f"kolom {position}"


def name_columns(frame: pl.DataFrame, names: list[str], rows: pl.Series, header: str,
                 where: Callable[[int], str] = numbered) -> tuple[pl.DataFrame, list[dict]]:
    """`frame` holds the file's columns in order (position i is frame column i, which may be
    beyond `names`); `names` the header cells, `header` where the header is (e.g. 'regel 1').
    Returns the frame with the usable columns under their names, and the findings."""
    given = [_given(c, dtype) for c, dtype in frame.schema.items()]
    filled = frame.select(g.sum() for g in given).row(0) if frame.width else ()
    named = [i for i, n in enumerate(names) if n is not None and n.strip()]
    last_named = named[-1] if named else -1
    found: list[dict] = []
    keep: dict[str, str] = {}
    seen: dict[str, int] = {}
    empty: list[int] = []
    for i, column in enumerate(frame.columns):
        name = names[i].strip() if i < len(names) and names[i] is not None else ""
        position = i + 1
        if not name:
            if filled[i]:
                beyond = "voorbij de laatste kolomnaam" if i > last_named else "lege kolomnaam"
                first = rows.filter(frame.select(given[i]).to_series())[0]
                found.append({"variable": where(position), "rule": "kolom-zonder-naam", "severity": ERROR, "row": first,
                              "message": f"{where(position)} heeft geen naam in {header} ({beyond}), maar bevat gegevens in "
                                         f"{filled[i]} rijen (eerste: rij {first}); geef de kolom een naam of verwijder hem"})
            else:
                empty.append(position)
            continue
        key = name.lower()
        if key in seen:
            found.append({"variable": name, "rule": "dubbele-kolom", "severity": ERROR,
                          "message": f"{where(position)} heet {name!r}, net als {where(seen[key])}; alleen {where(seen[key])} is ingelezen"})
            continue
        seen[key] = position
        keep[column] = name
    if empty:
        found.append({"variable": None, "rule": "lege-kolom", "severity": WARNING,
                      "message": f"{_span(empty, where)} zonder naam en zonder gegevens: niet ingelezen"})
    return frame.select(list(keep)).rename(keep), found


def _given(name: str, dtype: pl.DataType) -> pl.Expr:
    """Cells holding something: not null, not blank text, not NaN."""
    column = pl.col(name)
    if dtype == pl.Utf8:
        return column.is_not_null() & (column.str.strip_chars() != "")
    if dtype.is_float():
        return column.is_not_null() & column.is_not_nan()
    return column.is_not_null()


def _span(positions: list[int], where: Callable[[int], str]) -> str:
    if len(positions) == 1:
        return where(positions[0])
    if positions == list(range(positions[0], positions[-1] + 1)):
        return f"{where(positions[0])} tot en met {where(positions[-1]).split(' ', 1)[1]} ({len(positions)} kolommen)"
    return ", ".join(where(p) for p in positions)

"""From a raw frame to the respondent table: names matched, cells typed, strata coded.

A cell that cannot take its column's type becomes null in the table and a `verkeerd-type`
error in the findings, with the value as it stood in the file; nothing else is changed.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from miv.definition import Monitor, Questionnaire, Unit
from miv.intake.errors import IntakeError
from miv.intake.readers import RawFile
from miv.intake.report import ERROR, findings
from miv.intake.table import IDENTITY, ORGANISATION, STRATA, schema

_BAD = "\x00bad"
_TYPE_NAMES = {pl.Int32: "een geheel getal (antwoordcode)", pl.Float64: "een getal", pl.Utf8: "tekst"}


@dataclass(frozen=True)
class Converted:
    """The typed table, what went wrong on the way, and variables absent from the file."""

    table: pl.DataFrame
    findings: pl.DataFrame
    absent: frozenset[str]


def match_names(frame: pl.DataFrame, q: Questionnaire) -> tuple[pl.DataFrame, dict[str, str]]:
    """Columns named like a variable but in other case (SPSS ignores case) take the definition's
    spelling; returns the frame and the renames made."""
    wanted = {name.lower(): name for name in schema(q)}
    renames = {c: wanted[c.lower()] for c in frame.columns if c.lower() in wanted and c != wanted[c.lower()]}
    return frame.rename(renames), renames


def convert(raw: RawFile, frame: pl.DataFrame, monitor: Monitor, year: int, q: Questionnaire, labels: dict[str, dict] | None = None) -> Converted:
    """Type every column as the contract says; report what cannot be typed, unknown and absent columns.
    `labels` are the file's value labels under the columns' final names."""
    target = schema(q)
    present = set(frame.columns)
    organisation = q.unit is Unit.ORGANISATION
    required = ["respondent_id", *(["layer", ORGANISATION] if organisation else ["group", "gender"])]
    for name in required:
        if name not in present:
            raise IntakeError(f"{raw.path}: kolom {name!r} ontbreekt; hernoem de juiste kolom met een mappingbestand (rename)")
    frame = _labelled_strata(frame, labels or {})
    source = frame.schema
    file_level = []
    for name in frame.columns:
        if name not in target:
            file_level.append({"variable": name, "rule": "onbekende-variabele", "severity": ERROR,
                               "message": f"kolom {name!r} staat niet in vragenlijst {q.code} ({year}); hernoem hem of zet hem onder 'ignore' in een mappingbestand"})
    absent = [name for name in target if name not in present and name not in (*IDENTITY, *STRATA)]
    for name in absent:
        file_level.append({"variable": name, "rule": "ontbrekende-variabele", "severity": ERROR,
                           "message": f"variabele {name} van vragenlijst {q.code} ({year}) ontbreekt in het bestand"})
    bad = [name for name in target if name in present]
    typed = frame.with_columns(raw.rows.alias("__row")).with_columns(
        [expr for name in bad for expr in _typed(name, source[name], target[name])]
    )
    counts = typed.select(pl.col(f"{n}{_BAD}").sum() for n in bad).row(0) if bad else ()
    parts = [findings(file_level)]
    for name, n in zip(bad, counts):
        if n:
            parts.append(_type_findings(typed, frame, name, target[name]))
    table = typed.select(_column(name, target[name], present, year, q) for name in target)
    table = _derive_strata(table, monitor, organisation, absent=set(STRATA) - present)
    return Converted(table, pl.concat(parts), frozenset(absent))


def _labelled_strata(frame: pl.DataFrame, value_labels: dict[str, dict]) -> pl.DataFrame:
    """Stratum columns stored as numbers with value labels (SPSS) become their labels."""
    out = []
    for name in (*STRATA, "questionnaire"):
        labels = value_labels.get(name)
        if name in frame.columns and labels and frame.schema[name].is_numeric():
            mapping = {float(k): str(v) for k, v in labels.items()}
            out.append(pl.col(name).cast(pl.Float64).replace_strict(mapping, default=pl.col(name).cast(pl.Utf8), return_dtype=pl.Utf8))
    return frame.with_columns(out)


def _typed(name: str, source: pl.DataType, target: type[pl.DataType]) -> list[pl.Expr]:
    """The converted value and a flag for cells that could not be converted."""
    column = pl.col(name)
    if target is pl.Utf8:
        if source.is_float():
            text = pl.when(column.is_nan()).then(None).when(column == column.round()).then(column.cast(pl.Int64).cast(pl.Utf8)).otherwise(column.cast(pl.Utf8))
        else:
            text = column.cast(pl.Utf8)
        text = text.str.strip_chars()
        value = pl.when(text == "").then(None).otherwise(text)
        return [value.alias(name), pl.lit(False).alias(f"{name}{_BAD}")]
    if source == pl.Utf8:
        text = column.str.strip_chars()
        number = text.str.replace(",", ".", literal=True).cast(pl.Float64, strict=False)
        given = text.is_not_null() & (text != "")
    elif source.is_float():
        number = column.fill_nan(None)
        given = number.is_not_null()
    elif source.is_numeric() or source == pl.Boolean:
        number = column.cast(pl.Float64)
        given = number.is_not_null()
    else:
        number = pl.lit(None, dtype=pl.Float64)
        given = column.is_not_null()
    if target is pl.Int32:
        whole = number.cast(pl.Int32, strict=False)
        wrong = given & (whole.is_null() | (whole.cast(pl.Float64) != number))
        return [pl.when(wrong).then(None).otherwise(whole).alias(name), wrong.fill_null(True).alias(f"{name}{_BAD}")]
    wrong = given & (number.is_null() | number.is_infinite())
    return [pl.when(wrong).then(None).otherwise(number).alias(name), wrong.fill_null(True).alias(f"{name}{_BAD}")]


def _type_findings(typed: pl.DataFrame, frame: pl.DataFrame, name: str, target: type[pl.DataType]) -> pl.DataFrame:
    original = frame.with_row_index("__row", offset=0).select(pl.col(name).cast(pl.Utf8).alias("__value"))
    rows = typed.select("__row", pl.col("respondent_id"), pl.col(f"{name}{_BAD}")).hstack(original).filter(pl.col(f"{name}{_BAD}"))
    return rows.select(
        pl.col("__row").cast(pl.Int64).alias("row"),
        pl.col("respondent_id"),
        pl.lit(name).alias("variable"),
        pl.col("__value").alias("value"),
        pl.lit("verkeerd-type").alias("rule"),
        pl.lit(ERROR).alias("severity"),
        pl.format("verwacht {}, gevonden {}", pl.lit(_TYPE_NAMES[target]), pl.col("__value")).alias("message"),
    )


def _column(name: str, dtype: type[pl.DataType], present: set[str], year: int, q: Questionnaire) -> pl.Expr:
    if name in present:
        return pl.col(name).cast(dtype)
    if name == "edition":
        return pl.lit(year, dtype=pl.Int32).alias(name)
    if name == "questionnaire":
        return pl.lit(q.code, dtype=pl.Utf8).alias(name)
    return pl.lit(None, dtype=dtype).alias(name)


def _derive_strata(table: pl.DataFrame, monitor: Monitor, organisation: bool, absent: set[str]) -> pl.DataFrame:
    """Codes written as labels ('Commissaris van de Koning') become codes ('cdk'); layer and
    role follow from the group when the file has no such column (an empty cell is reported instead)."""
    structure = monitor.structure
    lookups = {
        "group": _lookup([(g.code, g.label, g.plural) for g in structure.groups]),
        "layer": _lookup([(x.code, x.label) for x in structure.layers]),
        "gender": _lookup([(x.code, x.label) for x in structure.genders]),
        "province": _lookup([(x.code, x.label) for x in structure.provinces]),
        "size_class": _lookup([(x.code, x.label) for x in structure.size_classes]),
    }
    table = table.with_columns(_coded(name, lookup) for name, lookup in lookups.items())
    if organisation:
        return table
    layer = {g.code: g.layer for g in structure.groups}
    role = {g.code: g.role.value for g in structure.groups}
    derived = {"layer": layer, "role": role}
    return table.with_columns(
        pl.col("group").replace_strict(derived[name], default=None, return_dtype=pl.Utf8).alias(name) for name in derived if name in absent
    )


def _lookup(entries: list[tuple[str, ...]]) -> dict[str, str]:
    return {name.lower(): entry[0] for entry in entries for name in entry}


def _coded(name: str, lookup: dict[str, str]) -> pl.Expr:
    lower = pl.col(name).str.to_lowercase()
    return pl.when(lower.is_in(list(lookup))).then(lower.replace_strict(lookup, default=None, return_dtype=pl.Utf8)).otherwise(pl.col(name)).alias(name)

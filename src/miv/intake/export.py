"""The respondent table out: SPSS .sav with labels, Parquet, and a public-use file.

The public-use file drops direct identifiers (respondent number, organisation name, free
text) and coarsens strata so that no row points to a handful of people: groups smaller than
`TINY_GROUP` in the frame merge with the other groups of their layer and role (the 12
Commissarissen van de Koning join the gedeputeerden as `provincie-bestuurder`), and size
class, then province, are blanked where the frame cell holds fewer than the monitor's
`min_respondents` people.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from miv.definition import ItemType, Monitor, Questionnaire, Unit, variables
from miv.intake.errors import IntakeError
from miv.intake.table import COLUMN_LABELS, ORGANISATION, missing_codes, value_labels, variable_label

TINY_GROUP = 50
_LABEL_BYTES = 250


def export_parquet(table: pl.DataFrame, path: Path | str) -> Path:
    path = Path(path)
    _writable(path)
    table.write_parquet(path)
    return path


def export_sav(table: pl.DataFrame, q: Questionnaire, path: Path | str, *, file_label: str | None = None,
               note: str | list[str] | None = None) -> Path:
    """Write .sav (or compressed .zsav) with variable labels, value labels and user-missing codes;
    `file_label` and `note` default to the questionnaire's title and nothing."""
    import pyreadstat  # here, not at the top: the processes that only estimate and publish never write .sav

    path = Path(path)
    _writable(path)
    items = variables(q)
    labels, missing = {}, {}
    for name in table.columns:
        item = items.get(name)
        if item is not None and item.type is not ItemType.TEXT:
            number = float if item.type is ItemType.NUMBER else int
            labels[name] = {number(k): v for k, v in value_labels(q, item).items()}
            codes = [q.not_applicable] if item.type is ItemType.MULTI else missing_codes(q, item)
            missing[name] = _missing_ranges(sorted(set(codes)))
    column_labels = {name: _short(variable_label(q, name)) if name in items or name in COLUMN_LABELS else name for name in table.columns}
    text = [n for n, t in table.schema.items() if t == pl.Utf8]
    try:
        pyreadstat.write_sav(
            table.with_columns(pl.col(text).fill_null("")),
            str(path),
            file_label=_short(file_label or f"{q.title} ({table['edition'].first() if table.height else ''})"),
            note=note,
            column_labels=column_labels,
            compress=path.suffix.lower() == ".zsav",
            variable_value_labels=labels,
            missing_ranges=missing,
        )
    except (pyreadstat.ReadstatError, pyreadstat.PyreadstatError, OSError) as exc:
        raise IntakeError(f"{path}: SPSS-bestand niet te schrijven ({exc})") from None
    return path


def public_table(table: pl.DataFrame, monitor: Monitor, year: int, q: Questionnaire) -> pl.DataFrame:
    """The table without direct identifiers and with tiny strata coarsened (see module docs).
    Rows are shuffled and renumbered, so a public number says nothing about the original one."""
    structure = monitor.structure
    strata = monitor.editions[year].frame.strata
    population: dict[str, int] = {}
    for cell in strata:
        population[cell.group] = population.get(cell.group, 0) + cell.population
    merged = {}
    for group in structure.groups:
        partners = [g for g in structure.groups if g.layer == group.layer and g.role == group.role]
        if any(population.get(g.code, TINY_GROUP) < TINY_GROUP for g in partners):
            merged[group.code] = f"{group.layer}-{group.role.value}"
    chairs = {g.layer: merged.get(g.code, g.code) for g in structure.groups if g.chair}
    text = [n for n, item in variables(q).items() if item.type is ItemType.TEXT]
    out = table.drop([*text, *([ORGANISATION] if ORGANISATION in table.columns else [])]).sample(fraction=1.0, shuffle=True)
    out = out.with_columns(
        pl.format("p{}", pl.int_range(1, out.height + 1).cast(pl.Utf8).str.zfill(6)).alias("respondent_id"),
        pl.col("group").replace(merged).alias("group"),
    )
    if q.unit is Unit.RESPONDENT:
        out = out.with_columns(pl.col("group").alias("__cell"), pl.col("gender").alias("__gender"))
    else:
        out = out.with_columns(pl.col("layer").replace_strict(chairs, default=None).alias("__cell"), pl.lit(None, pl.Utf8).alias("__gender"))
    cells = pl.DataFrame(
        [(merged.get(s.group, s.group), s.gender if q.unit is Unit.RESPONDENT else None, s.province, s.size_class, s.population) for s in strata],
        schema={"__cell": pl.Utf8, "__gender": pl.Utf8, "province": pl.Utf8, "size_class": pl.Utf8, "population": pl.Int64}, orient="row",
    )
    keys = ["__cell", "__gender", "province", "size_class"]
    for column in ("size_class", "province"):
        sizes = cells.group_by(keys).agg(pl.col("population").sum().alias("__n"))
        small = pl.col("__n").fill_null(0) < monitor.min_respondents
        out = out.join(sizes, on=keys, how="left", nulls_equal=True, maintain_order="left")
        out = out.with_columns(pl.when(small).then(None).otherwise(pl.col(column)).alias(column)).drop("__n")
        cells = cells.join(sizes, on=keys, how="left", nulls_equal=True).with_columns(pl.when(small).then(None).otherwise(pl.col(column)).alias(column)).drop("__n")
    return out.drop("__cell", "__gender")


def export_public(table: pl.DataFrame, monitor: Monitor, year: int, q: Questionnaire, path: Path | str) -> Path:
    """The public-use file as .sav (or .parquet when the name says so)."""
    public = public_table(table, monitor, year, q)
    path = Path(path)
    return export_parquet(public, path) if path.suffix.lower() == ".parquet" else export_sav(public, q, path)


def _missing_ranges(codes: list[int]) -> list:
    """SPSS holds three discrete missing values, or one range plus one value."""
    if len(codes) <= 3:
        return [float(c) for c in codes]
    negative = [c for c in codes if c < 0]
    rest = [c for c in codes if c >= 0]
    return [{"lo": float(min(rest)), "hi": float(max(rest))}, *(float(c) for c in negative[:1])]


def _short(text: str) -> str:
    data = text.encode("utf-8")
    return text if len(data) <= _LABEL_BYTES else data[: _LABEL_BYTES - 3].decode("utf-8", "ignore") + "…"


def _writable(path: Path) -> None:
    if not path.parent.is_dir():
        raise IntakeError(f"{path}: map {path.parent} bestaat niet")


"""Where `miv import` keeps what it read, so that `miv export` and the pipeline find it.

    <data>/<edition>/<questionnaire>.parquet          the respondent table (only when accepted)
    <data>/<edition>/<questionnaire>.validatie.txt    the report for the analyst
    <data>/<edition>/<questionnaire>.validatie.json   every finding, for tools

A rejected file writes its reports but never replaces an accepted table.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from miv.definition import Monitor
from miv.intake.errors import IntakeError
from miv.intake.export import export_parquet, export_public, export_sav
from miv.intake.report import Report
from miv.settings import default

DEFAULT_DATA: Path = default("data")


def table_path(data: Path, edition: int, questionnaire: str) -> Path:
    return Path(data) / str(edition) / f"{questionnaire}.parquet"


def save(table: pl.DataFrame, report: Report, data: Path) -> Path:
    """Write the reports, and the table when the report has no errors; return the text report's path."""
    target = table_path(data, report.edition, report.questionnaire)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        text = target.with_suffix(".validatie.txt")
        text.write_text(report.to_text(), encoding="utf-8")
        with target.with_suffix(".validatie.json").open("w", encoding="utf-8") as out:
            report.write_json(out)
        if report.ok:
            partial = target.with_suffix(".parquet.part")
            table.write_parquet(partial)
            partial.replace(target)
    except OSError as exc:
        raise IntakeError(f"{target.parent}: kan niet schrijven ({exc.strerror})") from None
    return text


def load_table(data: Path, edition: int, questionnaire: str) -> pl.DataFrame:
    """The accepted table of an edition x questionnaire."""
    path = table_path(data, edition, questionnaire)
    if not path.is_file():
        raise IntakeError(f"{path}: geen ingelezen respondenten voor editie {edition}, vragenlijst {questionnaire}; lees eerst een bestand in met 'miv import'")
    return pl.read_parquet(path)


FORMATS = ("sav", "parquet", "public")


def export(data: Path, monitor: Monitor, edition: int, questionnaire: str, format: str, out: Path) -> Path:
    """Write the accepted table of `data` in one of FORMATS (what `miv export` does)."""
    if format not in FORMATS:
        raise IntakeError(f"onbekend exportformaat {format!r}; verwacht een van {', '.join(FORMATS)}")
    if edition not in monitor.editions or questionnaire not in monitor.editions[edition].questionnaires:
        raise IntakeError(f"editie {edition} met vragenlijst {questionnaire!r} staat niet in de definitie")
    q = monitor.editions[edition].questionnaires[questionnaire]
    table = load_table(data, edition, questionnaire)
    if format == "sav":
        return export_sav(table, q, out)
    if format == "parquet":
        return export_parquet(table, out)
    return export_public(table, monitor, edition, q, out)

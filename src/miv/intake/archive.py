"""Where `miv import` keeps what it read, so that `miv export` and the pipeline find it.

    <data>/<edition>/<questionnaire>.parquet          the respondent table (only when accepted)
    <data>/<edition>/<questionnaire>.validatie.txt    the report for the analyst
    <data>/<edition>/<questionnaire>.validatie.json   every finding, for tools

A rejected file writes its reports but never replaces an accepted table.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from miv.intake.errors import IntakeError
from miv.intake.report import Report

DEFAULT_DATA = Path("data")


def table_path(data: Path, edition: int, questionnaire: str) -> Path:
    return Path(data) / str(edition) / f"{questionnaire}.parquet"


def save(table: pl.DataFrame, report: Report, data: Path) -> Path:
    """Write the reports, and the table when the report has no errors; return the text report's path."""
    target = table_path(data, report.edition, report.questionnaire)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        text = target.with_suffix(".validatie.txt")
        text.write_text(report.to_text(), encoding="utf-8")
        target.with_suffix(".validatie.json").write_text(report.to_json(), encoding="utf-8")
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

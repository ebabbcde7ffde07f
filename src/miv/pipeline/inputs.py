"""Survey files into the pipeline: each file read and validated by intake, one per questionnaire."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from miv.definition import Monitor
from miv.intake import IntakeError, Report, read_responses
from miv.intake.fieldwork import read_fieldwork
from miv.publish.manifest import sha256


@dataclass(frozen=True)
class Inputs:
    """The accepted tables per questionnaire, every file's report, the files' hashes, and the
    fieldwork account's invited counts with the key of its file in `hashes` (when given)."""

    tables: dict[str, pl.DataFrame]
    reports: list[Report]
    hashes: dict[str, str]
    invited: pl.DataFrame | None = None
    fieldwork_file: str | None = None

    @property
    def ok(self) -> bool:
        return all(report.ok for report in self.reports)


def read_inputs(files: Iterable[Path], monitor: Monitor, edition: int, fieldwork: Path | None = None) -> Inputs:
    """Read every file of one edition, and its fieldwork account when given; a second file for
    the same questionnaire is an error, since silently stacking two deliveries could count
    respondents twice."""
    tables: dict[str, pl.DataFrame] = {}
    reports: list[Report] = []
    hashes: dict[str, str] = {}
    for path in files:
        table, report = read_responses(path, monitor, edition)
        if report.questionnaire in tables:
            raise IntakeError(f"{path}: vragenlijst {report.questionnaire!r} van editie {edition} is al ingelezen uit een ander bestand")
        reports.append(report)
        hashes[f"{edition}/{Path(path).name}"] = report.sha256 or ""
        if report.ok:
            tables[report.questionnaire] = table
    if fieldwork is None:
        return Inputs(tables, reports, hashes)
    key = f"{edition}/{Path(fieldwork).name}"
    if key in hashes:
        raise IntakeError(f"{fieldwork}: het veldwerkbestand heet net als een databestand van editie {edition}", file=fieldwork)
    invited = read_fieldwork(Path(fieldwork), monitor, edition)
    hashes[key] = sha256(Path(fieldwork))
    return Inputs(tables, reports, hashes, invited, key)


def write_reports(inputs: Inputs, folder: Path) -> list[Path]:
    """Every validation report as text and JSON, named after its file."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for report in inputs.reports:
        stem = folder / Path(report.file).stem
        stem.with_suffix(".validatie.txt").write_text(report.to_text(), encoding="utf-8")
        stem.with_suffix(".validatie.json").write_text(report.to_json(), encoding="utf-8")
        written.append(stem.with_suffix(".validatie.txt"))
    return written

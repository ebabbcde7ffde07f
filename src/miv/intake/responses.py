"""The two ways answers come in, one result: a survey file or the web survey's records
become the respondent table of one edition x questionnaire plus its validation report."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping as AbstractMapping
from pathlib import Path
from typing import Any

import polars as pl

from miv.definition import ItemType, Monitor, Questionnaire, variables
from miv.intake.conversion import convert, match_names
from miv.intake.errors import IntakeError
from miv.intake.labels import check_labels
from miv.intake.limits import DEFAULT_LIMITS, Limits
from miv.intake.mapping import Mapping, apply_mapping, load_mapping
from miv.intake.readers import RawFile, read_file
from miv.intake.report import ERROR, Report, findings
from miv.intake.savreader import SavReader
from miv.intake.table import schema
from miv.intake.validation import validate


def read_responses(
    path: Path | str,
    monitor: Monitor,
    edition: int,
    questionnaire: str | None = None,
    mapping: Path | str | Mapping | None = None,
    limits: Limits = DEFAULT_LIMITS,
    sav: SavReader | None = None,
) -> tuple[pl.DataFrame, Report]:
    """Read, type and validate a survey file (.sav, .zsav, .csv, .xlsx, .parquet).

    The questionnaire is taken from the file's `questionnaire` column or its variables when
    not given. Raises IntakeError when the file cannot be read at all; everything else is a
    finding in the report (`report.ok` is false when any finding is an error). `sav` is the
    reader child for .sav/.zsav files (default: one shared by the whole process)."""
    path = Path(path)
    raw = read_file(path, limits, sav)
    rules = load_mapping(Path(mapping)) if isinstance(mapping, (str, Path)) else mapping
    q = _questionnaire(raw, monitor, edition, questionnaire, rules)
    frame, extra = raw.frame, findings(raw.findings)
    labels = dict(raw.value_labels)
    ignored: list[str] = []
    if rules is not None:
        coded = {n for n, item in variables(q).items() if item.type in (ItemType.SINGLE, ItemType.MULTI)}
        frame, renames = match_names(frame, q)
        frame, absent = apply_mapping(frame, rules, coded)
        labels = {rules.rename.get(renames.get(k, k), renames.get(k, k)): v for k, v in labels.items()}
        ignored = [name for name in rules.ignore if name in raw.frame.columns]
        extra = pl.concat([extra, findings([{"variable": name, "rule": "mapping", "severity": ERROR,
                           "message": f"het mappingbestand noemt kolom {name!r}, maar die staat niet in het bestand"} for name in absent])])
    frame, renames = match_names(frame, q)
    labels = {renames.get(k, k): v for k, v in labels.items()}
    frame, checked = check_labels(frame, labels, q, rules)
    extra = pl.concat([extra, findings(checked)])
    table, report = _finish(raw, frame, monitor, edition, q, extra, labels)
    return table, Report(str(path), edition, q.code, table.height, report, _sha256(path), ignored)


def read_records(
    records: Iterable[AbstractMapping[str, Any]],
    monitor: Monitor,
    edition: int,
    questionnaire: str,
) -> tuple[pl.DataFrame, Report]:
    """The web survey's completed responses (one dict per respondent: respondent_id, stratum
    fields and variable -> value) as the same table and report a .sav import gives."""
    rows = [dict(r) for r in records]
    names = list(dict.fromkeys(k for r in rows for k in r))
    frame = pl.DataFrame({n: pl.Series(n, [r.get(n) for r in rows], dtype=_record_type([r.get(n) for r in rows]), strict=False) for n in names})
    return read_table(frame, monitor, edition, questionnaire, "webenquête")


def read_table(frame: pl.DataFrame, monitor: Monitor, edition: int, questionnaire: str, source: str = "tabel") -> tuple[pl.DataFrame, Report]:
    """A frame made in memory (the demo, a test, the web survey) typed and validated exactly
    like a file; `source` names it in messages and the report."""
    q = _lookup(monitor, edition, questionnaire, source)
    if frame.height == 0:
        return pl.DataFrame(schema=schema(q)), Report(source, edition, q.code, 0, findings([]))
    raw = RawFile.numbered(Path(source), frame)
    table, found = _finish(raw, frame, monitor, edition, q, findings([]))
    return table, Report(source, edition, q.code, table.height, found)


def _record_type(values: list[Any]) -> type[pl.DataType]:
    kinds = {type(v) for v in values if v is not None}
    if kinds <= {int, bool}:
        return pl.Int64
    if kinds <= {int, float, bool}:
        return pl.Float64
    return pl.Utf8


def _finish(
    raw: RawFile, frame: pl.DataFrame, monitor: Monitor, edition: int, q: Questionnaire, extra: pl.DataFrame, labels: dict | None = None
) -> tuple[pl.DataFrame, pl.DataFrame]:
    try:
        converted = convert(raw, frame, monitor, edition, q, labels)
        found = validate(converted.table, monitor, edition, q.code, skip=converted.absent, rows=raw.rows)
    except pl.exceptions.PolarsError as exc:  # a column polars cannot handle at all, e.g. nested lists
        raise IntakeError(f"{raw.path}: de kolommen zijn niet te verwerken ({str(exc).splitlines()[0]})") from None
    return converted.table, pl.concat([extra, converted.findings, found])


def _lookup(monitor: Monitor, edition: int, code: str, source: str) -> Questionnaire:
    if edition not in monitor.editions:
        raise IntakeError(f"{source}: editie {edition} staat niet in de definitie; verwacht een van {sorted(monitor.editions)}")
    questionnaires = monitor.editions[edition].questionnaires
    if code not in questionnaires:
        raise IntakeError(f"{source}: editie {edition} heeft geen vragenlijst {code!r}; verwacht een van {sorted(questionnaires)}")
    return questionnaires[code]


def _questionnaire(raw: RawFile, monitor: Monitor, edition: int, code: str | None, rules: Mapping | None) -> Questionnaire:
    """The questionnaire asked for, else the one the file names, else the one whose variables it holds."""
    source = str(raw.path)
    if code is not None:
        return _lookup(monitor, edition, code, source)
    if edition not in monitor.editions:
        raise IntakeError(f"{source}: editie {edition} staat niet in de definitie; verwacht een van {sorted(monitor.editions)}")
    columns = {c.lower() for c in raw.frame.columns} | {v.lower() for v in (rules.rename.values() if rules else [])}
    if "questionnaire" in columns:
        named = raw.frame.select(pl.col(next(c for c in raw.frame.columns if c.lower() == "questionnaire")).cast(pl.Utf8).unique().drop_nulls()).to_series().to_list()
        if len(named) == 1:
            return _lookup(monitor, edition, named[0], source)
    overlap = {c: len(columns & {v.lower() for v in variables(q)}) for c, q in monitor.editions[edition].questionnaires.items()}
    best = sorted(overlap, key=overlap.get, reverse=True)
    if not best or overlap[best[0]] == 0 or (len(best) > 1 and overlap[best[0]] == overlap[best[1]]):
        raise IntakeError(f"{source}: niet te bepalen bij welke vragenlijst dit bestand hoort; geef --questionnaire (een van {', '.join(sorted(overlap))})")
    return monitor.editions[edition].questionnaires[best[0]]


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()

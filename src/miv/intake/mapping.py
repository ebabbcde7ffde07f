"""A mapping file: how a bureau's file differs from the definition (renames, recodes, ignored columns).

    rename:            # column in the file -> variable of the definition
      resp_nr: respondent_id
      V12: AG_VERBAAL
    recode:            # per variable ("*" = every coded variable): code in the file -> code of the definition
      "*": {9: 99}
      AG_VERBAAL: {0: 2}
      group: {"Raadslid gemeente": raadslid}
    ignore: [startdatum]   # columns deliberately not imported; listed in the report
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from miv.intake.errors import IntakeError

ALL = "*"
Code = int | float | str


class Mapping(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    rename: dict[str, str] = {}
    recode: dict[str, dict[Code, Code]] = {}
    ignore: list[str] = []


def load_mapping(path: Path) -> Mapping:
    """Read and check a mapping file; raise IntakeError listing every problem in it."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise IntakeError(f"{path}: mappingbestand bestaat niet") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise IntakeError(f"{path}: mappingbestand is geen geldige YAML ({exc})") from None
    try:
        return Mapping.model_validate(data or {})
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'bovenaan'}: {_message(e)}" for e in exc.errors())
        raise IntakeError(f"{path}: mappingbestand klopt niet: {problems}") from None


def _message(error: dict) -> str:
    if error["type"] == "extra_forbidden":
        return "onbekende sleutel; verwacht rename, recode of ignore"
    return str(error["msg"])


def apply_mapping(frame: pl.DataFrame, mapping: Mapping, coded: set[str]) -> tuple[pl.DataFrame, list[str]]:
    """Apply renames, ignores and recodes; return the frame and the names the mapping
    mentions that the file does not have (reported, never guessed)."""
    absent = [name for name in [*mapping.ignore, *mapping.rename] if name not in frame.columns]
    frame = frame.drop([name for name in mapping.ignore if name in frame.columns])
    frame = frame.rename({old: new for old, new in mapping.rename.items() if old in frame.columns})
    recodes = []
    for name in frame.columns:
        table = {**(mapping.recode.get(ALL, {}) if name in coded else {}), **mapping.recode.get(name, {})}
        if table:
            recodes.append(_recode(frame, name, table))
    absent += [name for name in mapping.recode if name != ALL and name not in frame.columns]
    return frame.with_columns(recodes), absent


def _recode(frame: pl.DataFrame, name: str, table: dict[Code, Code]) -> pl.Expr:
    """Numbers stay numbers when the table maps numbers to numbers; otherwise the column is
    recoded as text (e.g. gender stored as 1/2 mapped to man/vrouw)."""
    column = pl.col(name)
    dtype = frame.schema[name]
    if dtype.is_numeric() and all(_number(k) and _number(v) for k, v in table.items()):
        return column.cast(pl.Float64).replace({float(k): float(v) for k, v in table.items()}).alias(name)
    if dtype.is_float():
        column = pl.when(column == column.round()).then(column.cast(pl.Int64).cast(pl.Utf8)).otherwise(column.cast(pl.Utf8))
    return column.cast(pl.Utf8).str.strip_chars().replace({_text(k): _text(v) for k, v in table.items()}).alias(name)


def _text(value: Code) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _number(value: Code) -> bool:
    return isinstance(value, (int, float))

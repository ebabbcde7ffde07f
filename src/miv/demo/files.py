"""Write demo tables as Parquet and as labelled SPSS files, both marked synthetic.

The .sav file carries what an analyst expects from SPSS: Dutch variable labels (the
question text), value labels (answer categories, missing codes, not applicable) and
the missing codes declared as user-missing, so SPSS leaves them out of percentages.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import polars as pl
import pyreadstat

from miv.definition import Item, ItemType, Questionnaire, variables
from miv.demo.generator import DemoTable

SYNTHETIC_NOTE = (
    "SYNTHETISCHE DEMODATA: gemaakt door 'miv demo' (seed {seed}). Geen echte respondenten; "
    "de cijfers zijn verzonnen om de werking van miv te laten zien."
)
STRATUM_LABELS = {
    "respondent_id": "Respondentnummer (synthetisch)",
    "edition": "Editie",
    "questionnaire": "Vragenlijst",
    "group": "Doelgroep",
    "layer": "Bestuurslaag",
    "role": "Rol",
    "gender": "Geslacht",
    "province": "Provincie",
    "size_class": "Gemeentegrootte",
    "organisation": "Organisatie (synthetisch)",
}
NOT_APPLICABLE = "Niet van toepassing"
MAX_LABEL_BYTES = 255
SPSS_NOTE_WIDTH = 80
MAX_DISCRETE_MISSING = 3


def write_table(table: DemoTable, folder: Path, seed: int) -> list[Path]:
    """Write `table` to folder/<questionnaire>.parquet and .sav; return both paths."""
    folder.mkdir(parents=True, exist_ok=True)
    q, note = table.questionnaire, SYNTHETIC_NOTE.format(seed=seed)
    parquet = folder / f"{q.code}.parquet"
    table.data.write_parquet(parquet, metadata={"miv.synthetic": "true", "miv.note": note, "miv.seed": str(seed)})
    sav = folder / f"{q.code}.sav"
    labels, values, missing = _labels(q, table.data)
    pyreadstat.write_sav(
        table.data,
        str(sav),
        file_label=f"SYNTHETISCHE DEMODATA {table.edition} {q.code}",
        note=textwrap.wrap(note, SPSS_NOTE_WIDTH),
        column_labels=labels,
        variable_value_labels=values,
        missing_ranges=missing,
        row_compress=True,
    )
    return [parquet, sav]


def _labels(q: Questionnaire, data: pl.DataFrame) -> tuple[dict[str, str], dict[str, dict[int, str]], dict[str, list]]:
    """Variable labels, value labels and user-missing codes per column of the table."""
    labels = {name: label for name, label in STRATUM_LABELS.items() if name in data.columns}
    values: dict[str, dict[int, str]] = {}
    missing: dict[str, list] = {}
    missing_labels = {m.code: m.label for m in q.missing}
    for name, item in variables(q).items():
        text = " ".join(item.text.split())
        if item.type is ItemType.MULTI:
            option = next(o.label for o in q.options(item) if f"{item.code}_{o.code}" == name)
            labels[name] = _fit(f"{option} | {text}")
            categories = {1: "Gekozen", 0: "Niet gekozen"}
        else:
            labels[name] = _fit(text)
            categories = {o.code: o.label for o in q.options(item)}
        if item.type is ItemType.TEXT:
            continue
        values[name] = {**categories, **{c: missing_labels[c] for c in item.missing}, q.not_applicable: NOT_APPLICABLE}
        missing[name] = _user_missing(item, q.not_applicable)
    return labels, values, missing


def _user_missing(item: Item, not_applicable: int) -> list:
    """SPSS allows three discrete missing values, or one range plus one value."""
    codes = sorted({*item.missing, not_applicable})
    if len(codes) <= MAX_DISCRETE_MISSING:
        return codes
    return [{"lo": min(item.missing), "hi": max(item.missing)}, not_applicable]


def _fit(label: str) -> str:
    """SPSS variable labels hold at most 255 bytes."""
    encoded = label.encode("utf-8")
    if len(encoded) <= MAX_LABEL_BYTES:
        return label
    return encoded[: MAX_LABEL_BYTES - 3].decode("utf-8", errors="ignore") + "..."

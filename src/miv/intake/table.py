"""The respondent table's shape (docs/intake.md): column names, types and labels per questionnaire."""

from __future__ import annotations

import polars as pl

from miv.definition import Item, ItemType, Questionnaire, Unit, variables

STRATA = ("group", "layer", "role", "gender", "province", "size_class")
IDENTITY = ("respondent_id", "edition", "questionnaire")
ORGANISATION = "organisation"

COLUMN_LABELS = {
    "respondent_id": "Respondentnummer",
    "edition": "Editie",
    "questionnaire": "Vragenlijst",
    "group": "Doelgroep",
    "layer": "Bestuurslaag",
    "role": "Rol",
    "gender": "Geslacht",
    "province": "Provincie",
    "size_class": "Gemeentegrootte",
    ORGANISATION: "Organisatie",
}
NOT_APPLICABLE_LABEL = "Niet van toepassing (routering)"
CHOSEN_LABELS = {1: "Gekozen", 0: "Niet gekozen"}


def dtype(item: Item) -> type[pl.DataType]:
    if item.type is ItemType.NUMBER:
        return pl.Float64
    if item.type is ItemType.TEXT:
        return pl.Utf8
    return pl.Int32


def schema(q: Questionnaire) -> dict[str, type[pl.DataType]]:
    """Column -> polars type, in the contract's order."""
    out: dict[str, type[pl.DataType]] = {"respondent_id": pl.Utf8, "edition": pl.Int32, "questionnaire": pl.Utf8}
    out.update({name: pl.Utf8 for name in STRATA})
    if q.unit is Unit.ORGANISATION:
        out[ORGANISATION] = pl.Utf8
    out.update({name: dtype(item) for name, item in variables(q).items()})
    return out


def variable_label(q: Questionnaire, name: str) -> str:
    """What SPSS shows for a column: the question text, for multi items with the option."""
    if name in COLUMN_LABELS:
        return COLUMN_LABELS[name]
    item = variables(q)[name]
    if item.type is ItemType.MULTI:
        code = int(name.rsplit("_", 1)[1])
        option = next(o.label for o in q.options(item) if o.code == code)
        return f"{item.text} – {option}"
    return item.text


def missing_codes(q: Questionnaire, item: Item) -> list[int]:
    """Codes that are no substantive answer: the item's missing codes and 'not applicable'."""
    return [*item.missing, q.not_applicable]


def value_labels(q: Questionnaire, item: Item) -> dict[int, str]:
    """Code -> Dutch label for every code a variable of this item may hold."""
    missing = {m.code: m.label for m in q.missing}
    labels: dict[int, str] = {}
    if item.type is ItemType.MULTI:
        labels.update(CHOSEN_LABELS)
    elif item.type is ItemType.SINGLE:
        labels.update({o.code: o.label for o in q.options(item)})
    if item.type is not ItemType.TEXT:
        labels.update({code: missing[code] for code in item.missing})
        labels[q.not_applicable] = NOT_APPLICABLE_LABEL
    return labels

"""The fieldwork as the reports describe it: the period, and per questionnaire how many were
invited, how many responded and the response rate, per target group and per layer.

Everything comes from `Results.fieldwork` (the fieldwork account beside the respondent
tables) and the edition's definition; nothing is typed in. Every target group has its own
row, also the small ones (the CdK, the dijkgraven): a count of respondents tells nothing of
their answers, and the weighting table of the method section shows the same counts. Every
number is a `<data>` element with a key (`veldwerk|questionnaire|unit|field`) that
`miv verify` recomputes from the fieldwork account and the data files.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from markupsafe import Markup

from miv.definition import Unit
from miv.publish.labels import Labels
from miv.publish.number import number, percent
from miv.publish.results import Results

MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december")
QUESTIONNAIRES = {"respondent": "respondenten", "organisation": "organisaties"}


def fieldwork_key(questionnaire: str, unit: str, field: str) -> str:
    """`field` is uitgenodigd, respons or responspercentage; `unit` a group, `laag:<layer>`
    for a layer's total (or an organisation layer's row), or `totaal`."""
    return "|".join(["veldwerk", questionnaire, unit, field])


@dataclass(frozen=True)
class Count:
    value: int
    key: str

    def html(self) -> Markup:
        return Markup('<data class="miv-aantal" value="{}" data-cell="{}">{}</data>').format(self.value, self.key, number(self.value))


@dataclass(frozen=True)
class Rate:
    value: float
    key: str

    def html(self) -> Markup:
        return Markup('<data class="miv-cijfer" value="{}" data-cell="{}">{}</data>').format(repr(self.value), self.key, percent(self.value))


@dataclass(frozen=True)
class FieldworkRow:
    label: str
    kind: str  # "groep", "laag" (a layer's total) or "totaal"
    invited: Count
    responded: Count
    rate: Rate | None  # none when nobody was invited


@dataclass(frozen=True)
class FieldworkTable:
    questionnaire: str
    title: str
    unit: str  # respondenten or organisaties
    rows: list[FieldworkRow]


@dataclass(frozen=True)
class Fieldwork:
    period: str  # "22 januari tot en met 15 maart 2024"
    reference_period: str
    tables: list[FieldworkTable]
    delivered: bool  # whether a fieldwork account was given (else the tables are empty)


def day(date: dt.date) -> str:
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


def fieldwork(results: Results) -> Fieldwork:
    """The fieldwork of `results.edition` for the reports (`shown_counts` gives its numbers for the manifest)."""
    spec = results.monitor.editions[results.edition]
    period = f"{day(spec.fieldwork.start)} tot en met {day(spec.fieldwork.end)}"
    tables = [table for code, q in spec.questionnaires.items() if (table := _table(results, code, q.title, q.unit))]
    return Fieldwork(period, spec.reference_period, tables, results.fieldwork_file is not None)


def shown_counts(view: Fieldwork) -> dict[str, float]:
    """Every number of the fieldwork tables by its key, as manifest.json records them."""
    out: dict[str, float] = {}
    for table in view.tables:
        for row in table.rows:
            out[row.invited.key] = row.invited.value
            out[row.responded.key] = row.responded.value
            if row.rate is not None:
                out[row.rate.key] = row.rate.value
    return out


def _table(results: Results, code: str, title: str, unit: Unit) -> FieldworkTable | None:
    rows = results.fieldwork.filter(results.fieldwork["questionnaire"] == code)
    if rows.is_empty():
        return None
    monitor, labels = results.monitor, Labels(results.monitor)
    out: list[FieldworkRow] = []
    for layer in monitor.structure.layers:
        mine = rows.filter(rows["layer"] == layer.code)
        if mine.is_empty():
            continue
        if unit is Unit.ORGANISATION:
            out.append(_row(code, f"laag:{layer.code}", layer.label, "groep", mine["invited"].sum(), mine["responded"].sum()))
            continue
        groups = [g.code for g in monitor.structure.groups if g.layer == layer.code]
        found = {row["group"]: row for row in mine.iter_rows(named=True)}
        shown = [g for g in groups if g in found]
        out += [_row(code, g, labels.domain("group", g), "groep", found[g]["invited"], found[g]["responded"]) for g in shown]
        if len(shown) > 1:
            out.append(_row(code, f"laag:{layer.code}", f"Totaal {layer.label.lower()}", "laag", mine["invited"].sum(), mine["responded"].sum()))
    out.append(_row(code, "totaal", "Totaal", "totaal", rows["invited"].sum(), rows["responded"].sum()))
    return FieldworkTable(code, title, QUESTIONNAIRES[unit.value], out)


def _row(code: str, unit: str, label: str, kind: str, invited: int, responded: int) -> FieldworkRow:
    rate = Rate(responded / invited, fieldwork_key(code, unit, "responspercentage")) if invited else None
    return FieldworkRow(label, kind, Count(int(invited), fieldwork_key(code, unit, "uitgenodigd")),
                        Count(int(responded), fieldwork_key(code, unit, "respons")), rate)

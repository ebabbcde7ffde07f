"""The invitation list: read from CSV or Excel, checked row by row against the structure,
all or nothing."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import PurePath

from openpyxl import load_workbook

from miv.definition import Questionnaire, Structure, Unit
from miv.fieldwork.errors import FieldworkError

HEADERS = {
    "naam": "name", "name": "name",
    "e-mail": "email", "email": "email", "e-mailadres": "email",
    "doelgroep": "group", "group": "group",
    "bestuurslaag": "layer", "layer": "layer",
    "organisatie": "organisation", "organisation": "organisation",
    "geslacht": "gender", "gender": "gender",
    "provincie": "province", "province": "province",
    "grootteklasse": "size_class", "size_class": "size_class",
}
REQUIRED = ("name", "email", "layer", "organisation")
DUTCH = {"name": "naam", "email": "e-mail", "group": "doelgroep", "layer": "bestuurslaag", "organisation": "organisatie",
         "gender": "geslacht", "province": "provincie", "size_class": "grootteklasse"}
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class Invitee:
    name: str
    email: str
    group: str | None
    layer: str
    role: str | None
    gender: str | None
    province: str | None
    size_class: str | None
    organisation: str


def read_table(filename: str, content: bytes) -> list[dict[str, str]]:
    """Rows of a CSV (comma or semicolon, UTF-8) or .xlsx file as header -> text."""
    suffix = PurePath(filename).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise FieldworkError(f"{filename}: dit is geen leesbaar Excel-bestand ({exc.__class__.__name__})") from None
        rows = [["" if v is None else str(v).strip() for v in row] for row in sheet.iter_rows(values_only=True)]
    elif suffix in (".csv", ".txt"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise FieldworkError(f"{filename}: het bestand is niet in UTF-8 opgeslagen; sla het op als ‘CSV UTF-8’") from None
        dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;") if text.strip() else csv.excel
        rows = [[v.strip() for v in row] for row in csv.reader(io.StringIO(text), dialect)]
    else:
        raise FieldworkError(f"{filename}: onbekend bestandstype {suffix or '(geen)'}; verwacht .csv of .xlsx")
    rows = [row for row in rows if any(row)]
    if not rows:
        raise FieldworkError(f"{filename}: het bestand is leeg")
    header = [h.strip().lower() for h in rows[0]]
    return [dict(zip(header, row + [""] * (len(header) - len(row)), strict=False)) for row in rows[1:]]


def check(filename: str, rows: list[dict[str, str]], q: Questionnaire, structure: Structure, known_emails: set[str]) -> list[Invitee]:
    """Every row as an Invitee, or FieldworkError listing every problem with its row and column."""
    if rows:
        columns = {HEADERS[h] for h in rows[0] if h in HEADERS}
        needed = REQUIRED + (("group", "gender") if q.unit is Unit.RESPONDENT else ())
        absent = [DUTCH[c] for c in needed if c not in columns]
        if absent:
            raise FieldworkError(f"{filename}: kolom(men) {', '.join(absent)} ontbreken; verwacht de kolommen naam, e-mail, doelgroep, bestuurslaag, organisatie, geslacht (en provincie, grootteklasse waar de doelgroep daarnaar gestratificeerd is)")
    groups = {g.code: g for g in structure.groups}
    codes = {
        "gender": {c.code for c in structure.genders},
        "province": {c.code for c in structure.provinces},
        "size_class": {c.code for c in structure.size_classes},
    }
    problems: list[str] = []
    invitees: list[Invitee] = []
    seen = set(known_emails)
    for number, raw in enumerate(rows, start=2):
        row = {HEADERS[h]: v.strip() for h, v in raw.items() if h in HEADERS}

        def problem(column: str, message: str, n: int = number) -> None:
            problems.append(f"{filename}, rij {n}, kolom {DUTCH[column]}: {message}")

        for column in REQUIRED:
            if not row.get(column):
                problem(column, "is leeg; vul dit in")
        email = row.get("email", "").lower()
        if email and not EMAIL.match(email):
            problem("email", f"{email!r} is geen e-mailadres")
        elif email in seen:
            problem("email", f"{email!r} staat al op de lijst")
        seen.add(email)
        group_code = row.get("group") or None
        layer = row.get("layer", "")
        if q.unit is Unit.RESPONDENT:
            group = groups.get(group_code or "")
            if group is None or group.code not in q.groups:
                problem("group", f"onbekende doelgroep {group_code or '(leeg)'!r} voor vragenlijst {q.code}; verwacht een van {', '.join(q.groups)}")
                continue
            if layer and layer != group.layer:
                problem("layer", f"{layer!r} past niet bij doelgroep {group.code}; verwacht {group.layer}")
            strata = group.strata
        else:
            chairs = [g for g in structure.groups if g.layer == layer and g.chair]
            if not chairs:
                problem("layer", f"onbekende bestuurslaag {layer!r}; verwacht een van {', '.join(sorted({g.layer for g in structure.groups}))}")
                continue
            group, group_code, strata = None, None, chairs[0].strata
        values: dict[str, str | None] = {}
        for column in ("gender", "province", "size_class"):
            value = row.get(column) or None
            stratifies = column in strata or (column == "gender" and q.unit is Unit.RESPONDENT)
            if value and value not in codes[column]:
                problem(column, f"onbekende waarde {value!r}; verwacht een van {', '.join(sorted(codes[column]))}")
            elif column in strata and not value:
                problem(column, f"is leeg; doelgroep {group_code or layer} is gestratificeerd naar {DUTCH[column]}")
            elif stratifies and not value:
                problem(column, f"is leeg; de weging gebruikt het geslacht van elke respondent; verwacht een van {', '.join(sorted(codes[column]))}")
            values[column] = value if stratifies else None
        invitees.append(
            Invitee(
                name=row.get("name", ""), email=email, group=group_code, layer=group.layer if group else layer,
                role=group.role.value if group else None, gender=values["gender"], province=values["province"],
                size_class=values["size_class"], organisation=row.get("organisation", ""),
            )
        )
    if problems:
        raise FieldworkError(f"{filename}: {len(problems)} probleem/problemen; er is niets ingelezen", problems)
    if not invitees:
        raise FieldworkError(f"{filename}: het bestand bevat geen rijen onder de kopregel")
    return invitees

"""Fieldwork operations on the store. Each function is one unit of work in one transaction."""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import polars as pl
from sqlalchemy import func, select

from miv import intake

from miv.definition import Monitor, Questionnaire, Structure, Unit
from miv.fieldwork.answers import common_pages
from miv.fieldwork.errors import FieldworkError
from miv.fieldwork.invitations import check, read_table
from miv.fieldwork.keys import Keys, new_code
from miv.store import Database
from miv.store.fieldwork import Fieldwork, Invitation, Response

STRATUM = ("group", "layer", "role", "gender", "province", "size_class")


def open_fieldwork(db: Database, monitor: Monitor, year: int, code: str) -> int:
    """Put an edition's questionnaire in the field, freezing its definition; returns the id."""
    edition = monitor.editions.get(year)
    if edition is None:
        raise FieldworkError(f"editie {year} staat niet in de definitie; verwacht een van {', '.join(map(str, monitor.editions))}")
    q = edition.questionnaires.get(code)
    if q is None:
        raise FieldworkError(f"vragenlijst {code!r} bestaat niet in editie {year}; verwacht een van {', '.join(edition.questionnaires)}")
    with db.session() as s:
        if s.scalar(select(Fieldwork.id).where(Fieldwork.edition == year, Fieldwork.questionnaire == code)):
            raise FieldworkError(f"het veldwerk voor {code} {year} is al geopend")
        fieldwork = Fieldwork(
            edition=year, questionnaire=code, title=q.title if str(year) in q.title else f"{q.title} {year}", version=monitor.version,
            definition=q.model_dump_json(), structure=monitor.structure.model_dump_json(),
        )
        s.add(fieldwork)
        s.flush()
        return fieldwork.id


def open_questionnaire(fieldwork: Fieldwork) -> tuple[Questionnaire, Structure]:
    """The frozen questionnaire and structure of a fieldwork (parsed once per process)."""
    return _parsed(fieldwork.definition, fieldwork.structure)


@lru_cache(maxsize=32)
def _parsed(questionnaire: str, structure: str) -> tuple[Questionnaire, Structure]:
    return Questionnaire.model_validate_json(questionnaire), Structure.model_validate_json(structure)


def fieldwork_open(s: Any, fieldwork_id: int) -> Fieldwork:
    fieldwork = s.get(Fieldwork, fieldwork_id)
    if fieldwork is None:
        raise FieldworkError(f"veldwerk {fieldwork_id} bestaat niet")
    if fieldwork.status != "open":
        raise FieldworkError(f"het veldwerk {fieldwork.title} is gesloten")
    return fieldwork


def import_invitations(db: Database, keys: Keys, fieldwork_id: int, filename: str, content: bytes) -> int:
    """Check the whole list, then store every invitee with a new unique code; returns the count."""
    rows = read_table(filename, content)
    with db.session() as s:
        fieldwork = fieldwork_open(s, fieldwork_id)
        q, structure = open_questionnaire(fieldwork)
        known = set(s.scalars(select(Invitation.email).where(Invitation.fieldwork_id == fieldwork_id)))
        invitees = check(filename, rows, q, structure, known)
        for person in invitees:
            code = new_code()
            s.add(Invitation(fieldwork_id=fieldwork_id, code_hash=keys.code_hash(code), code_sealed=keys.seal(code), **vars(person)))
        return len(invitees)


@dataclass(frozen=True)
class Recipient:
    name: str
    email: str
    organisation: str | None
    code: str
    link: str
    status: str


def recipients(db: Database, keys: Keys, fieldwork_id: int, base_url: str, reminder: bool = False) -> list[Recipient]:
    """Everyone invited, or for a reminder everyone who has not submitted (counted as reminded)."""
    out = []
    with db.session() as s:
        query = select(Invitation).where(Invitation.fieldwork_id == fieldwork_id).order_by(Invitation.id)
        if reminder:
            fieldwork_open(s, fieldwork_id)
            query = query.where(Invitation.status != "completed")
        for inv in s.scalars(query):
            code = str(keys.unseal(inv.code_sealed))
            out.append(Recipient(inv.name, inv.email, inv.organisation, code, f"{base_url.rstrip('/')}/start?code={code}", inv.status))
            if reminder:
                inv.reminders += 1
    return out


FORMULA = ("=", "+", "-", "@", "\t", "\r")


def inert(value: object) -> object:
    """A cell a spreadsheet shows as text: a leading quote before what would start a formula
    (a name like `=HYPERLINK(…)` from an imported list would otherwise run when opened)."""
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA) else value


def mailing(db: Database, keys: Keys, fieldwork_id: int, base_url: str, reminder: bool = False) -> str:
    """A CSV for mail merge (invitation, or reminder to those who did not complete)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["naam", "e-mail", "organisatie", "code", "link", "status"])
    for r in recipients(db, keys, fieldwork_id, base_url, reminder):
        writer.writerow([inert(v) for v in (r.name, r.email, r.organisation, r.code, r.link, r.status)])
    return out.getvalue()


def monitoring(db: Database, fieldwork_id: int) -> list[dict[str, Any]]:
    """Per stratum (group, gender, province, size class): invited, started, completed and the
    response rate (completed / invited); the last row is the total."""
    keys = (Invitation.group, Invitation.layer, Invitation.gender, Invitation.province, Invitation.size_class)
    with db.session() as s:
        rows = s.execute(
            select(*keys, Invitation.status, func.count()).where(Invitation.fieldwork_id == fieldwork_id).group_by(*keys, Invitation.status)
        ).all()
    counts: dict[tuple, Counter] = {}
    for *stratum, status, n in rows:
        counts.setdefault(tuple(stratum), Counter())[status] += n
    out = []
    total: Counter = Counter()
    for stratum in sorted(counts, key=lambda k: tuple(v or "" for v in k)):
        c = counts[stratum]
        total.update(c)
        out.append(_rate(dict(zip(("group", "layer", "gender", "province", "size_class"), stratum, strict=True)), c))
    out.append(_rate({"group": None, "layer": None, "gender": None, "province": None, "size_class": None, "total": True}, total))
    return out


def drop_off(db: Database, fieldwork_id: int) -> dict[str | None, list[tuple[str, int]]]:
    """Per group (or layer, for organisation questionnaires): how many were invited, started,
    completed each page every respondent of the group sees, and submitted."""
    with db.session() as s:
        fieldwork = s.get(Fieldwork, fieldwork_id)
        if fieldwork is None:
            raise FieldworkError(f"veldwerk {fieldwork_id} bestaat niet")
        q, _ = open_questionnaire(fieldwork)
        rows = s.execute(select(Invitation.group, Invitation.layer, Invitation.status, Invitation.reached, func.count())
                         .where(Invitation.fieldwork_id == fieldwork_id)
                         .group_by(Invitation.group, Invitation.layer, Invitation.status, Invitation.reached)).all()
    out: dict[str | None, list[tuple[str, int]]] = {}
    for group in sorted({g or layer for g, layer, *_ in rows}):
        mine = [(status, reached, n) for g, layer, status, reached, n in rows if (g or layer) == group]
        steps = [("uitgenodigd", sum(n for *_, n in mine)), ("begonnen", sum(n for status, _, n in mine if status != "invited"))]
        pages = common_pages(q, group if any(g for g, *_ in rows) else None)
        steps += [(f"pagina {k} af", sum(n for status, reached, n in mine if reached >= k or status == "completed")) for k in range(1, pages + 1)]
        out[group] = [*steps, ("verzonden", sum(n for status, _, n in mine if status == "completed"))]
    return out


def fieldwork_account(db: Database, edition: int) -> list[dict[str, Any]]:
    """The rows of the edition's fieldwork account (veldwerk.csv, `miv.intake.fieldwork`) from
    its web fieldworks: per questionnaire the number invited per group (per layer for one
    answered per organisation), 0 where nobody was. Counts per group only: nothing per
    person, and no finer stratum than the publications' response table shows."""
    with db.session() as s:
        fieldworks = list(s.scalars(select(Fieldwork).where(Fieldwork.edition == edition).order_by(Fieldwork.id)))
        counted = {(f, g, layer): n for f, g, layer, n in s.execute(
            select(Invitation.fieldwork_id, Invitation.group, Invitation.layer, func.count())
            .join(Fieldwork, Fieldwork.id == Invitation.fieldwork_id).where(Fieldwork.edition == edition)
            .group_by(Invitation.fieldwork_id, Invitation.group, Invitation.layer))}
    if not fieldworks:
        raise FieldworkError(f"er is geen webveldwerk in editie {edition}")
    rows: list[dict[str, Any]] = []
    for fieldwork in fieldworks:
        q, structure = open_questionnaire(fieldwork)
        if q.unit is Unit.ORGANISATION:
            units = [(None, g.layer) for g in structure.groups if g.chair and g.code in q.groups]
        else:
            layers = {g.code: g.layer for g in structure.groups}
            units = [(group, layers[group]) for group in q.groups]
        rows += [{"questionnaire": q.code, "group": group, "layer": layer, "invited": counted.get((fieldwork.id, group, layer), 0)}
                 for group, layer in units]
    return rows


def _rate(stratum: dict[str, Any], c: Counter) -> dict[str, Any]:
    invited = c["invited"] + c["started"] + c["completed"]
    return {**stratum, "invited": invited, "started": c["started"] + c["completed"], "completed": c["completed"],
            "rate": c["completed"] / invited if invited else 0.0}


def completed_records(db: Database, fieldwork_id: int) -> list[dict[str, Any]]:
    """The submitted responses as records for the intake: respondent_id, edition, questionnaire,
    the stratum columns (and organisation for organisation questionnaires), then the
    variables as docs/intake.md codes them. Ordered by the random id, which says nothing of order."""
    with db.session() as s:
        fieldwork = s.get(Fieldwork, fieldwork_id)
        if fieldwork is None:
            raise FieldworkError(f"veldwerk {fieldwork_id} bestaat niet")
        if fieldwork.status == "open":
            raise FieldworkError(f"het veldwerk {fieldwork.title} is nog open: de antwoorden komen pas vrij als een beheerder het veldwerk sluit")
        q, _ = open_questionnaire(fieldwork)
        out = []
        for r in s.scalars(select(Response).where(Response.fieldwork_id == fieldwork_id).order_by(Response.id)):
            head: dict[str, Any] = {"respondent_id": r.id, "edition": fieldwork.edition, "questionnaire": fieldwork.questionnaire}
            head.update({c: getattr(r, c) for c in STRATUM})
            if q.unit is Unit.ORGANISATION:
                head["organisation"] = r.organisation
            out.append(head | r.answers)
        return out


def respondent_table(db: Database, monitor: Monitor, fieldwork_id: int) -> tuple[pl.DataFrame, intake.Report]:
    """The submitted responses as the intake's respondent table and validation report, the
    same shape a .sav import of this questionnaire gives."""
    with db.session() as s:
        fieldwork = s.get(Fieldwork, fieldwork_id)
        if fieldwork is None:
            raise FieldworkError(f"veldwerk {fieldwork_id} bestaat niet")
        edition, code = fieldwork.edition, fieldwork.questionnaire
    return intake.read_records(completed_records(db, fieldwork_id), monitor, edition, code)


def find_fieldwork(db: Database, edition: int, questionnaire: str) -> int:
    with db.session() as s:
        found = s.scalar(select(Fieldwork.id).where(Fieldwork.edition == edition, Fieldwork.questionnaire == questionnaire))
    if found is None:
        raise FieldworkError(f"er is geen veldwerk voor vragenlijst {questionnaire} in editie {edition}")
    return found

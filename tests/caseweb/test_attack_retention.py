"""Audit entries end with their case (docs/cases.md, "Retention"): `purge` deletes a case's
entries under a signed `vernietigd` entry that names them, and the chain still verifies. A
database writer without the master key who deletes an open case's entries cannot make that
look like a purge, on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import json
from sqlalchemy import delete, func, select

from miv.cases import Action
from miv.cases.audit import removal
from miv.casework.logstore import entry_from_row
from miv.store.cases import AuditRow, CaseRow

from .caseweb_support import Team, at
from .test_store import walk

LATER = at(6 * 366)


def _findings(team: Team) -> list[str]:
    return [str(f) for f in team.work.verify_log().findings]


def _entries(team: Team, case_id: str) -> list[AuditRow]:
    with team.work.db.session() as s:
        return list(s.scalars(select(AuditRow).where(AuditRow.case_id == case_id).order_by(AuditRow.seq)))


def _purged(team: Team):
    closed, running = walk(team), walk(team, until=Action.REGISTREREN)
    team.work.contents(team["voorzitter"].member, running, at(3))
    team.work.contents(team["voorzitter"].member, closed, at(10))
    before = _entries(team, closed.id)
    assert team.work.purge(LATER)[1] == [closed]
    return closed, running, before


def test_a_purge_takes_the_cases_log_entries_and_the_chain_still_verifies(team: Team):
    closed, running, before = _purged(team)
    [purge] = _entries(team, closed.id)
    detail = json.loads(purge.detail)
    assert purge.action == "vernietigd" and detail["regels"] == len(before) > 10
    assert detail["kop"] == hashlib.sha256("".join(r.hash for r in before).encode()).hexdigest()
    assert team.work.verify_log().ok, _findings(team)
    assert len(_entries(team, running.id)) > 3 and team.work.case(running.id) is not None


def test_deleting_an_open_cases_entries_cannot_be_dressed_as_a_purge(team: Team):
    closed, running, _ = _purged(team)
    victims = [entry_from_row(r) for r in _entries(team, running.id)]
    with team.work.db.session() as s:  # the writer copies the shape of the real purge entry, without the key
        s.execute(delete(AuditRow).where(AuditRow.case_id == running.id))
        s.execute(delete(CaseRow).where(CaseRow.id == running.id))
        head = s.scalar(select(AuditRow).order_by(AuditRow.seq.desc()).limit(1))
        forged = AuditRow(seq=head.seq + 1, at=LATER.isoformat(), actor="systeem", action="vernietigd", case_id=running.id,
                          organisation=running.organisation, detail=json.dumps(removal(victims), sort_keys=True, separators=(",", ":")),
                          previous=head.hash, hash=hashlib.sha256(b"geraden").hexdigest(), key_version=0)
        s.add(forged)
    findings = _findings(team)
    assert any(f.startswith(f"logregel {head.seq + 1} ") and f.endswith("inhoud gewijzigd: de hash klopt niet met de regel") for f in findings), findings
    assert any(f"logregel {victims[-1].seq} ontbreekt: regels verwijderd" in f for f in findings), findings


def test_widening_the_real_purge_entry_to_cover_an_open_case_is_named(team: Team):
    closed, running, _ = _purged(team)
    victims = {r.seq for r in _entries(team, running.id)}
    with team.work.db.session() as s:
        purge = s.scalar(select(AuditRow).where(AuditRow.action == "vernietigd"))
        detail = json.loads(purge.detail)
        purge.detail = json.dumps(detail | {"verwijderd": detail["verwijderd"] + "," + ",".join(map(str, sorted(victims)))},
                                  sort_keys=True, separators=(",", ":"))
        s.execute(delete(AuditRow).where(AuditRow.case_id == running.id))
        remaining = s.scalar(select(func.count()).select_from(AuditRow))
    findings = _findings(team)
    assert any(f"logregel {purge.seq} " in f and "inhoud gewijzigd" in f for f in findings), findings
    assert any(f"logregel {purge.seq - 1} ontbreekt: regels verwijderd ({purge.seq - 1} in totaal" in f for f in findings), findings
    assert remaining == 1 and f"zaak {running.id}: heeft geen stand in het logboek: zijn logregels zijn verwijderd" in findings


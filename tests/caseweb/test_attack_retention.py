"""Audit entries end with their case (docs/cases.md, "Retention"): `purge` deletes a case's
entries under a signed `vernietigd` entry that names them, and the chain still verifies. A
database writer without the master key who deletes an open case's entries cannot make that
look like a purge, on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import json

import pytest
from sqlalchemy import delete, func, select

from miv.cases import Action, CaseError
from miv.cases.audit import removal
from miv.casework.logstore import entry_from_row
from miv.store.cases import AuditRow, CaseRow, ContentRow, CountRow

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



def _tamper_then_purge(team: Team, how: str) -> tuple[str, str]:
    """A writer without the master key changes a closed case (one of its log entries, or its
    record), then waits for the retention date: the purge must not wipe the evidence. Returns
    the place the break must be named at, and the case id."""
    closed = walk(team)
    victim = _entries(team, closed.id)[3]
    with team.work.db.session() as s:
        if how == "logregel gewijzigd":
            s.get(AuditRow, victim.seq).actor = "iemand-anders"
        elif how == "logregel verwijderd":
            s.execute(delete(AuditRow).where(AuditRow.seq == victim.seq))
        else:  # the case's sealed reason replaced by another of its blobs
            [reason, other] = list(s.scalars(select(ContentRow).where(ContentRow.case_id == closed.id)
                                           .order_by(ContentRow.field)))[:2]
            reason.blob = other.blob
    place = {"logregel gewijzigd": f"logregel {victim.seq} ", "logregel verwijderd": f"logregel {victim.seq} ontbreekt"}
    return place.get(how, f"zaak {closed.id}, stap"), closed.id


@pytest.mark.parametrize("how", ["logregel gewijzigd", "logregel verwijderd", "dossier gewijzigd"])
def test_a_purge_refuses_to_erase_the_evidence_of_tampering(team: Team, how: str):
    place, case_id = _tamper_then_purge(team, how)
    before = _findings(team)
    assert any(place in f for f in before), before
    with team.work.db.session() as s:
        rows = s.scalar(select(func.count()).select_from(AuditRow))
    with pytest.raises(CaseError) as refused:
        team.work.purge(LATER)
    assert f"Zaak {case_id} wordt niet vernietigd" in refused.value.message and place.strip() in refused.value.message
    with team.work.db.session() as s:  # nothing deleted, nothing announced
        assert s.scalar(select(func.count()).select_from(AuditRow)) == rows
        assert s.get(CaseRow, case_id) is not None
        assert s.scalar(select(func.count()).select_from(ContentRow).where(ContentRow.case_id == case_id)) > 3
        assert s.scalar(select(func.count()).select_from(CountRow)) == 0
    assert _findings(team) == before  # verify-log still names the break

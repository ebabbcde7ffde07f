"""Attacks on the key hierarchy by someone who can write the database but holds no master
key (docs/cases.md, threat model): substituting a reader's public key must not get the
case key wrapped to the attacker."""

from __future__ import annotations

import hashlib
import hmac

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from sqlalchemy import delete, select, update

from miv.cases import (
    AccessDenied,
    Action,
    AuditEntry,
    CaseKey,
    DocumentStore,
    KeyProblem,
    KeyWrap,
    MasterKey,
    PersonKey,
    Report,
    ViolationForm,
    canonical,
)
from miv.cases.audit import legacy_key
from miv.casework import Casework
from miv.store.cases import AuditRow, ContentRow, PersonKeyRow, WrapRow

from .caseweb_support import SECRETS, Team, at


def _substitute(team: Team, victim: str, case_id: str) -> X25519PrivateKey:
    """The attacker's own key pair in place of the victim's public key, and the victim's wrap gone."""
    mine = X25519PrivateKey.generate()
    public = mine.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    with team.work.db.session() as s:
        s.execute(update(PersonKeyRow).where(PersonKeyRow.person == victim).values(public=public))
        s.execute(delete(WrapRow).where(WrapRow.case_id == case_id, WrapRow.person == victim))
    return mine


def _attacker_reads(team: Team, victim: str, case_id: str, private: X25519PrivateKey) -> str | None:
    """What the attacker opens with their private key from the wrap rows, if anything."""
    with team.work.db.session() as s:
        wrap = s.get(WrapRow, (case_id, victim))
        key = s.get(PersonKeyRow, victim)
        blob = s.get(ContentRow, (case_id, "betrokkene"))
        if wrap is None or key is None:
            return None
        person = PersonKey(key.person, key.public, key.sealed_private, key.master_id)
        try:
            opened = CaseKey.unwrap(KeyWrap(wrap.case_id, wrap.person, wrap.ephemeral, wrap.sealed_key), person, private)
        except KeyProblem:
            return None
        return opened.open_text("betrokkene", blob.blob)


def test_a_substituted_public_key_stops_the_next_step_and_is_logged(team: Team):
    p, work = team.people, team.work
    case = work.open(p["ondersteuning"].member, Report(SECRETS[2], SECRETS[0]), at(0))
    victim = p["adviseur"].member.person
    private = _substitute(team, victim, case.id)
    try:
        work.take(p["voorzitter"].member, case, Action.REGISTREREN, at(1), forms=frozenset({ViolationForm.BELANG}))
        refused = None
    except KeyProblem as exc:
        refused = exc
    assert _attacker_reads(team, victim, case.id, private) is None
    assert refused is not None and "sleutel" in refused.message and victim in refused.message
    with work.db.session() as s:
        logged = s.scalars(select(AuditRow).where(AuditRow.action == "sleutel-afgewezen")).all()
        assert [(r.case_id, r.detail) for r in logged] == [(case.id, f'{{"persoon":"{victim}"}}')]
    assert work.case(case.id).stage.value == "melding"  # the step did not happen
    assert work.verify_log().ok


def test_a_substituted_key_of_a_new_member_is_refused_before_any_wrap(team: Team):
    """Granting a role re-wraps every readable case: a key planted before the grant must not receive one."""
    p, work = team.people, team.work
    case = work.open(p["ondersteuning"].member, Report(SECRETS[2], SECRETS[0]), at(0))
    work.revoke("beheer", p["adviseur"].user_id, p["adviseur"].member.organisation, at(1))
    victim = p["adviseur"].member.person
    private = _substitute(team, victim, case.id)
    try:
        work.grant("beheer", p["adviseur"].email, p["adviseur"].member.organisation, "integriteitsadviseur", at(2))
    except KeyProblem:
        pass
    assert _attacker_reads(team, victim, case.id, private) is None
    with pytest.raises(KeyProblem):
        work.grant("beheer", p["adviseur"].email, p["adviseur"].member.organisation, "integriteitsadviseur", at(3))


def test_master_key_rotation_keeps_cases_readable_and_old_entries_verifiable(team: Team, tmp_path):
    p, old = team.people, team.work.master
    case = team.work.open(p["ondersteuning"].member, Report(SECRETS[2], SECRETS[0]), at(0))
    new = MasterKey.create(tmp_path / "nieuw.key")
    assert team.work.rotate_master_key("beheer", new, at(1)) > len(p)
    rotated = Casework(team.work.db, new, DocumentStore(team.documents))
    assert rotated.contents(p["voorzitter"].member, case, at(2)).fields["omschrijving"] == SECRETS[2]
    rotated.take(p["voorzitter"].member, case, Action.REGISTREREN, at(3), forms=frozenset({ViolationForm.BELANG}))
    assert rotated.verify_log().ok
    with pytest.raises(KeyProblem):  # the old master key file (say, from a backup) opens nothing any more
        Casework(team.work.db, old, DocumentStore(team.documents)).contents(p["voorzitter"].member, case, at(4))


def test_audit_key_rotation_keeps_old_entries_and_refuses_an_entry_signed_with_a_retired_key(team: Team):
    work = team.work
    work.record("u1", "inloggen", at(0))
    assert work.rotate_audit_key("beheer", at(1)) == 1
    work.record("u1", "inloggen", at(2))
    with work.db.session() as s:
        assert list(s.scalars(select(AuditRow.key_version).order_by(AuditRow.seq))) == [0, 1, 1]
        head = s.scalars(select(AuditRow).order_by(AuditRow.seq.desc())).first()
        forged = AuditEntry(head.seq + 1, head.at, "u666", "lezen", None, None, {}, head.hash, "")
        s.add(AuditRow(seq=forged.seq, at=forged.at, actor=forged.actor, action=forged.action, detail="{}", previous=head.hash,
                       hash=hmac.new(legacy_key(work.master), canonical(forged.body()), hashlib.sha256).hexdigest(), key_version=0))
    assert work.verify_log().ok is False
    assert [f.seq for f in work.verify_log().findings if f.seq is not None] == [head.seq + 1]


def test_person_key_rotation_rewraps_their_cases_and_the_old_private_key_opens_nothing(team: Team):
    p, work = team.people, team.work
    case = work.open(p["ondersteuning"].member, Report(SECRETS[2], SECRETS[0]), at(0))
    adviser = p["adviseur"].member.person
    with work.db.session() as s:
        row = s.get(PersonKeyRow, adviser)
        before = PersonKey(row.person, row.public, row.sealed_private, row.master_id).unlock(work.master)
    assert work.rotate_person_key("beheer", adviser, at(1)) == 1
    assert work.contents(p["adviseur"].member, case, at(2)).fields["omschrijving"] == SECRETS[2]
    with work.db.session() as s:
        row, wrap = s.get(PersonKeyRow, adviser), s.get(WrapRow, (case.id, adviser))
        person = PersonKey(row.person, row.public, row.sealed_private, row.master_id)
        with pytest.raises(KeyProblem):
            CaseKey.unwrap(KeyWrap(wrap.case_id, wrap.person, wrap.ephemeral, wrap.sealed_key), person, before)


def test_removing_a_member_removes_every_wrap_they_held(team: Team):
    p, work = team.people, team.work
    cases = [work.open(p["ondersteuning"].member, Report(SECRETS[2], SECRETS[0]), at(n)) for n in range(2)]
    adviser = p["adviseur"]
    work.revoke("beheer", adviser.user_id, adviser.member.organisation, at(3))
    with work.db.session() as s:
        assert s.scalars(select(WrapRow).where(WrapRow.person == adviser.member.person)).all() == []
    with pytest.raises(AccessDenied):
        work.contents(adviser.member, cases[0], at(4))

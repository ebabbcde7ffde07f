"""Attacks on the key hierarchy by someone who can write the database but holds no master
key (docs/cases.md, threat model): substituting a reader's public key must not get the
case key wrapped to the attacker."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from sqlalchemy import delete, select, update

from miv.cases import Action, CaseKey, KeyProblem, KeyWrap, PersonKey, Report, ViolationForm
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

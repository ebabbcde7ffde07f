"""Attacks by a recused chair (the accused mayor) on the case about him (docs/cases.md,
"Recusal"): through the access page, the members, the organisation's log and the figures."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from miv.cases import (
    AccessDenied,
    Action,
    CaseError,
    Report,
    Role,
    TransitionError,
    ViolationForm,
)
from miv.casework import MemberError
from miv.store.cases import WrapRow
from miv.web.accounts import add_user

from .caseweb_support import ORG, PASSWORD, SECRETS, Team, at, email
from .web_cases import BASE, CaseSite, post


def _deputy(team: Team):
    """A second chair (the plaatsvervanger), so the mayor can be recused."""
    add_user(team.work.db, email("plaatsvervanger"), "Plaatsvervanger", "zaken", PASSWORD)
    return team.work.grant("beheer", email("plaatsvervanger"), ORG, Role.CHAIR.value, at(0))


def _case_about_the_mayor(team: Team):
    _deputy(team)
    mayor = team["voorzitter"].member
    return team.work.open(team["ondersteuning"].member, Report(SECRETS[2], SECRETS[0]), at(1), frozenset({mayor.person}))


def test_a_recused_chair_cannot_add_an_account_that_reads_his_case(team: Team):
    case = _case_about_the_mayor(team)
    mayor = team["voorzitter"].member
    add_user(team.work.db, "stroman@zaken.nl", "Stroman", "zaken", PASSWORD)
    try:
        puppet = team.work.grant(mayor, "stroman@zaken.nl", ORG, Role.ADVISER.value, at(2))
    except (AccessDenied, MemberError):
        puppet = None
    if puppet is not None:
        with pytest.raises(AccessDenied):
            team.work.contents(puppet.member, case, at(3))
    assert puppet is None


def test_a_recused_chair_cannot_remove_the_other_chair(team: Team):
    _case_about_the_mayor(team)
    deputy = next(p for p in team.work.people(ORG) if p.email == email("plaatsvervanger"))
    with pytest.raises((AccessDenied, MemberError)):
        team.work.revoke(team["voorzitter"].member, deputy.user_id, ORG, at(2))
    assert any(p.email == email("plaatsvervanger") for p in team.work.people(ORG))


def test_nobody_can_remove_the_last_chair_who_may_decide_an_open_case(team: Team):
    _case_about_the_mayor(team)
    deputy = next(p for p in team.work.people(ORG) if p.email == email("plaatsvervanger"))
    with pytest.raises(MemberError, match="plaatsvervang"):
        team.work.revoke("beheer", deputy.user_id, ORG, at(2))


def test_a_recused_chair_sees_no_log_entry_and_no_count_of_his_case(team: Team):
    case = _case_about_the_mayor(team)
    work, mayor = team.work, team["voorzitter"].member
    work.take(team["ondersteuning"].member, case, Action.REGISTREREN, at(2), forms=frozenset({ViolationForm.BELANG}))
    with pytest.raises(AccessDenied):
        work.organisation_log(mayor)
    assert work.counts_for(mayor).questionnaire_row(ORG, 2026)["MELD_AANTAL"] == 0
    assert work.counts_for(team["auditor"].member).questionnaire_row(ORG, 2026)["MELD_AANTAL"] == 1
    assert case.id in {e.case for e in work.organisation_log(team["auditor"].member)}


def test_recusal_after_intake_with_a_reason_takes_the_key_away(team: Team):
    _deputy(team)
    work, adviser = team.work, team["adviseur"].member
    case = work.open(team["ondersteuning"].member, Report(SECRETS[2], SECRETS[0]), at(1))
    support = team["ondersteuning"].member
    with pytest.raises(TransitionError, match="reden"):
        work.recuse(adviser, case, support.person, "", at(2))
    case = work.recuse(adviser, case, support.person, "Zwager van de betrokkene.", at(2))
    assert support.person in case.recused
    with work.db.session() as s:
        assert support.person not in set(s.scalars(select(WrapRow.person).where(WrapRow.case_id == case.id)))
    with pytest.raises(AccessDenied):
        work.contents(support, case, at(3))
    fields = work.contents(team["voorzitter"].member, case, at(3)).fields
    assert "Zwager van de betrokkene." in fields.values()
    with pytest.raises(AccessDenied):  # neither support nor the auditor may recuse
        work.recuse(team["auditor"].member, case, adviser.person, "Zomaar.", at(4))


def test_recusing_every_chair_or_the_auditor_is_refused_with_who_must_act(team: Team):
    work = team.work
    mayor, auditor = team["voorzitter"].member, team["auditor"].member
    with pytest.raises(CaseError, match="plaatsvervangend voorzitter"):
        work.open(team["ondersteuning"].member, Report(SECRETS[2], SECRETS[0]), at(1), frozenset({mayor.person}))
    case = work.open(team["ondersteuning"].member, Report(SECRETS[2], SECRETS[0]), at(1))
    with pytest.raises(CaseError, match="plaatsvervangend voorzitter"):
        work.recuse(team["adviseur"].member, case, mayor.person, "Betrokkene.", at(2))
    with pytest.raises(CaseError, match="auditor"):
        work.recuse(mayor, case, auditor.person, "Betrokkene.", at(2))


def test_the_adviser_names_a_substitute_chair_when_the_chair_is_recused(team: Team):
    work = team.work
    add_user(work.db, email("loco"), "Locoburgemeester", "zaken", PASSWORD)
    substitute = work.grant(team["adviseur"].member, email("loco"), ORG, Role.CHAIR.value, at(0))
    assert substitute.member.role is Role.CHAIR
    with pytest.raises(AccessDenied):  # the adviser names chairs only
        work.grant(team["adviseur"].member, email("loco"), ORG, Role.AUDITOR.value, at(0))


def test_through_the_pages_the_recused_chair_gets_no_access_page_and_no_log(engine_site: CaseSite):  # SQLite and PostgreSQL
    site = engine_site
    team = site.team
    case = _case_about_the_mayor(team)
    add_user(site.db, "stroman@zaken.nl", "Stroman", "zaken", PASSWORD)
    with site.client() as mayor:
        site.sign_in(mayor, "voorzitter")
        added = post(mayor, f"{BASE}/toegang", {"email": "stroman@zaken.nl", "rol": "integriteitsadviseur"})
        log = mayor.get(f"{BASE}/logboek")
        assert mayor.get(f"{BASE}/zaak/{case.id}").status_code == 404
        assert case.id not in mayor.get(BASE).text
    assert all(p.email != "stroman@zaken.nl" for p in team.work.people(ORG))
    assert added.status_code == 403 and "plaatsvervang" in added.text
    assert log.status_code == 403 and case.id not in log.text

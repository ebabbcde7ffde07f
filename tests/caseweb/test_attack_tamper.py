"""Attacks by someone who can write (or dump) the database but holds no master key, on the
case record and the audit chain (docs/cases.md, "Tamper evidence"): every edit is named by
`verify-log` and refused when the case is loaded; a dump names neither the accused nor the outcome."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import select, text

from miv.cases import Action, CaseError, Outcome, Report, Role, ViolationForm
from miv.store.cases import CaseRow, StepRow

from .caseweb_support import ORG, PASSWORD, SECRETS, Team, anchor_path, at, email
from .test_store import walk


def _findings(team: Team) -> list[str]:
    return [str(f) for f in team.work.verify_log().findings]


def _mayor_recused(team: Team):
    from miv.web.accounts import add_user

    add_user(team.work.db, email("plaatsvervanger"), "Plaatsvervanger", "zaken", PASSWORD)
    team.work.grant("beheer", email("plaatsvervanger"), ORG, Role.CHAIR.value, at(0))
    return team.work.open(team["ondersteuning"].member, Report(SECRETS[2], SECRETS[0]), at(1), frozenset({team["voorzitter"].member.person}))


def test_an_edited_outcome_is_named_and_the_case_refused(team: Team):
    case = walk(team, until=Action.BESLUITEN)
    with team.work.db.session() as s:
        s.execute(text(f"update case_steps set outcome = 'ongegrond' where case_id = '{case.id}' and position = 7"))
    assert any(f"zaak {case.id}, stap 8: uitkomst gewijzigd" in f for f in _findings(team))
    with pytest.raises(CaseError, match="uitkomst"):
        team.work.case(case.id)


def test_edited_violation_forms_are_named(team: Team):
    case = walk(team, until=Action.REGISTREREN)
    with team.work.db.session() as s:
        s.execute(text(f"update case_steps set forms = 'gedrag' where case_id = '{case.id}' and position = 1"))
    assert any(f"zaak {case.id}, stap 2: vormen gewijzigd" in f for f in _findings(team))


def test_an_emptied_recused_column_lets_the_accused_in_nowhere(team: Team):
    case = _mayor_recused(team)
    with team.work.db.session() as s:
        s.execute(text(f"update cases set recused = '' where id = '{case.id}'"))
    assert any(f"zaak {case.id}: uitgesloten gewijzigd" in f for f in _findings(team))
    with pytest.raises(CaseError):
        team.work.contents(team["voorzitter"].member, team.work.case(case.id), at(2))
    with team.work.db.session() as s:
        assert s.scalar(text(f"select count(*) from case_key_wraps where case_id = '{case.id}' and person = "
                             f"'{team['voorzitter'].member.person}'")) == 0


def test_a_deleted_step_and_a_record_rolled_back_are_named(team: Team):
    case = walk(team, until=Action.VOORONDERZOEK_STARTEN)
    with team.work.db.session() as s:
        old = {c: getattr(s.get(CaseRow, case.id), c) for c in ("recused", "mac")}
        old_step = {c.name: getattr(s.get(StepRow, (case.id, 2)), c.name) for c in StepRow.__table__.columns}
    team.work.take(team["adviseur"].member, team.work.case(case.id), Action.VOORONDERZOEK_AFRONDEN, at(4), reason="Concreet.")
    with team.work.db.session() as s:  # back to the valid state of before the last step
        s.execute(text(f"delete from case_steps where case_id = '{case.id}' and position = 3"))
        row = s.get(CaseRow, case.id)
        row.recused, row.mac = old["recused"], old["mac"]
        assert old_step["mac"] == s.get(StepRow, (case.id, 2)).mac
    assert any(f"zaak {case.id}: wijkt af van de laatste stand in het logboek" in f for f in _findings(team))


def test_a_deleted_case_is_named(team: Team):
    case = walk(team, until=Action.REGISTREREN)
    with team.work.db.session() as s:
        s.execute(text(f"delete from cases where id = '{case.id}'"))
    assert any(f"zaak {case.id}: ontbreekt" in f for f in _findings(team))


def test_a_forged_membership_makes_no_reader(team: Team):
    case = walk(team, until=Action.REGISTREREN)
    outsider = team["buitenstaander"]
    with team.work.db.session() as s:
        s.execute(text(f"insert into case_members (user_id, organisation, role) values ({outsider.user_id}, '{ORG}', 'voorzitter')"))
    with pytest.raises(CaseError, match="gewijzigd buiten de applicatie"):
        team.work.take(team["voorzitter"].member, case, Action.VOORONDERZOEK_STARTEN, at(3))
    assert any("rol gewijzigd" in f for f in _findings(team))


def test_a_dump_joined_to_users_names_neither_the_accused_nor_the_outcome(team: Team):
    case = _mayor_recused(team)
    walk(team)
    with team.work.db.session() as s:
        named = s.execute(text("select u.email from cases c join users u on c.recused like '%u' || u.id || '%'")).all()
        outcomes = set(s.scalars(select(StepRow.outcome)))
        recusal_log = s.scalars(text(f"select detail from audit_log where case_id = '{case.id}'")).all()
    assert named == []
    assert not outcomes & {o.value for o in Outcome}
    assert all(team["voorzitter"].member.person not in d for d in recusal_log)


def test_a_missing_or_older_anchor_file_is_an_error(team: Team, tmp_path):
    walk(team, until=Action.REGISTREREN)
    anchor = anchor_path(team.documents)
    shutil.copy(anchor, tmp_path / "oud.txt")
    team.work.take(team["voorzitter"].member, team.work.all_cases()[0], Action.VOORONDERZOEK_STARTEN, at(5))
    shutil.copy(tmp_path / "oud.txt", anchor)
    assert any("het ankerbestand is teruggezet" in f for f in _findings(team))
    anchor.unlink()
    assert any("ontbreekt of is leeg" in f for f in _findings(team))


def test_deleting_the_last_entries_is_caught_by_the_anchor(team: Team):
    walk(team, until=Action.REGISTREREN)
    with team.work.db.session() as s:
        s.execute(text("delete from audit_log where seq >= (select max(seq) - 1 from audit_log)"))
    assert any("die ontbreekt: regels verwijderd" in f for f in _findings(team))


def test_the_recorded_fields_of_a_step_are_in_its_audit_entry(team: Team):
    case = walk(team, until=Action.ONDERZOEK_INSTELLEN)
    entries = [e for e in team.work.organisation_log(team["auditor"].member) if e.case == case.id]
    step = next(e for e in entries if e.action == Action.ONDERZOEK_INSTELLEN.value)
    assert step.detail["onderzoeker"] == team["onderzoeker"].member.person and step.detail["rol"] == "voorzitter"
    assert step.detail["fase"] == "onderzoek" and len(str(step.detail["staat"])) == 32
    registered = next(e for e in entries if e.action == Action.REGISTREREN.value)
    assert registered.detail["vormen"] == ViolationForm.BELANG.value


def test_the_log_page_checks_the_anchor_and_the_records(engine_site):  # SQLite and PostgreSQL
    site = engine_site
    from .web_cases import BASE

    team = site.team
    case = walk(team, until=Action.REGISTREREN)
    with site.db.session() as s:
        s.execute(text(f"update case_steps set forms = 'gedrag' where case_id = '{case.id}' and position = 1"))
    anchor_path(team.documents).unlink()
    with site.client() as auditor:
        site.sign_in(auditor, "auditor")
        page = auditor.get(f"{BASE}/logboek").text
    assert "Het logboek is aangetast" in page and "ontbreekt of is leeg" in page and f"zaak {case.id}, stap 2: vormen gewijzigd" in page

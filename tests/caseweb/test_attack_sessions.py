"""A copied case cookie (docs/cases.md, "Sessions"): it dies when its owner signs out, when
their case role is taken away and when their second factor is reset."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from miv.store.cases import AuditRow

from .caseweb_support import ORG, SECRETS
from .web_cases import BASE, CaseSite, post, report


def _copy(site: CaseSite, client):
    thief = site.client()
    thief.cookies.update(client.cookies)
    return thief


def _opens(client, path: str) -> bool:
    response = client.get(path)
    return response.status_code == 200 and SECRETS[0] in response.text


def test_a_cookie_copied_before_sign_out_opens_nothing_after(engine_site: CaseSite):  # SQLite and PostgreSQL
    site = engine_site
    chair = site.client()
    site.sign_in(chair, "voorzitter")
    case_id = report(site, chair)
    thief = _copy(site, chair)
    assert _opens(thief, f"{BASE}/zaak/{case_id}")
    assert post(chair, "/beheer/uitloggen").status_code == 303
    response = thief.get(f"{BASE}/zaak/{case_id}")
    assert response.status_code == 303 and response.headers["location"].startswith("/beheer/inloggen")


def test_removing_a_member_and_resetting_totp_end_their_sessions(engine_site: CaseSite):  # SQLite and PostgreSQL
    site = engine_site
    team = site.team
    chair, adviser, auditor = site.client(), site.client(), site.client()
    site.sign_in(chair, "voorzitter")
    site.sign_in(adviser, "adviseur")
    site.sign_in(auditor, "auditor")
    case_id = report(site, chair)
    assert _opens(adviser, f"{BASE}/zaak/{case_id}")
    assert post(chair, f"{BASE}/toegang", {"verwijder": str(team["adviseur"].user_id)}).status_code == 303
    assert adviser.get(f"{BASE}/zaak/{case_id}").headers.get("location", "").startswith("/beheer/inloggen")
    team.work.reset_totp("beheer@bureau.nl", team["auditor"].user_id, team.work.case(case_id).received_at, timedelta(hours=72))
    assert auditor.get(f"{BASE}/logboek").headers.get("location", "").startswith("/beheer/inloggen")
    with site.db.session() as s:
        reset = s.scalars(select(AuditRow).where(AuditRow.action == "tweestaps-gereset")).one()
    assert reset.actor == "beheer@bureau.nl" and team["auditor"].member.person in reset.detail and ORG

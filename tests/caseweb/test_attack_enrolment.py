"""TOTP enrolment needs more than the password (docs/cases.md, "Roles and sign-in"): the
administrator's one-time enrolment code, stored only as a keyed hash bound to the person and
its expiry. Each test plays someone who has the password and tries to own the second factor,
on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone

from browser_support import csrf, csrf_in, login
from sqlalchemy import select, text, update

from miv.cases import normalise_receipt
from miv.store.cases import AuditRow, EnrolmentRow, TotpRow

from .caseweb_support import email
from .web_cases import BASE, CaseSite

PAGE = "/beheer/zaken/tweestaps"
SECRET = '<code class="miv-secret">'
DAY = timedelta(hours=72)


def _signed_in_with_password(site: CaseSite, name: str):
    client = site.client()
    login(client, email(name))
    return client


def _try_code(client, code: str):
    return client.post(PAGE, data={"csrf": csrf(client, PAGE), "inschrijfcode": code})


def _refused(response) -> bool:
    return response.status_code == 400 and SECRET not in response.text and "<title>Fout: " in response.text


def test_the_password_alone_shows_no_secret_and_opens_nothing(engine_site: CaseSite):
    client = _signed_in_with_password(engine_site, "voorzitter")
    page = client.get(PAGE)
    assert page.status_code == 200 and SECRET not in page.text and "inschrijfcode" in page.text
    guessed = client.post(PAGE, data={"csrf": csrf_in(page.text), "code": "123456"})
    assert _refused(guessed) and "Vul eerst de inschrijfcode" in guessed.text
    assert _refused(_try_code(client, "AAAA-BBBB-CCCC-DDDD"))
    assert client.get(BASE).status_code == 303
    with engine_site.db.session() as s:
        assert s.get(TotpRow, engine_site.team["voorzitter"].member.person) is None, "no secret was even made"


def test_a_used_code_fails_and_the_secret_is_shown_once(engine_site: CaseSite):
    site = engine_site
    code = site.enrolment_code("voorzitter")
    owner = _signed_in_with_password(site, "voorzitter")
    shown = site.enrol(owner, "voorzitter", code)
    assert shown.status_code == 200 and SECRET in shown.text and "alleen nu, één keer" in shown.text
    assert SECRET not in owner.get(PAGE).text, "the pending secret is not shown again"
    thief = _signed_in_with_password(site, "voorzitter")  # has the password and saw the code
    assert _refused(_try_code(thief, code))
    site.sign_in(owner, "voorzitter")
    assert owner.get(BASE).status_code == 200


def test_an_expired_code_fails_and_is_gone(engine_site: CaseSite):
    site = engine_site
    user = site.team["voorzitter"].user_id
    code = site.team.work.issue_enrolment("beheer", user, datetime.now(timezone.utc) - DAY - timedelta(minutes=1), DAY)
    assert _refused(_try_code(_signed_in_with_password(site, "voorzitter"), code))
    with site.db.session() as s:
        assert s.get(EnrolmentRow, site.team["voorzitter"].member.person) is None


def test_another_persons_code_fails_and_stays_theirs(engine_site: CaseSite):
    site = engine_site
    theirs = site.enrolment_code("adviseur")
    assert _refused(_try_code(_signed_in_with_password(site, "voorzitter"), theirs))
    assert site.enrol(_signed_in_with_password(site, "adviseur"), "adviseur", theirs).status_code == 200


def test_a_fresh_code_invalidates_the_old_one(engine_site: CaseSite):
    site = engine_site
    old, new = site.enrolment_code("voorzitter"), site.enrolment_code("voorzitter")
    client = _signed_in_with_password(site, "voorzitter")
    assert _refused(_try_code(client, old))
    assert site.enrol(client, "voorzitter", new).status_code == 200


def test_a_reader_of_the_code_table_cannot_enrol(engine_site: CaseSite):
    site = engine_site
    code = site.enrolment_code("voorzitter")
    with site.db.engine.connect() as connection:
        stored = [" ".join(map(str, row)) for row in connection.execute(text("select * from case_enrolment_codes"))]
        log = " ".join(str(row) for row in connection.execute(text("select * from audit_log")))
    plain = normalise_receipt(code)
    assert stored and all(plain not in row and code not in row and hashlib.sha256(plain.encode()).hexdigest() not in row for row in stored)
    assert plain not in log and code not in log
    client = _signed_in_with_password(site, "voorzitter")
    for row in stored:
        for value in row.split():
            assert _refused(_try_code(client, value))


def test_a_writer_cannot_move_a_code_to_another_person_extend_it_or_unhide_a_secret(engine_site: CaseSite):
    site = engine_site
    mine, victim = site.team["auditor"].member.person, site.team["voorzitter"].member.person
    my_code = site.enrolment_code("auditor")  # the attacker is a member with a code of his own
    with site.db.session() as s:
        row = s.get(EnrolmentRow, mine)
        s.add(EnrolmentRow(person=victim, code_hash=row.code_hash, expires_at=row.expires_at))
    assert _refused(_try_code(_signed_in_with_password(site, "voorzitter"), my_code))
    late = site.team.work.issue_enrolment("beheer", site.team["voorzitter"].user_id, datetime.now(timezone.utc) - 2 * DAY, DAY)
    with site.db.session() as s:
        s.execute(update(EnrolmentRow).where(EnrolmentRow.person == victim).values(expires_at="2099-01-01T00:00:00+00:00"))
    assert _refused(_try_code(_signed_in_with_password(site, "voorzitter"), late))
    owner = site.client()
    site.sign_in(owner, "adviseur")  # enrolled and confirmed
    with site.db.session() as s:
        s.execute(update(TotpRow).where(TotpRow.person == site.team["adviseur"].member.person).values(confirmed=False))
    again = _signed_in_with_password(site, "adviseur").get(PAGE)
    assert again.status_code == 200 and SECRET not in again.text, "an unconfirmed secret is never shown again"


def test_reset_totp_issues_a_code_and_is_logged_with_who_did_it(engine_site: CaseSite):
    site = engine_site
    chair = site.client()
    site.sign_in(chair, "voorzitter")
    code = site.team.work.reset_totp("Ada Beheer", site.team["voorzitter"].user_id, datetime.now(timezone.utc), DAY)
    assert chair.get(BASE).headers["location"].startswith("/beheer/inloggen")
    del site.secrets["voorzitter"]
    fresh = _signed_in_with_password(site, "voorzitter")
    assert SECRET not in fresh.get(PAGE).text
    assert site.enrol(fresh, "voorzitter", code).status_code == 200
    with site.db.session() as s:
        actions = {r.action: r for r in s.scalars(select(AuditRow))}
    reset = actions["tweestaps-gereset"]
    assert reset.actor == "Ada Beheer" and site.team["voorzitter"].member.person in reset.detail
    assert {"inschrijfcode-uitgegeven", "tweestaps-ingeschreven"} <= set(actions)

"""Case users' sessions attacked as docs/cases.md's cookie thief would: a cookie copied
before sign-out, after revocation or after an idle spell opens no case page and no
document; the second factor gives a new token. SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from browser_support import csrf, serve
from sqlalchemy import select, update

from miv.store.sessions import SessionRow, revoke_user_sessions
from miv.store.users import User
from miv.web.sessions import STAFF_COOKIE

from .caseweb_support import SECRETS, email
from .web_cases import BASE, CaseSite, make_case_site, post, report


@pytest.fixture
def case_site(db_url: str, tmp_path: Path) -> Iterator[CaseSite]:
    site = make_case_site(db_url, tmp_path)
    with serve(site.app) as url:
        site.url = url
        yield site
    site.close()


def open_case(site: CaseSite) -> tuple[httpx.Client, str, str]:
    """The chair signed in (password and TOTP), a case with a document; (chair, case page, document link)."""
    support, chair = site.client(), site.client()
    site.sign_in(support, "ondersteuning")
    site.sign_in(chair, "voorzitter")
    case_id = report(site, support)
    page = f"{BASE}/zaak/{case_id}"
    uploaded = post(support, f"{page}/documenten", files={"document": (SECRETS[5], f"Inhoud: {SECRETS[6]}".encode(), "application/pdf")})
    assert uploaded.status_code == 303, uploaded.text
    link = re.search(rf'href="({page}/documenten/[0-9a-f]+)"', chair.get(page).text).group(1)
    return chair, page, link


def copy(site: CaseSite, victim: httpx.Client) -> httpx.Client:
    thief = site.client()
    for cookie in victim.cookies.jar:
        thief.cookies.set(cookie.name, cookie.value)
    return thief


def opens(client: httpx.Client, page: str, link: str) -> bool:
    """Whether the client sees the case's content through the page or the document."""
    case, document = client.get(page), client.get(link)
    shown = SECRETS[0] in case.text or SECRETS[6].encode() in document.content
    assert shown or (case.status_code == document.status_code == 303 and "/beheer/inloggen" in case.headers["location"])
    return shown


def test_a_case_users_cookie_copied_before_sign_out_opens_nothing_after_it(case_site):
    chair, page, link = open_case(case_site)
    thief = copy(case_site, chair)
    assert opens(thief, page, link)  # while the chair is signed in the copy works
    assert chair.post("/beheer/uitloggen", data={"csrf": csrf(chair, page)}).status_code == 303
    assert not opens(thief, page, link) and not opens(chair, page, link)


def test_revoked_sessions_open_nothing(case_site):
    chair, page, link = open_case(case_site)
    thief = copy(case_site, chair)
    with case_site.db.session() as s:
        user_id = s.scalar(select(User.id).where(User.email == email("voorzitter")))
        assert revoke_user_sessions(s, user_id) >= 1
    assert not opens(thief, page, link) and not opens(chair, page, link)


def test_an_idle_case_session_opens_nothing(case_site):
    chair, page, link = open_case(case_site)
    with case_site.db.session() as s:
        s.execute(update(SessionRow).values(last_seen=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=16)))
    assert not opens(copy(case_site, chair), page, link)


def test_the_second_factor_gives_a_new_token(case_site):
    client = case_site.client()
    case_site.sign_in(client, "voorzitter", second_factor=False)
    after_password = client.cookies[STAFF_COOKIE]
    half = copy(case_site, client)  # stolen between password and code
    assert case_site.enrol(client, "voorzitter").status_code == 200
    done = client.post("/beheer/zaken/tweestaps", data={"csrf": csrf(client, "/beheer/zaken/tweestaps"), "code": case_site.code("voorzitter")})
    assert done.status_code == 303
    assert client.cookies[STAFF_COOKIE] != after_password
    assert client.get(BASE).status_code == 200
    assert half.get(BASE).headers["location"].startswith("/beheer/inloggen")  # not merely asked for the code

"""The reporter's pages over HTTP on the real app (docs/cases.md, "The message channel"): the
reporter follows the report with the code and writes; a guesser of codes is stopped per client
and server-wide, and a wrong code looks like an unknown case; a stolen reporter cookie dies at
sign-out and after ten idle minutes; the sessions table holds neither the case nor its key;
the mail to the reporter and the handlers holds no content."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from browser_support import csrf, serve
from sqlalchemy import text

from miv.store.sessions import SessionRow
from miv.web import reporter

from miv.cases import Report

from .caseweb_support import SECRETS, at, email
from .web_cases import BASE, CaseSite, assert_content_free, mailing_site, make_case_site, post

WRITTEN = "De wethouder liet de grond aan de Vaartweg taxeren door zijn zwager."
ANSWER = "Wij hebben uw melding beoordeeld en stellen een onderzoek in."


@pytest.fixture
def site_on(db_url: str, tmp_path: Path) -> Iterator[CaseSite]:
    """The case pages on SQLite and on PostgreSQL."""
    site = make_case_site(db_url, tmp_path)
    with serve(site.app) as url:
        site.url = url
        yield site
    site.close()


def _report(site: CaseSite, channel: str = "interne-meldvoorziening") -> tuple[str, str]:
    """Recorded by the support role; returns (case id, receipt code) from the receipt page."""
    support = site.client()
    site.sign_in(support, "ondersteuning")
    page = post(support, f"{BASE}/nieuw", {"omschrijving": f"{SECRETS[0]} en de {SECRETS[2]}.", "betrokkene": SECRETS[0],
                                           "melder": SECRETS[1], "kanaal": channel}).text
    code = page.split('id="ontvangstcode">', 1)[1].split("<", 1)[0]
    return re.search(rf'href="{re.escape(BASE)}/zaak/([^"]+)"', page).group(1), code


def _enter(client, code: str):
    return client.post("/melder", data={"csrf": csrf(client, "/melder"), "code": code})


def _reporter(site: CaseSite, code: str):
    client = site.client()
    response = _enter(client, code)
    assert response.status_code == 303 and response.headers["location"] == "/melder/berichten", response.text
    return client


def _write(client, message: str, file: tuple[str, bytes] | None = None):
    files = {"bijlage": (file[0], file[1], "application/pdf") if file else ("", b"", "application/octet-stream")}
    return client.post("/melder/berichten", data={"csrf": csrf(client, "/melder/berichten"), "bericht": message}, files=files)


def _answer(site: CaseSite, case_id: str, message: str, feedback: bool = False, name: str = "voorzitter"):
    handler = site.client()
    site.sign_in(handler, name)
    data = {"csrf": csrf(handler, f"{BASE}/zaak/{case_id}"), "bericht": message, **({"terugkoppeling": "ja"} if feedback else {})}
    response = handler.post(f"{BASE}/zaak/{case_id}/berichten", data=data, files={"bijlage": ("", b"", "application/octet-stream")})
    assert response.status_code == 303, response.text
    return handler


def test_the_reporter_follows_the_report_writes_and_reads_the_answer(site_on: CaseSite):
    site = site_on
    case_id, code = _report(site)
    me = _reporter(site, code)
    page = me.get("/melder/berichten").text
    assert "Ontvangen." in page and "Nog geen berichten." in page and "Wet bescherming klokkenluiders" in page
    assert SECRETS[0] not in page and SECRETS[2] not in page and case_id not in page  # nothing of the case file
    assert _write(me, WRITTEN, ("taxatie.pdf", b"%PDF-1.4 taxatie")).status_code == 303
    handler = _answer(site, case_id, ANSWER, feedback=True)
    case_page = handler.get(f"{BASE}/zaak/{case_id}").text
    assert WRITTEN in case_page and "taxatie.pdf" in case_page and "terugkoppeling aan de melder" in case_page
    page = me.get("/melder/berichten").text
    assert WRITTEN in page and ANSWER in page and "Terugkoppeling</dt><dd>Gegeven op" in page
    link = re.search(r'href="(/melder/bijlagen/[0-9a-f]+)"', page).group(1)
    assert me.get(link).content == b"%PDF-1.4 taxatie"
    assert handler.get(link).status_code in (303, 404)  # the handler's cookie is no reporter's session


def test_a_wrong_code_looks_like_an_unknown_case_and_guessing_is_stopped(site_on: CaseSite, monkeypatch: pytest.MonkeyPatch):
    site = site_on
    case_id, code = _report(site)
    with site.db.session() as s:  # a case without a channel (recorded before it existed) must look unknown too
        s.execute(text(f"delete from case_reporter_keys where case_id = '{case_id}'"))
    guesser = site.client()
    answers = {re.sub(r'value="[^"]*"', "", _enter(guesser, c).text) for c in ("2222-2222-2222-2222", code, "3333 3333 3333 3333")}
    assert len(answers) == 1 and reporter.WRONG in answers.pop()
    short = _enter(guesser, "ABC")
    assert short.status_code == 400 and "heeft 16 tekens" in short.text
    monkeypatch.setattr(reporter, "CLIENT_ATTEMPTS", 5)
    for _ in range(2):
        assert _enter(guesser, "4444-4444-4444-4444").status_code == 400
    good = site.team.work.receive(site.team["ondersteuning"].member, Report(SECRETS[2], SECRETS[0]), at(0)).code
    blocked = _enter(guesser, good)  # even the right code, once blocked: a guesser learns nothing more
    assert blocked.status_code == 429 and "te vaak een onjuiste ontvangstcode" in blocked.text
    monkeypatch.setattr(reporter, "CLIENT_ATTEMPTS", 1000)
    monkeypatch.setattr(reporter, "SERVER_ATTEMPTS", 5)
    refused = _enter(site.client(), good)
    assert refused.status_code == 429 and "te veel onjuiste ontvangstcodes ingevuld" in refused.text
    with site.db.session() as s:
        failed = s.scalar(text("select count(*) from audit_log where action = 'melder-inloggen-mislukt'"))
    assert failed == 5


def test_a_stolen_reporter_cookie_dies_at_sign_out_and_after_ten_idle_minutes(site_on: CaseSite):
    site = site_on
    case_id, code = _report(site)
    me = _reporter(site, code)
    _write(me, WRITTEN)
    with site.db.session() as s:
        rows = [str(r) for r in s.execute(text("select * from sessions"))]
    assert rows and not any(case_id in r or code in r for r in rows)  # which case a reporter follows is sealed
    thief = site.client()
    thief.cookies.update(me.cookies)
    assert WRITTEN in thief.get("/melder/berichten").text
    assert me.post("/melder/afmelden", data={"csrf": csrf(me, "/melder/berichten")}).headers["location"] == "/melder?melding=afgemeld"
    stolen = thief.get("/melder/berichten")
    assert stolen.status_code == 303 and stolen.headers["location"] == "/melder?melding=verlopen"
    assert WRITTEN not in thief.get("/melder/bijlagen/0").text
    again = _reporter(site, code)
    with site.db.session() as s:
        for row in s.query(SessionRow):
            row.last_seen = row.last_seen - timedelta(minutes=11)
    assert again.get("/melder/berichten").headers["location"] == "/melder?melding=verlopen"
    staff = site.client()
    site.sign_in(staff, "voorzitter")
    forged = site.client()  # a handler's own session token presented as a reporter's
    forged.cookies.set(reporter.COOKIE, staff.cookies.get("miv-beheer"))
    assert forged.get("/melder/berichten").headers["location"] == "/melder?melding=verlopen"


def test_a_new_code_ends_the_other_sessions_and_the_old_code(site_on: CaseSite):
    site = site_on
    _, code = _report(site)
    staff_who_saw_it, me = _reporter(site, code), _reporter(site, code)
    page = me.post("/melder/nieuwe-code", data={"csrf": csrf(me, "/melder/berichten")}).text
    new = page.split('id="ontvangstcode">', 1)[1].split("<", 1)[0]
    assert new != code and me.get("/melder/berichten").status_code == 200
    assert staff_who_saw_it.get("/melder/berichten").status_code == 303
    assert _enter(site.client(), code).status_code == 400 and _enter(site.client(), new).status_code == 303


def test_the_mail_to_the_reporter_and_the_handlers_holds_no_content(tmp_path: Path):
    with mailing_site(tmp_path) as (site, inbox):
        case_id, code = _report(site)
        me = _reporter(site, code)
        response = me.post("/melder/e-mail", data={"csrf": csrf(me, "/melder/berichten"), "email": "klokkenluider@example.nl"})
        assert response.status_code == 303
        inbox.messages.clear()
        _write(me, WRITTEN, ("taxatie-vaartweg.pdf", b"%PDF-1.4"))
        to_handlers = list(inbox.messages)
        assert {m["To"] for m in to_handlers} == {email("voorzitter"), email("adviseur"), email("ondersteuning")}
        assert all(m.get_content().startswith(f"In zaak {case_id} is een nieuw bericht.") for m in to_handlers)
        inbox.messages.clear()
        _answer(site, case_id, ANSWER, name="adviseur")
        to_reporter = [m for m in inbox.messages if m["To"] == "klokkenluider@example.nl"]
        assert len(to_reporter) == 1 and to_reporter[0]["Subject"] == "Er is een nieuw bericht"
        assert to_reporter[0].get_content().strip() == "Er is een nieuw bericht; log in met uw ontvangstcode op http://127.0.0.1:8000/melder."
        assert_content_free(to_handlers + inbox.messages, WRITTEN, ANSWER, "Vaartweg", "taxatie", code)
        assert case_id not in to_reporter[0].as_string() and "Utrecht" not in to_reporter[0].get_content()


def test_a_too_large_file_from_the_reporter_is_refused_while_reading_and_nothing_is_kept(tmp_path: Path):
    site = make_case_site(f"sqlite:///{tmp_path / 'miv.db'}", tmp_path, cases_max_upload=4096)
    try:
        with serve(site.app) as url:
            site.url = url
            _, code = _report(site)
            me = _reporter(site, code)
            refused = _write(me, WRITTEN, ("groot.pdf", b"%" * 10_000))
            assert refused.status_code == 413 and "groter dan het maximum" in refused.text
            assert WRITTEN in refused.text  # what was typed is kept in the form
            assert not any(p.is_file() for p in (tmp_path / "documenten").rglob("*"))
            with site.db.session() as s:
                assert s.scalar(text("select count(*) from case_messages")) == 0
    finally:
        site.close()

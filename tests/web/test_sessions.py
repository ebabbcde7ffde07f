"""Staff sessions attacked as the threat model's thief would: a cookie copied before
sign-out, an idle or old session, a database reader holding the sessions table, a planted
(fixated) cookie; two app processes on one PostgreSQL sharing sessions; revocation from the
CLI; and respondents, who must leave no trace in the table. SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest
from browser_support import csrf, login, serve
from fieldwork_support import WORD
from sqlalchemy import inspect, select, text, update
from typer.testing import CliRunner
from web_support import live

from tests.conftest import fresh_postgres

from miv.cli import app as cli
from miv.store.sessions import SessionRow
from miv.web import create_app
from miv.web.sessions import RESPONDENT_COOKIE, STAFF_COOKIE

STAFF_PAGE = "/beheer"


def signed_in(site, email: str = "veld@bureau.nl") -> httpx.Client:
    client = site.client()
    login(client, email)
    assert client.get(STAFF_PAGE).status_code == 200
    return client


def copy(site, victim: httpx.Client) -> httpx.Client:
    """A new client holding every cookie the victim's browser holds (for every path)."""
    thief = site.client()
    for cookie in victim.cookies.jar:
        thief.cookies.set(cookie.name, cookie.value)
    return thief


def refused(client: httpx.Client) -> bool:
    response = client.get(STAFF_PAGE)
    return response.status_code == 303 and response.headers["location"].startswith("/beheer/inloggen")


def rows(site) -> list[SessionRow]:
    with site.db.session() as s:
        return list(s.scalars(select(SessionRow)))


def test_a_cookie_copied_before_sign_out_is_refused_after_it(db_url):
    with live(db_url) as site:
        victim = signed_in(site)
        thief = copy(site, victim)
        assert thief.get(STAFF_PAGE).status_code == 200  # the copy works while the victim is signed in
        out = victim.post("/beheer/uitloggen", data={"csrf": csrf(victim, STAFF_PAGE)})
        assert out.status_code == 303
        assert refused(thief) and refused(victim)
        assert all(r.user_id is None for r in rows(site))  # only the sign-in page's anonymous session is left


def test_an_idle_session_is_refused_and_a_used_one_stays(db_url):
    with live(db_url, session_idle_minutes=15) as site:
        client = signed_in(site)
        [row] = [r for r in rows(site) if r.user_id]
        now = dt.datetime.now(dt.UTC)
        with site.db.session() as s:
            s.execute(update(SessionRow).values(last_seen=now - dt.timedelta(minutes=14)))
        assert client.get(STAFF_PAGE).status_code == 200  # 14 minutes idle: still open, and seen again now
        with site.db.session() as s:
            seen = s.get(SessionRow, row.token_hash).last_seen
            assert now - dt.timedelta(minutes=1) < seen.replace(tzinfo=dt.UTC)
            s.execute(update(SessionRow).values(last_seen=now - dt.timedelta(minutes=16)))
        thief = copy(site, client)
        assert refused(thief)
        notice = client.get("/beheer/veldwerk/1")  # the victim's next click: told why
        assert notice.headers["location"] == "/beheer/inloggen?volgende=/beheer/veldwerk/1&verlopen=1"
        assert "meer dan 15 minuten niet actief" in client.get(notice.headers["location"]).text
        assert refused(client) and row.token_hash not in {r.token_hash for r in rows(site)}
        assert "verlopen" not in site.client().get(STAFF_PAGE).headers["location"]  # a first visit is no expiry
        out = client.post("/beheer/uitloggen", data={"csrf": "van de pagina van een kwartier geleden"})
        assert out.status_code == 303 and out.headers["location"] == "/beheer/inloggen"  # not a 403 "form expired"


def test_a_session_past_its_absolute_lifetime_is_refused_though_in_use(db_url):
    with live(db_url, session_hours=8) as site:
        client = signed_in(site)
        with site.db.session() as s:
            s.execute(update(SessionRow).values(expires=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)))
        assert refused(client)


def test_expired_sessions_are_purged_when_a_new_one_starts(db_url):
    with live(db_url) as site:
        signed_in(site)
        with site.db.session() as s:
            s.execute(update(SessionRow).values(last_seen=dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)))
        signed_in(site, "admin@bureau.nl")
        with site.db.session() as s:
            users = list(s.scalars(select(SessionRow.user_id).where(SessionRow.user_id.is_not(None))))
        assert len(users) == 1  # the other user's idle session is gone without anyone presenting its cookie


def test_a_database_reader_cannot_use_anything_in_the_sessions_table(db_url):
    with live(db_url) as site:
        victim = signed_in(site, "admin@bureau.nl")
        token = victim.cookies[STAFF_COOKIE]
        with site.db.engine.connect() as connection:
            dump = [str(v) for row in connection.execute(text("SELECT * FROM sessions")) for v in row]
            everything = [str(v) for table in inspect(connection).get_table_names()
                          for row in connection.execute(text(f"SELECT * FROM {table}")) for v in row]
        assert dump and not any(token in v for v in everything)
        for value in dump:
            thief = site.client()
            thief.cookies.set(STAFF_COOKIE, value)
            thief.cookies.set(RESPONDENT_COOKIE, value)
            assert refused(thief), value
        assert victim.get(STAFF_PAGE).status_code == 200


def test_sign_in_gives_a_new_token_so_a_planted_cookie_stays_anonymous(db_url):
    with live(db_url) as site:
        attacker = site.client()
        attacker.get("/beheer/inloggen")
        planted = attacker.cookies[STAFF_COOKIE]  # the attacker's own pre-login session, set in the victim's browser
        victim = site.client()
        victim.cookies.set(STAFF_COOKIE, planted, domain="127.0.0.1", path="/beheer")
        login(victim, "admin@bureau.nl")
        values = [c.value for c in victim.cookies.jar if c.name == STAFF_COOKIE]
        assert len(values) == 1 and values[0] != planted
        assert victim.get(STAFF_PAGE).status_code == 200
        assert refused(attacker)


def test_cookies_are_httponly_lax_on_beheer_and_secure_behind_tls(db_url):
    with live(db_url, secure=True) as site:
        staff = site.client().get("/beheer/inloggen").headers["set-cookie"].lower()
        assert staff.startswith(f"{STAFF_COOKIE}=") and "path=/beheer" in staff
        assert "httponly" in staff and "samesite=lax" in staff and "secure" in staff


@pytest.mark.postgres
def test_two_app_processes_on_one_postgres_database_share_sessions(postgres_url):
    with live(fresh_postgres(postgres_url)) as site, serve(create_app(site.settings)) as other:
        client = signed_in(site)
        there = httpx.Client(base_url=other, follow_redirects=False, timeout=60)
        site.clients.append(there)
        there.cookies.set(STAFF_COOKIE, client.cookies[STAFF_COOKIE])
        assert there.get(STAFF_PAGE).status_code == 200  # signed in through one app, used on the other
        assert there.post("/beheer/uitloggen", data={"csrf": csrf(there, STAFF_PAGE)}).status_code == 303
        assert refused(client)  # signed out on the other app: ended here too


def test_miv_users_sign_out_ends_every_session_of_that_user(db_url):
    with live(db_url) as site:
        laptop, phone = signed_in(site), signed_in(site)
        thief = copy(site, laptop)
        admin = signed_in(site, "admin@bureau.nl")
        result = CliRunner().invoke(cli, ["users", "sign-out", "VELD@bureau.nl", "--db", db_url])
        assert result.exit_code == 0, result.output
        assert "2 sessies" in result.output
        assert refused(laptop) and refused(phone) and refused(thief)
        assert admin.get(STAFF_PAGE).status_code == 200
        unknown = CliRunner().invoke(cli, ["users", "sign-out", "niemand@bureau.nl", "--db", db_url])
        assert unknown.exit_code == 1 and "niemand@bureau.nl" in unknown.output


def test_respondent_pages_write_nothing_to_the_sessions_table(db_url):
    with live(db_url) as site:
        client = site.client()
        started = client.post("/start", data={"csrf": csrf(client, "/"), "code": site.codes["bram@example.nl"]})
        assert started.status_code == 303 and STAFF_COOKIE not in client.cookies
        client.post("/vragenlijst/begin", data={"csrf": csrf(client, "/vragenlijst/begin"), "woord": WORD, "herhaling": WORD})
        for page, answers in (("veiligheid", {"AG_VERBAAL": "2", "AG_BEDREIGING": "99"}), ("integriteit", {"INT_BELANG": "2"})):
            path = f"/vragenlijst/{page}"
            client.post(path, data={"csrf": csrf(client, path), "actie": "volgende", **answers})
        assert client.post("/vragenlijst/controle", data={"csrf": csrf(client, "/vragenlijst/controle")}).headers["location"] == "/bedankt"
        client.get("/bedankt")
        assert RESPONDENT_COOKIE in client.cookies and STAFF_COOKIE not in client.cookies
        assert rows(site) == []


def test_miv_serve_hands_the_session_lifetimes_to_every_worker(monkeypatch, tmp_path):
    import uvicorn

    from miv.web import serve as factory

    started = []
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: started.append(kwargs))
    monkeypatch.delenv("MIV_SERVE", raising=False)
    result = CliRunner().invoke(cli, ["serve", "--db", f"sqlite:///{tmp_path / 'miv.db'}", "--secret-file", str(tmp_path / "geheim"),
                                      "--session-idle-minutes", "5", "--session-hours", "2"])
    assert result.exit_code == 0 and started[0]["factory"], result.output
    served = factory.app()
    served.state.db.dispose()
    assert (served.state.settings.session_idle_minutes, served.state.settings.session_hours) == (5, 2)
    zero = CliRunner().invoke(cli, ["serve", "--session-idle-minutes", "0"])
    assert zero.exit_code == 2 and len(started) == 1

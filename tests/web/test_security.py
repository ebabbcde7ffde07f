"""Headers, rate limits on code entry and login, password hashing, sessions."""

from __future__ import annotations

import pytest
from browser_support import PASSWORD, csrf, serve
from sqlalchemy import select
from typer.testing import CliRunner
from web_support import live, make_site

from miv.cli import app as cli
from miv.web import create_app

from miv.store.users import User


def test_security_headers_on_pages_and_errors(site):
    client = site.client()
    for path in ("/", "/beheer/inloggen", "/bestaat-niet"):
        headers = client.get(path).headers
        assert "default-src 'self'" in headers["content-security-policy"] and "frame-ancestors 'none'" in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"
        assert headers["cache-control"] == "no-store"
        assert "strict-transport-security" not in headers
    assert client.get("/bestaat-niet").status_code == 404
    assert "Pagina niet gevonden" in client.get("/bestaat-niet").text
    # the respondent's pages, above all the invitation link with the code in its query and its redirect
    respondent = site.client()
    walk = [respondent.get(f"/start?code={site.codes['anna@example.nl']}"), respondent.get("/vragenlijst/begin")]
    word = {"csrf": csrf(respondent, "/vragenlijst/begin"), "woord": "mijn herstelwoord", "herhaling": "mijn herstelwoord"}
    walk += [respondent.post("/vragenlijst/begin", data=word), respondent.get("/vragenlijst/veiligheid"), site.client().get("/start?code=AAAA-BBBB-CCCC")]
    assert [r.status_code for r in walk] == [303, 200, 303, 200, 400]
    for response in walk:
        assert (response.headers["referrer-policy"], response.headers["cache-control"]) == ("no-referrer", "no-store"), response.url


def test_hsts_and_secure_cookie_behind_tls(tmp_path):
    with live(f"sqlite:///{tmp_path / 'tls.db'}", secure=True) as site:
        response = site.client().get("/")
        assert response.headers["strict-transport-security"].startswith("max-age=")
        cookie = response.headers["set-cookie"].lower()
        assert "secure" in cookie and "httponly" in cookie and "samesite=lax" in cookie


def test_code_entry_is_rate_limited(tmp_path):
    with live(f"sqlite:///{tmp_path / 'rl.db'}", code_attempts=3) as site:
        client = site.client()
        for _ in range(3):
            assert client.post("/start", data={"csrf": csrf(client, "/"), "code": "AAAA-BBBB-CCCC"}).status_code == 400
        blocked = client.post("/start", data={"csrf": csrf(client, "/"), "code": site.codes["anna@example.nl"]})
        assert blocked.status_code == 429 and "te vaak" in blocked.text
        assert client.get(f"/start?code={site.codes['anna@example.nl']}").status_code == 429


@pytest.mark.strong_hashes
def test_login_is_rate_limited_and_passwords_are_argon2(tmp_path):
    with live(f"sqlite:///{tmp_path / 'login.db'}", login_attempts=2) as site:
        client = site.client()
        for _ in range(2):
            wrong = client.post("/beheer/inloggen", data={"csrf": csrf(client, "/beheer/inloggen"), "email": "admin@bureau.nl", "password": "fout"})
            assert wrong.status_code == 400 and "onjuist" in wrong.text
        right = client.post("/beheer/inloggen", data={"csrf": csrf(client, "/beheer/inloggen"), "email": "admin@bureau.nl", "password": PASSWORD})
        assert right.status_code == 429
        with site.db.session() as s:
            hashes = list(s.scalars(select(User.password_hash)))
        assert all(h.startswith("$argon2id$v=19$m=65536,t=3,p=4$") and PASSWORD not in h for h in hashes)  # RFC 9106's second choice


def test_login_redirects_only_inside_management(site):
    client = site.client()
    response = client.post("/beheer/inloggen", data={"csrf": csrf(client, "/beheer/inloggen"), "email": "veld@bureau.nl",
                                                     "password": PASSWORD, "next": "https://evil.example/"})
    assert response.headers["location"] == "/beheer"
    logout = client.post("/beheer/uitloggen", data={"csrf": csrf(client, "/beheer")})
    assert logout.headers["location"] == "/beheer/inloggen"
    assert client.get("/beheer").status_code == 303


@pytest.mark.parametrize(("proxy", "blocked"), [("127.0.0.1", False), ("10.0.0.1", True)], ids=["trusted proxy", "other proxy"])
def test_forwarded_client_address_counts_only_from_a_trusted_proxy(tmp_path, proxy, blocked):
    """Behind a load balancer the client address comes from X-Forwarded-For, and only when the
    balancer is in --forwarded-allow-ips: otherwise every respondent shares its address."""
    site = make_site(f"sqlite:///{tmp_path / 'proxy.db'}", code_attempts=2)
    try:
        with serve(create_app(site.settings), forwarded_allow_ips=proxy) as base:
            site.url = base
            client = site.client()
            for n in range(3):
                client.post("/start", data={"csrf": csrf(client, "/"), "code": "AAAA-BBBB-CCCC"}, headers={"x-forwarded-for": f"192.0.2.{n}"})
            last = client.post("/start", data={"csrf": csrf(client, "/"), "code": site.codes["anna@example.nl"]}, headers={"x-forwarded-for": "192.0.2.9"})
            assert last.status_code == (429 if blocked else 303)
    finally:
        site.close()


def test_miv_serve_passes_proxy_contact_and_retention_settings(monkeypatch, tmp_path):
    import uvicorn

    from miv.web import serve as factory

    started = []
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: started.append(kwargs))
    monkeypatch.delenv("MIV_SERVE", raising=False)
    result = CliRunner().invoke(cli, ["serve", "--db", f"sqlite:///{tmp_path / 'miv.db'}", "--secret-file", str(tmp_path / "geheim"),
                                      "--forwarded-allow-ips", "10.0.0.5,10.0.0.6", "--contact", "monitor@bureau.nl", "--progress-days", "14"])
    assert result.exit_code == 0, result.output
    assert started[0]["forwarded_allow_ips"] == "10.0.0.5,10.0.0.6" and started[0]["proxy_headers"]
    served = factory.app()
    served.state.db.dispose()
    assert (served.state.settings.contact, served.state.settings.progress_days) == ("monitor@bureau.nl", 14)

"""Headers, rate limits on code entry and login, password hashing, sessions."""

from __future__ import annotations

from browser_support import PASSWORD, csrf
from web_support import live
from sqlalchemy import select

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
        assert all(h.startswith("$argon2id$") and PASSWORD not in h for h in hashes)


def test_login_redirects_only_inside_management(site):
    client = site.client()
    response = client.post("/beheer/inloggen", data={"csrf": csrf(client, "/beheer/inloggen"), "email": "veld@bureau.nl",
                                                     "password": PASSWORD, "next": "https://evil.example/"})
    assert response.headers["location"] == "/beheer"
    logout = client.post("/beheer/uitloggen", data={"csrf": csrf(client, "/beheer")})
    assert logout.headers["location"] == "/beheer/inloggen"
    assert client.get("/beheer").status_code == 303

"""Every route with every role: anonymous visitors, respondents, fieldwork staff, admins.
A new route fails this test until it states who may use it."""

from __future__ import annotations

import pytest
from browser_support import csrf, login
from starlette.routing import Mount, Route

from miv.web import create_app
from miv.web.pages import public

PUBLIC = {"/", "/start", "/vragenlijst", "/vragenlijst/begin", "/vragenlijst/herstelwoord", "/vragenlijst/controle", "/vragenlijst/{page}", "/bedankt", "/toegankelijkheid",
          "/beheer/inloggen", "/beheer/uitloggen",
          # the reporter's pages: no account, the receipt code opens them (tests/caseweb/test_attack_reporter_pages.py)
          "/melder", "/melder/berichten", "/melder/bijlagen/{document}", "/melder/e-mail", "/melder/nieuwe-code", "/melder/afmelden"}
USERS = {"admin": "admin@bureau.nl", "fieldwork": "veld@bureau.nl"}


def staff_routes(site) -> list[tuple[str, str, tuple[str, ...]]]:
    out = []
    for route in create_app(site.settings).routes:
        if isinstance(route, Mount):
            continue
        assert isinstance(route, Route)
        roles = getattr(route.endpoint, "roles", "undeclared")
        assert roles != "undeclared", f"{route.path} does not declare its roles (use @public or @requires)"
        if roles is None:
            assert route.path in PUBLIC, f"{route.path} is public but not listed as such"
            continue
        path = route.path.replace("{id:int}", str(site.fieldwork))
        out += [(method, path, roles) for method in sorted(route.methods - {"HEAD"})]
    return out


def call(client, method: str, path: str):
    """GET, or POST with the token of the form the session behind `path` holds (staff and
    respondent sessions are separate since staff sessions live on the server)."""
    if method == "GET":
        return client.get(path)
    return client.post(path, data={"csrf": csrf(client, "/beheer/inloggen" if path.startswith("/beheer") else "/")})


def test_public_is_a_marker_not_a_guard():
    async def page(request):
        return None

    assert public(page).roles is None


def test_every_management_route_refuses_anonymous_and_respondents(site):
    routes = staff_routes(site)
    assert len([r for r in routes if not r[1].startswith("/beheer/zaken")]) == 13  # case routes: tests/caseweb
    anonymous = site.client()
    respondent = site.client()
    respondent.post("/start", data={"csrf": csrf(respondent, "/"), "code": site.codes["anna@example.nl"]})
    for client in (anonymous, respondent):
        for method, path, _ in routes:
            response = call(client, method, path)
            assert response.status_code == 303, (method, path)
            assert response.headers["location"].startswith("/beheer/inloggen"), (method, path)


@pytest.mark.parametrize("role", ["fieldwork", "admin"])
def test_every_management_route_checks_the_role(site, role):
    client = site.client()
    login(client, USERS[role])
    routes = staff_routes(site)
    routes.sort(key=lambda r: r[1].endswith("/sluiten"))  # closing last
    for method, path, roles in routes:
        response = call(client, method, path)
        if role in roles:
            assert response.status_code != 403, (role, method, path)
            assert not response.headers.get("location", "").startswith("/beheer/inloggen"), (role, method, path)
        else:
            assert response.status_code == 403, (role, method, path)
            assert "geen toegang" in response.text


def test_staff_session_does_not_open_the_survey(site):
    client = site.client()
    login(client, USERS["admin"])
    assert client.get("/vragenlijst").status_code == 403


def test_posts_without_csrf_token_are_refused(site):
    client = site.client()
    login(client, USERS["admin"])
    for method, path, _ in staff_routes(site):
        if method == "POST":
            assert client.post(path, data={"csrf": "vals"}).status_code == 403, path
    assert site.client().post("/start", data={"code": site.codes["anna@example.nl"]}).status_code == 403

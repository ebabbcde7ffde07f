"""The web app's one handler for MivError: the Dutch message and place on the error page (or as
JSON), the status the error class declares, and never a traceback or an exception's text."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from browser_support import csrf, login, serve
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from web_support import Site, make_site

from miv import fieldwork as fw
from miv.cases import CaseError
from miv.errors import MivError
from miv.web import create_app
from miv.web.pages import public

SECRET_DETAIL = "geheim-detail-7f3a"


@public
async def broken_row(request: Request) -> Response:
    raise MivError("de kolom Q3 is leeg", file="lijst.csv", row=12)


@public
async def tampered(request: Request) -> Response:
    raise CaseError("het zaakdossier is buiten de applicatie gewijzigd")


@public
async def crash(request: Request) -> Response:
    raise RuntimeError(SECRET_DETAIL)


@pytest.fixture
def site(sqlite_url: str) -> Iterator[Site]:
    site = make_site(sqlite_url)
    app = create_app(site.settings)
    app.router.routes[:0] = [Route("/test/rij", broken_row), Route("/test/rij.json", broken_row),
                             Route("/test/zaak", tampered), Route("/test/kapot", crash)]
    with serve(app) as url:
        site.url = url
        yield site
        site.close()


def test_a_miv_error_gives_the_error_page_with_message_place_and_status(site: Site) -> None:
    response = site.client().get("/test/rij")
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/html")
    assert "lijst.csv, rij 12: de kolom Q3 is leeg" in response.text
    assert "Traceback" not in response.text


def test_an_error_class_declares_its_own_status(site: Site) -> None:
    response = site.client().get("/test/zaak")
    assert response.status_code == 409
    assert "Zaak niet te openen" in response.text
    assert "het zaakdossier is buiten de applicatie gewijzigd" in response.text


def test_json_when_the_client_asks_for_it_or_the_path_ends_in_json(site: Site) -> None:
    client = site.client()
    expected = {"fout": "de kolom Q3 is leeg", "waar": "lijst.csv, rij 12"}
    asked = client.get("/test/rij", headers={"accept": "application/json"})
    assert (asked.status_code, asked.headers["content-type"], asked.json()) == (400, "application/json", expected)
    by_path = client.get("/test/rij.json")
    assert (by_path.status_code, by_path.json()) == (400, expected)


def test_an_unexpected_exception_gives_500_without_its_text(site: Site) -> None:
    response = site.client().get("/test/kapot", headers={"accept": "text/html"})
    assert response.status_code == 500
    assert "Er ging iets mis aan onze kant" in response.text
    assert SECRET_DETAIL not in response.text
    assert "Traceback" not in response.text and "RuntimeError" not in response.text


def test_a_real_route_leaves_its_fieldwork_error_to_the_handler(site: Site) -> None:
    fw.close_fieldwork(site.db, fw.Keys(site.settings.secret), site.fieldwork)
    admin = site.client()
    login(admin, "admin@bureau.nl")
    page = f"/beheer/veldwerk/{site.fieldwork}"
    token = csrf(admin, page)
    as_page = admin.post(f"{page}/herinneringen", data={"csrf": token})
    assert as_page.status_code == 400 and "is gesloten" in as_page.text
    as_json = admin.post(f"{page}/herinneringen", data={"csrf": token}, headers={"accept": "application/json"})
    assert as_json.status_code == 400
    assert as_json.json() == {"fout": "het veldwerk Vragenlijst ambtsdragers 2024 is gesloten", "waar": ""}

"""Every role against every case route over HTTP, on the real app and database.

The expected answer of each (role, route) is written out below; a route added to the app
without a row here fails `test_the_matrix_covers_every_case_route`. 'ok' means the request
passed the access checks (200, a redirect inside the case pages, or 400 for the empty form
these requests send); 403 is an organisation page refused, 404 a case that must look absent.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import csrf, serve
from starlette.routing import Route

from miv.cases import Action, Report, ViolationForm
from miv.casework.messages import Upload
from tests.conftest import fresh_postgres

from .caseweb_support import DECLARATION, EXTERNAL, ORG, OTHER, SECRETS, at
from .web_cases import CaseSite, make_case_site

ROLES = ["voorzitter", "ondersteuning", "adviseur", "onderzoeker", "onderzoeker-2", "auditor", "buitenstaander"]
ALL, OK = set(ROLES), "ok"
READERS = {"voorzitter", "ondersteuning", "adviseur", "onderzoeker"}
CREATORS = {"voorzitter", "ondersteuning", "adviseur"}
FIGURES = {"voorzitter", "ondersteuning", "adviseur", "auditor"}
LOGS = {"voorzitter", "auditor"}
MEMBERS = ALL - {"buitenstaander"}

# route template, method, who passes, what the others get
MATRIX = [
    ("/beheer/zaken", "GET", ALL, None),
    ("/beheer/zaken/tweestaps", "GET", ALL, None),
    ("/beheer/zaken/tweestaps", "POST", ALL, None),
    ("/beheer/zaken/{org}", "GET", MEMBERS, 403),
    ("/beheer/zaken/{org}/nieuw", "GET", CREATORS, 403),
    ("/beheer/zaken/{org}/nieuw", "POST", CREATORS, 403),
    ("/beheer/zaken/{org}/zaak/{case}", "GET", READERS | {"auditor"}, 404),
    ("/beheer/zaken/{org}/zaak/{case}/stap", "POST", {"voorzitter"}, 403),
    ("/beheer/zaken/{org}/zaak/{case}/notitie", "POST", READERS, 404),
    ("/beheer/zaken/{org}/zaak/{case}/uitsluiten", "POST", {"voorzitter", "adviseur"}, 404),
    ("/beheer/zaken/{org}/zaak/{case}/documenten", "POST", READERS, 404),
    ("/beheer/zaken/{org}/zaak/{case}/documenten/{document}", "GET", READERS, 404),
    ("/beheer/zaken/{org}/zaak/{case}/berichten", "POST", READERS, 404),
    ("/beheer/zaken/{org}/zaak/{case}/berichten/{attachment}", "GET", READERS, 404),
    ("/beheer/zaken/{org}/zaak/{case}/logboek", "GET", LOGS, 404),
    ("/beheer/zaken/{org}/logboek", "GET", LOGS, 403),
    ("/beheer/zaken/{org}/toegang", "GET", CREATORS, 403),
    ("/beheer/zaken/{org}/toegang", "POST", {"voorzitter"}, 403),
    ("/beheer/zaken/{org}/cijfers", "GET", FIGURES, 403),
    ("/beheer/zaken/{org}/cijfers.csv", "GET", FIGURES, 403),
    ("/beheer/zaken/{org}/cijfers.json", "GET", FIGURES, 403),
]
# what the refused get where it differs from the row's answer: case pages of a case one may
# list but not use answer 404; an outsider has no role in the organisation at all (403);
# an unassigned investigator sees no case, and the support role may not take the chair's step
EXCEPTIONS = {
    ("/beheer/zaken/{org}/zaak/{case}", "buitenstaander"): 403,
    ("/beheer/zaken/{org}/zaak/{case}/stap", "onderzoeker-2"): 404,
    ("/beheer/zaken/{org}/zaak/{case}/notitie", "buitenstaander"): 403,
    ("/beheer/zaken/{org}/zaak/{case}/uitsluiten", "buitenstaander"): 403,
    ("/beheer/zaken/{org}/zaak/{case}/uitsluiten", "ondersteuning"): 403,
    ("/beheer/zaken/{org}/zaak/{case}/uitsluiten", "onderzoeker"): 403,
    ("/beheer/zaken/{org}/zaak/{case}/documenten", "buitenstaander"): 403,
    ("/beheer/zaken/{org}/zaak/{case}/documenten/{document}", "buitenstaander"): 403,
    ("/beheer/zaken/{org}/zaak/{case}/logboek", "buitenstaander"): 403,
    ("/beheer/zaken/{org}/zaak/{case}/berichten", "buitenstaander"): 403,
    ("/beheer/zaken/{org}/zaak/{case}/berichten/{attachment}", "buitenstaander"): 403,
}


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[CaseSite, dict[str, str]]]:
    """One case at every stage's data on SQLite and on PostgreSQL, shared by the module's tests."""
    tmp = tmp_path_factory.mktemp("matrix")
    url = f"sqlite:///{tmp / 'miv.db'}" if request.param == "sqlite" else fresh_postgres(request.getfixturevalue("postgres_url"))
    site = make_case_site(url, Path(tmp))
    team, p = site.team, site.team.people
    receipt = team.work.receive(p["ondersteuning"].member, Report(SECRETS[2], SECRETS[0], SECRETS[1]), at(0))
    case = receipt.case
    case = team.work.take(p["ondersteuning"].member, case, Action.REGISTREREN, at(1), forms=frozenset({ViolationForm.BELANG}))
    case = team.work.take(p["voorzitter"].member, case, Action.VOORONDERZOEK_STARTEN, at(2))
    case = team.work.take(p["adviseur"].member, case, Action.VOORONDERZOEK_AFRONDEN, at(3), reason="Concreet.")
    case = team.work.take(p["voorzitter"].member, case, Action.ONDERZOEK_INSTELLEN, at(4), reason="Nodig.", terms="Opdracht.",
                          investigator=p["onderzoeker"].member, entries=EXTERNAL)
    case = team.work.take(p["onderzoeker"].member, case, Action.ONAFHANKELIJKHEID_VERKLAREN, at(4), entries=DECLARATION)
    document = team.work.add_document(p["voorzitter"].member, case, SECRETS[5], "application/pdf", b"%PDF-1.4 inhoud", at(5))
    access = team.work.mailbox.sign_in(receipt.code, at(5))
    team.work.mailbox.post_as_reporter(access, SECRETS[2], Upload(SECRETS[5], "application/pdf", b"%PDF-1.4 bijlage"), at(5))
    attachment = team.work.mailbox.reporter_messages(access, at(5))[0].attachment.id
    with serve(site.app) as url:
        site.url = url
        yield site, {"org": ORG, "case": case.id, "document": document, "attachment": attachment}
    site.close()


def _path(template: str, values: dict[str, str]) -> str:
    for name, value in values.items():
        template = template.replace("{" + name + "}", value)
    return template


# the step route gets a real step without its required fields: only the chair gets past access to the 400
FORMS = {"/stap": {"actie": Action.ONDERZOEKER_WIJZIGEN.value}}


def _call(client, method: str, path: str):
    if method == "GET":
        return client.get(path)
    extra = next((form for end, form in FORMS.items() if path.endswith(end)), {})
    return client.post(path, data={"csrf": csrf(client, "/beheer/inloggen"), **extra})


def _passed(response, path: str) -> bool:
    if response.status_code in (200, 400):
        return True
    location = response.headers.get("location", "")
    return response.status_code == 303 and location.startswith("/beheer/zaken") and "tweestaps" not in location


def test_the_matrix_covers_every_case_route(site):
    app_site, _ = site
    routes = {(r.path, m) for r in app_site.app.routes if isinstance(r, Route) and r.path.startswith("/beheer/zaken")
              for m in r.methods - {"HEAD"}}
    assert routes == {(path, method) for path, method, _, _ in MATRIX}


@pytest.mark.parametrize("role", ROLES)
def test_every_role_on_every_case_route(site, role: str):
    app_site, values = site
    with app_site.client() as client:
        app_site.sign_in(client, role)
        for template, method, allowed, refused in MATRIX:
            response = _call(client, method, _path(template, values))
            if role in allowed:
                assert _passed(response, template), (role, method, template, response.status_code, response.text[:300])
            else:
                expected = EXCEPTIONS.get((template, role), refused)
                assert response.status_code == expected, (role, method, template, response.status_code)
                assert SECRETS[0] not in response.text and SECRETS[2] not in response.text


def test_anonymous_staff_and_half_signed_in_people_get_nothing(site):
    app_site, values = site
    with app_site.client() as anonymous, app_site.client() as admin, app_site.client() as half:
        admin.post("/beheer/inloggen", data={"csrf": csrf(admin, "/beheer/inloggen"), "email": "admin@bureau.nl",
                                             "password": "correct horse battery", "next": "/beheer"})
        app_site.sign_in(half, "voorzitter", second_factor=False)
        for template, method, _, _ in MATRIX:
            path = _path(template, values)
            response = _call(anonymous, method, path) if method == "GET" else anonymous.post(path)
            assert response.status_code in (303, 403) and SECRETS[0] not in response.text, (template, response.status_code)
            if response.status_code == 303:
                assert response.headers["location"].startswith("/beheer/inloggen")
            assert _call(admin, method, path).status_code == 403, template
            if template != "/beheer/zaken/tweestaps":
                response = _call(half, method, path)
                assert response.status_code == 303 and response.headers["location"].startswith("/beheer/zaken/tweestaps"), template


def test_an_outsider_cannot_reach_the_case_through_their_own_organisation(site):
    app_site, values = site
    with app_site.client() as client:
        app_site.sign_in(client, "buitenstaander")
        own = dict(values, org=OTHER)
        for template, method, _, _ in MATRIX:
            if "{case}" in template:
                assert _call(client, method, _path(template, own)).status_code == 404, template
        assert values["case"] not in client.get(f"/beheer/zaken/{OTHER}").text

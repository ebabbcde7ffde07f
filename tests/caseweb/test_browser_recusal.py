"""In a real browser: the integrity adviser names a substitute chair, a report about the mayor
is recorded with him recused, someone else is recused after intake with a reason, and the
mayor finds neither the case nor the access management nor the log. axe-core checks every
new page state against WCAG 2.2 AA; the recusal form is submitted with the keyboard."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from browser_support import PASSWORD, chromium
from playwright.sync_api import Browser

from miv.web.accounts import add_user

from .caseweb_support import SECRETS, email
from .test_browser import BASE, WCAG22, Checker, sign_in
from .web_cases import CaseSite

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as browser:
        yield browser


def test_substitute_chair_recusal_and_the_recused_mayor_in_a_browser(browser: Browser, engine_site: CaseSite):  # SQLite and PostgreSQL
    site = engine_site
    checker = Checker(browser, site, WCAG22)
    add_user(site.db, email("loco"), "Locoburgemeester", "zaken", PASSWORD)
    adviser = sign_in(browser, site, "adviseur")
    adviser.get_by_role("link", name="Toegang en rollen").click()
    checker.check(adviser, "toegang: plaatsvervanger aanwijzen")
    adviser.get_by_label("E-mailadres van een bestaand account (rol zaakbehandelaar)").fill(email("loco"))
    adviser.get_by_role("button", name="Aanwijzen als plaatsvervangend voorzitter").click()
    assert adviser.get_by_role("cell", name="Locoburgemeester").count() == 1

    support = sign_in(browser, site, "ondersteuning")
    support.get_by_role("link", name="Nieuwe melding").click()
    support.get_by_label("Omschrijving van de melding").fill(f"{SECRETS[0]} en de {SECRETS[2]}.")
    support.get_by_label("Over wie gaat de melding (betrokkene)").fill("De burgemeester")
    support.get_by_label("Voorzitter (voorzitter (burgemeester, Commissaris van de Koning of dijkgraaf))").check()
    support.get_by_label("Anders (bijvoorbeeld een melding van een inwoner of een signaal)").check()
    support.get_by_role("button", name="Melding vastleggen").click()
    support.get_by_role("link", name=re.compile("^Naar zaak ")).click()
    case_url = support.url
    assert "/zaak/" in case_url, support.content()

    adviser.goto(case_url)
    checker.check(adviser, "zaakpagina met uitsluiten")
    adviser.get_by_label("Wie mag deze zaak niet meer zien?").select_option(label="Ondersteuning (griffier of secretaris (ondersteuning))")
    adviser.get_by_role("button", name="Uitsluiten van deze zaak").click()
    assert adviser.title().startswith("Fout: ")
    checker.check(adviser, "uitsluiten zonder reden")
    adviser.get_by_label("Wie mag deze zaak niet meer zien?").select_option(label="Ondersteuning (griffier of secretaris (ondersteuning))")
    adviser.get_by_label("Reden van de uitsluiting").fill("Zwager van de betrokkene.")
    adviser.get_by_role("button", name="Uitsluiten van deze zaak").focus()
    with adviser.expect_navigation():
        adviser.keyboard.press("Enter")
    assert "Reden van uitsluiting 1: Zwager van de betrokkene." in adviser.content()
    checker.check(adviser, "zaakpagina na uitsluiten")
    assert support.goto(case_url).status == 404

    mayor = sign_in(browser, site, "voorzitter")
    assert case_url.rsplit("/", 1)[1] not in mayor.content()
    mayor.get_by_role("link", name="Toegang en rollen").click()
    assert "U bent uitgesloten van een lopende zaak" in mayor.content() and mayor.get_by_role("button", name="Rol toekennen").count() == 0
    checker.check(mayor, "toegang voor een uitgesloten voorzitter")
    assert mayor.goto(f"{site.url}{BASE}/logboek").status == 403
    checker.check(mayor, "logboek geweigerd")
    assert mayor.goto(case_url).status == 404
    assert len(checker.seen) == 6

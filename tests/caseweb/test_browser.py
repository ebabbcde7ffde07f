"""A real browser (Debian's Chromium via Playwright) takes a case from report to closure,
each step by the person whose role it is, signing in with password and TOTP; axe-core
checks every case page type against WCAG 2.2 AA. No JavaScript is needed by the pages,
so the walk runs with JavaScript off; axe runs in its own context with it on."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from axe_playwright_python.sync_playwright import Axe
from browser_support import PASSWORD, WCAG, chromium
from playwright.sync_api import Browser, Page, expect

from miv.cases import Stage

from .caseweb_support import ORG, SECRETS, email
from .web_cases import CaseSite

pytestmark = pytest.mark.browser

BASE = f"/beheer/zaken/{ORG}"
TODAY = f"{datetime.now(ZoneInfo('Europe/Amsterdam')):%Y-%m-%d}"
IN_TWO_WEEKS = f"{datetime.now(ZoneInfo('Europe/Amsterdam')) + timedelta(days=14):%Y-%m-%d}"
WOO_PRIVACY = "Woo art. 5.1 lid 2 sub e: eerbiediging van de persoonlijke levenssfeer"
WCAG22 = {**WCAG, "runOnly": {"type": "tag", "values": [*WCAG["runOnly"]["values"], "wcag22aa"]}}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as browser:
        yield browser


class Checker:
    """Runs axe (which needs JavaScript) on a copy of the page as the person sees it: the same
    HTML on the same origin, so the style sheets and their contrast apply; pages shown after a
    refused POST have no URL of their own to load again."""

    def __init__(self, browser: Browser, site: CaseSite, options: dict = WCAG) -> None:
        self.context = browser.new_context(base_url=site.url)
        self.options = options
        self.seen: set[str] = set()

    def check(self, page: Page, kind: str) -> None:
        page.wait_for_load_state()  # a click returns once the next page starts; axe needs all of it
        probe = self.context.new_page()
        probe.goto("/toegankelijkheid")
        probe.set_content(page.content())
        results = Axe().run(probe, options=self.options)
        probe.close()
        assert results.violations_count == 0, f"{kind}: {results.generate_report()}"
        self.seen.add(kind)


def sign_in(browser: Browser, site: CaseSite, name: str, checker: Checker | None = None) -> Page:
    page = browser.new_context(base_url=site.url, java_script_enabled=False).new_page()
    page.goto("/beheer/inloggen")
    page.get_by_label("E-mailadres").fill(email(name))
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page).to_have_url(re.compile(re.escape("/beheer/zaken/tweestaps?volgende=/beheer/zaken") + "$"))
    enter(page, "Inschrijfcode van de beheerder", "Inschrijfcode controleren", site.enrolment_code(name),
          (checker, "inschrijfcode vragen", "AAAA-BBBB-CCCC-DDDD", "inschrijfcode met fout") if checker else None)
    site.secrets[name] = page.locator("code.miv-secret").first.inner_text()
    enter(page, "Code uit de app", "Bevestigen", site.code(name), (checker, "tweestaps inrichten", "000000", "tweestaps met fout") if checker else None)
    expect(page).to_have_url(re.compile(re.escape(BASE) + "$"))
    return page


def enter(page: Page, label: str, button: str, value: str, refuse: tuple[Checker, str, str, str] | None = None) -> None:
    """Fill one field of the sign-in and submit it; with `refuse` (checker, page kind, wrong value,
    kind when refused), first check the page, enter the wrong value and check the refusal."""
    if refuse:
        checker, kind, wrong, refused = refuse
        checker.check(page, kind)
        page.get_by_label(label).fill(wrong)
        page.get_by_role("button", name=button).click()
        expect(page).to_have_title(re.compile("^Fout: "))
        checker.check(page, refused)
    page.get_by_label(label).fill(value)
    page.get_by_role("button", name=button).click()


def take(page: Page, label: str, refused: bool = False, lands: str = "Zaak ", kies: tuple[str, ...] = (), **fields: str) -> None:
    """Fill and submit the form of one next step, found by its heading; `kies` are the labels
    of radio buttons and check boxes to tick."""
    form = page.locator("form.miv-step", has=page.get_by_role("heading", name=label, exact=True))
    for choice in kies:
        form.get_by_label(choice, exact=True).check()
    for field, value in fields.items():
        if field == "vorm":
            form.get_by_label(value).check()
        elif field == "uitkomst":
            form.get_by_label(value, exact=True).check()
        elif field == "onderzoeker":
            form.get_by_label("Onderzoeker", exact=True).select_option(label=value)
        else:
            form.get_by_label(field).fill(value)
    form.get_by_role("button", name=label).click()
    expect(page).to_have_title(re.compile("^" + re.escape("Fout: Zaak " if refused else lands)))


def declare_with_the_keyboard(page: Page, refused: bool = False) -> None:
    """The declaration of independence by keyboard alone: Tab to each box, Space to tick it,
    Enter on the button. With `refused`, one box stays unticked and the page says which."""
    boxes = page.locator("form.miv-step input[type=checkbox][name^='onafhankelijkheid-verklaren-']")
    expect(boxes).to_have_count(4)
    page.locator("main h1").focus()
    for index in range(4):
        target = boxes.nth(index)
        for _ in range(40):
            page.keyboard.press("Tab")
            if target.evaluate("box => box === document.activeElement"):
                break
        else:
            raise AssertionError(f"box {index} cannot be reached with Tab")
        if not (refused and index == 3):
            page.keyboard.press("Space")
    for _ in range(5):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "Verklaring van onafhankelijkheid afleggen":
            break
    page.keyboard.press("Enter")
    expect(page).to_have_title(re.compile("^Fout: Zaak " if refused else "^Zaak "))


def stage(page: Page) -> str:
    return page.locator("dl.miv-facts dd").first.inner_text()


def test_a_case_from_report_to_closure_in_a_browser(browser: Browser, engine_site: CaseSite):  # SQLite and PostgreSQL
    site = engine_site
    checker = Checker(browser, site)
    login = browser.new_context(base_url=site.url).new_page()
    login.goto("/beheer/inloggen")
    checker.check(login, "inloggen")
    support = sign_in(browser, site, "ondersteuning", checker)
    checker.check(support, "zakenlijst (leeg)")
    support.get_by_role("link", name="Nieuwe melding").click()
    checker.check(support, "nieuwe melding")
    support.get_by_role("button", name="Melding vastleggen").click()
    expect(support).to_have_title(re.compile("^Fout: "))
    checker.check(support, "nieuwe melding met fout")
    support.get_by_label("Omschrijving van de melding").fill(f"{SECRETS[0]} stemde mee over de {SECRETS[2]}.")
    support.get_by_label("Over wie gaat de melding (betrokkene)").fill(SECRETS[0])
    support.get_by_label("Melder").fill(SECRETS[1])
    support.get_by_role("button", name="Melding vastleggen").click()
    expect(support.get_by_text("Kies langs welke weg de melding binnenkwam.").first).to_be_visible()
    checker.check(support, "nieuwe melding zonder kanaal")
    support.get_by_label("Interne meldvoorziening voor medewerkers (Wet bescherming klokkenluiders)").check()
    support.get_by_role("button", name="Melding vastleggen").click()
    expect(support).to_have_title(re.compile("^Melding vastgelegd"))
    checker.check(support, "ontvangstcode")
    code = support.locator("#ontvangstcode").inner_text()
    assert re.fullmatch(r"[2-9A-Z]{4}(-[2-9A-Z]{4}){3}", code)
    support.get_by_role("link", name=re.compile("^Naar zaak ")).click()
    case_url = support.url
    assert stage(support).startswith(Stage.MELDING.label)
    assert code not in support.content()  # shown once: not on the case page
    assert "Ontvangstbevestiging aan de melder (Wet bescherming klokkenluiders): op tijd" in support.content()
    checker.check(support, "zaakpagina")
    take(support, "Registreren en ontvangst bevestigen", refused=True)
    checker.check(support, "zaakpagina met fout")
    take(support, "Registreren en ontvangst bevestigen", vorm="belangenverstrengeling")

    chair = sign_in(browser, site, "voorzitter")
    checker.check(chair, "zakenlijst")
    chair.goto(case_url)
    take(chair, "Vooronderzoek starten")
    adviser = sign_in(browser, site, "adviseur")
    adviser.goto(case_url)
    take(adviser, "Vooronderzoek afronden", Motivering="De melding is concreet en geloofwaardig.")
    take(adviser, "Aangifte of melding aan politie of Openbaar Ministerie vastleggen", kies=("melding aan het Openbaar Ministerie",),
         **{"Datum van aangifte of melding": TODAY, "Kenmerk of registratienummer": SECRETS[8]})
    chair.reload()
    checker.check(chair, "zaakpagina besluit met aangifte")
    take(chair, "Besluiten onderzoek in te stellen", refused=True, Motivering="Ernstig genoeg voor onderzoek.",
         **{"Schriftelijke onderzoeksopdracht": f"Onderzoek door {SECRETS[3]}.", "onderzoeker": "Onderzoeker (externe onderzoeker)"})
    expect(chair.get_by_role("alert")).to_contain_text("Soort onderzoek")
    take(chair, "Besluiten onderzoek in te stellen", Motivering="Ernstig genoeg voor onderzoek.",
         kies=("extern (door een onafhankelijke externe onderzoeker)",),
         **{"Schriftelijke onderzoeksopdracht": f"Onderzoek door {SECRETS[3]}.", "onderzoeker": "Onderzoeker (externe onderzoeker)"})
    investigator = sign_in(browser, site, "onderzoeker")
    investigator.goto(case_url)
    assert SECRETS[0] not in investigator.content() and SECRETS[3] not in investigator.content()
    expect(investigator.get_by_role("button", name="Notitie toevoegen")).to_have_count(0)
    checker.check(investigator, "zaakpagina onderzoeker zonder verklaring")
    declare_with_the_keyboard(investigator, refused=True)
    checker.check(investigator, "verklaring onvolledig")
    declare_with_the_keyboard(investigator)
    expect(investigator.get_by_text(SECRETS[3])).to_have_count(1)
    investigator.get_by_label("Tekst van de nieuwe notitie").fill(SECRETS[7])
    investigator.get_by_role("button", name="Notitie toevoegen").click()
    investigator.get_by_label("Bestand", exact=True).set_input_files(
        files=[{"name": SECRETS[5], "mimeType": "application/pdf", "buffer": f"Inhoud: {SECRETS[6]}".encode()}])
    investigator.get_by_role("button", name="Document toevoegen").click()
    expect(investigator.get_by_role("link", name=SECRETS[5])).to_have_count(1)
    checker.check(investigator, "zaakpagina onderzoeker met notitie en document")
    hearing = "Conceptbevindingen aan de betrokkene voorleggen (hoor en wederhoor)"
    take(investigator, hearing, refused=True)
    checker.check(investigator, "wederhoor voorleggen met fout")
    take(investigator, hearing, kies=("per aangetekende brief",), **{
        "Datum waarop de betrokkene de conceptbevindingen kreeg": TODAY, "Reactietermijn tot en met": IN_TWO_WEEKS,
        "Welke conceptbevindingen zijn voorgelegd": "Conceptrapport versie 1."})
    take(investigator, "Eindrapport opleveren na wederhoor", refused=True, Motivering="Te vroeg.")
    expect(investigator.get_by_role("alert")).to_contain_text("Het eindrapport kan pas worden opgeleverd")
    checker.check(investigator, "eindrapport te vroeg")
    support.goto(case_url)
    take(support, "Reactie van de betrokkene vastleggen", refused=True, kies=("de betrokkene heeft niet gereageerd binnen de termijn", "geen bijstand"))
    expect(support.get_by_role("alert")).to_contain_text("pas na afloop van de reactietermijn")
    take(support, "Reactie van de betrokkene vastleggen", kies=("de betrokkene heeft gereageerd", "een vertrouwenspersoon"), **{
        "Datum van de reactie": TODAY, "Reactie van de betrokkene": SECRETS[9], "Naam van de vertrouwenspersoon of advocaat": SECRETS[10]})
    expect(support.get_by_text(SECRETS[10])).to_have_count(1)
    checker.check(support, "zaakpagina met reactie betrokkene")
    investigator.goto(case_url)
    take(investigator, "Eindrapport opleveren na wederhoor", lands="Zaken –", Motivering="De reactie van de betrokkene is verwerkt.")
    expect(investigator.get_by_role("link", name=case_url.rsplit("/", 1)[1])).to_have_count(0)
    chair.reload()
    take(chair, "Besluit en maatregelen vastleggen", Motivering=SECRETS[4], uitkomst="vermoeden ongegrond")
    support.goto(case_url)
    expect(support.get_by_text("Te informeren orgaan: de gemeenteraad")).to_have_count(1)
    take(support, "Vertegenwoordigend orgaan informeren", kies=("in een besloten vergadering (met geheimhouding)",),
         **{"Datum waarop het orgaan is geïnformeerd": TODAY})
    take(support, "Openbaarmaking vastleggen", kies=("de website van de organisatie", WOO_PRIVACY), **{
        "Datum van openbaarmaking": TODAY, "Wat is openbaar gemaakt": "Het besluit, zonder namen.",
        "Afweging": "Namen van melder en getuigen weggelaten: hun levenssfeer weegt zwaarder."})
    checker.check(support, "zaakpagina communicatie")
    take(support, "Communicatie afronden", Motivering="Melder en betrokkene per brief geïnformeerd.")
    chair.reload()
    take(chair, "Zaak afsluiten na nazorg", refused=True, Motivering="Nazorg gegeven aan melder en betrokkene.")
    expect(chair.get_by_role("alert")).to_contain_text("legt u eerst de rehabilitatie van de betrokkene vast")
    checker.check(chair, "afsluiten zonder rehabilitatie")
    take(chair, "Rehabilitatie van de betrokkene vastleggen", kies=("een openbare verklaring dat het vermoeden ongegrond is",), **{
        "Datum": TODAY, "Toelichting op de rehabilitatie": "Verklaring in de raadsvergadering en op de website."})
    take(chair, "Zaak afsluiten na nazorg", Motivering="Nazorg gegeven aan melder en betrokkene.")
    assert stage(chair).startswith(Stage.AFGESLOTEN.label)
    expect(chair.get_by_text(SECRETS[7])).to_have_count(1)
    checker.check(chair, "afgesloten zaak")
    chair.get_by_role("link", name="Logboek van deze zaak").click()
    checker.check(chair, "logboek zaak")
    chair.get_by_role("link", name="Toegang en rollen").click()
    checker.check(chair, "toegang")
    chair.get_by_role("link", name="Cijfers").click()
    expect(chair.locator("td.miv-num").first).to_have_text("1")
    checker.check(chair, "cijfers")

    auditor = sign_in(browser, site, "auditor")
    auditor.goto(case_url)
    assert SECRETS[0] not in auditor.content() and stage(auditor).startswith(Stage.AFGESLOTEN.label)
    checker.check(auditor, "zaakpagina auditor")
    auditor.get_by_role("link", name="Logboek").first.click()
    expect(auditor.locator("main")).to_contain_text("geen wijzigingen gevonden")
    checker.check(auditor, "logboek organisatie")
    assert len(checker.seen) == 28  # 26 states of the case walk and the two of the enrolment code

"""A real browser (Debian's Chromium via Playwright) walks the real 2024 ambtsdragers
questionnaire from monitor/: routing, leaving, resuming, the back button, submitting; and
axe-core checks every page type against WCAG 2.2 AA, also at 200% zoom and without JavaScript."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from browser_support import PASSWORD, WCAG, chromium, serve
from fieldwork_support import WORD
from playwright.sync_api import Browser, Page, expect
from web_support import Site, make_site

from miv import definition
from miv import fieldwork as fw
from miv.web import create_app

ERROR = re.compile(r"^Fout: ")  # the title of a page that shows an error

pytestmark = pytest.mark.browser
WCAG22 = {**WCAG, "runOnly": {"type": "tag", "values": [*WCAG["runOnly"]["values"], "wcag22aa"]}}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as browser:
        yield browser


@pytest.fixture
def real_site(sqlite_url: str) -> Iterator[Site]:
    site = make_site(sqlite_url, monitor=definition.load())
    with serve(create_app(site.settings)) as url:
        site.url = url
        yield site
        site.close()


def accessible(page: Page, what: str) -> None:
    page.wait_for_load_state()  # a click returns once the next page starts; axe needs all of it
    results = Axe().run(page, options=WCAG22)
    assert results.violations_count == 0, f"{what}: {results.generate_report()}"


def answer_page(page: Page) -> None:
    """Answer everything on the page: victim of verbal aggression, otherwise 'Nee' or the
    first option; one box per multiple-choice item; a number and a text where asked."""
    page.wait_for_load_state()  # every fieldset of the page, not those parsed so far
    for fieldset in page.locator("fieldset").all():
        radios = fieldset.locator("input[type=radio]")
        if radios.count():
            name = radios.first.get_attribute("name")
            wanted = "1" if name == "AG_VERBAAL" else "2"
            choice = fieldset.locator(f"input[value='{wanted}']")
            (choice if choice.count() else radios.first).check()
        boxes = fieldset.locator("input[type=checkbox]")
        if boxes.count():
            boxes.first.check()
    for box in page.locator("input[inputmode=decimal]").all():
        box.fill("4")
    for area in page.locator("textarea").all():
        area.fill("Geen verdere opmerkingen.")


def choose_word(page: Page) -> None:
    """The introduction before the first page: choose the resume word."""
    page.get_by_label("Herstelwoord", exact=True).fill(WORD)
    page.get_by_label("Herhaal het herstelwoord").fill(WORD)
    page.get_by_role("button", name="Begin met de vragenlijst").click()


def test_walk_the_ambtsdragers_questionnaire(browser: Browser, real_site: Site):
    context = browser.new_context(base_url=real_site.url)
    page = context.new_page()
    page.goto("/")
    accessible(page, "start")
    page.get_by_label("Uw code").fill("fout-code")
    page.get_by_role("button", name="Start de vragenlijst").click()
    expect(page).to_have_title(ERROR)
    accessible(page, "start with error")

    page.get_by_label("Uw code").fill(real_site.codes["anna@example.nl"].lower())
    page.get_by_role("button", name="Start de vragenlijst").click()
    expect(page.locator("main")).to_contain_text("Hoe lang duurt het?")
    accessible(page, "introduction")
    page.get_by_role("button", name="Begin met de vragenlijst").click()
    assert page.title().startswith("Fout: ")
    accessible(page, "introduction with error")
    choose_word(page)
    expect(page.locator("main")).to_contain_text("Stap 1 van")
    accessible(page, "question page")

    page.get_by_role("button", name="Volgende").click()  # nothing answered
    expect(page).to_have_title(ERROR)
    accessible(page, "question page with errors")
    page.locator(".miv-alert a").first.click()

    titles = []
    while "/vragenlijst/controle" not in page.url:
        titles.append(page.locator("h1").inner_text())
        answer_page(page)
        page.get_by_role("button", name="Volgende").click()
        if len(titles) == 2:
            page.go_back()  # the browser's back button shows the saved answers
            expect(page.locator("input[type=radio]:checked")).not_to_have_count(0)
            page.go_forward()
            page.get_by_role("button", name="Opslaan en later verder").click()
            expect(page.locator("main")).to_contain_text("Uw antwoorden zijn bewaard")
            accessible(page, "saved for later")
            page.goto("/")
            page.get_by_label("Uw code").fill(real_site.codes["anna@example.nl"])
            page.get_by_role("button", name="Start de vragenlijst").click()
            accessible(page, "resume word")
            page.get_by_label("Herstelwoord").fill(WORD)
            page.get_by_role("button", name="Verder met de vragenlijst").click()
    pages = definition.load().editions[2024].questionnaires["ambtsdragers"].pages
    assert set(titles) == {p.title for p in pages}  # a victim burgemeester sees every page
    accessible(page, "review")
    expect(page.locator("main")).to_contain_text("Controleer uw antwoorden")
    page.get_by_role("button", name="Verzenden").click()
    expect(page.locator("main")).to_contain_text("Bedankt voor uw deelname")
    accessible(page, "thanks")

    fw.close_fieldwork(real_site.db, fw.Keys(real_site.settings.secret), real_site.fieldwork)
    [record] = fw.completed_records(real_site.db, real_site.fieldwork)
    assert record["AG_VERBAAL"] == 1 and record["AG_INTIMIDATIE"] == 2
    assert record["AG_SOCIAL"] == 2  # asked: she is a victim
    assert record["AG_MELDING"] == 2 and record["AG_REGISTRATIE"] == -1  # routed out: not reported
    assert record["INT_GEMELD"] == -1  # saw no integrity violation
    assert record["INT_ZORGPLICHT"] == -1 and record["INT_ZORGPLICHT_EIGEN"] is not None  # burgemeester-only item
    context.close()


def staff_pages(page: Page, site: Site) -> list[str]:
    page.goto("/beheer/inloggen")
    page.get_by_label("E-mailadres").fill("admin@bureau.nl")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    return ["/beheer", f"/beheer/veldwerk/{site.fieldwork}", f"/beheer/veldwerk/{site.fieldwork}/sluiten", "/beheer/gebruikers"]


@pytest.mark.parametrize("width", [1280, 640, 320], ids=["100%", "200% zoom", "400% zoom"])
def test_every_other_page_type_passes_axe(browser: Browser, real_site: Site, width: int):
    """640 CSS pixels is what 200% zoom leaves of a 1280 pixel wide screen: no page may
    need horizontal scrolling there (WCAG 1.4.4/1.4.10)."""
    context = browser.new_context(base_url=real_site.url, viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(f"/start?code={real_site.codes['dirk@example.nl']}")
    choose_word(page)
    first = page.url.removeprefix(real_site.url)
    respondent = ["/", first, "/vragenlijst/controle", "/vragenlijst/herstelwoord", "/toegankelijkheid", "/bestaat-niet", "/beheer/inloggen",
                  "/beheer/inloggen?verlopen=1"]
    for path in respondent + staff_pages(page, real_site):
        page.goto(path)
        accessible(page, f"{path} at {width}px")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), f"{path} scrolls sideways at {width}px"
    assert "miv-beheer" in {c["name"] for c in context.cookies()} and "miv-beheer" not in page.evaluate("document.cookie")  # HttpOnly
    context.close()


def test_the_survey_works_without_javascript(browser: Browser, real_site: Site):
    context = browser.new_context(base_url=real_site.url, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"/start?code={real_site.codes['bram@example.nl']}")
    choose_word(page)
    expect(page.locator("main")).to_contain_text("Stap 1 van")
    page.get_by_role("button", name="Volgende").click()
    expect(page.locator("main")).to_contain_text("Kies een antwoord.")
    answer_page(page)
    page.get_by_role("button", name="Volgende").click()
    expect(page.locator("main")).to_contain_text("Stap 2 van")
    context.close()


def test_the_survey_can_be_answered_by_keyboard_alone(browser: Browser, real_site: Site):
    context = browser.new_context(base_url=real_site.url)
    page = context.new_page()
    page.goto("/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Direct naar de inhoud"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "code"
    page.keyboard.type(real_site.codes["bram@example.nl"])
    page.keyboard.press("Enter")
    page.wait_for_url("**/vragenlijst/begin")
    while page.evaluate("document.activeElement.id") != "woord":
        page.keyboard.press("Tab")
    page.keyboard.type(WORD)
    page.keyboard.press("Tab")
    page.keyboard.type(WORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/vragenlijst/" in url and "/begin" not in url)
    expect(page.locator("main")).to_contain_text("Stap 1 van")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # skip link to the questions
    while page.evaluate("document.activeElement.type") != "radio" and page.evaluate("document.activeElement.type") != "text":
        page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.name, document.activeElement.type]")
    if focused[1] == "radio":
        page.keyboard.press("Space")
        assert page.evaluate("document.activeElement.checked") is True
    else:
        page.keyboard.type("3")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"  # focus is visible
    context.close()

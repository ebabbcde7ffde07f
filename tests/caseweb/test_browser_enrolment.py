"""In a real browser, by keyboard alone: a new case member signs in with the password, is asked
for the administrator's enrolment code (a wrong one is refused), sees the TOTP secret once,
confirms it with a code, and at the next sign-in is asked only for the code. axe-core checks
every state of the page against WCAG 2.2 AA, and the focus is visible on every field."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from browser_support import PASSWORD, chromium
from playwright.sync_api import Browser, Page, expect

from .caseweb_support import email
from .test_browser import BASE, WCAG22, Checker
from .web_cases import CaseSite

pytestmark = pytest.mark.browser
PAGE = "/beheer/zaken/tweestaps"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as browser:
        yield browser


def tab_to(page: Page, field: str) -> None:
    """Press Tab until `field` has the focus (at most 40 times), and check that the focus shows."""
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == field:
            assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none", f"{field}: focus not visible"
            return
    raise AssertionError(f"{field} is not reachable with Tab on {page.url}")


def submit(page: Page, field: str, value: str) -> None:
    tab_to(page, field)
    page.keyboard.type(value)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def sign_in_by_keyboard(page: Page, name: str) -> None:
    page.goto("/beheer/inloggen")
    tab_to(page, "email")
    page.keyboard.type(email(name))
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(f"{PAGE}?volgende=/beheer/zaken") + "$"))


def test_enrolment_with_the_administrators_code_by_keyboard_alone(browser: Browser, site: CaseSite):
    checker = Checker(browser, site, WCAG22)
    page = browser.new_context(base_url=site.url, java_script_enabled=False).new_page()
    sign_in_by_keyboard(page, "adviseur")
    assert page.locator("code.miv-secret").count() == 0
    checker.check(page, "inschrijfcode vragen")
    submit(page, "inschrijfcode", "AAAA-BBBB-CCCC-DDDD")
    expect(page).to_have_title(re.compile("^Fout: "))
    assert page.locator("code.miv-secret").count() == 0
    expect(page.get_by_role("alert")).to_contain_text("onjuist, al gebruikt, verlopen of niet voor uw account")
    checker.check(page, "inschrijfcode onjuist")
    submit(page, "inschrijfcode", site.enrolment_code("adviseur").lower().replace("-", " "))  # typed loosely
    expect(page.get_by_text("U ziet de sleutel alleen nu, één keer")).to_be_visible()
    site.secrets["adviseur"] = page.locator("code.miv-secret").first.inner_text()
    checker.check(page, "sleutel eenmalig getoond")
    submit(page, "code", "000000")
    expect(page).to_have_title(re.compile("^Fout: "))
    assert page.locator("code.miv-secret").count() == 0, "a refused code does not show the secret again"
    checker.check(page, "sleutel wacht op eerste code")
    submit(page, "code", site.code("adviseur"))
    expect(page).to_have_url(re.compile(re.escape(BASE) + "$"))

    again = browser.new_context(base_url=site.url, java_script_enabled=False).new_page()
    sign_in_by_keyboard(again, "adviseur")
    assert again.locator("code.miv-secret").count() == 0 and again.locator("#inschrijfcode").count() == 0
    checker.check(again, "alleen de code")
    submit(again, "code", site.code("adviseur"))
    response = again.goto(BASE)
    assert response is not None and response.status == 200 and PAGE not in again.url
    assert len(checker.seen) == 5

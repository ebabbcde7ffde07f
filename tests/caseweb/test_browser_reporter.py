"""In a real browser (Chromium, JavaScript off): the reporter enters the receipt code, reads the
status, writes a message with a file and leaves an address, all with the keyboard only; the
chair reads it and answers with the terugkoppeling; the reporter reads the answer, asks for a
new code and signs out. axe-core checks every page state against WCAG 2.2 AA."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from browser_support import chromium
from playwright.sync_api import Browser, Locator, Page, expect

from .caseweb_support import SECRETS
from .test_browser import Checker, sign_in
from .web_cases import CaseSite

pytestmark = pytest.mark.browser
WRITTEN = "Ik zag de wethouder het contract tekenen."
ANSWER = "Wij hebben uw melding beoordeeld en stellen een onderzoek in."


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as browser:
        yield browser


def tab_to(page: Page, target: Locator, limit: int = 40) -> None:
    """Press Tab until `target` has the focus, as someone without a mouse would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{target} is not reachable with Tab")


def test_reporter_and_chair_exchange_messages_in_a_browser(browser: Browser, engine_site: CaseSite):  # SQLite and PostgreSQL
    site = engine_site
    checker = Checker(browser, site)
    support = sign_in(browser, site, "ondersteuning")
    support.get_by_role("link", name="Nieuwe melding").click()
    support.get_by_label("Omschrijving van de melding").fill(f"{SECRETS[0]} en de {SECRETS[2]}.")
    support.get_by_label("Over wie gaat de melding (betrokkene)").fill(SECRETS[0])
    support.get_by_label("Interne meldvoorziening voor medewerkers (Wet bescherming klokkenluiders)").check()
    support.get_by_role("button", name="Melding vastleggen").click()
    code = support.locator("#ontvangstcode").inner_text()
    support.get_by_role("link", name=re.compile("^Naar zaak ")).click()
    case_url = support.url

    me = browser.new_context(base_url=site.url, java_script_enabled=False).new_page()
    me.goto("/melder")
    checker.check(me, "melder: code invullen")
    tab_to(me, me.get_by_label("Ontvangstcode"))
    me.keyboard.type("2222-2222-2222-2222")
    me.keyboard.press("Enter")
    expect(me).to_have_title(re.compile("^Fout: "))
    expect(me.get_by_role("alert")).to_contain_text("hoort niet bij een melding")
    checker.check(me, "melder: onjuiste code")
    tab_to(me, me.get_by_label("Ontvangstcode"))
    me.keyboard.press("Control+A")
    me.keyboard.type(code.lower().replace("-", " "))
    me.keyboard.press("Enter")
    expect(me).to_have_title(re.compile("^Uw melding"))
    expect(me.locator("dl.miv-facts")).to_contain_text("Ontvangen.")
    assert SECRETS[0] not in me.content() and case_url.rsplit("/", 1)[1] not in me.content()
    checker.check(me, "melder: stand van zaken zonder berichten")

    tab_to(me, me.get_by_role("button", name="Bericht versturen"))
    me.keyboard.press("Enter")  # nothing written
    expect(me).to_have_title(re.compile("^Fout: "))
    checker.check(me, "melder: leeg bericht")
    tab_to(me, me.get_by_label("Uw bericht"))
    me.keyboard.type(WRITTEN)
    me.get_by_label("Bestand meesturen").set_input_files(files=[{"name": "foto.jpg", "mimeType": "image/jpeg", "buffer": b"\xff\xd8 foto"}])
    tab_to(me, me.get_by_role("button", name="Bericht versturen"))
    me.keyboard.press("Enter")
    expect(me.locator(".miv-note")).to_contain_text(WRITTEN)
    expect(me.get_by_role("link", name="foto.jpg")).to_have_count(1)
    checker.check(me, "melder: met eigen bericht")
    tab_to(me, me.get_by_label("E-mailadres"))
    me.keyboard.type("geen adres")
    tab_to(me, me.get_by_role("button", name="Adres opslaan"))
    me.keyboard.press("Enter")
    expect(me).to_have_title(re.compile("^Fout: "))
    checker.check(me, "melder: onjuist e-mailadres")
    me.get_by_label("E-mailadres").fill("klokkenluider@example.nl")
    me.get_by_role("button", name="Adres opslaan").click()
    expect(me.get_by_text("U krijgt een seintje op het adres dat u opgaf.")).to_have_count(1)
    checker.check(me, "melder: met seintje")

    chair = sign_in(browser, site, "voorzitter")  # lands on the case list: the reporter's message is marked
    case_id = case_url.rsplit("/", 1)[1]
    row = chair.get_by_role("row", name=re.compile(case_id))
    expect(row.get_by_role("cell", name="ongelezen bericht")).to_have_count(1)
    expect(chair.get_by_text("U hebt ongelezen berichten van de melder in 1 zaak.")).to_have_count(1)
    checker.check(chair, "zakenlijst met ongelezen bericht")
    chair.goto(case_url)
    expect(chair.locator("#berichten ~ .miv-note").first).to_contain_text(WRITTEN)
    checker.check(chair, "zaakpagina met bericht van de melder")
    chair.get_by_role("navigation", name=re.compile("^Zaken van")).get_by_role("link", name="Zaken", exact=True).click()
    expect(row.get_by_role("cell", name="ongelezen bericht")).to_have_count(0)
    expect(chair.get_by_text("ongelezen berichten van de melder in")).to_have_count(0)
    checker.check(chair, "zakenlijst zonder ongelezen bericht")
    chair.goto(case_url)
    chair.get_by_role("button", name="Bericht aan de melder versturen").click()
    expect(chair).to_have_title(re.compile("^Fout: "))
    checker.check(chair, "zaakpagina: leeg bericht aan de melder")
    chair.get_by_label("Nieuw bericht aan de melder").fill(ANSWER)
    chair.get_by_label(re.compile("^Dit bericht is de terugkoppeling")).check()
    chair.get_by_role("button", name="Bericht aan de melder versturen").click()
    expect(chair.locator("#berichten ~ .miv-note").nth(1)).to_contain_text("terugkoppeling aan de melder")
    checker.check(chair, "zaakpagina met antwoord")

    me.reload()
    expect(me.locator(".miv-note").nth(1)).to_contain_text(ANSWER)
    expect(me.locator("dl.miv-facts")).to_contain_text("Gegeven op")
    assert "Behandelaar van uw melding" in me.content() and "Voorzitter" not in me.content()
    checker.check(me, "melder: met antwoord en terugkoppeling")
    tab_to(me, me.get_by_role("button", name="Nieuwe code aanvragen"))
    me.keyboard.press("Enter")
    new = me.locator("#ontvangstcode").inner_text()
    assert new != code and re.fullmatch(r"[2-9A-Z]{4}(-[2-9A-Z]{4}){3}", new)
    checker.check(me, "melder: nieuwe code")
    me.get_by_role("link", name="Terug naar uw melding").click()
    tab_to(me, me.get_by_role("button", name="Afmelden"))
    me.keyboard.press("Enter")
    expect(me.get_by_role("status")).to_have_text("U bent afgemeld.")
    checker.check(me, "melder: afgemeld")
    me.goto("/melder/berichten")
    expect(me).to_have_url(re.compile(r"/melder\?melding=verlopen$"))
    checker.check(me, "melder: sessie verlopen")
    assert len(checker.seen) == 16

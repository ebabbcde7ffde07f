"""The report parts with the content added for issue 12 (the new chapters and the study's
design) in Debian's Chromium: axe-core finds no WCAG 2.2 AA violation on the whole page, and
the fieldwork chapter is reachable from the contents by keyboard."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from browser_support import chromium
from playwright.sync_api import Browser

pytestmark = [pytest.mark.browser, pytest.mark.slow]
WCAG22 = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}, "resultTypes": ["violations"]}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as browser:
        yield browser


@pytest.mark.parametrize("slug", ["rapport-veiligheid", "rapport-integriteit"])
def test_the_report_with_its_new_chapters_passes_axe(browser: Browser, demo_run: tuple[Path, str], slug: str, tmp_path: Path) -> None:
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.goto((demo_run[0] / "2024" / f"{slug}.html").as_uri())
    results = Axe().run(page, options=WCAG22)
    assert results.violations_count == 0, results.generate_report()
    link = page.locator('nav a[href="#opzet"]')
    link.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#opzet"
    assert page.locator("#opzet h2").is_visible()
    page.screenshot(path=str(tmp_path / f"{slug}-opzet.png"))
    page.close()

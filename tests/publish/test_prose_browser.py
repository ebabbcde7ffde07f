"""The new reader pages in Chromium: "De monitor in 5 minuten" and a report part with its
section openings, method chapter and annex, axe-clean by WCAG 2.2 AA, readable at 320 px."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from browser_support import chromium
from playwright.sync_api import Browser

pytestmark = pytest.mark.browser
WCAG22 = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}, "resultTypes": ["violations"]}
SCREENSHOTS = Path("/tmp/miv-prose-screenshots")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as browser:
        yield browser


@pytest.mark.parametrize("name", ["monitor-in-5-minuten.html", "rapport-veiligheid.html", "index.html"])
@pytest.mark.parametrize("width", [1280, 320])
def test_page_is_accessible_and_fits(browser: Browser, published, name: str, width: int) -> None:
    out, _ = published
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto((out / name).as_uri())
    results = Axe().run(page, options=WCAG22)
    assert results.violations_count == 0, results.generate_report()
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    if name == "monitor-in-5-minuten.html":
        assert overflow <= 1, f"{name} is {overflow}px te breed op {width}px"  # tables scroll in their container
        assert page.locator(".miv-tegel").count() >= 15
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{width}-{name}.png"), full_page=False)
    page.close()

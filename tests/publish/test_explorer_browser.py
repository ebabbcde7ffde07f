"""The explorer in Debian's Chromium, as a reader uses it: from a local web server and from the
folder itself; select, compare, download, go back; keyboard only; without JavaScript; 320 px
wide and at 200% zoom. axe-core checks WCAG 2.2 AA on every state reached.

With MIV_SCREENSHOTS=1 the screenshots in docs/img/ (used by docs/publications.md) are
rewritten from this run."""

from __future__ import annotations

import csv
import functools
import http.server
import io
import os
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from browser_support import chromium
from playwright.sync_api import Browser, Page, expect
from postgres_support import free_port

pytestmark = pytest.mark.browser
WCAG22 = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}, "resultTypes": ["violations"]}
DOCS = Path(__file__).resolve().parents[2] / "docs" / "img"
PAGE = "verkenner/agressie_totaal/rapport-veiligheid.html"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as browser:
        yield browser


@pytest.fixture(scope="module")
def site(published) -> Iterator[str]:
    """The edition's folder served as static files, as any web server would."""
    out, _ = published
    handler = functools.partial(_Quiet, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def accessible(page: Page, state: str) -> None:
    results = Axe().run(page, options=WCAG22)
    assert results.violations_count == 0, f"{state}: {results.generate_report()}"


def shot(page: Page, name: str, tmp: Path) -> None:
    target = DOCS / name if os.environ.get("MIV_SCREENSHOTS") else tmp / name
    target.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(target), full_page=False)


def errors_of(page: Page) -> list[str]:
    found: list[str] = []
    page.on("pageerror", lambda error: found.append(str(error)))
    page.on("console", lambda message: found.append(message.text) if message.type == "error" else None)
    return found


def visible_breakdowns(page: Page) -> list[str]:
    return page.eval_on_selector_all("[data-uitsplitsing]", "els => els.filter(e => !e.hidden).map(e => e.dataset.uitsplitsing)")


def test_select_compare_download_and_go_back(browser: Browser, site: str, tmp_path: Path):
    context = browser.new_context(base_url=site, accept_downloads=True, viewport={"width": 1200, "height": 900})
    page = context.new_page()
    errors = errors_of(page)
    page.goto("/verkenner/index.html")
    accessible(page, "startpagina")
    shot(page, "verkenner-start.png", tmp_path)
    page.get_by_role("link", name="Agressie of intimidatie meegemaakt (van alle politieke ambtsdragers)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Agressie of intimidatie meegemaakt")
    accessible(page, "indicator: alle groepen")
    shot(page, "verkenner-groepen.png", tmp_path)
    page.get_by_role("link", name="Monitor Integriteit en Veiligheid – deel Veiligheid").click()
    expect(page.locator("#selectie")).to_be_visible()
    assert len(visible_breakdowns(page)) > 3
    expect(page.locator("[data-figuur='group'] svg")).to_be_attached()
    accessible(page, "indicator bij een groep, alles")

    # Select: women and men, this edition only.
    page.get_by_label("Uitsplitsing", exact=True).select_option(label="Geslacht")
    page.get_by_role("checkbox", name="2022").uncheck()
    page.get_by_role("button", name="Toon selectie").click()
    assert page.url.endswith("#uitsplitsing=gender&editie=2024")
    assert visible_breakdowns(page) == ["gender"]
    expect(page.locator("#status")).to_have_text("Getoond: Geslacht, editie 2024.")
    expect(page.locator("#tabel-gender th[data-editie='2022']").first).to_be_hidden()
    expect(page.locator("[data-figuur='gender'] svg")).to_be_attached()
    alt = page.locator("[data-figuur='gender'] .miv-grafiek").get_attribute("aria-label")
    assert alt.startswith("Staafdiagram") and "2022" not in alt
    for figure in ("gender", "trend"):  # the script shows the text alternative as it is: it says once where the figures are
        shown = page.locator(f"[data-figuur='{figure}'] .miv-figuur__alt").text_content()
        assert shown.count("De cijfers staan in de tabel") == 1, shown
    accessible(page, "selectie geslacht 2024")
    shot(page, "verkenner-selectie.png", tmp_path)

    # Download the selection: exactly the rows shown.
    with page.expect_download() as info:
        page.get_by_role("link", name="CSV van de getoonde selectie").click()
    download = info.value
    assert download.suggested_filename == "agressie_totaal-rapport-veiligheid-gender-2024.csv"
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    shown = page.locator("#tabel-gender tbody tr").count()
    assert len(rows) == shown and {r["uitsplitsing"] for r in rows} == {"Geslacht"} and {r["editie"] for r in rows} == {"2024"}
    first = page.locator("#tabel-gender tbody tr").first.locator("td").first.locator("data").get_attribute("value")
    assert float(rows[0]["percentage"]) == pytest.approx(float(first) * 100, abs=1e-4)
    with page.expect_download() as info:
        page.get_by_role("link", name="Excel (xlsx) van alle uitsplitsingen").click()
    assert info.value.suggested_filename == "rapport-veiligheid.xlsx"

    # Compare: the same selection among mayors; the URL carries it to the other page.
    page.get_by_label("Groep (publicatie)").select_option(label="Factsheet burgemeesters")
    page.get_by_role("button", name="Toon selectie").click()
    page.wait_for_url("**/factsheet-burgemeesters.html#uitsplitsing=gender&editie=2024")
    assert visible_breakdowns(page) == ["gender"]
    accessible(page, "burgemeesters, geslacht 2024")

    # Back: the previous page with its selection, then the state before the selection.
    page.go_back()
    page.wait_for_url("**/rapport-veiligheid.html#uitsplitsing=gender&editie=2024")
    assert visible_breakdowns(page) == ["gender"]
    page.go_back()
    page.wait_for_url(f"**/{PAGE}")
    assert len(visible_breakdowns(page)) > 3
    expect(page.locator("#tabel-group th[data-editie='2022']").first).to_be_visible()
    accessible(page, "terug: alles")

    # Shared link: opening the URL shows the selection.
    fresh = context.new_page()
    fresh.goto(f"/{PAGE}#uitsplitsing=province&editie=2022")
    assert visible_breakdowns(fresh) == ["province"]
    assert fresh.get_by_role("checkbox", name="2024").is_checked() is False
    accessible(fresh, "gedeelde link")
    assert errors == []
    context.close()


def test_keyboard_only(browser: Browser, site: str):
    page = browser.new_context(base_url=site).new_page()
    page.goto(f"/{PAGE}")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Naar de inhoud"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "inhoud"
    path = []
    for _ in range(12):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.id || document.activeElement.name || document.activeElement.textContent")
        path.append(focused)
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline != "none", f"geen zichtbare focus op {focused}"
        if focused == "kies-uitsplitsing":
            break
    assert path[:3] == ["kies-indicator", "kies-publicatie", "kies-uitsplitsing"], path
    page.keyboard.press("End")  # the last breakdown
    page.keyboard.press("Tab")  # 2024
    page.keyboard.press("Tab")  # 2022
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Toon selectie"
    page.keyboard.press("Enter")
    last = page.locator("#kies-uitsplitsing option").last.get_attribute("value")
    expect(page).to_have_url(re.compile(re.escape(f"#uitsplitsing={last}&editie=2024") + "$"))
    expect(page.locator("[data-uitsplitsing]:not([hidden])")).to_have_count(1)
    assert visible_breakdowns(page) == [last]
    accessible(page, "na toetsenbordselectie")
    # Every table region scrolls by keyboard: it is focusable.
    assert page.locator(".utrecht-table-container:visible").first.get_attribute("tabindex") == "0"


def test_without_javascript_every_table_and_link_works(browser: Browser, site: str, published):
    out, _ = published
    context = browser.new_context(base_url=site, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"/{PAGE}")
    assert page.locator("#selectie").is_hidden()
    assert page.locator("[data-uitsplitsing]").count() == len(visible_breakdowns(page)) > 3
    page.get_by_role("link", name="Geslacht", exact=True).click()
    assert page.url.endswith("#uitsplitsing-gender")
    response = page.request.get(f"/{PAGE.replace('.html', '.csv')}")
    assert response.ok and response.text() == (out / PAGE.replace(".html", ".csv")).read_text(encoding="utf-8")
    page.get_by_role("link", name="Factsheet burgemeesters").first.click()
    assert page.url.endswith("/verkenner/agressie_totaal/factsheet-burgemeesters.html")
    # axe needs JavaScript: it runs on the same page with the explorer's script blocked.
    probe = browser.new_context(base_url=site).new_page()
    probe.route("**/verkenner.js", lambda route: route.abort())
    probe.goto(f"/{PAGE}")
    assert probe.locator("#selectie").is_hidden()
    accessible(probe, "zonder JavaScript")
    context.close()
    probe.context.close()


@pytest.mark.parametrize("width", [320, 640], ids=["320px", "200% zoom"])
def test_small_screens_and_zoom(browser: Browser, site: str, width: int, tmp_path: Path):
    """640 CSS pixels is what 200% zoom leaves of a 1280 pixel wide screen."""
    page = browser.new_context(base_url=site, viewport={"width": width, "height": 800}).new_page()
    for path in ("/verkenner/index.html", "/verkenner/agressie_totaal/index.html", f"/{PAGE}#uitsplitsing=group&editie=2024,2022", "/open-data/index.html"):
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{path}: horizontaal scrollen bij {width}px"
        accessible(page, f"{path} op {width}px")
    if width == 320:
        page.goto(f"/{PAGE}#uitsplitsing=group&editie=2024,2022")
        shot(page, "verkenner-320px.png", tmp_path)


def test_from_the_folder_itself(browser: Browser, published):
    out, _ = published
    page = browser.new_context().new_page()
    errors = errors_of(page)
    page.goto((out / PAGE).as_uri() + "#uitsplitsing=layer&editie=2024")
    assert visible_breakdowns(page) == ["layer"]
    expect(page.locator("[data-figuur='layer'] svg")).to_be_attached()
    page.get_by_label("Uitsplitsing", exact=True).select_option(label="Alle uitsplitsingen")
    page.get_by_role("button", name="Toon selectie").click()
    assert len(visible_breakdowns(page)) > 3
    page.go_back()
    assert visible_breakdowns(page) == ["layer"]
    assert errors == []


def test_print_view_leaves_out_the_controls(browser: Browser, site: str):
    page = browser.new_context(base_url=site).new_page()
    page.goto(f"/{PAGE}#uitsplitsing=gender&editie=2024")
    page.emulate_media(media="print")
    assert page.locator("#selectie").is_hidden() and page.locator(".miv-verwant").is_hidden()
    assert page.locator("#tabel-gender").is_visible() and page.locator("#tabel-group").is_hidden()


@pytest.mark.parametrize("name", ["factsheet-burgemeesters", "factsheet-gemeenten", "factsheet-provincie-zeeland", "rapport-veiligheid"])
def test_reports_and_factsheets_pass_axe(browser: Browser, site: str, name: str, tmp_path: Path):
    """The publications themselves (not only the explorer), at full width and at 320 px."""
    page = browser.new_page()
    page.goto(f"{site}/{name}.html")
    accessible(page, name)
    page.set_viewport_size({"width": 320, "height": 800})
    accessible(page, f"{name} op 320 px")
    shot(page, f"{name}-320px.png", tmp_path)
    page.close()

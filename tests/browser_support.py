"""What tests that drive the app as a person would share: the app served by uvicorn on
loopback, the forms' CSRF token, signing in with a password, and Debian's Chromium."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import uvicorn
from playwright.sync_api import Browser, sync_playwright
from postgres_support import free_port
from starlette.types import ASGIApp

PASSWORD = "correct horse battery"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}, "resultTypes": ["violations"]}


@contextmanager
def serve(app: ASGIApp, **options: object) -> Iterator[str]:
    """Run the app with uvicorn in a thread of this process on a free loopback port; yield its
    URL. `options` go to uvicorn's Config (e.g. forwarded_allow_ips)."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False, **options))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


class HttpClients:
    """`client()` and `close()` for a test site dataclass with `url`, `db` and `clients` fields:
    each client keeps its own cookies, and all are closed when the test ends, even on failure."""

    def client(self) -> httpx.Client:
        client = httpx.Client(base_url=self.url, follow_redirects=False, timeout=60)
        self.clients.append(client)
        return client

    def close(self) -> None:
        for client in self.clients:
            client.close()
        self.db.dispose()


def csrf_in(html: str) -> str:
    """The CSRF token of the form in `html`."""
    return html.split('name="csrf" value="', 1)[1].split('"', 1)[0]


def csrf(client: httpx.Client, path: str) -> str:
    """The CSRF token from the form on `path`."""
    return csrf_in(client.get(path).text)


def login(client: httpx.Client, email: str) -> None:
    """Sign in with the password every test account has."""
    response = client.post("/beheer/inloggen", data={"csrf": csrf(client, "/beheer/inloggen"), "email": email,
                                                      "password": PASSWORD, "next": "/beheer"})
    assert response.status_code == 303, response.text


@contextmanager
def chromium() -> Iterator[Browser]:
    """Debian's Chromium, headless, driven by Playwright."""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()

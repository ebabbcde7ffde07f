"""A real app on a real database, served by uvicorn on loopback, and helpers for forms."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from browser_support import PASSWORD, HttpClients, serve
from fieldwork_support import INVITATIONS_CSV, small_monitor
import httpx

from miv import fieldwork as fw
from miv.definition import Monitor
from miv.store import Database, upgrade
from miv.web import Settings, create_app
from miv.web.accounts import add_user

SECRET = b"s" * 40


@dataclass
class Site(HttpClients):
    """A real app on a real database with one open fieldwork and four invitations."""

    settings: Settings
    db: Database
    fieldwork: int
    codes: dict[str, str] = field(default_factory=dict)
    url: str = ""
    clients: list[httpx.Client] = field(default_factory=list)


def make_site(url: str, monitor: Monitor | None = None, **overrides) -> Site:
    upgrade(url)
    settings = Settings(database_url=url, secret=SECRET, **overrides)
    db = Database(url)
    keys = fw.Keys(SECRET)
    fid = fw.open_fieldwork(db, monitor or small_monitor(), 2024, "ambtsdragers")
    fw.import_invitations(db, keys, fid, "lijst.csv", INVITATIONS_CSV.encode())
    codes = {line.split(";")[1]: line.split(";")[3] for line in fw.mailing(db, keys, fid, settings.base_url).splitlines()[1:]}
    add_user(db, "admin@bureau.nl", "Ada Beheer", "admin", PASSWORD)
    add_user(db, "veld@bureau.nl", "Vera Veld", "fieldwork", PASSWORD)
    return Site(settings, db, fid, codes)


@contextmanager
def live(url: str, **overrides) -> Iterator[Site]:
    """A site with its own settings, served for the length of the block, always cleaned up."""
    site = make_site(url, **overrides)
    try:
        with serve(create_app(site.settings)) as base:
            site.url = base
            yield site
    finally:
        site.close()

"""The real app with case pages on a real database, driven in-process, and sign-in with
password and TOTP as a person would."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from browser_support import PASSWORD, HttpClients, csrf, csrf_in, login, serve
import httpx
from mail_support import Inbox, mail_server
import pyotp
from starlette.applications import Starlette

from miv.cases import Action, MasterKey
from miv.fieldwork.mail import Smtp
from miv.store import Database, upgrade
from miv.web import Settings, create_app
from miv.web.accounts import add_user

from .caseweb_support import ORG, SECRETS, Team, build, email

SECRET = b"s" * 40
BASE = f"/beheer/zaken/{ORG}"


@dataclass
class CaseSite(HttpClients):
    app: Starlette
    team: Team
    db: Database
    url: str = ""
    secrets: dict[str, str] = field(default_factory=dict)
    used: dict[str, int] = field(default_factory=dict)
    clients: list[httpx.Client] = field(default_factory=list)

    def code(self, name: str) -> str:
        """A code the app has not seen for this person yet (the current or next time step)."""
        totp = pyotp.TOTP(self.secrets[name])
        step = max(int(time.time() // 30), self.used.get(name, 0) + 1)
        while step > time.time() // 30 + 1:  # the app accepts one step of drift: wait for the clock
            time.sleep(0.5)
        self.used[name] = step
        return totp.at(step * 30)

    def enrolment_code(self, name: str) -> str:
        """A one-time enrolment code from the administrator, as `miv users enrolment-code` gives one."""
        return self.team.work.issue_enrolment("beheer", self.team[name].user_id, datetime.now(timezone.utc), timedelta(hours=72))

    def enrol(self, client: httpx.Client, name: str, code: str | None = None) -> httpx.Response:
        """Enter an enrolment code on the second-factor page; keeps the secret it shows once."""
        page = client.get("/beheer/zaken/tweestaps").text
        response = client.post("/beheer/zaken/tweestaps", data={"csrf": csrf_in(page), "inschrijfcode": code or self.enrolment_code(name)})
        if shown := re.search(r'<code class="miv-secret">([A-Z2-7]{16,})</code>', response.text):
            self.secrets[name] = shown.group(1)
        return response

    def sign_in(self, client: httpx.Client, name: str, second_factor: bool = True) -> None:
        login(client, email(name))
        if not second_factor:
            return
        if name not in self.secrets:
            assert self.enrol(client, name).status_code == 200
        page = client.get("/beheer/zaken/tweestaps").text
        response = client.post("/beheer/zaken/tweestaps", data={"csrf": csrf_in(page), "code": self.code(name)})
        assert response.status_code == 303, response.text


def make_case_site(url: str, tmp_path: Path, **overrides: object) -> CaseSite:
    upgrade(url)
    key_file = tmp_path / "hoofdsleutel.key"
    master = MasterKey.create(key_file)
    db = Database(url)
    team = build(db, master, tmp_path / "documenten")
    add_user(db, "admin@bureau.nl", "Ada Beheer", "admin", PASSWORD)
    settings = Settings(database_url=url, secret=SECRET, cases_master_key=key_file, cases_documents=tmp_path / "documenten",
                        cases_anchor=tmp_path / "zaaklog-anker.txt", login_attempts=1000, **overrides)  # type: ignore[arg-type]
    return CaseSite(create_app(settings), team, db)


@contextmanager
def mailing_site(tmp_path: Path) -> Iterator[tuple[CaseSite, Inbox]]:
    """The case pages on a SQLite file, served on loopback, sending to a real local mail server."""
    with mail_server() as inbox:
        smtp = Smtp(host="127.0.0.1", port=inbox.port, starttls=False, sender="Zaken <zaken@utrecht.nl>")
        site = make_case_site(f"sqlite:///{tmp_path / 'miv.db'}", tmp_path, smtp=smtp)
        try:
            with serve(site.app) as url:
                site.url = url
                yield site, inbox
        finally:
            site.close()


def assert_content_free(mails: list, *secrets: str) -> None:
    """No mail, headers included, holds a word of the case (SECRETS) or any of `secrets`, in any case."""
    everything = "".join(m.as_string() for m in mails).lower()
    assert not [s for s in (*SECRETS, *secrets) if s.lower() in everything]


def post(client, path: str, data: dict | None = None, files: dict | None = None):
    return client.post(path, data={"csrf": csrf(client, "/beheer/inloggen"), **(data or {})}, files=files)


def step(client, case_id: str, action: Action, **fields) -> None:
    data = {"actie": action.value}
    for name, value in fields.items():
        data[f"{action.value}-{name}"] = value
    response = post(client, f"{BASE}/zaak/{case_id}/stap", data)
    assert response.status_code == 303, response.text


def report(site: CaseSite, client, channel: str = "overig") -> str:
    """Record a report; the answer is the receipt page (no redirect), which links to the case."""
    response = post(client, f"{BASE}/nieuw", {"omschrijving": f"{SECRETS[0]} en de {SECRETS[2]}.", "betrokkene": SECRETS[0],
                                              "melder": SECRETS[1], "kanaal": channel})
    assert response.status_code == 200 and "Ontvangstcode voor de melder" in response.text, response.text
    return re.search(rf'href="{re.escape(BASE)}/zaak/([^"]+)"', response.text).group(1)

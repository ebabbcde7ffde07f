"""The web app's settings, declared once; `miv serve` and the tests fill them in."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from miv.definition import DEFAULT_ROOT
from miv.fieldwork.mail import Smtp


@dataclass(frozen=True)
class Settings:
    database_url: str
    secret: bytes
    definition_root: Path = DEFAULT_ROOT
    base_url: str = "http://127.0.0.1:8000"
    secure: bool = False  # behind TLS: secure cookies and HSTS
    code_attempts: int = 20  # failed code entries per client per window
    login_attempts: int = 10  # failed logins per client per window
    window_seconds: int = 900
    pool_size: int = 10
    contact: str = "onderzoek@example.nl"  # contactadres voor respondenten: op de introductie, de bedankpagina, de toegankelijkheidsverklaring en in elke mail
    progress_days: int = 30  # bewaartermijn van onvoltooide antwoorden in dagen na de laatste keer opslaan; bij sluiten gaan ze altijd weg
    session_idle_minutes: int = 15  # beheer: een sessie vervalt na zoveel minuten zonder verzoek (zoals overheidsformulieren)
    session_hours: int = 8  # beheer: een sessie vervalt hoe dan ook zoveel uur na het inloggen
    smtp: Smtp | None = None  # send mailings by e-mail; without it staff download mail-merge files
    cases_master_key: Path | None = None  # cases: the master key file (docs/cases.md); no file, no case pages
    cases_documents: Path = Path("zaakdocumenten")  # cases: folder of the sealed documents
    # cases: het ankerbestand buiten de database; bij elke logregel wordt de kop van de keten erin bijgeschreven
    cases_anchor: Path = Path("zaaklog-anker.txt")
    # cases: de grootste toegestane bijlage in bytes; een groter bestand wordt tijdens het inlezen geweigerd
    cases_max_upload: int = 50 * 1024 * 1024


def read_secret(path: Path) -> bytes:
    """The server secret from MIV_SECRET or a file, created (mode 0600) on first use.
    It stays outside the database: it keys the code hashes and the encryption."""
    if os.environ.get("MIV_SECRET"):
        return os.environ["MIV_SECRET"].encode()
    if not path.exists():
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(48), encoding="ascii")
    return path.read_text(encoding="ascii").strip().encode()

"""The web app's settings; `miv serve` and the tests fill them in. Defaults, help and
environment variables are declared once, in miv.settings."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

from miv.definition import DEFAULT_ROOT
from miv.fieldwork.mail import Smtp
from miv.settings import SETTINGS, default


@dataclass(frozen=True)
class Settings:
    database_url: str
    secret: bytes
    definition_root: Path = DEFAULT_ROOT
    base_url: str = default("base_url")
    secure: bool = default("secure")
    code_attempts: int = default("code_attempts")
    login_attempts: int = default("login_attempts")
    window_seconds: int = default("window_seconds")
    pool_size: int = default("pool_size")
    contact: str = default("contact")
    progress_days: int = default("progress_days")
    session_idle_minutes: int = default("session_idle_minutes")
    session_hours: int = default("session_hours")
    smtp: Smtp | None = None  # send mailings by e-mail; without it staff download mail-merge files
    cases_master_key: Path | None = default("cases_master_key")
    cases_documents: Path = default("cases_documents")
    cases_anchor: Path | None = default("cases_anchor")  # None: beside the master key file
    cases_max_upload: int = default("cases_max_upload")


def read_secret(path: Path) -> bytes:
    """The server secret from MIV_SECRET or a file, created (mode 0600) on first use.
    It stays outside the database: it keys the code hashes and the encryption."""
    secret = SETTINGS["secret"].read()
    if secret:
        return str(secret).encode()
    if not path.exists():
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(48), encoding="ascii")
    return path.read_text(encoding="ascii").strip().encode()

"""Every setting of miv, declared once: name, default, Dutch help, environment variable and
command-line option. The CLI builds its options from these, the server reads its defaults and
the environment through them, and docs/cli.md lists them (tests/test_settings.py checks all
three). Imports nothing heavy: `miv --help` reads this module."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Setting:
    """One setting; `default` None means 'not set' (the code that uses it says what follows)."""

    name: str
    default: Any
    help: str
    env: str | None = None
    option: str | None = None
    kind: type = str

    def read(self, environ: Mapping[str, str] = os.environ) -> Any:
        """The value from the environment variable, typed like the setting, else the default."""
        raw = environ.get(self.env) if self.env else None
        if raw is None or raw == "":
            return self.default
        if self.kind is bool:
            return raw.strip().lower() in ("1", "true", "ja", "yes")
        return self.kind(raw)


_DECLARED = (
    # the definition and the data
    Setting("definition", None, "Map met de definitie van de Monitor; standaard de meegeleverde definitie.", option="--definition", kind=Path),
    Setting("data", Path("data"), "Datamap van de intake: <map>/<editie>/<vragenlijst>.parquet.", option="--data", kind=Path),
    Setting("demo_seed", 20240101, "Startgetal van het toeval van 'miv demo': dezelfde seed geeft dezelfde demodata.", option="--seed", kind=int),
    # the database and the server
    Setting("database_url", None, "Database-URL (SQLAlchemy); standaard sqlite:///miv.db in de werkmap.", "MIV_DATABASE_URL", "--db"),
    Setting("secret_file", Path("miv-secret.key"), "Geheim van de server (wordt bij eerste gebruik gemaakt); MIV_SECRET gaat voor.",
            option="--secret-file", kind=Path),
    Setting("secret", None, "Geheim van de server zelf, in plaats van het bestand.", "MIV_SECRET"),
    Setting("host", "127.0.0.1", "Adres waarop de server luistert.", option="--host"),
    Setting("port", 8000, "Poort waarop de server luistert.", option="--port", kind=int),
    Setting("workers", 1, "Aantal app-processen.", option="--workers", kind=int),
    Setting("base_url", "http://127.0.0.1:8000", "Openbaar adres, gebruikt in de uitnodigingslinks.", option="--base-url"),
    Setting("secure", False, "Achter TLS: beveiligde cookies en HSTS.", option="--secure", kind=bool),
    Setting("forwarded_allow_ips", "127.0.0.1", "Adressen van de proxy's of load balancers waarvan X-Forwarded-For/-Proto vertrouwd wordt (komma's).",
            "MIV_FORWARDED_ALLOW_IPS", "--forwarded-allow-ips"),
    Setting("contact", "onderzoek@example.nl", "Contactadres voor respondenten, op de pagina's en in elke mail.", "MIV_CONTACT", "--contact"),
    Setting("progress_days", 30, "Dagen na de laatste keer opslaan waarna onvoltooide antwoorden worden gewist.", "MIV_PROGRESS_DAYS",
            "--progress-days", kind=int),
    Setting("session_idle_minutes", 15, "Beheerpagina's: sessie vervalt na zoveel minuten zonder verzoek.", option="--session-idle-minutes", kind=int),
    Setting("session_hours", 8, "Beheerpagina's: sessie vervalt hoe dan ook zoveel uur na het inloggen.", option="--session-hours", kind=int),
    Setting("code_attempts", 20, "Mislukte code-invoer per client per venster.", kind=int),
    Setting("login_attempts", 10, "Mislukte aanmeldingen per client per venster.", kind=int),
    Setting("window_seconds", 900, "Lengte van dat venster, in seconden.", kind=int),
    Setting("pool_size", 10, "Databaseverbindingen per app-proces.", kind=int),
    # mail (without a host, staff download mail-merge files instead)
    Setting("smtp_host", None, "Mailserver voor uitnodigingen en herinneringen.", "MIV_SMTP_HOST"),
    Setting("smtp_port", 587, "Poort van de mailserver.", "MIV_SMTP_PORT", kind=int),
    Setting("smtp_user", None, "Gebruiker op de mailserver.", "MIV_SMTP_USER"),
    Setting("smtp_password", None, "Wachtwoord op de mailserver.", "MIV_SMTP_PASSWORD"),
    Setting("smtp_from", "Monitor Integriteit en Veiligheid <noreply@example.nl>", "Afzender van de mail.", "MIV_SMTP_FROM"),
    Setting("smtp_starttls", True, "STARTTLS gebruiken (1) of niet (0).", "MIV_SMTP_STARTTLS", kind=bool),
    # cases
    Setting("cases_master_key", None, "Bestand met de hoofdsleutel van de zaken; zonder sleutel geen zaakpagina's.",
            "MIV_CASES_MASTER_KEY_FILE", kind=Path),
    Setting("cases_anchor", None, "Ankerbestand buiten de database; bij elke logregel wordt de kop van de keten erin bijgeschreven. "
            "Standaard zaaklog-anker.txt naast het bestand met de hoofdsleutel.", "MIV_CASES_ANCHOR", kind=Path),
    Setting("cases_enrolment_hours", 72, "Zoveel uur is een inschrijfcode voor de tweestapsverificatie geldig.",
            "MIV_CASES_ENROLMENT_HOURS", kind=int),
    Setting("cases_max_upload", 50 * 1024 * 1024, "Grootste toegestane bijlage van een zaak, in bytes.", kind=int),
    Setting("cases_documents", Path("zaakdocumenten"), "Map met de versleutelde zaakdocumenten.", "MIV_CASES_DOCUMENTS", "--documents", kind=Path),
)

SETTINGS: dict[str, Setting] = {setting.name: setting for setting in _DECLARED}


def default(name: str) -> Any:
    return SETTINGS[name].default


def table() -> str:
    """The settings as the Markdown table in docs/cli.md ('## Settings'), which a test keeps equal to this."""
    rows = ["| setting | option | environment variable | default | what |", "| --- | --- | --- | --- | --- |"]
    for s in _DECLARED:
        shown = "—" if s.default is None else f"`{s.default}`"
        rows.append(f"| {s.name} | {f'`{s.option}`' if s.option else '—'} | {f'`{s.env}`' if s.env else '—'} | {shown} | {s.help} |")
    return "\n".join(rows)

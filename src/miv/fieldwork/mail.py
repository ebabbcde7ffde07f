"""Sending invitations and reminders by SMTP, when the bureau configures a mail server
(MIV_SMTP_HOST and friends); otherwise staff use the mail-merge files."""

from __future__ import annotations

import smtplib
from collections.abc import Iterable
from dataclasses import dataclass
from email.message import EmailMessage

from miv.fieldwork.errors import FieldworkError
from miv.fieldwork.service import Recipient
from miv.settings import SETTINGS, default

TEXT = """Beste {name},

{opening}

U vult de vragenlijst in via deze persoonlijke link:
{link}

Of ga naar {site} en vul deze code in: {code}

Uw antwoorden worden anoniem verwerkt: ze worden bewaard zonder uw naam, e-mailadres,
code of tijdstip, en komen pas beschikbaar voor de analyse als het onderzoek sluit, samen
met die van alle anderen. U kunt tussendoor stoppen en later verder gaan met dezelfde code
en het herstelwoord dat u bij de start kiest.

Vragen? Mail naar {contact}.

Met vriendelijke groet,
{sender}
"""
OPENING = {
    False: "U bent uitgenodigd voor de {title}. Het onderzoek gaat over agressie, geweld en integriteit in het openbaar bestuur; uw ervaringen tellen mee, ook als u niets heeft meegemaakt.",
    True: "Onlangs bent u uitgenodigd voor de {title}. Wij hebben uw antwoorden nog niet ontvangen. Wilt u de vragenlijst alsnog invullen?",
}


@dataclass(frozen=True)
class Smtp:
    host: str
    port: int = 587
    user: str | None = None
    password: str | None = None
    sender: str = default("smtp_from")
    starttls: bool = True

    @classmethod
    def from_env(cls) -> Smtp | None:
        """From MIV_SMTP_HOST, _PORT, _USER, _PASSWORD, _FROM, _STARTTLS (0/1), declared in
        miv.settings; None when no host is set."""
        value = {name: SETTINGS[f"smtp_{name}"].read() for name in ("host", "port", "user", "password", "from", "starttls")}
        if not value["host"]:
            return None
        return cls(host=value["host"], port=value["port"], user=value["user"], password=value["password"],
                   sender=value["from"], starttls=value["starttls"])


FAILURES = (OSError, smtplib.SMTPException)


def deliver(smtp: Smtp, messages: Iterable[tuple[str, str, str]]) -> int:
    """Send (address, subject, body) messages over one connection; returns how many were sent.
    A refusing or unreachable server raises one of FAILURES: the caller words the message."""
    count = 0
    with smtplib.SMTP(smtp.host, smtp.port, timeout=30) as server:
        if smtp.starttls:
            server.starttls()
        if smtp.user:
            server.login(smtp.user, smtp.password or "")
        for address, subject, body in messages:
            message = EmailMessage()
            message["From"] = smtp.sender
            message["To"] = address
            message["Subject"] = subject
            message.set_content(body)
            server.send_message(message)
            count += 1
    return count


def send(smtp: Smtp, people: list[Recipient], title: str, site: str, reminder: bool, contact: str) -> int:
    """Send one message per recipient over one connection; returns how many were sent."""
    opening = OPENING[reminder].format(title=title)
    subject = f"{'Herinnering' if reminder else 'Uitnodiging'}: {title}"
    signature = smtp.sender.split("<")[0].strip()
    try:
        return deliver(smtp, ((person.email, subject, TEXT.format(name=person.name, opening=opening, link=person.link, site=site,
                                                                    code=person.code, sender=signature, contact=contact))
                              for person in people))
    except FAILURES as exc:
        raise FieldworkError(f"de mailserver {smtp.host}:{smtp.port} weigerde of is onbereikbaar ({exc.__class__.__name__}: {exc})") from None

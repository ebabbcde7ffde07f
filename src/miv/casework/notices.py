"""Content-free e-mail about cases, over the app's SMTP server when one is configured.

Only `miv.cases.notification` texts are sent: they name the case id and where to sign in,
never a stage, a name or the kind of violation (docs/cases.md, "Threat model").
"""

from __future__ import annotations

import smtplib
from collections.abc import Iterable
from email.message import EmailMessage

from miv.cases import CaseError, Notice, notification
from miv.fieldwork.mail import Smtp


def send(smtp: Smtp, notices: Iterable[tuple[str, Notice]], case: str, url: str) -> int:
    """Send one notice per (address, kind) over one connection; returns how many were sent."""
    batch = list(notices)
    if not batch:
        return 0
    try:
        with smtplib.SMTP(smtp.host, smtp.port, timeout=30) as server:
            if smtp.starttls:
                server.starttls()
            if smtp.user:
                server.login(smtp.user, smtp.password or "")
            for address, kind in batch:
                subject, body = notification(kind, case, url)
                message = EmailMessage()
                message["From"] = smtp.sender
                message["To"] = address
                message["Subject"] = subject
                message.set_content(body)
                server.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise CaseError(f"De mailserver {smtp.host}:{smtp.port} weigerde of is onbereikbaar ({exc.__class__.__name__}).") from None
    return len(batch)

"""Content-free e-mail about cases, over the app's SMTP server when one is configured.

Only `miv.cases.notification` texts are sent: they name the case id and where to sign in,
never a stage, a name or the kind of violation (docs/cases.md, "Threat model").
"""

from __future__ import annotations

from collections.abc import Iterable

from miv.cases import CaseError, Notice, notification
from miv.cases.notice import reporter_notification
from miv.fieldwork.mail import FAILURES, Smtp, deliver


def send(smtp: Smtp, notices: Iterable[tuple[str, Notice]], case: str, url: str) -> int:
    """Send one notice per (address, kind) over one connection; returns how many were sent."""
    batch = list(notices)
    if not batch:
        return 0
    try:
        return deliver(smtp, ((address, *notification(kind, case, url)) for address, kind in batch))
    except FAILURES as exc:
        raise CaseError(f"De mailserver {smtp.host}:{smtp.port} weigerde of is onbereikbaar ({exc.__class__.__name__}).") from None


def send_to_reporter(smtp: Smtp, address: str, url: str) -> int:
    """The reporter's content-free seintje (`reporter_notification`)."""
    try:
        return deliver(smtp, [(address, *reporter_notification(url))])
    except FAILURES as exc:
        raise CaseError(f"De mailserver {smtp.host}:{smtp.port} weigerde of is onbereikbaar ({exc.__class__.__name__}).") from None

"""Notifications about cases, by e-mail or on a dashboard: they name the case id and nothing else.

E-mail leaves the protected store, so a notice never carries the stage, a name, a text or
the kind of violation: only that something needs attention, and where to log in.
"""

from __future__ import annotations

from enum import Enum


class Notice(str, Enum):
    STEP = "stap"
    ASSIGNED = "toegewezen"
    DEADLINE = "termijn"
    RETENTION = "bewaartermijn"
    MESSAGE = "bericht"


_SUBJECT = "Zaak {case}: er vraagt iets uw aandacht"
_BODY = {
    Notice.STEP: "In zaak {case} is een nieuwe stap gezet.",
    Notice.ASSIGNED: "U hebt toegang gekregen tot zaak {case}.",
    Notice.DEADLINE: "In zaak {case} verloopt een termijn of is een termijn verlopen.",
    Notice.RETENTION: "Zaak {case} nadert het einde van de bewaartermijn.",
    Notice.MESSAGE: "In zaak {case} is een nieuw bericht.",
}
_FOOTER = "Log in op {url} om de zaak te bekijken. Dit bericht bevat bewust geen inhoud van de zaak."


def notification(kind: Notice, case: str, url: str) -> tuple[str, str]:
    """Subject and body of a content-free notice about `case`."""
    return _SUBJECT.format(case=case), f"{_BODY[kind].format(case=case)}\n\n{_FOOTER.format(url=url)}\n"


def reporter_notification(url: str) -> tuple[str, str]:
    """Subject and body of the seintje to a reporter who left an address: not the case, the
    organisation, a name or a word of the message, so a reader of their mailbox learns only
    that there is something to read."""
    return "Er is een nieuw bericht", f"Er is een nieuw bericht; log in met uw ontvangstcode op {url}.\n"

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


_SUBJECT = "Zaak {case}: er vraagt iets uw aandacht"
_BODY = {
    Notice.STEP: "In zaak {case} is een nieuwe stap gezet.",
    Notice.ASSIGNED: "U hebt toegang gekregen tot zaak {case}.",
    Notice.DEADLINE: "In zaak {case} verloopt een termijn of is een termijn verlopen.",
    Notice.RETENTION: "Zaak {case} nadert het einde van de bewaartermijn.",
}
_FOOTER = "Log in op {url} om de zaak te bekijken. Dit bericht bevat bewust geen inhoud van de zaak."


def notification(kind: Notice, case: str, url: str) -> tuple[str, str]:
    """Subject and body of a content-free notice about `case`."""
    return _SUBJECT.format(case=case), f"{_BODY[kind].format(case=case)}\n\n{_FOOTER.format(url=url)}\n"

"""Who takes part in a case: the roles of the Handreiking and a person's membership of an organisation."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Role(str, Enum):
    """A case role within one organisation; every one of them logs in with TOTP."""

    CHAIR = "voorzitter"
    SUPPORT = "ondersteuning"
    ADVISER = "integriteitsadviseur"
    INVESTIGATOR = "onderzoeker"
    AUDITOR = "auditor"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Role.CHAIR: "voorzitter (burgemeester, Commissaris van de Koning of dijkgraaf)",
    Role.SUPPORT: "griffier of secretaris (ondersteuning)",
    Role.ADVISER: "integriteitsadviseur",
    Role.INVESTIGATOR: "externe onderzoeker",
    Role.AUDITOR: "auditor (alleen logboek)",
}

CHAIR_TITLES = {"gemeente": "burgemeester", "provincie": "Commissaris van de Koning", "waterschap": "dijkgraaf"}


def chair_title(layer: str) -> str:
    """The chair's title in a government layer, as the pages should show it."""
    return CHAIR_TITLES[layer]


@dataclass(frozen=True)
class Member:
    """One person's role in one organisation; a person with roles in two organisations has two."""

    person: str
    organisation: str
    role: Role

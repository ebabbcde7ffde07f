"""A real database with two organisations and a member for every case role, and helpers
that walk a case through the store as the pages do."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from browser_support import PASSWORD

from miv.cases import DocumentStore, MasterKey, Role
from miv.casework import Casework, Person, add_member, add_organisation
from miv.store import Database
from miv.web.accounts import add_user

ORG = "gemeente-utrecht"
OTHER = "gemeente-zeist"
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
SECRETS = ["Wethouder Pietersen", "Annemarie Bakker", "grondtransactie aan de Vaartweg", "onderzoeksbureau Integer BV",
           "berisping wegens belangenverstrengeling", "verslag-pietersen.pdf", "notulen van de besloten vergadering",
           "notitie over de zwager", "PL0900-2026123456", "ik heb de stukken nooit gezien", "Mr. Jolanda Visser"]
ROLES = {
    "voorzitter": (ORG, Role.CHAIR), "ondersteuning": (ORG, Role.SUPPORT), "adviseur": (ORG, Role.ADVISER),
    "onderzoeker": (ORG, Role.INVESTIGATOR), "onderzoeker-2": (ORG, Role.INVESTIGATOR), "auditor": (ORG, Role.AUDITOR),
    "buitenstaander": (OTHER, Role.CHAIR),
}


@dataclass
class Team:
    work: Casework
    people: dict[str, Person]
    documents: Path

    def __getitem__(self, name: str) -> Person:
        return self.people[name]


def email(name: str) -> str:
    return f"{name}@zaken.nl"


def build(db: Database, master: MasterKey, documents: Path) -> Team:
    with db.session() as s:
        add_organisation(s, ORG, "Gemeente Utrecht", "gemeente")
        add_organisation(s, OTHER, "Gemeente Zeist", "gemeente")
    people = {}
    for name, (organisation, role) in ROLES.items():
        add_user(db, email(name), name.capitalize(), "zaken", PASSWORD)
        with db.session() as s:
            people[name] = add_member(s, master, email(name), organisation, role.value)
    return Team(Casework(db, master, DocumentStore(documents), anchor=anchor_path(documents)), people, documents)


def anchor_path(documents: Path) -> Path:
    """The anchor file beside the document folder, as the site's settings name it."""
    return documents.with_name("zaaklog-anker.txt")


def at(days: float) -> datetime:
    return T0 + timedelta(days=days)


EXTERNAL = {"soort": "extern"}
DECLARATION = {"geen-zakelijke-banden": "ja", "geen-familiebanden": "ja", "geen-eerdere-rol": "ja", "geen-belang": "ja"}


def notification(when: datetime, term_days: int = 14) -> dict[str, str]:
    """The draft findings put to the accused on the day of `when`, with `term_days` to respond."""
    return {"kennisgeving": f"{when:%Y-%m-%d}", "wijze": "aangetekend", "termijn": f"{when + timedelta(days=term_days):%Y-%m-%d}",
            "bevindingen": "Conceptrapport versie 1, hoofdstuk 3."}


def response(when: datetime, text: str = "Ik heb niet meegestemd.", adviser: str = "Mr. A. Bakker") -> dict[str, str]:
    return {"reactie": "ontvangen", "ontvangen": f"{when:%Y-%m-%d}", "inhoud": text, "bijstand": "advocaat", "adviseur": adviser}

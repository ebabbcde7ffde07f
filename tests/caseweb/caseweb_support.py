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
           "notitie over de zwager"]
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

"""The Handreiking's protocol as data: the stages of a case and the steps that move it on.

A step names where it may start, where it leads, who may take it and what it must record.
`miv.cases.case.apply` enforces this table; nothing else decides which step is allowed.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from miv.cases.roles import Role


class Stage(str, Enum):
    """Where a case stands. The order is the protocol's order."""

    MELDING = "melding"
    REGISTRATIE = "registratie"
    VOORONDERZOEK = "vooronderzoek"
    BESLUIT = "besluit"
    ONDERZOEK = "onderzoek"
    HOOR_EN_WEDERHOOR = "hoor-en-wederhoor"
    MAATREGELEN = "besluit-en-maatregelen"
    COMMUNICATIE = "communicatie"
    NAZORG = "nazorg"
    AFGESLOTEN = "afgesloten"

    @property
    def label(self) -> str:
        return _STAGE_LABELS[self]


_STAGE_LABELS = {
    Stage.MELDING: "Melding ontvangen",
    Stage.REGISTRATIE: "Geregistreerd",
    Stage.VOORONDERZOEK: "Vooronderzoek",
    Stage.BESLUIT: "Besluit over onderzoek",
    Stage.ONDERZOEK: "Onderzoek",
    Stage.HOOR_EN_WEDERHOOR: "Hoor en wederhoor",
    Stage.MAATREGELEN: "Besluit en maatregelen",
    Stage.COMMUNICATIE: "Communicatie",
    Stage.NAZORG: "Nazorg",
    Stage.AFGESLOTEN: "Afgesloten",
}


class Action(str, Enum):
    """A step of the protocol. MELDEN opens a case; every other step moves an open one."""

    MELDEN = "melden"
    REGISTREREN = "registreren"
    VOORONDERZOEK_STARTEN = "vooronderzoek-starten"
    VOORONDERZOEK_AFRONDEN = "vooronderzoek-afronden"
    GEEN_ONDERZOEK = "geen-onderzoek"
    ONDERZOEK_INSTELLEN = "onderzoek-instellen"
    ONDERZOEKER_WIJZIGEN = "onderzoeker-wijzigen"
    BEVINDINGEN_VOORLEGGEN = "bevindingen-voorleggen"
    AANVULLEND_ONDERZOEK = "aanvullend-onderzoek"
    RAPPORT_OPLEVEREN = "rapport-opleveren"
    BESLUITEN = "besluiten"
    COMMUNICATIE_AFRONDEN = "communicatie-afronden"
    AFSLUITEN = "afsluiten"

    @property
    def label(self) -> str:
        return RULES[self].label


class Need(str, Enum):
    """What a step must record besides who took it and when."""

    REASON = "reden"
    TERMS = "onderzoeksopdracht"
    INVESTIGATOR = "onderzoeker"
    OUTCOME = "uitkomst"
    FORMS = "vormen"

    @property
    def label(self) -> str:
        return _NEED_LABELS[self]


_NEED_LABELS = {
    Need.REASON: "de motivering",
    Need.TERMS: "de schriftelijke onderzoeksopdracht",
    Need.INVESTIGATOR: "de onderzoeker",
    Need.OUTCOME: "de uitkomst (gegrond, deels gegrond of ongegrond)",
    Need.FORMS: "ten minste één vorm van integriteitsschending",
}


@dataclass(frozen=True)
class Rule:
    """One step: from which stage, to which stage, by whom, recording what."""

    label: str
    source: Stage | None
    target: Stage
    roles: frozenset[Role]
    needs: frozenset[Need] = frozenset()
    by_investigator: bool = False
    optional: frozenset[Need] = frozenset({Need.REASON})

    def accepts(self, need: Need) -> bool:
        return need in self.needs or need in self.optional


_CHAIR = frozenset({Role.CHAIR})
_CHAIR_SUPPORT = frozenset({Role.CHAIR, Role.SUPPORT})
_CHAIR_ADVISER = frozenset({Role.CHAIR, Role.ADVISER})

RULES: dict[Action, Rule] = {
    Action.MELDEN: Rule(
        "Melding vastleggen", None, Stage.MELDING, frozenset({Role.CHAIR, Role.SUPPORT, Role.ADVISER})
    ),
    Action.REGISTREREN: Rule(
        "Registreren en ontvangst bevestigen", Stage.MELDING, Stage.REGISTRATIE, _CHAIR_SUPPORT, frozenset({Need.FORMS})
    ),
    Action.VOORONDERZOEK_STARTEN: Rule("Vooronderzoek starten", Stage.REGISTRATIE, Stage.VOORONDERZOEK, _CHAIR),
    Action.VOORONDERZOEK_AFRONDEN: Rule(
        "Vooronderzoek afronden",
        Stage.VOORONDERZOEK,
        Stage.BESLUIT,
        _CHAIR_ADVISER,
        frozenset({Need.REASON}),
        optional=frozenset({Need.FORMS}),
    ),
    Action.GEEN_ONDERZOEK: Rule(
        "Besluiten geen onderzoek in te stellen", Stage.BESLUIT, Stage.COMMUNICATIE, _CHAIR, frozenset({Need.REASON})
    ),
    Action.ONDERZOEK_INSTELLEN: Rule(
        "Besluiten onderzoek in te stellen",
        Stage.BESLUIT,
        Stage.ONDERZOEK,
        _CHAIR,
        frozenset({Need.REASON, Need.TERMS, Need.INVESTIGATOR}),
    ),
    Action.ONDERZOEKER_WIJZIGEN: Rule(
        "Onderzoeker wijzigen", Stage.ONDERZOEK, Stage.ONDERZOEK, _CHAIR, frozenset({Need.REASON, Need.INVESTIGATOR})
    ),
    Action.BEVINDINGEN_VOORLEGGEN: Rule(
        "Conceptbevindingen voorleggen voor hoor en wederhoor",
        Stage.ONDERZOEK,
        Stage.HOOR_EN_WEDERHOOR,
        _CHAIR,
        by_investigator=True,
    ),
    Action.AANVULLEND_ONDERZOEK: Rule(
        "Aanvullend onderzoek na wederhoor",
        Stage.HOOR_EN_WEDERHOOR,
        Stage.ONDERZOEK,
        _CHAIR,
        frozenset({Need.REASON}),
        by_investigator=True,
    ),
    Action.RAPPORT_OPLEVEREN: Rule(
        "Eindrapport opleveren na wederhoor",
        Stage.HOOR_EN_WEDERHOOR,
        Stage.MAATREGELEN,
        _CHAIR,
        frozenset({Need.REASON}),
        by_investigator=True,
    ),
    Action.BESLUITEN: Rule(
        "Besluit en maatregelen vastleggen",
        Stage.MAATREGELEN,
        Stage.COMMUNICATIE,
        _CHAIR,
        frozenset({Need.REASON, Need.OUTCOME}),
    ),
    Action.COMMUNICATIE_AFRONDEN: Rule(
        "Communicatie afronden", Stage.COMMUNICATIE, Stage.NAZORG, _CHAIR_SUPPORT, frozenset({Need.REASON})
    ),
    Action.AFSLUITEN: Rule("Zaak afsluiten na nazorg", Stage.NAZORG, Stage.AFGESLOTEN, _CHAIR, frozenset({Need.REASON})),
}

INVESTIGATION_STAGES = frozenset({Stage.ONDERZOEK, Stage.HOOR_EN_WEDERHOOR})
"""Stages in which an assigned investigator has access; before and after, they have none."""


def actions_from(stage: Stage) -> list[Action]:
    """The steps the protocol offers in a stage, in the table's order."""
    return [action for action, rule in RULES.items() if rule.source is stage]

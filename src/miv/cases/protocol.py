"""The Handreiking's protocol as data: the stages of a case and the steps that move it on.

A step names where it may start, where it leads, who may take it and what it must record.
`miv.cases.case.apply` enforces this table; nothing else decides which step is allowed.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from miv.cases.fields import (
    DECLARATION,
    HEARING,
    INFORMING,
    INVESTIGATION_FIELDS,
    NO_INVESTIGATION,
    PUBLICATION,
    REFERRAL_FIELDS,
    REHABILITATION_FIELDS,
    RESPONSE_FIELDS,
    Field,
)
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
    ONAFHANKELIJKHEID_VERKLAREN = "onafhankelijkheid-verklaren"
    WEDERHOOR_VASTLEGGEN = "wederhoor-vastleggen"
    ORGAAN_INFORMEREN = "orgaan-informeren"
    OPENBAARMAKING_VASTLEGGEN = "openbaarmaking-vastleggen"
    REHABILITATIE_VASTLEGGEN = "rehabilitatie-vastleggen"
    AANGIFTE_VASTLEGGEN = "aangifte-vastleggen"

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
    """One step: from which stage (or stages), to which stage, by whom, recording what.

    A `target` of None records something without moving the case (hearing the accused's
    response, a referral to the police): the step stays in the stage it was taken in."""

    label: str
    source: Stage | frozenset[Stage] | None
    target: Stage | None
    roles: frozenset[Role]
    needs: frozenset[Need] = frozenset()
    by_investigator: bool = False
    optional: frozenset[Need] = frozenset({Need.REASON})
    fields: tuple[Field, ...] = ()

    def accepts(self, need: Need) -> bool:
        return need in self.needs or need in self.optional

    def starts_in(self, stage: Stage) -> bool:
        return stage in self.source if isinstance(self.source, frozenset) else stage is self.source

    def leads_to(self, stage: Stage) -> Stage:
        return stage if self.target is None else self.target


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
        "Besluiten geen onderzoek in te stellen",
        Stage.BESLUIT,
        Stage.COMMUNICATIE,
        _CHAIR,
        frozenset({Need.REASON}),
        fields=NO_INVESTIGATION,
    ),
    Action.ONDERZOEK_INSTELLEN: Rule(
        "Besluiten onderzoek in te stellen",
        Stage.BESLUIT,
        Stage.ONDERZOEK,
        _CHAIR,
        frozenset({Need.REASON, Need.TERMS, Need.INVESTIGATOR}),
        fields=INVESTIGATION_FIELDS,
    ),
    Action.ONDERZOEKER_WIJZIGEN: Rule(
        "Onderzoeker wijzigen",
        Stage.ONDERZOEK,
        Stage.ONDERZOEK,
        _CHAIR,
        frozenset({Need.REASON, Need.INVESTIGATOR}),
        fields=INVESTIGATION_FIELDS,
    ),
    Action.BEVINDINGEN_VOORLEGGEN: Rule(
        "Conceptbevindingen aan de betrokkene voorleggen (hoor en wederhoor)",
        Stage.ONDERZOEK,
        Stage.HOOR_EN_WEDERHOOR,
        _CHAIR,
        by_investigator=True,
        fields=HEARING,
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
    Action.ONAFHANKELIJKHEID_VERKLAREN: Rule(
        "Verklaring van onafhankelijkheid afleggen",
        frozenset({Stage.ONDERZOEK, Stage.HOOR_EN_WEDERHOOR}),
        None,
        frozenset(),
        by_investigator=True,
        optional=frozenset(),
        fields=DECLARATION,
    ),
    Action.WEDERHOOR_VASTLEGGEN: Rule(
        "Reactie van de betrokkene vastleggen",
        Stage.HOOR_EN_WEDERHOOR,
        None,
        frozenset({Role.CHAIR, Role.SUPPORT, Role.ADVISER}),
        by_investigator=True,
        optional=frozenset(),
        fields=RESPONSE_FIELDS,
    ),
    Action.ORGAAN_INFORMEREN: Rule(
        "Vertegenwoordigend orgaan informeren", Stage.COMMUNICATIE, None, _CHAIR_SUPPORT, fields=INFORMING
    ),
    Action.OPENBAARMAKING_VASTLEGGEN: Rule(
        "Openbaarmaking vastleggen", Stage.COMMUNICATIE, None, _CHAIR_SUPPORT, optional=frozenset(), fields=PUBLICATION
    ),
    Action.REHABILITATIE_VASTLEGGEN: Rule(
        "Rehabilitatie van de betrokkene vastleggen",
        Stage.NAZORG,
        None,
        _CHAIR_SUPPORT,
        optional=frozenset(),
        fields=REHABILITATION_FIELDS,
    ),
    Action.AANGIFTE_VASTLEGGEN: Rule(
        "Aangifte of melding aan politie of Openbaar Ministerie vastleggen",
        frozenset(Stage) - {Stage.MELDING, Stage.REGISTRATIE, Stage.AFGESLOTEN},
        None,
        frozenset({Role.CHAIR, Role.SUPPORT, Role.ADVISER}),
        optional=frozenset(),
        fields=REFERRAL_FIELDS,
    ),
}

INVESTIGATION_STAGES = frozenset({Stage.ONDERZOEK, Stage.HOOR_EN_WEDERHOOR})
"""Stages in which an assigned investigator has access; before and after, they have none."""


def actions_from(stage: Stage) -> list[Action]:
    """The steps the protocol offers in a stage, in the table's order."""
    return [action for action, rule in RULES.items() if rule.starts_in(stage)]

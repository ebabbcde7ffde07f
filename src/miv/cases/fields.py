"""What the Handreiking's steps record beyond a reason: each field declared once, as data.

A field is either a code (a date, a choice, a confirmation) that the database keeps in the
clear, MACed per field (`casework.records`) and logged in the audit chain, or a text a
person wrote, which is content and is sealed with the case key like the report. The pages
draw their forms from these declarations and `workflow.apply` checks what arrives against
them, so a step cannot be recorded without what the Handreiking asks of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import Enum

from miv.cases.errors import TransitionError


class Kind(str, Enum):
    DATE = "datum"  # a calendar day, ISO in the record, dd-mm-jjjj or ISO in a form
    CHOICE = "keuze"  # one code from `choices`
    CHOICES = "keuzes"  # one or more codes from `choices`, comma-separated in the record
    CONFIRM = "bevestiging"  # a statement the person must confirm ('ja')
    TEXT = "tekst"  # free text: content, sealed with the case key


@dataclass(frozen=True)
class Field:
    """One thing a step records. `when` makes a field required only if another field holds
    one of the given codes (the adviser's name only when there is an adviser)."""

    name: str
    label: str
    kind: Kind
    required: bool = True
    choices: tuple[tuple[str, str], ...] = ()
    hint: str = ""
    when: tuple[str, frozenset[str]] | None = None

    @property
    def sealed(self) -> bool:
        return self.kind is Kind.TEXT

    def choice_label(self, code: str) -> str:
        return dict(self.choices).get(code, code)


NOTIFIED_HOW = (
    ("brief", "per brief"),
    ("aangetekend", "per aangetekende brief"),
    ("e-mail", "per e-mail"),
    ("gesprek", "in een persoonlijk gesprek, met de stukken overhandigd"),
)
RESPONSE = (
    ("ontvangen", "de betrokkene heeft gereageerd"),
    ("geen-reactie", "de betrokkene heeft niet gereageerd binnen de termijn"),
)
ADVISER = (
    ("geen", "geen bijstand"),
    ("vertrouwenspersoon", "een vertrouwenspersoon"),
    ("advocaat", "een advocaat"),
    ("anders", "een andere raadsman of -vrouw"),
)
INVESTIGATION = (
    ("intern", "intern (door de integriteitsadviseur van de organisatie)"),
    ("extern", "extern (door een onafhankelijke externe onderzoeker)"),
)
BODIES = {"gemeente": "gemeenteraad", "provincie": "provinciale-staten", "waterschap": "algemeen-bestuur"}
BODY = (("gemeenteraad", "de gemeenteraad"), ("provinciale-staten", "Provinciale Staten"), ("algemeen-bestuur", "het algemeen bestuur"))
MEETING = (("besloten", "in een besloten vergadering (met geheimhouding)"), ("openbaar", "in een openbare vergadering of openbare brief"))
PUBLISHED_WHERE = (
    ("website", "de website van de organisatie"),
    ("raadsinformatie", "het raads- of bestuursinformatiesysteem"),
    ("persbericht", "een persbericht"),
    ("woo-platform", "het Woo-platform (open.overheid.nl)"),
    ("anders", "elders (zie toelichting)"),
)
WOO_GROUNDS = (
    ("5.1-2-e", "Woo art. 5.1 lid 2 sub e: eerbiediging van de persoonlijke levenssfeer"),
    ("5.1-1-d", "Woo art. 5.1 lid 1 sub d: bijzondere persoonsgegevens"),
    ("5.1-2-c", "Woo art. 5.1 lid 2 sub c: opsporing en vervolging van strafbare feiten"),
    ("5.1-2-d", "Woo art. 5.1 lid 2 sub d: inspectie, controle en toezicht door bestuursorganen"),
    ("5.1-2-i", "Woo art. 5.1 lid 2 sub i: het goed functioneren van de Staat en van bestuursorganen"),
    ("5.2", "Woo art. 5.2: persoonlijke beleidsopvattingen in intern beraad"),
    ("5.1-5", "Woo art. 5.1 lid 5: onevenredige benadeling"),
)
REHABILITATION = (
    ("verklaring", "een openbare verklaring dat het vermoeden ongegrond is"),
    ("informeren", "wie van het vermoeden wist, is geïnformeerd over de uitkomst"),
    ("gesprek", "een gesprek met de betrokkene over herstel"),
    ("afgezien", "de betrokkene heeft na overleg afgezien van (verdere) rehabilitatie"),
)
REFERRAL = (("politie", "aangifte bij de politie"), ("openbaar-ministerie", "melding aan het Openbaar Ministerie"))
YES_NO = (("ja", "ja"), ("nee", "nee"))

HEARING = (
    Field("kennisgeving", "Datum waarop de betrokkene de conceptbevindingen kreeg", Kind.DATE),
    Field("wijze", "Hoe de betrokkene ze kreeg", Kind.CHOICE, choices=NOTIFIED_HOW),
    Field("termijn", "Reactietermijn tot en met", Kind.DATE, hint="De betrokkene kan tot en met deze dag reageren."),
    Field("bevindingen", "Welke conceptbevindingen zijn voorgelegd", Kind.TEXT,
          hint="Bijvoorbeeld: conceptrapport versie 2 van 12 mei, hoofdstukken 3 en 4."),
)
RESPONSE_FIELDS = (
    Field("reactie", "Reactie", Kind.CHOICE, choices=RESPONSE),
    Field("ontvangen", "Datum van de reactie", Kind.DATE, when=("reactie", frozenset({"ontvangen"}))),
    Field("inhoud", "Reactie van de betrokkene", Kind.TEXT, when=("reactie", frozenset({"ontvangen"})),
          hint="De zienswijze op de conceptbevindingen; wordt versleuteld bewaard."),
    Field("bijstand", "Bijstand van de betrokkene", Kind.CHOICE, choices=ADVISER),
    Field("adviseur", "Naam van de vertrouwenspersoon of advocaat", Kind.TEXT,
          when=("bijstand", frozenset({"vertrouwenspersoon", "advocaat", "anders"}))),
)
INVESTIGATION_FIELDS = (Field("soort", "Soort onderzoek", Kind.CHOICE, choices=INVESTIGATION),)
DECLARATION = (
    Field("geen-zakelijke-banden", "Ik heb geen zakelijke banden met de betrokkene of de melder", Kind.CONFIRM),
    Field("geen-familiebanden", "Ik heb geen familie- of vriendschapsbanden met de betrokkene of de melder", Kind.CONFIRM),
    Field("geen-eerdere-rol", "Ik heb geen eerdere rol gehad in deze zaak of in de kwestie waarover zij gaat", Kind.CONFIRM),
    Field("geen-belang", "Ik heb geen belang bij de uitkomst (geen tegenstrijdig belang)", Kind.CONFIRM),
)
NO_INVESTIGATION = (
    Field("openbaar-vermoeden", "Is het vermoeden publiek bekend geworden?", Kind.CHOICE, choices=YES_NO,
          hint="Bij 'ja' volgt in de nazorg een rehabilitatie van de betrokkene."),
)
INFORMING = (
    Field("orgaan", "Vertegenwoordigend orgaan", Kind.CHOICE, choices=BODY),
    Field("geinformeerd", "Datum waarop het orgaan is geïnformeerd", Kind.DATE),
    Field("vergadering", "Hoe", Kind.CHOICE, choices=MEETING),
)
PUBLICATION = (
    Field("gepubliceerd", "Datum van openbaarmaking", Kind.DATE),
    Field("waar", "Waar openbaar gemaakt", Kind.CHOICES, choices=PUBLISHED_WHERE),
    Field("openbaar-gemaakt", "Wat is openbaar gemaakt", Kind.TEXT, hint="Bijvoorbeeld: het besluit en een samenvatting van het rapport."),
    Field("vindplaats", "Vindplaats (adres of kenmerk)", Kind.TEXT, required=False),
    Field("woo-gronden", "Gewogen belangen (Wet open overheid)", Kind.CHOICES, choices=WOO_GROUNDS),
    Field("woo-afweging", "Afweging", Kind.TEXT, hint="Wat is weggelaten of geanonimiseerd en waarom weegt dat belang zwaarder."),
)
REHABILITATION_FIELDS = (
    Field("uitgevoerd", "Datum", Kind.DATE),
    Field("maatregelen", "Wat is gedaan", Kind.CHOICES, choices=REHABILITATION),
    Field("toelichting", "Toelichting op de rehabilitatie", Kind.TEXT, hint="Wat is gedaan om de naam van de betrokkene te herstellen."),
)
REFERRAL_FIELDS = (
    Field("gemeld", "Datum van aangifte of melding", Kind.DATE),
    Field("instantie", "Aan wie", Kind.CHOICE, choices=REFERRAL),
    Field("kenmerk", "Kenmerk of registratienummer", Kind.TEXT, hint="Wordt versleuteld bewaard."),
)


def representative_body(layer: str) -> str:
    """The body that holds the chair to account: the council, the States or the general board."""
    return BODIES[layer]


def parse_date(text: str) -> date | None:
    text = text.strip()
    for order in ((0, 1, 2), (2, 1, 0)):  # ISO from a date input, or dd-mm-jjjj typed
        parts = text.split("-")
        if len(parts) == 3 and all(p.isdigit() for p in parts):
            try:
                year, month, day = (int(parts[i]) for i in order)
                return date(year, month, day) if year > 999 else None
            except ValueError:
                return None
    return None


def read(fields: Iterable[Field], given: Mapping[str, str | Iterable[str]], label: str) -> tuple[dict[str, str], dict[str, str]]:
    """Check what a form or caller gave against the step's fields: (codes, texts to seal).
    A missing or wrong value raises TransitionError naming the field and the step."""
    fields = list(fields)
    known = {f.name for f in fields}
    extra = sorted(set(given) - known)
    if extra:
        raise TransitionError(f"'{label}' legt geen '{extra[0]}' vast.", field=extra[0])
    codes: dict[str, str] = {}
    texts: dict[str, str] = {}
    for f in fields:
        raw = given.get(f.name, "")
        values = [raw] if isinstance(raw, str) else list(raw)
        values = [v.strip() for v in values if v and v.strip()]
        needed = f.required and (f.when is None or codes.get(f.when[0]) in f.when[1])
        if not values:
            if needed:
                raise TransitionError(_missing(f, label), field=f.name)
            continue
        if f.when is not None and codes.get(f.when[0]) not in f.when[1]:
            raise TransitionError(f"'{f.label}' hoort hier niet bij de gekozen '{f.when[0]}'; laat het leeg.", field=f.name)
        codes_or_text = _value(f, values, label)
        (texts if f.sealed else codes)[f.name] = codes_or_text
    return codes, texts


def _value(f: Field, values: list[str], label: str) -> str:
    if f.kind is Kind.TEXT:
        return "\n".join(values)
    if f.kind is Kind.DATE:
        day = parse_date(values[0])
        if day is None:
            raise TransitionError(f"Vul bij '{f.label}' een datum in als dd-mm-jjjj, niet '{values[0]}'.", field=f.name)
        return day.isoformat()
    if f.kind is Kind.CONFIRM:
        if values != ["ja"]:
            raise TransitionError(f"Bevestig '{f.label}' of leg deze verklaring niet af.", field=f.name)
        return "ja"
    codes = {c for c, _ in f.choices}
    wrong = [v for v in values if v not in codes]
    if wrong or (f.kind is Kind.CHOICE and len(values) > 1):
        options = "; ".join(lbl for _, lbl in f.choices)
        raise TransitionError(f"Kies bij '{f.label}' uit: {options}.", field=f.name)
    return ",".join(sorted(set(values)))


def _missing(f: Field, label: str) -> str:
    if f.kind is Kind.CONFIRM:
        return f"Bevestig '{f.label}': zonder die verklaring kan '{label}' niet."
    verb = "Kies" if f.kind in (Kind.CHOICE, Kind.CHOICES) else "Vul"
    tail = "" if verb == "Kies" else " in"
    return f"{verb} '{f.label}'{tail}: '{label}' vraagt daarom."

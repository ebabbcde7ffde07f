"""A small definition for fieldwork tests: the real structure from monitor/ and a short
ambtsdragers questionnaire with routing, a multiple-choice item, a number, a text and an
item asked of one group only."""

from __future__ import annotations

from pathlib import Path

import yaml

from miv import fieldwork as fw
from miv.definition import ItemType, Monitor

ROOT = Path(__file__).resolve().parents[1] / "monitor"

JA_NEE = [{"code": 1, "label": "Ja"}, {"code": 2, "label": "Nee"}]
VICTIM = "AG_VERBAAL == 1 or AG_BEDREIGING == 1"

QUESTIONNAIRE = {
    "code": "ambtsdragers",
    "title": "Vragenlijst ambtsdragers",
    "unit": "respondent",
    "groups": ["burgemeester", "wethouder", "raadslid", "statenlid", "ab-lid"],
    "intro": "Deze vragenlijst gaat over agressie en integriteit.",
    "missing": [{"code": 98, "label": "Weet niet"}, {"code": 99, "label": "Wil ik niet zeggen"}],
    "not_applicable": -1,
    "scales": {"ja_nee": JA_NEE},
    "pages": [
        {"code": "veiligheid", "title": "Agressie en geweld", "intro": "In de afgelopen 12 maanden:", "items": [
            {"code": "AG_VERBAAL", "text": "Bent u uitgescholden of beledigd?", "scale": "ja_nee", "missing": [99]},
            {"code": "AG_BEDREIGING", "text": "Bent u bedreigd?", "scale": "ja_nee", "missing": [99]},
            {"code": "AG_MELDING", "text": "Heeft u de bedreiging gemeld?", "scale": "ja_nee", "route": "AG_BEDREIGING == 1"},
        ]},
        {"code": "gevolgen", "title": "Het meest ingrijpende incident", "items": [
            {"code": "AG_SOCIAL", "text": "Was (een deel van) de agressie via sociale media?", "scale": "ja_nee", "route": VICTIM},
            {"code": "AG_GERICHT", "text": "Waarop was de agressie gericht?", "type": "multi", "route": VICTIM, "missing": [99],
             "options": [{"code": 1, "label": "Op mijn functie of besluiten"}, {"code": 2, "label": "Op mijn geslacht"}, {"code": 6, "label": "Anders"}]},
        ]},
        {"code": "integriteit", "title": "Integriteit", "items": [
            {"code": "INT_BELANG", "text": "Zag u belangenverstrengeling bij collega-ambtsdragers?", "scale": "ja_nee", "missing": [98, 99]},
            {"code": "UREN", "text": "Hoeveel uur per week besteedt u aan uw functie?", "type": "number", "minimum": 0, "maximum": 100, "required": False},
            {"code": "TOELICHTING", "text": "Wilt u nog iets toelichten?", "type": "text", "required": False},
        ]},
        {"code": "burgemeester", "title": "Voor burgemeesters", "items": [
            {"code": "BM_BEVEILIGING", "text": "Kreeg u beveiliging?", "scale": "ja_nee", "groups": ["burgemeester"]},
        ]},
    ],
}


def small_monitor(questionnaire: dict | None = None) -> Monitor:
    structure = yaml.safe_load((ROOT / "structure.yaml").read_text(encoding="utf-8"))
    edition = {
        "year": 2024, "title": "Monitor 2024", "fieldwork": {"start": "2024-03-01", "end": "2024-05-01"},
        "reference_period": "afgelopen 12 maanden", "questionnaires": {"ambtsdragers": questionnaire or QUESTIONNAIRE},
        "frame": {"strata": [], "sources": {}},
    }
    return Monitor.model_validate({"name": "test", "version": "test.1", "structure": structure,
                                   "editions": {2024: edition}, "indicators": [], "publications": []})


INVITATIONS_CSV = """naam;e-mail;doelgroep;bestuurslaag;organisatie;geslacht;provincie;grootteklasse
Anna de Vries;anna@example.nl;burgemeester;gemeente;Gemeente Aa;vrouw;utrecht;20k-50k
Bram Jansen;bram@example.nl;raadslid;gemeente;Gemeente Bb;man;zeeland;tot-20k
Cees Bakker;cees@example.nl;statenlid;provincie;Provincie Zeeland;man;zeeland;
Dirk Smit;dirk@example.nl;ab-lid;waterschap;Waterschap Cc;man;;
"""

WORD = "mijn herstelwoord"


def start(db, keys, code: str, word: str = WORD) -> tuple[int, bytes]:  # noqa: ANN001
    """Enter with a code and choose the resume word: (invitation id, the word key)."""
    entry = fw.enter(db, keys, code)
    assert entry is not None and not entry.saved
    return entry.invitation, fw.begin(db, keys, entry.invitation, word)


def answers_for(q, stratum) -> dict:
    """Walk the questionnaire as a respondent would: yes to verbal aggression, otherwise
    'Nee' (2) or the first option, 5 for numbers, a sentence for text."""
    answers: dict = {}
    while True:
        open_items = [i for i in fw.visible_items(q, stratum, answers) if i.code not in answers]
        if not open_items:
            return answers
        item = open_items[0]
        codes = [o.code for o in q.options(item)]
        if item.type is ItemType.SINGLE:
            answers[item.code] = 1 if item.code == "AG_VERBAAL" else (2 if 2 in codes else codes[0])
        elif item.type is ItemType.MULTI:
            answers[item.code] = codes[:1]
        elif item.type is ItemType.NUMBER:
            answers[item.code] = 5.0
        else:
            answers[item.code] = "Geen opmerkingen."

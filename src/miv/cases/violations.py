"""The nine forms of integrity violation the monitor asks about, and the outcomes of a case."""

from __future__ import annotations

from enum import Enum


class ViolationForm(str, Enum):
    """Values match the suffix of the monitor's INT_* items (INT_BELANG, INT_LEKKEN, ...)."""

    BELANG = "belang"
    LEKKEN = "lekken"
    STEMMEN = "stemmen"
    CORRUPTIE = "corruptie"
    FRAUDE = "fraude"
    MACHT = "macht"
    NEVENFUNCTIE = "nevenfunctie"
    GESCHENKEN = "geschenken"
    GEDRAG = "gedrag"

    @property
    def label(self) -> str:
        return _FORM_LABELS[self]


_FORM_LABELS = {
    ViolationForm.BELANG: "belangenverstrengeling",
    ViolationForm.LEKKEN: "lekken of misbruik van vertrouwelijke informatie",
    ViolationForm.STEMMEN: "meestemmen bij persoonlijk belang",
    ViolationForm.CORRUPTIE: "corruptie of omkoping",
    ViolationForm.FRAUDE: "fraude of diefstal",
    ViolationForm.MACHT: "misbruik van bevoegdheden",
    ViolationForm.NEVENFUNCTIE: "onverenigbare nevenfuncties",
    ViolationForm.GESCHENKEN: "ongepast aannemen van geschenken of uitnodigingen",
    ViolationForm.GEDRAG: "ongewenst gedrag jegens anderen",
}


class Outcome(str, Enum):
    """How a case ended: the chair's decision, recorded with reasons."""

    GEEN_ONDERZOEK = "geen-onderzoek"
    GEGROND = "gegrond"
    DEELS_GEGROND = "deels-gegrond"
    ONGEGROND = "ongegrond"

    @property
    def label(self) -> str:
        return _OUTCOME_LABELS[self]


_OUTCOME_LABELS = {
    Outcome.GEEN_ONDERZOEK: "geen onderzoek ingesteld",
    Outcome.GEGROND: "vermoeden gegrond",
    Outcome.DEELS_GEGROND: "vermoeden deels gegrond",
    Outcome.ONGEGROND: "vermoeden ongegrond",
}

"""Dutch names for breakdowns and their categories, read from the definition's structure."""

from __future__ import annotations

import re

from miv.definition import Monitor, Publication
from miv.publish.results import TOTAL

BREAKDOWNS = {
    TOTAL: "Totaal",
    "group": "Doelgroep",
    "gender": "Geslacht",
    "layer": "Bestuurslaag",
    "role": "Functie",
    "province": "Provincie",
    "size_class": "Gemeentegrootte",
}
ROLES = {"bestuurder": "Bestuurders", "volksvertegenwoordiger": "Volksvertegenwoordigers", "medewerker": "Medewerkers"}
GENDERS = {"man": "Mannen", "vrouw": "Vrouwen"}
WHOLES = {"ambtsdragers": "Alle politieke ambtsdragers", "medewerkers": "Alle medewerkers", "organisaties": "Alle organisaties"}


GROUP_RULE = re.compile(r"^group == '([a-z0-9-]+)'$")
LAYER_RULE = re.compile(r"^layer == '([a-z0-9-]+)'$")


class Labels:
    """Category labels per breakdown; merged groups ("cdk+gedeputeerde") get a joined name."""

    def __init__(self, monitor: Monitor) -> None:
        s = monitor.structure
        self._plural = {g.code: g.plural for g in s.groups}
        self._names = {
            "group": {g.code: _cap(g.plural) for g in s.groups},
            "gender": {c.code: GENDERS.get(c.code, c.label) for c in s.genders},
            "layer": {c.code: c.label for c in s.layers},
            "role": ROLES,
            "province": {c.code: c.label for c in s.provinces},
            "size_class": {c.code: _cap(c.label) for c in s.size_classes},
        }

    def denominator(self, label: str, publication: Publication, per_label: str | None) -> str:
        """An indicator's denominator narrowed to the publication's population:
        'van alle politieke ambtsdragers' reads 'van alle burgemeesters' in their factsheet."""
        population = (publication.population or "").strip()
        group, layer = GROUP_RULE.match(population), LAYER_RULE.match(population)
        if group and label.startswith("van alle "):
            label = f"van alle {self._plural.get(group.group(1), group.group(1))}"
        elif layer:
            label = f"{label} bij {self._names['layer'].get(layer.group(1), layer.group(1)).lower()}"
        return f"{label} in {per_label}" if per_label else label

    def population(self, publication: Publication) -> str | None:
        """The publication's population inside a sentence ('bij burgemeesters', 'bij
        gemeenten'), if it is one group or one layer."""
        rule = (publication.population or "").strip()
        group, layer = GROUP_RULE.match(rule), LAYER_RULE.match(rule)
        if group:
            return self.phrase("group", group.group(1))
        return self.phrase("layer", layer.group(1)) if layer else None

    def name(self, publication: Publication, per_label: str | None) -> str:
        """The publication's population as a chart series: 'Burgemeesters', 'Gemeenten', 'Zeeland'."""
        rule = (publication.population or "").strip()
        group, layer = GROUP_RULE.match(rule), LAYER_RULE.match(rule)
        if per_label:
            return per_label
        if group:
            return self.domain("group", group.group(1))
        return self.domain("layer", layer.group(1)) if layer else "Totaal"

    def whole(self, questionnaire: str) -> str:
        """Everyone a questionnaire asks: the whole a group or layer is compared with."""
        return WHOLES.get(questionnaire, "Alle respondenten")

    def ordered(self, breakdown: str, codes: list[str]) -> list[str]:
        """Codes in the structure's order; a merged group sits where its first member would."""
        order = list(self._names.get(breakdown, {}))
        rank = {code: i for i, code in enumerate(order)}
        return sorted(dict.fromkeys(codes), key=lambda c: (rank.get(c.split("+")[0], len(order)), c))

    def breakdown(self, code: str) -> str:
        return BREAKDOWNS.get(code, code)

    def domain(self, breakdown: str, code: str) -> str:
        if code == TOTAL:
            return "Totaal"
        if breakdown == "group" and "+" in code:
            parts = [self._plural.get(c, c) for c in code.split("+")]
            return _cap(" en ".join([", ".join(parts[:-1]), parts[-1]]) if len(parts) > 1 else parts[0])
        return self._names.get(breakdown, {}).get(code, code)

    def phrase(self, breakdown: str, code: str) -> str:
        """The domain inside a sentence: 'bij vrouwen', 'in Groningen', 'bij burgemeesters'."""
        if breakdown == "group":
            parts = [self._plural.get(c, c) for c in code.split("+")]
            return "bij " + (" en ".join([", ".join(parts[:-1]), parts[-1]]) if len(parts) > 1 else parts[0])
        name = self.domain(breakdown, code)
        if breakdown == "province":
            return f"in {name}"
        if breakdown == "size_class":
            return f"in gemeenten ({name.lower()})"
        return f"bij {name.lower()}"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]

"""The real definition in monitor/ loads, and holds what docs/intake.md and docs/domain.md promise."""

from __future__ import annotations

from typing import Any

import pytest

from miv.definition import DEFAULT_ROOT, Indicator, ItemType, Monitor, Unit, load, variables
from miv.definition.models import Comparison, Denominator, PublicationKind, Role

EDITIONS = (2022, 2024)
FORMS = ("AG_VERBAAL", "AG_INTIMIDATIE", "AG_BEDREIGING", "AG_BEDREIGING_NAASTEN", "AG_FYSIEK", "AG_VERNIELING", "AG_STALKING")
INTEGRITY = ("INT_BELANG", "INT_LEKKEN", "INT_STEMMEN", "INT_CORRUPTIE", "INT_FRAUDE", "INT_MACHT", "INT_NEVENFUNCTIE", "INT_GESCHENKEN", "INT_GEDRAG")


@pytest.fixture(scope="module")
def monitor() -> Monitor:
    return load()


def indicator(monitor: Monitor, code: str) -> Indicator:
    return next(i for i in monitor.indicators if i.code == code)


def compute(monitor: Monitor, year: int, questionnaire: str, answers: dict[str, Any]) -> dict[str, bool | None]:
    """Every indicator of one questionnaire for one respondent, in definition order,
    as the contract says indicator rules see answers (missing and -1 as None)."""
    row: dict[str, Any] = dict(answers)
    out: dict[str, bool | None] = {}
    for ind in monitor.indicators:
        if ind.questionnaire != questionnaire:
            continue
        rule, universe = ind.for_edition(year)
        in_universe = universe is None or universe.evaluate(row) is True
        value = rule.evaluate(row) if in_universe else None
        out[ind.code] = value
        row[ind.code] = None if value is None else int(value)
    return out


def test_every_file_in_the_folder_is_read_and_loads(monitor: Monitor) -> None:
    expected = {"monitor.yaml", "structure.yaml", "indicators.yaml", "publications.yaml", "series.csv"}
    for year, edition in monitor.editions.items():
        folder = f"editions/{year}"
        expected |= {f"{folder}/edition.yaml", f"{folder}/frame.csv", f"{folder}/frame.yaml"}
        expected |= {f"{folder}/questionnaires/{code}.yaml" for code in edition.questionnaires}
    present = {str(p.relative_to(DEFAULT_ROOT)) for p in DEFAULT_ROOT.rglob("*") if p.is_file()}
    assert present == expected
    assert tuple(monitor.editions) == EDITIONS


@pytest.mark.parametrize("year", EDITIONS)
def test_each_edition_has_three_questionnaires_covering_every_group(monitor: Monitor, year: int) -> None:
    edition = monitor.editions[year]
    assert edition.year == year
    assert set(edition.questionnaires) == {"ambtsdragers", "medewerkers", "organisaties"}
    assert edition.fieldwork.start.year == year and edition.fieldwork.start.month <= 3
    office = {g.code for g in monitor.structure.groups if g.role is not Role.MEDEWERKER}
    staff = {g.code for g in monitor.structure.groups if g.role is Role.MEDEWERKER}
    assert set(edition.questionnaires["ambtsdragers"].groups) == office
    assert set(edition.questionnaires["medewerkers"].groups) == staff
    assert edition.questionnaires["organisaties"].unit is Unit.ORGANISATION
    assert set(edition.questionnaires["organisaties"].groups) == {g.code for g in monitor.structure.groups if g.chair}
    assert len(edition.questionnaires["ambtsdragers"].items) >= 40
    assert {s.group for s in edition.frame.strata} == office | staff
    for group in monitor.structure.groups:
        assert {s.gender for s in edition.frame.strata if s.group == group.code} == {"man", "vrouw"}
    assert edition.frame.approximate, "docs/domain.md marks several counts as approximate"


@pytest.mark.parametrize("year", EDITIONS)
def test_contract_key_items_of_the_office_holders(monitor: Monitor, year: int) -> None:
    q = monitor.editions[year].questionnaires["ambtsdragers"]
    items = {item.code: item for item in q.items}
    for code in FORMS:
        assert (items[code].scale, items[code].missing, items[code].route) == ("ja_nee", [99], None)
    for code in INTEGRITY:
        assert (items[code].scale, items[code].missing) == ("ja_nee", [98, 99])
    assert [o.code for o in q.options(items["AG_ERNST"])] == [1, 2, 3, 4, 5]
    assert items["AG_GERICHT"].type is ItemType.MULTI
    assert [o.code for o in q.options(items["AG_GERICHT"])] == [1, 2, 3, 4, 5, 6]
    assert [(o.code, o.label) for o in q.scales["ja_nee"]] == [(1, "Ja"), (2, "Nee")]
    assert [(m.code, m.label) for m in q.missing] == [(98, "Weet niet"), (99, "Wil ik niet zeggen")]
    assert q.not_applicable == -1
    for code in ("AG_SOCIAL", "AG_ERNST", "AG_GERICHT", "AG_BESPROKEN", "AG_MELDING", "AG_AANGIFTE"):
        assert items[code].route is not None
    staff = {item.code for item in monitor.editions[year].questionnaires["medewerkers"].items}
    assert {"AG_VERBAAL", "AG_INTIMIDATIE", "AG_BEDREIGING", "AG_FYSIEK", "AG_SOCIAL", "AG_AANGIFTE"} <= staff


@pytest.mark.parametrize("year", EDITIONS)
def test_victim_questions_are_asked_exactly_when_one_form_was_met(monitor: Monitor, year: int) -> None:
    q = monitor.editions[year].questionnaires["ambtsdragers"]
    route = next(item for item in q.items if item.code == "AG_SOCIAL").rule
    assert route is not None
    nobody = {code: 2 for code in FORMS}
    assert route.evaluate(nobody) is False
    for form in FORMS:
        assert route.evaluate({**nobody, form: 1}) is True


@pytest.mark.parametrize("year", EDITIONS)
def test_key_indicators_follow_the_contract(monitor: Monitor, year: int) -> None:
    nobody = {code: 2 for code in FORMS} | {"AG_SOCIAL": -1}
    quiet = compute(monitor, year, "ambtsdragers", nobody)
    assert (quiet["agressie_totaal"], quiet["agressie_social"], quiet["aangifte"]) == (False, False, None)
    online = compute(monitor, year, "ambtsdragers", {**nobody, "AG_VERBAAL": 1, "AG_SOCIAL": 1, "AG_AANGIFTE": 2, "AG_BESPROKEN": 1})
    assert online["agressie_totaal"] and online["agressie_verbaal"] and online["agressie_social"]
    assert (online["aangifte"], online["besproken"], online["agressie_fysiek"]) == (False, True, False)
    unknown = compute(monitor, year, "ambtsdragers", {**nobody, "AG_FYSIEK": None})
    assert unknown["agressie_totaal"] is None
    family = compute(monitor, year, "ambtsdragers", {**nobody, "AG_BEDREIGING_NAASTEN": 1})
    assert family["agressie_bedreiging"] is True
    staff = compute(monitor, year, "medewerkers", {"AG_VERBAAL": 2, "AG_INTIMIDATIE": 1})
    assert staff["mw_agressie_totaal"] and staff["mw_agressie_bedreiging"]
    assert indicator(monitor, "aangifte").universe == "agressie_totaal == 1"
    assert indicator(monitor, "aangifte").denominator is Denominator.VICTIMS
    assert indicator(monitor, "integriteit_belang").rule == "INT_BELANG == 1"


def test_per_edition_rules_and_trend_breaks(monitor: Monitor) -> None:
    online = indicator(monitor, "agressie_online")
    assert online.for_edition(2022)[0].names == {"agressie_totaal", "AG_SOCIAL"}
    assert online.for_edition(2024)[0].names == {"agressie_totaal", "AG_SOCIAL", "AG_ONLINE_OVERIG"}
    assert online.trend_break(2024) is None
    assert "sociale media" in (indicator(monitor, "agressie_social").trend_break(2024) or "")
    assert indicator(monitor, "agressie_social").trend_break(2022) is None
    knowledge = indicator(monitor, "kennis_gedragscode")
    assert knowledge.for_edition(2022)[0].names == {"INT_KENNIS"}
    assert knowledge.trend_break(2024)
    items = {y: {i.code for i in monitor.editions[y].questionnaires["ambtsdragers"].items} for y in EDITIONS}
    assert "AG_ONLINE_OVERIG" in items[2024] - items[2022]
    assert "INT_KENNIS" in items[2022] - items[2024]


def test_every_indicator_states_its_denominator(monitor: Monitor) -> None:
    units = {q.code: q.unit for q in monitor.editions[2024].questionnaires.values()}
    for ind in monitor.indicators:
        assert ind.denominator_label.startswith("van "), ind.code
        if ind.denominator in (Denominator.VICTIMS, Denominator.INCIDENTS):
            assert ind.universe, f"{ind.code}: a share of victims or incidents needs a universe"
        assert (ind.denominator is Denominator.ORGANISATIONS) == (units[ind.questionnaire] is Unit.ORGANISATION)


def test_publications_of_domain_md(monitor: Monitor) -> None:
    slugs = {p.slug: p for p in monitor.publications}
    factsheets = {f"factsheet-{name}" for name in ("politieke-ambtsdragers", "burgemeesters", "wethouders", "raadsleden", "gemeenten", "provincies", "waterschappen", "medewerkers", "provincie")}
    assert set(slugs) == {"rapport-veiligheid", "rapport-integriteit", "kerncijfers", "monitor-in-5-minuten"} | factsheets
    assert {slugs[s].kind for s in factsheets} == {PublicationKind.FACTSHEET}
    assert slugs["rapport-veiligheid"].kind is slugs["rapport-integriteit"].kind is PublicationKind.REPORT
    assert slugs["kerncijfers"].kind is PublicationKind.KEY_FIGURES
    assert slugs["monitor-in-5-minuten"].kind is PublicationKind.SUMMARY
    assert slugs["factsheet-provincie"].per == "province"
    assert all(Comparison.PROVINCE_VS_NATIONAL in s.comparisons for s in slugs["factsheet-provincie"].sections)
    used = {code for p in monitor.publications for s in p.sections for code in s.indicators}
    assert used == {i.code for i in monitor.indicators}, "every indicator is published somewhere"
    parts = {p.slug: {monitor_part(monitor, c) for s in p.sections for c in s.indicators} for p in monitor.publications}
    assert parts["rapport-veiligheid"] == {"veiligheid"} and parts["rapport-integriteit"] == {"integriteit"}


def monitor_part(monitor: Monitor, code: str) -> str:
    return indicator(monitor, code).part.value


def test_multiple_choice_variables_follow_the_contract(monitor: Monitor) -> None:
    q = monitor.editions[2024].questionnaires["ambtsdragers"]
    names = list(variables(q))
    assert [n for n in names if n.startswith("AG_GERICHT")] == [f"AG_GERICHT_{o}" for o in range(1, 7)]
    assert names.index("AG_VERBAAL") < names.index("AG_SOCIAL") < names.index("AG_GERICHT_1")

"""Each kind of broken definition fails with the file, the path inside it and a Dutch message
saying what was expected. Every case copies the real monitor/ folder, breaks one thing and
compares the complete list of problems, so a missing message and a cascade of follow-up
noise both fail the test."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from miv.definition import Problem, load

from .conftest import Edit, problems

Q = "editions/2024/questionnaires/ambtsdragers.yaml"
QF = f"monitor/{Q}"
ORG = "editions/2024/questionnaires/organisaties.yaml"
IND = "monitor/indicators.yaml"
PUB = "monitor/publications.yaml"
GROUPS = "['ab-lid', 'burgemeester', 'cdk', 'db-lid', 'dijkgraaf', 'gedeputeerde', 'medewerker-gemeente', 'medewerker-provincie', 'medewerker-waterschap', 'raadslid', 'statenlid', 'wethouder']"
REG = "pages[1] (agressie).items[19] (AG_REGISTRATIE)"
NAZORG = "pages[1] (agressie).items[24] (AG_TEVREDEN_NAZORG)"
AANGIFTE = "      - code: AG_AANGIFTE"
KENNIS = "\n      2024:\n        trend_break: >-\n          In 2022 werd gevraagd naar de integriteitsregels in het algemeen; in\n          2024 apart naar de gedragscode."  # makes the 2022 rule of kennis_gedragscode unique among the kennis_* rules
AT = {indicator.code: n for n, indicator in enumerate(load().indicators)}  # positions in indicators.yaml


def in_both(path: str, message: str) -> list[tuple[str, str, str]]:
    """A problem that each edition's check finds, with {year} in path and message."""
    return [(IND, path.format(year=y), message.format(year=y)) for y in (2022, 2024)]


CASES = {
    # --- routing -------------------------------------------------------------------------
    "route names an unknown item": (
        Q, f"route: AG_MELDING == 1\n{AANGIFTE}", f"route: AG_MELDIN == 1\n{AANGIFTE}",
        [(QF, f"{REG}.route", "regel 'AG_MELDIN == 1' noemt 'AG_MELDIN', maar dat is geen eerder gestelde vraag")],
    ),
    "route names an unknown code": (
        Q, f"route: AG_MELDING == 1\n{AANGIFTE}", f"route: AG_MELDING == 3\n{AANGIFTE}",
        [(QF, f"{REG}.route", "regel 'AG_MELDING == 3' vergelijkt AG_MELDING met 3, maar dat is geen van de codes [1, 2, 99]")],
    ),
    "route names a later item": (
        Q, "route: INT_GEMELD == 1", "route: INT_KENT_GEDRAGSCODE == 1",
        [(QF, "pages[4] (integriteit_waarneming).items[10] (INT_GEMELD_BIJ).route",
          "regel 'INT_KENT_GEDRAGSCODE == 1' noemt 'INT_KENT_GEDRAGSCODE', maar dat is geen eerder gestelde vraag")],
    ),
    "route reads a multiple-choice item as one variable": (
        Q, "route: AG_NAZORG == 1", "route: AG_GERICHT == 1",
        [(QF, f"{NAZORG}.route", "regel 'AG_GERICHT == 1' noemt 'AG_GERICHT', maar dat is geen eerder gestelde vraag; "
          "een meerkeuzevraag lees je per antwoord, bijvoorbeeld AG_GERICHT_1 == 1")],
    ),
    "route does not parse": (
        Q, "route: AG_NAZORG == 1", "route: AG_NAZORG = 1",
        [(QF, f"{NAZORG}.route", "regel 'AG_NAZORG = 1' is niet te lezen bij teken 11; controleer haakjes en "
          "aanhalingstekens, en vergelijk met == (niet =)")],
    ),
    "route calls a function": (
        Q, "route: AG_NAZORG == 1", "route: len(AG_NAZORG) == 1",
        [(QF, f"{NAZORG}.route", "regel 'len(AG_NAZORG) == 1': 'len(AG_NAZORG)' is niet toegestaan in een regel")],
    ),
    "route compares a stratum variable with an unknown code": (
        ORG, "route: layer == 'gemeente'", "route: layer == 'gemeenten'",
        [(f"monitor/{ORG}", "pages[4] (ondermijning).items[1] (ORG_ONDERMIJNING_BEELD).route",
          "regel \"layer == 'gemeenten'\" vergelijkt layer met 'gemeenten', maar dat is geen van de codes ['gemeente', 'provincie', 'waterschap']")],
    ),
    # --- items and questionnaires --------------------------------------------------------------
    "unknown answer scale": (
        Q, "        scale: ernst\n", "        scale: ernstig\n",
        [(QF, "pages[1] (agressie).items[12] (AG_ERNST).scale", "onbekende antwoordschaal 'ernstig'; verwacht een van "
          "['bekendheid', 'eens', 'ernst', 'frequentie', 'ja_nee', 'risico', 'tevredenheid', 'vaak', 'veiligheid']")],
    ),
    "item for a group that does not get the questionnaire": (
        Q, "groups: [burgemeester, cdk, dijkgraaf]", "groups: [burgemeester, cdk, dijkgraaf, medewerker-gemeente]",
        [(QF, "pages[5] (integriteit_beleid).items[6] (INT_ZORGPLICHT_EIGEN).groups", "doelgroep 'medewerker-gemeente' krijgt deze vragenlijst niet")],
    ),
    "item offers an undeclared missing code": (
        Q, "        missing: [99]\n      - code: PARTIJ_LOKAAL", "        missing: [97]\n      - code: PARTIJ_LOKAAL",
        [(QF, "pages[0] (achtergrond).items[1] (LEEFTIJD).missing", "onbekende code voor ontbrekend 97; verwacht een van [98, 99]")],
    ),
    "multiple-choice item with missing codes": (
        Q, "        type: multi\n        text: Waarom heeft u het niet gemeld?", "        type: multi\n        missing: [99]\n        text: Waarom heeft u het niet gemeld?",
        [(QF, "pages[4] (integriteit_waarneming).items[11] (INT_NIET_GEMELD).missing", "een meerkeuzevraag heeft geen codes voor ontbrekend "
          "(elk antwoord is 1 of 0); voeg zo nodig een antwoord als 'Dat weet ik niet' toe")],
    ),
    "answer code that is not positive": (
        Q, "          - {code: 1, label: Jonger dan 35 jaar}", "          - {code: 0, label: Jonger dan 35 jaar}",
        [(QF, "pages[0] (achtergrond).items[1] (LEEFTIJD)", "antwoordcode 0 moet een positief geheel getal zijn")],
    ),
    "answer code that is also a missing code": (
        Q, "          - {code: 4, label: 65 jaar of ouder}", "          - {code: 99, label: 65 jaar of ouder}",
        [(QF, "pages[0] (achtergrond).items[1] (LEEFTIJD)", "antwoordcode 99 is ook een code voor ontbrekend of niet van toepassing")],
    ),
    "duplicate answer code": (
        Q, "          - {code: 4, label: 65 jaar of ouder}", "          - {code: 3, label: 65 jaar of ouder}",
        [(QF, "pages[0] (achtergrond).items[1] (LEEFTIJD)", "antwoordcode 3 komt meer dan eens voor")],
    ),
    "choice item without answer categories": (
        Q, "        scale: ernst\n", "",
        [(QF, "pages[1] (agressie).items[12] (AG_ERNST)", "een keuzevraag heeft precies een van 'scale' of 'options' nodig")],
    ),
    "duplicate item code": (
        Q, "      - code: OPMERKING\n", "      - code: LEEFTIJD\n",
        [(QF, "pages[6] (afsluiting).items[0] (LEEFTIJD).code",
          "vraagcode 'LEEFTIJD' komt al voor in pages[0] (achtergrond).items[1] (LEEFTIJD); elke vraag heeft een eigen code")],
    ),
    "duplicate page code": (
        Q, "  - code: afsluiting\n", "  - code: achtergrond\n",
        [(QF, "pages[6] (achtergrond).code", "paginacode 'achtergrond' komt al eerder voor; elke pagina heeft een eigen code")],
    ),
    "unknown field": (
        Q, "        scale: ernst\n", "        scael: ernst\n",
        [(QF, "pages[1] (agressie).items[12] (AG_ERNST).scael", "onbekend veld (controleer de spelling met docs/definition.md)")],
    ),
    "wrong type": (
        Q, "        minimum: 0\n        maximum: 60\n", "        minimum: nul\n        maximum: 60\n",
        [(QF, "pages[0] (achtergrond).items[0] (FUNCTIE_JAREN).minimum", "verwacht een getal (gevonden: 'nul')")],
    ),
    "minimum above maximum": (
        Q, "        minimum: 0\n        maximum: 60\n", "        minimum: 70\n        maximum: 60\n",
        [(QF, "pages[0] (achtergrond).items[0] (FUNCTIE_JAREN).minimum", "minimum 70 is groter dan maximum 60")],
    ),
    "required field missing": (
        Q, "title: Vragenlijst politieke ambtsdragers 2024\n", "",
        [(QF, "title", "verplicht veld ontbreekt")],
    ),
    "questionnaire code differs from its file name": (
        Q, "code: ambtsdragers\n", "code: ambtsdrager\n",
        [(QF, "code", "verwacht 'ambtsdragers', de naam van het bestand (gevonden: 'ambtsdrager')")],
    ),
    "organisation questionnaire names a group that is no chair": (
        ORG, "groups: [burgemeester, cdk, dijkgraaf]", "groups: [burgemeester, cdk, dijkgraaf, wethouder]",
        [(f"monitor/{ORG}", "groups", "een vragenlijst voor organisaties noemt per bestuurslaag de voorzitter; 'wethouder' is dat niet "
          "(verwacht een van ['burgemeester', 'cdk', 'dijkgraaf'])")],
    ),
    "questionnaire for an unknown group": (
        Q, "gedeputeerde, statenlid, dijkgraaf, db-lid, ab-lid]", "gedeputeerde, statenleden, dijkgraaf, db-lid, ab-lid]",
        [
            (QF, "groups", f"onbekende doelgroep 'statenleden'; verwacht een van {GROUPS}"),
            (QF, "pages[0] (achtergrond).items[2] (PARTIJ_LOKAAL).groups", "doelgroep 'statenlid' krijgt deze vragenlijst niet"),
            (QF, "pages[5] (integriteit_beleid).items[5] (INT_ZORGPLICHT).groups", "doelgroep 'statenlid' krijgt deze vragenlijst niet"),
            ("monitor/editions/2024/frame.csv", "", "doelgroep 'statenleden' krijgt vragenlijst 'ambtsdragers' maar heeft geen stratum in het steekproefkader"),
        ],
    ),
    # --- indicators --------------------------------------------------------------------------
    "indicator on a missing item": (
        "indicators.yaml", "rule: AG_STALKING == 1", "rule: AG_STALKIN == 1",
        in_both(f"indicators[{AT['agressie_stalking']}] (agressie_stalking).rule (editie {{year}})", "regel 'AG_STALKIN == 1' noemt 'AG_STALKIN', maar dat is "
                "geen vraag van vragenlijst 'ambtsdragers' {year}, stratumvariabele of eerdere indicator"),
    ),
    "per-edition rule on an item of another edition": (
        "indicators.yaml", "rule: INT_KENNIS == 1" + KENNIS, "rule: INT_KENT_GEDRAGSCODE == 1 or INT_KENNIS == 1" + KENNIS,
        [(IND, f"indicators[{AT['kennis_gedragscode']}] (kennis_gedragscode).editions.2022.rule", "regel 'INT_KENT_GEDRAGSCODE == 1 or INT_KENNIS == 1' noemt "
          "'INT_KENT_GEDRAGSCODE', maar dat is geen vraag van vragenlijst 'ambtsdragers' 2022, stratumvariabele of eerdere indicator")],
    ),
    "indicator uses a later indicator": (
        "indicators.yaml", "rule: AG_INTIMIDATIE == 1\n", "rule: agressie_bedreiging == 1\n",
        in_both(f"indicators[{AT['agressie_intimidatie']}] (agressie_intimidatie).rule (editie {{year}})", "regel 'agressie_bedreiging == 1' noemt 'agressie_bedreiging', "
                "maar dat is geen vraag van vragenlijst 'ambtsdragers' {year}, stratumvariabele of eerdere indicator"),
    ),
    "indicator reads a multiple-choice item as one variable": (
        "indicators.yaml", "rule: AG_DADER_3 == 1", "rule: AG_DADER == 3",
        in_both(f"indicators[{AT['dader_crimineel']}] (dader_crimineel).rule (editie {{year}})", "regel 'AG_DADER == 3' noemt 'AG_DADER', maar dat is geen vraag "
                "van vragenlijst 'ambtsdragers' {year}, stratumvariabele of eerdere indicator; een meerkeuzevraag lees je per antwoord, "
                "bijvoorbeeld AG_DADER_1 == 1"),
    ),
    "duplicate indicator code": (
        "indicators.yaml", "  - code: agressie_stalking\n", "  - code: agressie_vernieling\n",
        [
            (IND, f"indicators[{AT['agressie_stalking']}] (agressie_vernieling).code", "indicatorcode 'agressie_vernieling' komt al eerder voor; elke indicator heeft een eigen code"),
            (PUB, "publications[0] (rapport-veiligheid).sections[0].indicators", "onbekende indicator 'agressie_stalking'"),
        ],
    ),
    "organisation indicator with a respondent denominator": (
        "indicators.yaml", "rule: ORG_NAZORG == 1\n    denominator: organisations", "rule: ORG_NAZORG == 1\n    denominator: respondents",
        [(IND, f"indicators[{AT['org_nazorg']}] (org_nazorg).denominator", "vragenlijst 'organisaties' heeft als eenheid organisation; verwacht noemer organisations")],
    ),
    "indicator on an unknown questionnaire": (
        "indicators.yaml", "questionnaire: organisaties\n    rule: ORG_NAZORG", "questionnaire: organisatie\n    rule: ORG_NAZORG",
        in_both(f"indicators[{AT['org_nazorg']}] (org_nazorg).questionnaire", "editie {year} heeft geen vragenlijst 'organisatie'; verwacht een van "
                "['ambtsdragers', 'medewerkers', 'organisaties']"),
    ),
    "indicator rule for an edition that does not exist": (
        "indicators.yaml", "    editions:\n      2024:\n        trend_break: >-\n          In 2022 ging de vraag over agressie via sociale media",
        "    editions:\n      2026:\n        trend_break: >-\n          In 2022 ging de vraag over agressie via sociale media",
        [(IND, f"indicators[{AT['agressie_social']}] (agressie_social).editions", "editie 2026 staat niet in monitor.yaml")],
    ),
    "indicator code of the wrong form": (
        "indicators.yaml", "  - code: agressie_stalking\n", "  - code: agressie-stalking\n",
        [(IND, f"indicators[{AT['agressie_stalking']}] (agressie-stalking).code", "verwacht een code van letters, cijfers en _ die met een letter begint "
          "(bijvoorbeeld AG_VERBAAL) (gevonden: 'agressie-stalking')")],
    ),
    "unknown denominator": (
        "indicators.yaml", "rule: ORG_NAZORG == 1\n    denominator: organisations", "rule: ORG_NAZORG == 1\n    denominator: organisaties",
        [(IND, f"indicators[{AT['org_nazorg']}] (org_nazorg).denominator", "verwacht een van 'respondents', 'victims', 'incidents' of 'organisations' (gevonden: 'organisaties')")],
    ),
    "misspelt field in a per-edition rule": (
        "indicators.yaml", "      2022:\n        rule: INT_KENNIS == 1" + KENNIS, "      2022:\n        regel: INT_KENNIS == 1" + KENNIS,
        [(IND, f"indicators[{AT['kennis_gedragscode']}] (kennis_gedragscode).editions.2022.regel", "onbekend veld (controleer de spelling met docs/definition.md)")],
    ),
    "misspelt top key hides no indicators": (
        "indicators.yaml", "\nindicators:\n", "\nindicator:\n",
        [(IND, "", "verwacht precies één sleutel 'indicators' met een lijst; andere sleutels: indicator")],
    ),
    # --- publications ------------------------------------------------------------------------
    "publication names an unknown indicator": (
        "publications.yaml", "      - title: Medewerkers\n        indicators: [mw_agressie_totaal]", "      - title: Medewerkers\n        indicators: [mw_agressie]",
        [(PUB, "publications[11] (kerncijfers).sections[4].indicators", "onbekende indicator 'mw_agressie'")],
    ),
    "publication breaks down by an unknown variable": (
        "publications.yaml", "breakdowns: [group, province, size_class]", "breakdowns: [group, provincie, size_class]",
        [(PUB, "publications[0] (rapport-veiligheid).sections[2].breakdowns",
          "onbekende uitsplitsing 'provincie'; verwacht een van ['group', 'layer', 'role', 'gender', 'province', 'size_class']")],
    ),
    "population compares with an unknown group": (
        "publications.yaml", "population: group == 'wethouder'", "population: group == 'wethouders'",
        [(PUB, "publications[4] (factsheet-wethouders).population",
          f"regel \"group == 'wethouders'\" vergelijkt group met 'wethouders', maar dat is geen van de codes {GROUPS}")],
    ),
    "publication shows an indicator of a questionnaire outside its population": (
        "publications.yaml", "indicators: [mw_veilig_werk, mw_integriteit_belang, mw_kennis_gedragscode,",
        "indicators: [agressie_totaal, mw_veilig_werk, mw_integriteit_belang, mw_kennis_gedragscode,",
        [(PUB, "publications[6] (factsheet-medewerkers).sections[2].indicators", "indicator 'agressie_totaal' leest vragenlijst "
          "'ambtsdragers', maar daarvan valt niemand in de populatie \"role == 'medewerker'\"")],
    ),
    "population does not parse": (
        "publications.yaml", "population: group == 'wethouder'", "population: group = 'wethouder'",
        [(PUB, "publications[4] (factsheet-wethouders).population", "regel \"group = 'wethouder'\" is niet te lezen bij teken 7; "
          "controleer haakjes en aanhalingstekens, en vergelijk met == (niet =)")],
    ),
    "per-edition rule does not parse": (
        "indicators.yaml", "rule: INT_KENNIS == 1" + KENNIS, "rule: INT_KENNIS == (1" + KENNIS,
        [(IND, f"indicators[{AT['kennis_gedragscode']}] (kennis_gedragscode).editions.2022.rule", "regel 'INT_KENNIS == (1' is niet te lezen bij teken 15; "
          "controleer haakjes en aanhalingstekens, en vergelijk met == (niet =)")],
    ),
    "province comparison without one publication per province": (
        "publications.yaml", "    per: province\n", "",
        [(PUB, f"publications[10] (factsheet-provincie).sections[{s}].comparisons", "province_vs_national kan alleen in een publicatie met per: province")
         for s in range(3)],
    ),
    "duplicate publication slug": (
        "publications.yaml", "  - slug: factsheet-wethouders\n", "  - slug: factsheet-burgemeesters\n",
        [(PUB, "publications[4] (factsheet-burgemeesters).slug", "publicatie 'factsheet-burgemeesters' is al eerder gedefinieerd; elke publicatie heeft een eigen slug")],
    ),
    "unknown chart": (
        "publications.yaml", "chart: trend", "chart: lijn",
        [(PUB, "publications[0] (rapport-veiligheid).sections[1].chart", "verwacht een van 'bars', 'trend' of 'groups' (gevonden: 'lijn')")],
    ),
    # --- monitor, structure, editions ----------------------------------------------------------
    "editions is not a list": (
        "monitor.yaml", "editions: [2022, 2024]", "editions: 2024",
        [("monitor/monitor.yaml", "editions", "verwacht een lijst van jaartallen, bijvoorbeeld [2022, 2024] (gevonden: 2024)")],
    ),
    "disclosure minimum below one": (
        "monitor.yaml", "min_respondents: 10", "min_respondents: 0",
        [("monitor/monitor.yaml", "min_respondents", "verwacht een getal minstens 1 (gevonden: 0)")],
    ),
    "group in an unknown layer": (
        "structure.yaml", "layer: waterschap, role: volksvertegenwoordiger", "layer: waterschappen, role: volksvertegenwoordiger",
        [("monitor/structure.yaml", "groups[8] (ab-lid).layer", "onbekende bestuurslaag 'waterschappen'; verwacht een van ['gemeente', 'provincie', 'waterschap']")],
    ),
    "edition year differs from its folder": (
        "editions/2024/edition.yaml", "year: 2024", "year: 2023",
        [("monitor/editions/2024/edition.yaml", "year", "verwacht 2024, de naam van de map")],
    ),
    "previous edition unknown": (
        "editions/2024/edition.yaml", "previous: 2022", "previous: 2020",
        [("monitor/editions/2024/edition.yaml", "previous", "editie 2020 staat niet in monitor.yaml")],
    ),
    "fieldwork date not a date": (
        "editions/2024/edition.yaml", "end: 2024-03-15", "end: 15 maart",
        [("monitor/editions/2024/edition.yaml", "fieldwork.end", "verwacht een datum als JJJJ-MM-DD (gevonden: '15 maart')")],
    ),
    "questionnaires is not a list": (
        "editions/2024/edition.yaml", "questionnaires: [ambtsdragers, medewerkers, organisaties]", "questionnaires: ambtsdragers",
        [("monitor/editions/2024/edition.yaml", "questionnaires", "verwacht een lijst van vragenlijstcodes, bijvoorbeeld [ambtsdragers] (gevonden: 'ambtsdragers')")],
    ),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_broken_definition_is_located(copy: Path, edit: Edit, case: str) -> None:
    file, old, new, expected = CASES[case]
    edit(file, old, new)
    assert [(p.file, p.path, p.message) for p in problems(copy)] == expected


def test_missing_file(copy: Path) -> None:
    (copy / "editions/2022/questionnaires/medewerkers.yaml").unlink()
    (copy / "editions/2024/frame.csv").unlink()
    assert problems(copy) == [
        Problem("monitor/editions/2022/questionnaires/medewerkers.yaml", "", "bestand ontbreekt"),
        Problem("monitor/editions/2024/frame.csv", "", "bestand ontbreekt"),
    ]


def line_of(path: Path, text: str, occurrence: int = 1) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [n for n, line in enumerate(lines, start=1) if line == text][occurrence - 1]


def test_invalid_yaml_names_line_and_column(copy: Path, edit: Edit) -> None:
    edit("publications.yaml", "  - slug: kerncijfers\n", "  - slug: kerncijfers\n  bad: [\n")
    line = line_of(copy / "publications.yaml", "  bad: [")
    assert problems(copy) == [Problem(PUB, f"regel {line}, kolom 3", "geen geldige YAML: de inspringing klopt niet")]


def test_key_given_twice_is_not_silently_overwritten(copy: Path, edit: Edit) -> None:
    edit(Q, "        route: AG_NAZORG == 1\n", "        route: AG_NAZORG == 1\n        route: AG_NAZORG == 2\n")
    line = line_of(copy / Q, "        route: AG_NAZORG == 2")
    assert problems(copy) == [Problem(QF, f"regel {line}, kolom 9", "geen geldige YAML: sleutel 'route' komt twee keer voor")]


def test_tab_in_yaml(copy: Path, edit: Edit) -> None:
    edit("structure.yaml", "\ngenders:\n", "\ngenders:\n\t- {code: x, label: X}\n")
    line = line_of(copy / "structure.yaml", "genders:") + 1
    assert problems(copy) == [Problem("monitor/structure.yaml", f"regel {line}, kolom 1", "geen geldige YAML: teken dat hier niet mag; spring in met spaties (geen tabs) en zet tekst met @ of ` tussen aanhalingstekens")]


# --- the population frame: rows are appended, since the frame's content belongs to the demo ---


def append_rows(copy: Path, *rows: str) -> int:
    """Append rows to the 2024 frame; the row number (header = 1) of the first one."""
    path = copy / "editions/2024/frame.csv"
    text = path.read_text(encoding="utf-8")
    first = len(text.splitlines()) + 1
    path.write_text(text.rstrip("\n") + "\n" + "".join(f"{r}\n" for r in rows), encoding="utf-8")
    return first


FRAME = "monitor/editions/2024/frame.csv"
PROVINCES = "['drenthe', 'flevoland', 'friesland', 'gelderland', 'groningen', 'limburg', 'noord-brabant', 'noord-holland', 'overijssel', 'utrecht', 'zeeland', 'zuid-holland']"


def test_frame_stratum_with_unknown_codes(copy: Path) -> None:
    row = append_rows(copy, "raadslid,man,atlantis,tot-20k,5", "burgemeestr,vrouw,utrecht,tot-20k,1", "wethouder,x,utrecht,tot-20k,1")
    assert problems(copy) == [
        Problem(FRAME, f"rij {row}, kolom province", f"onbekende code 'atlantis'; verwacht een van {PROVINCES}"),
        Problem(FRAME, f"rij {row + 1}, kolom group", f"onbekende code 'burgemeestr'; verwacht een van {GROUPS}"),
        Problem(FRAME, f"rij {row + 2}, kolom gender", "onbekende code 'x'; verwacht een van ['man', 'vrouw']"),
    ]


def test_frame_stratum_against_the_groups_stratification(copy: Path) -> None:
    row = append_rows(copy, "dijkgraaf,man,utrecht,,1", "wethouder,vrouw,utrecht,,3")
    assert problems(copy) == [
        Problem(FRAME, f"rij {row}, kolom province", "doelgroep 'dijkgraaf' mag geen province hebben"),
        Problem(FRAME, f"rij {row + 1}, kolom size_class", "doelgroep 'wethouder' moet een size_class hebben"),
    ]


def test_frame_row_that_is_not_a_number_or_repeats(copy: Path) -> None:
    path = copy / "editions/2024/frame.csv"
    last = path.read_text(encoding="utf-8").splitlines()[-1]
    row = append_rows(copy, last, "statenlid,man,utrecht,,veel")
    cell = "/".join(v or "-" for v in last.split(",")[:4])
    assert problems(copy) == [
        Problem(FRAME, f"rij {row + 1}, kolom population", "verwacht een geheel getal (gevonden: 'veel')"),
    ]
    path.write_text("\n".join(path.read_text(encoding="utf-8").splitlines()[:-1]) + "\n", encoding="utf-8")
    assert problems(copy) == [Problem(FRAME, f"rij {row}", f"stratum {cell} staat al in rij {row - 1}")]


def test_frame_row_with_too_few_or_too_many_fields(copy: Path) -> None:
    row = append_rows(copy, "raadslid,man", "statenlid,man,utrecht,,5,extra")
    assert problems(copy) == [
        Problem(FRAME, f"rij {row}", "verwacht 5 velden, gevonden: 2"),
        Problem(FRAME, f"rij {row + 1}", "verwacht 5 velden, gevonden: 6"),
    ]


def test_frame_saved_by_a_spreadsheet_with_a_byte_order_mark_loads(copy: Path) -> None:
    path = copy / "editions/2024/frame.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    assert load(copy).editions[2024].frame.strata == load().editions[2024].frame.strata


def test_frame_header(copy: Path) -> None:
    path = copy / "editions/2024/frame.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(["group,geslacht,province,size_class,population", *lines[1:]]) + "\n", encoding="utf-8")
    assert problems(copy) == [
        Problem(FRAME, "header", "verwacht de kolommen group, gender, province, size_class, population, gevonden: group, geslacht, province, size_class, population")
    ]


def test_frame_sources_name_known_groups(copy: Path) -> None:
    path = copy / "editions/2024/frame.yaml"
    meta = yaml.safe_load(path.read_text(encoding="utf-8"))
    meta["sources"]["atlantis"] = meta["sources"].pop("dijkgraaf")
    meta["approximate"] = [*meta.get("approximate", []), "dijkgraven"]
    path.write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    file = "monitor/editions/2024/frame.yaml"
    assert problems(copy) == [
        Problem(file, "sources.atlantis", f"onbekende doelgroep 'atlantis'; verwacht een van {GROUPS}"),
        Problem(file, "approximate", f"onbekende doelgroep 'dijkgraven'; verwacht een van {GROUPS}"),
        Problem(file, "sources", "doelgroep 'dijkgraaf' staat in het steekproefkader maar heeft geen bron"),
    ]


def test_every_problem_in_the_files_is_reported_in_one_run(copy: Path, edit: Edit) -> None:
    edit(Q, "        scale: ernst\n", "        scael: ernst\n")
    edit("editions/2022/edition.yaml", "end: 2022-03-11", "end: maart")
    row = append_rows(copy, "statenlid,man,utrecht,,veel")
    assert problems(copy) == [
        Problem("monitor/editions/2022/edition.yaml", "fieldwork.end", "verwacht een datum als JJJJ-MM-DD (gevonden: 'maart')"),
        Problem(QF, "pages[1] (agressie).items[12] (AG_ERNST).scael", "onbekend veld (controleer de spelling met docs/definition.md)"),
        Problem(FRAME, f"rij {row}, kolom population", "verwacht een geheel getal (gevonden: 'veel')"),
    ]

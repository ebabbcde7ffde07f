"""Checks across the definition's files: every name a rule, frame or publication uses
must exist, and every code must be unique where it identifies something."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from itertools import product
from typing import Any

from miv.definition.errors import Problem
from miv.definition.expression import Expression, parse
from miv.definition.models import Comparison, Denominator, Edition, Item, ItemType, Monitor, Questionnaire, Structure, Unit

Codes = set[Any]  # the codes a variable may take: ints for items, strings for strata
STRATUM_VARIABLES = ("group", "layer", "role", "gender", "province", "size_class")


def check_monitor(monitor: Monitor | None, files: dict[str, str]) -> list[Problem]:
    """All cross-file problems of a definition that loaded file by file."""
    if monitor is None:
        return []
    problems = _check_structure(monitor.structure, files["structure"])
    for year, edition in monitor.editions.items():
        problems += _check_edition(monitor, year, edition, files)
    problems += _check_indicators(monitor, files["indicators"])
    problems += _check_publications(monitor, files["publications"])
    return list(dict.fromkeys(problems))  # a problem found in each edition is reported once


def variables(questionnaire: Questionnaire) -> dict[str, Item]:
    """The respondent-table variables an questionnaire yields: one per item, one per
    option for a multiple-choice item (`CODE_<option>`, 1 = chosen, 0 = not chosen)."""
    out: dict[str, Item] = {}
    for item in questionnaire.items:
        if item.type is ItemType.MULTI:
            out.update({f"{item.code}_{o.code}": item for o in questionnaire.options(item)})
        else:
            out[item.code] = item
    return out


def rule_missing(q: Questionnaire) -> dict[str, list[int | float]]:
    """Variable -> the codes rules read as unknown (None): missing codes and 'not applicable'.
    Here, not in the intake, because the manifest records them for readers who recompute."""
    out: dict[str, list[int | float]] = {}
    for name, item in variables(q).items():
        if item.type is ItemType.TEXT:
            continue
        codes: list[int] = [q.not_applicable] if item.type is ItemType.MULTI else [*item.missing, q.not_applicable]
        out[name] = [float(c) for c in codes] if item.type is ItemType.NUMBER else list(codes)
    return out


def _duplicates(codes: Iterable[str]) -> list[str]:
    return [code for code, n in Counter(codes).items() if n > 1]


def _repeats(codes: Iterable[str]) -> list[tuple[int, str]]:
    """Positions and codes of every repeat after a code's first occurrence."""
    seen: set[str] = set()
    out = []
    for n, code in enumerate(codes):
        if code in seen:
            out.append((n, code))
        seen.add(code)
    return out


def _check_structure(structure: Structure, file: str) -> list[Problem]:
    problems = []
    for name in ("layers", "groups", "genders", "provinces", "size_classes"):
        for code in _duplicates(x.code for x in getattr(structure, name)):
            problems.append(Problem(file, name, f"code {code!r} komt meer dan eens voor"))
    layers = {layer.code for layer in structure.layers}
    for i, group in enumerate(structure.groups):
        if group.layer not in layers:
            problems.append(Problem(file, f"groups[{i}] ({group.code}).layer", f"onbekende bestuurslaag {group.layer!r}; verwacht een van {sorted(layers)}"))
        for column in group.strata:
            if column not in ("province", "size_class"):
                problems.append(Problem(file, f"groups[{i}] ({group.code}).strata", f"onbekende kolom van het steekproefkader {column!r}; verwacht province of size_class"))
    return problems


def _check_edition(monitor: Monitor, year: int, edition: Edition, files: dict[str, str]) -> list[Problem]:
    problems = []
    if edition.year != year:
        problems.append(Problem(files[f"edition:{year}"], "year", f"verwacht {year}, de naam van de map"))
    if edition.previous is not None and edition.previous not in monitor.editions:
        problems.append(Problem(files[f"edition:{year}"], "previous", f"editie {edition.previous} staat niet in monitor.yaml"))
    for code, questionnaire in edition.questionnaires.items():
        file = files[f"questionnaire:{year}:{code}"]
        if questionnaire.code != code:
            problems.append(Problem(file, "code", f"verwacht {code!r}, de naam van het bestand (gevonden: {questionnaire.code!r})"))
        problems += _check_questionnaire(monitor.structure, questionnaire, file)
    problems += _check_frame(monitor.structure, edition, files[f"frame:{year}"])
    problems += _check_frame_meta(monitor.structure, edition, files[f"frame-meta:{year}"])
    return problems


def _check_questionnaire(structure: Structure, q: Questionnaire, file: str) -> list[Problem]:
    problems = []
    groups = {g.code for g in structure.groups}
    for code in sorted(set(q.groups) - groups):
        problems.append(Problem(file, "groups", f"onbekende doelgroep {code!r}; verwacht een van {sorted(groups)}"))
    if q.unit is Unit.ORGANISATION:
        chairs = sorted(g.code for g in structure.groups if g.chair)
        for code in sorted(set(q.groups) & groups - set(chairs)):
            problems.append(Problem(file, "groups", f"een vragenlijst voor organisaties noemt per bestuurslaag de voorzitter; {code!r} is dat niet (verwacht een van {chairs})"))
    missing = {m.code for m in q.missing}
    for code in _duplicates([*(str(m.code) for m in q.missing), str(q.not_applicable)]):
        problems.append(Problem(file, "missing", f"code {code} heeft twee betekenissen"))
    for p, code in _repeats(page.code for page in q.pages):
        problems.append(Problem(file, f"pages[{p}] ({code}).code", f"paginacode {code!r} komt al eerder voor; elke pagina heeft een eigen code"))
    first: dict[str, str] = {}
    seen: dict[str, Codes] = _stratum_codes(structure)
    multi = {item.code for item in q.items if item.type is ItemType.MULTI}
    table = variables(q)
    for p, page in enumerate(q.pages):
        for i, item in enumerate(page.items):
            where = f"pages[{p}] ({page.code}).items[{i}] ({item.code})"
            if item.code in first:
                problems.append(Problem(file, f"{where}.code", f"vraagcode {item.code!r} komt al voor in {first[item.code]}; elke vraag heeft een eigen code"))
            first.setdefault(item.code, where)
            problems += _check_item(q, item, where, file, groups, missing)
            if item.route:
                problems += _check_rule(item.rule, seen, file, f"{where}.route", "eerder gestelde vraag", multi)
            for name, it in table.items():
                if it is item:
                    seen[name] = _valid_codes(q, item)
    return problems


def _check_item(q: Questionnaire, item: Item, where: str, file: str, groups: set[str], missing: set[int]) -> list[Problem]:
    problems = []
    if item.type in (ItemType.SINGLE, ItemType.MULTI):
        if (item.scale is None) == (item.options is None):
            problems.append(Problem(file, where, "een keuzevraag heeft precies een van 'scale' of 'options' nodig"))
        elif item.scale is not None and item.scale not in q.scales:
            problems.append(Problem(file, f"{where}.scale", f"onbekende antwoordschaal {item.scale!r}; verwacht een van {sorted(q.scales)}"))
        codes = [o.code for o in q.options(item)]
        for code in _duplicates(str(c) for c in codes):
            problems.append(Problem(file, where, f"antwoordcode {code} komt meer dan eens voor"))
        for number in sorted(c for c in set(codes) if c < 1):
            problems.append(Problem(file, where, f"antwoordcode {number} moet een positief geheel getal zijn"))
        for number in sorted(set(codes) & (missing | {q.not_applicable})):
            problems.append(Problem(file, where, f"antwoordcode {number} is ook een code voor ontbrekend of niet van toepassing"))
    if item.minimum is not None and item.maximum is not None and item.minimum > item.maximum:
        problems.append(Problem(file, f"{where}.minimum", f"minimum {item.minimum:g} is groter dan maximum {item.maximum:g}"))
    if item.type is ItemType.MULTI and item.missing:
        problems.append(Problem(file, f"{where}.missing", "een meerkeuzevraag heeft geen codes voor ontbrekend (elk antwoord is 1 of 0); voeg zo nodig een antwoord als 'Dat weet ik niet' toe"))
    for number in sorted(set(item.missing) - missing):
        problems.append(Problem(file, f"{where}.missing", f"onbekende code voor ontbrekend {number}; verwacht een van {sorted(missing)}"))
    for code in sorted(set(item.groups or []) - set(q.groups)):
        problems.append(Problem(file, f"{where}.groups", f"doelgroep {code!r} krijgt deze vragenlijst niet"))
    return problems


def _valid_codes(q: Questionnaire, item: Item) -> Codes:
    if item.type is ItemType.MULTI:
        return {0, 1}
    options = q.options(item)
    if item.type in (ItemType.NUMBER, ItemType.TEXT) or not options:
        return set()  # any value, or codes unknown because the scale is (already reported)
    return {o.code for o in options} | set(item.missing)


def _check_rule(
    rule: Expression | None, known: dict[str, Codes], file: str, path: str, expected: str, multi: Iterable[str] = ()
) -> list[Problem]:
    """Names in a rule must be known; a literal compared with a coded item must be one of its codes.
    A multiple-choice item is read per option (`CODE_<option>`), which the message suggests."""
    if rule is None:
        return []
    problems = []
    for name in sorted(rule.names - set(known)):
        hint = f"; een meerkeuzevraag lees je per antwoord, bijvoorbeeld {name}_1 == 1" if name in set(multi) else ""
        problems.append(Problem(file, path, f"regel {rule.source!r} noemt {name!r}, maar dat is geen {expected}{hint}"))
    for name, value in rule.literals:
        codes = known.get(name)
        if codes and value not in codes:
            problems.append(Problem(file, path, f"regel {rule.source!r} vergelijkt {name} met {value!r}, maar dat is geen van de codes {sorted(codes, key=str)}"))
    return problems


def _stratum_codes(structure: Structure) -> dict[str, Codes]:
    return {
        "group": {g.code for g in structure.groups},
        "layer": {layer.code for layer in structure.layers},
        "role": {g.role.value for g in structure.groups},
        "gender": {c.code for c in structure.genders},
        "province": {c.code for c in structure.provinces},
        "size_class": {c.code for c in structure.size_classes},
    }


def _check_frame(structure: Structure, edition: Edition, file: str) -> list[Problem]:
    problems = []
    codes = _stratum_codes(structure)
    groups = {g.code: g for g in structure.groups}
    cells: dict[tuple[str | None, ...], int] = {}
    for row, stratum in enumerate(edition.frame.strata, start=2):
        for column in ("group", "gender", "province", "size_class"):
            value = getattr(stratum, column)
            if value is not None and value not in codes[column]:
                problems.append(Problem(file, f"rij {row}, kolom {column}", f"onbekende code {value!r}; verwacht een van {sorted(codes[column])}"))
        group = groups.get(stratum.group)
        if group is not None:
            for column in ("province", "size_class"):
                wanted = column in group.strata
                if wanted != (getattr(stratum, column) is not None):
                    need = "moet een" if wanted else "mag geen"
                    problems.append(Problem(file, f"rij {row}, kolom {column}", f"doelgroep {group.code!r} {need} {column} hebben"))
        cell = (stratum.group, stratum.gender, stratum.province, stratum.size_class)
        if cell in cells:
            problems.append(Problem(file, f"rij {row}", f"stratum {'/'.join(c or '-' for c in cell)} staat al in rij {cells[cell]}"))
        cells.setdefault(cell, row)
    covered = {s.group for s in edition.frame.strata}
    for q in edition.questionnaires.values():
        if q.unit is Unit.RESPONDENT:
            for code in sorted(set(q.groups) - covered):
                problems.append(Problem(file, "", f"doelgroep {code!r} krijgt vragenlijst {q.code!r} maar heeft geen stratum in het steekproefkader"))
    return problems


def _check_frame_meta(structure: Structure, edition: Edition, file: str) -> list[Problem]:
    """frame.yaml names a source for every group in the frame, and only known groups."""
    problems = []
    groups = {g.code for g in structure.groups}
    for code in sorted(set(edition.frame.sources) - groups):
        problems.append(Problem(file, f"sources.{code}", f"onbekende doelgroep {code!r}; verwacht een van {sorted(groups)}"))
    for code in sorted(set(edition.frame.approximate) - groups):
        problems.append(Problem(file, "approximate", f"onbekende doelgroep {code!r}; verwacht een van {sorted(groups)}"))
    for code in sorted({s.group for s in edition.frame.strata} & groups - set(edition.frame.sources)):
        problems.append(Problem(file, "sources", f"doelgroep {code!r} staat in het steekproefkader maar heeft geen bron"))
    return problems


def _check_indicators(monitor: Monitor, file: str) -> list[Problem]:
    problems = []
    for n, code in _repeats(i.code for i in monitor.indicators):
        problems.append(Problem(file, f"indicators[{n}] ({code}).code", f"indicatorcode {code!r} komt al eerder voor; elke indicator heeft een eigen code"))
    strata = _stratum_codes(monitor.structure)
    for year, edition in monitor.editions.items():
        earlier: dict[str, Codes] = {}
        for n, indicator in enumerate(monitor.indicators):
            where = f"indicators[{n}] ({indicator.code})"
            q = edition.questionnaires.get(indicator.questionnaire)
            if q is None:
                problems.append(Problem(file, f"{where}.questionnaire", f"editie {year} heeft geen vragenlijst {indicator.questionnaire!r}; verwacht een van {sorted(edition.questionnaires)}"))
                continue
            if (indicator.denominator is Denominator.ORGANISATIONS) != (q.unit is Unit.ORGANISATION):
                wanted = "organisations" if q.unit is Unit.ORGANISATION else "respondents, victims of incidents"
                problems.append(Problem(file, f"{where}.denominator", f"vragenlijst {q.code!r} heeft als eenheid {q.unit.value}; verwacht noemer {wanted}"))
            multi = {item.code for item in q.items if item.type is ItemType.MULTI}
            known = {**strata, **{name: _valid_codes(q, item) for name, item in variables(q).items()}, **earlier}
            rule, universe = indicator.for_edition(year)  # both parse: the models validated them
            expected = f"vraag van vragenlijst {q.code!r} {year}, stratumvariabele of eerdere indicator"
            override = indicator.editions.get(year)
            for field, parsed in (("rule", rule), ("universe", universe)):
                own = override is not None and getattr(override, field) is not None
                path = f"{where}.editions.{year}.{field}" if own else f"{where}.{field} (editie {year})"
                problems += _check_rule(parsed, known, file, path, expected, multi)
            earlier[indicator.code] = {0, 1}
    for n, indicator in enumerate(monitor.indicators):
        for y in sorted(set(indicator.editions) - set(monitor.editions)):
            problems.append(Problem(file, f"indicators[{n}] ({indicator.code}).editions", f"editie {y} staat niet in monitor.yaml"))
    return problems


def _check_publications(monitor: Monitor, file: str) -> list[Problem]:
    problems = []
    for n, slug in _repeats(p.slug for p in monitor.publications):
        problems.append(Problem(file, f"publications[{n}] ({slug}).slug", f"publicatie {slug!r} is al eerder gedefinieerd; elke publicatie heeft een eigen slug"))
    indicators = {i.code: i for i in monitor.indicators}
    strata = _stratum_codes(monitor.structure)
    units = {code: _units(monitor.structure, q) for e in monitor.editions.values() for code, q in e.questionnaires.items()}
    for n, publication in enumerate(monitor.publications):
        where = f"publications[{n}] ({publication.slug})"
        population = parse(publication.population) if publication.population else None
        if population is not None:
            wrong = _check_rule(population, strata, file, f"{where}.population", "stratumvariabele")
            problems += wrong
            population = None if wrong else population
        if publication.per and publication.per not in strata:
            problems.append(Problem(file, f"{where}.per", f"onbekende variabele {publication.per!r}; verwacht een van {list(strata)}"))
        for s, section in enumerate(publication.sections):
            for code in section.indicators:
                indicator = indicators.get(code)
                if indicator is None:
                    problems.append(Problem(file, f"{where}.sections[{s}].indicators", f"onbekende indicator {code!r}"))
                elif population is not None and not any(population.evaluate(u) is True for u in units.get(indicator.questionnaire, [])):
                    problems.append(Problem(file, f"{where}.sections[{s}].indicators", f"indicator {code!r} leest vragenlijst {indicator.questionnaire!r}, maar daarvan valt niemand in de populatie {population.source!r}"))
            for name in section.breakdowns:
                if name not in strata:
                    problems.append(Problem(file, f"{where}.sections[{s}].breakdowns", f"onbekende uitsplitsing {name!r}; verwacht een van {list(strata)}"))
            if Comparison.PROVINCE_VS_NATIONAL in section.comparisons and publication.per != "province":
                problems.append(Problem(file, f"{where}.sections[{s}].comparisons", "province_vs_national kan alleen in een publicatie met per: province"))
    return problems


def _units(structure: Structure, q: Questionnaire) -> list[dict[str, str | None]]:
    """Every combination of stratum values a unit of this questionnaire can have. An
    organisation has no group, role or gender, and the layer and strata of its chair."""
    groups = {g.code: g for g in structure.groups}
    axes = {"province": [c.code for c in structure.provinces], "size_class": [c.code for c in structure.size_classes]}
    out = []
    for group in (groups[code] for code in q.groups if code in groups):
        person = q.unit is Unit.RESPONDENT
        genders = [c.code for c in structure.genders] if person else [None]
        provinces, sizes = (axes[a] if a in group.strata else [None] for a in ("province", "size_class"))
        for gender, province, size in product(genders, provinces, sizes):
            out.append({
                "group": group.code if person else None,
                "role": group.role.value if person else None,
                "layer": group.layer,
                "gender": gender,
                "province": province,
                "size_class": size,
            })
    return out

"""What the demo's parameters make of the frame before any sampling: the expected number of
respondents per group, and the population share of victims. Tests compare the drawn data
and the pipeline's estimates with these, with a margin from the data's own sampling error,
instead of with numbers copied from one run."""

from __future__ import annotations

from miv.definition import Monitor, Unit
from miv.demo.fieldwork import _organisations, _people, _rate
from miv.demo.parameters import load_parameters
from miv.demo.prevalence import key, prevalence


def expected_respondents(monitor: Monitor, year: int, code: str) -> dict[str, float]:
    """Expected respondents per group (per chair group for organisations): invited x rate."""
    edition = monitor.editions[year]
    q = edition.questionnaires[code]
    params = load_parameters(edition, monitor.structure).questionnaires[code]
    cells = _organisations(q, edition.frame.strata) if q.unit is Unit.ORGANISATION else _people(q, edition.frame.strata, params)
    out: dict[str, float] = {}
    for (group, gender, province, size_class), invited in cells:
        out[group] = out.get(group, 0.0) + invited * _rate(params, group, gender, province, size_class)
    return out


def victim_share(monitor: Monitor, year: int, code: str, groups: set[str] | None = None, gender: str | None = None) -> float:
    """The population share with the trait `slachtoffer` (met aggression) over the frame's
    members of `groups` (all of the questionnaire's groups when None), of one gender or both."""
    edition = monitor.editions[year]
    q = edition.questionnaires[code]
    trait = load_parameters(edition, monitor.structure).questionnaires[code].traits["slachtoffer"]
    strata = [s for s in edition.frame.strata if s.group in q.groups]
    p = prevalence(strata, trait.share, trait.odds)
    chosen = [s for s in strata if (groups is None or s.group in groups) and (gender is None or s.gender == gender) and s.population]
    return sum(p[key(s)] * s.population for s in chosen) / sum(s.population for s in chosen)

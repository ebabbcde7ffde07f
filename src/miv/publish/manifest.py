"""manifest.json: what an edition's publications were made from and what was withheld,
enough for a reader to recompute any figure (inputs, rules, method, decisions)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from miv.definition import Monitor
from miv.definition.checks import rule_missing
from miv.publish.disclosure import Disclosure
from miv.publish.results import Results

WEIGHTS_FILE = "gewichten.csv"


def sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def definition_hash(monitor: Monitor) -> str:
    """sha256 of the definition's content (every model field, not the files' layout), so a
    reader can tell whether the definition they hold is the one the figures were made with."""
    return hashlib.sha256(monitor.model_dump_json().encode("utf-8")).hexdigest()


def manifest(results: Results, disclosure: Disclosure, outputs: list[Path], target: Path) -> None:
    editions = [e for e in (results.previous, results.edition) if e is not None]
    data = {
        "monitor": results.monitor.name,
        "edition": results.edition,
        "previous_edition": results.previous,
        "definition_version": results.definition_version,
        "definition_sha256": definition_hash(results.monitor),
        "code_version": results.code_version,
        "notice": results.notice,
        "inputs": results.inputs,
        "method": results.method,
        "weights": {
            "file": WEIGHTS_FILE if results.weights.height else None,
            "columns": "edition, questionnaire, respondent_id, weight: het gekalibreerde gewicht van elke respondent",
        },
        "missing_codes": {
            str(e): {code: rule_missing(q) for code, q in results.monitor.editions[e].questionnaires.items()} for e in editions
        },
        "how_to_recompute": (
            "Elk cijfer in de HTML draagt in data-cell de sleutel publication|per_value|indicator|breakdown|domain|edition "
            "van zijn rij in estimates.csv. Die rij is het gewogen aandeel respondenten in de populatie van de publicatie "
            "(publications[].population, per_value voor de per-variabele) en het domein (breakdown = domain) waarvoor de "
            "indicatorregel waar is, onder hen voor wie de regel bepaald is en die binnen het universum vallen "
            "(indicators[].rules, in deze volgorde: een universum mag een eerdere indicator noemen). Vooraf zijn de codes "
            "in missing_codes leeg gemaakt (onbekend). Gewichten: weights.file. Samengevoegde groepen (a+b): alle "
            "respondenten van de leden samen, zie disclosure. `miv verify <map>` doet dit voor elk cijfer."
        ),
        "indicators": {
            i.code: {
                "label": i.label,
                "part": i.part.value,
                "questionnaire": i.questionnaire,
                "denominator": i.denominator.value,
                "denominator_label": i.denominator_label,
                "rules": {str(e): _rule(i, e) for e in editions},
            }
            for i in results.monitor.indicators
        },
        "publications": {p.slug: {"title": p.title, "kind": p.kind.value, "population": p.population, "per": p.per} for p in results.monitor.publications},
        "weighting": results.weighting.to_dicts(),
        "disclosure": {
            "policy": {
                "min_respondents": disclosure.policy.min_respondents,
                "small_group": disclosure.policy.small_group,
                "tiny_population": disclosure.policy.tiny_population,
            },
            "decisions": [d.as_dict() for d in disclosure.decisions],
        },
        "comparisons": disclosure.comparisons.to_dicts(),
        "trend": results.trend.to_dicts(),
        "trend_breaks": results.breaks.to_dicts(),
        "models": results.models.to_dicts(),
        "fieldwork": {
            "file": results.fieldwork_file,
            "columns": "questionnaire, group, layer, invited: het aantal uitgenodigden; responded telt de respondenten in de databestanden",
            "response": results.fieldwork.to_dicts(),
        },
        "outputs": {p.relative_to(target.parent).as_posix(): sha256(p) for p in sorted(outputs)},
    }
    target.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def _rule(indicator, edition: int) -> dict:
    override = indicator.editions.get(edition)
    return {
        "rule": override.rule if override and override.rule else indicator.rule,
        "universe": override.universe if override and override.universe else indicator.universe,
        "trend_break": indicator.trend_break(edition),
    }

"""A reader recomputes a published figure from respondent data with nothing but manifest.json:
the publication's population, the indicator's rule and universe for the edition, the weights."""

from __future__ import annotations

import csv
import json
import random

import polars as pl

from miv.definition import parse
from miv.publish import Results, write_publications
from miv.publish.results import COMPARISON_SCHEMA, TREND_SCHEMA, empty

FORMS = ["AG_VERBAAL", "AG_INTIMIDATIE", "AG_BEDREIGING", "AG_BEDREIGING_NAASTEN", "AG_FYSIEK", "AG_VERNIELING", "AG_STALKING"]


def _respondents(seed: int = 3) -> list[dict]:
    rng = random.Random(seed)
    people = []
    for i in range(400):
        group = rng.choice(["burgemeester", "wethouder", "raadslid"])
        answers = {form: rng.choice([1, 2, 2, 2, 99, None]) for form in FORMS}
        people.append({"respondent_id": str(i), "group": group, "role": "bestuurder" if group != "raadslid" else "volksvertegenwoordiger",
                       "layer": "gemeente", "weight": rng.uniform(1.0, 30.0), **answers})
    return people


def _value(answer):
    return None if answer in (98, 99, -1) else answer  # missing codes are None to the rules


def _estimate(people, population: str | None, rule: str, universe: str | None) -> tuple[float, int]:
    population_rule = parse(population) if population else None
    rule_e, universe_e = parse(rule), parse(universe) if universe else None
    numerator = denominator = 0.0
    n = 0
    for person in people:
        row = {k: _value(v) for k, v in person.items()}
        if population_rule is not None and population_rule.evaluate(row) is not True:
            continue
        if universe_e is not None and universe_e.evaluate(row) is not True:
            continue
        truth = rule_e.evaluate(row)
        if truth is None:
            continue
        numerator += person["weight"] * truth
        denominator += person["weight"]
        n += 1
    return numerator / denominator, n


def test_manifest_rules_recompute_the_published_figure(monitor, tmp_path):
    people = _respondents()
    pub = next(p for p in monitor.publications if p.slug == "factsheet-burgemeesters")
    indicator = next(i for i in monitor.indicators if i.code == "agressie_totaal")
    rows = []
    for edition in (2022, 2024):
        rule, universe = indicator.for_edition(edition)
        estimate, n = _estimate(people, pub.population, rule.source, universe.source if universe else None)
        rows.append({"publication": pub.slug, "section": 0, "per_value": None, "indicator": indicator.code, "breakdown": "totaal",
                     "domain": "totaal", "edition": edition, "estimate": estimate, "se": 0.03, "ci_low": estimate - 0.06,
                     "ci_high": estimate + 0.06, "n": n, "weighted_n": float(n)})
    results = Results(
        monitor, 2024, pl.DataFrame(rows), empty(COMPARISON_SCHEMA),
        pl.DataFrame({"group": ["burgemeester"], "n": [130], "population": [341], "weight_min": [1.0], "weight_max": [30.0], "deff": [1.3], "cells": [1], "min_cell_n": [130]}),
        inputs={"respondenten.csv": "0" * 64}, trend=empty(TREND_SCHEMA),
    )
    out = tmp_path / "2024"
    write_publications(results, out, with_pdf=False)

    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    with (out / "estimates.csv").open(encoding="utf-8") as handle:
        published = next(r for r in csv.DictReader(handle) if r["key"] == f"{pub.slug}||agressie_totaal|totaal|totaal|2024")
    rules = manifest["indicators"]["agressie_totaal"]["rules"]["2024"]
    again, n = _estimate(people, manifest["publications"][pub.slug]["population"], rules["rule"], rules["universe"])
    assert float(published["estimate"]) == again and int(published["n"]) == n
    html = (out / "factsheet-burgemeesters.html").read_text(encoding="utf-8")
    assert f'value="{again!r}" data-cell="{published["key"]}"' in html

import math

import polars as pl
import pytest

from miv.publish import Policy, Results, disclose
from miv.publish.results import COMPARISON_SCHEMA, TREND_SCHEMA, empty


def _cell(pub, breakdown, domain, estimate, n, section=0, edition=2024, indicator="agressie_totaal", se=0.02, wn=None):
    return {
        "publication": pub, "section": section, "per_value": None, "indicator": indicator, "breakdown": breakdown,
        "domain": domain, "edition": edition, "estimate": estimate, "se": se, "ci_low": max(0.0, estimate - 0.04),
        "ci_high": min(1.0, estimate + 0.04), "n": n, "weighted_n": wn if wn is not None else n * 2.0,
    }


def _results(monitor, rows, comparisons=None):
    return Results(
        monitor, 2024, pl.DataFrame(rows, infer_schema_length=None),
        pl.DataFrame(comparisons, schema=COMPARISON_SCHEMA) if comparisons else empty(COMPARISON_SCHEMA),
        pl.DataFrame({"group": ["raadslid"], "n": [1], "population": [1], "weight_min": [1.0], "weight_max": [1.0], "deff": [1.0], "cells": [1], "min_cell_n": [1]}),
        trend=empty(TREND_SCHEMA),
    )


def _reasons(disclosure):
    return {(r["publication"], r["breakdown"], r["domain"]): r["suppressed"] for r in disclosure.estimates.iter_rows(named=True)}


def test_fewer_than_minimum_respondents_is_hidden_with_its_complement(monitor):
    rows = [_cell("p", "totaal", "totaal", 0.4, 400), _cell("p", "gender", "vrouw", 0.5, 9), _cell("p", "gender", "man", 0.39, 391)]
    d = disclose(_results(monitor, rows))
    reasons = _reasons(d)
    assert reasons[("p", "gender", "vrouw")] == "minder dan 10 respondenten"
    assert "niet uit het totaal" in reasons[("p", "gender", "man")]
    assert reasons[("p", "totaal", "totaal")] is None
    hidden = d.estimates.filter(pl.col("suppressed").is_not_null())
    assert hidden["estimate"].is_null().all() and hidden["n"].is_null().all() and hidden["ci_low"].is_null().all()
    assert {x.rule for x in d.decisions} == {"minimum", "complementair"}


def test_minimum_comes_from_the_definition_and_policy(monitor):
    rows = [_cell("p", "totaal", "totaal", 0.4, 12)]
    assert _reasons(disclose(_results(monitor, rows)))[("p", "totaal", "totaal")] is None
    assert _reasons(disclose(_results(monitor, rows), Policy(min_respondents=20)))[("p", "totaal", "totaal")] is not None


def test_zero_and_hundred_percent_in_small_groups_are_hidden(monitor):
    rows = [
        _cell("p", "totaal", "totaal", 0.0, 40), _cell("q", "totaal", "totaal", 1.0, 30),
        _cell("r", "totaal", "totaal", 0.0, 500), _cell("s", "totaal", "totaal", 0.03, 40),
    ]
    reasons = _reasons(disclose(_results(monitor, rows)))
    assert reasons[("p", "totaal", "totaal")].startswith("0% of 100%")
    assert reasons[("q", "totaal", "totaal")].startswith("0% of 100%")
    assert reasons[("r", "totaal", "totaal")] is None
    assert reasons[("s", "totaal", "totaal")] is None


def test_kings_commissioners_are_published_with_the_gedeputeerden(monitor):
    rows = [
        _cell("p", "totaal", "totaal", 0.4, 600),
        _cell("p", "group", "cdk", 0.5, 8, wn=10.0, se=0.1),
        _cell("p", "group", "gedeputeerde", 0.2, 40, wn=70.0, se=0.05),
        _cell("p", "group", "statenlid", 0.41, 552, wn=560.0),
    ]
    d = disclose(_results(monitor, rows))
    merged = d.estimates.filter(pl.col("domain") == "cdk+gedeputeerde").row(0, named=True)
    assert merged["estimate"] == pytest.approx((10 * 0.5 + 70 * 0.2) / 80)
    assert merged["se"] == pytest.approx(math.sqrt((10 / 80) ** 2 * 0.01 + (70 / 80) ** 2 * 0.0025))
    assert merged["n"] == 48 and merged["suppressed"] is None
    assert set(d.estimates["domain"]) == {"totaal", "cdk+gedeputeerde", "statenlid"}
    assert sorted(x.domain for x in d.decisions if x.rule == "samengevoegd") == ["cdk", "gedeputeerde"]


def test_same_cell_gets_the_same_decision_in_every_publication(monitor):
    rows = [
        _cell("rapport", "totaal", "totaal", 0.40, 900),
        _cell("rapport", "gender", "vrouw", 0.55, 8),
        _cell("rapport", "gender", "man", 0.37, 892),
        _cell("factsheet", "totaal", "totaal", 0.37, 892),  # the men, as another publication's population
    ]
    reasons = _reasons(disclose(_results(monitor, rows)))
    assert reasons[("rapport", "gender", "man")] is not None
    assert reasons[("factsheet", "totaal", "totaal")] == "dezelfde cel is in een andere uitgave verborgen"


def test_comparisons_with_a_hidden_side_are_dropped(monitor):
    rows = [
        _cell("p", "totaal", "totaal", 0.4, 900), _cell("p", "totaal", "totaal", 0.5, 900, edition=2022),
        _cell("p", "gender", "vrouw", 0.5, 5), _cell("p", "gender", "man", 0.39, 895),
    ]
    comparison = {"publication": "p", "per_value": None, "indicator": "agressie_totaal", "estimate": 0.5, "reference_estimate": 0.39, "difference": 0.11, "se": 0.05, "p_value": 0.01}
    kept = {**comparison, "kind": "previous_edition", "breakdown": "totaal", "domain": "totaal", "reference": "2022"}
    dropped = {**comparison, "kind": "gender", "breakdown": "gender", "domain": "vrouw", "reference": "man"}
    d = disclose(_results(monitor, rows, [kept, dropped]))
    assert d.comparisons["kind"].to_list() == ["previous_edition"]
    assert any(x.rule == "vergelijking_vervalt" for x in d.decisions)


def test_a_cell_outside_the_question_is_nvt_and_hides_nothing_else(monitor):
    """Mayors are not asked about their own chair's duty of care: their cell is n.v.t., and
    that is no secret to protect, so the aldermen stay published."""
    rows = [
        _cell("p", "totaal", "totaal", 0.6, 3200, indicator="zorgplicht_voldoende"),
        {**_cell("p", "group", "burgemeester", 0.0, 0, indicator="zorgplicht_voldoende"), "estimate": None, "se": None, "weighted_n": 0.0},
        _cell("p", "group", "wethouder", 0.55, 600, indicator="zorgplicht_voldoende"),
        _cell("p", "group", "raadslid", 0.61, 2600, indicator="zorgplicht_voldoende"),
    ]
    d = disclose(_results(monitor, rows))
    rules = {r["domain"]: r["rule"] for r in d.estimates.iter_rows(named=True)}
    assert rules == {"totaal": None, "burgemeester": "nvt", "wethouder": None, "raadslid": None}
    assert not any(x.rule == "complementair" for x in d.decisions)


def test_a_merged_group_at_zero_percent_gets_an_exact_interval(monitor):
    """0% in a merged tiny group has no design variance: the interval is Clopper-Pearson's
    with the respondents, not the collapsed [0%, 0%] of estimate +/- 1.96 se."""
    rows = [
        _cell("p", "totaal", "totaal", 0.1, 600, indicator="agressie_fysiek"),
        _cell("p", "group", "cdk", 0.0, 8, wn=10.0, se=0.0, indicator="agressie_fysiek"),
        _cell("p", "group", "gedeputeerde", 0.0, 60, wn=70.0, se=0.0, indicator="agressie_fysiek"),
        _cell("p", "group", "statenlid", 0.11, 532, wn=560.0, indicator="agressie_fysiek"),
    ]
    d = disclose(_results(monitor, rows))
    merged = d.estimates.filter(pl.col("domain") == "cdk+gedeputeerde").row(0, named=True)
    assert merged["estimate"] == 0.0 and merged["n"] == 68 and merged["suppressed"] is None
    assert merged["ci_low"] == 0.0 and merged["ci_high"] == pytest.approx(1 - 0.025 ** (1 / 68))


def test_a_merged_group_interval_is_korn_graubard(monitor):
    from scipy import stats

    rows = [_cell("p", "totaal", "totaal", 0.4, 600), _cell("p", "group", "cdk", 0.5, 8, wn=10.0, se=0.1),
            _cell("p", "group", "gedeputeerde", 0.2, 40, wn=70.0, se=0.05), _cell("p", "group", "statenlid", 0.41, 552, wn=560.0)]
    merged = disclose(_results(monitor, rows)).estimates.filter(pl.col("domain") == "cdk+gedeputeerde").row(0, named=True)
    p, se, n = merged["estimate"], merged["se"], 48
    n_eff = p * (1 - p) / se**2 * (stats.t.ppf(0.025, n - 1) / stats.t.ppf(0.025, n - 2)) ** 2
    assert merged["ci_low"] == pytest.approx(stats.beta.ppf(0.025, n_eff * p, n_eff * (1 - p) + 1))
    assert merged["ci_high"] == pytest.approx(stats.beta.ppf(0.975, n_eff * p + 1, n_eff * (1 - p)))

"""Synthetic `Results` built from the real definition: every publication, section, indicator,
breakdown and domain the definition asks for, with seeded figures. Small groups get small n
(the 12 King's Commissioners, the provinces' mayors), so disclosure control has work to do."""

from __future__ import annotations

import math
import random
from collections import defaultdict

import polars as pl

from miv.definition import Monitor
from miv.publish import Results
from miv.publish.results import TOTAL

NEW = "steun_online"  # pretended new in this edition: no figure for the previous one
BREAKDOWN_FIELD = {"group": "group", "gender": "gender", "layer": "layer", "role": "role", "province": "province", "size_class": "size_class"}


def _domains(monitor: Monitor, edition: int, questionnaire: str, breakdown: str) -> list[str]:
    s = monitor.structure
    groups = [g for g in s.groups if g.code in monitor.editions[edition].questionnaires[questionnaire].groups]
    if breakdown == "group":
        return [g.code for g in groups] if questionnaire != "organisaties" else []
    if breakdown == "gender":
        return [c.code for c in s.genders] if questionnaire != "organisaties" else []
    if breakdown == "layer":
        return sorted({g.layer for g in groups}) if groups else [c.code for c in s.layers]
    if breakdown == "role":
        return sorted({g.role.value for g in groups})
    if breakdown == "province":
        return [c.code for c in s.provinces]
    if breakdown == "size_class":
        return [c.code for c in s.size_classes]
    raise ValueError(breakdown)


def _n(rng: random.Random, breakdown: str, domain: str, per: str | None) -> int:
    base = {"cdk": 7, "dijkgraaf": 12, "gedeputeerde": 40, "db-lid": 45, "burgemeester": 180}.get(domain, 600)
    if breakdown == TOTAL:
        base = 1500
    if per is not None:
        base = max(3, base // 12 if breakdown == TOTAL else base // 40)
    return max(0, int(base * rng.uniform(0.6, 1.1)))


def results(monitor: Monitor, edition: int = 2024, seed: int = 7) -> Results:
    rng = random.Random(seed)
    previous = monitor.editions[edition].previous
    indicators = {i.code: i for i in monitor.indicators}
    truth: dict[tuple, float] = {}
    rows, comparisons = [], []
    for pub in monitor.publications:
        pers = [c.code for c in monitor.structure.provinces] if pub.per == "province" else [None]
        for per in pers:
            for index, section in enumerate(pub.sections):
                for code in section.indicators:
                    q = indicators[code].questionnaire
                    cells = [(TOTAL, TOTAL)] + [(b, d) for b in section.breakdowns for d in _domains(monitor, edition, q, b)]
                    for breakdown, domain in cells:
                        for ed in [e for e in (previous, edition) if e is not None and (e, code) != (previous, NEW)]:
                            key = (pub.slug, per, code, breakdown, domain, ed)
                            if key not in truth:
                                truth[key] = (rng.uniform(0.02, 0.8), _n(rng, breakdown, domain, per))
                            p, n = truth[key]
                            if domain == "cdk" and code == "agressie_fysiek":
                                p = 0.0
                            se = math.sqrt(p * (1 - p) / max(n, 1)) * 1.2
                            rows.append({
                                "publication": pub.slug, "section": index, "per_value": per, "indicator": code,
                                "breakdown": breakdown, "domain": domain, "edition": ed,
                                "estimate": p if n > 0 else None, "se": se, "ci_low": max(0.0, p - 1.96 * se),
                                "ci_high": min(1.0, p + 1.96 * se), "n": n, "weighted_n": n * 3.7,
                            })
                    comparisons.extend(_comparisons(pub.slug, per, code, section, cells, truth, edition, previous))
    unique = {(c["publication"], c["per_value"], c["indicator"], c["kind"], c["breakdown"], c["domain"]): c for c in comparisons}
    weighting = pl.DataFrame([
        {"group": g.code, "n": 100, "population": 1000, "weight_min": 2.5, "weight_max": 18.25, "deff": 1.31, "cells": 24, "min_cell_n": 3}
        for g in monitor.structure.groups
    ])
    trend = pl.DataFrame([
        {"publication": "rapport-veiligheid", "per_value": None, "indicator": "agressie_totaal", "breakdown": TOTAL, "domain": TOTAL, "edition": year, "estimate": value, "source": f"Monitor {year}", "trend_break": year == 2020}
        for year, value in ((2016, 0.27), (2018, 0.29), (2020, 0.35))
    ])
    return Results(
        monitor=monitor, edition=edition, estimates=pl.DataFrame(rows, infer_schema_length=None), comparisons=pl.DataFrame(list(unique.values()), infer_schema_length=None),
        weighting=weighting, inputs={"respondenten-2024.sav": "ab" * 32, "respondenten-2022.sav": "cd" * 32},
        code_version="0.1.0-test", trend=trend,
        method={"weging": "Kalibratie binnen elke doelgroep op het steekproefkader.", "variantie": "Taylor-linearisatie.", "toets": "Tweezijdige z-toets, p < 0,05."},
    )


def _comparisons(pub, per, code, section, cells, truth, edition, previous) -> list[dict]:
    out = []
    kinds = {c.value for c in section.comparisons}

    def row(kind, breakdown, domain, reference, a, b, p_value):
        return {"publication": pub, "per_value": per, "indicator": code, "kind": kind, "breakdown": breakdown, "domain": domain,
                "reference": reference, "estimate": a, "reference_estimate": b, "difference": a - b, "se": 0.02, "p_value": p_value}

    by_breakdown = defaultdict(list)
    for breakdown, domain in cells:
        by_breakdown[breakdown].append(domain)
    for breakdown, domain in cells:
        now = truth[(pub, per, code, breakdown, domain, edition)][0]
        if previous is not None and code != NEW:
            then = truth[(pub, per, code, breakdown, domain, previous)][0]
            out.append(row("previous_edition", breakdown, domain, str(previous), now, then, 0.001 if abs(now - then) > 0.1 else 0.4))
        if "group_vs_all" in kinds and breakdown in ("group", TOTAL):
            total = truth[(pub, per, code, TOTAL, TOTAL, edition)][0]
            out.append(row("group_vs_all", breakdown, domain, TOTAL, now, total * 0.9, 0.01 if domain != "wethouder" else 0.3))
        if "province_vs_national" in kinds and breakdown == TOTAL:
            out.append(row("province_vs_national", TOTAL, TOTAL, "nationaal", now, 0.45, 0.02 if abs(now - 0.45) > 0.15 else 0.5))
    if "gender" in kinds and "vrouw" in by_breakdown.get("gender", []):
        a = truth[(pub, per, code, "gender", "vrouw", edition)][0]
        b = truth[(pub, per, code, "gender", "man", edition)][0]
        out.append(row("gender", "gender", "vrouw", "man", a, b, 0.003 if abs(a - b) > 0.1 else 0.6))
    return out

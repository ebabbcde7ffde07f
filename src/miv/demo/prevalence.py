"""Prevalence per stratum: the probability of a trait or a 'yes' that makes the
frame-weighted population share equal to a documented figure.

A share is given for a whole population (or per group) together with odds ratios per
stratum variable; the level is solved on the population frame, so the generator hits
the population figure however unequal the strata's sizes and response rates are.
"""

from __future__ import annotations

import math

from scipy.optimize import brentq
from scipy.special import expit

from miv.definition import Stratum

StratumKey = tuple[str, str, str | None, str | None]  # group, gender, province, size_class


def key(stratum: Stratum) -> StratumKey:
    return (stratum.group, stratum.gender, stratum.province, stratum.size_class)


def prevalence(strata: list[Stratum], share: float | dict[str, float], odds: dict[str, dict[str, float]]) -> dict[StratumKey, float]:
    """Probability per stratum: logistic in the odds ratios, its level solved so that the
    population-weighted mean is `share` (per group when `share` maps groups to shares)."""
    offsets = {key(s): sum(math.log(ratios.get(getattr(s, name) or "", 1.0)) for name, ratios in odds.items()) for s in strata}
    if isinstance(share, dict):
        parts = [([s for s in strata if s.group == group], target) for group, target in share.items()]
    else:
        parts = [(strata, share)]
    out: dict[StratumKey, float] = {}
    for members, target in parts:
        sizes = [(key(s), s.population) for s in members if s.population > 0]
        total = sum(n for _, n in sizes)

        def gap(level: float, sizes: list = sizes, total: int = total, target: float = target) -> float:
            return sum(n * expit(level + offsets[k]) for k, n in sizes) / total - target

        level = brentq(gap, -30.0, 30.0)
        out.update({k: float(expit(level + offsets[k])) for k, _ in sizes})
    return out

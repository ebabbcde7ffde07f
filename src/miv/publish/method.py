"""The parameters the plain-Dutch method chapter states, taken from the run that made the figures.

Why: a method text that says "95%" or "minder dan 10 respondenten" in a template goes stale the
day a setting changes. Every number and list the chapter names comes from here: the intervals'
level (Results.level), the significance level (narrative.ALPHA), the disclosure policy, the
weighting's pooling threshold and calibration variables (Results.pooling and the weighting
table's `margins`), the NCHS reliability thresholds, and the indicators with a trend break in
this edition (the definition). The technical detail is Results.method, shown in the annex.
"""

from __future__ import annotations

from dataclasses import dataclass

from miv.publish import reliability
from miv.publish.narrative import ALPHA
from miv.publish.number import number
from miv.publish.results import Results

MARGINS = {"gender": "geslacht", "province": "provincie", "size_class": "gemeentegrootte", "layer": "bestuurslaag"}


@dataclass(frozen=True)
class Plain:
    level: str  # "95"
    alpha: str  # "5" (percent)
    pooling: int | None
    margins: str  # "geslacht en, voor een deel van de doelgroepen, provincie en gemeentegrootte"
    breaks: list[str]  # short names of indicators with a trend break in this edition
    tiny: list[str]  # target groups too small to publish on their own
    min_effective_n: int = reliability.MIN_EFFECTIVE_N
    max_width: str = number(reliability.MAX_WIDTH * 100)
    max_relative: str = number(reliability.MAX_RELATIVE_WIDTH * 100)
    min_df: int = reliability.MIN_DF


def plain(results: Results, tiny_population: int) -> Plain:
    used = [set(filter(None, (row["margins"] or "").split(","))) for row in results.weighting.iter_rows(named=True) if row["margins"] is not None]
    always = set.intersection(*used) if used else set()
    some = set.union(*used) - always if used else set()
    order = list(MARGINS)

    def names(codes: set[str]) -> str:
        return join([MARGINS.get(c, c) for c in sorted(codes, key=lambda c: order.index(c) if c in order else len(order))])
    margins = names(always) + (f" en, voor een deel van de doelgroepen, {names(some)}" if some and always else names(some) if some else "")
    published = {code for p in results.monitor.publications for s in p.sections for code in s.indicators}
    breaks = [i.short or i.label.lower() for i in results.monitor.indicators if i.code in published and i.trend_break(results.edition)]
    frame = results.monitor.editions[results.edition].frame
    sizes: dict[str, int] = {}
    for stratum in frame.strata:
        sizes[stratum.group] = sizes.get(stratum.group, 0) + stratum.population
    tiny = [g.plural for g in results.monitor.structure.groups if 0 < sizes.get(g.code, 0) < tiny_population]
    return Plain(number(results.level * 100), number(ALPHA * 100), results.pooling, margins, list(dict.fromkeys(breaks)), tiny)


def join(items: list[str]) -> str:
    """'a', 'a en b', 'a, b en c'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " en " + items[-1] if items else ""

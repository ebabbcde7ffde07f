"""Estimates and comparisons for every publication cell, from the weighted designs.

Each publication selects its population with a rule; each section asks for indicators
by breakdowns. A population is a domain of the full design (rows outside it stay in the
design with zero influence, as R's svyby does), never a filtered copy of the data.
Proportions get Korn-Graubard ("beta") intervals: the monitor publishes small groups
(12 King's Commissioners, 21 dijkgraven) and shares near 0%, where Wald and logit
intervals fail.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import polars as pl
from scipy import special

from miv.definition import Monitor, Publication, parse
from miv.definition.models import Comparison
from miv.intake import to_polars
from miv.publish.results import COMPARISON_SCHEMA, ESTIMATE_SCHEMA, TOTAL
from miv.survey import CIMethod, Design, domain_difference, proportion

CI = CIMethod.BETA
LEVEL = 0.95  # of every interval; the publications' method text reads it from Results.level
IN, OUT = "in", "uit"


@dataclass(frozen=True)
class Cell:
    """One (publication, per value, section) and the population rule that selects its rows."""

    publication: Publication
    section: int
    per_value: str | None
    population: pl.Expr | None
    national: pl.Expr | None  # the publication's population without the `per` filter


def cells(monitor: Monitor) -> Iterator[Cell]:
    """Every publication section, once per value of the publication's `per` variable."""
    levels = {"province": [p.code for p in monitor.structure.provinces], "layer": [x.code for x in monitor.structure.layers]}
    for publication in monitor.publications:
        base = to_polars(parse(publication.population)) if publication.population else None
        values = levels[publication.per] if publication.per else [None]
        for value in values:
            own = base
            if value is not None:
                own = pl.col(publication.per) == value if base is None else base & (pl.col(publication.per) == value)
            for index in range(len(publication.sections)):
                yield Cell(publication, index, value, own, base)


class Estimator:
    """Computes and caches proportions per (questionnaire, population, breakdown) for one edition."""

    def __init__(self, monitor: Monitor, edition: int, designs: dict[str, Design]) -> None:
        self.monitor, self.edition, self.designs = monitor, edition, designs
        self.indicators = {i.code: i for i in monitor.indicators}
        self._cache: dict[tuple, pl.DataFrame] = {}

    def estimates(self, cell: Cell) -> pl.DataFrame:
        """Rows of ESTIMATE_SCHEMA for the section's indicators, in total and by each breakdown."""
        section = cell.publication.sections[cell.section]
        parts = []
        for questionnaire, codes in self._by_questionnaire(section.indicators).items():
            for breakdown in (TOTAL, *section.breakdowns):
                table = self._proportions(questionnaire, cell.population, breakdown, codes)
                if table is None:
                    continue
                parts.append(
                    table.select(
                        pl.lit(cell.publication.slug).alias("publication"),
                        pl.lit(cell.section).alias("section"),
                        pl.lit(cell.per_value, dtype=pl.Utf8).alias("per_value"),
                        pl.col("variable").alias("indicator"),
                        pl.lit(breakdown).alias("breakdown"),
                        (pl.lit(TOTAL) if breakdown == TOTAL else pl.col(breakdown).cast(pl.Utf8)).alias("domain"),
                        pl.lit(self.edition).alias("edition"),
                        "estimate", "se", "ci_low", "ci_high", "n", "weighted_n", "df",
                    )
                )
        return _concat(parts, ESTIMATE_SCHEMA)

    def comparisons(self, cell: Cell) -> pl.DataFrame:
        """Within-edition tests the section asks for: women vs men, population vs a wider one."""
        section = cell.publication.sections[cell.section]
        parts = []
        for questionnaire, codes in self._by_questionnaire(section.indicators).items():
            design = self.designs[questionnaire]
            for kind in section.comparisons:
                if kind is Comparison.GENDER:
                    parts.append(self._gender(cell, design, codes))
                elif kind is Comparison.GROUP_VS_ALL:
                    parts.append(self._versus(cell, questionnaire, codes, kind, None, TOTAL))
                elif kind is Comparison.PROVINCE_VS_NATIONAL and cell.per_value is not None:
                    parts.append(self._versus(cell, questionnaire, codes, kind, cell.national, "nationaal"))
        return _concat([p for p in parts if p is not None], COMPARISON_SCHEMA)

    def _by_questionnaire(self, codes: list[str]) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for code in codes:
            questionnaire = self.indicators[code].questionnaire
            if questionnaire in self.designs:
                out.setdefault(questionnaire, []).append(code)
        return out

    def _proportions(self, questionnaire: str, population: pl.Expr | None, breakdown: str,
                     codes: list[str]) -> pl.DataFrame | None:
        key = (questionnaire, None if population is None else str(population), breakdown, tuple(codes))
        if key not in self._cache:
            design = self._domain(self.designs[questionnaire], population)
            by = ["_domain"] if breakdown == TOTAL else ["_domain", breakdown]
            if design.data["_domain"].null_count() == design.n or design.data[by[-1]].null_count() == design.n:
                self._cache[key] = None
            else:
                self._cache[key] = proportion(design, codes, by, ci=CI, level=LEVEL)
        return self._cache[key]

    def _domain(self, design: Design, population: pl.Expr | None, wider: pl.Expr | None = None) -> Design:
        """The design with `_domain` = "in" for the population and, when `wider` is given,
        "uit" for the rest of the wider population; null (no domain) elsewhere."""
        inside = pl.lit(True) if population is None else population.fill_null(False)
        column = pl.when(inside).then(pl.lit(IN))
        if wider is not None:
            column = column.when(wider.fill_null(False)).then(pl.lit(OUT))
        return design.update(_domain=column)

    def _gender(self, cell: Cell, design: Design, codes: list[str]) -> pl.DataFrame | None:
        inside = pl.lit(True) if cell.population is None else cell.population.fill_null(False)
        split = design.update(_compare=pl.when(inside).then(pl.col("gender")))
        if not {"vrouw", "man"} <= set(split.data["_compare"].drop_nulls().to_list()):
            return None
        test = domain_difference(split, codes, "_compare", "vrouw", "man")
        return _rows(cell, test, Comparison.GENDER.value, "gender", "vrouw", "man")

    def _versus(self, cell: Cell, questionnaire: str, codes: list[str], kind: Comparison,
                wider: pl.Expr | None, reference: str) -> pl.DataFrame | None:
        """Population against a wider population that contains it, tested as population versus
        the rest of the wider one (the same hypothesis, without the overlap). The difference
        reported is population minus wider; its SE is the rest-difference's SE times the
        rest's weighted share of the valid answers. That share is fixed by calibration only when
        everyone in the wider population answered; otherwise its own variance is left out (1e-5
        of the SE against R's exact linearisation on the demo data, docs/methodology.md)."""
        split = self._domain(self.designs[questionnaire], cell.population, wider if wider is not None else pl.lit(True))
        levels = set(split.data["_domain"].drop_nulls().unique().to_list())
        if levels != {IN, OUT}:
            return None
        test = domain_difference(split, codes, "_domain", IN, OUT)
        whole = self._proportions(questionnaire, wider, TOTAL, codes)  # the wider population's own figures, computed once
        assert whole is not None  # the wider population has rows: the split found them
        share = _rest_share(split, codes)
        test = test.join(whole.select("variable", whole="estimate"), on="variable").with_columns(
            estimate_b=pl.col("whole"),
            difference=pl.col("estimate_a") - pl.col("whole"),
            se=pl.col("se") * pl.Series(share),
        )
        return _rows(cell, test, kind.value, TOTAL, TOTAL, reference)


def _rest_share(split: Design, codes: list[str]) -> np.ndarray:
    """Weighted share of the rest among the wider population's valid answers, per indicator."""
    data = split.data
    w = split.weights
    rest = (data["_domain"] == OUT).fill_null(False).to_numpy()
    both = data["_domain"].is_not_null().to_numpy()
    out = []
    for code in codes:
        valid = data[code].is_not_null().to_numpy()
        out.append(w[rest & valid].sum() / max(w[both & valid].sum(), 1e-300))
    return np.array(out)


def _rows(cell: Cell, test: pl.DataFrame, kind: str, breakdown: str, domain: str, reference: str) -> pl.DataFrame:
    return test.select(
        pl.lit(cell.publication.slug).alias("publication"),
        pl.lit(cell.per_value, dtype=pl.Utf8).alias("per_value"),
        pl.col("variable").alias("indicator"),
        pl.lit(kind).alias("kind"),
        pl.lit(breakdown).alias("breakdown"),
        pl.lit(domain).alias("domain"),
        pl.lit(reference).alias("reference"),
        pl.col("estimate_a").alias("estimate"),
        pl.col("estimate_b").alias("reference_estimate"),
        "difference", "se", "p_value",
    )


def edition_changes(current: pl.DataFrame, previous: pl.DataFrame, wanted: pl.DataFrame) -> pl.DataFrame:
    """This edition against the previous one for the cells in `wanted` (publication, per_value,
    indicator, breakdown, domain): independent samples, so se = sqrt(se1^2 + se2^2), z test."""
    keys = ["publication", "per_value", "indicator", "breakdown", "domain"]
    joined = (
        current.join(wanted, on=keys, how="semi", nulls_equal=True)
        .unique(keys)
        .join(previous.unique(keys), on=keys, how="inner", suffix="_prev", nulls_equal=True)
        .filter(pl.col("estimate").is_not_null() & pl.col("estimate_prev").is_not_null())
    )
    se = (joined["se"] ** 2 + joined["se_prev"] ** 2).sqrt()
    difference = joined["estimate"] - joined["estimate_prev"]
    with np.errstate(invalid="ignore", divide="ignore"):
        p = 2 * special.ndtr(-np.abs(difference.to_numpy() / se.to_numpy()))
    p[se.to_numpy() == 0] = np.nan  # no sampling variance on either side: no test, not "significant"
    return joined.select(
        *keys[:3],
        pl.lit(Comparison.PREVIOUS_EDITION.value).alias("kind"),
        *keys[3:],
        pl.col("edition_prev").cast(pl.Utf8).alias("reference"),
        "estimate",
        pl.col("estimate_prev").alias("reference_estimate"),
    ).with_columns(difference=difference, se=se, p_value=pl.Series(p).fill_nan(None)).select(list(COMPARISON_SCHEMA))


def _concat(parts: list[pl.DataFrame], schema: dict) -> pl.DataFrame:
    typed = [p.select([pl.col(c).cast(t) for c, t in schema.items()]) for p in parts if p.height]
    return pl.concat(typed) if typed else pl.DataFrame(schema=schema)

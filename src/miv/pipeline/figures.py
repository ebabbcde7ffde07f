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


ESTIMATES = "estimates"
Key = tuple[str, str, str | None, str | None]
"""One computation: (ESTIMATES, questionnaire, population, breakdown) or (the test's Comparison
value, questionnaire, population, the wider population it is tested against or None), with the
populations as their rules' text."""


class Estimator:
    """Computes and caches the proportions and within-edition tests of one edition's cells.

    Each proportion table and test is computed once, for every indicator that any cell of the
    monitor asks of it: the sections of a publication (and the publications per province) ask
    the same populations and breakdowns for different indicators, and one call over all of them
    costs little more than one over a few. A cell then takes its indicators' rows."""

    def __init__(self, monitor: Monitor, edition: int, designs: dict[str, Design]) -> None:
        self.monitor, self.edition, self.designs = monitor, edition, designs
        self.indicators = {i.code: i for i in monitor.indicators}
        self._rules: dict[str | None, pl.Expr | None] = {None: None}
        self._wanted: dict[Key, dict[str, None]] = {}
        for cell in cells(monitor):
            for key, codes in self._keys(cell):
                self._wanted.setdefault(key, {}).update(dict.fromkeys(codes))
                if key[0] in (Comparison.GROUP_VS_ALL.value, Comparison.PROVINCE_VS_NATIONAL.value):  # needs the wider one's figures
                    self._wanted.setdefault((ESTIMATES, key[1], key[3], TOTAL), {}).update(dict.fromkeys(codes))
        self._done: dict[Key, dict[str, pl.DataFrame]] = {}
        self._splits: dict[tuple[str, str | None], Design] = {}

    def estimates(self, cell: Cell) -> pl.DataFrame:
        """Rows of ESTIMATE_SCHEMA for the section's indicators, in total and by each breakdown."""
        return _labelled(cell, self._rows(cell, estimates=True), ESTIMATE_SCHEMA)

    def comparisons(self, cell: Cell) -> pl.DataFrame:
        """Within-edition tests the section asks for: women vs men, population vs a wider one."""
        return _labelled(cell, self._rows(cell, estimates=False), COMPARISON_SCHEMA)

    def _rows(self, cell: Cell, estimates: bool) -> list[pl.DataFrame]:
        parts: list[pl.DataFrame] = []
        for key, codes in self._keys(cell):
            if (key[0] == ESTIMATES) is estimates:
                computed = self._computed(key)
                parts.extend(computed[code] for code in codes if code in computed)
        return parts

    def _keys(self, cell: Cell) -> Iterator[tuple[Key, list[str]]]:
        """The computations the cell shows, in its order, each with the cell's indicators."""
        section = cell.publication.sections[cell.section]
        population, national = self._rule(cell.population), self._rule(cell.national)
        for questionnaire, codes in self._by_questionnaire(section.indicators).items():
            for breakdown in (TOTAL, *section.breakdowns):
                yield (ESTIMATES, questionnaire, population, breakdown), codes
            for kind in section.comparisons:
                if kind is Comparison.GENDER or kind is Comparison.GROUP_VS_ALL:
                    yield (kind.value, questionnaire, population, None), codes
                elif kind is Comparison.PROVINCE_VS_NATIONAL and cell.per_value is not None:
                    yield (kind.value, questionnaire, population, national), codes

    def _rule(self, population: pl.Expr | None) -> str | None:
        """The population as text, to key computations by; the expression is kept for computing."""
        text = None if population is None else str(population)
        self._rules.setdefault(text, population)
        return text

    def _by_questionnaire(self, codes: list[str]) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for code in codes:
            questionnaire = self.indicators[code].questionnaire
            if questionnaire in self.designs:
                out.setdefault(questionnaire, []).append(code)
        return out

    def _computed(self, key: Key) -> dict[str, pl.DataFrame]:
        """The computation's rows per indicator (none when its population or breakdown has no rows)."""
        if key not in self._done:
            kind, questionnaire, population, other = key
            codes = list(self._wanted[key])
            if kind == ESTIMATES:
                table = self._proportions(questionnaire, population, str(other), codes)
            elif kind == Comparison.GENDER.value:
                table = self._gender(questionnaire, population, codes)
            else:
                table = self._versus(questionnaire, population, other, Comparison(kind), codes)
            self._done[key] = {} if table is None else _per_indicator(table, codes, ESTIMATE_SCHEMA if kind == ESTIMATES else COMPARISON_SCHEMA)
        return self._done[key]

    def _proportions(self, questionnaire: str, population: str | None, breakdown: str, codes: list[str]) -> pl.DataFrame | None:
        if (questionnaire, population) not in self._splits:  # once per population: each of its breakdowns asks the same
            self._splits[questionnaire, population] = self._domain(self.designs[questionnaire], self._rules[population])
        design = self._splits[questionnaire, population]
        by = ["_domain"] if breakdown == TOTAL else ["_domain", breakdown]
        if design.data["_domain"].null_count() == design.n or design.data[by[-1]].null_count() == design.n:
            return None
        return proportion(design, codes, by, ci=CI, level=LEVEL).select(
            pl.col("variable").alias("indicator"),
            pl.lit(breakdown).alias("breakdown"),
            (pl.lit(TOTAL) if breakdown == TOTAL else pl.col(breakdown).cast(pl.Utf8)).alias("domain"),
            pl.lit(self.edition, dtype=pl.Int32).alias("edition"),
            "estimate", "se", "ci_low", "ci_high", "n", "weighted_n", "df",
        )

    def _domain(self, design: Design, population: pl.Expr | None, wider: pl.Expr | None = None) -> Design:
        """The design with `_domain` = "in" for the population and, when `wider` is given,
        "uit" for the rest of the wider population; null (no domain) elsewhere."""
        inside = pl.lit(True) if population is None else population.fill_null(False)
        column = pl.when(inside).then(pl.lit(IN))
        if wider is not None:
            column = column.when(wider.fill_null(False)).then(pl.lit(OUT))
        return design.update(_domain=column)

    def _gender(self, questionnaire: str, population: str | None, codes: list[str]) -> pl.DataFrame | None:
        rule = self._rules[population]
        inside = pl.lit(True) if rule is None else rule.fill_null(False)
        split = self.designs[questionnaire].update(_compare=pl.when(inside).then(pl.col("gender")))
        if not {"vrouw", "man"} <= set(split.data["_compare"].drop_nulls().to_list()):
            return None
        test = domain_difference(split, codes, "_compare", "vrouw", "man")
        return _tested(test, Comparison.GENDER.value, "gender", "vrouw", "man")

    def _versus(self, questionnaire: str, population: str | None, wider: str | None, kind: Comparison,
                codes: list[str]) -> pl.DataFrame | None:
        """Population against a wider population that contains it (None: everyone), tested as
        population versus the rest of the wider one (the same hypothesis, without the overlap).
        The difference reported is population minus wider; its SE is the rest-difference's SE
        times the rest's weighted share of the valid answers. That share is fixed by calibration
        only when everyone in the wider population answered; otherwise its own variance is left
        out (1e-5 of the SE against R's exact linearisation on the demo data, docs/methodology.md)."""
        rule = self._rules[wider]
        split = self._domain(self.designs[questionnaire], self._rules[population], pl.lit(True) if rule is None else rule)
        levels = set(split.data["_domain"].drop_nulls().unique().to_list())
        if levels != {IN, OUT}:
            return None
        test = domain_difference(split, codes, "_domain", IN, OUT)
        whole = pl.concat(list(self._computed((ESTIMATES, questionnaire, wider, TOTAL)).values()))  # computed once
        share = _rest_share(split, codes)
        test = test.join(whole.select(variable="indicator", whole="estimate"), on="variable", maintain_order="left").with_columns(
            estimate_b=pl.col("whole"),
            difference=pl.col("estimate_a") - pl.col("whole"),
            se=pl.col("se") * pl.Series(share),
        )
        return _tested(test, kind.value, TOTAL, TOTAL, "nationaal" if kind is Comparison.PROVINCE_VS_NATIONAL else TOTAL)


def _rest_share(split: Design, codes: list[str]) -> np.ndarray:
    """Weighted share of the rest among the wider population's valid answers, per indicator."""
    data = split.data
    w = split.weights
    rest = (data["_domain"] == OUT).fill_null(False).to_numpy()
    both = data["_domain"].is_not_null().to_numpy()
    answered = ~np.isnan(split.floats(codes))  # the indicators as the test read them
    out = []
    for k in range(len(codes)):
        valid = answered[:, k]
        out.append(w[rest & valid].sum() / max(w[both & valid].sum(), 1e-300))
    return np.array(out)


def _tested(test: pl.DataFrame, kind: str, breakdown: str, domain: str, reference: str) -> pl.DataFrame:
    """A test's rows as COMPARISON_SCHEMA without the cell's columns."""
    return test.select(
        pl.col("variable").alias("indicator"),
        pl.lit(kind).alias("kind"),
        pl.lit(breakdown).alias("breakdown"),
        pl.lit(domain).alias("domain"),
        pl.lit(reference).alias("reference"),
        pl.col("estimate_a").alias("estimate"),
        pl.col("estimate_b").alias("reference_estimate"),
        "difference", "se", "p_value",
    )


CELL_COLUMNS = ("publication", "section", "per_value")


def _per_indicator(table: pl.DataFrame, codes: list[str], schema: dict[str, type[pl.DataType]]) -> dict[str, pl.DataFrame]:
    """A computation's rows, typed as in `schema` without the cell's columns, per indicator: the
    survey functions give each variable's rows together, one variable after the other."""
    typed = table.select(pl.col(c).cast(t) for c, t in schema.items() if c not in CELL_COLUMNS)
    size = typed.height // len(codes)
    assert typed["indicator"].gather_every(size).to_list() == codes, "rows not grouped by indicator"
    return {code: typed.slice(i * size, size) for i, code in enumerate(codes)}


def _labelled(cell: Cell, parts: list[pl.DataFrame], schema: dict[str, type[pl.DataType]]) -> pl.DataFrame:
    """The rows computed for the cell, with its publication, section and per value, in `schema`
    (columns inserted into one frame: a query per cell cost more than its computations)."""
    if not parts:
        return pl.DataFrame(schema=schema)
    frame = pl.concat(parts).clone()  # a new frame even for one part, which stays as computed
    values = {"publication": cell.publication.slug, "section": cell.section, "per_value": cell.per_value}
    for position, column in enumerate(schema):
        if column in values:
            frame.insert_column(position, pl.Series(column, [values[column]] * frame.height, dtype=schema[column]))
    return frame


def edition_changes(current: pl.DataFrame, previous: pl.DataFrame, wanted: pl.DataFrame) -> pl.DataFrame:
    """This edition against the previous one for the cells in `wanted` (publication, per_value,
    indicator, breakdown, domain): independent samples, so se = sqrt(se1^2 + se2^2), z test."""
    keys = ["publication", "per_value", "indicator", "breakdown", "domain"]
    joined = (
        current.join(wanted, on=keys, how="semi", nulls_equal=True, maintain_order="left")
        .unique(keys, keep="first", maintain_order=True)
        .join(previous.unique(keys, keep="first", maintain_order=True), on=keys, how="inner", suffix="_prev", nulls_equal=True,
              maintain_order="left")
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

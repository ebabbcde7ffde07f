"""The content of one publication, independent of format: sections, tables, sentences.

HTML, PDF, Markdown and the workbook all render these objects, so each figure is chosen
and formatted once, after disclosure control, and every output shows the same thing."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import polars as pl

from miv.definition import Indicator, Publication
from miv.definition.models import Chart as ChartKind
from miv.definition.models import Comparison, PublicationKind, Section
from miv.publish.disclosure import Disclosure
from miv.publish.labels import Labels
from miv.publish.models import ModelSentences
from miv.publish.narrative import Figure, Sentence, change, contrast, level, significant
from miv.publish.number import interval
from miv.publish.opening import Change, Contrast, Facts, opening
from miv.publish.reliability import Mark, assess
from miv.publish.results import TOTAL, TREND_SCHEMA, Results, empty
from miv.publish.verdict import SUPPRESSED, Verdict, sign, verdict

if TYPE_CHECKING:
    from miv.publish.chart import Chart


SUBTITLES = {  # by the parts (Part) a publication's indicators belong to
    "veiligheid": "Agressie en intimidatie tegen politieke ambtsdragers en medewerkers van gemeenten, provincies en waterschappen",
    "integriteit": "Integriteit van politieke ambtsdragers en het integriteitsbeleid van gemeenten, provincies en waterschappen",
}
SUBTITLE_BOTH = "Agressie, intimidatie en integriteit in het openbaar bestuur"


def cell_key(publication: str, per_value: str | None, indicator: str, breakdown: str, domain: str, edition: int) -> str:
    """The key of a cell in estimates.csv, carried by every figure in the HTML (data-cell)."""
    return "|".join([publication, per_value or "", indicator, breakdown, domain, str(edition)])


def comparison_key(publication: str, per_value: str | None, indicator: str, kind: str, breakdown: str, domain: str) -> str:
    """The key of a reference figure taken from a comparison (e.g. the national figure)."""
    return "|".join(["vergelijking", publication, per_value or "", indicator, kind, breakdown, domain])


@dataclass(frozen=True)
class Row:
    breakdown: str
    domain: str
    label: str
    figure: Figure | None
    interval: str | None
    n: int | None
    previous: Figure | None
    verdict: Verdict | None
    suppressed: str | None
    low: float | None = None
    high: float | None = None
    sign: str = SUPPRESSED  # shown instead of the figure when there is none (verklaring van tekens)
    previous_sign: str = SUPPRESSED

    @property
    def change(self) -> str | None:
        return self.verdict.text if self.verdict else None
    mark: Mark | None = None  # less reliable by NCHS's standards (miv.publish.reliability)


@dataclass(frozen=True)
class Table:
    indicator: Indicator
    caption: str
    rows: list[Row]


@dataclass(frozen=True)
class TrendPoint:
    edition: int
    value: float
    key: str
    source: str
    trend_break: bool


@dataclass(frozen=True)
class Reference:
    """The whole a publication's population is tested against (all office holders, the
    nation): its figure comes from the comparison, so it has no interval of its own."""

    label: str  # "Alle politieke ambtsdragers", "Nederland"
    figure: Figure
    p_value: float


@dataclass(frozen=True)
class Block:
    indicator: Indicator
    sentences: list[Sentence]
    table: Table
    denominator: str
    trend: list[TrendPoint] = field(default_factory=list)  # the series since 2014, in trend sections
    reference: Reference | None = None


@dataclass
class SectionView:
    number: int
    title: str
    intro: str | None
    chart: ChartKind | None
    breakdowns: list[str]
    blocks: list[Block]
    charts: list[Chart] = field(default_factory=list)
    opening: list[Sentence] = field(default_factory=list)  # what matters, first (miv.publish.opening)


@dataclass
class Document:
    stem: str
    publication: Publication
    title: str
    per_value: str | None
    per_label: str | None
    edition: int
    previous: int | None
    summary: list[Sentence]
    sections: list[SectionView]
    subtitle: str = ""
    population: str = "Totaal"  # who the publication is about, as a chart series ("Burgemeesters")

    @property
    def kind(self) -> PublicationKind:
        return self.publication.kind

    @property
    def key_figures(self) -> list[tuple[SectionView, list[Block]]]:
        """Each indicator once, in the section where it first appears: a factsheet's large numbers."""
        seen: set[str] = set()
        out = []
        for section in self.sections:
            own = [b for b in section.blocks if b.indicator.code not in seen]
            seen.update(b.indicator.code for b in own)
            if own:
                out.append((section, own))
        return out


class _Cells:
    """Published cells, comparisons and model sentences, looked up by key (the section does not matter)."""

    def __init__(self, disclosure: Disclosure, results: Results) -> None:
        self.cells: dict[tuple, dict] = {}
        for row in disclosure.estimates.iter_rows(named=True):
            key = (row["publication"], row["per_value"], row["indicator"], row["breakdown"], row["domain"], row["edition"])
            self.cells.setdefault(key, row)
        self.domains: dict[tuple, list[str]] = defaultdict(list)  # by (publication, per, indicator, breakdown, edition)
        for pub, per, ind, breakdown, domain, edition in self.cells:
            self.domains[(pub, per, ind, breakdown, edition)].append(domain)
        self.comparisons: dict[tuple, dict] = {}
        self.by_kind: dict[tuple, list[dict]] = defaultdict(list)
        for row in disclosure.comparisons.iter_rows(named=True):
            self.comparisons[(row["publication"], row["per_value"], row["indicator"], row["kind"], row["breakdown"], row["domain"])] = row
            self.by_kind[(row["publication"], row["per_value"], row["indicator"], row["kind"])].append(row)
        self.models = ModelSentences(results)

    def figure(self, pub: str, per: str | None, ind: str, breakdown: str, domain: str, edition: int | None) -> Figure | None:
        row = self.cells.get((pub, per, ind, breakdown, domain, edition))
        if row is None or edition is None or row["suppressed"] is not None:
            return None
        return Figure(row["estimate"], cell_key(pub, per, ind, breakdown, domain, edition))


def documents(results: Results, disclosure: Disclosure) -> list[Document]:
    """One document per publication and per value of its `per` variable."""
    cells = _Cells(disclosure, results)
    labels = Labels(results.monitor)
    per_values = _per_values(disclosure.estimates)
    indicators = {i.code: i for i in results.monitor.indicators}
    out = []
    for publication in results.monitor.publications:
        for per in per_values.get(publication.slug, [None]) if publication.per else [None]:
            out.append(_document(results, publication, per, cells, labels, indicators))
    return out


def _per_values(estimates: pl.DataFrame) -> dict[str, list[str]]:
    pairs = estimates.select("publication", "per_value").unique(maintain_order=True).drop_nulls()
    found: dict[str, list[str]] = defaultdict(list)
    for pub, per in pairs.iter_rows():
        found[pub].append(per)
    return found


def _document(results: Results, pub: Publication, per: str | None, cells: _Cells, labels: Labels, indicators: dict[str, Indicator]) -> Document:
    per_label = labels.domain(pub.per, per) if pub.per and per else None
    sections = [
        _section(results, pub, per, number, section, cells, labels, indicators)
        for number, section in enumerate(pub.sections)
    ]
    summary = _summary(sections)
    return Document(
        stem=f"{pub.slug}-{per}" if per else pub.slug,
        publication=pub,
        title=f"{pub.title}: {per_label}" if per_label else pub.title,
        per_value=per,
        per_label=per_label,
        edition=results.edition,
        previous=results.previous,
        summary=summary,
        sections=sections,
        subtitle=_subtitle({b.indicator.part.value for s in sections for b in s.blocks}),
        population=labels.name(pub, per_label),
    )


def _subtitle(parts: set[str]) -> str:
    return SUBTITLES[next(iter(parts))] if len(parts) == 1 else SUBTITLE_BOTH


def _summary(sections: list[SectionView]) -> list[Sentence]:
    """Per section the first sentence of its opening (the headline and its change); each once."""
    seen: set[Sentence] = set()
    out: list[Sentence] = []
    for section in sections:
        if section.opening and section.opening[0] not in seen:
            seen.add(section.opening[0])
            out.append(section.opening[0])
    return out


def _section(results: Results, pub: Publication, per: str | None, number: int, section: Section, cells: _Cells, labels: Labels, indicators: dict[str, Indicator]) -> SectionView:
    blocks = [_block(results, pub, per, section, indicators[code], cells, labels) for code in section.indicators if code in indicators]
    view = SectionView(number + 1, section.title, section.intro, section.chart, list(section.breakdowns), blocks)
    if section.chart is ChartKind.TREND:
        view.blocks = [replace(b, trend=_trend(results, pub, per, b.indicator, cells)) for b in blocks]
    view.opening = opening(_facts(results, pub, per, section, blocks, cells, labels))
    return view


def _short(indicator: Indicator) -> str:
    return indicator.short or indicator.label[:1].lower() + indicator.label[1:]


def _change(block: Block) -> Change | None:
    """The block's total in both editions with its verdict, when that verdict is a test's."""
    total = block.table.rows[0]
    if total.figure is None or total.previous is None or total.verdict is None or not total.verdict.tested:
        return None
    return Change(_short(block.indicator), total.previous, total.figure, total.verdict)


def _facts(results: Results, pub: Publication, per: str | None, section: Section, blocks: list[Block], cells: _Cells, labels: Labels) -> Facts:
    """What the section's opening may say, from the published cells and their verdicts only."""
    shown = [b for b in blocks if b.table.rows[0].figure is not None]
    if not shown:
        return Facts(None, None, False, [], [], [], [], results.previous)
    head = shown[0]
    contrasts = []
    if Comparison.GENDER in section.comparisons:
        for block in shown:
            for test in cells.by_kind.get((pub.slug, per, block.indicator.code, Comparison.GENDER.value), []):
                women = cells.figure(pub.slug, per, block.indicator.code, test["breakdown"], test["domain"], results.edition)
                men = cells.figure(pub.slug, per, block.indicator.code, "gender", test["reference"], results.edition)
                if women is not None and men is not None and test["domain"] == "vrouw":
                    contrasts.append(Contrast(_short(block.indicator), women, men, test["p_value"]))
    ranking: list[tuple[str, Figure]] = []
    breakdown = next((b for b in section.breakdowns if b != "gender"), None)
    rows = [r for r in head.table.rows if r.breakdown == breakdown]
    if breakdown and all(r.figure is not None for r in rows):  # a withheld cell might be the highest
        ranked = sorted(rows, key=lambda r: -r.figure.value)  # type: ignore[union-attr]
        ranking = [(labels.phrase(breakdown, r.domain), r.figure) for r in ranked]  # type: ignore[misc]
    forms = sorted(
        ((_short(b.indicator), b.table.rows[0].figure) for b in shown[1:] if b.denominator == head.denominator),
        key=lambda pair: -pair[1].value,  # type: ignore[union-attr]
    )
    others = [c for c in (_change(b) for b in shown[1:]) if c is not None]
    broken = head.table.rows[0].verdict is not None and head.table.rows[0].verdict.code == "trendbreuk"
    return Facts(head.sentences[0], _change(head), broken, others, contrasts, ranking, forms, results.previous)  # type: ignore[arg-type]


def _block(results: Results, pub: Publication, per: str | None, section: Section, indicator: Indicator, cells: _Cells, labels: Labels) -> Block:
    ed, prev = results.edition, results.previous
    slug, code = pub.slug, indicator.code
    rows = [_row(pub, per, indicator, TOTAL, TOTAL, "Totaal", cells, ed, prev)]
    for breakdown in section.breakdowns:
        for domain in labels.ordered(breakdown, cells.domains.get((slug, per, code, breakdown, ed), [])):
            rows.append(_row(pub, per, indicator, breakdown, domain, labels.domain(breakdown, domain), cells, ed, prev))
    sentences: list[Sentence] = []
    per_label = labels.domain(pub.per, per) if pub.per and per else None
    denominator = labels.denominator(indicator.denominator_label, pub, per_label)
    total = cells.figure(slug, per, code, TOTAL, TOTAL, ed)
    if total is not None:
        sentences.append(level(indicator.statement, indicator.label, total, denominator))
    kinds = set(section.comparisons)
    broken = indicator.trend_break(ed)
    if Comparison.PREVIOUS_EDITION in kinds and prev is not None and broken:
        sentences.append((f"Door een trendbreuk is dit cijfer niet te vergelijken met {prev}. {broken}",))
    elif Comparison.PREVIOUS_EDITION in kinds and prev is not None:
        before = cells.figure(slug, per, code, TOTAL, TOTAL, prev)
        test = cells.comparisons.get((slug, per, code, Comparison.PREVIOUS_EDITION.value, TOTAL, TOTAL))
        if total is not None and before is not None and test is not None:
            sentences.append(change("Het aandeel", before, total, test["p_value"], (prev, ed)))
    if Comparison.GENDER in kinds:
        for test in cells.by_kind.get((slug, per, code, Comparison.GENDER.value), []):
            a = cells.figure(slug, per, code, test["breakdown"], test["domain"], ed)
            b = cells.figure(slug, per, code, "gender", test["reference"], ed)
            if a is not None and b is not None:
                sentences.append(contrast(labels.phrase("gender", test["domain"]), a, labels.phrase("gender", test["reference"]), b, test["p_value"]))
    if Comparison.GROUP_VS_ALL in kinds:
        sentences.extend(_groups_vs_all(results, pub, per, indicator, cells, labels))
    if Comparison.PROVINCE_VS_NATIONAL in kinds:
        test = cells.comparisons.get((slug, per, code, Comparison.PROVINCE_VS_NATIONAL.value, TOTAL, TOTAL))
        if test is not None and total is not None:
            national = Figure(test["reference_estimate"], comparison_key(slug, per, code, Comparison.PROVINCE_VS_NATIONAL.value, TOTAL, TOTAL))
            sentences.append(contrast(f"in {labels.domain('province', per) if per else 'de provincie'}", total, "in heel Nederland", national, test["p_value"]))
    if total is not None and not section.breakdowns:  # once per indicator: in its section without breakdowns
        sentences.extend(cells.models(slug, per, code))
    caption = f"{indicator.label} ({denominator}), {ed}"
    return Block(indicator, sentences, Table(indicator, caption, rows), denominator, reference=_reference(pub, per, indicator, kinds, cells, labels))


def _reference(pub: Publication, per: str | None, indicator: Indicator, kinds: set[Comparison], cells: _Cells, labels: Labels) -> Reference | None:
    """The whole this population's total was tested against, when the section asks for it."""
    for kind, label in ((Comparison.GROUP_VS_ALL, labels.whole(indicator.questionnaire)), (Comparison.PROVINCE_VS_NATIONAL, "Nederland")):
        test = cells.comparisons.get((pub.slug, per, indicator.code, kind.value, TOTAL, TOTAL))
        if kind in kinds and test is not None:
            figure = Figure(test["reference_estimate"], comparison_key(pub.slug, per, indicator.code, kind.value, TOTAL, TOTAL))
            return Reference(label, figure, test["p_value"])
    return None


def _groups_vs_all(results: Results, pub: Publication, per: str | None, indicator: Indicator, cells: _Cells, labels: Labels) -> list[Sentence]:
    out: list[Sentence] = []
    level_all = cells.figure(pub.slug, per, indicator.code, TOTAL, TOTAL, results.edition)
    tests = cells.by_kind.get((pub.slug, per, indicator.code, Comparison.GROUP_VS_ALL.value), [])
    shown = 0
    population = labels.population(pub)
    for test in tests:
        group = cells.figure(pub.slug, per, indicator.code, test["breakdown"], test["domain"], results.edition)
        if test["breakdown"] == TOTAL and population and group is not None:
            reference = Figure(test["reference_estimate"], comparison_key(pub.slug, per, indicator.code, Comparison.GROUP_VS_ALL.value, TOTAL, TOTAL))
            out.append(contrast(population, group, "bij " + labels.whole(indicator.questionnaire).lower(), reference, test["p_value"]))
            shown += 1
            continue
        if group is None or level_all is None or test["breakdown"] == TOTAL or not significant(test["p_value"]):
            continue
        out.append(contrast(labels.phrase(test["breakdown"], test["domain"]), group, "bij alle respondenten samen", level_all, test["p_value"]))
        shown += 1
    if tests and shown < len(tests):
        out.append(("Bij de overige groepen wijkt het aandeel niet significant af van dat bij alle respondenten samen.",))
    return out


def _row(pub: Publication, per: str | None, indicator: Indicator, breakdown: str, domain: str, label: str, cells: _Cells, ed: int, prev: int | None) -> Row:
    key = (pub.slug, per, indicator.code, breakdown, domain)
    row = cells.cells.get((*key, ed))
    before = cells.cells.get((*key, prev)) if prev else None
    figure = cells.figure(*key, ed)
    previous = cells.figure(*key, prev) if prev else None
    test = cells.comparisons.get((pub.slug, per, indicator.code, Comparison.PREVIOUS_EDITION.value, breakdown, domain))
    judged = verdict(prev, indicator.trend_break(ed), row, before, test) if prev else None
    signs = {"sign": sign(row), "previous_sign": sign(before)}
    if row is None or figure is None:
        reason = row["suppressed"] if row is not None else "niet berekend"
        return Row(breakdown, domain, label, None, None, None, previous, judged, reason, **signs)
    low, high = row["ci_low"], row["ci_high"]
    shown_interval = interval(low, high) if low is not None and high is not None else None
    mark = assess(row["estimate"], row["se"], low, high, row["n"], row.get("df"))
    return Row(breakdown, domain, label, figure, shown_interval, row["n"], previous, judged, None, low, high, **signs, mark=mark)


def _trend(results: Results, pub: Publication, per: str | None, indicator: Indicator, cells: _Cells) -> list[TrendPoint]:
    points = []
    trend = results.trend if results.trend is not None else empty(TREND_SCHEMA)
    published = trend.filter(
        (pl.col("publication") == pub.slug) & (pl.col("indicator") == indicator.code) & (pl.col("breakdown") == TOTAL)
        & (pl.col("per_value").is_null() if per is None else pl.col("per_value") == per)
    ).sort("edition")
    for row in published.iter_rows(named=True):
        if row["edition"] not in (results.edition, results.previous):
            key = "|".join(["trend", pub.slug, per or "", indicator.code, str(row["edition"])])
            points.append(TrendPoint(row["edition"], row["estimate"], key, row["source"], bool(row["trend_break"])))
    for edition in (results.previous, results.edition):
        figure = cells.figure(pub.slug, per, indicator.code, TOTAL, TOTAL, edition) if edition else None
        if figure is not None and edition is not None:
            points.append(TrendPoint(edition, figure.value, figure.key, f"Monitor {edition}", indicator.trend_break(edition) is not None))
    return sorted(points, key=lambda p: p.edition)

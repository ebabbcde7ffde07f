"""The results explorer (verkenner/): every published figure to look up, compare and download.

A static site, written at build time: one page per indicator and publication (its population),
with a table per breakdown that works without JavaScript; the script only filters what the page
already holds (breakdown, editions), keeps the selection in the URL's fragment and draws the
reports' Vega-Lite specs. It reads the edition's disclosure decisions and the documents made
from them, and ships only published cells: a suppressed cell is a row with a reason and no
figure, in the HTML, the embedded data, the CSV and the workbook alike."""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import xlsxwriter
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from miv.definition import Indicator
from miv.definition.models import Comparison
from miv.publish import narrative
from miv.publish.chart import Point, interactive
from miv.publish.disclosure import Disclosure
from miv.publish.document import Block, Document, Row, cell_key, comparison_key
from miv.publish.labels import Labels
from miv.publish.narrative import Figure, significant
from miv.publish.number import interval, number, percent
from miv.publish.reliability import Mark, assess
from miv.publish.render import SERIES
from miv.publish.results import TOTAL, TREND_SCHEMA, Results, empty

STATIC = Path(__file__).parent / "static"
COLUMNS = ["sleutel", "indicator", "indicator_label", "publicatie", "uitsplitsing", "categorie", "editie", "percentage",
           "ondergrens_95", "bovengrens_95", "n", "betrouwbaarheid", "verandering", "vergelijking", "opmerking"]


@dataclass(frozen=True)
class Value:
    """One published figure of one edition."""

    edition: int
    figure: Figure
    low: float | None
    high: float | None
    n: int
    mark: Mark | None

    @property
    def interval(self) -> str:
        return interval(self.low, self.high) if self.low is not None and self.high is not None else "–"


@dataclass(frozen=True)
class Contrast:
    """The category against the whole (or women against men), as the test decided."""

    verdict: str
    reference: str
    figure: Figure | None = None


@dataclass(frozen=True)
class Line:
    breakdown: str
    domain: str
    label: str
    values: dict[int, Value]
    hidden: dict[int, str]
    change: str | None
    contrast: Contrast | None


@dataclass
class Breakdown:
    code: str
    label: str
    lines: list[Line]
    charts: dict[str, dict] = field(default_factory=dict)


@dataclass
class Page:
    indicator: Indicator
    doc: Document
    denominator: str
    sentences: list
    breakdowns: list[Breakdown]
    trend: dict | None
    editions: list[int]

    @property
    def path(self) -> str:
        return f"{self.indicator.code}/{self.doc.stem}.html"


class Choices:
    """Links to a group of pages: one publication's indicators, or one indicator's publications.
    Every page of a group lists the whole group, as a select's options and as links (a quarter to
    two fifths of a page's HTML): each page's option and link are rendered once per group, not
    once for every page that lists them."""

    def __init__(self, pages: list[Page], option: Callable[[Page, bool], Markup], link: Callable[[Page], Markup]) -> None:
        self._pages = pages
        self._options = [(option(p, False), option(p, True)) for p in pages]
        self._links = [link(p) for p in pages]

    def options(self, page: Page) -> Markup:
        """The group as a select's options, `page` selected (joined as the Markup they are:
        Markup.join would escape each once more)."""
        return Markup("".join(chosen if p is page else other for p, (other, chosen) in zip(self._pages, self._options)))

    def links(self, page: Page) -> Markup:
        """The group but `page`, as list items."""
        return Markup("".join(link for p, link in zip(self._pages, self._links) if p is not page))


class _Published:
    """Cells and comparisons after disclosure control, by key (the section does not matter)."""

    def __init__(self, disclosure: Disclosure) -> None:
        self.cells: dict[tuple, dict] = {}
        for row in disclosure.estimates.iter_rows(named=True):
            self.cells.setdefault((row["publication"], row["per_value"], row["indicator"], row["breakdown"], row["domain"], row["edition"]), row)
        self.tests = {(r["publication"], r["per_value"], r["indicator"], r["kind"], r["breakdown"], r["domain"]): r
                      for r in disclosure.comparisons.iter_rows(named=True)}

    def value(self, key: tuple) -> Value | str:
        """The figure, or the reason it is not published."""
        row = self.cells.get(key)
        if row is None:
            return "niet berekend"
        if row["suppressed"] is not None:
            return row["suppressed"]
        figure = Figure(row["estimate"], cell_key(*key))
        mark = assess(row["estimate"], row["se"], row["ci_low"], row["ci_high"], row["n"], row.get("df"))
        return Value(key[-1], figure, row["ci_low"], row["ci_high"], row["n"], mark)


def pages(results: Results, disclosure: Disclosure, docs: list[Document]) -> list[Page]:
    """One page per indicator and publication, with the breakdowns the publication shows."""
    published = _Published(disclosure)
    labels = Labels(results.monitor)
    editions = [e for e in (results.edition, results.previous) if e is not None]
    earlier: dict[tuple, list[dict]] = defaultdict(list)  # the published series' totals, by (publication, per value, indicator)
    for row in (results.trend if results.trend is not None else empty(TREND_SCHEMA)).iter_rows(named=True):
        if row["breakdown"] == TOTAL and row["edition"] not in (results.edition, results.previous):
            earlier[(row["publication"], row["per_value"], row["indicator"])].append(row)
    out = []
    for doc in docs:
        rows: dict[str, dict[tuple, Row]] = defaultdict(dict)
        blocks: dict[str, Block] = {}
        for section in doc.sections:
            for block in section.blocks:
                blocks.setdefault(block.indicator.code, block)
                for row in block.table.rows:
                    rows[block.indicator.code].setdefault((row.breakdown, row.domain), row)
        for code, block in blocks.items():
            by_breakdown: dict[str, list[Line]] = defaultdict(list)
            for (breakdown, domain), row in rows[code].items():
                by_breakdown[breakdown].append(_line(results, doc, block.indicator, breakdown, domain, row.label, published, labels, editions))
            breakdowns = [Breakdown(b, labels.breakdown(b), lines) for b, lines in by_breakdown.items()]
            trend = _trend(results, doc, block.indicator, published, earlier[(doc.publication.slug, doc.per_value, block.indicator.code)])
            page = Page(block.indicator, doc, block.denominator, block.sentences, breakdowns, trend, editions)
            for breakdown in page.breakdowns:
                breakdown.charts = _charts(page, breakdown)
            out.append(page)
    return out


def _line(results: Results, doc: Document, indicator: Indicator, breakdown: str, domain: str, label: str,
          published: _Published, labels: Labels, editions: list[int]) -> Line:
    head: tuple[str, str | None, str] = (doc.publication.slug, doc.per_value, indicator.code)
    values, hidden = {}, {}
    for edition in editions:
        found = published.value((*head, breakdown, domain, edition))
        if isinstance(found, Value):
            values[edition] = found
        else:
            hidden[edition] = found
    change = None
    now, before = values.get(results.edition), values.get(results.previous) if results.previous else None
    test = published.tests.get((*head, Comparison.PREVIOUS_EDITION.value, breakdown, domain))
    if results.previous and indicator.trend_break(results.edition):
        change = "trendbreuk"
    elif test is not None and now is not None and before is not None:
        change = ("gestegen" if now.figure.value > before.figure.value else "gedaald") if significant(test["p_value"]) else "geen significant verschil"
    return Line(breakdown, domain, label, values, hidden, change, _contrast(head, breakdown, domain, now, published, labels) if now else None)


def _contrast(head: tuple[str, str | None, str], breakdown: str, domain: str, now: Value, published: _Published, labels: Labels) -> Contrast | None:
    if breakdown == "group":
        test, reference, shown = published.tests.get((*head, Comparison.GROUP_VS_ALL.value, breakdown, domain)), "het totaal", False
    elif breakdown == "gender":
        test = published.tests.get((*head, Comparison.GENDER.value, breakdown, domain))
        reference, shown = (labels.domain("gender", test["reference"]).lower() if test else ""), False
    elif breakdown == TOTAL and (test := published.tests.get((*head, Comparison.PROVINCE_VS_NATIONAL.value, TOTAL, TOTAL))):
        reference, shown = "heel Nederland", True
    elif breakdown == TOTAL and (test := published.tests.get((*head, Comparison.GROUP_VS_ALL.value, TOTAL, TOTAL))):
        reference, shown = "alle politieke ambtsdragers", True
    else:
        return None
    if test is None:
        return None
    if significant(test["p_value"]) and test["difference"]:
        verdict = "significant hoger" if test["difference"] > 0 else "significant lager"
    else:
        verdict = "verschilt niet significant"
    figure = Figure(test["reference_estimate"], comparison_key(*head, test["kind"], breakdown, domain)) if shown else None
    return Contrast(verdict, reference, figure)


def _trend(results: Results, doc: Document, indicator: Indicator, published: _Published, earlier: list[dict]) -> dict | None:
    """Earlier editions as published (`earlier`: the page's rows of Results.trend), then this and the previous edition's totals."""
    points = []
    for row in earlier:
        key = "|".join(["trend", doc.publication.slug, doc.per_value or "", indicator.code, str(row["edition"])])
        points.append(Point(str(row["edition"]), Figure(row["estimate"], key), None, None, row["source"], "trendbreuk" if row["trend_break"] else ""))
    for edition in (e for e in (results.previous, results.edition) if e is not None):
        found = published.value((doc.publication.slug, doc.per_value, indicator.code, TOTAL, TOTAL, edition))
        if isinstance(found, Value):
            points.append(Point(str(edition), found.figure, None, None, f"Monitor {edition}", "trendbreuk" if indicator.trend_break(edition) else ""))
    points.sort(key=lambda p: int(p.label))
    if len(points) < 2:
        return None
    spec, alt = interactive("trend", f"{indicator.label} per editie", points)
    return {"spec": spec, "alt": alt, "points": [(p.label, p.figure, p.series, p.note) for p in points]}


def _shared(spec: dict, alt: str, templates: dict[str, dict]) -> dict:
    """A chart as its data and text alternative; the spec without data is stored once per page."""
    template = {k: v for k, v in spec.items() if k != "datasets"}
    name = next((n for n, t in templates.items() if t == template), f"s{len(templates)}")
    templates[name] = template
    return {"sjabloon": name, "punten": spec["datasets"]["punten"], "alt": alt}


def selections(editions: list[int]) -> list[list[int]]:
    """Every non-empty choice of editions, newest first (the fragment's `editie=`)."""
    return [editions] + ([[e] for e in editions] if len(editions) > 1 else [])


TABLE_ABOVE = "De cijfers staan in de tabel hierboven."  # a trend's text alternative says so itself (chart._alt)


def _charts(page: Page, breakdown: Breakdown) -> dict[str, dict]:
    """Per choice of editions the reports' "groups" spec and its text alternative, which ends
    by saying where the figures are; the page and its script show it as it is."""
    if breakdown.code == TOTAL:
        return {}
    out = {}
    for chosen in selections(page.editions):
        # a category whose newest chosen figure is withheld is left out, as in the reports' charts (chart._groups)
        shown = [line for line in breakdown.lines if max(chosen) in line.values]
        points = [Point(line.label, v.figure, v.low, v.high, str(e)) for line in shown for e in sorted(chosen) if (v := line.values.get(e))]
        if points:
            title = f"{page.indicator.label} naar {breakdown.label.lower()}, {' en '.join(str(e) for e in sorted(chosen))}"
            spec, alt = interactive("groups", title, points)
            out["-".join(map(str, chosen))] = {"spec": spec, "alt": f"{alt} {TABLE_ABOVE}"}
    return out


def records(page: Page) -> list[dict]:
    """The page's table as long rows (one per category and edition): the CSV and xlsx downloads."""
    out = []
    for breakdown in page.breakdowns:
        for line in breakdown.lines:
            for edition in page.editions:
                value = line.values.get(edition)
                current = edition == page.editions[0]
                out.append({
                    "sleutel": cell_key(page.doc.publication.slug, page.doc.per_value, page.indicator.code, line.breakdown, line.domain, edition),
                    "indicator": page.indicator.code, "indicator_label": page.indicator.label, "publicatie": page.doc.title,
                    "uitsplitsing": breakdown.label, "categorie": line.label, "editie": edition,
                    "percentage": round(value.figure.value * 100, 4) if value else None,
                    "ondergrens_95": round(value.low * 100, 4) if value and value.low is not None else None,
                    "bovengrens_95": round(value.high * 100, 4) if value and value.high is not None else None,
                    "n": value.n if value else None,
                    "betrouwbaarheid": ("minder betrouwbaar: " + value.mark.reason) if value and value.mark else None,
                    "verandering": line.change if current else None,
                    "vergelijking": f"{line.contrast.verdict} dan {line.contrast.reference}" if current and line.contrast else None,
                    "opmerking": f"niet gepubliceerd: {line.hidden[edition]}" if edition in line.hidden else None,
                    "_uitsplitsing": breakdown.code,
                })
    return out


def _csv(rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def _xlsx(page: Page, rows: list[dict], target: Path, notice: str | None) -> None:
    book = xlsxwriter.Workbook(str(target), {"in_memory": True})
    sheet = book.add_worksheet("Cijfers")
    bold = book.add_format({"bold": True})
    sheet.write(0, 0, f"{page.indicator.label} ({page.denominator}) · {page.doc.title} · {SERIES}", bold)
    sheet.write(1, 0, notice or "Percentages en grenzen van het 95%-betrouwbaarheidsinterval; n is het ongewogen aantal respondenten.")
    sheet.write_row(3, 0, COLUMNS, bold)
    for r, row in enumerate(rows, start=4):
        sheet.write_row(r, 0, ["" if row[c] is None else row[c] for c in COLUMNS])
    sheet.set_column(0, 0, 48)
    sheet.set_column(1, 6, 18)
    sheet.set_column(11, 14, 40)
    book.close()


def _environment(labels: Labels, results: Results) -> Environment:
    env = Environment(loader=PackageLoader("miv.publish", "templates"), autoescape=select_autoescape(["html", "j2"], default_for_string=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals.update(html=narrative.html, number=number, percent=percent, series=SERIES, notice=results.notice,
                       edition=results.edition, previous=results.previous, code_version=results.code_version)
    env.filters["json"] = lambda value: Markup(json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/"))
    return env


def _data(page: Page, rows: list[dict]) -> dict:
    """What the script needs: the charts per breakdown and edition choice, and the download rows."""
    templates: dict[str, dict] = {}
    return {
        "bestand": f"{page.indicator.code}-{page.doc.stem}",
        "edities": page.editions,
        "kolommen": COLUMNS,
        "rijen": [[row["_uitsplitsing"], row["editie"], *[row[c] for c in COLUMNS]] for row in rows],
        "figuren": {b.code: {key: _shared(c["spec"], c["alt"], templates) for key, c in b.charts.items()} for b in page.breakdowns if b.charts},
        "trend": _shared(page.trend["spec"], page.trend["alt"], templates) if page.trend else None,
        "sjablonen": templates,
    }


def write_explorer(results: Results, disclosure: Disclosure, docs: list[Document], out_dir: Path) -> list[Path]:
    """Write verkenner/ into `out_dir`; return the files written (static files included)."""
    root = Path(out_dir) / "verkenner"
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(STATIC, root / "static")
    labels = Labels(results.monitor)
    env = _environment(labels, results)
    made = pages(results, disclosure, docs)
    by_indicator: dict[str, list[Page]] = defaultdict(list)
    by_doc: dict[str, list[Page]] = defaultdict(list)
    for page in made:
        by_indicator[page.indicator.code].append(page)
        by_doc[page.doc.stem].append(page)
    macros = env.get_template("verkenner/macros.html.j2").module
    indicators = {stem: Choices(group, macros.indicator_option, macros.indicator_link) for stem, group in by_doc.items()}
    publications = {code: Choices(group, macros.publication_option, macros.publication_link) for code, group in by_indicator.items()}
    template = env.get_template("verkenner/page.html.j2")
    written = []
    for page in made:
        folder = root / page.indicator.code
        folder.mkdir(exist_ok=True)
        rows = records(page)
        target = folder / f"{page.doc.stem}.html"
        target.write_text(template.render(root="../", page=page, data=_data(page, rows), siblings=publications[page.indicator.code],
                                          others=indicators[page.doc.stem]), encoding="utf-8")
        (folder / f"{page.doc.stem}.csv").write_text(_csv(rows), encoding="utf-8")
        _xlsx(page, rows, folder / f"{page.doc.stem}.xlsx", results.notice)
        written += [target, folder / f"{page.doc.stem}.csv", folder / f"{page.doc.stem}.xlsx"]
    indicator_template = env.get_template("verkenner/indicator.html.j2")
    for code, group in by_indicator.items():
        target = root / code / "index.html"
        target.write_text(indicator_template.render(root="../", indicator=group[0].indicator, pages=group), encoding="utf-8")
        written.append(target)
    parts: dict[str, list[tuple[Indicator, list[Page]]]] = defaultdict(list)
    for indicator in results.monitor.indicators:
        if indicator.code in by_indicator:
            parts[indicator.part.value].append((indicator, by_indicator[indicator.code]))
    target = root / "index.html"
    target.write_text(env.get_template("verkenner/index.html.j2").render(root="", parts=parts, docs=docs, by_doc=by_doc), encoding="utf-8")
    written.append(target)
    return written + sorted(p for p in (root / "static").rglob("*") if p.is_file())

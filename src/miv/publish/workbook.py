"""The tables for analysts: tabellen.xlsx (one sheet per publication) and estimates.csv
(every estimate after disclosure control, long format, with the key used in the HTML)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import xlsxwriter

from miv.definition import Monitor
from miv.definition.models import Comparison
from miv.publish.disclosure import Disclosure
from miv.publish.document import Document, cell_key
from miv.publish.labels import Labels
from miv.publish.verdict import SIGNS, verdict

CELL = ("publication", "per_value", "indicator", "breakdown", "domain")

HEADER = ["Hoofdstuk", "Indicator", "Noemer", "Uitsplitsing", "Groep", "Editie", "Percentage", "Ondergrens 95%", "Bovengrens 95%", "n", "Opmerking", "Verandering sinds vorige editie", "p-waarde"]


def estimates_csv(disclosure: Disclosure, monitor: Monitor, edition: int, previous: int | None, target: Path) -> None:
    """All cells with their key; suppressed cells keep their row with empty figures and a reason.
    Rows of this edition carry the verdict on the change since the previous one and its p-value."""
    estimates = disclosure.estimates
    cells = {tuple(r[k] for k in (*CELL, "edition")): r for r in estimates.iter_rows(named=True)}
    tests = {tuple(r[k] for k in CELL): r for r in disclosure.comparisons.filter(pl.col("kind") == Comparison.PREVIOUS_EDITION.value).iter_rows(named=True)}
    breaks = {i.code: i.trend_break(edition) for i in monitor.indicators}
    codes, p_values = [], []
    for row in estimates.iter_rows(named=True):
        cell = tuple(row[k] for k in CELL)
        judged = verdict(previous, breaks.get(row["indicator"]), row, cells.get((*cell, previous)), tests.get(cell)) if previous and row["edition"] == edition else None
        codes.append(judged.code if judged else None)
        p_values.append(judged.p_value if judged else None)
    keyed = estimates.with_columns(
        pl.Series("change", codes, dtype=pl.Utf8),
        pl.Series("change_p_value", p_values, dtype=pl.Float64),
        pl.struct("publication", "per_value", "indicator", "breakdown", "domain", "edition")
        .map_elements(lambda r: cell_key(r["publication"], r["per_value"], r["indicator"], r["breakdown"], r["domain"], r["edition"]), return_dtype=pl.Utf8)
        .alias("key"),
    )
    keyed.sort("publication", "per_value", "section", "indicator", "breakdown", "domain", "edition", nulls_last=False).write_csv(target)


def sheet_name(stem: str, taken: set[str]) -> str:
    """Excel allows 31 characters; factsheets are shortened to fs-<name>."""
    base = stem.replace("factsheet-", "fs-")[:31]
    name, i = base, 2
    while name in taken:
        name = f"{base[:28]}-{i}"
        i += 1
    taken.add(name)
    return name


def workbook(documents: list[Document], labels: Labels, target: Path, notice: str | None = None) -> None:
    book = xlsxwriter.Workbook(str(target))
    bold = book.add_format({"bold": True, "font_color": "#154273"})
    pct = book.add_format({"num_format": "0%"})
    head = book.add_format({"bold": True, "bottom": 2, "bottom_color": "#154273", "text_wrap": True})
    note = book.add_format({"font_color": "#555555", "italic": True})
    p_format = book.add_format({"num_format": "0.0000"})
    about = book.add_worksheet("Toelichting")
    lines = [
        "Monitor Integriteit en Veiligheid: tabellen bij de publicaties",
        "Eén werkblad per publicatie. Percentage, grenzen van het 95%-betrouwbaarheidsinterval en n (ongewogen aantal respondenten met een geldig antwoord).",
        "Een lege cel met een opmerking is niet gepubliceerd (onthullingsbeheersing); manifest.json noemt elke beslissing.",
        "De percentages zijn onafgerond opgeslagen en als heel percentage weergegeven.",
        "Verandering: de uitkomst van de toets op het verschil met de vorige editie (gestegen, gedaald of geen significant verschil bij p < 0,05), of waarom er niet getoetst is; de p-waarde staat ernaast.",
        "Verklaring van tekens: " + "; ".join(f"{mark} {meaning}" for mark, meaning in SIGNS) + ".",
        *([notice] if notice else []),
    ]
    for i, line in enumerate(lines):
        about.write(i, 0, line, bold if i == 0 else None)
    about.set_column(0, 0, 120)
    taken: set[str] = {"Toelichting"}
    for doc in documents:
        sheet = book.add_worksheet(sheet_name(doc.stem, taken))
        sheet.write(0, 0, doc.title, bold)
        sheet.write_row(2, 0, HEADER, head)
        r = 3
        for section in doc.sections:
            for block in section.blocks:
                for row in block.table.rows:
                    for edition, figure in ((doc.edition, row.figure), (doc.previous, row.previous)):
                        if edition is None:
                            continue
                        current = edition == doc.edition
                        sheet.write_row(r, 0, [section.title, block.indicator.label, block.denominator, labels.breakdown(row.breakdown), row.label, edition])
                        if figure is not None:
                            sheet.write_number(r, 6, figure.value, pct)
                        if current and figure is not None and row.low is not None:
                            sheet.write_number(r, 7, row.low, pct)
                            sheet.write_number(r, 8, row.high, pct)
                            sheet.write_number(r, 9, row.n)
                        if figure is None:
                            mark = row.sign if current else row.previous_sign
                            sheet.write(r, 10, f"niet gepubliceerd ({mark}): {row.suppressed or 'geen cijfer'}" if current else f"niet gepubliceerd ({mark})", note)
                        elif current and row.mark is not None:
                            sheet.write(r, 10, f"minder betrouwbaar: {row.mark.reason}", note)
                        if current and row.verdict is not None:
                            sheet.write(r, 11, row.verdict.text)
                            if row.verdict.p_value is not None:
                                sheet.write_number(r, 12, row.verdict.p_value, p_format)
                        r += 1
        sheet.set_column(0, 1, 34)
        sheet.set_column(2, 4, 24)
        sheet.set_column(5, 9, 11)
        sheet.set_column(10, 11, 40)
        sheet.set_column(12, 12, 10)
        sheet.freeze_panes(3, 0)
    _series(book, documents, bold, head, pct)
    book.close()


def _series(book: xlsxwriter.Workbook, documents: list[Document], bold, head, pct) -> None:
    """The trend figures of every publication: the published series since 2014 and this run's
    own figures, each with its source and whether a trend break precedes it."""
    sheet = book.add_worksheet("reeks")
    sheet.write(0, 0, "Ontwikkeling door de jaren: cijfers zoals gepubliceerd, met bron", bold)
    sheet.write_row(2, 0, ["Publicatie", "Indicator", "Noemer", "Editie", "Percentage", "Bron", "Trendbreuk ervoor"], head)
    r = 3
    for doc in documents:
        for section in doc.sections:
            for block in section.blocks:
                for point in block.trend:
                    sheet.write_row(r, 0, [doc.title, block.indicator.label, block.denominator, point.edition])
                    sheet.write_number(r, 4, point.value, pct)
                    sheet.write_row(r, 5, [point.source, "ja" if point.trend_break else "nee"])
                    r += 1
    sheet.set_column(0, 2, 34)
    sheet.set_column(5, 5, 60)
    sheet.freeze_panes(3, 0)

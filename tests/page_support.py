"""How full each page of a printed publication is, and where a table breaks, measured on
WeasyPrint's layout boxes (the very layout the PDF is drawn from), for tests that forbid
near-empty pages and tables that leave one or two rows behind."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import weasyprint
from weasyprint.formatting_structure.boxes import LineBox, ReplacedBox, TableBox, TableRowBox, TableRowGroupBox

from miv.publish.printing import printed

CHAPTERS = ("miv-hoofdstuk", "miv-methode", "miv-samenvatting", "miv-bijlage")
MIN_ROWS = 3  # a table that breaks keeps at least this many body rows on each page


@dataclass(frozen=True)
class Page:
    number: int
    fill: float  # share of the page's content area down to the lowest drawn box
    starts_chapter: bool  # a chapter (or the summary, method, annex) begins on this page
    cover: bool


def render(html_file: Path) -> weasyprint.Document:
    """The print layout of an HTML publication, the one `printing.pdf` draws."""
    return printed(html_file)


def pages(html_file: Path | weasyprint.Document) -> list[Page]:
    document = render(html_file) if isinstance(html_file, Path) else html_file
    out = []
    for number, page in enumerate(document.pages, start=1):
        box = page._page_box
        top = box.content_box_y()
        height = box.height
        lowest, starts, cover = top, False, False
        for child in _descendants(box):
            element = child.element
            classes = (element.get("class") or "").split() if element is not None else []
            if "miv-omslag" in classes:
                cover = True
            if any(c in classes for c in CHAPTERS) and child.children and child.children[0].element_tag == "h2":
                starts = True  # the chapter's heading is on this page, not only its continuation
            if isinstance(child, (LineBox, ReplacedBox)):  # what is drawn: lines of text, images
                lowest = max(lowest, child.position_y + child.height)
        out.append(Page(number, (lowest - top) / height if height else 1.0, starts, cover))
    return out


def near_empty(html_file: Path | weasyprint.Document, limit: float = 0.5) -> list[int]:
    """Pages less than `limit` full that are not the cover, the contents or a chapter's end."""
    found = pages(html_file)
    bad = []
    for i, page in enumerate(found):
        last_of_chapter = i + 1 == len(found) or found[i + 1].starts_chapter
        if not page.cover and not last_of_chapter and page.fill < limit:
            bad.append(page.number)
    return bad


def orphaned_rows(html_file: Path | weasyprint.Document) -> list[tuple[str, int, int]]:
    """(table caption, page, body rows on that page) for each piece of a table that breaks
    across pages with fewer than MIN_ROWS body rows: a leftover a reader has to turn back for."""
    document = render(html_file) if isinstance(html_file, Path) else html_file
    pieces: dict[int, list[tuple[int, int]]] = defaultdict(list)
    captions: dict[int, str] = {}
    for number, page in enumerate(document.pages, start=1):
        for box in _descendants(page._page_box):
            if isinstance(box, TableBox) and box.element is not None:
                key = id(box.element)
                rows = sum(1 for group in box.children if isinstance(group, TableRowGroupBox) and not group.is_header
                           for row in group.children if isinstance(row, TableRowBox))
                pieces[key].append((number, rows))
                caption = box.element.find("caption")
                captions[key] = " ".join("".join(caption.itertext()).split()) if caption is not None else "?"
    return [(captions[key], number, rows) for key, found in pieces.items() if len(found) > 1
            for number, rows in found if rows < MIN_ROWS]


def _descendants(box):
    for child in getattr(box, "children", []):
        if type(child).__name__ == "MarginBox":  # the running header and page numbers
            continue
        yield child
        yield from _descendants(child)

"""How full each page of a printed publication is, measured on WeasyPrint's layout boxes
(the very layout the PDF is drawn from), for tests that forbid near-empty pages."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import weasyprint
from weasyprint.formatting_structure.boxes import LineBox, ReplacedBox

CHAPTERS = ("miv-hoofdstuk", "miv-methode", "miv-samenvatting", "miv-bijlage")


@dataclass(frozen=True)
class Page:
    number: int
    fill: float  # share of the page's content area down to the lowest drawn box
    starts_chapter: bool  # a chapter (or the summary, method, annex) begins on this page
    cover: bool


def render(html_file: Path) -> weasyprint.Document:
    """The print layout of an HTML publication, as miv.publish.render.pdf lays it out."""
    return weasyprint.HTML(filename=str(html_file), base_url=str(html_file.parent), media_type="print").render()


def pages(html_file: Path, document: weasyprint.Document | None = None) -> list[Page]:
    document = document or render(html_file)
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


def near_empty(html_file: Path, limit: float = 0.5, document: weasyprint.Document | None = None) -> list[int]:
    """Pages less than `limit` full that are not the cover, the contents or a chapter's end."""
    found = pages(html_file, document)
    bad = []
    for i, page in enumerate(found):
        last_of_chapter = i + 1 == len(found) or found[i + 1].starts_chapter
        if not page.cover and not last_of_chapter and page.fill < limit:
            bad.append(page.number)
    return bad


def _descendants(box):
    for child in getattr(box, "children", []):
        if type(child).__name__ == "MarginBox":  # the running header and page numbers
            continue
        yield child
        yield from _descendants(child)

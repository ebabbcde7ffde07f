"""HTML publications to PDF: WeasyPrint's rendering of the very HTML file written beside it,
with the print rules of miv.css (A4, cover, page numbers). Only the processes that print
import this module (and WeasyPrint with it)."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from xml.etree import ElementTree

import cssselect2
import lxml.etree
import lxml.html
import weasyprint
import weasyprint.html
import weasyprint.svg
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse, ensure_url

PDF_OPTIONS = {"pdf_tags": True, "pdf_variant": "pdf/ua-1", "uncompressed_pdf": False}
STYLESHEETS = ("rijkshuisstijl-componenten.css", "miv.css")  # what every publication links, in its folder static/


def pdf(html_file: Path, target: Path) -> None:
    """Write a tagged PDF (PDF/UA-1 structure, where WeasyPrint supports it) from an HTML file."""
    printed(html_file).write_pdf(target, **PDF_OPTIONS)


def printed(html_file: Path) -> weasyprint.Document:
    """The print layout of an HTML publication, the one `pdf` draws.

    The linked stylesheets are parsed (and their fonts loaded) once per process rather than
    once per document, which cost a tenth of a second each: WeasyPrint is handed the parsed
    ones and the links fetch as empty. What print hides (`SCREEN_ONLY`) is left out before
    WeasyPrint styles the page: it would be styled for nothing; so is the markup of a figure
    (`<data>`), which print does not style."""
    html_file = html_file.resolve()  # its folder becomes a file: URL, which a relative path cannot be
    sheets, fonts = _stylesheets(tuple((html_file.parent / "static" / name).read_text(encoding="utf-8") for name in STYLESHEETS),
                                 (html_file.parent / "static").as_uri() + "/")
    page = parse(html_file)
    for hidden in page.find_class(SCREEN_ONLY):
        hidden.drop_tree()  # its tail stays
    for figure in list(page.iter("data")):
        figure.drop_tag()  # a figure's markup for `miv verify`; in print its text alone: a fifth fewer elements to style
    html = _Publication(page, html_file.parent)
    _draw_svg_text_in_runs()
    return html.render(font_config=fonts, stylesheets=sheets, **PDF_OPTIONS)


SCREEN_ONLY = "miv-alleen-scherm"  # the class of what miv.css hides in print (display: none)


def parse(html_file: Path) -> lxml.html.HtmlElement:
    """A publication as libxml2 parses it: WeasyPrint's own HTML5 parser is written in Python and
    took a tenth of printing a report. miv writes the pages, so both parsers build the same tree
    from them but for blank text around the body, which lays out as nothing
    (tests/publish/test_pdf.py compares the two trees on every publication)."""
    return lxml.html.parse(str(html_file), lxml.html.HTMLParser(encoding="utf-8")).getroot()


class _Publication(weasyprint.HTML):
    """WeasyPrint's HTML of a publication that `parse` read from `folder`, with WeasyPrint's
    user-agent stylesheet cut to what publications use (`_user_agent`).

    This sets what WeasyPrint's own __init__ sets, from a tree made elsewhere. Overriding
    `_ua_stylesheets` is how WeasyPrint's own tests set theirs."""

    def __init__(self, page: lxml.html.HtmlElement, folder: Path) -> None:
        root = element(page)
        self.base_url = weasyprint._find_base_url(root, ensure_url(str(folder)))
        self.url_fetcher = _Fetcher()
        self.media_type = "print"
        self.wrapper_element = cssselect2.ElementWrapper.from_html_root(root)
        self.etree_element = self.wrapper_element.etree_element

    def _ua_stylesheets(self, forms: bool = False) -> list[weasyprint.CSS]:
        sheet = _user_agent()
        return [sheet] if sheet is not None else super()._ua_stylesheets(forms)


def element(node: lxml.html.HtmlElement) -> ElementTree.Element:
    """An lxml element and its descendants as the ElementTree elements WeasyPrint works on (comments kept)."""
    if node.tag is lxml.etree.Comment:
        made = ElementTree.Comment(node.text)
    else:
        made = ElementTree.Element(node.tag, dict(node.attrib))
        made.text = node.text
    made.tail = node.tail
    made.extend(element(child) for child in node if isinstance(child.tag, str) or child.tag is lxml.etree.Comment)
    return made


UA_NOT_USED = re.compile(r"^::(footnote-call|footnote-marker|note-call|note-marker|note-callback) \{[^\n]*\}\n", re.M)


@functools.cache
def _user_agent() -> weasyprint.CSS | None:
    """WeasyPrint's user-agent stylesheet without its rules for every element's footnote and
    note pseudo-elements (publications have neither) and with the ::marker rule for list items
    only (the only elements with a marker): those rules gave each element six pseudo-element
    styles to compute, half the styling time of a report. None when the installed WeasyPrint's
    sheet is not the one this was made for: then its own is used, slower but as it was meant
    (tests/publish/test_pdf.py fails, so the cut is redone for that version)."""
    text, notes = UA_NOT_USED.subn("", weasyprint.html.UA)
    text, markers = re.subn(r"^::marker \{", "li::marker {", text, flags=re.M)
    if (notes, markers) != (5, 1):
        return None
    return weasyprint.CSS(string=text)


@functools.cache
def _stylesheets(texts: tuple[str, ...], base_url: str) -> tuple[list[weasyprint.CSS], FontConfiguration]:
    """The publications' stylesheets parsed with one font configuration (which keeps the fonts
    their @font-face rules load). Given as user stylesheets: the cascade is the same, as no
    publication has author rules of its own and their one !important is for font smoothing."""
    fonts = FontConfiguration()
    return [weasyprint.CSS(string=text, base_url=base_url, media_type="print", font_config=fonts) for text in texts], fonts


class _Fetcher(URLFetcher):
    """WeasyPrint's fetcher, except that the linked `STYLESHEETS` are empty: `printed` passes them parsed."""

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        if url.startswith("file:") and url.rsplit("/", 1)[-1] in STYLESHEETS:
            return URLFetcherResponse(url, b"", headers={"Content-Type": "text/css"})
        return super().fetch(url, headers)



SVG_TEXT_BY_LETTER = ("70.0",)  # WeasyPrint versions whose SVG text drawer lays out each character on its own
PER_CHARACTER = ("rotate", "letter-spacing", "textLength")  # SVG text attributes that place characters one by one


class _Run(str):
    """A text that WeasyPrint's SVG text drawer, which goes through a text character by
    character, takes as one character: one Pango layout and one draw for the whole text."""

    def __iter__(self):
        yield str(self)


@functools.cache
def _draw_svg_text_in_runs() -> bool:
    """Have WeasyPrint draw a chart's text (axis and value labels) as runs rather than letter by
    letter, which made a Pango layout and a draw of every character: a fifth of printing a
    factsheet. A run is kerned, as browsers draw it; a text that places its characters one by
    one (a list of x or y, `PER_CHARACTER`) keeps WeasyPrint's way. Only for `SVG_TEXT_BY_LETTER`:
    False on another WeasyPrint (tests/publish/test_pdf.py fails, so this is redone or dropped)."""
    if weasyprint.__version__ not in SVG_TEXT_BY_LETTER:
        return False
    by_letter = weasyprint.svg.text

    def text(svg: weasyprint.svg.SVG, node: weasyprint.svg.Node, font_size: float) -> None:
        if node.text and not any(name in node.attrib for name in PER_CHARACTER) and all(
            len(node.attrib.get(name, "").replace(",", " ").split()) < 2 for name in ("x", "y", "dx", "dy")
        ):
            node._etree_node.text = _Run(node.text)
        by_letter(svg, node, font_size)

    weasyprint.svg.text = text  # draw_node tells text nodes by this function
    weasyprint.svg.TAGS.update({tag: text for tag, draw in weasyprint.svg.TAGS.items() if draw is by_letter})
    return True

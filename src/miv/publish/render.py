"""Documents to HTML, Markdown and PDF. The PDF is WeasyPrint's rendering of the very HTML
file written beside it, with the print rules of miv.css (A4, cover, page numbers)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import weasyprint
import weasyprint.html
import weasyprint.svg
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from miv.definition import PublicationKind
from miv.publish import narrative
from miv.publish.document import Document
from miv.publish.fieldwork import Fieldwork
from miv.publish.labels import Labels
from miv.publish.method import Plain, join
from miv.publish.number import interval, number
from miv.publish.questionnaire import QuestionnaireView
from miv.publish.verdict import SIGNS

SERIES = "Monitor Integriteit en Veiligheid"
TEMPLATES = {PublicationKind.REPORT: "report.html.j2", PublicationKind.FACTSHEET: "factsheet.html.j2", PublicationKind.KEY_FIGURES: "kerncijfers.html.j2",
             PublicationKind.SUMMARY: "vijfminuten.html.j2"}


@dataclass(frozen=True)
class Meta:
    """What every publication states about its making (method section, colophon)."""

    series: str
    definition_version: str
    code_version: str
    method: dict[str, str]
    policy: object
    weighting: list[dict]
    notice: str | None = None
    plain: Plain | None = None  # the method chapter's parameters (miv.publish.method)
    method_href: str | None = None  # where the method is explained (a report's Verantwoording)
    fieldwork: Fieldwork | None = None  # the fieldwork chapter (miv.publish.fieldwork)
    questionnaires: QuestionnaireView | None = None  # the questionnaires (miv.publish.questionnaire)


class Renderer:
    def __init__(self, labels: Labels, meta: Meta, static: str = "static") -> None:
        self.env = Environment(
            loader=PackageLoader("miv.publish", "templates"),
            autoescape=select_autoescape(["html", "j2"], default_for_string=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.globals.update(
            html=narrative.html, text=narrative.text, significant=narrative.significant, number=number, interval=interval,
            breakdown_label=labels.breakdown, series=SERIES, meta=meta, static=static,
            code_version=meta.code_version, sign_legend=SIGNS,
        )
        self.env.filters["join_dutch"] = join
        self.markdown_env = Environment(
            loader=self.env.loader, autoescape=False, undefined=StrictUndefined, keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True
        )
        self.markdown_env.globals.update(self.env.globals)

    def html(self, doc: Document) -> str:
        return self.env.get_template(TEMPLATES[doc.kind]).render(doc=doc)

    def index(self, docs: list[Document], edition: int, with_pdf: bool, weights: bool = False) -> str:
        return self.env.get_template("index.html.j2").render(docs=docs, edition=edition, with_pdf=with_pdf, weights=weights)

    def markdown(self, doc: Document) -> str:
        return self.markdown_env.get_template("kerncijfers.md.j2").render(doc=doc)


VENDOR_CSS = Path(__file__).parent / "static" / "vendor" / "rijkshuisstijl-community-components-css" / "index.css"
COMPONENTS_NOTICE = (
    "Subset of @rijkshuisstijl-community/components-css (EUPL-1.2; licence and version in "
    "vendor/rijkshuisstijl-community-components-css/), made by miv.publish.render.component_css"
)
COMPONENTS = ("utrecht-document", "utrecht-heading", "utrecht-paragraph", "utrecht-table", "utrecht-figure", "utrecht-unordered-list")


@functools.cache
def component_css() -> str:
    """The vendored components CSS, limited to the components publications use (made once per process).

    The full file has some 1,300 rules; WeasyPrint matches every rule against every element,
    which tripled the time of a report. A rule is kept when each of its selectors names one
    of `COMPONENTS`; an @-block when it mentions one."""
    css = re.sub(r"/\*.*?\*/", "", VENDOR_CSS.read_text(encoding="utf-8"), flags=re.S)
    kept, depth, start = [], 0, 0
    for i, ch in enumerate(css):
        depth += (ch == "{") - (ch == "}")
        if ch == "}" and depth == 0:
            rule, start = css[start : i + 1].strip(), i + 1
            head = rule.split("{", 1)[0]
            wanted = any(c in rule for c in COMPONENTS) if head.startswith("@") else all(any(c in sel for c in COMPONENTS) for sel in head.split(","))
            if wanted:
                kept.append(rule)
    return f"/* {COMPONENTS_NOTICE} */\n" + "\n".join(kept) + "\n"


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
    WeasyPrint styles the page: it would be styled for nothing."""
    sheets, fonts = _stylesheets(tuple((html_file.parent / "static" / name).read_text(encoding="utf-8") for name in STYLESHEETS),
                                 (html_file.parent / "static").as_uri() + "/")
    html = _Publication(filename=str(html_file), base_url=str(html_file.parent), media_type="print", url_fetcher=_Fetcher())
    _leave_out(html.etree_element, SCREEN_ONLY)
    _draw_svg_text_in_runs()
    return html.render(font_config=fonts, stylesheets=sheets, **PDF_OPTIONS)


SCREEN_ONLY = "miv-alleen-scherm"  # the class of what miv.css hides in print (display: none)


def _leave_out(root: ElementTree.Element, css_class: str) -> None:
    """Remove the elements of `css_class` from the tree, keeping the text that follows each."""
    for parent in list(root.iter()):
        previous = None
        for child in list(parent):
            if css_class in (child.get("class") or "").split():
                if child.tail:
                    if previous is None:
                        parent.text = (parent.text or "") + child.tail
                    else:
                        previous.tail = (previous.tail or "") + child.tail
                parent.remove(child)
            else:
                previous = child


class _Publication(weasyprint.HTML):
    """WeasyPrint's HTML with its user-agent stylesheet cut to what publications use (`_user_agent`).

    Overriding `_ua_stylesheets` is how WeasyPrint's own tests set theirs."""

    def _ua_stylesheets(self, forms: bool = False) -> list[weasyprint.CSS]:
        sheet = _user_agent()
        return [sheet] if sheet is not None else super()._ua_stylesheets(forms)


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

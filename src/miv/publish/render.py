"""Documents to HTML and Markdown, and the components CSS they link; miv.publish.printing
prints the HTML to PDF (kept apart so that a process writing no PDF never imports WeasyPrint)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

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

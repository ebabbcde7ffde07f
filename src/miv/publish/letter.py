"""The draft letter to Parliament (kamerbrief.docx) from the key-figures document.

The policy directorate finishes the letter in Word, so it is a .docx with marked places to
fill in. Its figures and sentences are the key figures' own (same disclosure decisions, same
verdicts), so the letter can never state a number or a change the publication does not."""

from __future__ import annotations

from pathlib import Path

from docx import Document as Docx
from docx.enum.text import WD_COLOR_INDEX
from docx.text.paragraph import Paragraph

from miv.publish import narrative
from miv.publish.document import Document
from miv.publish.render import SERIES
from miv.publish.verdict import SIGNS

ADDRESSEE = "Aan de Voorzitter van de Tweede Kamer der Staten-Generaal"
DATE = "[Datum: in te vullen]"
REFERENCE = "[Kenmerk: in te vullen]"
POLICY = "[Beleidsreactie: in te vullen door de beleidsdirectie]"
SIGNATORY = "[De Minister van Binnenlandse Zaken en Koninkrijksrelaties]"
SECTIONS = ("Aanleiding", "Kern", "Kerncijfers", "Beleidsreactie")


def letter(doc: Document, target: Path, notice: str | None = None) -> None:
    """Write the draft letter for the key-figures document `doc` to `target`."""
    out = Docx()
    out.core_properties.title = f"Kamerbrief {SERIES} {doc.edition}"
    if notice:
        out.add_paragraph().add_run(notice).bold = True
    out.add_paragraph(ADDRESSEE)
    _placeholder(out.add_paragraph(), DATE)
    _placeholder(out.add_paragraph(), REFERENCE)
    out.add_paragraph(f"Onderwerp: {SERIES} {doc.edition}")
    out.add_heading(SECTIONS[0], level=1)
    since = f" en vergelijk ik ze met die van {doc.previous}" if doc.previous else ""
    out.add_paragraph(f"Hierbij bied ik u de uitkomsten van de {SERIES} {doc.edition} aan. In deze brief geef ik de kerncijfers{since}.")
    out.add_heading(SECTIONS[1], level=1)
    for sentence in doc.summary:
        out.add_paragraph(narrative.text(sentence), style="List Bullet")
    out.add_heading(SECTIONS[2], level=1)
    for section in doc.sections:
        out.add_heading(section.title, level=2)
        for block in section.blocks:
            out.add_paragraph().add_run(f"{block.indicator.label} ({block.denominator})").bold = True
            _table(out, block, doc.edition, doc.previous)
            out.add_paragraph(" ".join(narrative.text(s) for s in block.sentences))
    legend = "; ".join(f"{mark} {meaning}" for mark, meaning in SIGNS)
    out.add_paragraph(f"Een verandering heet gestegen of gedaald alleen als het verschil significant is (p < 0,05). Verklaring van tekens: {legend}.")
    out.add_heading(SECTIONS[3], level=1)
    _placeholder(out.add_paragraph(), POLICY)
    out.add_paragraph("Hoogachtend,")
    _placeholder(out.add_paragraph(), SIGNATORY)
    out.save(str(target))


def _table(out, block, edition: int, previous: int | None) -> None:
    head = ["Groep", *([str(previous)] if previous else []), str(edition), *(["Verandering"] if previous else [])]
    table = out.add_table(rows=1, cols=len(head))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, head):
        cell.text = text
    for row in block.table.rows:
        before = [row.previous.text() if row.previous else row.previous_sign] if previous else []
        now = row.figure.text() if row.figure else row.sign
        for cell, text in zip(table.add_row().cells, [row.label, *before, now, *([row.change or ""] if previous else [])]):
            cell.text = text


def _placeholder(paragraph: Paragraph, text: str) -> None:
    """A place to fill in, highlighted so nobody sends the letter with it still there."""
    run = paragraph.add_run(text)
    run.font.highlight_color = WD_COLOR_INDEX.YELLOW

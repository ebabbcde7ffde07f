"""The draft letter to Parliament, opened with python-docx as the policy directorate would."""

from __future__ import annotations

import re
from pathlib import Path

import docx

from miv.publish import Policy, Results, disclose
from miv.publish.document import Document, documents
from miv.publish.letter import ADDRESSEE, POLICY, SECTIONS, SIGNATORY, letter
from miv.publish.narrative import Figure

PERCENT = re.compile(r"\d+(?:,\d)?%")


def _text(path: Path) -> tuple[list[str], list[str]]:
    """(headings, every paragraph and table cell) of the letter."""
    book = docx.Document(str(path))
    headings = [p.text for p in book.paragraphs if p.style.name == "Heading 1"]
    texts = [p.text for p in book.paragraphs] + [c.text for t in book.tables for r in t.rows for c in r.cells]
    return headings, texts


def _key_figures(results: Results, policy: Policy | None = None) -> Document:
    return next(d for d in documents(results, disclose(results, policy)) if d.kind.value == "key_figures")


def _published(doc: Document) -> set[str]:
    """Every percentage the key figures show: table cells and the figures in their sentences."""
    shown = set()
    for section in doc.sections:
        for block in section.blocks:
            shown |= {f.text() for r in block.table.rows for f in (r.figure, r.previous) if f}
            shown |= {part.text() for s in block.sentences for part in s if isinstance(part, Figure)}
    return shown


def test_letter_has_its_sections_in_order_and_only_published_figures(published, results: Results):
    out, files = published
    path = out / "kamerbrief.docx"
    assert path in files
    headings, texts = _text(path)
    assert headings == list(SECTIONS)
    assert texts.index(ADDRESSEE) < texts.index("Onderwerp: Monitor Integriteit en Veiligheid 2024")
    assert POLICY in texts and SIGNATORY in texts
    found = {m for t in texts for m in PERCENT.findall(t)}
    shown = _published(_key_figures(results))
    assert len(found) > 10 and found <= shown
    md = (out / "kerncijfers.md").read_text(encoding="utf-8")
    assert all(f in md for f in found)
    assert "kamerbrief.docx" in (out / "manifest.json").read_text(encoding="utf-8")


def test_a_suppressed_figure_is_not_in_the_letter(results: Results, tmp_path):
    """Under a stricter policy a figure the default policy publishes is withheld: the letter shows x."""
    doc = _key_figures(results, Policy(min_respondents=100))
    hidden = [r for s in doc.sections for b in s.blocks for r in b.table.rows if r.figure is None and r.suppressed]
    assert hidden, "the strict policy should withhold a key figure"
    letter(doc, tmp_path / "kamerbrief.docx", "Synthetische gegevens")
    book = docx.Document(str(tmp_path / "kamerbrief.docx"))
    assert book.paragraphs[0].text == "Synthetische gegevens"
    lenient = {(b.indicator.code, r.breakdown, r.domain): r.figure.text() for s in _key_figures(results).sections for b in s.blocks for r in b.table.rows if r.figure}
    tables = iter(book.tables)
    checked = 0
    for section in doc.sections:
        for block in section.blocks:
            table = next(tables)
            for row, drawn in zip(block.table.rows, table.rows[1:]):
                cells = [c.text for c in drawn.cells]
                assert cells[0] == row.label
                if row.figure is None and row.suppressed:
                    assert cells[2] == "x" and lenient[(block.indicator.code, row.breakdown, row.domain)] not in cells
                    checked += 1
    assert checked == len(hidden)
    _, texts = _text(tmp_path / "kamerbrief.docx")
    assert {m for t in texts for m in PERCENT.findall(t)} <= _published(doc)

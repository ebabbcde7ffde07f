"""One edition's publications from one `Results`: the only entry point the pipeline needs."""

from __future__ import annotations

import shutil
from collections.abc import Callable
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

from miv.definition import PublicationKind
from miv.publish.chart import charts
from miv.publish.disclosure import Disclosure, Policy, disclose
from miv.publish.document import Document, documents
from miv.publish.explorer import write_explorer
from miv.publish.fieldwork import fieldwork
from miv.publish.labels import Labels
from miv.publish.letter import letter
from miv.publish.manifest import WEIGHTS_FILE, manifest
from miv.publish.opendata import write_open_data
from miv.publish.questionnaire import describe
from miv.publish.render import SERIES, Meta, Renderer, component_css, pdf
from miv.publish.results import Results
from miv.publish.workbook import estimates_csv, workbook

STATIC = Path(__file__).parent / "static"
Progress = Callable[[int, int, str], None]
PDF_WORKERS = max(1, min(4, os.cpu_count() or 1))


def prepare(results: Results, policy: Policy | None = None) -> tuple[Disclosure, list[Document]]:
    """Disclosure control, then the documents with their charts: everything but the files."""
    disclosure = disclose(results, policy)
    docs = documents(results, disclosure)
    sections = [(section, doc) for doc in docs for section in doc.sections]
    with ThreadPoolExecutor(max_workers=4) as pool:  # vl-convert renders outside the GIL
        made = pool.map(lambda pair: charts(pair[0], pair[1].edition, pair[1].previous), sections)
        for (section, _doc), section_charts in zip(sections, made):
            section.charts = section_charts
    return disclosure, docs


def write_publications(
    results: Results, out_dir: Path, progress: Progress | None = None, *, with_pdf: bool = True, policy: Policy | None = None
) -> list[Path]:
    """Write every publication of the edition into `out_dir`; return the files written.

    HTML and Markdown first, then the tables, then the PDFs (the slow part), the manifest last
    so it can hash everything else."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    disclosure, docs = prepare(results, policy)
    labels = Labels(results.monitor)
    renderer = Renderer(labels, _meta(results, disclosure, labels))
    shutil.copytree(STATIC, out_dir / "static", dirs_exist_ok=True, ignore=shutil.ignore_patterns("verkenner"))
    (out_dir / "static" / "rijkshuisstijl-componenten.css").write_text(component_css(), encoding="utf-8")
    printable = [d for d in docs if d.kind is not PublicationKind.KEY_FIGURES] if with_pdf else []
    total = len(docs) + 4 + len(printable) + 1
    step = _counter(progress, total)
    written: list[Path] = []
    for doc in docs:
        page = out_dir / f"{doc.stem}.html"
        page.write_text(renderer.html(doc), encoding="utf-8")
        written.append(page)
        if doc.kind is PublicationKind.KEY_FIGURES:
            text = out_dir / f"{doc.stem}.md"
            text.write_text(renderer.markdown(doc), encoding="utf-8")
            written.append(text)
            brief = out_dir / f"{doc.stem.replace('kerncijfers', 'kamerbrief')}.docx"
            letter(doc, brief, results.notice)
            written.append(brief)
        step(page.name)
    index = out_dir / "index.html"
    index.write_text(renderer.index(docs, results.edition, with_pdf, results.weights.height > 0), encoding="utf-8")
    written.append(index)
    estimates_csv(disclosure, results.monitor, results.edition, results.previous, out_dir / "estimates.csv")
    written.append(out_dir / "estimates.csv")
    step("estimates.csv")
    if results.weights.height:
        results.weights.sort("edition", "questionnaire", "respondent_id").write_csv(out_dir / WEIGHTS_FILE)
        written.append(out_dir / WEIGHTS_FILE)
    workbook(docs, labels, out_dir / "tabellen.xlsx", results.notice)
    written.append(out_dir / "tabellen.xlsx")
    step("tabellen.xlsx")
    written += write_explorer(results, disclosure, docs, out_dir)
    step("verkenner")
    written += write_open_data(results, disclosure, out_dir)
    step("open-data")
    # WeasyPrint is pure Python: one process per core. Spawned, not forked: this process runs
    # vl-convert's threads, and forking a threaded process can deadlock.
    with ProcessPoolExecutor(max_workers=PDF_WORKERS, mp_context=multiprocessing.get_context("spawn")) as pool:
        jobs = [pool.submit(pdf, out_dir / f"{doc.stem}.html", out_dir / f"{doc.stem}.pdf") for doc in printable]
        for doc, job in zip(printable, jobs):
            job.result()
            written.append(out_dir / f"{doc.stem}.pdf")
            step(f"{doc.stem}.pdf")
    manifest(results, disclosure, written, out_dir / "manifest.json")
    written.append(out_dir / "manifest.json")
    step("manifest.json")
    return written


def _counter(progress: Progress | None, total: int) -> Callable[[str], None]:
    done = 0

    def step(name: str) -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total, name)

    return step


def _meta(results: Results, disclosure: Disclosure, labels: Labels) -> Meta:
    weighting = [{**row, "label": labels.domain("group", row["group"])} for row in results.weighting.iter_rows(named=True)]
    return Meta(SERIES, results.definition_version, results.code_version, results.method, disclosure.policy, weighting,
                results.notice, fieldwork(results), describe(results.monitor, results.edition))

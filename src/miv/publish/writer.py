"""One edition's publications from one `Results`: the only entry point the pipeline needs."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path

from miv.definition import PublicationKind
from miv.errors import MivError
from miv.publish.chart import charts
from miv.publish.disclosure import Disclosure, Policy, disclose
from miv.publish.document import Document, documents
from miv.publish.explorer import write_explorer
from miv.publish.fieldwork import fieldwork
from miv.publish.labels import Labels
from miv.publish.letter import letter
from miv.publish.method import plain
from miv.publish.manifest import WEIGHTS_FILE, manifest
from miv.publish.opendata import write_open_data
from miv.publish.questionnaire import describe
from miv.publish.render import SERIES, Meta, Renderer, component_css
from miv.publish.results import Results
from miv.publish.workbook import estimates_csv, workbook
from miv.workers import Workers, worker_pool

STATIC = Path(__file__).parent / "static"
Progress = Callable[[int, int, str], None]


def prepare(results: Results, policy: Policy | None = None) -> tuple[Disclosure, list[Document]]:
    """Disclosure control, then the documents with their charts: everything but the files. The
    charts one by one: vl-convert holds the GIL while it renders, so threads would not overlap them."""
    disclosure = disclose(results, policy)
    docs = documents(results, disclosure)
    for doc in docs:
        for section in doc.sections:
            section.charts = charts(section, doc.edition, doc.previous, doc.population)
    return disclosure, docs


@dataclass
class Pending:
    """An edition's publications written but for the PDFs still printing, the parts written
    elsewhere (`parts`: the explorer, when the workers may write it) and the manifest, which
    hashes every file and so comes last (`finish`). `pages` are the HTML files to print;
    `workers` the run's, whose waiting jobs `finish` takes rather than wait (`Workers.help`)."""

    results: Results
    disclosure: Disclosure
    out_dir: Path
    written: list[Path]
    pages: list[Path]
    step: Callable[[str], None]
    printing: list[tuple[Path, Future[None]]] = field(default_factory=list)
    parts: list[Future[list[Path]]] = field(default_factory=list)
    workers: Workers | None = None

    def print(self, workers: Workers) -> None:
        """Hand every page to `workers` to print."""
        self.printing += [(page.with_suffix(".pdf"), workers.print(page)) for page in self.pages]

    def finish(self) -> list[Path]:
        """Wait for the parts and the PDFs, write the manifest; return every file written."""
        if self.workers is not None:
            self.workers.help()
        for part in self.parts:
            self.written += part.result()
            self.step("verkenner")
        self.parts = []
        for target, job in self.printing:
            if job.exception() is not None:
                raise MivError(f"de PDF kon niet worden gemaakt: {job.exception()}", file=target) from job.exception()
            self.written.append(target)
            self.step(target.name)
        self.printing = []
        manifest(self.results, self.disclosure, self.written, self.out_dir / "manifest.json")
        self.written.append(self.out_dir / "manifest.json")
        self.step("manifest.json")
        return self.written


def write_publications(
    results: Results, out_dir: Path, progress: Progress | None = None, *, with_pdf: bool = True, policy: Policy | None = None
) -> list[Path]:
    """Write every publication of the edition into `out_dir`; return the files written.

    HTML and Markdown first, then the tables, then the PDFs (the slow part), the manifest last
    so it can hash everything else."""
    if not with_pdf:
        return start_publications(results, out_dir, None, progress, policy=policy).finish()
    with worker_pool() as pool:
        return start_publications(results, out_dir, Workers(pool), progress, pdf=True, policy=policy).finish()


def start_publications(results: Results, out_dir: Path, workers: Workers | None, progress: Progress | None = None, *,
                       pdf: bool = False, policy: Policy | None = None, explorer: bool = True) -> Pending:
    """`write_publications` up to the PDFs; the caller can compute the next edition meanwhile
    and call `finish()` on the result. With `pdf`, the pages are handed to `workers` to print
    (without workers, the caller prints `Pending.pages`). The explorer is a job for `workers`,
    when given, which the caller may take back (`Workers.help`); `explorer=False` leaves it
    to the caller."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    parts = [explorer_job(workers, results, out_dir, policy)] if explorer and workers is not None else []  # a worker may be free now
    disclosure, docs = prepare(results, policy)
    labels = Labels(results.monitor)
    renderer = Renderer(labels, _meta(results, disclosure, labels))
    shutil.copytree(STATIC, out_dir / "static", dirs_exist_ok=True, ignore=shutil.ignore_patterns("verkenner"))
    (out_dir / "static" / "rijkshuisstijl-componenten.css").write_text(component_css(), encoding="utf-8")
    pages = [out_dir / f"{d.stem}.html" for d in docs if d.kind is not PublicationKind.KEY_FIGURES] if pdf else []
    total = len(docs) + 4 + len(pages) + 1
    step = counter(progress, total)
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
    pending = Pending(results, disclosure, out_dir, written, pages, step, parts=parts, workers=workers)
    if pdf and workers is not None:
        pending.print(workers)
    index = out_dir / "index.html"
    index.write_text(renderer.index(docs, results.edition, pdf, results.weights.height > 0), encoding="utf-8")
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
    if explorer and workers is None:
        written += write_explorer(results, disclosure, docs, out_dir)
        step("verkenner")
    written += write_open_data(results, disclosure, out_dir)
    step("open-data")
    return pending


def write_edition_explorer(results: Results, out_dir: Path, policy: Policy | None = None) -> list[Path]:
    """The explorer of an edition, on its own, for a worker or the caller, whichever is free
    first: it needs the disclosure and the documents (0.1 s to make again), not their charts."""
    disclosure = disclose(results, policy)
    return write_explorer(results, disclosure, documents(results, disclosure), out_dir)


def explorer_job(workers: Workers, results: Results, out_dir: Path, policy: Policy | None = None) -> Future[list[Path]]:
    """The edition's explorer as a job for `workers` (or the caller: `Workers.help`), sized by its
    figures: of two editions' explorers, the one that compares two editions is the bigger and goes first."""
    return workers.submit(write_edition_explorer, results, out_dir, policy, size=results.estimates.height)


def write_unprinted(results: Results, out_dir: Path, with_pdf: bool) -> tuple[Disclosure, list[Path], list[Path]]:
    """For a worker process: an edition's publications but the explorer (a job of its own),
    the PDFs and the manifest; returns the disclosure, the files written and the pages the
    caller is to print (`with_pdf`) before it writes the manifest."""
    pending = start_publications(results, out_dir, None, pdf=with_pdf, explorer=False)
    return pending.disclosure, pending.written, pending.pages


def counter(progress: Progress | None, total: int) -> Callable[[str], None]:
    """A step function that tells `progress` (done, total, name) as each of `total` files is done."""
    done = 0

    def step(name: str) -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total, name)

    return step


def _meta(results: Results, disclosure: Disclosure, labels: Labels) -> Meta:
    weighting = [{**row, "label": labels.domain("group", row["group"])} for row in results.weighting.iter_rows(named=True)]
    report = next((p.slug for p in results.monitor.publications if p.kind is PublicationKind.REPORT), None)
    return Meta(SERIES, results.definition_version, results.code_version, results.method, disclosure.policy, weighting,
                results.notice, plain(results, disclosure.policy.tiny_population), f"{report}.html#verantwoording" if report else None,
                fieldwork(results), describe(results.monitor, results.edition))

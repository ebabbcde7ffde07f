"""One edition from survey files to publications: what `miv run` and `miv demo` both do."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

from miv.definition import Monitor
from miv.errors import MivError
from miv.intake import IntakeError
from miv.pipeline.fieldwork import response
from miv.pipeline.inputs import Inputs, read_inputs, write_reports
from miv.pipeline.run import run
from miv.publish import Disclosure, Results
from miv.publish.writer import Pending, counter, explorer_job, start_publications, write_unprinted
from miv.workers import Workers, processes, worker_pool

Progress = Callable[[str, int | None, int | None], None]
"""Told what is being done and, when known, how many of how many steps are done."""


@dataclass(frozen=True)
class Published:
    """The figures of one edition and every file written for it."""

    results: Results
    written: list[Path]
    folder: Path


def read_edition(monitor: Monitor, edition: int, files: Iterable[Path], reports: Path, fieldwork: Path | None = None) -> Inputs:
    """Read and validate every file of an edition (and its fieldwork account, veldwerk.csv)
    and write their reports into `reports`; one rejected file stops the edition, since its
    figures would be silently incomplete."""
    if edition not in monitor.editions:
        raise MivError(f"editie {edition} staat niet in de definitie; bekend: {', '.join(map(str, monitor.editions))}")
    inputs = read_inputs(files, monitor, edition, fieldwork)
    write_reports(inputs, reports)
    for report in inputs.reports:
        if not report.ok:
            raise IntakeError(f"{report.file} is afgekeurd ({report.errors} fouten); rapporten in {reports}",
                              file=report.file, details=[report.to_text(limit=5)])
    return inputs


def publish_edition(monitor: Monitor, edition: int, current: Inputs, previous: Inputs | None, out: Path, *,
                    pdf: bool = True, notice: str | None = None, progress: Progress | None = None,
                    previous_results: Results | None = None) -> Published:
    """Weigh, estimate and compare one edition (against `previous`, when given), then write
    every publication into `out`; `notice` is printed on every output. `previous_results`,
    the previous edition's figures when it was run already, are reused, not recomputed."""
    with worker_pool() if pdf else nullcontext() as pool:
        results = _estimate(monitor, edition, current, previous, notice, progress, previous_results)
        pending = _publish(results, out, Workers(pool) if pool else None, pdf, progress)
        return Published(results, _finish(pending, out), out)


def _estimate(monitor: Monitor, edition: int, current: Inputs, previous: Inputs | None, notice: str | None,
              progress: Progress | None, previous_results: Results | Future[Results] | None) -> Results:
    step = progress or _silent
    before = {k: v for k, v in previous.hashes.items() if k != previous.fieldwork_file} if previous else {}
    hashes = {**current.hashes, **before}  # the previous edition's fieldwork account is not used here
    fieldwork = None
    if current.invited is not None:
        fieldwork = response(monitor, edition, current.invited, current.tables, current.fieldwork_file or "veldwerk")
    return run(monitor, edition, current.tables, previous.tables if previous else None, hashes,
               lambda what: step(what, None, None), notice, previous_results=previous_results,
               fieldwork=fieldwork, fieldwork_file=current.fieldwork_file)


def _publish(results: Results, out: Path, workers: Workers | None, pdf: bool, progress: Progress | None) -> Pending:
    """The edition's publications up to the PDFs, which `workers` print (with `pdf`) while the caller goes on;
    they may write its explorer too, unless the caller takes it back (`Workers.help`)."""
    step = progress or _silent
    step("publiceren", 0, 1)
    try:
        return start_publications(results, out, workers, lambda done, total, name: step(name, done, total), pdf=pdf)
    except OSError as exc:
        raise _unwritable(exc, out) from exc


class _Beside:
    """An edition estimated and written by the workers while the caller goes on: its figures
    (`results`, a Future the next edition's comparisons wait for), then its publications and,
    as a job of its own that the caller may take (`Workers.help`), its explorer; with `pdf`, its
    PDFs are queued the moment the pages exist; `finish` writes the manifest here."""

    def __init__(self, workers: Workers, results: Future[Results], out: Path, pdf: bool, progress: Progress | None) -> None:
        self.workers, self.results, self.out, self.pdf, self.step = workers, results, out, pdf, progress or _silent
        self.step("schattingen", None, None)
        self.pending: Pending | None = None
        self.done = threading.Event()
        self.job: Future[tuple[Disclosure, list[Path], list[Path]]] | None = None
        self.explorer: Future[list[Path]] | None = None
        results.add_done_callback(self._estimated)

    def _estimated(self, results: Future[Results]) -> None:
        if results.exception() is not None:
            self.done.set()
            return
        self.step("publiceren", 0, 1)
        self.job = self.workers.submit(write_unprinted, results.result(), self.out, self.pdf)
        self.explorer = explorer_job(self.workers, results.result(), self.out)
        self.job.add_done_callback(self._written)

    def _written(self, job: Future[tuple[Disclosure, list[Path], list[Path]]]) -> None:
        try:
            if job.exception() is None:
                disclosure, written, pages = job.result()
                step = counter(lambda done, total, name: self.step(name, done, total), len(pages) + 2)
                assert self.explorer is not None
                self.pending = Pending(self.results.result(), disclosure, self.out, written, pages, step, parts=[self.explorer],
                                       workers=self.workers)
                if self.pdf:
                    self.pending.print(self.workers)
        finally:
            self.done.set()

    def finish(self) -> list[Path]:
        self.workers.help()  # the jobs still waiting, before waiting for the workers' ones
        self.done.wait()
        self.results.result()  # the workers' error, if any
        assert self.job is not None
        self.job.result()
        assert self.pending is not None
        return self.pending.finish()


def _silent(what: str, done: int | None, total: int | None) -> None:
    """No progress shown."""


def _finish(pending: Pending | _Beside, out: Path) -> list[Path]:
    try:
        return pending.finish()
    except OSError as exc:
        raise _unwritable(exc, out) from exc


def _unwritable(exc: OSError, out: Path) -> MivError:
    return MivError(f"kan de publicaties niet schrijven naar {exc.filename or out}: {exc.strerror}", file=exc.filename)


def run_edition(monitor: Monitor, edition: int, files: Iterable[Path], previous: Iterable[Path], out: Path, *,
                pdf: bool = True, notice: str | None = None, progress: Progress | None = None,
                fieldwork: Path | None = None, workers: Workers | None = None) -> Published:
    """`miv run`: this edition's files (and the previous edition's, for the comparisons)
    read, checked, weighted, estimated and published into `out`; `fieldwork` is this
    edition's fieldwork account (veldwerk.csv), for the response table. A worker estimates
    the previous edition while this process estimates this one; `workers` are the run's
    `processes`, when the caller started them earlier."""
    previous = list(previous)
    year = _previous(monitor, edition) if previous else None
    with nullcontext(workers) if workers is not None else processes(pdf, 2 if previous else 1) as workers:
        current = read_edition(monitor, edition, files, out / "validatie", fieldwork)
        prior = read_edition(monitor, year, previous, out.parent / str(year) / "validatie") if year is not None else None  # each edition's reports in that edition's folder
        figures = workers.submit(_estimate, monitor, year, prior, None, notice, None, None) if prior and workers else None
        results = _estimate(monitor, edition, current, prior, notice, progress, figures)  # beside the previous edition's
        pending = _publish(results, out, workers, pdf, progress)
        return Published(results, _finish(pending, out), out)


def run_editions(monitor: Monitor, files: Mapping[int, Iterable[Path]], out: Path, *, pdf: bool = True,
                 notice: str | None = None, progress: Callable[[int], Progress] | None = None,
                 fieldwork: Mapping[int, Path] | None = None, workers: Workers | None = None) -> list[Published]:
    """Every edition in `files`, oldest first, into <out>/<edition>/, each compared with the
    edition before it; each edition's files are read once, also when the next one compares
    against them, and its figures are reused for the comparison, not recomputed. Both cores
    are kept busy: the workers estimate and write the earlier editions while this process
    estimates the newest (its comparisons wait for the previous edition's figures), and,
    with PDFs, print those of every edition, the biggest waiting page first. `workers` are
    the run's `processes`, when the caller started them earlier. `progress(edition)` gives the
    progress callback for that edition; `fieldwork` the fieldwork account (veldwerk.csv)
    per edition."""
    read: dict[int, Inputs] = {}
    estimated: dict[int, Results | Future[Results]] = {}
    started: dict[int, Pending | _Beside] = {}
    years = sorted(files)
    with nullcontext(workers) if workers is not None else processes(pdf, len(years)) as workers:
        for year in years:
            told = progress(year) if progress else None
            read[year] = read_edition(monitor, year, files[year], out / str(year) / "validatie", (fieldwork or {}).get(year))
            previous = monitor.editions[year].previous
            prior, before = read.get(previous) if previous is not None else None, estimated.get(previous)
            if year != years[-1] and workers is not None:
                figures = _figures(before)  # a worker cannot wait for another's Future
                estimated[year] = workers.submit(_estimate, monitor, year, read[year], prior, notice, None, figures)
                started[year] = _Beside(workers, estimated[year], out / str(year), pdf, told)
            else:
                estimated[year] = _estimate(monitor, year, read[year], prior, notice, told, before)
                started[year] = _publish(estimated[year], out / str(year), workers, pdf, told)
        return [Published(_figures(estimated[year]), _finish(pending, out / str(year)), out / str(year))
                for year, pending in started.items()]


def _figures(results: Results | Future[Results] | None) -> Results | None:
    return results.result() if isinstance(results, Future) else results


def _previous(monitor: Monitor, edition: int) -> int:
    year = monitor.editions[edition].previous
    if year is None:
        raise MivError(f"editie {edition} noemt geen vorige editie in edition.yaml; laat --previous weg")
    return year

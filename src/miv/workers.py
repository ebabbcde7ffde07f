"""The worker processes of a run and the order of their jobs: one module that loads nothing
of miv, so that a command can start its workers (and the .sav reader) first and import the
rest while they start.

    with processes(pdf=True, editions=2) as workers:
        done = workers.submit(job, *args)    # before any PDF still waiting
        workers.print(page)                  # page.html -> page.pdf, biggest first
"""

from __future__ import annotations

import atexit
import gc
import heapq
import itertools
import math
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any, TypeVar

PDF_WORKERS = max(1, min(4, os.cpu_count() or 1))
WORKER_NICENESS = 5
RUN_COLLECTION = (10_000, 10, 10)
"""gc thresholds in a run's processes: a run makes millions of short-lived objects (rows, cells,
pages) and few reference cycles; with Python's default (a collection every 700 allocations) the
demo's own process spent half a CPU second collecting, two thirds of it in full collections."""
JOB, PDF = 0, 1
"""The two kinds of a run's work, in the order they go: an edition's jobs before any PDF."""
T = TypeVar("T")


@contextmanager
def processes(pdf: bool, editions: int) -> Iterator[Workers | None]:
    """The worker processes of a run of `editions` editions (none for one edition without PDFs:
    one per core with PDFs, else one) and the .sav reader child, started now: their imports
    overlap whatever the caller does first (importing the pipeline, making the demo's data)."""
    count = PDF_WORKERS if pdf else 1 if editions > 1 else 0
    before = gc.get_threshold()
    gc.set_threshold(*RUN_COLLECTION)
    try:
        with worker_pool(count, printing=pdf, editions=editions > 1) if count else nullcontext() as pool:
            from miv.intake.savreader import shared  # after the workers are on their way: it loads polars

            shared().start()
            yield Workers(pool, count) if pool is not None else None
    finally:
        gc.set_threshold(*before)


def worker_pool(workers: int = PDF_WORKERS, printing: bool = True, editions: bool = False) -> ProcessPoolExecutor:
    """Processes that print PDFs (or estimate and write whole editions), one per core: WeasyPrint
    is pure Python. Spawned, not forked: the caller runs vl-convert's threads, and forking a
    threaded process can deadlock. Each worker starts at once and imports what its jobs need
    (`ready`: WeasyPrint when `printing`, the pipeline when it estimates and writes `editions`
    too, as a pool that does not print always does) while the caller goes on, so a pool made at
    the start of a run is ready when the first job is due. Printing workers run at a lower priority: the caller
    computes what they will print next, so it goes first. A worker that does not print writes
    an edition as urgent as the caller's, and on a busy machine a lower priority starved it
    (the run waited seconds for it at the end)."""
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_started, initargs=(printing,))
    for _ in range(workers):
        pool.submit(ready, printing, editions or not printing)
    return pool


class Workers:
    """The pool's jobs, the most urgent first, and never more at once than it has workers: a job
    queued inside the pool could not be overtaken. An edition's estimates and publications go
    before any PDF (they make the pages, and the next edition waits for the estimates); among
    them, and among the PDFs, the biggest first, whichever edition it is from: a run ends when
    its last job does, so the longest must start first (the others then fill the gaps beside it),
    and a PDF as soon as its page exists."""

    def __init__(self, pool: Executor, workers: int = PDF_WORKERS) -> None:
        self._pool, self._free = pool, workers
        self._waiting: list[tuple[tuple[int, float], int, Callable[..., Any], tuple[Any, ...], Future[Any]]] = []
        self._order = itertools.count()
        self._lock = threading.Lock()

    def submit(self, job: Callable[..., T], *args: Any, size: float = math.inf) -> Future[T]:
        """Run `job(*args)` in a worker before any PDF still waiting, and before the waiting jobs
        of a smaller `size` (a measure of its work: jobs without one go first, in turn)."""
        return self._queue((JOB, -size), job, args)

    def print(self, page: Path) -> Future[None]:
        """Queue `page` (an HTML file) to be printed beside it as .pdf."""
        from miv.publish.printing import pdf  # WeasyPrint: only in a run that prints

        return self._queue((PDF, -page.stat().st_size), pdf, (page, page.with_suffix(".pdf")))

    def help(self) -> None:
        """Run here the jobs still waiting that are not PDFs, one by one and the biggest first, for
        a caller that has nothing else to do than wait: an edition's explorer goes to whoever is free first."""
        while True:
            with self._lock:
                jobs = [entry for entry in self._waiting if entry[0][0] == JOB]
                if not jobs:
                    return
                entry = min(jobs)
                self._waiting.remove(entry)
                heapq.heapify(self._waiting)
            _, _, job, args, done = entry
            try:
                done.set_result(job(*args))
            except Exception as exc:  # reported where its result is asked for, as a worker's error is
                done.set_exception(exc)

    def _queue(self, rank: tuple[int, float], job: Callable[..., T], args: tuple[Any, ...]) -> Future[T]:
        done: Future[T] = Future()
        with self._lock:
            heapq.heappush(self._waiting, (rank, next(self._order), job, args, done))
        self._start()
        return done

    def _start(self) -> None:
        with self._lock:
            due = [heapq.heappop(self._waiting) for _ in range(min(self._free, len(self._waiting)))]
            self._free -= len(due)
        for _, _, job, args, done in due:
            try:
                running = self._pool.submit(job, *args)
            except RuntimeError as exc:  # the pool was shut down or broke
                done.set_exception(exc)
                continue
            running.add_done_callback(lambda running, done=done: self._finished(running, done))

    def _finished(self, running: Future[Any], done: Future[Any]) -> None:
        with self._lock:
            self._free += 1
        error = running.exception()
        if error is None:
            done.set_result(running.result())
        else:
            done.set_exception(error)
        self._start()


def _started(printing: bool) -> None:
    """A worker's setting-up: a run's gc thresholds, a quick exit and, when it prints, a lower priority."""
    gc.set_threshold(*RUN_COLLECTION)
    exit_without_collecting()
    if printing:
        os.nice(WORKER_NICENESS)


def exit_without_collecting() -> None:
    """For a run's processes (`miv demo` and `miv run`, and their workers): at exit Python
    collects garbage over every object still alive before it frees them (0.3 s of the command's
    own process in `miv demo`, as long in each worker, whose exit the pool's shutdown waits for),
    though the operating system frees a process's memory anyway. Frozen, the heap is left out of
    those collections; atexit calls its functions last-registered first, so this one, registered
    at the start, runs last. An object in a reference cycle then keeps its finalizer unrun at
    exit, which Python does not promise to run anyway; a run closes its files itself."""
    atexit.register(gc.freeze)


def ready(printing: bool, editions: bool) -> None:
    """A worker's first job: it imports what its jobs need before they are due (WeasyPrint when it
    prints, the pipeline when it estimates and writes editions). One that writes editions and does
    not print will draw their charts first, so it starts vl-convert's engine too (V8 with the Vega
    bundles): a third of a second that would otherwise delay its first chart. The caller's engine
    starts at its first chart: vl-convert holds the GIL while V8 starts, so a thread of the caller
    that started it would hold up the caller just as long."""
    if editions:
        from miv.pipeline import edition  # noqa: F401
    if printing:
        import miv.publish.printing  # noqa: F401
    elif editions:
        import vl_convert

        vl_convert.vega_to_svg({"width": 1, "height": 1}, format_locale="nl-NL")

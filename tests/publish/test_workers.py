"""The run's worker processes take the most urgent job first: an edition's estimates or
publications before any PDF, then the biggest waiting page, and the pool never holds more
jobs than it has workers (a job queued inside it could not be overtaken)."""

from __future__ import annotations

import gc
import multiprocessing
import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from miv.errors import MivError
from miv.publish.render import component_css
from miv.publish.writer import STATIC, Pending
from miv.workers import RUN_COLLECTION, WORKER_NICENESS, Workers, processes, worker_pool


def _held_until(gate: Path) -> str:
    """A job that keeps its worker busy until the test opens `gate`."""
    while not gate.exists():
        time.sleep(0.01)
    return "open"


def _page(folder: Path, name: str, paragraphs: int) -> Path:
    page = folder / f"{name}.html"
    body = "".join(f"<p>Alinea {i} van {name}.</p>" for i in range(paragraphs))
    page.write_text(f'<!doctype html><html lang="nl"><head><title>{name}</title></head><body>{body}</body></html>', encoding="utf-8")
    return page


def test_an_editions_job_goes_first_then_the_biggest_page(tmp_path):
    shutil.copytree(STATIC, tmp_path / "static", ignore=shutil.ignore_patterns("verkenner"))
    (tmp_path / "static" / "rijkshuisstijl-componenten.css").write_text(component_css(), encoding="utf-8")
    small, big = _page(tmp_path, "klein", 2), _page(tmp_path, "groot", 200)
    gate, finished = tmp_path / "open", []
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        workers = Workers(pool, 1)
        held = workers.submit(_held_until, gate)
        jobs = {"klein": workers.print(small), "groot": workers.print(big), "editie": workers.submit(str.upper, "editie")}
        for name, job in jobs.items():
            job.add_done_callback(lambda _, name=name: finished.append(name))
        gate.touch()
        assert held.result(timeout=120) == "open"
        assert jobs["editie"].result(timeout=120) == "EDITIE"
        for job in jobs.values():
            job.result(timeout=120)
    assert finished == ["editie", "groot", "klein"]  # the pool's own order would be klein, groot, editie
    assert all(page.with_suffix(".pdf").read_bytes().startswith(b"%PDF") for page in (small, big))


def test_of_the_waiting_jobs_the_biggest_goes_first_and_the_caller_takes_the_biggest_too(tmp_path):
    """A run ends when its last job does: of two editions' explorers the bigger starts first,
    in a worker or in a caller that helps (`Workers.help`); jobs without a size go before."""
    gate, shut, finished = tmp_path / "open", tmp_path / "dicht", []
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        workers = Workers(pool, 1)
        held = workers.submit(_held_until, gate)
        jobs = {"klein": workers.submit(str.upper, "klein", size=10), "groot": workers.submit(str.upper, "groot", size=1000),
                "midden": workers.submit(str.upper, "midden", size=100), "eerst": workers.submit(str.upper, "eerst")}
        for name, job in jobs.items():
            job.add_done_callback(lambda _, name=name: finished.append(name))
        gate.touch()
        held.result(timeout=120)
        for job in jobs.values():
            job.result(timeout=120)
        assert finished == ["eerst", "groot", "midden", "klein"]
        finished.clear()
        held = workers.submit(_held_until, shut)
        small, big = workers.submit(os.getpid, size=1), workers.submit(os.getpid, size=2)
        for name, job in {"klein": small, "groot": big}.items():
            job.add_done_callback(lambda _, name=name: finished.append(name))
        workers.help()
        shut.touch()
        held.result(timeout=120)
    assert finished == ["groot", "klein"] and small.result() == big.result() == os.getpid()


def test_a_caller_with_nothing_to_do_takes_the_waiting_jobs_but_not_the_pdfs(tmp_path):
    """`Workers.help`: an edition's explorer goes to whoever is free first, the caller included;
    the PDFs stay with the workers (the caller has no WeasyPrint)."""
    shutil.copytree(STATIC, tmp_path / "static", ignore=shutil.ignore_patterns("verkenner"))
    (tmp_path / "static" / "rijkshuisstijl-componenten.css").write_text(component_css(), encoding="utf-8")
    gate = tmp_path / "open"
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        workers = Workers(pool, 1)
        held = workers.submit(_held_until, gate)
        page = workers.print(_page(tmp_path, "klein", 2))
        waiting = workers.submit(os.getpid)
        workers.help()
        assert waiting.result(timeout=0) == os.getpid()  # run here, at once
        assert not page.done()
        gate.touch()
        held.result(timeout=120)
        page.result(timeout=120)
    assert (tmp_path / "klein.pdf").read_bytes().startswith(b"%PDF")


def test_a_failed_job_is_reported_and_the_next_ones_still_run(tmp_path):
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        workers = Workers(pool, 1)
        failed, after = workers.submit(int, "geen getal"), workers.submit(str.upper, "verder")
        assert isinstance(failed.exception(timeout=120), ValueError)
        assert after.result(timeout=120) == "VERDER"


def test_a_pdf_that_cannot_be_printed_stops_the_run_with_a_message_naming_it(tmp_path):
    """No traceback: the CLI shows a MivError as 'Fout:' and where (here a page without its static/)."""
    page = _page(tmp_path, "zonder-stijl", 2)
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        pending = Pending(None, None, tmp_path, [], [page], step=lambda name: None)  # type: ignore[arg-type]
        pending.print(Workers(pool, 1))
        with pytest.raises(MivError, match="de PDF kon niet worden gemaakt") as failed:
            pending.finish()
    assert failed.value.file == str(page.with_suffix(".pdf"))
    assert not (tmp_path / "manifest.json").exists()


class _Cycle:
    """Garbage in a reference cycle that says so in `path` when it is collected."""

    def __init__(self, path: Path) -> None:
        self.path, self.me = path, self

    def __del__(self, open=open) -> None:  # builtins are gone late in an exit
        with open(self.path, "w") as f:
            f.write("opgeruimd")


def _leave_garbage(path: Path) -> None:
    _Cycle(path)
    gc.disable()  # only the collection at exit could find it now


def test_a_runs_processes_leave_their_heap_to_the_system_at_exit(tmp_path):
    """Python's exit collects garbage over the whole heap, 0.3 s in the demo's processes, whose
    memory the system frees anyway (`exit_without_collecting`): a cycle left at the exit of
    `miv run` (here one that stops at once) or of a run's worker is not collected. The same
    cycle in a plain Python is, and so it is at the exit of a command that is not a run."""
    code = ("import sys\nfrom pathlib import Path\nfrom tests.publish.test_workers import _leave_garbage\n"
            "from miv.cli import app\n_leave_garbage(Path(sys.argv[1]))\n"
            "if sys.argv[2:]:\n    app(sys.argv[2:])\n")
    plain, command, other, worker = tmp_path / "plain", tmp_path / "run", tmp_path / "check", tmp_path / "worker"
    run = ["run", "--edition", "1999", "--data", str(tmp_path / "geen.sav"), "--no-pdf", "--out", str(tmp_path / "uit")]
    ended = {path.name: subprocess.run([sys.executable, "-c", code, str(path), *args], cwd=Path(__file__).parents[2],
                                       capture_output=True, text=True, timeout=120)
             for path, args in ((plain, []), (command, run), (other, ["definition", "check"]))}
    assert "editie 1999 staat niet in de definitie" in ended["run"].stderr and ended["run"].returncode == 1
    assert ended["plain"].returncode == ended["check"].returncode == 0
    with worker_pool(1, printing=False) as pool:
        pool.submit(_leave_garbage, worker).result(timeout=120)
    assert plain.read_text() == other.read_text() == "opgeruimd"
    assert not command.exists() and not worker.exists()


def _loaded() -> tuple[bool, bool]:
    """Whether this worker has WeasyPrint and the pipeline imported."""
    return "weasyprint" in sys.modules, "miv.pipeline.edition" in sys.modules


def test_a_run_without_pdfs_never_imports_weasyprint_and_its_worker_keeps_the_callers_priority():
    """WeasyPrint costs about a CPU second to import: the process that estimates and writes
    publications and a worker that prints nothing go without it; a printing worker has it ready.
    A worker that writes editions has the pipeline imported before its first job, one that only
    prints does not (`miv.workers.ready`). A printing worker yields to the caller; one that writes
    an edition beside it does not."""
    code = "import sys, miv.cli, miv.pipeline, miv.publish.writer, miv.publish.explorer; print('weasyprint' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "False"
    mine = os.nice(0)
    with worker_pool(1, printing=False) as pool:
        assert pool.submit(_loaded).result(timeout=120) == (False, True)
        assert pool.submit(os.nice, 0).result(timeout=120) == mine
    with worker_pool(1) as pool:
        assert pool.submit(_loaded).result(timeout=120) == (True, False)
        assert pool.submit(os.nice, 0).result(timeout=120) == min(19, mine + WORKER_NICENESS)
    with worker_pool(1, editions=True) as pool:
        assert pool.submit(_loaded).result(timeout=120) == (True, True)


def test_a_runs_processes_collect_garbage_less_often_and_the_caller_gets_its_setting_back():
    """A run makes millions of short-lived objects and few cycles (`RUN_COLLECTION`): its
    processes, workers included, collect less often; the caller's thresholds are restored after."""
    before = gc.get_threshold()
    assert before != RUN_COLLECTION
    with processes(pdf=False, editions=2) as workers:
        assert gc.get_threshold() == RUN_COLLECTION
        assert workers is not None and workers.submit(gc.get_threshold).result(timeout=120) == RUN_COLLECTION
    assert gc.get_threshold() == before

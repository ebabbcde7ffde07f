"""Benchmark `miv demo`: the demo generator (generate both editions, write them as Parquet +
SPSS, peak memory; the '## Demo data (miv demo)' section) and the whole demo as a user runs
it (fresh processes of the console script with and without PDFs, wall and CPU seconds) with
where its time goes, stage by stage (the '## miv demo, end to end' section), both in
docs/performance.md.

    python benchmarks/demo.py [runs]    # runs of each command, default 3
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from report import children_cpu, compiled, context, cpu, peak_rss_mib, write_section

from miv import demo, pipeline
from miv.definition import Monitor, load
from miv.publish import printing
from miv.workers import worker_pool

RUNS = 5
MIV = Path(sys.executable).with_name("miv")
STAGES = ("generation", "intake", "weighting", "estimation", "HTML and tables", "PDF")


def generator() -> None:
    started = context("benchmarks/demo.py")
    monitor = load()
    generate, write = [], []
    for run in range(RUNS):
        start = time.perf_counter()
        tables = list(demo.tables(monitor, demo.DEFAULT_SEED + run))
        generate.append(time.perf_counter() - start)
        with tempfile.TemporaryDirectory() as out:
            start = time.perf_counter()
            for t in tables:
                demo.write_table(t, Path(out) / str(t.edition) / "data", demo.DEFAULT_SEED + run)
            write.append(time.perf_counter() - start)
    rows = sum(t.data.height for t in tables)
    lines = [
        f"{started} Median of {RUNS} runs (different seeds).",
        "",
        "| step | median | slowest |",
        "| --- | --- | --- |",
        f"| generate 2022 + 2024, all questionnaires ({rows:,} rows) | {statistics.median(generate):.2f} s | {max(generate):.2f} s |",
        f"| write them as Parquet + labelled SPSS | {statistics.median(write):.2f} s | {max(write):.2f} s |",
        f"| peak resident memory of the process | {peak_rss_mib():.0f} MiB | |",
    ]
    section = write_section("## Demo data (miv demo)", "\n".join(lines))
    print(section)




def whole(args: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds (the process and its children: reader child, PDF workers) of one run of `miv args`."""
    before, start = children_cpu(), time.perf_counter()
    subprocess.run([str(MIV), *args], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start, children_cpu() - before


def demo_runs(args: list[str], runs: int) -> list[tuple[float, float]]:
    """`runs` runs of `miv demo args`, each into a new folder. The folders go when all runs are
    done: ext4 allocates the inodes of a run's 2,700 new files slower just after the previous
    run's were deleted (1 to 1.5 CPU s of the kernel's, measured with perf), a cost no first run pays."""
    with tempfile.TemporaryDirectory() as folder:
        return [whole(["demo", "--out", str(Path(folder) / str(run)), *args]) for run in range(runs)]


def stages(monitor: Monitor) -> tuple[dict[str, tuple[float, float]], int]:
    """Wall and CPU seconds per stage of one in-process run, the stages one after the other:
    generation, then both editions without PDFs (timed at the pipeline's progress calls: the
    pipeline's come when a phase starts, the writer's when a file is done), then every PDF of
    both editions in the spawned pool (CPU of its workers)."""
    wall: dict[str, float] = defaultdict(float)
    spent: dict[str, float] = defaultdict(float)
    starts = {"weging": "intake", "schattingen": "weighting", "vergelijkingen": "estimation", "modellen": "estimation",
              "publiceren": "estimation"}
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        clock, used = time.perf_counter(), cpu()
        _, files = demo.write_data(monitor, out, demo.DEFAULT_SEED)

        def step(what: str, done: int | None, total: int | None) -> None:
            nonlocal clock, used
            now, now_used = time.perf_counter(), cpu()
            stage = "generation" if what == "generation" else starts.get(what, "HTML and tables")
            wall[stage] += now - clock
            spent[stage] += now_used - used
            clock, used = now, now_used

        step("generation", None, None)
        previous = None
        for year in sorted(files):  # one edition after the other, in this process
            read = pipeline.read_edition(monitor, year, files[year], out / str(year) / "validatie")
            previous = pipeline.publish_edition(monitor, year, read, None, out / str(year), pdf=False, notice=demo.PUBLICATION_NOTICE,
                                                progress=step, previous_results=previous.results if previous else None)
        # what the PDF run prints: every HTML publication but the key figures (those have a .md beside them)
        pages = [p for year in files for p in sorted((out / str(year)).glob("*.html"))
                 if p.name != "index.html" and not p.with_suffix(".md").exists()]
        pages.sort(key=lambda p: -p.stat().st_size)
        before, start = children_cpu(), time.perf_counter()
        with worker_pool() as pool:
            for job in [pool.submit(printing.pdf, p, p.with_suffix(".pdf")) for p in pages]:
                job.result()
        wall["PDF"], spent["PDF"] = time.perf_counter() - start, children_cpu() - before
    return {stage: (wall[stage], spent[stage]) for stage in STAGES}, len(pages)


def _median(runs: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs)


def _verdict(no_pdf: float, no_pdf_target: float, with_pdf: float, pdf_target: float) -> str:
    """Whether the wall times meet the targets; they hold for 2 idle cores only when the run was
    made on a quiet machine (the load averages above say)."""
    if no_pdf <= no_pdf_target and with_pdf <= pdf_target:
        return "within the targets."
    return (f"not within the targets: `--no-pdf` {no_pdf:.1f} s (target {no_pdf_target:.0f} s), "
            f"with PDFs {with_pdf:.1f} s (target {pdf_target:.0f} s).")


def end_to_end(runs: int) -> None:
    started = context("benchmarks/demo.py")
    compiled()
    whole(["--help"])  # warm the page cache, as a user's second start finds it
    helps = [whole(["--help"]) for _ in range(7)]
    breakdown, printed = stages(load())
    no_pdf = demo_runs(["--no-pdf"], runs)
    with_pdf = demo_runs([], runs)
    (np_wall, np_cpu), (pdf_wall, pdf_cpu), (help_wall, help_cpu) = _median(no_pdf), _median(with_pdf), _median(helps)
    rows = [f"| {stage} | {breakdown[stage][0]:.1f} s | {breakdown[stage][1]:.1f} s |" for stage in STAGES]
    body = "\n".join([
        f"{started} Load average {os.getloadavg()[0]:.1f} at the end. Median of {runs} fresh runs of the console "
        "script per command (7 for `--help`); CPU is user + system seconds of the process and its children "
        "(the .sav reader, the PDF workers). The machine is shared, so wall time stretches with the load; "
        "the CPU seconds say what 2 idle cores would need (an upper bound: at a load average well above the 2 cores, CPU seconds stretch too, so a quiet re-run is the figure to hold against the targets).",
        "",
        "| command | wall | CPU (process and children) | target (wall, 2 idle cores) |",
        "| --- | --- | --- | --- |",
        f"| `miv --help` | {help_wall:.2f} s | {help_cpu:.2f} s | 0.5 s |",
        f"| `miv demo --no-pdf` | {np_wall:.1f} s | {np_cpu:.1f} s | 10 s |",
        f"| `miv demo` (all PDFs) | {pdf_wall:.1f} s | {pdf_cpu:.1f} s | 30 s |",
        "",
        f"Verdict: {_verdict(np_wall, 10, pdf_wall, 30)}",
        "",
        "Where the time goes: one in-process run, the stages one after the other (both editions): "
        f"generation, then the editions without PDFs, then the {printed} PDFs of both editions in the "
        "pool of spawned workers (one per core). CPU of the stages before the PDFs is this process's "
        "(vl-convert's threads included, the .sav reader child not); the PDF stage's is its workers'. "
        "In `miv demo` the stages overlap: the workers and the .sav reader start while the data are made; a "
        "worker estimates and writes 2022 while this process reads and estimates 2024 (whose comparisons wait "
        "for 2022's figures) and writes it; with PDFs, each edition's pages print as soon as they exist, the "
        "biggest first.",
        "",
        "| stage | wall | CPU |",
        "| --- | --- | --- |",
        *rows,
        "",
        "Before the speed work of issue 16 (commit 8f144b9, the demo data of that day: 12,549 rows, load average "
        "1.3 to 2.5): `miv demo --no-pdf` 31.1 s wall, 30.2 s CPU; `miv demo` 103 s wall, 104 s CPU (load "
        "rising to 5); at the start of its second session (commit 7cb3716, today's demo data, quiet machine): "
        "`--no-pdf` 24.6 s wall, 33.3 s CPU; `miv demo` 64.3 s wall, 117 s CPU. What changed: domains added to a "
        "design share its variance plan and moments; a test against a wider population reuses that population's "
        "estimates; trend-break models look only at cells with five editions and are fitted once per distinct "
        "series; charts are compiled from Vega-Lite to Vega once per template; one pool of spawned, niced workers "
        "for the whole run estimates and writes the earlier edition while the next edition is computed and "
        "prints the PDFs of every edition, the biggest waiting page first (`miv.workers.Workers`); a PDF "
        "parses the stylesheets once per worker, uses WeasyPrint's user-agent sheet without its footnote rules, "
        "prints a factsheet's key figures as a table and draws lean chart SVGs (benchmarks/pdf.py).",
        "",
        "Issue 16's sixth session, on this machine (a virtual machine whose speed wanders: the same command varied by a third between runs minutes apart on an idle machine, so medians of 5): at its start (commit 6b65ca1, quiet) `miv demo --no-pdf` took 16.8 and 17.4 s wall, 28.9 and 28.8 s CPU, and `miv demo` 51.0 s wall, 95.5 s CPU; now 13.9 s and 22.8 s, 35.8 s and 69.0 s (the fastest `--no-pdf` runs 10.2 to 11.5 s). What changed: estimation computes each proportion table and test once for every indicator that asks for it (both editions 4.4 -> 1.7-2.2 CPU s, the Pipeline section); no process of the demo imports scipy.stats, openpyxl, pyreadstat or pyarrow unless it reads such a file (0.6 CPU s a process); fewer text measurements and no ARIA descriptions in the static charts' Vega, the explorer's navigation rendered once per group; the .sav reader child imports its readers when it starts, not at the first file (0.3 s off the demo's first read, on its critical path); a worker that writes an edition beside this process (no PDFs) runs at this process's priority, and each edition's results explorer is a job of its own that whichever process is free first writes (`Workers.help`), so neither waits for the other at the end; printing parses a page with libxml2 instead of WeasyPrint's HTML5 parser in Python and leaves a figure's `<data>` markup out (the two reports of 2024 and a factsheet, alternately with and without: 17.4, 19.2, 20.1 against 20.8, 28.4, 21.9 CPU s). Left: the two editions' charts in two processes each pay vl-convert's start and first pass (about 1.3 CPU s); warming it in a thread while the process waits on the .sav reader gave nothing measurable.",
        "",
        "Issue 16's seventh session (2026-12-02). This machine's speed wandered by half within minutes (the yardstick between 0.31 and 0.53 s, and a run's CPU seconds with it), so one benchmark run is one draw: four runs of this script that day gave `--no-pdf` 10.1 s (at the session's start, 16.9 CPU s), then 11.4, 9.7 and 12.4 s (18.4, 15.9, 19.5 CPU s) and `miv demo` 25.3, 34.1, 25.8 and 28.0 s. Alternating runs of the session's start and end, both with bytecode written, medians of 4: `--no-pdf` 13.8 -> 12.8 s wall, 22.3 -> 20.8 s CPU. What changed: the workers and the .sav reader start before the command imports the pipeline (`miv.workers` loads nothing of miv), so their imports overlap this process's instead of following them; vl-convert's engine (a third of a second once per process) starts in a worker that does not print while it waits for its first edition, and in this process in a thread while it makes the data; a run's processes collect garbage less often (`RUN_COLLECTION`: the demo's own process spent 0.51 CPU s in collections, now 0.26 s); the .sav reader child imports pandas, pyreadstat's output, when it starts (its first answer 0.45 -> 0.17 s); `make` and the benchmarks write miv's bytecode (this machine sets PYTHONDONTWRITEBYTECODE, so every process compiled miv's modules again) and the benchmark removes the runs' folders after the last run (perf showed 1 to 1.5 CPU s of ext4 inode allocation in a run that followed the deletion of the previous run's 2,700 files: system time 3.1-3.5 s against 1.7-2.3 s after a pause). Where the rest goes (`--no-pdf`, perf and py-spy): the charts a fifth (vl-convert, 83 an edition at 12-14 ms, its first pass slower while V8 compiles Vega), the results explorer a sixth (387 pages an edition, each with its CSV and Excel file), imports a sixth (three processes), file creation in the kernel a tenth. Tried and left: caching pydyf's page references (rebuilt for every tag of a tagged PDF, 5% of a report's profile) saved nothing measurable; pyreadstat's `dict` output instead of pandas is faster for the demo's files but 1.5 times slower on the 100,000 x 300 file of the intake benchmark (Python lists, not arrays); warming V8 with 80 sample charts takes 0.45 CPU s off an edition's charts but costs 2.2; xlsxwriter without its formula and URL detection saved nothing measurable.",
        "",
        "Issue 16's eighth session (2026-12-02, later that day, in a quicker phase of this machine: the yardstick 0.23 to 0.30 s). At its start (commit e773dc2) this script gave `--no-pdf` 8.1 s wall (12.9 CPU s) and `miv demo` 21.3 s (40.6 CPU s). Alternating runs of e773dc2 and the session's end (b170de0), five pairs: `--no-pdf` 7.5 to 8.0 s wall (median 7.84) -> 6.7 to 7.1 s (6.84), 12.5 -> 11.9 CPU s (medians); three pairs of `miv demo`: 22.7 -> 19.0 s (medians). What changed: the command and its workers exit without collecting their heap (`gc.freeze()`, registered at the start of `miv demo`, `miv run` and each worker, runs last at exit: `miv.workers.exit_without_collecting`); Python's exit had run full collections over every object still alive, 0.3 to 0.4 s in the command's own process (perf: `gc_collect_main`) and as long in each worker, whose exit the pool's shutdown waits for; of the waiting jobs the biggest goes first: an edition's explorer is sized by its figures and queued as its publications start, so the bigger one (2024's, which compares two editions: about 1.2 s against 0.9) goes to whichever process is free first and the other fills the gap beside it; no chart-engine thread in this process and no threads in `writer.prepare`: vl-convert holds the GIL while it renders and while V8 starts (the thread's `start()` waited 0.27 s for it), so neither overlapped anything. Where the rest goes (`--no-pdf`, a timeline of both processes): 12 CPU s over 2 cores is 6 s of the 6.2 to 7.1 s; the worker waits about 0.8 s at the start for 2022's data (while this process imports, makes the data and reads them) and 0.3 s at the end.",
    ])
    print(write_section("## miv demo, end to end", body))


def main() -> None:
    generator()
    end_to_end(int(sys.argv[1]) if len(sys.argv) > 1 else 3)


if __name__ == "__main__":
    main()

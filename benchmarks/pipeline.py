"""Benchmark: one edition of the monitor from respondent tables to `Results` (weighting,
every publication cell's estimate, all tests), on the demo data; and the CPU seconds of each
stage of `miv demo --no-pdf` (both editions, one after the other in this process). Writes
the '## Pipeline' section of docs/performance.md."""

from __future__ import annotations

import functools
import importlib
import statistics
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from unittest import mock

from report import children_cpu, context, cpu, peak_rss_mib, write_section

import miv.pipeline.edition as edition
import miv.publish.writer as writer
from miv import demo
from miv.definition import load
from miv.demo import generate
from miv.intake.savreader import shared
from miv.pipeline import run
from miv.pipeline.figures import Estimator

RUNS = 3
estimation = importlib.import_module("miv.pipeline.run")  # miv.pipeline.run is also the function's name

# (label, module or class, function): what each stage of the demo's editions calls. A stage
# inside another (weighting inside estimation) is shown indented and counted in both.
STAGES = [
    ("generation (write_data, write_invited)", None, None),
    ("intake (read, validate, harmonise; its .sav reader child apart)", edition, "read_inputs"),
    ("estimation (run)", edition, "run"),
    ("  weighting", estimation, "designs"),
    ("  estimates", Estimator, "estimates"),
    ("  comparisons within the edition", Estimator, "comparisons"),
    ("  comparisons with the previous edition", estimation, "edition_changes"),
    ("  trend-break models", estimation, "trend_breaks"),
    ("  province models", estimation, "province_models"),
    ("disclosure control", writer, "disclose"),
    ("documents", writer, "documents"),
    ("charts (vl-convert)", writer, "charts"),
    ("HTML pages", writer.Renderer, "html"),
    ("letters (docx)", writer, "letter"),
    ("estimates.csv", writer, "estimates_csv"),
    ("tabellen.xlsx", writer, "workbook"),
    ("explorer (verkenner/)", writer, "write_explorer"),
    ("open data", writer, "write_open_data"),
    ("manifest", writer, "manifest"),
]


HISTORY = """Before and after issue 16's sixth session on estimation, on this machine, alternating with the code before it
(commit 6b65ca1) at load average 5-7, two runs each: estimation of both editions 4.34, 4.40 -> 1.66, 2.20 CPU s
(estimates 2.36, 2.46 -> 0.65, 0.82; comparisons within the edition 1.20, 1.14 -> 0.49, 0.58; trend-break models
0.44, 0.44 -> 0.28, 0.42). Each proportion table and within-edition test is computed once for every indicator the
cells ask of it (385 survey calls -> 148 for both editions, 67 tests -> 29), a population's design once for all its
breakdowns, result tables are built from Series instead of polars queries, and a trend model's fit without the shift
is made only when asked for (the verdict does not use it). The figures are the same rows in the same order, estimates
within 2e-14 and tests within 3e-12 (p-values far in the tail); a domain's mean is now taken from its weighted sum,
since the overall mean plus the domain's deviation rounded differently with more indicators per call and turned the
AB members' 29.5% of 2024 into a published 29% (the trend models vary by 1e-7 from run to run, before as now, with
the estimates' last bits). Importing what a process of `miv demo` needs to estimate and publish an edition: 1.98 -> 1.25 CPU s
(scipy.special instead of scipy.stats; openpyxl, pyreadstat and pyarrow where an .xlsx is read, a .sav written and
a Parquet file read). Tried without gain: gathering only the columns of the moment matrix that a domain touches
(two-axis fancy indexing was slower than gathering its rows).

Before and after the work of issue 16's fourth session on these stages, on that session's machine (about 1.75
times as fast as this session's; the files it changed, at commit 7cb3716 and then; same demo data; run alternately, two runs each, mean): 22.8 s -> 17.4 s in this process at load average 1.5-2,
23.1 s -> 20.0 s at load 6-9. The first chart costs about 0.5 s more than the
others: vl-convert starts its JavaScript engine and loads its bundles. Charts 7.6 s -> 5.9 s: Vega-Lite is
compiled to Vega once per template and height (6 compilations instead of 187) and each chart's rows go into the
compiled spec; the SVGs are byte-identical. Comparisons within an edition 1.95 s -> 1.28 s: a test against the wider
population reuses that population's estimates, computed once per cell instead of once per test. Trend-break models
0.79 s -> 0.45 s: fitted once per distinct series (publications share cells: 19 fits -> 9). Documents 0.82 s ->
0.16 s: the cells' domains and model sentences are indexed once instead of scanned per block. Open data 0.25 s ->
0.11 s: reliability's t quantile is computed once per degrees of freedom (so are the intervals'). Left: the charts'
rendering itself (vega_to_svg, 20-30 ms a chart under this load; vl-convert renders one chart at a time, so the four
threads of writer.prepare add nothing) and the explorer's 774 xlsx downloads (about 2 ms each, xlsxwriter's
packaging of ten parts per file; writing to memory first or switching off its URL and formula detection did not
help). CPU seconds stretch on a loaded machine too: compare runs made at the same load.

Issue 16's sixth session on the charts and the explorer (main at 15b3538 and after; the SVGs and every page are
byte-identical). Most of that session ran at load average 6-14, where CPU seconds of the same run varied by a
fifth, so it counted instructions (valgrind's cachegrind; one edition, 2024, from the same Results, the setup's
count subtracted): charts (writer.prepare's) 13.6 -> 12.0 G instructions (-12%, two runs each; V8's counts vary by
1%), explorer 8.83 -> 7.98 G (-10%). This section's stages for both editions, three alternating runs each at load
2.7-5.5: charts 4.86 -> 4.31 CPU s (mean), explorer 3.60 -> 2.80 s (median; one run at load 5 read 4.38). What changed: the axes of percentages and editions have no labelLimit, so Vega does not
measure each label's width a second time as it writes the SVG (a third of a chart's text measurements, each a
text layout in vl-convert's Rust); the static charts' Vega is compiled without ARIA descriptions (svg.lean removed
them), so Vega no longer formats one per bar, tick and label; the explorer renders each page's option and link
once per group (a publication's indicators, an indicator's publications) instead of once for every page that
lists them; category labels are wrapped once. Tried, no gain: one Vega spec of many charts (a vconcat of 78 bars
took longer than rendering them one by one: Vega's work is per chart, not per call), one x axis with its grid
instead of Vega-Lite's two, passing a spec as a JSON string, dropping the filters of invalid values (they matter:
the previous edition has no interval). Rendering each of an edition's identical charts once would save 1 of 83.
Vega itself is most of a chart: in Node the same specs cost 6 ms each (a third parsing the spec, a quarter
building the view; legends a fifth, axes a third), in vl-convert 18 ms warm, plus 0.8 s for the first pass of a
process (its JavaScript engine compiling Vega) and 0.5 s to start the engine."""



@contextmanager
def timed(spent: dict[str, float], stages: list[tuple[str, object, str | None]] = STAGES) -> Iterator[None]:
    """Each of `stages` wrapped to add its CPU seconds to `spent`. The charts of a section are
    made in threads (writer.prepare), whose CPU seconds add up to more than they take: the
    charts' stage is counted once, from the first chart's start to the last one's end."""
    charts = {"running": 0, "start": 0.0}

    def wrap(label: str, function: Callable) -> Callable:
        @functools.wraps(function)
        def wrapper(*args: object, **kwargs: object) -> object:
            start = cpu()
            try:
                return function(*args, **kwargs)
            finally:
                spent[label] += cpu() - start
        return wrapper

    def chart_wrap(label: str, function: Callable) -> Callable:
        @functools.wraps(function)
        def wrapper(*args: object, **kwargs: object) -> object:
            with lock:
                if charts["running"] == 0:
                    charts["start"] = cpu()
                charts["running"] += 1
            try:
                return function(*args, **kwargs)
            finally:
                with lock:
                    charts["running"] -= 1
                    if charts["running"] == 0:
                        spent[label] += cpu() - charts["start"]
        return wrapper

    lock = threading.Lock()
    with ExitStack() as stack:
        for label, owner, name in stages:
            if owner is not None:
                make = chart_wrap if name == "charts" else wrap
                stack.enter_context(mock.patch.object(owner, name, make(label, getattr(owner, name))))
        yield


def stages() -> tuple[dict[str, float], float, float]:
    """CPU seconds per stage of the demo's editions without PDFs, in order, in this process; the
    total and the .sav reader's (a child process)."""
    spent: dict[str, float] = defaultdict(float)
    monitor = load()
    with tempfile.TemporaryDirectory() as folder, timed(spent):
        out = Path(folder)
        start, children = cpu(), children_cpu()
        _, files = demo.write_data(monitor, out, demo.DEFAULT_SEED)
        fieldwork = demo.write_invited(monitor, out)
        spent[STAGES[0][0]] = cpu() - start
        read, results = {}, None
        for year in sorted(files):
            read[year] = edition.read_edition(monitor, year, files[year], out / str(year) / "validatie", fieldwork.get(year))
            previous = monitor.editions[year].previous
            results = edition.publish_edition(monitor, year, read[year], read.get(previous) if previous else None, out / str(year),
                                              pdf=False, notice=demo.PUBLICATION_NOTICE, previous_results=results).results
        total = cpu() - start
        shared().close()  # the reader child's CPU counts once it has ended
        reader = children_cpu() - children
    return spent, total, reader


def main() -> None:
    started = context("benchmarks/pipeline.py")
    spent, total, reader = stages()  # first, in a fresh process, as `miv demo` runs
    monitor = load()
    tables = generate(monitor)
    current = {q: t for (year, q), t in tables.items() if year == 2024}
    previous = {q: t for (year, q), t in tables.items() if year == 2022}
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        results = run(monitor, 2024, current, previous)
        times.append(time.perf_counter() - start)
    rows = sum(t.height for t in current.values()) + sum(t.height for t in previous.values())
    listed = sum(v for (label, _, _), v in ((s, spent[s[0]]) for s in STAGES) if not label.startswith(" "))
    lines = "\n".join(f"| {label} | {spent[label]:.2f} s |" for label, _, _ in STAGES)
    body = f"""
{started} Median of {RUNS} runs.

| step | median | slowest |
| --- | --- | --- |
| 2024 with 2022: weighting, {results.estimates.height:,} estimates, {results.comparisons.height:,} tests ({rows:,} respondents) | {statistics.median(times):.1f} s | {max(times):.1f} s |
| peak resident memory of the process | {peak_rss_mib():.0f} MiB | |

Stages of `miv demo --no-pdf`: the demo data of both editions, then 2022 and 2024 one after the other
in this process, as `miv demo` does without its worker process (which estimates and writes 2022
while 2024 is computed). CPU seconds of this process (user + system, all its threads), one run:

| stage | CPU |
| --- | ---: |
{lines}
| rest (static files, index pages, Markdown, weights CSV) | {total - listed:.2f} s |
| **total in this process** | **{total:.2f} s** |
| the .sav reader (a child process) | {reader:.2f} s |

{HISTORY}
"""
    print(write_section("## Pipeline", body))


if __name__ == "__main__":
    main()

"""Benchmark: the results explorer of one edition (docs/performance.md, "## Results explorer").

Writing verkenner/ (every page, its CSV and xlsx, the static files) and open-data/ from the
disclosure decisions and documents the reports are made from (their making is not timed: the
reports need it anyway); then the time to the first table in Chromium from a local web server,
cold (a new browser context, nothing cached), measured as the page's own navigation timing up
to DOMContentLoaded and to the selection applied. Targets: build <= 5 s, first table <= 1 s.
Then the CPU seconds of one edition's publications without PDFs on the demo data (2024, with
2022 before it), by part: what `miv demo --no-pdf` spends per edition once the figures exist."""

from __future__ import annotations

import functools
import http.server
import statistics
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests" / "publish"), str(ROOT / "tests")]

import synthetic
from browser_support import chromium
from pipeline import timed
from report import context, cpu, write_section

import miv.publish.explorer as explorer
import miv.publish.writer as writer
from miv import demo
from miv.definition import load
from miv.pipeline import edition
from miv.publish.explorer import write_explorer
from miv.publish.opendata import write_open_data
from miv.publish.results import Results
from miv.publish.writer import prepare

PAGE = "verkenner/agressie_totaal/rapport-veiligheid.html"
RUNS = 5
EDITION_RUNS = 3
# (label, module, function) of start_publications; a part inside another is indented and counted in both
PARTS = [
    ("disclosure control", writer, "disclose"),
    ("documents", writer, "documents"),
    ("charts (vl-convert)", writer, "charts"),
    ("HTML pages of the publications", writer.Renderer, "html"),
    ("tabellen.xlsx", writer, "workbook"),
    ("explorer (verkenner/)", writer, "write_explorer"),
    ("  its pages' contents (figures, tests, chart specs)", explorer, "pages"),
    ("  the downloads: xlsx", explorer, "_xlsx"),
    ("  the downloads: csv", explorer, "_csv"),
]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


HISTORY = """Before and after the explorer's work on issue 16 (2026-12-01; main at 8e085bb and this branch, the demo's
2024 Results, a fresh process importing miv.publish.writer and writing the edition without PDFs, as `miv demo`'s
processes do; three alternating runs each at load average 5-6, mean): import 3.96 -> 3.53 CPU s, publications
12.82 -> 12.08 CPU s, together 16.79 -> 15.61 CPU s. Both editions in one process (benchmarks/pipeline.py's
stages, two alternating runs each, load average 2.4 rising to 5.7): charts 9.61 -> 8.23 CPU s, explorer 8.86 -> 7.94,
all stages 32.3 -> 30.7 (at this load every stage reads about half again its quiet figure). Every file written is the same byte for byte (the xlsx files
part for part but their creation time). What changed: the charts' Vega-Lite specs are read from
templates/charts.vl.json (written by scripts/chart_templates.py with Altair; a test fails when they disagree), so
a process no longer imports Altair (about 0.5 s) nor builds the four specs (0.3 s); the specs and Vega compilations
are cached once across writer.prepare's four threads (with a plain cache they built 5-6 specs for 4 and compiled
7-8 for 6); a figure's `<data>` element is formatted without Markup.format (10,000 an edition).
Left, measured: vl-convert's rendering is most of the charts (35-45 ms a chart, its text measurement
the bulk, the first call about 0.8 s as its JavaScript engine starts); one thread instead of four costs the same CPU
and more wall time; the specs without ARIA descriptions give the same SVGs after miv.publish.svg.lean but render
only about 4% faster. The explorer's 387 xlsx downloads cost about 4.5 ms each, half of it xlsxwriter's fixed
packaging of a file (an empty workbook costs 2 ms); typed writes or switching off its URL detection saved nothing
measurable. Of its pages' Jinja rendering, the lists of the other indicators and groups (select options and links,
41% of the HTML) are about a third; inlining the cell macros saves 0.1 s. Outside this area: importing
miv.publish.writer imports WeasyPrint (about 1.1 s) through miv.publish.render even in a process that prints no PDF."""


def _demo_results() -> Results:
    """The demo's 2024 Results, computed with 2022's as `miv demo` does."""
    monitor = load()
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        _, files = demo.write_data(monitor, out, demo.DEFAULT_SEED)
        fieldwork = demo.write_invited(monitor, out)
        read = {year: edition.read_edition(monitor, year, files[year], out / str(year), fieldwork.get(year)) for year in (2022, 2024)}
        before = edition._estimate(monitor, 2022, read[2022], None, demo.PUBLICATION_NOTICE, None, None)
        return edition._estimate(monitor, 2024, read[2024], read[2022], demo.PUBLICATION_NOTICE, None, before)


def publications() -> tuple[dict[str, float], list[float]]:
    """Median CPU seconds per part of start_publications(2024, no PDFs) over EDITION_RUNS runs, and each run's total."""
    results = _demo_results()
    runs: list[dict[str, float]] = []
    totals = []
    for _ in range(EDITION_RUNS):
        spent: dict[str, float] = defaultdict(float)
        with tempfile.TemporaryDirectory() as folder, timed(spent, PARTS):
            start = cpu()
            writer.start_publications(results, Path(folder), None).finish()
            totals.append(cpu() - start)
        runs.append(spent)
    return {label: statistics.median(r[label] for r in runs) for label, _, _ in PARTS}, totals


def main() -> None:
    started = context("benchmarks/explorer.py")
    parts, totals = publications()  # first, in a fresh process, as `miv demo` runs an edition
    results = synthetic.results(load())
    disclosure, docs = prepare(results)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "2024"
        write_explorer(results, disclosure, docs, out)  # warm-up (templates compiled, caches filled)
        builds, cpus, files = [], [], []
        for _ in range(3):
            start, start_cpu = time.perf_counter(), cpu()
            files = write_explorer(results, disclosure, docs, out) + write_open_data(results, disclosure, out)
            builds.append(time.perf_counter() - start)
            cpus.append(cpu() - start_cpu)
        pages = sum(1 for f in files if f.suffix == ".html")
        size = sum(f.stat().st_size for f in files) / 1e6
        page_size = (out / PAGE).stat().st_size / 1e3
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(out)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        loaded, applied = [], []
        with chromium() as browser:
            for _ in range(RUNS):
                context_ = browser.new_context()
                page = context_.new_page()
                page.goto(f"http://127.0.0.1:{server.server_port}/{PAGE}#uitsplitsing=gender&editie=2024")
                page.wait_for_function("document.getElementById('status') && !document.getElementById('selectie').hidden")
                timing = page.evaluate("performance.getEntriesByType('navigation')[0].toJSON()")
                loaded.append(timing["domContentLoadedEventEnd"] / 1000)
                applied.append(page.evaluate("performance.now()") / 1000)
                context_.close()
        server.shutdown()
    inside = sum(v for label, v in parts.items() if label.startswith(" "))
    parts["  the rest: its pages' HTML (Jinja), writing the files"] = parts["explorer (verkenner/)"] - inside
    parts["rest (static files, letters, estimates.csv, open data, manifest)"] = statistics.median(totals) - sum(
        v for label, v in parts.items() if not label.startswith(" "))
    lines = "\n".join(f"| {label} | {value:.2f} s |" for label, value in parts.items())
    body = f"""
{started} Other work may run beside it on a shared machine (the load average says), so these are upper bounds.
Input: the synthetic Results of the tests for the real definition; the disclosure decisions and
documents are made once beforehand (the reports need them anyway) and not timed.

| step | what | median (wall) | runs | target |
| --- | --- | ---: | ---: | ---: |
| build | verkenner/ ({pages} HTML pages with their CSV and xlsx, static files) and open-data/: {len(files)} files, {size:.1f} MB; CPU time {statistics.median(cpus):.2f} s (one process) | {statistics.median(builds):.2f} s | {len(builds)} (max {max(builds):.2f} s) | ≤ 5 s |
| first table | `{PAGE}` ({page_size:.0f} kB) from a local web server, new browser context: navigation start to DOMContentLoaded (the tables are in the HTML) | {statistics.median(loaded) * 1000:.0f} ms | {RUNS} (max {max(loaded) * 1000:.0f} ms) | ≤ 1 s |
| selection applied | the same page until the script has applied the URL's selection (Vega loaded, JSON parsed) | {statistics.median(applied) * 1000:.0f} ms | {RUNS} (max {max(applied) * 1000:.0f} ms) | |

The build runs in one process, so on an idle machine its wall time is about its CPU time; on the
loaded machine the difference is time spent waiting for a core and for the file system.

One edition's publications without PDFs, on the demo data: `start_publications(2024, None)`
and its manifest (2024 computed with 2022's Results, default seed), in this process; CPU seconds
(user + system, all threads), median of {EDITION_RUNS} runs (totals {", ".join(f"{t:.2f}" for t in totals)} s):

| part | CPU |
| --- | ---: |
{lines}
| **total** | **{statistics.median(totals):.2f} s** |

{HISTORY}
"""
    print(write_section("## Results explorer", body))


if __name__ == "__main__":
    main()

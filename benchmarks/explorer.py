"""Benchmark: the results explorer of one edition (docs/performance.md, "## Results explorer").

Writing verkenner/ (every page, its CSV and xlsx, the static files) and open-data/ from the
disclosure decisions and documents the reports are made from (their making is not timed: the
reports need it anyway); then the time to the first table in Chromium from a local web server,
cold (a new browser context, nothing cached), measured as the page's own navigation timing up
to DOMContentLoaded and to the selection applied. Targets: build <= 5 s, first table <= 1 s."""

from __future__ import annotations

import functools
import http.server
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests" / "publish"), str(ROOT / "tests")]

import synthetic
from browser_support import chromium
from report import context, write_section

from miv.definition import load
from miv.publish.explorer import write_explorer
from miv.publish.opendata import write_open_data
from miv.publish.writer import prepare

PAGE = "verkenner/agressie_totaal/rapport-veiligheid.html"
RUNS = 5


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def main() -> None:
    started = context("benchmarks/explorer.py")
    results = synthetic.results(load())
    disclosure, docs = prepare(results)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "2024"
        write_explorer(results, disclosure, docs, out)  # warm-up (templates compiled, caches filled)
        builds, cpus, files = [], [], []
        for _ in range(3):
            start, cpu = time.perf_counter(), time.process_time()
            files = write_explorer(results, disclosure, docs, out) + write_open_data(results, disclosure, out)
            builds.append(time.perf_counter() - start)
            cpus.append(time.process_time() - cpu)
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
    body = f"""
{started} The machine is shared (8 engineers on 2 cores), so these are upper bounds.
Input: the synthetic Results of the tests for the real definition; the disclosure decisions and
documents are made once beforehand (the reports need them anyway) and not timed.

| step | what | median (wall) | runs | target |
| --- | --- | ---: | ---: | ---: |
| build | verkenner/ ({pages} HTML pages with their CSV and xlsx, static files) and open-data/: {len(files)} files, {size:.1f} MB; CPU time {statistics.median(cpus):.2f} s (one process) | {statistics.median(builds):.2f} s | {len(builds)} (max {max(builds):.2f} s) | ≤ 5 s |
| first table | `{PAGE}` ({page_size:.0f} kB) from a local web server, new browser context: navigation start to DOMContentLoaded (the tables are in the HTML) | {statistics.median(loaded) * 1000:.0f} ms | {RUNS} (max {max(loaded) * 1000:.0f} ms) | ≤ 1 s |
| selection applied | the same page until the script has applied the URL's selection (Vega loaded, JSON parsed) | {statistics.median(applied) * 1000:.0f} ms | {RUNS} (max {max(applied) * 1000:.0f} ms) | |

The build runs in one process, so on an idle machine its wall time is about its CPU time; on the
loaded machine the difference is time spent waiting for a core and for the file system. Where
the CPU time goes (cProfile): writing the ~300 small workbooks (xlsxwriter, in memory; about
5 ms each, most of it fixed cost per file), rendering the pages (Jinja) and serialising each
page's embedded data.
"""
    print(write_section("## Results explorer", body))


if __name__ == "__main__":
    main()

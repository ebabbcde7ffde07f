"""Benchmark: one edition's publications from computed Results (docs/performance.md, "## Publications").

Set-up (loading the definition, building the Results) is not timed. The Results are the
synthetic ones of the tests: every publication, section, indicator and domain the real
definition asks for, shaped like the pipeline's output. Targets: HTML alone < 5 s, the whole
set with PDFs < 30 s."""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests" / "publish")]

from report import children_cpu, context, cpu, write_section  # noqa: E402

from miv.definition import load  # noqa: E402
from miv.publish import write_publications  # noqa: E402

import synthetic  # noqa: E402


def main() -> None:
    started = context("benchmarks/publish.py")
    results = synthetic.results(load())
    with tempfile.TemporaryDirectory() as folder:
        write_publications(results, Path(folder) / "warm", with_pdf=False)  # vl-convert and Altair warm-up
        html, files_html = _timed(lambda: write_publications(results, Path(folder) / "html", with_pdf=False))
        full, files_full = _timed(lambda: write_publications(results, Path(folder) / "all"))
        pdfs = sum(1 for f in files_full if f.suffix == ".pdf")
        size = sum(f.stat().st_size for f in files_full) / 1e6
    body = f"""
{started} The machine is shared, so these are upper bounds. Input: synthetic Results for
the real definition ({results.estimates.height:,} estimate rows, {results.comparisons.height:,} comparisons,
{len(results.monitor.publications)} publications, 12 per province). Set-up is not timed; Altair and vl-convert
are warmed up once.

| run | files | wall time | CPU time | target (wall) |
| --- | ---: | ---: | ---: | ---: |
| HTML, Markdown, tabellen.xlsx, estimates.csv, manifest (no PDF) | {len(files_html)} | {html[0]:.1f} s | {html[1]:.1f} s | < 5 s |
| whole set including {pdfs} PDFs | {len(files_full)} ({size:.1f} MB) | {full[0]:.1f} s | {full[1]:.1f} s | < 30 s |

CPU time adds up all processes: on an idle machine the wall time of the whole set is about the CPU
time divided by the cores (the PDFs run one process per core); a loaded machine stretches wall time.

Where the time goes: ~90 charts rendered by vl-convert (about 20–40 ms each, one by one: it holds the GIL);
WeasyPrint layout of the PDFs (pure Python, one process per core). The vendored components CSS is
cut to the components publications use before WeasyPrint sees it: the full file made style
matching three times slower.
"""
    print(write_section("## Publications", body))


def _timed(run):
    """Wall time and CPU time (this process and its finished PDF workers)."""
    start, used = time.perf_counter(), _cpu()
    value = run()
    return (time.perf_counter() - start, _cpu() - used), value


def _cpu() -> float:
    return cpu() + children_cpu()


if __name__ == "__main__":
    main()

"""Measure the demo generator: time to generate both editions, time to write them
(Parquet + SPSS) and peak memory; writes the '## Demo data' section of docs/performance.md.

    python benchmarks/demo.py
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from report import context, peak_rss_mib, write_section

from miv import demo
from miv.definition import load

RUNS = 5


def main() -> None:
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


if __name__ == "__main__":
    main()

"""Benchmark: one edition of the monitor from respondent tables to `Results` (weighting,
every publication cell's estimate, all tests), on the demo data; writes the
'## Pipeline' section of docs/performance.md."""

from __future__ import annotations

import statistics
import time

from report import context, peak_rss_mib, write_section

from miv.definition import load
from miv.demo import generate
from miv.pipeline import run

RUNS = 3


def main() -> None:
    started = context("benchmarks/pipeline.py")
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
    body = f"""
{started} Median of {RUNS} runs.

| step | median | slowest |
| --- | --- | --- |
| 2024 with 2022: weighting, {results.estimates.height:,} estimates, {results.comparisons.height:,} tests ({rows:,} respondents) | {statistics.median(times):.1f} s | {max(times):.1f} s |
| peak resident memory of the process | {peak_rss_mib():.0f} MiB | |
"""
    print(write_section("## Pipeline", body))


if __name__ == "__main__":
    main()

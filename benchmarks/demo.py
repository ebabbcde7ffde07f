"""Measure the demo generator: time to generate both editions, time to write them
(Parquet + SPSS) and peak memory; writes the '## Demo data' section of docs/performance.md.

    python benchmarks/demo.py
"""

from __future__ import annotations

import platform
import re
import resource
import statistics
import tempfile
import time
from pathlib import Path

from miv import demo
from miv.definition import load

DOC = Path(__file__).resolve().parents[1] / "docs" / "performance.md"
HEADING = "## Demo data (miv demo)"
RUNS = 5


def main() -> None:
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
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    section = "\n".join(
        [
            HEADING,
            "",
            f"`benchmarks/demo.py`, {time.strftime('%Y-%m-%d')}, Python {platform.python_version()}, {platform.machine()}, "
            f"median of {RUNS} runs (different seeds), on a shared 2-core machine.",
            "",
            "| step | median | slowest |",
            "| --- | --- | --- |",
            f"| generate 2022 + 2024, all questionnaires ({rows:,} rows) | {statistics.median(generate):.2f} s | {max(generate):.2f} s |",
            f"| write them as Parquet + labelled SPSS | {statistics.median(write):.2f} s | {max(write):.2f} s |",
            f"| peak resident memory of the process | {peak:.0f} MB | |",
            "",
        ]
    )
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Performance\n\n"
    pattern = re.compile(rf"^{re.escape(HEADING)}\n.*?(?=^## |\Z)", re.S | re.M)
    text = pattern.sub(lambda _: section + "\n", text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + section
    DOC.write_text(text, encoding="utf-8")
    print(section)


if __name__ == "__main__":
    main()

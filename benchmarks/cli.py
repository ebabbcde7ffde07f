"""Benchmark: how fast `miv` answers, started as a user starts it (a fresh process of the
installed console script); wall time and CPU seconds of each run; writes the '## CLI start'
section of docs/performance.md.

    python benchmarks/cli.py
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from report import compiled, context, write_section

RUNS = 7
MIV = Path(sys.executable).with_name("miv")
COMMANDS = {
    "miv --help": ["--help"],
    "miv definition --help": ["definition", "--help"],
    "miv definition check": ["definition", "check"],
    "miv demo --help": ["demo", "--help"],
}


def _once(args: list[str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system) of one run of `miv args`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([str(MIV), *args], check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    started = context("benchmarks/cli.py")
    compiled()
    rows = []
    for name, args in COMMANDS.items():
        _once(args)  # warm the page cache, as a second start by a user would find it
        runs = [_once(args) for _ in range(RUNS)]
        walls, cpus = [w for w, _ in runs], [c for _, c in runs]
        rows.append(f"| `{name}` | {statistics.median(walls):.2f} s | {max(walls):.2f} s | {statistics.median(cpus):.2f} s |")
    body = "\n".join([
        f"{started} Median of {RUNS} fresh processes of the console script after one warm-up; load average "
        f"{os.getloadavg()[0]:.1f} at the end. CPU is user + system seconds of the process, which the "
        "machine's load does not inflate the way it inflates wall time.",
        "",
        "| command | median | slowest | CPU (median) |",
        "| --- | --- | --- | --- |",
        *rows,
        "",
        "Before the thin CLI (commit b675ee4, every layer imported at start), measured on 2026-12-01 at load "
        "average 8 with `PYTHONPATH=<that commit's src> python -c 'from miv.cli import app; app()' --help`: "
        "6.1 s wall, 2.1 s CPU for `--help`; 6.7 s wall, 2.2 s CPU for `definition check`.",
        "",
        "The script times the `miv` next to the Python that runs it, so an installed package is measured "
        "with its own environment: `python -m pip wheel --no-deps -w dist . && python -m venv /tmp/miv && "
        "/tmp/miv/bin/pip install dist/miv-*.whl && /tmp/miv/bin/python benchmarks/cli.py`. "
        "`miv definition check` reads the definition shipped in the package; `--definition DIR` "
        "checks another one at the same cost.",
    ])
    print(write_section("## CLI start", body))


if __name__ == "__main__":
    main()

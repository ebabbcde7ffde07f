"""What every benchmark shares: its own section of docs/performance.md, and the run's context."""

from __future__ import annotations

import compileall
import os
import platform
import re
import resource
import time
from pathlib import Path

DOC = Path(__file__).resolve().parents[1] / "docs" / "performance.md"


def write_section(heading: str, body: str, path: Path = DOC) -> str:
    """Replace (or append) the section under `heading`, leaving the other benchmarks' sections alone."""
    section = f"{heading}\n\n{body.strip()}\n"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Performance\n"
    pattern = re.compile(rf"^{re.escape(heading)}\n.*?(?=^## |\Z)", re.S | re.M)
    text = pattern.sub(lambda _: section + "\n", text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + section
    path.write_text(text.rstrip("\n") + "\n", encoding="utf-8")
    return section


def context(script: str) -> str:
    """One line naming the script, date, Python, processor, its speed and the machine's load when it ran."""
    load = os.getloadavg()[0]
    return (f"`{script}`, {time.strftime('%Y-%m-%d')}, Python {platform.python_version()}, {platform.machine()}, "
            f"{os.cpu_count()} cores (yardstick {yardstick():.2f} s), load average {load:.1f} at the start.")


def compiled() -> None:
    """miv's bytecode written, as a user's second start finds it: Python writes none where
    PYTHONDONTWRITEBYTECODE is set (CI machines), and then every process compiles miv again."""
    compileall.compile_dir(DOC.parents[1] / "src", quiet=1)


def yardstick(steps: int = 10_000_000) -> float:
    """CPU seconds of a plain Python loop: machines of the same kind differ in speed (and a
    loaded one stretches CPU seconds), so figures from different days compare in proportion to this."""
    start, total = time.process_time(), 0
    for step in range(steps):
        total += step
    return time.process_time() - start


def peak_rss_mib() -> float:
    """Peak resident memory of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu() -> float:
    """CPU seconds of this process, every thread (vl-convert renders in threads of its own)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def children_cpu() -> float:
    """CPU seconds of the child processes waited for (the .sav reader, the PDF workers)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime

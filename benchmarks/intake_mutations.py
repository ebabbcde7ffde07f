"""Benchmark: the intake's property test with a long budget. Damaged .sav, .zsav, .csv, .xlsx
and .parquet files (tests/intake/intake_mutations.py) go through `miv import` in-process;
each must end with exit code 0 or 1 and no traceback, and an accepted import must hold at
least the rows an independent reader finds. Records the slowest file and the peak memory of
this process and of the .sav reader child. Writes the "## Intake: damaged files" section of
docs/performance.md. Targets: every file under 60 s, peak memory under 2 GiB.
"""

from __future__ import annotations

import os
import resource
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests" / "intake")]

from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402
from intake_mutations import FORMATS, MARKUP, damage, pristine  # noqa: E402
from intake_support import DEFINITION, valid_table  # noqa: E402
from report import context, write_section  # noqa: E402
from test_mutations import check_import  # noqa: E402

from miv import definition  # noqa: E402
from miv.intake import savreader  # noqa: E402

EXAMPLES = int(os.environ.get("MIV_MUTATIONS", "1000"))


def main() -> None:
    started = context("benchmarks/intake_mutations.py")
    monitor = definition.load(DEFINITION)
    valid = valid_table(monitor, 2024, "ambtsdragers", 120, seed=7)
    slowest: dict[str, float] = Counter()
    counts: Counter[str] = Counter()
    originals: dict[tuple[str, str | None], bytes] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)

        @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        @given(suffix=st.sampled_from(FORMATS), markup=st.none() | st.sampled_from(MARKUP), data=st.data())
        def run(suffix: str, markup: str | None, data: st.DataObject) -> None:
            if (suffix, markup) not in originals:
                place = folder / f"p{len(originals)}"
                place.mkdir()
                originals[suffix, markup] = pristine(monitor, valid, suffix, place, markup)
            content = data.draw(damage(originals[suffix, markup], suffix))
            place = Path(tempfile.mkdtemp(dir=folder))
            start = time.perf_counter()
            check_import(place, content, suffix)
            slowest[suffix] = max(slowest[suffix], time.perf_counter() - start)
            counts[suffix] += 1

        begin = time.perf_counter()
        run()
        total = time.perf_counter() - begin
    savreader.shared().close()
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    peak = max(own, child)
    ok = max(slowest.values()) < 60 and peak < 2 * 1024**3
    rows = "\n".join(f"| {s} | {counts[s]} | {slowest[s]:.2f} s |" for s in FORMATS)
    body = f"""
{started} {sum(counts.values())} damaged files (truncated, bytes flipped, header or declared
size made wrong, Rich markup in cells) through `miv import` in one process, in {total:.0f} s; no
traceback, exit code 0 or 1 on each, and no accepted import with fewer rows than the reference
reader (pyreadstat, polars, openpyxl without read-only mode, pyarrow).

| format | files | slowest file |
| --- | --- | --- |
{rows}

Peak memory: {own / 1024**3:.2f} GiB in the importing process, {child / 1024**3:.2f} GiB in a child
(the .sav reader or the reference reader). Targets: every file under 60 s, under 2 GiB.
Verdict: {'within target' if ok else 'OUTSIDE TARGET'}. The cores are shared with other work.
"""
    print(write_section("## Intake: damaged files", body))


if __name__ == "__main__":
    main()
